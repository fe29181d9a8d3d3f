/* test_impact.c - unit tests of the impact model (src/impact.h): every
 * row of the DESIGN.md §7 table, on the REAL inspect answers of Docker
 * 20.10 and Podman 4.3 in tests/data/engine/ (read through a :memory:
 * store, as `slipway impact` reads them). The expected effects below were
 * written by hand from the §7 table, not taken from the program. Also the
 * outage arithmetic, the action names, the boot time learned from
 * snapshots and `slipway impact`'s query over an imported host report. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "finding.h"
#include "impact.h"
#include "report.h"
#include "store.h"
#include "testlib.h"

static struct store *store;

static void setup(void)
{
	store = testlib_store(NULL);
}

static void teardown(void)
{
	store_close(store);
	store = NULL;
}

/* Facts of one fixture container, by its file under tests/data/engine/. */
static void load(struct impact_container *c, const char *file)
{
	size_t len;
	char *json;
	struct err err;

	json = testlib_slurp(&len, "engine/%s.json", file);
	err_clear(&err);
	ck_assert_msg(impact_container_from_inspect(c, store, json, len, &err) == 0,
		      "%s: %s", file, err.msg);
	free(json);
}

#define D(name) "docker/containers/" name
#define P(name) "podman/containers/" name
#define SWARM_API1 "docker/swarm/container-api.1.vx7at4atws9vaxhc4iepjwug3"

#define B(a) IMPACT_BIT(IMPACT_##a)
#define UNB IMPACT_OUTAGE_UNBOUNDED
#define ANY_OUTAGE (-2LL)

/* Host variants. */
enum hostkind {
	H_DOCKER,          /* Docker 20.10.24, no live-restore, enabled at boot */
	H_DOCKER_LIVE,     /* the same with live-restore */
	H_DOCKER24_LIVE,   /* Docker 24.0.7 with live-restore */
	H_DOCKER_LIVE_SWARM, /* live-restore configured and swarm active */
	H_DOCKER_DISABLED, /* docker.service not enabled at boot */
	H_DOCKER_CE_20,    /* docker-ce 20.10: bound to containerd */
	H_PODMAN_NORESTART,/* podman-restart.service not enabled */
	H_PODMAN_RESTART,  /* podman-restart.service enabled */
};

static void host_for(struct impact_host *h, enum hostkind k, const char *target)
{
	impact_host_init(h);
	h->version = "20.10.24+dfsg1";
	h->target_version = target;
	h->live_restore = 0;
	h->swarm = 0;
	h->engine_enabled = 1;
	h->containerd_bound = 0;
	switch (k) {
	case H_DOCKER:
		break;
	case H_DOCKER_LIVE:
		h->live_restore = 1;
		break;
	case H_DOCKER24_LIVE:
		h->version = "24.0.7";
		h->live_restore = 1;
		break;
	case H_DOCKER_LIVE_SWARM:
		h->live_restore = 1;
		h->swarm = 1;
		break;
	case H_DOCKER_DISABLED:
		h->engine_enabled = 0;
		break;
	case H_DOCKER_CE_20:
		h->containerd_bound = 1;
		break;
	case H_PODMAN_NORESTART:
	case H_PODMAN_RESTART:
		h->engine = IMPACT_ENGINE_PODMAN;
		h->version = "4.3.1";
		h->engine_enabled = -1;
		h->podman_restart = k == H_PODMAN_RESTART;
		h->live_restore = -1;
		h->swarm = -1;
		break;
	}
}

/* Changes to a real container's facts for the cases no captured sample
 * shows, each as the engine would state it. */
enum tweak {
	T_NONE,
	T_USER_STOPPED,    /* after `docker stop`: exited 137, not running */
	T_SYSTEMD_UNIT,    /* label PODMAN_SYSTEMD_UNIT=container-web.service */
	T_ON_FAILURE,      /* RestartPolicy on-failure */
	T_ALWAYS,          /* RestartPolicy always */
	T_RECREATE,        /* the bundle's recreate covers it */
};

