/* test_feed.c - unit tests of the writers shared by every feed adapter:
 * package -> component mapping, advisory replacement with its aliases and
 * ranges, and record rejection. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "feed.h"
#include "store.h"
#include "testlib.h"

static const struct {
	const char *package;
	const char *component;
} components[] = {
	{ "linux", "kernel" },
	{ "Kernel", "kernel" },
	{ "linux-image-6.1.0-18-amd64", "kernel" },
	{ "linux-signed-amd64", "kernel" },
	{ "linux-aws", "kernel" },
	{ "linux-azure-6.5", "kernel" },
	{ "linux-hwe-6.8", "kernel" },
	{ "linux-oem-6.1", "kernel" },
	{ "linux-lowlatency", "kernel" },
	{ "kernel-core", "kernel" },
	{ "linux-firmware", NULL },
	{ "linux-libc-dev", NULL },
	{ "linux-base", NULL },
	{ "linux-meta-aws", NULL },
	{ "linux-tools-common", NULL },
	{ "linux-headers-6.1.0-18-amd64", NULL },
	{ "linuxdoc-tools", NULL },
	{ "runc", "runc" },
	{ "runc-app", "runc" },
	{ "github.com/opencontainers/runc", "runc" },
	{ "containerd.io", "containerd" },
	{ "github.com/containerd/containerd/v2", "containerd" },
	{ "docker.io", "docker" },
	{ "docker.io-app", "docker" },
	{ "docker-ce", "docker" },
	{ "github.com/moby/moby/v2", "docker" },
	{ "github.com/docker/docker", "docker" },
	{ "podman", "podman" },
	{ "golang-github-opencontainers-runc-dev", NULL },
	{ "github.com/opencontainers/selinux", NULL },
	{ "apparmor", NULL },
	{ "", NULL },
};

START_TEST(component_of_package)
{
	const char *got = feed_component_of(components[_i].package);

	if (!components[_i].component)
		ck_assert_msg(got == NULL, "%s -> %s", components[_i].package, got);
	else
		ck_assert_msg(got && !strcmp(got, components[_i].component),
			      "%s -> %s", components[_i].package, got ? got : "NULL");
}
END_TEST

static const struct feed_def test_def = { .name = "osv-go", .summary = "test" };

START_TEST(put_replaces_advisory_with_ranges_and_aliases)
{
	struct store *s = testlib_store(test_def.name);
	struct feed_run run = { .store = s, .def = &test_def };
	struct feed_advisory adv = {
		.id = "GO-2024-2491",
		.aliases_json = "[\"CVE-2024-21626\",\"GHSA-xr7r-f8xq-vfvv\"]",
		.summary = "Container breakout through process.cwd trickery",
		.severity = "high", .cvss_score = 8.6, .published = 1706745600,
		.modified = -1, .withdrawn = -1,
	};
	struct feed_range r = {
		.component = "runc", .ecosystem = "upstream",
		.package = "github.com/opencontainers/runc", .scheme = "semver",
		.introduced = "0", .fixed = "1.1.12",
	};
	struct err err;
	long long aid = 0, n = -1;
	char *txt = NULL;

	ck_assert_int_eq(feed_put_advisory(&run, &aid, &adv, &err), 0);
	ck_assert_int_eq(feed_put_range(&run, aid, &r, &err), 0);
	ck_assert_int_eq(store_query_int(s, &n, &err,
		"SELECT count(*) FROM affected WHERE introduced IS NULL AND fixed = '1.1.12'", NULL), 0);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(store_query_int(s, &n, &err,
		"SELECT count(*) FROM advisory_alias WHERE aid = ?", "i", aid), 0);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(store_query_text(s, &txt, &err,
		"SELECT a.id FROM advisory a JOIN advisory_alias l USING (aid)"
		" WHERE l.alias = 'CVE-2024-21626'", NULL), 0);
	ck_assert_str_eq(txt, "GO-2024-2491");
	free(txt);

	/* The same id again replaces: one advisory, the new ranges only. */
	r.fixed = "1.1.13";
	adv.aliases_json = "not json";
	ck_assert_int_eq(feed_put_advisory(&run, &aid, &adv, &err), 0);
	ck_assert_int_eq(feed_put_range(&run, aid, &r, &err), 0);
	ck_assert_int_eq(store_query_int(s, &n, &err, "SELECT count(*) FROM advisory", NULL), 0);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(store_query_int(s, &n, &err, "SELECT count(*) FROM affected", NULL), 0);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(store_query_int(s, &n, &err, "SELECT count(*) FROM advisory_alias", NULL), 0);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(run.records, 2);

	ck_assert_int_eq(feed_delete_advisory(&run, "GO-2024-2491", &err), 0);
	ck_assert_int_eq(store_query_int(s, &n, &err, "SELECT count(*) FROM affected", NULL), 0);
	ck_assert_int_eq(n, 0);
	store_close(s);
}
END_TEST

START_TEST(advisory_without_id_is_refused)
{
	struct store *s = testlib_store(test_def.name);
	struct feed_run run = { .store = s, .def = &test_def };
	struct feed_advisory adv = { .id = "", .cvss_score = -1, .published = -1,
				     .modified = -1, .withdrawn = -1 };
	struct err err;
	long long aid = 77;

	ck_assert_int_eq(feed_put_advisory(&run, &aid, &adv, &err), ERR_PARSE);
	ck_assert_int_eq(aid, 77);
	ck_assert_str_eq(err.msg, "advisory without an id");
	store_close(s);
}
END_TEST

START_TEST(reject_keeps_the_first_message)
{
	struct feed_run run = { .def = &test_def };

	ck_assert_int_eq(feed_reject(&run, "%s: bad '%s'", "a.json", "affected"), 0);
	ck_assert_int_eq(feed_reject(&run, "%s: bad '%s'", "b.json", "ranges"), 0);
	ck_assert_int_eq(run.rejected, 2);
	ck_assert_str_eq(run.first_reject.msg, "a.json: bad 'affected'");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("feed");
	TCase *tc = tcase_create("feed");

	tcase_add_loop_test(tc, component_of_package, 0,
			    sizeof(components) / sizeof(components[0]));
	tcase_add_test(tc, put_replaces_advisory_with_ranges_and_aliases);
	tcase_add_test(tc, advisory_without_id_is_refused);
	tcase_add_test(tc, reject_keeps_the_first_message);
	suite_add_tcase(s, tc);
	return testlib_run(s);
}
