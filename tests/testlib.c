/* testlib.c - the scaffolding the Check unit tests share (testlib.h):
 * fixtures, a store with a feed row, feed runs as the runner makes them,
 * single-value queries and main()'s runner. */
#include "testlib.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "err.h"
#include "feed.h"
#include "store.h"

#include "banned.h"

static void vpath(char *out, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static void vpath(char *out, size_t size, const char *fmt, va_list ap)
{
	const char *root = getenv("SLIPWAY_SOURCE_ROOT");
	int n, m;

	n = snprintf(out, size, "%s/tests/data/", root ? root : ".");
	ck_assert_msg(n >= 0 && (size_t)n < size, "fixture path too long");
	m = vsnprintf(out + n, size - (size_t)n, fmt, ap);
	ck_assert_msg(m >= 0 && (size_t)m < size - (size_t)n,
		      "fixture path too long: '%s...'", out);
}

void testlib_path(char *out, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vpath(out, size, fmt, ap);
	va_end(ap);
}

static char *slurp_path(const char *path, size_t *len)
{
	FILE *fp;
	char *data;
	long n;

	fp = fopen(path, "rb");
	ck_assert_msg(fp != NULL, "cannot open %s", path);
	ck_assert_int_eq(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	ck_assert_int_ge(n, 0);
	rewind(fp);
	data = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(data);
	ck_assert_uint_eq(fread(data, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	data[n] = '\0';
	if (len)
		*len = (size_t)n;
	return data;
}

char *testlib_slurp(size_t *len, const char *fmt, ...)
{
	char path[1024];
	va_list ap;

	va_start(ap, fmt);
	vpath(path, sizeof(path), fmt, ap);
	va_end(ap);
	return slurp_path(path, len);
}

struct store *testlib_store(const char *feed)
{
	struct store *s = NULL;
	struct err err;

	ck_assert_msg(store_open(&s, ":memory:", &err) == 0, "%s", err.msg);
	if (feed)
		ck_assert_msg(store_exec(s, &err,
					 "INSERT INTO feed(name) VALUES (?)",
					 "s", feed) == 1,
			      "feed '%s': %s", feed, err.msg);
	return s;
}

/* The runner's steps before the first document (feeds/run.c). */
static int begin_run(struct feed_run *run, struct store *s,
		     const struct feed_def *def, const char *source,
		     struct err *err)
{
	memset(run, 0, sizeof(*run));
	run->store = s;
	run->def = def;
	run->source = source;
	run->full = true;
	err_clear(err);
	ck_assert_msg(store_begin(s, err) == 0, "%s", err->msg);
	return def->format->begin ? def->format->begin(run, err) : 0;
}

static int parse_doc(struct feed_run *run, const char *name, const char *data,
		     size_t len, struct err *err)
{
	run->documents++;
	return run->def->format->parse(run, name, data, len, err);
}

/* After the last document, or after the failure rc: finish() and commit,
 * or roll back. */
static int end_run(struct feed_run *run, int rc, struct err *err)
{
	const struct feed_format *fmt = run->def->format;

	if (!rc && fmt->finish)
		rc = fmt->finish(run, err);
	if (rc)
		store_rollback(run->store);
	else
		ck_assert_msg(store_commit(run->store, err) == 0, "%s",
			      err->msg);
	free(run->feed_state);
	run->feed_state = NULL;
	return rc;
}

int testlib_feed_doc(struct feed_run *out, struct store *s,
		     const struct feed_def *def, const char *name,
		     const char *data, size_t len, struct err *err)
{
	int rc = begin_run(out, s, def, name, err);

	if (!rc)
		rc = parse_doc(out, name, data, len, err);
	return end_run(out, rc, err);
}

int testlib_feed_files(struct feed_run *out, struct store *s,
		       const struct feed_def *def, const char *dir,
		       const char *const *names, struct err *err)
{
	int rc = begin_run(out, s, def, dir, err);
	size_t i, len;

	for (i = 0; !rc && names[i]; i++) {
		char *data = testlib_slurp(&len, "%s/%s", dir, names[i]);

		rc = parse_doc(out, names[i], data, len, err);
		free(data);
	}
	return end_run(out, rc, err);
}

int testlib_feed_file(struct feed_run *out, struct store *s,
		      const struct feed_def *def, const char *dir,
		      const char *name, struct err *err)
{
	size_t len;
	char *data = testlib_slurp(&len, "%s/%s", dir, name);
	int rc = testlib_feed_doc(out, s, def, name, data, len, err);

	free(data);
	return rc;
}

/* The values to bind: those after sql in sql_values, up to its NULL. */
struct bind {
	size_t n;
	const char *v[TESTLIB_MAX_BIND];
};

static const char *const bind_types[TESTLIB_MAX_BIND + 1] = {
	NULL, "s", "ss", "sss", "ssss",
};

static void bind_collect(struct bind *b, const char *const *sql_values)
{
	const char *const *v;

	memset(b, 0, sizeof(*b));
	for (v = sql_values + 1; *v; v++) {
		ck_assert_msg(b->n < TESTLIB_MAX_BIND,
			      "'%s': more than %d values to bind",
			      sql_values[0], TESTLIB_MAX_BIND);
		b->v[b->n++] = *v;
	}
}

long long testlib_int_of(struct store *s, const char *const *sql_values)
{
	const char *sql = sql_values[0];
	struct bind b;
	struct err err;
	long long n = -1;
	int rc;

	bind_collect(&b, sql_values);
	/* Values past those the types name are not read. */
	rc = store_query_int(s, &n, &err, sql, bind_types[b.n], b.v[0],
			     b.v[1], b.v[2], b.v[3]);
	ck_assert_msg(rc == 0, "%s: %s", sql, err.msg);
	return n;
}

char *testlib_text_of(struct store *s, bool may_miss,
		      const char *const *sql_values)
{
	const char *sql = sql_values[0];
	struct bind b;
	struct err err;
	char *out = NULL;
	int rc;

	bind_collect(&b, sql_values);
	rc = store_query_text(s, &out, &err, sql, bind_types[b.n], b.v[0],
			      b.v[1], b.v[2], b.v[3]);
	if (rc == ERR_NOTFOUND && may_miss)
		return NULL;
	ck_assert_msg(rc == 0, "%s: %s", sql, err.msg);
	return out;
}

int testlib_run(Suite *su)
{
	SRunner *sr = srunner_create(su);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
