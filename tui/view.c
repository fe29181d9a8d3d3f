/* view.c - what every view shares, written once (STYLE.md 17): the rows
 * of a table or text view, column layout for the terminal width, the
 * header line, scrolling, search (/ n N), filter (f), sort (s r), tags
 * (t), and drawing UTF-8 text in terminal columns with the wide-character
 * curses calls (wcwidth decides where a cut falls). */
#include "ui.h"

#include <assert.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "xalloc.h"
#include "banned.h"

/* ---- text in terminal columns -------------------------------------- */

#define DRAW_MAX 1024

int draw_text(WINDOW *w, int y, int x, int width, const char *s, attr_t attr,
	      bool pad)
{
	wchar_t wbuf[DRAW_MAX];
	mbstate_t st;
	int used = 0, n = 0;
	size_t len = s ? strlen(s) : 0;

	if (width <= 0)
		return 0;
	memset(&st, 0, sizeof(st));
	while (len && n < DRAW_MAX - 1) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, s, len, &st);
		int cw;

		if (k == (size_t)-1 || k == (size_t)-2) {
			/* not UTF-8: show the byte as '?' */
			memset(&st, 0, sizeof(st));
			wc = L'?';
			k = 1;
		} else if (k == 0) {
			break;
		}
		cw = wcwidth(wc);
		if (cw < 0) {
			wc = L'?';
			cw = 1;
		}
		if (used + cw > width)
			break;
		wbuf[n++] = wc;
		used += cw;
		s += k;
		len -= k;
	}
	wbuf[n] = 0;
	/* the colour pair travels in attr (COLOR_PAIR bits) */
	wattrset(w, (int)attr);
	mvwaddnwstr(w, y, x, wbuf, n);
	if (pad)
		for (int i = used; i < width; i++)
			waddch(w, ' ');
	wattrset(w, A_NORMAL);
	return pad ? width : used;
}

int text_width(const char *s)
{
	mbstate_t st;
	size_t len = s ? strlen(s) : 0;
	int used = 0;

	memset(&st, 0, sizeof(st));
	while (len) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, s, len, &st);
		int cw;

		if (k == (size_t)-1 || k == (size_t)-2) {
			memset(&st, 0, sizeof(st));
			k = 1;
			cw = 1;
		} else if (k == 0) {
			break;
		} else {
			cw = wcwidth(wc);
			if (cw < 0)
				cw = 1;
		}
		used += cw;
		s += k;
		len -= k;
	}
	return used;
}

void fmt_duration(char *out, size_t outsz, long long secs)
{
	if (secs < 0)
		snprintf(out, outsz, "-");
	else if (secs < 60)
		snprintf(out, outsz, "%llds", secs);
	else if (secs < 3600)
	{
		if (secs % 60)
			snprintf(out, outsz, "%lldm%02llds", secs / 60, secs % 60);
		else
			snprintf(out, outsz, "%lldm", secs / 60);
	}
	else if (secs < 86400)
		snprintf(out, outsz, "%lldh%02lldm", secs / 3600, secs / 60 % 60);
	else
		snprintf(out, outsz, "%lldd%02lldh", secs / 86400, secs / 3600 % 24);
}

/* ---- rows ------------------------------------------------------- */

struct row *view_add_row(struct view *v, size_t ref, const char *const *cells)
{
	struct row *r;

	XGROW(v->rows, v->arows, v->nrows + 1);
	r = &v->rows[v->nrows++];
	memset(r, 0, sizeof(*r));
	r->cells = xcalloc((size_t)v->ncols, sizeof(char *));
	for (int i = 0; i < v->ncols; i++)
		r->cells[i] = xstrdup(cells[i] ? cells[i] : "");
	r->ref = ref;
	return r;
}

struct row *view_add_line(struct view *v, enum role role, const char *fmt, ...)
{
	char line[1024];
	const char *cells[64] = { line };
	struct row *r;
	va_list ap;

	assert(v->ncols >= 1 && v->ncols <= 64);

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	r = view_add_row(v, v->nrows, cells);
	r->role = role;
	return r;
}

void view_clear_rows(struct view *v)
{
	for (size_t i = 0; i < v->nrows; i++) {
		for (int c = 0; c < v->ncols; c++)
			free(v->rows[i].cells[c]);
		free(v->rows[i].cells);
	}
	v->nrows = 0;
	v->nvis = 0;
}

