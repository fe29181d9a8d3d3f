/* affected.c - the advisories affecting one component version: one SQL
 * query over the affected, advisory, advisory_alias, kev and epss tables,
 * read as rows (affected_find) or turned into JSON by sqlite
 * (affected_json). See affected.h for what each field means. */
#include "affected.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"
#include "banned.h"

const char *const affected_components[] = {
	"kernel", "runc", "containerd", "docker", NULL,
};

/* Distro prefixes of ecosystem names and their package scheme. */
static const struct {
	const char *prefix;
	enum version_scheme scheme;
} distros[] = {
	{ "debian", VERSION_DPKG },
	{ "ubuntu", VERSION_DPKG },
	{ "rhel", VERSION_RPM },
	{ "almalinux", VERSION_RPM },
	{ "rocky", VERSION_RPM },
};

/* The query. ?1 component, ?2 ecosystem, ?3 version. An advisory is in
 * when one of its rows for (component, ecosystem) contains the version;
 * fixed is the least fixing version >= V among all its rows there
 * (version_cmp has no SQL collation, so "least" is "no other one below
 * it"). Rows of a /vN Go module apply only to versions of major N
 * (AFFECTED_MODULE_APPLIES). */
#define AFFECTED_SELECT                                                        \
	"SELECT adv.id AS id, adv.aliases AS aliases,"                         \
	" ?1 AS component, ?2 AS ecosystem,"                                   \
	" (SELECT h.package FROM affected h WHERE h.aid = adv.aid"             \
	"   AND h.component = ?1 AND h.ecosystem = ?2"                         \
	"   AND " AFFECTED_MODULE_APPLIES("h", "?3")                           \
	"   AND version_affects(h.scheme, h.introduced, h.fixed,"              \
	"    h.last_affected, h.limit_, ?3) LIMIT 1) AS package,"              \
	" (SELECT f.fixed FROM affected f WHERE f.aid = adv.aid"               \
	"   AND f.component = ?1 AND f.ecosystem = ?2"                         \
	"   AND coalesce(f.fixed, '') <> ''"                                   \
	"   AND " AFFECTED_MODULE_APPLIES("f", "?3")                           \
	"   AND version_cmp(f.scheme, f.fixed, ?3) >= 0"                       \
	"   AND NOT EXISTS (SELECT 1 FROM affected g WHERE g.aid = adv.aid"    \
	"    AND g.component = ?1 AND g.ecosystem = ?2"                        \
	"    AND coalesce(g.fixed, '') <> ''"                                  \
	"    AND " AFFECTED_MODULE_APPLIES("g", "?3")                          \
	"    AND version_cmp(g.scheme, g.fixed, ?3) >= 0"                      \
	"    AND version_cmp(g.scheme, g.fixed, f.fixed) < 0)"                 \
	"   LIMIT 1) AS fixed,"                                                \
	" coalesce((SELECT h.severity FROM affected h WHERE h.aid = adv.aid"   \
	"   AND h.component = ?1 AND h.ecosystem = ?2"                         \
	"   AND h.severity IS NOT NULL"                                        \
	"   AND version_affects(h.scheme, h.introduced, h.fixed,"              \
	"    h.last_affected, h.limit_, ?3) LIMIT 1), adv.severity) AS severity," \
	" adv.cvss_score AS cvss,"                                             \
	" EXISTS (SELECT 1 FROM advisory_alias l JOIN kev k ON k.cve = l.alias" \
	"   WHERE l.aid = adv.aid) AS kev,"                                    \
	" (SELECT max(e.score) FROM advisory_alias l"                          \
	"   JOIN epss e ON e.cve = l.alias WHERE l.aid = adv.aid) AS epss,"    \
	" adv.summary AS summary"                                              \
	" FROM advisory adv WHERE adv.aid IN (SELECT a.aid FROM affected a"    \
	"  WHERE a.component = ?1 AND a.ecosystem = ?2"                        \
	"  AND " AFFECTED_MODULE_APPLIES("a", "?3")                            \
	"  AND version_affects(a.scheme, a.introduced, a.fixed,"               \
	"   a.last_affected, a.limit_, ?3))"                                   \
	" ORDER BY kev DESC, cvss IS NULL, cvss DESC, id"

static bool known_component(const char *c)
{
	size_t i;

	for (i = 0; c && affected_components[i]; i++)
		if (!strcmp(c, affected_components[i]))
			return true;
	return false;
}

