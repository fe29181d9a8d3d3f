/* osv.h - the `osv` feed adapter: OSV JSON records (OSV schema 1.x,
 * https://ossf.github.io/osv-schema/) of the osv.dev ecosystems Go, Linux,
 * Debian, Ubuntu, Red Hat, AlmaLinux and Rocky Linux (DESIGN.md §5), and
 * the helpers its incremental refresh and its tests use.
 *
 * What the adapter stores (one advisory per record, ranges flattened):
 *   - only packages Slipway plans for: Go modules of runc, docker/docker,
 *     moby/moby(/v2) and containerd(/v2); the Linux "Kernel"; distro
 *     packages whose name feed_component_of() knows. A record none of whose
 *     packages is ours is skipped (run->skipped), not rejected; on an
 *     incremental run an older stored copy of it is removed.
 *   - withdrawn records are removed, never stored (they must not produce
 *     findings), and counted as skipped.
 *   - a record with a wrong type anywhere the adapter reads (affected not
 *     an array, an event value that is a number, ...), invalid JSON, more
 *     than OSV_DOC_MAX bytes, nesting deeper than OSV_DEPTH_MAX or a
 *     summary longer than OSV_SUMMARY_MAX bytes is rejected with
 *     feed_reject() naming the file and the record; nothing of it is
 *     written and a copy stored earlier stays as it was.
 *
 * Field mapping:
 *   id, aliases[] + upstream[] (related[] is "not the same
 *   vulnerability" in the schema, so it is not an alias), summary or else
 *   the first line of details, published/modified/withdrawn (RFC 3339;
 *   times before 1970 such as the Go DB placeholder 0001-01-01 are
 *   "unknown"). severity[]: the first CVSS_V3 vector gives cvss_vector and
 *   a base score computed here (CVSS v3.1 §7); with only CVSS_V4 the
 *   vector is kept and there is no score. Advisory severity, first found
 *   of: database_specific.severity (GHSA), a rating in severity[] whose
 *   type is not CVSS_* (Ubuntu priority), an RPM summary prefix
 *   ("Important: kernel security update"), else derived from the CVSS v3
 *   score. Words are lowercased; moderate -> medium, important -> high,
 *   negligible and unimportant -> low; untriaged, "not yet assigned",
 *   end-of-life and unknown words -> NULL.
 *   affected[]: SEMVER and ECOSYSTEM ranges (GIT ranges are skipped) are
 *   flattened into intervals by walking their events sorted in the
 *   package's version scheme, as the schema's evaluation algorithm does;
 *   limit events cap every interval of their range. An entry with no
 *   usable range but a versions[] list yields one interval per version
 *   (introduced = last_affected = that version). GHSA's
 *   database_specific.last_known_affected_version_range ("< V" or
 *   "<= V") closes the last interval left open (no fixed). Go DB
 *   ecosystem_specific.custom_ranges (Docker Engine product versions)
 *   add rows for package "docker-engine", component docker, so that the
 *   version an engine reports can be judged; the +incompatible module rows
 *   stay as they are. Ubuntu ecosystem_specific.binaries[] are recorded
 *   with feed_put_binary_source(). The range severity is the entry's own
 *   rating (ecosystem_specific.severity, database_specific.severity,
 *   Debian urgency) or, on distro ecosystems, the record's.
 *
 * Ecosystems (see osv_ecosystem_map()): Go -> upstream (semver), Linux ->
 * upstream (kernel), Debian:N -> debian:N, Ubuntu[:Pro]:N[:LTS] ->
 * ubuntu[:pro]:N (dpkg), Red Hat:enterprise_linux:N::repo -> rhel:N,
 * Red Hat:rhel_eus:N.M::repo -> rhel:eus:N.M, AlmaLinux:N -> almalinux:N,
 * Rocky Linux:N -> rocky:N (rpm). The feed's param (feed_def.param) names
 * the OSV ecosystem the feed carries; entries of other ecosystems are
 * ignored.
 *
 * Incremental refresh: the osv.dev bucket publishes
 * <Ecosystem>/modified_id.csv, lines "<RFC 3339 modified>,<ID>" newest
 * first. The adapter keeps the newest `modified` it has stored in the
 * feed's state JSON under "osv_modified" (unix seconds); the runner reads
 * the CSV, calls osv_changes_since() and then either fetches all.zip (a
 * full run) or, for each id, <Ecosystem>/<ID>.json (osv_record_url()) and
 * hands each body to parse() in one non-full run. */
