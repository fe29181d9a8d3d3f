/* uiq.c - the UI's queries (uiq.h) in SQL over the store: the host and
 * container listings of hostq.c, the findings, targets, bundles and
 * urgency of finding.c, the impact model of impactq.c, and the advisory,
 * kev, epss and feed tables the feed adapters fill. */
#include "uiq.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hostq.h"
#include "impact.h"
#include "xalloc.h"
#include "banned.h"

static const char *const level_names[UIQ_LEVELS] = {
	"critical", "high", "medium", "low", "none",
};

enum uiq_level uiq_level_parse(const char *word)
{
	if (!word)
		return UIQ_LEVELS;
	for (int i = 0; i < UIQ_LEVELS; i++)
		if (!strcmp(word, level_names[i]))
			return (enum uiq_level)i;
	return UIQ_LEVELS;
}

const char *uiq_level_name(enum uiq_level l)
{
	return (unsigned)l < UIQ_LEVELS ? level_names[l] : "";
}

int uiq_parse_time(int64_t *out, const char *text)
{
	struct tm tm = { 0 };
	char *end;
	long long v;

	if (!text || !*text)
		return ERR_PARSE;
	if (text[0] >= '0' && text[0] <= '9' && !strchr(text, '-')) {
		v = strtoll(text, &end, 10);
		if (*end || v < 0)
			return ERR_PARSE;
		*out = v;
		return 0;
	}
	{
		int y, mo, d, h, mi, se, n = 0;

		if (sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &h, &mi,
			   &se, &n) != 6 || text[n] || mo < 1 || mo > 12 || d < 1 ||
		    d > 31 || h > 23 || mi > 59 || se > 60 || y < 1970)
			return ERR_PARSE;
		tm.tm_year = y - 1900;
		tm.tm_mon = mo - 1;
		tm.tm_mday = d;
		tm.tm_hour = h;
		tm.tm_min = mi;
		tm.tm_sec = se;
	}
	*out = (int64_t)timegm(&tm);
	return 0;
}

int64_t uiq_now(void)
{
	int64_t t;

	if (!uiq_parse_time(&t, getenv("SLIPWAY_NOW")))
		return t;
	return (int64_t)time(NULL);
}

int uiq_data_version(long long *out, struct store *s, struct err *err)
{
	return store_query_int(s, out, err, "PRAGMA data_version", "");
}

static char *dup_text(struct store_rows *rows, int col)
{
	const char *t = store_rows_text(rows, col);

	return xstrdup(t ? t : "");
}

static double real_or(struct store_rows *rows, int col, double dflt)
{
	return store_rows_null(rows, col) ? dflt : store_rows_double(rows, col);
}

static int tristate(struct store_rows *rows, int col)
{
	return store_rows_null(rows, col) ? -1 : store_rows_int(rows, col) != 0;
}

/* ---- overview --------------------------------------------------- */

void uiq_overview_release(struct uiq_overview *o)
{
	if (!o)
		return;
	for (size_t i = 0; i < o->nfeeds; i++) {
		free(o->feeds[i].name);
		free(o->feeds[i].last_error);
	}
	free(o->feeds);
	memset(o, 0, sizeof(*o));
}

static int64_t feed_max_age(const struct config *cfg, const char *name)
{
	const struct config_feed *f = cfg ? config_feed_find(cfg, name) : NULL;

	if (f && f->max_age >= 0)
		return f->max_age;
	return cfg ? cfg->policy.feed_max_age : 2 * 86400;
}

