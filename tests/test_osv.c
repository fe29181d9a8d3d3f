/* test_osv.c - unit tests of the `osv` feed adapter (feeds/osv.c) on the
 * real OSV records in tests/data/feeds/osv/ (see its README): what each
 * record stores, version verdicts through the stored intervals, CVSS
 * scores against the scores the samples state, bad records, withdrawn
 * records, and the modified_id.csv cursor of incremental refreshes. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "feed.h"
#include "osv.h"
#include "run.h"
#include "store.h"
#include "xalloc.h"

#include "banned.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static struct store *db;

static char *fixture_path(const char *rel)
{
	const char *root = getenv("SLIPWAY_SOURCE_ROOT");
	struct buf b;

	buf_init(&b, 4096);
	ck_assert_int_eq(buf_addf(&b, "%s/tests/data/feeds/osv/%s", root ? root : ".", rel), 0);
	return buf_detach(&b, NULL);
}

static char *slurp(const char *rel, size_t *len)
{
	char *path = fixture_path(rel);
	FILE *f = fopen(path, "rb");
	struct buf b;
	char chunk[8192];
	size_t n;

	ck_assert_msg(f != NULL, "cannot open fixture '%s'", path);
	buf_init(&b, (size_t)64 << 20);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		ck_assert_int_eq(buf_add(&b, chunk, n), 0);
	fclose(f);
	free(path);
	return buf_detach(&b, len);
}

/* Feed definitions as feeds/feeds.c has them (its table is not linked
 * into the unit test on purpose: feed.h). */
static const struct feed_def def_go = { .name = "osv-go", .format = &feed_format_osv, .param = "Go" };
static const struct feed_def def_linux = { .name = "osv-linux", .format = &feed_format_osv, .param = "Linux" };
static const struct feed_def def_ubuntu = { .name = "osv-ubuntu", .format = &feed_format_osv, .param = "Ubuntu" };
static const struct feed_def def_debian = { .name = "osv-debian", .format = &feed_format_osv, .param = "Debian" };
static const struct feed_def def_alma = { .name = "osv-almalinux", .format = &feed_format_osv, .param = "AlmaLinux" };

static void setup(void)
{
	struct err err;
	const struct feed_def *defs[] = { &def_go, &def_linux, &def_ubuntu, &def_debian, &def_alma };
	size_t i;

	ck_assert_int_eq(store_open(&db, ":memory:", &err), 0);
	for (i = 0; i < ARRAY_SIZE(defs); i++)
		ck_assert_int_eq(store_exec(db, &err, "INSERT INTO feed(name) VALUES (?)", "s",
					    defs[i]->name), 1);
}

static void teardown(void)
{
	store_close(db);
	db = NULL;
}

static void run_init(struct feed_run *run, const struct feed_def *def, bool full)
{
	struct err err;

	memset(run, 0, sizeof(*run));
	run->store = db;
	run->def = def;
	run->source = "test";
	run->full = full;
	err_clear(&run->first_reject);
	ck_assert_int_eq(store_begin(db, &err), 0);
	ck_assert_int_eq(feed_format_osv.begin(run, &err), 0);
}

static void run_doc(struct feed_run *run, const char *name, const char *data, size_t len)
{
	struct err err;

	err_clear(&err);
	run->documents++;
	ck_assert_msg(feed_format_osv.parse(run, name, data, len, &err) == 0,
		      "parse '%s': %s", name, err.msg);
}

static void run_file(struct feed_run *run, const char *rel)
{
	size_t len;
	char *data = slurp(rel, &len);
	const char *base = strrchr(rel, '/');

	run_doc(run, base ? base + 1 : rel, data, len);
	free(data);
}

static void run_done(struct feed_run *run)
{
	struct err err;

	ck_assert_int_eq(feed_format_osv.finish(run, &err), 0);
	ck_assert_int_eq(store_commit(db, &err), 0);
}

/* run_done() for tests that do not look at the feed state. */
static void run_end(struct feed_run *run)
{
	run_done(run);
	free(run->feed_state);
	run->feed_state = NULL;
}

/* Loads every file of a fixture directory in one full run. */
static void load_dir(struct feed_run *run, const struct feed_def *def, const char *dir)
{
	char *path = fixture_path(dir);
	DIR *d = opendir(path);
	struct dirent *de;

	ck_assert_msg(d != NULL, "cannot open '%s'", path);
	run_init(run, def, true);
	while ((de = readdir(d))) {
		char rel[512];

		if (!feed_format_osv.want(run, de->d_name))
			continue;
		snprintf(rel, sizeof(rel), "%s/%s", dir, de->d_name);
		run_file(run, rel);
	}
	closedir(d);
	free(path);
	run_end(run);
}

static long long count(const char *sql, const char *a, const char *b)
{
	long long n = -1;
	struct err err;

	ck_assert_msg(store_query_int(db, &n, &err, sql, "ss", a, b) == 0, "%s", err.msg);
	return n;
}

/* Whether the stored intervals of advisory `id` for `package` in
 * `ecosystem` say version v is affected, the way the matcher asks. */
static bool affects(const char *id, const char *package, const char *ecosystem, const char *v)
{
	long long n = -1;
	struct err err;

	ck_assert_msg(store_query_int(db, &n, &err,
		"SELECT count(*) FROM advisory a JOIN affected f USING (aid)"
		" WHERE a.id = ?1 AND f.package = ?2 AND f.ecosystem = ?3"
		" AND version_affects(f.scheme, f.introduced, f.fixed, f.last_affected,"
		" f.limit_, ?4)",
		"ssss", id, package, ecosystem, v) == 0, "%s", err.msg);
	return n > 0;
}

static char *text(const char *sql, const char *a, const char *b)
{
	char *out = NULL;
	struct err err;

	ck_assert_msg(store_query_text(db, &out, &err, sql, "ss", a, b) == 0, "%s", err.msg);
	return out;
}

static void assert_text(const char *sql, const char *a, const char *b, const char *want)
{
	char *got = text(sql, a, b);

	if (!want)
		ck_assert_msg(got == NULL, "%s [%s %s]: got '%s', want NULL", sql, a, b, got);
	else
		ck_assert_msg(got && !strcmp(got, want), "%s [%s %s]: got '%s', want '%s'",
			      sql, a, b, got ? got : "NULL", want);
	free(got);
}

/* ---- every real sample ---------------------------------------------------- */

static const struct {
	const char *dir;
	const struct feed_def *def;
	long records, skipped;
} samples[] = {
	{ "go", &def_go, 9, 0 },
	{ "ghsa", &def_go, 4, 0 },
	{ "ubuntu", &def_ubuntu, 4, 1 },     /* USN-5614-1 is wayland */
	{ "linux", &def_linux, 1, 0 },
	{ "almalinux", &def_alma, 1, 0 },
	{ "debian", &def_debian, 0, 1 },     /* DSA-3029-1 is nginx */
};

START_TEST(every_sample_parses)
{
	struct feed_run run;

	load_dir(&run, samples[_i].def, samples[_i].dir);
	ck_assert_msg(run.rejected == 0, "%s: rejected %ld: %s", samples[_i].dir,
		      run.rejected, run.first_reject.msg);
	ck_assert_int_eq(run.records, samples[_i].records);
	ck_assert_int_eq(run.skipped, samples[_i].skipped);
	ck_assert_int_eq(count("SELECT count(*) FROM advisory WHERE feed = ? AND ? IS NULL",
			       samples[_i].def->name, NULL), samples[_i].records);
	/* Every stored advisory has at least one interval. */
	ck_assert_int_eq(count("SELECT count(*) FROM advisory a WHERE feed = ? AND ? IS NULL"
			       " AND NOT EXISTS (SELECT 1 FROM affected f WHERE f.aid = a.aid)",
			       samples[_i].def->name, NULL), 0);
}
END_TEST

