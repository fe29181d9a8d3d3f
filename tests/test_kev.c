/* test_kev.c - unit tests of the CISA KEV adapter (feeds/kev.c) through
 * the runner, on tests/data/feeds/kev/ (copies of the real catalog slice
 * in ../shared/samples/feeds/kev/): every field stored, dates as unix
 * seconds, the catalog version kept, wrong types rejected one entry at a
 * time, each run a full replace, a broken document keeping the previous
 * catalog. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
	def = feed_def_find("kev");
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

	testlib_path(path, sizeof(path), "feeds/kev/%s", name);
	return import(path, res, err);
}

/* The value sql yields, cve bound to its parameter unless NULL. */
static long long qint(const char *sql, const char *cve)
{
	return testlib_int(store, sql, cve);
}

static void assert_text(const char *sql, const char *cve, const char *want)
{
	char *got = testlib_text(store, sql, cve);

	if (want)
		ck_assert_str_eq(got, want);
	else
		ck_assert_ptr_null(got);
	free(got);
}

START_TEST(catalog_slice_stored)
{
	struct run_result res;
	struct err err;

	ck_assert_int_eq(import_fixture("known_exploited_vulnerabilities.slice.json", &res, &err), 0);
	ck_assert_int_eq(res.records, 3);
	ck_assert_int_eq(res.rejected, 0);
	ck_assert_int_eq(qint("SELECT count(*) FROM kev", NULL), 3);
	assert_text("SELECT vendor FROM kev WHERE cve = ?", "CVE-2025-0108", "Palo Alto Networks");
	assert_text("SELECT product FROM kev WHERE cve = ?", "CVE-2025-0108", "PAN-OS");
	assert_text("SELECT name FROM kev WHERE cve = ?", "CVE-2025-0108",
		    "Palo Alto Networks PAN-OS Authentication Bypass Vulnerability");
	/* 2025-02-18 and 2025-03-11 at 00:00 UTC. */
	ck_assert_int_eq(qint("SELECT date_added FROM kev WHERE cve = ?", "CVE-2025-0108"),
			 1739836800);
	ck_assert_int_eq(qint("SELECT due_date FROM kev WHERE cve = ?", "CVE-2025-0108"),
			 1741651200);
	assert_text("SELECT ransomware FROM kev WHERE cve = ?", "CVE-2024-53704", "Unknown");
	/* Stored as CISA wrote it, trailing space included. */
	assert_text("SELECT vendor FROM kev WHERE cve = ?", "CVE-2024-57727", "SimpleHelp ");
	assert_text("SELECT json_extract(state, '$.catalog_version') FROM feed WHERE name = ?",
		    "kev", "2025.02.19");
	ck_assert_int_eq(qint("SELECT records FROM feed WHERE name = ?", "kev"), 3);
}
END_TEST

START_TEST(wrong_types_rejected_per_entry)
{
	struct run_result res;
	struct err err;

	ck_assert_int_eq(import_fixture("wrong-types.json", &res, &err), 0);
	ck_assert_int_eq(res.records, 1);
	ck_assert_int_eq(res.rejected, 2);
	ck_assert_msg(strstr(res.first_reject.msg, "wrong-types.json: vulnerabilities[1]") ||
		      strstr(res.first_reject.msg, "'wrong-types.json': vulnerabilities[1]"),
		      "first reject: %s", res.first_reject.msg);
	ck_assert_ptr_nonnull(strstr(res.first_reject.msg, "'cveID'"));
	ck_assert_int_eq(qint("SELECT count(*) FROM kev WHERE cve = ?", "CVE-2025-0108"), 1);
	ck_assert_int_eq(qint("SELECT count(*) FROM kev WHERE cve = ?", "CVE-2024-57727"), 0);
	ck_assert_int_eq(qint("SELECT rejected FROM feed WHERE name = ?", "kev"), 2);
}
END_TEST

