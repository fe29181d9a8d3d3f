/* ui.h - the UI's internals (STYLE.md 16-19, after tig): views are
 * `struct view_ops { open, draw_line, handle, close }`, one tui/view_NAME.c
 * each, over one generic table (tui/view.c) that does scrolling, search,
 * filter, sort, tags and the title and header lines once for all views.
 * Keys map to actions through one table (tui/keys.c) that the help
 * overlay is generated from. Handlers return flags and never draw; the
 * loop in tui/ui.c redraws what is dirty with wnoutrefresh and one
 * doupdate(), and the one input function handles KEY_RESIZE. Colours are
 * semantic roles of a theme (tui/theme.c). */
#ifndef SLIPWAY_TUI_UI_H
#define SLIPWAY_TUI_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <curses.h>

#include "config.h"
#include "err.h"
#include "plan.h"
#include "store.h"
#include "tui.h"
#include "work.h"

/* ---- actions and the key table ---------------------------------- */

enum action {
	ACT_NONE,
	ACT_HELP,
	ACT_SEARCH,
	ACT_SEARCH_NEXT,
	ACT_SEARCH_PREV,
	ACT_FILTER,
	ACT_SORT,
	ACT_REVERSE,
	ACT_VIEW_NEXT,
	ACT_VIEW_PREV,
	ACT_VIEW_OVERVIEW,
	ACT_VIEW_HOSTS,
	ACT_VIEW_ADVISORIES,
	ACT_VIEW_CONTAINERS,
	ACT_VIEW_PLAN,
	ACT_ENTER,
	ACT_BACK,
	ACT_QUIT,
	ACT_DOWN,
	ACT_UP,
	ACT_PAGE_DOWN,
	ACT_PAGE_UP,
	ACT_TOP,
	ACT_BOTTOM,
	ACT_TAG,
	ACT_TAGGED,
	ACT_RELOAD,
	ACT_EXPORT,
	ACT_COMMAND,
	ACT_WONT_RETURN,
	ACT_EXPOSED,
	ACT_PIN_NEXT,
	ACT_PIN_PREV,
	ACT_POSTPONE,
	ACT_EXCLUDE,
	ACT_CLEAR,
	ACT_COUNT
};

/* The views, as bits for the key table. */
enum view_id {
	VIEW_OVERVIEW,
	VIEW_HOSTS,
	VIEW_HOST,
	VIEW_ADVISORIES,
	VIEW_ADVISORY,
	VIEW_CONTAINERS,
	VIEW_PLAN,
	VIEW_HELP,
	VIEW_COUNT
};
#define VBIT(v) (1u << (v))
#define VALL ((1u << VIEW_COUNT) - 1u)

struct key_action {
	enum action action;
	int key;                 /* curses key code or character */
	const char *keyname;     /* as the help shows it */
	const char *help;
	unsigned views;          /* VBIT()s where the key works */
	bool pins;               /* changes pins: hidden by --read-only */
};

extern const struct key_action key_table[];
extern const size_t key_table_len;

/* The action of key in view v, ACT_NONE when the key means nothing
 * there (or changes pins and the UI is read-only). */
enum action keys_lookup(int key, enum view_id v, bool read_only);

/* ---- flags a handler returns -------------------------------------- */

enum {
	HANDLED = 1 << 0,     /* the key meant something */
	REDRAW = 1 << 1,      /* the screen changed */
	RELOAD = 1 << 2,      /* re-read the database (every view) */
	REPLAN = 1 << 3,      /* pins changed: recompute the plan */
	QUIT = 1 << 4,        /* leave the UI */
};

/* ---- theme -------------------------------------------------------- */

enum role {
	ROLE_NORMAL,
	ROLE_TITLE,
	ROLE_TAB,
	ROLE_TAB_ACTIVE,
	ROLE_HEADER,
	ROLE_SELECTED,
	ROLE_STATUS,
	ROLE_NOTICE,
	ROLE_ERROR,
	ROLE_HEADING,
	ROLE_DIM,
	ROLE_TAGGED,
	ROLE_SEARCH,
	ROLE_SEV_CRITICAL,
	ROLE_SEV_HIGH,
	ROLE_SEV_MEDIUM,
	ROLE_SEV_LOW,
	ROLE_KEV,
	ROLE_STALE,
	ROLE_OK,
	ROLE_STAYS_DOWN,
	ROLE_RESTARTS,
	ROLE_BAR,
	ROLE_LATE,
	ROLE_COUNT
};