/* ---- Go DB ------------------------------------------------------------------ */

static const char *const runc = "github.com/opencontainers/runc";

struct verdict {
	const char *id, *package, *ecosystem, *version;
	bool affected;
};

static const struct verdict go_verdicts[] = {
	/* GO-2024-2491: introduced 1.0.0-rc93, fixed 1.1.12 */
	{ "GO-2024-2491", "github.com/opencontainers/runc", "upstream", "1.1.11", true },
	{ "GO-2024-2491", "github.com/opencontainers/runc", "upstream", "1.1.12", false },
	{ "GO-2024-2491", "github.com/opencontainers/runc", "upstream", "1.0.0-rc93", true },
	{ "GO-2024-2491", "github.com/opencontainers/runc", "upstream", "1.0.0-rc92", false },
	{ "GO-2024-2491", "github.com/opencontainers/runc", "upstream", "v1.1.5", true },
	/* GO-2025-4096/4097/4098: three branches, 1.4.0-rc.N spelled with a dot */
	{ "GO-2025-4096", "github.com/opencontainers/runc", "upstream", "1.2.7", true },
	{ "GO-2025-4096", "github.com/opencontainers/runc", "upstream", "1.2.8", false },
	{ "GO-2025-4096", "github.com/opencontainers/runc", "upstream", "1.3.0-rc.1", true },
	{ "GO-2025-4096", "github.com/opencontainers/runc", "upstream", "1.3.2", true },
	{ "GO-2025-4096", "github.com/opencontainers/runc", "upstream", "1.3.3", false },
	{ "GO-2025-4096", "github.com/opencontainers/runc", "upstream", "1.4.0-rc.2", true },
	{ "GO-2025-4096", "github.com/opencontainers/runc", "upstream", "1.4.0-rc.3", false },
	{ "GO-2025-4096", "github.com/opencontainers/runc", "upstream", "1.4.0", false },
	{ "GO-2025-4097", "github.com/opencontainers/runc", "upstream", "1.0.0-rc2", false },
	{ "GO-2025-4097", "github.com/opencontainers/runc", "upstream", "1.0.0-rc3", true },
	{ "GO-2025-4097", "github.com/opencontainers/runc", "upstream", "1.0.0-rc93", true },
	{ "GO-2025-4097", "github.com/opencontainers/runc", "upstream", "1.3.3", false },
	{ "GO-2025-4098", "github.com/opencontainers/runc", "upstream", "1.4.0-rc.1", true },
	{ "GO-2025-4098", "github.com/opencontainers/runc", "upstream", "1.2.8", false },
	/* GO-2024-3005: +incompatible module versions */
	{ "GO-2024-3005", "github.com/moby/moby", "upstream", "25.0.5+incompatible", true },
	{ "GO-2024-3005", "github.com/moby/moby", "upstream", "25.0.6+incompatible", false },
	{ "GO-2024-3005", "github.com/docker/docker", "upstream", "26.1.4+incompatible", true },
	{ "GO-2024-3005", "github.com/docker/docker", "upstream", "26.1.5+incompatible", false },
	{ "GO-2024-3005", "github.com/docker/docker", "upstream", "19.03.15+incompatible", false },
	/* ... and custom_ranges: Docker Engine product versions */
	{ "GO-2024-3005", "docker-engine", "upstream", "19.03.15", true },
	{ "GO-2024-3005", "docker-engine", "upstream", "19.03.16", false },
	{ "GO-2024-3005", "docker-engine", "upstream", "20.10.27", true },
	{ "GO-2024-3005", "docker-engine", "upstream", "20.10.28", false },
	{ "GO-2024-3005", "docker-engine", "upstream", "23.0.14", true },
	{ "GO-2024-3005", "docker-engine", "upstream", "23.0.15", false },
	{ "GO-2024-3005", "docker-engine", "upstream", "24.0.9", true },
	{ "GO-2024-3005", "docker-engine", "upstream", "24.0.10", false },
	{ "GO-2024-3005", "docker-engine", "upstream", "26.0.2", true },
	{ "GO-2024-3005", "docker-engine", "upstream", "26.0.3", false },
	{ "GO-2024-3005", "docker-engine", "upstream", "26.1.14", true },
	{ "GO-2024-3005", "docker-engine", "upstream", "26.1.15", false },
	{ "GO-2024-3005", "docker-engine", "upstream", "27.1.0", true },
	{ "GO-2024-3005", "docker-engine", "upstream", "27.1.1", false },
	{ "GO-2024-3005", "docker-engine", "upstream", "28.0.0", false },
	/* GO-2026-4887: fixed only in moby/moby/v2 2.0.0-beta.8 */
	{ "GO-2026-4887", "github.com/docker/docker", "upstream", "28.5.2+incompatible", true },
	{ "GO-2026-4887", "github.com/moby/moby", "upstream", "28.5.2+incompatible", true },
	{ "GO-2026-4887", "github.com/moby/moby/v2", "upstream", "2.0.0-beta.7", true },
	{ "GO-2026-4887", "github.com/moby/moby/v2", "upstream", "2.0.0-beta.8", false },
	/* containerd and containerd/v2 */
	{ "GO-2025-3528", "github.com/containerd/containerd", "upstream", "1.6.37", true },
	{ "GO-2025-3528", "github.com/containerd/containerd", "upstream", "1.6.38", false },
	{ "GO-2025-3528", "github.com/containerd/containerd", "upstream", "1.7.0-beta.0", true },
	{ "GO-2025-3528", "github.com/containerd/containerd/v2", "upstream", "2.0.4", false },
	{ "GO-2025-4100", "github.com/containerd/containerd/v2", "upstream", "2.1.4", true },
	{ "GO-2025-4100", "github.com/containerd/containerd/v2", "upstream", "2.2.0", false },
};

START_TEST(go_verdict)
{
	const struct verdict *v = &go_verdicts[_i];
	struct feed_run run;

	load_dir(&run, &def_go, "go");
	ck_assert_msg(affects(v->id, v->package, v->ecosystem, v->version) == v->affected,
		      "%s %s %s: want %s", v->id, v->package, v->version,
		      v->affected ? "affected" : "not affected");
}
END_TEST

