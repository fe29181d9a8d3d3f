/* affected.h - which stored advisories affect one version of a component
 * in one ecosystem (DESIGN.md §5, §9 `slipway affected`). The question the
 * `affected` command asks, and the one findings reuse per host.
 *
 * An advisory affects (component, ecosystem, V) when any of its affected
 * rows for that component and ecosystem contains V (version_affects() in
 * SQL, with the row's own scheme). For each such advisory the answer also
 * gives:
 *   fixed  the lowest fixing version at or above V among that advisory's
 *          rows of the same component and ecosystem (NULL: no fix), so a
 *          branch that never got a fix points at the next branch that did;
 *   kev    whether the id or any alias is in CISA KEV;
 *   epss   the highest EPSS score of the id or its aliases (or none);
 *   severity  the affected row's own rating (Debian urgency, Ubuntu
 *          priority) when it has one, else the advisory's.
 * Results are ordered KEV first, then CVSS descending (none last), then
 * id. */
#ifndef SLIPWAY_AFFECTED_H
#define SLIPWAY_AFFECTED_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "store.h"
#include "version.h"

struct affected_query {
	const char *component;   /* kernel runc containerd docker */
	const char *ecosystem;   /* upstream, debian:12, ubuntu:22.04, ... */
	const char *version;
};

struct affected_item {
	char *id;
	char *aliases;           /* JSON array text */
	char *package;
	char *fixed;             /* NULL: not fixed */
	char *severity;          /* NULL: unknown */
	double cvss;             /* < 0: none */
	bool kev;
	double epss;             /* < 0: none */
	char *summary;           /* may be NULL */
};

struct affected_list {
	struct affected_item *items;
	size_t n;
};

/* SQL condition: whether the affected row aliased r applies to the
 * version expression v by its Go module's major version. A module path
 * ending in /vN (N >= 2) holds only versions N.x.y (Go modules reference,
 * "Major version suffixes"), so github.com/containerd/containerd/v2 rows
 * say nothing about containerd 1.6.38, nor moby/moby/v2 rows about Docker
 * Engine 29.0.0. Other rows always apply. Used by the query below and by
 * finding.c. */
#define AFFECTED_MODULE_APPLIES(r, v)                                          \
	"(" r ".ecosystem <> 'upstream' OR NOT (" r ".package GLOB '*/v[2-9]'" \
	" OR " r ".package GLOB '*/v[1-9][0-9]') OR"                           \
	" CAST(ltrim(" v ", 'v') AS INTEGER) = CAST(CASE WHEN " r ".package"   \
	" GLOB '*/v[2-9]' THEN substr(" r ".package, -1)"                      \
	" ELSE substr(" r ".package, -2) END AS INTEGER))"

/* The components the query knows, NULL-terminated. */
extern const char *const affected_components[];

/* The version scheme of a component in an ecosystem: kernel upstream ->
 * kernel, other upstream -> semver, debian/ubuntu -> dpkg,
 * rhel/almalinux/rocky -> rpm. */
int affected_scheme(enum version_scheme *out, const char *component,
		    const char *ecosystem);

/* Checks a query before it runs: a known component, an ecosystem of a
 * known form, a version valid for the scheme. ERR_USAGE with a one-line
 * message otherwise. */
int affected_check(const struct affected_query *q, struct err *err);

/* The advisories affecting the query, in the order above. *out is filled
 * (caller releases it with affected_list_release()); on failure it is left
 * untouched. Runs affected_check() first. */
int affected_find(struct affected_list *out, struct store *s,
		  const struct affected_query *q, struct err *err);
void affected_list_release(struct affected_list *list);

/* The same answer as a JSON array of objects built by sqlite (stable
 * snake_case names: id, aliases, component, ecosystem, package, fixed,
 * severity, cvss, kev, epss, summary); *out is allocated, free() it. */
int affected_json(char **out, struct store *s, const struct affected_query *q,
		  struct err *err);

#endif
