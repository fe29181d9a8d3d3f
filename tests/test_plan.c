/* test_plan.c - unit tests of the planner (src/plan.c): hand-made small
 * fleets with the placements worked out by hand, and property tests on
 * generated fleets (tests/plan_gen.c, many seeds, hundreds of hosts)
 * where an independent checker - brute force over the output, not the
 * planner's own bookkeeping - asserts every invariant of DESIGN.md §8:
 * slots inside an allowed occurrence and outside freezes, fleet and window
 * max-down and group budgets at every instant, each host at most once,
 * pins kept, each host at its earliest feasible start given the hosts
 * ahead of it (so deadlines are met whenever they can be), late and
 * unplaced listed with reasons; and determinism (the JSON of two runs is
 * the same byte for byte). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "plan.h"
#include "plan_gen.h"
#include "store.h"
#include "xalloc.h"

#define M 60
#define H 3600

/* ---- the independent checker ---------------------------------------- */

static const struct plan_input *chk_in;

static int cmp_prio(const void *a, const void *b)
{
	const struct plan_host *x = &chk_in->hosts[*(const size_t *)a];
	const struct plan_host *y = &chk_in->hosts[*(const size_t *)b];
	long long dx = x->deadline ? x->deadline : INT64_MAX;
	long long dy = y->deadline ? y->deadline : INT64_MAX;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (dx != dy)
		return dx < dy ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Members of group g on host h that go down. */
static int members_down(const struct plan_input *in, size_t g, size_t h)
{
	int n = 0;

	for (size_t m = 0; m < in->groups[g].nmembers; m++) {
		const struct plan_member *mb = &in->groups[g].members[m];

		if (mb->host == h && in->hosts[h].containers[mb->container].effect != IMPACT_UNAFFECTED &&
		    in->hosts[h].containers[mb->container].outage != 0)
			n++;
	}
	return n;
}

static bool allowed_window(const struct plan_host *h, size_t w)
{
	if (h->pin_window >= 0)
		return (size_t)h->pin_window == w;
	for (size_t i = 0; i < h->nwindows; i++)
		if (h->windows[i] == w)
			return true;
	return false;
}

static bool allowed_span(const struct plan_host *h, const struct window_occ *o)
{
	return (!h->pin_day || o->day == h->pin_day) && (!h->after_day || o->day > h->after_day);
}

/* Would host h fit at [t, t + len) in window w, given the slots of the
 * hosts in `placed` (n of them)? Counted by brute force at every instant
 * where a count can change. */
static bool fits(const struct plan *p, const size_t *placed, size_t n, size_t h,
		 size_t w, int64_t t, int64_t len)
{
	const struct plan_input *in = &p->in;
	int64_t pts[4096];
	size_t np = 0;

	pts[np++] = t;
	for (size_t i = 0; i < n && np < 4096; i++) {
		const struct plan_slot *s = &p->slots[p->host_slot[placed[i]]];

		if (s->start > t && s->start < t + len)
			pts[np++] = s->start;
	}
	for (size_t k = 0; k < np; k++) {
		int fleet = 1, win = 1;

		for (size_t i = 0; i < n; i++) {
			const struct plan_slot *s = &p->slots[p->host_slot[placed[i]]];

			if (s->start <= pts[k] && pts[k] < s->end) {
				fleet++;
				win += s->window == w;
			}
		}
		if (fleet > in->max_down)
			return false;
		if (in->windows[w].max_down && win > in->windows[w].max_down)
			return false;
		for (size_t g = 0; g < in->ngroups; g++) {
			int d = members_down(in, g, h), down = d;

			if (!d)
				continue;
			for (size_t i = 0; i < n; i++) {
				const struct plan_slot *s = &p->slots[p->host_slot[placed[i]]];

				if (s->start <= pts[k] && pts[k] < s->end)
					down += members_down(in, g, placed[i]);
			}
			if ((int)(in->groups[g].nmembers + in->groups[g].nidle) - down < in->groups[g].min_available)
				return false;
		}
	}
	return true;
}

/* The earliest feasible (start, window) for h given `placed`, scanning
 * every span start and slot end; -1 when none. */
static int64_t earliest(const struct plan *p, const size_t *placed, size_t n, size_t h,
			size_t *wout)
{
	const struct plan_input *in = &p->in;
	const struct plan_host *ph = &in->hosts[h];
	int64_t len = ph->outage + in->soak, best = -1;

	for (size_t w = 0; w < in->nwindows; w++) {
		if (!allowed_window(ph, w))
			continue;
		for (size_t o = 0; o < in->windows[w].nocc; o++) {
			const struct window_occ *oc = &in->windows[w].occ[o];

			if (!allowed_span(ph, oc) || oc->end - oc->start < len)
				continue;
			if (best >= 0 && oc->start >= best)
				continue;
			for (size_t i = 0; i <= n; i++) {
				int64_t t = i == n ? oc->start : p->slots[p->host_slot[placed[i]]].end;

				if (t < oc->start || t + len > oc->end || (best >= 0 && t >= best))
					continue;
				if (fits(p, placed, n, h, w, t, len)) {
					best = t;
					*wout = w;
				}
			}
		}
	}
	return best;
}

static void check_plan(const struct plan *p, bool check_earliest)
{
	const struct plan_input *in = &p->in;
	size_t *order, *seen;
	size_t nplaced = 0;

	seen = xcalloc(in->nhosts + 1, sizeof(*seen));
	/* 1, 4: inside an allowed span, outside freezes, pins, once */
	for (size_t i = 0; i < p->nslots; i++) {
		const struct plan_slot *s = &p->slots[i];
		const struct plan_host *h = &in->hosts[s->host];
		const struct plan_window *w = &in->windows[s->window];
		const struct window_occ *o = &w->occ[s->occ];

		ck_assert_uint_lt(s->host, in->nhosts);
		ck_assert_uint_eq(seen[s->host]++, 0);
		ck_assert(!h->excluded);
		ck_assert_msg(allowed_window(h, s->window), "%s in window %s", h->name, w->name);
		ck_assert(allowed_span(h, o));
		ck_assert_int_ge(s->start, o->start);
		ck_assert_int_le(s->end, o->end);
		ck_assert_int_ge(s->start, in->start);
		ck_assert_int_le(s->end, in->end);
		ck_assert_int_eq(s->end - s->start, h->outage + in->soak);
		ck_assert_int_eq(s->down_end - s->start, h->outage);
		for (size_t f = 0; f < w->nfrozen; f++)
			ck_assert(s->end <= w->frozen[f].start || s->start >= w->frozen[f].end);
		/* 5: late iff the slot ends after the deadline */
		ck_assert_int_eq(s->late, h->deadline && s->end > h->deadline);
		ck_assert_int_ge(s->wave, 1);
		if (i)
			ck_assert_int_le(p->slots[i - 1].start, s->start);
	}
	for (size_t i = 0; i < p->nunplaced; i++) {
		ck_assert_uint_eq(seen[p->unplaced[i].host]++, 0);
		ck_assert_ptr_nonnull(p->unplaced[i].reason);
		ck_assert(p->unplaced[i].reason[0]);
	}
	for (size_t h = 0; h < in->nhosts; h++)
		ck_assert_uint_eq(seen[h], 1);  /* every host placed or unplaced */
	{
		size_t nlate = 0;

		for (size_t i = 0; i < p->nslots; i++)
			nlate += p->slots[i].late;
		ck_assert_uint_eq(nlate, p->nlate);
		for (size_t i = 0; i < p->nlate; i++)
			ck_assert(p->slots[p->host_slot[p->late[i].host]].late);
	}
	/* 2, 3: at every slot start (where counts rise), the limits hold */
	for (size_t i = 0; i < p->nslots; i++) {
		int64_t t = p->slots[i].start;
		int fleet = 0;
		int *win = xcalloc(in->nwindows + 1, sizeof(*win));

		for (size_t j = 0; j < p->nslots; j++)
			if (p->slots[j].start <= t && t < p->slots[j].end) {
				fleet++;
				win[p->slots[j].window]++;
			}
		ck_assert_int_le(fleet, in->max_down);
		for (size_t w = 0; w < in->nwindows; w++)
			if (in->windows[w].max_down)
				ck_assert_int_le(win[w], in->windows[w].max_down);
		free(win);
	}
	for (size_t g = 0; g < in->ngroups; g++) {
		int min_up = (int)(in->groups[g].nmembers + in->groups[g].nidle);

		for (size_t i = 0; i < p->nslots; i++) {
			int64_t t = p->slots[i].start;
			int down = 0;

			for (size_t j = 0; j < p->nslots; j++)
				if (p->slots[j].start <= t && t < p->slots[j].end)
					down += members_down(in, g, p->slots[j].host);
			if ((int)(in->groups[g].nmembers + in->groups[g].nidle) - down < min_up)
				min_up = (int)(in->groups[g].nmembers + in->groups[g].nidle) - down;
		}
		ck_assert_int_eq(p->groups[g].min_up, min_up);
		if (min_up < (int)(in->groups[g].nmembers + in->groups[g].nidle))
			ck_assert_int_ge(min_up, in->groups[g].min_available);
	}
	ck_assert_int_eq(p->service_seconds_down, 0);

	/* earliest start given the hosts ahead, in priority order worked out
	 * here; an unplaced host (other than excluded or budget-impossible
	 * ones) has no feasible start at all */
	order = xcalloc(in->nhosts + 1, sizeof(*order));
	for (size_t i = 0; i < in->nhosts; i++)
		order[i] = i;
	chk_in = in;
	qsort(order, in->nhosts, sizeof(*order), cmp_prio);
	{
		size_t *placed = xcalloc(in->nhosts + 1, sizeof(*placed));

		for (size_t k = 0; k < in->nhosts; k++) {
			size_t h = order[k], w = 0;
			int64_t t;

			if (check_earliest && k % 2 == 0) {
				const struct plan_host *ph = &in->hosts[h];
				bool impossible = false;

				for (size_t g = 0; g < in->ngroups; g++)
					if (members_down(in, g, h) > 0 && members_down(in, g, h) >
					    (int)(in->groups[g].nmembers + in->groups[g].nidle) - in->groups[g].min_available)
						impossible = true;
				t = earliest(p, placed, nplaced, h, &w);
				if (p->host_slot[h] >= 0) {
					ck_assert_msg(t == p->slots[p->host_slot[h]].start,
						      "%s placed at %lld, earliest %lld", ph->name,
						      (long long)p->slots[p->host_slot[h]].start,
						      (long long)t);
				} else if (!ph->excluded && !impossible) {
					ck_assert_msg(t < 0, "%s unplaced but fits at %lld",
						      ph->name, (long long)t);
				}
				if (impossible && !ph->excluded && (ph->nwindows || ph->pin_window >= 0))
					ck_assert_int_lt(p->host_slot[h], 0);
			}
			if (p->host_slot[h] >= 0)
				placed[nplaced++] = h;
		}
		free(placed);
	}
	free(order);
	free(seen);
}

static char *plan_json(const struct plan *p)
{
	struct store *s = NULL;
	struct buf out;
	struct err err;

	buf_init(&out, BUF_MAX_DEFAULT);
	ck_assert_int_eq(store_open(&s, ":memory:", &err), 0);
	if (plan_write_json(p, s, &out, &err))
		ck_abort_msg("plan_write_json: %s", err.msg);
	store_close(s);
	return buf_detach(&out, NULL);
}

/* ---- property tests ------------------------------------------------- */

static void run_seed(uint64_t seed, size_t hosts, bool earliest_check)
{
	struct plan_gen_opts o = {
		.seed = seed, .hosts = hosts, .containers_per_host = 4,
		.groups = hosts / 5, .windows = 2 + seed % 5, .weeks = 3,
		.pins = true, .freezes = seed % 2 == 0, .impossible = true,
	};
	struct plan a, b;
	struct err err;
	char *ja, *jb;

	plan_init(&a);
	plan_init(&b);
	ck_assert_int_eq(plan_gen(&a, &o, &err), 0);
	ck_assert_int_eq(plan_gen(&b, &o, &err), 0);
	ck_assert_int_eq(plan_run(&a, &err), 0);
	ck_assert_int_eq(plan_run(&b, &err), 0);
	check_plan(&a, earliest_check);
	ja = plan_json(&a);
	jb = plan_json(&b);
	ck_assert_str_eq(ja, jb);
	free(ja);
	free(jb);
	plan_release(&a);
	plan_release(&b);
}

START_TEST(generated_fleets)
{
	/* _i: the loop index of tcase_add_loop_test */
	run_seed((uint64_t)_i + 1, 150 + (size_t)(_i % 4) * 50, true);
}
END_TEST

/* Tight limits: one host down at a time, budgets force late. */
START_TEST(generated_tight)
{
	struct plan_gen_opts o = {
		.seed = 1000 + (uint64_t)_i, .hosts = 300, .containers_per_host = 6,
		.groups = 120, .windows = 2, .weeks = 2, .max_down = 1,
		.pins = true, .freezes = true, .impossible = true,
	};
	struct plan p;
	struct err err;

	plan_init(&p);
	ck_assert_int_eq(plan_gen(&p, &o, &err), 0);
	ck_assert_int_eq(plan_run(&p, &err), 0);
	check_plan(&p, true);
	plan_release(&p);
}
END_TEST

/* ---- hand-made cases ---------------------------------------------- */

/* 2026-06-14 (a Sunday) 00:00 UTC */
#define SUN 1781395200LL

static void mk(struct plan *p, size_t nhosts, int max_down, int64_t soak)
{
	struct plan_input *in = &p->in;

	plan_init(p);
	in->start = SUN;
	in->end = SUN + 14 * 86400;
	in->max_down = max_down;
	in->soak = soak;
	in->nwindows = 1;
	in->windows = xcalloc(1, sizeof(*in->windows));
	in->windows[0].name = xstrdup("sunday");
	in->windows[0].timezone = xstrdup("UTC");
	in->windows[0].duration = 4 * H;
	in->windows[0].nocc = 2;
	in->windows[0].occ = xcalloc(2, sizeof(struct window_occ));
	for (int i = 0; i < 2; i++) {
		struct window_occ *o = &in->windows[0].occ[i];

		o->start = o->occ_start = SUN + i * 7 * 86400 + 2 * H;
		o->end = o->occ_end = o->start + 4 * H;
		o->ordinal = i;
		o->day = i ? 20260621 : 20260614;
	}
	in->nhosts = nhosts;
	in->hosts = xcalloc(nhosts, sizeof(*in->hosts));
	for (size_t i = 0; i < nhosts; i++) {
		struct plan_host *h = &in->hosts[i];
		char name[16];

		snprintf(name, sizeof(name), "web-%zu", i + 1);
		h->name = xstrdup(name);
		h->urgency = xstrdup("high");
		h->actions = IMPACT_BIT(IMPACT_REBOOT);
		h->outage = 10 * M;
		h->pin_window = -1;
		h->nwindows = 1;
		h->windows = xcalloc(1, sizeof(size_t));
		h->ncontainers = 1;
		h->containers = xcalloc(1, sizeof(*h->containers));
		h->containers[0].id = xstrdup("0123456789ab");
		h->containers[0].name = xstrdup("shop_web_1");
		h->containers[0].effect = IMPACT_RESTARTS;
		h->containers[0].outage = 140;
		h->containers[0].reason = xstrdup("policy always: restarts after the reboot");
	}
}

static void group_all(struct plan *p, const char *name, int min)
{
	struct plan_input *in = &p->in;
	struct plan_group *g;

	in->groups = xreallocarray(in->groups, in->ngroups + 1, sizeof(*in->groups));
	g = &in->groups[in->ngroups++];
	memset(g, 0, sizeof(*g));
	g->name = xstrdup(name);
	g->min_available = min;
	g->nmembers = in->nhosts;
	g->members = xcalloc(in->nhosts, sizeof(*g->members));
	for (size_t i = 0; i < in->nhosts; i++)
		g->members[i].host = i;
}

/* Three web hosts in one group (min 2), soak 15m: one at a time, each
 * after the previous slot (10m + 15m): 02:00, 02:25, 02:50 in waves 1-3. */
START_TEST(group_forces_waves)
{
	struct plan p;
	struct err err;

	mk(&p, 3, 5, 15 * M);
	group_all(&p, "compose:shop/web", 2);
	ck_assert_int_eq(plan_run(&p, &err), 0);
	ck_assert_uint_eq(p.nslots, 3);
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(p.slots[i].start, SUN + 2 * H + i * 25 * M);
		ck_assert_int_eq(p.slots[i].end, SUN + 2 * H + (i + 1) * 25 * M);
		ck_assert_int_eq(p.slots[i].wave, i + 1);
	}
	ck_assert_str_eq(p.in.hosts[p.slots[0].host].name, "web-1");
	ck_assert_int_eq(p.groups[0].min_up, 2);
	ck_assert_int_eq(p.container_seconds_down, 3 * 140);
	check_plan(&p, true);
	plan_release(&p);
}
END_TEST

