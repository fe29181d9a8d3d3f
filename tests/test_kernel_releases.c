/* test_kernel_releases.c - unit tests of the kernel-releases adapter
 * (feeds/kernel_releases.c) on tests/data/feeds/kernel-releases/: newest
 * release per branch, iseol, linux-next skipped, wrong types rejected by
 * index, a broken document keeping the previous run. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "feed.h"
#include "store.h"
#include "testlib.h"

/* Its fixtures, under tests/data/. */
#define FIXTURES "feeds/kernel-releases"

extern const struct feed_format feed_format_kernel_releases;

static const struct feed_def def = {
	.name = "kernel-releases",
	.format = &feed_format_kernel_releases,
};

/* "version moniker iseol released" of a branch, NULL without a row. */
static char *row(struct store *s, const char *branch)
{
	return testlib_text_opt(s,
		"SELECT version || ' ' || moniker || ' ' || iseol || ' '"
		" || coalesce(released, 'null') FROM upstream_release"
		" WHERE component = 'kernel' AND branch = ? AND feed = ?",
		branch, def.name);
}

static void assert_row(struct store *s, const char *branch, const char *want)
{
	char *got = row(s, branch);

	ck_assert_msg(got != NULL, "no row for %s", branch);
	ck_assert_str_eq(got, want);
	free(got);
}

static long long rows(struct store *s)
{
	return testlib_int(s, "SELECT count(*) FROM upstream_release");
}

START_TEST(real_excerpt_newest_per_branch)
{
	struct store *s = testlib_store(def.name);
	struct feed_run run;
	struct err err;

	ck_assert_int_eq(testlib_feed_file(&run, s, &def, FIXTURES,
					   "releases.2020-12-14.excerpt.json",
					   &err), 0);
	ck_assert_int_eq(run.rejected, 0);
	/* mainline 5.10 and stable 5.10.1: one branch, the newer wins. */
	ck_assert_int_eq(rows(s), 1);
	assert_row(s, "5.10", "5.10.1 stable 0 1607970794");
	store_close(s);
}
END_TEST

START_TEST(eol_and_linux_next)
{
	struct store *s = testlib_store(def.name);
	struct feed_run run;
	struct err err;
	char *next;

	ck_assert_int_eq(testlib_feed_file(&run, s, &def, FIXTURES,
					   "releases.eol-and-next.json",
					   &err), 0);
	ck_assert_int_eq(run.rejected, 0);
	ck_assert_int_eq(rows(s), 2);
	assert_row(s, "5.10", "5.10.1 stable 0 1607970794");
	assert_row(s, "4.4", "4.4.302 longterm 1 1644059400");
	next = row(s, "next-20201214");
	ck_assert_ptr_null(next);
	store_close(s);
}
END_TEST

START_TEST(full_replace_per_run)
{
	static const char doc[] =
		"{\"releases\": [{\"iseol\": false, \"version\": \"6.1.75\","
		" \"moniker\": \"longterm\", \"released\": {\"isodate\": \"2024-01-31\"}}]}";
	struct store *s = testlib_store(def.name);
	struct feed_run run;
	struct err err;

	ck_assert_int_eq(testlib_feed_file(&run, s, &def, FIXTURES,
					   "releases.eol-and-next.json",
					   &err), 0);
	ck_assert_int_eq(rows(s), 2);
	ck_assert_int_eq(testlib_feed_doc(&run, s, &def, "releases.json", doc,
					  strlen(doc), &err), 0);
	ck_assert_int_eq(rows(s), 1);
	/* Without a timestamp the isodate gives midnight UTC. */
	assert_row(s, "6.1", "6.1.75 longterm 0 1706659200");
	store_close(s);
}
END_TEST

START_TEST(wrong_types_rejected_by_index)
{
	static const char doc[] =
		"{\"releases\": ["
		" {\"iseol\": false, \"version\": \"6.6.14\", \"moniker\": \"stable\"},"
		" \"6.1.75\","
		" {\"iseol\": \"no\", \"version\": \"6.1.75\", \"moniker\": \"longterm\"},"
		" {\"iseol\": false, \"version\": 6.1, \"moniker\": \"longterm\"},"
		" {\"iseol\": false, \"version\": \"6.1.75\", \"moniker\": 3},"
		" {\"iseol\": false, \"version\": \"banana\", \"moniker\": \"stable\"},"
		" {\"iseol\": false, \"version\": \"6.1.75\", \"moniker\": \"longterm\","
		"  \"released\": {\"timestamp\": \"soon\"}},"
		" {\"version\": \"next-20240201\", \"moniker\": \"linux-next\"}]}";
	struct store *s = testlib_store(def.name);
	struct feed_run run;
	struct err err;

	ck_assert_msg(testlib_feed_doc(&run, s, &def, "releases.json", doc,
				       strlen(doc), &err) == 0,
		      "%s", err.msg);
	ck_assert_int_eq(run.records, 1);
	ck_assert_int_eq(run.rejected, 6);
	ck_assert_str_eq(run.first_reject.msg,
			 "releases.json: releases[1] is not an object");
	assert_row(s, "6.6", "6.6.14 stable 0 null");
	store_close(s);
}
END_TEST

START_TEST(broken_document_keeps_previous_run)
{
	static const struct {
		const char *doc;
		const char *msg;
	} cases[] = {
		{ "[]", "'releases.json': not a JSON object" },
		{ "{\"releases\": {}}", "'releases.json': 'releases' is not an array" },
		{ "{\"latest_stable\": {\"version\": \"5.10.1\"}}",
		  "'releases.json': 'releases' is not an array" },
		{ "{\"releases\": [", "'releases.json': not valid JSON" },
	};
	struct store *s = testlib_store(def.name);
	struct feed_run run;
	struct err err;

	ck_assert_int_eq(testlib_feed_file(&run, s, &def, FIXTURES,
					   "releases.eol-and-next.json",
					   &err), 0);
	ck_assert_int_eq(testlib_feed_doc(&run, s, &def, "releases.json",
					  cases[_i].doc, strlen(cases[_i].doc),
					  &err), ERR_PARSE);
	ck_assert_str_eq(err.msg, cases[_i].msg);
	ck_assert_int_eq(rows(s), 2);
	store_close(s);
}
END_TEST

static Suite *suite(void)
{
	Suite *su = suite_create("kernel-releases");
	TCase *tc = tcase_create("adapter");

	tcase_add_test(tc, real_excerpt_newest_per_branch);
	tcase_add_test(tc, eol_and_linux_next);
	tcase_add_test(tc, full_replace_per_run);
	tcase_add_test(tc, wrong_types_rejected_by_index);
	tcase_add_loop_test(tc, broken_document_keeps_previous_run, 0, 4);
	suite_add_tcase(su, tc);
	return su;
}

int main(void)
{
	return testlib_run(suite());
}
