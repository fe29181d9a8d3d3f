/* work.h - the UI's worker thread: the slow queries of a large fleet (the
 * findings when asked, the impact model over every container, the plan)
 * run on their own database connection while the UI answers keys. The
 * worker writes only its "next" results; work_collect() (UI thread, after
 * work_done()) swaps them in, so the UI never reads what the worker is
 * writing. Time-zone offsets of the plan are computed here too, so the UI
 * thread never calls libical while the worker may. */
#ifndef SLIPWAY_TUI_WORK_H
#define SLIPWAY_TUI_WORK_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "err.h"
#include "plan.h"
#include "tui.h"
#include "uiq.h"

/* WORK_DATA: the host table, the advisories and every container with
 * its impact (all read at open and on reload); WORK_PLAN: the plan. */
enum { WORK_DATA = 1, WORK_PLAN = 2 };

struct work_result {
	struct uiq_hosts hosts;
	struct uiq_advisories advisories;
	struct uiq_containers containers;
	bool containers_ok;
	struct plan plan;
	bool plan_ok;
	int *slot_offset;          /* per plan slot: UTC offset of its zone */
	int **occ_offset;          /* per window, per occurrence span */
};

struct work {
	const struct tui_options *opt;
	char *path;                /* the database, for the worker's own
				      connection; NULL: run in the caller */
	pthread_t thread;
	bool started;
	atomic_bool done;
	int jobs;                  /* WORK_* of the running job */
	bool findings_done;        /* the findings were updated once */
	struct work_result next;   /* written by the worker */
	/* the results the UI reads (valid when containers_ok) */
	struct uiq_hosts hosts;
	struct uiq_advisories advisories;
	struct uiq_containers containers;
	bool containers_ok;
	struct plan plan;
	bool plan_ok;
	int *slot_offset;
	int **occ_offset;
	char error[ERR_MSG_MAX + 64];   /* the last job's failure, "" none */
	char next_error[ERR_MSG_MAX + 64];
};

int work_init(struct work *w, const struct tui_options *opt, struct err *err);
/* Starts a job reading the data (hosts, advisories, containers) and/or
 * computing the plan. Must not be called while one runs. */
void work_start(struct work *w, bool data, bool plan);
bool work_done(struct work *w);
/* Joins the finished job and swaps its results in; returns its WORK_*. */
int work_collect(struct work *w);
/* Waits for a running job and frees everything. */
void work_release(struct work *w);
/* Leaves a running job to finish or die with the process (quitting must
 * not wait for it); frees what the UI side holds. */
void work_abandon(struct work *w);

#endif
