/* osv.c - the `osv` feed adapter: reads OSV records (OSV schema 1.x,
 * https://ossf.github.io/osv-schema/) through sqlite's JSON1 and stores
 * the advisories, flattened affected intervals and binary->source names
 * Slipway plans with. What is kept and how each field maps is written in
 * osv.h. */
#include "osv.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "jsoncheck.h"
#include "version.h"
#include "xalloc.h"

#include "banned.h"

/* Caps on what one record may hold (STYLE.md 20). The largest real
 * records, Ubuntu kernel CVEs, have a few hundred affected entries with a
 * few hundred versions each. */
#define OSV_AFFECTED_MAX 10000
#define OSV_EVENTS_MAX 10000      /* events of one entry, all ranges */
#define OSV_VERSIONS_MAX 20000    /* versions[] of one entry */
#define OSV_ROWS_MAX 50000        /* intervals of one record */
#define OSV_NAME_MAX 256          /* ids, names, ecosystems, versions */
#define OSV_DETAILS_LINE_MAX 1000 /* characters of a summary */
#define OSV_CSV_LINES_MAX 5000000

/* ---- small helpers ---------------------------------------------------- */

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static bool streq(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

/* The text of a column, or NULL; "" is kept. */
static const char *col_text(struct store_rows *rows, int col)
{
	return store_rows_null(rows, col) ? NULL : store_rows_text(rows, col);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* ---- time, CVSS, severity words ---------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static bool digits(const char *s, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

/* RFC 3339 §5.6 date-time; 't', 'z' and a space for 'T' are accepted as
 * RFC 3339 allows. */
int osv_parse_time(int64_t *out, const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0;
	const char *p;
	int64_t t;

	if (!s || strlen(s) < 20)
		return ERR_PARSE;
	if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) ||
	    s[7] != '-' || !digits(s + 8, 2, &d) ||
	    (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    !digits(s + 11, 2, &h) || s[13] != ':' || !digits(s + 14, 2, &mi) ||
	    s[16] != ':' || !digits(s + 17, 2, &sec))
		return ERR_PARSE;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 ||
	    mi > 59 || sec > 60)
		return ERR_PARSE;
	p = s + 19;
	if (*p == '.') {
		if (!isdigit((unsigned char)p[1]))
			return ERR_PARSE;
		for (p++; isdigit((unsigned char)*p); p++)
			;
	}
	if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
		sign = 0;
	} else if ((*p == '+' || *p == '-') && digits(p + 1, 2, &oh) &&
		   p[3] == ':' && digits(p + 4, 2, &om) && p[6] == '\0' &&
		   oh <= 23 && om <= 59) {
		sign = *p == '+' ? 1 : -1;
	} else {
		return ERR_PARSE;
	}
	if (y < 1970) {
		*out = -1;
		return 0;
	}
	t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
	t -= sign * (oh * 3600 + om * 60);
	*out = t < 0 ? -1 : t;
	return 0;
}

/* CVSS v3.1 specification, Appendix A: the smallest number with one
 * decimal that is >= input, computed on integers to avoid floating point
 * surprises (e.g. Roundup(4.000000001) must be 4.1 only when it really is
 * above 4.0). */
static double cvss_roundup(double input)
{
	long long i = llround(input * 100000.0);

	if (i % 10000 == 0)
		return (double)i / 100000.0;
	return (double)(i / 10000 + 1) / 10.0;
}

struct cvss_metric {
	const char *name;
	const char *values;   /* one letter per value */
	double weight[4];
};

/* CVSS v3.1 §7.4, Table 16: metric values. PR's changed-scope weights
 * are applied below. */
static const struct cvss_metric cvss_metrics[] = {
	{ "AV", "NALP", { 0.85, 0.62, 0.55, 0.2 } },
	{ "AC", "LH", { 0.77, 0.44 } },
	{ "PR", "NLH", { 0.85, 0.62, 0.27 } },
	{ "UI", "NR", { 0.85, 0.62 } },
	{ "S", "UC", { 0, 1 } },
	{ "C", "HLN", { 0.56, 0.22, 0 } },
	{ "I", "HLN", { 0.56, 0.22, 0 } },
	{ "A", "HLN", { 0.56, 0.22, 0 } },
};

int osv_cvss3_score(double *out, const char *vector)
{
	int idx[ARRAY_SIZE(cvss_metrics)];
	double w[ARRAY_SIZE(cvss_metrics)];
	double iss, impact, expl, pr, score;
	const char *p;
	size_t m;
	bool changed;

	if (!vector || (strncmp(vector, "CVSS:3.1/", 9) && strncmp(vector, "CVSS:3.0/", 9)))
		return ERR_PARSE;
	for (m = 0; m < ARRAY_SIZE(cvss_metrics); m++)
		idx[m] = -1;
	for (p = vector + 9; *p;) {
		const char *colon = strchr(p, ':');
		const char *end = strchr(p, '/');
		size_t klen;

		if (!end)
			end = p + strlen(p);
		if (!colon || colon >= end || colon == p || colon + 1 == end)
			return ERR_PARSE;
		klen = (size_t)(colon - p);
		for (m = 0; m < ARRAY_SIZE(cvss_metrics); m++) {
			const char *v;

			if (strlen(cvss_metrics[m].name) != klen ||
			    strncmp(cvss_metrics[m].name, p, klen))
				continue;
			if (idx[m] >= 0 || end - colon != 2)
				return ERR_PARSE;
			v = strchr(cvss_metrics[m].values, colon[1]);
			if (!v || !colon[1])
				return ERR_PARSE;
			idx[m] = (int)(v - cvss_metrics[m].values);
			w[m] = cvss_metrics[m].weight[idx[m]];
			break;
		}
		p = *end ? end + 1 : end;
	}
	for (m = 0; m < ARRAY_SIZE(cvss_metrics); m++)
		if (idx[m] < 0)
			return ERR_PARSE;
	changed = idx[4] == 1;
	pr = w[2];
	if (changed && idx[2] == 1)
		pr = 0.68;
	else if (changed && idx[2] == 2)
		pr = 0.5;
	/* §7.1 Base Metrics Equations */
	iss = 1 - (1 - w[5]) * (1 - w[6]) * (1 - w[7]);
	if (changed)
		impact = 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15);
	else
		impact = 6.42 * iss;
	expl = 8.22 * w[0] * w[1] * pr * w[3];
	if (impact <= 0)
		score = 0;
	else if (changed)
		score = cvss_roundup(fmin(1.08 * (impact + expl), 10));
	else
		score = cvss_roundup(fmin(impact + expl, 10));
	*out = score;
	return 0;
}

/* CVSS v3.1 §5, Table 14: qualitative rating of a score. */
static const char *severity_of_score(double score)
{
	if (score < 0)
		return NULL;
	if (score == 0)
		return "none";
	if (score < 4)
		return "low";
	if (score < 7)
		return "medium";
	if (score < 9)
		return "high";
	return "critical";
}

/* A vendor's rating word as Slipway's severity: GHSA (LOW MODERATE HIGH
 * CRITICAL), Ubuntu priorities (negligible low medium high critical,
 * untriaged), Red Hat (Low Moderate Important Critical), Debian urgencies
 * (unimportant low medium high, "not yet assigned", end-of-life; the
 * tracker marks guesses with a trailing '*'). */
static const char *severity_of_word(const char *word)
{
	static const struct {
		const char *word;
		const char *severity;
	} words[] = {
		{ "critical", "critical" }, { "high", "high" },
		{ "important", "high" }, { "medium", "medium" },
		{ "moderate", "medium" }, { "low", "low" },
		{ "negligible", "low" }, { "unimportant", "low" },
		{ "none", "none" },
	};
	char w[32];
	size_t n, i;

	if (!word)
		return NULL;
	n = strlen(word);
	while (n && word[n - 1] == '*')
		n--;
	if (n == 0 || n >= sizeof(w))
		return NULL;
	memcpy(w, word, n);
	w[n] = '\0';
	for (i = 0; i < ARRAY_SIZE(words); i++)
		if (!strcasecmp(words[i].word, w))
			return words[i].severity;
	return NULL;
}

