/* impact.h - the impact model of DESIGN.md §7: what a host's bundle of
 * actions (reboot, engine restart, containerd restart, runc upgrade,
 * recreate) does to each of its containers: the effect, how long the
 * container is down, how sure that is, and one line saying why.
 *
 * Two layers. impact_run() is pure: it takes the host's facts and the
 * containers' facts and applies the rule table (impact.c, one row per row
 * of the DESIGN.md §7 table). impact_query() reads hosts and containers
 * from the store (the engine's own inspect answers, read with JSON1) and
 * runs the rules, for `slipway impact` and the UI.
 *
 * Where the facts come from (impact_query):
 *   engine kind, version, live-restore, swarm  host row (/version, /info)
 *   docker.service enabled at boot            host.engine_enabled (report
 *                                              engine.service_enabled)
 *   podman-restart.service enabled            host.engine_enabled on a
 *       Podman host: Podman has no daemon to enable, so the report's
 *       engine.service_enabled there means the unit that brings containers
 *       back at boot, podman-restart.service
 *   docker.service bound to containerd        the packages: docker-ce
 *       before 23.0 has BindsTo=containerd.service (18.09-19.03) or
 *       Requires=containerd.service (20.10), both of which stop or restart
 *       dockerd with containerd (docker-ce-packaging #150, #508; moby
 *       #42622 made it Wants= for 23.0); Debian and Ubuntu docker.io 20.10
 *       and later use Wants=; anything else is unknown
 *   boot time                                 [host NAME] boot-time, else
 *       learned from snapshots, else [policy] boot-time (default 120 s).
 *       Learned: for each pair of successive snapshots whose boot_id
 *       differs, the host was last seen up at the earlier taken_at and its
 *       new kernel started at (taken_at - uptime) of the later one; that
 *       gap is the time the host spent shutting down and in firmware
 *       (an upper bound: the host may have run a while after the earlier
 *       snapshot). Gaps over IMPACT_LEARN_MAX_GAP are not a measurement
 *       and are skipped; the median of the rest is the boot time.
 *
 * Outage estimates (seconds):
 *   reboot          shutdown (largest StopTimeout among running
 *                   containers, default 10) + boot + engine start
 *                   (IMPACT_ENGINE_START; Podman has none) + the
 *                   container's own start (its health check StartPeriod,
 *                   else IMPACT_CONTAINER_START)
 *   engine restart  the same without boot (dockerd stops every container
 *                   before it exits, so the slowest stop counts)
 *   recreate        own stop + IMPACT_PULL + own start, after the
 *                   restart of the bundle when it has one
 *   rescheduled     own stop + IMPACT_SWARM_RESCHEDULE + own start (until
 *                   a replacement task runs)
 * A container that was running and does not come back by itself
 * (stays-down, removed) has no outage bound: IMPACT_OUTAGE_UNBOUNDED (JSON
 * null). One that is not running now loses nothing: 0.
 *
 * Containers not in the §7 table's "running" rows, as dockerd really
 * treats them (checked by tests/integration/impact-truth.sh on 20.10):
 *   paused        frozen processes cannot act on the stop signal: killed
 *                 after the stop timeout (exit 137) and back per policy,
 *                 running and no longer paused; live-restore keeps them
 *                 paused with the same PID
 *   exited        'always' (even stopped by a user) and 'on-failure' with a
 *                 non-zero exit and retries left are started again when
 *                 the engine starts (also under live-restore); the others
 *                 stay down, outage 0 (down already)
 *   --rm + live-restore  dockerd before 24.0.8 deletes it when it starts
 *                 (moby#46308): removed, not the table's "unaffected"
 *
 * Engine restart without a version change (`--action engine-restart`, or
 * a bundle whose engine target is unknown) counts as patch-level for
 * live-restore: same YY.MM series. */
#ifndef SLIPWAY_IMPACT_H
#define SLIPWAY_IMPACT_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "store.h"

struct buf;
struct config;

