/* report.c - validation and import of host reports (report.h, DESIGN.md
 * §6). JSON (RFC 8259) values are read by sqlite's JSON1 through the store
 * API; this file pre-scans the bytes for what JSON1 does not check (UTF-8
 * per RFC 3629, NUL bytes, nesting depth, truncation), locates the
 * elements of engine.containers with jsoncheck_index() (which decodes
 * nothing) and parses the RFC 3339 (section 5.6) time of `collected_at`.
 *
 * How a report is read, with as few parses as sqlite 3.40's JSON1 allows
 * (it has no JSONB: every json_each and every statement parses its text
 * again, a parse costs some 15 instructions a byte, and the containers
 * are nearly all of a report's bytes):
 *  1. jsoncheck_index() checks the grammar (RFC 8259, names are strings
 *     and not repeated) and says where engine.containers and its elements
 *     lie. The rest of the report (c->rest) is the report with that value
 *     replaced by an empty one of the same type: small.
 *  2. Each element is parsed once, on its own: one json_extract of every
 *     path the container columns are made of (CONTAINER_PATHS), split into
 *     rows by json_each so that each value keeps its JSON type. Its text
 *     is stored as JSON1 would render it: its own bytes when they have no
 *     space outside strings, else JSON1's rendering.
 *  3. The report's own objects (top level, host, os, kernel, engine, ...)
 *     are walked with json_each in c->rest, one member per row, so a key
 *     that appears twice is seen and every member read is checked against
 *     a table of specs (type, byte or entry cap); images are split there.
 *  4. Last, every container and image inspect is checked in order.
 * A report the index refuses (or whose top level or engine names a member
 * with an escape, which the index compares as written) is read by JSON1
 * alone, with the same results: json_remove() takes engine.containers out
 * (one parse) and one statement reads every element and its fields from
 * one more (containers_sql); JSON1 then says what is wrong, if anything.
 * Nothing is written before the report is checked whole, and then inside a
 * transaction or savepoint of its own: the container and image columns
 * are plain columns written from the fields read in step 2.
 * report_import_files() runs steps 1-4 on worker threads, each with a
 * private in-memory store, while the calling thread writes; reports are
 * committed in batches. */
#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "jsoncheck.h"
#include "xalloc.h"
#include "banned.h"
/* JSON types as json_each and json_type name them; 0 = absent. */
enum {
	T_NULL = 1 << 0,
	T_TRUE = 1 << 1,
	T_FALSE = 1 << 2,
	T_INT = 1 << 3,
	T_REAL = 1 << 4,
	T_TEXT = 1 << 5,
	T_ARRAY = 1 << 6,
	T_OBJECT = 1 << 7,
};
#define T_BOOL (T_TRUE | T_FALSE)
#define T_NUM (T_INT | T_REAL)

enum {
	F_REQ = 1 << 0,       /* must be present (and not null unless T_NULL) */
	F_NONEMPTY = 1 << 1,  /* strings: not "" */
	F_BYPATH = 1 << 2,    /* large: not copied, read by path from the document */
	F_SPLIT = 1 << 3,     /* an array split into elements (and counted) later */
};

/* A member the importer reads from an object walked with json_each. */
struct spec {
	const char *key;
	int slot;               /* index into the walk's value array */
	unsigned types;         /* accepted types */
	unsigned flags;
	size_t max;             /* strings: bytes; arrays: entries; 0: none */
	const struct spec *members; /* objects: their own members */
};

/* A member as read: type, and its value copied out of the row. */
struct val {
	unsigned type;
	char *text;             /* strings (decoded), arrays and objects (JSON) */
	size_t len;
	long long i;
	double d;
};

/* An element of an array. */
struct item {
	unsigned type;
	char *text;
	size_t len;
};

struct items {
	struct item *v;
	size_t n, alloc;
};

/* Slots of the report's own members. */
enum {
	S_SCHEMA, S_COLLECTED, S_HOST, S_OS, S_KERNEL, S_PACKAGES, S_ENGINE,
	S_HOST_NAME, S_MACHINE_ID, S_BOOT_ID, S_UPTIME,
	S_OS_ID, S_OS_VERSION_ID, S_OS_CODENAME, S_OS_PRETTY,
	S_K_RELEASE, S_K_VERSION, S_K_PACKAGE, S_K_INSTALLED, S_K_REBOOT,
	S_K_LIVEPATCH,
	S_KP_NAME, S_KP_SOURCE, S_KP_VERSION,
	S_LP_ACTIVE, S_LP_FIXED, S_LP_UNTIL,
	S_E_KIND, S_E_ENABLED, S_E_API, S_E_VERSION, S_E_INFO,
	S_E_CONTAINERS, S_E_IMAGES, S_E_SWARM, S_E_PODS,
	S_V_VERSION, S_V_API,
	S_I_KERNEL, S_I_OS, S_I_LIVE, S_I_CGROUP, S_I_SWARM,
	S_IS_STATE, S_IS_MANAGER,
	S_SW_SERVICES, S_SW_TASKS, S_SW_NODES,
	S_COUNT
};

#define NAME REPORT_MAX_NAME
#define VERS REPORT_MAX_VERSION

static const struct spec host_spec[] = {
	{ "name", S_HOST_NAME, T_TEXT, F_REQ | F_NONEMPTY, NAME, NULL },
	{ "machine_id", S_MACHINE_ID, T_TEXT | T_NULL, 0, NAME, NULL },
	{ "boot_id", S_BOOT_ID, T_TEXT | T_NULL, 0, NAME, NULL },
	{ "uptime_seconds", S_UPTIME, T_NUM | T_NULL, 0, 0, NULL },
	{ NULL, 0, 0, 0, 0, NULL },
};

static const struct spec os_spec[] = {
	{ "id", S_OS_ID, T_TEXT | T_NULL, 0, NAME, NULL },
	{ "version_id", S_OS_VERSION_ID, T_TEXT | T_NULL, 0, NAME, NULL },
	{ "codename", S_OS_CODENAME, T_TEXT | T_NULL, 0, NAME, NULL },
	{ "pretty_name", S_OS_PRETTY, T_TEXT | T_NULL, 0, NAME, NULL },
	{ NULL, 0, 0, 0, 0, NULL },
};

static const struct spec kpackage_spec[] = {
	{ "name", S_KP_NAME, T_TEXT | T_NULL, 0, NAME, NULL },
	{ "source", S_KP_SOURCE, T_TEXT | T_NULL, 0, NAME, NULL },
	{ "version", S_KP_VERSION, T_TEXT | T_NULL, 0, VERS, NULL },
	{ NULL, 0, 0, 0, 0, NULL },
};

static const struct spec livepatch_spec[] = {
	{ "active", S_LP_ACTIVE, T_BOOL | T_NULL, 0, 0, NULL },
	{ "fixed_cves", S_LP_FIXED, T_ARRAY | T_NULL, F_SPLIT, 100000, NULL },
	{ "covered_until", S_LP_UNTIL, T_TEXT | T_NULL, 0, 64, NULL },
	{ NULL, 0, 0, 0, 0, NULL },
};

static const struct spec kernel_spec[] = {
	{ "release", S_K_RELEASE, T_TEXT | T_NULL, 0, NAME, NULL },
	{ "version", S_K_VERSION, T_TEXT | T_NULL, 0, NAME, NULL },
	{ "package", S_K_PACKAGE, T_OBJECT | T_NULL, 0, 0, kpackage_spec },
	{ "installed", S_K_INSTALLED, T_ARRAY | T_NULL, F_SPLIT, REPORT_MAX_KERNELS, NULL },
	{ "reboot_required", S_K_REBOOT, T_BOOL | T_NULL, 0, 0, NULL },
	{ "livepatch", S_K_LIVEPATCH, T_OBJECT | T_NULL, 0, 0, livepatch_spec },
	{ NULL, 0, 0, 0, 0, NULL },
};

static const struct spec version_spec[] = {
	{ "Version", S_V_VERSION, T_TEXT | T_NULL, 0, VERS, NULL },
	{ "ApiVersion", S_V_API, T_TEXT | T_NULL, 0, 32, NULL },
	{ NULL, 0, 0, 0, 0, NULL },
};

static const struct spec info_swarm_spec[] = {
	{ "LocalNodeState", S_IS_STATE, T_TEXT | T_NULL, 0, 32, NULL },
	{ "ControlAvailable", S_IS_MANAGER, T_BOOL | T_NULL, 0, 0, NULL },
	{ NULL, 0, 0, 0, 0, NULL },
};

static const struct spec info_spec[] = {
	{ "KernelVersion", S_I_KERNEL, T_TEXT | T_NULL, 0, NAME, NULL },
	{ "OperatingSystem", S_I_OS, T_TEXT | T_NULL, 0, NAME, NULL },
	{ "LiveRestoreEnabled", S_I_LIVE, T_BOOL | T_NULL, 0, 0, NULL },
	{ "CgroupVersion", S_I_CGROUP, T_TEXT | T_NULL, 0, 16, NULL },
	{ "Swarm", S_I_SWARM, T_OBJECT | T_NULL, 0, 0, info_swarm_spec },
	{ NULL, 0, 0, 0, 0, NULL },
};

static const struct spec swarm_spec[] = {
	{ "services", S_SW_SERVICES, T_ARRAY | T_NULL, 0, 10000, NULL },
	{ "tasks", S_SW_TASKS, T_ARRAY | T_NULL, 0, 100000, NULL },
	{ "nodes", S_SW_NODES, T_ARRAY | T_NULL, 0, 10000, NULL },
	{ NULL, 0, 0, 0, 0, NULL },
};

static const struct spec engine_spec[] = {
	{ "kind", S_E_KIND, T_TEXT | T_NULL, 0, 32, NULL },
	{ "service_enabled", S_E_ENABLED, T_BOOL | T_NULL, 0, 0, NULL },
	{ "api_version", S_E_API, T_TEXT | T_NULL, 0, 32, NULL },
	{ "version", S_E_VERSION, T_OBJECT | T_NULL, 0, 0, version_spec },
	{ "info", S_E_INFO, T_OBJECT | T_NULL, 0, 0, info_spec },
	{ "containers", S_E_CONTAINERS, T_ARRAY | T_NULL, F_BYPATH | F_SPLIT,
	  REPORT_MAX_CONTAINERS, NULL },
	{ "images", S_E_IMAGES, T_ARRAY | T_NULL, F_SPLIT, REPORT_MAX_IMAGES, NULL },
	{ "swarm", S_E_SWARM, T_OBJECT | T_NULL, 0, 0, swarm_spec },
	{ "pods", S_E_PODS, T_ARRAY | T_NULL, 0, 10000, NULL },
	{ NULL, 0, 0, 0, 0, NULL },
};

