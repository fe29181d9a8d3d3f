/* plan_gen.h - a generator of random but reproducible planner inputs
 * (struct plan_input) for the property tests and the benchmark: windows
 * expanded by window.c from real RRULEs and time zones, freezes, hosts
 * with containers, urgency, deadlines and pins, groups across hosts. */
#ifndef SLIPWAY_PLAN_GEN_H
#define SLIPWAY_PLAN_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "plan.h"

struct plan_gen_opts {
	uint64_t seed;
	size_t hosts;
	size_t containers_per_host;   /* average; 0..2x */
	size_t groups;
	size_t windows;
	int weeks;
	int max_down;                 /* 0: random 1..6 */
	bool pins;                    /* random pins */
	bool freezes;                 /* a random freeze */
	bool impossible;              /* some groups that can never be met */
};

/* Fills p->in (p initialised with plan_init). Returns 0, or -1 with a
 * message in err when window expansion fails (it should not). */
int plan_gen(struct plan *p, const struct plan_gen_opts *o, struct err *err);

#endif