/* The actions a host can need (DESIGN.md §7). Names: impact_action_name(). */
enum impact_action {
	IMPACT_REBOOT,              /* "reboot" */
	IMPACT_ENGINE_RESTART,      /* "engine-restart" */
	IMPACT_CONTAINERD_RESTART,  /* "containerd-restart" */
	IMPACT_RUNC_UPGRADE,        /* "runc-upgrade" */
	IMPACT_RECREATE,            /* "recreate" */
	IMPACT_ACTION_COUNT
};

/* A bundle: one bit per action, IMPACT_BIT(IMPACT_REBOOT) | ... */
typedef unsigned impact_actions;
#define IMPACT_BIT(a) (1u << (a))
#define IMPACT_ALL ((1u << IMPACT_ACTION_COUNT) - 1u)

/* The longest bundle text, "reboot+engine-restart+...+recreate". */
#define IMPACT_ACTIONS_TEXT_MAX 80

/* "reboot" -> IMPACT_REBOOT; ERR_PARSE (out untouched) for other names. */
int impact_action_parse(enum impact_action *out, const char *name);
/* The action's name; "?" for a value out of range. */
const char *impact_action_name(enum impact_action a);
/* "reboot+runc-upgrade" (or one name) -> bundle; ERR_PARSE with err set
 * naming the bad part, out untouched. */
int impact_actions_parse(impact_actions *out, const char *text, struct err *err);
/* Writes the bundle as "reboot+runc-upgrade" (in enum order; "none" when
 * empty) into out, which holds IMPACT_ACTIONS_TEXT_MAX bytes. */
void impact_actions_format(char out[IMPACT_ACTIONS_TEXT_MAX], impact_actions a);

enum impact_effect {
	IMPACT_UNAFFECTED,
	IMPACT_RESTARTS,      /* down, comes back by itself */
	IMPACT_STAYS_DOWN,    /* down, needs a person (or already down) */
	IMPACT_REMOVED,       /* --rm: deleted */
	IMPACT_RESCHEDULED,   /* swarm task: its service moves it */
	IMPACT_RECREATED,     /* down while replaced */
};
/* "unaffected", "restarts", "stays-down", "removed", "rescheduled",
 * "recreated". */
const char *impact_effect_name(enum impact_effect e);

enum impact_engine {
	IMPACT_ENGINE_UNKNOWN,
	IMPACT_ENGINE_DOCKER,
	IMPACT_ENGINE_PODMAN,
};

/* Constants of the outage estimate, seconds. */
#define IMPACT_STOP_TIMEOUT 10       /* Docker's and Podman's default */
#define IMPACT_BOOT_DEFAULT 120      /* [policy] boot-time default */
#define IMPACT_ENGINE_START 5        /* dockerd start until containers start */
#define IMPACT_CONTAINER_START 2     /* a container without a health check */
#define IMPACT_PULL 30               /* pulling a new image */
#define IMPACT_SWARM_RESCHEDULE 5    /* swarm's default restart delay */
#define IMPACT_LEARN_MAX_GAP 900     /* longest snapshot gap taken as a reboot */
#define IMPACT_OUTAGE_UNBOUNDED (-1LL)

#define IMPACT_REASON_MAX 320

/* Tristates below: 1 yes, 0 no, -1 unknown. */
struct impact_host {
	enum impact_engine engine;
	const char *version;        /* the engine's Version now; NULL unknown */
	const char *target_version; /* after an engine-restart; NULL: same */
	int live_restore;           /* /info LiveRestoreEnabled */
	int swarm;                  /* /info Swarm.LocalNodeState active */
	int engine_enabled;         /* docker.service enabled at boot */
	int podman_restart;         /* podman-restart.service enabled */
	int containerd_bound;       /* dockerd stops/restarts with containerd */
	long long boot_seconds;     /* time to boot, > 0 */
};

/* Sets every fact to unknown, the engine to Docker and the boot time to
 * IMPACT_BOOT_DEFAULT. */
void impact_host_init(struct impact_host *h);

/* What impact needs of one container, read from its inspect answer.
 * Strings are owned (impact_container_release). */