/* No group, max-down 2: web-3 (most urgent) and web-1 (deadline) go in
 * wave 1, web-2 in wave 2 at 02:10 (no soak). */
START_TEST(urgency_then_deadline_then_name)
{
	struct plan p;
	struct err err;

	mk(&p, 3, 2, 0);
	p.in.hosts[2].score = 50;
	p.in.hosts[0].deadline = SUN + 20 * 86400;
	ck_assert_int_eq(plan_run(&p, &err), 0);
	ck_assert_uint_eq(p.nslots, 3);
	ck_assert_str_eq(p.in.hosts[p.slots[0].host].name, "web-1");
	ck_assert_str_eq(p.in.hosts[p.slots[1].host].name, "web-3");
	ck_assert_int_eq(p.slots[1].start, SUN + 2 * H);
	ck_assert_int_eq(p.slots[1].wave, 1);
	ck_assert_str_eq(p.in.hosts[p.slots[2].host].name, "web-2");
	ck_assert_int_eq(p.slots[2].start, SUN + 2 * H + 10 * M);
	ck_assert_int_eq(p.slots[2].wave, 2);
	plan_release(&p);
}
END_TEST

/* A group of one container with min 1 can never be met: reported before
 * planning, its host unplaced with the reason, the other host planned. */
START_TEST(budget_impossible)
{
	struct plan p;
	struct plan_group *g;
	struct err err;

	mk(&p, 2, 5, 0);
	p.in.ngroups = 1;
	p.in.groups = xcalloc(1, sizeof(*p.in.groups));
	g = &p.in.groups[0];
	g->name = xstrdup("db");
	g->configured = true;
	g->min_available = 1;
	g->nmembers = 1;
	g->members = xcalloc(1, sizeof(*g->members));
	g->members[0].host = 1;
	ck_assert_int_eq(plan_run(&p, &err), 0);
	ck_assert_uint_eq(p.nslots, 1);
	ck_assert_uint_eq(p.nunplaced, 1);
	ck_assert_str_eq(p.in.hosts[p.unplaced[0].host].name, "web-2");
	ck_assert_str_eq(p.unplaced[0].reason,
			 "budget impossible: group 'db' has 1 member and needs 1 available");
	ck_assert_uint_eq(p.nwarnings, 1);
	ck_assert_str_eq(p.warnings[0],
			 "group 'db' has 1 member and needs 1 available: its hosts are not planned");
	ck_assert(p.groups[0].impossible);
	plan_release(&p);
}
END_TEST

