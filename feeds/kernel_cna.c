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
 * Speed (tests/bench/ingest-kernel-cna.sh; DESIGN.md §10 asks for 5x
 * a plain Python json + sqlite3 script). A record is read in one pass by
 * the structural index of src/jsoncheck.h, which checks the whole
 * document (RFC 8259's grammar, string names, no repeated name) and
 * tells where each value lies and what kind it is; the mapping below
 * walks that index, so the commit ranges of block 1, programFiles,
 * cpeApplicability and references are skipped, never decoded. Of the
 * some 40 values a record maps, a string without a backslash is taken
 * as written (its bytes are its value; tests/json_index_check.h and
 * fuzz_json_index hold this against sqlite's own decoding), and the
 * others (strings with escapes, such as every description, and numbers)
 * are decoded by sqlite's JSON1, bound as one small array (values_sql).
 * Going through JSON1 for every value, as a json_tree walk of the
 * record, cost 0.8 M instructions a record and made the import only
 * 1.5x the Python script's speed: sqlite 3.40 spends some 600 to 2 800
 * instructions on each row and column it returns. The ranges go in with
 * one statement per record (feed_put_ranges). */
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
/* Version entries of one record, git ones included (a real one has a few
 * dozen). */
#define KCNA_MAX_RAW   KCNA_MAX_ENTRIES

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
	unsigned char git;      /* a git commit range: not read */
	unsigned char present[F_COUNT];
	unsigned char too_long[F_COUNT];
	char field[F_COUNT][KCNA_VERSION_MAX];
};

/* What a value handed to sqlite is to the mapping (struct slot). */
enum slot_kind {
	S_ID,        /* cveMetadata.cveId */
	S_ID2,       /* cveMetadata.cveID */
	S_STATE,     /* cveMetadata.state */
	S_PUBLISHED, /* cveMetadata.datePublished */
	S_UPDATED,   /* cveMetadata.dateUpdated */
	S_LANG,      /* descriptions[index].lang */
	S_VALUE,     /* descriptions[index].value */
	S_SCORE,     /* the chosen CVSS object's baseScore */
	S_VECTOR,    /* ... vectorString */
	S_SEVERITY,  /* ... baseSeverity */
	S_DEFAULT,   /* affected[index].defaultStatus */
	S_FIELD,     /* raw entry index, member `field` */
};

struct slot {
	uint32_t node;       /* in the record's index */
	bool plain;          /* a string without escapes: taken as written */
	unsigned char kind;  /* enum slot_kind */
	unsigned char field; /* enum field, for S_FIELD */
	unsigned int index;
};

/* One decoded value: its JSON type (a constant; NULL for null) and
 * value. */
struct decoded {
	const char *type;
	char *text;        /* a copy, but for entry fields (in st->raw) */
	double number;
	long long seconds; /* a date as unix seconds, -1 when not one */
};

/* Scratch space reused from record to record (run->state, or a
 * worker's). */
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
	size_t nraw, araw;
	struct json_index ix; /* the record's structure */
	struct slot *slots;   /* the values handed to sqlite, in order */
	size_t nslots, aslots;
	struct decoded *dec;  /* what sqlite made of them */
	size_t adec;
	struct buf doc;       /* those values as one JSON array */
};

/* The values of a record that need decoding (strings with escapes,
 * numbers), copied byte for byte into one small JSON array
 * ("[v1,v2,...]") and decoded by sqlite in order, one row each. Their
 * JSON types are the index's (a value's first byte tells it): a column of
 * types, or of dates, cost some 50 k instructions a record more. */
static const char values_sql[] = "SELECT atom FROM json_each(?1)";

/* RFC 3339 dates (cveMetadata.datePublished, dateUpdated) as unix
 * seconds, -1 when not a date: only the records that carry them (not
 * the kernel's own repository) pay for this query. */
static const char dates_sql[] =
	"SELECT coalesce(unixepoch(?1), -1), coalesce(unixepoch(?2), -1)";

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

	/* The values are parts of the record: at most the record, a
	 * comma each and the brackets. */
	buf_init(&st->doc, 2 * KCNA_MAX_DOC + 2);
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
	free(st->slots);
	free(st->dec);
	json_index_release(&st->ix);
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