int uiq_overview(struct uiq_overview *out, struct store *s,
		 const struct config *cfg, int64_t now, struct err *err)
{
	struct store_rows rows = STORE_ROWS_INIT;
	struct uiq_overview o = { 0 };
	size_t alloc = 0;
	int rc;

	rc = store_query(s, &rows, err,
			 "SELECT (SELECT count(*) FROM host),"
			 " (SELECT count(*) FROM container),"
			 " (SELECT count(*) FROM finding WHERE livepatched = 1),"
			 " (SELECT count(*) FROM finding WHERE kev = 1 AND livepatched = 0),"
			 " (SELECT count(DISTINCT hid) FROM finding WHERE kev = 1 AND livepatched = 0),"
			 " (SELECT count(DISTINCT hid) FROM finding WHERE livepatched = 0),"
			 " (SELECT count(*) FROM host_action WHERE action = 'reboot'),"
			 " (SELECT count(DISTINCT hid) FROM host_action)", "");
	if (rc)
		return rc;
	if ((rc = store_rows_next(&rows)) == 1) {
		o.hosts = store_rows_int(&rows, 0);
		o.containers = store_rows_int(&rows, 1);
		o.livepatched = store_rows_int(&rows, 2);
		o.kev_findings = store_rows_int(&rows, 3);
		o.kev_hosts = store_rows_int(&rows, 4);
		o.hosts_affected = store_rows_int(&rows, 5);
		o.reboot_hosts = store_rows_int(&rows, 6);
		o.action_hosts = store_rows_int(&rows, 7);
	}
	store_rows_done(&rows);
	if (rc < 0)
		goto fail;
	rc = store_query(s, &rows, err,
			 "SELECT level, count(*) FROM finding WHERE livepatched = 0"
			 " GROUP BY level", "");
	if (rc)
		goto fail;
	while ((rc = store_rows_next(&rows)) == 1) {
		enum uiq_level l = uiq_level_parse(store_rows_text(&rows, 0));

		if (l < UIQ_LEVELS)
			o.findings[l] = store_rows_int(&rows, 1);
	}
	store_rows_done(&rows);
	if (rc < 0)
		goto fail;
	rc = store_query(s, &rows, err,
			 "SELECT name, last_success, records, last_error FROM feed"
			 " ORDER BY name", "");
	if (rc)
		goto fail;
	while ((rc = store_rows_next(&rows)) == 1) {
		struct uiq_feed *f;

		XGROW(o.feeds, alloc, o.nfeeds + 1);
		f = &o.feeds[o.nfeeds++];
		f->name = dup_text(&rows, 0);
		f->last_success = store_rows_null(&rows, 1) ? 0 : store_rows_int(&rows, 1);
		f->records = store_rows_int(&rows, 2);
		f->last_error = dup_text(&rows, 3);
		f->stale = !f->last_success ||
			   now - f->last_success > feed_max_age(cfg, f->name);
	}
	store_rows_done(&rows);
	if (rc < 0)
		goto fail;
	*out = o;
	return 0;
fail:
	uiq_overview_release(&o);
	return rc;
}

/* ---- hosts -------------------------------------------------------- */

static void host_release(struct uiq_host *h)
{
	free(h->name);
	free(h->os);
	free(h->kernel);
	free(h->kernel_target);
	free(h->engine);
	free(h->runc);
	free(h->containerd);
	free(h->urgency);
	free(h->bundle);
	free(h->targets);
	memset(h, 0, sizeof(*h));
}

void uiq_hosts_release(struct uiq_hosts *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->n; i++)
		host_release(&h->v[i]);
	free(h->v);
	memset(h, 0, sizeof(*h));
}

/* Reads one hostq_hosts() row. */
static void host_from_row(struct uiq_host *h, struct store_rows *rows)
{
	const char *kind = store_rows_text(rows, HQ_ENGINE_KIND);
	const char *ver = store_rows_text(rows, HQ_ENGINE_VERSION);
	size_t len;

	h->name = dup_text(rows, HQ_NAME);
	h->os = dup_text(rows, HQ_OS);
	h->kernel = dup_text(rows, HQ_KERNEL_RUNNING);
	if (kind) {
		len = strlen(kind) + (ver ? strlen(ver) : 0) + 2;
		h->engine = xmalloc(len);
		snprintf(h->engine, len, "%s%s%s", kind, ver ? " " : "", ver ? ver : "");
	} else {
		h->engine = xstrdup("");
	}
	h->runc = dup_text(rows, HQ_RUNC);
	h->containerd = dup_text(rows, HQ_CONTAINERD);
	h->urgency = dup_text(rows, HQ_URGENCY);
	h->bundle = dup_text(rows, HQ_BUNDLE);
	h->targets = dup_text(rows, HQ_TARGETS);
	h->live_restore = tristate(rows, HQ_LIVE_RESTORE);
	h->reboot_required = tristate(rows, HQ_REBOOT_REQUIRED);
	h->containers = store_rows_int(rows, HQ_CONTAINERS);
	h->deadline = store_rows_null(rows, HQ_DEADLINE) ? 0
		      : store_rows_int(rows, HQ_DEADLINE);
}