/* Window max-down 1 with 30-minute outages and a 4h window: 8 hosts fit
 * the first Sunday, the ninth goes a week later and misses its deadline
 * of the first Monday: listed late with the reason. */
START_TEST(deadline_late)
{
	struct plan p;
	struct err err;

	mk(&p, 9, 5, 0);
	p.in.windows[0].max_down = 1;
	for (size_t i = 0; i < 9; i++)
		p.in.hosts[i].outage = 30 * M;
	p.in.hosts[8].deadline = SUN + 86400;
	p.in.hosts[8].score = -1;
	ck_assert_int_eq(plan_run(&p, &err), 0);
	ck_assert_uint_eq(p.nslots, 9);
	ck_assert_uint_eq(p.nlate, 1);
	ck_assert_str_eq(p.in.hosts[p.late[0].host].name, "web-9");
	ck_assert_str_eq(p.late[0].reason,
			 "no valid slot ends by the deadline 2026-06-15T00:00:00+00:00; "
			 "earliest valid slot ends 2026-06-21T02:30:00+00:00");
	ck_assert_int_eq(p.slots[p.host_slot[8]].start, SUN + 7 * 86400 + 2 * H);
	check_plan(&p, true);
	plan_release(&p);
}
END_TEST

START_TEST(pins)
{
	struct plan p;
	struct err err;

	mk(&p, 5, 5, 0);
	p.in.hosts[0].excluded = true;
	p.in.hosts[1].pin_window = 0;
	p.in.hosts[1].pin_day = 20260621;
	p.in.hosts[2].after_day = 20260614;
	p.in.hosts[3].pin_window = 0;
	p.in.hosts[3].pin_day = 20260615;
	p.in.hosts[4].nwindows = 0;
	ck_assert_int_eq(plan_run(&p, &err), 0);
	ck_assert_uint_eq(p.nslots, 2);
	ck_assert_int_eq(p.slots[p.host_slot[1]].start, SUN + 7 * 86400 + 2 * H);
	ck_assert_int_eq(p.slots[p.host_slot[2]].start, SUN + 7 * 86400 + 2 * H);
	ck_assert_uint_eq(p.nunplaced, 3);
	ck_assert_str_eq(p.unplaced[0].reason, "excluded by pin");
	ck_assert_str_eq(p.unplaced[1].reason,
			 "pinned window 'sunday' has no occurrence on 2026-06-15 in the horizon");
	ck_assert_str_eq(p.unplaced[2].reason, "no window matches host");
	check_plan(&p, true);
	plan_release(&p);
}
END_TEST