/* Red Hat, AlmaLinux and Rocky advisories name their rating in the
 * summary: "Important: kernel security and bug fix update". */
static const char *severity_of_summary(const char *summary)
{
	static const char *const prefixes[] = { "Low", "Moderate", "Important", "Critical" };
	size_t i, n;

	if (!summary)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(prefixes); i++) {
		n = strlen(prefixes[i]);
		if (!strncmp(summary, prefixes[i], n) && summary[n] == ':')
			return severity_of_word(prefixes[i]);
	}
	return NULL;
}

/* ---- ecosystems --------------------------------------------------------- */

static int put_lower(char *out, size_t size, size_t *pos, const char *s, size_t n)
{
	size_t i;

	if (*pos + n + 1 > size)
		return ERR_LIMIT;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!isalnum(c) && c != '.' && c != '-' && c != '_')
			return ERR_NOTFOUND;
		out[(*pos)++] = (char)tolower(c);
	}
	out[*pos] = '\0';
	return 0;
}

/* Ubuntu:22.04:LTS -> ubuntu:22.04; Ubuntu:Pro:18.04:LTS ->
 * ubuntu:pro:18.04; Ubuntu:25.10 -> ubuntu:25.10. */
static int map_ubuntu(char *out, size_t size, const char *rest)
{
	size_t pos = 0;
	int rc;

	if ((rc = put_lower(out, size, &pos, "ubuntu", 6)))
		return rc;
	while (*rest) {
		const char *colon = strchr(rest, ':');
		size_t n = colon ? (size_t)(colon - rest) : strlen(rest);

		if (n == 0)
			return ERR_NOTFOUND;
		if (!(n == 3 && !strncmp(rest, "LTS", 3) && !colon)) {
			if (pos + 2 > size)
				return ERR_LIMIT;
			out[pos++] = ':';
			if ((rc = put_lower(out, size, &pos, rest, n)))
				return rc;
		}
		rest += n + (colon ? 1 : 0);
	}
	return pos > 6 ? 0 : ERR_NOTFOUND;
}

/* Red Hat's CPE-like ecosystems: "Red Hat:enterprise_linux:9::appstream"
 * -> rhel:9; "Red Hat:rhel_eus:9.2::appstream" -> rhel:eus:9.2. Other
 * products (OpenShift, ...) are not host operating systems. */
static int map_redhat(char *out, size_t size, const char *rest)
{
	const char *colon = strchr(rest, ':');
	const char *ver, *vend;
	size_t plen, vlen, pos = 0;
	int rc;

	if (!colon)
		return ERR_NOTFOUND;
	plen = (size_t)(colon - rest);
	ver = colon + 1;
	vend = strchr(ver, ':');
	vlen = vend ? (size_t)(vend - ver) : strlen(ver);
	if (vlen == 0)
		return ERR_NOTFOUND;
	if ((rc = put_lower(out, size, &pos, "rhel:", 4)))
		return rc;
	out[pos++] = ':';
	if (plen == 16 && !strncmp(rest, "enterprise_linux", 16)) {
		const char *dot = memchr(ver, '.', vlen);

		return put_lower(out, size, &pos, ver, dot ? (size_t)(dot - ver) : vlen);
	}
	if (plen > 5 && !strncmp(rest, "rhel_", 5)) {
		if ((rc = put_lower(out, size, &pos, rest + 5, plen - 5)))
			return rc;
		if (pos + 2 > size)
			return ERR_LIMIT;
		out[pos++] = ':';
		return put_lower(out, size, &pos, ver, vlen);
	}
	return ERR_NOTFOUND;
}

int osv_ecosystem_map(char *out, size_t size, const char **scheme,
		      const char *eco)
{
	static const struct {
		const char *prefix;   /* OSV spelling up to and with ':' */
		const char *name;     /* Slipway's */
		const char *scheme;
	} distros[] = {
		{ "Debian:", "debian", "dpkg" },
		{ "AlmaLinux:", "almalinux", "rpm" },
		{ "Rocky Linux:", "rocky", "rpm" },
	};
	size_t i, pos = 0;
	int rc;

	if (!eco || !*eco || size == 0)
		return ERR_NOTFOUND;
	if (!strcmp(eco, "Go") || !strcmp(eco, "Linux")) {
		if (size < sizeof("upstream"))
			return ERR_LIMIT;
		memcpy(out, "upstream", sizeof("upstream"));
		*scheme = eco[0] == 'G' ? "semver" : "kernel";
		return 0;
	}
	if (!strncmp(eco, "Ubuntu:", 7)) {
		if ((rc = map_ubuntu(out, size, eco + 7)))
			return rc;
		*scheme = "dpkg";
		return 0;
	}
	if (!strncmp(eco, "Red Hat:", 8)) {
		if ((rc = map_redhat(out, size, eco + 8)))
			return rc;
		*scheme = "rpm";
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(distros); i++) {
		size_t n = strlen(distros[i].prefix);
		const char *rel = eco + n;

		if (strncmp(eco, distros[i].prefix, n))
			continue;
		if (!*rel || strchr(rel, ':'))
			return ERR_NOTFOUND;
		if ((rc = put_lower(out, size, &pos, distros[i].name, strlen(distros[i].name))))
			return rc;
		if (pos + 2 > size)
			return ERR_LIMIT;
		out[pos++] = ':';
		if ((rc = put_lower(out, size, &pos, rel, strlen(rel))))
			return rc;
		*scheme = distros[i].scheme;
		return 0;
	}
	return ERR_NOTFOUND;
}

/* Whether an OSV ecosystem string belongs to the feed's ecosystem
 * ("Ubuntu:Pro:18.04:LTS" to "Ubuntu"). A feed without param takes all. */
static bool ecosystem_in_feed(const char *eco, const char *param)
{
	size_t n;

	if (!param)
		return true;
	n = strlen(param);
	return !strncmp(eco, param, n) && (eco[n] == '\0' || eco[n] == ':');
}

/* ---- the records of one document ---------------------------------------- */

struct osv_row {
	const char *component;   /* static */
	char *ecosystem;
	char *package;
	const char *scheme;      /* static */
	char *introduced, *fixed, *last_affected, *limit;
	const char *severity;    /* static */
};

struct osv_bin {
	char *ecosystem, *binary, *source;
};

/* What one document yields before anything is written: a record is
 * either stored whole or not at all. */
struct osv_doc {
	const char *path;
	const char *id;
	struct osv_row *rows;
	size_t nrows, arows;
	struct osv_bin *bins;
	size_t nbins, abins;
	char problem[400];       /* why the record is rejected */
};

struct osv_event {
	enum version_event_kind kind;
	char *version;
	size_t order;            /* input order, for a stable sort */
	enum version_scheme scheme;
};

static void doc_release(struct osv_doc *d)
{
	size_t i;

	for (i = 0; i < d->nrows; i++) {
		free(d->rows[i].ecosystem);
		free(d->rows[i].package);
		free(d->rows[i].introduced);
		free(d->rows[i].fixed);
		free(d->rows[i].last_affected);
		free(d->rows[i].limit);
	}
	for (i = 0; i < d->nbins; i++) {
		free(d->bins[i].ecosystem);
		free(d->bins[i].binary);
		free(d->bins[i].source);
	}
	free(d->rows);
	free(d->bins);
}

/* Records the first problem; returns 1 so callers can `return bad(...)`. */
static int bad(struct osv_doc *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int bad(struct osv_doc *d, const char *fmt, ...)
{
	va_list ap;

	if (!d->problem[0]) {
		va_start(ap, fmt);
		vsnprintf(d->problem, sizeof(d->problem), fmt, ap);
		va_end(ap);
	}
	return 1;
}

/* Nesting depth and string sanity before sqlite sees the bytes. */
static bool depth_ok(const char *p, size_t len, int max)
{
	bool in_str = false, esc = false;
	int depth = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		char c = p[i];

		if (in_str) {
			if (esc)
				esc = false;
			else if (c == '\\')
				esc = true;
			else if (c == '"')
				in_str = false;
		} else if (c == '"') {
			in_str = true;
		} else if (c == '{' || c == '[') {
			if (++depth > max)
				return false;
		} else if (c == '}' || c == ']') {
			depth--;
		}
	}
	return true;
}