/* Adds node k's bytes to the values for sqlite, with what it is. */
static void add_slot(struct kcna_state *st, const char *text, uint32_t k,
		     enum slot_kind kind, unsigned int index, int field)
{
	const struct json_node *v = &st->ix.node[k];
	/* A string without a backslash is its own value: the bytes between
	 * its quotes, which the index has checked (no control character;
	 * the runner checked the UTF-8). Only strings with escapes and
	 * numbers need decoding. */
	bool plain = v->type == '"' &&
		     !memchr(text + v->start + 1, '\\', v->end - v->start - 2);

	XGROW(st->slots, st->aslots, st->nslots + 1);
	st->slots[st->nslots++] = (struct slot){
		.node = k,
		.kind = (unsigned char)kind,
		.field = (unsigned char)field,
		.plain = plain,
		.index = index,
	};
	if (plain)
		return;
	/* Within the buffer's bound by construction (kcna_state_new):
	 * the values are disjoint parts of the record. */
	if (buf_addch(&st->doc, st->doc.len ? ',' : '[') ||
	    buf_add(&st->doc, text + v->start, v->end - v->start))
		abort();
}

/* Node k unless it is JSON null, which the mapping reads as absent; 0
 * for none. */
static uint32_t present(const struct kcna_state *st, uint32_t k)
{
	return k && st->ix.node[k].type != 'n' ? k : 0;
}

/* A member of obj that is there and not null, or 0 (obj 0: none). */
static uint32_t member(const struct kcna_state *st, const char *text,
		       uint32_t obj, const char *name)
{
	return obj ? present(st, json_index_member(&st->ix, text, obj, name)) : 0;
}

/* A member of the record itself: node 0, which member() takes for
 * "none". */
static uint32_t root_member(const struct kcna_state *st, const char *text,
			    const char *name)
{
	return present(st, json_index_member(&st->ix, text, 0, name));
}

static char type_of(const struct kcna_state *st, uint32_t k)
{
	return k ? st->ix.node[k].type : 0;
}

/* What the structure alone tells about a record, found while the values
 * to decode are chosen (shape_of). */
struct shape {
	const char *fail;       /* a top-level problem */
	int date_slot[2];       /* the slots of datePublished, dateUpdated */
	int desc_bad;           /* the first description that is not an
				   object with string lang and value; -1 */
	int cvss_metric;        /* the metric whose CVSS is read; -1: none */
	int cvss_kind;          /* 0 cvssV3_1, 1 cvssV3_0, 2 cvssV4_0 */
	bool cvss_object;       /* that CVSS is an object */
	int metric_bad;         /* a metric that is not an object; -1 */
	bool affected_array;    /* containers.cna.affected is an array */
	char affected_problem[160];
};

static const char *const cvss_kinds[3] = { "cvssV3_1", "cvssV3_0",
					   "cvssV4_0" };

static void shape_metrics(struct kcna_state *st, const char *text,
			  struct shape *sh, uint32_t metrics)
{
	static const char *const fields[3] = { "baseScore", "vectorString",
					       "baseSeverity" };
	uint32_t m, ko = 0;
	int kind, j, f;

	/* The best kind first, in the first metric that has it. */
	for (kind = 0; kind < 3 && !ko; kind++) {
		for (m = metrics + 1, j = 0; st->ix.node[metrics].count && m;
		     m = st->ix.node[m].next, j++) {
			if (type_of(st, m) != '{') {
				sh->metric_bad = j;
				return;
			}
			ko = member(st, text, m, cvss_kinds[kind]);
			if (ko) {
				sh->cvss_metric = j;
				sh->cvss_kind = kind;
				break;
			}
		}
	}
	if (!ko)
		return;
	sh->cvss_object = type_of(st, ko) == '{';
	for (f = 0; sh->cvss_object && f < 3; f++) {
		uint32_t k = member(st, text, ko, fields[f]);

		if (k)
			add_slot(st, text, k, S_SCORE + f, 0, 0);
	}
}

static void shape_problem(struct shape *sh, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void shape_problem(struct shape *sh, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sh->affected_problem, sizeof(sh->affected_problem), fmt, ap);
	va_end(ap);
}