static const struct rule_case {
	const char *what;
	const char *file;
	enum tweak tweak;
	enum hostkind host;
	const char *target;        /* engine target version, NULL: same */
	impact_actions bundle;
	enum impact_effect effect;
	enum impact_confidence conf;
	long long outage;          /* ANY_OUTAGE: not checked here */
	const char *reason;        /* a part the reason must hold */
} rule_cases[] = {
	/* row: running, policy always */
	{ "always + reboot", D("shop_db_1"), T_NONE, H_DOCKER, NULL, B(REBOOT),
	  IMPACT_RESTARTS, IMPACT_HIGH, ANY_OUTAGE, "restart policy 'always'" },
	{ "always (unhealthy) + engine restart", D("unhealthy-one"), T_NONE, H_DOCKER, NULL,
	  B(ENGINE_RESTART), IMPACT_RESTARTS, IMPACT_HIGH, ANY_OUTAGE, "after the engine restart" },
	{ "always + live-restore restart", D("shop_db_1"), T_NONE, H_DOCKER_LIVE, NULL,
	  B(ENGINE_RESTART), IMPACT_UNAFFECTED, IMPACT_HIGH, 0, "live-restore keeps it running" },
	{ "always stopped by a user + engine restart", D("shop_db_1"), T_USER_STOPPED, H_DOCKER,
	  NULL, B(ENGINE_RESTART), IMPACT_RESTARTS, IMPACT_HIGH, 0, "stopped now" },
	/* row: running, unless-stopped */
	{ "unless-stopped + reboot", D("from-registry-tag"), T_NONE, H_DOCKER, NULL, B(REBOOT),
	  IMPACT_RESTARTS, IMPACT_HIGH, ANY_OUTAGE, "'unless-stopped'" },
	{ "unless-stopped stopped by a user + reboot", D("unconfined-hostns"), T_USER_STOPPED,
	  H_DOCKER, NULL, B(REBOOT), IMPACT_STAYS_DOWN, IMPACT_HIGH, 0, "stopped by a user" },
	{ "unless-stopped + live-restore", D("unconfined-hostns"), T_NONE, H_DOCKER_LIVE, NULL,
	  B(ENGINE_RESTART), IMPACT_UNAFFECTED, IMPACT_HIGH, 0, "live-restore" },
	/* row: running, on-failure */
	{ "on-failure, exits 0 on SIGTERM + reboot", D("graceful-onfail"), T_NONE, H_DOCKER,
	  NULL, B(REBOOT), IMPACT_STAYS_DOWN, IMPACT_LOW, UNB, "only if it exits non-zero" },
	{ "on-failure:3 + engine restart", D("limits-onfail"), T_NONE, H_DOCKER, NULL,
	  B(ENGINE_RESTART), IMPACT_STAYS_DOWN, IMPACT_LOW, UNB, "'on-failure:3'" },
	{ "on-failure, paused: killed, exit 137", D("paused-one"), T_ON_FAILURE, H_DOCKER, NULL,
	  B(REBOOT), IMPACT_RESTARTS, IMPACT_HIGH, ANY_OUTAGE, "exit 137" },
	{ "on-failure:2 crash loop gave up", D("crashloop"), T_NONE, H_DOCKER, NULL, B(REBOOT),
	  IMPACT_STAYS_DOWN, IMPACT_HIGH, 0, "gave up after 2 restarts" },
	{ "on-failure + live-restore", D("graceful-onfail"), T_NONE, H_DOCKER_LIVE, NULL,
	  B(ENGINE_RESTART), IMPACT_UNAFFECTED, IMPACT_HIGH, 0, "live-restore" },
	/* row: running, no or "" */
	{ "no + reboot", D("plain-norestart"), T_NONE, H_DOCKER, NULL, B(REBOOT),
	  IMPACT_STAYS_DOWN, IMPACT_HIGH, UNB,
	  "restart policy 'no': stays down after the reboot; start it by hand or set unless-stopped" },
	{ "no, StopTimeout 20 + engine restart", D("mounts-ro"), T_NONE, H_DOCKER, NULL,
	  B(ENGINE_RESTART), IMPACT_STAYS_DOWN, IMPACT_HIGH, UNB, "'no'" },
	{ "paused, no + engine restart", D("paused-one"), T_NONE, H_DOCKER, NULL,
	  B(ENGINE_RESTART), IMPACT_STAYS_DOWN, IMPACT_HIGH, UNB, "'no'" },
	{ "paused, always + engine restart", D("paused-one"), T_ALWAYS, H_DOCKER, NULL,
	  B(ENGINE_RESTART), IMPACT_RESTARTS, IMPACT_HIGH, ANY_OUTAGE, "no longer paused" },
	{ "compose one-off \"\" + reboot", D("shop_worker_run_69246c987e50"), T_NONE, H_DOCKER,
	  NULL, B(REBOOT), IMPACT_STAYS_DOWN, IMPACT_HIGH, UNB, "compose one-off" },
	{ "no + live-restore", D("plain-norestart"), T_NONE, H_DOCKER_LIVE, NULL,
	  B(ENGINE_RESTART), IMPACT_UNAFFECTED, IMPACT_HIGH, 0, "live-restore" },
	{ "exited 3, no + reboot", D("exited-3"), T_NONE, H_DOCKER, NULL, B(REBOOT),
	  IMPACT_STAYS_DOWN, IMPACT_HIGH, 0, "not running now either" },
	/* row: --rm */
	{ "--rm + reboot", D("autoremove-one"), T_NONE, H_DOCKER, NULL, B(REBOOT),
	  IMPACT_REMOVED, IMPACT_HIGH, UNB, "--rm" },
	/* DESIGN.md §7 says unaffected; Docker 20.10 really deletes it
	 * (moby#46308, measured by tests/integration/impact-truth.sh), and
	 * 24.0.8 / 25.0 keep it */
	{ "--rm + live-restore on 20.10", D("autoremove-one"), T_NONE, H_DOCKER_LIVE, NULL,
	  B(ENGINE_RESTART), IMPACT_REMOVED, IMPACT_HIGH, UNB, "fixed in 24.0.8" },
	{ "--rm + live-restore, 24.0.7 to 24.0.9", D("autoremove-one"), T_NONE,
	  H_DOCKER24_LIVE, "24.0.9", B(ENGINE_RESTART), IMPACT_UNAFFECTED, IMPACT_HIGH, 0,
	  "live-restore keeps it running" },
	{ "--rm + live-restore, 24.0.7 restart", D("autoremove-one"), T_NONE,
	  H_DOCKER24_LIVE, NULL, B(ENGINE_RESTART), IMPACT_REMOVED, IMPACT_LOW, UNB,
	  "engine 24.0 deletes it" },
	/* row: created but never started, or start failed */
	{ "created only + reboot", D("created-only"), T_NONE, H_DOCKER, NULL, B(REBOOT),
	  IMPACT_STAYS_DOWN, IMPACT_HIGH, 0, "not running now either" },
	{ "start failed (privileged) + reboot", D("priv-always"), T_NONE, H_DOCKER, NULL,
	  B(REBOOT), IMPACT_STAYS_DOWN, IMPACT_HIGH, 0, "start failed" },
	{ "created only + live-restore", D("created-only"), T_NONE, H_DOCKER_LIVE, NULL,
	  B(ENGINE_RESTART), IMPACT_UNAFFECTED, IMPACT_HIGH, 0, "not running now" },
	/* row: swarm task */
	{ "swarm task + reboot", SWARM_API1, T_NONE, H_DOCKER, NULL, B(REBOOT),
	  IMPACT_RESCHEDULED, IMPACT_HIGH, 10 + IMPACT_SWARM_RESCHEDULE + IMPACT_CONTAINER_START,
	  "swarm service 'api'" },
	{ "swarm task + engine restart, live-restore set", SWARM_API1, T_NONE,
	  H_DOCKER_LIVE_SWARM, NULL, B(ENGINE_RESTART), IMPACT_RESCHEDULED, IMPACT_HIGH,
	  ANY_OUTAGE, "live-restore does not apply with swarm" },
	{ "always on a swarm node, live-restore set", D("shop_db_1"), T_NONE,
	  H_DOCKER_LIVE_SWARM, NULL, B(ENGINE_RESTART), IMPACT_RESTARTS, IMPACT_HIGH,
	  ANY_OUTAGE, "live-restore does not apply with swarm" },
	/* row: Podman, no daemon */
	{ "podman always, no podman-restart + reboot", P("pm-always"), T_NONE,
	  H_PODMAN_NORESTART, NULL, B(REBOOT), IMPACT_STAYS_DOWN, IMPACT_HIGH, UNB,
	  "podman-restart.service is not enabled" },
	{ "podman always, podman-restart + reboot", P("pm-always"), T_NONE, H_PODMAN_RESTART,
	  NULL, B(REBOOT), IMPACT_RESTARTS, IMPACT_HIGH, ANY_OUTAGE, "podman-restart.service" },
	{ "podman \"\" with podman-restart + reboot", P("pm-plain"), T_NONE, H_PODMAN_RESTART,
	  NULL, B(REBOOT), IMPACT_STAYS_DOWN, IMPACT_HIGH, UNB, "podman has no daemon" },
	{ "podman unless-stopped (compat) + reboot", P("compat-run"), T_NONE, H_PODMAN_RESTART,
	  NULL, B(REBOOT), IMPACT_STAYS_DOWN, IMPACT_HIGH, UNB, "'unless-stopped'" },
	{ "podman systemd unit + reboot", P("pm-plain"), T_SYSTEMD_UNIT, H_PODMAN_NORESTART,
	  NULL, B(REBOOT), IMPACT_RESTARTS, IMPACT_HIGH, ANY_OUTAGE, "container-web.service" },
	{ "podman created only + reboot", P("pm-priv"), T_NONE, H_PODMAN_NORESTART, NULL,
	  B(REBOOT), IMPACT_STAYS_DOWN, IMPACT_HIGH, 0, "never started" },
	{ "podman exited + reboot", P("pm-exited-3"), T_NONE, H_PODMAN_RESTART, NULL,
	  B(REBOOT), IMPACT_STAYS_DOWN, IMPACT_HIGH, 0, "not running now either" },
	{ "podman engine restart: conmon keeps it", P("pm-always"), T_NONE,
	  H_PODMAN_NORESTART, NULL, B(ENGINE_RESTART), IMPACT_UNAFFECTED, IMPACT_HIGH, 0,
	  "conmon keeps it running" },
	{ "podman \"\" engine restart", P("pm-plain"), T_NONE, H_PODMAN_NORESTART, NULL,
	  B(ENGINE_RESTART), IMPACT_UNAFFECTED, IMPACT_HIGH, 0, "conmon" },
	/* live-restore only for patch-level upgrades (same YY.MM) */
	{ "live-restore, 20.10.24 to 20.10.25", D("shop_db_1"), T_NONE, H_DOCKER_LIVE,
	  "20.10.25", B(ENGINE_RESTART), IMPACT_UNAFFECTED, IMPACT_HIGH, 0, "same 20.10 series" },
	{ "live-restore, Debian package 20.10.24+dfsg1-1+deb12u2", D("plain-norestart"), T_NONE,
	  H_DOCKER_LIVE, "20.10.24+dfsg1-1+deb12u2", B(ENGINE_RESTART), IMPACT_UNAFFECTED,
	  IMPACT_HIGH, 0, "live-restore" },
	{ "live-restore, 20.10 to 23.0: always restarts", D("shop_db_1"), T_NONE, H_DOCKER_LIVE,
	  "23.0.1", B(ENGINE_RESTART), IMPACT_RESTARTS, IMPACT_HIGH, ANY_OUTAGE,
	  "engine upgrade 20.10 to 23.0 is not covered by live-restore" },
	{ "live-restore, 20.10 to 23.0: no stays down", D("plain-norestart"), T_NONE,
	  H_DOCKER_LIVE, "5:23.0.1-1~debian.12~bookworm", B(ENGINE_RESTART), IMPACT_STAYS_DOWN,
	  IMPACT_HIGH, UNB, "not covered by live-restore" },
	/* an engine not enabled at boot brings nothing back */
	{ "engine disabled: always", D("shop_db_1"), T_NONE, H_DOCKER_DISABLED, NULL, B(REBOOT),
	  IMPACT_STAYS_DOWN, IMPACT_HIGH, UNB, "not enabled at boot" },
	{ "engine disabled: unless-stopped", D("from-registry-tag"), T_NONE, H_DOCKER_DISABLED,
	  NULL, B(REBOOT), IMPACT_STAYS_DOWN, IMPACT_HIGH, UNB, "not enabled at boot" },
	{ "engine disabled: --rm", D("autoremove-one"), T_NONE, H_DOCKER_DISABLED, NULL,
	  B(REBOOT), IMPACT_STAYS_DOWN, IMPACT_HIGH, UNB, "not enabled at boot" },
	{ "engine disabled, engine restart only", D("shop_db_1"), T_NONE, H_DOCKER_DISABLED,
	  NULL, B(ENGINE_RESTART), IMPACT_RESTARTS, IMPACT_HIGH, ANY_OUTAGE, "'always'" },
	/* containerd restarts: shim v2 keeps containers; BindsTo/Requires
	 * packaging makes it an engine restart */
	{ "containerd restart, Wants= packaging", D("shop_db_1"), T_NONE, H_DOCKER, NULL,
	  B(CONTAINERD_RESTART), IMPACT_UNAFFECTED, IMPACT_HIGH, 0, "shim v2" },
	{ "containerd restart, no policy, Wants=", D("plain-norestart"), T_NONE, H_DOCKER, NULL,
	  B(CONTAINERD_RESTART), IMPACT_UNAFFECTED, IMPACT_HIGH, 0, "shim v2" },
	{ "containerd restart, docker-ce 20.10: always", D("shop_db_1"), T_NONE, H_DOCKER_CE_20,
	  NULL, B(CONTAINERD_RESTART), IMPACT_RESTARTS, IMPACT_HIGH, ANY_OUTAGE,
	  "bound to containerd" },
	{ "containerd restart, docker-ce 20.10: no", D("plain-norestart"), T_NONE,
	  H_DOCKER_CE_20, NULL, B(CONTAINERD_RESTART), IMPACT_STAYS_DOWN, IMPACT_HIGH, UNB,
	  "after the containerd restart" },
	/* a runc upgrade stops nothing */
	{ "runc upgrade: running", D("shop_db_1"), T_NONE, H_DOCKER, NULL, B(RUNC_UPGRADE),
	  IMPACT_UNAFFECTED, IMPACT_HIGH, 0,
	  "still running on state made by the old runc until recreated" },
	{ "runc upgrade: no policy", D("plain-norestart"), T_NONE, H_DOCKER, NULL,
	  B(RUNC_UPGRADE), IMPACT_UNAFFECTED, IMPACT_HIGH, 0, "old runc" },
	{ "runc upgrade: podman", P("pm-plain"), T_NONE, H_PODMAN_NORESTART, NULL,
	  B(RUNC_UPGRADE), IMPACT_UNAFFECTED, IMPACT_HIGH, 0, "old runc" },
	{ "runc upgrade + live-restore restart", D("plain-norestart"), T_NONE, H_DOCKER_LIVE,
	  NULL, B(ENGINE_RESTART) | B(RUNC_UPGRADE), IMPACT_UNAFFECTED, IMPACT_HIGH, 0,
	  "old runc" },
	/* recreate: stop + pull + start */
	{ "recreate", D("shop_db_1"), T_RECREATE, H_DOCKER, NULL, B(RECREATE),
	  IMPACT_RECREATED, IMPACT_HIGH, 10 + IMPACT_PULL + IMPACT_CONTAINER_START, "new image" },
	{ "recreate, not in the recreate set", D("shop_db_1"), T_NONE, H_DOCKER, NULL,
	  B(RECREATE), IMPACT_UNAFFECTED, IMPACT_HIGH, 0, NULL },
	/* a bundle with a reboot: the host goes down once */
	{ "reboot absorbs engine restart and runc", D("plain-norestart"), T_NONE, H_DOCKER_LIVE,
	  NULL, B(REBOOT) | B(ENGINE_RESTART) | B(RUNC_UPGRADE), IMPACT_STAYS_DOWN, IMPACT_HIGH,
	  UNB, "after the reboot" },
};