struct impact_container {
	char *id;
	char *name;              /* without the leading slash */
	char *status;            /* State.Status */
	bool running;            /* State.Running (true for paused, restarting) */
	bool paused;
	bool started;            /* has started at least once (StartedAt set) */
	bool start_failed;       /* State.Error set */
	long long exit_code;     /* State.ExitCode */
	char *policy;            /* RestartPolicy.Name; "" for none */
	long long max_retries;   /* RestartPolicy.MaximumRetryCount */
	long long restart_count; /* RestartCount */
	bool auto_remove;        /* HostConfig.AutoRemove (--rm) */
	long long stop_timeout;  /* Config.StopTimeout; -1 unset */
	char *stop_signal;       /* Config.StopSignal; NULL unset */
	long long start_period;  /* health check StartPeriod, seconds; 0 none */
	bool oneoff;             /* com.docker.compose.oneoff=True */
	char *swarm_task;        /* label com.docker.swarm.task.id */
	char *swarm_service;     /* label com.docker.swarm.service.name */
	char *systemd_unit;      /* label PODMAN_SYSTEMD_UNIT */
	bool recreate;           /* the bundle's recreate covers it */
};

/* Reads a container's facts from its inspect JSON (len bytes, Docker or
 * Podman), parsed by sqlite JSON1 through s. ERR_PARSE when it is not a
 * JSON object with an Id; out is untouched on failure. */
int impact_container_from_inspect(struct impact_container *out,
				  struct store *s, const char *json,
				  size_t len, struct err *err);
/* Frees the strings; accepts a zeroed struct. */
void impact_container_release(struct impact_container *c);

enum impact_confidence { IMPACT_LOW, IMPACT_HIGH };

struct impact_result {
	enum impact_effect effect;
	long long outage;                /* seconds, or IMPACT_OUTAGE_UNBOUNDED */
	enum impact_confidence confidence;
	char reason[IMPACT_REASON_MAX];  /* one line, lowercase */
	const char *row;                 /* the DESIGN.md §7 row that decided */
};

/* Applies bundle to the n containers of host h; out has n entries. Pure:
 * no I/O, same input same output. */
void impact_run(struct impact_result *out, const struct impact_host *h,
		impact_actions bundle, const struct impact_container *c,
		size_t n);

/* The largest stop timeout among running containers (the host's
 * shutdown), as impact_run() uses it. */
long long impact_shutdown_seconds(const struct impact_container *c, size_t n);

/* ---- the store layer ---------------------------------------------- */

/* One line of `slipway impact`. */
struct impact_row {
	char *host;
	char *container;
	char *container_id;
	impact_actions actions;
	enum impact_engine engine;
	long long boot_seconds;
	const char *boot_source;   /* "config", "learned", "policy" (static) */
	const char *bundle_source; /* "action" (--action), "findings", or
				      "default" (no findings yet: reboot) */
	struct impact_result r;
};

struct impact_list {
	struct impact_row *v;
	size_t n, alloc;
};

/* Runs the model for every host (host NULL) or one, ordered by host then
 * container name. actions 0: each host's own bundle from the findings
 * (finding_bundle(), the docker target for an engine-restart, the
 * containers whose image is older than max-image-age for a recreate); a
 * host whose findings were never computed gets `reboot`. Else that
 * bundle for every host, a same-version engine restart, and a recreate
 * of every container.
 * cfg gives boot times ([host] and [policy]). Rows are appended to out;
 * ERR_NOTFOUND when host names no known host. */
int impact_query(struct impact_list *out, struct store *s,
		 const struct config *cfg, const char *host,
		 impact_actions actions, struct err *err);
void impact_list_release(struct impact_list *l);

/* The rows as a JSON array of objects: host, container, container_id,
 * action, effect, outage_seconds (null: until a person acts), confidence,
 * reason, engine, boot_seconds, boot_source, rule, bundle_source. */
int impact_list_json(const struct impact_list *l, struct store *s,
		     struct buf *out, struct err *err);

/* The learned boot time of host hid from its snapshots (see above);
 * ERR_NOTFOUND when no reboot was seen. */
int impact_learned_boot(long long *out, struct store *s, long long hid,
			struct err *err);

#endif
