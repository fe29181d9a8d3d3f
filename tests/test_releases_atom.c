/* test_releases_atom.c - unit tests of the releases-* adapters
 * (feeds/releases_atom.c) on tests/data/feeds/releases-atom/: the newest
 * release per branch from GitHub's releases.atom, pre-releases, moby's
 * docker-v tags, RFC 3339 offsets, and the hardened XML parsing (billion
 * laughs, an external entity, broken XML: one error line, nothing
 * stored, nothing expanded). */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "feed.h"
#include "store.h"
#include "testlib.h"

/* Its fixtures, under tests/data/. */
#define FIXTURES "feeds/releases-atom"

extern const struct feed_format feed_format_releases_atom;

static const struct feed_def defs[] = {
	{ .name = "releases-runc", .format = &feed_format_releases_atom,
	  .param = "runc" },
	{ .name = "releases-moby", .format = &feed_format_releases_atom,
	  .param = "docker" },
	{ .name = "releases-containerd", .format = &feed_format_releases_atom,
	  .param = "containerd" },
};
/* The feed a test runs, one of defs (open_feed()). */
static const struct feed_def *def;

static struct store *open_feed(int which)
{
	struct store *s;
	struct err err;
	size_t i;

	def = &defs[which];
	s = testlib_store(def->name);
	for (i = 0; i < sizeof(defs) / sizeof(defs[0]); i++)
		if (strcmp(defs[i].name, def->name))
			ck_assert_int_eq(store_exec(s, &err,
				"INSERT INTO feed(name) VALUES (?)", "s",
				defs[i].name), 1);
	return s;
}

/* "version moniker released" of a component's branch, NULL without. */
static char *row(struct store *s, const char *component, const char *branch)
{
	return testlib_text_opt(s,
		"SELECT version || ' ' || moniker || ' ' || coalesce(released, 'null')"
		" FROM upstream_release WHERE component = ? AND branch = ?",
		component, branch);
}

static void assert_row(struct store *s, const char *component,
		       const char *branch, const char *want)
{
	char *got = row(s, component, branch);

	ck_assert_msg(got != NULL, "no row for %s %s", component, branch);
	ck_assert_str_eq(got, want);
	free(got);
}

static long long rows(struct store *s)
{
	return testlib_int(s, "SELECT count(*) FROM upstream_release");
}

START_TEST(runc_newest_per_branch)
{
	struct store *s = open_feed(0);
	struct feed_run run;
	struct err err;

	ck_assert_int_eq(testlib_feed_file(&run, s, def, FIXTURES,
					   "runc.releases.atom", &err), 0);
	ck_assert_int_eq(run.rejected, 0);
	ck_assert_int_eq(run.records, 8);
	ck_assert_int_eq(rows(s), 4);
	/* 2026-03-12T00:00:00Z = 1773273600 */
	assert_row(s, "runc", "1.4", "1.4.1 release 1773273600");
	assert_row(s, "runc", "1.3", "1.3.4 release 1764201600");
	assert_row(s, "runc", "1.2", "1.2.9 release 1764201600");
	/* 1.4.0-rc.3 lost to 1.4.0 and 1.4.1; 1.5 has only a pre-release. */
	assert_row(s, "runc", "1.5", "1.5.0-rc.1 prerelease 1773273600");
	store_close(s);
}
END_TEST

START_TEST(moby_docker_v_tags)
{
	struct store *s = open_feed(1);
	struct feed_run run;
	struct err err;

	ck_assert_int_eq(testlib_feed_file(&run, s, def, FIXTURES,
					   "moby.releases.atom", &err), 0);
	ck_assert_int_eq(run.rejected, 0);
	ck_assert_int_eq(rows(s), 2);
	assert_row(s, "docker", "29.1", "29.1.1 release 1764288000");
	assert_row(s, "docker", "29.0", "29.0.3 release 1763942400");
	store_close(s);
}
END_TEST

START_TEST(containerd_three_branches)
{
	struct store *s = open_feed(2);
	struct feed_run run;
	struct err err;

	ck_assert_int_eq(testlib_feed_file(&run, s, def, FIXTURES,
					   "containerd.releases.atom",
					   &err), 0);
	ck_assert_int_eq(rows(s), 3);
	assert_row(s, "containerd", "2.2", "2.2.0 release 1762392854");
	assert_row(s, "containerd", "2.1", "2.1.5 release 1762390226");
	assert_row(s, "containerd", "1.7", "1.7.29 release 1762380934");
	store_close(s);
}
END_TEST

/* The real GitHub feed: numeric offsets, a tag without 'v'. */
START_TEST(real_github_structure)
{
	struct store *s = open_feed(0);
	struct feed_run run;
	struct err err;

	ck_assert_int_eq(testlib_feed_file(&run, s, def, FIXTURES,
					   "feed-rs.github-real.atom",
					   &err), 0);
	ck_assert_int_eq(run.rejected, 0);
	ck_assert_int_eq(rows(s), 2);
	/* 2020-01-19T16:08:59+11:00 = 2020-01-19T05:08:59Z */
	assert_row(s, "runc", "0.2", "0.2.0 release 1579410539");
	assert_row(s, "runc", "0.1", "0.1.3 release 1499428066");
	store_close(s);
}
END_TEST

/* Rows persist across runs and only move forward: an older feed (the
 * window of ten entries scrolled) neither removes nor downgrades. */
