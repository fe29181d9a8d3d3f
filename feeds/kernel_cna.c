/* kernel_cna.c - the Linux kernel CNA's CVE records (feed `kernel-cna`):
 * a vulns.git checkout (cve/published/<year>/CVE-*.json,
 * cve/rejected/<year>/CVE-*.json), its snapshot tarball, a loose directory
 * or a single file, mapped to advisories and flattened `affected` rows
 * (component 'kernel', ecosystem 'upstream', package 'linux', scheme
 * 'kernel').
 *
 * Format: CVE JSON 5 (CVE Record Format 5.x, schema
 * https://github.com/CVEProject/cve-schema, CVE_Record_Format.json) as the
 * kernel CNA's bippy writes it. Read fields:
 *   cveMetadata.cveId (dataVersion 5.1.1; older records: cveID), .state,
 *   .datePublished, .dateUpdated (RFC 3339 -> unix seconds; the kernel's
 *   own repository omits them, so a digest of the document tells changed
 *   records apart);
 *   containers.cna.descriptions[] (the first with lang "en"/"en-*");
 *   containers.cna.metrics[] .cvssV3_1, else .cvssV3_0, else .cvssV4_0
 *   (baseScore, vectorString, baseSeverity lowercased; without
 *   baseSeverity the CVSS v3.1 specification's qualitative rating of the
 *   score, section 5);
 *   containers.cna.affected[] .defaultStatus, .versions[] .version,
 *   .status, .lessThan, .lessThanOrEqual, .versionType.
 * Everything else is ignored. Wrong types in these fields reject the
 * record (feed_reject naming the file and the id), never the run.
 *
 * How the two affected blocks become intervals. The schema's rule is that
 * a version has the status of the versions[] entry whose range covers it
 * (`version` <= v < `lessThan`, or <= `lessThanOrEqual`, where "6.1.*"
 * means every 6.1.y and "*" everything), and `defaultStatus` otherwise. A
 * version is affected when any block says so. Per block:
 *   - `versionType: "git"` entries name commits, not releases: ignored.
 *     (Block 1 of every kernel record is mostly these; its "semver"
 *     entries are the ranges introduced by stable backports, such as
 *     CVE-2024-26581's 5.4.262 <= v < 5.4.269.)
 *   - defaultStatus "affected" (block 2 of most records): the affected
 *     versions are the gaps between the "unaffected" ranges, walked in
 *     version order. For CVE-2024-26581 the unaffected ranges are
 *     [0, 6.5), [5.4.269, 5.4.*], ..., [6.6.17, 6.6.*], [6.7.5, 6.7.*],
 *     [6.8, *] and the gaps are stored as
 *        introduced 6.5  fixed 6.6.17    (6.5.y, an EOL branch, and 6.6.y
 *                                         below its fix)
 *        introduced 6.7  fixed 6.7.5
 *     "X.Y.*" ends where the next branch starts, written X.(Y+1) as the
 *     CNA itself writes such bounds ("lessThan": "6.5"); -rc kernels sort
 *     before their release. A stable branch the record does not name (an
 *     EOL branch between the introduction and the next fix) lies inside a
 *     gap, so it stays affected, as the .dyad's "0:0" lines say. A gap
 *     after the last unaffected range is stored without `fixed` (not
 *     fixed). The "affected" marker entry ("version": "6.5" with no range)
 *     restates the default and adds nothing; "affected" entries with a
 *     range are added as below. A block with no versions at all is
 *     affected everywhere.
 *   - defaultStatus "unaffected" or "unknown" or absent (block 1, and
 *     block 2 of backport-only records such as CVE-2023-53339): each
 *     "affected" entry is one interval:
 *        version V lessThan F, F in V's branch  -> introduced V, fixed F
 *        version V (stable X.Y.Z) lessThan F, F a later mainline release
 *            -> introduced V, limit F: the branch was never fixed (6.4.8
 *               up to the 6.4 branch's end in CVE-2024-26581), so `fixed`
 *               stays empty rather than naming a release that is itself
 *               affected
 *        version V lessThanOrEqual "X.Y.*" -> introduced V, limit X.(Y+1)
 *        version V lessThanOrEqual "*"     -> introduced V
 *        version V lessThanOrEqual W       -> introduced V, last_affected W
 *        version V alone                   -> introduced V, last_affected V
 *   - An "unaffected" range ending in a specific inclusive version (or a
 *     single unaffected version) inside a defaultStatus "affected" block
 *     cannot be expressed with an inclusive `introduced`; no kernel record
 *     has one, and such a record is rejected rather than guessed.
 *   - Records with no `versions` in a block (CVE-2023-53012's block 2)
 *     take that block's defaultStatus alone ("unaffected": nothing).
 * The stored rows are read with version_interval_affects() (introduced <=
 * v < fixed, v <= last_affected, v < limit_); tests/test_kernel_cna.c
 * checks them against the .dyad verdicts of 300 real records.
 *
 * Rejected ids: a record under cve/rejected/ (or whose cveMetadata.state
 * is "REJECTED") removes the advisory of that id and is not stored; the
 * JSON of a rejected kernel id may still say "PUBLISHED", so the directory
 * decides. A full run's begin() removes the feed's earlier advisories.
 *
 * Speed: a record is parsed by sqlite once for its scalar fields (every
 * json_extract of one statement on the same bound text shares sqlite's
 * parse cache) and the affected array, extracted as text, once more for
 * the version entries; git entries are dropped inside SQL. */
#include "kernel_cna.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "version.h"
#include "xalloc.h"
#include "banned.h"

/* The largest real record is 17 KB; CVE JSON 5 records are far below
 * this bound on hostile input. */
#define KCNA_MAX_DOC ((size_t)4 << 20)
/* Real records have 2 affected blocks and at most ~40 non-git entries. */
#define KCNA_MAX_BLOCKS 64
#define KCNA_MAX_ENTRIES 4096
/* Kernel versions are short ("2.6.32.71", "6.1.76"); longer text is not a
 * version of this feed. */
