/* test_store.c - unit tests of the database layer: open/create, migrations,
 * refusal of newer databases, the statement cache, binding, transactions
 * and the SQL functions over the version module. It includes
 * store_schema.h for the migrations of earlier versions. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store.h"
#include "store_schema.h"
#include "testlib.h"

static char tmpdir[] = "/tmp/slipway-test-store-XXXXXX";

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
	memcpy(tmpdir + strlen(tmpdir) - 6, "XXXXXX", 6);
}

static void path_in_tmp(char *out, size_t size, const char *name)
{
	snprintf(out, size, "%s/%s", tmpdir, name);
}

START_TEST(open_memory_has_current_schema)
{
	struct store *s = NULL;
	struct err err;
	long long v = -1;

	ck_assert_int_eq(store_open(&s, ":memory:", &err), 0);
	ck_assert_int_eq(store_query_int(s, &v, &err, "PRAGMA user_version", NULL), 0);
	ck_assert_int_eq(v, store_schema_version());
	ck_assert_int_eq(store_query_int(s, &v, &err, "PRAGMA foreign_keys", NULL), 0);
	ck_assert_int_eq(v, 1);
	ck_assert_int_eq(store_check_integrity(s, &err), 0);
	store_close(s);
	store_close(NULL);
}
END_TEST

START_TEST(file_database_reopens_private)
{
	char path[512], dir[512];
	struct store *s = NULL;
	struct err err;
	struct stat st;
	long long n = 0;
	char *mode = NULL;

	path_in_tmp(dir, sizeof(dir), "var/lib/slipway");
	path_in_tmp(path, sizeof(path), "var/lib/slipway/slipway.db");
	ck_assert_int_eq(store_open(&s, path, &err), 0);
	ck_assert_int_eq(store_query_text(s, &mode, &err, "PRAGMA journal_mode", NULL), 0);
	ck_assert_str_eq(mode, "wal");
	free(mode);
	ck_assert_int_eq(store_exec(s, &err,
		"INSERT INTO feed(name, source) VALUES (?, ?)", "ss",
		"kev", "https://example.invalid/kev.json"), 1);
	store_close(s);

	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(stat(dir, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0700);

	s = NULL;
	ck_assert_int_eq(store_open(&s, path, &err), 0);
	ck_assert_int_eq(store_query_int(s, &n, &err,
		"SELECT count(*) FROM feed WHERE name = ?", "s", "kev"), 0);
	ck_assert_int_eq(n, 1);
	store_close(s);
}
END_TEST

START_TEST(newer_database_is_refused)
{
	char path[512], want[1200];
	struct store *s = NULL, *sentinel = (struct store *)&s;
	struct err err;

	path_in_tmp(path, sizeof(path), "new.db");
	ck_assert_int_eq(store_open(&s, path, &err), 0);
	ck_assert_int_eq(store_exec_script(s, &err, "PRAGMA user_version = 99"), 0);
	store_close(s);

	s = sentinel;
	ck_assert_int_eq(store_open(&s, path, &err), ERR_NEWER_DB);
	ck_assert_ptr_eq(s, sentinel);
	snprintf(want, sizeof(want),
		 "database '%s' has schema version 99 but this slipway knows only up to %d; use a newer slipway",
		 path, store_schema_version());
	ck_assert_str_eq(err.msg, want);
}
END_TEST

START_TEST(failed_migration_keeps_old_schema)
{
	static struct store_migration broken[32];
	int have = store_schema_version();
	char path[512];
	struct store *s = NULL;
	struct err err;
	long long v = -1, n = -1;
	char want[128];

	ck_assert_int_lt(have, 31);
	path_in_tmp(path, sizeof(path), "mig.db");
	ck_assert_int_eq(store_open(&s, path, &err), 0);
	ck_assert_int_eq(store_exec(s, &err,
		"INSERT INTO feed(name) VALUES ('epss')", NULL), 1);
	store_close(s);

	/* The shipped steps are done; the next one creates a table, alters
	 * another, then fails half-way. */
	for (int i = 0; i < have; i++) {
		broken[i].name = "done";
		broken[i].sql = "SELECT 1";
	}
	broken[have].name = "half-way";
	broken[have].sql = "CREATE TABLE half_made(host TEXT);"
			   "ALTER TABLE feed ADD COLUMN extra TEXT;"
			   "CREATE TABLE feed(x);";
	store_set_migrations_for_test(broken, (size_t)have + 1);
	s = NULL;
	ck_assert_int_eq(store_open(&s, path, &err), ERR_STORE);
	ck_assert_ptr_null(s);
	snprintf(want, sizeof(want), "migration %d (half-way) failed", have + 1);
	ck_assert_ptr_nonnull(strstr(err.msg, want));
	store_set_migrations_for_test(NULL, 0);

	ck_assert_int_eq(store_open(&s, path, &err), 0);
	ck_assert_int_eq(store_query_int(s, &v, &err, "PRAGMA user_version", NULL), 0);
	ck_assert_int_eq(v, have);
	ck_assert_int_eq(store_query_int(s, &n, &err,
		"SELECT count(*) FROM sqlite_schema WHERE name = 'half_made'", NULL), 0);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(store_query_int(s, &n, &err,
		"SELECT count(*) FROM pragma_table_info('feed') WHERE name = 'extra'", NULL), 0);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(store_query_int(s, &n, &err,
		"SELECT count(*) FROM feed WHERE name = 'epss'", NULL), 0);
	ck_assert_int_eq(n, 1);
	store_close(s);
}
END_TEST

