/* test_affected.c - unit tests of the affected query (src/affected.c): the
 * answers a user checks with `slipway affected`, over advisories loaded
 * through the real adapters (osv-go, kernel-cna, debian-tracker) from the
 * fixtures in tests/data/feeds/ into a :memory: store. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "affected.h"
#include "feed.h"
#include "kernel_cna.h"
#include "osv.h"
#include "store.h"
#include "testlib.h"

extern const struct feed_format feed_format_debian_tracker;

/* Each feed with its documents (under tests/data/<dir>/, named as the
 * adapter sees them). */
static const struct {
	struct feed_def def;
	const char *dir;
	const char *docs[6];
} feeds[] = {
	{ { .name = "osv-go", .format = &feed_format_osv, .param = "Go" },
	  "feeds/osv/go",
	  { "GO-2024-2491.json", "GO-2025-4096.json", "GO-2025-3528.json",
	    "GO-2025-4100.json", "GO-2024-3005.json" } },
	{ { .name = "kernel-cna", .format = &feed_format_kernel_cna },
	  "feeds/kernel-cna",
	  { "cve/published/2024/CVE-2024-36971.json",
	    "cve/published/2024/CVE-2024-26581.json" } },
	{ { .name = "debian-tracker", .format = &feed_format_debian_tracker },
	  "feeds/debian-tracker",
	  { "containers-assembled.json" } },
};

static struct store *store;

/* Each feed in its own run, as the runner does it. */
static void load(void)
{
	struct err err;
	size_t f;

	store = testlib_store(NULL);
	for (f = 0; f < sizeof(feeds) / sizeof(feeds[0]); f++) {
		struct feed_run run;

		ck_assert_int_eq(store_exec(store, &err,
			"INSERT INTO feed(name) VALUES (?)", "s",
			feeds[f].def.name), 1);
		ck_assert_msg(testlib_feed_files(&run, store, &feeds[f].def,
						 feeds[f].dir, feeds[f].docs,
						 &err) == 0, "%s", err.msg);
		ck_assert_int_eq(run.rejected, 0);
	}
	/* CISA KEV lists CVE-2024-36971 (dateAdded 2024-08-07, the CISA-ADP
	 * "kev" entry of the real record in shared/samples/feeds/cvelistv5/).
	 * The kev adapter replaces the whole table from a catalog and the
	 * stored catalog slice does not hold it, so the row goes in directly. */
	ck_assert_int_eq(store_exec(store, &err,
		"INSERT INTO kev(cve, vendor, product, date_added)"
		" VALUES ('CVE-2024-36971', 'Linux', 'Kernel',"
		" CAST(strftime('%s', '2024-08-07') AS INTEGER))", NULL), 1);
}

static void unload(void)
{
	store_close(store);
	store = NULL;
}

static struct affected_list find(const char *component, const char *eco,
				 const char *version)
{
	struct affected_query q = { component, eco, version };
	struct affected_list list = { 0 };
	struct err err;

	ck_assert_msg(affected_find(&list, store, &q, &err) == 0, "%s", err.msg);
	return list;
}

static const struct affected_item *item(const struct affected_list *l,
					const char *id)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->items[i].id, id))
			return &l->items[i];
	return NULL;
}

START_TEST(runc_upstream_leaky_vessels)
{
	struct affected_list l = find("runc", "upstream", "1.1.11");
	const struct affected_item *it = item(&l, "GO-2024-2491");

	ck_assert_msg(it != NULL, "GO-2024-2491 not reported for runc 1.1.11");
	ck_assert_ptr_nonnull(strstr(it->aliases, "\"CVE-2024-21626\""));
	ck_assert_str_eq(it->fixed, "1.1.12");
	ck_assert_str_eq(it->package, "github.com/opencontainers/runc");
	/* CVE-2025-31133 (GO-2025-4096) also affects 1.1.11: fixed in 1.2.8,
	 * the first fix at or above it. */
	it = item(&l, "GO-2025-4096");
	ck_assert_ptr_nonnull(it);
	ck_assert_str_eq(it->fixed, "1.2.8");
	affected_list_release(&l);

	l = find("runc", "upstream", "1.1.12");
	ck_assert_ptr_null(item(&l, "GO-2024-2491"));
	affected_list_release(&l);
}
END_TEST

