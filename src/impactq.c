/* impactq.c - the store side of the impact model (impact.h): reads a
 * host's facts and its containers' inspect answers (Docker Engine API
 * ContainerInspect, moby api/swagger.yaml; Podman's compat API answers the
 * same paths) with sqlite JSON1, runs impact_run() and lists the result
 * for `slipway impact` and the UI. */
#include "impact.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "config.h"
#include "finding.h"
#include "xalloc.h"
#include "banned.h"

/* Columns of a container's facts, read from inspect document d. The zero
 * time "0001-01-01T00:00:00Z" is how both engines say "never started";
 * StartPeriod is nanoseconds. */
#define FACT_COLS(d)                                                          \
	"json_extract(" d ", '$.Id'),"                                        \
	" ltrim(json_extract(" d ", '$.Name'), '/'),"                         \
	" coalesce(json_extract(" d ", '$.State.Status'), ''),"               \
	" coalesce(json_extract(" d ", '$.State.Running'), 0),"               \
	" coalesce(json_extract(" d ", '$.State.Paused'), 0),"                \
	" coalesce(json_extract(" d ", '$.State.StartedAt'), '') NOT IN ('', '0001-01-01T00:00:00Z'),"  \
	" coalesce(json_extract(" d ", '$.State.Error'), '') <> '',"          \
	" coalesce(json_extract(" d ", '$.State.ExitCode'), 0),"              \
	" coalesce(json_extract(" d ", '$.HostConfig.RestartPolicy.Name'), ''),"  \
	" coalesce(json_extract(" d ", '$.HostConfig.RestartPolicy.MaximumRetryCount'), 0)," \
	" coalesce(json_extract(" d ", '$.RestartCount'), 0),"                \
	" coalesce(json_extract(" d ", '$.HostConfig.AutoRemove'), 0),"       \
	" json_extract(" d ", '$.Config.StopTimeout'),"                       \
	" json_extract(" d ", '$.Config.StopSignal'),"                        \
	" (coalesce(json_extract(" d ", '$.Config.Healthcheck.StartPeriod'), 0) + 999999999) / 1000000000," \
	" coalesce(json_extract(" d ", '$.Config.Labels.\"com.docker.compose.oneoff\"'), '') = 'True'," \
	" json_extract(" d ", '$.Config.Labels.\"com.docker.swarm.task.id\"'),"  \
	" json_extract(" d ", '$.Config.Labels.\"com.docker.swarm.service.name\"')," \
	" json_extract(" d ", '$.Config.Labels.PODMAN_SYSTEMD_UNIT')"

enum {
	F_ID, F_NAME, F_STATUS, F_RUNNING, F_PAUSED, F_STARTED, F_FAILED,
	F_EXIT, F_POLICY, F_MAX, F_COUNT, F_RM, F_STOP_TIMEOUT, F_STOP_SIGNAL,
	F_START_PERIOD, F_ONEOFF, F_TASK, F_SERVICE, F_UNIT,
};

/* Longest stop timeout or start period believed, seconds (a day). */
#define MAX_SECONDS 86400LL

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static long long clamp(long long v)
{
	return v < 0 ? 0 : v > MAX_SECONDS ? MAX_SECONDS : v;
}

