/* ui.c - the UI's one loop (STYLE.md 18): read a key in the one input
 * function (which also handles KEY_RESIZE and the prompt), map it to an
 * action through the key table, let the view's handler (then the common
 * one) return flags, and redraw what changed with wnoutrefresh and one
 * doupdate(). The slow work of a large fleet (the impact model over every
 * container and the plan) runs in a worker thread on its own database
 * connection, so the UI opens and answers keys while it runs; views that
 * need it say so until it arrives. Another program writing the database
 * (a timer refresh) is noticed through PRAGMA data_version and offered
 * for reload with R. */
#include "ui.h"

#include <errno.h>
#include <locale.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "export.h"
#include "finding.h"
#include "uiq.h"
#include "window.h"
#include "xalloc.h"
#include "banned.h"

#define ESC 27

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- views ---------------------------------------------------------- */

static const struct view_ops *const top_ops[] = {
	&view_overview_ops, &view_hosts_ops, &view_advisories_ops,
	&view_containers_ops, &view_plan_ops,
};
#define NTOP (sizeof(top_ops) / sizeof(top_ops[0]))

static struct view *view_new(struct ui *ui, const struct view_ops *ops,
			     const char *arg)
{
	struct view *v = xcalloc(1, sizeof(*v));

	v->ops = ops;
	v->ui = ui;
	v->arg = arg ? xstrdup(arg) : NULL;
	v->sort_col = -1;
	return v;
}

static void view_free(struct view *v)
{
	if (!v)
		return;
	if (v->ops->close)
		v->ops->close(v);
	view_clear_rows(v);
	free(v->rows);
	free(v->vis);
	free(v->filter);
	free(v->status);
	free(v->arg);
	free(v);
}

/* (Re)reads a view's data, keeping the cursor on the row with the same
 * first cell when there is one. */
static int view_open(struct view *v)
{
	struct row *r = view_current(v);
	char *keep = r && v->ncols ? xstrdup(r->cells[0]) : NULL;
	size_t cur = v->cur, top = v->top;
	struct err err;
	int rc;

	err_clear(&err);
	view_clear_rows(v);
	free(v->status);
	v->status = NULL;
	rc = v->ops->open(v, &err);
	if (rc) {
		view_clear_rows(v);
		if (!v->ncols) {
			static const struct column text_col = { .title = "", .width = 80, .min = 10 };

			v->cols = &text_col;
			v->ncols = 1;
		}
		view_add_line(v, ROLE_ERROR, "cannot read the %s: %s", v->ops->name, err.msg);
	}
	v->opened = true;
	view_refilter(v);
	if (keep && !view_goto(v, 0, keep) && cur < v->nvis)
		v->cur = cur;
	v->top = top <= v->cur ? top : v->cur;
	free(keep);
	return rc;
}

struct view *ui_view(struct ui *ui)
{
	return ui->depth ? ui->stack[ui->depth - 1] : ui->top[ui->cur_top];
}

static void show_top(struct ui *ui, int which)
{
	while (ui->depth)
		view_free(ui->stack[--ui->depth]);
	ui->cur_top = which;
	if (!ui->top[which]) {
		ui->top[which] = view_new(ui, top_ops[which], NULL);
		view_open(ui->top[which]);
	}
}

int ui_push(struct ui *ui, const struct view_ops *ops, const char *arg)
{
	struct view *v;

	if (ui->depth == UI_STACK_MAX) {
		view_free(ui->stack[0]);
		memmove(ui->stack, ui->stack + 1, sizeof(ui->stack[0]) * (UI_STACK_MAX - 1));
		ui->depth--;
	}
	v = view_new(ui, ops, arg);
	ui->stack[ui->depth++] = v;
	view_open(v);
	return HANDLED | REDRAW;
}

/* The view a help overlay describes: the one under it. */
enum view_id ui_view_below(struct ui *ui)
{
	if (ui->depth >= 2)
		return ui->stack[ui->depth - 2]->ops->id;
	return ui->top[ui->cur_top]->ops->id;
}

static void reopen_all(struct ui *ui)
{
	for (size_t i = 0; i < NTOP; i++)
		if (ui->top[i])
			view_open(ui->top[i]);
	for (int i = 0; i < ui->depth; i++)
		view_open(ui->stack[i]);
}

/* ---- messages, prompts ---------------------------------------------- */

void ui_message(struct ui *ui, bool error, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	free(ui->message);
	ui->message = xstrdup(line);
	ui->message_error = error;
}

