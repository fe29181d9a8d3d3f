/* finding.c - the matcher of finding.h: per host, the subjects to judge
 * (component, ecosystem, source package, version) are worked out in C
 * from the host and package rows; the rest is SQL over temporary tables:
 * distinct versions first (fleets share versions), joined once with the
 * affected rows through version_affects(), then deduplicated by CVE and
 * spread back over the hosts; targets, bundles and urgency follow. See
 * finding.h for every rule. */
#include "finding.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "slipway-config.h"

#include "affected.h"
#include "buf.h"
#include "version.h"
#include "xalloc.h"
#include "banned.h"

/* Longest version or name handled; longer ones are not judged. */
#define FD_TEXT_MAX 256

/* Working tables of one update, private to this connection. */
static const char fd_temp_sql[] =
	/* One row per thing judged on a host: role 'run' is what runs
	 * (findings are made of these), 'alt' an installed kernel that is not
	 * running (only for fixed_by_installed). source '' matches any
	 * package of the ecosystem (upstream). */
	"CREATE TEMP TABLE IF NOT EXISTS fd_subject ("
	" hid INTEGER NOT NULL, component TEXT NOT NULL, role TEXT NOT NULL,"
	" release TEXT, package TEXT, installed TEXT NOT NULL,"
	" ecosystem TEXT NOT NULL, source TEXT NOT NULL, scheme TEXT NOT NULL,"
	" judged TEXT NOT NULL, approximate INTEGER NOT NULL, vid INTEGER);"
	"CREATE TEMP TABLE IF NOT EXISTS fd_version ("
	" vid INTEGER PRIMARY KEY, component TEXT NOT NULL,"
	" ecosystem TEXT NOT NULL, pro TEXT NOT NULL, source TEXT NOT NULL,"
	" scheme TEXT NOT NULL, judged TEXT NOT NULL,"
	" UNIQUE (component, ecosystem, source, judged));"
	"CREATE TEMP TABLE IF NOT EXISTS fd_match ("
	" vid INTEGER NOT NULL, aid INTEGER NOT NULL, ecosystem TEXT,"
	" severity TEXT, fixed TEXT, vkey TEXT, kev INTEGER, epss REAL,"
	" cvss REAL, PRIMARY KEY (vid, aid));"
	"CREATE INDEX IF NOT EXISTS fd_match_by_key ON fd_match(vid, vkey);"
	"CREATE INDEX IF NOT EXISTS fd_subject_by_host ON fd_subject(hid, role);"
	"DELETE FROM fd_subject; DELETE FROM fd_version; DELETE FROM fd_match;";

/* Whether affected row r judges fd_version v (besides containing the
 * version): a /vN module row only for major N; on Ubuntu, Pro rows of an
 * advisory's package replace the plain ones; upstream docker rows: the
 * docker-engine product rows only, when the CVE has any. */
#define JUDGES(r)                                                            \
	AFFECTED_MODULE_APPLIES(r, "v.judged")                               \
	" AND (" r ".ecosystem <> v.ecosystem OR v.pro = '' OR NOT EXISTS"  \
	"  (SELECT 1 FROM affected p WHERE p.aid = " r ".aid"               \
	"   AND p.component = " r ".component AND p.ecosystem = v.pro"      \
	"   AND p.package = " r ".package))"                                \
	" AND (" r ".component <> 'docker' OR " r ".ecosystem <> 'upstream'" \
	"  OR " r ".package = 'docker-engine' OR NOT EXISTS"                \
	"  (SELECT 1 FROM advisory_alias l1 JOIN advisory_alias l2"         \
	"   ON l2.alias = l1.alias JOIN affected e ON e.aid = l2.aid"       \
	"   WHERE l1.aid = " r ".aid AND e.component = 'docker'"            \
	"   AND e.ecosystem = 'upstream' AND e.package = 'docker-engine'))"

/* The rows of v's ecosystems (plain and Pro) and source. */
#define ROWS_OF_V(r)                                                         \
	r ".component = v.component AND " r ".ecosystem IN (v.ecosystem, v.pro)" \
	" AND (v.source = '' OR " r ".package = v.source)"

static const char fd_match_sql[] =
	"INSERT INTO fd_match(vid, aid, ecosystem, severity)"
	" SELECT v.vid, a.aid, max(a.ecosystem), max(a.severity)"
	" FROM fd_version v JOIN affected a ON " ROWS_OF_V("a")
	" WHERE " JUDGES("a")
	" AND version_affects(a.scheme, a.introduced, a.fixed,"
	"  a.last_affected, a.limit_, v.judged)"
	" GROUP BY v.vid, a.aid";

/* The lowest fixing version at or above the judged one among the judging
 * rows of the advisory (affected.h's rule, with the rows narrowed as
 * above). */
static const char fd_fixed_sql[] =
	"UPDATE fd_match SET fixed = (SELECT f.fixed FROM fd_version v, affected f"
	" WHERE v.vid = fd_match.vid AND f.aid = fd_match.aid AND " ROWS_OF_V("f")
	" AND " JUDGES("f")
	" AND coalesce(f.fixed, '') <> ''"
	" AND version_cmp(f.scheme, f.fixed, v.judged) >= 0"
	" AND NOT EXISTS (SELECT 1 FROM affected g WHERE g.aid = f.aid"
	"  AND " ROWS_OF_V("g") " AND " JUDGES("g")
	"  AND coalesce(g.fixed, '') <> ''"
	"  AND version_cmp(g.scheme, g.fixed, v.judged) >= 0"
	"  AND version_cmp(g.scheme, g.fixed, f.fixed) < 0)"
	" LIMIT 1)";

static const char fd_vkey_sql[] =
	"UPDATE fd_match SET vkey = coalesce((SELECT min(l.alias)"
	" FROM advisory_alias l WHERE l.aid = fd_match.aid AND l.alias LIKE 'CVE-%'),"
	" (SELECT id FROM advisory WHERE aid = fd_match.aid))";

/* One advisory per version and CVE: a fix before none, the lowest fix,
 * then the lowest advisory id. */
static const char fd_dedup_sql[] =
	"DELETE FROM fd_match WHERE EXISTS (SELECT 1 FROM fd_match b"
	" JOIN fd_version v ON v.vid = b.vid"
	" WHERE b.vid = fd_match.vid AND b.vkey = fd_match.vkey"
	" AND b.aid <> fd_match.aid AND ("
	"  (b.fixed IS NOT NULL AND fd_match.fixed IS NULL)"
	"  OR (b.fixed IS NOT NULL AND fd_match.fixed IS NOT NULL"
	"   AND version_cmp(v.scheme, b.fixed, fd_match.fixed) < 0)"
	"  OR (((b.fixed IS NULL AND fd_match.fixed IS NULL)"
	"    OR (b.fixed IS NOT NULL AND fd_match.fixed IS NOT NULL"
	"     AND version_cmp(v.scheme, b.fixed, fd_match.fixed) = 0))"
	"   AND (SELECT id FROM advisory WHERE aid = b.aid)"
	"    < (SELECT id FROM advisory WHERE aid = fd_match.aid))))";