static void apply(struct impact_container *c, enum tweak t)
{
	switch (t) {
	case T_NONE:
		break;
	case T_USER_STOPPED:
		c->running = false;
		c->paused = false;
		c->exit_code = 137;
		free(c->status);
		c->status = strdup("exited");
		break;
	case T_SYSTEMD_UNIT:
		c->systemd_unit = strdup("container-web.service");
		break;
	case T_ON_FAILURE:
		free(c->policy);
		c->policy = strdup("on-failure");
		break;
	case T_ALWAYS:
		free(c->policy);
		c->policy = strdup("always");
		break;
	case T_RECREATE:
		c->recreate = true;
		break;
	}
}

START_TEST(test_rule)
{
	const struct rule_case *tc = &rule_cases[_i];
	struct impact_container c;
	struct impact_host h;
	struct impact_result r;

	load(&c, tc->file);
	apply(&c, tc->tweak);
	host_for(&h, tc->host, tc->target);
	impact_run(&r, &h, tc->bundle, &c, 1);
	ck_assert_msg(r.effect == tc->effect, "%s: effect %s, want %s (%s)", tc->what,
		      impact_effect_name(r.effect), impact_effect_name(tc->effect), r.reason);
	ck_assert_msg(r.confidence == tc->conf, "%s: confidence %s (%s)", tc->what,
		      r.confidence == IMPACT_HIGH ? "high" : "low", r.reason);
	if (tc->outage != ANY_OUTAGE)
		ck_assert_msg(r.outage == tc->outage, "%s: outage %lld, want %lld", tc->what,
			      r.outage, tc->outage);
	if (tc->reason)
		ck_assert_msg(strstr(r.reason, tc->reason), "%s: reason '%s' lacks '%s'",
			      tc->what, r.reason, tc->reason);
	ck_assert_msg(r.reason[0] && !strchr(r.reason, '\n'), "%s: reason must be one line",
		      tc->what);
	ck_assert_ptr_nonnull(r.row);
	impact_container_release(&c);
}
END_TEST