void ui_prompt(struct ui *ui, enum prompt_kind kind, const char *initial)
{
	size_t n = strlen(initial);

	if (n >= UI_PROMPT_MAX)
		n = UI_PROMPT_MAX - 1;
	memcpy(ui->prompt_text, initial, n);
	ui->prompt_text[n] = 0;
	ui->prompt_len = n;
	ui->prompt = kind;
}

static const char *prompt_label(enum prompt_kind k)
{
	switch (k) {
	case PROMPT_SEARCH: return "/";
	case PROMPT_FILTER: return "filter: ";
	case PROMPT_COMMAND: return ":";
	case PROMPT_EXPORT_PATH: return "export to: ";
	case PROMPT_POSTPONE: return "postpone past (YYYY-MM-DD): ";
	default: return "";
	}
}

/* ---- time ----------------------------------------------------------- */

void ui_format_offset_time(char *out, size_t outsz, int64_t t, int offset)
{
	time_t lt = (time_t)(t + offset);
	struct tm tm;
	char tz[16];
	int a = offset < 0 ? -offset : offset;

	char day[40];

	gmtime_r(&lt, &tm);
	snprintf(tz, sizeof(tz), "%c%02d:%02d", offset < 0 ? '-' : '+', a / 3600, a / 60 % 60);
	if (!strftime(day, sizeof(day), "%a %Y-%m-%d %H:%M", &tm))
		day[0] = 0;
	snprintf(out, outsz, "%s %s", day, tz);
}

/* ---- the plan ------------------------------------------------------- */

const struct plan_slot *ui_plan_slot(struct ui *ui, const char *host,
				     size_t *host_index)
{
	const struct plan *p = ui->work_plan;

	if (!p)
		return NULL;
	for (size_t i = 0; i < p->in.nhosts; i++) {
		if (strcmp(p->in.hosts[i].name, host))
			continue;
		if (host_index)
			*host_index = i;
		if (p->host_slot && p->host_slot[i] >= 0)
			return &p->slots[p->host_slot[i]];
		return NULL;
	}
	return NULL;
}

/* Starts the worker on what is missing: the containers' impact and the
 * plan. */
static void start_work(struct ui *ui, bool containers, bool plan)
{
	work_start(&ui->work, containers, plan);
	ui->work_pending = true;
}

/* Takes the worker's results when it is done; returns flags. */
static int collect_work(struct ui *ui)
{
	struct view *v;
	int which;

	if (!ui->work_pending || !work_done(&ui->work))
		return 0;
	which = work_collect(&ui->work);
	ui->work_pending = false;
	if (which & WORK_DATA)
		ui->containers = &ui->work.containers;
	if (which & WORK_PLAN)
		ui->work_plan = ui->work.plan_ok ? &ui->work.plan : NULL;
	if (ui->work.error[0])
		ui_message(ui, true, "%s", ui->work.error);
	/* the worker's first job recomputed the findings (tui): that write
	 * is ours, not another program's, and every view shows findings */
	if (ui->opt->update_findings && !ui->findings_reloaded) {
		struct err err;

		ui->findings_reloaded = true;
		ui->data_changed = false;
		uiq_data_version(&ui->data_version, ui->store, &err);
		for (size_t i = 0; i < NTOP; i++)
			if ((v = ui->top[i]) && v->ops->id == VIEW_ADVISORIES)
				view_open(v);
	}
	/* the views that show these; every top view is built now, while no
	 * key waits, so switching to one later costs only its drawing */
	for (size_t i = 0; i < NTOP; i++) {
		if (!ui->top[i]) {
			ui->top[i] = view_new(ui, top_ops[i], NULL);
			view_open(ui->top[i]);
		} else if ((v = ui->top[i])->ops->id != VIEW_ADVISORIES || (which & WORK_DATA)) {
			view_open(v);
		}
	}
	for (int i = 0; i < ui->depth; i++)
		view_open(ui->stack[i]);
	if (ui->work_queued) {
		ui->work_queued = false;
		start_work(ui, false, true);
	}
	return REDRAW;
}

static int replan(struct ui *ui)
{
	if (ui->work_pending) {
		ui->work_queued = true;
		return REDRAW;
	}
	start_work(ui, false, true);
	return REDRAW;
}

/* The window occurrence next to the host's slot (dir +1 / -1), as a pin
 * (window name, local day). */