static const struct spec report_spec[] = {
	{ "schema", S_SCHEMA, T_TEXT, F_REQ, 64, NULL },
	{ "collected_at", S_COLLECTED, T_TEXT, F_REQ, 64, NULL },
	{ "host", S_HOST, T_OBJECT, F_REQ, 0, host_spec },
	{ "os", S_OS, T_OBJECT | T_NULL, 0, 0, os_spec },
	{ "kernel", S_KERNEL, T_OBJECT | T_NULL, 0, 0, kernel_spec },
	{ "packages", S_PACKAGES, T_ARRAY | T_NULL, F_SPLIT, REPORT_MAX_PACKAGES, NULL },
	{ "engine", S_ENGINE, T_OBJECT | T_NULL, F_BYPATH, 0, engine_spec },
	{ NULL, 0, 0, 0, 0, NULL },
};

/* packages[] entries. */
enum { P_NAME, P_SOURCE, P_VERSION, P_SOURCE_VERSION, P_COUNT };
static const struct spec package_spec[] = {
	{ "name", P_NAME, T_TEXT, F_REQ | F_NONEMPTY, NAME, NULL },
	{ "source", P_SOURCE, T_TEXT | T_NULL, 0, NAME, NULL },
	{ "version", P_VERSION, T_TEXT, F_REQ | F_NONEMPTY, VERS, NULL },
	{ "source_version", P_SOURCE_VERSION, T_TEXT | T_NULL, 0, VERS, NULL },
	{ NULL, 0, 0, 0, 0, NULL },
};

/* kernel.installed[] entries. */
enum { K_RELEASE, K_PACKAGE, K_P_NAME, K_P_SOURCE, K_P_VERSION, K_COUNT };
static const struct spec installed_package_spec[] = {
	{ "name", K_P_NAME, T_TEXT | T_NULL, 0, NAME, NULL },
	{ "source", K_P_SOURCE, T_TEXT | T_NULL, 0, NAME, NULL },
	{ "version", K_P_VERSION, T_TEXT | T_NULL, 0, VERS, NULL },
	{ NULL, 0, 0, 0, 0, NULL },
};
static const struct spec installed_spec[] = {
	{ "release", K_RELEASE, T_TEXT, F_REQ | F_NONEMPTY, NAME, NULL },
	{ "package", K_PACKAGE, T_OBJECT | T_NULL, 0, 0, installed_package_spec },
	{ NULL, 0, 0, 0, 0, NULL },
};

/* Paths of a container inspect (and an image inspect) the store's
 * container and image columns are made of: X(slot, path, types, flags,
 * max), the path relative to the inspect. One json_extract call with
 * every path answers them all from one parse, as a JSON array whose
 * elements keep their JSON types; an absent path reads as null. */
#define CONTAINER_PATHS(X)                                                   \
	X(C_ID, ".Id", T_TEXT, F_REQ | F_NONEMPTY, 128)                      \
	X(C_NAME, ".Name", T_TEXT | T_NULL, 0, NAME)                         \
	X(C_IMAGE_ID, ".Image", T_TEXT | T_NULL, 0, NAME)                    \
	X(C_CREATED, ".Created", T_TEXT | T_NULL, 0, 64)                     \
	X(C_IMAGE, ".Config.Image", T_TEXT | T_NULL, 0, 1024)                \
	X(C_STOP_TIMEOUT, ".Config.StopTimeout", T_INT | T_NULL, 0, 0)       \
	X(C_COMPOSE_PROJECT, ".Config.Labels.\"com.docker.compose.project\"", T_TEXT | T_NULL, 0, NAME) \
	X(C_COMPOSE_SERVICE, ".Config.Labels.\"com.docker.compose.service\"", T_TEXT | T_NULL, 0, NAME) \
	X(C_SWARM_SERVICE, ".Config.Labels.\"com.docker.swarm.service.name\"", T_TEXT | T_NULL, 0, NAME) \
	X(C_SYSTEMD_UNIT, ".Config.Labels.PODMAN_SYSTEMD_UNIT", T_TEXT | T_NULL, 0, NAME) \
	X(C_STATE, ".State.Status", T_TEXT | T_NULL, 0, 32)                  \
	X(C_STARTED_AT, ".State.StartedAt", T_TEXT | T_NULL, 0, 64)          \
	X(C_HEALTH, ".State.Health.Status", T_TEXT | T_NULL, 0, 32)          \
	X(C_RESTART_POLICY, ".HostConfig.RestartPolicy.Name", T_TEXT | T_NULL, 0, 32) \
	X(C_MAX_RETRIES, ".HostConfig.RestartPolicy.MaximumRetryCount", T_INT | T_NULL, 0, 0) \
	X(C_AUTO_REMOVE, ".HostConfig.AutoRemove", T_BOOL | T_NULL, 0, 0)    \
	X(C_PRIVILEGED, ".HostConfig.Privileged", T_BOOL | T_NULL, 0, 0)     \
	X(C_PID_MODE, ".HostConfig.PidMode", T_TEXT | T_NULL, 0, NAME)       \
	X(C_NETWORK_MODE, ".HostConfig.NetworkMode", T_TEXT | T_NULL, 0, NAME) \
	X(C_SECURITY_OPT, ".HostConfig.SecurityOpt", T_ARRAY | T_NULL, 0, 0) \
	X(C_CAP_ADD, ".HostConfig.CapAdd", T_ARRAY | T_NULL, 0, 0)           \
	X(C_MEMORY, ".HostConfig.Memory", T_INT | T_NULL, 0, 0)

#define IMAGE_PATHS(X)                                                       \
	X(I_ID, ".Id", T_TEXT, F_REQ | F_NONEMPTY, 128)                      \
	X(I_REPO_TAGS, ".RepoTags", T_ARRAY | T_NULL, 0, 0)                  \
	X(I_CREATED, ".Created", T_TEXT | T_NULL, 0, 64)

struct pathspec {
	const char *path;       /* relative to the inspect: ".Config.Image" */
	unsigned types;
	unsigned flags;
	size_t max;
};

#define PATH_SLOT(e, p, t, f, m) e,
#define PATH_SPEC(e, p, t, f, m) { p, t, f, m },
/* the paths as arguments of json_extract, on an inspect ... */
#define PATH_ARG(e, p, t, f, m) ", '$" p "'"
/* ... or on the inspect at path p of the report */
#define PATH_SUFFIX_ARG(e, p, t, f, m) ", p || '" p "'"

enum { CONTAINER_PATHS(PATH_SLOT) C_COUNT };
enum { IMAGE_PATHS(PATH_SLOT) I_COUNT };
static const struct pathspec container_paths[] = { CONTAINER_PATHS(PATH_SPEC) };
static const struct pathspec image_paths[] = { IMAGE_PATHS(PATH_SPEC) };

/* For a report read by JSON1 alone: engine.containers of the report ?1
 * (bound NUL-terminated, so that JSON1 never copies it): the first row
 * (i = -1) has the array's type and length, then one row per element, at
 * most ?2, with its text and the fields its columns are made of. Every
 * json_extract and json_type on ?1 in one run of a statement shares one
 * parse (sqlite 3.40 caches it by the text for the statement), so the
 * containers are parsed once here (and once by json_remove()). */
static const char containers_sql[] =
	"WITH RECURSIVE n(i, cnt) AS ("
	" SELECT -1, json_array_length(?1, '$.engine.containers')"
	" UNION ALL SELECT i + 1, cnt FROM n WHERE i + 1 < cnt AND cnt <= ?2)"
	" SELECT i, CASE WHEN i < 0 THEN json_type(?1, '$.engine.containers') END,"
	"  CASE WHEN i < 0 THEN cnt ELSE json_extract(?1, p) END,"
	"  CASE WHEN i >= 0 THEN json_extract(?1" CONTAINER_PATHS(PATH_SUFFIX_ARG) ") END"
	" FROM (SELECT i, cnt, '$.engine.containers[' || i || ']' AS p FROM n)";
/* The type of element ?2 of engine.containers, when its fields say it is
 * not an object. */
static const char container_type_sql[] =
	"SELECT json_type(?1, '$.engine.containers[' || ?2 || ']')";

/* The elements of engine.images (?1, the array) with their fields; the
 * subquery keeps sqlite from rendering each element twice. */
static const char images_sql[] =
	"SELECT t, v, CASE WHEN t = 'object' THEN json_extract(v" IMAGE_PATHS(PATH_ARG) ") END"
	" FROM (SELECT type AS t, value AS v FROM json_each(?1) LIMIT -1 OFFSET 0)";

/* The fields of one inspect, one row per path. */
static const char fields_sql[] = "SELECT type, value FROM json_each(?1)";

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* A container or image inspect of the report: its text as stored, and
 * the fields its columns are made of. */
struct inspect {
	unsigned type;          /* of the element */
	char *text;             /* the inspect as JSON1 renders it */
	size_t len;
	char *fields;           /* its paths' values, a JSON array */
	size_t fields_len;
	struct val *f;          /* the same, checked: one per path */
};

struct inspects {
	struct inspect *v;
	size_t n, alloc;
};

/* What an import works with: the report as validated (every value it
 * writes copied out of the document) and the stores it uses. */
struct ctx {
	struct store *s;        /* written to */
	struct store *js;       /* runs the JSON queries of validation */
	struct err *err;
	const char *source;
	bool prefixed;          /* err already starts with source */
	struct val v[S_COUNT];
	char *rest;             /* the report without engine.containers */
	size_t rest_len;
	struct items packages, installed;
	struct val *package_vals;  /* P_COUNT per package, checked */
	struct inspects containers, images;
	struct json_index *ix;  /* the caller's, for index_report(); may be NULL */
	const char *doc;        /* the report, while its containers are checked */
	unsigned containers_type;  /* of engine.containers by path; 0 absent */
	bool containers_over;   /* more than REPORT_MAX_CONTAINERS */
	bool images_over;       /* more than REPORT_MAX_IMAGES */
	long long collected_at;
	long long uptime;       /* -1 unknown */
};

static unsigned type_bit(const char *t)
{
	static const struct { const char *name; unsigned bit; } types[] = {
		{ "null", T_NULL }, { "true", T_TRUE }, { "false", T_FALSE },
		{ "integer", T_INT }, { "real", T_REAL }, { "text", T_TEXT },
		{ "array", T_ARRAY }, { "object", T_OBJECT },
	};
	size_t i;

	if (!t)
		return 0;
	for (i = 0; i < NELEM(types); i++)
		if (!strcmp(types[i].name, t))
			return types[i].bit;
	return 0;
}

static const char *type_words(unsigned types)
{
	switch (types) {
	case T_TEXT: return "a string";
	case T_TEXT | T_NULL: return "a string or null";
	case T_NUM | T_NULL: return "a number or null";
	case T_INT | T_NULL: return "an integer or null";
	case T_BOOL | T_NULL: return "true, false or null";
	case T_ARRAY | T_NULL: return "an array or null";
	case T_OBJECT: return "an object";
	case T_OBJECT | T_NULL: return "an object or null";
	default: return "of the expected type";
	}
}

static int fail(struct ctx *c, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct ctx *c, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_setv(c->err, code, fmt, ap);
	va_end(ap);
	c->prefixed = true;
	return err_prefix(c->err, "%s", c->source);
}

/* A store error met while reading the report: name the report. */
static int store_fail(struct ctx *c)
{
	c->prefixed = true;
	return err_prefix(c->err, "%s", c->source);
}

