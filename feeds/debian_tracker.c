/* debian_tracker.c - the `debian-tracker` adapter: the Debian security
 * tracker's single JSON document
 * (https://security-tracker.debian.org/tracker/data/json), mapped to
 * advisories and dpkg intervals of the Debian releases.
 *
 * The document (no published schema; the structure is the one the tracker
 * serves and tests/data/feeds/debian-tracker/ keeps real copies of):
 *
 *   { SOURCE-PACKAGE: { CVE-ID: { "scope", "debianbug", "description",
 *       "releases": { CODENAME: { "status", "repositories",
 *                                 "fixed_version", "urgency", "nodsa", ...}}
 *                     or [] when the tracker has no release data } } }
 *
 * What is kept:
 *   - source packages Slipway plans for (feed_component_of(): linux, runc,
 *     containerd, docker.io, ...); the rest is skipped inside SQL before
 *     its entries are looked at, so a 40 MB tracker file costs a few passes
 *     of sqlite's JSON parser and nothing per foreign package;
 *   - one advisory per CVE id (summary = description); a CVE listed under
 *     two kept packages gets the ranges of both;
 *   - per release, ecosystem "debian:N" from the codename (jessie 8,
 *     stretch 9, buster 10, bullseye 11, bookworm 12, trixie 13, forky 14,
 *     sid "debian:sid"; other codenames are skipped), package = the source
 *     package, scheme dpkg:
 *       resolved, fixed_version "0"  -> never affected: nothing stored
 *       resolved, fixed_version V    -> affected below V (introduced NULL)
 *       open or undetermined         -> affected, no fix (a fixed_version,
 *                                       if the tracker gives one, is kept)
 *   - urgency -> the range's severity: trailing '*' (the tracker's marks
 *     for urgencies taken over from NVD or not yet checked) are stripped;
 *     high/medium/low stay; "unimportant" -> "none" (Debian judged it
 *     not worth a fix; the version is still in the interval); "end-of-life"
 *     (the release no longer gets fixes for the package), "not yet
 *     assigned" and anything unknown -> NULL. The advisory's severity is
 *     the highest of its ranges.
 *
 * Errors: a document that is not a JSON object is fatal for the run; a
 * package or CVE entry of the wrong type, or a release entry with a wrong
 * type or an invalid dpkg version, rejects that package's CVE entry
 * (feed_reject() names package and CVE) and the run goes on. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "feed.h"
#include "jsoncheck.h"
#include "version.h"
#include "xalloc.h"
#include "banned.h"

/* The real document is ~40 MB; leave room for growth but not for abuse. */
#define DT_MAX_BYTES ((size_t)512 << 20)
/* Kept source packages and CVE entries per run. */
#define DT_MAX_PACKAGES 4096
#define DT_MAX_ENTRIES 1000000L
/* Releases per CVE entry (the tracker lists about six). */
#define DT_MAX_RELEASES 64

static const struct {
	const char *codename;
	const char *ecosystem;
} codenames[] = {
	{ "jessie", "debian:8" },    { "stretch", "debian:9" },
	{ "buster", "debian:10" },   { "bullseye", "debian:11" },
	{ "bookworm", "debian:12" }, { "trixie", "debian:13" },
	{ "forky", "debian:14" },    { "sid", "debian:sid" },
};

static const char *ecosystem_of(const char *codename)
{
	size_t i;

	for (i = 0; i < sizeof(codenames) / sizeof(codenames[0]); i++)
		if (!strcmp(codenames[i].codename, codename))
			return codenames[i].ecosystem;
	return NULL;
}

/* Debian urgency -> severity, see the header comment. */
static const char *urgency_severity(const char *urgency)
{
	char u[32];
	size_t n;

	if (!urgency)
		return NULL;
	n = strlen(urgency);
	while (n > 0 && urgency[n - 1] == '*')
		n--;
	if (n >= sizeof(u))
		return NULL;
	memcpy(u, urgency, n);
	u[n] = '\0';
	if (!strcmp(u, "high"))
		return "high";
	if (!strcmp(u, "medium"))
		return "medium";
	if (!strcmp(u, "low"))
		return "low";
	if (!strcmp(u, "unimportant"))
		return "none";
	return NULL;
}

static int severity_rank(const char *sev)
{
	if (!sev)
		return -1;
	if (!strcmp(sev, "high"))
		return 3;
	if (!strcmp(sev, "medium"))
		return 2;
	if (!strcmp(sev, "low"))
		return 1;
	return 0;
}

