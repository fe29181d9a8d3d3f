/* hostq.c - the host and container listings of hostq.h in SQL over the
 * store's host, package and container tables. The field meanings follow
 * the Docker Engine API (ContainerInspect, SystemVersion, SystemInfo in
 * moby's api/swagger.yaml); Podman's compat API differs where noted. */
#include "hostq.h"

#include <stdlib.h>

#include "buf.h"
#include "finding.h"
#include "banned.h"

/* runc's version: Docker lists a "runc" component with a bare version;
 * Podman an "OCI Runtime (runc)" component whose Version is runc's own
 * `runc --version` text ("runc version 1.1.5+ds1\ncommit: ..."). Then
 * /info RuncCommit.ID (Podman leaves it ""), then the package. */
#define RUNC_SQL                                                              \
	"coalesce("                                                           \
	" (SELECT CASE WHEN v LIKE 'runc version %'"                          \
	"   THEN substr(v, 14, instr(v || char(10), char(10)) - 14) ELSE v END" \
	"  FROM (SELECT json_extract(value, '$.Version') AS v,"               \
	"   json_extract(value, '$.Name') AS n"                               \
	"   FROM json_each(h.engine_version_json, '$.Components'))"           \
	"  WHERE n IN ('runc', 'OCI Runtime (runc)') AND v <> '' LIMIT 1),"   \
	" nullif(json_extract(h.engine_info_json, '$.RuncCommit.ID'), ''),"   \
	" (SELECT version FROM package p WHERE p.hid = h.hid AND p.name = 'runc'))"

#define CONTAINERD_SQL                                                        \
	"coalesce("                                                           \
	" (SELECT json_extract(value, '$.Version')"                           \
	"  FROM json_each(h.engine_version_json, '$.Components')"             \
	"  WHERE json_extract(value, '$.Name') = 'containerd'"                \
	"  AND json_extract(value, '$.Version') <> '' LIMIT 1),"              \
	" nullif(json_extract(h.engine_info_json, '$.ContainerdCommit.ID'), '')," \
	" (SELECT version FROM package p WHERE p.hid = h.hid"                 \
	"  AND p.name IN ('containerd', 'containerd.io') ORDER BY p.name LIMIT 1))"

#define HOSTS_SQL                                                             \
	"SELECT h.name AS name,"                                              \
	" coalesce(h.os_pretty, json_extract(h.engine_info_json, '$.OperatingSystem')) AS os," \
	" coalesce(h.kernel_release, json_extract(h.engine_info_json, '$.KernelVersion'))" \
	"  AS kernel_running,"                                                \
	" (SELECT group_concat(json_extract(value, '$.release'), ' ')"        \
	"  FROM json_each(h.installed_kernels)) AS kernel_installed,"         \
	" h.reboot_required AS reboot_required,"                              \
	" h.engine_kind AS engine_kind,"                                      \
	" h.engine_version AS engine_version,"                                \
	" h.live_restore AS live_restore,"                                    \
	" " RUNC_SQL " AS runc,"                                              \
	" " CONTAINERD_SQL " AS containerd,"                                  \
	" (SELECT count(*) FROM container c WHERE c.hid = h.hid) AS containers," \
	" h.last_inventory AS last_inventory,"                                \
	" h.last_error AS last_error,"                                        \
	" " FINDING_HOST_URGENCY_SQL " AS urgency,"                           \
	" " FINDING_HOST_DEADLINE_SQL " AS deadline,"                         \
	" " FINDING_HOST_BUNDLE_SQL " AS bundle,"                             \
	" " FINDING_HOST_TARGETS_SQL " AS targets"                            \
	" FROM host h WHERE ?1 IS NULL OR h.name = ?1"

#define BOOL_JSON(x) "json(CASE WHEN " x " IS NULL THEN 'null' WHEN " x " THEN 'true' ELSE 'false' END)"

int hostq_hosts(struct store *s, struct store_rows *rows, const char *host,
		struct err *err)
{
	return store_query(s, rows, err, HOSTS_SQL " ORDER BY h.name", "s", host);
}

/* Runs a query yielding one text value and appends it. */
static int append_query(struct store *s, struct buf *out, struct err *err,
			const char *sql, const char *host)
{
	char *doc = NULL;
	int rc;

	if ((rc = store_query_text(s, &doc, err, sql, "s", host)))
		return rc;
	if (buf_addstr(out, doc ? doc : "[]")) {
		free(doc);
		return err_set(err, ERR_LIMIT, "listing too large");
	}
	free(doc);
	return 0;
}

