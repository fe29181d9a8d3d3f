/* export_fixture.c - the hand-made plan of export_fixture.h. Instants were
 * worked out with python3's datetime (UTC) and checked against the zones:
 * Sunday 2026-11-29 02:00 Europe/Berlin (CET, +01:00) = 01:00Z, Wednesday
 * 2026-11-25 22:00 America/New_York (EST, -05:00) = 2026-11-26 03:00Z. */
#include "export_fixture.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define M 60
#define H 3600

static void window(struct plan_window *w, const char *name, const char *tz,
		   int64_t duration, int max_down, const char *rrule, int start_minute,
		   const int64_t *starts, const int *days, size_t n)
{
	w->name = xstrdup(name);
	w->timezone = xstrdup(tz);
	w->duration = duration;
	w->max_down = max_down;
	w->rrule = xstrdup(rrule);
	w->start_minute = start_minute;
	w->occ = xcalloc(n, sizeof(*w->occ));
	w->nocc = n;
	for (size_t i = 0; i < n; i++)
		w->occ[i] = (struct window_occ){
			.start = starts[i], .end = starts[i] + duration,
			.occ_start = starts[i], .occ_end = starts[i] + duration,
			.ordinal = (int)i, .day = days[i],
		};
}

struct cdef {
	const char *name;
	enum impact_effect effect;
	long long outage;
	const char *reason;
};

struct tdef {
	const char *component, *package, *version;
};

static void host(struct plan_host *h, const char *name, impact_actions actions,
		 const char *urgency, int64_t deadline, int64_t outage,
		 const struct cdef *c, size_t nc, const struct tdef *t, size_t nt)
{
	h->name = xstrdup(name);
	h->actions = actions;
	h->urgency = xstrdup(urgency);
	h->score = 0;
	h->deadline = deadline;
	h->outage = outage;
	h->pin_window = -1;
	h->containers = xcalloc(nc ? nc : 1, sizeof(*h->containers));
	h->ncontainers = nc;
	for (size_t i = 0; i < nc; i++) {
		char id[65];

		memset(id, 'a' + (int)(i % 6), 64);
		id[64] = '\0';
		h->containers[i] = (struct plan_container){
			.id = xstrdup(id), .name = xstrdup(c[i].name), .effect = c[i].effect,
			.outage = c[i].outage, .confidence = IMPACT_HIGH,
			.reason = xstrdup(c[i].reason),
		};
	}
	h->targets = xcalloc(nt ? nt : 1, sizeof(*h->targets));
	h->ntargets = nt;
	for (size_t i = 0; i < nt; i++)
		h->targets[i] = (struct plan_target){
			.component = xstrdup(t[i].component),
			.package = t[i].package ? xstrdup(t[i].package) : NULL,
			.version = t[i].version ? xstrdup(t[i].version) : NULL,
		};
}

