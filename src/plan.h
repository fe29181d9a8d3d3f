/* plan.h - the planner of DESIGN.md §8: schedules every host's bundle of
 * actions into its maintenance window occurrences so that the limits and
 * availability budgets hold at every instant, most urgent hosts first.
 *
 * Two layers. plan_run() is pure: it works on a plain in-memory input
 * (struct plan_input: windows already expanded to UTC spans by window.h,
 * hosts with their containers, groups, policy) so generated fleets can be
 * planned and checked without a database. plan_load() (planq.c) fills that
 * input from the store and the config.
 *
 * The algorithm (deterministic: no hash or pointer order anywhere):
 *   1. Groups whose budget can never be met are found first: a group with
 *      min_available >= members, or a host that alone takes down more
 *      members than the group can lose (all on one host). They are
 *      reported as warnings, and every host that takes down one of their
 *      members goes to unplaced ("budget impossible: group 'G' has 1
 *      member and needs 1 available").
 *   2. Hosts are taken in priority order: urgency score descending, then
 *      deadline ascending (none last), then name (strcmp).
 *   3. Each host gets the earliest feasible start over the spans of its
 *      candidate windows (pins applied), in time order. A slot is
 *      [start, start + outage + soak): the host is down for its outage and
 *      the soak keeps it counted afterwards, so the next host of the same
 *      group waits for the soak. A start is feasible when the whole slot
 *      lies inside one span and, at every instant of it, fleet hosts down
 *      < [slipway] max-down, the window's hosts down < its max-down, and
 *      each group keeps min_available members up (a slot takes down the
 *      host's members that plan_container_down() says go down). The earliest
 *      feasible start is always the span start or the end of an earlier
 *      slot (counts only drop there), so those are the only candidates.
 *   4. Waves: within one occurrence (window, ordinal), the slots that start
 *      at the same instant form a wave; waves are numbered 1.. by start.
 *   5. Deadlines: the slot is the earliest feasible one, so a host whose
 *      slot ends after its deadline had no valid placement by it; it keeps
 *      the slot and is also listed in late[] with the reason. A deadline
 *      before the horizon start is late too.
 *   Hosts with no feasible start in the horizon go to unplaced[] with the
 *   first reason that applies: excluded by pin, no window matches, pinned
 *   window has no occurrence (on the pinned date / after the pinned date),
 *   frozen (every span of its windows was cut by freezes), slot longer
 *   than every span, budget impossible, no room.
 *
 * Containers that do not come back by themselves (stays-down, removed) are
 * brought back by whoever runs the slot: they count as down for the whole
 * slot, like the others (the exports highlight them).
 *
 * Ownership: struct plan owns its input and its results; every pointer in
 * them is allocated and freed by plan_release(). */
#ifndef SLIPWAY_PLAN_H
#define SLIPWAY_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "impact.h"
#include "window.h"

struct buf;
struct config;
struct store;

/* ---- input --------------------------------------------------------- */

struct plan_window {
	char *name;
	char *timezone;            /* IANA name; "UTC" when the config has none */
	int64_t duration;          /* seconds, as configured */
	int max_down;              /* hosts of this window down at once; 0: no
				      limit of its own */
	struct window_occ *occ;    /* usable spans in the horizon, by start */
	size_t nocc;
	struct window_frozen *frozen; /* freezes in this window's zone (the
					 checker and the exports use them) */
	size_t nfrozen;
	char *rrule;               /* as configured, for the ics export */
	int start_minute;          /* local start, minutes after midnight */
};

struct plan_container {
	char *id;
	char *name;
	enum impact_effect effect;
	long long outage;          /* seconds; IMPACT_OUTAGE_UNBOUNDED: until a
				      person acts */
	enum impact_confidence confidence;
	char *reason;              /* one line from the impact model */
};

/* A component's target version after the bundle (host_target). */
struct plan_target {
	char *component;           /* kernel, runc, containerd, docker, podman */
	char *package;             /* the host's package, NULL when unknown */
	char *version;             /* NULL: no fix available */
};

struct plan_host {
	char *name;
	impact_actions actions;    /* the bundle (never 0 for a planned host) */
	char *urgency;             /* level: critical high medium low none */
	double score;              /* ordering, higher first */
	int64_t deadline;          /* unix seconds; 0: none */
	int64_t outage;            /* seconds the host is down (> 0) */
	size_t *windows;           /* candidate windows (indexes), ascending */
	size_t nwindows;
	/* pins */
	bool excluded;
	long pin_window;           /* window index, -1: none */
	int pin_day;               /* YYYYMMDD: only the occurrence starting
				      that local day; 0: any */
	int after_day;             /* YYYYMMDD: only occurrences starting on a
				      later local day; 0: none */
	struct plan_container *containers;
	size_t ncontainers;
	struct plan_target *targets;
	size_t ntargets;
};

/* A member of a group: container c of host h (indexes). */
struct plan_member {
	size_t host;
	size_t container;
};

struct plan_group {
	char *name;                /* "compose:shop/web", "swarm:api", or the
				      [group] name */
	int min_available;         /* >= 1 */
	bool configured;           /* from a [group] section */
	struct plan_member *members;  /* members on planned hosts */
	size_t nmembers;
	size_t nidle;              /* members on hosts with nothing to do (not
				      in in.hosts): always up; the group has
				      nmembers + nidle members in all */
};