/* A severity word as a level, NULL when it says nothing. */
#define NORM_SEV(x)                                                          \
	"(CASE WHEN rtrim(lower(" x "), '*') IN"                             \
	" ('critical', 'high', 'medium', 'low', 'none')"                     \
	" THEN rtrim(lower(" x "), '*') WHEN rtrim(lower(" x "), '*') IN"    \
	" ('unimportant', 'negligible') THEN 'low' END)"

#define LEVEL_RANK(x)                                                        \
	"(CASE " x " WHEN 'critical' THEN 4 WHEN 'high' THEN 3"              \
	" WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END)"

/* KEV, EPSS, CVSS and severity once per distinct version and advisory
 * (finding.h: by every alias, falling back to the CVE's other
 * advisories), not once per host. */
static const char fd_scores_sql[] =
	"UPDATE fd_match SET"
	" kev = EXISTS (SELECT 1 FROM kev k WHERE k.cve IN (SELECT alias FROM"
	"  advisory_alias WHERE aid = fd_match.aid UNION SELECT fd_match.vkey)),"
	" epss = (SELECT max(e.score) FROM epss e WHERE e.cve IN (SELECT alias FROM"
	"  advisory_alias WHERE aid = fd_match.aid UNION SELECT fd_match.vkey)),"
	" cvss = coalesce((SELECT cvss_score FROM advisory WHERE aid = fd_match.aid),"
	"  (SELECT max(a2.cvss_score) FROM advisory_alias l"
	"  JOIN advisory a2 ON a2.aid = l.aid WHERE l.alias = fd_match.vkey)),"
	" severity = coalesce(" NORM_SEV("fd_match.severity") ","
	"  (SELECT " NORM_SEV("severity") " FROM advisory WHERE aid = fd_match.aid),"
	"  (SELECT " NORM_SEV("a2.severity") " AS w FROM advisory_alias l"
	"   JOIN advisory a2 ON a2.aid = l.aid WHERE l.alias = fd_match.vkey"
	"   AND w IS NOT NULL ORDER BY " LEVEL_RANK("w") " DESC LIMIT 1))";

/* ?1 now. Findings of what runs; alt kernels only say fixed_by_installed. */
static const char fd_insert_sql[] =
	"INSERT INTO finding(hid, aid, component, package, installed, judged,"
	" ecosystem, fixed, feed, approximate, vkey, kev, epss, cvss, severity,"
	" level, fixed_by_installed, livepatched, covered_until, first_seen)"
	" SELECT s.hid, m.aid, s.component, s.package, s.installed, s.judged,"
	" m.ecosystem, m.fixed, adv.feed, s.approximate, m.vkey,"
	" m.kev, m.epss, m.cvss, m.severity,"
	" 'none',"
	" CASE WHEN s.component = 'kernel' THEN (SELECT i.release FROM fd_subject i"
	"  WHERE i.hid = s.hid AND i.role = 'alt' AND i.component = 'kernel'"
	"  AND i.ecosystem = s.ecosystem AND i.source = s.source"
	"  AND version_cmp(s.scheme, i.judged, s.judged) > 0"
	"  AND NOT EXISTS (SELECT 1 FROM fd_match x WHERE x.vid = i.vid"
	"   AND x.vkey = m.vkey)"
	"  ORDER BY i.release DESC LIMIT 1) END,"
	" 0,"
	" CASE WHEN s.component = 'kernel' AND EXISTS (SELECT 1 FROM"
	"  json_each(h.livepatch, '$.fixed_cves') j WHERE j.value IN"
	"  (SELECT alias FROM advisory_alias WHERE aid = m.aid UNION SELECT m.vkey))"
	"  THEN unixepoch(json_extract(h.livepatch, '$.covered_until')) END,"
	" ?1"
	" FROM fd_subject s JOIN fd_match m ON m.vid = s.vid"
	" JOIN advisory adv ON adv.aid = m.aid JOIN host h ON h.hid = s.hid"
	" WHERE s.role = 'run'";

/* ?1 now. */
static const char fd_post_sql[] =
	"UPDATE finding SET level = coalesce(severity, CASE"
	" WHEN cvss IS NULL THEN 'medium' WHEN cvss >= 9 THEN 'critical'"
	" WHEN cvss >= 7 THEN 'high' WHEN cvss >= 4 THEN 'medium'"
	" WHEN cvss > 0 THEN 'low' ELSE 'none' END),"
	" livepatched = (component = 'kernel' AND EXISTS (SELECT 1 FROM host h"
	"  WHERE h.hid = finding.hid AND json_extract(h.livepatch, '$.active') = 1"
	"  AND EXISTS (SELECT 1 FROM json_each(h.livepatch, '$.fixed_cves') j"
	"   WHERE j.value IN (SELECT alias FROM advisory_alias"
	"    WHERE aid = finding.aid UNION SELECT finding.vkey)))"
	"  AND (covered_until IS NULL OR covered_until > ?1))";

static const char fd_seen_sql[] =
	"INSERT INTO finding_seen(hid, component, vkey, first_seen)"
	" SELECT DISTINCT hid, component, vkey, ?1 FROM finding WHERE true"
	" ON CONFLICT (hid, component, vkey) DO NOTHING";
static const char fd_seen_gc_sql[] =
	"DELETE FROM finding_seen WHERE NOT EXISTS (SELECT 1 FROM finding f"
	" WHERE f.hid = finding_seen.hid AND f.component = finding_seen.component"
	" AND f.vkey = finding_seen.vkey)";
static const char fd_seen_set_sql[] =
	"UPDATE finding SET first_seen = (SELECT first_seen FROM finding_seen x"
	" WHERE x.hid = finding.hid AND x.component = finding.component"
	" AND x.vkey = finding.vkey)";

#define FINDING_SCHEME(eco, comp)                                            \
	"(CASE WHEN " eco " = 'upstream' THEN (CASE WHEN " comp " = 'kernel'"  \
	" THEN 'kernel' ELSE 'semver' END) WHEN " eco " LIKE 'debian:%'"     \
	" OR " eco " LIKE 'ubuntu:%' THEN 'dpkg' ELSE 'rpm' END)"

static const char fd_target_sql[] =
	"INSERT INTO host_target(hid, component, target, findings, unfixed)"
	" SELECT g.hid, g.component, (SELECT f.fixed FROM finding f"
	"  WHERE f.hid = g.hid AND f.component = g.component"
	"  AND f.fixed IS NOT NULL AND NOT EXISTS (SELECT 1 FROM finding f2"
	"   WHERE f2.hid = f.hid AND f2.component = f.component"
	"   AND f2.fixed IS NOT NULL AND version_cmp("
	FINDING_SCHEME("f.ecosystem", "f.component") ", f2.fixed, f.fixed) > 0)"
	"  ORDER BY f.fixed LIMIT 1),"
	" count(*), sum(g.fixed IS NULL)"
	" FROM finding g GROUP BY g.hid, g.component";

