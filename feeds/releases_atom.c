/* releases_atom.c - the `releases-*` adapters: a GitHub repository's
 * releases feed (https://github.com/OWNER/REPO/releases.atom, an Atom
 * feed, RFC 4287) mapped to upstream_release rows: the newest release of
 * every major.minor branch of runc, moby (Docker Engine) or containerd.
 * The feed's parameter (feed_def.param) names the component: "runc",
 * "docker", "containerd".
 *
 * GitHub's feed: <feed xmlns="http://www.w3.org/2005/Atom"> with one
 * <entry> per release (the latest ten), each with
 *   <id>tag:github.com,2008:Repository/NNN/TAG</id>, <updated> (RFC 3339),
 *   <link rel="alternate" type="text/html" href=".../releases/tag/TAG"/>,
 *   <title> (free text: "v1.3.3", "containerd 2.1.5", ...), <content>,
 *   <author><name>.
 * The version comes from the tag (the link, else the id), never from the
 * free-text title: "v1.2.5" and "docker-v29.1.1" (moby's tags since v29)
 * give 1.2.5 and 29.1.1; tags with a '/' (Go submodule tags such as
 * "api/v1.52.0") and tags that are not a SemVer version are skipped.
 *
 * Pre-releases (a '-' in the version: -rc.1, -beta.0, -alpha) never
 * replace a release: a branch's row is its newest release, or, while the
 * branch has no release yet, its newest pre-release (moniker 'prerelease',
 * so the UI can show an upcoming branch). Rows are kept across runs and
 * only ever move forward: the feed lists ten entries, and an older branch
 * that scrolled out of it is still worth knowing (iseol is unknown here
 * and stays 0).
 *
 * Hardening (STYLE.md 21): xmlReadMemory() with XML_PARSE_NONET (no
 * network), without NOENT, DTDLOAD, DTDVALID or HUGE (no entity
 * substitution, no external subsets, libxml2's default size limits), and
 * any DOCTYPE is refused: an Atom feed has none, and refusing it means an
 * entity (billion laughs, file:///etc/passwd) can never reach a value. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "feed.h"
#include "version.h"
#include "xalloc.h"
#include "banned.h"

#define ATOM_NS "http://www.w3.org/2005/Atom"
#define RA_MAX_BYTES ((size_t)8 << 20)
#define RA_MAX_ENTRIES 1000
#define RA_MAX_TAG 128

static bool is_atom(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
	       !strcmp((const char *)n->ns->href, ATOM_NS) &&
	       !strcmp((const char *)n->name, name);
}

static const xmlNode *child(const xmlNode *parent, const char *name)
{
	const xmlNode *n;

	for (n = parent->children; n; n = n->next)
		if (is_atom(n, name))
			return n;
	return NULL;
}

/* The text of an element (allocated by libxml2, xmlFree() it). */
static char *text_of(const xmlNode *n)
{
	return n ? (char *)xmlNodeGetContent(n) : NULL;
}

/* The release tag of an entry: from <link rel="alternate" href=
 * ".../releases/tag/TAG">, else from <id>...Repository/NNN/TAG</id>.
 * Copies it to out; false when there is none. */
static bool entry_tag(char *out, size_t size, const xmlNode *entry)
{
	const char *marker = "/releases/tag/";
	const xmlNode *n;
	const char *p = NULL;
	char *owned = NULL;
	bool ok = false;

	for (n = entry->children; n && !p; n = n->next) {
		xmlChar *rel, *href;

		if (!is_atom(n, "link"))
			continue;
		rel = xmlGetProp(n, (const xmlChar *)"rel");
		href = xmlGetProp(n, (const xmlChar *)"href");
		if (href && (!rel || !strcmp((const char *)rel, "alternate"))) {
			const char *m = strstr((const char *)href, marker);

			if (m) {
				owned = xstrdup(m + strlen(marker));
				p = owned;
			}
		}
		xmlFree(rel);
		xmlFree(href);
	}
	if (!p) {
		xmlChar *id = (xmlChar *)text_of(child(entry, "id"));
		const char *m = id ? strstr((const char *)id, "Repository/") : NULL;

		if (m && (m = strchr(m + strlen("Repository/"), '/'))) {
			owned = xstrdup(m + 1);
			p = owned;
		}
		xmlFree(id);
	}
	if (p && strlen(p) < size) {
		memcpy(out, p, strlen(p) + 1);
		ok = true;
	}
	free(owned);
	return ok;
}

/* "v1.2.5" -> "1.2.5", "docker-v29.1.1" -> "29.1.1"; NULL for tags that
 * are not a product release. Returns a pointer into tag. */
static const char *tag_version(const char *tag)
{
	if (strchr(tag, '/'))
		return NULL;
	if (!strncmp(tag, "docker-", 7))
		tag += 7;
	if (tag[0] == 'v')
		tag++;
	if (tag[0] < '0' || tag[0] > '9' || !version_valid(VERSION_SEMVER, tag))
		return NULL;
	return tag;
}