/* The finding counts, kernel target and score of every host, by name
 * (the same order as hostq_hosts()). */
#define HOST_COUNTS_SQL                                                       \
	"SELECT h.name,"                                                      \
	" coalesce(f.c, 0), coalesce(f.hi, 0), coalesce(f.m, 0),"             \
	" coalesce(f.l, 0), coalesce(f.n, 0), coalesce(f.k, 0),"              \
	" CASE WHEN t.hid IS NULL THEN '' ELSE coalesce(t.target, 'no fix') END," \
	" coalesce(u.score, 0)"                                               \
	" FROM host h"                                                        \
	" LEFT JOIN (SELECT hid,"                                             \
	"  sum(level = 'critical') AS c, sum(level = 'high') AS hi,"          \
	"  sum(level = 'medium') AS m, sum(level = 'low') AS l,"              \
	"  sum(level = 'none') AS n, sum(kev) AS k"                           \
	"  FROM finding WHERE livepatched = 0 GROUP BY hid) f ON f.hid = h.hid" \
	" LEFT JOIN host_target t ON t.hid = h.hid AND t.component = 'kernel'" \
	" LEFT JOIN host_urgency u ON u.hid = h.hid"                          \
	" WHERE ?1 IS NULL OR h.name = ?1"                                    \
	" ORDER BY h.name"

static int host_counts(struct uiq_host *v, size_t n, struct store *s,
		       const char *host, struct err *err)
{
	struct store_rows rows = STORE_ROWS_INIT;
	size_t i = 0;
	int rc;

	if ((rc = store_query(s, &rows, err, HOST_COUNTS_SQL, "s", host)))
		return rc;
	while ((rc = store_rows_next(&rows)) == 1) {
		const char *name = store_rows_text(&rows, 0);

		/* both lists are ordered by name; a host added between the
		 * two queries is skipped */
		while (i < n && name && strcmp(v[i].name, name) < 0)
			i++;
		if (i >= n || !name || strcmp(v[i].name, name))
			continue;
		for (int l = 0; l < UIQ_LEVELS; l++)
			v[i].findings[l] = store_rows_int(&rows, 1 + l);
		v[i].kev = store_rows_int(&rows, 6);
		v[i].kernel_target = dup_text(&rows, 7);
		v[i].score = store_rows_double(&rows, 8);
		i++;
	}
	store_rows_done(&rows);
	for (i = 0; i < n; i++)
		if (!v[i].kernel_target)
			v[i].kernel_target = xstrdup("");
	return rc < 0 ? rc : 0;
}

static int hosts_load(struct uiq_hosts *out, struct store *s, const char *host,
		      struct err *err)
{
	struct store_rows rows = STORE_ROWS_INIT;
	struct uiq_hosts h = { 0 };
	size_t alloc = 0;
	int rc;

	if ((rc = hostq_hosts(s, &rows, host, err)))
		return rc;
	while ((rc = store_rows_next(&rows)) == 1) {
		XGROW(h.v, alloc, h.n + 1);
		memset(&h.v[h.n], 0, sizeof(h.v[h.n]));
		host_from_row(&h.v[h.n++], &rows);
	}
	store_rows_done(&rows);
	if (rc < 0 || (rc = host_counts(h.v, h.n, s, host, err))) {
		uiq_hosts_release(&h);
		return rc;
	}
	*out = h;
	return 0;
}

int uiq_hosts(struct uiq_hosts *out, struct store *s, struct err *err)
{
	return hosts_load(out, s, NULL, err);
}

/* ---- containers --------------------------------------------------- */

static void container_release(struct uiq_container *c)
{
	free(c->host);
	free(c->id);
	free(c->name);
	free(c->image);
	free(c->state);
	free(c->policy);
	free(c->compose);
	free(c->effect);
	free(c->reason);
	free(c->actions);
}

