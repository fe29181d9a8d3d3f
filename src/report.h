/* report.h - the host report `slipway.host-report/1` (DESIGN.md §6): the
 * one document through which everything Slipway knows about a host enters
 * the store, whether it came from `slipway collect` on the host, from a
 * fleet tool gathering those files, or from a live engine inventory (which
 * builds the same document from the engine's answers).
 *
 * Shape (more fields are welcome and ignored; README.md documents each):
 *   schema, collected_at (RFC 3339),
 *   host{name, machine_id, boot_id, uptime_seconds},
 *   os{id, version_id, codename, pretty_name},
 *   kernel{release, version, package{name, source, version},
 *          installed[{release, package{...}}], reboot_required (bool|null),
 *          livepatch{active, fixed_cves[], covered_until}},
 *   packages[{name, source, version, source_version}],
 *   engine{kind, service_enabled, api_version, version{raw /version},
 *          info{raw /info}, containers[raw inspect...],
 *          images[raw image inspect...],
 *          swarm{services[], tasks[], nodes[]} (managers only),
 *          pods[] (Podman only)}.
 * Only schema, collected_at and host.name are required; a missing or null
 * member means "unknown".
 *
 * Validation (sqlite JSON1 reads every value, jsoncheck_index() checks the
 * grammar and says where the containers lie; a report is written inside a
 * transaction or savepoint of its own, so an invalid one leaves nothing):
 * the size cap, UTF-8, no NUL byte, nesting at most
 * REPORT_MAX_DEPTH, valid JSON, `schema` equal to REPORT_SCHEMA, and every
 * member the importer reads of the type it expects, strings within their
 * byte caps and free of control characters, arrays within their counts.
 * A key that appears twice in an object the importer reads a member of
 * makes the report invalid (the engine's raw answers are otherwise kept as
 * they came). Container and image Ids and package names must be unique. */
#ifndef SLIPWAY_REPORT_H
#define SLIPWAY_REPORT_H

#include <stddef.h>

#include "err.h"
#include "store.h"

#define REPORT_SCHEMA "slipway.host-report/1"

/* Largest report accepted (a host with thousands of containers). */
#define REPORT_MAX_BYTES ((size_t)256 << 20)
/* Deepest nesting of arrays and objects (Docker's answers reach about 8). */
#define REPORT_MAX_DEPTH 64
/* Most entries of the report's arrays. */
#define REPORT_MAX_CONTAINERS 10000
#define REPORT_MAX_IMAGES 10000
#define REPORT_MAX_PACKAGES 100000
#define REPORT_MAX_KERNELS 1000
/* Most bytes of names (host, package, os fields) and of versions. */
#define REPORT_MAX_NAME 255
#define REPORT_MAX_VERSION 128

enum report_flags {
	/* The report holds only what an engine answered (a live inventory):
	 * keep the host facts of the last full report (packages, installed
	 * kernels, os id/version/codename, machine and boot id, engine
	 * service state when the report has none) and replace the engine
	 * data, containers and images. The running kernel comes from
	 * engine.info.KernelVersion and the OS name from
	 * engine.info.OperatingSystem; the kernel package, reboot_required and
	 * livepatch are kept only while the running kernel is the same
	 * (after a reboot into another kernel they are unknown, and the
	 * package is looked up among the installed kernels). */
	REPORT_ENGINE_ONLY = 1 << 0,
};

/* Validates a report of len bytes and stores it in one transaction (the
 * store must not be inside one): the host row (upserted by host.name, or
 * by name when not NULL), a snapshot (collected_at, boot_id, uptime; the
 * same report imported twice keeps one), and the host's packages,
 * containers and images, replacing its previous ones. A report older than
 * the host's current data (collected_at) adds its snapshot only.
 * host.last_inventory is the time of the import.
 *
 * source names the input in messages ("reports/web-1.json"); an invalid
 * report stores nothing and err says "SOURCE: 'FIELD' problem" (ERR_PARSE,
 * or ERR_LIMIT for caps). When hid is not NULL it receives the host's row
 * id. */
int report_import(struct store *s, const char *source, const char *json,
		  size_t len, unsigned flags, const char *name,
		  long long *hid, struct err *err);

/* Reads a report file (at most REPORT_MAX_BYTES) and imports it with
 * report_import(), naming it by path in messages. */
int report_import_file(struct store *s, const char *path, unsigned flags,
		       long long *hid, struct err *err);

/* The outcome of one file of report_import_files(), borrowed for the
 * duration of the callback. */
struct report_file_result {
	const char *path;
	int rc;                 /* 0, or the ERR_* code of the failure */
	const char *error;      /* one line when rc != 0 */
	long long hid;          /* the host's row when rc == 0 */
};

typedef void (*report_file_fn)(void *arg, const struct report_file_result *r);

/* Imports n report files as report_import_file() does each (same checks,
 * same messages, an invalid file stores nothing), faster: files are read
 * and validated on worker threads, each with a private in-memory store
 * (one per CPU, at most 3, none for a few files), while the calling
 * thread writes; reports are committed in batches (up to 256 reports or
 * 16 MiB per transaction, with a 64 MiB page cache meanwhile), each
 * report in a savepoint of its own. fn is called
 * once per file, in order, once its batch is committed (a batch whose
 * commit fails fails all its reports). A process killed meanwhile leaves
 * whole reports only: those of the batches committed. The store must not
 * be inside a transaction. Returns 0 when every file was imported,
 * ERR_FAIL when some were not (each one went to fn). */
int report_import_files(struct store *s, char *const *paths, size_t n,
			unsigned flags, report_file_fn fn, void *arg,
			struct err *err);

#endif
