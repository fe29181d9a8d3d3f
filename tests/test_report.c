/* test_report.c - unit tests of the host report importer (report.h): bad
 * reports are refused with one exact line and leave the store as it was;
 * good reports built from the real engine answers (tests/data/reports/,
 * made by build-fixtures.py from ../shared/samples/engine) land in the
 * host, host_snapshot, package, container and image tables as a user of
 * `slipway hosts` and `slipway containers` would check them. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"
#include "store.h"
#include "xalloc.h"

#define SRC "reports/web-1.json"

static char *fixture_path(const char *name)
{
	const char *root = getenv("SLIPWAY_SOURCE_ROOT");
	size_t n = strlen(root ? root : ".") + strlen(name) + 32;
	char *p = xmalloc(n);

	snprintf(p, n, "%s/tests/data/reports/%s", root ? root : ".", name);
	return p;
}

static char *read_fixture(const char *name, size_t *len)
{
	char *path = fixture_path(name);
	FILE *fp = fopen(path, "rb");
	char *data;
	long n;

	ck_assert_msg(fp != NULL, "cannot open %s", path);
	ck_assert_int_eq(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	ck_assert_int_ge(n, 0);
	rewind(fp);
	data = xmalloc((size_t)n + 1);
	ck_assert_uint_eq(fread(data, 1, (size_t)n, fp), (size_t)n);
	data[n] = '\0';
	fclose(fp);
	free(path);
	*len = (size_t)n;
	return data;
}

static struct store *open_store(void)
{
	struct store *s = NULL;
	struct err err;

	ck_assert_int_eq(store_open(&s, ":memory:", &err), 0);
	return s;
}

static long long qint(struct store *s, const char *sql, const char *arg)
{
	long long v = -12345;
	struct err err;

	ck_assert_msg(store_query_int(s, &v, &err, sql, "s", arg) == 0, "%s: %s",
		      sql, err.msg);
	return v;
}

static char *qtext(struct store *s, const char *sql, const char *arg)
{
	char *v = NULL;
	struct err err;

	ck_assert_msg(store_query_text(s, &v, &err, sql, "s", arg) == 0, "%s: %s",
		      sql, err.msg);
	return v;
}

#define ASSERT_TEXT(s, sql, arg, want)                                      \
	do {                                                                \
		char *got_ = qtext(s, sql, arg);                            \
		ck_assert_msg(got_ && !strcmp(got_, want), "%s [%s]: got '%s', want '%s'", \
			      sql, arg, got_ ? got_ : "(null)", want);      \
		free(got_);                                                 \
	} while (0)

#define ASSERT_NULL(s, sql, arg)                                            \
	do {                                                                \
		char *got_ = qtext(s, sql, arg);                            \
		ck_assert_msg(!got_, "%s [%s]: got '%s', want NULL", sql, arg, got_); \
	} while (0)

/* Everything the importer writes, as one text, to compare before/after. */
static char *dump(struct store *s)
{
	return qtext(s,
		"SELECT coalesce((SELECT group_concat(hid || '|' || name || '|' ||"
		"  coalesce(source, '') || '|' || coalesce(kernel_release, '') || '|' ||"
		"  coalesce(collected_at, '') || '|' || coalesce(last_inventory, '') || '|' ||"
		"  coalesce(length(engine_info_json), '') || '|' || installed_kernels, ';')"
		"  FROM host), '') || '#' ||"
		" coalesce((SELECT group_concat(hid || '|' || taken_at || '|' ||"
		"  coalesce(boot_id, '') || '|' || coalesce(uptime, ''), ';') FROM host_snapshot), '') || '#' ||"
		" coalesce((SELECT group_concat(hid || '|' || name || '|' || version, ';') FROM package), '') || '#' ||"
		" coalesce((SELECT group_concat(hid || '|' || id || '|' || length(inspect), ';') FROM container), '') || '#' ||"
		" coalesce((SELECT group_concat(hid || '|' || id, ';') FROM image), '') || ?",
		"");
}

static void import_fixture(struct store *s, const char *name, unsigned flags,
			   long long *hid)
{
	struct err err;
	size_t len;
	char *doc = read_fixture(name, &len);

	ck_assert_msg(report_import(s, name, doc, len, flags, NULL, hid, &err) == 0,
		      "%s: %s", name, err.msg);
	free(doc);
}

/* ---------------------------------------------------------------- bad */

enum mut { SET, REMOVE, RAW };

struct bad {
	const char *what;
	enum mut mut;
	const char *path;       /* SET, REMOVE */
	const char *value;      /* SET: JSON text; RAW: the whole document */
	int code;
	const char *msg;        /* after "reports/web-1.json: " */
};

#define HEAD "{\"schema\":\"slipway.host-report/1\",\"collected_at\":\"2026-11-23T16:30:00Z\","

