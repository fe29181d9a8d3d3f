/* finding.h - findings (DESIGN.md §5): which stored advisories affect
 * each host's kernel, runc, containerd, Docker Engine and Podman, judged by
 * the right feed; and from them, per host, the target version of each
 * component, the bundle of actions (DESIGN.md §7) and the urgency and
 * deadline (DESIGN.md §8). Everything is recomputed by finding_update()
 * into the finding, finding_seen, host_target, host_action and
 * host_urgency tables (src/store_schema.h), which the listings, the impact
 * model and the planner read.
 *
 * Which feed judges (per host and component):
 *   - A distro package (runc, containerd, docker.io, podman, the running
 *     kernel's linux-image) on Debian, Ubuntu, RHEL, AlmaLinux or Rocky is
 *     judged by the distro's ecosystem (debian:12, ubuntu:22.04,
 *     rhel:9, ...) keyed by SOURCE package: the package table's source
 *     column, else the binary_source table (when it lists several sources
 *     for the binary, the one named like the binary), else the binary's
 *     own name. Kernel sources are read through their signing wrapper:
 *     linux-signed-amd64/-arm64/-i386 and Ubuntu's linux-signed are
 *     "linux", linux-signed-hwe-6.8 is "linux-hwe-6.8". On Ubuntu the
 *     Pro ecosystem (ubuntu:pro:22.04) judges an advisory's package when
 *     it has rows for it (an ESM fix "+esm1" is then the fixing version),
 *     else the plain one.
 *   - Docker's own packages (docker-ce, containerd.io) and binaries with
 *     no distro package are judged by upstream ranges on the versions the
 *     engine reports in /version Components: Engine (component docker),
 *     containerd, runc (Docker's "runc", Podman's "OCI Runtime (runc)"
 *     whose text is "runc version X"), "Podman Engine". Upstream docker
 *     rows: when the CVE has product rows (the Go database's
 *     custom_ranges of `docker-engine`, which name Docker's own patch
 *     releases such as 24.0.10), only those judge the engine version;
 *     otherwise the moby module rows do. Go module rows of a major-version
 *     path (github.com/containerd/containerd/v2, moby/moby/v2) apply only
 *     to versions of that major (affected.h, AFFECTED_MODULE_APPLIES).
 *   - A running kernel with no distro kernel package (self-built or
 *     kernel.org; a bindeb-pkg build's source "linux-upstream" counts as
 *     self-built) is judged by upstream kernel ranges (kernel-cna,
 *     osv-linux) on its release without the local suffix (6.8.0-custom ->
 *     6.8.0). This is exact, not approximate.
 *   - When the host's distro ecosystem is not loaded (no row of it in
 *     `affected` from a feed with a successful run) or the distro is not
 *     one of the above, upstream ranges judge the package's upstream
 *     version and the finding is approximate: the epoch, the -revision
 *     and any +suffix or ~suffix are dropped (runc 1.1.5+ds1-1+deb12u1 ->
 *     1.1.5, Debian linux 6.1.76-1 -> 6.1.76, containerd
 *     1.6.20~ds1-1+deb12u3 -> 1.6.20). Backported fixes are invisible
 *     then, so such verdicts over-report; Ubuntu kernels (5.15.0-126.136
 *     -> 5.15.0) over-report most.
 *
 * One finding per host, component and CVE (vkey: the advisory's CVE
 * alias, else its id): when several advisories of the judging ecosystem
 * say the same CVE (GO-2024-3005 and GHSA-v23v-6jw2-98fq), the one with
 * the lowest fixing version is kept (no fix last, then the lowest id).
 * KEV and EPSS are looked up by every alias; CVSS and severity fall back
 * to other advisories of the same CVE when the judging one has none
 * (Debian's tracker gives no CVSS).
 *
 * Kernel: the running kernel is judged. An installed, not booted kernel
 * of the same package line, newer than the running one and not affected
 * by the advisory, sets fixed_by_installed (the fix needs only a reboot).
 * A live patch (host report kernel.livepatch: active, fixed_cves listing
 * the CVE or any alias) covers a running-kernel finding until
 * covered_until; a covered finding is still listed but does not call for
 * a reboot, does not count for urgency or --fail-on. A live patch whose
 * covered_until has passed covers nothing.
 *
 * Level of a finding: its severity (the distro's own rating first, then
 * the advisory's, then another advisory of the same CVE; Debian's
 * "unimportant" and Ubuntu's "negligible" are low), else from CVSS
 * (>= 9 critical, >= 7 high, >= 4 medium, > 0 low, 0 none), else medium
 * (unknown is not taken as harmless).
 *
 * Target per host and component: the highest fixing version among its
 * findings (which closes every finding that has a fix), and the number
 * of findings with no fix; a target of NULL is "no fix available".
 *
 * Bundle per host (host_action, one reason each):
 *   reboot              kernel findings not covered by a live patch, or
 *                       the report's reboot_required ("the host reports a
 *                       pending reboot (/var/run/reboot-required)")
 *   engine-restart      docker findings
 *   containerd-restart  containerd findings
 *   runc-upgrade        runc findings
 *   recreate            containers whose image (image inspect Created)
 *                       is older than the policy's max-image-age
 * A component's findings call for its action only when there is something
 * to install: a target, or (kernel) an installed, not booted kernel that
 * fixes some of them ("... fixed by installed kernel R; boot into it",
 * with how many stay without a fix when not all). A component whose findings have no fix adds no action: taking the
 * host down would close none of them. They are still listed (fixed NULL,
 * target "no fix available") and still count for urgency, the deadline
 * and --fail-on; a host with nothing else to do gets no slot in the plan.
 * With a target, the reason says "upgrade to T" and how many findings
 * stay without a fix ("upgrade to T (N without a fix)").
 * Podman findings need a package upgrade but no action of their own
 * (Podman has no daemon to restart).
 *
 * Urgency per host: over the findings not covered by a live patch,
 *   finding score = 200 if KEV + 10 x CVSS (or 9/7/5/2/0 for a severity
 *                   critical/high/medium/low/none without CVSS) + EPSS
 * so KEV beats any CVSS, CVSS decides between non-KEV findings and EPSS
 * breaks ties. Exposure points come from the host's running containers:
 * privileged 3, host PID namespace 2, seccomp=unconfined 2, added
 * capabilities 1, host network 1, no memory limit 1 (each counted once per
 * host, 0..10).
 *   host score = worst finding score + 2 x exposure (0 without findings)
 *   host level = the worst finding's level (KEV: critical), one step
 *                higher (at most critical) when exposure >= 3; none
 *                without findings.
 * Deadline: each finding is due at first_seen (when Slipway first saw
 * that CVE on that host and component, kept in finding_seen) plus the
 * policy's deadline-kev for KEV findings, else deadline-critical/-high/
 * -medium for its level raised by exposure as above; low and none have
 * no deadline. The host's deadline is the earliest. Counting from
 * first_seen rather than the publish date gives a sysadmin the full
 * allowance for an old advisory that only now reaches a host, and keeps
 * the deadline from moving on every run. */
