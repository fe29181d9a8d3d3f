/* feed.c - the writers every feed adapter stores advisories with, and
 * record rejection. Keeping the INSERTs here means every adapter fills
 * the advisory, alias and range tables the same way. */
#include "feed.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "banned.h"

int feed_reject(struct feed_run *run, const char *fmt, ...)
{
	va_list ap;

	if (run->rejected++ == 0) {
		va_start(ap, fmt);
		err_setv(&run->first_reject, ERR_PARSE, fmt, ap);
		va_end(ap);
	}
	return 0;
}

int feed_delete_advisory(struct feed_run *run, const char *id, struct err *err)
{
	int n = store_exec(run->store, err,
			   "DELETE FROM advisory WHERE feed = ? AND id = ?",
			   "ss", run->def->name, id);

	return n < 0 ? n : 0;
}

int feed_delete_all(struct feed_run *run, struct err *err)
{
	int n = store_exec(run->store, err, "DELETE FROM advisory WHERE feed = ?",
			   "s", run->def->name);

	return n < 0 ? n : 0;
}

/* The advisory row; ON CONFLICT DO NOTHING leaves an advisory of the same
 * id in place and changes nothing (0 changes). */
static int insert_advisory(struct feed_run *run, const struct feed_advisory *adv,
			   const char *aliases, struct err *err)
{
	return store_exec(run->store, err,
		       "INSERT INTO advisory(feed, id, aliases, summary, severity,"
		       " cvss_score, cvss_vector, published, modified, withdrawn, digest)"
		       " VALUES (?1, ?2, CASE WHEN ?3 = '[]' THEN '[]'"
		       "  WHEN NOT json_valid(?3) THEN '[]'"
		       "  WHEN json_type(?3) = 'array' THEN json(?3) ELSE '[]' END, ?4, ?5,"
		       " CASE WHEN ?6 < 0 THEN NULL ELSE ?6 END, ?7,"
		       " CASE WHEN ?8 < 0 THEN NULL ELSE ?8 END,"
		       " CASE WHEN ?9 < 0 THEN NULL ELSE ?9 END,"
		       " CASE WHEN ?10 < 0 THEN NULL ELSE ?10 END,"
		       " coalesce(?11, CAST(?9 AS TEXT)))"
		       " ON CONFLICT (feed, id) DO NOTHING",
		       "sssssdsiiis", run->def->name, adv->id, aliases,
		       adv->summary, adv->severity, adv->cvss_score,
		       adv->cvss_vector, (long long)adv->published,
		       (long long)adv->modified, (long long)adv->withdrawn,
		       adv->digest);
}

int feed_put_advisory(struct feed_run *run, long long *aid,
		      const struct feed_advisory *adv, struct err *err)
{
	const char *aliases = adv->aliases_json ? adv->aliases_json : "[]";
	int n;

	if (!adv->id || !*adv->id)
		return err_set(err, ERR_PARSE, "advisory without an id");
	/* A new id is one insert (most of a full run: begin() emptied the
	 * feed); an id already there is replaced, which drops its old
	 * ranges and aliases through the cascade. */
	n = insert_advisory(run, adv, aliases, err);
	if (n == 0) {
		n = store_exec(run->store, err,
			       "DELETE FROM advisory WHERE feed = ? AND id = ?",
			       "ss", run->def->name, adv->id);
		if (n >= 0)
			n = insert_advisory(run, adv, aliases, err);
		if (n == 0)
			n = err_set(err, ERR_STORE, "advisory '%s' was not stored",
				    adv->id);
	}
	if (n < 0)
		return n;
	*aid = store_last_rowid(run->store);
	/* Without aliases (a kernel CNA record) only the id is one. */
	if (!strcmp(aliases, "[]")) {
		n = store_exec(run->store, err,
			       "INSERT OR IGNORE INTO advisory_alias(alias, aid)"
			       " VALUES (?2, ?1)", "is", *aid, adv->id);
		if (n < 0)
			return n;
		run->records++;
		return 0;
	}
	/* UNION ALL: the primary key and OR IGNORE drop a repeated alias;
	 * UNION would build a temporary b-tree for every advisory. */
	n = store_exec(run->store, err,
		       "INSERT OR IGNORE INTO advisory_alias(alias, aid)"
		       " SELECT ?2, ?1 UNION ALL"
		       " SELECT j.value, ?1 FROM advisory a, json_each(a.aliases) j"
		       "  WHERE a.aid = ?1 AND j.type = 'text' AND j.value <> ''",
		       "is", *aid, adv->id);
	if (n < 0)
		return n;
	run->records++;
	return 0;
}