/* Per host and component, the findings that call for an action. */
static const char fd_action_rows_sql[] =
	"SELECT f.hid, f.component, count(*),"
	" (SELECT group_concat(vkey, ', ') FROM (SELECT DISTINCT x.vkey, x.kev, x.cvss"
	"  FROM finding x WHERE x.hid = f.hid AND x.component = f.component"
	"  AND x.livepatched = 0 ORDER BY x.kev DESC, x.cvss IS NULL, x.cvss DESC,"
	"  x.vkey LIMIT 3)),"
	" min(f.installed), t.target, t.unfixed,"
	" sum(f.fixed_by_installed IS NOT NULL), min(f.fixed_by_installed),"
	" h.kernel_release"
	" FROM finding f JOIN host h ON h.hid = f.hid"
	" LEFT JOIN host_target t ON t.hid = f.hid AND t.component = f.component"
	" WHERE f.livepatched = 0 AND f.component IN"
	" ('kernel', 'docker', 'containerd', 'runc')"
	" GROUP BY f.hid, f.component ORDER BY f.hid, f.component";

static const char fd_action_put_sql[] =
	"INSERT INTO host_action(hid, action, reason) VALUES (?1, ?2, ?3)"
	" ON CONFLICT (hid, action) DO UPDATE SET"
	" reason = host_action.reason || '; ' || excluded.reason";

static const char fd_reboot_required_sql[] =
	"INSERT INTO host_action(hid, action, reason)"
	" SELECT hid, 'reboot',"
	" 'the host reports a pending reboot (/var/run/reboot-required)'"
	" FROM host WHERE reboot_required = 1"
	" ON CONFLICT (hid, action) DO UPDATE SET"
	" reason = host_action.reason || '; ' || excluded.reason";

/* ?1 the oldest allowed image creation time, ?2 the age as written. */
/* The containers to recreate (see recreate_container in
 * src/store_schema.h): ?1 the oldest image build time kept, ?2 the
 * [policy] stale-images as a JSON array. An entry matches the container's
 * image reference or image id, a reference pinned to it (repo@DIGEST), or
 * one of the image's RepoDigests. */
static const char fd_recreate_containers_sql[] =
	"INSERT INTO recreate_container(hid, id, why)"
	" SELECT hid, id, CASE WHEN hit THEN 'stale' ELSE 'old' END FROM"
	" (SELECT c.hid AS hid, c.id AS id, unixepoch(i.created) AS built,"
	"  EXISTS (SELECT 1 FROM json_each(?2) s"
	"   WHERE s.value = c.image OR s.value = c.image_id"
	"   OR c.image GLOB '*@' || s.value"
	"   OR EXISTS (SELECT 1 FROM json_each(coalesce(json_extract(i.inspect,"
	"    '$.RepoDigests'), '[]')) d"
	"    WHERE d.value = s.value OR d.value GLOB '*@' || s.value)) AS hit"
	"  FROM container c LEFT JOIN image i ON i.hid = c.hid AND i.id = c.image_id)"
	" WHERE hit OR built < ?1";

/* One recreate action per host, its reason naming up to three of the
 * containers; ?1 max-image-age as text. */
static const char fd_recreate_sql[] =
	"INSERT INTO host_action(hid, action, reason)"
	" SELECT r.hid, 'recreate', printf('%d container%s use%s images older than %s: %s',"
	"  count(*), CASE WHEN count(*) = 1 THEN '' ELSE 's' END,"
	"  CASE WHEN count(*) = 1 THEN 's' ELSE '' END, ?1,"
	"  (SELECT group_concat(n, ', ') FROM (SELECT c2.name || ' (' ||"
	"   coalesce(c2.image, '?') || ', built ' || date(unixepoch(i2.created),"
	"   'unixepoch') || ')' AS n FROM recreate_container r2"
	"   JOIN container c2 ON c2.hid = r2.hid AND c2.id = r2.id"
	"   JOIN image i2 ON i2.hid = c2.hid AND i2.id = c2.image_id"
	"   WHERE r2.hid = r.hid AND r2.why = 'old' ORDER BY c2.name LIMIT 3)))"
	" FROM recreate_container r WHERE r.why = 'old' GROUP BY r.hid";

static const char fd_recreate_stale_sql[] =
	"INSERT INTO host_action(hid, action, reason)"
	" SELECT r.hid, 'recreate', printf('%d container%s use%s an image marked"
	" stale (stale-images): %s', count(*), CASE WHEN count(*) = 1 THEN '' ELSE 's' END,"
	"  CASE WHEN count(*) = 1 THEN 's' ELSE '' END,"
	"  (SELECT group_concat(n, ', ') FROM (SELECT c2.name || ' (' ||"
	"   coalesce(c2.image, '?') || ')' AS n FROM recreate_container r2"
	"   JOIN container c2 ON c2.hid = r2.hid AND c2.id = r2.id"
	"   WHERE r2.hid = r.hid AND r2.why = 'stale' ORDER BY c2.name LIMIT 3)))"
	" FROM recreate_container r WHERE r.why = 'stale' GROUP BY r.hid"
	" ON CONFLICT(hid, action) DO UPDATE"
	" SET reason = host_action.reason || '; ' || excluded.reason";

/* ?1..?4 deadlines kev, critical, high, medium (seconds). */
static const char fd_urgency_sql[] =
	"INSERT INTO host_urgency(hid, level, score, exposure, worst, deadline,"
	" findings)"
	" WITH ex AS (SELECT h.hid AS hid,"
	"  3 * EXISTS (SELECT 1 FROM container c WHERE c.hid = h.hid"
	"   AND c.state = 'running' AND c.privileged)"
	"  + 2 * EXISTS (SELECT 1 FROM container c WHERE c.hid = h.hid"
	"   AND c.state = 'running' AND c.host_pid)"
	"  + 2 * EXISTS (SELECT 1 FROM container c WHERE c.hid = h.hid"
	"   AND c.state = 'running' AND c.seccomp_unconfined)"
	"  + EXISTS (SELECT 1 FROM container c WHERE c.hid = h.hid"
	"   AND c.state = 'running' AND json_array_length(c.cap_add) > 0)"
	"  + EXISTS (SELECT 1 FROM container c WHERE c.hid = h.hid"
	"   AND c.state = 'running' AND c.host_network)"
	"  + EXISTS (SELECT 1 FROM container c WHERE c.hid = h.hid"
	"   AND c.state = 'running' AND c.memory_limit = 0) AS e"
	"  FROM host h),"
	" fs AS (SELECT f.hid AS hid, f.vkey AS vkey, f.first_seen AS seen,"
	"  f.kev AS kev, 200 * f.kev + 10 * coalesce(f.cvss, CASE f.level"
	"   WHEN 'critical' THEN 9 WHEN 'high' THEN 7 WHEN 'medium' THEN 5"
	"   WHEN 'low' THEN 2 ELSE 0 END) + coalesce(f.epss, 0) AS score,"
	"  CASE WHEN f.kev THEN 4 ELSE " LEVEL_RANK("f.level") " END AS r"
	"  FROM finding f WHERE f.livepatched = 0),"
	" fr AS (SELECT fs.*, min(4, fs.r + (fs.r > 0 AND ex.e >= 3)) AS rr,"
	"  ex.e AS e FROM fs JOIN ex ON ex.hid = fs.hid),"
	" agg AS (SELECT hid, max(score) AS top, max(rr) AS rr, count(*) AS n,"
	"  min(seen + CASE WHEN kev THEN ?1 WHEN rr = 4 THEN ?2"
	"   WHEN rr = 3 THEN ?3 WHEN rr = 2 THEN ?4 END) AS due"
	"  FROM fr GROUP BY hid)"
	" SELECT ex.hid, CASE coalesce(agg.rr, 0) WHEN 4 THEN 'critical'"
	"  WHEN 3 THEN 'high' WHEN 2 THEN 'medium' WHEN 1 THEN 'low'"
	"  ELSE 'none' END,"
	" CASE WHEN agg.n IS NULL THEN 0 ELSE agg.top + 2 * ex.e END, ex.e,"
	" (SELECT vkey FROM fs WHERE fs.hid = ex.hid ORDER BY score DESC, vkey"
	"  LIMIT 1), agg.due, coalesce(agg.n, 0)"
	" FROM ex LEFT JOIN agg ON agg.hid = ex.hid";

