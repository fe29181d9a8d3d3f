/* test_kernel_cna.c - unit tests of the kernel-cna adapter
 * (feeds/kernel_cna.c) on real kernel CNA records copied into
 * tests/data/feeds/: which members of a vulns.git tree are read, the
 * flattened intervals of the README's edge cases (CVE-2019-25160,
 * CVE-2024-26581, CVE-2023-53782, CVE-2023-53012, CVE-2026-74578, the rejected
 * CVE-2024-26609), bad records rejected by file and id, and the verdict
 * test: for 300 real records and many kernel versions, what the stored
 * intervals say equals what the records' .dyad files say. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "feed.h"
#include "kernel_cna.h"
#include "run.h"
#include "store.h"
#include "version.h"

static const struct feed_def def = {
	.name = "kernel-cna",
	.format = &feed_format_kernel_cna,
};

/* The query `slipway affected --component kernel --version V` runs. */
static const char affected_sql[] =
	"SELECT DISTINCT a.id FROM advisory a JOIN affected r USING(aid)"
	" WHERE r.component = 'kernel' AND r.ecosystem = 'upstream'"
	" AND version_affects(r.scheme, r.introduced, r.fixed, r.last_affected,"
	" r.limit_, ?)";

static void fixture(char *out, size_t size, const char *rel)
{
	const char *root = getenv("SLIPWAY_SOURCE_ROOT");

	snprintf(out, size, "%s/tests/data/feeds/%s", root ? root : ".", rel);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *data;
	long n;

	ck_assert_msg(fp != NULL, "cannot open %s", path);
	ck_assert_int_eq(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	ck_assert_int_ge(n, 0);
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

	ck_assert_msg(store_open(&s, ":memory:", &err) == 0, "%s", err.msg);
	return s;
}

/* One full run of the feed runner over a fixture directory. */
static void ingest(struct store *s, const char *rel, struct run_result *res)
{
	char dir[1024];
	struct run_source src = { .path = dir, .fd = -1 };
	struct err err;

	fixture(dir, sizeof(dir), rel);
	memset(res, 0, sizeof(*res));
	ck_assert_msg(run_feed(s, &def, &src, 1, NULL, res, &err) == 0,
		      "run failed: %s", err.msg);
}

static long long count(struct store *s, const char *sql, const char *id)
{
	long long n = -1;
	struct err err;

	ck_assert_msg(store_query_int(s, &n, &err, sql, "s", id) == 0, "%s",
		      err.msg);
	return n;
}

static long long advisories(struct store *s, const char *id)
{
	return count(s,
		     "SELECT count(*) FROM advisory"
		     " WHERE feed = 'kernel-cna' AND id = ?",
		     id);
}

/* Rows of the advisory or the affected table, all feeds. */
static long long rows_of(struct store *s, const char *table)
{
	long long n = -1;
	struct err err;

	ck_assert_msg(store_query_int(s, &n, &err,
				      !strcmp(table, "advisory")
					      ? "SELECT count(*) FROM advisory"
					      : "SELECT count(*) FROM affected",
				      NULL) == 0, "%s", err.msg);
	return n;
}

static void add_feed_row(struct store *s)
{
	struct err err;

	ck_assert_int_eq(store_exec(s, &err,
				    "INSERT INTO feed(name) VALUES (?)", "s",
				    def.name), 1);
}

static bool affected_at(struct store *s, const char *id, const char *v)
{
	long long n = -1;
	struct err err;

	ck_assert_msg(store_query_int(s, &n, &err,
		"SELECT count(*) FROM advisory a JOIN affected r USING(aid)"
		" WHERE a.id = ?1 AND r.component = 'kernel'"
		" AND r.ecosystem = 'upstream'"
		" AND version_affects(r.scheme, r.introduced, r.fixed,"
		" r.last_affected, r.limit_, ?2)", "ss", id, v) == 0,
		"%s", err.msg);
	return n > 0;
}

/* The stored intervals of one advisory, "introduced..fixed" with
 * "<=last_affected" and "<limit" when set, in insertion order. */
static char *intervals(struct store *s, const char *id)
{
	char *out = NULL;
	struct err err;

	ck_assert_msg(store_query_text(s, &out, &err,
		"SELECT group_concat(coalesce(r.introduced, '0') || '..'"
		"  || coalesce(r.fixed, '')"
		"  || coalesce(' <=' || r.last_affected, '')"
		"  || coalesce(' <' || r.limit_, ''), ', ')"
		" FROM (SELECT r.* FROM advisory a JOIN affected r USING(aid)"
		"  WHERE a.id = ? AND r.component = 'kernel'"
		"  AND r.ecosystem = 'upstream' AND r.package = 'linux'"
		"  AND r.scheme = 'kernel' ORDER BY r.rowid) r",
		"s", id) == 0, "%s", err.msg);
	return out;
}

struct verdict {
	const char *version;
	bool affected;
};

static void check_verdicts(struct store *s, const char *id,
			   const struct verdict *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		ck_assert_msg(affected_at(s, id, v[i].version) == v[i].affected,
			      "%s at %s: expected %s", id, v[i].version,
			      v[i].affected ? "affected" : "not affected");
}

START_TEST(want_takes_records_of_a_vulns_tree)
{
	static const struct {
		const char *path;
		bool want;
	} cases[] = {
		{ "cve/published/2024/CVE-2024-26581.json", true },
		{ "cve/rejected/2024/CVE-2024-26609.json", true },
		{ "vulns-d9dda40c/cve/published/2019/CVE-2019-25160.json",
		  true },
		{ "cve/published/2024/CVE-2024-26581.dyad", false },
		{ "cve/published/2024/CVE-2024-26581.sha1", false },
		{ "cve/published/2025/CVE-2025-21772.vulnerable", false },
		{ "cve/rejected/2024/CVE-2024-26609.mbox", false },
		{ "cve/reserved/2026/CVE-2026-99999.json", false },
		{ "scripts/CVE-2024-26581.json", false },
		{ "cve/published/2024/notes.json", false },
		{ "cve/published/2024/CVE-24-1.json", false },
		{ "2024/CVE-2024-26581.json", true },
		{ "CVE-2024-26581.json", true },
		{ "CVE-2024-26581.rejected.json", false },
	};
	struct feed_run run = { .def = &def };
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool got = feed_format_kernel_cna.want(&run, cases[i].path);

		ck_assert_msg(got == cases[i].want, "want(%s) should be %d",
			      cases[i].path, cases[i].want);
	}
}
END_TEST