static int neighbour_occ(struct ui *ui, const char *host, int dir,
			 const char **window, char day[16])
{
	const struct plan *p = ui->work_plan;
	const struct plan_slot *sl;
	size_t hi;

	if (!p)
		return -1;
	sl = ui_plan_slot(ui, host, &hi);
	if (!sl) {
		const struct plan_host *h;

		/* not placed: the first occurrence of its first window */
		for (hi = 0; hi < p->in.nhosts && strcmp(p->in.hosts[hi].name, host); hi++)
			;
		if (hi == p->in.nhosts)
			return -1;
		h = &p->in.hosts[hi];
		if (dir < 0 || !h->nwindows || !p->in.windows[h->windows[0]].nocc)
			return -1;
		*window = p->in.windows[h->windows[0]].name;
		snprintf(day, 16, "%04d-%02d-%02d", p->in.windows[h->windows[0]].occ[0].day / 10000,
			 p->in.windows[h->windows[0]].occ[0].day / 100 % 100,
			 p->in.windows[h->windows[0]].occ[0].day % 100);
		return 0;
	}
	{
		const struct plan_window *w = &p->in.windows[sl->window];
		int ord = w->occ[sl->occ].ordinal;
		long j = (long)sl->occ;

		for (;;) {
			j += dir;
			if (j < 0 || (size_t)j >= w->nocc)
				return -1;
			if (w->occ[j].ordinal != ord)
				break;
		}
		/* first span of that occurrence */
		while (j > 0 && w->occ[j - 1].ordinal == w->occ[j].ordinal)
			j--;
		*window = w->name;
		snprintf(day, 16, "%04d-%02d-%02d", w->occ[j].day / 10000,
			 w->occ[j].day / 100 % 100, w->occ[j].day % 100);
		return 0;
	}
}

int ui_pin(struct ui *ui, const char *host, enum action a, const char *day_in)
{
	struct err err;
	const char *window = NULL;
	char day[16];
	int rc = 0, removed = 0;

	err_clear(&err);
	switch (a) {
	case ACT_PIN_NEXT:
	case ACT_PIN_PREV:
		if (neighbour_occ(ui, host, a == ACT_PIN_NEXT ? 1 : -1, &window, day)) {
			ui_message(ui, true, "'%s': no %s window occurrence in the horizon", host,
				   a == ACT_PIN_NEXT ? "later" : "earlier");
			return HANDLED | REDRAW;
		}
		rc = plan_pin_window(ui->store, host, window, day, &err);
		if (!rc)
			ui_message(ui, false, "'%s' pinned to %s on %s", host, window, day);
		break;
	case ACT_POSTPONE:
		rc = plan_pin_after(ui->store, host, day_in, &err);
		if (!rc)
			ui_message(ui, false, "'%s' postponed past %s", host, day_in);
		break;
	case ACT_EXCLUDE:
		rc = plan_pin_exclude(ui->store, host, &err);
		if (!rc)
			ui_message(ui, false, "'%s' excluded from the plan", host);
		break;
	case ACT_CLEAR:
		rc = plan_pin_clear(ui->store, host, &removed, &err);
		if (!rc)
			ui_message(ui, false, "'%s': %d pin%s cleared", host, removed,
				   removed == 1 ? "" : "s");
		break;
	default:
		return 0;
	}
	if (rc) {
		ui_message(ui, true, "%s", err.msg);
		return HANDLED | REDRAW;
	}
	/* our own write: not a change by another program */
	uiq_data_version(&ui->data_version, ui->store, &err);
	return HANDLED | REDRAW | REPLAN;
}

int ui_pin_key(struct ui *ui, const char *host, enum action a)
{
	struct view *v = ui_view(ui);
	int flags = 0, n = 0;

	if (ui->opt->read_only)
		return HANDLED;
	if (a == ACT_POSTPONE) {
		free(ui->pin_host);
		ui->pin_host = host ? xstrdup(host) : NULL;
		ui_prompt(ui, PROMPT_POSTPONE, "");
		return HANDLED | REDRAW;
	}
	if (ui->apply_tagged) {
		ui->apply_tagged = false;
		for (size_t i = 0; i < v->nrows; i++)
			if (v->rows[i].tagged && v->ops->row_host) {
				const char *h = v->ops->row_host(v, i);

				if (h) {
					flags |= ui_pin(ui, h, a, NULL);
					n++;
				}
			}
		if (n > 1)
			ui_message(ui, false, "%d tagged hosts changed", n);
		return flags | HANDLED | REDRAW;
	}
	if (!host) {
		ui_message(ui, true, "no host under the cursor");
		return HANDLED | REDRAW;
	}
	return ui_pin(ui, host, a, NULL);
}

