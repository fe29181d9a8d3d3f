/* testlib.h - the scaffolding the Check unit tests (tests/test_*.c) share:
 * fixtures read from tests/data/, a ":memory:" store with a feed row, one
 * feed run of a format over fixtures the way the runner makes it, queries
 * of one value that fail the test with the SQL and the reason, and main()'s
 * runner. Linked into every unit test (tests/meson.build).
 *
 * Failures: a helper that cannot do its job fails the running test with a
 * Check assertion naming what went wrong, so tests need not check it. The
 * feed-run helpers are the exception: what the adapter under test answers
 * is returned, for the test to assert on.
 *
 * Fixtures live under $SLIPWAY_SOURCE_ROOT/tests/data/ ("." when the
 * variable is unset: meson test sets it).
 *
 * Nothing here calls the feed runner (feeds/run.h): it would link the
 * whole feed table into every test, and an adapter's unit test is meant to
 * link its own format only (feeds/feed.h). Tests of the runner keep their
 * own run_feed() calls. */
#ifndef SLIPWAY_TESTLIB_H
#define SLIPWAY_TESTLIB_H

#include <stdbool.h>
#include <stddef.h>

#include <check.h>

#include "feed.h"
#include "store.h"

/* The most values testlib_int() and testlib_text() bind. */
#define TESTLIB_MAX_BIND 4

/* Writes the path of the fixture named by fmt (printf-style, relative to
 * tests/data/: "feeds/kev/%s") into out, size bytes. Fails the test when
 * it does not fit. */
void testlib_path(char *out, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Reads the fixture named by fmt (as for testlib_path()) into memory.
 * Returns its bytes with a NUL after the last one, allocated: the caller
 * frees them. The length (without the NUL) goes to *len unless len is
 * NULL. Fails the test when the file cannot be read. */
char *testlib_slurp(size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Opens a new ":memory:" store with the current schema. feed, unless NULL,
 * is the name of a row added to the feed table, which adapters and the
 * feed_put_* writers need to store anything for that feed. The caller
 * closes it with store_close(). */
struct store *testlib_store(const char *feed);

/* One feed run of def->format over one document, as the runner makes it
 * (feeds/feed.h): *out is reset to a full run of def on s whose source is
 * name; then, in one transaction, begin() (when the format has one),
 * parse(out, name, data, len), finish() (when it has one) and commit.
 * Returns 0 when committed. Otherwise the first failing step's code, err
 * says why, and the transaction is rolled back: the previous run's data
 * stays. *out keeps the run's counts (records, rejected, first_reject)
 * for the test to check; the feed state the adapter handed over is freed
 * (the runner would store it). A failing store_begin() or store_commit()
 * fails the test. */
int testlib_feed_doc(struct feed_run *out, struct store *s,
		     const struct feed_def *def, const char *name,
		     const char *data, size_t len, struct err *err);

/* testlib_feed_doc() over the fixture tests/data/<dir>/<name>, which the
 * adapter sees as name. */
int testlib_feed_file(struct feed_run *out, struct store *s,
		      const struct feed_def *def, const char *dir,
		      const char *name, struct err *err);

/* One feed run as testlib_feed_doc() over several fixtures in one
 * transaction: tests/data/<dir>/<names[i]> for each name of the
 * NULL-terminated list names, in order, each seen by the adapter as its
 * name; the run's source is dir. Stops at the first failing parse(). */
int testlib_feed_files(struct feed_run *out, struct store *s,
		       const struct feed_def *def, const char *dir,
		       const char *const *names, struct err *err);

/* Queries of one value: testlib_int(s, sql, value...) and the same for
 * testlib_text() and testlib_text_opt(). The values, strings (at most
 * TESTLIB_MAX_BIND; a NULL among them ends them early), are bound to the
 * parameters of sql in order:
 *   n = testlib_int(s, "SELECT count(*) FROM kev WHERE cve = ?", cve);
 * They are macros so that the compiler checks each value is a string; the
 * functions behind them take sql and the values as one NULL-terminated
 * array. Each fails the test, naming the SQL and the database's reason,
 * when the query fails.
 *
 * testlib_int(): the one integer sql yields; fails the test when it
 * yields no row. */
#define testlib_int(s, ...) \
	testlib_int_of((s), (const char *const[]){ __VA_ARGS__, NULL })
long long testlib_int_of(struct store *s, const char *const *sql_values);

/* testlib_text(): the one text value sql yields, as an allocated string
 * the caller frees; NULL for SQL NULL. Fails the test when sql yields no
 * row. testlib_text_opt(): the same for a row that may be missing: NULL
 * then too. */
#define testlib_text(s, ...) \
	testlib_text_of((s), false, (const char *const[]){ __VA_ARGS__, NULL })
#define testlib_text_opt(s, ...) \
	testlib_text_of((s), true, (const char *const[]){ __VA_ARGS__, NULL })
char *testlib_text_of(struct store *s, bool may_miss,
		      const char *const *sql_values);

/* Runs every test of su, printing Check's CK_NORMAL summary ("Checks: N,
 * Failures: ..."), and frees it. Returns main()'s exit status:
 * EXIT_SUCCESS when no test failed, else EXIT_FAILURE. */
int testlib_run(Suite *su);

#endif
