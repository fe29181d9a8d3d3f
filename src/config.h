/* config.h - slipway.conf: the INI file of DESIGN.md §9, read with libinih.
 *
 * Sections: [slipway], [policy], [feed NAME], [window NAME],
 * [freeze NAME], [host NAME], [group NAME]. Unknown sections and keys are
 * errors naming file and line ("slipway.conf:12: unknown key 'durration' in
 * [window sunday]"), so a typo never silently changes a plan.
 *
 * Durations are written "30s", "15m", "4h", "7d" (a bare number is
 * seconds); they are stored in seconds. Lists are comma-separated. Dates are
 * YYYY-MM-DD and stored as written (the planner resolves them in a time
 * zone). Ownership: everything hangs off struct config and is freed by
 * config_free().
 *
 * Value syntax beyond that: numbers are plain digits; sizes (max-bytes)
 * are bytes with an optional k, M or G suffix (1024-based); times of day
 * are H:MM or HH:MM; booleans are yes/no, true/false, on/off or 1/0; 'url'
 * must be https://, 'mirror' https:// or http://, 'engine' unix://,
 * tcp:// or ssh://; time zones must have a TZif file under
 * /usr/share/zoneinfo ("UTC" is always known); dates are real calendar
 * days from 1970. Names of [window], [freeze], [host] and [group] use
 * letters, digits and "-_.:@"; feed names lowercase letters, digits and
 * '-' (whether the feed exists is the caller's check).
 *
 * Lines are limited by libinih's buffer (198 bytes without the newline in
 * Debian's build); a longer list continues on indented lines, each one a
 * comma list appended to the key above. Any other indented line is an
 * error, since libinih would silently append it to the previous value.
 * Comments start a line with ';' or '#', or follow a value as " ; ...".
 * A host's 'window' must name a [window] of the same file; that is checked
 * after the whole file is read. */
#ifndef SLIPWAY_CONFIG_H
#define SLIPWAY_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* [feed NAME]: overrides for one feed of the default table. */
struct config_feed {
	char *name;
	char *url;            /* NULL: the feed's default URL */
	int enabled;          /* -1 unset, 0 no, 1 yes */
	int64_t max_age;      /* seconds before the feed counts as stale; -1 unset */
	int64_t max_bytes;    /* byte cap for one download; -1 unset */
	int64_t timeout;      /* total transfer timeout, seconds; -1 unset */
	char *mirror;         /* NULL, or a base URL that replaces the host part */
	int line;             /* line of the section header */
};

/* [window NAME] */
struct config_window {
	char *name;
	char *rrule;          /* iCalendar RRULE value, e.g. FREQ=WEEKLY;BYDAY=SU */
	int start_minute;     /* local time of day, minutes after midnight */
	int64_t duration;     /* seconds, > 0 */
	char *timezone;       /* IANA name; NULL means UTC */
	char **hosts;         /* glob patterns; NULL-terminated, may be empty */
	char **except;        /* YYYY-MM-DD dates; NULL-terminated, may be empty */
	int max_down;         /* -1 unset */
	int line;
};

/* [freeze NAME] */
struct config_freeze {
	char *name;
	char *from;           /* YYYY-MM-DD, inclusive */
	char *to;             /* YYYY-MM-DD, inclusive */
	char *timezone;       /* NULL: the time zone of each window it cuts */
	int line;
};

/* [host NAME] */
struct config_host {
	char *name;
	char *engine;         /* unix://, tcp://, ssh:// URL; NULL: reports only */
	int64_t boot_time;    /* seconds; -1 unset */
	char *window;         /* a [window] name; NULL: by the windows' patterns */
	char *tls_ca, *tls_cert, *tls_key;
	char *cert_path;      /* DOCKER_CERT_PATH-style directory */
	char **tags;          /* NULL-terminated */
	int line;
};