/* ---- filter, sort ----------------------------------------------- */

static bool contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	if (!n)
		return true;
	for (; *hay; hay++) {
		size_t i;

		for (i = 0; i < n && hay[i]; i++)
			if (tolower((unsigned char)hay[i]) != tolower((unsigned char)needle[i]))
				break;
		if (i == n)
			return true;
	}
	return false;
}

bool view_row_matches(const struct view *v, const struct row *r,
		      const char *pattern)
{
	for (int c = 0; c < v->ncols; c++)
		if (contains_ci(r->cells[c], pattern))
			return true;
	return false;
}

static int level_rank(const char *s)
{
	static const char *const names[] = { "none", "low", "medium", "high", "critical" };

	for (int i = 0; i < 5; i++)
		if (!strcmp(s, names[i]))
			return i + 1;
	return 0;
}

static double num_of(const char *s)
{
	char *end;
	double d = strtod(s, &end);

	return end == s ? -1 : d;
}

/* qsort has no context argument; the UI is single-threaded. */
static const struct view *sort_view;

static int row_cmp(const void *a, const void *b)
{
	const struct view *v = sort_view;
	size_t ia = *(const size_t *)a, ib = *(const size_t *)b;
	const char *x = v->rows[ia].cells[v->sort_col];
	const char *y = v->rows[ib].cells[v->sort_col];
	int c = 0;

	switch (v->cols[v->sort_col].kind) {
	case COL_NUM: {
		double dx = num_of(x), dy = num_of(y);

		/* numbers: largest first, the way people read counts */
		c = dx < dy ? 1 : dx > dy ? -1 : 0;
		break;
	}
	case COL_LEVEL:
		c = level_rank(y) - level_rank(x);
		break;
	default:
		c = strcmp(x, y);
		break;
	}
	if (v->reverse)
		c = -c;
	if (!c)
		c = ia < ib ? -1 : ia > ib;
	return c;
}

void view_refilter(struct view *v)
{
	size_t keep_row = (size_t)-1;

	if (v->cur < v->nvis)
		keep_row = v->vis[v->cur];
	free(v->vis);
	v->vis = xcalloc(v->nrows ? v->nrows : 1, sizeof(*v->vis));
	v->nvis = 0;
	for (size_t i = 0; i < v->nrows; i++) {
		if (v->filter && !view_row_matches(v, &v->rows[i], v->filter))
			continue;
		if (v->ops->keep && !v->ops->keep(v, i))
			continue;
		v->vis[v->nvis++] = i;
	}
	if (v->sort_col >= 0 && v->sort_col < v->ncols) {
		sort_view = v;
		qsort(v->vis, v->nvis, sizeof(*v->vis), row_cmp);
	}
	v->cur = 0;
	for (size_t i = 0; i < v->nvis; i++)
		if (v->vis[i] == keep_row)
			v->cur = i;
	if (v->top > v->cur)
		v->top = v->cur;
}

struct row *view_current(struct view *v)
{
	return v->cur < v->nvis ? &v->rows[v->vis[v->cur]] : NULL;
}

bool view_goto(struct view *v, int col, const char *s)
{
	for (size_t i = 0; i < v->nvis; i++)
		if (!strcmp(v->rows[v->vis[i]].cells[col], s)) {
			v->cur = i;
			return true;
		}
	return false;
}

/* ---- layout and drawing -------------------------------------------- */

/* Column widths for the window width: preferred widths, the widest
 * shrunk first down to their minimum, and what is left over given to the
 * last column. */
static void layout(const struct view *v, int avail, int *w)
{
	int total = 0, mins = 0, shown = 0;

	for (int c = 0; c < v->ncols; c++) {
		w[c] = v->cols[c].width;
		mins += v->cols[c].min + (c ? 1 : 0);
	}
	/* too narrow for every column at its minimum: drop the least
	 * important ones (htop hides meters the same way) */
	while (mins > avail) {
		int worst = -1;

		for (int c = 0; c < v->ncols; c++)
			if (w[c] && v->cols[c].drop &&
			    (worst < 0 || v->cols[c].drop > v->cols[worst].drop))
				worst = c;
		if (worst < 0)
			break;
		mins -= v->cols[worst].min + 1;
		w[worst] = 0;
	}
	for (int c = 0; c < v->ncols; c++)
		if (w[c])
			total += w[c] + (shown++ ? 1 : 0);
	while (total > avail) {
		int best = -1;

		for (int c = 0; c < v->ncols; c++)
			if (w[c] && w[c] > v->cols[c].min &&
			    (best < 0 || w[c] - v->cols[c].min > w[best] - v->cols[best].min))
				best = c;
		if (best < 0)
			break;
		w[best]--;
		total--;
	}
	for (int c = v->ncols - 1; c >= 0; c--)
		if (w[c]) {
			if (total < avail)
				w[c] += avail - total;
			break;
		}
}