struct plan_input {
	int64_t start, end;        /* the horizon, UTC [start, end) */
	int max_down;              /* fleet-wide; >= 1 */
	int64_t soak;              /* seconds added to every slot */
	struct plan_window *windows;  size_t nwindows;
	struct plan_host *hosts;      size_t nhosts;   /* sorted by name */
	struct plan_group *groups;    size_t ngroups;  /* sorted by name */
};

/* ---- output -------------------------------------------------------- */

struct plan_slot {
	size_t host;               /* index into in.hosts */
	size_t window;             /* index into in.windows */
	size_t occ;                /* index into in.windows[window].occ */
	int64_t start;             /* UTC unix seconds */
	int64_t down_end;          /* start + outage: the host is back */
	int64_t end;               /* down_end + soak: the slot ends */
	int wave;                  /* 1-based within (window, occ ordinal) */
	bool late;                 /* ends after the host's deadline */
};

/* A host in late[] (it has a slot too) or unplaced[]. */
struct plan_miss {
	size_t host;
	char *reason;              /* one line, lowercase */
};

/* A member counts as down for its host's whole slot (outage + soak), the
 * same conservative reading the planner keeps budgets with. */
struct plan_group_result {
	int min_up;                /* fewest members up at any instant */
	bool impossible;           /* budget can never be met (warning) */
};

struct plan {
	struct plan_input in;      /* owned */
	struct plan_slot *slots;   /* by start, then host name */
	size_t nslots;
	struct plan_miss *late;    size_t nlate;     /* by host name */
	struct plan_miss *unplaced; size_t nunplaced; /* by host name */
	struct plan_group_result *groups;  /* one per in.groups */
	char **warnings;           size_t nwarnings;
	/* totals */
	long long container_seconds_down;  /* affected containers x outage
					      (unbounded: the host's outage) */
	long long service_seconds_down;    /* time any group has no member up;
					      0 when every budget holds */
	long *host_slot;           /* per in.hosts: slot index or -1 */
};

/* Prepares an empty plan; fill p->in (xmalloc'd pointers) then plan_run. */
void plan_init(struct plan *p);
/* Frees the input and the results. Accepts an initialised empty plan. */
void plan_release(struct plan *p);

/* Computes the plan from p->in (groups are sorted by name first; hosts
 * must already be sorted by name, since members point at them). Fails
 * only on input a caller should never build (hosts unsorted or named
 * twice, a member or window index out of range, max_down < 1): ERR_FAIL
 * with err set. Can be called once per plan. */
int plan_run(struct plan *p, struct err *err);

/* Fills p->in from the store and the config over [start, start + weeks):
 * hosts with a non-empty bundle, their impact, urgency, deadline, targets,
 * windows ([host] window, else the windows whose `hosts` patterns match),
 * pins (the pin table), automatic groups (compose project/service and swarm
 * services with running members on at least two hosts) and [group]
 * sections. Then call plan_run(). */
int plan_load(struct plan *p, struct store *s, const struct config *cfg,
	      int64_t start, int weeks, struct err *err);

/* ---- output formats (text and json; the others are export.h's) ------ */

/* The schema string of the JSON plan. */
#define PLAN_SCHEMA "slipway.plan/1"

/* The plan as JSON (schema slipway.plan/1) appended to out, generated
 * with sqlite JSON1 through s (any store; a :memory: one will do). */
int plan_write_json(const struct plan *p, struct store *s, struct buf *out,
		    struct err *err);
/* The plan as text for a terminal: per window occurrence the waves and
 * hosts, then late, unplaced, warnings, groups and totals. */
int plan_write_text(const struct plan *p, struct buf *out, struct err *err);

/* Helpers the exports share. The slot's window time zone; the bundle as
 * "reboot, engine-restart" ("none" when empty); whether container c of a
 * host goes down in its slot (effect not unaffected and outage not 0: a
 * container not running now loses nothing); how many of the slot's
 * host's containers go down. Group members and budgets use the same
 * test. */
const char *plan_slot_timezone(const struct plan *p, const struct plan_slot *sl);
void plan_actions_text(char out[IMPACT_ACTIONS_TEXT_MAX], impact_actions a);
bool plan_container_down(const struct plan_container *c);
size_t plan_slot_down_count(const struct plan *p, const struct plan_slot *sl);

/* ---- pins (stored in the pin table) --------------------------------- */

/* Pins HOST to window (day: "YYYY-MM-DD" occurrence, or NULL: any),
 * replacing its window pin and any exclude. */
int plan_pin_window(struct store *s, const char *host, const char *window,
		    const char *day, struct err *err);
/* Postpones HOST past day ("YYYY-MM-DD"), replacing its after pin and
 * any exclude. */
int plan_pin_after(struct store *s, const char *host, const char *day,
		   struct err *err);
/* Excludes HOST from planning (removes its other pins). */
int plan_pin_exclude(struct store *s, const char *host, struct err *err);
/* Removes every pin of HOST; *removed gets how many. */
int plan_pin_clear(struct store *s, const char *host, int *removed,
		   struct err *err);

#endif