static void read_facts(struct impact_container *c, struct store_rows *rows)
{
	memset(c, 0, sizeof(*c));
	c->id = xstrdup(store_rows_text(rows, F_ID) ? store_rows_text(rows, F_ID) : "");
	c->name = xstrdup(store_rows_text(rows, F_NAME) ? store_rows_text(rows, F_NAME) : "");
	c->status = xstrdup(store_rows_text(rows, F_STATUS) ? store_rows_text(rows, F_STATUS) : "");
	c->running = store_rows_int(rows, F_RUNNING) != 0;
	c->paused = store_rows_int(rows, F_PAUSED) != 0;
	c->started = store_rows_int(rows, F_STARTED) != 0;
	c->start_failed = store_rows_int(rows, F_FAILED) != 0;
	c->exit_code = store_rows_int(rows, F_EXIT);
	c->policy = xstrdup(store_rows_text(rows, F_POLICY) ? store_rows_text(rows, F_POLICY) : "");
	c->max_retries = store_rows_int(rows, F_MAX);
	c->restart_count = store_rows_int(rows, F_COUNT);
	c->auto_remove = store_rows_int(rows, F_RM) != 0;
	c->stop_timeout = store_rows_null(rows, F_STOP_TIMEOUT)
				  ? -1 : clamp(store_rows_int(rows, F_STOP_TIMEOUT));
	c->stop_signal = dup_or_null(store_rows_text(rows, F_STOP_SIGNAL));
	c->start_period = clamp(store_rows_int(rows, F_START_PERIOD));
	c->oneoff = store_rows_int(rows, F_ONEOFF) != 0;
	c->swarm_task = dup_or_null(store_rows_text(rows, F_TASK));
	c->swarm_service = dup_or_null(store_rows_text(rows, F_SERVICE));
	c->systemd_unit = dup_or_null(store_rows_text(rows, F_UNIT));
}

int impact_container_from_inspect(struct impact_container *out, struct store *s,
				  const char *json, size_t len, struct err *err)
{
	struct store_rows rows = STORE_ROWS_INIT;
	long long ok = 0;
	int rc;

	if ((rc = store_query_int(s, &ok, err,
				  "SELECT CASE WHEN json_valid(?1) THEN"
				  " json_type(?1) = 'object' AND json_type(?1, '$.Id') = 'text'"
				  " ELSE 0 END",
				  "b", json, len)))
		return rc;
	if (!ok)
		return err_set(err, ERR_PARSE, "container inspect: not a JSON object with an 'Id'");
	if ((rc = store_query(s, &rows, err, "SELECT " FACT_COLS("?1"), "b", json, len)))
		return rc;
	rc = store_rows_next(&rows);
	if (rc == 1)
		read_facts(out, &rows);
	store_rows_done(&rows);
	if (rc < 0)
		return rc;
	return rc == 1 ? 0 : err_set(err, ERR_PARSE, "container inspect: no row");
}

void impact_container_release(struct impact_container *c)
{
	if (!c)
		return;
	free(c->id);
	free(c->name);
	free(c->status);
	free(c->policy);
	free(c->stop_signal);
	free(c->swarm_task);
	free(c->swarm_service);
	free(c->systemd_unit);
	memset(c, 0, sizeof(*c));
}

/* Most reboots looked at when learning a boot time. */
#define MAX_REBOOTS 10000

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

int impact_learned_boot(long long *out, struct store *s, long long hid, struct err *err)
{
	struct store_rows rows = STORE_ROWS_INIT;
	long long *gaps = NULL;
	size_t n = 0, alloc = 0;
	int rc;

	rc = store_query(s, &rows, err,
			 "SELECT gap FROM ("
			 " SELECT (taken_at - uptime) - lag(taken_at) OVER w AS gap,"
			 "  boot_id, lag(boot_id) OVER w AS prev_boot, uptime"
			 " FROM host_snapshot WHERE hid = ?1"
			 " WINDOW w AS (ORDER BY taken_at))"
			 " WHERE prev_boot IS NOT NULL AND boot_id IS NOT NULL"
			 " AND boot_id <> prev_boot AND uptime IS NOT NULL"
			 " AND gap BETWEEN 1 AND ?2",
			 "ii", hid, (long long)IMPACT_LEARN_MAX_GAP);
	if (rc)
		return rc;
	while ((rc = store_rows_next(&rows)) == 1 && n < MAX_REBOOTS) {
		XGROW(gaps, alloc, n + 1);
		gaps[n++] = store_rows_int(&rows, 0);
	}
	store_rows_done(&rows);
	if (rc < 0) {
		free(gaps);
		return rc;
	}
	if (!n) {
		free(gaps);
		return ERR_NOTFOUND;
	}
	qsort(gaps, n, sizeof(*gaps), cmp_ll);
	*out = n % 2 ? gaps[n / 2] : (gaps[n / 2 - 1] + gaps[n / 2] + 1) / 2;
	free(gaps);
	return 0;
}