static enum role cell_role(const struct view *v, int c, const char *s)
{
	switch (v->cols[c].kind) {
	case COL_LEVEL:
		return theme_level_role(s);
	case COL_EFFECT:
		return theme_effect_role(s);
	default:
		return ROLE_NORMAL;
	}
}

static void draw_cells(struct view *v, WINDOW *w, int y, const struct row *r,
		       bool selected)
{
	int width[64], x = 0, cols = getmaxx(w);
	attr_t base = selected ? theme_attr(ROLE_SELECTED) : theme_attr(r->role);

	if (r->tagged && !selected)
		base = theme_attr(ROLE_TAGGED);
	layout(v, cols, width);
	for (int c = 0; c < v->ncols && c < 64 && x < cols; c++) {
		const char *s = r->cells[c];
		attr_t a = base;
		int cw = width[c], tw;

		if (!cw)
			continue;
		if (x + cw > cols)
			cw = cols - x;
		if (!selected && r->role == ROLE_NORMAL && !r->tagged)
			a = theme_attr(cell_role(v, c, s));
		if (v->cols[c].right && (tw = text_width(s)) < cw) {
			draw_text(w, y, x, cw - tw, "", base, true);
			draw_text(w, y, x + cw - tw, tw, s, a, false);
		} else {
			draw_text(w, y, x, cw, s, a, true);
		}
		x += cw;
		if (x < cols) {
			draw_text(w, y, x, 1, c == 0 && r->tagged ? "*" : " ", base, true);
			x++;
		}
	}
	if (x < cols)
		draw_text(w, y, x, cols - x, "", base, true);
}

void view_draw(struct view *v, WINDOW *hdr, WINDOW *body)
{
	int h = getmaxy(body), cols = getmaxx(body);

	werase(hdr);
	if (v->header) {
		int width[64], x = 0;

		layout(v, cols, width);
		for (int c = 0; c < v->ncols && c < 64 && x < cols; c++) {
			char title[64];
			int cw = width[c];

			if (!cw)
				continue;
			snprintf(title, sizeof(title), "%s%s", v->cols[c].title,
				 c == v->sort_col ? (v->reverse ? "^" : "v") : "");
			if (x + cw > cols)
				cw = cols - x;
			if (v->cols[c].right && text_width(title) < cw) {
				draw_text(hdr, 0, x, cw - text_width(title), "", theme_attr(ROLE_HEADER), true);
				draw_text(hdr, 0, x + cw - text_width(title), cw, title, theme_attr(ROLE_HEADER), false);
			} else {
				draw_text(hdr, 0, x, cw, title, theme_attr(ROLE_HEADER), true);
			}
			x += cw;
			if (x < cols)
				draw_text(hdr, 0, x++, 1, "", theme_attr(ROLE_HEADER), true);
		}
	} else if (v->status) {
		draw_text(hdr, 0, 0, cols, v->status, theme_attr(ROLE_HEADING), true);
	}
	/* keep the cursor on screen */
	if (v->cur >= v->nvis)
		v->cur = v->nvis ? v->nvis - 1 : 0;
	if (v->cur < v->top)
		v->top = v->cur;
	if (h > 0 && v->cur >= v->top + (size_t)h)
		v->top = v->cur - (size_t)h + 1;
	werase(body);
	for (int y = 0; y < h; y++) {
		size_t i = v->top + (size_t)y;
		bool sel = i == v->cur && v->ncols > 0;

		if (i >= v->nvis)
			break;
		if (v->ops->draw_line)
			v->ops->draw_line(v, body, y, v->vis[i], sel);
		else
			draw_cells(v, body, y, &v->rows[v->vis[i]], sel);
	}
	if (!v->nvis)
		draw_text(body, 0, 0, cols, v->status ? v->status
				: v->nrows ? "(nothing matches the filter)" : "(empty)",
			  theme_attr(ROLE_DIM), false);
}