static void val_release(struct val *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].text);
		v[i].text = NULL;
		v[i].type = 0;
	}
}

static void items_release(struct items *it)
{
	size_t i;

	for (i = 0; i < it->n; i++)
		free(it->v[i].text);
	free(it->v);
	memset(it, 0, sizeof(*it));
}

static void inspects_release(struct inspects *it, size_t npaths)
{
	size_t i;

	for (i = 0; i < it->n; i++) {
		free(it->v[i].text);
		free(it->v[i].fields);
		if (it->v[i].f) {
			val_release(it->v[i].f, npaths);
			free(it->v[i].f);
		}
	}
	free(it->v);
	memset(it, 0, sizeof(*it));
}

static char *copy_bytes(const char *p, size_t n)
{
	char *r = xmalloc(n + 1);

	if (n)
		memcpy(r, p, n);
	r[n] = '\0';
	return r;
}

/* Appends "/" to s (size bytes) when it fits. */
static void strcat_slash(char *s, size_t size)
{
	size_t n = strlen(s);

	if (n + 1 < size) {
		s[n] = '/';
		s[n + 1] = '\0';
	}
}

/* "host" + "name" -> "host.name"; "packages[3]" + "" -> "packages[3]". */
static void join_label(char *out, size_t size, const char *prefix, const char *key)
{
	snprintf(out, size, "%s%s%s", prefix, *prefix && *key ? "." : "", key);
}

/* Checks a string the importer reads: no NUL, no control character, cap,
 * not empty when required. The member is named prefix.key in messages (the
 * label is only made when there is one to give). */
static int check_text(struct ctx *c, const char *prefix, const char *key,
		      const char *text, size_t len, unsigned flags, size_t max)
{
	char label[400];
	size_t i;

	if (max && len > max) {
		join_label(label, sizeof(label), prefix, key);
		return fail(c, ERR_LIMIT, "'%s' is longer than %zu bytes", label, max);
	}
	if ((flags & F_NONEMPTY) && len == 0) {
		join_label(label, sizeof(label), prefix, key);
		return fail(c, ERR_PARSE, "'%s' is empty", label);
	}
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)text[i];

		if (ch < 0x20 || ch == 0x7f) {
			join_label(label, sizeof(label), prefix, key);
			return fail(c, ERR_PARSE, "'%s' contains a control character",
				    label);
		}
	}
	return 0;
}

static int check_type(struct ctx *c, const char *prefix, const char *key,
		      unsigned type, unsigned types, unsigned flags)
{
	char label[400];

	if (type && (type & types))
		return 0;
	if (!type && !(flags & F_REQ))
		return 0;
	join_label(label, sizeof(label), prefix, key);
	if (!type)
		return fail(c, ERR_PARSE, "'%s' is missing", label);
	return fail(c, ERR_PARSE, "'%s' is not %s", label, type_words(types));
}

/* Splits an array into its elements, at most max of them: one more fails
 * with ERR_LIMIT, or, when over is not NULL, sets *over and stops (the cap
 * is then reported where the elements are checked). */
static int split_array(struct ctx *c, struct items *out, const char *json,
		       size_t len, const char *path, size_t max, const char *label,
		       bool *over)
{
	struct store_rows rows = STORE_ROWS_INIT;
	bool failed = false;
	int rc;

	rc = store_query(c->js, &rows, c->err,
			 "SELECT type, value FROM json_each(?, ?)", "bs", json, len,
			 path);
	if (rc)
		return store_fail(c);
	while ((rc = store_rows_next(&rows)) == 1) {
		struct item *it;
		const char *t = store_rows_text(&rows, 1);
		size_t n = store_rows_bytes(&rows, 1);

		if (out->n >= max) {
			if (over) {
				*over = true;
				rc = 0;
				break;
			}
			rc = fail(c, ERR_LIMIT, "'%s' has more than %zu entries",
				  label, max);
			failed = true;
			break;
		}
		XGROW(out->v, out->alloc, out->n + 1);
		it = &out->v[out->n++];
		it->type = type_bit(store_rows_text(&rows, 0));
		it->text = t ? copy_bytes(t, n) : NULL;
		it->len = t ? n : 0;
	}
	store_rows_done(&rows);
	if (rc < 0)
		return failed ? rc : store_fail(c);
	return 0;
}

static size_t count_array(struct ctx *c, const char *json, size_t len)
{
	long long n = 0;

	if (store_query_int(c->js, &n, c->err, "SELECT json_array_length(?)",
			    "b", json, len))
		return (size_t)-1;
	return (size_t)n;
}

/* The members of the object at ?2 of ?1 that a spec names (?4...?12,
 * NULL when it names fewer): engine.info has some 60, many of them large,
 * and five are read. The CASE keeps sqlite from rendering the by-path
 * members (?3, "/name/...") at all. Row by row, the WHERE costs about half
 * of returning the row. */
#define WALK_KEYS 9
#define WALK_KEY_TYPES "sssssssss"
static const char walk_sql[] =
	"SELECT key, type, CASE WHEN type IN ('object', 'array')"
	" AND instr(?3, '/' || key || '/') THEN NULL ELSE value END"
	" FROM json_each(?1, ?2) WHERE CASE key WHEN ?4 THEN 1 WHEN ?5 THEN 1"
	" WHEN ?6 THEN 1 WHEN ?7 THEN 1 WHEN ?8 THEN 1 WHEN ?9 THEN 1"
	" WHEN ?10 THEN 1 WHEN ?11 THEN 1 WHEN ?12 THEN 1 END";

/* Walks one object, the member at path of json: reads the members spec
 * names into vals (by slot), refusing a key seen twice (a slot already
 * typed counts as seen), then checks each and walks the objects among
 * them. Members flagged F_BYPATH are not copied out (they are large:
 * engine, its containers): they are walked or split from json by their
 * path. */
static int walk(struct ctx *c, struct val *vals, const char *json, size_t len,
		const char *path, const struct spec *spec, const char *prefix)
{
	struct store_rows rows = STORE_ROWS_INIT;
	const struct spec *m;
	const char *k[WALK_KEYS] = { NULL };
	char label[320], skip[128] = "/";
	bool failed = false;
	size_t nkeys = 0;
	int rc;

	for (m = spec; m->key; m++) {
		/* a programmer error: a spec longer than walk_sql takes */
		if (nkeys == WALK_KEYS)
			abort();
		k[nkeys++] = m->key;
		if (m->flags & F_BYPATH)
			join_label(skip + strlen(skip), sizeof(skip) - strlen(skip),
				   "", m->key), strcat_slash(skip, sizeof(skip));
	}
	rc = store_query(c->js, &rows, c->err, walk_sql, "bss" WALK_KEY_TYPES,
			 json, len, path, skip, k[0], k[1], k[2], k[3], k[4],
			 k[5], k[6], k[7], k[8]);
	if (rc)
		return store_fail(c);
	while ((rc = store_rows_next(&rows)) == 1) {
		const char *key = store_rows_text(&rows, 0);
		struct val *v;

		if (!key)
			continue;
		/* a key with an escaped NUL is not one the importer reads */
		for (m = spec; m->key; m++)
			if (!strcmp(m->key, key) &&
			    store_rows_bytes(&rows, 0) == strlen(m->key))
				break;
		if (!m->key)
			continue;
		v = &vals[m->slot];
		if (v->type) {
			join_label(label, sizeof(label), prefix, m->key);
			rc = fail(c, ERR_PARSE, "'%s' appears twice", label);
			failed = true;
			break;
		}
		v->type = type_bit(store_rows_text(&rows, 1));
		if ((v->type & (T_TEXT | T_ARRAY | T_OBJECT)) &&
		    !store_rows_null(&rows, 2)) {
			const char *t = store_rows_text(&rows, 2);

			v->len = store_rows_bytes(&rows, 2);
			v->text = copy_bytes(t ? t : "", t ? v->len : 0);
		} else if (v->type == T_INT) {
			v->i = store_rows_int(&rows, 2);
		} else if (v->type == T_REAL) {
			v->d = store_rows_double(&rows, 2);
		}
	}
	store_rows_done(&rows);
	if (rc < 0)
		return failed ? rc : store_fail(c);

	for (m = spec; m->key; m++) {
		struct val *v = &vals[m->slot];

		if ((rc = check_type(c, prefix, m->key, v->type, m->types, m->flags)))
			return rc;
		if (v->type == T_TEXT &&
		    (rc = check_text(c, prefix, m->key, v->text, v->len, m->flags,
				     m->max)))
			return rc;
		/* arrays split later are counted as they are split */
		if (v->type == T_ARRAY && m->max && !(m->flags & F_SPLIT)) {
			size_t n = count_array(c, v->text, v->len);

			if (n == (size_t)-1)
				return store_fail(c);
			if (n > m->max) {
				join_label(label, sizeof(label), prefix, m->key);
				return fail(c, ERR_LIMIT, "'%s' has more than %zu entries",
					    label, m->max);
			}
		}
		if (v->type == T_OBJECT && m->members) {
			join_label(label, sizeof(label), prefix, m->key);
			if (m->flags & F_BYPATH) {
				char sub[128];

				snprintf(sub, sizeof(sub), "%s.%s", path, m->key);
				rc = walk(c, vals, json, len, sub, m->members, label);
			} else {
				rc = walk(c, vals, v->text, v->len, "$", m->members, label);
			}
			if (rc)
				return rc;
		}
	}
	return 0;
}

/* Reads the fields of an inspect, rows (type, value) of the array that
 * json_extract made of its paths, into it->f; they are checked later, in
 * the order the report is checked. */
static int read_fields(struct ctx *c, struct store_rows *rows, struct inspect *it,
		       size_t npaths)
{
	size_t i = 0;
	int rc;

	it->f = xcalloc(npaths, sizeof(*it->f));
	while (i < npaths && (rc = store_rows_next(rows)) == 1) {
		struct val *out = &it->f[i++];

		out->type = type_bit(store_rows_text(rows, 0));
		if (out->type & (T_TEXT | T_ARRAY)) {
			const char *t = store_rows_text(rows, 1);

			out->len = t ? store_rows_bytes(rows, 1) : 0;
			out->text = copy_bytes(t ? t : "", out->len);
		} else if (out->type == T_INT) {
			/* an integer beyond 64 bits reads as the nearest
			 * one, as CAST(... AS INTEGER) makes it */
			out->i = store_rows_int(rows, 1);
		}
	}
	if (rc < 0)
		return store_fail(c);
	if (i != npaths)
		return fail(c, ERR_STORE, "an inspect: cannot read its fields");
	return 0;
}

/* The JSON type of an index node (a number reads as an integer: only
 * whether it is an array or an object matters where this is used). */
static unsigned node_type(char t)
{
	switch (t) {
	case '{': return T_OBJECT;
	case '[': return T_ARRAY;
	case '"': return T_TEXT;
	case 't': return T_TRUE;
	case 'f': return T_FALSE;
	case 'n': return T_NULL;
	default: return T_INT;
	}
}

