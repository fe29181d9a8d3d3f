/* view_plan.c - the plan as a timeline: one line per window occurrence
 * over the horizon, its waves under it, a line per host slot with a bar
 * showing where in the occurrence the host is down; then the group
 * budgets (fewest members up against min-available), late and unplaced
 * hosts with the reason, warnings, and the downtime totals in the header
 * line. The pin keys (> < p X c, and ; for tagged hosts) act on the host
 * of the line under the cursor and the plan is recomputed at once. */
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"
#include "banned.h"

static const struct column text_col = { .title = "", .width = 80, .min = 10 };

#define BAR 12

struct plan_view {
	long *host;              /* per row: plan host index, -1 none */
	size_t n, alloc;
};

/* Rows so far without a host stand for none. */
static void pad_hosts(struct view *v)
{
	struct plan_view *pv = v->priv;

	while (pv->n < v->nrows) {
		XGROW(pv->host, pv->alloc, pv->n + 1);
		pv->host[pv->n++] = -1;
	}
}

/* The last row added shows host. */
static void set_host(struct view *v, long host)
{
	struct plan_view *pv = v->priv;

	pad_hosts(v);
	if (v->nrows)
		pv->host[v->nrows - 1] = host;
}

static long containers_down(const struct plan_host *h, long *gone)
{
	long down = 0;

	*gone = 0;
	for (size_t c = 0; c < h->ncontainers; c++) {
		if (h->containers[c].effect == IMPACT_UNAFFECTED)
			continue;
		down++;
		if ((h->containers[c].effect == IMPACT_STAYS_DOWN ||
		     h->containers[c].effect == IMPACT_REMOVED) && h->containers[c].outage != 0)
			(*gone)++;
	}
	return down;
}

/* "[  ====      ]": where in the occurrence the host is down. */
static void bar(char out[BAR + 3], const struct window_occ *o, const struct plan_slot *sl)
{
	int64_t len = o->occ_end - o->occ_start;
	int a, b;

	if (len <= 0)
		len = 1;
	a = (int)((sl->start - o->occ_start) * BAR / len);
	b = (int)((sl->down_end - o->occ_start) * BAR / len + 1);
	if (a < 0)
		a = 0;
	if (b > BAR)
		b = BAR;
	if (b <= a)
		b = a + 1;
	out[0] = '[';
	for (int i = 0; i < BAR; i++)
		out[1 + i] = i >= a && i < b ? '=' : ' ';
	out[BAR + 1] = ']';
	out[BAR + 2] = 0;
}

static void occurrence_lines(struct view *v, const struct plan *p)
{
	struct ui *ui = v->ui;

	/* slots are ordered by start: each new (window, ordinal) begins an
	 * occurrence heading, each new wave a wave line */
	for (size_t i = 0; i < p->nslots; i++) {
		const struct plan_slot *sl = &p->slots[i];
		const struct plan_window *w = &p->in.windows[sl->window];
		const struct plan_host *h = &p->in.hosts[sl->host];
		int ord = w->occ[sl->occ].ordinal;
		bool new_occ = true, new_wave = true;
		char when[64], b[BAR + 3], dur[32], acts[IMPACT_ACTIONS_TEXT_MAX];
		long down, gone;

		for (size_t j = 0; j < i; j++) {
			const struct plan_slot *o = &p->slots[j];

			if (o->window == sl->window && w->occ[o->occ].ordinal == ord) {
				new_occ = false;
				if (o->wave == sl->wave)
					new_wave = false;
			}
		}
		if (new_occ) {
			long hosts = 0, cdown = 0, cgone = 0;

			for (size_t j = i; j < p->nslots; j++) {
				const struct plan_slot *o = &p->slots[j];
				long g;

				if (o->window != sl->window || w->occ[o->occ].ordinal != ord)
					continue;
				hosts++;
				cdown += containers_down(&p->in.hosts[o->host], &g);
				cgone += g;
			}
			ui_format_offset_time(when, sizeof(when), w->occ[sl->occ].occ_start,
					      ui->work.occ_offset[sl->window][sl->occ]);
			fmt_duration(dur, sizeof(dur), w->duration);
			view_add_line(v, ROLE_HEADING, "%s  %s (%s): %ld host%s, %ld down, %ld won't return",
				      w->name, when, dur, hosts, hosts == 1 ? "" : "s", cdown, cgone);
		}
		if (new_wave) {
			ui_format_offset_time(when, sizeof(when), sl->start,
					      ui->work.slot_offset[i]);
			view_add_line(v, ROLE_DIM, "  wave %d at %.5s", sl->wave, when + 15);
		}
		down = containers_down(h, &gone);
		bar(b, &w->occ[sl->occ], sl);
		fmt_duration(dur, sizeof(dur), sl->down_end - sl->start);
		plan_actions_text(acts, h->actions);
		view_add_line(v, sl->late ? ROLE_LATE : gone ? ROLE_STAYS_DOWN : ROLE_NORMAL,
			      "    %s %-14s %-7s %3ld down%s %s%s", b, h->name, dur, down,
			      gone ? " !" : "  ", acts, sl->late ? "  LATE" : "");
		set_host(v, (long)sl->host);
	}
}