/* [group NAME] */
struct config_group {
	char *name;
	char **containers;    /* "compose:PROJECT/SERVICE", "swarm:NAME",
				 "label:KEY=VALUE"; NULL-terminated */
	int min_available;    /* -1: members - 1, at least 1 */
	int line;
};

struct config_policy {
	int64_t deadline_kev;       /* default 7d */
	int64_t deadline_critical;  /* default 14d */
	int64_t deadline_high;      /* default 30d */
	int64_t deadline_medium;    /* default 90d */
	int64_t soak;               /* default 15m */
	int64_t max_image_age;      /* default 30d */
	char **stale_images;        /* image references or digests the user
				       marks stale ("sha256:…", "repo@sha256:…",
				       "repo:tag"): their containers are
				       recreated; NULL-terminated, never NULL
				       in a config, may be NULL in a copy */
	int64_t boot_time;          /* default 120s */
	int64_t feed_max_age;       /* default 2d: a feed older is stale (exit 4) */
};

struct config {
	char *path;           /* the file read, NULL when defaults only */
	char *database;       /* NULL: the default location */
	int max_down;         /* fleet-wide hosts down at once; default 5 */
	int concurrency;      /* hosts inventoried at once; default 16 */
	int64_t host_timeout; /* per-host inventory timeout; default 60s */
	struct config_policy policy;
	struct config_feed *feeds;       size_t nfeeds;
	struct config_window *windows;   size_t nwindows;
	struct config_freeze *freezes;   size_t nfreezes;
	struct config_host *hosts;       size_t nhosts;
	struct config_group *groups;     size_t ngroups;
};

/* The largest config file or text accepted. */
#define CONFIG_MAX_BYTES ((size_t)1 << 20)

/* Hosts, dates, tags or containers in one list, at most. */
#define CONFIG_LIST_MAX 4096

/* A config holding only the defaults. Never fails. */
struct config *config_new_default(void);

/* Reads the file at path. When the file does not exist and must_exist is
 * false, the result is the defaults (path NULL); when it must exist (given
 * with -c or SLIPWAY_CONFIG), a missing file is an error. Unreadable,
 * world-writable or invalid files are ERR_CONFIG with "FILE:LINE: problem"
 * in err. On failure *out is untouched. */
int config_load(struct config **out, const char *path, bool must_exist,
		struct err *err);

/* Parses a config held in memory (at most CONFIG_MAX_BYTES); name is used
 * in messages and the result's path stays NULL. On failure *out is
 * untouched. */
int config_parse(struct config **out, const char *name, const char *text,
		 size_t len, struct err *err);

void config_free(struct config *cfg);

/* The file to read when neither -c nor SLIPWAY_CONFIG says: the first of
 * $XDG_CONFIG_HOME/slipway/slipway.conf (or ~/.config/...) and
 * /etc/slipway/slipway.conf that exists, else the /etc path. A relative
 * XDG_CONFIG_HOME is ignored (XDG base directory spec). Returns an
 * allocated string. */
char *config_default_path(void);

/* The default database when neither -d, SLIPWAY_DB nor [slipway] database
 * says: /var/lib/slipway/slipway.db for root, else
 * $XDG_DATA_HOME/slipway/slipway.db (~/.local/share/...; the home from
 * the password database when HOME is unset, "slipway.db" in the current
 * directory when there is none). Allocated. */
char *config_default_database(void);

/* "30s", "15m", "4h", "7d", "90" -> seconds. ERR_PARSE on anything else
 * (negative, overflow, unknown unit, empty). */
int config_parse_duration(int64_t *out, const char *s);

/* Whether name matches one of the NULL-terminated glob patterns
 * (fnmatch(3), no flags). */
bool config_host_match(char *const *patterns, const char *name);

/* Look-ups by name; NULL when absent. */
const struct config_feed *config_feed_find(const struct config *cfg, const char *name);
const struct config_host *config_host_find(const struct config *cfg, const char *name);
const struct config_window *config_window_find(const struct config *cfg, const char *name);

#endif