static const struct bad bad_reports[] = {
	{ "schema of a later version", SET, "$.schema", "\"slipway.host-report/2\"", ERR_PARSE,
	  "'schema' is 'slipway.host-report/2', expected 'slipway.host-report/1'" },
	{ "no schema", REMOVE, "$.schema", NULL, ERR_PARSE, "'schema' is missing" },
	{ "schema a number", SET, "$.schema", "1", ERR_PARSE, "'schema' is not a string" },
	{ "host.name a number", SET, "$.host.name", "5", ERR_PARSE, "'host.name' is not a string" },
	{ "host.name null", SET, "$.host.name", "null", ERR_PARSE, "'host.name' is not a string" },
	{ "host.name empty", SET, "$.host.name", "\"\"", ERR_PARSE, "'host.name' is empty" },
	{ "host.name 256 bytes", SET, "$.host.name",
	  "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"",
	  ERR_LIMIT, "'host.name' is longer than 255 bytes" },
	{ "host.name with a control character", SET, "$.host.name", "\"web\\u001b[2J-1\"", ERR_PARSE,
	  "'host.name' contains a control character" },
	{ "no host", REMOVE, "$.host", NULL, ERR_PARSE, "'host' is missing" },
	{ "host an array", SET, "$.host", "[\"web-1\"]", ERR_PARSE, "'host' is not an object" },
	{ "collected_at in words", SET, "$.collected_at", "\"yesterday\"", ERR_PARSE,
	  "'collected_at' is not an RFC 3339 time: 'yesterday'" },
	{ "collected_at February 30", SET, "$.collected_at", "\"2026-02-30T10:00:00Z\"", ERR_PARSE,
	  "'collected_at' is not an RFC 3339 time: '2026-02-30T10:00:00Z'" },
	{ "collected_at without zone", SET, "$.collected_at", "\"2026-11-23T16:30:00\"", ERR_PARSE,
	  "'collected_at' is not an RFC 3339 time: '2026-11-23T16:30:00'" },
	{ "uptime a string", SET, "$.host.uptime_seconds", "\"86512\"", ERR_PARSE,
	  "'host.uptime_seconds' is not a number or null" },
	{ "uptime negative", SET, "$.host.uptime_seconds", "-5", ERR_PARSE,
	  "'host.uptime_seconds' is out of range" },
	{ "package version 129 bytes", SET, "$.packages[3].version",
	  "\"1.1.5+ds1-1+deb12u1aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"",
	  ERR_LIMIT, "'packages[3].version' is longer than 128 bytes" },
	{ "package without name", REMOVE, "$.packages[2].name", NULL, ERR_PARSE,
	  "'packages[2].name' is missing" },
	{ "package version a number", SET, "$.packages[0].version", "6.1", ERR_PARSE,
	  "'packages[0].version' is not a string" },
	{ "packages an object", SET, "$.packages", "{\"runc\":\"1.1.5\"}", ERR_PARSE,
	  "'packages' is not an array or null" },
	{ "package listed twice", SET, "$.packages[4].name", "\"runc\"", ERR_PARSE,
	  "'packages' lists package 'runc' twice" },
	{ "reboot_required a word", SET, "$.kernel.reboot_required", "\"yes\"", ERR_PARSE,
	  "'kernel.reboot_required' is not true, false or null" },
	{ "installed kernel without release", REMOVE, "$.kernel.installed[1].release", NULL, ERR_PARSE,
	  "'kernel.installed[1].release' is missing" },
	{ "engine kind unknown", SET, "$.engine.kind", "\"lxc\"", ERR_PARSE,
	  "'engine.kind' is 'lxc', expected 'docker' or 'podman'" },
	{ "service_enabled a string", SET, "$.engine.service_enabled", "\"enabled\"", ERR_PARSE,
	  "'engine.service_enabled' is not true, false or null" },
	{ "info.LiveRestoreEnabled a string", SET, "$.engine.info.LiveRestoreEnabled", "\"false\"",
	  ERR_PARSE, "'engine.info.LiveRestoreEnabled' is not true, false or null" },
	{ "container without Id", REMOVE, "$.engine.containers[2].Id", NULL, ERR_PARSE,
	  "'engine.containers[2].Id' is missing" },
	{ "container State.Status a number", SET, "$.engine.containers[0].State.Status", "1",
	  ERR_PARSE, "'engine.containers[0].State.Status' is not a string or null" },
	{ "container Privileged a string", SET, "$.engine.containers[4].HostConfig.Privileged",
	  "\"true\"", ERR_PARSE,
	  "'engine.containers[4].HostConfig.Privileged' is not true, false or null" },
	{ "container a string", SET, "$.engine.containers[1]", "\"plain-norestart\"", ERR_PARSE,
	  "'engine.containers[1]' is not an object" },
	{ "container listed twice", SET, "$.engine.containers[1].Id",
	  "\"079d7f64b400e1578bc7db44d424a5f206bcad3fa40259e450ebb88208406a32\"", ERR_PARSE,
	  "'engine.containers' lists container '079d7f64b400e1578bc7db44d424a5f206bcad3fa40259e450ebb88208406a32' twice" },
	{ "image without Id", REMOVE, "$.engine.images[0].Id", NULL, ERR_PARSE,
	  "'engine.images[0].Id' is missing" },
	{ "invalid JSON", RAW, NULL, HEAD "\"host\":{\"name\":\"web-1\",}}", ERR_PARSE,
	  "not valid JSON" },
	{ "truncated inside an object", RAW, NULL, HEAD "\"host\":{\"name\":\"web-1\"", ERR_PARSE,
	  "truncated: ends inside an object" },
	{ "truncated inside a string", RAW, NULL, HEAD "\"host\":{\"name\":\"web-", ERR_PARSE,
	  "truncated: ends inside a string" },
	{ "deep nesting", RAW, NULL,
	  HEAD "\"host\":{\"name\":\"web-1\"},\"x\":"
	  "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
	  "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
	  ERR_LIMIT, "nested deeper than 64 levels at offset 163" },
	{ "top-level key twice", RAW, NULL,
	  HEAD "\"host\":{\"name\":\"web-1\"},\"host\":{\"name\":\"db-1\"}}", ERR_PARSE,
	  "'host' appears twice" },
	{ "host.name twice", RAW, NULL,
	  HEAD "\"host\":{\"name\":\"web-1\",\"name\":\"db-1\"}}", ERR_PARSE,
	  "'host.name' appears twice" },
	{ "host.name twice, once escaped", RAW, NULL,
	  HEAD "\"host\":{\"name\":\"web-1\",\"\\u006eame\":\"db-1\"}}", ERR_PARSE,
	  "'host.name' appears twice" },
	{ "invalid UTF-8", RAW, NULL, HEAD "\"host\":{\"name\":\"web-\xff\"}}", ERR_PARSE,
	  "invalid UTF-8 at offset 92" },
	{ "UTF-16 surrogate in UTF-8", RAW, NULL, HEAD "\"host\":{\"name\":\"web-\xed\xa0\x80\"}}",
	  ERR_PARSE, "invalid UTF-8 at offset 92" },
	{ "an array, not an object", RAW, NULL, "[" HEAD "\"host\":{\"name\":\"web-1\"}}]", ERR_PARSE,
	  "not a JSON object" },
	{ "empty", RAW, NULL, "", ERR_PARSE, "empty file" },
	/* sqlite 3.40's json_valid() accepts this and a path into it then
	 * crashes the process (tests/fuzz/corpus/kev/crash-sqlite-*). */
	{ "an object as a member name", RAW, NULL,
	  HEAD "\"host\":{\"name\":\"web-1\"},\"engine\":{\"containers\":[{{\"\":\"\"}:1}]}}",
	  ERR_PARSE, "not valid JSON" },
};

