/* export_html.c - the plan as one self-contained HTML5 page: inline CSS,
 * inline SVG, no script and no external resource, so it can be mailed,
 * attached to a ticket or opened offline.
 *
 * The page: a summary; an overview timeline of the whole horizon (one row
 * per window: its occurrences as blue bands, freezes in grey, a tick per
 * planned host slot); then per window occurrence a Gantt chart (the
 * occurrence as a band, a bar per host slot: solid while the host is
 * down, pale for the soak, coloured by the worst effect on its
 * containers: red when one will not come back by itself (stays-down,
 * removed), amber when they go down and come back, green when nothing
 * goes down; a legend says so) followed by the tables of the md export;
 * then late, unplaced, warnings and groups. Every text from the plan is
 * HTML-escaped (export_esc_html), attributes included. */
#include <stdio.h>
#include <string.h>

#include "export_priv.h"
#include "banned.h"

#define WARN "\u26a0"
#define COL_RED "#d62728"
#define COL_AMBER "#f0a30a"
#define COL_GREEN "#2ca02c"
#define COL_BAND "#dbe9f6"
#define COL_FREEZE "#c8c8c8"

#define SVG_W 1100      /* drawing width */
#define LABEL_W 180     /* left column for names */
#define ROW_H 18

static const char *worst_colour(enum export_worst w)
{
	return w == EXPORT_WORST_STAYS_DOWN ? COL_RED
	       : w == EXPORT_WORST_RESTARTS ? COL_AMBER : COL_GREEN;
}

static const char *worst_text(enum export_worst w)
{
	return w == EXPORT_WORST_STAYS_DOWN ? "a container will not come back by itself"
	       : w == EXPORT_WORST_RESTARTS ? "containers go down and come back"
	       : "no container goes down";
}

/* x of instant t on a scale [t0, t1] drawn over [LABEL_W, SVG_W - 10]. */
static double xat(int64_t t, int64_t t0, int64_t t1)
{
	double span = t1 > t0 ? (double)(t1 - t0) : 1.0;

	if (t < t0)
		t = t0;
	if (t > t1)
		t = t1;
	return LABEL_W + (double)(t - t0) * (SVG_W - 10 - LABEL_W) / span;
}

static int rect(struct buf *b, double x0, double x1, double y, double h,
		const char *fill, const char *extra)
{
	double w = x1 - x0 < 3 ? 3 : x1 - x0;   /* a slot is always visible */

	return buf_addf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\""
			   " fill=\"%s\"%s", x0, y, w, h, fill, extra);
}

static int legend(struct buf *b)
{
	return buf_addstr(b,
		"<p class=\"legend\">"
		"<span class=\"sw\" style=\"background:" COL_RED "\"></span> a container will NOT come back by itself (stays down, removed) "
		"<span class=\"sw\" style=\"background:" COL_AMBER "\"></span> containers go down and come back "
		"<span class=\"sw\" style=\"background:" COL_GREEN "\"></span> no container goes down "
		"<span class=\"sw\" style=\"background:" COL_BAND "\"></span> maintenance window "
		"<span class=\"sw\" style=\"background:" COL_FREEZE "\"></span> freeze "
		"&nbsp; a pale bar end is the soak after the host is back</p>\n");
}