START_TEST(tree_run_stores_published_and_skips_rejected)
{
	struct store *s = open_store();
	struct run_result res;

	ingest(s, "kernel-cna", &res);
	ck_assert_int_eq(res.records, 9);
	ck_assert_int_eq(res.rejected, 0);
	ck_assert_int_eq(advisories(s, "CVE-2024-26609"), 0);
	ck_assert_int_eq(advisories(s, "CVE-2024-26581"), 1);
	store_close(s);
}
END_TEST

START_TEST(simple_record_cve_2019_25160)
{
	static const struct verdict v[] = {
		{ "2.6.18", false }, { "2.6.19", true }, { "3.10.108", true },
		{ "3.16.65", true }, { "3.16.66", false }, { "3.17.2", true },
		{ "3.18.137", false }, { "4.4.176", true },
		{ "4.4.177", false },
		{ "4.19.27", true }, { "4.19.28", false }, { "4.20.14", true },
		{ "4.20.15", false }, { "5.0", false }, { "6.1.76", false },
	};
	struct store *s = open_store();
	struct run_result res;
	char *got;

	ingest(s, "kernel-cna", &res);
	got = intervals(s, "CVE-2019-25160");
	ck_assert_str_eq(got,
		"2.6.19..3.16.66, 3.17..3.18.137, 3.19..4.4.177, 4.5..4.9.163,"
		" 4.10..4.14.106, 4.15..4.19.28, 4.20..4.20.15, 4.21..5.0");
	free(got);
	check_verdicts(s, "CVE-2019-25160", v, sizeof(v) / sizeof(v[0]));
	store_close(s);
}
END_TEST