/* Whether a member of object node obj has a backslash in its name. */
static bool escaped_names(const struct json_index *ix, const char *text,
			  uint32_t obj)
{
	uint32_t k;

	if (ix->node[obj].type != '{' || !ix->node[obj].count)
		return false;
	for (k = obj + 1; k; k = ix->node[k].next)
		if (memchr(text + ix->node[k].name, '\\', ix->node[k].name_len))
			return true;
	return false;
}

/* Checks the value of one path (read by read_fields()); prefix names
 * the inspect in messages. */
static int check_field(struct ctx *c, const struct pathspec *path,
		       const char *prefix, const struct val *v)
{
	unsigned type = v->type;
	const char *key = path->path + 1;
	int rc;

	if (type == T_NULL && (path->flags & F_REQ))
		type = 0;  /* absent and null read the same: say missing */
	if ((rc = check_type(c, prefix, key, type, path->types, path->flags)))
		return rc;
	if (type == T_TEXT)
		return check_text(c, prefix, key, v->text, v->len, path->flags,
				  path->max);
	return 0;
}

/* The type of element index of engine.containers, by path. */
static int container_type(struct ctx *c, size_t index, unsigned *type)
{
	char *t = NULL;

	if (store_query_text(c->js, &t, c->err, container_type_sql, "si", c->doc,
			     (long long)index))
		return store_fail(c);
	*type = type_bit(t);
	free(t);
	return 0;
}

/* Checks the fields of element index of an inspect array (label names
 * it), reading them first when they are still a JSON array. An element
 * of unknown type (a container read by containers_sql) whose Id is a
 * string is an object; otherwise its type is looked up before the Id is
 * judged. */
static int check_inspect(struct ctx *c, struct inspect *it, size_t index,
			 const struct pathspec *paths, size_t npaths,
			 const char *label)
{
	size_t i;
	int rc;

	if (it->type && it->type != T_OBJECT)
		return fail(c, ERR_PARSE, "'%s' is not an object", label);
	if (!it->f) {
		struct store_rows rows = STORE_ROWS_INIT;

		if (!it->fields)
			return fail(c, ERR_STORE, "'%s': cannot read its fields", label);
		if (store_query(c->js, &rows, c->err, fields_sql, "b", it->fields,
				it->fields_len))
			return store_fail(c);
		rc = read_fields(c, &rows, it, npaths);
		store_rows_done(&rows);
		if (rc)
			return rc;
	}
	if (it->type == 0) {
		if (it->f[0].type == T_TEXT)
			it->type = T_OBJECT;
		else if ((rc = container_type(c, index, &it->type)))
			return rc;
		if (it->type != T_OBJECT)
			return fail(c, ERR_PARSE, "'%s' is not an object", label);
	}
	for (i = 0; i < npaths; i++)
		if ((rc = check_field(c, &paths[i], label, &it->f[i])))
			return rc;
	return 0;
}

static int cmp_ids(const void *a, const void *b)
{
	const char *const *x = a, *const *y = b;

	return strcmp(*x, *y);
}

/* Refuses an id that appears twice among n (label names the array). */
static int check_unique(struct ctx *c, char **ids, size_t n, const char *label,
			const char *what)
{
	char **sorted;
	size_t i;
	int rc = 0;

	if (n < 2)
		return 0;
	sorted = xreallocarray(NULL, n, sizeof(*sorted));
	memcpy(sorted, ids, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_ids);
	for (i = 1; i < n; i++)
		if (!strcmp(sorted[i - 1], sorted[i])) {
			rc = fail(c, ERR_PARSE, "'%s' lists %s '%.80s' twice",
				  label, what, sorted[i]);
			break;
		}
	free(sorted);
	return rc;
}

/* Checks every inspect of one array, in order, then that no Id (the
 * first path) appears twice. */
static int check_inspects(struct ctx *c, struct inspects *it,
			  const struct pathspec *paths, size_t npaths,
			  const char *what, const char *name)
{
	char **ids = xcalloc(it->n + 1, sizeof(char *));
	char label[64];
	size_t i;
	int rc = 0;

	for (i = 0; i < it->n && !rc; i++) {
		snprintf(label, sizeof(label), "%s[%zu]", what, i);
		rc = check_inspect(c, &it->v[i], i, paths, npaths, label);
		if (!rc)
			ids[i] = it->v[i].f[0].text;
	}
	if (!rc)
		rc = check_unique(c, ids, it->n, what, name);
	free(ids);
	return rc;
}

/* UTF-8 (RFC 3629): the length of the sequence at p, 0 when invalid
 * (overlong forms, surrogates and code points above U+10FFFF included). */
static size_t utf8_seq(const unsigned char *p, size_t left)
{
	size_t n, i;
	unsigned lo = 0x80, hi = 0xbf;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (left < n)
		return 0;
	if (p[0] == 0xe0)
		lo = 0xa0;
	else if (p[0] == 0xed)
		hi = 0x9f;
	else if (p[0] == 0xf0)
		lo = 0x90;
	else if (p[0] == 0xf4)
		hi = 0x8f;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return n;
}

/* The bytes of eight at p that are not plain string content: '"', '\\',
 * a control character or a byte of a UTF-8 sequence, as the high bit of
 * each (the classic SWAR tests, see "Bit Twiddling Hacks": a byte is zero
 * / less than n). The lowest flag is always right; flags above it may not
 * be. */
static uint64_t special8(const unsigned char *p)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	uint64_t x, q, b;

	memcpy(&x, p, 8);
	q = x ^ (ones * '"');
	b = x ^ (ones * '\\');
	return (((q - ones) & ~q) | ((b - ones) & ~b) | ((x - ones * 0x20) & ~x) | x) &
	       highs;
}

/* The offset of the first byte from i on that is not plain string
 * content (see special8()), or len. */
static size_t skip_plain(const unsigned char *u, size_t i, size_t len)
{
	while (len - i >= 8) {
		uint64_t m = special8(u + i);

		if (m) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			return i + (size_t)__builtin_ctzll(m) / 8;
#else
			break;
#endif
		}
		i += 8;
	}
	while (i < len && u[i] >= 0x20 && u[i] < 0x80 && u[i] != '"' && u[i] != '\\')
		i++;
	return i;
}

/* What sqlite's JSON parser does not check, in one pass over the bytes. */
static int prescan(struct ctx *c, const char *json, size_t len)
{
	const unsigned char *u = (const unsigned char *)json;
	char stack[REPORT_MAX_DEPTH];
	bool in_string = false;
	size_t i = 0, depth = 0, n;

	if (len == 0)
		return fail(c, ERR_PARSE, "empty file");
	if (len > REPORT_MAX_BYTES)
		return fail(c, ERR_LIMIT, "larger than %zu MiB",
			    REPORT_MAX_BYTES >> 20);
	while (i < len) {
		unsigned char ch;

		if (in_string) {
			/* nearly every byte of a report: plain ASCII inside a
			 * string, eight bytes at a time */
			if ((i = skip_plain(u, i, len)) == len)
				break;
			ch = u[i];
			if (ch == '"') {
				in_string = false;
				i++;
				continue;
			}
			if (ch == '\\') {
				/* the escaped character: one ASCII byte or UTF-8
				 * sequence, checked as any other */
				if (++i == len)
					break;
				ch = u[i];
				if (ch && ch < 0x80) {
					i++;
					continue;
				}
			}
			/* a NUL or UTF-8 below; a control character is
			 * JSON1's to refuse */
			if (ch && ch < 0x80) {
				i++;
				continue;
			}
		} else {
			ch = u[i];
		}
		if (ch == 0)
			return fail(c, ERR_PARSE, "NUL byte at offset %zu", i);
		if (ch >= 0x80) {
			if (!(n = utf8_seq(u + i, len - i)))
				return fail(c, ERR_PARSE, "invalid UTF-8 at offset %zu", i);
			i += n;
			continue;
		}
		switch (ch) {
		case '"':
			in_string = true;
			break;
		case '[':
		case '{':
			if (depth == REPORT_MAX_DEPTH)
				return fail(c, ERR_LIMIT,
					    "nested deeper than %d levels at offset %zu",
					    REPORT_MAX_DEPTH, i);
			stack[depth++] = (char)ch;
			break;
		case ']':
		case '}':
			if (depth)
				depth--;
			break;
		default:
			break;
		}
		i++;
	}
	if (in_string)
		return fail(c, ERR_PARSE, "truncated: ends inside a string");
	if (depth)
		return fail(c, ERR_PARSE, "truncated: ends inside %s",
			    stack[depth - 1] == '{' ? "an object" : "an array");
	for (i = 0; i < len && strchr(" \t\r\n", json[i]) && json[i]; i++)
		;
	if (i == len || json[i] != '{')
		return fail(c, ERR_PARSE, "not a JSON object");
	return 0;
}

static bool digits(const char **p, int n, int *out)
{
	int v = 0;

	while (n--) {
		if (**p < '0' || **p > '9')
			return false;
		v = v * 10 + (**p - '0');
		(*p)++;
	}
	*out = v;
	return true;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil). */
static long long days_from_civil(int y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* RFC 3339 section 5.6 date-time: full-date "T" full-time, with "t" and
 * "z" accepted as the RFC allows; fractions of a second are dropped. */
static bool parse_rfc3339(const char *s, long long *out)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0;
	bool leap;

	if (!digits(&s, 4, &y) || *s++ != '-' || !digits(&s, 2, &mo) ||
	    *s++ != '-' || !digits(&s, 2, &d) || (*s != 'T' && *s != 't'))
		return false;
	s++;
	if (!digits(&s, 2, &h) || *s++ != ':' || !digits(&s, 2, &mi) ||
	    *s++ != ':' || !digits(&s, 2, &sec))
		return false;
	if (*s == '.') {
		s++;
		if (*s < '0' || *s > '9')
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	if (*s == 'Z' || *s == 'z') {
		s++;
	} else if (*s == '+' || *s == '-') {
		sign = *s++ == '+' ? 1 : -1;
		if (!digits(&s, 2, &oh) || *s++ != ':' || !digits(&s, 2, &om) ||
		    oh > 23 || om > 59)
			return false;
	} else {
		return false;
	}
	if (*s)
		return false;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    (mo == 2 && d == 29 && !leap) || h > 23 || mi > 59 || sec > 60)
		return false;
	if (sec == 60)
		sec = 59;  /* a leap second: the second before is close enough */
	*out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec -
	       sign * (oh * 3600 + om * 60);
	return true;
}


/* Step 1: the report without engine.containers (c->rest). json is
 * NUL-terminated (see validate()). */
static int strip_containers(struct ctx *c, const char *json)
{
	struct store_rows rows = STORE_ROWS_INIT;
	int rc;

	rc = store_query(c->js, &rows, c->err,
			 "SELECT json_remove(?1, '$.engine.containers')", "s", json);
	if (rc)
		return store_fail(c);
	rc = store_rows_next(&rows);
	if (rc == 1) {
		const char *t = store_rows_text(&rows, 0);

		c->rest_len = t ? store_rows_bytes(&rows, 0) : 0;
		c->rest = copy_bytes(t ? t : "", c->rest_len);
	}
	store_rows_done(&rows);
	if (rc < 0)
		return store_fail(c);
	if (rc == 0)
		return fail(c, ERR_STORE, "cannot read the report");
	return 0;
}

