/* impact.c - the pure rules of the impact model (impact.h, DESIGN.md §7):
 * one table row per row of the §7 table, each saying what happens to a
 * matching container when the engine stops it (a reboot, or an engine
 * restart that live-restore does not cover) and when live-restore keeps
 * it. The engine's behaviour follows moby's daemon: on shutdown dockerd
 * stops every running container (a paused one cannot act on its stop
 * signal and is killed after its timeout, exit 137); on start, restore()
 * restarts a stopped container when its restart manager says so
 * (restartmanager.ShouldRestart: always; unless-stopped unless a user
 * stopped it; on-failure when the exit code is not 0 and retries are
 * left) and it has been started before, and deletes --rm containers.
 * That also happens under live-restore for containers that are not
 * running. Measured on Docker 20.10 here (tests/integration/
 * impact-truth.sh), which also showed one cell of the §7 table wrong for
 * that engine: under live-restore a running --rm container is deleted
 * when dockerd starts (moby#46308, fixed in 24.0.8 and 25.0), so the
 * --rm row says removed there. */
#include "impact.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

static const char *const action_names[IMPACT_ACTION_COUNT] = {
	[IMPACT_REBOOT] = "reboot",
	[IMPACT_ENGINE_RESTART] = "engine-restart",
	[IMPACT_CONTAINERD_RESTART] = "containerd-restart",
	[IMPACT_RUNC_UPGRADE] = "runc-upgrade",
	[IMPACT_RECREATE] = "recreate",
};

static const char *const effect_names[] = {
	[IMPACT_UNAFFECTED] = "unaffected",
	[IMPACT_RESTARTS] = "restarts",
	[IMPACT_STAYS_DOWN] = "stays-down",
	[IMPACT_REMOVED] = "removed",
	[IMPACT_RESCHEDULED] = "rescheduled",
	[IMPACT_RECREATED] = "recreated",
};

int impact_action_parse(enum impact_action *out, const char *name)
{
	for (int a = 0; a < IMPACT_ACTION_COUNT; a++) {
		if (name && !strcmp(name, action_names[a])) {
			*out = (enum impact_action)a;
			return 0;
		}
	}
	return ERR_PARSE;
}

const char *impact_action_name(enum impact_action a)
{
	if ((int)a < 0 || a >= IMPACT_ACTION_COUNT)
		return "?";
	return action_names[a];
}

int impact_actions_parse(impact_actions *out, const char *text, struct err *err)
{
	impact_actions set = 0;
	const char *p = text;

	if (!text || !*text)
		return err_set(err, ERR_PARSE, "empty action");
	for (;;) {
		const char *end = strchr(p, '+');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char word[32];
		enum impact_action a;

		if (len == 0 || len >= sizeof(word) ||
		    (memcpy(word, p, len), word[len] = '\0',
		     impact_action_parse(&a, word)))
			return err_set(err, ERR_PARSE,
				       "unknown action '%.*s' (reboot, engine-restart, "
				       "containerd-restart, runc-upgrade, recreate)",
				       (int)(len > 64 ? 64 : len), p);
		set |= IMPACT_BIT(a);
		if (!end)
			break;
		p = end + 1;
	}
	*out = set;
	return 0;
}

void impact_actions_format(char out[IMPACT_ACTIONS_TEXT_MAX], impact_actions a)
{
	size_t len = 0;

	out[0] = '\0';
	for (int i = 0; i < IMPACT_ACTION_COUNT; i++) {
		if (!(a & IMPACT_BIT(i)))
			continue;
		int n = snprintf(out + len, IMPACT_ACTIONS_TEXT_MAX - len, "%s%s",
				 len ? "+" : "", action_names[i]);
		if (n > 0)
			len += (size_t)n;
	}
	if (!len)
		snprintf(out, IMPACT_ACTIONS_TEXT_MAX, "none");
}