/* ---- subjects ---------------------------------------------------------- */

/* The packages findings look at, by binary name. docker_pkg: Docker's own
 * package, judged upstream on the engine's versions. */
static const struct {
	const char *binary;
	const char *component;
	bool docker_pkg;
} fd_packages[] = {
	{ "runc", "runc", false },
	{ "containerd", "containerd", false },
	{ "docker.io", "docker", false },
	{ "podman", "podman", false },
	{ "docker-ce", "docker", true },
	{ "containerd.io", "containerd", true },
};
#define FD_NPACKAGES (sizeof(fd_packages) / sizeof(fd_packages[0]))

static const char *const fd_components[] = {
	"runc", "containerd", "docker", "podman",
};
#define FD_NCOMPONENTS (sizeof(fd_components) / sizeof(fd_components[0]))

struct fd_pkg {
	char *name, *source, *version;
};

struct fd_host {
	long long hid;
	char *os_id, *os_version;
	char *release;
	char *kpkg, *ksrc, *kver;
	char *installed;           /* installed_kernels JSON */
	char *engine[FD_NCOMPONENTS]; /* versions the engine reports */
	struct fd_pkg pkgs[FD_NPACKAGES];
	char eco[64];              /* distro ecosystem, "" none */
};

/* Ecosystems already checked for being loaded. */
struct fd_loaded {
	char eco[64];
	bool loaded;
};

struct fd_ctx {
	struct store *s;
	struct err *err;
	struct fd_loaded *loaded;
	size_t nloaded, aloaded;
};

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void fd_host_release(struct fd_host *h)
{
	size_t i;

	free(h->os_id);
	free(h->os_version);
	free(h->release);
	free(h->kpkg);
	free(h->ksrc);
	free(h->kver);
	free(h->installed);
	for (i = 0; i < FD_NCOMPONENTS; i++)
		free(h->engine[i]);
	for (i = 0; i < FD_NPACKAGES; i++) {
		free(h->pkgs[i].name);
		free(h->pkgs[i].source);
		free(h->pkgs[i].version);
	}
	memset(h, 0, sizeof(*h));
}

/* The upstream part of a distro package version: no epoch, no -revision,
 * nothing from the first '+' or '~' (finding.h). */
static void upstream_of(char *out, size_t size, const char *v)
{
	const char *colon = strchr(v, ':');
	size_t n;

	if (colon && (size_t)(colon - v) <= 3 && strspn(v, "0123456789") ==
	    (size_t)(colon - v))
		v = colon + 1;
	n = strcspn(v, "-+~");
	if (n >= size)
		n = size - 1;
	memcpy(out, v, n);
	out[n] = '\0';
}

/* A kernel release without its local suffix: 6.8.0-custom -> 6.8.0. */
static void release_base(char *out, size_t size, const char *r)
{
	size_t n = strcspn(r, "-+");

	if (n >= size)
		n = size - 1;
	memcpy(out, r, n);
	out[n] = '\0';
}

/* The distro ecosystem of a host, "" when none (finding.h). */
static void distro_ecosystem(char *out, size_t size, const char *id,
			     const char *version)
{
	static const char *const rpm[] = { "rhel", "almalinux", "rocky" };
	size_t i;

	out[0] = '\0';
	if (!id || !version || !*version ||
	    strspn(version, "0123456789.") != strlen(version))
		return;
	if (!strcmp(id, "debian") || !strcmp(id, "ubuntu")) {
		snprintf(out, size, "%s:%s", id, version);
		return;
	}
	for (i = 0; i < sizeof(rpm) / sizeof(rpm[0]); i++)
		if (!strcmp(id, rpm[i])) {
			snprintf(out, size, "%s:%.*s", id,
				 (int)strcspn(version, "."), version);
			return;
		}
}

/* Whether a distro ecosystem has rows from a feed with a successful run. */
static int eco_loaded(struct fd_ctx *c, const char *eco, bool *out)
{
	long long n;
	size_t i;
	int rc;

	for (i = 0; i < c->nloaded; i++)
		if (!strcmp(c->loaded[i].eco, eco)) {
			*out = c->loaded[i].loaded;
			return 0;
		}
	rc = store_query_int(c->s, &n, c->err,
		"SELECT EXISTS (SELECT 1 FROM affected a"
		" JOIN advisory v ON v.aid = a.aid JOIN feed f ON f.name = v.feed"
		" WHERE a.component IN ('kernel', 'runc', 'containerd', 'docker', 'podman')"
		" AND a.ecosystem = ? AND f.last_success IS NOT NULL)", "s", eco);
	if (rc)
		return rc;
	XGROW(c->loaded, c->aloaded, c->nloaded + 1);
	snprintf(c->loaded[c->nloaded].eco, sizeof(c->loaded[0].eco), "%s", eco);
	c->loaded[c->nloaded++].loaded = n != 0;
	*out = n != 0;
	return 0;
}

struct fd_subject {
	const char *component;
	const char *role;
	const char *release;
	const char *package;
	const char *installed;
	const char *ecosystem;
	const char *source;
	const char *judged;
	int approximate;
};

static int put_subject(struct fd_ctx *c, long long hid,
		       const struct fd_subject *sub)
{
	enum version_scheme scheme;
	int rc;

	if (affected_scheme(&scheme, sub->component, sub->ecosystem))
		return 0;
	/* A version the scheme cannot read is not judged at all rather than
	 * judged wrongly. */
	if (!version_valid(scheme, sub->judged))
		return 0;
	rc = store_exec(c->s, c->err,
		"INSERT INTO fd_subject(hid, component, role, release, package,"
		" installed, ecosystem, source, scheme, judged, approximate)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "isssssssssi",
		hid, sub->component, sub->role, sub->release, sub->package,
		sub->installed, sub->ecosystem, sub->source,
		version_scheme_name(scheme), sub->judged,
		(long long)sub->approximate);
	return rc < 0 ? rc : 0;
}

/* The source package a distro's kernel feed is keyed by, NULL when the
 * kernel is self-built (finding.h). */
