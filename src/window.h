/* window.h - maintenance windows and freezes in real time (DESIGN.md §8):
 * a [window]'s RRULE (RFC 5545 3.3.10) expanded with libical over the
 * planning horizon, its local start time resolved in the window's IANA time
 * zone to UTC unix seconds, `except` dates removed and [freeze] days cut
 * out. The planner sees only the resulting UTC intervals.
 *
 * Rules (all documented choices):
 *   - The RRULE is anchored at DTSTART = 1970-01-05 (a Monday) at the
 *     window's start time in its zone, so the same rule gives the same
 *     days whatever --start is (FREQ=WEEKLY;INTERVAL=2 does not shift
 *     with the horizon). A rule without BYDAY/BYMONTHDAY takes the
 *     anchor's weekday/day (FREQ=WEEKLY alone is Mondays). COUNT and
 *     UNTIL count from that anchor.
 *   - Local times follow RFC 5545 3.3.5: a time that occurs twice (clocks
 *     go back) is its first occurrence; a time that does not exist (clocks
 *     go forward) is read with the UTC offset before the gap (02:00 on the
 *     day Europe/Berlin springs forward is 01:00 UTC = 03:00 CEST).
 *   - duration is real time: an occurrence ends duration seconds after its
 *     start whatever the clocks do meanwhile.
 *   - `except` dates drop the occurrences that START on that local date.
 *   - A freeze covers whole local days from..to inclusive, in its own
 *     `timezone` when it has one, else in the zone of the window it cuts.
 *     Nothing is planned inside a freeze: an occurrence partly inside one
 *     keeps its parts outside (as separate spans with the same ordinal);
 *     one wholly inside is dropped.
 *   - Spans are clipped to the horizon [start, end): an occurrence already
 *     running at --start keeps its remaining part.
 *
 * Time zones: libical's builtin zones, which Debian's libical 3.0.16 reads
 * from the system TZif files (/usr/share/zoneinfo); "UTC" and a NULL zone
 * are UTC. An unknown zone is ERR_CONFIG naming it. */
#ifndef SLIPWAY_WINDOW_H
#define SLIPWAY_WINDOW_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct config_window;
struct config_freeze;

/* One usable span of a window occurrence, UTC unix seconds [start, end). */
struct window_occ {
	int64_t start, end;   /* the span, after clipping and freeze cuts */
	int64_t occ_start;    /* the occurrence's own start (before cuts) */
	int64_t occ_end;      /* occ_start + duration */
	int ordinal;          /* 0-based number of the occurrence in the
				 horizon; the spans of one occurrence share it */
	int day;              /* local date of occ_start, YYYYMMDD */
};

/* A frozen interval for one window, UTC [start, end), with its name. */
struct window_frozen {
	int64_t start, end;
	const char *freeze;   /* borrowed from the config */
};

/* Occurrences of a window in the horizon, at most this many. */
#define WINDOW_OCC_MAX 100000

/* Expands window w over the horizon [hstart, hend). *out (allocated, free
 * it) receives the usable spans sorted by start, *nout their count;
 * frozen/nfrozen (either may be NULL) receive the freezes as UTC intervals
 * in this window's zone, sorted, clipped to the horizon. Returns 0, or
 * ERR_CONFIG naming the window ("window 'w': unknown time zone 'X'",
 * "bad rrule", "bad except date"), ERR_LIMIT when the rule yields more than
 * WINDOW_OCC_MAX occurrences in the horizon. Outputs untouched on error. */
int window_expand(struct window_occ **out, size_t *nout,
		  struct window_frozen **frozen, size_t *nfrozen,
		  const struct config_window *w,
		  const struct config_freeze *freezes, size_t nfreezes,
		  int64_t hstart, int64_t hend, struct err *err);

/* The UTC instant of local date y-m-d at minute-of-day in zone tz (NULL:
 * UTC), by the RFC 5545 rules above. ERR_CONFIG for an unknown zone. */
int window_local_to_utc(int64_t *out, const char *tz, int y, int m, int d,
			int minute, struct err *err);

/* The zone's UTC offset, seconds east, at UTC instant t. */
int window_utc_offset(int *out, const char *tz, int64_t t, struct err *err);

/* "2026-03-29T03:00:00+02:00": t in zone tz (NULL: UTC, written "Z"
 * suffix-free as "+00:00"). An unknown zone falls back to UTC. */
#define WINDOW_TIME_MAX 32
void window_format_time(char out[WINDOW_TIME_MAX], int64_t t, const char *tz);

/* The local date (YYYYMMDD) of instant t in zone tz (NULL: UTC). */
int window_local_day(int64_t t, const char *tz);

/* "2026-12-24" -> y, m, d; ERR_PARSE unless a real calendar date from
 * 1970 to 9999. Outputs untouched on error. */
int window_parse_date(int *y, int *m, int *d, const char *s);

#endif