#ifndef SLIPWAY_FINDING_H
#define SLIPWAY_FINDING_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "err.h"
#include "impact.h"
#include "store.h"

struct buf;

struct finding_options {
	const struct config_policy *policy;  /* NULL: the defaults */
	int64_t now;                         /* unix seconds; 0: the clock */
	bool force;                          /* recompute even when no input
						changed since the last run */
};

/* Recomputes every finding, target, bundle and urgency in one
 * transaction (the store must not be inside one), unless none of its
 * inputs changed since the last run (feeds, inventories, policy, the
 * hour): then it does nothing. With the default policy and the clock. */
int finding_update(struct store *s, struct err *err);
/* The same with a policy (deadlines, max-image-age) and a time. */
int finding_update_with(struct store *s, const struct finding_options *opt,
			struct err *err);

/* Columns of finding_list() rows, in order (also the JSON names). */
enum finding_col {
	FC_HOST,
	FC_ID,               /* advisory id */
	FC_ALIASES,          /* JSON array text */
	FC_COMPONENT,
	FC_PACKAGE,          /* NULL: a binary the engine reported */
	FC_INSTALLED,
	FC_JUDGED,           /* the version compared */
	FC_FIXED,            /* NULL: no fix */
	FC_FEED,
	FC_ECOSYSTEM,
	FC_APPROXIMATE,      /* 0/1 */
	FC_KEV,              /* 0/1 */
	FC_EPSS,             /* NULL: none */
	FC_CVSS,             /* NULL: none */
	FC_SEVERITY,         /* NULL: unknown */
	FC_LEVEL,            /* critical high medium low none */
	FC_FIXED_BY_INSTALLED, /* kernel release or NULL */
	FC_LIVEPATCHED,      /* 0/1, covered now */
	FC_COVERED_UNTIL,    /* unix seconds or NULL */
	FC_FIRST_SEEN,       /* unix seconds */
};