static int cmp_event(const void *pa, const void *pb)
{
	const struct osv_event *a = pa, *b = pb;
	bool a0 = a->kind == VERSION_EV_INTRODUCED && !strcmp(a->version, "0");
	bool b0 = b->kind == VERSION_EV_INTRODUCED && !strcmp(b->version, "0");
	int c;

	if (a0 != b0)
		return a0 ? -1 : 1;
	c = a0 ? 0 : version_cmp(a->scheme, a->version, b->version);
	if (c)
		return c;
	return a->order < b->order ? -1 : a->order > b->order;
}

static struct osv_row *add_row(struct osv_doc *d, const char *component,
			       const char *ecosystem, const char *package,
			       const char *scheme, const char *severity)
{
	struct osv_row *r;

	if (d->nrows >= OSV_ROWS_MAX) {
		bad(d, "more than %d affected intervals", OSV_ROWS_MAX);
		return NULL;
	}
	XGROW(d->rows, d->arows, d->nrows + 1);
	r = &d->rows[d->nrows++];
	memset(r, 0, sizeof(*r));
	r->component = component;
	r->ecosystem = xstrdup(ecosystem);
	r->package = xstrdup(package);
	r->scheme = scheme;
	r->severity = severity;
	return r;
}

/* The package an entry's rows are written for. */
struct osv_pkg {
	const char *component;
	const char *ecosystem;   /* Slipway's */
	const char *name;
	const char *scheme;
	enum version_scheme vs;
	const char *severity;
};

/* Walks sorted events as the schema's evaluation does and appends one
 * row per affected interval. Returns the number of rows added, or -1. */
static int flatten(struct osv_doc *d, const struct osv_pkg *pkg,
		   struct osv_event *ev, size_t n)
{
	const char *open = NULL, *limit = NULL;
	bool is_open = false;
	int added = 0;
	size_t i, first = d->nrows;
	struct osv_row *r;

	for (i = 0; i < n; i++)
		if (ev[i].kind == VERSION_EV_LIMIT &&
		    (!limit || strchr(ev[i].version, '*') ||
		     (!strchr(limit, '*') && version_cmp(pkg->vs, ev[i].version, limit) > 0)))
			limit = ev[i].version;
	qsort(ev, n, sizeof(*ev), cmp_event);
	for (i = 0; i < n; i++) {
		switch (ev[i].kind) {
		case VERSION_EV_INTRODUCED:
			if (!is_open) {
				open = ev[i].version;
				is_open = true;
			}
			break;
		case VERSION_EV_FIXED:
		case VERSION_EV_LAST_AFFECTED:
			if (!is_open)
				break;
			r = add_row(d, pkg->component, pkg->ecosystem, pkg->name,
				    pkg->scheme, pkg->severity);
			if (!r)
				return -1;
			r->introduced = dup_or_null(open);
			if (ev[i].kind == VERSION_EV_FIXED)
				r->fixed = xstrdup(ev[i].version);
			else
				r->last_affected = xstrdup(ev[i].version);
			is_open = false;
			added++;
			break;
		case VERSION_EV_LIMIT:
			break;
		}
	}
	if (is_open) {
		r = add_row(d, pkg->component, pkg->ecosystem, pkg->name,
			    pkg->scheme, pkg->severity);
		if (!r)
			return -1;
		r->introduced = dup_or_null(open);
		added++;
	}
	if (limit)
		for (i = first; i < d->nrows; i++)
			d->rows[i].limit = xstrdup(limit);
	return added;
}

static void free_events(struct osv_event *ev, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(ev[i].version);
	free(ev);
}

static const char *const event_keys[] = { "introduced", "fixed", "last_affected", "limit" };

/* Reads the ranges at `path` ("$.ranges", "$.ecosystem_specific
 * .custom_ranges") of one affected entry and flattens SEMVER and
 * ECOSYSTEM ones. *usable counts those ranges. Returns 0, 1 when the
 * record is bad (d->problem), or a negative ERR_* on a database error. */
static int read_ranges(struct store *store, struct osv_doc *d, const char *entry,
		       const char *where, const char *path,
		       const struct osv_pkg *pkg, int *usable, struct err *err)
{
	struct store_rows rows = STORE_ROWS_INIT;
	struct osv_event *ev = NULL;
	size_t nev = 0, aev = 0, total = 0;
	long long cur = -1;
	bool cur_use = false;
	int rc, step;

	*usable = 0;
	rc = store_query(store, &rows, err,
		"SELECT r.key, r.type,"
		" CASE WHEN r.type = 'object' THEN json_type(r.value, '$.type') END,"
		" CASE WHEN r.type = 'object' THEN json_extract(r.value, '$.type') END,"
		" CASE WHEN r.type = 'object' THEN json_type(r.value, '$.events') END,"
		" e.key, e.type,"
		" CASE WHEN e.type = 'object' THEN json_type(e.value, '$.introduced') END,"
		" CASE WHEN e.type = 'object' THEN json_extract(e.value, '$.introduced') END,"
		" CASE WHEN e.type = 'object' THEN json_type(e.value, '$.fixed') END,"
		" CASE WHEN e.type = 'object' THEN json_extract(e.value, '$.fixed') END,"
		" CASE WHEN e.type = 'object' THEN json_type(e.value, '$.last_affected') END,"
		" CASE WHEN e.type = 'object' THEN json_extract(e.value, '$.last_affected') END,"
		" CASE WHEN e.type = 'object' THEN json_type(e.value, '$.limit') END,"
		" CASE WHEN e.type = 'object' THEN json_extract(e.value, '$.limit') END"
		" FROM json_each(?1, ?2) AS r"
		" LEFT JOIN json_each(CASE WHEN r.type = 'object'"
		"  AND json_type(r.value, '$.events') = 'array' THEN r.value ELSE '[]' END,"
		"  '$.events') AS e"
		" ORDER BY r.id, e.id",
		"ss", entry, path);
	if (rc)
		return rc;
	rc = 0;
	while ((step = store_rows_next(&rows)) == 1) {
		long long ri = store_rows_int(&rows, 0);
		const char *rtype = col_text(&rows, 1);
		const char *rtt = col_text(&rows, 2), *rt = col_text(&rows, 3);
		const char *evt = col_text(&rows, 4);
		size_t k;

		if (ri != cur) {
			if (cur_use && nev) {
				if (flatten(d, pkg, ev, nev) < 0) {
					rc = 1;
					break;
				}
				(*usable)++;
			} else if (cur_use) {
				(*usable)++;
			}
			free_events(ev, nev);
			ev = NULL;
			nev = aev = 0;
			cur = ri;
			if (!streq(rtype, "object")) {
				rc = bad(d, "'%s%s[%lld]' is not an object", where, path + 1, ri);
				break;
			}
			if (!streq(rtt, "text")) {
				rc = bad(d, "'%s%s[%lld].type' is not a string", where, path + 1, ri);
				break;
			}
			if (!streq(evt, "array")) {
				rc = bad(d, "'%s%s[%lld].events' is not an array", where, path + 1, ri);
				break;
			}
			/* GIT ranges name commits, not versions. */
			cur_use = streq(rt, "SEMVER") || streq(rt, "ECOSYSTEM");
		}
		if (store_rows_null(&rows, 5))
			continue;   /* no events */
		if (!streq(col_text(&rows, 6), "object")) {
			rc = bad(d, "'%s%s[%lld].events[%lld]' is not an object", where,
				 path + 1, ri, store_rows_int(&rows, 5));
			break;
		}
		for (k = 0; k < ARRAY_SIZE(event_keys); k++) {
			const char *t = col_text(&rows, 7 + 2 * (int)k);
			const char *v = col_text(&rows, 8 + 2 * (int)k);

			if (!t)
				continue;
			if (strcmp(t, "text")) {
				rc = bad(d, "'%s%s[%lld].events[%lld].%s' is not a string", where,
					 path + 1, ri, store_rows_int(&rows, 5), event_keys[k]);
				goto out;
			}
			if (strlen(v) > OSV_NAME_MAX) {
				rc = bad(d, "'%s%s[%lld].events[%lld].%s' is longer than %d bytes",
					 where, path + 1, ri, store_rows_int(&rows, 5),
					 event_keys[k], OSV_NAME_MAX);
				goto out;
			}
			if (++total > OSV_EVENTS_MAX) {
				rc = bad(d, "'%s' has more than %d events", where, OSV_EVENTS_MAX);
				goto out;
			}
			if (!cur_use || !*v)
				continue;
			XGROW(ev, aev, nev + 1);
			ev[nev].kind = (enum version_event_kind)k;
			ev[nev].version = xstrdup(v);
			ev[nev].order = nev;
			ev[nev].scheme = pkg->vs;
			nev++;
		}
	}
	if (step < 0 && !rc)
		rc = step;
	if (!rc && cur_use) {
		if (nev && flatten(d, pkg, ev, nev) < 0)
			rc = 1;
		else
			(*usable)++;
	}
out:
	store_rows_done(&rows);
	free_events(ev, nev);
	return rc;
}