static int overview(struct buf *b, const struct plan *plan)
{
	int64_t t0 = plan->in.start, t1 = plan->in.end;
	size_t rows = plan->in.nwindows;
	double height = 30 + (double)rows * 26;
	int rc = 0;

	rc |= buf_addf(b, "<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\""
			  " width=\"%d\" height=\"%.0f\" viewBox=\"0 0 %d %.0f\" role=\"img\""
			  " aria-label=\"overview of the plan\">\n",
		       SVG_W, height, SVG_W, height);
	/* day ticks: a line per day, a date label per week */
	for (int64_t t = t0 - t0 % 86400 + 86400; t < t1; t += 86400) {
		double x = xat(t, t0, t1);
		char lab[WINDOW_TIME_MAX];

		rc |= buf_addf(b, "<line x1=\"%.1f\" y1=\"16\" x2=\"%.1f\" y2=\"%.0f\""
				  " stroke=\"#eee\"/>\n", x, x, height);
		if ((t / 86400 + 3) % 7 == 0) {   /* Mondays (1970-01-01 was a Thursday) */
			window_format_time(lab, t, NULL);
			rc |= buf_addf(b, "<text x=\"%.1f\" y=\"12\" class=\"ax\">%.10s</text>\n", x, lab);
		}
	}
	for (size_t w = 0; w < rows; w++) {
		const struct plan_window *win = &plan->in.windows[w];
		double y = 22 + (double)w * 26;

		rc |= buf_addf(b, "<text x=\"4\" y=\"%.1f\" class=\"lab\">", y + 14);
		rc |= export_esc_html(b, win->name);
		rc |= buf_addstr(b, "</text>\n");
		for (size_t k = 0; k < win->nocc; k++) {
			rc |= rect(b, xat(win->occ[k].start, t0, t1), xat(win->occ[k].end, t0, t1),
				   y, 20, COL_BAND, "><title>");
			rc |= export_esc_html(b, win->name);
			rc |= buf_addstr(b, " ");
			rc |= export_span(b, plan, w, win->occ[k].start, win->occ[k].end);
			rc |= buf_addstr(b, "</title></rect>\n");
		}
		for (size_t k = 0; k < win->nfrozen; k++) {
			rc |= rect(b, xat(win->frozen[k].start, t0, t1), xat(win->frozen[k].end, t0, t1),
				   y, 20, COL_FREEZE, " opacity=\"0.8\"><title>freeze ");
			rc |= export_esc_html(b, win->frozen[k].freeze ? win->frozen[k].freeze : "");
			rc |= buf_addstr(b, "</title></rect>\n");
		}
	}
	for (size_t i = 0; i < plan->nslots; i++) {
		const struct plan_slot *sl = &plan->slots[i];
		const struct plan_host *h = &plan->in.hosts[sl->host];
		double y = 22 + (double)sl->window * 26 + 4;

		rc |= rect(b, xat(sl->start, t0, t1), xat(sl->end, t0, t1), y, 12,
			   worst_colour(export_host_worst(h, NULL, NULL)), "><title>");
		rc |= export_esc_html(b, h->name);
		rc |= buf_addstr(b, "</title></rect>\n");
	}
	rc |= buf_addstr(b, "</svg>\n");
	return rc;
}