START_TEST(runc_debian_backport)
{
	/* DESIGN.md §5: Debian 12 fixed CVE-2024-21626 in
	 * 1.1.5+ds1-1+deb12u1 although upstream fixed it in 1.1.12. */
	struct affected_list l = find("runc", "debian:12", "1.1.5+ds1-1+deb12u1");
	const struct affected_item *it;

	ck_assert_ptr_null(item(&l, "CVE-2024-21626"));
	it = item(&l, "CVE-2025-31133");
	ck_assert_ptr_nonnull(it);
	ck_assert_ptr_null(it->fixed);
	ck_assert_str_eq(it->package, "runc");
	affected_list_release(&l);

	l = find("runc", "debian:12", "1.1.5+ds1-1");
	it = item(&l, "CVE-2024-21626");
	ck_assert_ptr_nonnull(it);
	ck_assert_str_eq(it->fixed, "1.1.5+ds1-1+deb12u1");
	affected_list_release(&l);

	/* The upstream answer for the same numbers differs. */
	l = find("runc", "upstream", "1.1.5");
	ck_assert_ptr_nonnull(item(&l, "GO-2024-2491"));
	affected_list_release(&l);
}
END_TEST

START_TEST(kernel_kev_first)
{
	struct affected_list l = find("kernel", "upstream", "6.1.75");
	const struct affected_item *it;

	ck_assert_uint_ge(l.n, 2);
	/* KEV sorts first. */
	ck_assert_str_eq(l.items[0].id, "CVE-2024-36971");
	ck_assert(l.items[0].kev);
	/* 6.1 branch fix, not 4.19.316 below V nor 6.6.34 above. */
	ck_assert_str_eq(l.items[0].fixed, "6.1.94");
	it = item(&l, "CVE-2024-26581");
	ck_assert_ptr_nonnull(it);
	ck_assert(!it->kev);
	ck_assert_str_eq(it->fixed, "6.1.78");
	ck_assert(it->cvss > 0);
	affected_list_release(&l);

	/* 6.1.94 has the fix of both. */
	l = find("kernel", "upstream", "6.1.94");
	ck_assert_ptr_null(item(&l, "CVE-2024-36971"));
	ck_assert_ptr_null(item(&l, "CVE-2024-26581"));
	affected_list_release(&l);
}
END_TEST

/* GO-2025-3528: containerd fixed 1.6.38 and 1.7.27, containerd/v2 fixed
 * 2.0.4; all three modules are component containerd, ecosystem upstream. */
START_TEST(fixed_is_lowest_fix_at_or_above)
{
	static const struct {
		const char *version;
		const char *fixed;
	} cases[] = {
		{ "1.6.30", "1.6.38" },
		{ "1.7.20", "1.7.27" },
		{ "2.0.0", "2.0.4" },
		/* A pre-release of 1.7: 1.6.38 is below it, 1.7.27 is next. */
		{ "1.7.0-rc.1", "1.7.27" },
	};
	struct affected_list l = find("containerd", "upstream", cases[_i].version);
	const struct affected_item *it = item(&l, "GO-2025-3528");

	ck_assert_msg(it != NULL, "GO-2025-3528 missing for %s", cases[_i].version);
	ck_assert_str_eq(it->fixed, cases[_i].fixed);
	affected_list_release(&l);
}
END_TEST

START_TEST(kev_and_epss_through_aliases)
{
	struct affected_list l;
	const struct affected_item *it;
	struct err err;

	l = find("runc", "upstream", "1.1.11");
	it = item(&l, "GO-2024-2491");
	ck_assert_ptr_nonnull(it);
	if (!it)
		return;
	ck_assert(!it->kev);
	ck_assert(it->epss < 0);
	affected_list_release(&l);
	/* Test rows, not facts: KEV does not list CVE-2024-21626 and the
	 * score is made up. What is checked is that an advisory whose id is
	 * GO-... picks them up through its CVE alias. */
	ck_assert_int_eq(store_exec(store, &err,
		"INSERT INTO kev(cve) VALUES ('CVE-2024-21626')", NULL), 1);
	ck_assert_int_eq(store_exec(store, &err,
		"INSERT INTO epss(cve, score, percentile) VALUES"
		" ('GHSA-xr7r-f8xq-vfvv', 0.25, 0.9), ('CVE-2024-21626', 0.5, 0.99)",
		NULL), 2);
	l = find("runc", "upstream", "1.1.11");
	ck_assert_str_eq(l.items[0].id, "GO-2024-2491");
	ck_assert(l.items[0].kev);
	ck_assert(l.items[0].epss > 0.49 && l.items[0].epss < 0.51);
	affected_list_release(&l);
}
END_TEST