/* Step 2: the elements of engine.containers with their fields
 * (containers_sql), unless there are more than REPORT_MAX_CONTAINERS
 * (c->containers_over), and its type by path. An element's type is left
 * 0 (unknown): its fields tell an object (check_container()). */
static int split_containers(struct ctx *c, const char *json)
{
	struct store_rows rows = STORE_ROWS_INIT;
	struct inspects *out = &c->containers;
	int rc;

	rc = store_query(c->js, &rows, c->err, containers_sql, "si", json,
			 (long long)REPORT_MAX_CONTAINERS);
	if (rc)
		return store_fail(c);
	while ((rc = store_rows_next(&rows)) == 1) {
		struct inspect *it;
		const char *t, *f;

		if (store_rows_int(&rows, 0) < 0) {
			c->containers_type = type_bit(store_rows_text(&rows, 1));
			c->containers_over = c->containers_type == T_ARRAY &&
				store_rows_int(&rows, 2) > REPORT_MAX_CONTAINERS;
			continue;
		}
		XGROW(out->v, out->alloc, out->n + 1);
		it = &out->v[out->n++];
		memset(it, 0, sizeof(*it));
		t = store_rows_text(&rows, 2);
		it->len = t ? store_rows_bytes(&rows, 2) : 0;
		it->text = copy_bytes(t ? t : "", it->len);
		f = store_rows_text(&rows, 3);
		it->fields_len = f ? store_rows_bytes(&rows, 3) : 0;
		it->fields = f ? copy_bytes(f, it->fields_len) : NULL;
	}
	store_rows_done(&rows);
	if (rc < 0)
		return store_fail(c);
	return 0;
}

/* The elements of engine.images (json, the array rendered by the walk)
 * with their fields, at most REPORT_MAX_IMAGES (c->images_over when there
 * are more: reported after the containers are checked). */
static int split_images(struct ctx *c, const char *json, size_t len)
{
	struct store_rows rows = STORE_ROWS_INIT;
	struct inspects *out = &c->images;
	int rc;

	rc = store_query(c->js, &rows, c->err, images_sql, "b", json, len);
	if (rc)
		return store_fail(c);
	while ((rc = store_rows_next(&rows)) == 1) {
		struct inspect *it;
		const char *t, *f;

		if (out->n >= REPORT_MAX_IMAGES) {
			c->images_over = true;
			rc = 0;
			break;
		}
		XGROW(out->v, out->alloc, out->n + 1);
		it = &out->v[out->n++];
		memset(it, 0, sizeof(*it));
		it->type = type_bit(store_rows_text(&rows, 0));
		t = store_rows_text(&rows, 1);
		it->len = t ? store_rows_bytes(&rows, 1) : 0;
		it->text = copy_bytes(t ? t : "", it->len);
		f = store_rows_text(&rows, 2);
		it->fields_len = f ? store_rows_bytes(&rows, 2) : 0;
		it->fields = f ? copy_bytes(f, it->fields_len) : NULL;
	}
	store_rows_done(&rows);
	if (rc < 0)
		return store_fail(c);
	return 0;
}

/* One element of engine.containers, bound on its own (?1): its fields,
 * one row per path. */
static const char container_fields_sql[] =
	"SELECT type, value FROM json_each(json_extract(?1" CONTAINER_PATHS(PATH_ARG) "))";
/* Its text as JSON1 renders it (as json_each and json_extract on the
 * whole report render it), when that is not its own bytes. */
static const char container_text_sql[] = "SELECT json_extract(?1, '$')";

/* Whether the value at node k is written as JSON1 renders it: no space
 * outside its strings (every string, number and name is rendered as it is
 * written). Its nodes are those that start before it ends. */
static bool compact(const struct json_index *ix, uint32_t k)
{
	uint32_t end = ix->node[k].end, i, m;

	for (i = k; i < ix->n && ix->node[i].start < end; i++) {
		const struct json_node *x = &ix->node[i];
		size_t want = 2;

		if (x->type != '{' && x->type != '[')
			continue;
		if (x->count)
			want += x->count - 1;
		for (m = x->count ? i + 1 : 0; m; m = ix->node[m].next) {
			want += ix->node[m].end - ix->node[m].start;
			if (x->type == '{')
				want += ix->node[m].name_len + 3;
		}
		if (want != x->end - x->start)
			return false;
	}
	return true;
}

/* Steps 1 and 2 without a parse of the whole report, for the reports
 * jsoncheck_index() takes (strict RFC 8259, no repeated name, as every
 * report Slipway writes is): c->rest is the report with the value of
 * engine.containers replaced by an empty one of the same JSON type (so
 * that the walk sees the member where it is), and each element is parsed
 * on its own, its bytes located by the index. JSON1 still reads every
 * value: the index only says where the elements are. Returns 1 when the
 * report is not one of those (or names a member of the top level or of
 * engine with an escape, which the walk would decode and the index does
 * not): the caller then reads it with JSON1 alone (strip_containers(),
 * split_containers()), which finds the same things, and the same
 * problems, in every report. */
#define REPORT_INDEX_MAX_BYTES ((size_t)8 << 20)

static int index_report(struct ctx *c, const char *json, size_t len)
{
	struct json_index *ix = c->ix;
	const struct json_node *k;
	uint32_t e, ci, el;
	char why[128];
	const char *empty;
	size_t n;

	/* The index costs some 28 bytes a JSON value, up to 14 times the
	 * text for hostile input ("[0,0,...]"): only reports of a size
	 * real hosts write (a few hundred KB for 50 containers) take this
	 * path; larger ones go through JSON1, which fails cleanly when
	 * memory runs out. */
	if (!ix || len > REPORT_INDEX_MAX_BYTES ||
	    jsoncheck_index(ix, json, len, why, sizeof(why)) ||
	    escaped_names(ix, json, 0))
		return 1;
	e = json_index_member(ix, json, 0, "engine");
	if (e && escaped_names(ix, json, e))
		return 1;
	ci = e ? json_index_member(ix, json, e, "containers") : 0;
	if (!ci) {
		c->rest = copy_bytes(json, len);
		c->rest_len = len;
		return 0;
	}
	k = &ix->node[ci];
	c->containers_type = node_type(k->type);
	switch (k->type) {
	case '{': empty = "{}"; break;
	case '[': empty = "[]"; break;
	case '"': empty = "\"\""; break;
	case 't': empty = "true"; break;
	case 'f': empty = "false"; break;
	case 'n': empty = "null"; break;
	default: empty = "0"; break;
	}
	n = strlen(empty);
	c->rest_len = k->start + n + (len - k->end);
	c->rest = xmalloc(c->rest_len + 1);
	memcpy(c->rest, json, k->start);
	memcpy(c->rest + k->start, empty, n);
	memcpy(c->rest + k->start + n, json + k->end, len - k->end);
	c->rest[c->rest_len] = '\0';
	if (k->type != '[' || !k->count)
		return 0;
	if (k->count > REPORT_MAX_CONTAINERS) {
		c->containers_over = true;
		return 0;
	}
	XGROW(c->containers.v, c->containers.alloc, k->count);
	for (el = ci + 1; el; el = ix->node[el].next) {
		const struct json_node *x = &ix->node[el];
		struct inspect *it = &c->containers.v[c->containers.n++];
		struct store_rows rows = STORE_ROWS_INIT;
		const char *t = json + x->start;
		size_t tlen = x->end - x->start;
		int rc;

		memset(it, 0, sizeof(*it));
		it->type = node_type(x->type);
		if (it->type != T_OBJECT)
			continue;
		if (store_query(c->js, &rows, c->err, container_fields_sql, "b", t,
				tlen))
			return store_fail(c);
		rc = read_fields(c, &rows, it, C_COUNT);
		store_rows_done(&rows);
		if (rc)
			return rc;
		if (compact(ix, el)) {
			it->text = copy_bytes(t, tlen);
			it->len = tlen;
		} else if (store_query_text(c->js, &it->text, c->err, container_text_sql,
					    "b", t, tlen) || !it->text) {
			return store_fail(c);
		} else {
			it->len = strlen(it->text);
		}
	}
	return 0;
}

/* Everything about the report that can be wrong, before any write; json
 * has a NUL byte at json[len] (prescan() refuses one before it, so that
 * JSON1 reads it in place). Runs its queries on c->js only. */