/* ---- export ---------------------------------------------------------- */

static const char *const export_formats[] = {
	"text", "json", "csv", "md", "html", "ics", "ansible",
};
#define NFORMATS (sizeof(export_formats) / sizeof(export_formats[0]))

static int write_file(const char *path, const char *data, size_t len, struct err *err)
{
	FILE *fp = fopen(path, "w");

	if (!fp)
		return err_set(err, ERR_IO, "cannot write '%s': %s", path, strerror(errno));
	if (fwrite(data, 1, len, fp) != len || fclose(fp)) {
		if (fp)
			fclose(fp);
		return err_set(err, ERR_IO, "cannot write '%s': %s", path, strerror(errno));
	}
	return 0;
}

static int do_export(struct ui *ui, const char *format, const char *path)
{
	struct err err;
	struct buf b;
	int rc;

	err_clear(&err);
	if (!ui->work_plan) {
		ui_message(ui, true, "no plan yet%s%s", ui->work.error[0] ? ": " : "",
			   ui->work.error);
		return HANDLED | REDRAW;
	}
	if (!*path) {
		ui_message(ui, true, "export: no path given");
		return HANDLED | REDRAW;
	}
	if (!strcmp(format, "text") || !strcmp(format, "json")) {
		buf_init(&b, BUF_MAX_DEFAULT);
		rc = !strcmp(format, "text") ? plan_write_text(ui->work_plan, &b, &err)
					     : plan_write_json(ui->work_plan, ui->store, &b, &err);
		if (!rc && !strcmp(format, "json"))
			rc = buf_addch(&b, '\n');
		if (!rc)
			rc = write_file(path, b.ptr, b.len, &err);
		buf_release(&b);
	} else if (export_has_format(format, NULL)) {
		rc = export_write(ui->work_plan, format, path, &err);
	} else {
		ui_message(ui, true, "unknown export format '%s' (text json %s)", format,
			   export_format_names());
		return HANDLED | REDRAW;
	}
	if (rc)
		ui_message(ui, true, "export: %s", err.msg);
	else
		ui_message(ui, false, "plan written to '%s' (%s)", path, format);
	return HANDLED | REDRAW;
}

/* ---- `:` commands ---------------------------------------------------- */

#define CMD_ARGS_MAX 4

int ui_command(struct ui *ui, const char *line)
{
	char copy[UI_PROMPT_MAX], *argv[CMD_ARGS_MAX + 1], *p = copy;
	int argc = 0;

	snprintf(copy, sizeof(copy), "%s", line);
	while (argc <= CMD_ARGS_MAX) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		argv[argc++] = p;
		while (*p && *p != ' ')
			p++;
		if (*p)
			*p++ = 0;
	}
	if (!argc)
		return HANDLED | REDRAW;
	if (argc > CMD_ARGS_MAX) {
		ui_message(ui, true, "too many words in ':%s'", line);
		return HANDLED | REDRAW;
	}
	if (!strcmp(argv[0], "q") || !strcmp(argv[0], "quit"))
		return HANDLED | QUIT;
	if (!strcmp(argv[0], "export")) {
		if (argc != 3) {
			ui_message(ui, true, "usage: :export FORMAT PATH (text json %s)",
				   export_format_names());
			return HANDLED | REDRAW;
		}
		return do_export(ui, argv[1], argv[2]);
	}
	if (!strcmp(argv[0], "view") && argc == 2) {
		for (size_t i = 0; i < NTOP; i++)
			if (!strcmp(top_ops[i]->name, argv[1])) {
				show_top(ui, (int)i);
				return HANDLED | REDRAW;
			}
		ui_message(ui, true, "no view '%s'", argv[1]);
		return HANDLED | REDRAW;
	}
	if (!strcmp(argv[0], "reload"))
		return HANDLED | RELOAD;
	if (!strcmp(argv[0], "pin") || !strcmp(argv[0], "postpone") ||
	    !strcmp(argv[0], "exclude") || !strcmp(argv[0], "clear")) {
		struct err err;
		int rc, removed = 0;

		if (ui->opt->read_only) {
			ui_message(ui, true, "read-only: pins cannot change");
			return HANDLED | REDRAW;
		}
		err_clear(&err);
		if (!strcmp(argv[0], "pin") && (argc == 3 || argc == 4))
			rc = plan_pin_window(ui->store, argv[1], argv[2], argc == 4 ? argv[3] : NULL, &err);
		else if (!strcmp(argv[0], "postpone") && argc == 3)
			rc = plan_pin_after(ui->store, argv[1], argv[2], &err);
		else if (!strcmp(argv[0], "exclude") && argc == 2)
			rc = plan_pin_exclude(ui->store, argv[1], &err);
		else if (!strcmp(argv[0], "clear") && argc == 2)
			rc = plan_pin_clear(ui->store, argv[1], &removed, &err);
		else {
			ui_message(ui, true, "usage: :pin HOST WINDOW [YYYY-MM-DD], :postpone HOST YYYY-MM-DD, :exclude HOST, :clear HOST");
			return HANDLED | REDRAW;
		}
		if (rc) {
			ui_message(ui, true, "%s", err.msg);
			return HANDLED | REDRAW;
		}
		uiq_data_version(&ui->data_version, ui->store, &err);
		ui_message(ui, false, "'%s': %s done", argv[1], argv[0]);
		return HANDLED | REDRAW | REPLAN;
	}
	ui_message(ui, true, "unknown command '%s' (export, pin, postpone, exclude, clear, view, reload, quit)",
		   argv[0]);
	return HANDLED | REDRAW;
}