static const char *kernel_source(char *buf, size_t size, const char *eco,
				 const char *src)
{
	static const char *const debian_arch[] = { "", "-amd64", "-arm64",
						    "-i386", "-armhf" };
	const char *rest;
	size_t i;

	if (!strncmp(eco, "rhel:", 5) || !strncmp(eco, "almalinux:", 10) ||
	    !strncmp(eco, "rocky:", 6))
		return src ? src : "kernel";
	if (!src)
		return "linux";
	if (!strcmp(src, "linux-upstream"))
		return NULL;
	if (strncmp(src, "linux", 5))
		return NULL;
	if (strncmp(src, "linux-signed", 12))
		return src;
	rest = src + 12;
	for (i = 0; i < sizeof(debian_arch) / sizeof(debian_arch[0]); i++)
		if (!strcmp(rest, debian_arch[i]))
			return "linux";
	snprintf(buf, size, "linux%s", rest);
	return buf;
}

/* One kernel (the running one, or an installed one with role "alt"). */
static int kernel_subject(struct fd_ctx *c, const struct fd_host *h,
			  const char *role, const char *release,
			  const char *pkg, const char *src, const char *ver)
{
	char judged[FD_TEXT_MAX], srcbuf[FD_TEXT_MAX];
	const char *source = NULL;
	struct fd_subject sub = {
		.component = "kernel", .role = role, .release = release,
		.package = pkg,
	};
	bool loaded = false;
	int rc;

	if (pkg && ver && h->eco[0])
		source = kernel_source(srcbuf, sizeof(srcbuf), h->eco, src);
	if (source) {
		if ((rc = eco_loaded(c, h->eco, &loaded)))
			return rc;
		sub.installed = ver;
		if (loaded) {
			sub.ecosystem = h->eco;
			sub.source = source;
			sub.judged = ver;
		} else {
			upstream_of(judged, sizeof(judged), ver);
			sub.ecosystem = "upstream";
			sub.source = "";
			sub.judged = judged;
			sub.approximate = 1;
		}
		return put_subject(c, h->hid, &sub);
	}
	if (!release)
		return 0;
	if (pkg && ver && !h->eco[0] && src && strcmp(src, "linux-upstream")) {
		/* A packaged kernel of a distro without a feed. */
		upstream_of(judged, sizeof(judged), ver);
		sub.installed = ver;
		sub.approximate = 1;
	} else {
		release_base(judged, sizeof(judged), release);
		sub.installed = release;
	}
	sub.ecosystem = "upstream";
	sub.source = "";
	sub.judged = judged;
	return put_subject(c, h->hid, &sub);
}

static int kernel_subjects(struct fd_ctx *c, const struct fd_host *h)
{
	struct store_rows rows = STORE_ROWS_INIT;
	int rc;

	if ((rc = kernel_subject(c, h, "run", h->release, h->kpkg, h->ksrc,
				 h->kver)))
		return rc;
	rc = store_query(c->s, &rows, c->err,
		"SELECT json_extract(value, '$.release'),"
		" json_extract(value, '$.package.name'),"
		" json_extract(value, '$.package.source'),"
		" json_extract(value, '$.package.version')"
		" FROM json_each(?) WHERE json_type(value) = 'object'"
		" AND json_extract(value, '$.release') IS NOT ?",
		"ss", h->installed ? h->installed : "[]", h->release);
	if (rc)
		return rc;
	while ((rc = store_rows_next(&rows)) == 1) {
		char *r = dup_or_null(store_rows_text(&rows, 0));
		char *p = dup_or_null(store_rows_text(&rows, 1));
		char *s = dup_or_null(store_rows_text(&rows, 2));
		char *v = dup_or_null(store_rows_text(&rows, 3));

		rc = r ? kernel_subject(c, h, "alt", r, p, s, v) : 0;
		free(r);
		free(p);
		free(s);
		free(v);
		if (rc)
			break;
	}
	store_rows_done(&rows);
	return rc < 0 ? rc : 0;
}

/* The source of a distro binary package (finding.h). */
static int package_source(struct fd_ctx *c, char **out, const char *eco,
			  const struct fd_pkg *p)
{
	int rc;

	if (p->source && *p->source) {
		*out = xstrdup(p->source);
		return 0;
	}
	rc = store_query_text(c->s, out, c->err,
		"SELECT source FROM binary_source WHERE ecosystem = ?1"
		" AND binary = ?2 ORDER BY source = ?2 DESC, source LIMIT 1",
		"ss", eco, p->name);
	if (rc == ERR_NOTFOUND || (!rc && !*out)) {
		*out = xstrdup(p->name);
		return 0;
	}
	return rc;
}

static int component_subject(struct fd_ctx *c, const struct fd_host *h,
			     size_t ci)
{
	const char *comp = fd_components[ci];
	const struct fd_pkg *distro = NULL, *docker = NULL;
	char judged[FD_TEXT_MAX];
	struct fd_subject sub = { .component = comp, .role = "run" };
	bool loaded = false;
	size_t i;
	int rc;

	for (i = 0; i < FD_NPACKAGES; i++) {
		if (!h->pkgs[i].name || strcmp(fd_packages[i].component, comp))
			continue;
		if (fd_packages[i].docker_pkg)
			docker = &h->pkgs[i];
		else
			distro = &h->pkgs[i];
	}
	if (distro && h->eco[0] && (rc = eco_loaded(c, h->eco, &loaded)))
		return rc;
	if (distro && loaded) {
		char *source = NULL;

		if ((rc = package_source(c, &source, h->eco, distro)))
			return rc;
		sub.package = distro->name;
		sub.installed = distro->version;
		sub.ecosystem = h->eco;
		sub.source = source;
		sub.judged = distro->version;
		rc = put_subject(c, h->hid, &sub);
		free(source);
		return rc;
	}
	sub.ecosystem = "upstream";
	sub.source = "";
	if (distro) {
		upstream_of(judged, sizeof(judged), distro->version);
		sub.package = distro->name;
		sub.installed = distro->version;
		sub.approximate = 1;
	} else if (h->engine[ci]) {
		upstream_of(judged, sizeof(judged), h->engine[ci]);
		sub.package = docker ? docker->name : NULL;
		sub.installed = h->engine[ci];
		/* "1.1.5+ds1", "20.10.24+dfsg1": a distro's build whose
		 * package is unknown; backports are invisible. */
		sub.approximate = strpbrk(h->engine[ci], "+~") != NULL;
	} else if (docker) {
		upstream_of(judged, sizeof(judged), docker->version);
		sub.package = docker->name;
		sub.installed = docker->version;
	} else {
		return 0;
	}
	sub.judged = judged;
	return put_subject(c, h->hid, &sub);
}

/* The versions the engine reports, by component (fd_components order):
 * /version Components; Podman's runc is "runc version X\n...". */