/* The bad report of case i, from docker-debian12.json or raw text. */
static char *make_bad(struct store *s, const struct bad *b, size_t *len)
{
	struct err err;
	char *doc, *out = NULL;

	if (b->mut == RAW) {
		*len = strlen(b->value);
		return xstrdup(b->value);
	}
	doc = read_fixture("docker-debian12.json", len);
	if (b->mut == SET)
		ck_assert_int_eq(store_query_text(s, &out, &err,
			"SELECT json_set(?, ?, json(?))", "sss", doc, b->path, b->value), 0);
	else
		ck_assert_int_eq(store_query_text(s, &out, &err,
			"SELECT json_remove(?, ?)", "ss", doc, b->path), 0);
	ck_assert_ptr_nonnull(out);
	ck_assert_msg(strcmp(out, doc), "%s: the mutation changed nothing", b->what);
	free(doc);
	*len = strlen(out);
	return out;
}

START_TEST(bad_report_refused_store_unchanged)
{
	const struct bad *b = &bad_reports[_i];
	struct store *s = open_store();
	char want[1024], *before, *after, *doc;
	struct err err;
	long long hid = -7;
	size_t len;
	int rc;

	import_fixture(s, "docker-debian12.json", 0, NULL);
	before = dump(s);
	doc = make_bad(s, b, &len);
	rc = report_import(s, SRC, doc, len, 0, NULL, &hid, &err);
	snprintf(want, sizeof(want), "%s: %s", SRC, b->msg);
	ck_assert_msg(rc == b->code, "%s: rc %d, want %d (%s)", b->what, rc, b->code, err.msg);
	ck_assert_msg(!strcmp(err.msg, want), "%s:\n got '%s'\nwant '%s'", b->what, err.msg, want);
	ck_assert_ptr_null(strchr(err.msg, '\n'));
	ck_assert_int_eq(hid, -7);
	ck_assert(!store_in_transaction(s));
	after = dump(s);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
	free(doc);
	store_close(s);
}
END_TEST

/* Builds a report whose array at path has n small entries (made by SQL). */
static char *with_many(struct store *s, const char *path, const char *entry_sql, long long n,
		       size_t *len)
{
	char *doc, *out = NULL, sql[512];
	struct err err;

	doc = read_fixture("docker-debian12.json", len);
	snprintf(sql, sizeof(sql),
		 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?3)"
		 " SELECT json_set(?1, ?2, (SELECT json_group_array(%s) FROM n))", entry_sql);
	ck_assert_int_eq(store_query_text(s, &out, &err, sql, "ssi", doc, path, n), 0);
	free(doc);
	*len = strlen(out);
	return out;
}