/* The affected blocks: the blocks and raw entries, and the values of
 * every entry that is not a git commit range. Stops at the first
 * structural problem (the walk of the array in document order). */
static void shape_affected(struct kcna_state *st, const char *text,
			   struct shape *sh, uint32_t affected)
{
	uint32_t bk, ek;
	unsigned int bi;
	long long vi;

	st->nblocks = 0;
	st->nraw = 0;
	for (bk = st->ix.node[affected].count ? affected + 1 : 0, bi = 0; bk;
	     bk = st->ix.node[bk].next, bi++) {
		struct block *b;
		uint32_t ds, vs;

		if (type_of(st, bk) != '{')
			return shape_problem(sh, "affected[%u] is not an object",
					     bi);
		if (st->nblocks >= KCNA_MAX_BLOCKS)
			return shape_problem(sh, "more than %d affected blocks",
					     KCNA_MAX_BLOCKS);
		b = &st->blocks[st->nblocks++];
		memset(b, 0, sizeof(*b));
		b->empty = true;
		ds = member(st, text, bk, "defaultStatus");
		if (ds && type_of(st, ds) != '"')
			return shape_problem(sh, "affected[%u]: %s", bi,
					     "'defaultStatus' is not a string");
		if (ds)
			add_slot(st, text, ds, S_DEFAULT, bi, 0);
		vs = member(st, text, bk, "versions");
		if (vs && type_of(st, vs) != '[')
			return shape_problem(sh, "affected[%u]: %s", bi,
					     "'versions' is not an array");
		for (ek = vs && st->ix.node[vs].count ? vs + 1 : 0, vi = 0; ek;
		     ek = st->ix.node[ek].next, vi++) {
			uint32_t fk[F_COUNT];
			struct raw_entry *x;
			int f;

			b->empty = false;
			if (type_of(st, ek) != '{')
				return shape_problem(
					sh, "affected[%u].versions[%lld] is not an object",
					bi, vi);
			if (st->nraw >= KCNA_MAX_RAW)
				return shape_problem(sh, "more than %d version entries",
						     KCNA_MAX_RAW);
			XGROW(st->raw, st->araw, st->nraw + 1);
			x = &st->raw[st->nraw];
			/* The fields are large, so only their first bytes are
			 * cleared: a member the entry lacks must read as "",
			 * never as what an earlier record left in this slot. */
			memset(x, 0, offsetof(struct raw_entry, field));
			for (f = 0; f < F_COUNT; f++)
				x->field[f][0] = '\0';
			x->block = bi;
			x->key = vi;
			for (f = 0; f < F_COUNT; f++) {
				fk[f] = member(st, text, ek, field_names[f]);
				if (fk[f] && type_of(st, fk[f]) != '"') {
					x->type_bad = 1;
					fk[f] = 0;
				}
			}
			/* A git range (block 1 is mostly these): nothing of
			 * it is read, so none of it goes to sqlite. Written
			 * with escapes, "git" is decoded and dropped later. */
			x->git = !x->type_bad && fk[F_VTYPE] &&
				 json_index_is(&st->ix, text, fk[F_VTYPE], "git");
			for (f = 0; f < F_COUNT && !x->git; f++)
				if (fk[f])
					add_slot(st, text, fk[f], S_FIELD,
						 (unsigned int)st->nraw, f);
			st->nraw++;
		}
	}
}