#define FD_HOSTS_SQL                                                          \
	"SELECT h.hid, h.os_id, h.os_version_id,"                             \
	" coalesce(h.kernel_release, json_extract(h.engine_info_json, '$.KernelVersion')),"  \
	" h.kernel_package, h.kernel_package_source, h.kernel_package_version," \
	" h.installed_kernels,"                                               \
	" (SELECT CASE WHEN v LIKE 'runc version %'"                          \
	"   THEN substr(v, 14, instr(v || char(10), char(10)) - 14) ELSE v END" \
	"  FROM (SELECT json_extract(value, '$.Version') AS v,"               \
	"   json_extract(value, '$.Name') AS n"                               \
	"   FROM json_each(h.engine_version_json, '$.Components'))"           \
	"  WHERE n IN ('runc', 'OCI Runtime (runc)') AND v <> '' LIMIT 1),"   \
	" (SELECT json_extract(value, '$.Version')"                           \
	"  FROM json_each(h.engine_version_json, '$.Components')"             \
	"  WHERE json_extract(value, '$.Name') = 'containerd'"                \
	"  AND json_extract(value, '$.Version') <> '' LIMIT 1),"              \
	" CASE WHEN h.engine_kind = 'docker' THEN coalesce("                  \
	"  (SELECT json_extract(value, '$.Version')"                          \
	"   FROM json_each(h.engine_version_json, '$.Components')"            \
	"   WHERE json_extract(value, '$.Name') = 'Engine' LIMIT 1),"         \
	"  json_extract(h.engine_version_json, '$.Version')) END,"            \
	" CASE WHEN h.engine_kind = 'podman' THEN coalesce("                  \
	"  (SELECT json_extract(value, '$.Version')"                          \
	"   FROM json_each(h.engine_version_json, '$.Components')"            \
	"   WHERE json_extract(value, '$.Name') = 'Podman Engine' LIMIT 1),"  \
	"  json_extract(h.engine_version_json, '$.Version')) END"             \
	" FROM host h ORDER BY h.hid"

static int load_packages(struct fd_ctx *c, struct fd_host *h)
{
	struct store_rows rows = STORE_ROWS_INIT;
	int rc;

	rc = store_query(c->s, &rows, c->err,
		"SELECT name, source, version FROM package WHERE hid = ?"
		" AND name IN ('runc', 'containerd', 'docker.io', 'podman',"
		" 'docker-ce', 'containerd.io')", "i", h->hid);
	if (rc)
		return rc;
	while ((rc = store_rows_next(&rows)) == 1) {
		const char *name = store_rows_text(&rows, 0);
		size_t i;

		for (i = 0; i < FD_NPACKAGES; i++)
			if (!strcmp(name, fd_packages[i].binary) &&
			    !h->pkgs[i].name) {
				h->pkgs[i].name = xstrdup(name);
				h->pkgs[i].source = dup_or_null(store_rows_text(&rows, 1));
				h->pkgs[i].version = xstrdup(store_rows_text(&rows, 2));
			}
	}
	store_rows_done(&rows);
	return rc < 0 ? rc : 0;
}

static int build_subjects(struct fd_ctx *c)
{
	struct store_rows rows = STORE_ROWS_INIT;
	struct fd_host h;
	int rc;

	memset(&h, 0, sizeof(h));
	if ((rc = store_query(c->s, &rows, c->err, FD_HOSTS_SQL, NULL)))
		return rc;
	while ((rc = store_rows_next(&rows)) == 1) {
		size_t i;

		h.hid = store_rows_int(&rows, 0);
		h.os_id = dup_or_null(store_rows_text(&rows, 1));
		h.os_version = dup_or_null(store_rows_text(&rows, 2));
		h.release = dup_or_null(store_rows_text(&rows, 3));
		h.kpkg = dup_or_null(store_rows_text(&rows, 4));
		h.ksrc = dup_or_null(store_rows_text(&rows, 5));
		h.kver = dup_or_null(store_rows_text(&rows, 6));
		h.installed = dup_or_null(store_rows_text(&rows, 7));
		for (i = 0; i < FD_NCOMPONENTS; i++)
			h.engine[i] = dup_or_null(store_rows_text(&rows, 8 + (int)i));
		distro_ecosystem(h.eco, sizeof(h.eco), h.os_id, h.os_version);
		rc = load_packages(c, &h);
		if (!rc)
			rc = kernel_subjects(c, &h);
		for (i = 0; !rc && i < FD_NCOMPONENTS; i++)
			rc = component_subject(c, &h, i);
		fd_host_release(&h);
		if (rc)
			break;
	}
	store_rows_done(&rows);
	return rc < 0 ? rc : 0;
}

/* ---- actions ----------------------------------------------------------- */

static int put_component_actions(struct fd_ctx *c)
{
	static const struct {
		const char *component;
		const char *action;
	} acts[] = {
		{ "kernel", "reboot" },
		{ "docker", "engine-restart" },
		{ "containerd", "containerd-restart" },
		{ "runc", "runc-upgrade" },
	};
	struct store_rows rows = STORE_ROWS_INIT;
	struct buf reason;
	int rc;

	buf_init(&reason, 4096);
	if ((rc = store_query(c->s, &rows, c->err, fd_action_rows_sql, NULL))) {
		buf_release(&reason);
		return rc;
	}
	while ((rc = store_rows_next(&rows)) == 1) {
		long long hid = store_rows_int(&rows, 0);
		const char *comp = store_rows_text(&rows, 1);
		long long n = store_rows_int(&rows, 2);
		const char *keys = store_rows_text(&rows, 3);
		const char *installed = store_rows_text(&rows, 4);
		const char *target = store_rows_text(&rows, 5);
		long long unfixed = store_rows_int(&rows, 6);
		long long by_installed = store_rows_int(&rows, 7);
		const char *fbi = store_rows_text(&rows, 8);
		const char *release = store_rows_text(&rows, 9);
		const char *action = NULL;
		size_t i;

		for (i = 0; i < sizeof(acts) / sizeof(acts[0]); i++)
			if (!strcmp(comp, acts[i].component))
				action = acts[i].action;
		/* Nothing to install means nothing to schedule: taking the
		 * host down would not close a single finding. The findings
		 * stay listed, with "no fix", and still count for urgency. */
		if (!action || (!target && !(by_installed > 0 && fbi)))
			continue;
		buf_reset(&reason);
		if (!strcmp(comp, "kernel"))
			buf_addf(&reason, "running kernel %s", release ? release : installed);
		else
			buf_addf(&reason, "%s %s", comp, installed);
		buf_addf(&reason, ": %lld advisor%s (%s%s)", n, n == 1 ? "y" : "ies",
			 keys ? keys : "", n > 3 ? ", ..." : "");
		if (by_installed == n && fbi)
			buf_addf(&reason, " fixed by installed kernel %s; boot into it", fbi);
		else if (!target)
			buf_addf(&reason, "; %lld fixed by installed kernel %s, boot into it"
				 " (%lld without a fix)", by_installed, fbi, n - by_installed);
		else if (unfixed > 0)
			buf_addf(&reason, "; upgrade to %s (%lld without a fix)", target,
				 unfixed);
		else
			buf_addf(&reason, "; upgrade to %s", target);
		rc = store_exec(c->s, c->err, fd_action_put_sql, "iss", hid, action,
				reason.ptr);
		if (rc < 0)
			break;
	}
	store_rows_done(&rows);
	buf_release(&reason);
	return rc < 0 ? rc : 0;
}

/* "30d", "36h", "90m", "45s": the largest unit that divides. */
static void duration_text(char *out, size_t size, int64_t secs)
{
	if (secs > 0 && secs % 86400 == 0)
		snprintf(out, size, "%lldd", (long long)(secs / 86400));
	else if (secs > 0 && secs % 3600 == 0)
		snprintf(out, size, "%lldh", (long long)(secs / 3600));
	else if (secs > 0 && secs % 60 == 0)
		snprintf(out, size, "%lldm", (long long)(secs / 60));
	else
		snprintf(out, size, "%llds", (long long)secs);
}