START_TEST(backport_ranges_cve_2024_26581)
{
	static const struct verdict v[] = {
		/* introduced and fixed in the same release on 4.19 */
		{ "4.19.315", false }, { "4.19.316", false },
		{ "4.19.320", false }, { "5.4.261", false }, { "5.4.262", true },
		{ "5.4.268", true }, { "5.4.269", false }, { "5.10.189", false },
		{ "5.10.190", true }, { "5.10.210", false }, { "5.15.148", true },
		{ "5.15.149", false },
		{ "6.1.42", false }, { "6.1.43", true }, { "6.1.78", false },
		{ "6.3.13", false },
		/* introduced by a backport on 6.4, an EOL branch never fixed */
		{ "6.4.7", false }, { "6.4.8", true }, { "6.4.16", true },
		/* mainline introduction 6.5 */
		{ "6.5", true }, { "6.5.13", true }, { "6.6.16", true },
		{ "6.6.17", false }, { "6.7.4", true }, { "6.7.5", false },
		{ "6.8", false }, { "6.12.5", false },
	};
	struct store *s = open_store();
	struct run_result res;
	char *got, *vec = NULL;
	long long n = -1;
	struct err err;

	ingest(s, "kernel-cna", &res);
	got = intervals(s, "CVE-2024-26581");
	ck_assert_str_eq(got,
		"5.4.262..5.4.269, 5.10.190..5.10.210, 5.15.124..5.15.149,"
		" 6.1.43..6.1.78, 6.4.8.. <6.5, 6.5..6.6.17, 6.7..6.7.5");
	free(got);
	check_verdicts(s, "CVE-2024-26581", v, sizeof(v) / sizeof(v[0]));
	ck_assert_int_eq(store_query_text(s, &vec, &err,
		"SELECT severity || ' ' || cvss_score || ' ' || cvss_vector"
		" FROM advisory WHERE id = ?", "s", "CVE-2024-26581"), 0);
	ck_assert_str_eq(vec,
		"high 7.8 CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H");
	free(vec);
	ck_assert_int_eq(store_query_int(s, &n, &err,
		"SELECT count(*) FROM advisory WHERE id = ? AND summary LIKE"
		" 'In the Linux kernel, the following vulnerability has been"
		" resolved:%nft_set_rbtree%'",
		"s", "CVE-2024-26581"), 0);
	ck_assert_int_eq(n, 1);
	store_close(s);
}
END_TEST

START_TEST(never_fixed_branches_cve_2023_53782)
{
	/* Backports into six EOL branches that never got the fix, and the
	 * mainline bug of 4.9: fourteen intervals, more than one statement
	 * of feed_put_ranges() holds. */
	static const struct verdict v[] = {
		{ "3.2.86", false }, { "3.2.87", true }, { "3.2.102", true },
		{ "3.10.108", true }, { "3.18.140", false },
		{ "4.4.302", true },
		{ "4.8.9", false }, { "4.8.17", true }, { "4.9", true },
		{ "4.9.337", true }, { "4.14.325", true },
		{ "4.14.326", false },
		{ "5.4.256", true }, { "5.4.257", false }, { "6.5.2", true },
		{ "6.5.3", false }, { "6.6", false }, { "6.12.5", false },
	};
	struct store *s = open_store();
	struct run_result res;
	char *got;

	ingest(s, "kernel-cna", &res);
	got = intervals(s, "CVE-2023-53782");
	ck_assert_str_eq(got,
		"3.2.87.. <3.3, 3.10.105.. <3.11, 3.12.68.. <3.13,"
		" 3.16.42.. <3.17, 4.4.34.. <4.5, 4.8.10.. <4.9, 4.9..4.14.326,"
		" 4.15..4.19.295,"
		" 4.20..5.4.257, 5.5..5.10.195, 5.11..5.15.132, 5.16..6.1.53,"
		" 6.2..6.4.16, 6.5..6.5.3");
	free(got);
	check_verdicts(s, "CVE-2023-53782", v, sizeof(v) / sizeof(v[0]));
	store_close(s);
}
END_TEST

START_TEST(no_versions_cve_2023_53012)
{
	static const struct verdict v[] = {
		{ "5.15.86", false }, { "6.0.15", false }, { "6.0.16", true },
		{ "6.0.19", true }, { "6.1", false }, { "6.1.2", false },
		{ "6.2", false }, { "6.6.30", false },
	};
	struct store *s = open_store();
	struct run_result res;
	char *got;

	ingest(s, "kernel-cna", &res);
	ck_assert_int_eq(advisories(s, "CVE-2023-53012"), 1);
	got = intervals(s, "CVE-2023-53012");
	ck_assert_str_eq(got, "6.0.16.. <6.1");
	free(got);
	check_verdicts(s, "CVE-2023-53012", v, sizeof(v) / sizeof(v[0]));
	store_close(s);
}
END_TEST

START_TEST(cve_id_spelling_cve_2026_74578)
{
	struct store *s = open_store();
	struct run_result res;
	char *sev = NULL;
	struct err err;

	ingest(s, "kernel-cna", &res);
	ck_assert_int_eq(advisories(s, "CVE-2026-74578"), 1);
	ck_assert_int_eq(count(s,
			       "SELECT count(*) FROM advisory_alias al"
			       " JOIN advisory a USING(aid) WHERE al.alias = ?",
			       "CVE-2026-74578"), 1);
	ck_assert_int_eq(store_query_text(s, &sev, &err,
		"SELECT severity FROM advisory WHERE id = ?", "s",
		"CVE-2026-74578"), 0);
	ck_assert_ptr_nonnull(sev);
	free(sev);
	ck_assert_int_gt(count(s,
			       "SELECT count(*) FROM advisory a"
			       " JOIN affected r USING(aid) WHERE a.id = ?",
			       "CVE-2026-74578"), 0);
	store_close(s);
}
END_TEST

