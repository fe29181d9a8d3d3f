/* test_kernel_releases.c - unit tests of the kernel-releases adapter
 * (feeds/kernel_releases.c) on tests/data/feeds/kernel-releases/: newest
 * release per branch, iseol, linux-next skipped, wrong types rejected by
 * index, a broken document keeping the previous run. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed.h"
#include "store.h"

#define FIXTURE_DIR "kernel-releases"

extern const struct feed_format feed_format_kernel_releases;

static const struct feed_def def = {
	.name = "kernel-releases",
	.format = &feed_format_kernel_releases,
};

static char *slurp(const char *name, size_t *len)
{
	const char *root = getenv("SLIPWAY_SOURCE_ROOT");
	char path[1024];
	FILE *fp;
	char *data;
	long n;

	snprintf(path, sizeof(path), "%s/tests/data/feeds/" FIXTURE_DIR "/%s",
		 root ? root : ".", name);
	fp = fopen(path, "rb");
	ck_assert_msg(fp != NULL, "cannot open %s", path);
	ck_assert_int_eq(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	rewind(fp);
	data = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(data);
	ck_assert_int_eq(fread(data, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	data[n] = '\0';
	*len = (size_t)n;
	return data;
}

static struct store *open_store(void)
{
	struct store *s = NULL;
	struct err err;

	ck_assert_int_eq(store_open(&s, ":memory:", &err), 0);
	ck_assert_int_eq(store_exec(s, &err, "INSERT INTO feed(name) VALUES (?)",
				    "s", def.name), 1);
	return s;
}

/* One feed run over one document, as the runner does it: a transaction,
 * begin(), parse(), commit; rolled back when parse() fails. */
static int run_doc(struct store *s, struct feed_run *run, const char *name,
		   const char *data, size_t len, struct err *err)
{
	int rc;

	memset(run, 0, sizeof(*run));
	run->store = s;
	run->def = &def;
	run->source = name;
	run->full = true;
	err_clear(err);
	ck_assert_int_eq(store_begin(s, err), 0);
	rc = def.format->begin(run, err);
	if (!rc)
		rc = def.format->parse(run, name, data, len, err);
	if (rc)
		store_rollback(s);
	else
		ck_assert_int_eq(store_commit(s, err), 0);
	return rc;
}

static int run_file(struct store *s, struct feed_run *run, const char *name,
		    struct err *err)
{
	size_t len;
	char *data = slurp(name, &len);
	int rc = run_doc(s, run, name, data, len, err);

	free(data);
	return rc;
}
/* "version moniker iseol released" of a branch, NULL without a row. */
static char *row(struct store *s, const char *branch)
{
	char *out = NULL;
	struct err err;
	int rc = store_query_text(s, &out, &err,
		"SELECT version || ' ' || moniker || ' ' || iseol || ' '"
		" || coalesce(released, 'null') FROM upstream_release"
		" WHERE component = 'kernel' AND branch = ? AND feed = ?",
		"ss", branch, def.name);

	if (rc == ERR_NOTFOUND)
		return NULL;
	ck_assert_int_eq(rc, 0);
	return out;
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
	long long n = -1;
	struct err err;

	ck_assert_int_eq(store_query_int(s, &n, &err,
		"SELECT count(*) FROM upstream_release", NULL), 0);
	return n;
}

START_TEST(real_excerpt_newest_per_branch)
{
	struct store *s = open_store();
	struct feed_run run;
	struct err err;

	ck_assert_int_eq(run_file(s, &run, "releases.2020-12-14.excerpt.json", &err), 0);
	ck_assert_int_eq(run.rejected, 0);
	/* mainline 5.10 and stable 5.10.1: one branch, the newer wins. */
	ck_assert_int_eq(rows(s), 1);
	assert_row(s, "5.10", "5.10.1 stable 0 1607970794");
	store_close(s);
}
END_TEST

START_TEST(eol_and_linux_next)
{
	struct store *s = open_store();
	struct feed_run run;
	struct err err;
	char *next;

	ck_assert_int_eq(run_file(s, &run, "releases.eol-and-next.json", &err), 0);
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
	struct store *s = open_store();
	struct feed_run run;
	struct err err;

	ck_assert_int_eq(run_file(s, &run, "releases.eol-and-next.json", &err), 0);
	ck_assert_int_eq(rows(s), 2);
	ck_assert_int_eq(run_doc(s, &run, "releases.json", doc, strlen(doc), &err), 0);
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
	struct store *s = open_store();
	struct feed_run run;
	struct err err;

	ck_assert_msg(run_doc(s, &run, "releases.json", doc, strlen(doc), &err) == 0,
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
	struct store *s = open_store();
	struct feed_run run;
	struct err err;

	ck_assert_int_eq(run_file(s, &run, "releases.eol-and-next.json", &err), 0);
	ck_assert_int_eq(run_doc(s, &run, "releases.json", cases[_i].doc,
				 strlen(cases[_i].doc), &err), ERR_PARSE);
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
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