START_TEST(go_record_fields)
{
	struct feed_run run;

	load_dir(&run, &def_go, "go");
	/* Only the runtimes: selinux of GO-2025-4098 is not ours. */
	ck_assert_int_eq(count("SELECT count(*) FROM affected WHERE package = ? AND ? IS NULL",
			       "github.com/opencontainers/selinux", NULL), 0);
	/* The Go DB placeholder 0001-01-01 is "unknown". */
	assert_text("SELECT coalesce(CAST(modified AS TEXT), 'null') || '/' ||"
		    " coalesce(CAST(published AS TEXT), 'null') FROM advisory"
		    " WHERE id = ? AND feed = ?", "GO-2024-2491", "osv-go", "null/null");
	assert_text("SELECT aliases FROM advisory WHERE id = ? AND feed = ?",
		    "GO-2024-2491", "osv-go", "[\"CVE-2024-21626\",\"GHSA-xr7r-f8xq-vfvv\"]");
	assert_text("SELECT summary FROM advisory WHERE id = ? AND feed = ?", "GO-2024-2491",
		    "osv-go", "Container breakout through process.cwd trickery and leaked fds"
		    " in github.com/opencontainers/runc");
	ck_assert_int_eq(count("SELECT count(*) FROM advisory_alias WHERE alias = ? AND ? IS NULL",
			       "CVE-2024-21626", NULL), 1);
	/* custom_ranges appear on both modules; the engine rows once. */
	ck_assert_int_eq(count("SELECT count(*) FROM affected JOIN advisory USING (aid)"
			       " WHERE id = ? AND package = ?", "GO-2024-3005", "docker-engine"), 9);
	ck_assert_int_eq(count("SELECT count(*) FROM affected JOIN advisory USING (aid)"
			       " WHERE id = ? AND package = ? AND component = 'docker'",
			       "GO-2024-3005", "github.com/moby/moby"), 3);
	/* Unfixed: an open interval. */
	ck_assert_int_eq(count("SELECT count(*) FROM affected JOIN advisory USING (aid)"
			       " WHERE id = ? AND package = ? AND introduced IS NULL"
			       " AND fixed IS NULL AND last_affected IS NULL",
			       "GO-2026-4887", "github.com/docker/docker"), 1);
	assert_text("SELECT group_concat(DISTINCT component) FROM affected JOIN advisory"
		    " USING (aid) WHERE id = ? AND package = ?", "GO-2025-4100",
		    "github.com/containerd/containerd/v2", "containerd");
	assert_text("SELECT group_concat(DISTINCT scheme) FROM affected WHERE ? IS NULL"
		    " AND ? IS NULL", NULL, NULL, "semver");
}
END_TEST

/* ---- GHSA ------------------------------------------------------------------- */

START_TEST(ghsa_fields)
{
	struct feed_run run;
	double score;

	load_dir(&run, &def_go, "ghsa");
	/* x744: "< 29.3.1" closes the open docker/docker interval. */
	assert_text("SELECT coalesce(introduced, '-') || '..' || fixed FROM affected"
		    " JOIN advisory USING (aid) WHERE id = ? AND package = ?",
		    "GHSA-x744-4wpc-v9h2", "github.com/docker/docker", "-..29.3.1");
	ck_assert(affects("GHSA-x744-4wpc-v9h2", "github.com/docker/docker", "upstream", "29.3.0"));
	ck_assert(!affects("GHSA-x744-4wpc-v9h2", "github.com/docker/docker", "upstream", "29.3.1"));
	ck_assert(affects("GHSA-x744-4wpc-v9h2", "github.com/moby/moby", "upstream", "28.5.2"));
	ck_assert(!affects("GHSA-x744-4wpc-v9h2", "github.com/moby/moby/v2", "upstream",
			   "2.0.0-beta.8"));
	/* v23v: four entries for one package, engine numbers. */
	ck_assert_int_eq(count("SELECT count(*) FROM affected JOIN advisory USING (aid)"
			       " WHERE id = ? AND package = ?", "GHSA-v23v-6jw2-98fq",
			       "github.com/docker/docker"), 4);
	ck_assert(affects("GHSA-v23v-6jw2-98fq", "github.com/docker/docker", "upstream", "23.0.14"));
	ck_assert(!affects("GHSA-v23v-6jw2-98fq", "github.com/docker/docker", "upstream", "23.0.15"));
	ck_assert(affects("GHSA-v23v-6jw2-98fq", "github.com/docker/docker", "upstream", "25.0.5"));
	ck_assert(!affects("GHSA-v23v-6jw2-98fq", "github.com/docker/docker", "upstream", "25.0.6"));
	ck_assert(!affects("GHSA-v23v-6jw2-98fq", "github.com/docker/docker", "upstream", "26.1.5"));
	ck_assert(affects("GHSA-v23v-6jw2-98fq", "github.com/docker/docker", "upstream", "27.1.0"));
	assert_text("SELECT severity || ' ' || cvss_score || ' ' || cvss_vector FROM advisory"
		    " WHERE id = ? AND feed = ?", "GHSA-v23v-6jw2-98fq", "osv-go",
		    "critical 9.9 CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H");
	/* 9493: CVSS v4 only: vector kept, no score; GHSA's word rates it. */
	assert_text("SELECT severity || ' ' || coalesce(cvss_score, 'none') || ' ' || cvss_vector"
		    " FROM advisory WHERE id = ? AND feed = ?", "GHSA-9493-h29p-rfm2", "osv-go",
		    "high none CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H");
	/* ... and its last_known_affected_version_range does not touch
	 * intervals that have a fixed event. */
	ck_assert_int_eq(count("SELECT count(*) FROM affected JOIN advisory USING (aid)"
			       " WHERE id = ? AND fixed IS NOT NULL AND last_affected IS NULL"
			       " AND package = ?", "GHSA-9493-h29p-rfm2", runc), 3);
	ck_assert(affects("GHSA-9493-h29p-rfm2", runc, "upstream", "1.4.0-rc.2"));
	ck_assert(!affects("GHSA-9493-h29p-rfm2", runc, "upstream", "1.4.0-rc.3"));
	assert_text("SELECT CAST(cvss_score AS TEXT) || ' ' || severity || ' ' || published"
		    " FROM advisory WHERE id = ? AND feed = ?", "GHSA-xr7r-f8xq-vfvv", "osv-go",
		    "8.6 high 1706741048");
	ck_assert_int_eq(osv_cvss3_score(&score, "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H"), 0);
	ck_assert_double_eq_tol(score, 8.8, 1e-9);
}
END_TEST

/* ---- Ubuntu ------------------------------------------------------------------ */

