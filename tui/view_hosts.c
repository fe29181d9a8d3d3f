/* view_hosts.c - the host table: name, OS, kernel running -> target,
 * engine, live-restore, runc, containerd, urgency, findings by severity,
 * containers and the planned slot. Enter opens the host; the pin keys
 * and tags work on the host under the cursor. */
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uiq.h"
#include "xalloc.h"
#include "banned.h"

enum { H_NAME, H_OS, H_KERNEL, H_ENGINE, H_LR, H_RUNC, H_CONTAINERD, H_URGENCY,
       H_FINDINGS, H_CTRS, H_SLOT, H_NCOLS };

static const struct column host_cols[H_NCOLS] = {
	[H_NAME] = { .title = "HOST", .width = 12, .min = 10 },
	[H_OS] = { .title = "OS", .width = 12, .min = 9, .drop = 4 },
	[H_KERNEL] = { .title = "KERNEL -> TARGET", .width = 32, .min = 16 },
	[H_ENGINE] = { .title = "ENGINE", .width = 16, .min = 12, .drop = 5 },
	[H_LR] = { .title = "LR", .width = 3, .min = 3, .drop = 3 },
	[H_RUNC] = { .title = "RUNC", .width = 10, .min = 6 },
	[H_CONTAINERD] = { .title = "CONTAINERD", .width = 10, .min = 6, .drop = 6 },
	[H_URGENCY] = { .title = "URGENCY", .width = 8, .min = 8, .kind = COL_LEVEL },
	[H_FINDINGS] = { .title = "C/H/M/L", .width = 9, .min = 7, .kind = COL_NUM, .drop = 2 },
	[H_CTRS] = { .title = "CTRS", .width = 4, .min = 4, .kind = COL_NUM, .right = true },
	[H_SLOT] = { .title = "SLOT", .width = 15, .min = 15 },
};

/* Short OS names keep the table readable at 80 columns. */
static void short_os(char *out, size_t n, const char *os)
{
	static const struct { const char *prefix, *name; } names[] = {
		{ "Debian GNU/Linux ", "Debian " },
		{ "Ubuntu ", "Ubuntu " },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t k = strlen(names[i].prefix);

		if (!strncmp(os, names[i].prefix, k)) {
			const char *rest = os + k;
			size_t len = strcspn(rest, " (");

			snprintf(out, n, "%s%.*s", names[i].name, (int)len, rest);
			return;
		}
	}
	snprintf(out, n, "%s", *os ? os : "?");
}

static void slot_text(struct ui *ui, const char *host, char *out, size_t n)
{
	const struct plan *p = ui->work_plan;
	const struct plan_slot *sl;
	size_t hi;

	if (!p) {
		snprintf(out, n, "...");
		return;
	}
	sl = ui_plan_slot(ui, host, &hi);
	if (sl) {
		char when[64];

		ui_format_offset_time(when, sizeof(when), sl->start,
				      ui->work.slot_offset[sl - p->slots]);
		/* "Sun 2026-11-29 02:00 +01:00" -> "Sun 11-29 02:00" */
		snprintf(out, n, "%.4s%.5s %.5s%s", when, when + 9, when + 15,
			 sl->late ? " late" : "");
		return;
	}
	for (size_t i = 0; i < p->nunplaced; i++)
		if (!strcmp(p->in.hosts[p->unplaced[i].host].name, host)) {
			snprintf(out, n, "%s", p->in.hosts[p->unplaced[i].host].excluded
						       ? "excluded" : "unplaced");
			return;
		}
	snprintf(out, n, "-");
}

static int hosts_open(struct view *v, struct err *err)
{
	const struct uiq_hosts *h = &v->ui->work.hosts;

	(void)err;
	v->cols = host_cols;
	v->ncols = H_NCOLS;
	v->header = true;
	/* read by the worker (a large fleet's host table takes a while) */
	if (!v->ui->work.containers_ok) {
		v->status = xstrdup(v->ui->work.error[0] ? v->ui->work.error : "reading the hosts...");
		return 0;
	}
	for (size_t i = 0; i < h->n; i++) {
		const struct uiq_host *x = &h->v[i];
		char os[64], kernel[160], counts[48], ctrs[16], slot[48];
		const char *cells[H_NCOLS];
		struct row *r;

		short_os(os, sizeof(os), x->os);
		if (*x->kernel_target)
			snprintf(kernel, sizeof(kernel), "%s -> %s", x->kernel, x->kernel_target);
		else
			snprintf(kernel, sizeof(kernel), "%s", x->kernel);
		snprintf(counts, sizeof(counts), "%lld/%lld/%lld/%lld", x->findings[UIQ_CRITICAL],
			 x->findings[UIQ_HIGH], x->findings[UIQ_MEDIUM], x->findings[UIQ_LOW]);
		snprintf(ctrs, sizeof(ctrs), "%lld", x->containers);
		slot_text(v->ui, x->name, slot, sizeof(slot));
		cells[H_NAME] = x->name;
		cells[H_OS] = os;
		cells[H_KERNEL] = kernel;
		cells[H_ENGINE] = *x->engine ? x->engine : "-";
		cells[H_LR] = x->live_restore < 0 ? "?" : x->live_restore ? "yes" : "no";
		cells[H_RUNC] = *x->runc ? x->runc : "-";
		cells[H_CONTAINERD] = *x->containerd ? x->containerd : "-";
		cells[H_URGENCY] = *x->urgency ? x->urgency : "-";
		cells[H_FINDINGS] = counts;
		cells[H_CTRS] = ctrs;
		cells[H_SLOT] = slot;
		r = view_add_row(v, i, cells);
		(void)r;
	}
	return 0;
}

static const char *hosts_row_host(struct view *v, size_t r)
{
	return v->rows[r].cells[H_NAME];
}

static int hosts_handle(struct view *v, enum action a)
{
	struct row *r = view_current(v);

	switch (a) {
	case ACT_ENTER:
		return r ? ui_push(v->ui, &view_host_ops, r->cells[H_NAME]) : HANDLED;
	case ACT_PIN_NEXT:
	case ACT_PIN_PREV:
	case ACT_POSTPONE:
	case ACT_EXCLUDE:
	case ACT_CLEAR:
		return ui_pin_key(v->ui, r ? r->cells[H_NAME] : NULL, a);
	default:
		return 0;
	}
}

const struct view_ops view_hosts_ops = {
	.name = "hosts",
	.id = VIEW_HOSTS,
	.open = hosts_open,
	.handle = hosts_handle,
	.row_host = hosts_row_host,
};
