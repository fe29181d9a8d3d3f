/* export_fixture.h - a small plan built by hand (not by the planner), so
 * the export tests check the writers against known slots:
 *
 * horizon 2026-11-23T00:00Z .. 2026-12-14T00:00Z (three weeks)
 * windows 0 sunday-night  Europe/Berlin     Sundays 02:00, 4h, max-down 2;
 *                         the 2026-12-13 occurrence is cut by freeze
 *                         'year-end' (whole local day)
 *         1 db-late       America/New_York  Wednesdays 22:00, 3h
 *         2 utc-maint     UTC               Tuesdays 12:00, 2h
 * hosts   db-1      db-late, reboot + engine-restart, high, deadline
 *                   2026-11-24 (before its only slot: late)
 *         web-1     sunday-night wave 1, reboot, critical; shop_web_1
 *                   restarts, cron STAYS DOWN, old_job is stopped already
 *         web-2     sunday-night wave 1, reboot; shop_web_2 restarts,
 *                   tmp_rm is REMOVED (--rm)
 *         web-3     sunday-night wave 2, engine-restart under live-restore:
 *                   shop_web_3 unaffected
 *         worker-1  utc-maint, runc-upgrade, nothing goes down
 *         zz-lost   no window matches: unplaced
 * groups  compose:shop/web (3 members, min 1, fewest up 1) and
 *         label:role=db (1 member, min 1: impossible, warned). */
#ifndef SLIPWAY_TEST_EXPORT_FIXTURE_H
#define SLIPWAY_TEST_EXPORT_FIXTURE_H

#include "plan.h"

#define FIX_START 1795392000   /* 2026-11-23T00:00:00Z */
#define FIX_END 1797206400     /* 2026-12-14T00:00:00Z */
#define FIX_NSLOTS 5

/* Fills an initialised plan; plan_release() frees it. */
void export_fixture(struct plan *p);

/* Replaces host i's name (for hostile-name cases). */
void export_fixture_rename_host(struct plan *p, size_t i, const char *name);
/* Replaces container c of host i's name. */
void export_fixture_rename_container(struct plan *p, size_t i, size_t c,
				     const char *name);

#endif