/* The facts of one host as the host row and its packages state them. */
struct host_facts {
	long long hid;
	char *name;
	char *version;
	struct impact_host h;
};

/* docker.service's tie to containerd from the packages (impact.h). */
static int containerd_bound(const char *docker_ce, const char *docker_io)
{
	const char *v = docker_ce;
	long major = 0;

	if (!docker_ce && !docker_io)
		return -1;
	if (!v)
		v = docker_io;
	/* skip an epoch ("5:20.10.24~3-0~debian-bookworm") */
	const char *colon = strchr(v, ':');
	if (colon && colon - v < 4)
		v = colon + 1;
	if (*v < '0' || *v > '9')
		return -1;
	for (; *v >= '0' && *v <= '9' && major < 1000; v++)
		major = major * 10 + (*v - '0');
	if (docker_ce)
		return major < 23 && major >= 18 ? 1 : major >= 23 ? 0 : -1;
	return major >= 20 ? 0 : -1;
}

static int tristate(struct store_rows *rows, int col)
{
	return store_rows_null(rows, col) ? -1 : store_rows_int(rows, col) != 0;
}

static void host_facts_release(struct host_facts *f)
{
	free(f->name);
	free(f->version);
}

static int load_hosts(struct host_facts **out, size_t *nout, struct store *s,
		      const struct config *cfg, const char *host, struct err *err)
{
	struct store_rows rows = STORE_ROWS_INIT;
	struct host_facts *v = NULL;
	size_t n = 0, alloc = 0;
	int rc;

	rc = store_query(s, &rows, err,
			 "SELECT h.hid, h.name, h.engine_kind, h.engine_version,"
			 " h.live_restore, CASE WHEN coalesce(h.swarm_state, '') = '' THEN NULL"
			 "  WHEN h.swarm_state = 'inactive' THEN 0 ELSE 1 END,"
			 " h.engine_enabled,"
			 " (SELECT version FROM package p WHERE p.hid = h.hid AND p.name = 'docker-ce'),"
			 " (SELECT version FROM package p WHERE p.hid = h.hid AND p.name = 'docker.io')"
			 " FROM host h WHERE ?1 IS NULL OR h.name = ?1 ORDER BY h.name",
			 "s", host);
	if (rc)
		return rc;
	while ((rc = store_rows_next(&rows)) == 1) {
		struct host_facts *f;
		const char *kind = store_rows_text(&rows, 2);

		XGROW(v, alloc, n + 1);
		f = &v[n++];
		memset(f, 0, sizeof(*f));
		f->hid = store_rows_int(&rows, 0);
		f->name = xstrdup(store_rows_text(&rows, 1) ? store_rows_text(&rows, 1) : "");
		f->version = dup_or_null(store_rows_text(&rows, 3));
		impact_host_init(&f->h);
		f->h.engine = !kind ? IMPACT_ENGINE_UNKNOWN
			      : !strcmp(kind, "podman") ? IMPACT_ENGINE_PODMAN
			      : !strcmp(kind, "docker") ? IMPACT_ENGINE_DOCKER
			      : IMPACT_ENGINE_UNKNOWN;
		f->h.live_restore = tristate(&rows, 4);
		f->h.swarm = tristate(&rows, 5);
		/* on a Podman host the report's service_enabled is
		 * podman-restart.service (impact.h) */
		if (f->h.engine == IMPACT_ENGINE_PODMAN)
			f->h.podman_restart = tristate(&rows, 6);
		else
			f->h.engine_enabled = tristate(&rows, 6);
		f->h.containerd_bound = containerd_bound(store_rows_text(&rows, 7),
							 store_rows_text(&rows, 8));
		f->h.boot_seconds = cfg ? cfg->policy.boot_time : IMPACT_BOOT_DEFAULT;
	}
	store_rows_done(&rows);
	if (rc < 0) {
		for (size_t i = 0; i < n; i++)
			host_facts_release(&v[i]);
		free(v);
		return rc;
	}
	*out = v;
	*nout = n;
	return 0;
}