/* versions[] alone: each listed version is affected. */
static int read_versions(struct store *store, struct osv_doc *d, const char *entry,
			 const char *where, const struct osv_pkg *pkg, struct err *err)
{
	struct store_rows rows = STORE_ROWS_INIT;
	int rc, step;
	long n = 0;

	rc = store_query(store, &rows, err,
			 "SELECT key, type, value FROM json_each(?1, '$.versions')",
			 "s", entry);
	if (rc)
		return rc;
	rc = 0;
	while ((step = store_rows_next(&rows)) == 1) {
		const char *v = col_text(&rows, 2);
		struct osv_row *r;

		if (!streq(col_text(&rows, 1), "text")) {
			rc = bad(d, "'%s.versions[%lld]' is not a string", where,
				 store_rows_int(&rows, 0));
			break;
		}
		if (strlen(v) > OSV_NAME_MAX || ++n > OSV_VERSIONS_MAX) {
			rc = bad(d, "'%s.versions' is too large", where);
			break;
		}
		if (!*v)
			continue;
		if (!(r = add_row(d, pkg->component, pkg->ecosystem, pkg->name,
				  pkg->scheme, pkg->severity))) {
			rc = 1;
			break;
		}
		r->introduced = xstrdup(v);
		r->last_affected = xstrdup(v);
	}
	if (step < 0 && !rc)
		rc = step;
	store_rows_done(&rows);
	return rc;
}

/* Ubuntu's ecosystem_specific.binaries[]: which binary packages this
 * source package builds. */
static int read_binaries(struct store *store, struct osv_doc *d, const char *entry,
			 const char *where, const struct osv_pkg *pkg, struct err *err)
{
	struct store_rows rows = STORE_ROWS_INIT;
	int rc, step;

	rc = store_query(store, &rows, err,
		"SELECT key, type,"
		" CASE WHEN type = 'object' THEN json_type(value, '$.binary_name') END,"
		" CASE WHEN type = 'object' THEN json_extract(value, '$.binary_name') END"
		" FROM json_each(?1, '$.ecosystem_specific.binaries')",
		"s", entry);
	if (rc)
		return rc;
	rc = 0;
	while ((step = store_rows_next(&rows)) == 1) {
		const char *t = col_text(&rows, 2), *name = col_text(&rows, 3);
		struct osv_bin *b;

		if (!streq(col_text(&rows, 1), "object") || (t && strcmp(t, "text"))) {
			rc = bad(d, "'%s.ecosystem_specific.binaries[%lld]' is not an object"
				 " with a string 'binary_name'", where, store_rows_int(&rows, 0));
			break;
		}
		if (!name || !*name)
			continue;
		if (strlen(name) > OSV_NAME_MAX || d->nbins >= OSV_VERSIONS_MAX) {
			rc = bad(d, "'%s.ecosystem_specific.binaries' is too large", where);
			break;
		}
		XGROW(d->bins, d->abins, d->nbins + 1);
		b = &d->bins[d->nbins++];
		b->ecosystem = xstrdup(pkg->ecosystem);
		b->binary = xstrdup(name);
		b->source = xstrdup(pkg->name);
	}
	if (step < 0 && !rc)
		rc = step;
	store_rows_done(&rows);
	return rc;
}

/* GHSA's "< 29.3.1" / "<= 1.2.7" where the ranges leave an interval open:
 * the advisory knows where it ends but has no fixed event for it. */
static int apply_last_known(struct osv_doc *d, size_t first, const char *where,
			    const char *range)
{
	const char *p = range;
	bool le;
	size_t i;

	while (*p == ' ')
		p++;
	if (p[0] == '<' && p[1] == '=') {
		le = true;
		p += 2;
	} else if (p[0] == '<') {
		le = false;
		p++;
	} else {
		return 0;   /* "= 1.2.3", ">= ...": nothing to close */
	}
	while (*p == ' ')
		p++;
	if (!*p || strchr(p, ' ') || strchr(p, ','))
		return bad(d, "'%s.database_specific.last_known_affected_version_range'"
			   " is not '< V' or '<= V'", where);
	for (i = d->nrows; i > first; i--) {
		struct osv_row *r = &d->rows[i - 1];

		if (r->fixed || r->last_affected)
			continue;
		if (le)
			r->last_affected = xstrdup(p);
		else
			r->fixed = xstrdup(p);
		break;
	}
	return 0;
}

/* Which component an entry's package is, or NULL when it is not ours. */
static const char *component_for(const char *osv_eco, const char *name)
{
	const char *c = feed_component_of(name);

	if (!c)
		return NULL;
	/* The Go DB: the runtimes themselves, not every module that imports
	 * them (podman's modules are Go libraries, not the engine). */
	if (!strcmp(osv_eco, "Go") &&
	    strcmp(c, "runc") && strcmp(c, "docker") && strcmp(c, "containerd"))
		return NULL;
	if (!strcmp(osv_eco, "Linux") && strcmp(c, "kernel"))
		return NULL;
	return c;
}

struct custom_seen {
	char **keys;
	size_t n, a;
};

/* Appends the docker-engine rows of custom_ranges once per record (the
 * Go DB repeats the same list on docker/docker and moby/moby). */
static int read_custom(struct store *store, struct osv_doc *d, const char *entry,
		       const char *where, const struct osv_pkg *mod,
		       struct custom_seen *seen, struct err *err)
{
	struct osv_pkg eng = *mod;
	size_t first = d->nrows, i, j, keep;
	int usable, rc;

	eng.component = "docker";
	eng.name = "docker-engine";
	eng.scheme = "semver";
	eng.vs = VERSION_SEMVER;
	rc = read_ranges(store, d, entry, where, "$.ecosystem_specific.custom_ranges",
			 &eng, &usable, err);
	if (rc)
		return rc;
	keep = first;
	for (i = first; i < d->nrows; i++) {
		struct buf key;
		char *k;
		bool dup = false;

		buf_init(&key, 4 * OSV_NAME_MAX + 8);
		buf_addf(&key, "%s|%s|%s|%s|%s", d->rows[i].ecosystem,
			 d->rows[i].introduced ? d->rows[i].introduced : "",
			 d->rows[i].fixed ? d->rows[i].fixed : "",
			 d->rows[i].last_affected ? d->rows[i].last_affected : "",
			 d->rows[i].limit ? d->rows[i].limit : "");
		k = buf_detach(&key, NULL);
		for (j = 0; j < seen->n && !dup; j++)
			dup = !strcmp(seen->keys[j], k);
		if (dup) {
			free(k);
			free(d->rows[i].ecosystem);
			free(d->rows[i].package);
			free(d->rows[i].introduced);
			free(d->rows[i].fixed);
			free(d->rows[i].last_affected);
			free(d->rows[i].limit);
			continue;
		}
		XGROW(seen->keys, seen->a, seen->n + 1);
		seen->keys[seen->n++] = k;
		d->rows[keep++] = d->rows[i];
	}
	d->nrows = keep;
	return 0;
}