/* One interval waiting for its CVE entry to be judged complete. */
struct pending {
	const char *ecosystem;   /* static */
	char *fixed;             /* NULL: not fixed */
	const char *severity;    /* static or NULL */
};

static void pending_release(struct pending *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(p[i].fixed);
}

/* FNV-1a of an entry's JSON text: changes whenever the tracker's record
 * does, for the runner's new/changed count. */
static void digest_of(char out[17], const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

/* Reads the releases of one CVE entry (its JSON text) into pend. Returns
 * 0 and the count in *npend, 1 when the entry is malformed (reason in
 * why), or a negative store error. */
static int read_releases(struct feed_run *run, const char *entry,
			 size_t entry_len, struct pending *pend, size_t *npend,
			 char **summary, char *why, size_t whysize,
			 struct err *err)
{
	struct store_rows rows = STORE_ROWS_INIT;
	int rc, bad = 0;
	size_t n = 0;

	*summary = NULL;
	rc = store_query(run->store, &rows, err,
		"SELECT json_type(?1, '$.description'),"
		" json_extract(?1, '$.description'),"
		" json_type(?1, '$.releases'),"
		" CASE WHEN json_type(?1, '$.releases') = 'array'"
		"  THEN json_array_length(?1, '$.releases') END,"
		" r.key, r.type,"
		" json_type(r.value, '$.status'), json_extract(r.value, '$.status'),"
		" json_type(r.value, '$.fixed_version'),"
		" json_extract(r.value, '$.fixed_version'),"
		" json_type(r.value, '$.urgency'), json_extract(r.value, '$.urgency')"
		" FROM (SELECT 1) LEFT JOIN (SELECT key, type,"
		"  CASE WHEN type = 'object' THEN value END AS value"
		"  FROM json_each(CASE WHEN json_type(?1, '$.releases') = 'object'"
		"   THEN json_extract(?1, '$.releases') END)) AS r",
		"b", entry, entry_len);
	if (rc)
		return rc;
	while (!bad && (rc = store_rows_next(&rows)) == 1) {
		const char *dtype = store_rows_text(&rows, 0);
		const char *rstype = store_rows_text(&rows, 2);
		const char *codename = store_rows_text(&rows, 4);
		const char *rtype = store_rows_text(&rows, 5);
		const char *sttype = store_rows_text(&rows, 6);
		const char *status = store_rows_text(&rows, 7);
		const char *fvtype = store_rows_text(&rows, 8);
		const char *fixed = store_rows_text(&rows, 9);
		const char *utype = store_rows_text(&rows, 10);
		const char *urgency = store_rows_text(&rows, 11);
		const char *eco;

		if (dtype && strcmp(dtype, "text") && strcmp(dtype, "null")) {
			snprintf(why, whysize, "'description' is not a string");
			bad = 1;
			break;
		}
		if (!*summary && dtype && !strcmp(dtype, "text"))
			*summary = xstrdup(store_rows_text(&rows, 1));
		if (rstype && strcmp(rstype, "object") &&
		    !(!strcmp(rstype, "array") && store_rows_int(&rows, 3) == 0)) {
			snprintf(why, whysize, "'releases' is not an object");
			bad = 1;
			break;
		}
		if (!codename)
			break; /* no releases at all */
		if (!rtype || strcmp(rtype, "object")) {
			snprintf(why, whysize, "release '%s' is not an object",
				 codename);
			bad = 1;
			break;
		}
		if (!sttype || strcmp(sttype, "text")) {
			snprintf(why, whysize,
				 "release '%s': 'status' is not a string",
				 codename);
			bad = 1;
			break;
		}
		if (fvtype && strcmp(fvtype, "text")) {
			snprintf(why, whysize,
				 "release '%s': 'fixed_version' is not a string",
				 codename);
			bad = 1;
			break;
		}
		if (utype && strcmp(utype, "text")) {
			snprintf(why, whysize,
				 "release '%s': 'urgency' is not a string",
				 codename);
			bad = 1;
			break;
		}
		eco = ecosystem_of(codename);
		if (!eco)
			continue; /* a codename Slipway has no ecosystem for */
		if (fixed && !strcmp(fixed, "0"))
			continue; /* never affected in this release */
		if (!strcmp(status, "resolved") && !fixed) {
			snprintf(why, whysize,
				 "release '%s': resolved without 'fixed_version'",
				 codename);
			bad = 1;
			break;
		}
		if (strcmp(status, "resolved") && strcmp(status, "open") &&
		    strcmp(status, "undetermined")) {
			snprintf(why, whysize, "release '%s': unknown status '%.40s'",
				 codename, status);
			bad = 1;
			break;
		}
		if (fixed && !version_valid(VERSION_DPKG, fixed)) {
			snprintf(why, whysize,
				 "release '%s': bad dpkg version '%.60s'",
				 codename, fixed);
			bad = 1;
			break;
		}
		if (n >= DT_MAX_RELEASES) {
			snprintf(why, whysize, "more than %d releases",
				 DT_MAX_RELEASES);
			bad = 1;
			break;
		}
		pend[n].ecosystem = eco;
		pend[n].fixed = fixed ? xstrdup(fixed) : NULL;
		pend[n].severity = urgency_severity(urgency);
		n++;
	}
	store_rows_done(&rows);
	if (rc < 0) {
		pending_release(pend, n);
		free(*summary);
		*summary = NULL;
		return rc;
	}
	if (bad) {
		pending_release(pend, n);
		free(*summary);
		*summary = NULL;
		return 1;
	}
	*npend = n;
	return 0;
}

/* Stores one package's CVE entry: a new advisory, or more ranges for one
 * this run already stored under another package. */
static int store_entry(struct feed_run *run, const char *pkg,
		       const char *component, const char *cve,
		       const char *summary, const char *digest,
		       const struct pending *pend, size_t n, struct err *err)
{
	struct feed_advisory adv = {
		.id = cve, .summary = summary, .cvss_score = -1,
		.published = -1, .modified = -1, .withdrawn = -1,
		.digest = digest,
	};
	const char *sev = NULL;
	long long aid = 0;
	char *old_sev = NULL;
	size_t i;
	int rc;

	for (i = 0; i < n; i++)
		if (severity_rank(pend[i].severity) > severity_rank(sev))
			sev = pend[i].severity;
	rc = store_query_int(run->store, &aid, err,
		"SELECT aid FROM advisory WHERE feed = ? AND id = ?", "ss",
		run->def->name, cve);
	if (rc == ERR_NOTFOUND) {
		err_clear(err);
		adv.severity = sev;
		rc = feed_put_advisory(run, &aid, &adv, err);
		if (rc)
			return rc;
	} else if (rc) {
		return rc;
	} else {
		rc = store_query_text(run->store, &old_sev, err,
			"SELECT severity FROM advisory WHERE aid = ?", "i", aid);
		if (rc)
			return rc;
		if (severity_rank(sev) <= severity_rank(old_sev))
			sev = old_sev;
		rc = store_exec(run->store, err,
			"UPDATE advisory SET severity = ?,"
			" summary = coalesce(summary, ?),"
			" digest = digest || ':' || ? WHERE aid = ?",
			"sssi", sev, summary, digest, aid);
		free(old_sev);
		if (rc < 0)
			return rc;
	}
	for (i = 0; i < n; i++) {
		struct feed_range r = {
			.component = component, .ecosystem = pend[i].ecosystem,
			.package = pkg, .scheme = "dpkg", .fixed = pend[i].fixed,
			.severity = pend[i].severity,
		};

		rc = feed_put_range(run, aid, &r, err);
		if (rc)
			return rc;
	}
	return 0;
}

static int dt_begin(struct feed_run *run, struct err *err)
{
	/* One document is the whole tracker: every run replaces the feed. */
	return feed_delete_all(run, err);
}

/* The kept source packages among the document's keys, as a JSON array for
 * the main query's IN (...) filter. */
static int kept_packages(struct feed_run *run, const char *data, size_t len,
			 struct buf *out, size_t *count, struct err *err)
{
	struct store_rows rows = STORE_ROWS_INIT;
	int rc;

	*count = 0;
	rc = store_query(run->store, &rows, err,
			 "SELECT key FROM json_each(?)", "b", data, len);
	if (rc)
		return rc;
	buf_addch(out, '[');
	while ((rc = store_rows_next(&rows)) == 1) {
		const char *key = store_rows_text(&rows, 0);
		const char *s;

		if (!key || !feed_component_of(key))
			continue;
		if (*count >= DT_MAX_PACKAGES) {
			rc = err_set(err, ERR_LIMIT, "more than %d kept packages",
				     DT_MAX_PACKAGES);
			break;
		}
		/* Package names are [a-z0-9.+-]; quote anything else safely. */
		if (*count)
			buf_addch(out, ',');
		buf_addch(out, '"');
		for (s = key; *s; s++) {
			if (*s == '"' || *s == '\\')
				buf_addch(out, '\\');
			if ((unsigned char)*s >= 0x20)
				buf_addch(out, *s);
		}
		buf_addch(out, '"');
		(*count)++;
	}
	store_rows_done(&rows);
	buf_addch(out, ']');
	return rc < 0 ? rc : 0;
}

static int dt_parse(struct feed_run *run, const char *path, const char *data,
		    size_t len, struct err *err)
{
	struct store_rows rows = STORE_ROWS_INIT;
	struct pending pend[DT_MAX_RELEASES];
	struct buf kept;
	char *type = NULL, bad[160];
	size_t nkept = 0;
	long entries = 0;
	int rc;

	buf_init(&kept, (size_t)1 << 20);
	if (len > DT_MAX_BYTES) {
		rc = err_set(err, ERR_LIMIT, "'%s': larger than %zu MB", path,
			     DT_MAX_BYTES >> 20);
		goto out;
	}
	/* Object names that are not strings crash sqlite 3.40's JSON1
	 * (jsoncheck.h): such text never reaches it. */
	if (jsoncheck_feed(data, len, bad, sizeof(bad))) {
		rc = err_set(err, ERR_PARSE, "'%s': %s", path, bad);
		goto out;
	}
	rc = store_query_text(run->store, &type, err,
			      "SELECT CASE WHEN json_valid(?1) THEN json_type(?1) END",
			      "b", data, len);
	if (rc)
		goto out;
	if (!type || strcmp(type, "object")) {
		rc = err_set(err, ERR_PARSE, "'%s': %s", path,
			     type ? "not a JSON object" : "not valid JSON");
		goto out;
	}
	rc = kept_packages(run, data, len, &kept, &nkept, err);
	if (rc || !nkept)
		goto out;
	/* Packages are filtered on their key before their value is looked
	 * at; every kept package's entries come out one row each. */
	rc = store_query(run->store, &rows, err,
		"SELECT p.key, p.type, c.key, c.type, c.value"
		" FROM json_each(?1) AS p"
		" LEFT JOIN json_each(CASE WHEN p.type = 'object'"
		"  THEN p.value END) AS c"
		" WHERE p.key IN (SELECT value FROM json_each(?2))",
		"bs", data, len, kept.ptr);
	if (rc)
		goto out;
	while ((rc = store_rows_next(&rows)) == 1) {
		const char *pkg = store_rows_text(&rows, 0);
		const char *ptype = store_rows_text(&rows, 1);
		const char *cve = store_rows_text(&rows, 2);
		const char *ctype = store_rows_text(&rows, 3);
		const char *entry = store_rows_text(&rows, 4);
		size_t entry_len = store_rows_bytes(&rows, 4);
		const char *component = feed_component_of(pkg);
		char why[160], digest[17];
		char *summary = NULL;
		size_t n = 0;
		int r;

		if (strcmp(ptype, "object")) {
			feed_reject(run, "%s: package '%s' is not an object",
				    path, pkg);
			continue;
		}
		if (!cve)
			continue; /* a package without entries */
		if (++entries > DT_MAX_ENTRIES) {
			rc = err_set(err, ERR_LIMIT, "'%s': more than %ld entries",
				     path, DT_MAX_ENTRIES);
			break;
		}
		if (strcmp(ctype, "object")) {
			feed_reject(run, "%s: '%s' %s: not an object", path,
				    pkg, cve);
			continue;
		}
		r = read_releases(run, entry, entry_len, pend, &n, &summary,
				  why, sizeof(why), err);
		if (r < 0) {
			rc = r;
			break;
		}
		if (r == 1) {
			feed_reject(run, "%s: '%s' %s: %s", path, pkg, cve, why);
			continue;
		}
		if (n) {
			digest_of(digest, entry, entry_len);
			r = store_entry(run, pkg, component, cve, summary,
					digest, pend, n, err);
		}
		pending_release(pend, n);
		free(summary);
		if (r) {
			rc = r;
			break;
		}
	}
	store_rows_done(&rows);
	if (rc > 0)
		rc = 0;
	if (rc && err->code != ERR_PARSE && err->code != ERR_LIMIT)
		err_prefix(err, "'%s'", path);
out:
	free(type);
	buf_release(&kept);
	return rc;
}

const struct feed_format feed_format_debian_tracker = {
	.name = "debian-tracker",
	.want = NULL,
	.begin = dt_begin,
	.parse = dt_parse,
	.finish = NULL,
};