START_TEST(each_run_replaces_the_catalog)
{
	struct run_result res;
	struct err err;

	ck_assert_int_eq(import_fixture("known_exploited_vulnerabilities.slice.json", &res, &err), 0);
	ck_assert_int_eq(import_fixture("wrong-types.json", &res, &err), 0);
	ck_assert_int_eq(qint("SELECT count(*) FROM kev", NULL), 1);
	ck_assert_int_eq(qint("SELECT count(*) FROM kev WHERE cve = ?", "CVE-2024-53704"), 0);
}
END_TEST

/* Writes the first len bytes of a fixture to a temporary file. */
static void cut_fixture(char *out, size_t size, const char *name, long keep)
{
	char path[1024], buf[8192];
	FILE *in, *fp;
	size_t n;
	int fd;

	testlib_path(path, sizeof(path), "feeds/kev/%s", name);
	snprintf(out, size, "/tmp/slipway-test-kev-XXXXXX");
	fd = mkstemp(out);
	ck_assert_int_ge(fd, 0);
	in = fopen(path, "rb");
	fp = fdopen(fd, "wb");
	ck_assert_ptr_nonnull(in);
	n = fread(buf, 1, sizeof(buf), in);
	ck_assert_uint_gt(n, (size_t)keep);
	ck_assert_int_eq(fwrite(buf, 1, (size_t)keep, fp), keep);
	fclose(in);
	fclose(fp);
}

START_TEST(broken_document_keeps_previous)
{
	struct run_result res;
	struct err err;
	char path[64];
	int rc;

	ck_assert_int_eq(import_fixture("known_exploited_vulnerabilities.slice.json", &res, &err), 0);
	cut_fixture(path, sizeof(path), "known_exploited_vulnerabilities.slice.json", 1500);
	rc = import(path, &res, &err);
	unlink(path);
	ck_assert_int_eq(rc, ERR_PARSE);
	ck_assert_ptr_nonnull(strstr(err.msg, "not valid JSON"));
	ck_assert_ptr_nonnull(strstr(err.msg, "slipway-test-kev-"));
	ck_assert_int_eq(qint("SELECT count(*) FROM kev", NULL), 3);
	ck_assert_int_eq(qint("SELECT records FROM feed WHERE name = ?", "kev"), 3);
	ck_assert_int_eq(qint("SELECT last_error IS NOT NULL FROM feed WHERE name = ?", "kev"), 1);
}
END_TEST

/* A member name that is an object (not JSON, RFC 8259 §4) passes sqlite
 * 3.40's json_valid() and then crashes its json_type(): found by
 * tests/fuzz/fuzz_kev.c, refused before sqlite sees it (src/jsoncheck.h). */
START_TEST(object_name_not_a_string)
{
	struct run_result res;
	struct err err;

	ck_assert_int_eq(import_fixture("known_exploited_vulnerabilities.slice.json", &res, &err), 0);
	ck_assert_int_eq(import_fixture("object-name-not-string.json", &res, &err), ERR_PARSE);
	ck_assert_ptr_nonnull(strstr(err.msg, "object-name-not-string.json"));
	ck_assert_ptr_nonnull(strstr(err.msg, "not valid JSON"));
	ck_assert_int_eq(qint("SELECT count(*) FROM kev", NULL), 3);
}
END_TEST

START_TEST(not_a_catalog)
{
	struct run_result res;
	struct err err;
	char path[1024];

	/* A document of another feed: the EPSS CSV. */
	testlib_path(path, sizeof(path), "feeds/epss/epss_scores-current.slice.csv");
	ck_assert_int_eq(import(path, &res, &err), ERR_PARSE);
	ck_assert_ptr_nonnull(strstr(err.msg, "epss_scores-current.slice.csv"));
	ck_assert_int_eq(qint("SELECT count(*) FROM kev", NULL), 0);
}
END_TEST

static Suite *kev_suite(void)
{
	Suite *s = suite_create("kev");
	TCase *tc = tcase_create("kev");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, catalog_slice_stored);
	tcase_add_test(tc, wrong_types_rejected_per_entry);
	tcase_add_test(tc, each_run_replaces_the_catalog);
	tcase_add_test(tc, broken_document_keeps_previous);
	tcase_add_test(tc, object_name_not_a_string);
	tcase_add_test(tc, not_a_catalog);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return testlib_run(kev_suite());
}
