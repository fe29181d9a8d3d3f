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
 *   - `versionType: "git"` entries name commits, not releases: ignored,
 *     and a block of git entries only says nothing. (Block 1 of every
 *     kernel record is mostly these; its "semver" entries are the ranges
 *     introduced by stable backports, such as CVE-2024-26581's
 *     5.4.262 <= v < 5.4.269.)
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
 * Speed (tests/bench/ingest-kernel-cna.sh): a record is bound as
 * NUL-terminated text (text of a given length is copied by sqlite for
 * every JSON function call) and parsed once by one statement for its
 * scalar fields (json_valid, json_type and a many-path json_extract share
 * the statement's parse cache); its affected array, extracted as text, is
 * walked once by json_tree; the ranges go in with one statement
 * (feed_put_ranges). What remains is sqlite 3.40's cost per JSON value
 * read and per row written.
 */
#include "kernel_cna.h"

#include <assert.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "jsoncheck.h"
#include "version.h"
#include "xalloc.h"
#include "banned.h"

/* The largest real record is 17 KB; CVE JSON 5 records are far below
 * this bound on hostile input. */
#define KCNA_MAX_DOC ((size_t)4 << 20)
/* Real records have 2 affected blocks and at most ~40 non-git entries. */
#define KCNA_MAX_BLOCKS	 64
#define KCNA_MAX_ENTRIES 4096
/* Kernel versions are short ("2.6.32.71", "6.1.76"); longer text is not a
 * version of this feed. */
#define KCNA_VERSION_MAX 48
/* Version entries of one record, git ones included, and values of its
 * affected array (a real one has a few hundred). */
#define KCNA_MAX_RAW   KCNA_MAX_ENTRIES
#define KCNA_MAX_NODES (1 << 20)

enum upper {
	UPPER_NONE,   /* a single version */
	UPPER_LT,     /* < bound */
	UPPER_LE,     /* <= bound */
	UPPER_BRANCH, /* <= "X.Y.*": < bound, the next branch "X.(Y+1)" */
	UPPER_INF,    /* <= "*" */
};

struct entry {
	bool affected;
	enum upper upper;
	char version[KCNA_VERSION_MAX];
	char bound[KCNA_VERSION_MAX];
};

struct block {
	bool default_affected;
	bool has_versions;   /* a versions array with any non-git entry */
	bool empty;	     /* no versions key, or an empty array */
	size_t first, count; /* its entries in the record's entry array */
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
	unsigned char type_bad; /* a member has a wrong type */
	unsigned char present[F_COUNT];
	unsigned char too_long[F_COUNT];
	char field[F_COUNT][KCNA_VERSION_MAX];
};

struct node_role {
	unsigned char role; /* enum role */
	unsigned int index; /* the block or raw entry */
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
	struct node_role *roles; /* by json_tree node id */
	size_t aroles;
	struct buf doc; /* the record, NUL-terminated */
};

/* One statement for a record's scalar fields, its affected array and the
 * CVSS of its first metric: one parse of the document (json_valid and
 * every json_type/json_extract of the statement share sqlite's parse
 * cache), one json_extract with many paths, and json_each over that small
 * array, whose `type` column gives each value's JSON type (missing paths
 * and nulls are left out, but for the first path, so that a JSON document
 * always gives a row). The affected array is not among those paths: it
 * would be rendered into that array, parsed by json_each and rendered
 * again; it comes once, as text, in the last column (its type in the one
 * before). No row when the document is not JSON: every JSON function is
 * guarded by json_valid, so none sees malformed text, and the
 * uncorrelated subqueries run once per record. */
static const char record_sql[] =
	"SELECT"
	" (SELECT json_type(?1, '$.containers.cna') WHERE json_valid(?1)),"
	" (SELECT json_type(?1, '$.containers.cna.descriptions')"
	"  WHERE json_valid(?1)),"
	" (SELECT json_type(?1, '$.containers.cna.metrics')"
	"  WHERE json_valid(?1)),"
	" (SELECT json_type(?1, '$.containers.cna.metrics[0]')"
	"  WHERE json_valid(?1)),"
	" s.key, s.type, s.atom,"
	" (SELECT json_type(?1, '$.containers.cna.affected')"
	"  WHERE json_valid(?1)),"
	" (SELECT json_extract(?1, '$.containers.cna.affected')"
	"  WHERE json_valid(?1)"
	"  AND json_type(?1, '$.containers.cna.affected') = 'array')"
	" FROM json_each(CASE WHEN json_valid(?1) THEN json_extract(?1,"
	"  '$.cveMetadata.cveId', '$.cveMetadata.cveID', '$.cveMetadata.state',"
	"  '$.cveMetadata.datePublished', '$.cveMetadata.dateUpdated',"
	"  '$.containers.cna.descriptions[0].lang',"
	"  '$.containers.cna.descriptions[0].value',"
	"  '$.containers.cna.metrics[1]',"
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
	"  '$.containers.cna.metrics[0].cvssV4_0.baseSeverity') END) AS s"
	" WHERE s.type <> 'null' OR s.key = 0";

/* The paths of record_sql's json_extract, by position. */
enum record_path {
	RP_ID,
	RP_ID2,
	RP_STATE,
	RP_PUBLISHED,
	RP_UPDATED,
	RP_LANG,
	RP_SUMMARY,
	RP_METRIC1,
	RP_CVSS, /* RP_CVSS + 4 * kind: the object, then its fields */
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

/* The affected array as a tree walk: its containers (blocks, versions
 * arrays, entries, anything nested), array elements of any type (so that
 * an entry that is not an object is seen) and the members the mapping
 * reads, in document order, parents first. The walk reads each value
 * where it lies: json_each over the entries would render every entry back
 * to text and parse it again, and a lookup by path per member costs
 * several times more than a row of the walk. Every row comes back:
 * walk_row() skips what it does not read, and a WHERE with IN lists
 * cost more (sqlite 3.40 builds a b-tree for each IN list every run)
 * than the rows it dropped. */
static const char versions_sql[] =
	"SELECT id, parent, key, type, atom FROM json_tree(?1)";

/* The CVSS objects of a metrics array of more than one entry, best kind
 * first. */
static const char metrics_sql[] =
	"SELECT m.key, m.type, k.name,"
	" CASE WHEN m.type = 'object' THEN json_type(m.value, k.obj) END,"
	" CASE WHEN m.type = 'object' THEN json_type(m.value, k.score) END,"
	" CASE WHEN m.type = 'object' THEN json_extract(m.value, k.score) END,"
	" CASE WHEN m.type = 'object' THEN json_type(m.value, k.vec) END,"
	" CASE WHEN m.type = 'object' THEN json_extract(m.value, k.vec) END,"
	" CASE WHEN m.type = 'object' THEN json_type(m.value, k.sev) END,"
	" CASE WHEN m.type = 'object' THEN json_extract(m.value, k.sev) END"
	" FROM (SELECT column1 AS pref, column2 AS name,"
	"   '$.' || column2 AS obj,"
	"   '$.' || column2 || '.baseScore' AS score,"
	"   '$.' || column2 || '.vectorString' AS vec,"
	"   '$.' || column2 || '.baseSeverity' AS sev"
	"  FROM (VALUES (1, 'cvssV3_1'), (2, 'cvssV3_0'), (3, 'cvssV4_0')))"
	"  AS k,"
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

	return n > 5 && !strcmp(base + n - 5, ".json") &&
	       is_cve_id(base, n - 5);
}

/* Whether path has the components "cve/<dir>/" (at its start or after a
 * '/': a snapshot tarball puts "vulns-<id>/" in front). */
static bool in_cve_dir(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	const char *p = path;

	for (;;) {
		if (!strncmp(p, "cve/", 4) && !strncmp(p + 4, dir, n) &&
		    p[4 + n] == '/')
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
		memcpy(iv->last_affected, e->version,
		       sizeof(iv->last_affected));
		break;
	case UPPER_LT:
		blen = stable_branch_len(e->version);
		if (blen && is_mainline(e->bound) &&
		    vcmp(e->bound, e->version) > 0 &&
		    !(strlen(e->bound) == blen &&
		      !strncmp(e->bound, e->version, blen)))
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

static const char unaffected_to_one[] =
	"an 'unaffected' range ending in a single version";

/* defaultStatus "affected": the gaps between the unaffected ranges. */
static int add_gaps(struct kcna_state *st, const struct block *b,
		    const char **problem)
{
	char cur[KCNA_VERSION_MAX] = "0"; /* the current gap starts here */
	size_t i, n = 0;
	bool open = true; /* cur is finite */

	XGROW(st->sorted, st->asorted, b->count + 1);
	for (i = 0; i < b->count; i++) {
		const struct entry *e = &st->entries[b->first + i];

		if (e->affected) {
			if (e->upper != UPPER_NONE)
				add_affected(st, e);
			continue;
		}
		if (e->upper == UPPER_NONE || e->upper == UPPER_LE) {
			*problem = unaffected_to_one;
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
				memcpy(iv->introduced, cur,
				       sizeof(iv->introduced));
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
			continue; /* only commits: nothing to compare */
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
	static const char *const known[] = { "critical", "high", "medium",
					     "low", "none" };
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

static int read_description(struct store *store, struct record *r,
			    const char *doc, struct err *err)
{
	struct store_rows rows = STORE_ROWS_INIT;
	int rc;

	rc = store_query(store, &rows, err, description_sql, "s", doc);
	if (rc)
		goto out;
	while ((rc = store_rows_next(&rows)) > 0) {
		long long key = store_rows_int(&rows, 0);
		const char *lang = store_rows_text(&rows, 3);

		if (!type_is(store_rows_text(&rows, 1), "object") ||
		    !type_is(store_rows_text(&rows, 2), "text") ||
		    !type_is(store_rows_text(&rows, 4), "text")) {
			problem(r, "descriptions[%lld]: %s", key,
				"'lang' or 'value' is not a string");
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

	if (!type_is(c->obj_t, "object") ||
	    !(type_is(c->score_t, "integer") || type_is(c->score_t, "real")) ||
	    !type_opt(c->vector_t, "text") ||
	    !type_opt(c->severity_t, "text")) {
		problem(r, "metrics[%lld].%s: a field has a wrong type", idx,
			c->kind);
		return false;
	}
	if (!(c->score >= 0.0 && c->score <= 10.0)) {
		problem(r,
			"metrics[%lld].%s: 'baseScore' is not between 0 and 10",
			idx, c->kind);
		return false;
	}
	r->cvss = c->score;
	free(r->vector);
	r->vector = c->vector ? xstrdup(c->vector) : NULL;
	r->severity = NULL;
	if (c->severity && strlen(c->severity) < sizeof(sev)) {
		for (i = 0; c->severity[i]; i++)
			sev[i] = (char)((c->severity[i] >= 'A' &&
					 c->severity[i] <= 'Z')
						? c->severity[i] - 'A' + 'a'
						: c->severity[i]);
		sev[i] = '\0';
		r->severity = known_severity(sev);
	}
	if (!r->severity)
		r->severity = severity_of_score(c->score);
	return true;
}

/* A metrics array of several entries: the best kind of the first entry
 * that has one. */
static int read_metrics(struct store *store, struct record *r, const char *doc,
			struct err *err)
{
	struct store_rows rows = STORE_ROWS_INIT;
	int rc;

	rc = store_query(store, &rows, err, metrics_sql, "s", doc);
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

/* Why an entry is refused, named by its place in the record. */
static void entry_problem(struct record *r, const struct raw_entry *x,
			  const char *what)
{
	problem(r, "affected[%u].versions[%lld]: %s", x->block, x->key, what);
}

static const char *const not_a_version[F_COUNT] = {
	"'version' is not a kernel version",
	"'status' is too long",
	"'lessThan' is not a kernel version",
	"'lessThanOrEqual' is not a kernel version",
	"'versionType' is too long",
};

/* The upper end of an entry's range from lessThan or lessThanOrEqual;
 * -1 with a problem when it is not a version. */
static int take_upper(struct entry *e, struct record *r,
		      const struct raw_entry *x)
{
	const char *lt = x->field[F_LT], *le = x->field[F_LE];
	size_t n = x->present[F_LE] ? strlen(le) : 0;

	if (x->present[F_LT] && x->present[F_LE]) {
		entry_problem(r, x, "both 'lessThan' and 'lessThanOrEqual'");
		return -1;
	}
	if (x->present[F_LT]) {
		e->upper = UPPER_LT;
		if (!strcmp(lt, "*"))
			e->upper = UPPER_INF;
		else if (copy_version(e->bound, lt) || !is_version(e->bound))
			goto bad_lt;
	} else if (x->present[F_LE]) {
		if (!strcmp(le, "*")) {
			e->upper = UPPER_INF;
		} else if (n > 2 && !strcmp(le + n - 2, ".*")) {
			e->upper = UPPER_BRANCH;
			if (next_branch(e->bound, le))
				goto bad_le;
		} else {
			e->upper = UPPER_LE;
			if (copy_version(e->bound, le) || !is_version(e->bound))
				goto bad_le;
		}
	}
	return 0;
bad_lt:
	entry_problem(r, x, not_a_version[F_LT]);
	return -1;
bad_le:
	entry_problem(r, x, not_a_version[F_LE]);
	return -1;
}

/* Turns one raw entry (not git) into an entry; a wrong type or a bad
 * version names itself in r->problem. "unknown" states nothing. */
static void take_entry(struct kcna_state *st, struct record *r,
		       const struct raw_entry *x)
{
	const char *status = x->field[F_STATUS];
	struct entry *e;
	int f;

	if (x->type_bad || !x->present[F_VERSION] || !x->present[F_STATUS]) {
		entry_problem(r, x, "a field has a wrong type");
		return;
	}
	for (f = 0; f < F_COUNT; f++) {
		if (x->present[f] && x->too_long[f]) {
			entry_problem(r, x, not_a_version[f]);
			return;
		}
	}
	if (!strcmp(status, "unknown"))
		return;
	if (strcmp(status, "affected") && strcmp(status, "unaffected")) {
		entry_problem(r, x, "'status' is not affected or unaffected");
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
		entry_problem(r, x, not_a_version[F_VERSION]);
		return;
	}
	if (take_upper(e, r, x))
		return;
	st->nentries++;
}

/* What a node of the affected tree is to the mapping. */
enum role { ROLE_NONE, ROLE_ROOT, ROLE_BLOCK, ROLE_VERSIONS, ROLE_ENTRY };

static struct node_role *role_at(struct kcna_state *st, long long id)
{
	size_t need = (size_t)id + 1;

	if (need > st->aroles) {
		size_t old = st->aroles;

		XGROW(st->roles, st->aroles, need);
		memset(st->roles + old, 0,
		       (st->aroles - old) * sizeof(*st->roles));
	}
	return &st->roles[id];
}

static int field_of(const char *key)
{
	int f;

	for (f = 0; f < F_COUNT; f++)
		if (!strcmp(key, field_names[f]))
			return f;
	return -1;
}

/* One row of the walk: a block, a member of a block, an entry or a member
 * of an entry (anything else is ignored). */
static void walk_row(struct kcna_state *st, struct record *r,
		     struct store_rows *rows, size_t *nraw)
{
	long long id = store_rows_int(rows, 0);
	const char *type = store_rows_text(rows, 3);
	bool container = type_is(type, "object") || type_is(type, "array");
	struct node_role parent = { ROLE_NONE, 0 }, *self = NULL;
	long long pid;

	if (id < 0 || id >= KCNA_MAX_NODES) {
		problem(r, "'affected' has more than %d values",
			KCNA_MAX_NODES);
		return;
	}
	if (store_rows_null(rows, 1)) {
		role_at(st, id)->role = ROLE_ROOT;
		return;
	}
	pid = store_rows_int(rows, 1);
	if (pid < 0 || pid >= id)
		return;
	parent = *role_at(st, pid);
	if (container) {
		self = role_at(st, id);
		self->role = ROLE_NONE;
	}
	switch (parent.role) {
	case ROLE_ROOT: {
		long long bi = store_rows_int(rows, 2);
		struct block *b;

		if (!type_is(type, "object")) {
			problem(r, "affected[%lld] is not an object", bi);
			return;
		}
		if (st->nblocks >= KCNA_MAX_BLOCKS) {
			problem(r, "more than %d affected blocks",
				KCNA_MAX_BLOCKS);
			return;
		}
		b = &st->blocks[st->nblocks];
		memset(b, 0, sizeof(*b));
		b->empty = true;
		*self = (struct node_role){ ROLE_BLOCK,
					    (unsigned int)st->nblocks++ };
		return;
	}
	case ROLE_BLOCK: {
		const char *key = store_rows_text(rows, 2);
		struct block *b = &st->blocks[parent.index];

		if (!key)
			return;
		if (!strcmp(key, "defaultStatus")) {
			const char *def = store_rows_text(rows, 4);

			if (!type_opt(type, "text"))
				problem(r, "affected[%u]: %s", parent.index,
					"'defaultStatus' is not a string");
			else
				b->default_affected =
					def && !strcmp(def, "affected");
		} else if (!strcmp(key, "versions")) {
			if (!type_opt(type, "array"))
				problem(r, "affected[%u]: %s", parent.index,
					"'versions' is not an array");
			else if (self)
				*self = (struct node_role){ ROLE_VERSIONS,
							    parent.index };
		}
		return;
	}
	case ROLE_VERSIONS: {
		long long vi = store_rows_int(rows, 2);
		struct raw_entry *x;

		st->blocks[parent.index].empty = false;
		if (!type_is(type, "object")) {
			problem(r,
				"affected[%u].versions[%lld] is not an object",
				parent.index, vi);
			return;
		}
		if (*nraw >= KCNA_MAX_RAW) {
			problem(r, "more than %d version entries",
				KCNA_MAX_RAW);
			return;
		}
		XGROW(st->raw, st->araw, *nraw + 1);
		x = &st->raw[*nraw];
		/* The fields are large, so only their first bytes are cleared:
		 * a member the entry lacks must read as "", never as what an
		 * earlier record left in this reused slot. */
		memset(x, 0, offsetof(struct raw_entry, field));
		for (int f = 0; f < F_COUNT; f++)
			x->field[f][0] = '\0';
		x->block = parent.index;
		x->key = vi;
		*self = (struct node_role){ ROLE_ENTRY,
					    (unsigned int)(*nraw)++ };
		return;
	}
	case ROLE_ENTRY: {
		const char *key = store_rows_text(rows, 2);
		struct raw_entry *x = &st->raw[parent.index];
		const char *atom;
		size_t n;
		int f = key ? field_of(key) : -1;

		if (f < 0 || type_is(type, "null"))
			return;
		if (!type_is(type, "text")) {
			x->type_bad = 1;
			return;
		}
		atom = store_rows_text(rows, 4);
		n = strlen(atom);
		x->present[f] = 1;
		if (n >= KCNA_VERSION_MAX)
			x->too_long[f] = 1;
		else
			memcpy(x->field[f], atom, n + 1);
		return;
	}
	default:
		return;
	}
}

/* Walks the affected array (see versions_sql) into blocks and entries;
 * git entries are dropped, the others validated. */
static int read_versions(struct store *store, struct kcna_state *st,
			 struct record *r, const char *affected,
			 struct err *err)
{
	struct store_rows rows = STORE_ROWS_INIT;
	size_t nraw = 0, i;
	int rc;

	st->nentries = 0;
	st->nblocks = 0;
	rc = store_query(store, &rows, err, versions_sql, "s", affected);
	if (rc)
		goto out;
	while (!r->problem[0] && (rc = store_rows_next(&rows)) > 0)
		walk_row(st, r, &rows, &nraw);
	if (rc < 0)
		goto out;
	rc = 0;
	/* Entries come block by block, in document order. */
	for (i = 0; i < nraw && !r->problem[0]; i++) {
		const struct raw_entry *x = &st->raw[i];
		struct block *b = &st->blocks[x->block];

		if (x->present[F_VTYPE] && !x->type_bad &&
		    !strcmp(x->field[F_VTYPE], "git"))
			continue;
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

/* What one document comes to, as extract() hands it to store(). */
enum kcna_action { KCNA_STORE, KCNA_DELETE };

struct kcna_record {
	enum kcna_action action;
	char id[40];
	char *summary;
	char *vector;
	const char *severity;
	double cvss;
	long long published, modified;
	char digest[17];
	size_t nout;
	struct interval *out;
};

static void kcna_free_record(void *p)
{
	struct kcna_record *rec = p;

	if (!rec)
		return;
	free(rec->summary);
	free(rec->vector);
	free(rec->out);
	free(rec);
}

static int kcna_store(struct feed_run *run, void *p, struct err *err)
{
	struct kcna_record *rec = p;
	struct feed_advisory adv = {
		.id = rec->id,
		.summary = rec->summary,
		.severity = rec->severity,
		.cvss_score = rec->cvss,
		.cvss_vector = rec->vector,
		.published = rec->published,
		.modified = rec->modified,
		.withdrawn = -1,
		.digest = rec->digest,
	};
	struct feed_range ranges[16], *rv = ranges;
	long long aid;
	size_t i;
	int rc;

	if (rec->action == KCNA_DELETE)
		return feed_delete_advisory(run, rec->id, err);
	rc = feed_put_advisory(run, &aid, &adv, err);
	if (rc || !rec->nout)
		return rc;
	if (rec->nout > sizeof(ranges) / sizeof(ranges[0]))
		rv = xcalloc(rec->nout, sizeof(*rv));
	for (i = 0; i < rec->nout; i++) {
		const struct interval *iv = &rec->out[i];

		rv[i] = (struct feed_range){
			.component = "kernel",
			.ecosystem = "upstream",
			.package = "linux",
			.scheme = "kernel",
			.introduced = iv->introduced[0] ? iv->introduced : NULL,
			.fixed = iv->fixed[0] ? iv->fixed : NULL,
			.last_affected =
				iv->last_affected[0] ? iv->last_affected : NULL,
			.limit = iv->limit[0] ? iv->limit : NULL,
		};
	}
	rc = feed_put_ranges(run, aid, rv, rec->nout, err);
	if (rv != ranges)
		free(rv);
	return rc;
}

static struct kcna_state *kcna_state_new(void)
{
	struct kcna_state *st = xcalloc(1, sizeof(*st));

	buf_init(&st->doc, KCNA_MAX_DOC);
	return st;
}

static void kcna_state_free(struct kcna_state *st)
{
	if (!st)
		return;
	free(st->entries);
	free(st->out);
	free(st->sorted);
	free(st->raw);
	free(st->roles);
	buf_release(&st->doc);
	free(st);
}

static int kcna_begin(struct feed_run *run, struct err *err)
{
	run->state = kcna_state_new();
	if (run->full)
		return feed_delete_all(run, err);
	return 0;
}

static int kcna_finish(struct feed_run *run, struct err *err)
{
	kcna_state_free(run->state);
	run->state = NULL;
	return 0;
}

static void kcna_worker_end(struct feed_worker *w)
{
	kcna_state_free(w->state);
	w->state = NULL;
}

static struct kcna_record *new_record(enum kcna_action action, const char *id)
{
	struct kcna_record *rec = xcalloc(1, sizeof(*rec));
	size_t n = strlen(id);

	assert(n < sizeof(rec->id));
	rec->action = action;
	memcpy(rec->id, id, n + 1);
	return rec;
}

/* One document to a record (*out, NULL when it stores nothing): the part
 * of a run that needs no access to the run, so it can run in a worker
 * with a store of its own. A bad record returns ERR_PARSE with the message
 * that rejects it; other failures are the store's. */
static int kcna_read(struct store *store, struct kcna_state *st,
		     const char *path, const char *data, size_t len,
		     struct kcna_record **out, struct err *err)
{
	struct store_rows rows = STORE_ROWS_INIT;
	struct record r = { .path = path, .cvss = -1.0 };
	struct cvss_in cvss[3] = { { .kind = "cvssV3_1" },
				   { .kind = "cvssV3_0" },
				   { .kind = "cvssV4_0" } };
	long long published = -1, modified = -1;
	const char *type[RP_COUNT] = { 0 };
	char *text[RP_COUNT] = { 0 };
	double score[3] = { 0 };
	const char *fail = NULL, *id, *affected_t = NULL;
	char *affected = NULL;
	bool got_row = false, descs_array = false;
	struct kcna_record *rec;
	int rc, i;

	*out = NULL;
	if (is_cve_file(base_name(path)) && in_cve_dir(path, "rejected")) {
		/* A rejected id (vulns.git moves its record to
		 * cve/rejected/): the file name is the id, whatever the JSON
		 * inside still says. */
		const char *base = base_name(path);
		char rid[40];
		size_t n = strlen(base) - 5;

		if (n >= sizeof(rid))
			return 0;
		memcpy(rid, base, n);
		rid[n] = '\0';
		*out = new_record(KCNA_DELETE, rid);
		return 0;
	}
	if (len > KCNA_MAX_DOC)
		return err_set(err, ERR_PARSE,
			       "'%s': %zu bytes, more than the limit of %zu",
			       path, len, KCNA_MAX_DOC);
	/* Bound NUL-terminated, sqlite hands the text to every JSON function
	 * as it is; text of a given length would be copied for each call. A
	 * NUL inside would cut the document short, so it is refused. */
	if (memchr(data, '\0', len))
		return err_set(err, ERR_PARSE,
			       "'%s': not valid JSON (a NUL byte)", path);
	/* Object names that are not strings crash sqlite 3.40's JSON1, and
	 * a repeated name hides the member read (jsoncheck.h). */
	{
		char bad[160];

		if (jsoncheck_feed(data, len, bad, sizeof(bad)))
			return err_set(err, ERR_PARSE, "'%s': %s", path, bad);
	}
	buf_reset(&st->doc);
	if (buf_add(&st->doc, data, len))
		return err_set(err, ERR_PARSE,
			       "'%s': %zu bytes, more than the limit of %zu",
			       path, len, KCNA_MAX_DOC);

	rc = store_query(store, &rows, err, record_sql, "s", st->doc.ptr);
	if (rc)
		goto out;
	while ((rc = store_rows_next(&rows)) > 0) {
		long long k = store_rows_int(&rows, 4);

		if (!got_row) {
			got_row = true;
			affected_t = json_type_const(store_rows_text(&rows, 7));
			if (store_rows_text(&rows, 8))
				affected = xstrdup(store_rows_text(&rows, 8));
			if (!type_is(store_rows_text(&rows, 0), "object"))
				fail = "no 'containers.cna' object";
			else if (!type_opt(store_rows_text(&rows, 1), "array"))
				fail = "'descriptions' is not an array";
			else if (!type_opt(store_rows_text(&rows, 2), "array"))
				fail = "'metrics' is not an array";
			else if (!type_opt(store_rows_text(&rows, 3), "object"))
				fail = "'metrics[0]' is not an object";
			descs_array =
				type_is(store_rows_text(&rows, 1), "array");
		}
		if (k < 0 || k >= RP_COUNT)
			continue;
		/* Rows are borrowed: types become constants, values copies. */
		type[k] = json_type_const(store_rows_text(&rows, 5));
		if (store_rows_text(&rows, 6) && type_is(type[k], "text"))
			text[k] = xstrdup(store_rows_text(&rows, 6));
		if (k >= RP_CVSS && (k - RP_CVSS) % 4 == 1)
			score[(k - RP_CVSS) / 4] = store_rows_double(&rows, 6);
	}
	store_rows_done(&rows);
	if (rc < 0)
		goto out;
	rc = 0;
	if (!got_row) {
		rc = err_set(err, ERR_PARSE, "'%s': not valid JSON", path);
		goto out;
	}
	i = type[RP_ID] ? RP_ID : RP_ID2;
	id = text[i];
	if (!type_is(type[i], "text") || !is_cve_id(id, strlen(id))) {
		rc = err_set(
			err, ERR_PARSE,
			"'%s': 'cveMetadata.cveId' is missing or not a CVE id",
			path);
		goto out;
	}
	memcpy(r.id, id, strlen(id) + 1);
	if (!type_opt(type[RP_STATE], "text")) {
		fail = "'cveMetadata.state' is not a string";
	} else if (text[RP_STATE] && !strcmp(text[RP_STATE], "REJECTED")) {
		*out = new_record(KCNA_DELETE, r.id);
		goto out;
	}
	if (!fail && !type_is(affected_t, "array"))
		fail = "'affected' is missing or not an array";
	for (i = RP_PUBLISHED; !fail && i <= RP_UPDATED; i++) {
		long long t = -1;

		if (!type[i])
			continue;
		if (type_is(type[i], "text") &&
		    (rc = store_query_int(store, &t, err,
					  "SELECT coalesce(unixepoch(?), -1)",
					  "s", text[i])))
			goto out;
		if (t < 0)
			fail = i == RP_PUBLISHED
				       ? "'datePublished' is not a date"
				       : "'dateUpdated' is not a date";
		else if (i == RP_PUBLISHED)
			published = t;
		else
			modified = t;
	}
	if (fail) {
		rc = err_set(err, ERR_PARSE, "'%s': %s: %s", path, r.id, fail);
		goto out;
	}

	/* Summary: the first description when it is English (every kernel
	 * record), else the first English one. */
	if (type_is(type[RP_LANG], "text") &&
	    type_is(type[RP_SUMMARY], "text") &&
	    (!strcasecmp(text[RP_LANG], "en") ||
	     !strncasecmp(text[RP_LANG], "en-", 3))) {
		r.summary = text[RP_SUMMARY];
		text[RP_SUMMARY] = NULL;
	} else if (descs_array &&
		   (rc = read_description(store, &r, st->doc.ptr, err))) {
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
	    (rc = read_metrics(store, &r, st->doc.ptr, err)))
		goto out;
	if (!r.problem[0] && (rc = read_versions(store, st, &r, affected, err)))
		goto out;
	if (!r.problem[0] && flatten(st, &fail))
		problem(&r, "%s", fail);
	if (r.problem[0]) {
		rc = err_set(err, ERR_PARSE, "'%s': %s: %s", path, r.id,
			     r.problem);
		goto out;
	}
	rec = new_record(KCNA_STORE, r.id);
	rec->summary = r.summary;
	r.summary = NULL;
	rec->vector = r.vector;
	r.vector = NULL;
	rec->severity = r.severity;
	rec->cvss = r.cvss;
	rec->published = published;
	rec->modified = modified;
	digest_of(rec->digest, data, len);
	rec->nout = st->nout;
	if (st->nout) {
		rec->out = xcalloc(st->nout, sizeof(*rec->out));
		memcpy(rec->out, st->out, st->nout * sizeof(*rec->out));
	}
	*out = rec;
out:
	store_rows_done(&rows);
	for (i = 0; i < RP_COUNT; i++)
		free(text[i]);
	free(affected);
	free(r.summary);
	free(r.vector);
	return rc;
}

static int kcna_extract(struct feed_worker *w, const char *path,
			const char *data, size_t len, void **out,
			struct err *err)
{
	struct kcna_record *rec = NULL;
	int rc;

	if (!w->state)
		w->state = kcna_state_new();
	rc = kcna_read(w->store, w->state, path, data, len, &rec, err);
	*out = rec;
	return rc;
}

static int kcna_parse(struct feed_run *run, const char *path, const char *data,
		      size_t len, struct err *err)
{
	struct kcna_record *rec = NULL;
	struct err why;
	int rc;

	if (!run->state) /* a runner that skipped begin(): a partial run */
		run->state = kcna_state_new();
	rc = kcna_read(run->store, run->state, path, data, len, &rec, &why);
	if (rc == ERR_PARSE)
		return feed_reject(run, "%s", why.msg);
	if (rc) {
		*err = why;
		return rc;
	}
	if (rec)
		rc = kcna_store(run, rec, err);
	kcna_free_record(rec);
	return rc;
}

const struct feed_format feed_format_kernel_cna = {
	.name = "kernel-cna",
	.want = kcna_want,
	.begin = kcna_begin,
	.parse = kcna_parse,
	.finish = kcna_finish,
	.count = NULL,
	.extract = kcna_extract,
	.store = kcna_store,
	.free_record = kcna_free_record,
	.worker_end = kcna_worker_end,
};