static int validate(struct ctx *c, const char *json, size_t len)
{
	struct val *v = c->v;
	char label[64];
	size_t i;
	int rc;

	if ((rc = prescan(c, json, len)))
		return rc;
	if ((rc = index_report(c, json, len)) == 1) {
		/* sqlite 3.40 accepts a container as an object's name and
		 * then crashes reading it (src/jsoncheck.h): refuse it
		 * before it binds */
		if (!jsoncheck_keys(json, len))
			return fail(c, ERR_PARSE, "not valid JSON");
		/* The first query is the first parse: when it fails, say
		 * why. */
		if ((rc = strip_containers(c, json))) {
			long long ok = 1;

			if (rc != ERR_STORE ||
			    store_query_int(c->js, &ok, c->err, "SELECT json_valid(?)",
					    "b", json, len) || ok)
				return rc;
			return fail(c, ERR_PARSE, "not valid JSON");
		}
		if ((rc = split_containers(c, json)))
			return rc;
		/* engine.containers is out of c->rest: the walk takes it
		 * as seen, so that a second one there appears twice */
		v[S_E_CONTAINERS].type = c->containers_type;
	} else if (rc) {
		return rc;
	}
	if ((rc = walk(c, v, c->rest, c->rest_len, "$", report_spec, "")))
		return rc;
	if (strcmp(v[S_SCHEMA].text, REPORT_SCHEMA))
		return fail(c, ERR_PARSE, "'schema' is '%.64s', expected '%s'",
			    v[S_SCHEMA].text, REPORT_SCHEMA);
	if (!parse_rfc3339(v[S_COLLECTED].text, &c->collected_at))
		return fail(c, ERR_PARSE, "'collected_at' is not an RFC 3339 time: '%.64s'",
			    v[S_COLLECTED].text);
	c->uptime = -1;
	if (v[S_UPTIME].type & T_NUM) {
		double u = v[S_UPTIME].type == T_INT ? (double)v[S_UPTIME].i
						      : v[S_UPTIME].d;

		/* a century: anything larger is not an uptime */
		if (!(u >= 0 && u < 3.2e9))
			return fail(c, ERR_PARSE, "'host.uptime_seconds' is out of range");
		c->uptime = (long long)u;
	}
	if (v[S_E_KIND].type == T_TEXT && strcmp(v[S_E_KIND].text, "docker") &&
	    strcmp(v[S_E_KIND].text, "podman"))
		return fail(c, ERR_PARSE, "'engine.kind' is '%.32s', expected 'docker' or 'podman'",
			    v[S_E_KIND].text);

	/* livepatch.fixed_cves: strings */
	if (v[S_LP_FIXED].type == T_ARRAY) {
		struct items cves = { 0 };

		rc = split_array(c, &cves, v[S_LP_FIXED].text, v[S_LP_FIXED].len,
				 "$", 100000, "kernel.livepatch.fixed_cves", NULL);
		for (i = 0; !rc && i < cves.n; i++) {
			snprintf(label, sizeof(label), "kernel.livepatch.fixed_cves[%zu]", i);
			rc = check_type(c, label, "", cves.v[i].type, T_TEXT, F_REQ);
			if (!rc)
				rc = check_text(c, label, "", cves.v[i].text,
						cves.v[i].len, F_NONEMPTY, 64);
		}
		items_release(&cves);
		if (rc)
			return rc;
	}

	/* kernel.installed[] */
	if (v[S_K_INSTALLED].type == T_ARRAY) {
		if ((rc = split_array(c, &c->installed, v[S_K_INSTALLED].text,
				      v[S_K_INSTALLED].len, "$", REPORT_MAX_KERNELS,
				      "kernel.installed", NULL)))
			return rc;
		for (i = 0; i < c->installed.n; i++) {
			struct val kv[K_COUNT] = { { 0 } };

			snprintf(label, sizeof(label), "kernel.installed[%zu]", i);
			rc = check_type(c, label, "", c->installed.v[i].type, T_OBJECT,
					F_REQ);
			if (!rc)
				rc = walk(c, kv, c->installed.v[i].text,
					  c->installed.v[i].len, "$", installed_spec, label);
			val_release(kv, K_COUNT);
			if (rc)
				return rc;
		}
	}

	/* packages[] */
	if (v[S_PACKAGES].type == T_ARRAY) {
		char **names;

		if ((rc = split_array(c, &c->packages, v[S_PACKAGES].text,
				      v[S_PACKAGES].len, "$", REPORT_MAX_PACKAGES,
				      "packages", NULL)))
			return rc;
		/* the values are kept for the writer */
		names = xcalloc(c->packages.n + 1, sizeof(*names));
		c->package_vals = xcalloc(c->packages.n + 1, P_COUNT * sizeof(struct val));
		for (i = 0; i < c->packages.n && !rc; i++) {
			struct val *pv = c->package_vals + i * P_COUNT;

			snprintf(label, sizeof(label), "packages[%zu]", i);
			rc = check_type(c, label, "", c->packages.v[i].type, T_OBJECT,
					F_REQ);
			if (!rc)
				rc = walk(c, pv, c->packages.v[i].text,
					  c->packages.v[i].len, "$", package_spec, label);
			if (!rc)
				names[i] = pv[P_NAME].text;
		}
		if (!rc)
			rc = check_unique(c, names, c->packages.n, "packages", "package");
		free(names);
		if (rc)
			return rc;
	}

	/* engine.containers[] (split above) and engine.images[], each
	 * element in order */
	if (v[S_E_CONTAINERS].type == T_ARRAY && c->containers_over)
		return fail(c, ERR_LIMIT, "'engine.containers' has more than %zu entries",
			    (size_t)REPORT_MAX_CONTAINERS);
	if (v[S_E_CONTAINERS].type != T_ARRAY)
		inspects_release(&c->containers, C_COUNT);
	if (v[S_E_IMAGES].type == T_ARRAY) {
		if ((rc = split_images(c, v[S_E_IMAGES].text, v[S_E_IMAGES].len)))
			return rc;
		free(v[S_E_IMAGES].text);
		v[S_E_IMAGES].text = NULL;
	}
	c->doc = json;
	rc = check_inspects(c, &c->containers, container_paths, C_COUNT,
			    "engine.containers", "container");
	c->doc = NULL;
	if (rc)
		return rc;
	if (c->images_over)
		return fail(c, ERR_LIMIT, "'engine.images' has more than %zu entries",
			    (size_t)REPORT_MAX_IMAGES);
	return check_inspects(c, &c->images, image_paths, I_COUNT,
			      "engine.images", "image");
}

static const char *text_or_null(const struct val *v)
{
	return v->type == T_TEXT || v->type == T_ARRAY || v->type == T_OBJECT
	       ? v->text : NULL;
}

static long long tristate(const struct val *v)
{
	return v->type == T_TRUE ? 1 : v->type == T_FALSE ? 0 : -1;
}

/* A full report: every host fact is the report's. */
static const char upsert_full_sql[] =
	"INSERT INTO host(name, source, machine_id, boot_id, os_id,"
	" os_version_id, os_codename, os_pretty, kernel_release, kernel_version,"
	" kernel_package, kernel_package_source, kernel_package_version,"
	" installed_kernels, reboot_required, livepatch, engine_kind,"
	" engine_enabled, engine_version_json, engine_info_json,"
	" engine_swarm_json, engine_pods_json, collected_at, boot_time,"
	" last_inventory, last_error)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
	" coalesce(?14, '[]'), nullif(?15, -1), ?16, ?17, nullif(?18, -1),"
	" ?19, ?20, ?21, ?22, ?23, nullif(?24, -1), ?25, NULL)"
	" ON CONFLICT(name) DO UPDATE SET"
	" source = excluded.source,"
	" machine_id = coalesce(excluded.machine_id, host.machine_id),"
	" boot_id = excluded.boot_id,"
	" os_id = excluded.os_id,"
	" os_version_id = excluded.os_version_id,"
	" os_codename = excluded.os_codename,"
	" os_pretty = excluded.os_pretty,"
	" kernel_release = excluded.kernel_release,"
	" kernel_version = excluded.kernel_version,"
	" kernel_package = excluded.kernel_package,"
	" kernel_package_source = excluded.kernel_package_source,"
	" kernel_package_version = excluded.kernel_package_version,"
	" installed_kernels = excluded.installed_kernels,"
	" reboot_required = excluded.reboot_required,"
	" livepatch = excluded.livepatch,"
	" engine_kind = excluded.engine_kind,"
	" engine_enabled = excluded.engine_enabled,"
	" engine_version_json = excluded.engine_version_json,"
	" engine_info_json = excluded.engine_info_json,"
	" engine_swarm_json = excluded.engine_swarm_json,"
	" engine_pods_json = excluded.engine_pods_json,"
	" collected_at = excluded.collected_at,"
	" boot_time = excluded.boot_time,"
	" last_inventory = excluded.last_inventory,"
	" last_error = NULL";

/* An engine-only report: the host facts of the last full report stay;
 * those tied to the running kernel stay only while it is the same one
 * (?9 NULL: the engine did not say). */
#define SAME_KERNEL "(excluded.kernel_release IS NULL OR excluded.kernel_release IS host.kernel_release)"
#define INSTALLED_PKG(field)                                                  \
	"(SELECT json_extract(value, '$.package." field "')"                  \
	" FROM json_each(host.installed_kernels)"                             \
	" WHERE json_extract(value, '$.release') = excluded.kernel_release LIMIT 1)"
static const char upsert_engine_sql[] =
	"INSERT INTO host(name, source, machine_id, boot_id, os_pretty,"
	" kernel_release, engine_kind, engine_enabled, engine_version_json,"
	" engine_info_json, engine_swarm_json, engine_pods_json, collected_at,"
	" boot_time, last_inventory, last_error)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, nullif(?8, -1), ?9, ?10, ?11, ?12,"
	" ?13, nullif(?14, -1), ?15, NULL)"
	" ON CONFLICT(name) DO UPDATE SET"
	" source = excluded.source,"
	" machine_id = coalesce(excluded.machine_id, host.machine_id),"
	" boot_id = coalesce(excluded.boot_id, host.boot_id),"
	" os_pretty = coalesce(excluded.os_pretty, host.os_pretty),"
	" kernel_version = CASE WHEN " SAME_KERNEL " THEN host.kernel_version END,"
	" kernel_package = CASE WHEN " SAME_KERNEL " THEN host.kernel_package"
	"  ELSE " INSTALLED_PKG("name") " END,"
	" kernel_package_source = CASE WHEN " SAME_KERNEL " THEN host.kernel_package_source"
	"  ELSE " INSTALLED_PKG("source") " END,"
	" kernel_package_version = CASE WHEN " SAME_KERNEL " THEN host.kernel_package_version"
	"  ELSE " INSTALLED_PKG("version") " END,"
	" reboot_required = CASE WHEN " SAME_KERNEL " THEN host.reboot_required END,"
	" livepatch = CASE WHEN " SAME_KERNEL " THEN host.livepatch END,"
	" kernel_release = coalesce(excluded.kernel_release, host.kernel_release),"
	" engine_kind = excluded.engine_kind,"
	" engine_enabled = coalesce(excluded.engine_enabled, host.engine_enabled),"
	" engine_version_json = excluded.engine_version_json,"
	" engine_info_json = excluded.engine_info_json,"
	" engine_swarm_json = excluded.engine_swarm_json,"
	" engine_pods_json = excluded.engine_pods_json,"
	" collected_at = excluded.collected_at,"
	" boot_time = coalesce(excluded.boot_time, host.boot_time),"
	" last_inventory = excluded.last_inventory,"
	" last_error = NULL";

static int write_host(struct ctx *c, unsigned flags, const char *name,
		      long long *hid)
{
	struct val *v = c->v;
	const char *release = text_or_null(&v[S_K_RELEASE]);
	const char *pretty = text_or_null(&v[S_OS_PRETTY]);
	long long boot_time = c->uptime >= 0 && c->collected_at >= c->uptime
			      ? c->collected_at - c->uptime : -1;
	long long now = (long long)time(NULL);
	int rc;

	if (!release)
		release = text_or_null(&v[S_I_KERNEL]);
	if (!pretty)
		pretty = text_or_null(&v[S_I_OS]);
	if (flags & REPORT_ENGINE_ONLY)
		rc = store_exec(c->s, c->err, upsert_engine_sql, "sssssssissssiii",
				name, c->source, text_or_null(&v[S_MACHINE_ID]),
				text_or_null(&v[S_BOOT_ID]), pretty, release,
				text_or_null(&v[S_E_KIND]), tristate(&v[S_E_ENABLED]),
				text_or_null(&v[S_E_VERSION]),
				text_or_null(&v[S_E_INFO]),
				text_or_null(&v[S_E_SWARM]),
				text_or_null(&v[S_E_PODS]), c->collected_at,
				boot_time, now);
	else
		rc = store_exec(c->s, c->err, upsert_full_sql,
				"ssssssssssssssississssiii",
				name, c->source, text_or_null(&v[S_MACHINE_ID]),
				text_or_null(&v[S_BOOT_ID]), text_or_null(&v[S_OS_ID]),
				text_or_null(&v[S_OS_VERSION_ID]),
				text_or_null(&v[S_OS_CODENAME]), pretty, release,
				text_or_null(&v[S_K_VERSION]),
				text_or_null(&v[S_KP_NAME]),
				text_or_null(&v[S_KP_SOURCE]),
				text_or_null(&v[S_KP_VERSION]),
				text_or_null(&v[S_K_INSTALLED]),
				tristate(&v[S_K_REBOOT]),
				text_or_null(&v[S_K_LIVEPATCH]),
				text_or_null(&v[S_E_KIND]), tristate(&v[S_E_ENABLED]),
				text_or_null(&v[S_E_VERSION]),
				text_or_null(&v[S_E_INFO]),
				text_or_null(&v[S_E_SWARM]),
				text_or_null(&v[S_E_PODS]), c->collected_at,
				boot_time, now);
	if (rc < 0)
		return rc;
	return store_query_int(c->s, hid, c->err,
			       "SELECT hid FROM host WHERE name = ?", "s", name);
}