/* The facts as the inspect answers state them. */
START_TEST(test_facts)
{
	struct impact_container c;

	load(&c, D("mounts-ro"));
	ck_assert_str_eq(c.name, "mounts-ro");
	ck_assert_int_eq(c.stop_timeout, 20);
	ck_assert_str_eq(c.stop_signal, "SIGINT");
	ck_assert(c.running && c.started && !c.paused);
	ck_assert_str_eq(c.policy, "no");
	impact_container_release(&c);

	load(&c, D("shop_web_1"));
	ck_assert_int_eq(c.start_period, 5);
	ck_assert_int_eq(c.stop_timeout, -1);
	impact_container_release(&c);

	load(&c, D("priv-always"));
	ck_assert(!c.running && !c.started && c.start_failed);
	ck_assert_int_eq(c.exit_code, 128);
	impact_container_release(&c);

	load(&c, D("crashloop"));
	ck_assert_int_eq(c.restart_count, 2);
	ck_assert_int_eq(c.max_retries, 2);
	impact_container_release(&c);

	load(&c, D("shop_worker_run_69246c987e50"));
	ck_assert(c.oneoff);
	ck_assert_str_eq(c.policy, "");
	impact_container_release(&c);

	load(&c, SWARM_API1);
	ck_assert_str_eq(c.swarm_service, "api");
	ck_assert_ptr_nonnull(c.swarm_task);
	impact_container_release(&c);

	load(&c, P("pm-always"));
	ck_assert_str_eq(c.stop_signal, "15");   /* Podman says a number */
	ck_assert_int_eq(c.stop_timeout, 10);
	impact_container_release(&c);

	load(&c, D("paused-one"));
	ck_assert(c.paused && c.running);
	impact_container_release(&c);
}
END_TEST