int feed_put_range(struct feed_run *run, long long aid,
		   const struct feed_range *r, struct err *err)
{
	return feed_put_ranges(run, aid, r, 1, err);
}

/* Up to FEED_RANGES_PER_STATEMENT rows per INSERT, with a statement for
 * each number of rows: one statement per advisory instead of one per
 * range, and no unused tuples to bind and filter (a kernel CNA record has
 * some 5 ranges). */
#define FEED_RANGES_PER_STATEMENT 8
#define RANGES_HEAD \
	"INSERT INTO affected(aid, component, ecosystem, package, scheme," \
	" introduced, fixed, last_affected, limit_, severity)" \
	" SELECT ?1, column1, column2, column3, column4, column5, column6," \
	" column7, column8, column9 FROM (VALUES"
#define T1 " (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
#define T2 T1 ", (?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)"
#define T3 T2 ", (?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28)"
#define T4 T3 ", (?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36, ?37)"
#define T5 T4 ", (?38, ?39, ?40, ?41, ?42, ?43, ?44, ?45, ?46)"
#define T6 T5 ", (?47, ?48, ?49, ?50, ?51, ?52, ?53, ?54, ?55)"
#define T7 T6 ", (?56, ?57, ?58, ?59, ?60, ?61, ?62, ?63, ?64)"
#define T8 T7 ", (?65, ?66, ?67, ?68, ?69, ?70, ?71, ?72, ?73)"
static const char *const insert_ranges_sql[FEED_RANGES_PER_STATEMENT] = {
	RANGES_HEAD T1 ")", RANGES_HEAD T2 ")", RANGES_HEAD T3 ")",
	RANGES_HEAD T4 ")", RANGES_HEAD T5 ")", RANGES_HEAD T6 ")",
	RANGES_HEAD T7 ")", RANGES_HEAD T8 ")",
};
#undef T1
#undef T2
#undef T3
#undef T4
#undef T5
#undef T6
#undef T7
#undef T8
#undef RANGES_HEAD

#define RANGE_COLUMNS(k) c[k].component, c[k].ecosystem, c[k].package, \
	c[k].scheme, c[k].introduced, c[k].fixed, c[k].last_affected,  \
	c[k].limit, c[k].severity

int feed_put_ranges(struct feed_run *run, long long aid,
		    const struct feed_range *r, size_t n, struct err *err)
{
	static const char types[] = "i" "sssssssss" "sssssssss" "sssssssss"
		"sssssssss" "sssssssss" "sssssssss" "sssssssss" "sssssssss";
	struct feed_range c[FEED_RANGES_PER_STATEMENT];
	char t[sizeof(types)];
	size_t done, i, k;
	int rc;

	for (done = 0; done < n; done += k) {
		k = n - done < FEED_RANGES_PER_STATEMENT ? n - done
							 : FEED_RANGES_PER_STATEMENT;
		memset(c, 0, sizeof(c));
		for (i = 0; i < k; i++) {
			c[i] = r[done + i];
			if (c[i].introduced && !strcmp(c[i].introduced, "0"))
				c[i].introduced = NULL;
		}
		/* The types of 1 + 9k parameters; the arguments of unused
		 * tuples are passed but not bound. */
		memcpy(t, types, 1 + 9 * k);
		t[1 + 9 * k] = '\0';
		rc = store_exec(run->store, err, insert_ranges_sql[k - 1], t,
			aid, RANGE_COLUMNS(0), RANGE_COLUMNS(1), RANGE_COLUMNS(2),
			RANGE_COLUMNS(3), RANGE_COLUMNS(4), RANGE_COLUMNS(5),
			RANGE_COLUMNS(6), RANGE_COLUMNS(7));
		if (rc < 0)
			return rc;
	}
	return 0;
}