/* Runs the format over one document with the given member path, in an
 * incremental (not full) run of its own transaction. */
static void parse_as(struct store *s, struct feed_run *run, const char *member,
		     const char *file)
{
	char path[1024];
	struct err err;
	size_t len;
	char *data;

	fixture(path, sizeof(path), file);
	data = slurp(path, &len);
	memset(run, 0, sizeof(*run));
	run->store = s;
	run->def = &def;
	run->full = false;
	ck_assert_int_eq(store_begin(s, &err), 0);
	ck_assert_int_eq(feed_format_kernel_cna.begin(run, &err), 0);
	ck_assert_msg(feed_format_kernel_cna.parse(run, member, data, len,
						   &err) == 0, "%s", err.msg);
	ck_assert_int_eq(feed_format_kernel_cna.finish(run, &err), 0);
	ck_assert_int_eq(store_commit(s, &err), 0);
	free(data);
}

START_TEST(rejected_record_removes_its_advisory)
{
	static const char file[] =
		"kernel-cna/cve/rejected/2024/CVE-2024-26609.json";
	struct store *s = open_store();
	struct feed_run run;

	add_feed_row(s);
	/* Before vulns.git moved it, the same record was published (its
	 * JSON, in the older format, spells the id cveID). */
	parse_as(s, &run, "cve/published/2024/CVE-2024-26609.json", file);
	ck_assert_int_eq(run.records, 1);
	ck_assert_int_eq(advisories(s, "CVE-2024-26609"), 1);
	ck_assert(affected_at(s, "CVE-2024-26609", "6.1.70"));
	ck_assert(!affected_at(s, "CVE-2024-26609", "6.1.76"));
	/* The directory decides: the JSON still says PUBLISHED. */
	parse_as(s, &run, "cve/rejected/2024/CVE-2024-26609.json", file);
	ck_assert_int_eq(run.records, 0);
	ck_assert_int_eq(run.rejected, 0);
	ck_assert_int_eq(advisories(s, "CVE-2024-26609"), 0);
	ck_assert_int_eq(rows_of(s, "affected"), 0);
	store_close(s);
}
END_TEST

START_TEST(full_run_replaces_earlier_advisories)
{
	struct store *s = open_store();
	struct run_result res;

	ingest(s, "kernel-cna", &res);
	ck_assert_int_eq(advisories(s, "CVE-2019-25160"), 1);
	ingest(s, "kernel-cna-subset", &res);
	ck_assert_int_eq(res.records, 300);
	/* CVE-2024-36971 is in both sets. */
	ck_assert_int_eq(res.removed, 8);
	ck_assert_int_eq(advisories(s, "CVE-2019-25160"), 0);
	ck_assert_int_eq(advisories(s, "CVE-2024-36971"), 1);
	ck_assert_int_eq(rows_of(s, "advisory"), 300);
	store_close(s);
}
END_TEST

static const struct {
	const char *file;
	const char *id;          /* named in the message; NULL: unreadable */
	const char *problem;     /* part of the message */
} bad_records[] = {
	{ "CVE-2024-36971.truncated.json", NULL, "not valid JSON" },
	{ "CVE-2025-21756.number-lessThanOrEqual.json", "CVE-2025-21756",
	  "affected[1].versions[2]: a field has a wrong type" },
	{ "CVE-2019-25160.string-baseScore.json", "CVE-2019-25160",
	  "metrics[0].cvssV3_1" },
	{ "CVE-2023-53012.affected-object.json", "CVE-2023-53012",
	  "'affected' is missing or not an array" },
	{ "CVE-2026-74578.string-version-entry.json", "CVE-2026-74578",
	  "affected[1].versions[0] is not an object" },
};

