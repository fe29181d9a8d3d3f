/* store_schema.h - the migrations that build Slipway's schema, one entry per
 * PRAGMA user_version step. Only store.c includes this (and
 * tests/test_store.c, to build databases of earlier versions). Never edit
 * an entry that has shipped: add a new one. */
#ifndef SLIPWAY_STORE_SCHEMA_H
#define SLIPWAY_STORE_SCHEMA_H

#include "store.h"

/* Version 1: everything DESIGN.md §4 needs. Times are INTEGER unix seconds.
 * Engine answers are kept verbatim (inspect JSON) and the columns the
 * program reads are generated from them, so a later question can always be
 * answered from what the engine really said. */
static const char schema_v1[] =
	/* One row per advisory feed: HTTP validators, the result of the last
	 * run, and feed-specific state (an OSV modified_id.csv cursor, the
	 * EPSS model version). */
	"CREATE TABLE feed ("
	" name TEXT PRIMARY KEY,"
	" source TEXT,"
	" etag TEXT,"
	" last_modified TEXT,"
	" last_attempt INTEGER,"
	" last_success INTEGER,"
	" last_change INTEGER,"
	" records INTEGER NOT NULL DEFAULT 0,"
	" rejected INTEGER NOT NULL DEFAULT 0,"
	" last_error TEXT,"
	" state TEXT"
	") STRICT;"

	/* An advisory as one feed states it; the same CVE from two feeds is
	 * two rows tied by their aliases. severity is one of critical, high,
	 * medium, low, none or NULL (unknown). digest changes whenever the
	 * feed's record changes, so a run can tell new from changed. */
	"CREATE TABLE advisory ("
	" aid INTEGER PRIMARY KEY,"
	" feed TEXT NOT NULL REFERENCES feed(name) ON DELETE CASCADE,"
	" id TEXT NOT NULL,"
	" aliases TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(aliases)),"
	" summary TEXT,"
	/* Written as an OR chain, not IN (...): sqlite 3.40 builds a
	 * temporary b-tree for an IN list every time the CHECK runs, which
	 * doubled the cost of each insert (tests/bench/ingest-kernel-cna.sh).
	 * The meaning is the same, NULL included. */
	" severity TEXT CHECK (severity = 'critical' OR severity = 'high'"
	"  OR severity = 'medium' OR severity = 'low' OR severity = 'none'),"
	" cvss_score REAL,"
	" cvss_vector TEXT,"
	" published INTEGER,"
	" modified INTEGER,"
	" withdrawn INTEGER,"
	" digest TEXT,"
	" UNIQUE (feed, id)"
	") STRICT;"
	/* Every name an advisory goes by (its own id included), for joins
	 * with kev and epss and across feeds. */
	"CREATE TABLE advisory_alias ("
	" alias TEXT NOT NULL,"
	" aid INTEGER NOT NULL REFERENCES advisory(aid) ON DELETE CASCADE,"
	" PRIMARY KEY (alias, aid)"
	") STRICT, WITHOUT ROWID;"
	"CREATE INDEX advisory_alias_by_aid ON advisory_alias(aid);"

	/* Flattened affected intervals: introduced <= v < fixed, or
	 * v <= last_affected, all below limit. introduced NULL = from the
	 * start; no fixed and no last_affected = not fixed. component is what
	 * Slipway plans for (kernel, runc, containerd, docker, podman) or
	 * 'other'; ecosystem is 'upstream' or 'debian:12', 'ubuntu:22.04',
	 * 'ubuntu:pro:18.04', 'rhel:9', 'almalinux:9', 'rocky:9'; package is
	 * the source package (distros) or module/product name (upstream).
	 * severity is the ecosystem's own rating (Debian urgency, Ubuntu
	 * priority) when it has one. */
	"CREATE TABLE affected ("
	" aid INTEGER NOT NULL REFERENCES advisory(aid) ON DELETE CASCADE,"
	" component TEXT NOT NULL,"
	" ecosystem TEXT NOT NULL,"
	" package TEXT NOT NULL,"
	" scheme TEXT NOT NULL CHECK (scheme = 'dpkg' OR scheme = 'rpm'"
	"  OR scheme = 'semver' OR scheme = 'kernel'),"  /* see severity */
	" introduced TEXT,"
	" fixed TEXT,"
	" last_affected TEXT,"
	" limit_ TEXT,"
	" severity TEXT"
	") STRICT;"
	"CREATE INDEX affected_by_component ON affected(component, ecosystem);"
	"CREATE INDEX affected_by_aid ON affected(aid);"

	/* Binary package -> source package, as distro feeds state it
	 * (Ubuntu's ecosystem_specific.binaries). */
	"CREATE TABLE binary_source ("
	" ecosystem TEXT NOT NULL,"
	" binary TEXT NOT NULL,"
	" source TEXT NOT NULL,"
	" PRIMARY KEY (ecosystem, binary, source)"
	") STRICT, WITHOUT ROWID;"

	"CREATE TABLE kev ("
	" cve TEXT PRIMARY KEY,"
	" vendor TEXT,"
	" product TEXT,"
	" name TEXT,"
	" date_added INTEGER,"
	" due_date INTEGER,"
	" ransomware TEXT"
	") STRICT;"

	"CREATE TABLE epss ("
	" cve TEXT PRIMARY KEY,"
	" score REAL NOT NULL,"
	" percentile REAL"
	") STRICT;"

	/* Upstream releases: kernel.org branches and the newest runc, moby
	 * and containerd versions. */
	"CREATE TABLE upstream_release ("
	" feed TEXT NOT NULL REFERENCES feed(name) ON DELETE CASCADE,"
	" component TEXT NOT NULL,"
	" branch TEXT NOT NULL,"
	" version TEXT NOT NULL,"
	" moniker TEXT,"
	" iseol INTEGER NOT NULL DEFAULT 0,"
	" released INTEGER,"
	" PRIMARY KEY (component, branch)"
	") STRICT;"

	/* A host as last inventoried, from its host report (report.c, the
	 * only writer; README.md "Host report" documents the fields).
	 * source names where the data came from (a report file, an engine
	 * URL). collected_at is the report's own time: an older report adds
	 * its snapshot but never replaces newer data. installed_kernels,
	 * livepatch and the engine_*_json columns are the report's members
	 * verbatim (JSON text). reboot_required and engine_enabled: 1, 0,
	 * NULL unknown. boot_time = collected_at - uptime. */
	"CREATE TABLE host ("
	" hid INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL UNIQUE,"
	" source TEXT,"
	" machine_id TEXT,"
	" boot_id TEXT,"
	" os_id TEXT,"
	" os_version_id TEXT,"
	" os_codename TEXT,"
	" os_pretty TEXT,"
	" kernel_release TEXT,"
	" kernel_version TEXT,"
	" kernel_package TEXT,"
	" kernel_package_source TEXT,"
	" kernel_package_version TEXT,"
	" installed_kernels TEXT NOT NULL DEFAULT '[]'"
	"  CHECK (json_valid(installed_kernels)),"
	" reboot_required INTEGER CHECK (reboot_required IN (0, 1)),"
	" livepatch TEXT CHECK (livepatch IS NULL OR json_valid(livepatch)),"
	" engine_kind TEXT,"
	" engine_enabled INTEGER CHECK (engine_enabled IN (0, 1)),"
	" engine_version_json TEXT CHECK (engine_version_json IS NULL OR json_valid(engine_version_json)),"
	" engine_info_json TEXT CHECK (engine_info_json IS NULL OR json_valid(engine_info_json)),"
	" engine_swarm_json TEXT CHECK (engine_swarm_json IS NULL OR json_valid(engine_swarm_json)),"
	" engine_pods_json TEXT CHECK (engine_pods_json IS NULL OR json_valid(engine_pods_json)),"
	" engine_version TEXT GENERATED ALWAYS AS"
	"  (json_extract(engine_version_json, '$.Version')) VIRTUAL,"
	" engine_api TEXT GENERATED ALWAYS AS"
	"  (json_extract(engine_version_json, '$.ApiVersion')) VIRTUAL,"
	" live_restore INTEGER GENERATED ALWAYS AS"
	"  (json_extract(engine_info_json, '$.LiveRestoreEnabled')) VIRTUAL,"
	" swarm_state TEXT GENERATED ALWAYS AS"
	"  (json_extract(engine_info_json, '$.Swarm.LocalNodeState')) VIRTUAL,"
	" swarm_manager INTEGER GENERATED ALWAYS AS"
	"  (json_extract(engine_info_json, '$.Swarm.ControlAvailable')) VIRTUAL,"
	" cgroup_version TEXT GENERATED ALWAYS AS"
	"  (json_extract(engine_info_json, '$.CgroupVersion')) VIRTUAL,"
	" collected_at INTEGER,"
	" boot_time INTEGER,"
	" last_inventory INTEGER,"
	" last_error TEXT"
	") STRICT;"

	/* Every inventory of a host leaves a snapshot: reboots show as a new
	 * boot_id, and uptime at the first report after one says how long the
	 * host took to come back. taken_at is the report's collected_at, so
	 * importing the same report twice keeps one snapshot. */
	"CREATE TABLE host_snapshot ("
	" hid INTEGER NOT NULL REFERENCES host(hid) ON DELETE CASCADE,"
	" taken_at INTEGER NOT NULL,"
	" boot_id TEXT,"
	" uptime INTEGER,"
	" PRIMARY KEY (hid, taken_at)"
	") STRICT, WITHOUT ROWID;"

	/* Installed packages that matter for planning (kernel images, runc,
	 * containerd, docker, podman...) with their source package. */
	"CREATE TABLE package ("
	" hid INTEGER NOT NULL REFERENCES host(hid) ON DELETE CASCADE,"
	" name TEXT NOT NULL,"
	" source TEXT,"
	" version TEXT NOT NULL,"
	" source_version TEXT,"
	" PRIMARY KEY (hid, name)"
	") STRICT, WITHOUT ROWID;"

	/* A container as its engine's inspect answer states it; the columns
	 * below are read from it (Docker and Podman's compatible API agree on
	 * these paths; Podman says "" where Docker has no health). inspect
	 * has no json_valid CHECK: report.c, the only writer, has parsed and
	 * checked it, and a second parse per container would cost a third of
	 * an import. */
	"CREATE TABLE container ("
	" hid INTEGER NOT NULL REFERENCES host(hid) ON DELETE CASCADE,"
	" id TEXT NOT NULL,"
	" inspect TEXT NOT NULL,"
	" name TEXT GENERATED ALWAYS AS"
	"  (ltrim(json_extract(inspect, '$.Name'), '/')) VIRTUAL,"
	" image TEXT GENERATED ALWAYS AS"
	"  (json_extract(inspect, '$.Config.Image')) VIRTUAL,"
	" image_id TEXT GENERATED ALWAYS AS"
	"  (json_extract(inspect, '$.Image')) VIRTUAL,"
	" state TEXT GENERATED ALWAYS AS"
	"  (json_extract(inspect, '$.State.Status')) VIRTUAL,"
	" restart_policy TEXT GENERATED ALWAYS AS"
	"  (coalesce(json_extract(inspect, '$.HostConfig.RestartPolicy.Name'), '')) VIRTUAL,"
	" max_retries INTEGER GENERATED ALWAYS AS"
	"  (coalesce(json_extract(inspect, '$.HostConfig.RestartPolicy.MaximumRetryCount'), 0)) VIRTUAL,"
	" auto_remove INTEGER GENERATED ALWAYS AS"
	"  (coalesce(json_extract(inspect, '$.HostConfig.AutoRemove'), 0)) VIRTUAL,"
	" privileged INTEGER GENERATED ALWAYS AS"
	"  (coalesce(json_extract(inspect, '$.HostConfig.Privileged'), 0)) VIRTUAL,"
	" host_pid INTEGER GENERATED ALWAYS AS"
	"  (coalesce(json_extract(inspect, '$.HostConfig.PidMode') = 'host', 0)) VIRTUAL,"
	" host_network INTEGER GENERATED ALWAYS AS"
	"  (coalesce(json_extract(inspect, '$.HostConfig.NetworkMode') = 'host', 0)) VIRTUAL,"
	/* SecurityOpt is a JSON array of strings; dockerd before 1.11 wrote
	 * "seccomp:unconfined". */
	" seccomp_unconfined INTEGER GENERATED ALWAYS AS"
	"  (coalesce(instr(json_extract(inspect, '$.HostConfig.SecurityOpt'), '\"seccomp=unconfined\"') > 0"
	"   OR instr(json_extract(inspect, '$.HostConfig.SecurityOpt'), '\"seccomp:unconfined\"') > 0, 0)) VIRTUAL,"
	" cap_add TEXT GENERATED ALWAYS AS"
	"  (coalesce(json_extract(inspect, '$.HostConfig.CapAdd'), '[]')) VIRTUAL,"
	" memory_limit INTEGER GENERATED ALWAYS AS"
	"  (coalesce(json_extract(inspect, '$.HostConfig.Memory'), 0)) VIRTUAL,"
	" health TEXT GENERATED ALWAYS AS"
	"  (nullif(json_extract(inspect, '$.State.Health.Status'), '')) VIRTUAL,"
	" started_at TEXT GENERATED ALWAYS AS"
	"  (json_extract(inspect, '$.State.StartedAt')) VIRTUAL,"
	" created TEXT GENERATED ALWAYS AS"
	"  (json_extract(inspect, '$.Created')) VIRTUAL,"
	" stop_timeout INTEGER GENERATED ALWAYS AS"
	"  (json_extract(inspect, '$.Config.StopTimeout')) VIRTUAL,"
	" compose_project TEXT GENERATED ALWAYS AS"
	"  (json_extract(inspect, '$.Config.Labels.\"com.docker.compose.project\"')) VIRTUAL,"
	" compose_service TEXT GENERATED ALWAYS AS"
	"  (json_extract(inspect, '$.Config.Labels.\"com.docker.compose.service\"')) VIRTUAL,"
	" swarm_service TEXT GENERATED ALWAYS AS"
	"  (json_extract(inspect, '$.Config.Labels.\"com.docker.swarm.service.name\"')) VIRTUAL,"
	" systemd_unit TEXT GENERATED ALWAYS AS"
	"  (json_extract(inspect, '$.Config.Labels.PODMAN_SYSTEMD_UNIT')) VIRTUAL,"
	" PRIMARY KEY (hid, id)"
	") STRICT;"

	/* The images the host's containers use, as image inspect states them
	 * (checked by report.c like container.inspect). */
	"CREATE TABLE image ("
	" hid INTEGER NOT NULL REFERENCES host(hid) ON DELETE CASCADE,"
	" id TEXT NOT NULL,"
	" inspect TEXT NOT NULL,"
	" repo_tags TEXT GENERATED ALWAYS AS"
	"  (coalesce(json_extract(inspect, '$.RepoTags'), '[]')) VIRTUAL,"
	" created TEXT GENERATED ALWAYS AS"
	"  (json_extract(inspect, '$.Created')) VIRTUAL,"
	" PRIMARY KEY (hid, id)"
	") STRICT;"

	/* Findings, targets, bundles and urgency: written only by
	 * finding_update() (src/finding.h documents every rule).
	 *
	 * A host x advisory x component verdict. package is the host's package
	 * (or the engine's component name); installed its version; judged the
	 * version compared (installed, or its upstream part when approximate);
	 * ecosystem the one whose rows judged (upstream, debian:12, ...); fixed
	 * the lowest fixing version at or above judged in that ecosystem
	 * (NULL: no fix). approximate: judged by upstream ranges because the
	 * host's distro feed is not loaded. vkey: the CVE the advisory is
	 * about (its own id when it has no CVE alias); one finding per host,
	 * component and vkey. level: critical/high/medium/low/none (KEV and
	 * exposure not applied). fixed_by_installed: the release of an
	 * installed, not booted kernel that fixes it. livepatched: a live
	 * patch covers it, until covered_until (unix seconds, NULL: unknown). */
	"CREATE TABLE finding ("
	" hid INTEGER NOT NULL REFERENCES host(hid) ON DELETE CASCADE,"
	" aid INTEGER NOT NULL REFERENCES advisory(aid) ON DELETE CASCADE,"
	" component TEXT NOT NULL,"
	" package TEXT,"
	" installed TEXT NOT NULL,"
	" judged TEXT NOT NULL,"
	" ecosystem TEXT NOT NULL,"
	" fixed TEXT,"
	" feed TEXT NOT NULL,"
	" approximate INTEGER NOT NULL DEFAULT 0,"
	" vkey TEXT NOT NULL,"
	" kev INTEGER NOT NULL DEFAULT 0,"
	" epss REAL,"
	" cvss REAL,"
	" severity TEXT,"
	" level TEXT NOT NULL,"
	" fixed_by_installed TEXT,"
	" livepatched INTEGER NOT NULL DEFAULT 0,"
	" covered_until INTEGER,"
	" first_seen INTEGER NOT NULL,"
	" PRIMARY KEY (hid, aid, component)"
	") STRICT;"
	/* When Slipway first saw (host, component, CVE): deadlines count from
	 * here, and it survives feed runs that replace the advisory rows. */
	"CREATE TABLE finding_seen ("
	" hid INTEGER NOT NULL REFERENCES host(hid) ON DELETE CASCADE,"
	" component TEXT NOT NULL,"
	" vkey TEXT NOT NULL,"
	" first_seen INTEGER NOT NULL,"
	" PRIMARY KEY (hid, component, vkey)"
	") STRICT, WITHOUT ROWID;"
	/* Per host and component: the version that closes every finding with
	 * a fix (NULL: none has one), and how many findings have no fix. */
	"CREATE TABLE host_target ("
	" hid INTEGER NOT NULL REFERENCES host(hid) ON DELETE CASCADE,"
	" component TEXT NOT NULL,"
	" target TEXT,"
	" findings INTEGER NOT NULL,"
	" unfixed INTEGER NOT NULL,"
	" PRIMARY KEY (hid, component)"
	") STRICT;"
	/* The bundle: the actions a host needs, each with its reason. action
	 * is one of reboot, engine-restart, containerd-restart, runc-upgrade,
	 * recreate (src/impact.h). */
	"CREATE TABLE host_action ("
	" hid INTEGER NOT NULL REFERENCES host(hid) ON DELETE CASCADE,"
	" action TEXT NOT NULL,"
	" reason TEXT NOT NULL,"
	" PRIMARY KEY (hid, action)"
	") STRICT;"
	/* Urgency of every host: level, score (ordering), exposure points,
	 * the worst finding and the deadline (unix seconds, NULL: none). */
	"CREATE TABLE host_urgency ("
	" hid INTEGER PRIMARY KEY REFERENCES host(hid) ON DELETE CASCADE,"
	" level TEXT NOT NULL,"
	" score REAL NOT NULL,"
	" exposure INTEGER NOT NULL,"
	" worst TEXT,"
	" deadline INTEGER,"
	" findings INTEGER NOT NULL"
	") STRICT;";

