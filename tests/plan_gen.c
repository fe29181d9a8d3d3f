/* plan_gen.c - random, reproducible planner inputs (plan_gen.h). A
 * xorshift generator seeded per fleet, so a failing seed can be replayed. */
#include "plan_gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "window.h"
#include "xalloc.h"

static uint64_t rnd(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

static size_t below(uint64_t *s, size_t n)
{
	return n ? (size_t)(rnd(s) % n) : 0;
}

static char *fmt(const char *f, size_t a) __attribute__((format(printf, 1, 0)));
static char *fmt(const char *f, size_t a)
{
	char tmp[80];

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	snprintf(tmp, sizeof(tmp), f, a);
#pragma GCC diagnostic pop
	return xstrdup(tmp);
}

/* 2026-06-08 00:00 UTC, a Monday */
#define GEN_START 1780876800LL

int plan_gen(struct plan *p, const struct plan_gen_opts *o, struct err *err)
{
	static const char *const rules[] = {
		"FREQ=WEEKLY;BYDAY=SU", "FREQ=DAILY", "FREQ=WEEKLY;BYDAY=TU,TH",
		"FREQ=MONTHLY;BYDAY=2TU", "FREQ=MONTHLY;BYMONTHDAY=15",
		"FREQ=WEEKLY;BYDAY=SA,SU", "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE",
	};
	static const char *const zones[] = { "UTC", "Europe/Berlin", "America/New_York",
					     "Asia/Tokyo" };
	static const char *const levels[] = { "critical", "high", "medium", "low" };
	static const enum impact_effect effects[] = {
		IMPACT_RESTARTS, IMPACT_RESTARTS, IMPACT_RESTARTS, IMPACT_UNAFFECTED,
		IMPACT_STAYS_DOWN, IMPACT_RECREATED, IMPACT_RESCHEDULED, IMPACT_REMOVED,
	};
	struct plan_input *in = &p->in;
	uint64_t s = o->seed * 2654435761u + 88172645463325252ull;
	struct config_freeze fz = { .name = (char *)"freeze" };
	char from[16], to[16];
	size_t ncont = 0;

	in->start = GEN_START + (int64_t)below(&s, 7) * 86400 + (int64_t)below(&s, 24) * 3600;
	in->end = in->start + (int64_t)o->weeks * 7 * 86400;
	in->max_down = o->max_down ? o->max_down : 1 + (int)below(&s, 6);
	in->soak = (int64_t)below(&s, 4) * 300;
	if (o->freezes) {
		int day = 10 + (int)below(&s, 15);

		snprintf(from, sizeof(from), "2026-06-%02d", day);
		snprintf(to, sizeof(to), "2026-06-%02d", day + (int)below(&s, 4));
		fz.from = from;
		fz.to = to;
		if (below(&s, 2))
			fz.timezone = (char *)"Pacific/Auckland";
	}

	in->nwindows = o->windows;
	in->windows = xcalloc(in->nwindows ? in->nwindows : 1, sizeof(*in->windows));
	for (size_t i = 0; i < in->nwindows; i++) {
		struct plan_window *w = &in->windows[i];
		static char *none[] = { NULL };
		struct config_window cw = {
			.rrule = (char *)rules[below(&s, sizeof(rules) / sizeof(*rules))],
			.start_minute = (int)below(&s, 24) * 60 + (int)below(&s, 4) * 15,
			.duration = (int64_t)(1 + below(&s, 6)) * 3600,
			.timezone = (char *)zones[below(&s, sizeof(zones) / sizeof(*zones))],
			.hosts = none,
			.except = none,
		};

		w->name = fmt("win-%02zu", i);
		cw.name = w->name;
		w->timezone = xstrdup(cw.timezone);
		w->rrule = xstrdup(cw.rrule);
		w->start_minute = cw.start_minute;
		w->duration = cw.duration;
		w->max_down = below(&s, 3) ? 0 : 1 + (int)below(&s, 3);
		if (window_expand(&w->occ, &w->nocc, &w->frozen, &w->nfrozen, &cw,
				  o->freezes ? &fz : NULL, o->freezes ? 1 : 0,
				  in->start, in->end, err))
			return -1;
	}

	in->nhosts = o->hosts;
	in->hosts = xcalloc(in->nhosts ? in->nhosts : 1, sizeof(*in->hosts));
	for (size_t i = 0; i < in->nhosts; i++) {
		struct plan_host *h = &in->hosts[i];
		size_t nw = in->nwindows ? (below(&s, 20) ? 1 + below(&s, 2) : 0) : 0;

		h->name = fmt("host-%05zu", i);
		h->actions = IMPACT_BIT(below(&s, 2) ? IMPACT_REBOOT : IMPACT_ENGINE_RESTART);
		h->urgency = xstrdup(levels[below(&s, 4)]);
		h->score = (double)below(&s, 5) * 10;
		h->outage = 60 + (int64_t)below(&s, 20) * 60;
		if (below(&s, 3) == 0)
			h->deadline = in->start + (int64_t)below(&s, 60 * 24) * 3600 - 2 * 86400;
		h->pin_window = -1;
		h->windows = xcalloc(nw ? nw : 1, sizeof(*h->windows));
		for (size_t j = 0; j < nw; j++) {
			size_t w = below(&s, in->nwindows);
			bool dup = false;

			for (size_t k = 0; k < h->nwindows; k++)
				dup |= h->windows[k] == w;
			if (!dup)
				h->windows[h->nwindows++] = w;
		}
		/* ascending */
		if (h->nwindows == 2 && h->windows[0] > h->windows[1]) {
			size_t t = h->windows[0];

			h->windows[0] = h->windows[1];
			h->windows[1] = t;
		}
		if (o->pins && in->nwindows) {
			size_t k = below(&s, 40);

			if (k == 0) {
				h->excluded = true;
			} else if (k <= 2) {
				struct plan_window *w;

				h->pin_window = (long)below(&s, in->nwindows);
				w = &in->windows[h->pin_window];
				if (k == 2 && w->nocc)
					h->pin_day = w->occ[below(&s, w->nocc)].day;
				else if (k == 2)
					h->pin_day = 20260704;
			} else if (k == 3) {
				h->after_day = 20260610 + (int)below(&s, 20);
			}
		}
		h->ncontainers = below(&s, 2 * o->containers_per_host + 1);
		h->containers = xcalloc(h->ncontainers ? h->ncontainers : 1, sizeof(*h->containers));
		for (size_t c = 0; c < h->ncontainers; c++) {
			struct plan_container *pc = &h->containers[c];

			pc->id = fmt("%064zx", ncont++);
			pc->name = fmt("c%03zu", c);
			pc->effect = effects[below(&s, sizeof(effects) / sizeof(*effects))];
			pc->outage = pc->effect == IMPACT_UNAFFECTED ? 0
				: pc->effect == IMPACT_STAYS_DOWN || pc->effect == IMPACT_REMOVED
				? IMPACT_OUTAGE_UNBOUNDED : (long long)below(&s, (size_t)h->outage);
			pc->confidence = below(&s, 4) ? IMPACT_HIGH : IMPACT_LOW;
			pc->reason = xstrdup("generated");
		}
	}

	in->ngroups = o->groups;
	in->groups = xcalloc(in->ngroups ? in->ngroups : 1, sizeof(*in->groups));
	for (size_t g = 0; g < in->ngroups; g++) {
		struct plan_group *gr = &in->groups[g];
		size_t want = 2 + below(&s, 7), tries = 0;
		size_t one_host = o->impossible && below(&s, 25) == 0 ? 1 : 0;
		size_t h0 = below(&s, in->nhosts);

		gr->name = fmt("compose:app/svc-%04zu", g);
		gr->members = xcalloc(want, sizeof(*gr->members));
		while (gr->nmembers < want && tries++ < 50) {
			size_t h = one_host ? h0 : below(&s, in->nhosts);
			bool dup = false;
			size_t c;

			if (!in->hosts[h].ncontainers)
				continue;
			c = below(&s, in->hosts[h].ncontainers);
			for (size_t k = 0; k < gr->nmembers; k++)
				dup |= gr->members[k].host == h && gr->members[k].container == c;
			if (dup)
				continue;
			gr->members[gr->nmembers].host = h;
			gr->members[gr->nmembers].container = c;
			gr->nmembers++;
		}
		gr->nidle = below(&s, 4) == 0 ? below(&s, 3) : 0;
		gr->min_available = gr->nmembers > 1 ? (int)gr->nmembers - 1 -
			(int)below(&s, gr->nmembers / 2) : 1;
		if (o->impossible && below(&s, 30) == 0)
			gr->min_available = (int)gr->nmembers;
		if (gr->min_available < 1)
			gr->min_available = 1;
	}
	return 0;
}