void export_fixture(struct plan *p)
{
	static const int64_t sun[] = { 1795914000, 1796518800 };
	static const int sun_days[] = { 20261129, 20261206 };
	static const int64_t wed[] = { 1795662000, 1796266800, 1796871600 };
	static const int wed_days[] = { 20261125, 20261202, 20261209 };
	static const int64_t tue[] = { 1795521600, 1796126400, 1796731200 };
	static const int tue_days[] = { 20261124, 20261201, 20261208 };
	static const char *const reason_always =
		"policy 'always': comes back when the engine starts";
	const impact_actions reboot = IMPACT_BIT(IMPACT_REBOOT);

	p->in.start = FIX_START;
	p->in.end = FIX_END;
	p->in.max_down = 5;
	p->in.soak = 15 * M;

	p->in.nwindows = 3;
	p->in.windows = xcalloc(3, sizeof(*p->in.windows));
	window(&p->in.windows[0], "sunday-night", "Europe/Berlin", 4 * H, 2,
	       "FREQ=WEEKLY;BYDAY=SU", 120, sun, sun_days, 2);
	p->in.windows[0].frozen = xcalloc(1, sizeof(struct window_frozen));
	p->in.windows[0].frozen[0] = (struct window_frozen){
		.start = 1797116400, .end = FIX_END, .freeze = "year-end" };
	p->in.windows[0].nfrozen = 1;
	window(&p->in.windows[1], "db-late", "America/New_York", 3 * H, 0,
	       "FREQ=WEEKLY;BYDAY=WE", 22 * 60, wed, wed_days, 3);
	window(&p->in.windows[2], "utc-maint", "UTC", 2 * H, 0,
	       "FREQ=WEEKLY;BYDAY=TU", 12 * 60, tue, tue_days, 3);

	p->in.nhosts = 6;
	p->in.hosts = xcalloc(6, sizeof(*p->in.hosts));
	{
		const struct cdef c[] = {
			{ "pg", IMPACT_RESTARTS, 420, reason_always },
		};
		const struct tdef t[] = {
			{ "docker", "docker.io", "20.10.24+dfsg1-1+deb12u1" },
			{ "kernel", "linux-image-6.1.0-18-amd64", "6.1.119-1" },
		};
		host(&p->in.hosts[0], "db-1", reboot | IMPACT_BIT(IMPACT_ENGINE_RESTART),
		     "high", 1795478400 /* 2026-11-24T00:00Z */, 400, c, 1, t, 2);
	}
	{
		const struct cdef c[] = {
			{ "cron", IMPACT_STAYS_DOWN, IMPACT_OUTAGE_UNBOUNDED,
			  "policy 'no': stays down after the reboot; start it by hand or set unless-stopped" },
			{ "old_job", IMPACT_STAYS_DOWN, 0,
			  "policy 'no': stays down, not running now either" },
			{ "shop_web_1", IMPACT_RESTARTS, 320, reason_always },
		};
		const struct tdef t[] = {
			{ "kernel", "linux-image-6.1.0-18-amd64", "6.1.119-1" },
			{ "runc", "runc", "1.1.5+ds1-1+deb12u1" },
		};
		host(&p->in.hosts[1], "web-1", reboot, "critical",
		     1796601600 /* 2026-12-07T00:00Z */, 300, c, 3, t, 2);
	}
	{
		const struct cdef c[] = {
			{ "shop_web_2", IMPACT_RESTARTS, 320, reason_always },
			{ "tmp_rm", IMPACT_REMOVED, IMPACT_OUTAGE_UNBOUNDED,
			  "--rm container: the engine deletes it when it stops" },
		};
		const struct tdef t[] = {
			{ "kernel", "linux-image-6.1.0-18-amd64", "6.1.119-1" },
		};
		host(&p->in.hosts[2], "web-2", reboot, "critical", 0, 300, c, 2, t, 1);
	}
	{
		const struct cdef c[] = {
			{ "shop_web_3", IMPACT_UNAFFECTED, 0,
			  "live-restore keeps it running through a patch-level engine restart" },
		};
		const struct tdef t[] = {
			{ "docker", "docker-ce", "5:24.0.9-1~debian.12~bookworm" },
		};
		host(&p->in.hosts[3], "web-3", IMPACT_BIT(IMPACT_ENGINE_RESTART), "medium",
		     0, 60, c, 1, t, 1);
	}
	{
		const struct cdef c[] = {
			{ "batch", IMPACT_UNAFFECTED, 0, "a runc upgrade stops nothing" },
		};
		const struct tdef t[] = {
			{ "containerd", "containerd", NULL },
			{ "runc", "runc", "1.1.12" },
		};
		host(&p->in.hosts[4], "worker-1", IMPACT_BIT(IMPACT_RUNC_UPGRADE), "low",
		     0, 30, c, 1, t, 2);
	}
	{
		const struct cdef c[] = {
			{ "app", IMPACT_RESTARTS, 200, reason_always },
		};
		host(&p->in.hosts[5], "zz-lost", reboot, "high", 0, 200, c, 1, NULL, 0);
	}

	p->in.ngroups = 2;
	p->in.groups = xcalloc(2, sizeof(*p->in.groups));
	p->in.groups[0].name = xstrdup("compose:shop/web");
	p->in.groups[0].min_available = 1;
	p->in.groups[0].nmembers = 3;
	p->in.groups[0].members = xcalloc(3, sizeof(struct plan_member));
	p->in.groups[0].members[0] = (struct plan_member){ 1, 2 };
	p->in.groups[0].members[1] = (struct plan_member){ 2, 0 };
	p->in.groups[0].members[2] = (struct plan_member){ 3, 0 };
	p->in.groups[1].name = xstrdup("label:role=db");
	p->in.groups[1].min_available = 1;
	p->in.groups[1].configured = true;
	p->in.groups[1].nmembers = 1;
	p->in.groups[1].members = xcalloc(1, sizeof(struct plan_member));
	p->in.groups[1].members[0] = (struct plan_member){ 0, 0 };

	p->nslots = FIX_NSLOTS;
	p->slots = xcalloc(FIX_NSLOTS, sizeof(*p->slots));
	/* by start, then host name; a slot is outage + soak */
	p->slots[0] = (struct plan_slot){ .host = 4, .window = 2, .occ = 0,
		.start = tue[0], .down_end = tue[0] + 30, .end = tue[0] + 30 + 15 * M, .wave = 1 };
	p->slots[1] = (struct plan_slot){ .host = 0, .window = 1, .occ = 0,
		.start = wed[0], .down_end = wed[0] + 400, .end = wed[0] + 400 + 15 * M,
		.wave = 1, .late = true };
	p->slots[2] = (struct plan_slot){ .host = 1, .window = 0, .occ = 0,
		.start = sun[0], .down_end = sun[0] + 300, .end = sun[0] + 20 * M, .wave = 1 };
	p->slots[3] = (struct plan_slot){ .host = 2, .window = 0, .occ = 0,
		.start = sun[0], .down_end = sun[0] + 300, .end = sun[0] + 20 * M, .wave = 1 };
	p->slots[4] = (struct plan_slot){ .host = 3, .window = 0, .occ = 0,
		.start = sun[0] + 20 * M, .down_end = sun[0] + 21 * M, .end = sun[0] + 36 * M,
		.wave = 2 };
	p->host_slot = xcalloc(6, sizeof(long));
	p->host_slot[0] = 1;
	p->host_slot[1] = 2;
	p->host_slot[2] = 3;
	p->host_slot[3] = 4;
	p->host_slot[4] = 0;
	p->host_slot[5] = -1;

	p->nlate = 1;
	p->late = xcalloc(1, sizeof(*p->late));
	p->late[0] = (struct plan_miss){ .host = 0, .reason = xstrdup(
		"no valid slot before the deadline 2026-11-24: the first occurrence of"
		" 'db-late' starts 2026-11-25 22:00") };
	p->nunplaced = 1;
	p->unplaced = xcalloc(1, sizeof(*p->unplaced));
	p->unplaced[0] = (struct plan_miss){ .host = 5, .reason = xstrdup("no window matches") };

	p->groups = xcalloc(2, sizeof(*p->groups));
	p->groups[0] = (struct plan_group_result){ .min_up = 1 };
	p->groups[1] = (struct plan_group_result){ .min_up = 0, .impossible = true };
	p->nwarnings = 1;
	p->warnings = xcalloc(1, sizeof(char *));
	p->warnings[0] = xstrdup("group 'label:role=db' has 1 member and needs 1 available");
	p->container_seconds_down = 420 + 300 + 320 + 320 + 300;
	p->service_seconds_down = 0;
}

void export_fixture_rename_host(struct plan *p, size_t i, const char *name)
{
	free(p->in.hosts[i].name);
	p->in.hosts[i].name = xstrdup(name);
}

void export_fixture_rename_container(struct plan *p, size_t i, size_t c,
				     const char *name)
{
	free(p->in.hosts[i].containers[c].name);
	p->in.hosts[i].containers[c].name = xstrdup(name);
}