/* Version 2: planner pins (src/plan.h), kept by host NAME so they survive
 * a host being re-inventoried or removed and added again. One row per host
 * and kind: 'window' (window, and day YYYY-MM-DD of one occurrence or
 * NULL), 'after' (day: only occurrences starting on a later local day),
 * 'exclude'. */
static const char schema_v2[] =
	"CREATE TABLE pin ("
	" host TEXT NOT NULL,"
	" kind TEXT NOT NULL CHECK (kind IN ('window','after','exclude')),"
	" window TEXT,"
	" day TEXT,"
	" created INTEGER NOT NULL,"
	" PRIMARY KEY (host, kind)"
	") STRICT;";

/* Version 3: small facts about derived data, such as the stamp of the
 * inputs the findings were last computed from (src/finding.c). */
static const char schema_v3[] =
	"CREATE TABLE meta ("
	" key TEXT PRIMARY KEY,"
	" value TEXT NOT NULL"
	") STRICT;"
	/* The containers a host's recreate action covers, and why: 'old'
	 * (image built before policy max-image-age) or 'stale' (pinned to an
	 * image the user marked stale). Written by the findings, read by the
	 * impact model, so both apply one rule. */
	"CREATE TABLE recreate_container ("
	" hid INTEGER NOT NULL REFERENCES host(hid) ON DELETE CASCADE,"
	" id TEXT NOT NULL,"
	" why TEXT NOT NULL CHECK (why = 'old' OR why = 'stale'),"
	" PRIMARY KEY (hid, id)"
	") STRICT;";

