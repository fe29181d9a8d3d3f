/* epss.c - FIRST's Exploit Prediction Scoring System daily scores (feed
 * `epss`).
 *
 * Format: the daily CSV of https://www.first.org/epss/data_stats (served
 * gzip-compressed as epss_scores-current.csv.gz; the runner decompresses):
 *
 *   #model_version:v2023.03.01,score_date:2025-02-20T00:00:00+0000
 *   cve,epss,percentile
 *   CVE-1999-0001,0.00383,0.73075
 *
 * The comment line is optional (older files lack it); the header names the
 * columns, of which `cve` and `epss` are required and `percentile` is
 * optional; values are plain decimals (an exponent is accepted) between 0
 * and 1. A bad row is rejected on its own, naming its line; a file without
 * a header is not EPSS and fails the run. The model version and score date
 * go into the feed's state. Every run replaces the whole table.
 *
 * The file has about 300 000 rows, so it is parsed here in C with explicit
 * bounds instead of through a CSV library, and every row goes through the
 * same cached INSERT. */
#include "feed.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"
#include "banned.h"

#define EPSS_MAX_LINE 1024        /* a real row is about 30 bytes */
#define EPSS_MAX_FIELDS 16
#define EPSS_MAX_ROWS 5000000L    /* today about 300 000 */
#define EPSS_MAX_META 128         /* model_version, score_date values */

struct field {
	const char *p;
	size_t n;
};

/* Splits a line at commas into at most max fields; returns the count, or
 * max + 1 when there are more. */
static size_t split(const char *p, size_t n, struct field *f, size_t max)
{
	size_t count = 0, start = 0, i;

	for (i = 0; i <= n; i++) {
		if (i < n && p[i] != ',')
			continue;
		if (count == max)
			return max + 1;
		f[count].p = p + start;
		f[count].n = i - start;
		count++;
		start = i + 1;
	}
	return count;
}

static void trim(struct field *f)
{
	while (f->n && (f->p[0] == ' ' || f->p[0] == '\t')) {
		f->p++;
		f->n--;
	}
	while (f->n && (f->p[f->n - 1] == ' ' || f->p[f->n - 1] == '\t'))
		f->n--;
}

static bool field_is(const struct field *f, const char *s)
{
	return f->n == strlen(s) && !memcmp(f->p, s, f->n);
}

/* "CVE-" four digits "-" at least four digits (CVE ID syntax, 2014). */
static bool valid_cve(const struct field *f)
{
	size_t i;

	if (f->n < 13 || f->n > 32 || memcmp(f->p, "CVE-", 4) || f->p[8] != '-')
		return false;
	for (i = 4; i < f->n; i++)
		if (i != 8 && (f->p[i] < '0' || f->p[i] > '9'))
			return false;
	return true;
}

/* A decimal such as 0.00383, 1.0 or 4e-05 in [0, 1]. Parsed by hand so the
 * result does not depend on the locale, and exactly rounded for what EPSS
 * writes (up to 15 digits): an integer mantissa divided by an exact power
 * of ten. */
static bool parse_probability(const struct field *f, double *out)
{
	static const double pow10[] = {
		1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
		1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
	};
	uint64_t mant = 0;
	int digits = 0, scale = 0, exp = 0, exp_digits = 0;
	bool dot = false, neg_exp = false;
	size_t i = 0;
	double v;

	if (f->n == 0 || f->n > 32)
		return false;
	for (; i < f->n; i++) {
		char c = f->p[i];

		if (c >= '0' && c <= '9') {
			if (++digits > 15)
				return false;
			mant = mant * 10 + (uint64_t)(c - '0');
			if (dot)
				scale++;
		} else if (c == '.' && !dot) {
			dot = true;
		} else {
			break;
		}
	}
	if (digits == 0)
		return false;
	if (i < f->n && (f->p[i] == 'e' || f->p[i] == 'E')) {
		i++;
		if (i < f->n && (f->p[i] == '-' || f->p[i] == '+'))
			neg_exp = f->p[i++] == '-';
		for (; i < f->n && f->p[i] >= '0' && f->p[i] <= '9'; i++) {
			if (++exp_digits > 2)
				return false;
			exp = exp * 10 + (f->p[i] - '0');
		}
		if (!exp_digits)
			return false;
	}
	if (i != f->n)
		return false;
	exp = (neg_exp ? -exp : exp) - scale;
	if (exp > 22 || exp < -22)
		return false;
	v = exp < 0 ? (double)mant / pow10[-exp] : (double)mant * pow10[exp];
	if (v > 1.0)
		return false;
	*out = v;
	return true;
}