/* ---- drawing ----------------------------------------------------------- */

static void draw_title(struct ui *ui)
{
	WINDOW *w = ui->title;
	int x = 0, cols = getmaxx(w);
	char label[96];

	werase(w);
	draw_text(w, 0, 0, cols, "", theme_attr(ROLE_TAB), true);
	for (size_t i = 0; i < NTOP && x < cols; i++) {
		bool active = (int)i == ui->cur_top;

		snprintf(label, sizeof(label), " %zu %s ", i + 1, top_ops[i]->name);
		x += draw_text(w, 0, x, cols - x, label,
			       theme_attr(active ? ROLE_TAB_ACTIVE : ROLE_TAB), false);
	}
	/* only the view on top: the tabs and it fit in 80 columns */
	for (int i = ui->depth ? ui->depth - 1 : 0; i < ui->depth && x < cols; i++) {
		const struct view *v = ui->stack[i];

		snprintf(label, sizeof(label), " > %s", v->arg ? v->arg : v->ops->name);
		x += draw_text(w, 0, x, cols - x, label, theme_attr(ROLE_TITLE), false);
	}
	snprintf(label, sizeof(label), "%s%s%s%s ", ui->work_pending ? "working... " : "",
		 ui->opt->read_only ? "read-only " : "",
		 ui->opt->title ? "slipway " : "slipway", ui->opt->title ? ui->opt->title : "");
	if (x + text_width(label) + 1 < cols)
		draw_text(w, 0, cols - text_width(label), text_width(label), label,
			  theme_attr(ROLE_TITLE), false);
	wnoutrefresh(w);
}

static void draw_status(struct ui *ui)
{
	WINDOW *w = ui->status;
	int cols = getmaxx(w);
	struct view *v = ui_view(ui);
	char line[512];

	werase(w);
	if (ui->prompt) {
		snprintf(line, sizeof(line), "%s%s", prompt_label(ui->prompt), ui->prompt_text);
		draw_text(w, 0, 0, cols, line, theme_attr(ROLE_NORMAL), true);
		wmove(w, 0, text_width(line) < cols ? text_width(line) : cols - 1);
		curs_set(1);
	} else {
		curs_set(0);
		if (ui->message) {
			draw_text(w, 0, 0, cols, ui->message,
				  theme_attr(ui->message_error ? ROLE_ERROR : ROLE_STATUS), true);
		} else if (ui->data_changed) {
			draw_text(w, 0, 0, cols, "the database changed (a refresh ran): R reloads",
				  theme_attr(ROLE_NOTICE), true);
		} else {
			size_t pos = v->nvis ? v->cur + 1 : 0;

			snprintf(line, sizeof(line), "%s%zu/%zu%s%s%s  ?:help /:search Tab:views q:back",
				 ui->apply_tagged ? "; (tagged) " : "", pos, v->nvis,
				 v->filter ? " filter '" : "", v->filter ? v->filter : "",
				 v->filter ? "'" : "");
			draw_text(w, 0, 0, cols, line, theme_attr(ROLE_STATUS), true);
		}
	}
	wnoutrefresh(w);
}