static int gantt(struct buf *b, const struct plan *plan, const struct export_occ *o)
{
	const struct plan_window *win = &plan->in.windows[o->window];
	int64_t t0 = o->start, t1 = o->end, step;
	double height;
	size_t row = 0;
	int rc = 0;

	for (size_t k = 0; k < o->nwaves; k++)
		if (o->waves[k].end > t1)
			t1 = o->waves[k].end;
	step = t1 - t0 <= 3 * 3600 ? 900 : t1 - t0 <= 12 * 3600 ? 3600 : 6 * 3600;
	height = 34 + (double)o->nslots * ROW_H;
	rc |= buf_addf(b, "<svg class=\"gantt\" xmlns=\"http://www.w3.org/2000/svg\""
			  " width=\"%d\" height=\"%.0f\" viewBox=\"0 0 %d %.0f\" role=\"img\""
			  " aria-label=\"slots of this occurrence\">\n",
		       SVG_W, height, SVG_W, height);
	rc |= rect(b, xat(o->start, t0, t1), xat(o->end, t0, t1), 18, height - 20, COL_BAND,
		   "><title>maintenance window</title></rect>\n");
	for (size_t k = 0; k < win->nfrozen; k++) {
		if (win->frozen[k].end <= t0 || win->frozen[k].start >= t1)
			continue;
		rc |= rect(b, xat(win->frozen[k].start, t0, t1), xat(win->frozen[k].end, t0, t1),
			   18, height - 20, COL_FREEZE, " opacity=\"0.8\"><title>freeze ");
		rc |= export_esc_html(b, win->frozen[k].freeze ? win->frozen[k].freeze : "");
		rc |= buf_addstr(b, "</title></rect>\n");
	}
	for (int64_t t = t0; t <= t1; t += step) {
		char lab[EXPORT_SHORT_MAX];
		double x = xat(t, t0, t1);

		export_time_short(lab, plan, o->window, t);
		/* the last label ends at its line so it stays in the picture */
		rc |= buf_addf(b, "<line x1=\"%.1f\" y1=\"16\" x2=\"%.1f\" y2=\"%.0f\""
				  " stroke=\"#bbb\" stroke-dasharray=\"2,3\"/>"
				  "<text x=\"%.1f\" y=\"12\" class=\"ax\"%s>%s</text>\n",
			       x, x, height, x, x > SVG_W - 50 ? " text-anchor=\"end\"" : "",
			       lab + 11);
	}
	for (size_t k = 0; k < o->nwaves; k++) {
		const struct export_wave *wv = &o->waves[k];

		for (size_t s = 0; s < wv->nslots; s++, row++) {
			const struct plan_slot *sl = &plan->slots[wv->slots[s]];
			const struct plan_host *h = &plan->in.hosts[sl->host];
			enum export_worst worst = export_host_worst(h, NULL, NULL);
			double y = 22 + (double)row * ROW_H;
			const char *col = worst_colour(worst);

			rc |= buf_addf(b, "<text x=\"4\" y=\"%.1f\" class=\"lab\">%s", y + 11,
				       worst == EXPORT_WORST_STAYS_DOWN ? WARN " " : "");
			rc |= export_esc_html(b, h->name);
			rc |= buf_addstr(b, "</text>\n");
			rc |= rect(b, xat(sl->start, t0, t1), xat(sl->down_end, t0, t1), y, 14, col,
				   " class=\"bar\"><title>");
			rc |= export_esc_html(b, h->name);
			rc |= buf_addf(b, ": wave %d, down ", sl->wave);
			rc |= export_span(b, plan, o->window, sl->start, sl->down_end);
			rc |= buf_addf(b, ", %s</title></rect>\n", worst_text(worst));
			if (sl->end > sl->down_end)
				rc |= rect(b, xat(sl->down_end, t0, t1), xat(sl->end, t0, t1), y, 14, col,
					   " opacity=\"0.3\"><title>soak</title></rect>\n");
		}
	}
	rc |= buf_addstr(b, "</svg>\n");
	return rc;
}

static int containers_cell(struct buf *b, const struct plan_host *h)
{
	bool first = true;
	int rc = 0;

	for (size_t i = 0; i < h->ncontainers; i++) {
		const struct plan_container *c = &h->containers[i];

		if (!export_goes_down(c))
			continue;
		rc |= buf_addstr(b, first ? "" : ", ");
		first = false;
		if (export_not_returning(c)) {
			rc |= buf_addstr(b, "<strong class=\"nr\" title=\"");
			rc |= export_esc_html(b, c->reason ? c->reason : "");
			rc |= buf_addstr(b, "\">" WARN " ");
			rc |= export_esc_html(b, c->name);
			rc |= buf_addf(b, " (%s, does not come back)</strong>",
				       impact_effect_name(c->effect));
		} else {
			rc |= export_esc_html(b, c->name);
			rc |= buf_addf(b, " (%s, ", impact_effect_name(c->effect));
			rc |= export_duration(b, c->outage);
			rc |= buf_addch(b, ')');
		}
	}
	if (first)
		rc |= buf_addstr(b, "none");
	return rc;
}

static const struct export_markup html_markup = {
	.row_open = "<tr><td>",
	.row_open_nr = "<tr class=\"nr\"><td>" WARN " ",
	.name_close = "</td><td>",
	.name_close_nr = "</td><td>",
	.sep = "</td><td>",
	.row_close = "</td></tr>\n",
	.late = " <strong>(late)</strong>",
	.esc = export_esc_html,
	.containers = containers_cell,
};

