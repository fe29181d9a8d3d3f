/* kernel_releases.c - the `kernel-releases` adapter: kernel.org's
 * releases.json (https://www.kernel.org/releases.json, the document behind
 * the front page's release table), mapped to upstream_release rows of
 * component 'kernel': the newest release of every branch, whether the
 * branch is end of life, and when it was released.
 *
 * The document (no published schema; a real copy is in
 * tests/data/feeds/kernel-releases/):
 *
 *   { "latest_stable": { "version" },
 *     "releases": [ { "moniker": mainline|stable|longterm|linux-next,
 *                     "version": "6.1.75" | "6.8-rc7" | "next-20240301",
 *                     "iseol": bool,
 *                     "released": { "timestamp": unix, "isodate" },
 *                     "source", "pgp", "gitweb", ... } ] }
 *
 * branch is the version's first two numbers ("6.1"; "2.6.32" for 2.6
 * kernels). A mainline release and a stable release of the same branch
 * (5.10 and 5.10.1) keep the newer. linux-next snapshots are skipped: they
 * are not releases anyone runs. The feed is replaced on every run, so a
 * branch kernel.org dropped from the table disappears. latest_stable is not
 * stored: it is the newest row with moniker 'stable'.
 *
 * Errors: a document that is not an object with a 'releases' array is
 * fatal; a release entry with a wrong type is rejected by index. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed.h"
#include "jsoncheck.h"
#include "version.h"
#include "banned.h"

#define KR_MAX_BYTES ((size_t)16 << 20)
#define KR_MAX_RELEASES 1000

/* "6.1.75" -> "6.1", "6.8-rc7" -> "6.8", "2.6.32.71" -> "2.6.32". Returns
 * false when the version does not start with two numbers. */
static bool branch_of(char *out, size_t size, const char *version)
{
	size_t i = 0, dots = 0, want;

	if (version[0] == 'v')
		version++;
	want = !strncmp(version, "2.6.", 4) ? 3 : 2;
	while (version[i] && i + 1 < size) {
		if (version[i] == '.') {
			if (++dots == want)
				break;
		} else if (version[i] < '0' || version[i] > '9') {
			break;
		}
		out[i] = version[i];
		i++;
	}
	out[i] = '\0';
	return dots + 1 >= want && i > 0 && out[i - 1] != '.';
}

static int kr_begin(struct feed_run *run, struct err *err)
{
	int n = store_exec(run->store, err,
			   "DELETE FROM upstream_release WHERE feed = ?", "s",
			   run->def->name);

	return n < 0 ? n : 0;
}

