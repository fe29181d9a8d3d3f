/* view_containers.c - every container with its host, image, restart
 * policy, state and the predicted effect of its host's bundle; quick
 * filters: w (won't come back by itself) and x (exposed: privileged, host
 * namespaces, seccomp unconfined, added capabilities, no memory limit).
 * Enter opens the container's host. */
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uiq.h"
#include "xalloc.h"
#include "banned.h"

enum { C_HOST, C_NAME, C_IMAGE, C_POLICY, C_STATE, C_EFFECT, C_OUTAGE, C_FLAGS,
       C_REASON, C_NCOLS };

static const struct column ctr_cols[C_NCOLS] = {
	[C_HOST] = { .title = "HOST", .width = 12, .min = 8 },
	[C_NAME] = { .title = "CONTAINER", .width = 20, .min = 10 },
	[C_IMAGE] = { .title = "IMAGE", .width = 22, .min = 8, .drop = 2 },
	[C_POLICY] = { .title = "RESTART", .width = 14, .min = 6 },
	[C_STATE] = { .title = "STATE", .width = 7, .min = 7, .drop = 1 },
	[C_EFFECT] = { .title = "EFFECT", .width = 10, .min = 10, .kind = COL_EFFECT },
	[C_OUTAGE] = { .title = "DOWN", .width = 6, .min = 5, .right = true },
	[C_FLAGS] = { .title = "EXPO", .width = 5, .min = 4 },
	[C_REASON] = { .title = "WHY", .width = 30, .min = 0, .nosort = true, .drop = 3 },
};

enum quick { QUICK_WONT_RETURN = 1, QUICK_EXPOSED = 2 };

struct ctr_view {
	int quick;
};

static bool exposed(const struct uiq_container *c)
{
	return c->privileged || c->host_ns || c->unconfined || c->caps || !c->memory;
}

static int containers_open(struct view *v, struct err *err)
{
	struct ui *ui = v->ui;
	const struct uiq_containers *cs = ui->containers;
	struct ctr_view *cv = v->priv;

	v->cols = ctr_cols;
	v->ncols = C_NCOLS;
	v->header = true;
	if (!cv) {
		cv = calloc(1, sizeof(*cv));
		if (!cv)
			return err_set(err, ERR_FAIL, "out of memory");
		v->priv = cv;
	}
	if (!cs || !ui->work.containers_ok) {
		free(v->status);
		v->status = xstrdup(ui->work.error[0] ? ui->work.error
				   : "computing the impact on every container...");
		return 0;
	}
	for (size_t i = 0; i < cs->n; i++) {
		const struct uiq_container *c = &cs->v[i];
		char policy[40], out[32], flags[8];
		const char *cells[C_NCOLS];
		size_t k = 0;

		snprintf(policy, sizeof(policy), "%s", *c->policy ? c->policy : "no");
		if (c->outage < 0)
			snprintf(out, sizeof(out), "manual");
		else
			fmt_duration(out, sizeof(out), c->outage);
		/* P privileged, H host namespace, U seccomp unconfined,
		 * C added capabilities, M no memory limit */
		if (c->privileged)
			flags[k++] = 'P';
		if (c->host_ns)
			flags[k++] = 'H';
		if (c->unconfined)
			flags[k++] = 'U';
		if (c->caps)
			flags[k++] = 'C';
		if (!c->memory)
			flags[k++] = 'M';
		flags[k] = 0;
		cells[C_HOST] = c->host;
		cells[C_NAME] = c->name;
		cells[C_IMAGE] = c->image;
		cells[C_POLICY] = policy;
		cells[C_STATE] = c->state;
		cells[C_EFFECT] = *c->effect ? c->effect : "-";
		cells[C_OUTAGE] = out;
		cells[C_FLAGS] = flags;
		cells[C_REASON] = c->reason;
		view_add_row(v, i, cells);
	}
	return 0;
}

static bool containers_keep(struct view *v, size_t r)
{
	const struct ctr_view *cv = v->priv;
	const struct uiq_containers *cs = v->ui->containers;
	const struct uiq_container *c;

	if (!cv || !cv->quick || !cs || v->rows[r].ref >= cs->n)
		return true;
	c = &cs->v[v->rows[r].ref];
	if ((cv->quick & QUICK_WONT_RETURN) && c->comes_back)
		return false;
	if ((cv->quick & QUICK_EXPOSED) && !exposed(c))
		return false;
	return true;
}

static void quick_status(struct view *v)
{
	struct ctr_view *cv = v->priv;

	if (!cv->quick) {
		ui_message(v->ui, false, "all containers: %zu", v->nvis);
		return;
	}
	ui_message(v->ui, false, "%s%s%s: %zu of %zu containers",
		   cv->quick & QUICK_WONT_RETURN ? "won't come back by themselves" : "",
		   cv->quick == (QUICK_WONT_RETURN | QUICK_EXPOSED) ? " and " : "",
		   cv->quick & QUICK_EXPOSED ? "exposed (P privileged H host ns U unconfined C caps M no memory limit)" : "",
		   v->nvis, v->nrows);
}

static int containers_handle(struct view *v, enum action a)
{
	struct ctr_view *cv = v->priv;
	struct row *r = view_current(v);

	switch (a) {
	case ACT_ENTER:
		return r ? ui_push(v->ui, &view_host_ops, r->cells[C_HOST]) : HANDLED;
	case ACT_WONT_RETURN:
	case ACT_EXPOSED:
		if (!cv)
			return HANDLED;
		cv->quick ^= a == ACT_WONT_RETURN ? QUICK_WONT_RETURN : QUICK_EXPOSED;
		view_refilter(v);
		quick_status(v);
		return HANDLED | REDRAW;
	default:
		return 0;
	}
}

static void containers_close(struct view *v)
{
	free(v->priv);
	v->priv = NULL;
}

const struct view_ops view_containers_ops = {
	.name = "containers",
	.id = VIEW_CONTAINERS,
	.open = containers_open,
	.handle = containers_handle,
	.close = containers_close,
	.keep = containers_keep,
};