int affected_scheme(enum version_scheme *out, const char *component,
		    const char *ecosystem)
{
	size_t i, n;

	if (!ecosystem)
		return ERR_NOTFOUND;
	if (!strcmp(ecosystem, "upstream")) {
		*out = component && !strcmp(component, "kernel") ?
			VERSION_KERNEL : VERSION_SEMVER;
		return 0;
	}
	for (i = 0; i < sizeof(distros) / sizeof(distros[0]); i++) {
		n = strlen(distros[i].prefix);
		if (!strncmp(ecosystem, distros[i].prefix, n) &&
		    ecosystem[n] == ':' && ecosystem[n + 1] &&
		    strspn(ecosystem + n + 1,
			   "abcdefghijklmnopqrstuvwxyz0123456789.:") ==
			    strlen(ecosystem + n + 1)) {
			*out = distros[i].scheme;
			return 0;
		}
	}
	return ERR_NOTFOUND;
}

int affected_check(const struct affected_query *q, struct err *err)
{
	enum version_scheme scheme;

	if (!known_component(q->component))
		return err_set(err, ERR_USAGE,
			       "unknown component '%s' (known: kernel, runc, containerd, docker)",
			       q->component ? q->component : "");
	if (affected_scheme(&scheme, q->component, q->ecosystem))
		return err_set(err, ERR_USAGE,
			       "unknown ecosystem '%s' (upstream, or debian:N, ubuntu:N.N,"
			       " rhel:N, almalinux:N, rocky:N)",
			       q->ecosystem ? q->ecosystem : "");
	if (!version_valid(scheme, q->version))
		return err_set(err, ERR_USAGE, "'%s' is not a valid %s version",
			       q->version ? q->version : "",
			       version_scheme_name(scheme));
	return 0;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void affected_list_release(struct affected_list *list)
{
	size_t i;

	if (!list)
		return;
	for (i = 0; i < list->n; i++) {
		struct affected_item *it = &list->items[i];

		free(it->id);
		free(it->aliases);
		free(it->package);
		free(it->fixed);
		free(it->severity);
		free(it->summary);
	}
	free(list->items);
	list->items = NULL;
	list->n = 0;
}

int affected_find(struct affected_list *out, struct store *s,
		  const struct affected_query *q, struct err *err)
{
	struct store_rows rows = STORE_ROWS_INIT;
	struct affected_list list = { 0 };
	size_t alloc = 0;
	int rc;

	rc = affected_check(q, err);
	if (rc)
		return rc;
	rc = store_query(s, &rows, err, AFFECTED_SELECT, "sss", q->component,
			 q->ecosystem, q->version);
	if (rc)
		return rc;
	while ((rc = store_rows_next(&rows)) == 1) {
		struct affected_item *it;

		XGROW(list.items, alloc, list.n + 1);
		it = &list.items[list.n++];
		it->id = xstrdup(store_rows_text(&rows, 0));
		it->aliases = xstrdup(store_rows_text(&rows, 1));
		it->package = dup_or_null(store_rows_text(&rows, 4));
		it->fixed = dup_or_null(store_rows_text(&rows, 5));
		it->severity = dup_or_null(store_rows_text(&rows, 6));
		it->cvss = store_rows_null(&rows, 7) ? -1 : store_rows_double(&rows, 7);
		it->kev = store_rows_int(&rows, 8) != 0;
		it->epss = store_rows_null(&rows, 9) ? -1 : store_rows_double(&rows, 9);
		it->summary = dup_or_null(store_rows_text(&rows, 10));
	}
	store_rows_done(&rows);
	if (rc < 0) {
		affected_list_release(&list);
		return rc;
	}
	*out = list;
	return 0;
}

int affected_json(char **out, struct store *s, const struct affected_query *q,
		  struct err *err)
{
	char *json = NULL;
	int rc;

	rc = affected_check(q, err);
	if (rc)
		return rc;
	rc = store_query_text(s, &json, err,
		"SELECT json_group_array(json_object("
		" 'id', id, 'aliases', json(aliases), 'component', component,"
		" 'ecosystem', ecosystem, 'package', package, 'fixed', fixed,"
		" 'severity', severity, 'cvss', cvss,"
		" 'kev', json(CASE WHEN kev THEN 'true' ELSE 'false' END),"
		" 'epss', epss, 'summary', summary))"
		" FROM (" AFFECTED_SELECT ")",
		"sss", q->component, q->ecosystem, q->version);
	if (rc)
		return rc;
	*out = json ? json : xstrdup("[]");
	return 0;
}