#define KCNA_VERSION_MAX 48
/* Non-git version entries of one record before validation. */
#define KCNA_MAX_RAW 65536

enum upper {
	UPPER_NONE,      /* a single version */
	UPPER_LT,        /* < bound */
	UPPER_LE,        /* <= bound */
	UPPER_BRANCH,    /* <= "X.Y.*": < bound, the next branch "X.(Y+1)" */
	UPPER_INF,       /* <= "*" */
};

struct entry {
	bool affected;
	enum upper upper;
	char version[KCNA_VERSION_MAX];
	char bound[KCNA_VERSION_MAX];
};

struct block {
	bool default_affected;
	bool has_versions;       /* a versions array with any non-git entry */
	bool empty;              /* no versions key, or an empty array */
	size_t first, count;     /* its entries in the record's entry array */
};

struct interval {
	char introduced[KCNA_VERSION_MAX];
	char fixed[KCNA_VERSION_MAX];
	char last_affected[KCNA_VERSION_MAX];
	char limit[KCNA_VERSION_MAX];
};

/* The members of a version entry the mapping reads. */
enum field { F_VERSION, F_STATUS, F_LT, F_LE, F_VTYPE, F_COUNT };
static const char *const field_names[F_COUNT] = {
	"version", "status", "lessThan", "lessThanOrEqual", "versionType",
};

struct raw_entry {
	unsigned int block;
	long long key;
	unsigned char type_bad;             /* a member has a wrong type */
	unsigned char present[F_COUNT];
	unsigned char too_long[F_COUNT];
	char field[F_COUNT][KCNA_VERSION_MAX];
};

/* Scratch space reused from record to record (run->state). */
struct kcna_state {
	struct entry *entries;
	size_t nentries, aentries;
	struct block blocks[KCNA_MAX_BLOCKS];
	size_t nblocks;
	struct interval *out;
	size_t nout, aout;
	const struct entry **sorted;
	size_t asorted;
	struct raw_entry *raw;
	size_t araw;
	struct buf doc;          /* the record, NUL-terminated */
};

/* One statement for a record's scalar fields, its affected array and the
 * CVSS of its first metric: one parse of the document (json_valid and
 * every json_type/json_extract of the statement share sqlite's parse
 * cache), one json_extract with many paths, and json_each over that small
 * array, whose `type` column gives each value's JSON type. No row when
 * the document is not JSON, so no JSON function sees malformed text. */
static const char record_sql[] =
	"WITH m(ok, cna, descs, metrics, metric0) AS MATERIALIZED (SELECT 1,"
	" json_type(?1, '$.containers.cna'),"
	" json_type(?1, '$.containers.cna.descriptions'),"
	" json_type(?1, '$.containers.cna.metrics'),"
	" json_type(?1, '$.containers.cna.metrics[0]')"
	" WHERE json_valid(?1))"
	" SELECT m.cna, m.descs, m.metrics, m.metric0, s.key, s.type, s.atom,"
	" CASE WHEN s.key = 7 AND s.type = 'array' THEN s.value END"
	" FROM m, json_each(CASE WHEN m.ok THEN json_extract(?1,"
	"  '$.cveMetadata.cveId', '$.cveMetadata.cveID', '$.cveMetadata.state',"
	"  '$.cveMetadata.datePublished', '$.cveMetadata.dateUpdated',"
	"  '$.containers.cna.descriptions[0].lang',"
	"  '$.containers.cna.descriptions[0].value',"
	"  '$.containers.cna.affected', '$.containers.cna.metrics[1]',"
	"  '$.containers.cna.metrics[0].cvssV3_1',"
	"  '$.containers.cna.metrics[0].cvssV3_1.baseScore',"
	"  '$.containers.cna.metrics[0].cvssV3_1.vectorString',"
	"  '$.containers.cna.metrics[0].cvssV3_1.baseSeverity',"
	"  '$.containers.cna.metrics[0].cvssV3_0',"
	"  '$.containers.cna.metrics[0].cvssV3_0.baseScore',"
	"  '$.containers.cna.metrics[0].cvssV3_0.vectorString',"
	"  '$.containers.cna.metrics[0].cvssV3_0.baseSeverity',"
	"  '$.containers.cna.metrics[0].cvssV4_0',"
	"  '$.containers.cna.metrics[0].cvssV4_0.baseScore',"
	"  '$.containers.cna.metrics[0].cvssV4_0.vectorString',"
	"  '$.containers.cna.metrics[0].cvssV4_0.baseSeverity') END) AS s";

/* The paths of record_sql's json_extract, by position. */
enum record_path {
	RP_ID, RP_ID2, RP_STATE, RP_PUBLISHED, RP_UPDATED, RP_LANG, RP_SUMMARY,
	RP_AFFECTED, RP_METRIC1,
	RP_CVSS,          /* RP_CVSS + 4 * kind: the object, then its fields */
	RP_COUNT = RP_CVSS + 12
};

/* The descriptions array when the first entry is not an English one. */
static const char description_sql[] =
	"SELECT key, type,"
	" CASE WHEN type = 'object' THEN json_type(value, '$.lang') END,"
	" CASE WHEN type = 'object' THEN json_extract(value, '$.lang') END,"
	" CASE WHEN type = 'object' THEN json_type(value, '$.value') END,"
	" CASE WHEN type = 'object' THEN json_extract(value, '$.value') END"
	" FROM json_each(json_extract(?1, '$.containers.cna.descriptions'))";

/* The blocks of the affected array (one row each, entry columns NULL),
 * then their version entries that are not git commits (one row each).
 * Every value is looked up by path in the one parse of the array that
 * sqlite caches for the statement (paths built from json_each's fullkey);
 * touching json_each's `value` would render each entry back to text and
 * parse it again. Git entries, most of a record, cost one lookup. */