static int kr_parse(struct feed_run *run, const char *path, const char *data,
		    size_t len, struct err *err)
{
	struct store_rows rows = STORE_ROWS_INIT;
	char *shape = NULL, why[160];
	long count = 0;
	int rc;

	if (len > KR_MAX_BYTES)
		return err_set(err, ERR_LIMIT, "'%s': larger than %zu MB", path,
			       KR_MAX_BYTES >> 20);
	/* Object names that are not strings crash sqlite 3.40's JSON1
	 * (jsoncheck.h): such text never reaches it. */
	if (jsoncheck_feed(data, len, why, sizeof(why)))
		return err_set(err, ERR_PARSE, "'%s': %s", path, why);
	rc = store_query_text(run->store, &shape, err,
		"SELECT CASE WHEN NOT json_valid(?1) THEN 'not valid JSON'"
		" WHEN json_type(?1) <> 'object' THEN 'not a JSON object'"
		" WHEN json_type(?1, '$.releases') IS NOT 'array'"
		"  THEN '''releases'' is not an array' END",
		"b", data, len);
	if (rc)
		return rc;
	if (shape) {
		rc = err_set(err, ERR_PARSE, "'%s': %s", path, shape);
		free(shape);
		return rc;
	}
	rc = store_query(run->store, &rows, err,
		"SELECT r.key, r.type,"
		" json_type(r.value, '$.moniker'), json_extract(r.value, '$.moniker'),"
		" json_type(r.value, '$.version'), json_extract(r.value, '$.version'),"
		" json_type(r.value, '$.iseol'),"
		" json_type(r.value, '$.released.timestamp'),"
		" json_extract(r.value, '$.released.timestamp'),"
		" CAST(strftime('%s', json_extract(r.value, '$.released.isodate'))"
		"  AS INTEGER)"
		" FROM (SELECT key, type, CASE WHEN type = 'object'"
		"  THEN value END AS value FROM json_each(?1, '$.releases')) AS r",
		"b", data, len);
	if (rc)
		return rc;
	while ((rc = store_rows_next(&rows)) == 1) {
		long long idx = store_rows_int(&rows, 0);
		const char *type = store_rows_text(&rows, 1);
		const char *mtype = store_rows_text(&rows, 2);
		const char *moniker = store_rows_text(&rows, 3);
		const char *vtype = store_rows_text(&rows, 4);
		const char *version = store_rows_text(&rows, 5);
		const char *eoltype = store_rows_text(&rows, 6);
		const char *tstype = store_rows_text(&rows, 7);
		long long released = -1;
		char branch[32];
		int n;

		if (++count > KR_MAX_RELEASES) {
			rc = err_set(err, ERR_LIMIT, "'%s': more than %d releases",
				     path, KR_MAX_RELEASES);
			break;
		}
		if (strcmp(type, "object")) {
			feed_reject(run, "%s: releases[%lld] is not an object",
				    path, idx);
			continue;
		}
		if (!mtype || strcmp(mtype, "text")) {
			feed_reject(run, "%s: releases[%lld]: 'moniker' is not a string",
				    path, idx);
			continue;
		}
		if (!strcmp(moniker, "linux-next"))
			continue;
		if (!vtype || strcmp(vtype, "text")) {
			feed_reject(run, "%s: releases[%lld]: 'version' is not a string",
				    path, idx);
			continue;
		}
		if (eoltype && strcmp(eoltype, "true") && strcmp(eoltype, "false")) {
			feed_reject(run, "%s: releases[%lld]: 'iseol' is not a boolean",
				    path, idx);
			continue;
		}
		if (tstype && strcmp(tstype, "integer")) {
			feed_reject(run, "%s: releases[%lld]: 'released.timestamp' is not an integer",
				    path, idx);
			continue;
		}
		if (!version_valid(VERSION_KERNEL, version) ||
		    !branch_of(branch, sizeof(branch), version)) {
			feed_reject(run, "%s: releases[%lld]: bad kernel version '%.40s'",
				    path, idx, version);
			continue;
		}
		if (tstype)
			released = store_rows_int(&rows, 8);
		else if (!store_rows_null(&rows, 9))
			released = store_rows_int(&rows, 9);
		/* Newest per branch: an existing row of this run stays unless
		 * this one is newer. */
		n = store_exec(run->store, err,
			"INSERT INTO upstream_release(feed, component, branch,"
			" version, moniker, iseol, released)"
			" VALUES (?1, 'kernel', ?2, ?3, ?4, ?5,"
			"  CASE WHEN ?6 < 0 THEN NULL ELSE ?6 END)"
			" ON CONFLICT(component, branch) DO UPDATE SET"
			"  feed = excluded.feed, version = excluded.version,"
			"  moniker = excluded.moniker, iseol = excluded.iseol,"
			"  released = excluded.released"
			" WHERE version_cmp('kernel', excluded.version,"
			"  upstream_release.version) > 0",
			"ssssii", run->def->name, branch, version, moniker,
			(long long)(eoltype && !strcmp(eoltype, "true")),
			released);
		if (n < 0) {
			rc = n;
			break;
		}
		run->records++;
	}
	store_rows_done(&rows);
	return rc < 0 ? rc : 0;
}

const struct feed_format feed_format_kernel_releases = {
	.name = "kernel-releases",
	.want = NULL,
	.begin = kr_begin,
	.parse = kr_parse,
	.finish = NULL,
};