void uiq_containers_release(struct uiq_containers *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		container_release(&c->v[i]);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

static int by_host_id(const void *a, const void *b)
{
	const struct impact_row *x = a, *y = b;
	int c = strcmp(x->host, y->host);

	return c ? c : strcmp(x->container_id, y->container_id);
}

int uiq_containers(struct uiq_containers *out, struct store *s,
		   const struct config *cfg, const char *host,
		   struct err *err)
{
	struct store_rows rows = STORE_ROWS_INIT;
	struct impact_list il = { 0 };
	struct uiq_containers c = { 0 };
	size_t alloc = 0;
	int rc;

	if ((rc = impact_query(&il, s, cfg, host, 0, err)))
		return rc;
	qsort(il.v, il.n, sizeof(*il.v), by_host_id);
	if ((rc = hostq_containers(s, &rows, host, err)))
		goto out;
	while ((rc = store_rows_next(&rows)) == 1) {
		struct uiq_container *x;
		struct impact_row key, *r;
		const char *proj = store_rows_text(&rows, CQ_COMPOSE_PROJECT);
		const char *svc = store_rows_text(&rows, CQ_COMPOSE_SERVICE);
		const char *cap = store_rows_text(&rows, CQ_CAP_ADD);
		char text[IMPACT_ACTIONS_TEXT_MAX];

		XGROW(c.v, alloc, c.n + 1);
		x = &c.v[c.n++];
		memset(x, 0, sizeof(*x));
		x->host = dup_text(&rows, CQ_HOST);
		x->id = dup_text(&rows, CQ_ID);
		x->name = dup_text(&rows, CQ_NAME);
		x->image = dup_text(&rows, CQ_IMAGE);
		x->state = dup_text(&rows, CQ_STATE);
		x->policy = dup_text(&rows, CQ_RESTART_POLICY);
		if (proj && svc) {
			size_t len = strlen(proj) + strlen(svc) + 2;

			x->compose = xmalloc(len);
			snprintf(x->compose, len, "%s/%s", proj, svc);
		} else {
			x->compose = xstrdup("");
		}
		x->privileged = store_rows_int(&rows, CQ_PRIVILEGED) != 0;
		x->host_ns = store_rows_int(&rows, CQ_HOST_PID) ||
			     store_rows_int(&rows, CQ_HOST_NETWORK);
		x->unconfined = store_rows_int(&rows, CQ_SECCOMP_UNCONFINED) != 0;
		x->caps = cap && strcmp(cap, "[]") && strcmp(cap, "null");
		x->memory = store_rows_int(&rows, CQ_MEMORY_LIMIT);
		x->created = store_rows_null(&rows, CQ_CREATED) ? 0
			     : store_rows_int(&rows, CQ_CREATED);
		key.host = x->host;
		key.container_id = x->id;
		r = bsearch(&key, il.v, il.n, sizeof(*il.v), by_host_id);
		if (r) {
			impact_actions_format(text, r->actions);
			x->effect = xstrdup(impact_effect_name(r->r.effect));
			x->reason = xstrdup(r->r.reason);
			x->actions = xstrdup(text);
			x->outage = r->r.outage;
			x->low_confidence = r->r.confidence == IMPACT_LOW;
			x->comes_back = !(r->r.effect == IMPACT_STAYS_DOWN ||
					  r->r.effect == IMPACT_REMOVED) ||
					r->r.outage == 0;
		} else {
			x->effect = xstrdup("");
			x->reason = xstrdup("");
			x->actions = xstrdup("");
			x->comes_back = true;
		}
		if (!x->comes_back)
			c.wont_return++;
		if (!strcmp(x->state, "running") || !strcmp(x->state, "paused") ||
		    !strcmp(x->state, "restarting"))
			c.running++;
	}
	store_rows_done(&rows);
	if (rc < 0)
		goto out;
	*out = c;
	memset(&c, 0, sizeof(c));
	rc = 0;
out:
	uiq_containers_release(&c);
	impact_list_release(&il);
	return rc;
}

/* ---- one host ------------------------------------------------------ */

void uiq_host_detail_release(struct uiq_host_detail *d)
{
	if (!d)
		return;
	host_release(&d->host);
	free(d->kernel_installed);
	free(d->engine_kind);
	for (size_t i = 0; i < d->nfindings; i++) {
		struct uiq_finding *f = &d->findings[i];

		free(f->id);
		free(f->vkey);
		free(f->component);
		free(f->installed);
		free(f->fixed);
		free(f->level);
		free(f->feed);
		free(f->note);
	}
	free(d->findings);
	for (size_t i = 0; i < d->nactions; i++) {
		free(d->actions[i].action);
		free(d->actions[i].reason);
	}
	free(d->actions);
	uiq_containers_release(&d->containers);
	memset(d, 0, sizeof(*d));
}

int uiq_host_detail(struct uiq_host_detail *out, struct store *s,
		    const struct config *cfg, const char *name,
		    struct err *err)
{
	struct store_rows rows = STORE_ROWS_INIT;
	struct uiq_host_detail d = { 0 };
	struct uiq_hosts h = { 0 };
	size_t alloc = 0;
	int rc;

	if ((rc = hosts_load(&h, s, name, err)))
		return rc;
	if (!h.n) {
		uiq_hosts_release(&h);
		return err_set(err, ERR_NOTFOUND, "unknown host '%s'", name);
	}
	d.host = h.v[0];
	free(h.v);
	rc = store_query(s, &rows, err,
			 "SELECT (SELECT group_concat(json_extract(value, '$.release'), ' ')"
			 " FROM json_each(h.installed_kernels)), h.engine_kind"
			 " FROM host h WHERE h.name = ?1", "s", name);
	if (rc)
		goto fail;
	if ((rc = store_rows_next(&rows)) == 1) {
		d.kernel_installed = dup_text(&rows, 0);
		d.engine_kind = dup_text(&rows, 1);
	}
	store_rows_done(&rows);
	if (rc < 0)
		goto fail;
	rc = store_query(s, &rows, err,
			 "SELECT a.id, f.vkey, f.component, f.installed, f.fixed, f.level,"
			 " f.feed, f.kev, f.cvss, f.epss, f.livepatched, f.approximate,"
			 " f.judged, f.fixed_by_installed"
			 " FROM finding f JOIN host h ON h.hid = f.hid"
			 " JOIN advisory a ON a.aid = f.aid WHERE h.name = ?1"
			 " ORDER BY f.livepatched, f.kev DESC,"
			 " CASE f.level WHEN 'critical' THEN 0 WHEN 'high' THEN 1"
			 " WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END,"
			 " coalesce(f.cvss, -1) DESC, f.component, f.vkey", "s", name);
	if (rc)
		goto fail;
	while ((rc = store_rows_next(&rows)) == 1) {
		struct uiq_finding *f;
		char note[160] = "";

		XGROW(d.findings, alloc, d.nfindings + 1);
		f = &d.findings[d.nfindings++];
		memset(f, 0, sizeof(*f));
		f->id = dup_text(&rows, 0);
		f->vkey = dup_text(&rows, 1);
		f->component = dup_text(&rows, 2);
		f->installed = dup_text(&rows, 3);
		f->fixed = dup_text(&rows, 4);
		f->level = dup_text(&rows, 5);
		f->feed = dup_text(&rows, 6);
		f->kev = store_rows_int(&rows, 7) != 0;
		f->cvss = real_or(&rows, 8, -1);
		f->epss = real_or(&rows, 9, -1);
		f->livepatched = store_rows_int(&rows, 10) != 0;
		if (f->livepatched)
			snprintf(note, sizeof(note), "covered by the live patch");
		else if (!store_rows_null(&rows, 13))
			snprintf(note, sizeof(note), "fixed by installed %s",
				 store_rows_text(&rows, 13));
		else if (store_rows_int(&rows, 11))
			snprintf(note, sizeof(note), "approximate (upstream %s)",
				 store_rows_text(&rows, 12) ? store_rows_text(&rows, 12) : "?");
		f->note = xstrdup(note);
	}
	store_rows_done(&rows);
	if (rc < 0)
		goto fail;
	alloc = 0;
	rc = store_query(s, &rows, err,
			 "SELECT a.action, a.reason FROM host_action a JOIN host h"
			 " ON h.hid = a.hid WHERE h.name = ?1 ORDER BY CASE a.action"
			 " WHEN 'reboot' THEN 0 WHEN 'engine-restart' THEN 1"
			 " WHEN 'containerd-restart' THEN 2 WHEN 'runc-upgrade' THEN 3"
			 " ELSE 4 END", "s", name);
	if (rc)
		goto fail;
	while ((rc = store_rows_next(&rows)) == 1) {
		XGROW(d.actions, alloc, d.nactions + 1);
		d.actions[d.nactions].action = dup_text(&rows, 0);
		d.actions[d.nactions].reason = dup_text(&rows, 1);
		d.nactions++;
	}
	store_rows_done(&rows);
	if (rc < 0)
		goto fail;
	if ((rc = uiq_containers(&d.containers, s, cfg, name, err)))
		goto fail;
	*out = d;
	return 0;
fail:
	uiq_host_detail_release(&d);
	return rc;
}

/* ---- advisories ----------------------------------------------------- */

static void advisory_release(struct uiq_advisory *a)
{
	free(a->key);
	free(a->ids);
	free(a->components);
	free(a->severity);
	free(a->fixed);
	free(a->summary);
	memset(a, 0, sizeof(*a));
}

void uiq_advisories_release(struct uiq_advisories *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->n; i++)
		advisory_release(&a->v[i]);
	free(a->v);
	memset(a, 0, sizeof(*a));
}

