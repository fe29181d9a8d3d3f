/* fuzz_osv_changes.c - libFuzzer target of the OSV incremental refresh's
 * change list (feeds/osv.c osv_modified_ids(), the osv.dev bucket's
 * modified_id.csv: lines "<RFC 3339 time>,<[Ecosystem/]ID>"). Each input
 * is read with a cursor and without one, and every id it lets through
 * must build a record URL (osv_record_url()) that stays inside the
 * ecosystem's directory: the id becomes part of a URL the refresh
 * fetches. Seeds: tests/fuzz/corpus/osv-changes/ (lines of the real
 * modified_id.csv, ../shared/samples/feeds/osv/). */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "osv.h"

#include "banned.h"

#define ZIP_URL "https://osv-vulnerabilities.storage.googleapis.com/Go/all.zip"
#define DIR_URL "https://osv-vulnerabilities.storage.googleapis.com/Go/"

static void check_url(const char *id)
{
	struct err err;
	char *url = NULL;
	int rc;

	err_clear(&err);
	rc = osv_record_url(&url, ZIP_URL, id, &err);
	if (rc)
		fuzz_fail("id '%s' was listed but makes no record URL: %s", id, err.msg);
	if (strncmp(url, DIR_URL, strlen(DIR_URL)) ||
	    strchr(url + strlen(DIR_URL), '/'))
		fuzz_fail("id '%s' leaves the ecosystem's directory: %s", id, url);
	free(url);
}

static void one(const uint8_t *data, size_t size, int64_t since, size_t max)
{
	struct osv_changes c;
	struct err err;
	size_t i;
	int rc;

	memset(&c, 0, sizeof(c));
	err_clear(&err);
	rc = osv_modified_ids(&c, (const char *)data, size, since, max, &err);
	fuzz_check_error("osv_modified_ids()", rc, &err);
	if (rc && (c.n || c.ids))
		fuzz_fail("osv_modified_ids() failed but listed %zu ids", c.n);
	if (!rc && since < 0 && !c.full)
		fuzz_fail("no cursor but not a full refresh");
	if (!rc && c.n > max)
		fuzz_fail("%zu ids listed, more than the maximum %zu", c.n, max);
	for (i = 0; i < c.n; i++)
		check_url(c.ids[i]);
	osv_changes_release(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* 2024-01-01T00:00:00Z: the real list's lines fall on both sides. */
	one(data, size, 1704067200, OSV_CHANGES_MAX);
	one(data, size, 0, 3);
	one(data, size, -1, OSV_CHANGES_MAX);
	return 0;
}
