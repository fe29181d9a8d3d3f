/* harness.c - the helpers fuzz targets share (see fuzz.h): the store, one
 * feed document through a format's begin/parse/finish inside a rolled-back
 * transaction, and the invariant checks that turn a broken promise into
 * an abort() libFuzzer reports as a crash. */
#include "fuzz.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

static struct store *store;

void fuzz_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("fuzz invariant broken: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

size_t fuzz_find(const uint8_t *data, size_t size, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; n <= size && i <= size - n; i++)
		if (!memcmp(data + i, needle, n))
			return i;
	return size;
}

struct store *fuzz_store(void)
{
	struct err err;

	if (!store && store_open(&store, ":memory:", &err))
		fuzz_fail("cannot open the :memory: store: %s", err.msg);
	return store;
}

void fuzz_check_error(const char *what, int rc, const struct err *err)
{
	if (rc >= 0)
		return;
	if (err->code == ERR_OK || !err->msg[0])
		fuzz_fail("%s failed (%d) without a message", what, rc);
	if (strchr(err->msg, '\n'))
		fuzz_fail("%s: message is not one line: %s", what, err->msg);
}

void fuzz_feed_document(const struct feed_def *def, const char *path,
			const uint8_t *data, size_t size)
{
	const struct feed_format *fmt = def->format;
	struct store *s = fuzz_store();
	struct feed_run run = { 0 };
	struct err err, ferr;
	int rc;

	err_clear(&err);
	err_clear(&ferr);
	if (store_begin(s, &err))
		fuzz_fail("cannot begin: %s", err.msg);
	/* advisory.feed references the feed row, as in a real run. */
	if (store_exec(s, &err, "INSERT INTO feed(name) VALUES (?)"
		       " ON CONFLICT(name) DO NOTHING", "s", def->name) < 0)
		fuzz_fail("cannot insert the feed row: %s", err.msg);
	run.store = s;
	run.def = def;
	run.source = "fuzz";
	run.full = true;
	err_clear(&run.first_reject);
	rc = fmt->begin ? fmt->begin(&run, &err) : 0;
	fuzz_check_error("begin()", rc, &err);
	if (rc == 0) {
		run.documents++;
		/* Not NUL-terminated, as an archive member or a download is
		 * handed over: a parser reading past len is caught by ASan. */
		rc = fmt->parse(&run, path, (const char *)data, size, &err);
		fuzz_check_error("parse()", rc, &err);
		/* finish() frees the adapter's state, also after a failure
		 * (the runner calls it before rolling back). */
		if (fmt->finish) {
			int frc = fmt->finish(&run, &ferr);

			if (rc == 0)
				fuzz_check_error("finish()", frc, &ferr);
		}
	}
	/* SLIPWAY_FUZZ_VERBOSE=1: what each seed did, to check that a corpus
	 * reaches the code behind the parser's first checks. */
	if (getenv("SLIPWAY_FUZZ_VERBOSE"))
		fprintf(stderr, "%s: rc %d, %ld records, %ld rejected, %ld skipped%s%s\n",
			def->name, rc, run.records, run.rejected, run.skipped,
			rc ? ": " : run.rejected ? ": first reject: " : "",
			rc ? err.msg : run.rejected ? run.first_reject.msg : "");
	if (run.rejected > 0 && !run.first_reject.msg[0])
		fuzz_fail("a record was rejected without a message");
	if (run.rejected > 0 && strchr(run.first_reject.msg, '\n'))
		fuzz_fail("reject message is not one line: %s", run.first_reject.msg);
	free(run.feed_state);
	store_rollback(s);
	if (store_in_transaction(s))
		fuzz_fail("the transaction is still open after the rollback");
}