/* One row per CVE (vkey as finding.c names it: the CVE alias, else the
 * id) over the advisories of planned components; the hosts it affects
 * and their fixing versions from the findings, else the upstream fixes
 * the feeds state. ?1: one key, or NULL for all. */
#define ADVISORIES_SQL                                                        \
	"WITH v AS MATERIALIZED (SELECT a.aid, a.id, a.summary, a.severity,"  \
	"  a.cvss_score, coalesce((SELECT min(x.alias) FROM advisory_alias x" \
	"   WHERE x.aid = a.aid AND x.alias GLOB 'CVE-*'), a.id) AS vkey,"    \
	"  (SELECT group_concat(DISTINCT f.component) FROM affected f"        \
	"   WHERE f.aid = a.aid AND f.component <> 'other') AS comps,"        \
	"  (SELECT group_concat(DISTINCT f.fixed) FROM affected f"            \
	"   WHERE f.aid = a.aid AND f.component <> 'other'"                   \
	"   AND f.ecosystem = 'upstream' AND f.fixed IS NOT NULL) AS fixes"   \
	"  FROM advisory a WHERE a.withdrawn IS NULL),"                       \
	" g AS (SELECT vkey, group_concat(DISTINCT id) AS ids,"               \
	"  group_concat(DISTINCT comps) AS comps,"                            \
	"  min(CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1"      \
	"   WHEN 'medium' THEN 2 WHEN 'low' THEN 3 WHEN 'none' THEN 4 END) AS sev," \
	"  max(cvss_score) AS cvss, group_concat(DISTINCT fixes) AS fixes,"  \
	"  max(summary) AS summary"                                           \
	"  FROM v WHERE comps IS NOT NULL AND (?1 IS NULL OR vkey = ?1"       \
	"   OR id = ?1) GROUP BY vkey),"                                      \
	" fh AS (SELECT vkey, count(DISTINCT hid) AS n,"                      \
	"  group_concat(DISTINCT fixed) AS fx FROM finding"                   \
	"  WHERE ?1 IS NULL OR vkey = ?1 GROUP BY vkey)"                      \
	" SELECT g.vkey, g.ids, g.comps,"                                     \
	"  CASE g.sev WHEN 0 THEN 'critical' WHEN 1 THEN 'high' WHEN 2"       \
	"   THEN 'medium' WHEN 3 THEN 'low' WHEN 4 THEN 'none' ELSE '' END,"  \
	"  coalesce(fh.fx, g.fixes, ''), coalesce(g.summary, ''), g.cvss,"    \
	"  (SELECT e.score FROM epss e WHERE e.cve = g.vkey),"                \
	"  EXISTS (SELECT 1 FROM kev k WHERE k.cve = g.vkey),"                \
	"  coalesce(fh.n, 0)"                                                 \
	" FROM g LEFT JOIN fh ON fh.vkey = g.vkey"