START_TEST(ubuntu_fields)
{
	struct feed_run run;

	load_dir(&run, &def_ubuntu, "ubuntu");
	/* binaries[]: runc comes from runc-app, docker.io from docker.io-app
	 * (and, in the 2024 record, from the source runc/docker.io). */
	ck_assert_int_eq(count("SELECT count(*) FROM binary_source WHERE ecosystem = 'ubuntu:22.04'"
			       " AND binary = ? AND source = ?", "runc", "runc-app"), 1);
	ck_assert_int_eq(count("SELECT count(*) FROM binary_source WHERE ecosystem = 'ubuntu:24.04'"
			       " AND binary = ? AND source = ?", "runc", "runc-app"), 1);
	ck_assert_int_eq(count("SELECT count(*) FROM binary_source WHERE ecosystem = 'ubuntu:22.04'"
			       " AND binary = ? AND source = ?", "runc", "runc"), 1);
	ck_assert_int_eq(count("SELECT count(*) FROM binary_source WHERE ecosystem = 'ubuntu:22.04'"
			       " AND binary = ? AND source = ?", "docker.io", "docker.io-app"), 1);
	ck_assert_int_eq(count("SELECT count(*) FROM binary_source WHERE ecosystem = 'ubuntu:24.04'"
			       " AND binary = ? AND source = ?", "docker.io", "docker.io-app"), 1);
	ck_assert_int_eq(count("SELECT count(*) FROM binary_source WHERE ecosystem = ?"
			       " AND binary = ? AND source = 'runc'", "ubuntu:pro:18.04", "runc"), 1);
	/* wayland's binaries are not ours. */
	ck_assert_int_eq(count("SELECT count(*) FROM binary_source WHERE binary = ? AND ? IS NULL",
			       "libwayland-client0", NULL), 0);
	/* dpkg verdicts per source package and release */
	ck_assert(affects("UBUNTU-CVE-2025-31133", "runc-app", "ubuntu:22.04", "1.3.3-0ubuntu1~22.04.1"));
	ck_assert(!affects("UBUNTU-CVE-2025-31133", "runc-app", "ubuntu:22.04", "1.3.3-0ubuntu1~22.04.2"));
	ck_assert(affects("UBUNTU-CVE-2025-31133", "runc", "ubuntu:24.04", "1.1.12+ds1-2ubuntu1.3"));
	ck_assert(!affects("UBUNTU-CVE-2025-31133", "runc-stable", "ubuntu:25.10", "1.3.3-0ubuntu1~25.10.2"));
	ck_assert(affects("UBUNTU-CVE-2024-41110", "docker.io", "ubuntu:22.04", "20.10.21-0ubuntu1~22.04.7"));
	ck_assert(!affects("UBUNTU-CVE-2024-41110", "docker.io-app", "ubuntu:22.04", "27.5.1-0ubuntu3~22.04.2"));
	ck_assert(affects("UBUNTU-CVE-2024-41110", "docker.io-app", "ubuntu:24.04", "27.5.1-0ubuntu3~24.04.1"));
	/* Pro ecosystems */
	ck_assert(affects("UBUNTU-CVE-2024-41110", "docker.io", "ubuntu:pro:22.04", "20.10.21-0ubuntu1~22.04.7"));
	ck_assert(!affects("UBUNTU-CVE-2024-41110", "docker.io", "ubuntu:pro:22.04", "20.10.21-0ubuntu1~22.04.7+esm1"));
	ck_assert(affects("UBUNTU-CVE-2024-21626", "runc", "ubuntu:pro:18.04", "1.1.4-0ubuntu1~18.04.2"));
	ck_assert(!affects("UBUNTU-CVE-2024-21626", "runc", "ubuntu:pro:18.04", "1.1.4-0ubuntu1~18.04.2+esm1"));
	ck_assert(affects("UBUNTU-CVE-2025-38094", "linux", "ubuntu:pro:14.04", "3.13.0-206.257"));
	assert_text("SELECT group_concat(DISTINCT component) FROM affected JOIN advisory USING (aid)"
		    " WHERE id = ? AND ? IS NULL", "UBUNTU-CVE-2025-38094", NULL, "kernel");
	/* upstream[] is an alias; the Ubuntu priority is the severity of the
	 * advisory and of its rows; summary from the first line of details. */
	ck_assert_int_eq(count("SELECT count(*) FROM advisory_alias JOIN advisory USING (aid)"
			       " WHERE alias = ? AND id = ?", "CVE-2024-21626", "UBUNTU-CVE-2024-21626"), 1);
	assert_text("SELECT severity || ' ' || cvss_score FROM advisory WHERE id = ? AND feed = ?",
		    "UBUNTU-CVE-2025-31133", "osv-ubuntu", "high 7.8");
	assert_text("SELECT cvss_vector FROM advisory WHERE id = ? AND feed = ?",
		    "UBUNTU-CVE-2025-31133", "osv-ubuntu", "CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:C/C:H/I:H/A:H");
	assert_text("SELECT group_concat(DISTINCT affected.severity) FROM affected JOIN advisory USING (aid)"
		    " WHERE id = ? AND ? IS NULL", "UBUNTU-CVE-2025-38094", NULL, "medium");
	assert_text("SELECT severity FROM advisory WHERE id = ? AND feed = ?",
		    "UBUNTU-CVE-2025-38094", "osv-ubuntu", "medium");
	assert_text("SELECT substr(summary, 1, 46) FROM advisory WHERE id = ? AND feed = ?",
		    "UBUNTU-CVE-2024-21626", "osv-ubuntu", "runc is a CLI tool for spawning and running co");
	/* ranges win over versions[]: one interval per entry */
	ck_assert_int_eq(count("SELECT count(*) FROM affected JOIN advisory USING (aid)"
			       " WHERE id = ? AND ? IS NULL", "UBUNTU-CVE-2024-21626", NULL), 3);
}
END_TEST

/* ---- Linux, AlmaLinux, Debian ------------------------------------------------ */

START_TEST(linux_kernel_ranges)
{
	static const struct { const char *v; bool affected; } cases[] = {
		{ "5.4.290", true }, { "5.4.291", false }, { "5.5", true },
		{ "5.10.234", true }, { "5.10.235", false }, { "6.1.128", true },
		{ "6.1.129", false }, { "6.12.15", true }, { "6.12.16", false },
		{ "6.13.3", true }, { "6.13.4", false }, { "6.14", false },
	};
	struct feed_run run;
	size_t i;

	load_dir(&run, &def_linux, "linux");
	ck_assert_int_eq(count("SELECT count(*) FROM affected WHERE package = ? AND scheme = ?",
			       "Kernel", "kernel"), 7);
	ck_assert_int_eq(count("SELECT count(*) FROM affected WHERE component <> ? AND ? IS NULL",
			       "kernel", NULL), 0);
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		ck_assert_msg(affects("CVE-2025-21772", "Kernel", "upstream", cases[i].v) ==
			      cases[i].affected, "kernel %s", cases[i].v);
	assert_text("SELECT summary || ' ' || modified FROM advisory WHERE id = ? AND feed = ?",
		    "CVE-2025-21772", "osv-linux",
		    "partitions: mac: fix handling of bogus partition table 1746343246");
}
END_TEST

START_TEST(almalinux_rpm)
{
	struct feed_run run;

	load_dir(&run, &def_alma, "almalinux");
	assert_text("SELECT group_concat(package, ',') FROM (SELECT package FROM affected"
		    " WHERE ecosystem = ? AND ? IS NULL ORDER BY package)", "almalinux:9", NULL,
		    "kernel,kernel-core");
	ck_assert(affects("ALSA-2022:5249", "kernel", "almalinux:9", "5.14.0-70.13.1.el9_0"));
	ck_assert(!affects("ALSA-2022:5249", "kernel-core", "almalinux:9", "5.14.0-70.17.1.el9_0"));
	ck_assert(!affects("ALSA-2022:5249", "kernel", "almalinux:9", "5.14.0-162.6.1.el9_1"));
	/* "Important:" is Red Hat's rating: high */
	assert_text("SELECT severity FROM advisory WHERE id = ? AND feed = ?", "ALSA-2022:5249",
		    "osv-almalinux", "high");
	assert_text("SELECT group_concat(DISTINCT scheme || '/' || severity) FROM affected"
		    " WHERE ? IS NULL AND ? IS NULL", NULL, NULL, "rpm/high");
}
END_TEST

START_TEST(feed_param_filters_ecosystems)
{
	struct feed_run run;

	/* A Go record read as the Ubuntu feed has nothing of Ubuntu. */
	run_init(&run, &def_ubuntu, true);
	run_file(&run, "go/GO-2024-2491.json");
	run_end(&run);
	ck_assert_int_eq(run.records, 0);
	ck_assert_int_eq(run.skipped, 1);
	ck_assert_int_eq(run.rejected, 0);
}
END_TEST

/* ---- ecosystems, CVSS, times ------------------------------------------------- */