#ifndef SLIPWAY_OSV_H
#define SLIPWAY_OSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "feed.h"

extern const struct feed_format feed_format_osv;

#define OSV_DOC_MAX ((size_t)16 << 20)      /* bytes of one record */
#define OSV_DEPTH_MAX 64                    /* JSON nesting */
#define OSV_SUMMARY_MAX 65536               /* bytes of 'summary' */
#define OSV_CHANGES_MAX 5000                /* ids before all.zip is cheaper */

/* Maps an OSV ecosystem string to Slipway's ecosystem name (written to
 * out, NUL-terminated) and the version scheme ranges use ("semver",
 * "kernel", "dpkg", "rpm"). Returns 0, or ERR_NOTFOUND for an ecosystem
 * Slipway does not handle (npm, Red Hat OpenShift, ...) or ERR_LIMIT when
 * out is too small. */
int osv_ecosystem_map(char *out, size_t size, const char **scheme,
		      const char *ecosystem);

/* CVSS v3.0/v3.1 base score of a vector ("CVSS:3.1/AV:N/AC:L/..."),
 * computed with the CVSS v3.1 specification's formulas (§7.1, Roundup of
 * Appendix A). Temporal and environmental metrics are ignored. Returns 0,
 * or ERR_PARSE (*out untouched) for anything but a complete v3 base
 * vector. */
int osv_cvss3_score(double *out, const char *vector);

/* Reads an RFC 3339 date-time ("2024-07-30T10:18:57Z",
 * "2025-05-04T07:20:46.575Z", "...+02:00") into unix seconds. A time
 * before 1970 (the Go DB's 0001-01-01 placeholder) gives -1, "unknown".
 * Returns 0 or ERR_PARSE (*out untouched). */
int osv_parse_time(int64_t *out, const char *s);

/* The records of a modified_id.csv changed since a cursor. */
struct osv_changes {
	char **ids;       /* record ids ("GO-2024-3005"), newest first; owned */
	size_t n;
	int64_t newest;   /* newest modified time in the whole file, or -1 */
	bool full;        /* fetch all.zip instead: no cursor stored yet, or
			     more than OSV_CHANGES_MAX records changed */
};

/* Lists the ids of modified_id.csv (csv/len, lines "<time>,<id>"; an id
 * may carry an "<Ecosystem>/" prefix, as in the bucket's top-level file,
 * which is removed) whose time is at or after `since` (seconds; records of
 * the cursor's own second are fetched again, which is harmless). since < 0
 * means no cursor: out->full is set and no ids are listed. More than max
 * changed ids also set out->full. Ids must look like OSV ids (letters,
 * digits, '-', '_', '.', ':'; no '/' or ".."). Returns 0, or ERR_PARSE /
 * ERR_LIMIT naming the line; out is then empty. Release with
 * osv_changes_release(). */
int osv_modified_ids(struct osv_changes *out, const char *csv, size_t len,
		     int64_t since, size_t max, struct err *err);

/* The runner's entry point for an incremental refresh: reads the cursor
 * ("osv_modified") from run->feed_state and calls osv_modified_ids() with
 * OSV_CHANGES_MAX. Returns 0 or a negative ERR_* code. */
int osv_changes_since(struct feed_run *run, const char *csv, size_t len,
		      struct osv_changes *out, struct err *err);

void osv_changes_release(struct osv_changes *c);

/* The URL of one record next to the feed's all.zip URL:
 * ".../Go/all.zip" + "GO-2024-3005" -> ".../Go/GO-2024-3005.json"
 * (every character of the id outside RFC 3986's unreserved set, ':'
 * included, percent-encoded). *out is allocated; the caller frees it. Returns 0, or ERR_PARSE
 * when zip_url has no '/' or the id is not a plain OSV id. */
int osv_record_url(char **out, const char *zip_url, const char *id,
		   struct err *err);

#endif