static void advisory_from_row(struct uiq_advisory *a, struct store_rows *rows)
{
	a->key = dup_text(rows, 0);
	a->ids = dup_text(rows, 1);
	a->components = dup_text(rows, 2);
	a->severity = dup_text(rows, 3);
	a->fixed = dup_text(rows, 4);
	a->summary = dup_text(rows, 5);
	a->cvss = real_or(rows, 6, -1);
	a->epss = real_or(rows, 7, -1);
	a->kev = store_rows_int(rows, 8) != 0;
	a->hosts = store_rows_int(rows, 9);
}

int uiq_advisories(struct uiq_advisories *out, struct store *s,
		   struct err *err)
{
	struct store_rows rows = STORE_ROWS_INIT;
	struct uiq_advisories a = { 0 };
	size_t alloc = 0;
	int rc;

	rc = store_query(s, &rows, err, ADVISORIES_SQL
			 " ORDER BY coalesce(fh.n, 0) DESC, 9 DESC,"
			 " coalesce(g.cvss, -1) DESC, g.vkey", "n");
	if (rc)
		return rc;
	while ((rc = store_rows_next(&rows)) == 1) {
		XGROW(a.v, alloc, a.n + 1);
		memset(&a.v[a.n], 0, sizeof(a.v[a.n]));
		advisory_from_row(&a.v[a.n++], &rows);
	}
	store_rows_done(&rows);
	if (rc < 0) {
		uiq_advisories_release(&a);
		return rc;
	}
	*out = a;
	return 0;
}