START_TEST(bad_record_is_rejected_by_file_and_id)
{
	char rel[256], member[256];
	struct store *s = open_store();
	struct feed_run run;
	const char *msg = run.first_reject.msg;

	add_feed_row(s);
	snprintf(rel, sizeof(rel), "kernel-cna-bad/%s", bad_records[_i].file);
	snprintf(member, sizeof(member), "cve/published/2025/%s",
		 bad_records[_i].file);
	parse_as(s, &run, member, rel);
	ck_assert_int_eq(run.rejected, 1);
	ck_assert_int_eq(run.records, 0);
	ck_assert_msg(strstr(msg, member) != NULL,
		      "message does not name the file: %s", msg);
	if (bad_records[_i].id)
		ck_assert_msg(strstr(msg, bad_records[_i].id) != NULL,
			      "message does not name the record: %s", msg);
	ck_assert_msg(strstr(msg, bad_records[_i].problem) != NULL,
		      "unexpected message: %s", msg);
	ck_assert_ptr_null(strchr(msg, '\n'));
	ck_assert_int_eq(rows_of(s, "advisory"), 0);
	ck_assert_int_eq(rows_of(s, "affected"), 0);
	store_close(s);
}
END_TEST

START_TEST(bad_record_keeps_the_others_of_its_run)
{
	struct store *s = open_store();
	struct feed_run run;

	add_feed_row(s);
	parse_as(s, &run, "cve/published/2019/CVE-2019-25160.json",
		 "kernel-cna/cve/published/2019/CVE-2019-25160.json");
	parse_as(s, &run, "cve/published/2019/CVE-2019-25160.json",
		 "kernel-cna-bad/CVE-2019-25160.string-baseScore.json");
	ck_assert_int_eq(run.rejected, 1);
	/* The earlier good copy of the record stays as it was. */
	ck_assert_int_eq(advisories(s, "CVE-2019-25160"), 1);
	ck_assert(affected_at(s, "CVE-2019-25160", "4.4.100"));
	store_close(s);
}
END_TEST

/* The verdict test.
 *
 * A .dyad file lists the vulnerable:fixed pairs the kernel's dyad tool
 * found, one per line, "introVer:introSha:fixVer:fixSha", "0:0" for a fix
 * that does not exist. Each line belongs to one branch: the fix's branch
 * (6.1 for "6.1.78", 6.8 for the mainline release "6.8"), or the
 * introduction's branch when there is no fix. A kernel version V of
 * branch B ("6.1" of "6.1.76", "2.6.32" of "2.6.32.71") is affected when:
 *   - some lines belong to B: one of them has intro <= V and (no fix or
 *     V < fix). "5.4.262:..:5.4.269:.." says 5.4.262 up to 5.4.268 are
 *     affected; "4.19.316:..:4.19.316:.." (introduced and fixed by the
 *     same release) affects no 4.19 version; "6.4.8:..:0:0" says 6.4.8
 *     and every later 6.4.y (an EOL branch) are affected;
 *   - no line belongs to B (an EOL branch the fix never reached, or a
 *     release after the mainline fix): the mainline lines decide, those
 *     whose fix is a mainline release, or that have no fix and were
 *     introduced by a mainline release: intro <= V and (no fix or V <
 *     fix). "6.5:..:6.8:.." makes 6.5.y affected and 6.9.y not.
 * Versions beyond a branch's own fix are never affected through another
 * branch's line, so "6.5:..:6.6.17:.." says nothing about 6.7.y.
 *
 * Where the JSON and the .dyad of one record disagree, the data disagree;
 * none of the 300 records does. (CVE-2023-53012 in kernel-cna/, not part
 * of this set, does: its .dyad, written by dyad 1.0.0, pairs the 5.15
 * fix with a different introduction and says 5.15.86 and 6.1.2 are never
 * fixed, while its JSON lists only 6.0.16 <= v < 6.1.) */

#define MAX_DYAD_LINES 128

struct dyad_line {
	char intro[32];
	char fix[32];   /* "0": not fixed */
};

struct dyad_record {
	char id[32];
	struct dyad_line lines[MAX_DYAD_LINES];
	size_t n;
};

static int count_numbers(const char *v)
{
	int n = 1;

	for (; *v; v++)
		n += *v == '.';
	return n;
}

static bool old_scheme(const char *v)
{
	return !strncmp(v, "2.6.", 4);
}

/* "6.1" of "6.1.76" and of "6.1"; "2.6.32" of "2.6.32.71". */
static void branch_of(char *out, size_t size, const char *v)
{
	int keep = old_scheme(v) ? 3 : 2;
	size_t i;
	int dots = 0;

	for (i = 0; v[i] && i + 1 < size; i++) {
		if (v[i] == '.' && ++dots == keep)
			break;
		out[i] = v[i];
	}
	out[i] = '\0';
}

static bool is_mainline(const char *v)
{
	return count_numbers(v) == (old_scheme(v) ? 3 : 2);
}