static const struct {
	const char *osv, *want, *scheme;
} eco_cases[] = {
	{ "Go", "upstream", "semver" },
	{ "Linux", "upstream", "kernel" },
	{ "Debian:12", "debian:12", "dpkg" },
	{ "Debian:7", "debian:7", "dpkg" },
	{ "Ubuntu:22.04:LTS", "ubuntu:22.04", "dpkg" },
	{ "Ubuntu:25.10", "ubuntu:25.10", "dpkg" },
	{ "Ubuntu:Pro:18.04:LTS", "ubuntu:pro:18.04", "dpkg" },
	{ "Ubuntu:Pro:14.04:LTS", "ubuntu:pro:14.04", "dpkg" },
	{ "Red Hat:enterprise_linux:9::appstream", "rhel:9", "rpm" },
	{ "Red Hat:enterprise_linux:8::baseos", "rhel:8", "rpm" },
	{ "Red Hat:rhel_eus:9.2::appstream", "rhel:eus:9.2", "rpm" },
	{ "AlmaLinux:9", "almalinux:9", "rpm" },
	{ "AlmaLinux:10", "almalinux:10", "rpm" },
	{ "Rocky Linux:9", "rocky:9", "rpm" },
	{ "Rocky Linux:8", "rocky:8", "rpm" },
	{ "npm", NULL, NULL },
	{ "PyPI", NULL, NULL },
	{ "Debian", NULL, NULL },
	{ "Ubuntu:", NULL, NULL },
	{ "AlmaLinux:", NULL, NULL },
	{ "Red Hat:openshift:4.14::el9", NULL, NULL },
	{ "Red Hat Lightwell:1", NULL, NULL },
	{ "Ubuntu:22.04/../x", NULL, NULL },
};

START_TEST(ecosystem_map)
{
	char out[64];
	const char *scheme = NULL;
	int rc = osv_ecosystem_map(out, sizeof(out), &scheme, eco_cases[_i].osv);

	if (!eco_cases[_i].want) {
		ck_assert_msg(rc == ERR_NOTFOUND, "'%s' mapped (%d)", eco_cases[_i].osv, rc);
		return;
	}
	ck_assert_msg(rc == 0, "'%s': %d", eco_cases[_i].osv, rc);
	ck_assert_str_eq(out, eco_cases[_i].want);
	ck_assert_str_eq(scheme, eco_cases[_i].scheme);
}
END_TEST