void uiq_advisory_detail_release(struct uiq_advisory_detail *d)
{
	if (!d)
		return;
	advisory_release(&d->a);
	free(d->aliases);
	free(d->kev_name);
	for (size_t i = 0; i < d->nrecords; i++) {
		free(d->records[i].feed);
		free(d->records[i].id);
		free(d->records[i].severity);
		free(d->records[i].vector);
		free(d->records[i].summary);
	}
	free(d->records);
	for (size_t i = 0; i < d->nranges; i++) {
		free(d->ranges[i].feed);
		free(d->ranges[i].component);
		free(d->ranges[i].ecosystem);
		free(d->ranges[i].package);
		free(d->ranges[i].text);
	}
	free(d->ranges);
	for (size_t i = 0; i < d->nhosts; i++) {
		free(d->hosts[i].host);
		free(d->hosts[i].component);
		free(d->hosts[i].installed);
		free(d->hosts[i].fixed);
		free(d->hosts[i].feed);
	}
	free(d->hosts);
	memset(d, 0, sizeof(*d));
}

/* The advisories stored for key: by id, or by any alias. */
#define KEY_AIDS_SQL                                                          \
	"(SELECT aid FROM advisory WHERE id = ?1"                             \
	" UNION SELECT aid FROM advisory_alias WHERE alias = ?1)"