static int write_snapshot(struct ctx *c, long long hid)
{
	int rc = store_exec(c->s, c->err,
		"INSERT INTO host_snapshot(hid, taken_at, boot_id, uptime)"
		" VALUES (?, ?, ?, nullif(?, -1))"
		" ON CONFLICT(hid, taken_at) DO UPDATE SET"
		" boot_id = coalesce(excluded.boot_id, boot_id),"
		" uptime = coalesce(excluded.uptime, uptime)",
		"iisi", hid, c->collected_at, text_or_null(&c->v[S_BOOT_ID]),
		c->uptime);

	return rc < 0 ? rc : 0;
}

static int write_packages(struct ctx *c, long long hid)
{
	size_t i;

	if (store_exec(c->s, c->err, "DELETE FROM package WHERE hid = ?", "i", hid) < 0)
		return c->err->code;
	if (c->v[S_PACKAGES].type != T_ARRAY)
		return 0;
	for (i = 0; i < c->packages.n; i++) {
		const struct val *pv = c->package_vals + i * P_COUNT;

		if (store_exec(c->s, c->err,
			       "INSERT INTO package(hid, name, source, version, source_version)"
			       " VALUES (?, ?, ?, ?, ?)", "issss", hid,
			       text_or_null(&pv[P_NAME]), text_or_null(&pv[P_SOURCE]),
			       text_or_null(&pv[P_VERSION]),
			       text_or_null(&pv[P_SOURCE_VERSION])) < 0)
			return c->err->code;
	}
	return 0;
}

/* A container's columns from its checked fields, as the columns of schema
 * version 3 computed them from the inspect (store_schema.h). */
static const char container_insert_sql[] =
	"INSERT INTO container(hid, id, inspect, name, image, image_id, state,"
	" restart_policy, max_retries, auto_remove, privileged, host_pid,"
	" host_network, seccomp_unconfined, cap_add, memory_limit, health,"
	" started_at, created, stop_timeout, compose_project, compose_service,"
	" swarm_service, systemd_unit)"
	" VALUES (?1, ?2, ?3, ltrim(?4, '/'), ?5, ?6, ?7, coalesce(?8, ''), ?9, ?10,"
	" ?11, coalesce(?12 = 'host', 0), coalesce(?13 = 'host', 0),"
	" coalesce(instr(?14, '\"seccomp=unconfined\"') > 0"
	"  OR instr(?14, '\"seccomp:unconfined\"') > 0, 0),"
	" coalesce(?15, '[]'), ?16, nullif(?17, ''), ?18, ?19,"
	" CASE WHEN ?20 THEN ?21 END, ?22, ?23, ?24, ?25)";

/* An integer field, 0 when null or absent; booleans read as 1 and 0. */
static long long int_or_zero(const struct val *v)
{
	return v->type == T_INT ? v->i : v->type == T_TRUE;
}

static int write_containers(struct ctx *c, long long hid)
{
	size_t i;

	if (store_exec(c->s, c->err, "DELETE FROM container WHERE hid = ?", "i", hid) < 0)
		return c->err->code;
	for (i = 0; i < c->containers.n; i++) {
		const struct inspect *it = &c->containers.v[i];
		const struct val *f = it->f;

		if (store_exec(c->s, c->err, container_insert_sql,
			       "isbsssssiiissssisssiissss", hid, f[C_ID].text,
			       it->text, it->len, text_or_null(&f[C_NAME]),
			       text_or_null(&f[C_IMAGE]), text_or_null(&f[C_IMAGE_ID]),
			       text_or_null(&f[C_STATE]),
			       text_or_null(&f[C_RESTART_POLICY]),
			       int_or_zero(&f[C_MAX_RETRIES]),
			       int_or_zero(&f[C_AUTO_REMOVE]),
			       int_or_zero(&f[C_PRIVILEGED]),
			       text_or_null(&f[C_PID_MODE]),
			       text_or_null(&f[C_NETWORK_MODE]),
			       text_or_null(&f[C_SECURITY_OPT]),
			       text_or_null(&f[C_CAP_ADD]),
			       int_or_zero(&f[C_MEMORY]),
			       text_or_null(&f[C_HEALTH]),
			       text_or_null(&f[C_STARTED_AT]),
			       text_or_null(&f[C_CREATED]),
			       (long long)(f[C_STOP_TIMEOUT].type == T_INT),
			       f[C_STOP_TIMEOUT].i,
			       text_or_null(&f[C_COMPOSE_PROJECT]),
			       text_or_null(&f[C_COMPOSE_SERVICE]),
			       text_or_null(&f[C_SWARM_SERVICE]),
			       text_or_null(&f[C_SYSTEMD_UNIT])) < 0)
			return c->err->code;
	}
	return 0;
}

static int write_images(struct ctx *c, long long hid)
{
	size_t i;

	if (store_exec(c->s, c->err, "DELETE FROM image WHERE hid = ?", "i", hid) < 0)
		return c->err->code;
	for (i = 0; i < c->images.n; i++) {
		const struct inspect *it = &c->images.v[i];
		const struct val *f = it->f;

		if (store_exec(c->s, c->err,
			       "INSERT INTO image(hid, id, inspect, repo_tags, created)"
			       " VALUES (?, ?, ?, coalesce(?, '[]'), ?)", "isbss", hid,
			       f[I_ID].text, it->text, it->len,
			       text_or_null(&f[I_REPO_TAGS]),
			       text_or_null(&f[I_CREATED])) < 0)
			return c->err->code;
	}
	return 0;
}

static int write_report(struct ctx *c, unsigned flags, const char *name,
			long long *hid)
{
	long long have = 0;
	int rc;

	/* A report older than what the host shows adds its snapshot only. */
	rc = store_query_int(c->s, &have, c->err,
			     "SELECT hid FROM host WHERE name = ? AND collected_at > ?",
			     "si", name, c->collected_at);
	if (rc == 0)
		return write_snapshot(c, *hid = have);
	if (rc != ERR_NOTFOUND)
		return rc;
	if ((rc = write_host(c, flags, name, hid)) || (rc = write_snapshot(c, *hid)))
		return rc;
	if (!(flags & REPORT_ENGINE_ONLY) && (rc = write_packages(c, *hid)))
		return rc;
	if ((rc = write_containers(c, *hid)))
		return rc;
	return write_images(c, *hid);
}

/* After a failed write (rolled back): err then names the report. */
static int write_failed(struct ctx *c, int rc)
{
	if (!c->prefixed)
		store_fail(c);
	return rc;
}

static void ctx_init(struct ctx *c, struct store *s, struct store *js,
		     const char *source, struct err *err)
{
	memset(c, 0, sizeof(*c));
	c->s = s;
	c->js = js;
	c->err = err;
	c->source = source;
}

static void ctx_release(struct ctx *c)
{
	val_release(c->v, S_COUNT);
	free(c->rest);
	c->rest = NULL;
	inspects_release(&c->containers, C_COUNT);
	inspects_release(&c->images, I_COUNT);
	if (c->package_vals) {
		val_release(c->package_vals, c->packages.n * P_COUNT);
		free(c->package_vals);
		c->package_vals = NULL;
	}
	items_release(&c->packages);
	items_release(&c->installed);
}

int report_import(struct store *s, const char *source, const char *json,
		  size_t len, unsigned flags, const char *name,
		  long long *hid, struct err *err)
{
	struct ctx c;
	struct json_index ix = JSON_INDEX_INIT;
	char *doc = NULL;
	long long id = 0;
	int rc;

	if (store_in_transaction(s))
		return err_set(err, ERR_FAIL, "%s: report_import inside a transaction",
			       source);
	ctx_init(&c, s, s, source, err);
	c.ix = &ix;
	/* validate() reads the report in place when it ends with a NUL */
	if (len <= REPORT_MAX_BYTES)
		json = doc = copy_bytes(json, len);
	rc = validate(&c, json, len);
	if (rc)
		goto out;
	if (!name)
		name = c.v[S_HOST_NAME].text;
	if ((rc = store_begin(s, err))) {
		store_fail(&c);
		goto out;
	}
	if ((rc = write_report(&c, flags, name, &id))) {
		store_rollback(s);
		rc = write_failed(&c, rc);
		goto out;
	}
	if ((rc = store_commit(s, err))) {
		store_fail(&c);
		goto out;
	}
	if (hid)
		*hid = id;
out:
	ctx_release(&c);
	json_index_release(&ix);
	free(doc);
	return rc;
}

/* Reads a report file, at most REPORT_MAX_BYTES, into *buf (grown as
 * needed, *cap its size); *len receives its length. */