static int wave_table(struct buf *b, const struct plan *plan, const struct export_occ *o,
		      const struct export_wave *wv)
{
	int rc = 0;

	rc |= buf_addf(b, "<h3>Wave %d, ", wv->number);
	rc |= export_span(b, plan, o->window, wv->start, wv->end);
	rc |= buf_addf(b, ", %zu host%s</h3>\n<table class=\"wave\">\n<tr><th>Host</th><th>Urgency</th>"
			  "<th>Deadline</th><th>Actions</th><th>Down for</th><th>Slot</th>"
			  "<th>Containers going down</th></tr>\n",
		       wv->nslots, wv->nslots == 1 ? "" : "s");
	for (size_t k = 0; k < wv->nslots; k++)
		rc |= export_slot_row(b, plan, &plan->slots[wv->slots[k]], &html_markup, NULL);
	rc |= buf_addstr(b, "</table>\n");
	return rc;
}

static int miss_tables(struct buf *b, const struct plan *plan)
{
	int rc = 0;

	if (plan->nlate) {
		rc |= buf_addstr(b, "<h2>Late</h2>\n<p>Placed, but after the deadline: no valid"
				    " slot exists before it.</p>\n<table>\n<tr><th>Host</th>"
				    "<th>Deadline (UTC)</th><th>Reason</th></tr>\n");
		for (size_t i = 0; i < plan->nlate; i++) {
			const struct plan_host *h = &plan->in.hosts[plan->late[i].host];
			char t[WINDOW_TIME_MAX] = "none";

			if (h->deadline)
				window_format_time(t, h->deadline, NULL);
			rc |= buf_addstr(b, "<tr><td>");
			rc |= export_esc_html(b, h->name);
			rc |= buf_addf(b, "</td><td>%s</td><td>", t);
			rc |= export_esc_html(b, plan->late[i].reason ? plan->late[i].reason : "");
			rc |= buf_addstr(b, "</td></tr>\n");
		}
		rc |= buf_addstr(b, "</table>\n");
	}
	if (plan->nunplaced) {
		rc |= buf_addstr(b, "<h2>Not planned</h2>\n<table>\n<tr><th>Host</th>"
				    "<th>Urgency</th><th>Reason</th></tr>\n");
		for (size_t i = 0; i < plan->nunplaced; i++) {
			const struct plan_host *h = &plan->in.hosts[plan->unplaced[i].host];

			rc |= buf_addstr(b, "<tr><td>");
			rc |= export_esc_html(b, h->name);
			rc |= buf_addstr(b, "</td><td>");
			rc |= export_esc_html(b, h->urgency ? h->urgency : "none");
			rc |= buf_addstr(b, "</td><td>");
			rc |= export_esc_html(b, plan->unplaced[i].reason ? plan->unplaced[i].reason : "");
			rc |= buf_addstr(b, "</td></tr>\n");
		}
		rc |= buf_addstr(b, "</table>\n");
	}
	if (plan->nwarnings) {
		rc |= buf_addstr(b, "<h2>Warnings</h2>\n<ul>\n");
		for (size_t i = 0; i < plan->nwarnings; i++) {
			rc |= buf_addstr(b, "<li>");
			rc |= export_esc_html(b, plan->warnings[i]);
			rc |= buf_addstr(b, "</li>\n");
		}
		rc |= buf_addstr(b, "</ul>\n");
	}
	if (plan->in.ngroups) {
		rc |= buf_addstr(b, "<h2>Availability groups</h2>\n<table>\n<tr><th>Group</th>"
				    "<th>Members</th><th>Min available</th><th>Fewest up</th>"
				    "<th>Budget</th></tr>\n");
		for (size_t i = 0; i < plan->in.ngroups; i++) {
			const struct plan_group *g = &plan->in.groups[i];
			const struct plan_group_result *r = &plan->groups[i];
			bool bad = r->impossible || r->min_up < g->min_available;

			rc |= buf_addstr(b, bad ? "<tr class=\"nr\"><td>" : "<tr><td>");
			rc |= export_esc_html(b, g->name);
			rc |= buf_addf(b, "</td><td>%zu</td><td>%d</td><td>%d</td><td>%s</td></tr>\n",
				       g->nmembers + g->nidle, g->min_available, r->min_up,
				       r->impossible ? WARN " can never be met"
				       : bad ? WARN " broken" : "kept");
		}
		rc |= buf_addstr(b, "</table>\n");
	}
	return rc;
}