/* Chooses the values to decode and notes what the structure says. */
static void shape_of(struct kcna_state *st, const char *text, struct shape *sh)
{
	static const char *const meta_fields[] = {
		"cveId", "cveID", "state", "datePublished", "dateUpdated",
	};
	uint32_t meta, cna, descs, metrics, affected, e, k;
	int i, j;

	*sh = (struct shape){
		.date_slot = { -1, -1 },
		.desc_bad = -1,
		.cvss_metric = -1,
		.metric_bad = -1,
	};
	st->nslots = 0;
	st->nblocks = 0;
	st->nraw = 0;
	buf_reset(&st->doc);
	meta = root_member(st, text, "cveMetadata");
	for (i = 0; i < 5; i++) {
		k = member(st, text, meta, meta_fields[i]);
		if (!k)
			continue;
		if (i >= S_PUBLISHED)
			sh->date_slot[i - S_PUBLISHED] = (int)st->nslots;
		add_slot(st, text, k, (enum slot_kind)i, 0, 0);
	}
	cna = member(st, text, root_member(st, text, "containers"), "cna");
	descs = member(st, text, cna, "descriptions");
	metrics = member(st, text, cna, "metrics");
	affected = member(st, text, cna, "affected");
	if (type_of(st, cna) != '{')
		sh->fail = "no 'containers.cna' object";
	else if (descs && type_of(st, descs) != '[')
		sh->fail = "'descriptions' is not an array";
	else if (metrics && type_of(st, metrics) != '[')
		sh->fail = "'metrics' is not an array";
	else if (metrics && st->ix.node[metrics].count &&
		 type_of(st, metrics + 1) != 'n' &&
		 type_of(st, metrics + 1) != '{')
		sh->fail = "'metrics[0]' is not an object";
	if (sh->fail)
		return;

	/* Descriptions up to the first written "en" (the summary, in every
	 * kernel record the first), or the first bad one. */
	for (e = descs && st->ix.node[descs].count ? descs + 1 : 0, j = 0; e;
	     e = st->ix.node[e].next, j++) {
		uint32_t lang = member(st, text, e, "lang");
		uint32_t value = member(st, text, e, "value");

		if (type_of(st, e) != '{' || type_of(st, lang) != '"' ||
		    type_of(st, value) != '"') {
			sh->desc_bad = j;
			break;
		}
		add_slot(st, text, lang, S_LANG, (unsigned int)j, 0);
		add_slot(st, text, value, S_VALUE, (unsigned int)j, 0);
		if (json_index_is(&st->ix, text, lang, "en"))
			break;
	}
	if (metrics)
		shape_metrics(st, text, sh, metrics);
	sh->affected_array = type_of(st, affected) == '[';
	if (sh->affected_array)
		shape_affected(st, text, sh, affected);
}

/* The JSON type name of node k, as the index tells it (a number is
 * "real": the mapping reads integers and reals alike). */
static const char *index_type(const struct kcna_state *st, uint32_t k)
{
	switch (st->ix.node[k].type) {
	case '"': return "text";
	case '0': return "real";
	case '{': return "object";
	case '[': return "array";
	case 't': return "true";
	case 'f': return "false";
	default:  return NULL;
	}
}

/* Takes one decoded value (n bytes at atom, a string) for slot i. */
static void take_text(struct kcna_state *st, size_t i, const char *atom,
		      size_t n, const char **date)
{
	const struct slot *sl = &st->slots[i];

	if (sl->kind == S_FIELD) {
		struct raw_entry *x = &st->raw[sl->index];

		x->present[sl->field] = 1;
		if (n >= KCNA_VERSION_MAX || memchr(atom, '\0', n)) {
			x->too_long[sl->field] = 1;
		} else {
			memcpy(x->field[sl->field], atom, n);
			x->field[sl->field][n] = '\0';
		}
		return;
	}
	/* A NUL decoded from "\u0000" ends the text, as it did when sqlite
	 * handed it over. */
	st->dec[i].text = xstrndup(atom, n);
	if (sl->kind == S_PUBLISHED || sl->kind == S_UPDATED)
		date[sl->kind - S_PUBLISHED] = st->dec[i].text;
}

/* Every chosen value: plain strings as written, the rest (strings with
 * escapes, numbers) decoded by sqlite with one query over the array
 * add_slot() built; the entries' fields go straight into st->raw.
 * ERR_PARSE when sqlite refuses the array. */
