/* export_priv.h - what the format writers of export.h share: the table row
 * each one fills, the files it produces, views of a plan they all need
 * (occurrences and waves, what a slot does to its containers) and the
 * escaping helpers of each output syntax. Not for callers outside
 * src/export*.c. */
#ifndef SLIPWAY_EXPORT_PRIV_H
#define SLIPWAY_EXPORT_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "export.h"
#include "plan.h"

/* ---- the files a writer produces ------------------------------------ */

#define EXPORT_MAX_FILES 4
#define EXPORT_FILE_NAME_MAX 64

struct export_file {
	char name[EXPORT_FILE_NAME_MAX];  /* "" for the one file of a
					     single-file format */
	struct buf body;
};

struct export_out {
	struct export_file f[EXPORT_MAX_FILES];
	size_t n;
};

/* Adds a file (name "" for a single-file format) and returns its empty
 * body, limited to EXPORT_MAX_BYTES. */
struct buf *export_out_add(struct export_out *o, const char *name);

/* A row of the format table (STYLE.md 5). write fills out from plan; it
 * returns 0, or a negative ERR_* with err set. */
struct export_format {
	const char *name;
	bool directory;
	int (*write)(struct export_out *out, const struct plan *plan,
		     struct err *err);
};

int export_csv(struct export_out *out, const struct plan *plan, struct err *err);
int export_md(struct export_out *out, const struct plan *plan, struct err *err);
int export_html(struct export_out *out, const struct plan *plan, struct err *err);
int export_ics(struct export_out *out, const struct plan *plan, struct err *err);
int export_ansible(struct export_out *out, const struct plan *plan, struct err *err);

/* The error of a writer whose buffer passed its limit. */
int export_too_big(struct err *err, const char *format);

/* ---- views of a plan ------------------------------------------------ */

/* A container the slot takes down while it is running now: any effect
 * but unaffected, with an outage (an outage of 0 is a container that is
 * not running now and loses nothing). */
bool export_goes_down(const struct plan_container *c);
/* A running container that does not come back by itself: stays-down or
 * removed with an unbounded outage. These are highlighted everywhere. */
bool export_not_returning(const struct plan_container *c);

enum export_worst {
	EXPORT_WORST_NONE,         /* nothing goes down (green) */
	EXPORT_WORST_RESTARTS,     /* down, comes back (amber) */
	EXPORT_WORST_STAYS_DOWN,   /* something needs a person (red) */
};
/* The worst of the host's containers, and how many go down / do not
 * return (either count pointer may be NULL). */
enum export_worst export_host_worst(const struct plan_host *h, size_t *down,
				    size_t *not_returning);

/* One wave: the slots (indexes into plan->slots, by start then host) that
 * start together in one occurrence. */
struct export_wave {
	int number;                /* plan_slot.wave */
	size_t *slots;
	size_t nslots;
	int64_t start, end;        /* first start, last slot end */
};

/* One window occurrence with planned slots. */
struct export_occ {
	size_t window;             /* index into plan->in.windows */
	int ordinal;
	int64_t start, end;        /* the occurrence (before freeze cuts) */
	int day;                   /* its local date, YYYYMMDD */
	struct export_wave *waves; /* by number */
	size_t nwaves;
	size_t nslots;
};

struct export_occs {
	struct export_occ *v;      /* by start, then window name */
	size_t n;
};

/* Groups the plan's slots into occurrences and waves. */
void export_occs_build(struct export_occs *out, const struct plan *plan);
void export_occs_release(struct export_occs *o);

/* ---- text helpers --------------------------------------------------- */

/* "2026-11-29T02:00:00+01:00" of t in the slot's window zone. */
void export_time(char out[WINDOW_TIME_MAX], const struct plan *plan,
		 size_t window, int64_t t);
/* "2026-11-29 02:00" (the same without seconds and offset). */
#define EXPORT_SHORT_MAX 20
void export_time_short(char out[EXPORT_SHORT_MAX], const struct plan *plan,
		       size_t window, int64_t t);
/* "Sun" for a local date YYYYMMDD. */
const char *export_weekday(int day);
/* "02:00-02:32", or with the date of the end when it is another day
 * ("23:00-2026-11-30 01:10"), in the window's zone; the dash is U+2013. */
int export_span(struct buf *b, const struct plan *plan, size_t window,
		int64_t start, int64_t end);
/* "4h", "1h 05m", "2m 17s", "45s". */
int export_duration(struct buf *b, long long seconds);

/* Escapers; each appends s to b written for its syntax, replacing control
 * characters by spaces, and returns 0 or ERR_LIMIT. */
int export_esc_html(struct buf *b, const char *s);   /* & < > " ' */
int export_esc_md(struct buf *b, const char *s);     /* inline text, safe
							  in a GFM table cell */
int export_esc_csv(struct buf *b, const char *s);    /* one RFC 4180 field;
							  a leading = + - @
							  is prefixed with '
							  (formula injection) */
int export_esc_yaml(struct buf *b, const char *s);   /* a YAML double-quoted
							  scalar with its quotes */

/* How one markup writes a row of the wave table (html and md): the row
 * opening before the host's name (the _nr forms when some of the host's
 * containers will not come back), what closes the name cell, the cell
 * separator, the row end, the mark of a late slot, the escaper and the
 * containers cell. */
struct export_markup {
	const char *row_open, *row_open_nr;
	const char *name_close, *name_close_nr;
	const char *sep, *row_close, *late;
	int (*esc)(struct buf *b, const char *s);
	int (*containers)(struct buf *b, const struct plan_host *h);
};

/* Appends the wave-table row of slot sl (host, urgency, deadline, actions,
 * down for, slot, containers going down) in markup m; *nr (may be NULL)
 * gets how many of the host's containers will not come back. */
int export_slot_row(struct buf *b, const struct plan *plan,
		    const struct plan_slot *sl, const struct export_markup *m,
		    size_t *nr);

/* Names Ansible can be given without quoting trouble: letters, digits and
 * extra (e.g. "._-"), starting with a letter or digit, 1..255 bytes. */
bool export_name_ok(const char *s, const char *extra);

/* 64-bit FNV-1a of the strings in order, each followed by a NUL. */
uint64_t export_hash(const char *const *parts, size_t n);

#endif
