/* inventory.c - the live inventory of inventory.h: engine answers become
 * an engine-only host report (report.h, README "Host report") that
 * report_import() validates and stores. */
#include "inventory.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "report.h"
#include "xalloc.h"
#include "banned.h"

struct ctx {
	struct store *s;
	inventory_fn fn;
	void *arg;
	size_t done, total, failed;
};

int inventory_report(char **out, size_t *len, struct store *s,
		     const char *name, const struct engine_answers *a,
		     struct err *err)
{
	struct buf doc;
	char *qname = NULL, when[32];
	struct tm tm;
	time_t now = time(NULL);
	int rc;

	/* the host name is the one value not checked as JSON already */
	if ((rc = store_query_text(s, &qname, err, "SELECT json_quote(?)", "s", name)))
		return rc;
	if (!qname || !gmtime_r(&now, &tm) ||
	    !strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm)) {
		free(qname);
		return err_set(err, ERR_FAIL, "cannot build the host report of '%s'", name);
	}
	/* collected_at in RFC 3339, UTC, whole seconds; the engine part is
	 * the engine's checked answers as they are (engine_report_json), so
	 * the document is put together around it rather than parsed and
	 * written again by json_object() */
	buf_init(&doc, REPORT_MAX_BYTES);
	if (buf_addf(&doc, "{\"schema\":\"%s\",\"collected_at\":\"%s\","
		     "\"host\":{\"name\":%s},\"engine\":", REPORT_SCHEMA, when, qname)) {
		rc = err_set(err, ERR_LIMIT, "the host report of '%s' is too large", name);
		goto out;
	}
	if ((rc = engine_report_json(&doc, a, -1, err)))
		goto out;
	if (buf_addch(&doc, '}')) {
		rc = err_set(err, ERR_LIMIT, "the host report of '%s' is too large", name);
		goto out;
	}
	*out = buf_detach(&doc, len);
out:
	free(qname);
	buf_release(&doc);
	return rc;
}

/* Notes the failure on a host Slipway already knows; a host never
 * inventoried has no row to note it on, and the caller reports it. */
static void note_failure(struct store *s, const char *name, const char *msg)
{
	struct err e;

	err_clear(&e);
	store_exec(s, &e, "UPDATE host SET last_error = ? WHERE name = ?", "ss",
		   msg, name);
}

static void host_done(void *arg, size_t index, const struct engine_target *t,
		      struct engine_answers *a, int rc, const struct err *err)
{
	struct ctx *c = arg;
	struct inventory_host h = { .name = t->name, .url = t->url, .rc = rc };
	char *doc = NULL, *version = NULL;
	size_t len = 0;
	struct err e;

	err_clear(&e);
	if (rc) {
		h.error = err->msg;
		note_failure(c->s, t->name, err->msg);
		goto out;
	}
	if ((h.rc = inventory_report(&doc, &len, c->s, t->name, a, &e)) ||
	    (h.rc = report_import(c->s, t->url, doc, len, REPORT_ENGINE_ONLY,
				  t->name, &h.hid, &e))) {
		/* a report we built and the importer refused still names the host */
		if (strncmp(e.msg, "cannot inventory", 16)) {
			if (!t->name || !strcmp(t->name, t->url))
				err_prefix(&e, "cannot inventory '%s'", t->url);
			else
				err_prefix(&e, "cannot inventory '%s' (%s)",
					   t->name, t->url);
		}
		h.error = e.msg;
		note_failure(c->s, t->name, e.msg);
		goto out;
	}
	store_query_text(c->s, &version, &e, "SELECT json_extract(?, '$.Version')",
			 "s", a->version);
	h.kind = a->kind;
	h.version = version;
	h.containers = a->ncontainers;
out:
	if (h.rc)
		c->failed++;
	c->done++;
	if (c->fn)
		c->fn(c->arg, &h, c->done, c->total);
	free(version);
	free(doc);
}

int inventory_run(struct store *s, const struct engine_target *targets,
		  size_t n, int concurrency, inventory_fn fn, void *arg,
		  struct err *err)
{
	struct ctx c = { .s = s, .fn = fn, .arg = arg, .total = n };
	int rc;

	if ((rc = engine_fetch_many(targets, n, concurrency, host_done, &c, err)))
		return rc;
	if (c.failed)
		return err_set(err, ERR_FAIL, "%zu of %zu hosts failed", c.failed, n);
	return 0;
}