/* The export menu over the body. */
static void draw_export_menu(struct ui *ui)
{
	int h = (int)NFORMATS + 4, wd = 44, y0, x0;
	WINDOW *w;

	if (getmaxy(ui->body) < h || getmaxx(ui->body) < wd)
		return;
	y0 = (getmaxy(ui->body) - h) / 2 + getbegy(ui->body);
	x0 = (getmaxx(ui->body) - wd) / 2;
	w = newwin(h, wd, y0, x0);
	if (!w)
		return;
	werase(w);
	box(w, 0, 0);
	draw_text(w, 0, 2, wd - 4, " export the plan ", theme_attr(ROLE_HEADING), false);
	for (int i = 0; i < (int)NFORMATS; i++)
		draw_text(w, 1 + i, 2, wd - 4, export_formats[i],
			  theme_attr(i == ui->export_sel ? ROLE_SELECTED : ROLE_NORMAL), true);
	draw_text(w, h - 2, 2, wd - 4, "Enter: choose, then the path; Esc: cancel",
		  theme_attr(ROLE_DIM), false);
	wnoutrefresh(w);
	delwin(w);
}

static void draw(struct ui *ui)
{
	struct view *v = ui_view(ui);

	draw_title(ui);
	view_draw(v, ui->hdr, ui->body);
	wnoutrefresh(ui->hdr);
	wnoutrefresh(ui->body);
	if (ui->export_menu)
		draw_export_menu(ui);
	draw_status(ui);
	doupdate();
}

static void layout(struct ui *ui)
{
	int rows, cols;

	getmaxyx(stdscr, rows, cols);
	if (rows < 4)
		rows = 4;
	if (cols < 10)
		cols = 10;
	if (ui->title) {
		delwin(ui->title);
		delwin(ui->hdr);
		delwin(ui->body);
		delwin(ui->status);
	}
	ui->rows = rows;
	ui->cols = cols;
	ui->title = newwin(1, cols, 0, 0);
	ui->hdr = newwin(1, cols, 1, 0);
	ui->body = newwin(rows - 3, cols, 2, 0);
	ui->status = newwin(1, cols, rows - 1, 0);
	keypad(ui->status, TRUE);
	/* the clear of stdscr after a resize, so nothing old is left; the
	 * following draw() paints every window in one doupdate() */
	wnoutrefresh(stdscr);
}

/* ---- input ------------------------------------------------------------ */

/* Handles a key while the prompt is open; returns flags. */
static int prompt_key(struct ui *ui, int ch)
{
	enum prompt_kind kind = ui->prompt;
	struct view *v = ui_view(ui);
	char text[UI_PROMPT_MAX];

	if (ch == ESC || ch == 7 /* C-g */) {
		ui->prompt = PROMPT_NONE;
		return REDRAW;
	}
	if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
		/* one UTF-8 character back */
		while (ui->prompt_len > 0 &&
		       ((unsigned char)ui->prompt_text[--ui->prompt_len] & 0xC0) == 0x80)
			;
		ui->prompt_text[ui->prompt_len] = 0;
		return REDRAW;
	}
	if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
		snprintf(text, sizeof(text), "%s", ui->prompt_text);
		ui->prompt = PROMPT_NONE;
		switch (kind) {
		case PROMPT_SEARCH:
			return view_search_answer(v, text);
		case PROMPT_FILTER:
			return view_filter_answer(v, text);
		case PROMPT_COMMAND:
			return ui_command(ui, text);
		case PROMPT_EXPORT_PATH:
			return do_export(ui, ui->export_format ? ui->export_format : "text", text);
		case PROMPT_POSTPONE:
			if (!ui->pin_host)
				return REDRAW;
			if (ui->apply_tagged) {
				int flags = 0;

				ui->apply_tagged = false;
				for (size_t i = 0; i < v->nrows; i++)
					if (v->rows[i].tagged && v->ops->row_host &&
					    v->ops->row_host(v, i))
						flags |= ui_pin(ui, v->ops->row_host(v, i), ACT_POSTPONE, text);
				return flags | REDRAW;
			}
			return ui_pin(ui, ui->pin_host, ACT_POSTPONE, text);
		default:
			return REDRAW;
		}
	}
	if (ch >= 32 && ch < 256 && ch != 127 && ui->prompt_len + 1 < UI_PROMPT_MAX) {
		ui->prompt_text[ui->prompt_len++] = (char)ch;
		ui->prompt_text[ui->prompt_len] = 0;
	}
	return REDRAW;
}

