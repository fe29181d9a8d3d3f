/* work.c - the UI's worker thread (work.h). One job at a time; each job
 * opens its own connection to the database (sqlite connections are not
 * shared between threads here), runs the queries and the planner, and
 * closes it. */
#include "work.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "store.h"
#include "window.h"
#include "xalloc.h"
#include "banned.h"

static void result_release(struct work_result *r, size_t nwindows)
{
	uiq_hosts_release(&r->hosts);
	uiq_advisories_release(&r->advisories);
	uiq_containers_release(&r->containers);
	if (r->occ_offset)
		for (size_t i = 0; i < nwindows; i++)
			free(r->occ_offset[i]);
	free(r->occ_offset);
	free(r->slot_offset);
	plan_release(&r->plan);
	memset(r, 0, sizeof(*r));
	plan_init(&r->plan);
}

int work_init(struct work *w, const struct tui_options *opt, struct err *err)
{
	const char *path = store_path(opt->store);

	(void)err;
	memset(w, 0, sizeof(*w));
	w->opt = opt;
	plan_init(&w->plan);
	plan_init(&w->next.plan);
	if (path && *path && strcmp(path, ":memory:") && strncmp(path, "file:", 5))
		w->path = xstrdup(path);
	atomic_store(&w->done, true);
	return 0;
}

static void offsets(struct work_result *r)
{
	const struct plan *p = &r->plan;
	struct err err;

	r->slot_offset = xcalloc(p->nslots ? p->nslots : 1, sizeof(int));
	for (size_t i = 0; i < p->nslots; i++)
		if (window_utc_offset(&r->slot_offset[i],
				      plan_slot_timezone(p, &p->slots[i]),
				      p->slots[i].start, &err))
			r->slot_offset[i] = 0;
	r->occ_offset = xcalloc(p->in.nwindows ? p->in.nwindows : 1, sizeof(int *));
	for (size_t i = 0; i < p->in.nwindows; i++) {
		const struct plan_window *pw = &p->in.windows[i];

		r->occ_offset[i] = xcalloc(pw->nocc ? pw->nocc : 1, sizeof(int));
		for (size_t j = 0; j < pw->nocc; j++)
			if (window_utc_offset(&r->occ_offset[i][j], pw->timezone,
					      pw->occ[j].occ_start, &err))
				r->occ_offset[i][j] = 0;
	}
}

/* The job, on store s (the worker's own connection, or the UI's). */
static void run_job(struct work *w, struct store *s)
{
	const struct tui_options *opt = w->opt;
	struct work_result *r = &w->next;
	struct err err;

	err_clear(&err);
	w->next_error[0] = 0;
	if (opt->update_findings && !w->findings_done) {
		struct finding_options fo = { 0 };

		fo.policy = opt->config ? &opt->config->policy : NULL;
		fo.now = opt->now;
		if (finding_update_with(s, &fo, &err))
			snprintf(w->next_error, sizeof(w->next_error),
				 "cannot update the findings: %s", err.msg);
		w->findings_done = true;
	}
	if (w->jobs & WORK_DATA) {
		if (uiq_hosts(&r->hosts, s, &err) || uiq_advisories(&r->advisories, s, &err) ||
		    uiq_containers(&r->containers, s, opt->config, NULL, &err))
			snprintf(w->next_error, sizeof(w->next_error),
				 "cannot read the fleet: %s", err.msg);
		else
			r->containers_ok = true;
	}
	if (w->jobs & WORK_PLAN) {
		if (plan_load(&r->plan, s, opt->config, opt->now, opt->weeks, &err) ||
		    plan_run(&r->plan, &err)) {
			snprintf(w->next_error, sizeof(w->next_error),
				 "cannot plan: %s", err.msg);
			plan_release(&r->plan);
			plan_init(&r->plan);
		} else {
			r->plan_ok = true;
			offsets(r);
		}
	}
}

static void *worker(void *arg)
{
	struct work *w = arg;
	struct store *s = NULL;
	struct err err;

	err_clear(&err);
	if (store_open(&s, w->path, &err))
		snprintf(w->next_error, sizeof(w->next_error), "%s", err.msg);
	else
		run_job(w, s);
	store_close(s);
	atomic_store(&w->done, true);
	return NULL;
}

void work_start(struct work *w, bool data, bool plan)
{
	w->jobs = (data ? WORK_DATA : 0) | (plan ? WORK_PLAN : 0);
	atomic_store(&w->done, false);
	if (w->path && !pthread_create(&w->thread, NULL, worker, w)) {
		w->started = true;
		return;
	}
	/* no file to share (":memory:") or no thread: do it here */
	run_job(w, w->opt->store);
	atomic_store(&w->done, true);
}

bool work_done(struct work *w)
{
	return atomic_load(&w->done);
}

int work_collect(struct work *w)
{
	struct work_result *r = &w->next;
	int jobs = w->jobs;

	if (w->started) {
		pthread_join(w->thread, NULL);
		w->started = false;
	}
	snprintf(w->error, sizeof(w->error), "%s", w->next_error);
	if (jobs & WORK_DATA) {
		uiq_hosts_release(&w->hosts);
		uiq_advisories_release(&w->advisories);
		uiq_containers_release(&w->containers);
		w->hosts = r->hosts;
		w->advisories = r->advisories;
		w->containers = r->containers;
		w->containers_ok = r->containers_ok;
		memset(&r->hosts, 0, sizeof(r->hosts));
		memset(&r->advisories, 0, sizeof(r->advisories));
		memset(&r->containers, 0, sizeof(r->containers));
		r->containers_ok = false;
	}
	if (jobs & WORK_PLAN) {
		if (w->occ_offset)
			for (size_t i = 0; i < w->plan.in.nwindows; i++)
				free(w->occ_offset[i]);
		free(w->occ_offset);
		free(w->slot_offset);
		plan_release(&w->plan);
		w->plan = r->plan;
		w->plan_ok = r->plan_ok;
		w->slot_offset = r->slot_offset;
		w->occ_offset = r->occ_offset;
		plan_init(&r->plan);
		r->slot_offset = NULL;
		r->occ_offset = NULL;
		r->plan_ok = false;
	}
	w->jobs = 0;
	return jobs;
}

void work_release(struct work *w)
{
	if (w->started) {
		pthread_join(w->thread, NULL);
		w->started = false;
	}
	result_release(&w->next, w->next.plan.in.nwindows);
	plan_release(&w->next.plan);
	uiq_hosts_release(&w->hosts);
	uiq_advisories_release(&w->advisories);
	uiq_containers_release(&w->containers);
	if (w->occ_offset)
		for (size_t i = 0; i < w->plan.in.nwindows; i++)
			free(w->occ_offset[i]);
	free(w->occ_offset);
	free(w->slot_offset);
	plan_release(&w->plan);
	free(w->path);
	memset(w, 0, sizeof(*w));
}

void work_abandon(struct work *w)
{
	if (w->started) {
		pthread_detach(w->thread);
		w->started = false;
	}
	/* the job still writes w->next and reads w->opt: leave those */
	uiq_hosts_release(&w->hosts);
	uiq_advisories_release(&w->advisories);
	uiq_containers_release(&w->containers);
	if (w->occ_offset)
		for (size_t i = 0; i < w->plan.in.nwindows; i++)
			free(w->occ_offset[i]);
	free(w->occ_offset);
	w->occ_offset = NULL;
	free(w->slot_offset);
	w->slot_offset = NULL;
	plan_release(&w->plan);
}
