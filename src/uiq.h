/* uiq.h - the queries the UI runs (issue 7): the overview counts, the host
 * table and one host's detail, the advisories and one advisory's detail,
 * and every container with its predicted effect. tui/ reads the core only
 * through these (and the planner), never through sqlite (DESIGN.md §2).
 *
 * Every function fills a caller-owned struct of plain values: strings are
 * allocated and never NULL unless the comment says so ("" for unknown);
 * the matching _release() frees them and accepts a zeroed struct. On
 * failure out is left empty (released) and err says why. Times are unix
 * seconds. Levels are indexed by enum uiq_level. */
#ifndef SLIPWAY_UIQ_H
#define SLIPWAY_UIQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "err.h"
#include "store.h"

enum uiq_level {
	UIQ_CRITICAL,
	UIQ_HIGH,
	UIQ_MEDIUM,
	UIQ_LOW,
	UIQ_NONE,
	UIQ_LEVELS
};

/* "critical" -> UIQ_CRITICAL ...; UIQ_LEVELS for NULL or another word. */
enum uiq_level uiq_level_parse(const char *word);
/* "critical", "high", "medium", "low", "none"; "" for UIQ_LEVELS. */
const char *uiq_level_name(enum uiq_level l);

/* The time the UI calls "now": SLIPWAY_NOW (unix seconds, or
 * YYYY-MM-DDTHH:MM:SSZ) when set and valid, else the clock. The demo and
 * the golden-screen tests set it so that every screen is the same on
 * every run. */
int64_t uiq_now(void);
/* Parses the SLIPWAY_NOW forms above; ERR_PARSE otherwise. */
int uiq_parse_time(int64_t *out, const char *text);

/* PRAGMA data_version of the UI's connection: it changes when another
 * connection (a timer refresh, an inventory) commits to the database. */
int uiq_data_version(long long *out, struct store *s, struct err *err);

/* ---- overview --------------------------------------------------- */

struct uiq_feed {
	char *name;
	int64_t last_success;    /* 0: never */
	long long records;
	char *last_error;        /* "" when the last run worked */
	bool stale;              /* older than its allowed age, or never loaded */
};

struct uiq_overview {
	long long hosts;
	long long containers;
	long long findings[UIQ_LEVELS];    /* not covered by a live patch */
	long long livepatched;             /* findings a live patch covers */
	long long kev_findings;            /* host x CVE in KEV, not covered */
	long long kev_hosts;
	long long hosts_affected;          /* hosts with at least one finding */
	long long reboot_hosts;            /* hosts whose bundle has a reboot */
	long long action_hosts;            /* hosts with any action */
	struct uiq_feed *feeds;
	size_t nfeeds;
};

/* The counts, and every feed of the feed table with its freshness judged
 * at now against cfg ([feed NAME] max-age, else [policy] feed-max-age). */
int uiq_overview(struct uiq_overview *out, struct store *s,
		 const struct config *cfg, int64_t now, struct err *err);
void uiq_overview_release(struct uiq_overview *o);

/* ---- hosts -------------------------------------------------------- */

struct uiq_host {
	char *name;
	char *os;
	char *kernel;            /* running release */
	char *kernel_target;     /* kernel target version; "" none, "no fix" */
	char *engine;            /* "docker 20.10.24+dfsg1", "podman 4.3.1", "" */
	char *runc;
	char *containerd;
	char *urgency;           /* level word, "" before findings */
	char *bundle;            /* "reboot, runc-upgrade", "" none */
	char *targets;           /* "kernel 6.1.123-1, runc no fix available" */
	int live_restore;        /* 1, 0, -1 unknown */
	int reboot_required;     /* 1, 0, -1 unknown */
	long long findings[UIQ_LEVELS];
	long long kev;           /* KEV findings */
	long long containers;
	double score;            /* urgency score (higher is more urgent) */
	int64_t deadline;        /* 0: none */
};

struct uiq_hosts {
	struct uiq_host *v;
	size_t n;
};

/* Every host, by name. */
int uiq_hosts(struct uiq_hosts *out, struct store *s, struct err *err);
void uiq_hosts_release(struct uiq_hosts *h);

/* ---- containers and their predicted effect ------------------------ */