START_TEST(test_bad_inspect)
{
	static const char *const bad[] = { "", "not json", "[1,2]", "{\"Name\":\"/x\"}",
					   "{\"Id\": 5}" };
	struct impact_container c;
	struct err err;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&c, 0xab, sizeof(c));
		err_clear(&err);
		ck_assert_int_eq(impact_container_from_inspect(&c, store, bad[i], strlen(bad[i]), &err),
				 ERR_PARSE);
		ck_assert(err.msg[0]);
		/* untouched on failure */
		ck_assert_int_eq(((unsigned char *)&c)[0], 0xab);
	}
}
END_TEST

/* Reboot with boot-time 3m on a host whose running containers include one
 * with StopTimeout 20 (mounts-ro): shutdown waits 20 s. shop_web_1 has a
 * health check StartPeriod of 5 s. */
START_TEST(test_outage_numbers)
{
	static const char *const files[] = { D("mounts-ro"), D("shop_web_1"), D("shop_db_1"),
					     D("plain-norestart"), D("exited-3") };
	struct impact_container c[5];
	struct impact_result r[5];
	struct impact_host h;

	for (int i = 0; i < 5; i++)
		load(&c[i], files[i]);
	host_for(&h, H_DOCKER, NULL);
	h.boot_seconds = 180;
	ck_assert_int_eq(impact_shutdown_seconds(c, 5), 20);

	impact_run(r, &h, B(REBOOT), c, 5);
	/* 20 shutdown + 180 boot + 5 engine start + 5 start period */
	ck_assert_int_eq(r[1].effect, IMPACT_RESTARTS);
	ck_assert_int_eq(r[1].outage, 20 + 180 + 5 + 5);
	/* no health check: 2 s own start */
	ck_assert_int_eq(r[2].outage, 20 + 180 + 5 + 2);
	ck_assert_int_eq(r[0].outage, UNB);
	ck_assert_int_eq(r[4].outage, 0);

	/* engine restart = stop + start */
	impact_run(r, &h, B(ENGINE_RESTART), c, 5);
	ck_assert_int_eq(r[1].outage, 20 + 5 + 5);
	ck_assert_int_eq(r[2].outage, 20 + 5 + 2);

	/* a bundle with a reboot costs what the reboot costs */
	impact_run(r, &h, B(REBOOT) | B(ENGINE_RESTART) | B(CONTAINERD_RESTART) | B(RUNC_UPGRADE),
		   c, 5);
	ck_assert_int_eq(r[1].outage, 20 + 180 + 5 + 5);
	ck_assert_int_eq(r[1].effect, IMPACT_RESTARTS);

	/* recreate after the reboot: down until pulled and started */
	c[2].recreate = true;
	impact_run(r, &h, B(REBOOT) | B(RECREATE), c, 5);
	ck_assert_int_eq(r[2].effect, IMPACT_RECREATED);
	ck_assert_int_eq(r[2].outage, 20 + 180 + 5 + IMPACT_PULL + 2);
	ck_assert_int_eq(r[1].effect, IMPACT_RESTARTS);

	/* Podman: no engine start */
	for (int i = 0; i < 5; i++)
		impact_container_release(&c[i]);
	load(&c[0], P("pm-always"));
	host_for(&h, H_PODMAN_RESTART, NULL);
	h.boot_seconds = 180;
	impact_run(r, &h, B(REBOOT), c, 1);
	ck_assert_int_eq(r[0].outage, 10 + 180 + 2);
	impact_container_release(&c[0]);
}
END_TEST