static const char versions_sql[] =
	"SELECT a.key, a.type,"
	" json_type(?1, a.fullkey || '.defaultStatus'),"
	" json_extract(?1, a.fullkey || '.defaultStatus'),"
	" json_type(?1, a.fullkey || '.versions'),"
	" json_array_length(?1, a.fullkey || '.versions'),"
	" NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL"
	" FROM json_each(?1) AS a"
	" UNION ALL"
	" SELECT a.key, a.type, NULL, NULL, NULL, NULL, v.key, v.type,"
	" json_type(?1, v.fullkey || '.version'),"
	" json_extract(?1, v.fullkey || '.version'),"
	" json_type(?1, v.fullkey || '.status'),"
	" json_extract(?1, v.fullkey || '.status'),"
	" json_type(?1, v.fullkey || '.lessThan'),"
	" json_extract(?1, v.fullkey || '.lessThan'),"
	" json_type(?1, v.fullkey || '.lessThanOrEqual'),"
	" json_extract(?1, v.fullkey || '.lessThanOrEqual'),"
	" json_type(?1, v.fullkey || '.versionType'),"
	" json_extract(?1, v.fullkey || '.versionType')"
	" FROM json_each(?1) AS a, json_each(?1, a.fullkey || '.versions') AS v"
	" WHERE a.type = 'object' AND json_type(?1, a.fullkey || '.versions') = 'array'"
	" AND (v.type IS NOT 'object'"
	"  OR json_extract(?1, v.fullkey || '.versionType') IS NOT 'git')";

enum versions_col {
	VC_BLOCK, VC_BLOCK_T, VC_DEFAULT_T, VC_DEFAULT, VC_VERSIONS_T, VC_NVERSIONS,
	VC_ENTRY, VC_ENTRY_T, VC_FIELDS,    /* then type and value of each field */
};

/* The CVSS objects of a metrics array of more than one entry, best kind
 * first. */
static const char metrics_sql[] =
	"SELECT m.key, m.type, k.name,"
	" CASE WHEN m.type = 'object' THEN json_type(m.value, k.path) END,"
	" CASE WHEN m.type = 'object' THEN json_type(m.value, k.path || '.baseScore') END,"
	" CASE WHEN m.type = 'object' THEN json_extract(m.value, k.path || '.baseScore') END,"
	" CASE WHEN m.type = 'object' THEN json_type(m.value, k.path || '.vectorString') END,"
	" CASE WHEN m.type = 'object' THEN json_extract(m.value, k.path || '.vectorString') END,"
	" CASE WHEN m.type = 'object' THEN json_type(m.value, k.path || '.baseSeverity') END,"
	" CASE WHEN m.type = 'object' THEN json_extract(m.value, k.path || '.baseSeverity') END"
	" FROM (SELECT 1 AS pref, 'cvssV3_1' AS name, '$.cvssV3_1' AS path"
	"  UNION ALL SELECT 2, 'cvssV3_0', '$.cvssV3_0'"
	"  UNION ALL SELECT 3, 'cvssV4_0', '$.cvssV4_0') AS k,"
	" json_each(json_extract(?1, '$.containers.cna.metrics')) AS m"
	" ORDER BY k.pref, m.key";

