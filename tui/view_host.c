/* view_host.c - one host: its facts, its findings (Enter opens the
 * advisory), its bundle of actions with the reasons, its planned slot,
 * and every container with the predicted effect of the bundle, the
 * outage and the reason. */
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uiq.h"
#include "banned.h"

static const struct column text_col = { .title = "", .width = 80, .min = 10 };

enum line_kind { LINE_TEXT, LINE_FINDING, LINE_CONTAINER };

struct host_view {
	struct uiq_host_detail d;
	/* per row: what it shows */
	enum line_kind *kind;
	size_t *index;
	size_t n, alloc;
};

/* Every row so far that has no kind is text. */
static void fill(struct view *v)
{
	struct host_view *hv = v->priv;

	while (hv->n < v->nrows) {
		if (hv->n == hv->alloc) {
			hv->alloc = hv->alloc ? hv->alloc * 2 : 64;
			hv->kind = realloc(hv->kind, hv->alloc * sizeof(*hv->kind));
			hv->index = realloc(hv->index, hv->alloc * sizeof(*hv->index));
			if (!hv->kind || !hv->index)
				abort();
		}
		hv->kind[hv->n] = LINE_TEXT;
		hv->index[hv->n] = 0;
		hv->n++;
	}
}

static void mark(struct view *v, enum line_kind k, size_t i)
{
	struct host_view *hv = v->priv;

	fill(v);
	hv->kind[v->nrows - 1] = k;
	hv->index[v->nrows - 1] = i;
}

static void slot_lines(struct view *v)
{
	struct ui *ui = v->ui;
	const struct plan *p = ui->work_plan;
	const struct plan_slot *sl;
	size_t hi;

	view_add_line(v, ROLE_HEADING, "Planned slot");
	if (!p) {
		view_add_line(v, ROLE_DIM, "  %s", ui->work.error[0] ? ui->work.error : "planning...");
		return;
	}
	sl = ui_plan_slot(ui, v->arg, &hi);
	if (sl) {
		char start[64], back[64], dur[32];
		int off = ui->work.slot_offset[sl - p->slots];

		ui_format_offset_time(start, sizeof(start), sl->start, off);
		ui_format_offset_time(back, sizeof(back), sl->down_end, off);
		fmt_duration(dur, sizeof(dur), sl->down_end - sl->start);
		view_add_line(v, sl->late ? ROLE_LATE : ROLE_NORMAL, "  %s, wave %d: %s, down %s%s",
			      p->in.windows[sl->window].name, sl->wave, start, dur,
			      sl->late ? " (after its deadline)" : "");
		(void)back;
		return;
	}
	for (size_t i = 0; i < p->nunplaced; i++)
		if (!strcmp(p->in.hosts[p->unplaced[i].host].name, v->arg)) {
			view_add_line(v, ROLE_LATE, "  not placed: %s", p->unplaced[i].reason);
			return;
		}
	view_add_line(v, ROLE_DIM, "  nothing to do on this host");
}