#undef RANGE_COLUMNS

int feed_put_binary_source(struct feed_run *run, const char *ecosystem,
			   const char *binary, const char *source,
			   struct err *err)
{
	int n = store_exec(run->store, err,
			   "INSERT OR IGNORE INTO binary_source(ecosystem, binary, source)"
			   " VALUES (?, ?, ?)",
			   "sss", ecosystem, binary, source);

	return n < 0 ? n : 0;
}

/* Names as feeds spell them: distro source and binary packages, Go
 * modules, OSV "Linux"/"Kernel", product names. */
static const struct {
	const char *name;
	const char *component;
} components[] = {
	{ "linux", "kernel" },
	{ "kernel", "kernel" },
	{ "linux-signed", "kernel" },
	{ "linux-image", "kernel" },
	{ "runc", "runc" },
	{ "runc-app", "runc" },
	{ "runc-stable", "runc" },
	{ "github.com/opencontainers/runc", "runc" },
	{ "containerd", "containerd" },
	{ "containerd-app", "containerd" },
	{ "containerd.io", "containerd" },
	{ "github.com/containerd/containerd", "containerd" },
	{ "github.com/containerd/containerd/v2", "containerd" },
	{ "docker.io", "docker" },
	{ "docker.io-app", "docker" },
	{ "docker-ce", "docker" },
	{ "docker-engine", "docker" },
	{ "moby-engine", "docker" },
	{ "github.com/docker/docker", "docker" },
	{ "github.com/moby/moby", "docker" },
	{ "github.com/moby/moby/v2", "docker" },
	{ "podman", "podman" },
	{ "github.com/containers/podman", "podman" },
	{ "github.com/containers/podman/v4", "podman" },
	{ "github.com/containers/podman/v5", "podman" },
};

const char *feed_component_of(const char *package)
{
	size_t i;

	if (!package)
		return NULL;
	for (i = 0; i < sizeof(components) / sizeof(components[0]); i++)
		if (!strcasecmp(components[i].name, package))
			return components[i].component;
	/* Kernel binary packages carry the ABI: linux-image-6.1.0-18-amd64,
	 * kernel-core on RPM systems. */
	if (!strncmp(package, "linux-image-", 12) || !strncmp(package, "linux-signed-", 13) ||
	    !strcmp(package, "kernel-core") || !strcmp(package, "kernel-rt"))
		return "kernel";
	/* Ubuntu builds its kernel flavours from sources of their own
	 * (linux-aws, linux-azure-6.5, linux-hwe-6.8, linux-oem-6.1, ...):
	 * a source named linux-FLAVOUR[-X.Y] is a kernel unless it is one
	 * of the non-kernel linux-* sources. */
	if (!strncmp(package, "linux-", 6)) {
		static const char *const not_kernel[] = {
			"linux-firmware", "linux-base", "linux-atm", "linux-libc-dev",
			"linux-tools", "linux-meta", "linux-restricted-modules",
			"linux-sound-base", "linux-ftpfs", "linux-wlan-ng",
			"linux-doc", "linux-source", "linux-headers", "linux-cloud-tools",
			"linux-kbuild", "linux-perf", "linux-support", "linux-bpf",
			"linux-show", "linux-gpib", "linux-apfs",
		};
		for (i = 0; i < sizeof(not_kernel) / sizeof(not_kernel[0]); i++) {
			size_t n = strlen(not_kernel[i]);

			if (!strncmp(package, not_kernel[i], n) &&
			    (package[n] == '\0' || package[n] == '-'))
				return NULL;
		}
		return "kernel";
	}
	return NULL;
}
