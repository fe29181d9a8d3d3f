/* test_epss.c - unit tests of the EPSS adapter (feeds/epss.c) through the
 * runner, on tests/data/feeds/epss/ (the real daily-file slice of
 * ../shared/samples/feeds/epss/, plain and gzip-compressed as served): the
 * scores and percentiles exact, the model version and score date in the
 * feed state, bad rows rejected by line, a file without a header failing
 * and keeping the previous scores, and a full-size day (250 000 rows)
 * ingested fast. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "feed.h"
#include "run.h"
#include "store.h"
#include "testlib.h"

static struct store *store;
static const struct feed_def *def;

static void setup(void)
{
	store = testlib_store(NULL);
	def = feed_def_find("epss");
	ck_assert_ptr_nonnull(def);
}

static void teardown(void)
{
	store_close(store);
	store = NULL;
}

static int import(const char *path, struct run_result *res, struct err *err)
{
	struct run_source src = { .path = path, .fd = -1 };
	struct run_options opts = { .source = path };

	memset(res, 0, sizeof(*res));
	err_clear(err);
	return run_feed(store, def, &src, 1, &opts, res, err);
}

static int import_fixture(const char *name, struct run_result *res, struct err *err)
{
	char path[1024];

	testlib_path(path, sizeof(path), "feeds/epss/%s", name);
	return import(path, res, err);
}

static double qdouble(const char *sql, const char *cve)
{
	struct store_rows rows = STORE_ROWS_INIT;
	struct err err;
	double v;

	ck_assert_int_eq(store_query(store, &rows, &err, sql, "s", cve), 0);
	ck_assert_int_eq(store_rows_next(&rows), 1);
	v = store_rows_double(&rows, 0);
	store_rows_done(&rows);
	return v;
}

static long long qint(const char *sql)
{
	return testlib_int(store, sql);
}

static void assert_state(const char *model, const char *date)
{
	char *got = testlib_text(store,
		"SELECT json_extract(state, '$.model_version') || ' ' ||"
		" json_extract(state, '$.score_date') FROM feed WHERE name = 'epss'");

	ck_assert_ptr_nonnull(got);
	ck_assert_ptr_nonnull(strstr(got, model));
	ck_assert_ptr_nonnull(strstr(got, date));
	free(got);
}

static void assert_slice(void)
{
	ck_assert_int_eq(qint("SELECT count(*) FROM epss"), 5);
	ck_assert(qdouble("SELECT score FROM epss WHERE cve = ?", "CVE-1999-0001") == 0.00383);
	ck_assert(qdouble("SELECT percentile FROM epss WHERE cve = ?", "CVE-1999-0001") == 0.73075);
	ck_assert(qdouble("SELECT score FROM epss WHERE cve = ?", "CVE-1999-0005") == 0.91963);
	ck_assert(qdouble("SELECT percentile FROM epss WHERE cve = ?", "CVE-1999-0003") == 0.92440);
	assert_state("v2023.03.01", "2025-02-20T00:00:00+0000");
	ck_assert_int_eq(qint("SELECT records FROM feed WHERE name = 'epss'"), 5);
}

START_TEST(daily_slice_csv)
{
	struct run_result res;
	struct err err;

	ck_assert_int_eq(import_fixture("epss_scores-current.slice.csv", &res, &err), 0);
	ck_assert_int_eq(res.rejected, 0);
	assert_slice();
}
END_TEST

START_TEST(daily_slice_csv_gz)
{
	struct run_result res;
	struct err err;

	ck_assert_int_eq(import_fixture("epss_scores-current.slice.csv.gz", &res, &err), 0);
	ck_assert_int_eq(res.rejected, 0);
	assert_slice();
}
END_TEST

START_TEST(bad_rows_rejected_by_line)
{
	struct run_result res;
	struct err err;

	ck_assert_int_eq(import_fixture("bad-rows.csv", &res, &err), 0);
	ck_assert_int_eq(res.records, 2);
	ck_assert_int_eq(res.rejected, 3);
	/* Line 4 is the first bad row: a score above 1. */
	ck_assert_ptr_nonnull(strstr(res.first_reject.msg, "bad-rows.csv': line 4: CVE-1999-0002"));
	ck_assert_ptr_nonnull(strstr(res.first_reject.msg, "'epss'"));
	ck_assert_int_eq(qint("SELECT count(*) FROM epss WHERE cve IN"
			      " ('CVE-1999-0001', 'CVE-1999-0005')"), 2);
}
END_TEST

START_TEST(no_header_fails_and_keeps_previous)
{
	struct run_result res;
	struct err err;

	ck_assert_int_eq(import_fixture("epss_scores-current.slice.csv.gz", &res, &err), 0);
	ck_assert_int_eq(import_fixture("rows-without-header.csv", &res, &err), ERR_PARSE);
	ck_assert_ptr_nonnull(strstr(err.msg, "rows-without-header.csv"));
	ck_assert_ptr_nonnull(strstr(err.msg, "not an EPSS header"));
	assert_slice();
}
END_TEST

START_TEST(full_day_is_fast)
{
	char path[] = "/tmp/slipway-test-epss-XXXXXX";
	struct run_result res;
	struct err err;
	struct timespec t0, t1;
	double secs;
	FILE *fp;
	int fd, i;

	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	fp = fdopen(fd, "w");
	fputs("#model_version:v2023.03.01,score_date:2025-02-20T00:00:00+0000\n"
	      "cve,epss,percentile\n", fp);
	for (i = 0; i < 250000; i++)
		fprintf(fp, "CVE-%d-%04d,0.%05d,0.%05d\n", 1999 + i / 10000, i % 10000,
			(i * 37) % 100000, (i * 91) % 100000);
	fclose(fp);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(import(path, &res, &err), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	unlink(path);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	fprintf(stderr, "epss: 250000 rows in %.2f s\n", secs);
	ck_assert_int_eq(res.records, 250000);
	ck_assert_int_eq(res.rejected, 0);
	/* Row 10001: score 0.(10001 * 37 % 100000) = 0.70037. */
	ck_assert(qdouble("SELECT score FROM epss WHERE cve = ?", "CVE-2000-0001") == 0.70037);
	/* Generous for sanitizer builds; a quadratic parser or a statement
	 * prepared per row takes far longer. */
	ck_assert_msg(secs < 10.0, "250000 rows took %.2f s", secs);
}
END_TEST

static Suite *epss_suite(void)
{
	Suite *s = suite_create("epss");
	TCase *tc = tcase_create("epss");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, daily_slice_csv);
	tcase_add_test(tc, daily_slice_csv_gz);
	tcase_add_test(tc, bad_rows_rejected_by_line);
	tcase_add_test(tc, no_header_fails_and_keeps_previous);
	tcase_add_test(tc, full_day_is_fast);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return testlib_run(epss_suite());
}