/* A slot longer than the window, and a full horizon. */
START_TEST(unplaced_reasons)
{
	struct plan p;
	struct err err;

	mk(&p, 3, 1, 0);
	p.in.hosts[0].outage = 5 * H;
	p.in.hosts[1].outage = 4 * H;
	p.in.hosts[2].outage = 4 * H;
	ck_assert_int_eq(plan_run(&p, &err), 0);
	ck_assert_uint_eq(p.nslots, 2);
	ck_assert_uint_eq(p.nunplaced, 1);
	ck_assert_str_eq(p.unplaced[0].reason,
			 "slot of 5h (outage and soak) is longer than every occurrence "
			 "of its windows (longest 4h)");
	plan_release(&p);

	mk(&p, 3, 1, 0);
	for (int i = 0; i < 3; i++)
		p.in.hosts[i].outage = 4 * H;
	ck_assert_int_eq(plan_run(&p, &err), 0);
	ck_assert_uint_eq(p.nunplaced, 1);
	ck_assert_str_eq(p.in.hosts[p.unplaced[0].host].name, "web-3");
	ck_assert_str_eq(p.unplaced[0].reason,
			 "no room in the horizon: every occurrence of its windows is full "
			 "(fleet max-down 1)");
	plan_release(&p);
}
END_TEST

START_TEST(bad_input_rejected)
{
	struct plan p;
	struct err err;

	mk(&p, 2, 5, 0);
	free(p.in.hosts[1].name);
	p.in.hosts[1].name = xstrdup("web-0");
	err_clear(&err);
	ck_assert_int_eq(plan_run(&p, &err), ERR_FAIL);
	ck_assert_str_eq(err.msg, "plan: hosts not sorted at 'web-0'");
	ck_assert_uint_eq(p.nslots, 0);
	plan_release(&p);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("plan");
	TCase *tc = tcase_create("hand");
	TCase *gen = tcase_create("generated");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, group_forces_waves);
	tcase_add_test(tc, urgency_then_deadline_then_name);
	tcase_add_test(tc, budget_impossible);
	tcase_add_test(tc, deadline_late);
	tcase_add_test(tc, pins);
	tcase_add_test(tc, unplaced_reasons);
	tcase_add_test(tc, bad_input_rejected);
	suite_add_tcase(s, tc);
	tcase_set_timeout(gen, 600);
	tcase_add_loop_test(gen, generated_fleets, 0, 40);
	tcase_add_loop_test(gen, generated_tight, 0, 10);
	suite_add_tcase(s, gen);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
