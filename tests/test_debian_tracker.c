/* test_debian_tracker.c - unit tests of the debian-tracker adapter
 * (feeds/debian_tracker.c) on the fixtures of
 * tests/data/feeds/debian-tracker/ (see its README for where each came
 * from): which packages are kept, the dpkg intervals per Debian release,
 * urgency mapping, "0" and [] edge cases, wrong types, and that a broken
 * document leaves the previous run's data. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "feed.h"
#include "store.h"
#include "testlib.h"

extern const struct feed_format feed_format_debian_tracker;

static const struct feed_def def = {
	.name = "debian-tracker",
	.format = &feed_format_debian_tracker,
};

/* Its fixtures, under tests/data/. */
#define FIXTURES "feeds/debian-tracker"

static long long advisories(struct store *s)
{
	return testlib_int(s,
		"SELECT count(*) FROM advisory WHERE feed = 'debian-tracker'");
}

/* The fixed version of a CVE's range in an ecosystem ("" for no fix,
 * NULL for no range). */
static char *fixed_in(struct store *s, const char *cve, const char *eco)
{
	return testlib_text_opt(s,
		"SELECT coalesce(r.fixed, '') FROM affected r"
		" JOIN advisory a USING (aid) WHERE a.id = ? AND r.ecosystem = ?",
		cve, eco);
}

static void assert_fixed(struct store *s, const char *cve, const char *eco,
			 const char *want)
{
	char *got = fixed_in(s, cve, eco);

	if (!want) {
		ck_assert_msg(got == NULL, "%s %s: unexpected range", cve, eco);
		return;
	}
	ck_assert_msg(got != NULL, "%s %s: no range", cve, eco);
	ck_assert_str_eq(got, want);
	free(got);
}

static bool affects(struct store *s, const char *cve, const char *eco,
		    const char *version)
{
	return testlib_int(s,
		"SELECT count(*) FROM affected r JOIN advisory a USING (aid)"
		" WHERE a.id = ? AND r.ecosystem = ?"
		" AND version_affects(r.scheme, r.introduced, r.fixed,"
		"  r.last_affected, r.limit_, ?)",
		cve, eco, version) > 0;
}

START_TEST(real_samples_store_nothing_foreign)
{
	static const char *const files[] = {
		"vunnel-debian.json",
		"osvdev-debian_security_tracker_mock.json",
	};
	struct store *s = testlib_store(def.name);
	struct feed_run run;
	struct err err;

	ck_assert_int_eq(testlib_feed_file(&run, s, &def, FIXTURES, files[_i], &err), 0);
	ck_assert_int_eq(run.records, 0);
	ck_assert_int_eq(run.rejected, 0);
	ck_assert_int_eq(advisories(s), 0);
	store_close(s);
}
END_TEST

START_TEST(assembled_container_packages)
{
	struct store *s = testlib_store(def.name);
	struct feed_run run;
	struct err err;
	char *comp = NULL;

	ck_assert_int_eq(testlib_feed_file(&run, s, &def, FIXTURES,
					   "containers-assembled.json", &err), 0);
	ck_assert_int_eq(run.rejected, 0);
	ck_assert_int_eq(run.records, 6);
	ck_assert_int_eq(advisories(s), 6);

	/* DESIGN.md §5: Debian 12 fixed CVE-2024-21626 by a backport. */
	assert_fixed(s, "CVE-2024-21626", "debian:12", "1.1.5+ds1-1+deb12u1");
	assert_fixed(s, "CVE-2024-21626", "debian:11", "1.0.0~rc93+ds1-5+deb11u3");
	ck_assert(!affects(s, "CVE-2024-21626", "debian:12", "1.1.5+ds1-1+deb12u1"));
	ck_assert(affects(s, "CVE-2024-21626", "debian:12", "1.1.5+ds1-1"));
	ck_assert(!affects(s, "CVE-2024-21626", "debian:12", "1.1.12+ds1-1"));
	ck_assert_int_eq(testlib_int(s,
		"SELECT count(*) FROM affected r JOIN advisory a USING (aid)"
		" WHERE a.id = ? AND r.package = ? AND r.component = 'runc'"
		" AND r.scheme = 'dpkg' AND r.introduced IS NULL",
		"CVE-2024-21626", "runc"), 2);

	/* Open in bookworm: no fix, every version affected. */
	assert_fixed(s, "CVE-2025-31133", "debian:12", "");
	ck_assert(affects(s, "CVE-2025-31133", "debian:12", "1.1.5+ds1-1+deb12u1"));

	/* Source package -> component. */
	comp = testlib_text(s,
		"SELECT DISTINCT r.component FROM affected r JOIN advisory a"
		" USING (aid) WHERE a.id = 'CVE-2023-0179'");
	ck_assert_str_eq(comp, "kernel");
	free(comp);
	comp = testlib_text(s,
		"SELECT DISTINCT r.component || ' ' || r.ecosystem || ' ' || r.package"
		" FROM affected r JOIN advisory a USING (aid)"
		" WHERE a.id = 'CVE-2019-14271'");
	ck_assert_str_eq(comp, "docker debian:10 docker.io");
	free(comp);
	ck_assert(affects(s, "CVE-2022-31030", "debian:11", "1.4.13~ds1-1~deb11u1"));
	ck_assert(!affects(s, "CVE-2022-31030", "debian:11", "1.4.13~ds1-1~deb11u2"));

	/* The CVE id is the advisory id and its own alias. */
	ck_assert_int_eq(testlib_int(s,
		"SELECT count(*) FROM advisory_alias l JOIN advisory a USING (aid)"
		" WHERE l.alias = ? AND a.feed = ?", "CVE-2024-21626",
		"debian-tracker"), 1);
	store_close(s);
}
END_TEST

