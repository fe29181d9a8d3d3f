/* view_advisories.c - every advisory about a component Slipway plans
 * for, one row per CVE: id, component, severity, CVSS, KEV, EPSS, hosts
 * affected, fixed in, summary. Enter opens it. */
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uiq.h"
#include "xalloc.h"
#include "banned.h"

enum { A_ID, A_COMPONENT, A_SEVERITY, A_CVSS, A_KEV, A_EPSS, A_HOSTS, A_FIXED,
       A_SUMMARY, A_NCOLS };

static const struct column adv_cols[A_NCOLS] = {
	[A_ID] = { .title = "ID", .width = 19, .min = 14 },
	[A_COMPONENT] = { .title = "COMPONENT", .width = 10, .min = 6 },
	[A_SEVERITY] = { .title = "SEVERITY", .width = 8, .min = 4, .kind = COL_LEVEL },
	[A_CVSS] = { .title = "CVSS", .width = 4, .min = 4, .kind = COL_NUM, .right = true },
	[A_KEV] = { .title = "KEV", .width = 3, .min = 3 },
	[A_EPSS] = { .title = "EPSS", .width = 6, .min = 5, .kind = COL_NUM, .right = true, .drop = 1 },
	[A_HOSTS] = { .title = "HOSTS", .width = 5, .min = 5, .kind = COL_NUM, .right = true },
	[A_FIXED] = { .title = "FIXED IN", .width = 22, .min = 8 },
	[A_SUMMARY] = { .title = "SUMMARY", .width = 30, .min = 0, .nosort = true, .drop = 2 },
};

static int advisories_open(struct view *v, struct err *err)
{
	const struct uiq_advisories *a = &v->ui->work.advisories;

	(void)err;
	v->cols = adv_cols;
	v->ncols = A_NCOLS;
	v->header = true;
	/* read by the worker, with the hosts */
	if (!v->ui->work.containers_ok) {
		v->status = xstrdup(v->ui->work.error[0] ? v->ui->work.error : "reading the advisories...");
		return 0;
	}
	for (size_t i = 0; i < a->n; i++) {
		const struct uiq_advisory *x = &a->v[i];
		char cvss[16], epss[16], hosts[16];
		const char *cells[A_NCOLS];
		struct row *r;

		if (x->cvss >= 0)
			snprintf(cvss, sizeof(cvss), "%.1f", x->cvss);
		else
			snprintf(cvss, sizeof(cvss), "-");
		if (x->epss >= 0)
			snprintf(epss, sizeof(epss), "%.3f", x->epss);
		else
			snprintf(epss, sizeof(epss), "-");
		snprintf(hosts, sizeof(hosts), "%lld", x->hosts);
		cells[A_ID] = x->key;
		cells[A_COMPONENT] = x->components;
		cells[A_SEVERITY] = *x->severity ? x->severity : "-";
		cells[A_CVSS] = cvss;
		cells[A_KEV] = x->kev ? "KEV" : "";
		cells[A_EPSS] = epss;
		cells[A_HOSTS] = hosts;
		cells[A_FIXED] = *x->fixed ? x->fixed : "no fix";
		cells[A_SUMMARY] = x->summary;
		r = view_add_row(v, i, cells);
		if (x->kev)
			r->role = ROLE_KEV;
	}
	return 0;
}

static int advisories_handle(struct view *v, enum action a)
{
	struct row *r = view_current(v);

	if (a == ACT_ENTER)
		return r ? ui_push(v->ui, &view_advisory_ops, r->cells[A_ID]) : HANDLED;
	return 0;
}

const struct view_ops view_advisories_ops = {
	.name = "advisories",
	.id = VIEW_ADVISORIES,
	.open = advisories_open,
	.handle = advisories_handle,
};
