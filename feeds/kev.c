/* kev.c - the CISA Known Exploited Vulnerabilities catalog (feed `kev`).
 *
 * Format: CISA's KEV JSON, schema
 * https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities_schema.json
 * (an object with catalogVersion, dateReleased, count and a
 * `vulnerabilities` array of objects with cveID, vendorProject, product,
 * vulnerabilityName, dateAdded, shortDescription, requiredAction, dueDate,
 * knownRansomwareCampaignUse, notes, cwes). Dates are YYYY-MM-DD and are
 * stored as unix seconds at 00:00 UTC.
 *
 * Every run replaces the whole table: the catalog is published whole, and
 * an entry CISA removes must disappear here too. The document is mapped
 * with sqlite's JSON1 (one json_each pass); entries with wrong types are
 * rejected one by one, fields the schema adds later are ignored. */
#include "feed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsoncheck.h"
#include "xalloc.h"
#include "banned.h"

/* The real catalog holds about 1 500 entries; this is a bound on hostile
 * input, far above any real growth. */
#define KEV_MAX_ENTRIES 200000

static int kev_begin(struct feed_run *run, struct err *err)
{
	int n;

	free(run->feed_state);
	run->feed_state = NULL;
	n = store_exec(run->store, err, "DELETE FROM kev", NULL);

	return n < 0 ? n : 0;
}

/* One row per catalog entry: its index, its cveID when it has a usable
 * one, the fields to store, and `problem`, the reason to reject it (NULL
 * when the entry is good). CASE evaluates lazily, so json_type() never
 * sees a non-object entry. */
static const char kev_select[] =
	"SELECT key,"
	" CASE WHEN type = 'object' AND json_type(value, '$.cveID') = 'text'"
	"  THEN json_extract(value, '$.cveID') END,"
	" CASE"
	"  WHEN type <> 'object' THEN 'not an object'"
	"  WHEN json_type(value, '$.cveID') IS NOT 'text'"
	"   OR json_extract(value, '$.cveID') NOT GLOB 'CVE-[0-9][0-9][0-9][0-9]-[0-9]*'"
	"   THEN '''cveID'' is missing or not a CVE id'"
	"  WHEN json_type(value, '$.dateAdded') IS NOT 'text'"
	"   OR json_extract(value, '$.dateAdded') NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'"
	"   OR unixepoch(json_extract(value, '$.dateAdded')) IS NULL"
	"   THEN '''dateAdded'' is missing or not a date'"
	"  WHEN json_type(value, '$.dueDate') IS NOT NULL AND"
	"   (json_type(value, '$.dueDate') IS NOT 'text'"
	"    OR json_extract(value, '$.dueDate') NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'"
	"    OR unixepoch(json_extract(value, '$.dueDate')) IS NULL)"
	"   THEN '''dueDate'' is not a date'"
	"  WHEN coalesce(json_type(value, '$.vendorProject'), 'null') NOT IN ('text', 'null')"
	"   THEN '''vendorProject'' is not a string'"
	"  WHEN coalesce(json_type(value, '$.product'), 'null') NOT IN ('text', 'null')"
	"   THEN '''product'' is not a string'"
	"  WHEN coalesce(json_type(value, '$.vulnerabilityName'), 'null') NOT IN ('text', 'null')"
	"   THEN '''vulnerabilityName'' is not a string'"
	"  WHEN coalesce(json_type(value, '$.knownRansomwareCampaignUse'), 'null') NOT IN ('text', 'null')"
	"   THEN '''knownRansomwareCampaignUse'' is not a string'"
	" END,"
	" CASE WHEN type = 'object' THEN json_extract(value, '$.vendorProject') END,"
	" CASE WHEN type = 'object' THEN json_extract(value, '$.product') END,"
	" CASE WHEN type = 'object' THEN json_extract(value, '$.vulnerabilityName') END,"
	" CASE WHEN type = 'object' THEN unixepoch(json_extract(value, '$.dateAdded')) END,"
	" CASE WHEN type = 'object' THEN unixepoch(json_extract(value, '$.dueDate')) END,"
	" CASE WHEN type = 'object' THEN json_extract(value, '$.knownRansomwareCampaignUse') END"
	" FROM json_each(?1, '$.vulnerabilities')";

