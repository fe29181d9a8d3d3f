/* test_run.c - unit tests of the feed runner (feeds/run.c): sources as a
 * directory (sorted, recursive, hidden entries and links skipped), zip,
 * tar.xz, tar.gz and a single .gz file; a truncated archive, members that
 * climb out with ".." or an absolute path, the member/count/total caps;
 * the new/changed/removed summary; a failing parse that keeps the previous
 * run; the feed table's bookkeeping. Archives are written here with
 * libarchive so every case states exactly what it contains. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "feed.h"
#include "run.h"
#include "store.h"

/* A format that stores each document as an advisory: id = its path,
 * summary and digest = its content. Documents whose content is "FAIL"
 * fail the run; want() takes *.json only. */
static char parsed[64][128];
static int nparsed;

static bool test_want(const struct feed_run *run, const char *path)
{
	size_t n = strlen(path);

	return n > 5 && !strcmp(path + n - 5, ".json");
}

static bool last_full;   /* run->full of the last begin() */

static int test_begin(struct feed_run *run, struct err *err)
{
	last_full = run->full;
	return run->full ? feed_delete_all(run, err) : 0;
}

static int test_parse(struct feed_run *run, const char *path, const char *data,
		      size_t len, struct err *err)
{
	char text[256];
	struct feed_advisory adv = { 0 };
	long long aid;

	if (len == 4 && !memcmp(data, "FAIL", 4))
		return err_set(err, ERR_PARSE, "'%s': refused by the test format", path);
	if (len == 3 && !memcmp(data, "REJ", 3))
		return feed_reject(run, "'%s': a rejected record", path);
	ck_assert_uint_lt(len, sizeof(text));
	memcpy(text, data, len);
	text[len] = '\0';
	if (nparsed < 64)
		snprintf(parsed[nparsed++], sizeof(parsed[0]), "%s", path);
	adv.id = path;
	adv.summary = text;
	adv.digest = text;
	adv.cvss_score = -1;
	adv.published = adv.modified = adv.withdrawn = -1;
	return feed_put_advisory(run, &aid, &adv, err);
}

static const struct feed_format test_format = {
	.name = "test",
	.want = test_want,
	.begin = test_begin,
	.parse = test_parse,
};

static const struct feed_def def = {
	.name = "test-feed",
	.format = &test_format,
	.url = "https://example.invalid/test.zip",
};

static char tmpdir[] = "/tmp/slipway-test-run-XXXXXX";
static struct store *store;

static void setup(void)
{
	struct err err;

	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	ck_assert_int_eq(store_open(&store, ":memory:", &err), 0);
	nparsed = 0;
}

static void teardown(void)
{
	char cmd[256];

	store_close(store);
	store = NULL;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
	memcpy(tmpdir + strlen(tmpdir) - 6, "XXXXXX", 6);
}

static void tmp_path(char *out, size_t size, const char *name)
{
	snprintf(out, size, "%s/%s", tmpdir, name);
}

static void write_file(const char *name, const char *content)
{
	char path[512], dir[512], *slash;
	FILE *fp;

	tmp_path(path, sizeof(path), name);
	snprintf(dir, sizeof(dir), "%s", path);
	for (slash = dir + strlen(tmpdir) + 1; (slash = strchr(slash, '/')); slash++) {
		*slash = '\0';
		mkdir(dir, 0700);
		*slash = '/';
	}
	fp = fopen(path, "wb");
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(fwrite(content, 1, strlen(content), fp), strlen(content));
	fclose(fp);
}

struct member {
	const char *path;
	const char *content;   /* NULL: a directory */
};

enum arc { ARC_ZIP, ARC_TAR_XZ, ARC_TAR_GZ, ARC_GZ };