struct uiq_container {
	char *host;
	char *id;
	char *name;
	char *image;
	char *state;             /* the engine's word */
	char *policy;            /* restart policy, "" none */
	char *compose;           /* "project/service", "" */
	char *effect;            /* impact_effect_name() of the host's bundle */
	char *reason;            /* the impact model's one line */
	char *actions;           /* the bundle applied, "reboot+runc-upgrade" */
	long long outage;        /* seconds; -1: until a person acts */
	bool low_confidence;
	bool comes_back;         /* false: stays-down or removed while running */
	bool privileged;
	bool host_ns;            /* host PID or network namespace */
	bool unconfined;         /* seccomp=unconfined */
	bool caps;               /* added capabilities */
	long long memory;        /* memory limit in bytes, 0 none */
	int64_t created;         /* the container's creation; 0 unknown */
};

struct uiq_containers {
	struct uiq_container *v;
	size_t n;
	long long wont_return;   /* running now and not coming back */
	long long running;       /* running (or paused, restarting) now */
};

/* Every container (host NULL) or one host's, by host then name, with the
 * impact model run on each host's bundle (impact.h; cfg for boot times). */
int uiq_containers(struct uiq_containers *out, struct store *s,
		   const struct config *cfg, const char *host,
		   struct err *err);
void uiq_containers_release(struct uiq_containers *c);

/* ---- one host ------------------------------------------------------ */

struct uiq_finding {
	char *id;                /* advisory id */
	char *vkey;              /* the CVE, else the id */
	char *component;
	char *installed;
	char *fixed;             /* "" no fix */
	char *level;
	char *feed;
	char *note;              /* approximate / fixed by installed / live patch */
	bool kev;
	double cvss;             /* < 0: none */
	double epss;             /* < 0: none */
	bool livepatched;
};

struct uiq_action {
	char *action;
	char *reason;
};

struct uiq_host_detail {
	struct uiq_host host;
	char *kernel_installed;  /* space-separated releases */
	char *engine_kind;
	struct uiq_finding *findings;
	size_t nfindings;
	struct uiq_action *actions;
	size_t nactions;
	struct uiq_containers containers;
};

/* ERR_NOTFOUND when no host has that name. */
int uiq_host_detail(struct uiq_host_detail *out, struct store *s,
		    const struct config *cfg, const char *name,
		    struct err *err);
void uiq_host_detail_release(struct uiq_host_detail *d);

/* ---- advisories ----------------------------------------------------- */

struct uiq_advisory {
	char *key;               /* the CVE, else the advisory id */
	char *ids;               /* the feeds' ids for it, comma-separated */
	char *components;        /* "kernel", "runc,docker" */
	char *severity;          /* worst stated, "" unknown */
	char *fixed;             /* versions fixing it (hosts' when affected) */
	char *summary;
	double cvss;             /* < 0: none */
	double epss;             /* < 0: none */
	bool kev;
	long long hosts;         /* hosts affected */
};

struct uiq_advisories {
	struct uiq_advisory *v;
	size_t n;
};

/* Every stored advisory about a component Slipway plans for, one row per
 * CVE (advisories of several feeds for one CVE are merged), by hosts
 * affected, KEV, CVSS. */
int uiq_advisories(struct uiq_advisories *out, struct store *s,
		   struct err *err);
void uiq_advisories_release(struct uiq_advisories *a);

struct uiq_advisory_record {
	char *feed;
	char *id;
	char *severity;
	char *vector;
	double cvss;             /* < 0: none */
	int64_t published;       /* 0: unknown */
	char *summary;
};

struct uiq_range {
	char *feed;
	char *component;
	char *ecosystem;
	char *package;
	char *text;              /* ">= 6.1.43, < 6.1.78" */
};

struct uiq_affected_host {
	char *host;
	char *component;
	char *installed;
	char *fixed;             /* "" no fix */
	char *feed;
	bool livepatched;
	bool approximate;
};

struct uiq_advisory_detail {
	struct uiq_advisory a;
	char *aliases;           /* every name, comma-separated */
	char *kev_name;          /* KEV vulnerability name, "" */
	int64_t kev_added;       /* 0 when not in KEV */
	int64_t kev_due;
	struct uiq_advisory_record *records;
	size_t nrecords;
	struct uiq_range *ranges;
	size_t nranges;
	struct uiq_affected_host *hosts;
	size_t nhosts;
};

/* The advisory by CVE or id; ERR_NOTFOUND when nothing is stored for it.
 * At most UIQ_RANGES_MAX ranges are listed. */
#define UIQ_RANGES_MAX 200
int uiq_advisory_detail(struct uiq_advisory_detail *out, struct store *s,
			const char *key, struct err *err);
void uiq_advisory_detail_release(struct uiq_advisory_detail *d);

#endif