static int kev_check_document(struct feed_run *run, const char *path,
			      const char *data, size_t len, struct err *err)
{
	long long ok = 0, entries = 0;
	char why[160];
	int rc;

	/* Object names that are not strings crash sqlite 3.40's JSON1
	 * (jsoncheck.h): refused before sqlite sees the text. */
	if (jsoncheck_feed(data, len, why, sizeof(why)))
		return err_set(err, ERR_PARSE, "'%s': %s", path, why);
	/* CASE, not AND: sqlite may evaluate both sides of an AND, and
	 * json_type() on broken JSON is an error, not a false. */
	rc = store_query_int(run->store, &ok, err,
			     "SELECT CASE WHEN NOT json_valid(?1) THEN -1"
			     " WHEN json_type(?1) = 'object'"
			     "  AND json_type(?1, '$.vulnerabilities') = 'array' THEN 1"
			     " ELSE 0 END",
			     "b", data, len);
	if (rc)
		return rc;
	if (ok < 0)
		return err_set(err, ERR_PARSE, "'%s': not valid JSON", path);
	if (!ok)
		return err_set(err, ERR_PARSE,
			       "'%s': not a KEV catalog (no 'vulnerabilities' array)",
			       path);
	rc = store_query_int(run->store, &entries, err,
			     "SELECT json_array_length(?1, '$.vulnerabilities')",
			     "b", data, len);
	if (rc)
		return rc;
	if (entries > KEV_MAX_ENTRIES)
		return err_set(err, ERR_LIMIT,
			       "'%s': %lld entries, more than the limit of %d",
			       path, entries, KEV_MAX_ENTRIES);
	return 0;
}

/* Keeps the catalog's own version and release time in the feed's state,
 * for `slipway feeds` and for a person asking which catalog is loaded. */
static int kev_save_state(struct feed_run *run, const char *data, size_t len,
			  struct err *err)
{
	char *state = NULL;
	int rc;

	rc = store_query_text(run->store, &state, err,
			      "SELECT json_object("
			      " 'catalog_version', CASE WHEN json_type(?1, '$.catalogVersion') = 'text'"
			      "  THEN json_extract(?1, '$.catalogVersion') END,"
			      " 'date_released', CASE WHEN json_type(?1, '$.dateReleased') = 'text'"
			      "  THEN json_extract(?1, '$.dateReleased') END)",
			      "b", data, len);
	if (rc)
		return rc;
	free(run->feed_state);
	run->feed_state = state;
	return 0;
}

static int kev_parse(struct feed_run *run, const char *path, const char *data,
		     size_t len, struct err *err)
{
	struct store_rows rows = STORE_ROWS_INIT;
	int rc, n;

	rc = kev_check_document(run, path, data, len, err);
	if (rc)
		return rc;
	rc = store_query(run->store, &rows, err, kev_select, "b", data, len);
	if (rc)
		goto out;
	while ((rc = store_rows_next(&rows)) > 0) {
		long long idx = store_rows_int(&rows, 0);
		const char *cve = store_rows_text(&rows, 1);
		const char *problem = store_rows_text(&rows, 2);

		if (problem) {
			if (cve)
				feed_reject(run, "'%s': %s: %s", path, cve, problem);
			else
				feed_reject(run, "'%s': vulnerabilities[%lld]: %s",
					    path, idx, problem);
			continue;
		}
		n = store_exec(run->store, err,
			       "INSERT INTO kev(cve, vendor, product, name, date_added,"
			       " due_date, ransomware) VALUES (?1, ?2, ?3, ?4, ?5,"
			       " CASE WHEN ?6 < 0 THEN NULL ELSE ?6 END, ?7)"
			       " ON CONFLICT(cve) DO NOTHING",
			       "ssssiis", cve, store_rows_text(&rows, 3),
			       store_rows_text(&rows, 4), store_rows_text(&rows, 5),
			       store_rows_int(&rows, 6),
			       store_rows_null(&rows, 7) ? -1LL : store_rows_int(&rows, 7),
			       store_rows_text(&rows, 8));
		if (n < 0) {
			rc = n;
			goto out;
		}
		if (n == 0) {
			feed_reject(run, "'%s': %s: listed twice", path, cve);
			continue;
		}
		run->records++;
	}
	if (rc < 0)
		goto out;
	rc = kev_save_state(run, data, len, err);
out:
	store_rows_done(&rows);
	return rc;
}

static int kev_count(struct feed_run *run, long long *out, struct err *err)
{
	return store_query_int(run->store, out, err, "SELECT count(*) FROM kev", NULL);
}

const struct feed_format feed_format_kev = {
	.name = "kev",
	.want = NULL,
	.begin = kev_begin,
	.parse = kev_parse,
	.finish = NULL,
	.count = kev_count,
};