/* Unknown facts lower the confidence, never the effect's sense. */
START_TEST(test_unknown_facts)
{
	struct impact_container c;
	struct impact_host h;
	struct impact_result r;

	load(&c, D("shop_db_1"));
	host_for(&h, H_DOCKER, NULL);
	h.engine_enabled = -1;
	impact_run(&r, &h, B(REBOOT), &c, 1);
	ck_assert_int_eq(r.effect, IMPACT_RESTARTS);
	ck_assert_int_eq(r.confidence, IMPACT_LOW);

	host_for(&h, H_DOCKER, NULL);
	h.containerd_bound = -1;
	impact_run(&r, &h, B(CONTAINERD_RESTART), &c, 1);
	ck_assert_int_eq(r.effect, IMPACT_UNAFFECTED);
	ck_assert_int_eq(r.confidence, IMPACT_LOW);

	host_for(&h, H_PODMAN_NORESTART, NULL);
	h.podman_restart = -1;
	impact_container_release(&c);
	load(&c, P("pm-always"));
	impact_run(&r, &h, B(REBOOT), &c, 1);
	ck_assert_int_eq(r.effect, IMPACT_STAYS_DOWN);
	ck_assert_int_eq(r.confidence, IMPACT_LOW);
	ck_assert(strstr(r.reason, "not reported"));

	/* an empty bundle touches nothing */
	impact_run(&r, &h, 0, &c, 1);
	ck_assert_int_eq(r.effect, IMPACT_UNAFFECTED);
	ck_assert_str_eq(r.reason, "no action on this host");
	impact_container_release(&c);
}
END_TEST