static int plan_open(struct view *v, struct err *err)
{
	struct ui *ui = v->ui;
	const struct plan *p = ui->work_plan;
	struct plan_view *pv = v->priv;
	char cdown[32], sdown[32], start[64];

	(void)err;
	v->cols = &text_col;
	v->ncols = 1;
	v->header = false;
	if (!pv) {
		pv = xcalloc(1, sizeof(*pv));
		v->priv = pv;
	}
	pv->n = 0;
	if (!p) {
		v->status = xstrdup(ui->work.error[0] ? ui->work.error : "planning...");
		return 0;
	}
	fmt_duration(cdown, sizeof(cdown), p->container_seconds_down);
	fmt_duration(sdown, sizeof(sdown), p->service_seconds_down);
	ui_format_offset_time(start, sizeof(start), p->in.start, 0);
	{
		char line[256];

		snprintf(line, sizeof(line), "%zu placed, %zu late, %zu unplaced; down: containers %s, services %s",
			 p->nslots, p->nlate, p->nunplaced, cdown, sdown);
		v->status = xstrdup(line);
	}
	view_add_line(v, ROLE_DIM, "from %.20s UTC for %d weeks; max %d host%s down at once, soak %lld min",
		      start, ui->opt->weeks, p->in.max_down, p->in.max_down == 1 ? "" : "s",
		      (long long)(p->in.soak / 60));
	occurrence_lines(v, p);
	if (!p->nslots)
		view_add_line(v, ROLE_DIM, "no host is planned in the horizon");
	view_add_line(v, ROLE_NORMAL, "%s", "");
	view_add_line(v, ROLE_HEADING, "Groups (fewest up / members, min-available)");
	for (size_t i = 0; i < p->in.ngroups; i++) {
		const struct plan_group *g = &p->in.groups[i];
		const struct plan_group_result *gr = &p->groups[i];

		view_add_line(v, gr->impossible || gr->min_up < g->min_available ? ROLE_LATE : ROLE_NORMAL,
			      "  %-28s %d/%zu up, min %d%s", g->name, gr->min_up, g->nmembers + g->nidle,
			      g->min_available, gr->impossible ? "  never possible" : "");
	}
	if (p->nlate) {
		view_add_line(v, ROLE_NORMAL, "%s", "");
		view_add_line(v, ROLE_HEADING, "Late (%zu)", p->nlate);
		for (size_t i = 0; i < p->nlate; i++) {
			view_add_line(v, ROLE_LATE, "  %-14s %s", p->in.hosts[p->late[i].host].name,
				      p->late[i].reason);
			set_host(v, (long)p->late[i].host);
		}
	}
	if (p->nunplaced) {
		view_add_line(v, ROLE_NORMAL, "%s", "");
		view_add_line(v, ROLE_HEADING, "Unplaced (%zu)", p->nunplaced);
		for (size_t i = 0; i < p->nunplaced; i++) {
			view_add_line(v, ROLE_LATE, "  %-14s %s", p->in.hosts[p->unplaced[i].host].name,
				      p->unplaced[i].reason);
			set_host(v, (long)p->unplaced[i].host);
		}
	}
	if (p->nwarnings) {
		view_add_line(v, ROLE_NORMAL, "%s", "");
		view_add_line(v, ROLE_HEADING, "Warnings");
		for (size_t i = 0; i < p->nwarnings; i++)
			view_add_line(v, ROLE_STALE, "  %s", p->warnings[i]);
	}
	pad_hosts(v);
	return 0;
}

static const char *plan_row_host(struct view *v, size_t r)
{
	struct plan_view *pv = v->priv;
	const struct plan *p = v->ui->work_plan;

	if (!pv || !p || r >= pv->n || pv->host[r] < 0 || (size_t)pv->host[r] >= p->in.nhosts)
		return NULL;
	return p->in.hosts[pv->host[r]].name;
}

static int plan_handle(struct view *v, enum action a)
{
	struct row *r = view_current(v);
	const char *host = r ? plan_row_host(v, r->ref) : NULL;

	switch (a) {
	case ACT_ENTER:
		return host ? ui_push(v->ui, &view_host_ops, host) : HANDLED;
	case ACT_PIN_NEXT:
	case ACT_PIN_PREV:
	case ACT_POSTPONE:
	case ACT_EXCLUDE:
	case ACT_CLEAR:
		if (!host && !v->ui->apply_tagged) {
			ui_message(v->ui, true, "move to a host line first");
			return HANDLED | REDRAW;
		}
		return ui_pin_key(v->ui, host, a);
	default:
		return 0;
	}
}

static void plan_close(struct view *v)
{
	struct plan_view *pv = v->priv;

	if (pv)
		free(pv->host);
	free(pv);
	v->priv = NULL;
}

const struct view_ops view_plan_ops = {
	.name = "plan",
	.id = VIEW_PLAN,
	.open = plan_open,
	.handle = plan_handle,
	.close = plan_close,
	.row_host = plan_row_host,
};