/* "1.2.5" -> "1.2"; false without two numbers. */
static bool branch_of(char *out, size_t size, const char *version)
{
	size_t i = 0, dots = 0;

	while (version[i] && i + 1 < size) {
		if (version[i] == '.' && ++dots == 2)
			break;
		if (version[i] != '.' && (version[i] < '0' || version[i] > '9'))
			break;
		out[i] = version[i];
		i++;
	}
	out[i] = '\0';
	return dots >= 1 && i > 0 && out[i - 1] != '.';
}

static int store_release(struct feed_run *run, const char *component,
			 const char *branch, const char *version,
			 const char *updated, struct err *err)
{
	const char *moniker = strchr(version, '-') ? "prerelease" : "release";
	int n;

	/* A release beats a pre-release; within the same kind the newer
	 * version wins. Rows only move forward. */
	n = store_exec(run->store, err,
		"INSERT INTO upstream_release(feed, component, branch, version,"
		" moniker, iseol, released)"
		" VALUES (?1, ?2, ?3, ?4, ?5, 0, CAST(strftime('%s', ?6) AS INTEGER))"
		" ON CONFLICT(component, branch) DO UPDATE SET"
		"  feed = excluded.feed, version = excluded.version,"
		"  moniker = excluded.moniker, released = excluded.released"
		" WHERE (excluded.moniker = 'release'"
		"   AND upstream_release.moniker IS NOT 'release')"
		"  OR (excluded.moniker = upstream_release.moniker"
		"   AND version_cmp('semver', excluded.version,"
		"    upstream_release.version) > 0)",
		"ssssss", run->def->name, component, branch, version, moniker,
		updated);
	return n < 0 ? n : 0;
}

static int ra_parse(struct feed_run *run, const char *path, const char *data,
		    size_t len, struct err *err)
{
	const char *component = run->def->param;
	const int options = XML_PARSE_NONET | XML_PARSE_NOERROR |
			    XML_PARSE_NOWARNING | XML_PARSE_NOCDATA;
	const xmlNode *root, *n;
	xmlDoc *doc;
	int count = 0, rc = 0;

	if (!component || !*component)
		return err_set(err, ERR_CONFIG,
			       "feed '%s' does not name a component",
			       run->def->name);
	if (len > RA_MAX_BYTES)
		return err_set(err, ERR_LIMIT, "'%s': larger than %zu MB", path,
			       RA_MAX_BYTES >> 20);
	if (len > (size_t)INT32_MAX)
		return err_set(err, ERR_LIMIT, "'%s': too large", path);
	xmlResetLastError();
	doc = xmlReadMemory(data, (int)len, NULL, NULL, options);
	if (!doc) {
		const xmlError *e = xmlGetLastError();

		if (e && e->message) {
			/* libxml2 ends its messages with a newline. */
			int mlen = (int)strcspn(e->message, "\r\n");

			return err_set(err, ERR_PARSE,
				       "'%s': not well-formed XML: line %d: %.*s",
				       path, e->line, mlen, e->message);
		}
		return err_set(err, ERR_PARSE, "'%s': not well-formed XML", path);
	}
	if (doc->intSubset || doc->extSubset) {
		rc = err_set(err, ERR_PARSE,
			     "'%s': has a DOCTYPE, which an Atom feed never has",
			     path);
		goto out;
	}
	root = xmlDocGetRootElement(doc);
	if (!root || !is_atom(root, "feed")) {
		rc = err_set(err, ERR_PARSE, "'%s': not an Atom feed", path);
		goto out;
	}
	for (n = root->children; n; n = n->next) {
		char tag[RA_MAX_TAG], branch[32];
		const char *version;
		char *updated;

		if (!is_atom(n, "entry"))
			continue;
		if (++count > RA_MAX_ENTRIES) {
			rc = err_set(err, ERR_LIMIT, "'%s': more than %d entries",
				     path, RA_MAX_ENTRIES);
			goto out;
		}
		if (!entry_tag(tag, sizeof(tag), n)) {
			feed_reject(run, "%s: entry %d: no release tag in 'link' or 'id'",
				    path, count);
			continue;
		}
		version = tag_version(tag);
		if (!version || !branch_of(branch, sizeof(branch), version))
			continue; /* not a product release tag */
		updated = text_of(child(n, "updated"));
		rc = store_release(run, component, branch, version, updated, err);
		xmlFree(updated);
		if (rc)
			goto out;
		run->records++;
	}
out:
	xmlFreeDoc(doc);
	return rc;
}

const struct feed_format feed_format_releases_atom = {
	.name = "releases-atom",
	.want = NULL,
	.begin = NULL,
	.parse = ra_parse,
	.finish = NULL,
};