/* Sets up colour pairs for the colour theme, or the monochrome one when
 * mono is set or the terminal has no colours. */
void theme_init(bool mono);
/* The curses attributes of a role. */
attr_t theme_attr(enum role r);
/* The role of a level word ("critical" ...) and of an effect word. */
enum role theme_level_role(const char *level);
enum role theme_effect_role(const char *effect);

/* ---- drawing helpers (wide characters) ------------------------------ */

/* Draws the UTF-8 text s at (y, x) in at most width terminal columns,
 * cutting at a character boundary (wcwidth) and padding with spaces to
 * width when pad is set. Returns the columns written. */
int draw_text(WINDOW *w, int y, int x, int width, const char *s, attr_t attr,
	      bool pad);
/* The terminal columns of UTF-8 text. */
int text_width(const char *s);
/* "45s", "2m10s", "3h05m", "2d04h"; "-" for a negative duration (until a
 * person acts). */
void fmt_duration(char *out, size_t outsz, long long secs);

/* ---- the generic table ------------------------------------------- */

enum col_kind {
	COL_TEXT,
	COL_NUM,       /* compares as a number */
	COL_LEVEL,     /* critical > high > ...; coloured by level */
	COL_EFFECT,    /* coloured by effect */
};

struct column {
	const char *title;
	int width;               /* preferred columns */
	int min;                 /* narrowest it is drawn */
	enum col_kind kind;
	bool right;              /* right-aligned */
	bool nosort;             /* s skips it */
	int drop;                /* 0: always shown; when the minimum widths
				    do not fit, the highest drop goes first */
};

struct row {
	char **cells;            /* ncols strings, owned */
	enum role role;          /* ROLE_NORMAL or a role for the whole line */
	size_t ref;              /* index into the view's own data */
	bool tagged;
};

struct view;
struct ui;

struct view_ops {
	const char *name;        /* title bar and help */
	enum view_id id;
	/* Reads the data (through uiq.h / plan.h) and fills the rows with
	 * view_add_row(). Called on first show and on RELOAD. */
	int (*open)(struct view *v, struct err *err);
	/* Draws row r (an index into v->rows) at line y; NULL: the generic
	 * cell drawing. */
	void (*draw_line)(struct view *v, WINDOW *w, int y, size_t r,
			  bool selected);
	/* View-specific keys; returns flags (0: not handled here). */
	int (*handle)(struct view *v, enum action a);
	/* Frees what open() kept in v->priv. */
	void (*close)(struct view *v);
	/* Whether row r passes the view's quick filters; NULL: all do. */
	bool (*keep)(struct view *v, size_t r);
	/* The host row r stands for (pin keys, tags), or NULL. */
	const char *(*row_host)(struct view *v, size_t r);
};

struct view {
	const struct view_ops *ops;
	struct ui *ui;
	char *arg;               /* the host or advisory shown, or NULL */
	const struct column *cols;
	int ncols;               /* 1 and no header: a text view */
	bool header;             /* draw the column titles */
	struct row *rows;
	size_t nrows, arows;
	size_t *vis;             /* visible rows (filtered, sorted) */
	size_t nvis;
	size_t top, cur;         /* indexes into vis */
	int sort_col;            /* -1: the order open() gave */
	bool reverse;
	char *filter;            /* substring, case-insensitive; NULL none */
	char *status;            /* the view's own status text, or NULL */
	void *priv;
	bool opened;
};