const char *impact_effect_name(enum impact_effect e)
{
	if ((int)e < 0 || e > IMPACT_RECREATED)
		return "?";
	return effect_names[e];
}

void impact_host_init(struct impact_host *h)
{
	memset(h, 0, sizeof(*h));
	h->engine = IMPACT_ENGINE_DOCKER;
	h->live_restore = -1;
	h->swarm = -1;
	h->engine_enabled = -1;
	h->podman_restart = -1;
	h->containerd_bound = -1;
	h->boot_seconds = IMPACT_BOOT_DEFAULT;
}

/* ---- what the bundle does to the engine ---------------------------- */

enum episode {
	EP_NONE,     /* no container is stopped */
	EP_LIVE,     /* the engine restarts, live-restore keeps containers */
	EP_ENGINE,   /* the engine restarts and stops every container */
	EP_REBOOT,   /* the host goes down */
};

struct ctx {
	const struct impact_host *h;
	impact_actions bundle;
	enum episode ep;
	enum impact_confidence conf;  /* of the episode itself */
	const char *when;             /* "after the reboot" */
	char context[160];            /* "" or why the engine stops them */
	char none_reason[160];        /* EP_NONE: why nothing stops */
	char live_reason[160];        /* EP_LIVE */
	long long shutdown;
};

/* The YY.MM series of a Docker version ("20.10.24+dfsg1", "v23.0.1",
 * "5:24.0.7-1~debian.12~bookworm"), as major * 1000 + minor, and its text
 * as written ("19.03") in text; -1 when unreadable. */
static long series(const char *v, char text[16])
{
	long major = 0, minor = 0;
	const char *p, *start;

	text[0] = '\0';
	if (!v)
		return -1;
	if (*v == 'v')
		v++;
	for (p = v; *p >= '0' && *p <= '9'; p++)
		;
	if (*p == ':' && p > v)
		v = p + 1;
	if (*v < '0' || *v > '9')
		return -1;
	start = v;
	for (; *v >= '0' && *v <= '9'; v++)
		if ((major = major * 10 + (*v - '0')) > 100000)
			return -1;
	if (*v++ != '.' || *v < '0' || *v > '9')
		return -1;
	for (; *v >= '0' && *v <= '9'; v++)
		if ((minor = minor * 10 + (*v - '0')) > 100000)
			return -1;
	snprintf(text, 16, "%.*s", (int)(v - start), start);
	return major * 1000 + minor;
}

