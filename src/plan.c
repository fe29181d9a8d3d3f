/* plan.c - the planning algorithm of DESIGN.md §8 over a plain input
 * (plan.h describes the rules). Down counts over time (fleet, per window,
 * per group) are kept as step functions: sorted breakpoint arrays, so a
 * feasibility check looks only at the breakpoints inside the candidate
 * slot and a blocked candidate jumps straight to the next instant the count
 * drops. */
#include "plan.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"
#include "banned.h"

/* ---- step functions ------------------------------------------------ */

struct bp {
	int64_t t;
	int c;       /* the count on [t, next breakpoint) */
};

/* Count 0 before the first breakpoint and after the last one (every
 * interval added ends). */
struct timeline {
	struct bp *v;
	size_t n, alloc;
};

/* The number of breakpoints at or before t. */
static size_t tl_upper(const struct timeline *tl, int64_t t)
{
	size_t lo = 0, hi = tl->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (tl->v[mid].t <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Makes sure a breakpoint sits at t; returns its index. */
static size_t tl_split(struct timeline *tl, int64_t t)
{
	size_t i = tl_upper(tl, t);

	if (i > 0 && tl->v[i - 1].t == t)
		return i - 1;
	XGROW(tl->v, tl->alloc, tl->n + 1);
	memmove(tl->v + i + 1, tl->v + i, (tl->n - i) * sizeof(*tl->v));
	tl->v[i].t = t;
	tl->v[i].c = i > 0 ? tl->v[i - 1].c : 0;
	tl->n++;
	return i;
}

static void tl_add(struct timeline *tl, int64_t a, int64_t b, int d)
{
	size_t i = tl_split(tl, a), j = tl_split(tl, b);

	for (; i < j; i++)
		tl->v[i].c += d;
}

/* 0 when the count stays <= cap on [a, b); else the first instant after
 * the first excess at which the count is back at or below cap (INT64_MAX:
 * never). */
static int64_t tl_block(const struct timeline *tl, int64_t a, int64_t b, int cap)
{
	size_t i = tl_upper(tl, a);
	int c = i ? tl->v[i - 1].c : 0;

	/* the count at a, then at each breakpoint inside (a, b) */
	while (c <= cap) {
		if (i >= tl->n || tl->v[i].t >= b)
			return 0;
		c = tl->v[i++].c;
	}
	for (; i < tl->n; i++)
		if (tl->v[i].c <= cap)
			return tl->v[i].t;
	return INT64_MAX;
}

static int tl_max(const struct timeline *tl)
{
	int m = 0;

	for (size_t i = 0; i < tl->n; i++)
		if (tl->v[i].c > m)
			m = tl->v[i].c;
	return m;
}

/* Total time the count is at least k. */
static int64_t tl_time_at_least(const struct timeline *tl, int k)
{
	int64_t sum = 0;

	for (size_t i = 0; i + 1 < tl->n; i++)
		if (tl->v[i].c >= k)
			sum += tl->v[i + 1].t - tl->v[i].t;
	return sum;
}

static void tl_release(struct timeline *tl)
{
	free(tl->v);
	memset(tl, 0, sizeof(*tl));
}

/* ---- helpers -------------------------------------------------------- */

bool plan_container_down(const struct plan_container *c)
{
	/* outage 0 with an effect: not running now, so it loses nothing
	 * (impact.h) */
	return c->effect != IMPACT_UNAFFECTED && c->outage != 0;
}

size_t plan_slot_down_count(const struct plan *p, const struct plan_slot *sl)
{
	const struct plan_host *h = &p->in.hosts[sl->host];
	size_t n = 0;

	for (size_t i = 0; i < h->ncontainers; i++)
		n += plan_container_down(&h->containers[i]);
	return n;
}

const char *plan_slot_timezone(const struct plan *p, const struct plan_slot *sl)
{
	return p->in.windows[sl->window].timezone;
}

void plan_actions_text(char out[IMPACT_ACTIONS_TEXT_MAX], impact_actions a)
{
	size_t len = 0;

	out[0] = '\0';
	for (int i = 0; i < IMPACT_ACTION_COUNT; i++) {
		if (!(a & IMPACT_BIT(i)))
			continue;
		len += (size_t)snprintf(out + len, IMPACT_ACTIONS_TEXT_MAX - len, "%s%s",
					len ? ", " : "", impact_action_name((enum impact_action)i));
		if (len >= IMPACT_ACTIONS_TEXT_MAX)
			return;
	}
	if (!len)
		snprintf(out, IMPACT_ACTIONS_TEXT_MAX, "none");
}

static void fmt_duration(char *out, size_t size, int64_t s)
{
	if (s % 3600 == 0 && s >= 3600)
		snprintf(out, size, "%" PRId64 "h", s / 3600);
	else if (s % 60 == 0)
		snprintf(out, size, "%" PRId64 "m", s / 60);
	else
		snprintf(out, size, "%" PRId64 "s", s);
}

static void fmt_day(char *out, size_t size, int day)
{
	snprintf(out, size, "%04d-%02d-%02d", day / 10000, day / 100 % 100, day % 100);
}

static char *xprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xprintf(const char *fmt, ...)
{
	char tmp[ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	return xstrdup(tmp);
}

/* ---- lifecycle ------------------------------------------------------ */

void plan_init(struct plan *p)
{
	memset(p, 0, sizeof(*p));
}

static void input_release(struct plan_input *in)
{
	for (size_t i = 0; i < in->nwindows; i++) {
		struct plan_window *w = &in->windows[i];

		free(w->name);
		free(w->timezone);
		free(w->rrule);
		free(w->occ);
		free(w->frozen);
	}
	free(in->windows);
	for (size_t i = 0; i < in->nhosts; i++) {
		struct plan_host *h = &in->hosts[i];

		free(h->name);
		free(h->urgency);
		free(h->windows);
		for (size_t j = 0; j < h->ncontainers; j++) {
			free(h->containers[j].id);
			free(h->containers[j].name);
			free(h->containers[j].reason);
		}
		free(h->containers);
		for (size_t j = 0; j < h->ntargets; j++) {
			free(h->targets[j].component);
			free(h->targets[j].package);
			free(h->targets[j].version);
		}
		free(h->targets);
	}
	free(in->hosts);
	for (size_t i = 0; i < in->ngroups; i++) {
		free(in->groups[i].name);
		free(in->groups[i].members);
	}
	free(in->groups);
}

void plan_release(struct plan *p)
{
	if (!p)
		return;
	input_release(&p->in);
	free(p->slots);
	for (size_t i = 0; i < p->nlate; i++)
		free(p->late[i].reason);
	free(p->late);
	for (size_t i = 0; i < p->nunplaced; i++)
		free(p->unplaced[i].reason);
	free(p->unplaced);
	free(p->groups);
	for (size_t i = 0; i < p->nwarnings; i++)
		free(p->warnings[i]);
	free(p->warnings);
	free(p->host_slot);
	plan_init(p);
}

/* ---- the algorithm -------------------------------------------------- */

/* A host's demand on a group: how many members it takes down. */
struct demand {
	size_t host;
	size_t group;
	int d;
};

/* The smallest slot length for which a span had no room by fleet and
 * window limits alone: capacity only shrinks as slots are added, so any
 * host at least that long can skip the span. */
struct capfail {
	int64_t len;
	bool fleet, window;
};

struct run {
	struct plan *p;
	struct timeline fleet;
	struct timeline *win;       /* per window */
	struct timeline *grp;       /* per group */
	int *budget;                /* per group: members that may be down */
	struct demand *dem;         /* sorted by host, group */
	size_t ndem;
	size_t *dem_first;          /* per host: first index into dem */
	char **impossible;          /* per host: budget reason, or NULL */
	struct capfail **capfail;   /* per window, per span */
	size_t nslots_alloc;
};

static int cmp_group(const void *a, const void *b)
{
	const struct plan_group *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	if (x->configured != y->configured)
		return x->configured ? 1 : -1;
	return (x->nmembers > y->nmembers) - (x->nmembers < y->nmembers);
}

static int cmp_demand(const void *a, const void *b)
{
	const struct demand *x = a, *y = b;

	if (x->host != y->host)
		return x->host < y->host ? -1 : 1;
	return (x->group > y->group) - (x->group < y->group);
}

static const struct plan_host *sort_hosts;

static int cmp_priority(const void *a, const void *b)
{
	const struct plan_host *x = &sort_hosts[*(const size_t *)a];
	const struct plan_host *y = &sort_hosts[*(const size_t *)b];
	int64_t dx = x->deadline ? x->deadline : INT64_MAX;
	int64_t dy = y->deadline ? y->deadline : INT64_MAX;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (dx != dy)
		return dx < dy ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int validate(const struct plan_input *in, struct err *err)
{
	if (in->max_down < 1)
		return err_set(err, ERR_FAIL, "plan: max-down must be at least 1");
	for (size_t i = 0; i < in->nhosts; i++) {
		const struct plan_host *h = &in->hosts[i];

		if (i > 0 && strcmp(in->hosts[i - 1].name, h->name) >= 0)
			return err_set(err, ERR_FAIL, "plan: hosts not sorted at '%s'", h->name);
		for (size_t j = 0; j < h->nwindows; j++)
			if (h->windows[j] >= in->nwindows)
				return err_set(err, ERR_FAIL, "plan: host '%s': bad window", h->name);
		if (h->pin_window >= (long)in->nwindows)
			return err_set(err, ERR_FAIL, "plan: host '%s': bad pinned window", h->name);
	}
	for (size_t g = 0; g < in->ngroups; g++)
		for (size_t m = 0; m < in->groups[g].nmembers; m++) {
			const struct plan_member *mb = &in->groups[g].members[m];

			if (mb->host >= in->nhosts ||
			    mb->container >= in->hosts[mb->host].ncontainers)
				return err_set(err, ERR_FAIL, "plan: group '%s': bad member",
					       in->groups[g].name);
		}
	return 0;
}

static void add_warning(struct plan *p, char *msg)
{
	p->warnings = xreallocarray(p->warnings, p->nwarnings + 1, sizeof(*p->warnings));
	p->warnings[p->nwarnings++] = msg;
}

/* Demands per host and group, and the budgets that can never be met. */
static void budgets(struct run *r)
{
	struct plan *p = r->p;
	const struct plan_input *in = &p->in;
	size_t n = 0, alloc = 0, k;

	r->budget = xcalloc(in->ngroups ? in->ngroups : 1, sizeof(*r->budget));
	for (size_t g = 0; g < in->ngroups; g++) {
		const struct plan_group *gr = &in->groups[g];

		r->budget[g] = (int)(gr->nmembers + gr->nidle) - gr->min_available;
		for (size_t m = 0; m < gr->nmembers; m++) {
			const struct plan_member *mb = &gr->members[m];

			if (!plan_container_down(&in->hosts[mb->host].containers[mb->container]))
				continue;
			XGROW(r->dem, alloc, n + 1);
			r->dem[n].host = mb->host;
			r->dem[n].group = g;
			r->dem[n].d = 1;
			n++;
		}
	}
	if (n)
		qsort(r->dem, n, sizeof(*r->dem), cmp_demand);
	/* merge duplicates */
	k = 0;
	for (size_t i = 0; i < n; i++) {
		if (k && r->dem[k - 1].host == r->dem[i].host &&
		    r->dem[k - 1].group == r->dem[i].group)
			r->dem[k - 1].d += r->dem[i].d;
		else
			r->dem[k++] = r->dem[i];
	}
	r->ndem = k;
	r->dem_first = xcalloc(in->nhosts + 1, sizeof(*r->dem_first));
	for (size_t h = 0, i = 0; h <= in->nhosts; h++) {
		while (i < r->ndem && r->dem[i].host < h)
			i++;
		r->dem_first[h] = i;
	}
	r->impossible = xcalloc(in->nhosts ? in->nhosts : 1, sizeof(*r->impossible));
	for (size_t g = 0; g < in->ngroups; g++) {
		const struct plan_group *gr = &in->groups[g];
		bool warned = false;

		for (size_t i = 0; i < r->ndem; i++) {
			const struct demand *dm = &r->dem[i];
			char *why;

			if (dm->group != g || dm->d <= r->budget[g])
				continue;
			size_t all = gr->nmembers + gr->nidle;

			if (r->budget[g] <= 0)
				why = xprintf("group '%s' has %zu member%s and needs %d available",
					      gr->name, all, all == 1 ? "" : "s",
					      gr->min_available);
			else
				why = xprintf("group '%s' has %zu members and needs %d available, "
					      "%d of them on host '%s'", gr->name, all,
					      gr->min_available, dm->d, in->hosts[dm->host].name);
			if (!r->impossible[dm->host])
				r->impossible[dm->host] = xprintf("budget impossible: %s", why);
			if (!warned)
				add_warning(p, xprintf("%s: %s not planned", why,
						       r->budget[g] <= 0 ? "its hosts are"
						       : "that host is"));
			else if (r->budget[g] > 0)
				add_warning(p, xprintf("%s: that host is not planned", why));
			warned = true;
			p->groups[g].impossible = true;
			free(why);
		}
	}
}

/* Why a host that found no slot was not placed. */
struct failure {
	size_t spans;        /* spans its pins allow */
	size_t fitting;      /* of those, long enough */
	int64_t longest;
	bool fleet, window, group;
	size_t group_idx;
	size_t window_idx;
};

static bool span_allowed(const struct plan_host *h, const struct window_occ *o)
{
	if (h->pin_day && o->day != h->pin_day)
		return false;
	if (h->after_day && o->day <= h->after_day)
		return false;
	return true;
}

/* Tries to place host hi in span o of window w; returns the start or -1. */
static int64_t try_span(struct run *r, size_t hi, size_t w, size_t oi,
			int64_t len, struct failure *f)
{
	const struct plan_input *in = &r->p->in;
	const struct window_occ *o = &in->windows[w].occ[oi];
	int wmax = in->windows[w].max_down;
	int64_t t = o->start;
	bool group_blocked = false;

	struct capfail *cf = &r->capfail[w][oi];
	bool fleet = false, window = false;

	if (len >= cf->len) {
		f->fleet |= cf->fleet;
		if (cf->window) {
			f->window = true;
			f->window_idx = w;
		}
		return -1;
	}
	while (t + len <= o->end) {
		int64_t nt = tl_block(&r->fleet, t, t + len, in->max_down - 1);

		if (nt)
			fleet = true;
		if (!nt && wmax > 0) {
			nt = tl_block(&r->win[w], t, t + len, wmax - 1);
			if (nt)
				window = true;
		}
		for (size_t i = r->dem_first[hi]; !nt && i < r->dem_first[hi + 1]; i++) {
			const struct demand *dm = &r->dem[i];

			nt = tl_block(&r->grp[dm->group], t, t + len, r->budget[dm->group] - dm->d);
			if (nt) {
				if (!f->group)
					f->group_idx = dm->group;
				f->group = true;
				group_blocked = true;
			}
		}
		if (!nt)
			return t;
		if (nt == INT64_MAX)
			break;
		t = nt;
	}
	f->fleet |= fleet;
	if (window) {
		f->window = true;
		f->window_idx = w;
	}
	if (!group_blocked && len < cf->len) {
		cf->len = len;
		cf->fleet = fleet;
		cf->window = window;
	}
	return -1;
}

static void place(struct run *r, size_t hi, size_t w, size_t oi, int64_t t)
{
	struct plan *p = r->p;
	const struct plan_host *h = &p->in.hosts[hi];
	struct plan_slot *sl;
	int64_t end = t + h->outage + p->in.soak;

	XGROW(p->slots, r->nslots_alloc, p->nslots + 1);
	sl = &p->slots[p->nslots];
	memset(sl, 0, sizeof(*sl));
	sl->host = hi;
	sl->window = w;
	sl->occ = oi;
	sl->start = t;
	sl->down_end = t + h->outage;
	sl->end = end;
	p->host_slot[hi] = (long)p->nslots;
	p->nslots++;
	tl_add(&r->fleet, t, end, 1);
	tl_add(&r->win[w], t, end, 1);
	for (size_t i = r->dem_first[hi]; i < r->dem_first[hi + 1]; i++)
		tl_add(&r->grp[r->dem[i].group], t, end, r->dem[i].d);
}

static void add_miss(struct plan_miss **v, size_t *n, size_t host, char *reason)
{
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[*n].host = host;
	(*v)[*n].reason = reason;
	(*n)++;
}

static char *unplaced_reason(const struct run *r, size_t hi, const struct failure *f,
			     const size_t *wins, size_t nw)
{
	const struct plan_input *in = &r->p->in;
	const struct plan_host *h = &in->hosts[hi];
	char a[32], b[32];
	size_t nocc = 0, nfrozen = 0;

	for (size_t i = 0; i < nw; i++) {
		nocc += in->windows[wins[i]].nocc;
		nfrozen += in->windows[wins[i]].nfrozen;
	}
	if (h->pin_day && !f->spans) {
		fmt_day(a, sizeof(a), h->pin_day);
		return xprintf("pinned window '%s' has no occurrence on %s in the horizon",
			       in->windows[h->pin_window].name, a);
	}
	if (h->after_day && !f->spans && nocc) {
		fmt_day(a, sizeof(a), h->after_day);
		return xprintf("postponed past %s: no occurrence of its window%s after it "
			       "in the horizon", a, nw == 1 ? "" : "s");
	}
	if (!nocc && nfrozen)
		return xprintf("frozen: every occurrence of its window%s in the horizon "
			       "falls in a freeze", nw == 1 ? "" : "s");
	if (!f->spans) {
		if (h->pin_window >= 0)
			return xprintf("pinned window '%s' has no occurrence in the horizon",
				       in->windows[h->pin_window].name);
		return xprintf("no occurrence of its window%s in the horizon",
			       nw == 1 ? "" : "s");
	}
	if (!f->fitting) {
		fmt_duration(a, sizeof(a), h->outage + in->soak);
		fmt_duration(b, sizeof(b), f->longest);
		return xprintf("slot of %s (outage and soak) is longer than every "
			       "occurrence of its windows (longest %s)", a, b);
	}
	{
		char why[256];
		size_t len = 0;

		why[0] = '\0';
		if (f->fleet)
			len += (size_t)snprintf(why + len, sizeof(why) - len,
						"fleet max-down %d", in->max_down);
		if (f->window && len < sizeof(why))
			len += (size_t)snprintf(why + len, sizeof(why) - len,
						"%swindow '%s' max-down %d", len ? ", " : "",
						in->windows[f->window_idx].name,
						in->windows[f->window_idx].max_down);
		if (f->group && len < sizeof(why))
			snprintf(why + len, sizeof(why) - len, "%sgroup '%s' min-available %d",
				 len ? ", " : "", in->groups[f->group_idx].name,
				 in->groups[f->group_idx].min_available);
		return xprintf("no room in the horizon: every occurrence of its windows "
			       "is full (%s)", why);
	}
}

/* Places host hi at its earliest feasible start, or records why not. */
static void plan_host(struct run *r, size_t hi)
{
	struct plan *p = r->p;
	const struct plan_input *in = &p->in;
	const struct plan_host *h = &in->hosts[hi];
	struct failure f = { 0 };
	size_t pinned, nw, *pos, fw = 0, fo = 0;
	int64_t found = -1;
	const size_t *wins;
	int64_t len = h->outage + in->soak;

	if (h->excluded) {
		add_miss(&p->unplaced, &p->nunplaced, hi, xstrdup("excluded by pin"));
		return;
	}
	if (h->pin_window >= 0) {
		pinned = (size_t)h->pin_window;
		wins = &pinned;
		nw = 1;
	} else {
		wins = h->windows;
		nw = h->nwindows;
	}
	if (!nw) {
		add_miss(&p->unplaced, &p->nunplaced, hi, xstrdup("no window matches host"));
		return;
	}
	if (r->impossible[hi]) {
		add_miss(&p->unplaced, &p->nunplaced, hi, xstrdup(r->impossible[hi]));
		return;
	}
	pos = xcalloc(nw, sizeof(*pos));
	/* merge the windows' spans in time order (ties: lower window index);
	 * spans of different windows can overlap, so the earliest start may
	 * lie in a span that starts later than one already tried: keep the
	 * best until spans start after it */
	for (;;) {
		size_t best = SIZE_MAX, w, oi;
		const struct window_occ *o;
		int64_t t;

		for (size_t i = 0; i < nw; i++) {
			const struct plan_window *pw = &in->windows[wins[i]];

			if (pos[i] >= pw->nocc)
				continue;
			if (best == SIZE_MAX ||
			    pw->occ[pos[i]].start < in->windows[wins[best]].occ[pos[best]].start)
				best = i;
		}
		if (best == SIZE_MAX)
			break;
		w = wins[best];
		oi = pos[best]++;
		o = &in->windows[w].occ[oi];
		if (found >= 0 && o->start >= found)
			break;
		if (!span_allowed(h, o))
			continue;
		f.spans++;
		if (o->end - o->start > f.longest)
			f.longest = o->end - o->start;
		if (o->end - o->start < len)
			continue;
		f.fitting++;
		t = try_span(r, hi, w, oi, len, &f);
		if (t >= 0 && (found < 0 || t < found)) {
			found = t;
			fw = w;
			fo = oi;
		}
	}
	free(pos);
	if (found >= 0) {
		place(r, hi, fw, fo, found);
		return;
	}
	add_miss(&p->unplaced, &p->nunplaced, hi, unplaced_reason(r, hi, &f, wins, nw));
}

static const struct plan *sort_plan;

static int cmp_wave(const void *a, const void *b)
{
	const struct plan_slot *x = a, *y = b;
	const struct plan_input *in = &sort_plan->in;
	int ox = in->windows[x->window].occ[x->occ].ordinal;
	int oy = in->windows[y->window].occ[y->occ].ordinal;

	if (x->window != y->window)
		return x->window < y->window ? -1 : 1;
	if (ox != oy)
		return ox < oy ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return strcmp(in->hosts[x->host].name, in->hosts[y->host].name);
}

static int cmp_slot(const void *a, const void *b)
{
	const struct plan_slot *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return strcmp(sort_plan->in.hosts[x->host].name, sort_plan->in.hosts[y->host].name);
}

static int cmp_miss(const void *a, const void *b)
{
	const struct plan_miss *x = a, *y = b;

	return (x->host > y->host) - (x->host < y->host);
}

static void finish(struct run *r)
{
	struct plan *p = r->p;
	const struct plan_input *in = &p->in;

	/* waves: distinct starts within one occurrence */
	sort_plan = p;
	if (p->nslots)
		qsort(p->slots, p->nslots, sizeof(*p->slots), cmp_wave);
	for (size_t i = 0; i < p->nslots; i++) {
		struct plan_slot *s = &p->slots[i], *prev = i ? &p->slots[i - 1] : NULL;

		if (prev && prev->window == s->window &&
		    in->windows[prev->window].occ[prev->occ].ordinal ==
		    in->windows[s->window].occ[s->occ].ordinal)
			s->wave = prev->wave + (prev->start != s->start);
		else
			s->wave = 1;
	}
	if (p->nslots)
		qsort(p->slots, p->nslots, sizeof(*p->slots), cmp_slot);
	for (size_t i = 0; i < in->nhosts; i++)
		p->host_slot[i] = -1;
	/* deadlines */
	for (size_t i = 0; i < p->nslots; i++) {
		struct plan_slot *s = &p->slots[i];
		const struct plan_host *h = &in->hosts[s->host];
		const char *tz = in->windows[s->window].timezone;
		char d[WINDOW_TIME_MAX], e[WINDOW_TIME_MAX];

		p->host_slot[s->host] = (long)i;
		if (!h->deadline || s->end <= h->deadline)
			continue;
		s->late = true;
		window_format_time(d, h->deadline, tz);
		window_format_time(e, s->end, tz);
		if (h->deadline <= in->start)
			add_miss(&p->late, &p->nlate, s->host,
				 xprintf("deadline %s passed before the plan starts; earliest "
					 "valid slot ends %s", d, e));
		else
			add_miss(&p->late, &p->nlate, s->host,
				 xprintf("no valid slot ends by the deadline %s; earliest "
					 "valid slot ends %s", d, e));
	}
	if (p->nlate)
		qsort(p->late, p->nlate, sizeof(*p->late), cmp_miss);
	if (p->nunplaced)
		qsort(p->unplaced, p->nunplaced, sizeof(*p->unplaced), cmp_miss);
	/* groups and totals */
	for (size_t g = 0; g < in->ngroups; g++) {
		int n = (int)(in->groups[g].nmembers + in->groups[g].nidle);

		p->groups[g].min_up = n - tl_max(&r->grp[g]);
		if (n > 0)
			p->service_seconds_down += tl_time_at_least(&r->grp[g], n);
	}
	for (size_t i = 0; i < p->nslots; i++) {
		const struct plan_host *h = &in->hosts[p->slots[i].host];

		for (size_t c = 0; c < h->ncontainers; c++) {
			const struct plan_container *pc = &h->containers[c];

			if (!plan_container_down(pc))
				continue;
			p->container_seconds_down += pc->outage == IMPACT_OUTAGE_UNBOUNDED ||
				pc->outage > h->outage ? h->outage : pc->outage;
		}
	}
}

int plan_run(struct plan *p, struct err *err)
{
	struct plan_input *in = &p->in;
	struct run r = { .p = p };
	size_t *order = NULL;
	int rc;

	rc = validate(in, err);
	if (rc)
		return rc;
	/* groups by name; members keep their (host, container) indexes */
	if (in->ngroups)
		qsort(in->groups, in->ngroups, sizeof(*in->groups), cmp_group);
	p->groups = xcalloc(in->ngroups ? in->ngroups : 1, sizeof(*p->groups));
	p->host_slot = xcalloc(in->nhosts ? in->nhosts : 1, sizeof(*p->host_slot));
	for (size_t i = 0; i < in->nhosts; i++)
		p->host_slot[i] = -1;
	r.win = xcalloc(in->nwindows ? in->nwindows : 1, sizeof(*r.win));
	r.grp = xcalloc(in->ngroups ? in->ngroups : 1, sizeof(*r.grp));
	r.capfail = xcalloc(in->nwindows ? in->nwindows : 1, sizeof(*r.capfail));
	for (size_t w = 0; w < in->nwindows; w++) {
		r.capfail[w] = xcalloc(in->windows[w].nocc ? in->windows[w].nocc : 1,
				       sizeof(**r.capfail));
		for (size_t o = 0; o < in->windows[w].nocc; o++)
			r.capfail[w][o].len = INT64_MAX;
	}
	budgets(&r);

	order = xcalloc(in->nhosts ? in->nhosts : 1, sizeof(*order));
	for (size_t i = 0; i < in->nhosts; i++)
		order[i] = i;
	sort_hosts = in->hosts;
	if (in->nhosts)
		qsort(order, in->nhosts, sizeof(*order), cmp_priority);
	for (size_t i = 0; i < in->nhosts; i++)
		plan_host(&r, order[i]);
	finish(&r);

	free(order);
	tl_release(&r.fleet);
	for (size_t w = 0; w < in->nwindows; w++) {
		tl_release(&r.win[w]);
		free(r.capfail[w]);
	}
	for (size_t g = 0; g < in->ngroups; g++)
		tl_release(&r.grp[g]);
	for (size_t i = 0; i < in->nhosts; i++)
		free(r.impossible[i]);
	free(r.impossible);
	free(r.win);
	free(r.grp);
	free(r.capfail);
	free(r.budget);
	free(r.dem);
	free(r.dem_first);
	return 0;
}