START_TEST(real_edge_cases)
{
	struct store *s = testlib_store(def.name);
	struct feed_run run;
	struct err err;
	char *sev = NULL;

	ck_assert_int_eq(testlib_feed_file(&run, s, &def, FIXTURES,
					   "real-entries-renamed.json", &err), 0);
	ck_assert_int_eq(run.rejected, 0);
	/* CVE-2007-2383 and CVE-2014-1424 are "0" everywhere and
	 * CVE-2022-0358 has "releases": [] - none of them is stored. */
	ck_assert_int_eq(advisories(s), 4);
	ck_assert_int_eq(testlib_int(s, "SELECT count(*) FROM advisory WHERE id IN (?, ?)"
		" OR id = 'CVE-2022-0358'", "CVE-2007-2383", "CVE-2014-1424"), 0);

	/* "high**": stars stripped; every codename the tracker lists. */
	sev = testlib_text(s,
		"SELECT severity FROM advisory WHERE id = 'CVE-2008-7220'");
	ck_assert_str_eq(sev, "high");
	free(sev);
	assert_fixed(s, "CVE-2008-7220", "debian:8", "1.6.0.2-1");
	assert_fixed(s, "CVE-2008-7220", "debian:9", "1.6.0.2-1");
	assert_fixed(s, "CVE-2008-7220", "debian:10", "1.6.0.2-1");
	assert_fixed(s, "CVE-2008-7220", "debian:sid", "1.6.0.2-1");
	ck_assert_int_eq(testlib_int(s,
		"SELECT count(*) FROM affected r JOIN advisory a USING (aid)"
		" WHERE a.id = ? AND r.severity = ?", "CVE-2008-7220", "high"), 4);
	ck_assert_int_eq(testlib_int(s,
		"SELECT count(*) FROM affected r JOIN advisory a USING (aid)"
		" WHERE a.id = ? AND r.severity = ?", "CVE-2013-1444", "low"), 4);

	/* Open without fixed_version: unfixed; "unimportant" -> none. */
	assert_fixed(s, "CVE-2016-1585", "debian:12", "");
	assert_fixed(s, "CVE-2016-1585", "debian:11", "");
	assert_fixed(s, "CVE-2016-1585", "debian:13", "3.0.12-1");
	ck_assert(affects(s, "CVE-2016-1585", "debian:12", "3.0.8-3"));
	ck_assert(!affects(s, "CVE-2016-1585", "debian:13", "3.0.12-1"));
	sev = testlib_text(s,
		"SELECT severity FROM advisory WHERE id = 'CVE-2016-1585'");
	ck_assert_str_eq(sev, "none");
	free(sev);

	/* end-of-life open releases stay affected with no severity; "not
	 * yet assigned" gives none either. */
	assert_fixed(s, "CVE-2022-0456", "debian:10", "");
	assert_fixed(s, "CVE-2022-0456", "debian:9", "");
	assert_fixed(s, "CVE-2022-0456", "debian:11", "98.0.4758.80-1~deb11u1");
	ck_assert_int_eq(testlib_int(s,
		"SELECT count(*) FROM affected r JOIN advisory a USING (aid)"
		" WHERE a.id = ? AND r.severity IS NOT NULL AND r.package = ?",
		"CVE-2022-0456", "docker.io"), 0);
	sev = testlib_text(s,
		"SELECT coalesce(severity, 'null') FROM advisory"
		" WHERE id = 'CVE-2022-0456'");
	ck_assert_str_eq(sev, "null");
	free(sev);
	store_close(s);
}
END_TEST

START_TEST(broken_document_keeps_previous_run)
{
	static const struct {
		const char *doc;
		const char *msg;
	} cases[] = {
		{ "[]", "'broken.json': not a JSON object" },
		{ "{\"runc\": {", "'broken.json': not valid JSON" },
		{ "\"linux\"", "'broken.json': not a JSON object" },
		{ "", "'broken.json': not valid JSON" },
	};
	struct store *s = testlib_store(def.name);
	struct feed_run run;
	struct err err;

	ck_assert_int_eq(testlib_feed_file(&run, s, &def, FIXTURES,
					   "containers-assembled.json", &err), 0);
	ck_assert_int_eq(advisories(s), 6);
	ck_assert_int_eq(testlib_feed_doc(&run, s, &def, "broken.json",
					  cases[_i].doc, strlen(cases[_i].doc),
					  &err), ERR_PARSE);
	ck_assert_str_eq(err.msg, cases[_i].msg);
	ck_assert_int_eq(advisories(s), 6);
	store_close(s);
}
END_TEST