int uiq_advisory_detail(struct uiq_advisory_detail *out, struct store *s,
			const char *key, struct err *err)
{
	struct store_rows rows = STORE_ROWS_INIT;
	struct uiq_advisory_detail d = { 0 };
	size_t alloc = 0;
	int rc;

	if ((rc = store_query(s, &rows, err, ADVISORIES_SQL, "s", key)))
		return rc;
	if ((rc = store_rows_next(&rows)) == 1)
		advisory_from_row(&d.a, &rows);
	store_rows_done(&rows);
	if (rc < 0)
		goto fail;
	if (!rc) {
		rc = err_set(err, ERR_NOTFOUND, "no advisory '%s'", key);
		goto fail;
	}
	rc = store_query(s, &rows, err,
			 "SELECT (SELECT group_concat(alias, ', ') FROM (SELECT DISTINCT"
			 "  alias FROM advisory_alias WHERE aid IN " KEY_AIDS_SQL
			 "  ORDER BY alias)),"
			 " k.name, k.date_added, k.due_date"
			 " FROM (SELECT 1) LEFT JOIN kev k ON k.cve = ?1", "s", d.a.key);
	if (rc)
		goto fail;
	if ((rc = store_rows_next(&rows)) == 1) {
		d.aliases = dup_text(&rows, 0);
		d.kev_name = dup_text(&rows, 1);
		d.kev_added = store_rows_null(&rows, 2) ? 0 : store_rows_int(&rows, 2);
		d.kev_due = store_rows_null(&rows, 3) ? 0 : store_rows_int(&rows, 3);
	}
	store_rows_done(&rows);
	if (rc < 0)
		goto fail;
	rc = store_query(s, &rows, err,
			 "SELECT feed, id, coalesce(severity, ''), coalesce(cvss_vector, ''),"
			 " cvss_score, published, coalesce(summary, '')"
			 " FROM advisory WHERE aid IN " KEY_AIDS_SQL " ORDER BY feed, id",
			 "s", d.a.key);
	if (rc)
		goto fail;
	while ((rc = store_rows_next(&rows)) == 1) {
		struct uiq_advisory_record *r;

		XGROW(d.records, alloc, d.nrecords + 1);
		r = &d.records[d.nrecords++];
		r->feed = dup_text(&rows, 0);
		r->id = dup_text(&rows, 1);
		r->severity = dup_text(&rows, 2);
		r->vector = dup_text(&rows, 3);
		r->cvss = real_or(&rows, 4, -1);
		r->published = store_rows_null(&rows, 5) ? 0 : store_rows_int(&rows, 5);
		r->summary = dup_text(&rows, 6);
	}
	store_rows_done(&rows);
	if (rc < 0)
		goto fail;
	alloc = 0;
	rc = store_query(s, &rows, err,
			 "SELECT a.feed, f.component, f.ecosystem, f.package,"
			 " trim(coalesce('>= ' || f.introduced, '') ||"
			 "  coalesce(', < ' || f.fixed, '') ||"
			 "  coalesce(', <= ' || f.last_affected, '') ||"
			 "  CASE WHEN f.fixed IS NULL AND f.last_affected IS NULL"
			 "   THEN ', no fix' ELSE '' END, ', ')"
			 " FROM affected f JOIN advisory a ON a.aid = f.aid"
			 " WHERE f.aid IN " KEY_AIDS_SQL " AND f.component <> 'other'"
			 " ORDER BY a.feed, f.ecosystem, f.package, f.rowid LIMIT ?2",
			 "si", d.a.key, (long long)UIQ_RANGES_MAX);
	if (rc)
		goto fail;
	while ((rc = store_rows_next(&rows)) == 1) {
		struct uiq_range *r;

		XGROW(d.ranges, alloc, d.nranges + 1);
		r = &d.ranges[d.nranges++];
		r->feed = dup_text(&rows, 0);
		r->component = dup_text(&rows, 1);
		r->ecosystem = dup_text(&rows, 2);
		r->package = dup_text(&rows, 3);
		r->text = dup_text(&rows, 4);
	}
	store_rows_done(&rows);
	if (rc < 0)
		goto fail;
	alloc = 0;
	rc = store_query(s, &rows, err,
			 "SELECT h.name, f.component, f.installed, coalesce(f.fixed, ''),"
			 " f.feed, f.livepatched, f.approximate"
			 " FROM finding f JOIN host h ON h.hid = f.hid"
			 " WHERE f.vkey = ?1 ORDER BY h.name, f.component", "s", d.a.key);
	if (rc)
		goto fail;
	while ((rc = store_rows_next(&rows)) == 1) {
		struct uiq_affected_host *h;

		XGROW(d.hosts, alloc, d.nhosts + 1);
		h = &d.hosts[d.nhosts++];
		h->host = dup_text(&rows, 0);
		h->component = dup_text(&rows, 1);
		h->installed = dup_text(&rows, 2);
		h->fixed = dup_text(&rows, 3);
		h->feed = dup_text(&rows, 4);
		h->livepatched = store_rows_int(&rows, 5) != 0;
		h->approximate = store_rows_int(&rows, 6) != 0;
	}
	store_rows_done(&rows);
	if (rc < 0)
		goto fail;
	*out = d;
	return 0;
fail:
	uiq_advisory_detail_release(&d);
	return rc;
}