static void set_plan(struct ctx *x)
{
	const struct impact_host *h = x->h;
	impact_actions b = x->bundle;
	bool podman = h->engine == IMPACT_ENGINE_PODMAN;

	x->conf = h->engine == IMPACT_ENGINE_UNKNOWN ? IMPACT_LOW : IMPACT_HIGH;
	x->context[0] = x->none_reason[0] = x->live_reason[0] = '\0';
	x->when = "";
	if (b & IMPACT_BIT(IMPACT_REBOOT)) {
		x->ep = EP_REBOOT;
		x->when = "after the reboot";
		if (!podman && h->engine_enabled < 0)
			x->conf = IMPACT_LOW;
		return;
	}
	bool engine = b & IMPACT_BIT(IMPACT_ENGINE_RESTART);
	bool ctrd = b & IMPACT_BIT(IMPACT_CONTAINERD_RESTART);
	if (podman) {
		x->ep = EP_NONE;
		if (engine)
			snprintf(x->none_reason, sizeof(x->none_reason),
				 "podman has no daemon: conmon keeps it running "
				 "through the podman service restart");
		else if (ctrd)
			snprintf(x->none_reason, sizeof(x->none_reason),
				 "podman does not use containerd: its restart "
				 "changes nothing here");
		return;
	}
	if (!engine && ctrd && h->containerd_bound == 1) {
		engine = true;
		x->when = "after the containerd restart";
		snprintf(x->context, sizeof(x->context),
			 "docker.service is bound to containerd (docker-ce "
			 "before 23.0), so the containerd restart restarts the engine");
	} else if (engine) {
		x->when = "after the engine restart";
	}
	if (!engine) {
		x->ep = EP_NONE;
		if (ctrd) {
			snprintf(x->none_reason, sizeof(x->none_reason),
				 "the containerd restart leaves it running (shim v2)%s",
				 h->containerd_bound < 0
					 ? "; docker.service packaging unknown" : "");
			if (h->containerd_bound < 0)
				x->conf = IMPACT_LOW;
		}
		return;
	}
	/* live-restore covers a restart within one YY.MM series and never
	 * runs with swarm (dockerd refuses the combination) */
	char from_text[16], to_text[16];
	long from = series(h->version, from_text);
	long to = series(h->target_version, to_text);
	bool same = !h->target_version || (from >= 0 && from == to);
	if (h->live_restore == 1 && h->swarm != 1 && same) {
		x->ep = EP_LIVE;
		if (h->swarm < 0)
			x->conf = IMPACT_LOW;
		if (from >= 0)
			snprintf(x->live_reason, sizeof(x->live_reason),
				 "live-restore keeps it running through the engine "
				 "restart (same %s series)", from_text);
		else
			snprintf(x->live_reason, sizeof(x->live_reason),
				 "live-restore keeps it running through the engine restart");
		return;
	}
	x->ep = EP_ENGINE;
	if (h->live_restore < 0)
		x->conf = IMPACT_LOW;
	if (h->live_restore == 1 && h->swarm == 1)
		snprintf(x->context, sizeof(x->context),
			 "live-restore does not apply with swarm");
	else if (h->live_restore == 1 && from >= 0 && to >= 0)
		snprintf(x->context, sizeof(x->context),
			 "engine upgrade %s to %s is not covered by live-restore",
			 from_text, to_text);
	else if (h->live_restore == 1) {
		snprintf(x->context, sizeof(x->context),
			 "engine upgrade of unknown series: live-restore may not cover it");
		x->conf = IMPACT_LOW;
	}
}

/* ---- outage helpers --------------------------------------------------- */

static long long own_stop(const struct impact_container *c)
{
	return c->stop_timeout >= 0 ? c->stop_timeout : IMPACT_STOP_TIMEOUT;
}

static long long own_start(const struct impact_container *c)
{
	return c->start_period > 0 ? c->start_period : IMPACT_CONTAINER_START;
}

long long impact_shutdown_seconds(const struct impact_container *c, size_t n)
{
	long long m = 0;

	for (size_t i = 0; i < n; i++)
		if (c[i].running && own_stop(&c[i]) > m)
			m = own_stop(&c[i]);
	return m;
}

/* Down time of a running container that the episode stops and brings
 * back. */
static long long down_back(const struct ctx *x, const struct impact_container *c)
{
	long long t = x->shutdown + own_start(c);

	if (x->ep == EP_REBOOT)
		t += x->h->boot_seconds;
	if (x->h->engine != IMPACT_ENGINE_PODMAN)
		t += IMPACT_ENGINE_START;
	return t;
}

/* ---- the rule table ----------------------------------------------------- */