/* ---- common keys ---------------------------------------------------- */

static int search(struct view *v, const char *pat, bool forward, bool from_next)
{
	struct ui *ui = v->ui;
	size_t n = v->nvis, matches = 0, at = 0;

	if (!pat || !*pat || !n) {
		ui_message(ui, true, "no search pattern");
		return HANDLED | REDRAW;
	}
	for (size_t k = 0; k < n; k++) {
		size_t step = k + (from_next ? 1 : 0);
		size_t i = forward ? (v->cur + step) % n : (v->cur + n * 2 - step) % n;

		if (view_row_matches(v, &v->rows[v->vis[i]], pat)) {
			v->cur = i;
			break;
		}
		if (k + 1 == n) {
			ui_message(ui, true, "'%s' not found", pat);
			return HANDLED | REDRAW;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (view_row_matches(v, &v->rows[v->vis[i]], pat)) {
			matches++;
			if (i <= v->cur)
				at = matches;
		}
	ui_message(ui, false, "/%s: match %zu of %zu", pat, at, matches);
	return HANDLED | REDRAW;
}

int view_handle_common(struct view *v, enum action a)
{
	struct ui *ui = v->ui;
	size_t page = (size_t)(getmaxy(ui->body) > 1 ? getmaxy(ui->body) - 1 : 1);
	struct row *r;

	switch (a) {
	case ACT_DOWN:
		if (v->cur + 1 < v->nvis)
			v->cur++;
		return HANDLED | REDRAW;
	case ACT_UP:
		if (v->cur > 0)
			v->cur--;
		return HANDLED | REDRAW;
	case ACT_PAGE_DOWN:
		v->cur = v->nvis && v->cur + page < v->nvis ? v->cur + page
			 : (v->nvis ? v->nvis - 1 : 0);
		v->top = v->cur > page ? v->top + page : 0;
		return HANDLED | REDRAW;
	case ACT_PAGE_UP:
		v->cur = v->cur > page ? v->cur - page : 0;
		v->top = v->top > page ? v->top - page : 0;
		return HANDLED | REDRAW;
	case ACT_TOP:
		v->cur = v->top = 0;
		return HANDLED | REDRAW;
	case ACT_BOTTOM:
		v->cur = v->nvis ? v->nvis - 1 : 0;
		return HANDLED | REDRAW;
	case ACT_SEARCH:
		ui_prompt(ui, PROMPT_SEARCH, "");
		return HANDLED | REDRAW;
	case ACT_SEARCH_NEXT:
		return search(v, ui->search, true, true);
	case ACT_SEARCH_PREV:
		return search(v, ui->search, false, true);
	case ACT_FILTER:
		ui_prompt(ui, PROMPT_FILTER, v->filter ? v->filter : "");
		return HANDLED | REDRAW;
	case ACT_SORT:
		if (!v->header)
			return 0;
		for (int k = 0; k < v->ncols; k++) {
			v->sort_col = (v->sort_col + 1) % v->ncols;
			if (!v->cols[v->sort_col].nosort)
				break;
		}
		v->reverse = false;
		view_refilter(v);
		ui_message(ui, false, "sorted by %s", v->cols[v->sort_col].title);
		return HANDLED | REDRAW;
	case ACT_REVERSE:
		if (!v->header)
			return 0;
		if (v->sort_col < 0)
			v->sort_col = 0;
		v->reverse = !v->reverse;
		view_refilter(v);
		return HANDLED | REDRAW;
	case ACT_TAG:
		if (!(r = view_current(v)))
			return HANDLED;
		r->tagged = !r->tagged;
		if (v->cur + 1 < v->nvis)
			v->cur++;
		return HANDLED | REDRAW;
	default:
		return 0;
	}
}

int view_search_answer(struct view *v, const char *pat)
{
	free(v->ui->search);
	v->ui->search = xstrdup(pat);
	return search(v, pat, true, false);
}

int view_filter_answer(struct view *v, const char *text)
{
	free(v->filter);
	v->filter = *text ? xstrdup(text) : NULL;
	view_refilter(v);
	v->top = 0;
	if (v->filter)
		ui_message(v->ui, false, "filter '%s': %zu of %zu lines", v->filter,
			   v->nvis, v->nrows);
	return HANDLED | REDRAW;
}
