/* view_overview.c - the first screen: the fleet (hosts, containers,
 * reboots), findings by severity and KEV, containers that will not come
 * back by themselves, the freshness of every feed (stale ones in the
 * warning role), and the next window occurrences of the plan with the
 * hosts and containers they touch. */
#include "ui.h"

#include <stdio.h>
#include <string.h>

#include "uiq.h"
#include "banned.h"

#define NEXT_WINDOWS 6

static const struct column text_col = { .title = "", .width = 80, .min = 10 };

static void feed_line(struct view *v, const struct uiq_feed *f, int64_t now)
{
	char when[64], age[32];

	if (!f->last_success) {
		view_add_line(v, ROLE_STALE, "  %-16s never loaded%s%s", f->name,
			      *f->last_error ? ": " : "", f->last_error);
		return;
	}
	ui_format_offset_time(when, sizeof(when), f->last_success, 0);
	fmt_duration(age, sizeof(age), now - f->last_success);
	view_add_line(v, f->stale ? ROLE_STALE : ROLE_NORMAL, "  %-16s %7lld records  %s (%s ago)%s%s",
		      f->name, f->records, when, age, f->stale ? "  STALE" : "",
		      *f->last_error ? "  last run failed" : "");
}

/* The next occurrences of the plan: per (window, ordinal), the hosts
 * placed in it and the containers they take down. */
static void windows_lines(struct view *v)
{
	struct ui *ui = v->ui;
	const struct plan *p = ui->work_plan;
	int shown = 0;

	view_add_line(v, ROLE_HEADING, "Next windows");
	if (!p) {
		view_add_line(v, ROLE_DIM, "  %s", ui->work.error[0] ? ui->work.error : "planning...");
		return;
	}
	if (!p->nslots) {
		view_add_line(v, ROLE_DIM, "  no host is planned in the next %d weeks", ui->opt->weeks);
		return;
	}
	/* slots are ordered by start; walk occurrences in that order */
	for (size_t i = 0; i < p->nslots && shown < NEXT_WINDOWS; i++) {
		const struct plan_slot *sl = &p->slots[i];
		const struct plan_window *w = &p->in.windows[sl->window];
		int ord = w->occ[sl->occ].ordinal;
		long hosts = 0, down = 0, gone = 0;
		bool seen = false;
		char when[64];

		for (size_t j = 0; j < i; j++)
			if (p->slots[j].window == sl->window &&
			    w->occ[p->slots[j].occ].ordinal == ord)
				seen = true;
		if (seen)
			continue;
		for (size_t j = i; j < p->nslots; j++) {
			const struct plan_slot *o = &p->slots[j];
			const struct plan_host *h = &p->in.hosts[o->host];

			if (o->window != sl->window || w->occ[o->occ].ordinal != ord)
				continue;
			hosts++;
			for (size_t c = 0; c < h->ncontainers; c++) {
				if (h->containers[c].effect == IMPACT_UNAFFECTED)
					continue;
				down++;
				if ((h->containers[c].effect == IMPACT_STAYS_DOWN ||
				     h->containers[c].effect == IMPACT_REMOVED) &&
				    h->containers[c].outage != 0)
					gone++;
			}
		}
		ui_format_offset_time(when, sizeof(when), w->occ[sl->occ].occ_start,
				      ui->work.occ_offset[sl->window][sl->occ]);
		/* "Thu 2026-11-26 05:00 +09:00" -> "Thu 11-26 05:00 +09:00" */
		view_add_line(v, gone ? ROLE_STAYS_DOWN : ROLE_NORMAL,
			      "  %-14s %.4s%s %3ld host%s %3ld down, %ld won't return",
			      w->name, when, when + 9, hosts, hosts == 1 ? " " : "s", down, gone);
		shown++;
	}
	if (p->nlate || p->nunplaced)
		view_add_line(v, ROLE_LATE, "  %zu host%s late, %zu unplaced (see 5 plan)", p->nlate,
			      p->nlate == 1 ? "" : "s", p->nunplaced);
}

static int overview_open(struct view *v, struct err *err)
{
	struct ui *ui = v->ui;
	struct uiq_overview o;
	int64_t now = ui->opt->now;
	long long total = 0;
	int rc;

	v->cols = &text_col;
	v->ncols = 1;
	v->header = false;
	if ((rc = uiq_overview(&o, ui->store, ui->cfg, now, err)))
		return rc;
	for (int l = 0; l < UIQ_LEVELS; l++)
		total += o.findings[l];
	view_add_line(v, ROLE_HEADING, "Fleet");
	/* the running count reads every container's inspect JSON: it comes
	 * with the worker's containers, not at open */
	if (ui->containers && ui->work.containers_ok)
		view_add_line(v, ROLE_NORMAL, "  %lld hosts, %lld containers (%lld running)", o.hosts,
			      o.containers, ui->containers->running);
	else
		view_add_line(v, ROLE_NORMAL, "  %lld hosts, %lld containers", o.hosts, o.containers);
	view_add_line(v, o.reboot_hosts ? ROLE_SEV_MEDIUM : ROLE_NORMAL,
		      "  %lld hosts need a reboot; %lld hosts have an action to take",
		      o.reboot_hosts, o.action_hosts);
	if (ui->containers && ui->work.containers_ok)
		view_add_line(v, ui->containers->wont_return ? ROLE_STAYS_DOWN : ROLE_OK,
			      "  %lld running containers will NOT come back by themselves (4, then w)",
			      ui->containers->wont_return);
	else
		view_add_line(v, ROLE_DIM, "  containers that will not come back: computing...");
	view_add_line(v, ROLE_NORMAL, "%s", "");
	view_add_line(v, ROLE_HEADING, "Findings (%lld on %lld hosts, not covered by a live patch)",
		      total, o.hosts_affected);
	view_add_line(v, ROLE_SEV_CRITICAL, "  critical %6lld", o.findings[UIQ_CRITICAL]);
	view_add_line(v, ROLE_SEV_HIGH, "  high     %6lld", o.findings[UIQ_HIGH]);
	view_add_line(v, ROLE_SEV_MEDIUM, "  medium   %6lld", o.findings[UIQ_MEDIUM]);
	view_add_line(v, ROLE_SEV_LOW, "  low      %6lld", o.findings[UIQ_LOW]);
	view_add_line(v, o.kev_findings ? ROLE_KEV : ROLE_NORMAL,
		      "  KEV      %6lld on %lld host%s (known exploited)", o.kev_findings,
		      o.kev_hosts, o.kev_hosts == 1 ? "" : "s");
	if (o.livepatched)
		view_add_line(v, ROLE_DIM, "  %lld covered by a live patch", o.livepatched);
	view_add_line(v, ROLE_NORMAL, "%s", "");
	windows_lines(v);
	view_add_line(v, ROLE_NORMAL, "%s", "");
	view_add_line(v, ROLE_HEADING, "Feeds");
	if (!o.nfeeds)
		view_add_line(v, ROLE_STALE, "  no feed loaded yet: slipway refresh, or slipway import");
	for (size_t i = 0; i < o.nfeeds; i++)
		feed_line(v, &o.feeds[i], now);
	uiq_overview_release(&o);
	return 0;
}

const struct view_ops view_overview_ops = {
	.name = "overview",
	.id = VIEW_OVERVIEW,
	.open = overview_open,
};