START_TEST(not_a_database_is_a_clear_error)
{
	char path[512];
	struct store *s = NULL;
	struct err err;
	FILE *fp;

	path_in_tmp(path, sizeof(path), "notes.txt");
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs("these are not the pages you are looking for, sqlite\n", fp);
	for (int i = 0; i < 200; i++)
		fputs("padding padding padding padding padding\n", fp);
	fclose(fp);
	ck_assert_int_eq(store_open(&s, path, &err), ERR_STORE);
	ck_assert_ptr_null(s);
	ck_assert_ptr_nonnull(strstr(err.msg, path));
	ck_assert_ptr_nonnull(strstr(err.msg, "not a database"));
}
END_TEST

START_TEST(binding_round_trips)
{
	struct store *s = NULL;
	struct store_rows rows = STORE_ROWS_INIT;
	struct err err;
	const char nul_text[] = "a\0b";

	ck_assert_int_eq(store_open(&s, ":memory:", &err), 0);
	ck_assert_int_eq(store_exec_script(s, &err,
		"CREATE TABLE t(s TEXT, b TEXT, i INTEGER, d REAL, n TEXT)"), 0);
	ck_assert_int_eq(store_exec(s, &err, "INSERT INTO t VALUES (?, ?, ?, ?, ?)",
		"sbidn", "runc", nul_text, sizeof(nul_text) - 1, 1700000000LL, 9.8), 1);
	ck_assert_int_eq(store_exec(s, &err, "INSERT INTO t VALUES (?, ?, ?, ?, ?)",
		"sbidn", NULL, NULL, (size_t)0, -1LL, 0.0), 1);
	ck_assert_int_eq(store_query(s, &rows, &err,
		"SELECT s, b, i, d, n FROM t ORDER BY i DESC", NULL), 0);
	ck_assert_int_eq(store_rows_next(&rows), 1);
	ck_assert_int_eq(store_rows_columns(&rows), 5);
	ck_assert_str_eq(store_rows_name(&rows, 2), "i");
	ck_assert_str_eq(store_rows_text(&rows, 0), "runc");
	ck_assert_uint_eq(store_rows_bytes(&rows, 1), 3);
	ck_assert_int_eq(memcmp(store_rows_text(&rows, 1), nul_text, 3), 0);
	ck_assert_int_eq(store_rows_int(&rows, 2), 1700000000LL);
	ck_assert_double_eq(store_rows_double(&rows, 3), 9.8);
	ck_assert(store_rows_null(&rows, 4));
	ck_assert_int_eq(store_rows_next(&rows), 1);
	ck_assert(store_rows_null(&rows, 0));
	ck_assert(store_rows_null(&rows, 1));
	ck_assert_int_eq(store_rows_next(&rows), 0);
	ck_assert_int_eq(store_rows_next(&rows), 0);
	store_rows_done(&rows);
	store_close(s);
}
END_TEST