static int decode(struct store *store, struct kcna_state *st,
		  const char *text, const char *path, struct err *err)
{
	struct store_rows rows = STORE_ROWS_INIT;
	const char *date[2] = { NULL, NULL };
	bool missing = false;
	size_t i;
	int rc = 0;

	if (!st->nslots)
		return 0;
	XGROW(st->dec, st->adec, st->nslots);
	memset(st->dec, 0, st->nslots * sizeof(*st->dec));
	if (st->doc.len) {
		if (buf_addch(&st->doc, ']'))
			return err_set(err, ERR_PARSE, "'%s': too large", path);
		rc = store_query(store, &rows, err, values_sql, "s",
				 st->doc.ptr);
	}
	for (i = 0; !rc && i < st->nslots; i++) {
		const struct slot *sl = &st->slots[i];
		const struct json_node *v = &st->ix.node[sl->node];
		struct decoded *d = &st->dec[i];
		const char *atom;

		d->type = index_type(st, sl->node);
		d->seconds = -1;
		if (sl->plain) {
			take_text(st, i, text + v->start + 1,
				  v->end - v->start - 2, date);
			continue;
		}
		if ((rc = store_rows_next(&rows)) <= 0) {
			missing = !rc;
			break;
		}
		rc = 0;
		if (v->type == '0')
			d->number = store_rows_double(&rows, 0);
		else if (v->type == '"' && (atom = store_rows_text(&rows, 0)))
			take_text(st, i, atom, store_rows_bytes(&rows, 0), date);
	}
	store_rows_done(&rows);
	if (rc || missing) {
		/* The index accepted what sqlite does not: the stricter
		 * one decides, and the record is refused. */
		char why[sizeof(err->msg)];

		snprintf(why, sizeof(why), "%s", rc ? err->msg : "");
		return err_set(err, ERR_PARSE, "'%s': not valid JSON%s%s%s",
			       path, why[0] ? " (" : "", why, why[0] ? ")" : "");
	}
	if (!date[0] && !date[1])
		return 0;
	rc = store_query(store, &rows, err, dates_sql, "ss", date[0], date[1]);
	if (!rc && (rc = store_rows_next(&rows)) > 0) {
		for (i = 0; i < st->nslots; i++)
			if (st->slots[i].kind == S_PUBLISHED ||
			    st->slots[i].kind == S_UPDATED)
				st->dec[i].seconds = store_rows_int(
					&rows, st->slots[i].kind - S_PUBLISHED);
		rc = 0;
	}
	store_rows_done(&rows);
	return rc < 0 ? rc : 0;
}

static const struct decoded *slot_value(const struct kcna_state *st,
					enum slot_kind kind)
{
	size_t i;

	for (i = 0; i < st->nslots && st->slots[i].kind <= S_UPDATED; i++)
		if (st->slots[i].kind == kind)
			return &st->dec[i];
	return NULL;
}

/* The summary: the first English description (shape_of sent them in
 * order, up to the first bad one). */
static void take_summary(struct kcna_state *st, const struct shape *sh,
			 struct record *r)
{
	size_t i;

	for (i = 0; i < st->nslots; i++) {
		const struct slot *sl = &st->slots[i];
		const char *lang = st->dec[i].text;

		if (sl->kind != S_LANG || i + 1 >= st->nslots)
			continue;
		if (lang && (!strcasecmp(lang, "en") ||
			     !strncasecmp(lang, "en-", 3))) {
			r->summary = st->dec[i + 1].text;
			st->dec[i + 1].text = NULL;
			return;
		}
	}
	if (sh->desc_bad >= 0)
		problem(r, "descriptions[%d]: %s", sh->desc_bad,
			"'lang' or 'value' is not a string");
}

static void take_metrics(struct kcna_state *st, const struct shape *sh,
			 struct record *r)
{
	struct cvss_in c = { .obj_t = sh->cvss_object ? "object" : "text" };
	size_t i;

	if (sh->metric_bad >= 0) {
		problem(r, "metrics[%d] is not an object", sh->metric_bad);
		return;
	}
	if (sh->cvss_metric < 0)
		return;
	c.kind = cvss_kinds[sh->cvss_kind];
	for (i = 0; i < st->nslots; i++) {
		const struct decoded *d = &st->dec[i];

		switch (st->slots[i].kind) {
		case S_SCORE:
			c.score_t = d->type;
			c.score = d->number;
			break;
		case S_VECTOR:
			c.vector_t = d->type;
			c.vector = d->text;
			break;
		case S_SEVERITY:
			c.severity_t = d->type;
			c.severity = d->text;
			break;
		default:
			break;
		}
	}
	take_cvss(r, sh->cvss_metric, &c);
}