/* One affected[] entry as Q_AFFECTED read it. */
struct osv_entry {
	long long index;
	char *eco, *name, *rating, *last_known, *json;
	bool has_ranges, has_versions, has_binaries, has_custom;
};

static void entries_free(struct osv_entry *e, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(e[i].eco);
		free(e[i].name);
		free(e[i].rating);
		free(e[i].last_known);
		free(e[i].json);
	}
	free(e);
}

/* Reads affected[]: checks the types of every entry, keeps the entries
 * of packages Slipway plans for. Returns 0, 1 (bad record) or <0. */
static int read_affected(struct feed_run *run, struct osv_doc *d, const char *affected,
			 struct osv_entry **out, size_t *nout, struct err *err)
{
	struct store_rows rows = STORE_ROWS_INIT;
	struct osv_entry *e = NULL;
	size_t n = 0, a = 0;
	int rc, step;

	rc = store_query(run->store, &rows, err,
		"SELECT key, type,"
		" CASE WHEN type = 'object' THEN json_type(value, '$.package') END,"
		" CASE WHEN type = 'object' THEN json_type(value, '$.package.ecosystem') END,"
		" CASE WHEN type = 'object' THEN json_extract(value, '$.package.ecosystem') END,"
		" CASE WHEN type = 'object' THEN json_type(value, '$.package.name') END,"
		" CASE WHEN type = 'object' THEN json_extract(value, '$.package.name') END,"
		" CASE WHEN type = 'object' THEN json_type(value, '$.ranges') END,"
		" CASE WHEN type = 'object' THEN json_type(value, '$.versions') END,"
		" CASE WHEN type = 'object' THEN json_type(value, '$.ecosystem_specific') END,"
		" CASE WHEN type = 'object' THEN json_type(value, '$.database_specific') END,"
		" CASE WHEN type = 'object' THEN"
		"  json_type(value, '$.ecosystem_specific.binaries') END,"
		" CASE WHEN type = 'object' THEN"
		"  json_type(value, '$.ecosystem_specific.custom_ranges') END,"
		" CASE WHEN type <> 'object' THEN NULL"
		"  WHEN json_type(value, '$.ecosystem_specific.severity') = 'text'"
		"  THEN json_extract(value, '$.ecosystem_specific.severity')"
		"  WHEN json_type(value, '$.database_specific.severity') = 'text'"
		"  THEN json_extract(value, '$.database_specific.severity')"
		"  WHEN json_type(value, '$.ecosystem_specific.urgency') = 'text'"
		"  THEN json_extract(value, '$.ecosystem_specific.urgency') END,"
		" CASE WHEN type = 'object' THEN json_type(value,"
		"  '$.database_specific.last_known_affected_version_range') END,"
		" CASE WHEN type = 'object' THEN json_extract(value,"
		"  '$.database_specific.last_known_affected_version_range') END,"
		" value"
		" FROM json_each(?1)",
		"s", affected);
	if (rc)
		return rc;
	rc = 0;
	while ((step = store_rows_next(&rows)) == 1) {
		long long i = store_rows_int(&rows, 0);
		const char *ptype = col_text(&rows, 2), *ecot = col_text(&rows, 3);
		const char *eco = col_text(&rows, 4), *namet = col_text(&rows, 5);
		const char *name = col_text(&rows, 6);
		const char *lkt = col_text(&rows, 14);
		static const char *const opt[][2] = {
			{ "ranges", "array" }, { "versions", "array" },
			{ "ecosystem_specific", "object" }, { "database_specific", "object" },
			{ "ecosystem_specific.binaries", "array" },
			{ "ecosystem_specific.custom_ranges", "array" },
		};
		const char *component;
		size_t k;

		if (i >= OSV_AFFECTED_MAX) {
			rc = bad(d, "more than %d 'affected' entries", OSV_AFFECTED_MAX);
			break;
		}
		if (!streq(col_text(&rows, 1), "object")) {
			rc = bad(d, "'affected[%lld]' is not an object", i);
			break;
		}
		for (k = 0; k < ARRAY_SIZE(opt); k++) {
			const char *t = col_text(&rows, 7 + (int)k);

			if (t && strcmp(t, opt[k][1])) {
				rc = bad(d, "'affected[%lld].%s' is not an %s", i, opt[k][0],
					 opt[k][1]);
				goto out;
			}
		}
		if (lkt && strcmp(lkt, "text")) {
			rc = bad(d, "'affected[%lld].database_specific"
				 ".last_known_affected_version_range' is not a string", i);
			break;
		}
		/* Entries without a package carry GIT ranges only (osv.dev's
		 * Linux records); nothing to match versions against. */
		if (!ptype)
			continue;
		if (strcmp(ptype, "object") || !streq(ecot, "text") || !streq(namet, "text")) {
			rc = bad(d, "'affected[%lld].package' is not an object with string"
				 " 'ecosystem' and 'name'", i);
			break;
		}
		if (strlen(eco) > OSV_NAME_MAX || strlen(name) > OSV_NAME_MAX) {
			rc = bad(d, "'affected[%lld].package' names are longer than %d bytes",
				 i, OSV_NAME_MAX);
			break;
		}
		if (!ecosystem_in_feed(eco, run->def ? run->def->param : NULL))
			continue;
		component = component_for(eco, name);
		if (!component)
			continue;
		XGROW(e, a, n + 1);
		memset(&e[n], 0, sizeof(e[n]));
		e[n].index = i;
		e[n].eco = xstrdup(eco);
		e[n].name = xstrdup(name);
		e[n].rating = dup_or_null(col_text(&rows, 13));
		e[n].last_known = dup_or_null(col_text(&rows, 15));
		e[n].json = xstrdup(col_text(&rows, 16));
		e[n].has_ranges = !store_rows_null(&rows, 7);
		e[n].has_versions = !store_rows_null(&rows, 8);
		e[n].has_binaries = !store_rows_null(&rows, 11);
		e[n].has_custom = !store_rows_null(&rows, 12);
		n++;
	}
	if (step < 0 && !rc)
		rc = step;
out:
	store_rows_done(&rows);
	if (rc) {
		entries_free(e, n);
		return rc;
	}
	*out = e;
	*nout = n;
	return 0;
}

/* Turns the kept entries into rows. Returns 0, 1 (bad record) or <0. */
static int build_rows(struct feed_run *run, struct osv_doc *d,
		      struct osv_entry *e, size_t n, const char *record_rating,
		      struct err *err)
{
	struct custom_seen seen = { 0 };
	size_t i, j;
	int rc = 0;

	for (i = 0; i < n && !rc; i++) {
		char eco[OSV_NAME_MAX + 16], where[48];
		struct osv_pkg pkg;
		size_t first = d->nrows;
		int usable = 0;

		if (osv_ecosystem_map(eco, sizeof(eco), &pkg.scheme, e[i].eco))
			continue;   /* an ecosystem Slipway has no hosts of */
		snprintf(where, sizeof(where), "affected[%lld]", e[i].index);
		pkg.component = component_for(e[i].eco, e[i].name);
		pkg.ecosystem = eco;
		pkg.name = e[i].name;
		if (version_scheme_parse(&pkg.vs, pkg.scheme))
			continue;
		pkg.severity = severity_of_word(e[i].rating);
		if (!pkg.severity && strcmp(eco, "upstream"))
			pkg.severity = record_rating;
		if (e[i].has_ranges)
			rc = read_ranges(run->store, d, e[i].json, where, "$.ranges", &pkg,
					 &usable, err);
		if (!rc && !usable && e[i].has_versions)
			rc = read_versions(run->store, d, e[i].json, where, &pkg, err);
		if (!rc && e[i].last_known)
			rc = apply_last_known(d, first, where, e[i].last_known);
		if (!rc && e[i].has_custom && !strcmp(e[i].eco, "Go"))
			rc = read_custom(run->store, d, e[i].json, where, &pkg, &seen, err);
		if (!rc && e[i].has_binaries)
			rc = read_binaries(run->store, d, e[i].json, where, &pkg, err);
	}
	for (j = 0; j < seen.n; j++)
		free(seen.keys[j]);
	free(seen.keys);
	return rc;
}