START_TEST(test_action_names)
{
	impact_actions a = 0;
	enum impact_action one = IMPACT_RECREATE;
	char text[IMPACT_ACTIONS_TEXT_MAX];
	struct err err;

	for (int i = 0; i < IMPACT_ACTION_COUNT; i++) {
		ck_assert_int_eq(impact_action_parse(&one, impact_action_name((enum impact_action)i)), 0);
		ck_assert_int_eq(one, i);
	}
	ck_assert_str_eq(impact_action_name(IMPACT_ENGINE_RESTART), "engine-restart");
	ck_assert_int_eq(impact_action_parse(&one, "Reboot"), ERR_PARSE);
	ck_assert_int_eq(one, IMPACT_ACTION_COUNT - 1);

	err_clear(&err);
	ck_assert_int_eq(impact_actions_parse(&a, "runc-upgrade+reboot", &err), 0);
	ck_assert_uint_eq(a, B(REBOOT) | B(RUNC_UPGRADE));
	impact_actions_format(text, a);
	ck_assert_str_eq(text, "reboot+runc-upgrade");
	impact_actions_format(text, IMPACT_ALL);
	ck_assert_str_eq(text, "reboot+engine-restart+containerd-restart+runc-upgrade+recreate");
	impact_actions_format(text, 0);
	ck_assert_str_eq(text, "none");

	a = 7;
	ck_assert_int_eq(impact_actions_parse(&a, "reboot+nap", &err), ERR_PARSE);
	ck_assert(strstr(err.msg, "'nap'"));
	ck_assert_int_eq(impact_actions_parse(&a, "reboot+", &err), ERR_PARSE);
	ck_assert_int_eq(impact_actions_parse(&a, "", &err), ERR_PARSE);
	ck_assert_uint_eq(a, 7);
	ck_assert_str_eq(impact_effect_name(IMPACT_STAYS_DOWN), "stays-down");
}
END_TEST

/* Boot time learned from snapshots: two reboots seen, gaps 95 s and
 * 140 s (median 118), one too far apart to be a measurement. */
START_TEST(test_learned_boot)
{
	struct err err;
	long long hid, boot = 0;

	err_clear(&err);
	ck_assert_int_ge(store_exec(store, &err, "INSERT INTO host(name) VALUES ('h1')", ""), 0);
	hid = store_last_rowid(store);
	ck_assert_int_eq(impact_learned_boot(&boot, store, hid, &err), ERR_NOTFOUND);
	/* boot a: seen at 1000 and 2000; host down, boot b's kernel starts
	 * at 2095 (first seen at 2100 with uptime 5): gap 95 */
	static const struct { long long at; const char *boot; long long up; } snaps[] = {
		{ 1000, "a", 500 }, { 2000, "a", 1500 },
		{ 2100, "b", 5 }, { 5000, "b", 2905 },
		{ 5200, "c", 60 },     /* kernel at 5140: gap 140 */
		{ 9000, "c", 3860 },
		{ 20000, "d", 100 },   /* gap 10900: not a measurement */
	};
	for (size_t i = 0; i < sizeof(snaps) / sizeof(snaps[0]); i++)
		ck_assert_int_ge(store_exec(store, &err,
					    "INSERT INTO host_snapshot(hid, taken_at, boot_id, uptime)"
					    " VALUES (?, ?, ?, ?)", "iisi", hid, snaps[i].at,
					    snaps[i].boot, snaps[i].up), 0);
	ck_assert_int_eq(impact_learned_boot(&boot, store, hid, &err), 0);
	ck_assert_int_eq(boot, (95 + 140 + 1) / 2);
}
END_TEST

static const char *field(const char *json, const char *container, struct store *s,
			 const char *key, char *out, size_t size)
{
	char *v = testlib_text(s,
		"SELECT json_extract(value, '$.' || ?2) FROM json_each(?1)"
		" WHERE json_extract(value, '$.container') = ?3",
		json, key, container);

	snprintf(out, size, "%s", v ? v : "(null)");
	free(v);
	return out;
}