/* Appends a row of ncols cells (copied); returns it for role/ref. */
struct row *view_add_row(struct view *v, size_t ref, const char *const *cells);
/* A text view's line (one cell). */
struct row *view_add_line(struct view *v, enum role role, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Drops every row (before a reload). */
void view_clear_rows(struct view *v);
/* Recomputes vis from filter, quick filters and sort, keeping the cursor
 * on the same row when it is still visible. */
void view_refilter(struct view *v);
/* The row under the cursor, or NULL. */
struct row *view_current(struct view *v);
/* Draws the header line and the body. */
void view_draw(struct view *v, WINDOW *hdr, WINDOW *body);
/* Movement, search, filter, sort and tags: returns flags. */
int view_handle_common(struct view *v, enum action a);
/* Moves the cursor to the first visible row whose cell col equals s. */
bool view_goto(struct view *v, int col, const char *s);
/* Whether the row matches pattern (case-insensitive substring). */
bool view_row_matches(const struct view *v, const struct row *r,
		      const char *pattern);

extern const struct view_ops view_overview_ops, view_hosts_ops, view_host_ops,
	view_advisories_ops, view_advisory_ops, view_containers_ops,
	view_plan_ops, view_help_ops;

/* ---- the UI ----------------------------------------------------- */

enum prompt_kind {
	PROMPT_NONE,
	PROMPT_SEARCH,
	PROMPT_FILTER,
	PROMPT_COMMAND,
	PROMPT_EXPORT_PATH,
	PROMPT_POSTPONE,
};

#define UI_STACK_MAX 8
#define UI_PROMPT_MAX 256

struct ui {
	const struct tui_options *opt;
	struct store *store;
	const struct config *cfg;
	WINDOW *title, *hdr, *body, *status;
	int rows, cols;
	/* the top-level views (one each, kept while the UI runs) and the
	 * stack of views opened over them (host, advisory, help) */
	struct view *top[VIEW_COUNT];
	int cur_top;
	struct view *stack[UI_STACK_MAX];
	int depth;               /* stack[depth - 1] is shown */
	/* the worker's results: every container with its impact, and the
	 * plan over [now, now + weeks) (NULL until they arrive) */
	struct work work;
	bool work_pending;       /* the worker is running */
	bool work_queued;        /* pins changed while it ran: plan again */
	const struct uiq_containers *containers;
	const struct plan *work_plan;
	char *pin_host;          /* the host a postpone prompt is for */
	bool findings_reloaded;  /* the views re-read the worker's findings */
	/* prompt in the status line */
	enum prompt_kind prompt;
	char prompt_text[UI_PROMPT_MAX];
	size_t prompt_len;
	char *search;            /* the last search pattern */
	/* export dialog: format menu, then the path prompt */
	bool export_menu;
	int export_sel;
	char *export_format;
	/* `;`: the next action applies to every tagged host */
	bool apply_tagged;
	char *message;           /* one line for the status bar */
	bool message_error;
	long long data_version;
	bool data_changed;       /* another program wrote: R reloads */
	bool dirty;
	FILE *timing;
};

/* The view on screen. */
struct view *ui_view(struct ui *ui);
/* Shows a message (printf-style) in the status bar until the next key. */
void ui_message(struct ui *ui, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Opens a view over the current one (host or advisory detail, help);
 * arg is copied. Returns flags. */
int ui_push(struct ui *ui, const struct view_ops *ops, const char *arg);
/* Starts a prompt in the status line. */
void ui_prompt(struct ui *ui, enum prompt_kind kind, const char *initial);
/* Runs a `:` command line; returns flags. */
int ui_command(struct ui *ui, const char *line);
/* Pins host according to a (ACT_PIN_NEXT ...; day for ACT_POSTPONE),
 * then the plan is recomputed; returns flags. */
int ui_pin(struct ui *ui, const char *host, enum action a, const char *day);
/* The hosts a pin key applies to: the tagged ones after `;`, else the
 * one given. Returns flags. */
int ui_pin_key(struct ui *ui, const char *host, enum action a);
/* The slot of host in the plan, or NULL. */
const struct plan_slot *ui_plan_slot(struct ui *ui, const char *host,
				     size_t *host_index);
/* "Sun 2026-11-29 02:00 +01:00": t shown at a UTC offset (seconds east;
 * the worker computes offsets, so the UI thread never calls libical). */
void ui_format_offset_time(char *out, size_t outsz, int64_t t, int offset);
/* The view a help overlay describes (the one under it). */
enum view_id ui_view_below(struct ui *ui);
/* A search or filter prompt was answered; return flags. */
int view_search_answer(struct view *v, const char *pat);
int view_filter_answer(struct view *v, const char *text);

#endif
