/* plan-bench.c - times the planner (DESIGN.md §10: 10 000 hosts, 200 000
 * containers, 2 000 groups over 8 weeks in under 2 s) on fleets from
 * tests/plan_gen.c at 2 500, 5 000 and 10 000 hosts, so the growth can be
 * seen to be near-linear. Prints one line per size; exits 1 when the full
 * fleet takes 2 s or more (SLIPWAY_BENCH_NO_LIMIT=1: report only, for
 * sanitizer builds). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "plan.h"
#include "plan_gen.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(void)
{
	static const size_t sizes[] = { 2500, 5000, 10000 };
	double full = 0;

	for (size_t i = 0; i < sizeof(sizes) / sizeof(*sizes); i++) {
		struct plan_gen_opts o = {
			.seed = 42, .hosts = sizes[i], .containers_per_host = 20,
			.groups = sizes[i] / 5, .windows = 24, .weeks = 8, .max_down = 25,
			.pins = true, .freezes = true, .impossible = true,
		};
		struct plan p;
		struct err err;
		size_t containers = 0;
		double t0, t1, t2;

		plan_init(&p);
		t0 = now();
		if (plan_gen(&p, &o, &err)) {
			fprintf(stderr, "plan-bench: %s\n", err.msg);
			return 1;
		}
		t1 = now();
		if (plan_run(&p, &err)) {
			fprintf(stderr, "plan-bench: %s\n", err.msg);
			return 1;
		}
		t2 = now();
		for (size_t h = 0; h < p.in.nhosts; h++)
			containers += p.in.hosts[h].ncontainers;
		printf("hosts %5zu containers %6zu groups %4zu weeks 8: plan %.3f s "
		       "(input %.3f s); %zu placed, %zu late, %zu unplaced\n",
		       p.in.nhosts, containers, p.in.ngroups, t2 - t1, t1 - t0, p.nslots,
		       p.nlate, p.nunplaced);
		full = t2 - t1;
		plan_release(&p);
	}
	if (full >= 2.0 && !getenv("SLIPWAY_BENCH_NO_LIMIT")) {
		fprintf(stderr, "plan-bench: 10000 hosts took %.3f s, the bar is 2 s\n", full);
		return 1;
	}
	return 0;
}