START_TEST(rows_only_move_forward)
{
	static const char older[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
		"<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry>"
		"<id>tag:github.com,2008:Repository/36960321/v1.4.0</id>"
		"<updated>2025-11-27T00:00:00Z</updated>"
		"<link rel=\"alternate\" type=\"text/html\""
		" href=\"https://github.com/opencontainers/runc/releases/tag/v1.4.0\"/>"
		"<title>v1.4.0</title></entry><entry>"
		"<id>tag:github.com,2008:Repository/36960321/v1.2.8</id>"
		"<updated>2025-11-05T00:00:00Z</updated>"
		"<title>v1.2.8</title></entry></feed>";
	struct store *s = open_feed(0);
	struct feed_run run;
	struct err err;

	ck_assert_int_eq(testlib_feed_file(&run, s, def, FIXTURES,
					   "runc.releases.atom", &err), 0);
	ck_assert_int_eq(testlib_feed_doc(&run, s, def, "releases.atom", older,
					  strlen(older), &err), 0);
	/* The second entry has no link: the tag came from the id. */
	ck_assert_int_eq(run.records, 2);
	ck_assert_int_eq(rows(s), 4);
	assert_row(s, "runc", "1.4", "1.4.1 release 1773273600");
	assert_row(s, "runc", "1.2", "1.2.9 release 1764201600");
	store_close(s);
}
END_TEST

START_TEST(tags_that_are_not_releases)
{
	static const char doc[] =
		"<feed xmlns=\"http://www.w3.org/2005/Atom\">"
		"<entry><link href=\"https://github.com/moby/moby/releases/tag/api/v1.52.0\"/></entry>"
		"<entry><link href=\"https://github.com/moby/moby/releases/tag/nightly\"/></entry>"
		"<entry><title>no link, no id</title></entry>"
		"<entry><link rel=\"alternate\" href=\"https://github.com/moby/moby/releases/tag/docker-v29.1.1\"/>"
		"<updated>not a date</updated></entry>"
		"<other><entry><link href=\"https://github.com/moby/moby/releases/tag/v99.0.0\"/></entry></other>"
		"</feed>";
	struct store *s = open_feed(1);
	struct feed_run run;
	struct err err;

	ck_assert_int_eq(testlib_feed_doc(&run, s, def, "releases.atom", doc,
					  strlen(doc), &err), 0);
	ck_assert_int_eq(run.records, 1);
	ck_assert_int_eq(run.rejected, 1);
	ck_assert_str_eq(run.first_reject.msg,
			 "releases.atom: entry 3: no release tag in 'link' or 'id'");
	ck_assert_int_eq(rows(s), 1);
	assert_row(s, "docker", "29.1", "29.1.1 release null");
	store_close(s);
}
END_TEST

START_TEST(hostile_and_broken_documents)
{
	static const struct {
		const char *file;
		const char *msg_start;
	} cases[] = {
		{ "billion-laughs.atom", "'billion-laughs.atom': " },
		{ "xxe-file-passwd.atom", "'xxe-file-passwd.atom': has a DOCTYPE" },
		{ "broken.truncated.atom", "'broken.truncated.atom': not well-formed XML: line " },
	};
	struct store *s = open_feed(0);
	struct feed_run run;
	struct err err;
	struct timespec t0, t1;
	long long n = -1;

	ck_assert_int_eq(testlib_feed_file(&run, s, def, FIXTURES,
					   "runc.releases.atom", &err), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(testlib_feed_file(&run, s, def, FIXTURES,
					   cases[_i].file, &err), ERR_PARSE);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert_msg(!strncmp(err.msg, cases[_i].msg_start,
			       strlen(cases[_i].msg_start)), "%s", err.msg);
	/* One line, nothing of /etc/passwd, no laughs. */
	ck_assert_ptr_null(strchr(err.msg, '\n'));
	ck_assert_ptr_null(strstr(err.msg, "root:"));
	ck_assert_ptr_null(strstr(err.msg, "lollol"));
	ck_assert_int_lt(t1.tv_sec - t0.tv_sec, 5);
	/* The earlier run's rows are intact; nothing of the attack stored. */
	ck_assert_int_eq(rows(s), 4);
	assert_row(s, "runc", "1.4", "1.4.1 release 1773273600");
	ck_assert_int_eq(store_query_int(s, &n, &err,
		"SELECT count(*) FROM upstream_release WHERE version LIKE '%lol%'"
		" OR version LIKE '%root%'", NULL), 0);
	ck_assert_int_eq(n, 0);
	store_close(s);
}
END_TEST

START_TEST(not_an_atom_feed)
{
	static const char *const docs[] = {
		"<rss version=\"2.0\"><channel><title>x</title></channel></rss>",
		"<feed><entry/></feed>",
		"",
		"{\"releases\": []}",
	};
	struct store *s = open_feed(2);
	struct feed_run run;
	struct err err;

	ck_assert_int_eq(testlib_feed_doc(&run, s, def, "releases.atom",
					  docs[_i], strlen(docs[_i]), &err),
			 ERR_PARSE);
	ck_assert_msg(!strncmp(err.msg, "'releases.atom': not ", 21), "%s", err.msg);
	ck_assert_int_eq(rows(s), 0);
	store_close(s);
}
END_TEST

static Suite *suite(void)
{
	Suite *su = suite_create("releases-atom");
	TCase *tc = tcase_create("adapter");

	tcase_add_test(tc, runc_newest_per_branch);
	tcase_add_test(tc, moby_docker_v_tags);
	tcase_add_test(tc, containerd_three_branches);
	tcase_add_test(tc, real_github_structure);
	tcase_add_test(tc, rows_only_move_forward);
	tcase_add_test(tc, tags_that_are_not_releases);
	tcase_add_loop_test(tc, hostile_and_broken_documents, 0, 3);
	tcase_add_loop_test(tc, not_an_atom_feed, 0, 4);
	suite_add_tcase(su, tc);
	return su;
}

int main(void)
{
	return testlib_run(suite());
}