static int read_report(const char *path, char **buf, size_t *cap, size_t *len,
		       struct err *err)
{
	struct stat st;
	size_t size;
	int fd, rc = 0;

	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(err, ERR_IO, "cannot open '%s': %s", path, strerror(errno));
	if (fstat(fd, &st)) {
		rc = err_set(err, ERR_IO, "cannot read '%s': %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = err_set(err, ERR_IO, "cannot read '%s': not a regular file", path);
		goto out;
	}
	if ((unsigned long long)st.st_size > REPORT_MAX_BYTES) {
		rc = err_set(err, ERR_LIMIT, "%s: larger than %zu MiB", path,
			     REPORT_MAX_BYTES >> 20);
		goto out;
	}
	size = (size_t)st.st_size;
	if (*cap < size + 1) {
		free(*buf);
		*cap = size + 1;
		*buf = xmalloc(*cap);
	}
	while (*len < size) {
		ssize_t n = read(fd, *buf + *len, size - *len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = err_set(err, ERR_IO, "cannot read '%s': %s", path,
				     strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		*len += (size_t)n;
	}
	(*buf)[*len] = '\0';
out:
	close(fd);
	return rc;
}

int report_import_file(struct store *s, const char *path, unsigned flags,
		       long long *hid, struct err *err)
{
	char *data = NULL;
	size_t cap = 0, len = 0;
	int rc;

	rc = read_report(path, &data, &cap, &len, err);
	if (!rc)
		rc = report_import(s, path, data, len, flags, NULL, hid, err);
	free(data);
	return rc;
}

/* ------------------------------------------------------------ many files */

/* Reports per batch transaction, and input bytes per batch; the page
 * cache (KiB) holds a batch's pages, so that sqlite does not spill them
 * to the WAL and write them again before the commit (with its default
 * 2 MiB cache an import wrote every page about twice). */
#define BATCH_REPORTS 256
#define BATCH_BYTES ((size_t)16 << 20)
#define BATCH_CACHE_SQL "PRAGMA cache_size = -65536"
/* sqlite's default cache_size, which the store keeps */
#define DEFAULT_CACHE_SIZE (-2000)
/* Each report's savepoint journals the pages the batch had already
 * changed; past 64 KiB sqlite spills that journal to a temporary file,
 * which doubled the writes of an import: keep it in memory (it holds
 * one report's pages). */
#define BATCH_TEMP_SQL "PRAGMA temp_store = MEMORY"
#define DEFAULT_TEMP_STORE 0
/* Reports validated ahead of the writer, and their input bytes. */
#define AHEAD_REPORTS 16
#define AHEAD_BYTES ((size_t)64 << 20)
#define MAX_WORKERS 3

/* One file on its way: read and validated by a worker (or inline). */
struct job {
	bool ready;
	int rc;                 /* of reading and validating */
	size_t bytes;
	struct err err;
	struct ctx c;
};

struct importer {
	struct store *s;
	char *const *paths;
	size_t n;
	unsigned flags;
	report_file_fn fn;
	void *arg;

	pthread_mutex_t mu;
	pthread_cond_t ready;   /* a job became ready */
	pthread_cond_t room;    /* the writer freed a job */
	struct job ring[AHEAD_REPORTS];
	size_t next_claim;      /* the next file a worker takes */
	size_t next_write;      /* the next file the writer takes */
	size_t ahead_bytes;     /* of files claimed and not yet written */
	size_t workers;         /* worker threads still taking files */
	bool stop;

	/* the batch being written: its outcomes, told after the commit */
	struct report_file_result *done;
	struct err *done_err;
	size_t ndone;
	size_t batch_bytes;
	size_t failed;
};

/* Reads and validates file i into job (js runs the JSON queries). */
static void job_run(struct importer *im, struct job *job, size_t i,
		    struct store *js, struct json_index *ix, char **buf,
		    size_t *cap)
{
	const char *path = im->paths[i];
	size_t len = 0;

	err_clear(&job->err);
	ctx_init(&job->c, NULL, js, path, &job->err);
	job->c.ix = ix;
	job->rc = read_report(path, buf, cap, &len, &job->err);
	job->bytes = len;
	if (!job->rc)
		job->rc = validate(&job->c, *buf, len);
	job->c.js = NULL;
	job->c.ix = NULL;
}

static void *worker_main(void *arg)
{
	struct importer *im = arg;
	struct store *js = NULL;
	struct json_index ix = JSON_INDEX_INIT;
	char *buf = NULL;
	size_t cap = 0;
	struct err e;

	err_clear(&e);
	/* without a store of its own the worker takes nothing: the writer
	 * validates what no worker does */
	if (store_open_scratch(&js, &e)) {
		pthread_mutex_lock(&im->mu);
		im->workers--;
		pthread_cond_broadcast(&im->ready);
		pthread_mutex_unlock(&im->mu);
		return NULL;
	}
	pthread_mutex_lock(&im->mu);
	for (;;) {
		struct job *job;
		size_t i;

		while (!im->stop && im->next_claim < im->n &&
		       (im->next_claim - im->next_write >= AHEAD_REPORTS ||
			(im->ahead_bytes >= AHEAD_BYTES &&
			 im->next_claim != im->next_write)))
			pthread_cond_wait(&im->room, &im->mu);
		if (im->stop || im->next_claim >= im->n)
			break;
		i = im->next_claim++;
		job = &im->ring[i % AHEAD_REPORTS];
		pthread_mutex_unlock(&im->mu);
		job_run(im, job, i, js, &ix, &buf, &cap);
		pthread_mutex_lock(&im->mu);
		im->ahead_bytes += job->bytes;
		job->ready = true;
		/* only the writer waits for a job */
		pthread_cond_signal(&im->ready);
	}
	pthread_mutex_unlock(&im->mu);
	free(buf);
	json_index_release(&ix);
	store_close(js);
	return NULL;
}

/* Tells the outcomes of the batch, in order. */
static void flush_done(struct importer *im)
{
	for (size_t i = 0; i < im->ndone; i++) {
		struct report_file_result *r = &im->done[i];

		if (r->rc) {
			r->error = im->done_err[i].msg;
			im->failed++;
		}
		if (im->fn)
			im->fn(im->arg, r);
	}
	im->ndone = 0;
	im->batch_bytes = 0;
}

/* Ends the batch: commits, then tells every outcome; when the commit
 * fails, every report of the batch failed with it. */
static void end_batch(struct importer *im)
{
	struct err e;

	err_clear(&e);
	if (store_in_transaction(im->s) && store_commit(im->s, &e)) {
		for (size_t i = 0; i < im->ndone; i++)
			if (!im->done[i].rc) {
				im->done[i].rc = e.code;
				im->done[i].hid = 0;
				im->done_err[i] = e;
				err_prefix(&im->done_err[i], "%s", im->done[i].path);
			}
	}
	flush_done(im);
}

/* Writes one validated file inside the batch, in a savepoint of its own. */
static void write_job(struct importer *im, struct job *job, size_t i)
{
	struct report_file_result *r = &im->done[im->ndone];
	struct err *err = &im->done_err[im->ndone];
	struct ctx *c = &job->c;
	long long id = 0;
	int rc = job->rc;

	im->ndone++;
	memset(r, 0, sizeof(*r));
	r->path = im->paths[i];
	*err = job->err;
	if (rc)
		goto out;
	c->s = im->s;
	c->err = err;
	c->prefixed = false;
	if (!store_in_transaction(im->s) && (rc = store_begin(im->s, err))) {
		store_fail(c);
		goto out;
	}
	if (store_exec(im->s, err, "SAVEPOINT report", NULL) < 0) {
		rc = store_fail(c);
		goto out;
	}
	rc = write_report(c, im->flags, c->v[S_HOST_NAME].text, &id);
	if (rc) {
		struct err e;

		err_clear(&e);
		if (store_exec(im->s, &e, "ROLLBACK TO report", NULL) < 0 ||
		    store_exec(im->s, &e, "RELEASE report", NULL) < 0) {
			/* cannot undo this report alone: undo the batch */
			store_rollback(im->s);
			for (size_t k = 0; k + 1 < im->ndone; k++)
				if (!im->done[k].rc) {
					im->done[k].rc = e.code;
					im->done_err[k] = e;
					err_prefix(&im->done_err[k], "%s",
						   im->done[k].path);
				}
		}
		rc = write_failed(c, rc);
		goto out;
	}
	if (store_exec(im->s, err, "RELEASE report", NULL) < 0) {
		store_rollback(im->s);
		rc = store_fail(c);
		goto out;
	}
	r->hid = id;
	im->batch_bytes += job->bytes;
out:
	r->rc = rc;
}

int report_import_files(struct store *s, char *const *paths, size_t n,
			unsigned flags, report_file_fn fn, void *arg,
			struct err *err)
{
	struct importer *im;
	pthread_t threads[MAX_WORKERS];
	size_t nthreads = 0, want = 0, i;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	struct json_index ix = JSON_INDEX_INIT;
	char *buf = NULL;
	size_t cap = 0;
	long long cache = 0, temp = 0;
	struct err e;
	int rc = 0;

	if (store_in_transaction(s))
		return err_set(err, ERR_FAIL, "report_import_files inside a transaction");
	if (store_query_int(s, &cache, err, "PRAGMA cache_size", NULL) ||
	    store_query_int(s, &temp, err, "PRAGMA temp_store", NULL) ||
	    store_exec_script(s, err, BATCH_CACHE_SQL) ||
	    store_exec_script(s, err, BATCH_TEMP_SQL))
		return err->code;
	im = xcalloc(1, sizeof(*im));
	im->s = s;
	im->paths = paths;
	im->n = n;
	im->flags = flags;
	im->fn = fn;
	im->arg = arg;
	im->done = xcalloc(BATCH_REPORTS, sizeof(*im->done));
	im->done_err = xcalloc(BATCH_REPORTS, sizeof(*im->done_err));
	pthread_mutex_init(&im->mu, NULL);
	pthread_cond_init(&im->ready, NULL);
	pthread_cond_init(&im->room, NULL);
	/* Workers validate ahead while this thread writes: validating costs
	 * more than writing, so one per CPU (at most MAX_WORKERS); a few
	 * files are not worth a thread and its store. */
	if (n >= 8 && cpus > 1)
		want = (size_t)cpus < MAX_WORKERS ? (size_t)cpus : MAX_WORKERS;
	for (i = 0; i < want; i++) {
		pthread_mutex_lock(&im->mu);
		im->workers++;
		pthread_mutex_unlock(&im->mu);
		if (pthread_create(&threads[nthreads], NULL, worker_main, im) == 0) {
			nthreads++;
			continue;
		}
		pthread_mutex_lock(&im->mu);
		im->workers--;
		pthread_mutex_unlock(&im->mu);
	}

	for (i = 0; i < n; i++) {
		struct job *job = &im->ring[i % AHEAD_REPORTS];

		pthread_mutex_lock(&im->mu);
		while (!job->ready && !(im->next_claim == i && im->workers == 0))
			pthread_cond_wait(&im->ready, &im->mu);
		if (!job->ready) {
			/* no worker left to take it: do it here */
			im->next_claim++;
			pthread_mutex_unlock(&im->mu);
			job_run(im, job, i, s, &ix, &buf, &cap);
			pthread_mutex_lock(&im->mu);
			im->ahead_bytes += job->bytes;
			job->ready = true;
		}
		pthread_mutex_unlock(&im->mu);
		if (im->ndone == BATCH_REPORTS || im->batch_bytes >= BATCH_BYTES)
			end_batch(im);
		write_job(im, job, i);
		ctx_release(&job->c);
		pthread_mutex_lock(&im->mu);
		job->ready = false;
		im->ahead_bytes -= job->bytes;
		im->next_write = i + 1;
		/* one job's room: one worker can take a file */
		pthread_cond_signal(&im->room);
		pthread_mutex_unlock(&im->mu);
	}
	end_batch(im);

	pthread_mutex_lock(&im->mu);
	im->stop = true;
	pthread_cond_broadcast(&im->room);
	pthread_mutex_unlock(&im->mu);
	for (i = 0; i < nthreads; i++)
		pthread_join(threads[i], NULL);
	err_clear(&e);
	if (cache == DEFAULT_CACHE_SIZE)
		store_exec_script(s, &e, "PRAGMA cache_size = -2000");
	if (temp == DEFAULT_TEMP_STORE)
		store_exec_script(s, &e, "PRAGMA temp_store = DEFAULT");
	if (im->failed)
		rc = err_set(err, ERR_FAIL, "%zu of %zu reports failed", im->failed, n);
	pthread_mutex_destroy(&im->mu);
	pthread_cond_destroy(&im->ready);
	pthread_cond_destroy(&im->room);
	free(im->done);
	free(im->done_err);
	free(im);
	free(buf);
	json_index_release(&ix);
	return rc;
}