/* Writes an archive of the members into tmpdir/name. */
static void write_archive(const char *name, enum arc kind, const struct member *m,
			  size_t n)
{
	struct archive *a = archive_write_new();
	char path[512];
	size_t i;

	tmp_path(path, sizeof(path), name);
	switch (kind) {
	case ARC_ZIP:
		ck_assert_int_eq(archive_write_set_format_zip(a), ARCHIVE_OK);
		break;
	case ARC_TAR_XZ:
		ck_assert_int_eq(archive_write_set_format_pax_restricted(a), ARCHIVE_OK);
		ck_assert_int_eq(archive_write_add_filter_xz(a), ARCHIVE_OK);
		break;
	case ARC_TAR_GZ:
		ck_assert_int_eq(archive_write_set_format_pax_restricted(a), ARCHIVE_OK);
		ck_assert_int_eq(archive_write_add_filter_gzip(a), ARCHIVE_OK);
		break;
	case ARC_GZ:
		ck_assert_int_eq(archive_write_set_format_raw(a), ARCHIVE_OK);
		ck_assert_int_eq(archive_write_add_filter_gzip(a), ARCHIVE_OK);
		break;
	}
	ck_assert_int_eq(archive_write_open_filename(a, path), ARCHIVE_OK);
	for (i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();

		archive_entry_set_pathname(e, m[i].path);
		if (m[i].content) {
			archive_entry_set_filetype(e, AE_IFREG);
			archive_entry_set_perm(e, 0644);
			archive_entry_set_size(e, (la_int64_t)strlen(m[i].content));
		} else {
			archive_entry_set_filetype(e, AE_IFDIR);
			archive_entry_set_perm(e, 0755);
		}
		ck_assert_int_eq(archive_write_header(a, e), ARCHIVE_OK);
		if (m[i].content)
			ck_assert_int_eq(archive_write_data(a, m[i].content, strlen(m[i].content)),
					 (la_ssize_t)strlen(m[i].content));
		archive_entry_free(e);
	}
	ck_assert_int_eq(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
}

static void truncate_file(const char *name, double keep)
{
	char path[512];
	struct stat st;

	tmp_path(path, sizeof(path), name);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(truncate(path, (off_t)((double)st.st_size * keep)), 0);
}

static int run_path(const char *name, const struct run_limits *lim,
		    struct run_result *res, struct err *err)
{
	char path[512];
	struct run_source src = { .path = path, .fd = -1 };
	struct run_options opts = { .source = path, .now = 1700000000 };

	tmp_path(path, sizeof(path), name);
	if (lim)
		opts.limits = *lim;
	memset(res, 0, sizeof(*res));
	err_clear(err);
	nparsed = 0;
	return run_feed(store, &def, &src, 1, &opts, res, err);
}

static long long count(const char *sql)
{
	long long n = -1;
	struct err err;

	ck_assert_int_eq(store_query_int(store, &n, &err, sql, NULL), 0);
	return n;
}

static char *feed_text(const char *col_sql)
{
	char *out = NULL;
	struct err err;

	ck_assert_int_eq(store_query_text(store, &out, &err, col_sql, NULL), 0);
	return out;
}

START_TEST(directory_sorted_recursive)
{
	struct run_result res;
	struct err err;
	char link[512], target[512];

	write_file("feed/b.json", "b1");
	write_file("feed/a/z.json", "z1");
	write_file("feed/a/c.json", "c1");
	write_file("feed/README.md", "not wanted");
	write_file("feed/.git/x.json", "hidden");
	tmp_path(link, sizeof(link), "feed/link.json");
	tmp_path(target, sizeof(target), "feed/b.json");
	ck_assert_int_eq(symlink(target, link), 0);

	ck_assert_int_eq(run_path("feed", NULL, &res, &err), 0);
	ck_assert_int_eq(nparsed, 3);
	ck_assert_str_eq(parsed[0], "a/c.json");
	ck_assert_str_eq(parsed[1], "a/z.json");
	ck_assert_str_eq(parsed[2], "b.json");
	ck_assert_int_eq(res.records, 3);
	ck_assert_int_eq(res.added, 3);
	ck_assert_int_eq(res.documents, 3);
	ck_assert_int_eq(count("SELECT records FROM feed WHERE name = 'test-feed'"), 3);
	ck_assert_int_eq(count("SELECT last_success FROM feed WHERE name = 'test-feed'"),
			 1700000000);
	ck_assert_int_eq(count("SELECT last_error IS NULL FROM feed"), 1);
}
END_TEST

START_TEST(zip_members)
{
	static const struct member m[] = {
		{ "osv/", NULL },
		{ "osv/GO-1.json", "one" },
		{ "osv/notes.txt", "skipped" },
		{ "./GO-2.json", "two" },
	};
	struct run_result res;
	struct err err;

	write_archive("all.zip", ARC_ZIP, m, 4);
	ck_assert_int_eq(run_path("all.zip", NULL, &res, &err), 0);
	ck_assert_int_eq(nparsed, 2);
	ck_assert_str_eq(parsed[0], "osv/GO-1.json");
	ck_assert_str_eq(parsed[1], "GO-2.json");
	ck_assert_int_eq(count("SELECT count(*) FROM advisory WHERE summary = 'two'"), 1);
}
END_TEST

START_TEST(tar_xz_and_tar_gz)
{
	static const struct member m[] = {
		{ "vulns-master/cve/a.json", "A" },
		{ "vulns-master/cve/b.json", "B" },
	};
	struct run_result res;
	struct err err;

	write_archive("osv-all.tar.xz", ARC_TAR_XZ, m, 2);
	ck_assert_int_eq(run_path("osv-all.tar.xz", NULL, &res, &err), 0);
	ck_assert_int_eq(res.records, 2);
	write_archive("vulns.tar.gz", ARC_TAR_GZ, m, 1);
	ck_assert_int_eq(run_path("vulns.tar.gz", NULL, &res, &err), 0);
	ck_assert_int_eq(res.records, 1);
	ck_assert_int_eq(res.removed, 1);
	ck_assert_str_eq(parsed[0], "vulns-master/cve/a.json");
}
END_TEST

START_TEST(single_gz_is_one_document)
{
	/* The name inside the raw stream is irrelevant: the document is
	 * named after the file without ".gz", and want() does not apply to
	 * a file named directly. */
	static const struct member m[] = { { "data", "scores" } };
	struct run_result res;
	struct err err;

	write_archive("epss_scores-current.csv.gz", ARC_GZ, m, 1);
	ck_assert_int_eq(run_path("epss_scores-current.csv.gz", NULL, &res, &err), 0);
	ck_assert_int_eq(nparsed, 1);
	ck_assert_str_eq(parsed[0], "epss_scores-current.csv");
	ck_assert_int_eq(count("SELECT count(*) FROM advisory WHERE summary = 'scores'"), 1);
}
END_TEST

START_TEST(plain_file_named_directly)
{
	struct run_result res;
	struct err err;

	write_file("notes.txt", "plain");
	ck_assert_int_eq(run_path("notes.txt", NULL, &res, &err), 0);
	ck_assert_int_eq(nparsed, 1);
	ck_assert_str_eq(parsed[0], "notes.txt");
}
END_TEST

/* A broken source: the run fails with one line naming it, and what the
 * previous run stored is still there, its success time unchanged. */
static void assert_failed_keeps(const char *name, const struct run_limits *lim,
				const char *needle)
{
	struct run_result res;
	struct err err;
	char *msg;

	ck_assert_int_ne(run_path(name, lim, &res, &err), 0);
	ck_assert_msg(strstr(err.msg, needle), "message '%s' lacks '%s'", err.msg, needle);
	ck_assert_ptr_null(strchr(err.msg, '\n'));
	ck_assert_int_eq(count("SELECT count(*) FROM advisory WHERE feed = 'test-feed'"), 2);
	ck_assert_int_eq(count("SELECT records FROM feed"), 2);
	ck_assert_int_eq(count("SELECT last_success FROM feed"), 1600000000);
	ck_assert_int_eq(count("SELECT last_attempt FROM feed"), 1700000000);
	msg = feed_text("SELECT last_error FROM feed");
	ck_assert_str_eq(msg, err.msg);
	free(msg);
}

static void previous_run(void)
{
	struct run_source src = { .fd = -1 };
	struct run_options opts = { .source = "previous", .now = 1600000000 };
	struct run_result res;
	struct err err;
	char path[512];

	write_file("prev/one.json", "1");
	write_file("prev/two.json", "2");
	tmp_path(path, sizeof(path), "prev");
	src.path = path;
	ck_assert_int_eq(run_feed(store, &def, &src, 1, &opts, &res, &err), 0);
	ck_assert_int_eq(res.records, 2);
}

START_TEST(truncated_tar_xz_keeps_previous)
{
	struct member m[40];
	char names[40][32];
	int i;

	previous_run();
	for (i = 0; i < 40; i++) {
		snprintf(names[i], sizeof(names[i]), "d/%02d.json", i);
		m[i].path = names[i];
		m[i].content = "some content that xz cannot squeeze to nothing 0123456789";
	}
	write_archive("cut.tar.xz", ARC_TAR_XZ, m, 40);
	truncate_file("cut.tar.xz", 0.5);
	assert_failed_keeps("cut.tar.xz", NULL, "cut.tar.xz");
}
END_TEST

START_TEST(truncated_zip_keeps_previous)
{
	static const struct member m[] = {
		{ "a.json", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" },
		{ "b.json", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" },
	};

	previous_run();
	write_archive("cut.zip", ARC_ZIP, m, 2);
	truncate_file("cut.zip", 0.6);
	assert_failed_keeps("cut.zip", NULL, "cut.zip");
}
END_TEST

START_TEST(truncated_gz_keeps_previous)
{
	char content[4096];
	struct member m[1] = { { "data", content } };
	size_t i;

	previous_run();
	/* Digits in a pseudo-random order, so deflate keeps some bulk. */
	for (i = 0; i + 1 < sizeof(content); i++)
		content[i] = (char)('0' + (i * 7919 % 10007) % 10);
	content[sizeof(content) - 1] = '\0';
	write_archive("scores.csv.gz", ARC_GZ, m, 1);
	truncate_file("scores.csv.gz", 0.7);
	assert_failed_keeps("scores.csv.gz", NULL, "scores.csv");
}
END_TEST

/* A full run whose every record is rejected fails with the first reason
 * and keeps the previous data, instead of replacing it with nothing. */
START_TEST(every_record_rejected_keeps_previous)
{
	previous_run();
	write_file("rej/a.json", "REJ");
	write_file("rej/b.json", "REJ");
	assert_failed_keeps("rej", NULL,
			    "every record was rejected, the first: 'a.json': a rejected record");
}
END_TEST

/* A full run that reads nothing would empty a feed holding records. */
START_TEST(emptying_a_feed_fails)
{
	previous_run();
	write_file("none/readme.txt", "not a record");
	assert_failed_keeps("none", NULL, "would remove all 2 records of 'test-feed'; keeping them");
}
END_TEST

/* Malformed UTF-8 (RFC 3629): a member is rejected alone, a document
 * named directly fails the run, and well-formed text passes. */
START_TEST(invalid_utf8)
{
	static const char *const bad[] = {
		"\x80", "a\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
		"\xe2\x82", "12345678\xff", "\xc2",
	};
	struct run_result res;
	struct err err;
	size_t i;

	previous_run();
	write_file("mixed/good.json", "caf\xc3\xa9 \xf0\x9f\x90\xb3 \xe2\x82\xac 0123456789");
	write_file("mixed/bad.json", "ascii ascii \xed\xa0\x80");
	ck_assert_int_eq(run_path("mixed", NULL, &res, &err), 0);
	ck_assert_int_eq(res.records, 1);
	ck_assert_int_eq(res.rejected, 1);
	ck_assert_str_eq(res.first_reject.msg, "'bad.json': not valid UTF-8 at byte 12");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		previous_run();
		write_file("direct.json", bad[i]);
		assert_failed_keeps("direct.json", NULL, "not valid UTF-8 at byte");
	}
}
END_TEST

/* libarchive does not check a gzip member's CRC-32 (RFC 1952 §2.3.1):
 * the runner does. */
START_TEST(gzip_bad_crc_keeps_previous)
{
	static const struct member m[1] = { { "data", "epss,percentile\nCVE-1,0.5\n" } };
	char path[512];
	FILE *f;
	long size;
	int c;

	previous_run();
	write_archive("scores.csv.gz", ARC_GZ, m, 1);
	tmp_path(path, sizeof(path), "scores.csv.gz");
	f = fopen(path, "r+b");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	ck_assert_int_eq(fseek(f, size - 8, SEEK_SET), 0);
	c = fgetc(f);
	ck_assert_int_eq(fseek(f, size - 8, SEEK_SET), 0);
	fputc(c ^ 0x5a, f);
	fclose(f);
	assert_failed_keeps("scores.csv.gz", NULL, "gzip CRC-32 does not match the data");
}
END_TEST

START_TEST(dotdot_member_rejected)
{
	static const struct member m[] = {
		{ "ok.json", "fine" },
		{ "../evil.json", "climbs out" },
	};

	previous_run();
	write_archive("evil.tar.gz", ARC_TAR_GZ, m, 2);
	assert_failed_keeps("evil.tar.gz", NULL, "'../evil.json' has a path outside the archive");
}
END_TEST

START_TEST(absolute_member_rejected)
{
	static const struct member m[] = { { "/etc/evil.json", "absolute" } };

	previous_run();
	write_archive("abs.zip", ARC_ZIP, m, 1);
	assert_failed_keeps("abs.zip", NULL, "'/etc/evil.json' has a path outside");
}
END_TEST

START_TEST(member_size_cap)
{
	static const struct member m[] = {
		{ "small.json", "ok" },
		{ "big.json", "0123456789012345678901234567890123456789" },
	};
	struct run_limits lim = { .member_max = 16 };

	previous_run();
	write_archive("big.zip", ARC_ZIP, m, 2);
	assert_failed_keeps("big.zip", &lim, "more than the limit of 16");
}
END_TEST

START_TEST(member_count_cap)
{
	struct run_limits lim = { .members_max = 3 };

	previous_run();
	write_file("many/1.json", "1");
	write_file("many/2.json", "2");
	write_file("many/3.json", "3");
	write_file("many/4.json", "4");
	assert_failed_keeps("many", &lim, "more than 3 entries");
}
END_TEST

START_TEST(total_bytes_cap)
{
	static const struct member m[] = {
		{ "1.json", "0123456789" },
		{ "2.json", "0123456789" },
		{ "3.json", "0123456789" },
	};
	struct run_limits lim = { .total_max = 25 };

	previous_run();
	write_archive("total.tar.xz", ARC_TAR_XZ, m, 3);
	/* The compressed file itself is bigger than 25 bytes too; either
	 * cap names the limit. */
	assert_failed_keeps("total.tar.xz", &lim, "25");
}
END_TEST

START_TEST(parse_failure_keeps_previous)
{
	previous_run();
	write_file("bad/a.json", "new a");
	write_file("bad/b.json", "FAIL");
	assert_failed_keeps("bad", NULL, "refused by the test format");
	ck_assert_int_eq(count("SELECT count(*) FROM advisory WHERE summary = 'new a'"), 0);
}
END_TEST

START_TEST(missing_source_fails)
{
	previous_run();
	assert_failed_keeps("no-such-file.zip", NULL, "no-such-file.zip");
}
END_TEST

START_TEST(summary_new_changed_removed)
{
	struct run_result res;
	struct err err;

	previous_run();
	write_file("next/one.json", "1");        /* unchanged */
	write_file("next/two.json", "2 changed");
	write_file("next/three.json", "3");      /* new */
	write_file("next/four.json", "REJ");     /* rejected */
	ck_assert_int_eq(run_path("next", NULL, &res, &err), 0);
	ck_assert_int_eq(res.added, 1);
	ck_assert_int_eq(res.changed, 1);
	ck_assert_int_eq(res.removed, 0);
	ck_assert_int_eq(res.records, 3);
	ck_assert_int_eq(res.rejected, 1);
	ck_assert_ptr_nonnull(strstr(res.first_reject.msg, "four.json"));
	ck_assert_int_eq(count("SELECT rejected FROM feed"), 1);
	ck_assert_int_eq(count("SELECT last_change FROM feed"), 1700000000);

	write_file("last/one.json", "1");
	ck_assert_int_eq(run_path("last", NULL, &res, &err), 0);
	ck_assert_int_eq(res.added, 0);
	ck_assert_int_eq(res.changed, 0);
	ck_assert_int_eq(res.removed, 2);
}
END_TEST

START_TEST(not_modified_and_failure_bookkeeping)
{
	struct err err;
	char *msg;

	previous_run();
	ck_assert_int_eq(run_not_modified(store, &def, 1650000000, &err), 0);
	ck_assert_int_eq(count("SELECT last_success FROM feed"), 1650000000);
	ck_assert_int_eq(count("SELECT last_change FROM feed"), 1600000000);
	ck_assert_int_eq(run_record_failure(store, &def, "cannot fetch 'x': HTTP 500",
					    1660000000, &err), 0);
	ck_assert_int_eq(count("SELECT last_success FROM feed"), 1650000000);
	ck_assert_int_eq(count("SELECT last_attempt FROM feed"), 1660000000);
	ck_assert_int_eq(count("SELECT records FROM feed"), 2);
	msg = feed_text("SELECT last_error FROM feed");
	ck_assert_str_eq(msg, "cannot fetch 'x': HTTP 500");
	free(msg);
	ck_assert_int_eq(run_not_modified(store, &def, 1670000000, &err), 0);
	ck_assert_int_eq(count("SELECT last_error IS NULL FROM feed"), 1);
}
END_TEST

START_TEST(download_fd_source)
{
	static const struct member m[] = { { "x/GO-9.json", "nine" } };
	struct run_source src = { .path = NULL, .name = "all.zip" };
	struct run_options opts = { .source = "https://example.invalid/all.zip",
				    .etag = "\"abc\"", .last_modified = "Mon, 01 Jan 2024 00:00:00 GMT" };
	struct run_result res;
	struct err err;
	char path[512], *etag;

	write_archive("dl.zip", ARC_ZIP, m, 1);
	tmp_path(path, sizeof(path), "dl.zip");
	src.fd = open(path, O_RDONLY);
	ck_assert_int_ge(src.fd, 0);
	ck_assert_int_eq(run_feed(store, &def, &src, 1, &opts, &res, &err), 0);
	close(src.fd);
	ck_assert_str_eq(parsed[0], "x/GO-9.json");
	etag = feed_text("SELECT etag FROM feed");
	ck_assert_str_eq(etag, "\"abc\"");
	free(etag);
	etag = feed_text("SELECT source FROM feed");
	ck_assert_str_eq(etag, "https://example.invalid/all.zip");
	free(etag);
}
END_TEST

/* An incremental run (feed_format.plan): changed records given in memory,
 * records gone upstream deleted, the rest of the feed kept, the change
 * list's validators recorded; a failing one keeps everything. */
START_TEST(incremental_run)
{
	static const char *const gone[] = { "one.json" };
	static const char *const gone2[] = { "two.json" };
	struct run_source docs[] = {
		{ .fd = -1, .data = "2 changed", .len = 9, .name = "two.json" },
		{ .fd = -1, .data = "3", .len = 1, .name = "three.json" },
	};
	struct run_source bad[] = {
		{ .fd = -1, .data = "4", .len = 1, .name = "four.json" },
		{ .fd = -1, .data = "FAIL", .len = 4, .name = "five.json" },
	};
	struct run_options opts = {
		.source = "https://example.invalid/modified_id.csv", .etag = "\"csv-1\"",
		.now = 1700000000, .incremental = true, .gone = gone, .ngone = 1,
	};
	struct run_result res;
	struct err err;
	char *text;

	previous_run();
	ck_assert(last_full);
	ck_assert_int_eq(run_feed(store, &def, docs, 2, &opts, &res, &err), 0);
	ck_assert(!last_full);
	ck_assert_int_eq(res.added, 1);
	ck_assert_int_eq(res.changed, 1);
	ck_assert_int_eq(res.removed, 1);
	ck_assert_int_eq(res.records, 2);
	ck_assert_int_eq(res.documents, 2);
	ck_assert_int_eq(count("SELECT count(*) FROM advisory WHERE id = 'one.json'"), 0);
	ck_assert_int_eq(count("SELECT count(*) FROM advisory WHERE id = 'two.json'"
			       " AND summary = '2 changed'"), 1);
	ck_assert_int_eq(count("SELECT count(*) FROM advisory WHERE id = 'three.json'"), 1);
	text = feed_text("SELECT etag || ' ' || source FROM feed");
	ck_assert_str_eq(text, "\"csv-1\" https://example.invalid/modified_id.csv");
	free(text);

	/* The second document fails: the deletion and the first document
	 * go too, and the feed row keeps the previous validators. */
	opts.etag = "\"csv-2\"";
	opts.gone = gone2;
	opts.now = 1700000100;
	ck_assert_int_ne(run_feed(store, &def, bad, 2, &opts, &res, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "five.json"));
	ck_assert_int_eq(count("SELECT count(*) FROM advisory WHERE id IN ('two.json', 'three.json')"), 2);
	ck_assert_int_eq(count("SELECT count(*) FROM advisory WHERE id = 'four.json'"), 0);
	ck_assert_int_eq(count("SELECT last_success FROM feed"), 1700000000);
	text = feed_text("SELECT etag FROM feed");
	ck_assert_str_eq(text, "\"csv-1\"");
	free(text);

	/* gone is for incremental runs only: a full run ignores it. */
	opts.incremental = false;
	opts.etag = NULL;
	ck_assert_int_eq(run_feed(store, &def, docs, 1, &opts, &res, &err), 0);
	ck_assert(last_full);
	ck_assert_int_eq(res.records, 1);
}
END_TEST

START_TEST(plan_release_accepts_empty)
{
	struct feed_plan plan = { 0 };

	run_plan_release(&plan);
	run_plan_release(NULL);
	plan.n = 1;
	plan.urls = calloc(1, sizeof(*plan.urls));
	plan.ids = calloc(1, sizeof(*plan.ids));
	plan.urls[0] = strdup("https://example.invalid/GO-1.json");
	plan.ids[0] = strdup("GO-1");
	run_plan_release(&plan);
	ck_assert_int_eq(plan.n, 0);
	ck_assert_ptr_null(plan.urls);
}
END_TEST

static Suite *run_suite(void)
{
	Suite *s = suite_create("run");
	TCase *tc = tcase_create("runner");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, directory_sorted_recursive);
	tcase_add_test(tc, zip_members);
	tcase_add_test(tc, tar_xz_and_tar_gz);
	tcase_add_test(tc, single_gz_is_one_document);
	tcase_add_test(tc, plain_file_named_directly);
	tcase_add_test(tc, truncated_tar_xz_keeps_previous);
	tcase_add_test(tc, truncated_zip_keeps_previous);
	tcase_add_test(tc, truncated_gz_keeps_previous);
	tcase_add_test(tc, every_record_rejected_keeps_previous);
	tcase_add_test(tc, emptying_a_feed_fails);
	tcase_add_test(tc, invalid_utf8);
	tcase_add_test(tc, gzip_bad_crc_keeps_previous);
	tcase_add_test(tc, dotdot_member_rejected);
	tcase_add_test(tc, absolute_member_rejected);
	tcase_add_test(tc, member_size_cap);
	tcase_add_test(tc, member_count_cap);
	tcase_add_test(tc, total_bytes_cap);
	tcase_add_test(tc, parse_failure_keeps_previous);
	tcase_add_test(tc, missing_source_fails);
	tcase_add_test(tc, summary_new_changed_removed);
	tcase_add_test(tc, not_modified_and_failure_bookkeeping);
	tcase_add_test(tc, download_fd_source);
	tcase_add_test(tc, incremental_run);
	tcase_add_test(tc, plan_release_accepts_empty);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(run_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