static int host_open(struct view *v, struct err *err)
{
	struct host_view *hv = v->priv;
	const struct uiq_host *h;
	char when[64];
	int rc;

	v->cols = &text_col;
	v->ncols = 1;
	v->header = false;
	if (!hv) {
		hv = calloc(1, sizeof(*hv));
		if (!hv)
			return err_set(err, ERR_FAIL, "out of memory");
		v->priv = hv;
	}
	uiq_host_detail_release(&hv->d);
	hv->n = 0;
	if ((rc = uiq_host_detail(&hv->d, v->ui->store, v->ui->cfg, v->arg, err)))
		return rc;
	h = &hv->d.host;
	free(v->status);
	v->status = NULL;
	view_add_line(v, ROLE_HEADING, "%s  %s", h->name, h->os);
	view_add_line(v, ROLE_NORMAL, "  kernel      %s%s%s%s", h->kernel,
		      *h->kernel_target ? " -> " : "", h->kernel_target,
		      h->reboot_required == 1 ? "  (reboot pending)" : "");
	view_add_line(v, ROLE_NORMAL, "  installed   %s", *hv->d.kernel_installed ? hv->d.kernel_installed : "-");
	view_add_line(v, ROLE_NORMAL, "  engine      %s  live-restore %s", *h->engine ? h->engine : "none",
		      h->live_restore < 0 ? "?" : h->live_restore ? "yes" : "no");
	view_add_line(v, ROLE_NORMAL, "  runc        %s   containerd %s", *h->runc ? h->runc : "-",
		      *h->containerd ? h->containerd : "-");
	if (h->deadline) {
		ui_format_offset_time(when, sizeof(when), h->deadline, 0);
		view_add_line(v, theme_level_role(h->urgency), "  urgency     %s, due %s",
			      *h->urgency ? h->urgency : "-", when);
	} else {
		view_add_line(v, theme_level_role(h->urgency), "  urgency     %s",
			      *h->urgency ? h->urgency : "-");
	}
	view_add_line(v, ROLE_NORMAL, "%s", "");
	view_add_line(v, ROLE_HEADING, "Findings (%zu)", hv->d.nfindings);
	for (size_t i = 0; i < hv->d.nfindings; i++) {
		const struct uiq_finding *f = &hv->d.findings[i];
		char cvss[16];

		if (f->cvss >= 0)
			snprintf(cvss, sizeof(cvss), "%.1f", f->cvss);
		else
			snprintf(cvss, sizeof(cvss), "-");
		view_add_line(v, f->livepatched ? ROLE_DIM : f->kev ? ROLE_KEV : theme_level_role(f->level),
			      "  %-3s %-8s %-16s %-10s %s -> %s  cvss %s  %s%s%s", f->kev ? "KEV" : "",
			      f->level, f->vkey, f->component, f->installed,
			      *f->fixed ? f->fixed : "no fix", cvss, f->feed, *f->note ? "; " : "",
			      f->note);
		mark(v, LINE_FINDING, i);
	}
	view_add_line(v, ROLE_NORMAL, "%s", "");
	view_add_line(v, ROLE_HEADING, "Bundle");
	if (!hv->d.nactions)
		view_add_line(v, ROLE_OK, "  no action needed");
	for (size_t i = 0; i < hv->d.nactions; i++)
		view_add_line(v, ROLE_NORMAL, "  %-18s %s", hv->d.actions[i].action,
			      hv->d.actions[i].reason);
	view_add_line(v, ROLE_NORMAL, "%s", "");
	slot_lines(v);
	view_add_line(v, ROLE_NORMAL, "%s", "");
	view_add_line(v, ROLE_HEADING, "Containers (%zu; %lld won't come back)", hv->d.containers.n,
		      hv->d.containers.wont_return);
	for (size_t i = 0; i < hv->d.containers.n; i++) {
		const struct uiq_container *c = &hv->d.containers.v[i];
		char out[32];

		fmt_duration(out, sizeof(out), c->outage);
		view_add_line(v, theme_effect_role(c->effect), "  %-22s %-10s %6s %-14s %s%s",
			      c->name, c->effect, out, *c->policy ? c->policy : "no", c->reason,
			      c->low_confidence ? " (low confidence)" : "");
		mark(v, LINE_CONTAINER, i);
	}
	fill(v);
	return 0;
}

static int host_handle(struct view *v, enum action a)
{
	struct host_view *hv = v->priv;
	struct row *r = view_current(v);
	size_t i;

	switch (a) {
	case ACT_ENTER:
		if (!r || !hv)
			return HANDLED;
		i = r->ref;
		if (i < hv->n && hv->kind[i] == LINE_FINDING)
			return ui_push(v->ui, &view_advisory_ops, hv->d.findings[hv->index[i]].vkey);
		return HANDLED;
	case ACT_PIN_NEXT:
	case ACT_PIN_PREV:
	case ACT_POSTPONE:
	case ACT_EXCLUDE:
	case ACT_CLEAR:
		return ui_pin_key(v->ui, v->arg, a);
	default:
		return 0;
	}
}

static void host_close(struct view *v)
{
	struct host_view *hv = v->priv;

	if (!hv)
		return;
	uiq_host_detail_release(&hv->d);
	free(hv->kind);
	free(hv->index);
	free(hv);
	v->priv = NULL;
}

static const char *host_row_host(struct view *v, size_t r)
{
	(void)r;
	return v->arg;
}

const struct view_ops view_host_ops = {
	.name = "host",
	.id = VIEW_HOST,
	.open = host_open,
	.handle = host_handle,
	.close = host_close,
	.row_host = host_row_host,
};