START_TEST(too_many_containers_and_packages)
{
	struct store *s = open_store();
	char *before, *doc;
	struct err err;
	size_t len;

	import_fixture(s, "docker-debian12.json", 0, NULL);
	before = dump(s);
	doc = with_many(s, "$.engine.containers", "json_object('Id', 'c' || i)", 10001, &len);
	ck_assert_int_eq(report_import(s, SRC, doc, len, 0, NULL, NULL, &err), ERR_LIMIT);
	ck_assert_str_eq(err.msg, SRC ": 'engine.containers' has more than 10000 entries");
	free(doc);
	doc = with_many(s, "$.packages",
			"json_object('name', 'p' || i, 'version', '1.0-' || i)", 100001, &len);
	ck_assert_int_eq(report_import(s, SRC, doc, len, 0, NULL, NULL, &err), ERR_LIMIT);
	ck_assert_str_eq(err.msg, SRC ": 'packages' has more than 100000 entries");
	free(doc);
	/* exactly at the cap is fine */
	doc = with_many(s, "$.engine.images", "json_object('Id', 'sha256:' || i)", 10000, &len);
	ck_assert_msg(report_import(s, SRC, doc, len, 0, NULL, NULL, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(qint(s, "SELECT count(*) FROM image WHERE hid = (SELECT hid FROM host WHERE name = ?)", "web-1"), 10000);
	free(doc);
	free(before);
	store_close(s);
}
END_TEST

START_TEST(oversized_file_refused_unread)
{
	char path[] = "/tmp/slipway-test-report-XXXXXX";
	struct store *s = open_store();
	struct err err;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	/* sparse: 256 MiB + 1 byte costs nothing on disk */
	ck_assert_int_eq(ftruncate(fd, (off_t)REPORT_MAX_BYTES + 1), 0);
	close(fd);
	ck_assert_int_eq(report_import_file(s, path, 0, NULL, &err), ERR_LIMIT);
	ck_assert_msg(strstr(err.msg, ": larger than 256 MiB") != NULL, "%s", err.msg);
	ck_assert_int_eq(qint(s, "SELECT count(*) FROM host WHERE ? IS NULL", NULL), 0);
	unlink(path);
	ck_assert_int_eq(report_import_file(s, path, 0, NULL, &err), ERR_IO);
	ck_assert_msg(strstr(err.msg, "cannot open '") == err.msg, "%s", err.msg);
	store_close(s);
}
END_TEST

START_TEST(nul_byte_refused)
{
	static const char doc[] = HEAD "\"host\":{\"name\":\"web\0-1\"}}";
	struct store *s = open_store();
	struct err err;

	ck_assert_int_eq(report_import(s, SRC, doc, sizeof(doc) - 1, 0, NULL, NULL, &err),
			 ERR_PARSE);
	ck_assert_str_eq(err.msg, SRC ": NUL byte at offset 91");
	store_close(s);
}
END_TEST

/* ---------------------------------------------------------------- good */

START_TEST(docker_host_with_real_containers)
{
	struct store *s = open_store();
	long long hid = 0;

	import_fixture(s, "docker-debian12.json", 0, &hid);
	ck_assert_int_gt(hid, 0);
	ASSERT_TEXT(s, "SELECT os_id || ' ' || os_version_id || ' ' || os_codename || ' / ' || os_pretty FROM host WHERE name = ?",
		    "web-1", "debian 12 bookworm / Debian GNU/Linux 12 (bookworm)");
	ASSERT_TEXT(s, "SELECT kernel_release || ' ' || kernel_version FROM host WHERE name = ?",
		    "web-1", "6.18.44-fc-v782 #1 SMP PREEMPT_DYNAMIC @0");
	ASSERT_NULL(s, "SELECT kernel_package FROM host WHERE name = ?", "web-1");
	ck_assert_int_eq(qint(s, "SELECT json_array_length(installed_kernels) FROM host WHERE name = ?", "web-1"), 2);
	ck_assert_int_eq(qint(s, "SELECT reboot_required FROM host WHERE name = ?", "web-1"), 1);
	ASSERT_NULL(s, "SELECT livepatch FROM host WHERE name = ?", "web-1");
	ASSERT_TEXT(s, "SELECT engine_kind || ' ' || engine_version || ' ' || engine_api FROM host WHERE name = ?",
		    "web-1", "docker 20.10.24+dfsg1 1.41");
	ck_assert_int_eq(qint(s, "SELECT engine_enabled FROM host WHERE name = ?", "web-1"), 1);
	ck_assert_int_eq(qint(s, "SELECT live_restore FROM host WHERE name = ?", "web-1"), 0);
	ASSERT_TEXT(s, "SELECT swarm_state || ' ' || cgroup_version FROM host WHERE name = ?", "web-1", "inactive 1");
	ASSERT_TEXT(s, "SELECT machine_id || ' ' || boot_id FROM host WHERE name = ?", "web-1",
		    "3d1219c7c4c5404aaa1f6d2a48adfda4 3e570002-40a4-44e2-be4d-01b1e1e96f51");
	/* 2026-11-23T16:30:00Z = 1795451400; uptime 86512.27 s */
	ck_assert_int_eq(qint(s, "SELECT collected_at FROM host WHERE name = ?", "web-1"), 1795451400);
	ck_assert_int_eq(qint(s, "SELECT boot_time FROM host WHERE name = ?", "web-1"), 1795451400 - 86512);
	ck_assert_int_eq(qint(s, "SELECT count(*) FROM host_snapshot WHERE boot_id = ? AND uptime = 86512", "3e570002-40a4-44e2-be4d-01b1e1e96f51"), 1);
	ASSERT_TEXT(s, "SELECT source FROM host WHERE name = ?", "web-1", "docker-debian12.json");

	ck_assert_int_eq(qint(s, "SELECT count(*) FROM package WHERE hid = (SELECT hid FROM host WHERE name = ?)", "web-1"), 6);
	ASSERT_TEXT(s, "SELECT source || ' ' || version || ' ' || source_version FROM package WHERE name = ?",
		    "runc", "runc 1.1.5+ds1-1+deb12u1 1.1.5+ds1-1+deb12u1");
	ASSERT_TEXT(s, "SELECT source || ' ' || version FROM package WHERE name = ?",
		    "linux-image-6.1.0-29-amd64", "linux-signed-amd64 6.1.123-1");

	ck_assert_int_eq(qint(s, "SELECT count(*) FROM container WHERE hid = (SELECT hid FROM host WHERE name = ?)", "web-1"), 19);
	ck_assert_int_eq(qint(s, "SELECT count(*) FROM image WHERE ? IS NULL", NULL), 1);
	/* each inspect kept whole: the same JSON as the engine's answer */
	ck_assert_int_eq(qint(s, "SELECT count(*) FROM container WHERE json_extract(inspect, '$.GraphDriver.Name') = ?", "overlay2"), 19);
	ASSERT_TEXT(s, "SELECT state || ' ' || restart_policy || ' ' || privileged || ' ' || json_extract(inspect, '$.State.ExitCode') FROM container WHERE name = ?",
		    "priv-always", "created always 1 128");
	ASSERT_TEXT(s, "SELECT seccomp_unconfined || host_pid || host_network || ' ' || cap_add || ' ' || restart_policy FROM container WHERE name = ?",
		    "unconfined-hostns", "111 [\"NET_ADMIN\",\"SYS_PTRACE\"] unless-stopped");
	ASSERT_TEXT(s, "SELECT memory_limit || ' ' || max_retries || ' ' || health || ' ' || restart_policy FROM container WHERE name = ?",
		    "limits-onfail", "67108864 3 healthy on-failure");
	ASSERT_TEXT(s, "SELECT compose_project || '/' || compose_service || ' ' || health FROM container WHERE name = ?",
		    "shop_web_1", "shop/web starting");
	ck_assert_int_eq(qint(s, "SELECT auto_remove FROM container WHERE name = ?", "autoremove-one"), 1);
	ASSERT_TEXT(s, "SELECT '[' || restart_policy || ']' FROM container WHERE name = ?",
		    "shop_worker_run_69246c987e50", "[]");
	ASSERT_TEXT(s, "SELECT state FROM container WHERE name = ?", "paused-one", "paused");
	ASSERT_TEXT(s, "SELECT image FROM container WHERE name = ?", "from-registry-digest",
		    "127.0.0.1:5000/lab/busybox@sha256:89e70d7cf19642b16ea8f02de6190816a9f90780a35b46c61481f5ca4f3db75a");
	ck_assert_int_eq(qint(s, "SELECT stop_timeout FROM container WHERE name = ?", "mounts-ro"), 20);
	ASSERT_TEXT(s, "SELECT started_at || ' ' || created FROM container WHERE name = ?", "created-only",
		    "0001-01-01T00:00:00Z 2026-11-23T16:25:38.404659507Z");
	store_close(s);
}
END_TEST

START_TEST(podman_host_with_pod)
{
	struct store *s = open_store();

	import_fixture(s, "podman-debian12.json", 0, NULL);
	ASSERT_TEXT(s, "SELECT engine_kind || ' ' || engine_version FROM host WHERE name = ?", "pm-1", "podman 4.3.1");
	ck_assert_int_eq(qint(s, "SELECT engine_enabled FROM host WHERE name = ?", "pm-1"), 0);
	ck_assert_int_eq(qint(s, "SELECT reboot_required FROM host WHERE name = ?", "pm-1"), 0);
	/* 16:31:00+01:00 is 15:31:00Z */
	ck_assert_int_eq(qint(s, "SELECT collected_at FROM host WHERE name = ?", "pm-1"), 1795451400 - 3600 + 60);
	ck_assert_int_eq(qint(s, "SELECT count(*) FROM container WHERE ? IS NULL", NULL), 15);
	ck_assert_int_eq(qint(s, "SELECT count(*) FROM image WHERE ? IS NULL", NULL), 2);
	ck_assert_int_eq(qint(s, "SELECT json_array_length(engine_pods_json) FROM host WHERE name = ?", "pm-1"), 1);
	ASSERT_TEXT(s, "SELECT image FROM container WHERE name = ?", "d7cde3d83bed-infra",
		    "localhost/podman-pause:4.3.1-0");
	ASSERT_TEXT(s, "SELECT substr(json_extract(inspect, '$.HostConfig.NetworkMode'), 1, 10) FROM container WHERE name = ?",
		    "pm-pod-app", "container:");
	/* Podman says Health.Status "" when there is no health check */
	ASSERT_NULL(s, "SELECT health FROM container WHERE name = ?", "pm-plain");
	ASSERT_TEXT(s, "SELECT health FROM container WHERE name = ?", "pm-limits-onfail", "starting");
	ASSERT_TEXT(s, "SELECT compose_project FROM container WHERE name = ?", "pmshop_web_1", "pmshop");
	ck_assert_int_eq(qint(s, "SELECT privileged FROM container WHERE name = ?", "pm-priv"), 1);
	ck_assert_int_eq(qint(s, "SELECT seccomp_unconfined FROM container WHERE name = ?", "pm-unconfined"), 1);
	ASSERT_TEXT(s, "SELECT version FROM package WHERE name = ?", "podman", "4.3.1+ds1-8+deb12u1");
	store_close(s);
}
END_TEST

START_TEST(swarm_manager_answers)
{
	struct store *s = open_store();

	import_fixture(s, "swarm-manager.json", 0, NULL);
	ASSERT_TEXT(s, "SELECT swarm_state FROM host WHERE name = ?", "mgr-1", "active");
	ck_assert_int_eq(qint(s, "SELECT swarm_manager FROM host WHERE name = ?", "mgr-1"), 1);
	ASSERT_NULL(s, "SELECT reboot_required FROM host WHERE name = ?", "mgr-1");
	ck_assert_int_eq(qint(s, "SELECT json_array_length(engine_swarm_json, '$.services') FROM host WHERE name = ?", "mgr-1"), 2);
	ck_assert_int_ge(qint(s, "SELECT json_array_length(engine_swarm_json, '$.tasks') FROM host WHERE name = ?", "mgr-1"), 3);
	ck_assert_int_eq(qint(s, "SELECT json_array_length(engine_swarm_json, '$.nodes') FROM host WHERE name = ?", "mgr-1"), 1);
	ck_assert_int_eq(qint(s, "SELECT count(*) FROM container WHERE swarm_service = ?", "api"), 2);
	ck_assert_int_eq(qint(s, "SELECT count(*) FROM container WHERE swarm_service = ?", "agent"), 1);
	ck_assert_int_eq(qint(s, "SELECT count(*) FROM container WHERE restart_policy = '' AND ? IS NULL", NULL), 3);
	store_close(s);
}
END_TEST

START_TEST(ubuntu_livepatch_without_engine)
{
	struct store *s = open_store();

	import_fixture(s, "ubuntu-livepatch-no-engine.json", 0, NULL);
	ASSERT_TEXT(s, "SELECT os_id || ' ' || os_version_id || ' ' || os_codename FROM host WHERE name = ?", "db-7", "ubuntu 22.04 jammy");
	ASSERT_TEXT(s, "SELECT kernel_package || ' ' || kernel_package_source || ' ' || kernel_package_version FROM host WHERE name = ?",
		    "db-7", "linux-image-5.15.0-126-generic linux-signed 5.15.0-126.136");
	ASSERT_TEXT(s, "SELECT json_extract(livepatch, '$.fixed_cves[0]') FROM host WHERE name = ?", "db-7", "CVE-2024-1086");
	ck_assert_int_eq(qint(s, "SELECT json_extract(livepatch, '$.active') FROM host WHERE name = ?", "db-7"), 1);
	ASSERT_NULL(s, "SELECT engine_kind FROM host WHERE name = ?", "db-7");
	ASSERT_NULL(s, "SELECT engine_enabled FROM host WHERE name = ?", "db-7");
	ck_assert_int_eq(qint(s, "SELECT count(*) FROM container WHERE ? IS NULL", NULL), 0);
	/* fractions of a second are dropped: 16:33:00.123456Z */
	ck_assert_int_eq(qint(s, "SELECT collected_at FROM host WHERE name = ?", "db-7"), 1795451400 + 180);
	store_close(s);
}
END_TEST

START_TEST(engine_only_keeps_host_facts)
{
	struct store *s = open_store();
	long long h1 = 0, h2 = 0;

	import_fixture(s, "docker-debian12.json", 0, &h1);
	import_fixture(s, "engine-only-web-1.json", REPORT_ENGINE_ONLY, &h2);
	ck_assert_int_eq(h1, h2);
	ck_assert_int_eq(qint(s, "SELECT count(*) FROM package WHERE hid = (SELECT hid FROM host WHERE name = ?)", "web-1"), 6);
	ck_assert_int_eq(qint(s, "SELECT json_array_length(installed_kernels) FROM host WHERE name = ?", "web-1"), 2);
	/* same running kernel: the reboot signal of the full report stays */
	ck_assert_int_eq(qint(s, "SELECT reboot_required FROM host WHERE name = ?", "web-1"), 1);
	ASSERT_TEXT(s, "SELECT os_id || ' ' || os_codename || ' ' || machine_id FROM host WHERE name = ?", "web-1",
		    "debian bookworm 3d1219c7c4c5404aaa1f6d2a48adfda4");
	ck_assert_int_eq(qint(s, "SELECT engine_enabled FROM host WHERE name = ?", "web-1"), 1);
	/* containers are replaced: autoremove-one is gone */
	ck_assert_int_eq(qint(s, "SELECT count(*) FROM container WHERE ? IS NULL", NULL), 18);
	ck_assert_int_eq(qint(s, "SELECT count(*) FROM container WHERE name = ?", "autoremove-one"), 0);
	ck_assert_int_eq(qint(s, "SELECT count(*) FROM host_snapshot WHERE ? IS NULL", NULL), 2);
	ck_assert_int_eq(qint(s, "SELECT collected_at FROM host WHERE name = ?", "web-1"), 1795451400 + 5400);
	store_close(s);
}
END_TEST

START_TEST(engine_only_after_kernel_change)
{
	struct store *s = open_store();
	struct err err;
	size_t len;
	char *doc, *moved = NULL;

	import_fixture(s, "docker-debian12.json", 0, NULL);
	doc = read_fixture("engine-only-web-1.json", &len);
	ck_assert_int_eq(store_query_text(s, &moved, &err,
		"SELECT json_set(?, '$.engine.info.KernelVersion', '6.1.0-29-amd64')", "s", doc), 0);
	ck_assert_int_eq(report_import(s, "live", moved, strlen(moved), REPORT_ENGINE_ONLY,
				       NULL, NULL, &err), 0);
	ASSERT_TEXT(s, "SELECT kernel_release || ' ' || kernel_package || ' ' || kernel_package_version FROM host WHERE name = ?",
		    "web-1", "6.1.0-29-amd64 linux-image-6.1.0-29-amd64 6.1.123-1");
	/* rebooted into another kernel: what was pending is unknown now */
	ASSERT_NULL(s, "SELECT reboot_required FROM host WHERE name = ?", "web-1");
	ASSERT_NULL(s, "SELECT kernel_version FROM host WHERE name = ?", "web-1");
	ck_assert_int_eq(qint(s, "SELECT count(*) FROM package WHERE ? IS NULL", NULL), 6);
	free(doc);
	free(moved);
	store_close(s);
}
END_TEST

START_TEST(engine_only_new_host)
{
	struct store *s = open_store();

	import_fixture(s, "engine-only-web-1.json", REPORT_ENGINE_ONLY, NULL);
	ASSERT_TEXT(s, "SELECT kernel_release || ' / ' || os_pretty FROM host WHERE name = ?", "web-1",
		    "6.18.44-fc-v782 / Debian GNU/Linux 12 (bookworm)");
	ASSERT_NULL(s, "SELECT os_id FROM host WHERE name = ?", "web-1");
	ASSERT_NULL(s, "SELECT reboot_required FROM host WHERE name = ?", "web-1");
	ck_assert_int_eq(qint(s, "SELECT count(*) FROM package WHERE ? IS NULL", NULL), 0);
	ck_assert_int_eq(qint(s, "SELECT count(*) FROM container WHERE ? IS NULL", NULL), 18);
	ck_assert_int_eq(qint(s, "SELECT count(*) FROM host_snapshot WHERE boot_id IS NULL AND uptime IS ?", NULL), 1);
	store_close(s);
}
END_TEST

START_TEST(reimport_is_idempotent)
{
	struct store *s = open_store();
	char *a, *b;

	import_fixture(s, "docker-debian12.json", 0, NULL);
	/* last_inventory is the import time: pin it to compare the rest */
	ck_assert_int_ge(store_exec(s, NULL, "UPDATE host SET last_inventory = 1", NULL), 0);
	a = dump(s);
	import_fixture(s, "docker-debian12.json", 0, NULL);
	ck_assert_int_ge(store_exec(s, NULL, "UPDATE host SET last_inventory = 1", NULL), 0);
	b = dump(s);
	ck_assert_str_eq(a, b);
	ck_assert_int_eq(qint(s, "SELECT count(*) FROM host_snapshot WHERE ? IS NULL", NULL), 1);
	free(a);
	free(b);
	store_close(s);
}
END_TEST

START_TEST(snapshot_per_import_and_older_report)
{
	struct store *s = open_store();
	struct err err;
	size_t len;
	char *doc, *later = NULL, *older = NULL;

	doc = read_fixture("docker-debian12.json", &len);
	/* the next day, after a reboot: new boot id, small uptime */
	ck_assert_int_eq(store_query_text(s, &later, &err,
		"SELECT json_set(?, '$.collected_at', '2026-11-24T09:00:00Z',"
		" '$.host.boot_id', 'd1b6a0c2-7f3e-4e4b-9a51-2c8f0e6d4b11',"
		" '$.host.uptime_seconds', 95, '$.kernel.reboot_required', json('false'))",
		"s", doc), 0);
	ck_assert_int_eq(store_query_text(s, &older, &err,
		"SELECT json_set(?, '$.collected_at', '2026-11-22T09:00:00Z',"
		" '$.engine.containers', json('[]'))", "s", doc), 0);
	ck_assert_int_eq(report_import(s, "a", doc, len, 0, NULL, NULL, &err), 0);
	ck_assert_int_eq(report_import(s, "b", later, strlen(later), 0, NULL, NULL, &err), 0);
	ck_assert_int_eq(qint(s, "SELECT count(*) FROM host_snapshot WHERE ? IS NULL", NULL), 2);
	ck_assert_int_eq(qint(s, "SELECT count(DISTINCT boot_id) FROM host_snapshot WHERE ? IS NULL", NULL), 2);
	ck_assert_int_eq(qint(s, "SELECT reboot_required FROM host WHERE name = ?", "web-1"), 0);
	ck_assert_int_eq(qint(s, "SELECT uptime FROM host_snapshot WHERE boot_id = ?",
			      "d1b6a0c2-7f3e-4e4b-9a51-2c8f0e6d4b11"), 95);
	/* an older report adds its snapshot and changes nothing else */
	ck_assert_int_eq(report_import(s, "c", older, strlen(older), 0, NULL, NULL, &err), 0);
	ck_assert_int_eq(qint(s, "SELECT count(*) FROM host_snapshot WHERE ? IS NULL", NULL), 3);
	ck_assert_int_eq(qint(s, "SELECT count(*) FROM container WHERE ? IS NULL", NULL), 19);
	ASSERT_TEXT(s, "SELECT source FROM host WHERE name = ?", "web-1", "b");
	free(doc);
	free(later);
	free(older);
	store_close(s);
}
END_TEST

START_TEST(name_override_and_many_hosts)
{
	struct store *s = open_store();
	struct err err;
	size_t len;
	char *doc = read_fixture("docker-debian12.json", &len);
	long long a = 0, b = 0;

	ck_assert_int_eq(report_import(s, "x", doc, len, 0, "web-1.example.net", &a, &err), 0);
	import_fixture(s, "docker-debian12.json", 0, &b);
	ck_assert_int_ne(a, b);
	ck_assert_int_eq(qint(s, "SELECT count(*) FROM container WHERE ? IS NULL", NULL), 38);
	/* hosts are independent: replacing one leaves the other */
	import_fixture(s, "engine-only-web-1.json", REPORT_ENGINE_ONLY, NULL);
	ck_assert_int_eq(qint(s, "SELECT count(*) FROM container WHERE hid = (SELECT hid FROM host WHERE name = ?)", "web-1.example.net"), 19);
	ck_assert_int_eq(qint(s, "SELECT count(*) FROM container WHERE hid = (SELECT hid FROM host WHERE name = ?)", "web-1"), 18);
	free(doc);
	store_close(s);
}
END_TEST

/* The containers and images of a host, every column, as one text. */
static char *inspects_of(struct store *s, const char *host)
{
	return qtext(s,
		"SELECT (SELECT group_concat(id || '|' || inspect || '|' || quote(name) || '|'"
		"  || quote(image) || '|' || quote(image_id) || '|' || quote(state) || '|'"
		"  || restart_policy || '|' || max_retries || '|' || auto_remove || '|'"
		"  || privileged || '|' || host_pid || '|' || host_network || '|'"
		"  || seccomp_unconfined || '|' || cap_add || '|' || memory_limit || '|'"
		"  || quote(health) || '|' || quote(started_at) || '|' || quote(created) || '|'"
		"  || quote(stop_timeout) || '|' || quote(compose_project) || '|'"
		"  || quote(compose_service) || '|' || quote(swarm_service) || '|'"
		"  || quote(systemd_unit), ';')"
		"  FROM (SELECT * FROM container WHERE hid = h.hid ORDER BY id)) || '#' ||"
		" (SELECT group_concat(id || '|' || inspect || '|' || repo_tags || '|' || quote(created), ';')"
		"  FROM (SELECT * FROM image WHERE hid = h.hid ORDER BY id))"
		" FROM host h WHERE name = ?", host);
}

/* A report is read through the structural index when it can be (compact
 * elements stored as written), and by JSON1 alone when not (here: a
 * member of the top level named with an escape); a pretty-printed one
 * stores JSON1's rendering. All three store the same rows. */
START_TEST(every_way_of_reading_stores_the_same)
{
	struct store *s = open_store();
	struct err err;
	size_t len;
	char *pretty = read_fixture("docker-debian12.json", &len), *compact = NULL;
	char *escaped, *at, *a, *b, *c;

	ck_assert_int_eq(store_query_text(s, &compact, &err, "SELECT json(?)", "s", pretty), 0);
	ck_assert_ptr_nonnull(compact);
	escaped = xmalloc(strlen(compact) + 8);
	at = strstr(compact, "\"host\":");
	ck_assert_ptr_nonnull(at);
	snprintf(escaped, strlen(compact) + 8, "%.*s\"\\u0068ost\":%s", (int)(at - compact),
		 compact, at + strlen("\"host\":"));
	ck_assert_msg(report_import(s, "p", pretty, len, 0, "pretty", NULL, &err) == 0, "%s", err.msg);
	ck_assert_msg(report_import(s, "c", compact, strlen(compact), 0, "compact", NULL, &err) == 0,
		      "%s", err.msg);
	ck_assert_msg(report_import(s, "e", escaped, strlen(escaped), 0, "escaped", NULL, &err) == 0,
		      "%s", err.msg);
	a = inspects_of(s, "pretty");
	b = inspects_of(s, "compact");
	c = inspects_of(s, "escaped");
	ck_assert_ptr_nonnull(a);
	ck_assert_str_eq(a, b);
	ck_assert_str_eq(a, c);
	/* the compact report's own bytes are JSON1's rendering */
	ck_assert_int_eq(qint(s, "SELECT count(*) FROM container WHERE inspect = json(inspect)"
			      " AND hid = (SELECT hid FROM host WHERE name = ?)", "compact"), 19);
	ck_assert_int_eq(qint(s, "SELECT count(*) FROM host WHERE machine_id = ?",
			      "3d1219c7c4c5404aaa1f6d2a48adfda4"), 3);
	free(a);
	free(b);
	free(c);
	free(escaped);
	free(compact);
	free(pretty);
	store_close(s);
}
END_TEST

static Suite *report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("bad");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, bad_report_refused_store_unchanged, 0,
			    (int)(sizeof(bad_reports) / sizeof(bad_reports[0])));
	tcase_add_test(tc, too_many_containers_and_packages);
	tcase_add_test(tc, oversized_file_refused_unread);
	tcase_add_test(tc, nul_byte_refused);
	suite_add_tcase(s, tc);
	tc = tcase_create("good");
	tcase_add_test(tc, docker_host_with_real_containers);
	tcase_add_test(tc, podman_host_with_pod);
	tcase_add_test(tc, swarm_manager_answers);
	tcase_add_test(tc, ubuntu_livepatch_without_engine);
	tcase_add_test(tc, engine_only_keeps_host_facts);
	tcase_add_test(tc, engine_only_after_kernel_change);
	tcase_add_test(tc, engine_only_new_host);
	tcase_add_test(tc, reimport_is_idempotent);
	tcase_add_test(tc, snapshot_per_import_and_older_report);
	tcase_add_test(tc, name_override_and_many_hosts);
	tcase_add_test(tc, every_way_of_reading_stores_the_same);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(report_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