static int export_menu_key(struct ui *ui, int ch)
{
	char path[64];

	switch (ch) {
	case ESC:
	case 'q':
		ui->export_menu = false;
		return REDRAW;
	case 'j':
	case KEY_DOWN:
		if (ui->export_sel + 1 < (int)NFORMATS)
			ui->export_sel++;
		return REDRAW;
	case 'k':
	case KEY_UP:
		if (ui->export_sel > 0)
			ui->export_sel--;
		return REDRAW;
	case '\n':
	case '\r':
	case KEY_ENTER:
		ui->export_menu = false;
		free(ui->export_format);
		ui->export_format = xstrdup(export_formats[ui->export_sel]);
		if (!strcmp(ui->export_format, "ansible"))
			snprintf(path, sizeof(path), "slipway-ansible");
		else
			snprintf(path, sizeof(path), "slipway-plan.%s",
				 !strcmp(ui->export_format, "text") ? "txt" : ui->export_format);
		ui_prompt(ui, PROMPT_EXPORT_PATH, path);
		return REDRAW;
	default:
		for (int i = 0; i < (int)NFORMATS; i++)
			if (export_formats[i][0] == ch)
				ui->export_sel = i;
		return REDRAW;
	}
}

/* The one input function: a key, or a resize, or a timeout (then the
 * worker and the database are looked at). Returns the key read, or ERR
 * after a timeout or a resize (the flags say what to redraw). */
static int input(struct ui *ui, int *flags)
{
	int ch;

	wtimeout(ui->status, ui->work_pending ? 50 : 1000);
	ch = wgetch(ui->status);
	if (ch == KEY_RESIZE) {
		layout(ui);
		*flags |= REDRAW;
		return ERR;
	}
	if (ch == ERR) {
		long long dv;
		struct err err;

		*flags |= collect_work(ui);
		if (!uiq_data_version(&dv, ui->store, &err) && dv != ui->data_version) {
			ui->data_version = dv;
			ui->data_changed = true;
			*flags |= REDRAW;
		}
	}
	return ch;
}

static int global_action(struct ui *ui, enum action a)
{
	struct view *v = ui_view(ui);

	switch (a) {
	case ACT_QUIT:
		return HANDLED | QUIT;
	case ACT_BACK:
		if (ui->depth) {
			view_free(ui->stack[--ui->depth]);
			return HANDLED | REDRAW;
		}
		return HANDLED | QUIT;
	case ACT_HELP:
		if (v->ops->id == VIEW_HELP)
			return global_action(ui, ACT_BACK);
		return ui_push(ui, &view_help_ops, NULL);
	case ACT_VIEW_NEXT:
	case ACT_VIEW_PREV:
		show_top(ui, (ui->cur_top + (a == ACT_VIEW_NEXT ? 1 : (int)NTOP - 1)) % (int)NTOP);
		return HANDLED | REDRAW;
	case ACT_VIEW_OVERVIEW:
	case ACT_VIEW_HOSTS:
	case ACT_VIEW_ADVISORIES:
	case ACT_VIEW_CONTAINERS:
	case ACT_VIEW_PLAN:
		show_top(ui, (int)(a - ACT_VIEW_OVERVIEW));
		return HANDLED | REDRAW;
	case ACT_RELOAD:
		return HANDLED | RELOAD;
	case ACT_EXPORT:
		ui->export_menu = true;
		return HANDLED | REDRAW;
	case ACT_COMMAND:
		ui_prompt(ui, PROMPT_COMMAND, "");
		return HANDLED | REDRAW;
	case ACT_TAGGED:
		ui->apply_tagged = true;
		ui_message(ui, false, "; the next pin key applies to every tagged host");
		return HANDLED | REDRAW;
	default:
		return 0;
	}
}

static const char *key_label(int ch, char buf[16])
{
	for (size_t i = 0; i < key_table_len; i++)
		if (key_table[i].key == ch && key_table[i].keyname)
			return key_table[i].keyname;
	snprintf(buf, 16, "%d", ch);
	return buf;
}

static int dispatch(struct ui *ui, int ch)
{
	struct view *v = ui_view(ui);
	enum action a;
	int flags;

	if (ui->prompt)
		return prompt_key(ui, ch);
	if (ui->export_menu)
		return export_menu_key(ui, ch);
	free(ui->message);
	ui->message = NULL;
	a = keys_lookup(ch, v->ops->id, ui->opt->read_only);
	if (a == ACT_NONE)
		return REDRAW;
	flags = global_action(ui, a);
	if (!flags && v->ops->handle)
		flags = v->ops->handle(v, a);
	if (!flags)
		flags = view_handle_common(v, a);
	return flags | REDRAW;
}

/* ---- setup and the loop --------------------------------------------- */