/* The stored findings (host NULL: every host), by host, component, KEV,
 * CVSS descending, id. */
int finding_list(struct store *s, struct store_rows *rows, const char *host,
		 struct err *err);
/* The same as a JSON array of objects appended to out (booleans
 * true/false). */
int finding_list_json(struct store *s, struct buf *out, const char *host,
		      struct err *err);

/* Thresholds of --fail-on, lowest first: "low", "medium", "high",
 * "critical", "kev". A KEV finding is at or above every threshold; the
 * others compare by level. ERR_USAGE for another word. */
int finding_threshold_parse(int *out, const char *word, struct err *err);
/* How many stored findings (host NULL: all hosts), not covered by a live
 * patch, are at or above threshold. */
int finding_count_at_or_above(struct store *s, long long *out,
			      const char *host, int threshold,
			      struct err *err);

/* One host's summary, for `slipway hosts` and the UI. Strings are
 * allocated (finding_host_release() frees them); NULL when empty. */
struct finding_host {
	char *urgency;       /* critical high medium low none */
	double score;
	int exposure;
	char *worst;         /* vkey of the worst finding */
	int64_t deadline;    /* unix seconds, 0: none */
	long findings;
	char *targets;       /* "kernel 6.1.123-1, runc no fix available" */
	char *bundle;        /* "reboot, engine-restart" */
	impact_actions actions;  /* the same as bits */
};
/* Reads the stored summary of host (ERR_NOTFOUND when no such host). */
int finding_host_get(struct finding_host *out, struct store *s,
		     const char *host, struct err *err);
void finding_host_release(struct finding_host *h);

/* The stored bundle of host hid as impact bits (0: no action), for the
 * impact model and the planner; and the target of one component
 * (*out allocated, NULL when there is no finding or no fix). */
int finding_bundle(impact_actions *out, struct store *s, long long hid,
		   struct err *err);
int finding_target(char **out, struct store *s, long long hid,
		   const char *component, struct err *err);

/* SQL expressions over a host row aliased `h` (for hostq.c's listing):
 * urgency level, deadline (unix seconds), the bundle as "a, b", the
 * targets as "component version, ...", each NULL when there is none. */
#define FINDING_HOST_URGENCY_SQL                                             \
	"(SELECT u.level FROM host_urgency u WHERE u.hid = h.hid)"
#define FINDING_HOST_DEADLINE_SQL                                            \
	"(SELECT u.deadline FROM host_urgency u WHERE u.hid = h.hid)"
#define FINDING_HOST_BUNDLE_SQL                                              \
	"(SELECT group_concat(action, ', ') FROM (SELECT a.action FROM"      \
	" host_action a WHERE a.hid = h.hid ORDER BY CASE a.action"          \
	" WHEN 'reboot' THEN 0 WHEN 'engine-restart' THEN 1"                 \
	" WHEN 'containerd-restart' THEN 2 WHEN 'runc-upgrade' THEN 3"       \
	" ELSE 4 END))"
#define FINDING_HOST_TARGETS_SQL                                             \
	"(SELECT group_concat(t.component || ' ' ||"                         \
	" coalesce(t.target, 'no fix available'), ', ') FROM (SELECT * FROM" \
	" host_target x WHERE x.hid = h.hid ORDER BY x.component) t)"

#endif