/* ---- the adapter -------------------------------------------------------- */

struct osv_state {
	int64_t newest;          /* newest `modified` among documents read */
};

static struct osv_state *state_of(struct feed_run *run)
{
	if (!run->state) {
		struct osv_state *st = xcalloc(1, sizeof(*st));

		st->newest = -1;
		run->state = st;
	}
	return run->state;
}

static bool osv_want(const struct feed_run *run, const char *path)
{
	size_t n = strlen(path);

	return n > 5 && !strcasecmp(path + n - 5, ".json");
}

static int osv_begin(struct feed_run *run, struct err *err)
{
	state_of(run);
	return run->full ? feed_delete_all(run, err) : 0;
}

/* A record that is not stored: an older copy goes, so that an advisory
 * withdrawn or moved off our packages upstream stops producing findings. */
static int skip_record(struct feed_run *run, const char *id, struct err *err)
{
	run->skipped++;
	return run->full ? 0 : feed_delete_advisory(run, id, err);
}

/* Picks severity and CVSS from severity[]. */
static int read_severity(struct feed_run *run, struct osv_doc *d, const char *sev,
			 struct feed_advisory *adv, char **vector,
			 const char **rating, struct err *err)
{
	struct store_rows rows = STORE_ROWS_INIT;
	char *v4 = NULL;
	int rc, step;

	rc = store_query(run->store, &rows, err,
		"SELECT key, type,"
		" CASE WHEN type = 'object' THEN json_type(value, '$.type') END,"
		" CASE WHEN type = 'object' THEN json_extract(value, '$.type') END,"
		" CASE WHEN type = 'object' THEN json_type(value, '$.score') END,"
		" CASE WHEN type = 'object' THEN json_extract(value, '$.score') END"
		" FROM json_each(?1)",
		"s", sev);
	if (rc)
		return rc;
	rc = 0;
	while ((step = store_rows_next(&rows)) == 1) {
		const char *type = col_text(&rows, 3), *score = col_text(&rows, 5);
		double s;

		if (!streq(col_text(&rows, 1), "object") || !streq(col_text(&rows, 2), "text") ||
		    !streq(col_text(&rows, 4), "text")) {
			rc = bad(d, "'severity[%lld]' is not an object with string 'type'"
				 " and 'score'", store_rows_int(&rows, 0));
			break;
		}
		if (strlen(score) > OSV_NAME_MAX)
			continue;
		if (!strcmp(type, "CVSS_V3")) {
			if (*vector && adv->cvss_score >= 0)
				continue;
			if (osv_cvss3_score(&s, score)) {
				rc = bad(d, "'severity[%lld].score' is not a CVSS v3 vector",
					 store_rows_int(&rows, 0));
				break;
			}
			free(*vector);
			*vector = xstrdup(score);
			adv->cvss_score = s;
		} else if (!strcmp(type, "CVSS_V4")) {
			if (!v4)
				v4 = xstrdup(score);
		} else if (strncmp(type, "CVSS_", 5) && !*rating) {
			*rating = severity_of_word(score);
		}
	}
	if (step < 0 && !rc)
		rc = step;
	store_rows_done(&rows);
	if (!rc && !*vector && v4) {
		*vector = v4;
		v4 = NULL;
	}
	free(v4);
	return rc;
}

/* First non-empty line of details, at most OSV_DETAILS_LINE_MAX bytes cut
 * at a UTF-8 character boundary. */
static char *first_line(const char *s)
{
	const char *end;
	size_t n;

	if (!s)
		return NULL;
	while (*s == '\n' || *s == '\r' || *s == ' ' || *s == '\t')
		s++;
	end = s + strcspn(s, "\r\n");
	n = (size_t)(end - s);
	if (n > OSV_DETAILS_LINE_MAX) {
		n = OSV_DETAILS_LINE_MAX;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return n ? xstrndup(s, n) : NULL;
}

/* FNV-1a, 64 bits: a digest that changes whenever the record's bytes do. */
static void digest_of(char *out, size_t size, const char *data, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)data[i];
		h *= 0x100000001b3ULL;
	}
	snprintf(out, size, "fnv1a64:%016llx", (unsigned long long)h);
}

static int write_record(struct feed_run *run, struct osv_doc *d,
			const struct feed_advisory *adv, struct err *err)
{
	long long aid;
	size_t i;
	int rc;

	if ((rc = feed_put_advisory(run, &aid, adv, err)))
		return rc;
	for (i = 0; i < d->nrows; i++) {
		const struct osv_row *r = &d->rows[i];
		struct feed_range fr = {
			.component = r->component, .ecosystem = r->ecosystem,
			.package = r->package, .scheme = r->scheme,
			.introduced = r->introduced, .fixed = r->fixed,
			.last_affected = r->last_affected, .limit = r->limit,
			.severity = r->severity,
		};

		if ((rc = feed_put_range(run, aid, &fr, err)))
			return rc;
	}
	for (i = 0; i < d->nbins; i++)
		if ((rc = feed_put_binary_source(run, d->bins[i].ecosystem,
						 d->bins[i].binary, d->bins[i].source, err)))
			return rc;
	return 0;
}

/* The top-level members of a record the adapter reads. Each JSON1 call
 * on a document parses it again, so the record is walked once with
 * json_each() and the members are handed on as their own (small) texts. */
struct osv_top {
	const char *key;
	const char *want;        /* the JSON type the schema gives it */
	char *type;              /* as found, NULL when absent */
	char *text;              /* its value: the string, or the JSON text */
};

enum { TOP_ID, TOP_SUMMARY, TOP_DETAILS, TOP_MODIFIED, TOP_PUBLISHED,
       TOP_WITHDRAWN, TOP_ALIASES, TOP_UPSTREAM, TOP_SEVERITY, TOP_AFFECTED,
       TOP_DBSPEC, TOP_COUNT };

static int read_top(struct feed_run *run, struct osv_doc *d, const char *data,
		    size_t len, struct osv_top *top, struct err *err)
{
	struct store_rows rows = STORE_ROWS_INIT;
	int rc, step;

	rc = store_query(run->store, &rows, err,
			 "SELECT key, type, value FROM json_each(?1)", "b", data, len);
	if (rc)
		return rc;
	while ((step = store_rows_next(&rows)) == 1) {
		const char *key = col_text(&rows, 0);
		size_t i;

		for (i = 0; key && i < TOP_COUNT; i++) {
			const char *v;

			if (strcmp(key, top[i].key) || top[i].type)
				continue;
			top[i].type = xstrdup(col_text(&rows, 1));
			if (i == TOP_SUMMARY && store_rows_bytes(&rows, 2) > OSV_SUMMARY_MAX) {
				bad(d, "'summary' is longer than %d bytes", OSV_SUMMARY_MAX);
				break;
			}
			v = col_text(&rows, 2);
			/* details: only its first line is used */
			if (i == TOP_DETAILS && v && strlen(v) > 4096)
				top[i].text = xstrndup(v, 4096);
			else
				top[i].text = dup_or_null(v);
			break;
		}
	}
	store_rows_done(&rows);
	return step < 0 ? step : 0;
}