/* The entries in document order, git ones dropped, the others checked
 * and taken; then each block's default. */
static void take_versions(struct kcna_state *st, struct record *r)
{
	size_t i;

	for (i = 0; i < st->nslots; i++)
		if (st->slots[i].kind == S_DEFAULT && st->dec[i].text)
			st->blocks[st->slots[i].index].default_affected =
				!strcmp(st->dec[i].text, "affected");
	st->nentries = 0;
	for (i = 0; i < st->nraw && !r->problem[0]; i++) {
		const struct raw_entry *x = &st->raw[i];
		struct block *b = &st->blocks[x->block];

		if (x->git || (x->present[F_VTYPE] && !x->type_bad &&
			       !strcmp(x->field[F_VTYPE], "git")))
			continue;
		if (!b->has_versions) {
			b->has_versions = true;
			b->first = st->nentries;
		}
		take_entry(st, r, x);
		b->count = st->nentries - b->first;
	}
}

/* One document to a record (*out, NULL when it stores nothing): the part
 * of a run that needs no access to the run, so it can run in a worker
 * with a store of its own. A bad record returns ERR_PARSE with the message
 * that rejects it; other failures are the store's. */
static int kcna_read(struct store *store, struct kcna_state *st,
		     const char *path, const char *data, size_t len,
		     struct kcna_record **out, struct err *err)
{
	struct record r = { .path = path, .cvss = -1.0 };
	long long published = -1, modified = -1;
	const struct decoded *id, *state;
	const char *fail;
	struct kcna_record *rec;
	struct shape sh;
	char bad[160];
	size_t i;
	int rc;

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
	/* The values are bound NUL-terminated (text of a given length
	 * would be copied by sqlite): a NUL would cut them short. */
	if (memchr(data, '\0', len))
		return err_set(err, ERR_PARSE,
			       "'%s': not valid JSON (a NUL byte)", path);
	/* The whole record is checked (grammar, string names, no repeated
	 * name: jsoncheck.h) and indexed in one pass. */
	if (jsoncheck_index(&st->ix, data, len, bad, sizeof(bad)))
		return err_set(err, ERR_PARSE, "'%s': %s", path, bad);

	shape_of(st, data, &sh);
	rc = decode(store, st, data, path, err);
	if (rc)
		goto out;

	id = slot_value(st, S_ID);
	if (!id || !id->type)
		id = slot_value(st, S_ID2);
	if (!id || !type_is(id->type, "text") ||
	    !is_cve_id(id->text, strlen(id->text))) {
		rc = err_set(
			err, ERR_PARSE,
			"'%s': 'cveMetadata.cveId' is missing or not a CVE id",
			path);
		goto out;
	}
	memcpy(r.id, id->text, strlen(id->text) + 1);
	fail = sh.fail;
	state = slot_value(st, S_STATE);
	if (state && !type_opt(state->type, "text")) {
		fail = "'cveMetadata.state' is not a string";
	} else if (state && !strcmp(state->text, "REJECTED")) {
		*out = new_record(KCNA_DELETE, r.id);
		goto out;
	}
	if (!fail && !sh.affected_array)
		fail = "'affected' is missing or not an array";
	for (i = 0; !fail && i < 2; i++) {
		const struct decoded *d =
			slot_value(st, i ? S_UPDATED : S_PUBLISHED);

		if (!d || !d->type)
			continue;
		if (d->seconds < 0)
			fail = i ? "'dateUpdated' is not a date"
				 : "'datePublished' is not a date";
		else if (i)
			modified = d->seconds;
		else
			published = d->seconds;
	}
	if (fail) {
		rc = err_set(err, ERR_PARSE, "'%s': %s: %s", path, r.id, fail);
		goto out;
	}

	take_summary(st, &sh, &r);
	take_metrics(st, &sh, &r);
	if (!r.problem[0] && sh.affected_problem[0])
		problem(&r, "%s", sh.affected_problem);
	if (!r.problem[0])
		take_versions(st, &r);
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
	for (i = 0; i < st->nslots; i++) {
		free(st->dec[i].text);
		st->dec[i].text = NULL;
	}
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
