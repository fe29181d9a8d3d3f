/* version.h - version comparison for the schemes advisories use, and OSV
 * range evaluation.
 *
 * Schemes (DESIGN.md §5):
 *   dpkg    Debian policy §5.6.12: [epoch:]upstream[-revision], '~' sorts
 *           before everything, letters before non-letters.
 *   rpm     rpmvercmp(): alphanumeric segments, '~' before everything, '^'
 *           after the base but before any other addition; [epoch:] and
 *           -release handled as rpm's rpmverCmp() does (a missing epoch
 *           is 0, a missing release sorts below any release: "1.0" <
 *           "1.0-3").
 *   semver  SemVer 2.0 as Go and GHSA write it: optional 'v', '+build'
 *           ignored ('+incompatible'), pre-releases compared field by field
 *           ("1.0.0-rc93" < "1.0.0-rc95", "1.3.0-rc.1" < "1.3.0"), missing
 *           minor/patch read as 0 ("1.1" = "1.1.0"). Deviation from strict
 *           SemVer: a run of digits inside an alphanumeric identifier
 *           compares as a number (natural order), so "rc9" < "rc10" <
 *           "rc93" as runc released them.
 *   kernel  X.Y[.Z[.W]], "2.6.N", "-rcN" before the release; any other
 *           suffix after '-' or '+' (a distro's "-1-amd64") is ignored.
 *
 * All functions take NUL-terminated strings (version_cmp() reads NULL as
 * "") and never fail on odd input: anything is ordered deterministically,
 * without allocation; version_valid() says whether a string is well formed
 * for a scheme. */
#ifndef SLIPWAY_VERSION_H
#define SLIPWAY_VERSION_H

#include <stdbool.h>
#include <stddef.h>

enum version_scheme {
	VERSION_DPKG,
	VERSION_RPM,
	VERSION_SEMVER,
	VERSION_KERNEL,
	VERSION_SCHEME_COUNT
};

/* "dpkg", "rpm", "semver", "kernel". */
const char *version_scheme_name(enum version_scheme scheme);
/* Reads a scheme name; returns 0 or ERR_NOTFOUND. */
int version_scheme_parse(enum version_scheme *out, const char *name);

/* <0, 0, >0 as a is older than, equal to, newer than b. */
int version_cmp(enum version_scheme scheme, const char *a, const char *b);

/* Whether s is a well-formed version in the scheme:
 *   dpkg    dpkg's parseversion() reports neither error nor warning
 *           (numeric epoch, upstream starting with a digit, allowed
 *           characters, non-empty revision after a '-').
 *   rpm     [digits:]version[-release], version and release of
 *           [A-Za-z0-9._+~^] with at least one alphanumeric.
 *   semver  SemVer 2.0 with an optional 'v', or Go's "v1"/"v1.2"
 *           shorthands; no leading zeros.
 *   kernel  optional 'v', 2 to 4 numbers, optional "-rcN", optional
 *           suffix after '-' or '+' ("6.1.0-18-amd64").
 * NULL and "" are never valid. */
bool version_valid(enum version_scheme scheme, const char *s);

/* One OSV range event (OSV schema, "affected[].ranges[].events[]"). */
enum version_event_kind {
	VERSION_EV_INTRODUCED,    /* version "0" means from the beginning */
	VERSION_EV_FIXED,
	VERSION_EV_LAST_AFFECTED,
	VERSION_EV_LIMIT,
};

struct version_event {
	enum version_event_kind kind;
	const char *version;
};

/* Evaluates one OSV range (its events in any order, several
 * introduced/fixed pairs allowed) for version v, as the OSV schema's
 * evaluation pseudo-code does: sort events by version, walk them, and
 * report whether v lies in an affected interval. An introduced event with
 * no following fixed/last_affected means not fixed. limit events cap the
 * whole range: with any limit present, v must be below at least one of
 * them (the schema's BeforeLimits); a limit containing '*' is infinity.
 * Events of equal version keep their input order (a stable sort). An
 * introduced of NULL, "" or "0" is the start; other events with a NULL or
 * "" version are ignored. Returns true when v is affected; false when v or
 * events is NULL. */
bool version_range_affects(enum version_scheme scheme,
			   const struct version_event *events, size_t n,
			   const char *v);

/* Evaluates one flattened interval as stored in the database: affected when
 * introduced <= v (NULL or "0" = from the start), and v < fixed (when set),
 * and v <= last_affected (when set), and v < limit (when set). NULL and ""
 * are "not set"; a limit containing '*' is infinity. False when v is
 * NULL. */
bool version_interval_affects(enum version_scheme scheme,
			      const char *introduced, const char *fixed,
			      const char *last_affected, const char *limit,
			      const char *v);

#endif