static void say(struct impact_result *r, const struct ctx *x, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Writes the reason, after the episode's context when it has one. */
static void say(struct impact_result *r, const struct ctx *x, const char *fmt, ...)
{
	va_list ap;
	size_t len = 0;

	r->reason[0] = '\0';
	if (x->context[0]) {
		int n = snprintf(r->reason, sizeof(r->reason), "%s; ", x->context);
		len = n > 0 && (size_t)n < sizeof(r->reason) ? (size_t)n : 0;
	}
	va_start(ap, fmt);
	vsnprintf(r->reason + len, sizeof(r->reason) - len, fmt, ap);
	va_end(ap);
}

static void set(struct impact_result *r, enum impact_effect e, long long outage,
		enum impact_confidence conf)
{
	r->effect = e;
	r->outage = outage;
	r->confidence = conf;
}

/* The policy as a sysadmin writes it: 'no', '""', 'on-failure:3'. */
static const char *policy_text(const struct impact_container *c, char *buf, size_t size)
{
	if (!c->policy || !*c->policy)
		snprintf(buf, size, "\"\"");
	else if (!strcmp(c->policy, "on-failure") && c->max_retries > 0)
		snprintf(buf, size, "on-failure:%lld", c->max_retries);
	else
		snprintf(buf, size, "%s", c->policy);
	return buf;
}

static bool policy_is(const struct impact_container *c, const char *name)
{
	return c->policy && !strcmp(c->policy, name);
}

/* The exit code the container will have when the engine stops it, when
 * that is known: a paused container cannot act on its stop signal and a
 * SIGKILL stop signal cannot be caught, so both end killed (137). */
static bool known_kill(const struct impact_container *c)
{
	const char *s = c->stop_signal;

	return c->paused ||
	       (s && (!strcmp(s, "SIGKILL") || !strcmp(s, "KILL") || !strcmp(s, "9")));
}

static bool retries_left(const struct impact_container *c)
{
	return c->max_retries <= 0 || c->restart_count < c->max_retries;
}

struct impact_rule {
	const char *row;   /* the DESIGN.md §7 row */
	bool (*match)(const struct ctx *x, const struct impact_container *c);
	/* the engine stops it (reboot, engine restart without live-restore),
	 * or, under live-restore, it was not running anyway */
	void (*stopped)(struct impact_result *r, const struct ctx *x,
			const struct impact_container *c);
	/* running under a live-restore engine restart of the same series:
	 * unaffected, unless the row has its own rule here */
	enum impact_effect live;
	void (*live_rule)(struct impact_result *r, const struct ctx *x,
			  const struct impact_container *c);
};

static bool m_swarm(const struct ctx *x, const struct impact_container *c)
{
	(void)x;
	return c->swarm_task && *c->swarm_task;
}

static void s_swarm(struct impact_result *r, const struct ctx *x,
		    const struct impact_container *c)
{
	const char *svc = c->swarm_service ? c->swarm_service : "?";

	if (!c->running) {
		set(r, IMPACT_STAYS_DOWN, 0, x->conf);
		say(r, x, "old task of swarm service '%s', not running now either; "
			  "the service runs newer tasks", svc);
		return;
	}
	set(r, IMPACT_RESCHEDULED, own_stop(c) + IMPACT_SWARM_RESCHEDULE + own_start(c),
	    x->conf);
	say(r, x, "task of swarm service '%s': the swarm reschedules it when the "
		  "engine stops it (the service decides where)", svc);
}

static bool m_engine_off(const struct ctx *x, const struct impact_container *c)
{
	(void)c;
	return x->ep == EP_REBOOT && x->h->engine != IMPACT_ENGINE_PODMAN &&
	       x->h->engine_enabled == 0;
}

static void s_engine_off(struct impact_result *r, const struct ctx *x,
			 const struct impact_container *c)
{
	set(r, IMPACT_STAYS_DOWN, c->running ? IMPACT_OUTAGE_UNBOUNDED : 0, x->conf);
	say(r, x, "docker.service is not enabled at boot: nothing comes back %s "
		  "until someone starts the engine", x->when);
}

static bool m_autoremove(const struct ctx *x, const struct impact_container *c)
{
	(void)x;
	return c->auto_remove;
}

static void s_autoremove(struct impact_result *r, const struct ctx *x,
			 const struct impact_container *c)
{
	enum impact_confidence conf = x->conf;

	/* Podman removes --rm containers from conmon's exit hook; after a
	 * reboot conmon is gone and the clean-up runs when podman next
	 * refreshes its state */
	if (x->h->engine == IMPACT_ENGINE_PODMAN)
		conf = IMPACT_LOW;
	if (!c->running) {
		set(r, IMPACT_REMOVED, 0, conf);
		say(r, x, "--rm container, not running: the engine deletes it when it starts");
		return;
	}
	set(r, IMPACT_REMOVED, IMPACT_OUTAGE_UNBOUNDED, conf);
	say(r, x, "--rm container: deleted when the engine stops it; run it again by hand");
}

/* Docker's version as major, minor, patch ("20.10.24+dfsg1",
 * "5:24.0.7-1~debian.12"); false when unreadable. */
static bool triple(const char *v, long out[3])
{
	const char *p;

	if (!v)
		return false;
	if (*v == 'v')
		v++;
	for (p = v; *p >= '0' && *p <= '9'; p++)
		;
	if (*p == ':' && p > v)
		v = p + 1;
	for (int i = 0; i < 3; i++) {
		out[i] = 0;
		if (*v < '0' || *v > '9')
			return i == 2;     /* "23.0" has no patch */
		for (; *v >= '0' && *v <= '9'; v++)
			if ((out[i] = out[i] * 10 + (*v - '0')) > 100000)
				return false;
		if (i < 2 && *v++ != '.')
			return i == 1;
	}
	return true;
}

/* Under live-restore, dockerd before 24.0.8 and 25.0 kills and deletes
 * running --rm containers when it starts (moby#46308, fixed by #46857 and
 * its 24.0 backport #46869); measured here on 20.10. The engine that
 * starts decides: the target version, else the current one. */
static void l_autoremove(struct impact_result *r, const struct ctx *x,
			 const struct impact_container *c)
{
	const char *v = x->h->target_version ? x->h->target_version : x->h->version;
	long t[3];

	(void)c;
	if (x->h->engine == IMPACT_ENGINE_PODMAN)
		return;
	if (!triple(v, t)) {
		set(r, IMPACT_REMOVED, IMPACT_OUTAGE_UNBOUNDED, IMPACT_LOW);
		say(r, x, "--rm container: engines before 24.0.8 delete it when they start, "
			  "even with live-restore; engine version unknown");
		return;
	}
	if (t[0] > 24 || (t[0] == 24 && (t[1] > 0 || t[2] >= 8)))
		return;
	set(r, IMPACT_REMOVED, IMPACT_OUTAGE_UNBOUNDED,
	    t[0] < 24 ? x->conf : IMPACT_LOW);
	say(r, x, "--rm container: engine %ld.%ld deletes it when it starts, even with "
		  "live-restore (fixed in 24.0.8); run it again by hand", t[0], t[1]);
}

static bool m_never_started(const struct ctx *x, const struct impact_container *c)
{
	(void)x;
	return !c->running && (!c->started || c->start_failed);
}

static void s_never_started(struct impact_result *r, const struct ctx *x,
			    const struct impact_container *c)
{
	if (x->h->engine == IMPACT_ENGINE_PODMAN && x->ep == EP_REBOOT &&
	    policy_is(c, "always") && x->h->podman_restart == 1) {
		/* `podman start --all --filter restart-policy=always` also
		 * starts created containers; whether this start works is not
		 * known (a failed one failed before) */
		set(r, IMPACT_RESTARTS, 0, IMPACT_LOW);
		say(r, x, "created but never started: podman-restart.service tries "
			  "to start every 'always' container at boot, this one for the first time");
		return;
	}
	set(r, IMPACT_STAYS_DOWN, 0, x->conf);
	if (c->start_failed)
		say(r, x, "start failed (exit %lld): stays down %s, not running now either",
		    c->exit_code, x->when);
	else
		say(r, x, "created but never started: stays down %s, not running now either",
		    x->when);
}

static bool m_podman(const struct ctx *x, const struct impact_container *c)
{
	(void)c;
	return x->h->engine == IMPACT_ENGINE_PODMAN;
}

/* Podman has no daemon: only a reboot stops its containers (an engine
 * restart is EP_NONE), and what comes back is what systemd starts. */
static void s_podman(struct impact_result *r, const struct ctx *x,
		     const struct impact_container *c)
{
	char pol[48];
	long long back = c->running ? down_back(x, c) : 0;
	long long gone = c->running ? IMPACT_OUTAGE_UNBOUNDED : 0;

	if (c->systemd_unit && *c->systemd_unit) {
		set(r, IMPACT_RESTARTS, back, c->running ? x->conf : IMPACT_LOW);
		say(r, x, "its systemd unit '%s' starts it again %s", c->systemd_unit,
		    x->when);
		return;
	}
	if (policy_is(c, "always")) {
		if (x->h->podman_restart == 1) {
			set(r, IMPACT_RESTARTS, back, x->conf);
			say(r, x, "restart policy 'always': podman-restart.service starts "
				  "it again %s", x->when);
		} else {
			set(r, IMPACT_STAYS_DOWN, gone,
			    x->h->podman_restart == 0 ? x->conf : IMPACT_LOW);
			say(r, x, "restart policy 'always', but podman-restart.service is %s: "
				  "stays down %s; enable it or give the container a systemd unit",
			    x->h->podman_restart == 0 ? "not enabled" : "not reported", x->when);
		}
		return;
	}
	set(r, IMPACT_STAYS_DOWN, gone, x->conf);
	if (!c->running)
		say(r, x, "podman, restart policy '%s': stays down %s, not running now either",
		    policy_text(c, pol, sizeof(pol)), x->when);
	else
		say(r, x, "podman has no daemon and restart policy '%s' is not 'always': "
			  "stays down %s; start it by hand or give it a systemd unit",
		    policy_text(c, pol, sizeof(pol)), x->when);
}

static bool m_always(const struct ctx *x, const struct impact_container *c)
{
	(void)x;
	return policy_is(c, "always");
}

static void s_always(struct impact_result *r, const struct ctx *x,
		     const struct impact_container *c)
{
	if (!c->running) {
		/* restore() restarts a stopped 'always' container that ran
		 * before, even one a user stopped (Docker's documented rule) */
		set(r, IMPACT_RESTARTS, 0, x->conf);
		say(r, x, "restart policy 'always': stopped now, but the engine starts it "
			  "again when it starts");
		return;
	}
	set(r, IMPACT_RESTARTS, down_back(x, c), x->conf);
	if (c->paused)
		say(r, x, "paused, so it is killed when the engine stops it; restart policy "
			  "'always' brings it back %s, running (no longer paused)", x->when);
	else
		say(r, x, "restart policy 'always': the engine starts it again %s", x->when);
}

static bool m_unless_stopped(const struct ctx *x, const struct impact_container *c)
{
	(void)x;
	return policy_is(c, "unless-stopped");
}

static void s_unless_stopped(struct impact_result *r, const struct ctx *x,
			     const struct impact_container *c)
{
	if (!c->running) {
		set(r, IMPACT_STAYS_DOWN, 0, x->conf);
		say(r, x, "restart policy 'unless-stopped' and stopped by a user: stays down, "
			  "not running now either");
		return;
	}
	set(r, IMPACT_RESTARTS, down_back(x, c), x->conf);
	if (c->paused)
		say(r, x, "paused, so it is killed when the engine stops it; restart policy "
			  "'unless-stopped' brings it back %s, running (no longer paused)", x->when);
	else
		say(r, x, "restart policy 'unless-stopped': the engine starts it again %s",
		    x->when);
}

static bool m_on_failure(const struct ctx *x, const struct impact_container *c)
{
	(void)x;
	return policy_is(c, "on-failure");
}

static void s_on_failure(struct impact_result *r, const struct ctx *x,
			 const struct impact_container *c)
{
	char pol[48];

	policy_text(c, pol, sizeof(pol));
	if (!c->running) {
		if (c->exit_code != 0 && retries_left(c)) {
			set(r, IMPACT_RESTARTS, 0, x->conf);
			say(r, x, "restart policy '%s' and it exited with code %lld: the engine "
				  "starts it again when it starts", pol, c->exit_code);
		} else if (c->exit_code != 0) {
			set(r, IMPACT_STAYS_DOWN, 0, x->conf);
			say(r, x, "restart policy '%s' gave up after %lld restarts: stays down, "
				  "not running now either", pol, c->restart_count);
		} else {
			set(r, IMPACT_STAYS_DOWN, 0, x->conf);
			say(r, x, "restart policy '%s' and it exited with code 0: stays down, "
				  "not running now either", pol);
		}
		return;
	}
	if (known_kill(c)) {
		if (retries_left(c)) {
			set(r, IMPACT_RESTARTS, down_back(x, c), x->conf);
			say(r, x, "%s, so it is killed when the engine stops it (exit 137); "
				  "restart policy '%s' brings it back %s",
			    c->paused ? "paused" : "stop signal SIGKILL", pol, x->when);
		} else {
			set(r, IMPACT_STAYS_DOWN, IMPACT_OUTAGE_UNBOUNDED, IMPACT_LOW);
			say(r, x, "restart policy '%s' has used its %lld restarts: likely stays "
				  "down %s", pol, c->restart_count, x->when);
		}
		return;
	}
	set(r, IMPACT_STAYS_DOWN, IMPACT_OUTAGE_UNBOUNDED, IMPACT_LOW);
	say(r, x, "restart policy '%s': back %s only if it exits non-zero when stopped; "
		  "a clean exit on SIGTERM stays down", pol, x->when);
}

static bool m_any(const struct ctx *x, const struct impact_container *c)
{
	(void)x;
	(void)c;
	return true;
}

static void s_no(struct impact_result *r, const struct ctx *x,
		 const struct impact_container *c)
{
	char pol[48];
	const char *what = c->oneoff ? "compose one-off (docker-compose run), restart policy"
				     : "restart policy";

	policy_text(c, pol, sizeof(pol));
	if (!c->running) {
		set(r, IMPACT_STAYS_DOWN, 0, x->conf);
		say(r, x, "%s '%s': stays down, not running now either", what, pol);
		return;
	}
	set(r, IMPACT_STAYS_DOWN, IMPACT_OUTAGE_UNBOUNDED, x->conf);
	say(r, x, "%s '%s': stays down %s; start it by hand or set unless-stopped",
	    what, pol, x->when);
}

/* DESIGN.md §7, in order of precedence; the first row that matches
 * decides. */
static const struct impact_rule rules[] = {
	{ .row = "swarm task", .match = m_swarm, .stopped = s_swarm,
	  .live = IMPACT_UNAFFECTED /* unreachable: no live-restore with swarm */ },
	{ .row = "engine not enabled at boot", .match = m_engine_off,
	  .stopped = s_engine_off, .live = IMPACT_UNAFFECTED },
	{ .row = "--rm", .match = m_autoremove, .stopped = s_autoremove,
	  .live = IMPACT_UNAFFECTED, .live_rule = l_autoremove },
	{ .row = "created but never started, or start failed",
	  .match = m_never_started, .stopped = s_never_started,
	  .live = IMPACT_UNAFFECTED },
	{ .row = "podman, no daemon", .match = m_podman, .stopped = s_podman,
	  .live = IMPACT_UNAFFECTED },
	{ .row = "policy always", .match = m_always, .stopped = s_always,
	  .live = IMPACT_UNAFFECTED },
	{ .row = "policy unless-stopped", .match = m_unless_stopped,
	  .stopped = s_unless_stopped, .live = IMPACT_UNAFFECTED },
	{ .row = "policy on-failure", .match = m_on_failure, .stopped = s_on_failure,
	  .live = IMPACT_UNAFFECTED },
	{ .row = "policy no or \"\"", .match = m_any, .stopped = s_no,
	  .live = IMPACT_UNAFFECTED },
};

/* ---- one container ----------------------------------------------------- */

static void append(struct impact_result *r, const char *text)
{
	size_t len = strlen(r->reason);

	snprintf(r->reason + len, sizeof(r->reason) - len, "%s%s", len ? "; " : "", text);
}

static const char *const old_runc =
	"still running on state made by the old runc until recreated";

static void decide(struct impact_result *r, const struct ctx *x,
		   const struct impact_container *c)
{
	/* the last row matches every container */
	const struct impact_rule *rule = &rules[sizeof(rules) / sizeof(rules[0]) - 1];

	memset(r, 0, sizeof(*r));
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		if (rules[i].match(x, c)) {
			rule = &rules[i];
			break;
		}
	}
	r->row = rule->row;
	switch (x->ep) {
	case EP_REBOOT:
	case EP_ENGINE:
		rule->stopped(r, x, c);
		break;
	case EP_LIVE:
		if (c->running) {
			set(r, rule->live, 0, x->conf);
			snprintf(r->reason, sizeof(r->reason), "%s", x->live_reason);
			if (rule->live_rule)
				rule->live_rule(r, x, c);
		} else {
			/* restore() still restarts a stopped container its
			 * policy says to, and deletes --rm ones; any other
			 * stays as it is */
			rule->stopped(r, x, c);
			if (r->effect != IMPACT_RESTARTS && r->effect != IMPACT_REMOVED) {
				set(r, IMPACT_UNAFFECTED, 0, x->conf);
				snprintf(r->reason, sizeof(r->reason),
					 "not running now; the engine restart does not start it");
			}
		}
		break;
	case EP_NONE:
		set(r, IMPACT_UNAFFECTED, 0, x->conf);
		if (x->none_reason[0] && c->running)
			snprintf(r->reason, sizeof(r->reason), "%s", x->none_reason);
		else if (!(x->bundle & IMPACT_BIT(IMPACT_RUNC_UPGRADE)) &&
			 !(x->bundle & IMPACT_BIT(IMPACT_RECREATE)))
			snprintf(r->reason, sizeof(r->reason), "no action on this host");
		else if (!c->running)
			snprintf(r->reason, sizeof(r->reason),
				 "not running now; nothing stops or starts it");
		else if (x->bundle & IMPACT_BIT(IMPACT_RECREATE))
			snprintf(r->reason, sizeof(r->reason),
				 "not among the containers to recreate; nothing stops it");
		break;
	}

	if ((x->bundle & IMPACT_BIT(IMPACT_RECREATE)) && c->recreate) {
		bool down = x->ep == EP_REBOOT || x->ep == EP_ENGINE;
		long long t = (down && c->running ? down_back(x, c) - own_start(c) : own_stop(c)) +
			      IMPACT_PULL + own_start(c);

		set(r, IMPACT_RECREATED, t, IMPACT_HIGH);
		r->row = "recreate";
		if (down)
			snprintf(r->reason, sizeof(r->reason),
				 "recreated from a new image %s: down until it is pulled and "
				 "started", x->when);
		else
			snprintf(r->reason, sizeof(r->reason),
				 "recreated from a new image: down while it is stopped, the "
				 "image pulled and the container started");
		return;
	}
	if ((x->bundle & IMPACT_BIT(IMPACT_RUNC_UPGRADE)) &&
	    r->effect == IMPACT_UNAFFECTED && c->running && x->ep != EP_REBOOT) {
		if (!r->reason[0])
			snprintf(r->reason, sizeof(r->reason),
				 "the runc upgrade stops nothing: %s", old_runc);
		else
			append(r, old_runc);
	}
}

void impact_run(struct impact_result *out, const struct impact_host *h,
		impact_actions bundle, const struct impact_container *c, size_t n)
{
	struct ctx x;

	memset(&x, 0, sizeof(x));
	x.h = h;
	x.bundle = bundle & IMPACT_ALL;
	x.shutdown = impact_shutdown_seconds(c, n);
	set_plan(&x);
	for (size_t i = 0; i < n; i++)
		decide(&out[i], &x, &c[i]);
}