/* "#model_version:v2023.03.01,score_date:2025-02-20T00:00:00+0000" ->
 * the feed's state {"model_version": ..., "score_date": ...}. Values that
 * are too long or not printable are left out. */
static int parse_meta(struct feed_run *run, const char *p, size_t n,
		      struct err *err)
{
	struct field f[EPSS_MAX_FIELDS], model = { NULL, 0 }, date = { NULL, 0 };
	size_t count, i, j;
	char *state = NULL;
	int rc;

	count = split(p + 1, n - 1, f, EPSS_MAX_FIELDS);
	if (count > EPSS_MAX_FIELDS)
		count = EPSS_MAX_FIELDS;
	for (i = 0; i < count; i++) {
		const char *colon = memchr(f[i].p, ':', f[i].n);
		struct field key, value;
		bool printable = true;

		if (!colon)
			continue;
		key.p = f[i].p;
		key.n = (size_t)(colon - f[i].p);
		value.p = colon + 1;
		value.n = f[i].n - key.n - 1;
		trim(&key);
		trim(&value);
		for (j = 0; j < value.n; j++)
			if ((unsigned char)value.p[j] < 0x20 || (unsigned char)value.p[j] > 0x7e)
				printable = false;
		if (!printable || value.n == 0 || value.n > EPSS_MAX_META)
			continue;
		if (field_is(&key, "model_version"))
			model = value;
		else if (field_is(&key, "score_date"))
			date = value;
	}
	rc = store_query_text(run->store, &state, err,
			      "SELECT json_object('model_version', ?, 'score_date', ?)",
			      "bb", model.p, model.n, date.p, date.n);
	if (rc)
		return rc;
	free(run->feed_state);
	run->feed_state = state;
	return 0;
}

static int epss_begin(struct feed_run *run, struct err *err)
{
	int n;

	/* A file without the comment line must not keep the last model. */
	free(run->feed_state);
	run->feed_state = NULL;
	n = store_exec(run->store, err, "DELETE FROM epss", NULL);
	return n < 0 ? n : 0;
}

struct columns {
	size_t count;        /* fields in the header */
	size_t cve, score;   /* required columns */
	size_t percentile;   /* count when absent */
};

static int parse_header(struct columns *cols, const char *path, long lineno,
			const char *p, size_t n, struct err *err)
{
	struct field f[EPSS_MAX_FIELDS];
	size_t count = split(p, n, f, EPSS_MAX_FIELDS), i;
	bool have_cve = false, have_score = false;

	if (count > EPSS_MAX_FIELDS)
		return err_set(err, ERR_PARSE, "'%s': line %ld: more than %d columns",
			       path, lineno, EPSS_MAX_FIELDS);
	cols->count = count;
	cols->percentile = count;
	for (i = 0; i < count; i++) {
		trim(&f[i]);
		if (field_is(&f[i], "cve") && !have_cve) {
			cols->cve = i;
			have_cve = true;
		} else if (field_is(&f[i], "epss") && !have_score) {
			cols->score = i;
			have_score = true;
		} else if (field_is(&f[i], "percentile") && cols->percentile == count) {
			cols->percentile = i;
		}
	}
	if (!have_cve || !have_score)
		return err_set(err, ERR_PARSE,
			       "'%s': line %ld: not an EPSS header (needs 'cve' and 'epss' columns)",
			       path, lineno);
	return 0;
}