static int osv_parse(struct feed_run *run, const char *path, const char *data,
		     size_t len, struct err *err)
{
	struct osv_state *st = state_of(run);
	struct osv_doc d = { .path = path };
	char why[160];
	struct feed_advisory adv = { .cvss_score = -1, .published = -1,
				     .modified = -1, .withdrawn = -1 };
	struct osv_top top[TOP_COUNT] = {
		[TOP_ID] = { "id", "text" },
		[TOP_SUMMARY] = { "summary", "text" },
		[TOP_DETAILS] = { "details", "text" },
		[TOP_MODIFIED] = { "modified", "text" },
		[TOP_PUBLISHED] = { "published", "text" },
		[TOP_WITHDRAWN] = { "withdrawn", "text" },
		[TOP_ALIASES] = { "aliases", "array" },
		[TOP_UPSTREAM] = { "upstream", "array" },
		[TOP_SEVERITY] = { "severity", "array" },
		[TOP_AFFECTED] = { "affected", "array" },
		[TOP_DBSPEC] = { "database_specific", "object" },
	};
	struct osv_entry *entries = NULL;
	size_t nentries = 0, i;
	char *aliases = NULL, *vector = NULL, *dbsev = NULL, *sumline = NULL;
	const char *id = NULL, *summary, *rating = NULL;
	bool withdrawn;
	char digest[32];
	long long valid = 0;
	int rc;

	if (len > OSV_DOC_MAX) {
		feed_reject(run, "%s: record is larger than %zu bytes", path, OSV_DOC_MAX);
		return 0;
	}
	if (!depth_ok(data, len, OSV_DEPTH_MAX)) {
		feed_reject(run, "%s: JSON nested deeper than %d levels", path, OSV_DEPTH_MAX);
		return 0;
	}
	/* Object names that are not strings crash sqlite 3.40's JSON1
	 * (jsoncheck.h): such text never reaches it. */
	if (jsoncheck_feed(data, len, why, sizeof(why))) {
		feed_reject(run, "%s: %s", path, why);
		return 0;
	}
	if ((rc = store_query_int(run->store, &valid, err, "SELECT json_valid(?1)", "b",
				  data, len)))
		return rc;
	if (!valid) {
		feed_reject(run, "%s: not valid JSON", path);
		return 0;
	}
	for (i = 0; i < len && strchr(" \t\r\n", data[i]); i++)
		;
	if (i == len || data[i] != '{') {
		feed_reject(run, "%s: not a JSON object", path);
		return 0;
	}
	if ((rc = read_top(run, &d, data, len, top, err)))
		goto out;
	id = top[TOP_ID].text;
	if (!streq(top[TOP_ID].type, "text") || !id || !*id || strlen(id) > OSV_NAME_MAX) {
		feed_reject(run, "%s: 'id' is missing or not a short string", path);
		rc = 0;
		goto out;
	}
	d.id = id;
	for (i = 0; i < TOP_COUNT; i++)
		if (top[i].type && strcmp(top[i].type, top[i].want))
			bad(&d, "'%s' is not a%s %s", top[i].key,
			    strcmp(top[i].want, "text") ? "n" : "",
			    strcmp(top[i].want, "text") ? top[i].want : "string");
	if (d.problem[0])
		goto reject;
	if (top[TOP_MODIFIED].type && osv_parse_time(&adv.modified, top[TOP_MODIFIED].text))
		bad(&d, "'modified' is not an RFC 3339 time");
	if (top[TOP_PUBLISHED].type && osv_parse_time(&adv.published, top[TOP_PUBLISHED].text))
		bad(&d, "'published' is not an RFC 3339 time");
	if (top[TOP_WITHDRAWN].type && osv_parse_time(&adv.withdrawn, top[TOP_WITHDRAWN].text))
		bad(&d, "'withdrawn' is not an RFC 3339 time");
	withdrawn = top[TOP_WITHDRAWN].type != NULL;
	summary = top[TOP_SUMMARY].text;
	if (d.problem[0])
		goto reject;
	{
		struct store_rows rows = STORE_ROWS_INIT;
		const char *al = top[TOP_ALIASES].text ? top[TOP_ALIASES].text : "[]";
		const char *up = top[TOP_UPSTREAM].text ? top[TOP_UPSTREAM].text : "[]";
		const char *ds = top[TOP_DBSPEC].text ? top[TOP_DBSPEC].text : "{}";
		int step;

		rc = store_query(run->store, &rows, err,
			"SELECT (SELECT count(*) FROM json_each(?1) WHERE type <> 'text')"
			" + (SELECT count(*) FROM json_each(?2) WHERE type <> 'text'),"
			" (SELECT json_group_array(value) FROM"
			"  (SELECT value FROM json_each(?1) WHERE type = 'text'"
			"   AND length(value) <= 256"
			"   UNION SELECT value FROM json_each(?2) WHERE type = 'text'"
			"   AND length(value) <= 256)),"
			" CASE WHEN json_type(?3, '$.severity') = 'text'"
			"  THEN substr(json_extract(?3, '$.severity'), 1, 32) END",
			"sss", al, up, ds);
		if (rc)
			goto out;
		step = store_rows_next(&rows);
		if (step == 1) {
			if (store_rows_int(&rows, 0) > 0)
				bad(&d, "'aliases' or 'upstream' holds a non-string");
			aliases = dup_or_null(col_text(&rows, 1));
			dbsev = dup_or_null(col_text(&rows, 2));
		}
		store_rows_done(&rows);
		if (step < 0) {
			rc = step;
			goto out;
		}
	}
	if (d.problem[0])
		goto reject;
	if (adv.modified > st->newest)
		st->newest = adv.modified;
	if (withdrawn) {
		rc = skip_record(run, id, err);
		goto out;
	}
	if (top[TOP_SEVERITY].text &&
	    (rc = read_severity(run, &d, top[TOP_SEVERITY].text, &adv, &vector, &rating, err)))
		goto check;
	if (top[TOP_AFFECTED].text &&
	    (rc = read_affected(run, &d, top[TOP_AFFECTED].text, &entries, &nentries, err)))
		goto check;
	if (!summary || !*summary) {
		sumline = first_line(top[TOP_DETAILS].text);
	} else if (strlen(summary) > OSV_DETAILS_LINE_MAX) {
		sumline = first_line(summary);
	}
	if (!rating)
		rating = severity_of_summary(summary);
	rc = build_rows(run, &d, entries, nentries,
			severity_of_word(dbsev) ? severity_of_word(dbsev) : rating, err);
check:
	if (rc > 0)
		goto reject;
	if (rc < 0)
		goto out;
	if (d.nrows == 0) {
		rc = skip_record(run, id, err);
		goto out;
	}
	adv.id = id;
	adv.aliases_json = aliases;
	adv.summary = sumline ? sumline : summary;
	adv.severity = severity_of_word(dbsev);
	if (!adv.severity)
		adv.severity = rating;
	if (!adv.severity)
		adv.severity = severity_of_score(adv.cvss_score);
	adv.cvss_vector = vector;
	digest_of(digest, sizeof(digest), data, len);
	adv.digest = digest;
	rc = write_record(run, &d, &adv, err);
	if (rc)
		err_prefix(err, "%s: %s", path, id);
	goto out;
reject:
	feed_reject(run, "%s: %s: %s", path, id, d.problem);
	rc = 0;
out:
	entries_free(entries, nentries);
	doc_release(&d);
	for (i = 0; i < TOP_COUNT; i++) {
		free(top[i].type);
		free(top[i].text);
	}
	free(aliases);
	free(vector);
	free(dbsev);
	free(sumline);
	return rc;
}

static int osv_finish(struct feed_run *run, struct err *err)
{
	struct osv_state *st = state_of(run);
	char *state = NULL;
	int rc;

	/* A full run stands for the whole feed: its newest record is the
	 * cursor, even when older than the last one (an older snapshot was
	 * imported). An incremental run only moves the cursor forward. */
	rc = store_query_text(run->store, &state, err,
		"SELECT CASE"
		" WHEN ?2 < 0 AND ?3 THEN json_remove(s, '$.osv_modified')"
		" WHEN ?2 < 0 THEN s"
		" WHEN ?3 OR coalesce(json_extract(s, '$.osv_modified'), -1) < ?2"
		"  THEN json_set(s, '$.osv_modified', ?2)"
		" ELSE s END"
		" FROM (SELECT CASE WHEN json_valid(?1) AND json_type(?1) = 'object'"
		"  THEN ?1 ELSE '{}' END AS s)",
		"sii", run->feed_state, (long long)st->newest, (long long)run->full);
	if (!rc) {
		free(run->feed_state);
		run->feed_state = state;
	}
	free(run->state);
	run->state = NULL;
	return rc;
}