START_TEST(wrong_types_reject_the_entry)
{
	static const char doc[] =
		"{\"runc\": {"
		"  \"CVE-2024-0001\": {\"releases\": {\"bookworm\": {\"status\": 1}}},"
		"  \"CVE-2024-0002\": \"resolved\","
		"  \"CVE-2024-21626\": {\"description\": \"kept\", \"releases\":"
		"   {\"bookworm\": {\"status\": \"resolved\", \"repositories\":"
		"    {\"bookworm\": \"1.1.5+ds1-1+deb12u1\"},"
		"    \"fixed_version\": \"1.1.5+ds1-1+deb12u1\", \"urgency\": \"high\"}}},"
		"  \"CVE-2024-0003\": {\"releases\": {\"bookworm\": {\"status\":"
		"   \"resolved\", \"fixed_version\": \"not a version\"}}},"
		"  \"CVE-2024-0004\": {\"releases\": {\"bookworm\": {\"status\":"
		"   \"resolved\", \"fixed_version\": 12}}},"
		"  \"CVE-2024-0005\": {\"description\": 5, \"releases\": {}}},"
		" \"containerd\": [1, 2],"
		" \"linux\": {\"CVE-2024-0006\": {\"releases\": \"bookworm\"},"
		"  \"CVE-2024-0007\": {\"releases\": [\"bookworm\"]},"
		"  \"CVE-2024-0008\": {\"releases\": {\"bookworm\": []}},"
		"  \"CVE-2024-0009\": {\"releases\": {\"sid\": \"open\"}}},"
		" \"chromium\": 17}";
	struct store *s = testlib_store(def.name);
	struct feed_run run;
	struct err err;

	ck_assert_int_eq(testlib_feed_doc(&run, s, &def, "types.json", doc,
					  strlen(doc), &err), 0);
	ck_assert_int_eq(run.records, 1);
	ck_assert_int_eq(run.rejected, 10);
	ck_assert_str_eq(run.first_reject.msg,
		"types.json: 'runc' CVE-2024-0001: release 'bookworm': 'status' is not a string");
	ck_assert_int_eq(advisories(s), 1);
	assert_fixed(s, "CVE-2024-21626", "debian:12", "1.1.5+ds1-1+deb12u1");
	store_close(s);
}
END_TEST

/* A tracker-sized document: tens of thousands of foreign packages around
 * the kept ones. Checks that the kept entries come through and prints the
 * time (the real file is ~40 MB). */
START_TEST(large_document)
{
	struct store *s = testlib_store(def.name);
	struct feed_run run;
	struct err err;
	struct buf doc;
	size_t len, i;
	char *kept = testlib_slurp(&len, FIXTURES "/containers-assembled.json");
	struct timespec t0, t1;

	buf_init(&doc, (size_t)128 << 20);
	ck_assert_int_eq(buf_addstr(&doc, "{"), 0);
	for (i = 0; i < 40000; i++)
		ck_assert_int_eq(buf_addf(&doc,
			"\"pkg%zu\": {\"CVE-2020-%zu\": {\"scope\": \"remote\","
			" \"description\": \"%0400d\", \"releases\": {\"bookworm\":"
			" {\"status\": \"resolved\", \"repositories\": {\"bookworm\":"
			" \"1.0-1\"}, \"fixed_version\": \"1.0-1\", \"urgency\":"
			" \"low\"}, \"sid\": {\"status\": \"open\", \"repositories\":"
			" {\"sid\": \"1.0-1\"}, \"urgency\": \"low**\"}}}},",
			i, i, 0), 0);
	/* The kept packages, without the outer braces. */
	ck_assert_int_eq(buf_add(&doc, kept + 1, len - 1), 0);
	ck_assert_int_gt(doc.len, (size_t)20 << 20);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(testlib_feed_doc(&run, s, &def, "big.json", doc.ptr, doc.len, &err), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(stderr, "debian-tracker: %zu MB in %.2f s\n", doc.len >> 20,
		(double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	ck_assert_int_eq(run.records, 6);
	ck_assert_int_eq(advisories(s), 6);
	buf_release(&doc);
	free(kept);
	store_close(s);
}
END_TEST

static Suite *suite(void)
{
	Suite *su = suite_create("debian-tracker");
	TCase *tc = tcase_create("adapter");

	tcase_add_loop_test(tc, real_samples_store_nothing_foreign, 0, 2);
	tcase_add_test(tc, assembled_container_packages);
	tcase_add_test(tc, real_edge_cases);
	tcase_add_loop_test(tc, broken_document_keeps_previous_run, 0, 4);
	tcase_add_test(tc, wrong_types_reject_the_entry);
	tcase_add_test(tc, large_document);
	suite_add_tcase(su, tc);
	return su;
}

int main(void)
{
	return testlib_run(suite());
}