/* `slipway impact` over an imported host report (tests/data/reports/
 * docker-debian12.json: the real Docker samples as host web-1). */
START_TEST(test_query_report)
{
	struct impact_list l = { 0 };
	struct config *cfg = NULL;
	struct buf out;
	struct err err;
	char path[1024], v[256];

	err_clear(&err);
	testlib_path(path, sizeof(path), "reports/docker-debian12.json");
	ck_assert_msg(report_import_file(store, path, 0, NULL, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(config_parse(&cfg, "t.conf", "[host web-1]\nboot-time = 3m\n",
				      strlen("[host web-1]\nboot-time = 3m\n"), &err), 0);

	ck_assert_int_eq(impact_query(&l, store, cfg, "nope", 0, &err), ERR_NOTFOUND);
	ck_assert_int_eq(impact_query(&l, store, cfg, NULL, B(REBOOT), &err), 0);
	ck_assert_uint_eq(l.n, 19);
	ck_assert_str_eq(l.v[0].container, "autoremove-one");   /* by name */
	ck_assert_int_eq(l.v[0].boot_seconds, 180);
	ck_assert_str_eq(l.v[0].boot_source, "config");

	buf_init(&out, BUF_MAX_DEFAULT);
	ck_assert_int_eq(impact_list_json(&l, store, &out, &err), 0);
	ck_assert_str_eq(field(out.ptr, "plain-norestart", store, "effect", v, sizeof(v)),
			 "stays-down");
	ck_assert_str_eq(field(out.ptr, "plain-norestart", store, "outage_seconds", v, sizeof(v)),
			 "(null)");
	ck_assert_str_eq(field(out.ptr, "plain-norestart", store, "action", v, sizeof(v)),
			 "reboot");
	ck_assert_str_eq(field(out.ptr, "plain-norestart", store, "host", v, sizeof(v)), "web-1");
	ck_assert_str_eq(field(out.ptr, "shop_db_1", store, "effect", v, sizeof(v)), "restarts");
	/* largest StopTimeout 20 (mounts-ro) + 3m + 5 + 2 */
	ck_assert_str_eq(field(out.ptr, "shop_db_1", store, "outage_seconds", v, sizeof(v)),
			 "207");
	ck_assert_str_eq(field(out.ptr, "graceful-onfail", store, "confidence", v, sizeof(v)),
			 "low");
	ck_assert_str_eq(field(out.ptr, "autoremove-one", store, "effect", v, sizeof(v)),
			 "removed");
	ck_assert_str_eq(field(out.ptr, "created-only", store, "effect", v, sizeof(v)),
			 "stays-down");
	buf_release(&out);
	impact_list_release(&l);

	/* no findings computed yet: the bundle is reboot, said so */
	ck_assert_int_eq(impact_query(&l, store, NULL, "web-1", 0, &err), 0);
	ck_assert_str_eq(l.v[0].bundle_source, "default");
	ck_assert_uint_eq(l.v[0].actions, B(REBOOT));
	impact_list_release(&l);
	/* findings with no advisories: the report's reboot_required alone
	 * makes web-1's bundle a reboot */
	ck_assert_msg(finding_update(store, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(impact_query(&l, store, NULL, "web-1", 0, &err), 0);
	ck_assert_str_eq(l.v[0].bundle_source, "findings");
	ck_assert_uint_eq(l.v[0].actions, B(REBOOT));
	impact_list_release(&l);

	/* the report says live-restore is off: an engine restart stops them */
	ck_assert_int_eq(impact_query(&l, store, NULL, "web-1", B(ENGINE_RESTART), &err), 0);
	ck_assert_str_eq(l.v[0].boot_source, "policy");
	for (size_t i = 0; i < l.n; i++)
		if (!strcmp(l.v[i].container, "unconfined-hostns"))
			ck_assert_int_eq(l.v[i].r.effect, IMPACT_RESTARTS);
	impact_list_release(&l);
	config_free(cfg);
}
END_TEST

static Suite *impact_suite(void)
{
	Suite *s = suite_create("impact");
	TCase *tc = tcase_create("rules");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_rule, 0, (int)(sizeof(rule_cases) / sizeof(rule_cases[0])));
	tcase_add_test(tc, test_facts);
	tcase_add_test(tc, test_bad_inspect);
	tcase_add_test(tc, test_outage_numbers);
	tcase_add_test(tc, test_unknown_facts);
	tcase_add_test(tc, test_action_names);
	tcase_add_test(tc, test_learned_boot);
	tcase_add_test(tc, test_query_report);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return testlib_run(impact_suite());
}