/* helpers */

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static bool all_digits(const char *s, size_t n)
{
	size_t i;

	if (!n)
		return false;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* "CVE-YYYY-NNNN..." (CVE ID syntax: four-digit year, four or more
 * digits). */
static bool is_cve_id(const char *s, size_t n)
{
	return n >= 13 && n <= 32 && !memcmp(s, "CVE-", 4) &&
	       all_digits(s + 4, 4) && s[8] == '-' && all_digits(s + 9, n - 9);
}

static bool is_cve_file(const char *base)
{
	size_t n = strlen(base);

	return n > 5 && !strcmp(base + n - 5, ".json") && is_cve_id(base, n - 5);
}

/* Whether path has the components "cve/<dir>/" (at its start or after a
 * '/': a snapshot tarball puts "vulns-<id>/" in front). */
static bool in_cve_dir(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	const char *p = path;

	for (;;) {
		if (!strncmp(p, "cve/", 4) && !strncmp(p + 4, dir, n) && p[4 + n] == '/')
			return true;
		p = strchr(p, '/');
		if (!p)
			return false;
		p++;
	}
}

static bool has_cve_dir(const char *path)
{
	const char *p = path;

	for (;;) {
		if (!strncmp(p, "cve/", 4))
			return true;
		p = strchr(p, '/');
		if (!p)
			return false;
		p++;
	}
}

/* vulns.git: cve/published/<year>/CVE-*.json and cve/rejected/...; its
 * other trees (cve/reserved, scripts, testing) are not records. A loose
 * directory of records, flat or in <year>/ folders as the samples are,
 * is accepted too. */
static bool kcna_want(const struct feed_run *run, const char *path)
{
	const char *base = base_name(path);
	const char *p;

	if (!is_cve_file(base))
		return false;
	if (in_cve_dir(path, "published") || in_cve_dir(path, "rejected"))
		return true;
	if (has_cve_dir(path))
		return false;
	/* Loose: every directory component is a year. */
	for (p = path; p < base;) {
		const char *slash = strchr(p, '/');

		if (!all_digits(p, (size_t)(slash - p)) || slash - p != 4)
			return false;
		p = slash + 1;
	}
	return true;
}

static int copy_version(char *dst, const char *src)
{
	size_t n = src ? strlen(src) : 0;

	if (!n || n >= KCNA_VERSION_MAX)
		return -1;
	memcpy(dst, src, n + 1);
	return 0;
}

static bool is_version(const char *s)
{
	return !strcmp(s, "0") || version_valid(VERSION_KERNEL, s);
}

/* The numbers of a kernel version ("2.6.32.71" -> 4); 0 when it is not
 * made of numbers and dots alone. */
static int count_numbers(const char *s)
{
	int n = 0;

	while (*s) {
		if (*s < '0' || *s > '9')
			return 0;
		while (*s >= '0' && *s <= '9')
			s++;
		n++;
		if (*s == '.')
			s++;
		else if (*s)
			return 0;
	}
	return n;
}

/* A mainline release: "6.5", or "2.6.19" before 3.0. */
static bool is_mainline(const char *v)
{
	int n = count_numbers(v);

	return n == 2 || (n == 3 && !strncmp(v, "2.6.", 4));
}

/* The length of the branch prefix of a stable release ("6.1" of
 * "6.1.76", "2.6.32" of "2.6.32.71"); 0 when v is not one. */
static size_t stable_branch_len(const char *v)
{
	int want = !strncmp(v, "2.6.", 4) ? 3 : 2;
	const char *p = v;
	int n;

	if (count_numbers(v) != want + 1)
		return 0;
	for (n = 0; n < want; n++)
		p = strchr(p, '.') + 1;
	return (size_t)(p - 1 - v);
}

/* "6.1.*" -> "6.2", "2.6.32.*" -> "2.6.33", "4.20.*" -> "4.21" (no
 * release lies between 4.20.y and 4.21, so 5.0 is still above it). */
static int next_branch(char *out, const char *wild)
{
	size_t n = strlen(wild), last;
	unsigned long num;
	char prefix[KCNA_VERSION_MAX];
	int w;

	if (n < 3 || n >= KCNA_VERSION_MAX || strcmp(wild + n - 2, ".*"))
		return -1;
	memcpy(prefix, wild, n - 2);
	prefix[n - 2] = '\0';
	if (count_numbers(prefix) < 1)
		return -1;
	last = n - 2;
	while (last > 0 && prefix[last - 1] != '.')
		last--;
	if (n - 2 - last > 9)
		return -1;
	num = strtoul(prefix + last, NULL, 10);
	prefix[last] = '\0';
	w = snprintf(out, KCNA_VERSION_MAX, "%s%lu%s", prefix, num + 1,
		     last ? "" : ".0");
	return w > 0 && w < KCNA_VERSION_MAX ? 0 : -1;
}

static int vcmp(const char *a, const char *b)
{
	return version_cmp(VERSION_KERNEL, a, b);
}

static struct interval *add_interval(struct kcna_state *st)
{
	struct interval *iv;

	XGROW(st->out, st->aout, st->nout + 1);
	iv = &st->out[st->nout++];
	memset(iv, 0, sizeof(*iv));
	return iv;
}

/* An "affected" entry as one interval (see the table at the top). */
static void add_affected(struct kcna_state *st, const struct entry *e)
{
	struct interval *iv = add_interval(st);
	size_t blen;

	if (strcmp(e->version, "0"))
		memcpy(iv->introduced, e->version, sizeof(iv->introduced));
	switch (e->upper) {
	case UPPER_NONE:
		memcpy(iv->last_affected, e->version, sizeof(iv->last_affected));
		break;
	case UPPER_LT:
		blen = stable_branch_len(e->version);
		if (blen && is_mainline(e->bound) && vcmp(e->bound, e->version) > 0 &&
		    !(strlen(e->bound) == blen && !strncmp(e->bound, e->version, blen)))
			memcpy(iv->limit, e->bound, sizeof(iv->limit));
		else
			memcpy(iv->fixed, e->bound, sizeof(iv->fixed));
		break;
	case UPPER_LE:
		memcpy(iv->last_affected, e->bound, sizeof(iv->last_affected));
		break;
	case UPPER_BRANCH:
		memcpy(iv->limit, e->bound, sizeof(iv->limit));
		break;
	case UPPER_INF:
		break;
	}
}

static int cmp_entry_start(const void *a, const void *b)
{
	const struct entry *ea = *(const struct entry *const *)a;
	const struct entry *eb = *(const struct entry *const *)b;

	return vcmp(ea->version, eb->version);
}

/* defaultStatus "affected": the gaps between the unaffected ranges. */
static int add_gaps(struct kcna_state *st, const struct block *b,
		    const char **problem)
{
	char cur[KCNA_VERSION_MAX] = "0";   /* the current gap starts here */
	size_t i, n = 0;
	bool open = true;                   /* cur is finite */

	XGROW(st->sorted, st->asorted, b->count + 1);
	for (i = 0; i < b->count; i++) {
		const struct entry *e = &st->entries[b->first + i];

		if (e->affected) {
			if (e->upper != UPPER_NONE)
				add_affected(st, e);
			continue;
		}
		if (e->upper == UPPER_NONE || e->upper == UPPER_LE) {
			*problem = "an 'unaffected' range ending in a single version";
			return -1;
		}
		st->sorted[n++] = e;
	}
	qsort(st->sorted, n, sizeof(*st->sorted), cmp_entry_start);
	for (i = 0; i < n && open; i++) {
		const struct entry *e = st->sorted[i];

		if (vcmp(e->version, cur) > 0) {
			struct interval *iv = add_interval(st);

			if (strcmp(cur, "0"))
				memcpy(iv->introduced, cur, sizeof(iv->introduced));
			memcpy(iv->fixed, e->version, sizeof(iv->fixed));
		}
		if (e->upper == UPPER_INF)
			open = false;
		else if (vcmp(e->bound, cur) > 0)
			memcpy(cur, e->bound, sizeof(cur));
	}
	if (open) {
		struct interval *iv = add_interval(st);

		if (strcmp(cur, "0"))
			memcpy(iv->introduced, cur, sizeof(iv->introduced));
	}
	return 0;
}

static int flatten(struct kcna_state *st, const char **problem)
{
	size_t i, j;

	st->nout = 0;
	for (i = 0; i < st->nblocks; i++) {
		const struct block *b = &st->blocks[i];

		if (b->empty) {
			if (b->default_affected)
				add_interval(st);
			continue;
		}
		if (!b->has_versions)
			continue;       /* only commits: nothing to compare */
		if (b->default_affected) {
			if (add_gaps(st, b, problem))
				return -1;
			continue;
		}
		for (j = 0; j < b->count; j++) {
			const struct entry *e = &st->entries[b->first + j];

			if (e->affected)
				add_affected(st, e);
		}
	}
	return 0;
}

/* A 64-bit hash of the document (FNV-1a over 8-byte words, then a
 * final mix): tells a changed record from an unchanged one when the record
 * carries no dateUpdated, as in the kernel's own repository. Not a
 * security measure: the record's source decides what it says anyway. */
static void digest_of(char out[17], const char *data, size_t len)
{
	uint64_t h = 14695981039346656037ULL ^ len, w;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&w, data + i, 8);
		h = (h ^ w) * 1099511628211ULL;
		h ^= h >> 31;
	}
	for (; i < len; i++)
		h = (h ^ (unsigned char)data[i]) * 1099511628211ULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