static const char css[] =
	"body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:24px;color:#222}"
	"h1{font-size:1.6em}h2{margin-top:1.6em;border-bottom:1px solid #ccc}h3{font-size:1.05em}"
	"table{border-collapse:collapse;margin:8px 0 16px}"
	"th,td{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top;font-size:.9em}"
	"th{background:#f3f3f3}tr.nr td{background:#fdecea}"
	"table.wave td:nth-child(-n+6){white-space:nowrap}"
	"strong.nr{color:" COL_RED "}"
	".legend{font-size:.85em}.sw{display:inline-block;width:12px;height:12px;"
	"margin:0 4px 0 12px;vertical-align:middle;border:1px solid #999}"
	"svg{display:block;margin:8px 0;background:#fff}"
	"svg .ax{font-size:10px;fill:#555}svg .lab{font-size:11px;fill:#222}";

int export_html(struct export_out *out, const struct plan *plan, struct err *err)
{
	struct buf *b = export_out_add(out, "");
	struct export_occs occs;
	char from[WINDOW_TIME_MAX], to[WINDOW_TIME_MAX];
	size_t down = 0, nr = 0;
	int rc = 0;

	export_occs_build(&occs, plan);
	window_format_time(from, plan->in.start, NULL);
	window_format_time(to, plan->in.end, NULL);
	for (size_t i = 0; i < plan->nslots; i++) {
		size_t d, n;

		export_host_worst(&plan->in.hosts[plan->slots[i].host], &d, &n);
		down += d;
		nr += n;
	}
	rc |= buf_addf(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
			  "<title>Maintenance plan %.10s to %.10s</title>\n<style>%s</style>\n"
			  "</head>\n<body>\n<h1>Maintenance plan %.10s to %.10s</h1>\n"
			  "<p>Generated by Slipway for the horizon %s to %s (%s).</p>\n",
		       from, to, css, from, to, from, to, PLAN_SCHEMA);
	rc |= buf_addf(b, "<h2>Summary</h2>\n<ul>\n<li>Hosts planned: %zu of %zu, in %zu window"
			  " occurrence%s</li>\n<li>Late: %zu</li>\n<li>Not planned: %zu</li>\n"
			  "<li>Containers going down: %zu",
		       plan->nslots, plan->in.nhosts, occs.n, occs.n == 1 ? "" : "s",
		       plan->nlate, plan->nunplaced, down);
	if (nr)
		rc |= buf_addf(b, ", of which <strong class=\"nr\">" WARN " %zu will NOT come back"
				  " by themselves</strong>", nr);
	rc |= buf_addf(b, "</li>\n<li>Container-minutes down: %lld</li>\n"
			  "<li>Service-minutes down: %lld</li>\n</ul>\n",
		       (plan->container_seconds_down + 59) / 60,
		       (plan->service_seconds_down + 59) / 60);
	rc |= buf_addstr(b, "<h2>Timeline</h2>\n");
	rc |= legend(b);
	rc |= overview(b, plan);
	for (size_t i = 0; i < occs.n; i++) {
		const struct export_occ *o = &occs.v[i];
		const struct plan_window *w = &plan->in.windows[o->window];

		rc |= buf_addstr(b, "<h2>");
		rc |= export_esc_html(b, w->name);
		rc |= buf_addf(b, ", %s %04d-%02d-%02d ", export_weekday(o->day),
			       o->day / 10000, o->day / 100 % 100, o->day % 100);
		rc |= export_span(b, plan, o->window, o->start, o->end);
		rc |= buf_addstr(b, " (");
		rc |= export_esc_html(b, w->timezone);
		rc |= buf_addf(b, "), %zu host%s in %zu wave%s</h2>\n", o->nslots,
			       o->nslots == 1 ? "" : "s", o->nwaves, o->nwaves == 1 ? "" : "s");
		rc |= gantt(b, plan, o);
		for (size_t k = 0; k < o->nwaves; k++)
			rc |= wave_table(b, plan, o, &o->waves[k]);
	}
	rc |= miss_tables(b, plan);
	rc |= buf_addstr(b, "</body>\n</html>\n");
	export_occs_release(&occs);
	return rc ? export_too_big(err, "html") : 0;
}