/* Vectors and the base scores the samples state next to them. */
static const struct {
	const char *vector;
	double score;
	const char *where;
} cvss_cases[] = {
	{ "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8, "kernel-cna/CVE-2024-26581 (ADP baseScore 7.8)" },
	{ "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:N", 7.1, "kernel-cna/CVE-2026-74578.json" },
	{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:H", 9.1, "kernel-cna/CVE-2019-25160.json" },
	{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:H/A:N", 6.5, "nvd/cves-2.0-single-entry.json" },
	{ "CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H", 8.6, "GHSA-xr7r (NVD: CVE-2024-21626 8.6)" },
	{ "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:H", 6.6, "USN-5614-1 (NVD: CVE-2021-3782 6.6)" },
	{ "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 9.9, "GHSA-v23v, by the v3.1 formula" },
	{ "CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:C/C:H/I:H/A:H", 7.8, "UBUNTU-CVE-2025-31133, by the v3.1 formula" },
	{ "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0, "no impact" },
	{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0, "the maximum" },
	{ "CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", 1.6, "the spec's calculator: 1.6" },
	{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O", 9.8, "temporal metrics ignored" },
};

START_TEST(cvss_score)
{
	double s = -1;

	ck_assert_msg(osv_cvss3_score(&s, cvss_cases[_i].vector) == 0, "%s", cvss_cases[_i].vector);
	ck_assert_msg(s > cvss_cases[_i].score - 1e-9 && s < cvss_cases[_i].score + 1e-9,
		      "%s: %.1f, want %.1f (%s)", cvss_cases[_i].vector, s, cvss_cases[_i].score,
		      cvss_cases[_i].where);
}
END_TEST

static const char *const cvss_bad[] = {
	"CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H",
	"AV:N/AC:M/Au:N/C:N/I:P/A:N",
	"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H",
	"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:X",
	"CVSS:3.1/AV:N/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
	"CVSS:3.1/AV:NN/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
	"CVSS:3.1//AV:N",
	"CVSS:3.1/",
	"",
};

START_TEST(cvss_rejects)
{
	double s = 42;

	ck_assert_int_eq(osv_cvss3_score(&s, cvss_bad[_i]), ERR_PARSE);
	ck_assert_double_eq(s, 42);
}
END_TEST

START_TEST(times)
{
	static const struct { const char *s; int64_t want; int rc; } cases[] = {
		{ "2024-07-30T10:18:57Z", 1722334737, 0 },
		{ "2025-05-04T07:20:46.575Z", 1746343246, 0 },
		{ "2026-10-08T10:42:30.33938859Z", 1791456150, 0 },
		{ "2024-07-30T12:18:57+02:00", 1722334737, 0 },
		{ "2024-07-30t10:18:57z", 1722334737, 0 },
		{ "0001-01-01T00:00:00Z", -1, 0 },
		{ "1970-01-01T00:00:00Z", 0, 0 },
		{ "2024-02-30T00:00:00Z", 0, ERR_PARSE },
		{ "2024-07-30", 0, ERR_PARSE },
		{ "2024-07-30T10:18:57", 0, ERR_PARSE },
		{ "2024-07-30T10:18:57.Z", 0, ERR_PARSE },
		{ "2024-07-30T25:18:57Z", 0, ERR_PARSE },
		{ "2024-07-30T10:18:57Zjunk", 0, ERR_PARSE },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int64_t t = 7;
		int rc = osv_parse_time(&t, cases[i].s);

		ck_assert_msg(rc == cases[i].rc, "'%s': rc %d", cases[i].s, rc);
		ck_assert_msg(t == (rc ? 7 : cases[i].want), "'%s': %lld", cases[i].s, (long long)t);
	}
}
END_TEST

/* ---- bad records --------------------------------------------------------------- */

/* GO-2024-2491 with one piece replaced. */
static char *mutate(const char *from, const char *to, size_t *len)
{
	size_t n;
	char *src = slurp("go/GO-2024-2491.json", &n);
	char *at = strstr(src, from);
	struct buf b;

	ck_assert_msg(at != NULL, "'%s' not in the fixture", from);
	buf_init(&b, (size_t)64 << 20);
	buf_add(&b, src, (size_t)(at - src));
	buf_addstr(&b, to);
	buf_addstr(&b, at + strlen(from));
	free(src);
	return buf_detach(&b, len);
}

static const struct {
	const char *name, *from, *to, *message;
} bad_cases[] = {
	{ "affected-string.json", "\"affected\": [", "\"affected\": \"runc\", \"x\": [",
	  "affected-string.json: GO-2024-2491: 'affected' is not an array" },
	{ "ranges-object.json", "\"ranges\": [", "\"ranges\": {\"type\": \"SEMVER\"}, \"ranges_\": [",
	  "ranges-object.json: GO-2024-2491: 'affected[0].ranges' is not an array" },
	{ "event-number.json", "\"fixed\": \"1.1.12\"", "\"fixed\": 1.112",
	  "event-number.json: GO-2024-2491: 'affected[0].ranges[0].events[1].fixed' is not a string" },
	{ "event-string.json", "{\n              \"fixed\": \"1.1.12\"\n            }", "\"1.1.12\"",
	  "event-string.json: GO-2024-2491: 'affected[0].ranges[0].events[1]' is not an object" },
	{ "truncated.json", "\"references\"", "\"references",
	  "truncated.json: not valid JSON" },
	{ "id-number.json", "\"id\": \"GO-2024-2491\"", "\"id\": 2491",
	  "id-number.json: 'id' is missing or not a short string" },
	{ "package-string.json", "\"package\": {\n        \"name\": \"github.com/opencontainers/runc\",\n        \"ecosystem\": \"Go\"\n      }",
	  "\"package\": \"runc\"",
	  "package-string.json: GO-2024-2491: 'affected[0].package' is not an object with string 'ecosystem' and 'name'" },
	{ "modified-bad.json", "\"modified\": \"0001-01-01T00:00:00Z\"", "\"modified\": \"yesterday\"",
	  "modified-bad.json: GO-2024-2491: 'modified' is not an RFC 3339 time" },
	{ "aliases-number.json", "\"CVE-2024-21626\",", "2024,",
	  "aliases-number.json: GO-2024-2491: 'aliases' or 'upstream' holds a non-string" },
	{ "severity-bad.json", "\"summary\":", "\"severity\": [{\"type\": \"CVSS_V3\", \"score\": \"CVSS:3.1/AV:X\"}], \"summary\":",
	  "severity-bad.json: GO-2024-2491: 'severity[0].score' is not a CVSS v3 vector" },
};

static void assert_nothing_stored(void)
{
	ck_assert_int_eq(count("SELECT count(*) FROM advisory WHERE ? IS NULL AND ? IS NULL",
			       NULL, NULL), 0);
	ck_assert_int_eq(count("SELECT count(*) FROM affected WHERE ? IS NULL AND ? IS NULL",
			       NULL, NULL), 0);
}

START_TEST(reject_bad_record)
{
	struct feed_run run;
	size_t len;
	char *doc = mutate(bad_cases[_i].from, bad_cases[_i].to, &len);
	const char *want = bad_cases[_i].message;

	run_init(&run, &def_go, true);
	run_doc(&run, bad_cases[_i].name, doc, len);
	run_end(&run);
	free(doc);
	ck_assert_int_eq(run.rejected, 1);
	ck_assert_int_eq(run.records, 0);
	ck_assert_str_eq(run.first_reject.msg, want);
	assert_nothing_stored();
}
END_TEST

START_TEST(reject_huge_and_deep)
{
	struct feed_run run;
	struct buf b;
	char *doc;
	size_t len, i;

	run_init(&run, &def_go, true);
	/* A 10 MB summary. */
	buf_init(&b, (size_t)32 << 20);
	buf_addstr(&b, "{\"id\": \"GO-2024-2491\", \"summary\": \"");
	for (i = 0; i < (size_t)10 << 20; i++)
		buf_addch(&b, 'A');
	buf_addstr(&b, "\", \"affected\": []}");
	doc = buf_detach(&b, &len);
	run_doc(&run, "summary.json", doc, len);
	free(doc);
	ck_assert_str_eq(run.first_reject.msg,
			 "summary.json: GO-2024-2491: 'summary' is longer than 65536 bytes");
	/* 10 000 nested arrays inside a real record. */
	buf_init(&b, (size_t)1 << 20);
	buf_addstr(&b, "\"review_status\": ");
	for (i = 0; i < 10000; i++)
		buf_addch(&b, '[');
	for (i = 0; i < 10000; i++)
		buf_addch(&b, ']');
	doc = buf_detach(&b, &len);
	{
		char *m;
		size_t mlen;

		m = mutate("\"review_status\": \"REVIEWED\"", doc, &mlen);
		free(doc);
		doc = m;
		len = mlen;
	}
	run_doc(&run, "deep.json", doc, len);
	free(doc);
	/* 17 MB: over the document cap */
	buf_init(&b, (size_t)32 << 20);
	buf_addstr(&b, "{\"id\": \"X\", \"details\": \"");
	for (i = 0; i < (size_t)17 << 20; i++)
		buf_addch(&b, 'B');
	buf_addstr(&b, "\"}");
	doc = buf_detach(&b, &len);
	run_doc(&run, "big.json", doc, len);
	free(doc);
	run_doc(&run, "array.json", "[1, 2]", 6);
	run_doc(&run, "empty.json", "", 0);
	run_end(&run);
	ck_assert_int_eq(run.rejected, 5);
	ck_assert_int_eq(run.records, 0);
	assert_nothing_stored();
}
END_TEST

START_TEST(reject_keeps_previous_copy)
{
	struct feed_run run;
	size_t len;
	char *doc;

	run_init(&run, &def_go, true);
	run_file(&run, "go/GO-2024-2491.json");
	run_end(&run);
	ck_assert_int_eq(count("SELECT count(*) FROM affected WHERE package = ? AND ? IS NULL",
			       runc, NULL), 1);
	/* An incremental run brings a broken copy: the stored one stays. */
	doc = mutate("\"fixed\": \"1.1.12\"", "\"fixed\": [\"1.1.12\"]", &len);
	run_init(&run, &def_go, false);
	run_doc(&run, "GO-2024-2491.json", doc, len);
	run_end(&run);
	free(doc);
	ck_assert_int_eq(run.rejected, 1);
	ck_assert(affects("GO-2024-2491", runc, "upstream", "1.1.11"));
	ck_assert(!affects("GO-2024-2491", runc, "upstream", "1.1.12"));
}
END_TEST

START_TEST(withdrawn_and_moved_records_go)
{
	struct feed_run run;
	size_t len;
	char *doc;

	run_init(&run, &def_go, true);
	run_file(&run, "go/GO-2024-2491.json");
	run_file(&run, "go/GO-2022-0390.json");
	run_end(&run);
	ck_assert_int_eq(run.records, 2);
	/* Withdrawn upstream: removed, no findings can come from it. */
	doc = mutate("\"published\":", "\"withdrawn\": \"2024-02-01T00:00:00Z\", \"published\":", &len);
	run_init(&run, &def_go, false);
	run_doc(&run, "GO-2024-2491.json", doc, len);
	run_end(&run);
	free(doc);
	ck_assert_int_eq(run.skipped, 1);
	ck_assert_int_eq(run.rejected, 0);
	ck_assert_int_eq(count("SELECT count(*) FROM advisory WHERE id = ? AND ? IS NULL",
			       "GO-2024-2491", NULL), 0);
	ck_assert_int_eq(count("SELECT count(*) FROM advisory WHERE id = ? AND ? IS NULL",
			       "GO-2022-0390", NULL), 1);
	/* A record whose only module is not a runtime is skipped, not
	 * rejected, and a copy stored before is removed. */
	run_init(&run, &def_go, true);
	run_file(&run, "go/GO-2024-2491.json");
	run_end(&run);
	doc = mutate("\"name\": \"github.com/opencontainers/runc\"",
		     "\"name\": \"github.com/opencontainers/selinux\"", &len);
	run_init(&run, &def_go, false);
	run_doc(&run, "GO-2024-2491.json", doc, len);
	run_end(&run);
	free(doc);
	ck_assert_int_eq(run.skipped, 1);
	ck_assert_int_eq(run.rejected, 0);
	ck_assert_int_eq(run.records, 0);
	ck_assert_int_eq(count("SELECT count(*) FROM advisory WHERE id = ? AND ? IS NULL",
			       "GO-2024-2491", NULL), 0);
}
END_TEST

/* ---- incremental refresh -------------------------------------------------------- */

/* modified_id.csv as the bucket writes it: "<modified>,<id>", newest
 * first; times and ids of the fixtures. */
static const char csv[] =
	"2026-03-31T18:40:32Z,GHSA-x744-4wpc-v9h2\n"
	"2025-11-06T23:12:38Z,GHSA-9493-h29p-rfm2\n"
	"2025-05-04T07:20:46.575Z,Linux/CVE-2025-21772\r\n"
	"\n"
	"2024-08-01T17:14:47Z,GHSA-v23v-6jw2-98fq\n"
	"2024-01-31T22:44:08Z,GHSA-xr7r-f8xq-vfvv\n";

START_TEST(modified_ids)
{
	struct osv_changes c;
	struct err err;
	int64_t since;

	ck_assert_int_eq(osv_modified_ids(&c, csv, strlen(csv), -1, 100, &err), 0);
	ck_assert(c.full);
	ck_assert_int_eq(c.n, 0);
	ck_assert_int_eq(c.newest, 1774982432);
	osv_changes_release(&c);

	ck_assert_int_eq(osv_parse_time(&since, "2025-05-04T07:20:46Z"), 0);
	ck_assert_int_eq(osv_modified_ids(&c, csv, strlen(csv), since, 100, &err), 0);
	ck_assert(!c.full);
	ck_assert_int_eq(c.n, 3);
	ck_assert_str_eq(c.ids[0], "GHSA-x744-4wpc-v9h2");
	ck_assert_str_eq(c.ids[1], "GHSA-9493-h29p-rfm2");
	ck_assert_str_eq(c.ids[2], "CVE-2025-21772");
	osv_changes_release(&c);

	ck_assert_int_eq(osv_modified_ids(&c, csv, strlen(csv), since, 2, &err), 0);
	ck_assert(c.full);
	ck_assert_int_eq(c.n, 0);
	osv_changes_release(&c);

	ck_assert_int_eq(osv_modified_ids(&c, csv, strlen(csv), 1774982433, 100, &err), 0);
	ck_assert(!c.full);
	ck_assert_int_eq(c.n, 0);
	osv_changes_release(&c);

	ck_assert_int_eq(osv_modified_ids(&c, "", 0, 5, 100, &err), 0);
	ck_assert_int_eq(c.n, 0);
	ck_assert_int_eq(c.newest, -1);
	osv_changes_release(&c);
}
END_TEST

static const struct {
	const char *csv, *message;
} csv_bad[] = {
	{ "2026-03-31T18:40:32Z,GO-1\nnot a line\n", "modified_id.csv: line 2: not '<time>,<id>'" },
	{ "yesterday,GO-1\n", "modified_id.csv: line 1: bad time 'yesterday'" },
	{ "2026-03-31T18:40:32Z,../../etc/passwd\n", "modified_id.csv: line 1: bad id" },
	{ "2026-03-31T18:40:32Z,GO 1\n", "modified_id.csv: line 1: bad id" },
	{ "2026-03-31T18:40:32Z,\n", "modified_id.csv: line 1: bad id" },
	{ "2026-03-31T18:40:32Z,..\n", "modified_id.csv: line 1: bad id" },
	{ "2026-03-31T18:40:32Z,GO-1\n2026-03-31T18:40:31Z,Go/x/GO-2\n",
	  "modified_id.csv: line 2: bad id" },
	{ "2026-03-31T18:40:32Z,GO-2026-..1\n", "modified_id.csv: line 1: bad id" },
	{ "2026-03-31T18:40:32Z,GO-1/\n", "modified_id.csv: line 1: bad id" },
	{ "2026-02-30T18:40:32Z,GO-1\n", "modified_id.csv: line 1: bad time '2026-02-30T18:40:32Z'" },
};

START_TEST(modified_ids_bad)
{
	struct osv_changes c = { .n = 99 };
	struct err err;

	err_clear(&err);
	ck_assert_int_eq(osv_modified_ids(&c, csv_bad[_i].csv, strlen(csv_bad[_i].csv), 0, 100,
					  &err), ERR_PARSE);
	ck_assert_str_eq(err.msg, csv_bad[_i].message);
	ck_assert_int_eq(c.n, 99);
}
END_TEST

START_TEST(cursor_in_feed_state)
{
	struct feed_run run;
	struct osv_changes c;
	struct err err;

	/* Full run: the newest record's modified becomes the cursor, and
	 * other keys of the state stay. */
	run_init(&run, &def_go, true);
	run.feed_state = xstrdup("{\"other\":1}");
	run_file(&run, "ghsa/GHSA-xr7r-f8xq-vfvv.json");
	run_file(&run, "ghsa/GHSA-v23v-6jw2-98fq.json");
	run_done(&run);
	ck_assert_str_eq(run.feed_state, "{\"other\":1,\"osv_modified\":1722532487}");
	ck_assert_int_eq(osv_changes_since(&run, csv, strlen(csv), &c, &err), 0);
	ck_assert(!c.full);
	ck_assert_int_eq(c.n, 4);
	ck_assert_str_eq(c.ids[3], "GHSA-v23v-6jw2-98fq");
	osv_changes_release(&c);
	/* Incremental: forward only. */
	run.full = false;
	ck_assert_int_eq(store_begin(db, &err), 0);
	ck_assert_int_eq(feed_format_osv.begin(&run, &err), 0);
	run_file(&run, "ghsa/GHSA-xr7r-f8xq-vfvv.json");
	run_done(&run);
	ck_assert_str_eq(run.feed_state, "{\"other\":1,\"osv_modified\":1722532487}");
	run.full = false;
	ck_assert_int_eq(store_begin(db, &err), 0);
	ck_assert_int_eq(feed_format_osv.begin(&run, &err), 0);
	run_file(&run, "ghsa/GHSA-x744-4wpc-v9h2.json");
	run_done(&run);
	ck_assert_str_eq(run.feed_state, "{\"other\":1,\"osv_modified\":1774982432}");
	free(run.feed_state);
	/* Go DB placeholders: no cursor, the next refresh is full. */
	run_init(&run, &def_go, true);
	run_file(&run, "go/GO-2024-2491.json");
	run_done(&run);
	ck_assert_str_eq(run.feed_state, "{}");
	ck_assert_int_eq(osv_changes_since(&run, csv, strlen(csv), &c, &err), 0);
	ck_assert(c.full);
	osv_changes_release(&c);
	free(run.feed_state);
}
END_TEST

START_TEST(record_url_and_want)
{
	struct feed_run run = { 0 };
	struct err err;
	char *url = NULL;

	ck_assert_int_eq(osv_record_url(&url,
		"https://osv-vulnerabilities.storage.googleapis.com/Go/all.zip", "GO-2024-3005",
		&err), 0);
	ck_assert_str_eq(url, "https://osv-vulnerabilities.storage.googleapis.com/Go/GO-2024-3005.json");
	free(url);
	ck_assert_int_eq(osv_record_url(&url,
		"https://osv-vulnerabilities.storage.googleapis.com/Red%20Hat/all.zip",
		"RHSA-2024:8709", &err), 0);
	ck_assert_str_eq(url, "https://osv-vulnerabilities.storage.googleapis.com/Red%20Hat/RHSA-2024%3A8709.json");
	free(url);
	url = NULL;
	ck_assert_int_eq(osv_record_url(&url, "https://x/Go/all.zip", "../secrets", &err), ERR_PARSE);
	ck_assert_ptr_null(url);
	ck_assert_int_eq(osv_record_url(&url, "all.zip", "GO-1", &err), ERR_PARSE);
	run.def = &def_go;
	ck_assert(feed_format_osv.want(&run, "GO-2024-2491.json"));
	ck_assert(feed_format_osv.want(&run, "advisories/almalinux9/ALSA-2022:5249.JSON"));
	ck_assert(!feed_format_osv.want(&run, "modified_id.csv"));
	ck_assert(!feed_format_osv.want(&run, ".json"));
	ck_assert(!feed_format_osv.want(&run, "GO-2023-2257.excluded.yaml"));
}
END_TEST

/* The runner's hooks (feed_format.changes_url and plan, feeds/feed.h). */
START_TEST(changes_url_hook)
{
	struct err err;
	char *url = NULL;

	ck_assert_int_eq(feed_format_osv.changes_url(&url,
		"https://osv-vulnerabilities.storage.googleapis.com/Go/all.zip", &err), 0);
	ck_assert_str_eq(url, "https://osv-vulnerabilities.storage.googleapis.com/Go/modified_id.csv");
	free(url);
	url = NULL;
	ck_assert_int_eq(feed_format_osv.changes_url(&url, "http://mirror.lan/Red%20Hat/all.zip",
						     &err), 0);
	ck_assert_str_eq(url, "http://mirror.lan/Red%20Hat/modified_id.csv");
	free(url);
	url = NULL;
	/* Not a bucket folder: no change list, every refresh is full. */
	ck_assert_int_eq(feed_format_osv.changes_url(&url, "https://mirror.lan/osv-go.zip", &err),
			 ERR_NOTFOUND);
	ck_assert_int_eq(feed_format_osv.changes_url(&url, "https://mirror.lan/all.zip?x=1", &err),
			 ERR_NOTFOUND);
	ck_assert_int_eq(feed_format_osv.changes_url(&url, "/all.zip", &err), ERR_NOTFOUND);
	ck_assert_ptr_null(url);
}
END_TEST

START_TEST(plan_hook)
{
	static const char zip[] = "https://osv-vulnerabilities.storage.googleapis.com/Go/all.zip";
	struct feed_run run = { .store = db, .def = &def_go };
	struct feed_plan plan = { 0 };
	struct buf many;
	struct err err;
	char state[64];
	int64_t since;
	int i;

	/* No cursor: the whole feed. */
	ck_assert_int_eq(feed_format_osv.plan(&run, zip, csv, strlen(csv), &plan, &err), 0);
	ck_assert(plan.full);
	ck_assert_int_eq(plan.n, 0);
	run_plan_release(&plan);

	/* A cursor: the records at or after it, newest first, each with the
	 * URL of its own JSON next to all.zip. */
	ck_assert_int_eq(osv_parse_time(&since, "2025-05-04T07:20:46Z"), 0);
	snprintf(state, sizeof(state), "{\"osv_modified\":%lld}", (long long)since);
	run.feed_state = state;
	ck_assert_int_eq(feed_format_osv.plan(&run, zip, csv, strlen(csv), &plan, &err), 0);
	ck_assert(!plan.full);
	ck_assert_int_eq(plan.n, 3);
	ck_assert_str_eq(plan.ids[0], "GHSA-x744-4wpc-v9h2");
	ck_assert_str_eq(plan.urls[0],
		"https://osv-vulnerabilities.storage.googleapis.com/Go/GHSA-x744-4wpc-v9h2.json");
	ck_assert_str_eq(plan.ids[2], "CVE-2025-21772");
	ck_assert_str_eq(plan.urls[2],
		"https://osv-vulnerabilities.storage.googleapis.com/Go/CVE-2025-21772.json");
	run_plan_release(&plan);

	/* Nothing newer than the cursor: an empty plan, not a full one. */
	snprintf(state, sizeof(state), "{\"osv_modified\":%lld}", 1774982433LL);
	ck_assert_int_eq(feed_format_osv.plan(&run, zip, csv, strlen(csv), &plan, &err), 0);
	ck_assert(!plan.full);
	ck_assert_int_eq(plan.n, 0);
	run_plan_release(&plan);

	/* More than OSV_CHANGES_MAX changes: all.zip is cheaper. */
	buf_init(&many, BUF_MAX_DEFAULT);
	for (i = 0; i <= OSV_CHANGES_MAX; i++)
		ck_assert_int_eq(buf_addf(&many, "2027-01-01T00:00:00Z,GO-2026-%05d\n", i), 0);
	ck_assert_int_eq(feed_format_osv.plan(&run, zip, many.ptr, many.len, &plan, &err), 0);
	ck_assert(plan.full);
	ck_assert_int_eq(plan.n, 0);
	run_plan_release(&plan);
	buf_release(&many);
}
END_TEST

/* A change list with a bad line is refused whole, naming the line, and
 * the plan is left as it was: ids go into URL paths. */
START_TEST(plan_hook_bad)
{
	struct feed_run run = { .store = db, .def = &def_go };
	struct feed_plan plan = { .n = 99 };
	struct err err;
	char state[] = "{\"osv_modified\":1}";

	run.feed_state = state;
	err_clear(&err);
	ck_assert_int_eq(feed_format_osv.plan(&run, "https://x/Go/all.zip", csv_bad[_i].csv,
					      strlen(csv_bad[_i].csv), &plan, &err), ERR_PARSE);
	ck_assert_str_eq(err.msg, csv_bad[_i].message);
	ck_assert_int_eq(plan.n, 99);
	ck_assert_ptr_null(plan.urls);
}
END_TEST

static Suite *osv_suite(void)
{
	Suite *s = suite_create("osv");
	TCase *tc = tcase_create("samples");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, every_sample_parses, 0, ARRAY_SIZE(samples));
	tcase_add_loop_test(tc, go_verdict, 0, ARRAY_SIZE(go_verdicts));
	tcase_add_test(tc, go_record_fields);
	tcase_add_test(tc, ghsa_fields);
	tcase_add_test(tc, ubuntu_fields);
	tcase_add_test(tc, linux_kernel_ranges);
	tcase_add_test(tc, almalinux_rpm);
	tcase_add_test(tc, feed_param_filters_ecosystems);
	suite_add_tcase(s, tc);

	tc = tcase_create("fields");
	tcase_add_loop_test(tc, ecosystem_map, 0, ARRAY_SIZE(eco_cases));
	tcase_add_loop_test(tc, cvss_score, 0, ARRAY_SIZE(cvss_cases));
	tcase_add_loop_test(tc, cvss_rejects, 0, ARRAY_SIZE(cvss_bad));
	tcase_add_test(tc, times);
	suite_add_tcase(s, tc);

	tc = tcase_create("bad");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, reject_bad_record, 0, ARRAY_SIZE(bad_cases));
	tcase_add_test(tc, reject_huge_and_deep);
	tcase_add_test(tc, reject_keeps_previous_copy);
	tcase_add_test(tc, withdrawn_and_moved_records_go);
	suite_add_tcase(s, tc);

	tc = tcase_create("incremental");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, modified_ids);
	tcase_add_loop_test(tc, modified_ids_bad, 0, ARRAY_SIZE(csv_bad));
	tcase_add_test(tc, cursor_in_feed_state);
	tcase_add_test(tc, record_url_and_want);
	tcase_add_test(tc, changes_url_hook);
	tcase_add_test(tc, plan_hook);
	tcase_add_loop_test(tc, plan_hook_bad, 0, ARRAY_SIZE(csv_bad));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(osv_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
