/* tui.h - the interactive UI's entry point (issue 7), for `slipway tui`,
 * a bare `slipway` on a terminal, and `slipway demo`. Everything else of
 * tui/ is internal (ui.h). The caller keeps ownership of the store and the
 * config; the UI reads them only through the core's query functions
 * (uiq.h, plan.h, export.h) and writes only pins (plan.h). */
#ifndef SLIPWAY_TUI_H
#define SLIPWAY_TUI_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "err.h"
#include "store.h"

struct tui_options {
	struct store *store;
	const struct config *config;
	const char *title;        /* shown in the title bar ("demo"), or NULL */
	bool read_only;           /* --read-only: no key changes pins */
	bool mono;                /* --mono, or NO_COLOR set */
	int64_t now;              /* "now" for freshness and the plan start */
	int weeks;                /* plan horizon, weeks (default 8) */
	const char *timing_path;  /* SLIPWAY_TUI_TIMING: log open and key times */
	int64_t t0_ns;            /* CLOCK_MONOTONIC when the command started:
				     the "open" time is measured from it */
	bool print;               /* demo --print: the plan as text, no UI */
	bool update_findings;     /* recompute the findings first (in the
				     worker; the views reload when done) */
};

/* Runs the UI on the terminal until the user quits. Returns 0, or an
 * ERR_* code with err set (no terminal, a query failed at open). The
 * terminal is restored in every case. When the user quits while the
 * worker still computes (a large fleet), the UI does not wait for it:
 * *busy (may be NULL) is set, and the caller must then leave opt->config
 * allocated until the process exits (the worker may still read it). */
int tui_run(const struct tui_options *opt, bool *busy, struct err *err);

#endif