START_TEST(statement_cache_reuses_and_resets)
{
	static const char ins[] = "INSERT INTO feed(name, records) VALUES (?, ?)";
	struct store *s = NULL;
	struct err err;
	long long n = 0, sum = 0;
	char name[64];
	char *dyn;

	ck_assert_int_eq(store_open(&s, ":memory:", &err), 0);
	for (int i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "feed-%d", i);
		ck_assert_int_eq(store_exec(s, &err, ins, "si", name, (long long)i), 1);
	}
	/* The same SQL text from another pointer finds the same statement. */
	dyn = strdup(ins);
	ck_assert_int_eq(store_exec(s, &err, dyn, "si", "feed-x", 1LL), 1);
	free(dyn);
	ck_assert_int_eq(store_query_int(s, &n, &err, "SELECT count(*) FROM feed", NULL), 0);
	ck_assert_int_eq(n, 1001);
	ck_assert_int_eq(store_query_int(s, &sum, &err, "SELECT sum(records) FROM feed", NULL), 0);
	ck_assert_int_eq(sum, 999 * 1000 / 2 + 1);
	/* A duplicate key fails with the database's reason and the statement
	 * is usable again afterwards. */
	ck_assert_int_eq(store_exec(s, &err, ins, "si", "feed-1", 0LL), ERR_STORE);
	ck_assert_ptr_nonnull(strstr(err.msg, "UNIQUE"));
	ck_assert_int_eq(store_exec(s, &err, ins, "si", "feed-y", 0LL), 1);
	store_close(s);
}
END_TEST

START_TEST(bad_sql_names_the_database)
{
	struct store *s = NULL;
	struct err err;

	ck_assert_int_eq(store_open(&s, ":memory:", &err), 0);
	ck_assert_int_eq(store_exec(s, &err, "SELEKT 1", NULL), ERR_STORE);
	ck_assert_ptr_nonnull(strstr(err.msg, "':memory:'"));
	ck_assert_ptr_nonnull(strstr(err.msg, "syntax error"));
	store_close(s);
}
END_TEST

START_TEST(query_not_found_keeps_out)
{
	struct store *s = NULL;
	struct err err;
	long long v = 42;
	char *t = (char *)&v;

	ck_assert_int_eq(store_open(&s, ":memory:", &err), 0);
	ck_assert_int_eq(store_query_int(s, &v, &err,
		"SELECT records FROM feed WHERE name = ?", "s", "none"), ERR_NOTFOUND);
	ck_assert_int_eq(v, 42);
	ck_assert_int_eq(store_query_text(s, &t, &err,
		"SELECT source FROM feed WHERE name = ?", "s", "none"), ERR_NOTFOUND);
	ck_assert_ptr_eq(t, (char *)&v);
	store_close(s);
}
END_TEST

START_TEST(transactions_commit_and_roll_back)
{
	struct store *s = NULL;
	struct err err;
	long long n = -1;

	ck_assert_int_eq(store_open(&s, ":memory:", &err), 0);
	ck_assert_int_eq(store_begin(s, &err), 0);
	ck_assert(store_in_transaction(s));
	ck_assert_int_eq(store_exec(s, &err, "INSERT INTO feed(name) VALUES ('kev')", NULL), 1);
	store_rollback(s);
	ck_assert(!store_in_transaction(s));
	ck_assert_int_eq(store_query_int(s, &n, &err, "SELECT count(*) FROM feed", NULL), 0);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(store_begin(s, &err), 0);
	ck_assert_int_eq(store_exec(s, &err, "INSERT INTO feed(name) VALUES ('kev')", NULL), 1);
	ck_assert_int_eq(store_commit(s, &err), 0);
	ck_assert_int_eq(store_query_int(s, &n, &err, "SELECT count(*) FROM feed", NULL), 0);
	ck_assert_int_eq(n, 1);
	/* Rolling back with nothing open is harmless. */
	store_rollback(s);
	store_close(s);
}
END_TEST