int hostq_hosts_json(struct store *s, struct buf *out, const char *host,
		     struct err *err)
{
	return append_query(s, out, err,
		"SELECT json_group_array(json_object("
		" 'name', name, 'os', os, 'kernel_running', kernel_running,"
		" 'kernel_installed', kernel_installed,"
		" 'reboot_required', " BOOL_JSON("reboot_required") ","
		" 'engine_kind', engine_kind, 'engine_version', engine_version,"
		" 'live_restore', " BOOL_JSON("live_restore") ","
		" 'runc_version', runc, 'containerd_version', containerd,"
		" 'containers', containers, 'last_inventory', last_inventory,"
		" 'last_error', last_error, 'urgency', urgency,"
		" 'deadline', deadline, 'bundle', bundle, 'targets', targets))"
		" FROM (" HOSTS_SQL " ORDER BY h.name)", host);
}

/* Docker writes "seccomp=unconfined"; the API also accepted
 * "seccomp:unconfined" in old versions. A zero time is "never". */
#define CONTAINERS_SQL                                                        \
	"SELECT h.name AS host, c.id AS id, c.name AS name, c.image AS image,"  \
	" c.image_id AS image_id, c.state AS state,"                          \
	" c.restart_policy AS restart_policy,"                                \
	" coalesce(json_extract(c.inspect, '$.HostConfig.RestartPolicy.MaximumRetryCount'), 0)" \
	"  AS max_retries,"                                                   \
	" coalesce(json_extract(c.inspect, '$.HostConfig.AutoRemove'), 0) AS auto_remove," \
	" coalesce(json_extract(c.inspect, '$.HostConfig.Privileged'), 0) AS privileged," \
	" coalesce(json_extract(c.inspect, '$.HostConfig.PidMode') = 'host', 0) AS host_pid," \
	" coalesce(json_extract(c.inspect, '$.HostConfig.NetworkMode') = 'host', 0)" \
	"  AS host_network,"                                                  \
	" EXISTS (SELECT 1 FROM json_each(c.inspect, '$.HostConfig.SecurityOpt')" \
	"  WHERE value IN ('seccomp=unconfined', 'seccomp:unconfined')) AS seccomp_unconfined," \
	" CASE WHEN json_type(c.inspect, '$.HostConfig.CapAdd') = 'array'"    \
	"  THEN json_extract(c.inspect, '$.HostConfig.CapAdd') ELSE '[]' END AS cap_add," \
	" coalesce(json_extract(c.inspect, '$.HostConfig.Memory'), 0) AS memory_limit," \
	" nullif(json_extract(c.inspect, '$.State.Health.Status'), '') AS health," \
	" c.compose_project AS compose_project,"                              \
	" c.compose_service AS compose_service,"                              \
	" c.swarm_service AS swarm_service,"                                  \
	" CASE WHEN json_extract(c.inspect, '$.State.StartedAt') LIKE '0001-%' THEN NULL" \
	"  ELSE unixepoch(json_extract(c.inspect, '$.State.StartedAt')) END AS started_at," \
	" unixepoch(json_extract(c.inspect, '$.Created')) AS created"        \
	" FROM container c JOIN host h ON h.hid = c.hid"                      \
	" WHERE ?1 IS NULL OR h.name = ?1"

int hostq_containers(struct store *s, struct store_rows *rows,
		     const char *host, struct err *err)
{
	return store_query(s, rows, err,
			   CONTAINERS_SQL " ORDER BY h.name, c.name, c.id", "s", host);
}

int hostq_containers_json(struct store *s, struct buf *out, const char *host,
			  struct err *err)
{
	return append_query(s, out, err,
		"SELECT json_group_array(json_object("
		" 'host', host, 'id', id, 'name', name, 'image', image,"
		" 'image_id', image_id, 'state', state,"
		" 'restart_policy', restart_policy, 'max_retries', max_retries,"
		" 'auto_remove', " BOOL_JSON("auto_remove") ","
		" 'privileged', " BOOL_JSON("privileged") ","
		" 'host_pid', " BOOL_JSON("host_pid") ","
		" 'host_network', " BOOL_JSON("host_network") ","
		" 'seccomp_unconfined', " BOOL_JSON("seccomp_unconfined") ","
		" 'cap_add', json(cap_add), 'memory_limit', memory_limit,"
		" 'health', health, 'compose_project', compose_project,"
		" 'compose_service', compose_service, 'swarm_service', swarm_service,"
		" 'started_at', started_at, 'created', created))"
		" FROM (" CONTAINERS_SQL " ORDER BY h.name, c.name, c.id)", host);
}