/* ---- the update -------------------------------------------------------- */

static int exec_ok(int rc)
{
	return rc < 0 ? rc : 0;
}

/* A NULL-terminated string list as a JSON array of strings (its items are
 * config values, checked by config.c: no quotes or backslashes). */
static int list_json(struct buf *out, char *const *list, struct err *err)
{
	int rc = 0;

	buf_reset(out);
	rc |= buf_addch(out, '[');
	for (size_t i = 0; list && list[i]; i++)
		rc |= buf_addf(out, "%s\"%s\"", i ? "," : "", list[i]);
	rc |= buf_addch(out, ']');
	return rc ? err_set(err, ERR_LIMIT, "stale-images is too long") : 0;
}

/* What the findings are computed from (see finding_update_with()). */
static const char fd_stamp_sql[] =
	"SELECT json_array(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
	" (SELECT json_array(count(*), max(last_success)) FROM feed),"
	" (SELECT json_array(count(*), max(aid)) FROM advisory),"
	" (SELECT json_array(count(*), max(rowid)) FROM affected),"
	" (SELECT count(*) FROM binary_source),"
	" (SELECT count(*) FROM kev), (SELECT count(*) FROM epss),"
	" (SELECT json_array(count(*), max(hid), max(last_inventory)) FROM host),"
	" (SELECT count(*) FROM package),"
	" (SELECT json_array(count(*), max(rowid)) FROM container),"
	" (SELECT json_array(count(*), max(rowid)) FROM image))";

int finding_update_with(struct store *s, const struct finding_options *opt,
			struct err *err)
{
	struct config_policy defaults;
	const struct config_policy *pol = opt ? opt->policy : NULL;
	struct fd_ctx c = { .s = s, .err = err };
	int64_t now = opt && opt->now ? opt->now : (int64_t)time(NULL);
	char *stamp = NULL, *last = NULL;
	struct buf stale;
	char age[32];
	int rc;

	buf_init(&stale, 1 << 20);

	if (!pol) {
		struct config *cfg = config_new_default();

		defaults = cfg->policy;
		defaults.stale_images = NULL; /* freed with cfg */
		config_free(cfg);
		pol = &defaults;
	}
	if ((rc = store_begin(s, err)))
		return rc;
	/* Findings change only when their inputs do. Every writer of those
	 * tables deletes and inserts (never updates in place), so the row
	 * counts and highest row ids, the feed runs and inventories, the
	 * policy, the hour and this program's version say whether anything
	 * moved. Skipping the work when nothing did makes `plan`, `impact`
	 * and the UI cheap to run again on a large fleet. */
	if ((rc = list_json(&stale, pol->stale_images, err)))
		goto out;
	if ((rc = store_query_text(s, &stamp, err, fd_stamp_sql, "siiiiiis",
				   SLIPWAY_VERSION, (long long)(now / 3600),
				   (long long)pol->deadline_kev,
				   (long long)pol->deadline_critical,
				   (long long)pol->deadline_high,
				   (long long)pol->deadline_medium,
				   (long long)pol->max_image_age, stale.ptr)))
		goto out;
	if ((rc = store_query_text(s, &last, err,
				   "SELECT coalesce((SELECT value FROM meta WHERE key = 'findings'), '')",
				   NULL)))
		goto out;
	if (!(opt && opt->force) && last && !strcmp(last, stamp)) {
		rc = store_commit(s, err);
		goto out;
	}
	if ((rc = store_exec_script(s, err, fd_temp_sql)))
		goto out;
	if ((rc = build_subjects(&c)))
		goto out;
	if ((rc = exec_ok(store_exec(s, err,
		"INSERT OR IGNORE INTO fd_version(component, ecosystem, pro, source,"
		" scheme, judged) SELECT DISTINCT component, ecosystem,"
		" CASE WHEN ecosystem LIKE 'ubuntu:%' AND ecosystem NOT LIKE 'ubuntu:pro:%'"
		" THEN 'ubuntu:pro:' || substr(ecosystem, 8) ELSE '' END,"
		" source, scheme, judged FROM fd_subject", NULL))))
		goto out;
	if ((rc = exec_ok(store_exec(s, err,
		"UPDATE fd_subject SET vid = (SELECT v.vid FROM fd_version v"
		" WHERE v.component = fd_subject.component"
		" AND v.ecosystem = fd_subject.ecosystem"
		" AND v.source = fd_subject.source AND v.judged = fd_subject.judged)",
		NULL))))
		goto out;
	if ((rc = exec_ok(store_exec(s, err, fd_match_sql, NULL))) ||
	    (rc = exec_ok(store_exec(s, err, fd_fixed_sql, NULL))) ||
	    (rc = exec_ok(store_exec(s, err, fd_vkey_sql, NULL))) ||
	    (rc = exec_ok(store_exec(s, err, fd_dedup_sql, NULL))) ||
	    (rc = exec_ok(store_exec(s, err, fd_scores_sql, NULL))))
		goto out;
	if ((rc = exec_ok(store_exec(s, err, "DELETE FROM finding", NULL))) ||
	    (rc = exec_ok(store_exec(s, err, fd_insert_sql, "i", (long long)now))) ||
	    (rc = exec_ok(store_exec(s, err, fd_post_sql, "i", (long long)now))) ||
	    (rc = exec_ok(store_exec(s, err, fd_seen_sql, "i", (long long)now))) ||
	    (rc = exec_ok(store_exec(s, err, fd_seen_gc_sql, NULL))) ||
	    (rc = exec_ok(store_exec(s, err, fd_seen_set_sql, NULL))))
		goto out;
	if ((rc = exec_ok(store_exec(s, err, "DELETE FROM host_target", NULL))) ||
	    (rc = exec_ok(store_exec(s, err, fd_target_sql, NULL))) ||
	    (rc = exec_ok(store_exec(s, err, "DELETE FROM host_action", NULL))) ||
	    (rc = put_component_actions(&c)) ||
	    (rc = exec_ok(store_exec(s, err, fd_reboot_required_sql, NULL))))
		goto out;
	duration_text(age, sizeof(age), pol->max_image_age);
	if ((rc = exec_ok(store_exec(s, err, "DELETE FROM recreate_container", NULL))) ||
	    (rc = exec_ok(store_exec(s, err, fd_recreate_containers_sql, "is",
				     (long long)(now - pol->max_image_age), stale.ptr))) ||
	    (rc = exec_ok(store_exec(s, err, fd_recreate_sql, "s", age))) ||
	    (rc = exec_ok(store_exec(s, err, fd_recreate_stale_sql, NULL))))
		goto out;
	if ((rc = exec_ok(store_exec(s, err, "DELETE FROM host_urgency", NULL))) ||
	    (rc = exec_ok(store_exec(s, err, fd_urgency_sql, "iiii",
				     (long long)pol->deadline_kev,
				     (long long)pol->deadline_critical,
				     (long long)pol->deadline_high,
				     (long long)pol->deadline_medium))))
		goto out;
	if ((rc = exec_ok(store_exec(s, err,
		"INSERT INTO meta(key, value) VALUES ('findings', ?)"
		" ON CONFLICT(key) DO UPDATE SET value = excluded.value", "s", stamp))))
		goto out;
	rc = store_commit(s, err);
out:
	if (rc)
		store_rollback(s);
	free(stamp);
	free(last);
	buf_release(&stale);
	free(c.loaded);
	return rc;
}