/* The host's own bundle from the findings (finding.h): the host_action
 * rows finding_update() wrote, and for an engine-restart the engine's
 * target version. When findings were never computed for the host (no
 * host_urgency row) the bundle is `reboot`, the action that touches every
 * container, and *source says so. */
static int host_bundle(impact_actions *out, char **target, const char **source,
		       struct store *s, long long hid, struct err *err)
{
	long long computed = 0;
	int rc;

	*target = NULL;
	if ((rc = store_query_int(s, &computed, err,
				  "SELECT count(*) FROM host_urgency WHERE hid = ?", "i", hid)))
		return rc;
	if (!computed) {
		*out = IMPACT_BIT(IMPACT_REBOOT);
		*source = "default";
		return 0;
	}
	*source = "findings";
	if ((rc = finding_bundle(out, s, hid, err)))
		return rc;
	if (*out & IMPACT_BIT(IMPACT_ENGINE_RESTART))
		return finding_target(target, s, hid, "docker", err);
	return 0;
}

/* Marks the containers the host's recreate action covers, as the
 * findings chose them (recreate_container: images older than
 * max-image-age, or marked stale). */
static int mark_recreate(struct impact_container *c, size_t n, struct store *s,
			 long long hid, struct err *err)
{
	struct store_rows rows = STORE_ROWS_INIT;
	int rc;

	rc = store_query(s, &rows, err,
			 "SELECT id FROM recreate_container WHERE hid = ?1", "i", hid);
	if (rc)
		return rc;
	while ((rc = store_rows_next(&rows)) == 1) {
		const char *id = store_rows_text(&rows, 0);

		for (size_t j = 0; id && j < n; j++)
			if (!strcmp(c[j].id, id))
				c[j].recreate = true;
	}
	store_rows_done(&rows);
	return rc < 0 ? rc : 0;
}

static int load_containers(struct impact_container **out, size_t *nout,
			   struct store *s, long long hid, struct err *err)
{
	struct store_rows rows = STORE_ROWS_INIT;
	struct impact_container *v = NULL;
	size_t n = 0, alloc = 0;
	int rc;

	rc = store_query(s, &rows, err,
			 "SELECT " FACT_COLS("c.inspect") " FROM container c"
			 " WHERE c.hid = ?1 ORDER BY c.name, c.id", "i", hid);
	if (rc)
		return rc;
	while ((rc = store_rows_next(&rows)) == 1) {
		XGROW(v, alloc, n + 1);
		read_facts(&v[n++], &rows);
	}
	store_rows_done(&rows);
	if (rc < 0) {
		for (size_t i = 0; i < n; i++)
			impact_container_release(&v[i]);
		free(v);
		return rc;
	}
	*out = v;
	*nout = n;
	return 0;
}

