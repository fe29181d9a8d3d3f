/* planq.c - fills the planner's input from the store and the config
 * (plan_load, plan.h): hosts with a bundle (finding.h's host_action),
 * their per-container impact (impact_query), urgency and deadline
 * (host_urgency), targets (host_target), windows and freezes expanded by
 * window.c, pins (the pin table, store migration 2), and availability
 * groups: automatic ones from compose project+service and swarm service
 * labels of running containers on at least two hosts, and [group]
 * sections (compose:P/S, swarm:NAME, label:K=V). Also the pin commands'
 * store writes. */
#include "plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "store.h"
#include "xalloc.h"
#include "banned.h"

/* A slot is never shorter than this: installing packages takes time even
 * when nothing goes down (a runc upgrade alone). */
#define PLAN_MIN_OUTAGE 60

static long host_index(const struct plan_input *in, const char *name)
{
	size_t lo = 0, hi = in->nhosts;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(in->hosts[mid].name, name);

		if (!c)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static long container_index(const struct plan_host *h, const char *id)
{
	for (size_t i = 0; i < h->ncontainers; i++)
		if (!strcmp(h->containers[i].id, id))
			return (long)i;
	return -1;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static int load_windows(struct plan_input *in, const struct config *cfg, struct err *err)
{
	in->nwindows = cfg->nwindows;
	in->windows = xcalloc(cfg->nwindows ? cfg->nwindows : 1, sizeof(*in->windows));
	for (size_t i = 0; i < cfg->nwindows; i++) {
		const struct config_window *cw = &cfg->windows[i];
		struct plan_window *w = &in->windows[i];

		w->name = xstrdup(cw->name);
		w->timezone = xstrdup(cw->timezone ? cw->timezone : "UTC");
		w->duration = cw->duration;
		w->max_down = cw->max_down > 0 ? cw->max_down : 0;
		w->rrule = dup_or_null(cw->rrule);
		w->start_minute = cw->start_minute;
		if (window_expand(&w->occ, &w->nocc, &w->frozen, &w->nfrozen, cw,
				  cfg->freezes, cfg->nfreezes, in->start, in->end, err))
			return err->code ? err->code : ERR_CONFIG;
	}
	return 0;
}

/* Hosts with a non-empty bundle, by name, with urgency and deadline. */
static int load_hosts(struct plan_input *in, struct store *s, const struct config *cfg,
		      struct err *err)
{
	struct store_rows rows = STORE_ROWS_INIT;
	size_t alloc = 0;
	int rc;

	rc = store_query(s, &rows, err,
			 "SELECT h.name, h.hid, u.level, u.score, u.deadline,"
			 " (SELECT group_concat(a.action, '+') FROM host_action a WHERE a.hid = h.hid)"
			 " FROM host h LEFT JOIN host_urgency u ON u.hid = h.hid"
			 " WHERE EXISTS (SELECT 1 FROM host_action a WHERE a.hid = h.hid)"
			 " ORDER BY h.name COLLATE BINARY", NULL);
	if (rc)
		return rc;
	while ((rc = store_rows_next(&rows)) == 1) {
		struct plan_host *h;
		const char *name = store_rows_text(&rows, 0);
		const struct config_host *ch;
		impact_actions acts = 0;
		struct err e2;

		if (!name)
			continue;
		XGROW(in->hosts, alloc, in->nhosts + 1);
		h = &in->hosts[in->nhosts++];
		memset(h, 0, sizeof(*h));
		h->name = xstrdup(name);
		h->urgency = xstrdup(store_rows_null(&rows, 2) ? "none" : store_rows_text(&rows, 2));
		h->score = store_rows_null(&rows, 3) ? 0 : store_rows_double(&rows, 3);
		h->deadline = store_rows_null(&rows, 4) ? 0 : store_rows_int(&rows, 4);
		if (store_rows_text(&rows, 5) &&
		    impact_actions_parse(&acts, store_rows_text(&rows, 5), &e2) == 0)
			h->actions = acts;
		h->pin_window = -1;
		/* windows: [host] window=, else the windows' patterns */
		ch = config_host_find(cfg, name);
		h->windows = xcalloc(cfg->nwindows ? cfg->nwindows : 1, sizeof(*h->windows));
		for (size_t w = 0; w < cfg->nwindows; w++) {
			bool match = ch && ch->window ? !strcmp(ch->window, cfg->windows[w].name)
				: config_host_match(cfg->windows[w].hosts, name);

			if (match)
				h->windows[h->nwindows++] = w;
		}
	}
	store_rows_done(&rows);
	return rc < 0 ? rc : 0;
}

/* Containers and their impact; the host's outage. */
static int load_impact(struct plan_input *in, struct store *s, const struct config *cfg,
		       struct err *err)
{
	struct impact_list l = { 0 };
	long long *boot;
	int rc;

	rc = impact_query(&l, s, cfg, NULL, 0, err);
	if (rc) {
		impact_list_release(&l);
		return rc;
	}
	boot = xcalloc(in->nhosts ? in->nhosts : 1, sizeof(*boot));
	for (size_t i = 0; i < l.n; i++) {
		const struct impact_row *row = &l.v[i];
		long hi = host_index(in, row->host);
		struct plan_host *h;
		struct plan_container *c;

		if (hi < 0)
			continue;
		h = &in->hosts[hi];
		boot[hi] = row->boot_seconds;
		h->containers = xreallocarray(h->containers, h->ncontainers + 1, sizeof(*c));
		c = &h->containers[h->ncontainers++];
		c->id = xstrdup(row->container_id);
		c->name = xstrdup(row->container);
		c->effect = row->r.effect;
		c->outage = row->r.outage;
		c->confidence = row->r.confidence;
		c->reason = xstrdup(row->r.reason);
		if (c->effect != IMPACT_UNAFFECTED && c->outage > h->outage)
			h->outage = c->outage;
	}
	for (size_t i = 0; i < in->nhosts; i++) {
		struct plan_host *h = &in->hosts[i];

		/* a reboot with no container to time it: shutdown + boot +
		 * engine start, as impact.h estimates */
		if ((h->actions & IMPACT_BIT(IMPACT_REBOOT))) {
			const struct config_host *ch = config_host_find(cfg, h->name);
			long long b = boot[i] ? boot[i]
				: ch && ch->boot_time > 0 ? ch->boot_time
				: cfg->policy.boot_time > 0 ? cfg->policy.boot_time : IMPACT_BOOT_DEFAULT;
			long long est = IMPACT_STOP_TIMEOUT + b + IMPACT_ENGINE_START;

			if (h->outage < est)
				h->outage = est;
		}
		if (h->outage < PLAN_MIN_OUTAGE)
			h->outage = PLAN_MIN_OUTAGE;
	}
	free(boot);
	impact_list_release(&l);
	return 0;
}

static int load_targets(struct plan_input *in, struct store *s, struct err *err)
{
	struct store_rows rows = STORE_ROWS_INIT;
	int rc;

	rc = store_query(s, &rows, err,
			 "SELECT h.name, t.component, t.target,"
			 " CASE WHEN t.component = 'kernel' THEN h.kernel_package ELSE"
			 "  (SELECT p.name FROM package p WHERE p.hid = h.hid AND"
			 "   (p.name = t.component OR p.source = t.component"
			 "    OR (t.component = 'docker' AND p.name IN ('docker.io', 'docker-ce'))"
			 "    OR (t.component = 'containerd' AND p.name = 'containerd.io'))"
			 "   ORDER BY p.name LIMIT 1) END"
			 " FROM host_target t JOIN host h ON h.hid = t.hid"
			 " ORDER BY h.name, t.component", NULL);
	if (rc)
		return rc;
	while ((rc = store_rows_next(&rows)) == 1) {
		long hi = host_index(in, store_rows_text(&rows, 0));
		struct plan_host *h;
		struct plan_target *t;

		if (hi < 0)
			continue;
		h = &in->hosts[hi];
		h->targets = xreallocarray(h->targets, h->ntargets + 1, sizeof(*t));
		t = &h->targets[h->ntargets++];
		t->component = xstrdup(store_rows_text(&rows, 1));
		t->version = dup_or_null(store_rows_text(&rows, 2));
		t->package = dup_or_null(store_rows_text(&rows, 3));
	}
	store_rows_done(&rows);
	return rc < 0 ? rc : 0;
}

static int day_of(const char *s)
{
	int y, m, d;

	if (!s || window_parse_date(&y, &m, &d, s))
		return 0;
	return y * 10000 + m * 100 + d;
}

static int load_pins(struct plan *p, struct store *s, struct err *err)
{
	struct plan_input *in = &p->in;
	struct store_rows rows = STORE_ROWS_INIT;
	int rc;

	rc = store_query(s, &rows, err,
			 "SELECT host, kind, window, day FROM pin ORDER BY host, kind", NULL);
	if (rc)
		return rc;
	while ((rc = store_rows_next(&rows)) == 1) {
		long hi = host_index(in, store_rows_text(&rows, 0));
		const char *kind = store_rows_text(&rows, 1);
		const char *win = store_rows_text(&rows, 2);
		struct plan_host *h;
		char msg[ERR_MSG_MAX];

		if (hi < 0 || !kind)
			continue;
		h = &in->hosts[hi];
		if (!strcmp(kind, "exclude")) {
			h->excluded = true;
		} else if (!strcmp(kind, "after")) {
			h->after_day = day_of(store_rows_text(&rows, 3));
		} else if (!strcmp(kind, "window")) {
			for (size_t w = 0; w < in->nwindows; w++)
				if (win && !strcmp(in->windows[w].name, win))
					h->pin_window = (long)w;
			if (h->pin_window < 0) {
				snprintf(msg, sizeof(msg), "host '%s' is pinned to window '%s', "
					 "which the config does not have: pin ignored", h->name,
					 win ? win : "");
				p->warnings = xreallocarray(p->warnings, p->nwarnings + 1,
							    sizeof(*p->warnings));
				p->warnings[p->nwarnings++] = xstrdup(msg);
			} else {
				h->pin_day = day_of(store_rows_text(&rows, 3));
			}
		}
	}
	store_rows_done(&rows);
	return rc < 0 ? rc : 0;
}

/* A running container matched by a selector, for groups. */
struct gmember {
	char *key;     /* group name */
	char *host;
	char *id;
	char *name;
};

static int cmp_gmember(const void *a, const void *b)
{
	const struct gmember *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (!c)
		c = strcmp(x->host, y->host);
	if (!c)
		c = strcmp(x->name, y->name);
	if (!c)
		c = strcmp(x->id, y->id);
	return c;
}

struct gset {
	struct gmember *v;
	size_t n, alloc;
};

static void gset_add(struct gset *g, const char *key, const char *host, const char *id,
		     const char *name)
{
	XGROW(g->v, g->alloc, g->n + 1);
	g->v[g->n].key = xstrdup(key);
	g->v[g->n].host = xstrdup(host);
	g->v[g->n].id = xstrdup(id);
	g->v[g->n].name = xstrdup(name ? name : id);
	g->n++;
}

static void gset_release(struct gset *g)
{
	for (size_t i = 0; i < g->n; i++) {
		free(g->v[i].key);
		free(g->v[i].host);
		free(g->v[i].id);
		free(g->v[i].name);
	}
	free(g->v);
}

/* Members of one selector ("compose:P/S", "swarm:N", "label:K=V"). */
static int select_members(struct gset *out, struct store *s, const char *key,
			  const char *sel, struct err *err)
{
	struct store_rows rows = STORE_ROWS_INIT;
	char a[512], b[512];
	size_t len = strlen(sel);
	size_t slash = strcspn(sel, "/"), eq = strcspn(sel, "=");
	int rc;

	a[0] = b[0] = '\0';
	if (!strncmp(sel, "compose:", 8) && slash > 8 && slash < len) {
		snprintf(a, sizeof(a), "%.*s", (int)(slash - 8), sel + 8);
		snprintf(b, sizeof(b), "%s", sel + slash + 1);
		rc = store_query(s, &rows, err,
				 "SELECT h.name, c.id, c.name FROM container c JOIN host h ON h.hid = c.hid"
				 " WHERE c.state = 'running' AND c.compose_project = ?1"
				 " AND c.compose_service = ?2", "ss", a, b);
	} else if (!strncmp(sel, "swarm:", 6)) {
		rc = store_query(s, &rows, err,
				 "SELECT h.name, c.id, c.name FROM container c JOIN host h ON h.hid = c.hid"
				 " WHERE c.state = 'running' AND c.swarm_service = ?1", "s", sel + 6);
	} else if (!strncmp(sel, "label:", 6) && eq > 6 && eq < len) {
		snprintf(a, sizeof(a), "%.*s", (int)(eq - 6), sel + 6);
		snprintf(b, sizeof(b), "%s", sel + eq + 1);
		rc = store_query(s, &rows, err,
				 "SELECT h.name, c.id, c.name FROM container c JOIN host h ON h.hid = c.hid"
				 " WHERE c.state = 'running' AND"
				 " json_extract(c.inspect, '$.Config.Labels.' || json_quote(?1)) = ?2",
				 "ss", a, b);
	} else {
		return err_set(err, ERR_CONFIG, "group '%s': bad containers selector '%s'", key, sel);
	}
	if (rc)
		return rc;
	while ((rc = store_rows_next(&rows)) == 1)
		gset_add(out, key, store_rows_text(&rows, 0), store_rows_text(&rows, 1),
			 store_rows_text(&rows, 2));
	store_rows_done(&rows);
	return rc < 0 ? rc : 0;
}

/* Whether a [group] names this automatic selector itself. */
static bool configured_selector(const struct config *cfg, const char *sel)
{
	for (size_t g = 0; g < cfg->ngroups; g++)
		for (size_t i = 0; cfg->groups[g].containers && cfg->groups[g].containers[i]; i++)
			if (!strcmp(cfg->groups[g].containers[i], sel))
				return true;
	return false;
}

static int load_groups(struct plan_input *in, struct store *s, const struct config *cfg,
		       struct err *err)
{
	struct store_rows rows = STORE_ROWS_INIT;
	struct gset gs = { 0 };
	size_t galloc = 0;
	int rc;

	/* automatic: compose project/service and swarm services with running
	 * members on two hosts or more */
	rc = store_query(s, &rows, err,
			 "WITH m AS (SELECT h.name AS host, c.id, c.name,"
			 "  CASE WHEN c.swarm_service IS NOT NULL THEN 'swarm:' || c.swarm_service"
			 "  ELSE 'compose:' || c.compose_project || '/' || c.compose_service END AS key"
			 " FROM container c JOIN host h ON h.hid = c.hid"
			 " WHERE c.state = 'running' AND (c.swarm_service IS NOT NULL OR"
			 "  (c.compose_project IS NOT NULL AND c.compose_service IS NOT NULL)))"
			 " SELECT key, host, id, name FROM m WHERE key IN"
			 " (SELECT key FROM m GROUP BY key HAVING count(DISTINCT host) >= 2)", NULL);
	if (rc)
		return rc;
	while ((rc = store_rows_next(&rows)) == 1) {
		const char *key = store_rows_text(&rows, 0);

		if (key && !configured_selector(cfg, key))
			gset_add(&gs, key, store_rows_text(&rows, 1), store_rows_text(&rows, 2),
				 store_rows_text(&rows, 3));
	}
	store_rows_done(&rows);
	if (rc < 0)
		goto out;
	rc = 0;
	for (size_t g = 0; g < cfg->ngroups && !rc; g++)
		for (size_t i = 0; !rc && cfg->groups[g].containers && cfg->groups[g].containers[i]; i++)
			rc = select_members(&gs, s, cfg->groups[g].name,
					    cfg->groups[g].containers[i], err);
	if (rc)
		goto out;
	if (gs.n)
		qsort(gs.v, gs.n, sizeof(*gs.v), cmp_gmember);
	for (size_t i = 0; i < gs.n;) {
		size_t j = i;
		struct plan_group *g;
		const struct config_group *cg = NULL;

		for (size_t k = 0; k < cfg->ngroups; k++)
			if (!strcmp(cfg->groups[k].name, gs.v[i].key))
				cg = &cfg->groups[k];
		XGROW(in->groups, galloc, in->ngroups + 1);
		g = &in->groups[in->ngroups++];
		memset(g, 0, sizeof(*g));
		g->name = xstrdup(gs.v[i].key);
		g->configured = cg != NULL;
		for (; j < gs.n && !strcmp(gs.v[j].key, gs.v[i].key); j++) {
			long hi;
			long ci = -1;

			/* one container selected twice (two selectors) counts once */
			if (j > i && !strcmp(gs.v[j].host, gs.v[j - 1].host) &&
			    !strcmp(gs.v[j].id, gs.v[j - 1].id))
				continue;
			hi = host_index(in, gs.v[j].host);
			if (hi >= 0)
				ci = container_index(&in->hosts[hi], gs.v[j].id);
			if (ci < 0) {
				g->nidle++;
				continue;
			}
			g->members = xreallocarray(g->members, g->nmembers + 1, sizeof(*g->members));
			g->members[g->nmembers].host = (size_t)hi;
			g->members[g->nmembers].container = (size_t)ci;
			g->nmembers++;
		}
		{
			int all = (int)(g->nmembers + g->nidle);

			g->min_available = cg && cg->min_available > 0 ? cg->min_available
				: all - 1 > 1 ? all - 1 : 1;
		}
		i = j;
	}
out:
	gset_release(&gs);
	return rc;
}

int plan_load(struct plan *p, struct store *s, const struct config *cfg,
	      int64_t start, int weeks, struct err *err)
{
	struct plan_input *in = &p->in;
	int rc;

	in->start = start;
	in->end = start + (int64_t)weeks * 7 * 86400;
	in->max_down = cfg->max_down > 0 ? cfg->max_down : 1;
	in->soak = cfg->policy.soak > 0 ? cfg->policy.soak : 0;
	if ((rc = load_windows(in, cfg, err)) || (rc = load_hosts(in, s, cfg, err)) ||
	    (rc = load_impact(in, s, cfg, err)) || (rc = load_targets(in, s, err)) ||
	    (rc = load_pins(p, s, err)) || (rc = load_groups(in, s, cfg, err)))
		return rc;
	return 0;
}

/* ---- pins ----------------------------------------------------------- */

static int pin_set(struct store *s, const char *host, const char *kind,
		   const char *window, const char *day, struct err *err)
{
	int rc;

	if ((rc = store_begin(s, err)))
		return rc;
	rc = store_exec(s, err, "DELETE FROM pin WHERE host = ?1 AND (kind = ?2 OR kind = 'exclude'"
			" OR ?2 = 'exclude')", "ss", host, kind);
	if (rc >= 0)
		rc = store_exec(s, err, "INSERT INTO pin (host, kind, window, day, created)"
				" VALUES (?1, ?2, ?3, ?4, ?5)", "ssssi", host, kind, window, day,
				(long long)time(NULL));
	if (rc < 0) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, err);
}

static int check_day(const char *day, struct err *err)
{
	int y, m, d;

	if (day && window_parse_date(&y, &m, &d, day))
		return err_set(err, ERR_USAGE, "bad date '%s' (want YYYY-MM-DD)", day);
	return 0;
}

int plan_pin_window(struct store *s, const char *host, const char *window,
		    const char *day, struct err *err)
{
	int rc = check_day(day, err);

	return rc ? rc : pin_set(s, host, "window", window, day, err);
}

int plan_pin_after(struct store *s, const char *host, const char *day, struct err *err)
{
	int rc = check_day(day, err);

	return rc ? rc : pin_set(s, host, "after", NULL, day, err);
}

int plan_pin_exclude(struct store *s, const char *host, struct err *err)
{
	return pin_set(s, host, "exclude", NULL, NULL, err);
}

int plan_pin_clear(struct store *s, const char *host, int *removed, struct err *err)
{
	int rc = store_exec(s, err, "DELETE FROM pin WHERE host = ?1", "s", host);

	if (rc < 0)
		return rc;
	*removed = rc;
	return 0;
}