START_TEST(foreign_keys_are_enforced)
{
	struct store *s = NULL;
	struct err err;
	long long n = -1;

	ck_assert_int_eq(store_open(&s, ":memory:", &err), 0);
	ck_assert_int_eq(store_exec(s, &err,
		"INSERT INTO advisory(feed, id) VALUES ('nope', 'CVE-2024-21626')", NULL), ERR_STORE);
	ck_assert_ptr_nonnull(strstr(err.msg, "FOREIGN KEY"));
	ck_assert_int_eq(store_exec(s, &err, "INSERT INTO feed(name) VALUES ('osv-go')", NULL), 1);
	ck_assert_int_eq(store_exec(s, &err,
		"INSERT INTO advisory(feed, id) VALUES ('osv-go', 'GO-2024-2491')", NULL), 1);
	ck_assert_int_eq(store_exec(s, &err,
		"INSERT INTO affected(aid, component, ecosystem, package, scheme, fixed)"
		" VALUES (?, 'runc', 'upstream', 'github.com/opencontainers/runc', 'semver', '1.1.12')",
		"i", store_last_rowid(s)), 1);
	/* Deleting a feed removes its advisories and their ranges. */
	ck_assert_int_eq(store_exec(s, &err, "DELETE FROM feed WHERE name = 'osv-go'", NULL), 1);
	ck_assert_int_eq(store_query_int(s, &n, &err, "SELECT count(*) FROM affected", NULL), 0);
	ck_assert_int_eq(n, 0);
	store_close(s);
}
END_TEST

/* Schema version 4 makes the container and image columns, generated from
 * the inspect until version 3, plain columns that report.c writes: a
 * database of version 3 keeps every row, its rowid and each column's
 * value (an integer beyond 64 bits, which the expression gave as a REAL,
 * becomes the nearest one). */
START_TEST(container_columns_survive_migration_4)
{
	static const char inspect[] =
		"{\"Id\":\"abc\",\"Name\":\"/shop_web_1\",\"Image\":\"sha256:1\","
		"\"State\":{\"Status\":\"running\",\"Health\":{\"Status\":\"\"}},"
		"\"HostConfig\":{\"RestartPolicy\":{\"Name\":\"unless-stopped\",\"MaximumRetryCount\":0},"
		"\"Privileged\":true,\"PidMode\":\"host\",\"SecurityOpt\":[\"seccomp=unconfined\"],"
		"\"Memory\":100000000000000000000},"
		"\"Config\":{\"Image\":\"local/busybox:1.35\",\"StopTimeout\":20,\"Labels\":{"
		"\"com.docker.compose.project\":\"shop\",\"com.docker.compose.service\":\"web\"}}}";
	static const char columns[] =
		"SELECT rowid || '|' || name || '|' || image || '|' || image_id || '|' || state"
		" || '|' || restart_policy || '|' || max_retries || '|' || auto_remove || '|'"
		" || privileged || '|' || host_pid || '|' || host_network || '|'"
		" || seccomp_unconfined || '|' || cap_add || '|' || memory_limit || '|'"
		" || quote(health) || '|' || quote(started_at) || '|' || quote(created) || '|'"
		" || stop_timeout || '|' || compose_project || '|' || compose_service || '|'"
		" || quote(swarm_service) || '|' || quote(systemd_unit) || '|' || length(inspect)"
		" FROM container WHERE id = ?";
	char path[512], *before = NULL, *after = NULL;
	struct store *s = NULL;
	struct err err;
	long long n = -1;

	path_in_tmp(path, sizeof(path), "v3.db");
	store_set_migrations_for_test(store_migrations, 3);
	ck_assert_int_eq(store_open(&s, path, &err), 0);
	ck_assert_int_eq(store_exec(s, &err, "INSERT INTO host(name) VALUES ('web-1')", NULL), 1);
	/* a gap in the rowids, which version 4 keeps */
	ck_assert_int_eq(store_exec(s, &err,
		"INSERT INTO container(rowid, hid, id, inspect) VALUES (7, 1, 'abc', ?)",
		"s", inspect), 1);
	ck_assert_int_eq(store_exec(s, &err,
		"INSERT INTO image(hid, id, inspect) VALUES (1, 'sha256:1',"
		" '{\"Id\":\"sha256:1\",\"Created\":\"2026-01-02T03:04:05Z\"}')", NULL), 1);
	ck_assert_int_eq(store_query_text(s, &before, &err, columns, "s", "abc"), 0);
	store_close(s);
	ck_assert_str_eq(before, "7|shop_web_1|local/busybox:1.35|sha256:1|running|unless-stopped"
			 "|0|0|1|1|0|1|[]|1.0e+20|NULL|NULL|NULL|20|shop|web|NULL|NULL|425");

	store_set_migrations_for_test(NULL, 0);
	s = NULL;
	ck_assert_int_eq(store_open(&s, path, &err), 0);
	ck_assert_int_eq(store_query_int(s, &n, &err, "PRAGMA user_version", NULL), 0);
	ck_assert_int_eq(n, store_schema_version());
	ck_assert_int_eq(store_query_text(s, &after, &err, columns, "s", "abc"), 0);
	ck_assert_str_eq(after, "7|shop_web_1|local/busybox:1.35|sha256:1|running|unless-stopped"
			 "|0|0|1|1|0|1|[]|9223372036854775807|NULL|NULL|NULL|20|shop|web|NULL|NULL|425");
	/* plain columns now: none is computed from the inspect */
	ck_assert_int_eq(store_query_int(s, &n, &err,
		"SELECT count(*) FROM pragma_table_xinfo('container') WHERE hidden <> 0", NULL), 0);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(store_query_int(s, &n, &err,
		"SELECT count(*) FROM image WHERE repo_tags = '[]' AND created = ?", "s",
		"2026-01-02T03:04:05Z"), 0);
	ck_assert_int_eq(n, 1);
	/* the key and the cascade from host are still there */
	ck_assert_int_eq(store_exec(s, &err,
		"INSERT INTO container(hid, id, inspect) VALUES (1, 'abc', '{}')", NULL), ERR_STORE);
	ck_assert_int_eq(store_exec(s, &err, "DELETE FROM host", NULL), 1);
	ck_assert_int_eq(store_query_int(s, &n, &err,
		"SELECT (SELECT count(*) FROM container) + (SELECT count(*) FROM image)", NULL), 0);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(store_check_integrity(s, &err), 0);
	free(before);
	free(after);
	store_close(s);
}
END_TEST