int finding_update(struct store *s, struct err *err)
{
	return finding_update_with(s, NULL, err);
}

/* ---- listings ---------------------------------------------------------- */

#define FINDINGS_SQL                                                          \
	"SELECT h.name AS host, a.id AS id, a.aliases AS aliases,"            \
	" f.component AS component, f.package AS package,"                    \
	" f.installed AS installed, f.judged AS judged, f.fixed AS fixed,"     \
	" f.feed AS feed, f.ecosystem AS ecosystem,"                          \
	" f.approximate AS approximate, f.kev AS kev, f.epss AS epss,"        \
	" f.cvss AS cvss, f.severity AS severity, f.level AS level,"          \
	" f.fixed_by_installed AS fixed_by_installed,"                        \
	" f.livepatched AS livepatched, f.covered_until AS covered_until,"    \
	" f.first_seen AS first_seen"                                         \
	" FROM finding f JOIN host h ON h.hid = f.hid"                        \
	" JOIN advisory a ON a.aid = f.aid"                                   \
	" WHERE ?1 IS NULL OR h.name = ?1"
#define FINDINGS_ORDER                                                        \
	" ORDER BY h.name, f.component, f.kev DESC, f.cvss IS NULL,"          \
	" f.cvss DESC, a.id"

int finding_list(struct store *s, struct store_rows *rows, const char *host,
		 struct err *err)
{
	return store_query(s, rows, err, FINDINGS_SQL FINDINGS_ORDER, "s", host);
}

#define JBOOL(x) "json(CASE WHEN " x " THEN 'true' ELSE 'false' END)"

int finding_list_json(struct store *s, struct buf *out, const char *host,
		      struct err *err)
{
	char *doc = NULL;
	int rc;

	rc = store_query_text(s, &doc, err,
		"SELECT json_group_array(json_object("
		" 'host', host, 'id', id, 'aliases', json(aliases),"
		" 'component', component, 'package', package,"
		" 'installed', installed, 'judged', judged, 'fixed', fixed,"
		" 'feed', feed, 'ecosystem', ecosystem,"
		" 'approximate', " JBOOL("approximate") ", 'kev', " JBOOL("kev") ","
		" 'epss', epss, 'cvss', cvss, 'severity', severity, 'level', level,"
		" 'fixed_by_installed', fixed_by_installed,"
		" 'livepatched', " JBOOL("livepatched") ","
		" 'covered_until', covered_until, 'first_seen', first_seen))"
		" FROM (" FINDINGS_SQL FINDINGS_ORDER ")", "s", host);
	if (rc)
		return rc;
	rc = buf_addstr(out, doc ? doc : "[]");
	free(doc);
	if (rc)
		return err_set(err, ERR_LIMIT, "findings listing too large");
	return 0;
}

static const char *const fd_thresholds[] = {
	"none", "low", "medium", "high", "critical", "kev",
};

int finding_threshold_parse(int *out, const char *word, struct err *err)
{
	size_t i;

	for (i = 1; word && i < sizeof(fd_thresholds) / sizeof(fd_thresholds[0]); i++)
		if (!strcmp(word, fd_thresholds[i])) {
			*out = (int)i;
			return 0;
		}
	return err_set(err, ERR_USAGE,
		       "unknown severity '%s' (critical, high, medium, low or kev)",
		       word ? word : "");
}

int finding_count_at_or_above(struct store *s, long long *out,
			      const char *host, int threshold,
			      struct err *err)
{
	return store_query_int(s, out, err,
		"SELECT count(*) FROM finding f JOIN host h ON h.hid = f.hid"
		" WHERE (?1 IS NULL OR h.name = ?1) AND f.livepatched = 0"
		" AND (f.kev OR " LEVEL_RANK("f.level") " >= ?2)",
		"si", host, (long long)threshold);
}

void finding_host_release(struct finding_host *h)
{
	if (!h)
		return;
	free(h->urgency);
	free(h->worst);
	free(h->targets);
	free(h->bundle);
	memset(h, 0, sizeof(*h));
}

int finding_bundle(impact_actions *out, struct store *s, long long hid,
		   struct err *err)
{
	struct store_rows rows = STORE_ROWS_INIT;
	impact_actions acts = 0;
	int rc;

	rc = store_query(s, &rows, err,
			 "SELECT action FROM host_action WHERE hid = ?", "i", hid);
	if (rc)
		return rc;
	while ((rc = store_rows_next(&rows)) == 1) {
		enum impact_action a;

		if (!impact_action_parse(&a, store_rows_text(&rows, 0)))
			acts |= IMPACT_BIT(a);
	}
	store_rows_done(&rows);
	if (rc < 0)
		return rc;
	*out = acts;
	return 0;
}

int finding_target(char **out, struct store *s, long long hid,
		   const char *component, struct err *err)
{
	char *t = NULL;
	int rc;

	rc = store_query_text(s, &t, err,
			      "SELECT target FROM host_target WHERE hid = ?"
			      " AND component = ?", "is", hid, component);
	if (rc == ERR_NOTFOUND) {
		*out = NULL;
		return 0;
	}
	if (rc)
		return rc;
	*out = t;
	return 0;
}

int finding_host_get(struct finding_host *out, struct store *s,
		     const char *host, struct err *err)
{
	struct store_rows rows = STORE_ROWS_INIT;
	struct finding_host h;
	long long hid = 0;
	int rc;

	memset(&h, 0, sizeof(h));
	rc = store_query(s, &rows, err,
		"SELECT h.hid, coalesce(u.level, 'none'), coalesce(u.score, 0),"
		" coalesce(u.exposure, 0), u.worst, u.deadline,"
		" coalesce(u.findings, 0), " FINDING_HOST_TARGETS_SQL ", "
		FINDING_HOST_BUNDLE_SQL
		" FROM host h LEFT JOIN host_urgency u ON u.hid = h.hid"
		" WHERE h.name = ?", "s", host);
	if (rc)
		return rc;
	rc = store_rows_next(&rows);
	if (rc == 1) {
		hid = store_rows_int(&rows, 0);
		h.urgency = xstrdup(store_rows_text(&rows, 1));
		h.score = store_rows_double(&rows, 2);
		h.exposure = (int)store_rows_int(&rows, 3);
		h.worst = dup_or_null(store_rows_text(&rows, 4));
		h.deadline = store_rows_null(&rows, 5) ? 0 : store_rows_int(&rows, 5);
		h.findings = (long)store_rows_int(&rows, 6);
		h.targets = dup_or_null(store_rows_text(&rows, 7));
		h.bundle = dup_or_null(store_rows_text(&rows, 8));
	}
	store_rows_done(&rows);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(err, ERR_NOTFOUND, "unknown host '%s'", host);
	if ((rc = finding_bundle(&h.actions, s, hid, err))) {
		finding_host_release(&h);
		return rc;
	}
	*out = h;
	return 0;
}