static int ui_loop(struct ui *ui)
{
	int flags = REDRAW;
	char kb[16];

	for (;;) {
		int64_t t0;
		int ch;

		if (flags & RELOAD) {
			struct err err;

			ui->data_changed = false;
			uiq_data_version(&ui->data_version, ui->store, &err);
			reopen_all(ui);
			if (!ui->work_pending)
				start_work(ui, true, true);
			else
				ui->work_queued = true;
		}
		if (flags & REPLAN)
			replan(ui);
		if (flags & QUIT)
			return 0;
		if (flags & REDRAW)
			draw(ui);
		flags = 0;
		ch = input(ui, &flags);
		if (ch == ERR)
			continue;
		t0 = mono_ns();
		flags |= dispatch(ui, ch);
		if (ui->timing && !(flags & QUIT)) {
			if (flags & RELOAD)
				continue;
			draw(ui);
			flags &= ~REDRAW;
			fprintf(ui->timing, "key %s %s %.3f ms\n", key_label(ch, kb),
				ui_view(ui)->ops->name, (double)(mono_ns() - t0) / 1e6);
			fflush(ui->timing);
		}
	}
}

/* SIGINT, SIGTERM, SIGHUP while the UI is up: restore the terminal, then
 * let the handler that was there before (the demo removes its temporary
 * database) or the default action run. */
static const int ui_signals[] = { SIGINT, SIGTERM, SIGHUP };
static struct sigaction ui_old_action[3];

static void ui_on_signal(int sig)
{
	endwin();
	for (int i = 0; i < 3; i++)
		if (ui_signals[i] == sig)
			sigaction(sig, &ui_old_action[i], NULL);
	raise(sig);
}

static void ui_signals_set(bool on)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = ui_on_signal;
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < 3; i++) {
		if (on)
			sigaction(ui_signals[i], &sa, &ui_old_action[i]);
		else
			sigaction(ui_signals[i], &ui_old_action[i], NULL);
	}
}

int tui_run(const struct tui_options *opt, bool *busy, struct err *err)
{
	struct ui ui;
	SCREEN *scr;
	int rc = 0;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return err_set(err, ERR_USAGE, "the UI needs a terminal (try 'slipway plan' or 'slipway hosts')");
	memset(&ui, 0, sizeof(ui));
	ui.opt = opt;
	ui.store = opt->store;
	ui.cfg = opt->config;
	if (opt->timing_path && *opt->timing_path) {
		ui.timing = fopen(opt->timing_path, "a");
		if (!ui.timing)
			return err_set(err, ERR_IO, "cannot open '%s': %s", opt->timing_path,
				       strerror(errno));
	}
	if (work_init(&ui.work, opt, err)) {
		if (ui.timing)
			fclose(ui.timing);
		return err->code;
	}
	setlocale(LC_ALL, "");
	/* Esc answers at once (htop, tig): no escape sequences need longer */
	if (!getenv("ESCDELAY"))
		set_escdelay(25);
	scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		work_release(&ui.work);
		if (ui.timing)
			fclose(ui.timing);
		return err_set(err, ERR_USAGE, "cannot use the terminal '%s'",
			       getenv("TERM") ? getenv("TERM") : "");
	}
	ui_signals_set(true);
	cbreak();
	noecho();
	nonl();
	curs_set(0);
	theme_init(opt->mono);
	layout(&ui);
	uiq_data_version(&ui.data_version, ui.store, err);
	err_clear(err);
	start_work(&ui, true, true);
	show_top(&ui, 0);
	draw(&ui);
	if (ui.timing) {
		fprintf(ui.timing, "open %.3f ms\n", (double)(mono_ns() - opt->t0_ns) / 1e6);
		fflush(ui.timing);
	}
	rc = ui_loop(&ui);
	/* the terminal first, so nothing below can leave it raw */
	endwin();
	ui_signals_set(false);
	delscreen(scr);
	if (ui.work_pending && !work_done(&ui.work))
		/* a large fleet's job may run for seconds: quit now and let
		 * process exit end it (its connection only reads, or writes
		 * in one transaction that sqlite then rolls back) */
	{
		work_abandon(&ui.work);
		if (busy)
			*busy = true;
	} else
		work_release(&ui.work);
	for (int i = 0; i < ui.depth; i++)
		view_free(ui.stack[i]);
	for (size_t i = 0; i < NTOP; i++)
		view_free(ui.top[i]);
	free(ui.message);
	free(ui.search);
	free(ui.export_format);
	free(ui.pin_host);
	if (ui.timing)
		fclose(ui.timing);
	return rc;
}