/* CVSS v3.1 specification, section 5, qualitative severity rating. */
static const char *severity_of_score(double score)
{
	if (score >= 9.0)
		return "critical";
	if (score >= 7.0)
		return "high";
	if (score >= 4.0)
		return "medium";
	if (score >= 0.1)
		return "low";
	return "none";
}

static const char *known_severity(const char *s)
{
	static const char *const known[] = { "critical", "high", "medium", "low", "none" };
	size_t i;

	for (i = 0; s && i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(s, known[i]))
			return known[i];
	return NULL;
}

static bool type_is(const char *type, const char *want)
{
	return type && !strcmp(type, want);
}

/* NULL (absent) or the wanted type. */
static bool type_opt(const char *type, const char *want)
{
	return !type || !strcmp(type, "null") || !strcmp(type, want);
}

/* A JSON type name as a constant that outlives the row it came from;
 * NULL for JSON null and for a missing value. */
static const char *json_type_const(const char *t)
{
	static const char *const names[] = {
		"text", "integer", "real", "object", "array", "true", "false",
	};
	size_t i;

	for (i = 0; t && i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(t, names[i]))
			return names[i];
	return NULL;
}

/* The record being read, with the problem that rejects it. */
struct record {
	const char *path;
	char id[40];
	char problem[200];
	char *summary;
	double cvss;
	char *vector;
	const char *severity;
};