static int parse_row(struct feed_run *run, const struct columns *cols,
		     const char *path, long lineno, const char *p, size_t n,
		     struct err *err)
{
	struct field f[EPSS_MAX_FIELDS];
	size_t count = split(p, n, f, EPSS_MAX_FIELDS);
	double score, percentile = 0;
	bool has_percentile = cols->percentile < cols->count;
	int rc;

	if (count > EPSS_MAX_FIELDS)
		return feed_reject(run, "'%s': line %ld: more than %d fields",
				   path, lineno, EPSS_MAX_FIELDS);
	if (count != cols->count)
		return feed_reject(run, "'%s': line %ld: %zu fields, the header has %zu",
				   path, lineno, count, cols->count);
	trim(&f[cols->cve]);
	trim(&f[cols->score]);
	if (!valid_cve(&f[cols->cve]))
		return feed_reject(run, "'%s': line %ld: bad CVE id", path, lineno);
	if (!parse_probability(&f[cols->score], &score))
		return feed_reject(run, "'%s': line %ld: %.*s: bad 'epss' value",
				   path, lineno, (int)f[cols->cve].n, f[cols->cve].p);
	if (has_percentile) {
		trim(&f[cols->percentile]);
		if (!parse_probability(&f[cols->percentile], &percentile))
			return feed_reject(run, "'%s': line %ld: %.*s: bad 'percentile' value",
					   path, lineno, (int)f[cols->cve].n, f[cols->cve].p);
		rc = store_exec(run->store, err,
				"INSERT INTO epss(cve, score, percentile) VALUES (?, ?, ?)"
				" ON CONFLICT(cve) DO NOTHING",
				"bdd", f[cols->cve].p, f[cols->cve].n, score, percentile);
	} else {
		rc = store_exec(run->store, err,
				"INSERT INTO epss(cve, score, percentile) VALUES (?, ?, ?)"
				" ON CONFLICT(cve) DO NOTHING",
				"bdn", f[cols->cve].p, f[cols->cve].n, score);
	}
	if (rc < 0)
		return rc;
	if (rc == 0)
		return feed_reject(run, "'%s': line %ld: %.*s: listed twice",
				   path, lineno, (int)f[cols->cve].n, f[cols->cve].p);
	run->records++;
	return 0;
}

static int epss_parse(struct feed_run *run, const char *path, const char *data,
		      size_t len, struct err *err)
{
	struct columns cols = { 0 };
	bool header = false;
	long lineno = 0, rows = 0;
	size_t pos = 0;
	int rc;

	while (pos < len) {
		const char *line = data + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;

		pos += n + (nl ? 1 : 0);
		lineno++;
		if (n && line[n - 1] == '\r')
			n--;
		if (n == 0)
			continue;
		if (n > EPSS_MAX_LINE) {
			if (!header)
				return err_set(err, ERR_LIMIT, "'%s': line %ld: longer than %d bytes",
					       path, lineno, EPSS_MAX_LINE);
			feed_reject(run, "'%s': line %ld: longer than %d bytes",
				    path, lineno, EPSS_MAX_LINE);
			continue;
		}
		if (!header && line[0] == '#') {
			rc = parse_meta(run, line, n, err);
			if (rc)
				return rc;
			continue;
		}
		if (!header) {
			rc = parse_header(&cols, path, lineno, line, n, err);
			if (rc)
				return rc;
			header = true;
			continue;
		}
		if (++rows > EPSS_MAX_ROWS)
			return err_set(err, ERR_LIMIT, "'%s': more than %ld rows",
				       path, EPSS_MAX_ROWS);
		rc = parse_row(run, &cols, path, lineno, line, n, err);
		if (rc)
			return rc;
	}
	if (!header)
		return err_set(err, ERR_PARSE, "'%s': no EPSS header line", path);
	return 0;
}

static int epss_count(struct feed_run *run, long long *out, struct err *err)
{
	return store_query_int(run->store, out, err, "SELECT count(*) FROM epss", NULL);
}

const struct feed_format feed_format_epss = {
	.name = "epss",
	.want = NULL,
	.begin = epss_begin,
	.parse = epss_parse,
	.finish = NULL,
	.count = epss_count,
};