int impact_query(struct impact_list *out, struct store *s, const struct config *cfg,
		 const char *host, impact_actions actions, struct err *err)
{
	struct host_facts *hosts = NULL;
	size_t nhosts = 0;
	int rc;

	if ((rc = load_hosts(&hosts, &nhosts, s, cfg, host, err)))
		return rc;
	if (host && !nhosts) {
		free(hosts);
		return err_set(err, ERR_NOTFOUND, "unknown host '%s'", host);
	}
	for (size_t i = 0; i < nhosts && !rc; i++) {
		struct host_facts *f = &hosts[i];
		const struct config_host *ch = cfg ? config_host_find(cfg, f->name) : NULL;
		struct impact_container *c = NULL;
		struct impact_result *res;
		const char *source = "policy", *bsource = "action";
		impact_actions bundle = actions;
		char *target = NULL;
		size_t n = 0;
		long long learned;

		if (!actions && (rc = host_bundle(&bundle, &target, &bsource, s, f->hid, err)))
			break;
		f->h.version = f->version;
		f->h.target_version = target;
		if (ch && ch->boot_time > 0) {
			f->h.boot_seconds = ch->boot_time;
			source = "config";
		} else if ((rc = impact_learned_boot(&learned, s, f->hid, err)) == 0) {
			f->h.boot_seconds = learned;
			source = "learned";
		} else if (rc != ERR_NOTFOUND) {
			break;
		}
		rc = 0;
		if (f->h.boot_seconds <= 0)
			f->h.boot_seconds = IMPACT_BOOT_DEFAULT;
		if ((rc = load_containers(&c, &n, s, f->hid, err))) {
			free(target);
			break;
		}
		if (actions) {
			/* --action recreate asks what recreating each
			 * container does */
			for (size_t j = 0; j < n; j++)
				c[j].recreate = (bundle & IMPACT_BIT(IMPACT_RECREATE)) != 0;
		} else if (bundle & IMPACT_BIT(IMPACT_RECREATE)) {
			rc = mark_recreate(c, n, s, f->hid, err);
		}
		res = xcalloc(n ? n : 1, sizeof(*res));
		impact_run(res, &f->h, bundle, c, n);
		for (size_t j = 0; j < n; j++) {
			struct impact_row *row;

			XGROW(out->v, out->alloc, out->n + 1);
			row = &out->v[out->n++];
			row->host = xstrdup(f->name);
			row->container = xstrdup(c[j].name);
			row->container_id = xstrdup(c[j].id);
			row->actions = bundle;
			row->engine = f->h.engine;
			row->boot_seconds = f->h.boot_seconds;
			row->boot_source = source;
			row->bundle_source = bsource;
			row->r = res[j];
		}
		free(res);
		free(target);
		for (size_t j = 0; j < n; j++)
			impact_container_release(&c[j]);
		free(c);
	}
	for (size_t i = 0; i < nhosts; i++)
		host_facts_release(&hosts[i]);
	free(hosts);
	return rc;
}

void impact_list_release(struct impact_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].host);
		free(l->v[i].container);
		free(l->v[i].container_id);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static const char *engine_name(enum impact_engine e)
{
	return e == IMPACT_ENGINE_DOCKER ? "docker" : e == IMPACT_ENGINE_PODMAN ? "podman" : NULL;
}

int impact_list_json(const struct impact_list *l, struct store *s, struct buf *out,
		     struct err *err)
{
	int rc;

	if (buf_addch(out, '['))
		return err_set(err, ERR_LIMIT, "impact listing too large");
	for (size_t i = 0; i < l->n; i++) {
		const struct impact_row *row = &l->v[i];
		char action[IMPACT_ACTIONS_TEXT_MAX];
		char *obj = NULL;

		impact_actions_format(action, row->actions);
		rc = store_query_text(s, &obj, err,
				      "SELECT json_object('host', ?1, 'container', ?2,"
				      " 'container_id', ?3, 'action', ?4, 'effect', ?5,"
				      " 'outage_seconds', CASE WHEN ?6 < 0 THEN NULL ELSE ?6 END,"
				      " 'confidence', ?7, 'reason', ?8, 'engine', ?9,"
				      " 'boot_seconds', ?10, 'boot_source', ?11, 'rule', ?12,"
				      " 'bundle_source', ?13)",
				      "sssssisssisss", row->host, row->container,
				      row->container_id, action,
				      impact_effect_name(row->r.effect), row->r.outage,
				      row->r.confidence == IMPACT_HIGH ? "high" : "low",
				      row->r.reason, engine_name(row->engine),
				      row->boot_seconds, row->boot_source, row->r.row,
				      row->bundle_source);
		if (rc)
			return rc;
		if ((i && buf_addch(out, ',')) || buf_addstr(out, obj ? obj : "null")) {
			free(obj);
			return err_set(err, ERR_LIMIT, "impact listing too large");
		}
		free(obj);
	}
	if (buf_addch(out, ']'))
		return err_set(err, ERR_LIMIT, "impact listing too large");
	return 0;
}