static void problem(struct record *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void problem(struct record *r, const char *fmt, ...)
{
	va_list ap;

	if (r->problem[0])
		return;
	va_start(ap, fmt);
	vsnprintf(r->problem, sizeof(r->problem), fmt, ap);
	va_end(ap);
}

static int read_description(struct feed_run *run, struct record *r,
			    const char *doc, struct err *err)
{
	struct store_rows rows = STORE_ROWS_INIT;
	int rc;

	rc = store_query(run->store, &rows, err, description_sql, "s", doc);
	if (rc)
		goto out;
	while ((rc = store_rows_next(&rows)) > 0) {
		long long key = store_rows_int(&rows, 0);
		const char *lang = store_rows_text(&rows, 3);

		if (!type_is(store_rows_text(&rows, 1), "object") ||
		    !type_is(store_rows_text(&rows, 2), "text") ||
		    !type_is(store_rows_text(&rows, 4), "text")) {
			problem(r, "descriptions[%lld]: 'lang' or 'value' is not a string", key);
			break;
		}
		if (!strcasecmp(lang, "en") || !strncasecmp(lang, "en-", 3)) {
			r->summary = xstrdup(store_rows_text(&rows, 5));
			break;
		}
	}
	rc = rc < 0 ? rc : 0;
out:
	store_rows_done(&rows);
	return rc;
}

/* One CVSS object: its kind, JSON types and values. */
struct cvss_in {
	const char *kind;
	const char *obj_t;
	const char *score_t, *vector_t, *severity_t;
	double score;
	const char *vector, *severity;
};

/* Takes a CVSS object when it is well formed; false with a problem when
 * it is present with wrong types. */
static bool take_cvss(struct record *r, long long idx, const struct cvss_in *c)
{
	char sev[16];
	size_t i;

	if (!type_is(c->obj_t, "object") || !(type_is(c->score_t, "integer") ||
	    type_is(c->score_t, "real")) || !type_opt(c->vector_t, "text") ||
	    !type_opt(c->severity_t, "text")) {
		problem(r, "metrics[%lld].%s: 'baseScore', 'vectorString' or 'baseSeverity' has a wrong type",
			idx, c->kind);
		return false;
	}
	if (!(c->score >= 0.0 && c->score <= 10.0)) {
		problem(r, "metrics[%lld].%s: 'baseScore' is not between 0 and 10",
			idx, c->kind);
		return false;
	}
	r->cvss = c->score;
	free(r->vector);
	r->vector = c->vector ? xstrdup(c->vector) : NULL;
	r->severity = NULL;
	if (c->severity && strlen(c->severity) < sizeof(sev)) {
		for (i = 0; c->severity[i]; i++)
			sev[i] = (char)((c->severity[i] >= 'A' && c->severity[i] <= 'Z')
					? c->severity[i] - 'A' + 'a' : c->severity[i]);
		sev[i] = '\0';
		r->severity = known_severity(sev);
	}
	if (!r->severity)
		r->severity = severity_of_score(c->score);
	return true;
}

/* A metrics array of several entries: the best kind of the first entry
 * that has one. */
static int read_metrics(struct feed_run *run, struct record *r,
			const char *doc, struct err *err)
{
	struct store_rows rows = STORE_ROWS_INIT;
	int rc;

	rc = store_query(run->store, &rows, err, metrics_sql, "s", doc);
	if (rc)
		goto out;
	while ((rc = store_rows_next(&rows)) > 0) {
		long long key = store_rows_int(&rows, 0);
		struct cvss_in c = {
			.kind = store_rows_text(&rows, 2),
			.obj_t = store_rows_text(&rows, 3),
			.score_t = store_rows_text(&rows, 4),
			.score = store_rows_double(&rows, 5),
			.vector_t = store_rows_text(&rows, 6),
			.vector = store_rows_text(&rows, 7),
			.severity_t = store_rows_text(&rows, 8),
			.severity = store_rows_text(&rows, 9),
		};

		if (!type_is(store_rows_text(&rows, 1), "object")) {
			problem(r, "metrics[%lld] is not an object", key);
			break;
		}
		if (!c.obj_t)
			continue;
		take_cvss(r, key, &c);
		break;
	}
	rc = rc < 0 ? rc : 0;
out:
	store_rows_done(&rows);
	return rc;
}

/* Turns one raw entry (not git) into an entry; a wrong type or a bad
 * version names itself in r->problem. "unknown" states nothing. */
static void take_entry(struct kcna_state *st, struct record *r,
		       const struct raw_entry *x)
{
	long long bi = x->block, vi = x->key;
	const char *status = x->field[F_STATUS];
	struct entry *e;
	int f;

	if (x->type_bad || !x->present[F_VERSION] || !x->present[F_STATUS]) {
		problem(r, "affected[%lld].versions[%lld]: a field has a wrong type", bi, vi);
		return;
	}
	for (f = 0; f < F_COUNT; f++) {
		if (x->present[f] && x->too_long[f]) {
			problem(r, "affected[%lld].versions[%lld]: '%s' is not a kernel version",
				bi, vi, field_names[f]);
			return;
		}
	}
	if (!strcmp(status, "unknown"))
		return;
	if (strcmp(status, "affected") && strcmp(status, "unaffected")) {
		problem(r, "affected[%lld].versions[%lld]: unknown status '%.40s'",
			bi, vi, status);
		return;
	}
	if (st->nentries >= KCNA_MAX_ENTRIES) {
		problem(r, "more than %d version entries", KCNA_MAX_ENTRIES);
		return;
	}
	XGROW(st->entries, st->aentries, st->nentries + 1);
	e = &st->entries[st->nentries];
	memset(e, 0, sizeof(*e));
	e->affected = !strcmp(status, "affected");
	memcpy(e->version, x->field[F_VERSION], sizeof(e->version));
	if (!is_version(e->version)) {
		problem(r, "affected[%lld].versions[%lld]: 'version' is not a kernel version",
			bi, vi);
		return;
	}
	if (x->present[F_LT] && x->present[F_LE]) {
		problem(r, "affected[%lld].versions[%lld]: both 'lessThan' and 'lessThanOrEqual'",
			bi, vi);
		return;
	}
	if (x->present[F_LT]) {
		const char *lt = x->field[F_LT];

		e->upper = UPPER_LT;
		if (!strcmp(lt, "*")) {
			e->upper = UPPER_INF;
		} else if (copy_version(e->bound, lt) || !is_version(e->bound)) {
			problem(r, "affected[%lld].versions[%lld]: 'lessThan' is not a kernel version",
				bi, vi);
			return;
		}
	} else if (x->present[F_LE]) {
		const char *le = x->field[F_LE];
		size_t n = strlen(le);

		if (!strcmp(le, "*")) {
			e->upper = UPPER_INF;
		} else if (n > 2 && !strcmp(le + n - 2, ".*")) {
			e->upper = UPPER_BRANCH;
			if (next_branch(e->bound, le)) {
				problem(r, "affected[%lld].versions[%lld]: 'lessThanOrEqual' is not a kernel version",
					bi, vi);
				return;
			}
		} else {
			e->upper = UPPER_LE;
			if (copy_version(e->bound, le) || !is_version(e->bound)) {
				problem(r, "affected[%lld].versions[%lld]: 'lessThanOrEqual' is not a kernel version",
					bi, vi);
				return;
			}
		}
	}
	st->nentries++;
}

/* Reads the blocks and non-git entries of the affected array (see
 * versions_sql). Rows of one statement come part by part, each in
 * document order, so entries arrive block by block. */
static int read_versions(struct feed_run *run, struct kcna_state *st,
			 struct record *r, const char *affected,
			 struct err *err)
{
	struct store_rows rows = STORE_ROWS_INIT;
	size_t nraw = 0, i;
	int rc, f;

	st->nentries = 0;
	st->nblocks = 0;
	rc = store_query(run->store, &rows, err, versions_sql, "s", affected);
	if (rc)
		goto out;
	while (!r->problem[0] && (rc = store_rows_next(&rows)) > 0) {
		long long bi = store_rows_int(&rows, VC_BLOCK);
		struct raw_entry *x;

		if (store_rows_null(&rows, VC_ENTRY_T)) {
			struct block *b;

			if (!type_is(store_rows_text(&rows, VC_BLOCK_T), "object")) {
				problem(r, "affected[%lld] is not an object", bi);
				break;
			}
			if (st->nblocks >= KCNA_MAX_BLOCKS || bi != (long long)st->nblocks) {
				problem(r, "more than %d affected blocks", KCNA_MAX_BLOCKS);
				break;
			}
			if (!type_opt(store_rows_text(&rows, VC_DEFAULT_T), "text")) {
				problem(r, "affected[%lld]: 'defaultStatus' is not a string", bi);
				break;
			}
			if (!type_opt(store_rows_text(&rows, VC_VERSIONS_T), "array")) {
				problem(r, "affected[%lld]: 'versions' is not an array", bi);
				break;
			}
			b = &st->blocks[st->nblocks++];
			memset(b, 0, sizeof(*b));
			b->default_affected = type_is(store_rows_text(&rows, VC_DEFAULT_T), "text") &&
					      !strcmp(store_rows_text(&rows, VC_DEFAULT), "affected");
			b->empty = store_rows_null(&rows, VC_NVERSIONS) ||
				   store_rows_int(&rows, VC_NVERSIONS) == 0;
			continue;
		}
		if (bi < 0 || bi >= (long long)st->nblocks) {
			problem(r, "'affected' is out of order");
			break;
		}
		if (!type_is(store_rows_text(&rows, VC_ENTRY_T), "object")) {
			problem(r, "affected[%lld].versions[%lld] is not an object", bi,
				store_rows_int(&rows, VC_ENTRY));
			break;
		}
		if (nraw >= KCNA_MAX_RAW) {
			problem(r, "more than %d version entries", KCNA_MAX_RAW);
			break;
		}
		XGROW(st->raw, st->araw, nraw + 1);
		x = &st->raw[nraw++];
		memset(x, 0, offsetof(struct raw_entry, field));
		x->block = (unsigned int)bi;
		x->key = store_rows_int(&rows, VC_ENTRY);
		for (f = 0; f < F_COUNT; f++) {
			const char *t = store_rows_text(&rows, VC_FIELDS + 2 * f);
			const char *v = store_rows_text(&rows, VC_FIELDS + 2 * f + 1);
			size_t n;

			if (!t || !strcmp(t, "null"))
				continue;
			if (strcmp(t, "text")) {
				x->type_bad = 1;
				continue;
			}
			n = strlen(v);
			x->present[f] = 1;
			if (n >= KCNA_VERSION_MAX)
				x->too_long[f] = 1;
			else
				memcpy(x->field[f], v, n + 1);
		}
	}
	if (rc < 0)
		goto out;
	rc = 0;
	for (i = 0; i < nraw && !r->problem[0]; i++) {
		const struct raw_entry *x = &st->raw[i];
		struct block *b = &st->blocks[x->block];

		if (!b->has_versions) {
			b->has_versions = true;
			b->first = st->nentries;
		}
		if (b->first + b->count != st->nentries) {
			problem(r, "'affected' is out of order");
			break;
		}
		take_entry(st, r, x);
		b->count = st->nentries - b->first;
	}
out:
	store_rows_done(&rows);
	return rc;
}

static int store_record(struct feed_run *run, struct kcna_state *st,
			struct record *r, long long published,
			long long modified, const char *data, size_t len,
			struct err *err)
{
	struct feed_advisory adv = {
		.id = r->id,
		.summary = r->summary,
		.severity = r->severity,
		.cvss_score = r->cvss,
		.cvss_vector = r->vector,
		.published = published,
		.modified = modified,
		.withdrawn = -1,
	};
	char digest[17];
	long long aid;
	size_t i;
	int rc;

	digest_of(digest, data, len);
	adv.digest = digest;
	rc = feed_put_advisory(run, &aid, &adv, err);
	for (i = 0; !rc && i < st->nout; i++) {
		const struct interval *iv = &st->out[i];
		struct feed_range range = {
			.component = "kernel",
			.ecosystem = "upstream",
			.package = "linux",
			.scheme = "kernel",
			.introduced = iv->introduced[0] ? iv->introduced : NULL,
			.fixed = iv->fixed[0] ? iv->fixed : NULL,
			.last_affected = iv->last_affected[0] ? iv->last_affected : NULL,
			.limit = iv->limit[0] ? iv->limit : NULL,
		};

		rc = feed_put_range(run, aid, &range, err);
	}
	return rc;
}

static int kcna_begin(struct feed_run *run, struct err *err)
{
	struct kcna_state *st = xcalloc(1, sizeof(*st));

	buf_init(&st->doc, KCNA_MAX_DOC);
	run->state = st;
	if (run->full)
		return feed_delete_all(run, err);
	return 0;
}

static int kcna_finish(struct feed_run *run, struct err *err)
{
	struct kcna_state *st = run->state;

	if (st) {
		free(st->entries);
		free(st->out);
		free(st->sorted);
		free(st->raw);
		buf_release(&st->doc);
		free(st);
	}
	run->state = NULL;
	return 0;
}

/* A rejected id (vulns.git moves its record to cve/rejected/): the file
 * name is the id, whatever the JSON inside still says. */
static int kcna_remove(struct feed_run *run, const char *path, struct err *err)
{
	const char *base = base_name(path);
	char id[40];
	size_t n = strlen(base) - 5;

	if (n >= sizeof(id))
		return 0;
	memcpy(id, base, n);
	id[n] = '\0';
	return feed_delete_advisory(run, id, err);
}

static int kcna_parse(struct feed_run *run, const char *path, const char *data,
		      size_t len, struct err *err)
{
	struct kcna_state *st = run->state;
	struct store_rows rows = STORE_ROWS_INIT;
	struct record r = { .path = path, .cvss = -1.0 };
	struct cvss_in cvss[3] = { { .kind = "cvssV3_1" }, { .kind = "cvssV3_0" },
				   { .kind = "cvssV4_0" } };
	long long published = -1, modified = -1;
	const char *type[RP_COUNT] = { 0 };
	char *text[RP_COUNT] = { 0 };
	double score[3] = { 0 };
	const char *fail = NULL, *id;
	char *affected = NULL;
	bool got_row = false, descs_array = false;
	int rc, i;

	if (!st) {
		/* A runner that skipped begin(): behave as a partial run. */
		st = run->state = xcalloc(1, sizeof(*st));
		buf_init(&st->doc, KCNA_MAX_DOC);
	}
	if (is_cve_file(base_name(path)) && in_cve_dir(path, "rejected"))
		return kcna_remove(run, path, err);
	if (len > KCNA_MAX_DOC)
		return feed_reject(run, "'%s': %zu bytes, more than the limit of %zu",
				   path, len, KCNA_MAX_DOC);
	/* Bound NUL-terminated, sqlite hands the text to every JSON function
	 * as it is; text of a given length would be copied for each call. A
	 * NUL inside would cut the document short, so it is refused. */
	if (memchr(data, '\0', len))
		return feed_reject(run, "'%s': not valid JSON (a NUL byte)", path);
	buf_reset(&st->doc);
	if (buf_add(&st->doc, data, len))
		return feed_reject(run, "'%s': %zu bytes, more than the limit of %zu",
				   path, len, KCNA_MAX_DOC);

	rc = store_query(run->store, &rows, err, record_sql, "s", st->doc.ptr);
	if (rc)
		goto out;
	while ((rc = store_rows_next(&rows)) > 0) {
		long long k = store_rows_int(&rows, 4);

		if (!got_row) {
			got_row = true;
			if (!type_is(store_rows_text(&rows, 0), "object"))
				fail = "no 'containers.cna' object";
			else if (!type_opt(store_rows_text(&rows, 1), "array"))
				fail = "'descriptions' is not an array";
			else if (!type_opt(store_rows_text(&rows, 2), "array"))
				fail = "'metrics' is not an array";
			else if (!type_opt(store_rows_text(&rows, 3), "object"))
				fail = "'metrics[0]' is not an object";
			descs_array = type_is(store_rows_text(&rows, 1), "array");
		}
		if (k < 0 || k >= RP_COUNT)
			continue;
		/* Rows are borrowed: types become constants, values copies. */
		type[k] = json_type_const(store_rows_text(&rows, 5));
		if (k == RP_AFFECTED && store_rows_text(&rows, 7))
			affected = xstrdup(store_rows_text(&rows, 7));
		else if (store_rows_text(&rows, 6) && type_is(type[k], "text"))
			text[k] = xstrdup(store_rows_text(&rows, 6));
		if (k >= RP_CVSS && (k - RP_CVSS) % 4 == 1)
			score[(k - RP_CVSS) / 4] = store_rows_double(&rows, 6);
	}
	store_rows_done(&rows);
	if (rc < 0)
		goto out;
	rc = 0;
	if (!got_row) {
		rc = feed_reject(run, "'%s': not valid JSON", path);
		goto out;
	}
	i = type[RP_ID] ? RP_ID : RP_ID2;
	id = text[i];
	if (!type_is(type[i], "text") || !is_cve_id(id, strlen(id))) {
		rc = feed_reject(run, "'%s': 'cveMetadata.cveId' is missing or not a CVE id",
				 path);
		goto out;
	}
	memcpy(r.id, id, strlen(id) + 1);
	if (!type_opt(type[RP_STATE], "text")) {
		fail = "'cveMetadata.state' is not a string";
	} else if (text[RP_STATE] && !strcmp(text[RP_STATE], "REJECTED")) {
		rc = feed_delete_advisory(run, r.id, err);
		goto out;
	}
	if (!fail && !type_is(type[RP_AFFECTED], "array"))
		fail = "'affected' is missing or not an array";
	for (i = RP_PUBLISHED; !fail && i <= RP_UPDATED; i++) {
		long long t = -1;

		if (!type[i])
			continue;
		if (type_is(type[i], "text") &&
		    (rc = store_query_int(run->store, &t, err,
					  "SELECT coalesce(unixepoch(?), -1)", "s", text[i])))
			goto out;
		if (t < 0)
			fail = i == RP_PUBLISHED ? "'datePublished' is not a date"
						 : "'dateUpdated' is not a date";
		else if (i == RP_PUBLISHED)
			published = t;
		else
			modified = t;
	}
	if (fail) {
		rc = feed_reject(run, "'%s': %s: %s", path, r.id, fail);
		goto out;
	}

	/* Summary: the first description when it is English (every kernel
	 * record), else the first English one. */
	if (type_is(type[RP_LANG], "text") && type_is(type[RP_SUMMARY], "text") &&
	    (!strcasecmp(text[RP_LANG], "en") || !strncasecmp(text[RP_LANG], "en-", 3))) {
		r.summary = text[RP_SUMMARY];
		text[RP_SUMMARY] = NULL;
	} else if (descs_array && (rc = read_description(run, &r, st->doc.ptr, err))) {
		goto out;
	}

	/* CVSS: with one metric, its best kind; with more, read them all. */
	if (!type[RP_METRIC1]) {
		for (i = 0; i < 3; i++) {
			int base = RP_CVSS + 4 * i;

			if (!type[base])
				continue;
			cvss[i].obj_t = type[base];
			cvss[i].score_t = type[base + 1];
			cvss[i].score = score[i];
			cvss[i].vector_t = type[base + 2];
			cvss[i].vector = text[base + 2];
			cvss[i].severity_t = type[base + 3];
			cvss[i].severity = text[base + 3];
			take_cvss(&r, 0, &cvss[i]);
			break;
		}
	}
	if (!r.problem[0] && type[RP_METRIC1] &&
	    (rc = read_metrics(run, &r, st->doc.ptr, err)))
		goto out;
	if (!r.problem[0] && (rc = read_versions(run, st, &r, affected, err)))
		goto out;
	if (!r.problem[0] && flatten(st, &fail))
		problem(&r, "%s", fail);
	if (r.problem[0]) {
		rc = feed_reject(run, "'%s': %s: %s", path, r.id, r.problem);
		goto out;
	}
	rc = store_record(run, st, &r, published, modified, data, len, err);
out:
	store_rows_done(&rows);
	for (i = 0; i < RP_COUNT; i++)
		free(text[i]);
	free(affected);
	free(r.summary);
	free(r.vector);
	return rc;
}

const struct feed_format feed_format_kernel_cna = {
	.name = "kernel-cna",
	.want = kcna_want,
	.begin = kcna_begin,
	.parse = kcna_parse,
	.finish = kcna_finish,
	.count = NULL,
};
