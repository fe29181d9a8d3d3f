/* probe.h - the host probe behind `slipway collect` (DESIGN.md §6): what
 * this machine will do on a reboot, gathered from the files and tools a
 * sysadmin would ask, written as a host report (report.h).
 *
 * Sources: os-release(5) (/etc/os-release, then /usr/lib/os-release),
 * uname(2), /proc/sys/kernel/random/boot_id, /etc/machine-id,
 * /proc/uptime, the host name; on dpkg systems dpkg-query (installed
 * kernels and the packages that matter, with their source package) and
 * dpkg -S (the running kernel's package); on RPM systems rpm -q and
 * rpm -qf; /var/run/reboot-required (+ .pkgs), `needrestart -b`,
 * `needs-restarting -r`; live patching from /sys/kernel/livepatch,
 * `canonical-livepatch status --format json` and `kpatch list`;
 * `systemctl is-enabled` for the engine units; and the local engine's
 * answers (engine.h).
 *
 * Every external tool is run with an argv array (no shell), LC_ALL=C, a
 * timeout and an output cap. A tool or file that is missing makes its
 * field null ("unknown"), never a guess. */
#ifndef SLIPWAY_PROBE_H
#define SLIPWAY_PROBE_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

/* Seconds one external tool may run, and the most output kept from it. */
#define PROBE_TOOL_TIMEOUT 20
#define PROBE_TOOL_OUTPUT ((size_t)4 << 20)

struct probe_options {
	const char *engine_url;  /* NULL: the local socket, when one exists */
	long engine_timeout;     /* seconds; <= 0: 60 */
};

/* What the probe could not do but worked around (an engine socket that
 * did not answer): one line each, for the command to show. */
struct probe_notes {
	char msg[4][ERR_MSG_MAX];
	int n;
};

/* Writes the host report of this machine to out (JSON text). Fails only
 * when the report cannot be built at all, or when opts->engine_url names
 * an engine that does not answer; a local socket that does not answer
 * leaves "engine": null and a note. */
int probe_report(struct buf *out, const struct probe_options *opts,
		 struct probe_notes *notes, struct err *err);

/* Runs argv[0] (searched in PATH) with argv, stdin from /dev/null, stderr
 * discarded, at most timeout seconds, keeping at most PROBE_TOOL_OUTPUT
 * bytes of its stdout in out. *status is its exit status, or -1 when it
 * was killed. ERR_NOTFOUND when the program does not exist. */
int probe_run(struct buf *out, const char *const argv[], int timeout,
	      int *status, struct err *err);

#endif