static bool line_affects(const struct dyad_line *l, const char *v)
{
	return version_cmp(VERSION_KERNEL, l->intro, v) <= 0 &&
	       (!strcmp(l->fix, "0") ||
		version_cmp(VERSION_KERNEL, v, l->fix) < 0);
}

static bool dyad_affects(const struct dyad_record *d, const char *v)
{
	char vb[32], lb[32];
	bool in_branch = false, hit = false;
	size_t i;

	branch_of(vb, sizeof(vb), v);
	for (i = 0; i < d->n; i++) {
		const struct dyad_line *l = &d->lines[i];

		branch_of(lb, sizeof(lb),
			  strcmp(l->fix, "0") ? l->fix : l->intro);
		if (strcmp(lb, vb))
			continue;
		in_branch = true;
		hit = hit || line_affects(l, v);
	}
	if (in_branch)
		return hit;
	for (i = 0; i < d->n; i++) {
		const struct dyad_line *l = &d->lines[i];
		bool mainline = strcmp(l->fix, "0") ? is_mainline(l->fix)
						    : is_mainline(l->intro);

		if (mainline && line_affects(l, v))
			return true;
	}
	return false;
}

static void read_dyad(struct dyad_record *d, const char *path)
{
	char line[512];
	FILE *fp = fopen(path, "r");

	ck_assert_msg(fp != NULL, "cannot open %s", path);
	d->n = 0;
	while (fgets(line, sizeof(line), fp)) {
		char *f[4], *p = line;
		int i;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		line[strcspn(line, "\n")] = '\0';
		for (i = 0; i < 4; i++) {
			f[i] = p;
			p = strchr(p, ':');
			if (i < 3) {
				ck_assert_msg(p != NULL, "%s: bad line", path);
				*p++ = '\0';
			}
		}
		ck_assert_uint_lt(d->n, MAX_DYAD_LINES);
		ck_assert_uint_lt(strlen(f[0]), sizeof(d->lines[0].intro));
		ck_assert_uint_lt(strlen(f[2]), sizeof(d->lines[0].fix));
		memcpy(d->lines[d->n].intro, f[0], strlen(f[0]) + 1);
		memcpy(d->lines[d->n].fix, f[2], strlen(f[2]) + 1);
		d->n++;
	}
	fclose(fp);
	ck_assert_uint_gt(d->n, 0);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_record(const void *a, const void *b)
{
	return strcmp(((const struct dyad_record *)a)->id,
		      ((const struct dyad_record *)b)->id);
}

/* Every .dyad of the subset (in <year>/ folders), sorted by id. */
static struct dyad_record *read_subset(const char *root, size_t *out_n)
{
	struct dyad_record *recs = NULL;
	size_t n = 0;
	DIR *top = opendir(root);
	struct dirent *ye;

	ck_assert_msg(top != NULL, "cannot open %s", root);
	recs = calloc(400, sizeof(*recs));
	ck_assert_ptr_nonnull(recs);
	while ((ye = readdir(top))) {
		char dir[1536];
		struct dirent *fe;
		DIR *d;

		if (ye->d_name[0] == '.')
			continue;
		snprintf(dir, sizeof(dir), "%s/%s", root, ye->d_name);
		d = opendir(dir);
		ck_assert_ptr_nonnull(d);
		while ((fe = readdir(d))) {
			size_t len = strlen(fe->d_name);
			char path[2048];

			if (len < 6 || strcmp(fe->d_name + len - 5, ".dyad"))
				continue;
			ck_assert_uint_lt(n, 400);
			ck_assert_uint_lt(len - 5, sizeof(recs[n].id));
			memcpy(recs[n].id, fe->d_name, len - 5);
			recs[n].id[len - 5] = '\0';
			snprintf(path, sizeof(path), "%s/%s", dir, fe->d_name);
			read_dyad(&recs[n], path);
			n++;
		}
		closedir(d);
	}
	closedir(top);
	qsort(recs, n, sizeof(*recs), cmp_record);
	*out_n = n;
	return recs;
}

START_TEST(verdicts_agree_with_dyad_for_300_records)
{
	static const char *const versions[] = {
		"3.16.50", "4.4.100", "4.9.300", "4.14.200", "4.19.300",
		"5.4.250", "5.10.200", "5.10.230", "5.15.150", "6.1.76",
		"6.1.120", "6.5.1", "6.6.30", "6.7.3", "6.8.0", "6.9.2",
		"6.12.5", "6.15.4", "6.18.10", "7.0.1",
	};
	const size_t nversions = sizeof(versions) / sizeof(versions[0]);
	struct store *s = open_store();
	struct dyad_record *recs;
	struct run_result res;
	char root[1024];
	size_t n = 0, i, j, pairs = 0, agree = 0, hits = 0;

	fixture(root, sizeof(root), "kernel-cna-subset");
	recs = read_subset(root, &n);
	ck_assert_uint_eq(n, 300);
	ingest(s, "kernel-cna-subset", &res);
	ck_assert_int_eq(res.records, 300);
	ck_assert_int_eq(res.rejected, 0);

	for (j = 0; j < nversions; j++) {
		struct store_rows rows = STORE_ROWS_INIT;
		char **ids = NULL;
		size_t nids = 0;
		struct err err;
		int rc;

		ids = calloc(n + 1, sizeof(*ids));
		ck_assert_ptr_nonnull(ids);
		ck_assert_int_eq(store_query(s, &rows, &err, affected_sql, "s",
					     versions[j]), 0);
		while ((rc = store_rows_next(&rows)) > 0) {
			ck_assert_uint_lt(nids, n + 1);
			ids[nids++] = strdup(store_rows_text(&rows, 0));
		}
		ck_assert_int_eq(rc, 0);
		store_rows_done(&rows);
		qsort(ids, nids, sizeof(*ids), cmp_str);
		for (i = 0; i < n; i++) {
			const char *key = recs[i].id;
			bool db = bsearch(&key, ids, nids, sizeof(*ids),
					  cmp_str) != NULL;
			bool dyad = dyad_affects(&recs[i], versions[j]);

			pairs++;
			hits += dyad;
			if (db == dyad)
				agree++;
			else
				fprintf(stderr, "%s at %s: database says %s,"
					" .dyad says %s\n", recs[i].id,
					versions[j], db ? "affected" : "no",
					dyad ? "affected" : "no");
		}
		for (i = 0; i < nids; i++)
			free(ids[i]);
		free(ids);
	}
	printf("kernel-cna verdicts: %zu records x %zu versions = %zu pairs,"
	       " %zu agree, %zu affected\n", n, nversions, pairs, agree, hits);
	ck_assert_uint_eq(pairs, n * nversions);
	ck_assert_uint_eq(agree, pairs);
	/* The check is not vacuous: many pairs are affected, many not. */
	ck_assert_uint_gt(hits, pairs / 10);
	ck_assert_uint_lt(hits, pairs - pairs / 10);
	free(recs);
	store_close(s);
}
END_TEST

/* Pipelined runs (feeds/run.h): the same run through parse() in this
 * thread and through extract() in worker threads must leave the same rows,
 * in the same order (aid order is insertion order). */
static void ingest_workers(struct store *s, const char *dir, int workers,
			   struct run_result *res)
{
	struct run_source src = { .path = dir, .fd = -1 };
	struct run_options opts = { .workers = workers };
	struct err err;

	memset(res, 0, sizeof(*res));
	ck_assert_msg(run_feed(s, &def, &src, 1, &opts, res, &err) == 0,
		      "run failed: %s", err.msg);
}

/* Every advisory with its fields and its intervals, in aid order. */
static char *dump(struct store *s)
{
	char *out = NULL;
	struct err err;

	ck_assert_msg(store_query_text(s, &out, &err,
		"SELECT group_concat(x, char(10)) FROM (SELECT a.id || ','"
		"  || coalesce(a.summary, '') || ',' || coalesce(a.severity, '')"
		"  || ',' || coalesce(a.cvss_score, '') || ','"
		"  || coalesce(a.cvss_vector, '') || ',' || coalesce(a.digest, '')"
		"  || ':' || coalesce((SELECT group_concat(coalesce(r.introduced,"
		"   '0') || '..' || coalesce(r.fixed, '') || '<='"
		"   || coalesce(r.last_affected, '') || '<' || coalesce(r.limit_,"
		"   ''), ' ') FROM (SELECT * FROM affected r WHERE r.aid = a.aid"
		"   ORDER BY r.rowid) r), '') AS x"
		" FROM advisory a ORDER BY a.aid)", NULL) == 0, "%s", err.msg);
	ck_assert_ptr_nonnull(out);
	return out;
}

START_TEST(pipelined_run_stores_what_parse_stores)
{
	static const char *const trees[] = { "kernel-cna-subset", "kernel-cna" };
	char dir[1024];
	size_t i;

	for (i = 0; i < sizeof(trees) / sizeof(trees[0]); i++) {
		struct store *one = open_store(), *two = open_store();
		struct run_result r1, r2;
		char *d1, *d2;

		fixture(dir, sizeof(dir), trees[i]);
		ingest_workers(one, dir, -1, &r1);
		ingest_workers(two, dir, 2, &r2);
		ck_assert_int_eq(r1.records, r2.records);
		ck_assert_int_eq(r1.rejected, r2.rejected);
		ck_assert_int_eq(r1.documents, r2.documents);
		ck_assert_int_gt(r2.records, 0);
		d1 = dump(one);
		d2 = dump(two);
		ck_assert_msg(!strcmp(d1, d2), "%s: pipelined rows differ",
			      trees[i]);
		free(d1);
		free(d2);
		store_close(one);
		store_close(two);
	}
}
END_TEST

/* Copies fixture rel to dir/member (creating cve/published/<year>). */
static void put_record(const char *dir, const char *year, const char *name,
		       const char *rel)
{
	char src[1024], path[1200];
	size_t len;
	char *data;
	FILE *f;

	fixture(src, sizeof(src), rel);
	data = slurp(src, &len);
	snprintf(path, sizeof(path), "%s/cve", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/cve/published", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/cve/published/%s", dir, year);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/cve/published/%s/%s", dir, year, name);
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	fclose(f);
	free(data);
}

START_TEST(pipelined_run_rejects_bad_records_in_place)
{
	char dir[] = "/tmp/slipway-kcna-pipe.XXXXXX";
	struct store *s = open_store();
	struct run_result res;
	static const char *const made[] = {
		"cve/published/2019/CVE-2019-25160.json",
		"cve/published/2024/CVE-2024-36971.json",
		"cve/published/2025/CVE-2025-21756.json",
		"cve/published/2019", "cve/published/2024",
		"cve/published/2025", "cve/published", "cve",
	};
	const char *msg;
	char path[256];
	size_t i;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	put_record(dir, "2019", "CVE-2019-25160.json",
		   "kernel-cna/cve/published/2019/CVE-2019-25160.json");
	put_record(dir, "2024", "CVE-2024-36971.json",
		   "kernel-cna-bad/CVE-2024-36971.truncated.json");
	put_record(dir, "2025", "CVE-2025-21756.json",
		   "kernel-cna-bad/CVE-2025-21756.number-lessThanOrEqual.json");
	ingest_workers(s, dir, 2, &res);
	ck_assert_int_eq(res.documents, 3);
	ck_assert_int_eq(res.rejected, 2);
	ck_assert_int_eq(res.records, 1);
	/* The first refused in document order, with parse()'s message. */
	msg = res.first_reject.msg;
	ck_assert_msg(strstr(msg, "cve/published/2024/CVE-2024-36971.json") &&
		      strstr(msg, "not valid JSON"), "unexpected: %s", msg);
	ck_assert_int_eq(advisories(s, "CVE-2019-25160"), 1);
	ck_assert(affected_at(s, "CVE-2019-25160", "4.4.100"));
	ck_assert_int_eq(rows_of(s, "advisory"), 1);
	store_close(s);
	for (i = 0; i < sizeof(made) / sizeof(made[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, made[i]);
		ck_assert_msg(remove(path) == 0, "cannot remove '%s'", path);
	}
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

static Suite *kernel_cna_suite(void)
{
	Suite *s = suite_create("kernel-cna");
	TCase *tc = tcase_create("adapter");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, want_takes_records_of_a_vulns_tree);
	tcase_add_test(tc, tree_run_stores_published_and_skips_rejected);
	tcase_add_test(tc, simple_record_cve_2019_25160);
	tcase_add_test(tc, backport_ranges_cve_2024_26581);
	tcase_add_test(tc, never_fixed_branches_cve_2023_53782);
	tcase_add_test(tc, no_versions_cve_2023_53012);
	tcase_add_test(tc, cve_id_spelling_cve_2026_74578);
	tcase_add_test(tc, rejected_record_removes_its_advisory);
	tcase_add_test(tc, full_run_replaces_earlier_advisories);
	tcase_add_loop_test(tc, bad_record_is_rejected_by_file_and_id, 0,
			    (int)(sizeof(bad_records) /
				  sizeof(bad_records[0])));
	tcase_add_test(tc, bad_record_keeps_the_others_of_its_run);
	tcase_add_test(tc, verdicts_agree_with_dyad_for_300_records);
	tcase_add_test(tc, pipelined_run_stores_what_parse_stores);
	tcase_add_test(tc, pipelined_run_rejects_bad_records_in_place);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(kernel_cna_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