START_TEST(version_functions_in_sql)
{
	struct store *s = NULL;
	struct err err;
	long long v = -1;

	ck_assert_int_eq(store_open(&s, ":memory:", &err), 0);
	ck_assert_int_eq(store_query_int(s, &v, &err,
		"SELECT version_cmp('dpkg', '1.1.5+ds1-1+deb12u1', '1.1.5+ds1-1') > 0", NULL), 0);
	ck_assert_int_eq(v, 1);
	ck_assert_int_eq(store_query_int(s, &v, &err,
		"SELECT version_affects('semver', '0', '1.1.12', NULL, NULL, 'v1.1.11')", NULL), 0);
	ck_assert_int_eq(v, 1);
	ck_assert_int_eq(store_query_int(s, &v, &err,
		"SELECT version_affects('semver', '0', '1.1.12', NULL, NULL, '1.1.12')", NULL), 0);
	ck_assert_int_eq(v, 0);
	ck_assert_int_eq(store_query_int(s, &v, &err,
		"SELECT version_cmp('nope', '1', '2')", NULL), ERR_STORE);
	ck_assert_ptr_nonnull(strstr(err.msg, "unknown version scheme"));
	store_close(s);
}
END_TEST

static Suite *store_suite(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("store");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, open_memory_has_current_schema);
	tcase_add_test(tc, file_database_reopens_private);
	tcase_add_test(tc, newer_database_is_refused);
	tcase_add_test(tc, failed_migration_keeps_old_schema);
	tcase_add_test(tc, not_a_database_is_a_clear_error);
	tcase_add_test(tc, binding_round_trips);
	tcase_add_test(tc, statement_cache_reuses_and_resets);
	tcase_add_test(tc, bad_sql_names_the_database);
	tcase_add_test(tc, query_not_found_keeps_out);
	tcase_add_test(tc, transactions_commit_and_roll_back);
	tcase_add_test(tc, foreign_keys_are_enforced);
	tcase_add_test(tc, container_columns_survive_migration_4);
	tcase_add_test(tc, version_functions_in_sql);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return testlib_run(store_suite());
}