static int osv_changes_url(char **out, const char *url, struct err *err);
static int osv_plan(struct feed_run *run, const char *url, const char *data,
		    size_t len, struct feed_plan *out, struct err *err);

const struct feed_format feed_format_osv = {
	.name = "osv",
	.want = osv_want,
	.begin = osv_begin,
	.parse = osv_parse,
	.finish = osv_finish,
	.changes_url = osv_changes_url,
	.plan = osv_plan,
};

/* ---- incremental refresh through modified_id.csv ------------------------ */

void osv_changes_release(struct osv_changes *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->n; i++)
		free(c->ids[i]);
	free(c->ids);
	c->ids = NULL;
	c->n = 0;
}

static bool plain_id(const char *id, size_t n)
{
	size_t i;

	if (n == 0 || n > OSV_NAME_MAX || id[0] == '.')
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)id[i];

		if (!isalnum(c) && c != '-' && c != '_' && c != '.' && c != ':')
			return false;
		if (c == '.' && i + 1 < n && id[i + 1] == '.')
			return false;
	}
	return true;
}

int osv_modified_ids(struct osv_changes *out, const char *csv, size_t len,
		     int64_t since, size_t max, struct err *err)
{
	struct osv_changes c = { .newest = -1 };
	size_t pos = 0, alloc = 0;
	long line = 0;
	int rc = 0;

	while (pos < len) {
		const char *p = csv + pos, *nl = memchr(p, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - p) : len - pos;
		const char *comma, *id;
		char when[64];
		size_t idlen;
		int64_t t;

		pos += n + (nl ? 1 : 0);
		line++;
		if (line > OSV_CSV_LINES_MAX) {
			rc = err_set(err, ERR_LIMIT, "modified_id.csv: more than %d lines",
				     OSV_CSV_LINES_MAX);
			break;
		}
		if (n && p[n - 1] == '\r')
			n--;
		if (n == 0)
			continue;
		comma = memchr(p, ',', n);
		if (!comma || (size_t)(comma - p) >= sizeof(when)) {
			rc = err_set(err, ERR_PARSE, "modified_id.csv: line %ld: not '<time>,<id>'",
				     line);
			break;
		}
		memcpy(when, p, (size_t)(comma - p));
		when[comma - p] = '\0';
		if (osv_parse_time(&t, when)) {
			rc = err_set(err, ERR_PARSE, "modified_id.csv: line %ld: bad time '%s'",
				     line, when);
			break;
		}
		id = comma + 1;
		idlen = n - (size_t)(id - p);
		/* The bucket's top-level file names "<Ecosystem>/<ID>": one
		 * prefix of an ecosystem's characters, nothing that climbs. */
		{
			const char *slash = memchr(id, '/', idlen), *q;
			bool ok = true;

			if (slash) {
				for (q = id; q < slash; q++)
					ok = ok && (isalnum((unsigned char)*q) || *q == ' ' ||
						    *q == ':' || *q == '.' || *q == '-' || *q == '_');
				ok = ok && slash > id && id[0] != '.';
				idlen -= (size_t)(slash + 1 - id);
				id = slash + 1;
			}
			if (!ok)
				idlen = 0;
		}
		if (!plain_id(id, idlen)) {
			rc = err_set(err, ERR_PARSE, "modified_id.csv: line %ld: bad id", line);
			break;
		}
		if (t > c.newest)
			c.newest = t;
		if (since < 0 || t < since || c.full)
			continue;
		if (c.n >= max) {
			c.full = true;
			osv_changes_release(&c);
			continue;
		}
		XGROW(c.ids, alloc, c.n + 1);
		c.ids[c.n++] = xstrndup(id, idlen);
	}
	if (rc) {
		osv_changes_release(&c);
		return rc;
	}
	if (since < 0)
		c.full = true;
	*out = c;
	return 0;
}

int osv_changes_since(struct feed_run *run, const char *csv, size_t len,
		      struct osv_changes *out, struct err *err)
{
	long long since = -1;
	int rc;

	rc = store_query_int(run->store, &since, err,
		"SELECT CASE WHEN json_valid(?1) AND json_type(?1, '$.osv_modified')"
		" = 'integer' THEN json_extract(?1, '$.osv_modified') ELSE -1 END",
		"s", run->feed_state);
	if (rc)
		return rc;
	return osv_modified_ids(out, csv, len, since, OSV_CHANGES_MAX, err);
}

int osv_record_url(char **out, const char *zip_url, const char *id, struct err *err)
{
	const char *slash = zip_url ? strrchr(zip_url, '/') : NULL;
	struct buf b;
	size_t i;

	if (!slash)
		return err_set(err, ERR_PARSE, "'%s' is not a URL of an all.zip",
			       zip_url ? zip_url : "");
	if (!id || !plain_id(id, strlen(id)))
		return err_set(err, ERR_PARSE, "'%s' is not an OSV id", id ? id : "");
	buf_init(&b, BUF_MAX_DEFAULT);
	buf_add(&b, zip_url, (size_t)(slash + 1 - zip_url));
	for (i = 0; id[i]; i++) {
		unsigned char c = (unsigned char)id[i];

		if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
			buf_addch(&b, (char)c);
		else
			buf_addf(&b, "%%%02X", c);
	}
	buf_addstr(&b, ".json");
	*out = buf_detach(&b, NULL);
	return 0;
}

/* The bucket's layout (https://google.github.io/osv.dev/data/#data-dumps):
 * <Ecosystem>/all.zip, <Ecosystem>/modified_id.csv and <Ecosystem>/<ID>.json
 * side by side. A feed URL that is not such an all.zip has no change list. */
static int osv_changes_url(char **out, const char *url, struct err *err)
{
	static const char zip[] = "/all.zip";
	size_t n = url ? strlen(url) : 0, z = sizeof(zip) - 1;
	struct buf b;

	if (n <= z || strcmp(url + n - z, zip) || strchr(url, '?') || strchr(url, '#'))
		return err_set(err, ERR_NOTFOUND, "'%s' is not an osv.dev all.zip",
			       url ? url : "");
	buf_init(&b, BUF_MAX_DEFAULT);
	if (buf_add(&b, url, n - z + 1) || buf_addstr(&b, "modified_id.csv")) {
		buf_release(&b);
		return err_set(err, ERR_LIMIT, "'%s': URL too long", url);
	}
	*out = buf_detach(&b, NULL);
	return 0;
}

static int osv_plan(struct feed_run *run, const char *url, const char *data,
		    size_t len, struct feed_plan *out, struct err *err)
{
	struct osv_changes ch = { 0 };
	struct feed_plan plan = { 0 };
	size_t i;
	int rc;

	rc = osv_changes_since(run, data, len, &ch, err);
	if (rc)
		return rc;
	if (ch.full) {
		plan.full = true;
		goto out;
	}
	plan.urls = xcalloc(ch.n ? ch.n : 1, sizeof(*plan.urls));
	plan.ids = xcalloc(ch.n ? ch.n : 1, sizeof(*plan.ids));
	for (i = 0; i < ch.n; i++) {
		rc = osv_record_url(&plan.urls[i], url, ch.ids[i], err);
		if (rc) {
			plan.n = i;
			goto out;
		}
		plan.ids[i] = xstrdup(ch.ids[i]);
	}
	plan.n = ch.n;
out:
	osv_changes_release(&ch);
	if (rc) {
		/* What was built so far goes; *out stays as it was. */
		for (i = 0; i < plan.n; i++) {
			free(plan.urls[i]);
			free(plan.ids[i]);
		}
		free(plan.urls);
		free(plan.ids);
		return rc;
	}
	*out = plan;
	return 0;
}