/* Version 4: the container and image columns become plain columns that
 * report.c, their only writer, fills at import from the one parse of the
 * inspect it already makes to check it. As generated columns, sqlite
 * computed every one of them on each insert, one json_extract (and one
 * comparison of the whole inspect with the cached parse) per column, about
 * 200 000 instructions per container, and again on every read. The names,
 * types and meanings are those of version 1: each column is what its
 * expression there gives for the inspect beside it, and existing rows are
 * copied with those values (rowids too: finding.c stamps its inputs with
 * them). An integer beyond 64 bits, which the expression gave as a REAL,
 * is stored as CAST(... AS INTEGER) makes it, as report.c does. */
static const char schema_v4[] =
	"CREATE TABLE container_v4 ("
	" hid INTEGER NOT NULL REFERENCES host(hid) ON DELETE CASCADE,"
	" id TEXT NOT NULL,"
	" inspect TEXT NOT NULL,"
	" name TEXT,"
	" image TEXT,"
	" image_id TEXT,"
	" state TEXT,"
	" restart_policy TEXT NOT NULL DEFAULT '',"
	" max_retries INTEGER NOT NULL DEFAULT 0,"
	" auto_remove INTEGER NOT NULL DEFAULT 0,"
	" privileged INTEGER NOT NULL DEFAULT 0,"
	" host_pid INTEGER NOT NULL DEFAULT 0,"
	" host_network INTEGER NOT NULL DEFAULT 0,"
	" seccomp_unconfined INTEGER NOT NULL DEFAULT 0,"
	" cap_add TEXT NOT NULL DEFAULT '[]',"
	" memory_limit INTEGER NOT NULL DEFAULT 0,"
	" health TEXT,"
	" started_at TEXT,"
	" created TEXT,"
	" stop_timeout INTEGER,"
	" compose_project TEXT,"
	" compose_service TEXT,"
	" swarm_service TEXT,"
	" systemd_unit TEXT,"
	" PRIMARY KEY (hid, id)"
	") STRICT;"
	"INSERT INTO container_v4(rowid, hid, id, inspect, name, image, image_id,"
	" state, restart_policy, max_retries, auto_remove, privileged, host_pid,"
	" host_network, seccomp_unconfined, cap_add, memory_limit, health,"
	" started_at, created, stop_timeout, compose_project, compose_service,"
	" swarm_service, systemd_unit)"
	" SELECT rowid, hid, id, inspect, name, image, image_id, state,"
	" restart_policy, CAST(max_retries AS INTEGER), auto_remove, privileged,"
	" host_pid, host_network, seccomp_unconfined, cap_add,"
	" CAST(memory_limit AS INTEGER), health, started_at, created,"
	" CAST(stop_timeout AS INTEGER), compose_project, compose_service,"
	" swarm_service, systemd_unit FROM container;"
	"DROP TABLE container;"
	"ALTER TABLE container_v4 RENAME TO container;"

	"CREATE TABLE image_v4 ("
	" hid INTEGER NOT NULL REFERENCES host(hid) ON DELETE CASCADE,"
	" id TEXT NOT NULL,"
	" inspect TEXT NOT NULL,"
	" repo_tags TEXT NOT NULL DEFAULT '[]',"
	" created TEXT,"
	" PRIMARY KEY (hid, id)"
	") STRICT;"
	"INSERT INTO image_v4(rowid, hid, id, inspect, repo_tags, created)"
	" SELECT rowid, hid, id, inspect, repo_tags, created FROM image;"
	"DROP TABLE image;"
	"ALTER TABLE image_v4 RENAME TO image;";

static const struct store_migration store_migrations[] = {
	{ .name = "initial schema", .sql = schema_v1 },
	{ .name = "planner pins", .sql = schema_v2 },
	{ .name = "derived-data stamps", .sql = schema_v3 },
	{ .name = "container and image columns written at import", .sql = schema_v4 },
};

#endif