START_TEST(json_answer)
{
	struct affected_query q = { "runc", "debian:12", "1.1.5+ds1-1" };
	struct err err;
	char *json = NULL, *got = NULL;

	ck_assert_int_eq(affected_json(&json, store, &q, &err), 0);
	ck_assert_int_eq(store_query_text(store, &got, &err,
		"SELECT group_concat(json_extract(value, '$.id') || ' '"
		" || json_type(value, '$.kev') || ' '"
		" || coalesce(json_extract(value, '$.fixed'), 'null') || ' '"
		" || json_type(value, '$.aliases') || ' '"
		" || json_extract(value, '$.component') || ' '"
		" || json_extract(value, '$.ecosystem') || ' '"
		" || json_extract(value, '$.package'), '; ')"
		" FROM json_each(?)", "s", json), 0);
	ck_assert_str_eq(got,
		"CVE-2024-21626 false 1.1.5+ds1-1+deb12u1 array runc debian:12 runc; "
		"CVE-2025-31133 false null array runc debian:12 runc");
	free(got);
	free(json);

	/* Every field is there, with its JSON type, even when null. */
	q = (struct affected_query){ "kernel", "upstream", "6.1.75" };
	ck_assert_int_eq(affected_json(&json, store, &q, &err), 0);
	ck_assert_int_eq(store_query_text(store, &got, &err,
		"SELECT (SELECT group_concat(key || ':' || type, ',') FROM"
		" json_each(json_extract(?, '$[0]')))", "s", json), 0);
	ck_assert_str_eq(got,
		"id:text,aliases:array,component:text,ecosystem:text,package:text,"
		"fixed:text,severity:text,cvss:real,kev:true,epss:null,summary:text");
	free(got);
	free(json);
}
END_TEST

START_TEST(nothing_affected)
{
	struct affected_query q = { "runc", "upstream", "1.4.1" };
	struct affected_list l = find("runc", "upstream", "1.4.1");
	struct err err;
	char *json = NULL;

	ck_assert_uint_eq(l.n, 0);
	affected_list_release(&l);
	ck_assert_int_eq(affected_json(&json, store, &q, &err), 0);
	ck_assert_str_eq(json, "[]");
	free(json);
}
END_TEST

START_TEST(bad_queries_are_usage_errors)
{
	static const struct {
		struct affected_query q;
		const char *msg;
	} cases[] = {
		{ { "podman", "upstream", "4.9.3" },
		  "unknown component 'podman' (known: kernel, runc, containerd, docker)" },
		{ { "runc", "upstream", "1.1.x" }, "'1.1.x' is not a valid semver version" },
		{ { "kernel", "upstream", "six" }, "'six' is not a valid kernel version" },
		{ { "runc", "debian:12", "+deb12u1" },
		  "'+deb12u1' is not a valid dpkg version" },
		{ { "runc", "gentoo:2.15", "1.1.12" },
		  "unknown ecosystem 'gentoo:2.15' (upstream, or debian:N, ubuntu:N.N, rhel:N, almalinux:N, rocky:N)" },
		{ { "runc", "debian:", "1.1.12" },
		  "unknown ecosystem 'debian:' (upstream, or debian:N, ubuntu:N.N, rhel:N, almalinux:N, rocky:N)" },
	};
	struct affected_list l = { .items = (void *)&l, .n = 42 };
	struct err err;
	char *json = (char *)"untouched";

	ck_assert_int_eq(affected_find(&l, store, &cases[_i].q, &err), ERR_USAGE);
	ck_assert_str_eq(err.msg, cases[_i].msg);
	/* The out-parameters are untouched on failure. */
	ck_assert_uint_eq(l.n, 42);
	ck_assert_int_eq(affected_json(&json, store, &cases[_i].q, &err), ERR_USAGE);
	ck_assert_str_eq(json, "untouched");
}
END_TEST

static Suite *suite(void)
{
	Suite *su = suite_create("affected");
	TCase *tc = tcase_create("query");

	tcase_add_checked_fixture(tc, load, unload);
	tcase_add_test(tc, runc_upstream_leaky_vessels);
	tcase_add_test(tc, runc_debian_backport);
	tcase_add_test(tc, kernel_kev_first);
	tcase_add_loop_test(tc, fixed_is_lowest_fix_at_or_above, 0, 4);
	tcase_add_test(tc, kev_and_epss_through_aliases);
	tcase_add_test(tc, json_answer);
	tcase_add_test(tc, nothing_affected);
	tcase_add_loop_test(tc, bad_queries_are_usage_errors, 0, 6);
	suite_add_tcase(su, tc);
	return su;
}

int main(void)
{
	return testlib_run(suite());
}
