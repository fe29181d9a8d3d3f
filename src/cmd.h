/* cmd.h - the commands of the slipway executable (one src/cmd_NAME.c
 * each) and their table rows (STYLE.md 5). cli.c expands CMD_ENTRIES into
 * the command table; `slipway --help` lists them in this order. */
#ifndef SLIPWAY_CMD_H
#define SLIPWAY_CMD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"

int cmd_version(struct cli *cli, int argc, char **argv);
int cmd_refresh(struct cli *cli, int argc, char **argv);
int cmd_import(struct cli *cli, int argc, char **argv);
int cmd_feeds(struct cli *cli, int argc, char **argv);
int cmd_affected(struct cli *cli, int argc, char **argv);
int cmd_inventory(struct cli *cli, int argc, char **argv);
int cmd_hosts(struct cli *cli, int argc, char **argv);
int cmd_containers(struct cli *cli, int argc, char **argv);
int cmd_findings(struct cli *cli, int argc, char **argv);
/* Recomputes the findings with the config's policy (cmd_findings.c);
 * `hosts` and `impact` call it before they list. */
struct store;
int cmd_findings_update(struct cli *cli, struct store *s, struct err *err);
int cmd_impact(struct cli *cli, int argc, char **argv);
int cmd_collect(struct cli *cli, int argc, char **argv);
int cmd_plan(struct cli *cli, int argc, char **argv);
int cmd_pin(struct cli *cli, int argc, char **argv);
int cmd_tui(struct cli *cli, int argc, char **argv);
int cmd_demo(struct cli *cli, int argc, char **argv);
/* Shared by tui and demo (cmd_tui.c): their options into a tui_options,
 * and the monotonic clock the UI's "open" time is measured from. */
struct tui_options;
int cmd_tui_options(struct tui_options *opt, const char *cmd, int argc, char **argv);
int64_t cmd_tui_clock_ns(void);

/* Shared by refresh and import (cmd_refresh.c): the one progress line of
 * a feed run on a terminal, and the result line of a run. */
struct feed_def;
struct run_result;
struct feed_progress {
	bool on;                 /* stderr is a terminal and not -q */
	const char *feed;
	int64_t downloaded;
	int64_t parsed;
	long records;
	long long last_ms;       /* when the line was last drawn */
	bool drawn;
};
void feed_progress_download(void *ctx, int64_t bytes);
void feed_progress_parse(void *ctx, const struct feed_def *def, int64_t bytes,
			 long records);
/* Erases the progress line, if one was drawn. */
void feed_progress_clear(struct feed_progress *p);
/* "kev: 1273 records" and the rejects of a run, on stdout/stderr. */
void feed_print_result(const char *feed, const struct run_result *res);

/* Lists the command table, one "  name  summary" line each. */
void cli_list_commands(FILE *fp);

#define CMD_REFRESH_HELP                                                   \
	"Fetches each feed with a conditional GET (ETag, Last-Modified) and\n" \
	"stores it in one transaction, so a feed that fails keeps its data.\n" \
	"Only one refresh or import runs at a time; another waits briefly,\n" \
	"then gives up naming the one running.\n"                          \
	"\n"                                                                \
	"Exit codes: 0 all fetched, 1 a feed failed, 4 a feed is older than\n" \
	"its allowed age (max-age, or the policy's feed-max-age).\n"
#define CMD_IMPORT_HELP                                                    \
	"Loads FEED from local files, directories (read recursively) or\n"  \
	"archives (zip, tar.gz, tar.xz, single .gz/.xz files), as for an\n" \
	"air-gapped site. All PATHs together replace the feed's data.\n"
#define CMD_FEEDS_HELP                                                     \
	"Options:\n"                                                        \
	"  --json   an array of objects: name, enabled, source, last_success,\n" \
	"           age_seconds, records, rejected, last_error, stale\n"    \
	"\n"                                                                \
	"Exits 4 when an enabled feed is older than its allowed age or has\n" \
	"never been loaded.\n"

#define CMD_AFFECTED_HELP                                                  \
	"Options:\n"                                                        \
	"  --component C   kernel, runc, containerd or docker\n"           \
	"  --version V     the installed version (kernel 6.1.75, runc 1.1.11,\n" \
	"                  Debian package version 1.1.5+ds1-1+deb12u1, ...)\n" \
	"  --ecosystem E   upstream (default), debian:12, ubuntu:22.04, rhel:9, ...\n" \
	"  --json          an array of objects: id, aliases, component, ecosystem,\n" \
	"                  package, fixed, severity, cvss, kev, epss, summary\n" \
	"\n"                                                                \
	"Sorted KEV first, then CVSS, then id. fixed is the lowest fixing\n" \
	"version at or above V in that ecosystem (null: no fix).\n"

#define CMD_INVENTORY_HELP                                                 \
	"HOST is a [host NAME] of the config or an engine URL: unix:///PATH,\n" \
	"tcp://HOST:PORT (TLS: tls-ca, tls-cert, tls-key or cert-path, else\n" \
	"DOCKER_CERT_PATH), ssh://[user@]host[:port][/remote/socket]. A URL\n" \
	"is stored under the URL as its name. No HOST: every [host] with an\n" \
	"engine, else this machine's /var/run/docker.sock or\n"             \
	"/run/podman/podman.sock under its host name.\n"                    \
	"\n"                                                                \
	"Options:\n"                                                        \
	"  --import FILE...  store host reports (slipway collect) as well\n" \
	"  --json            an array of objects: host, url, file, ok, error,\n" \
	"                    engine_kind, engine_version, containers\n"     \
	"\n"                                                                \
	"Hosts are queried at once ([slipway] concurrency) within\n"       \
	"[slipway] host-timeout each; one failing host is one line on stderr\n" \
	"and exit 1, the others are stored. SLIPWAY_SSH_CONFIG names an ssh\n" \
	"config file for ssh:// (passed with -F).\n"
#define CMD_HOSTS_HELP                                                     \
	"Options:\n"                                                        \
	"  --json   an array of objects: name, os, kernel_running,\n"      \
	"           kernel_installed, reboot_required, engine_kind,\n"     \
	"           engine_version, live_restore, runc_version,\n"          \
	"           containerd_version, containers, last_inventory (unix\n" \
	"           seconds), last_error, urgency, deadline (unix seconds),\n" \
	"           bundle, targets\n"
#define CMD_CONTAINERS_HELP                                                \
	"Options:\n"                                                        \
	"  --host H  only the containers of host H\n"                       \
	"  --json    an array of objects: host, id, name, image, image_id,\n" \
	"            state, restart_policy, max_retries, auto_remove,\n"   \
	"            privileged, host_pid, host_network, seccomp_unconfined,\n" \
	"            cap_add, memory_limit, health, compose_project,\n"    \
	"            compose_service, swarm_service, started_at, created\n" \
	"            (times in unix seconds; started_at null: never started)\n"

#define CMD_IMPACT_HELP                                                    \
	"What the host's bundle of actions does to each container: effect\n" \
	"(unaffected, restarts, stays-down, removed, rescheduled, recreated),\n" \
	"outage in seconds ('-': until a person acts), confidence and why.\n" \
	"\n"                                                                \
	"Options:\n"                                                        \
	"  --host H    only host H\n"                                      \
	"  --action A  this action instead of the host's bundle: reboot,\n" \
	"              engine-restart (same version: live-restore applies),\n" \
	"              containerd-restart, runc-upgrade, recreate, or several\n" \
	"              joined with '+' (reboot+runc-upgrade)\n"           \
	"  --json      an array of objects: host, container, container_id,\n" \
	"              action, effect, outage_seconds (null: until a person\n" \
	"              acts), confidence, reason, engine, boot_seconds,\n" \
	"              boot_source, rule\n"                                \
	"\n"                                                                \
	"Without --action each host's bundle comes from its findings\n"   \
	"(recomputed first, as 'slipway findings' does). Boot time: [host]\n" \
	"boot-time, else learned from past reboots, else [policy] boot-time.\n"

#define CMD_FINDINGS_HELP                                                  \
	"Options:\n"                                                        \
	"  --host H          only host H\n"                                 \
	"  --json            an array of objects: host, id, aliases, component,\n" \
	"                    package, installed, judged, fixed (null: no fix),\n" \
	"                    feed, ecosystem, approximate, kev, epss, cvss,\n" \
	"                    severity, level, fixed_by_installed, livepatched,\n" \
	"                    covered_until, first_seen (unix seconds)\n"    \
	"  --fail-on S       exit 3 when a finding not covered by a live patch\n" \
	"                    is at or above S: low, medium, high, critical, or\n" \
	"                    kev (KEV findings are above every level)\n"    \
	"\n"                                                                \
	"Distro packages are judged by their distro's feed (by source\n"   \
	"package); Docker's packages and binaries by upstream ranges on the\n" \
	"versions the engine reports; self-built kernels by kernel-cna. When\n" \
	"the distro feed is not loaded, upstream ranges judge and the finding\n" \
	"is approximate.\n"

#define CMD_PLAN_HELP                                                      \
	"Schedules every host's bundle into its maintenance windows\n"     \
	"(DESIGN.md §8): most urgent first, each at the earliest slot that\n" \
	"keeps [slipway] max-down, window max-down and every group's\n"    \
	"min-available at every instant; a slot is the host's outage plus\n" \
	"[policy] soak. Late and unplaced hosts are listed with the reason.\n" \
	"\n"                                                                \
	"Options:\n"                                                        \
	"  --start T    horizon start, UTC: YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]\n" \
	"               (default: now)\n"                                   \
	"  --weeks N    horizon length in weeks (default 8, at most 104)\n" \
	"  --format F   text (default), json (schema slipway.plan/1), csv, md,\n" \
	"               html, ics, ansible (a directory)\n"                 \
	"  -o PATH      write to PATH instead of stdout\n"                  \
	"\n"                                                                \
	"The same database, config and --start give the same plan, byte for\n" \
	"byte.\n"
#define CMD_PIN_HELP                                                       \
	"Pins survive re-planning (they live in the database):\n"          \
	"  --window NAME [--date D]  plan HOST only in window NAME (only its\n" \
	"                            occurrence starting on local day D)\n" \
	"  --after D                 only occurrences starting after day D\n" \
	"  --exclude                 never plan HOST\n"                     \
	"  --clear                   remove HOST's pins\n"
#define CMD_ENTRIES                                                        \
	{ .name = "version", .run = cmd_version,                           \
	  .usage = "version",                                              \
	  .summary = "print the version and the libraries in use",         \
	  .help = NULL },                                                  \
	{ .name = "refresh", .run = cmd_refresh,                           \
	  .usage = "refresh [FEED...]",                                    \
	  .summary = "fetch the advisory feeds (all enabled ones by default)", \
	  .help = CMD_REFRESH_HELP },                                      \
	{ .name = "import", .run = cmd_import,                             \
	  .usage = "import FEED PATH...",                                  \
	  .summary = "load a feed from files, directories or archives",    \
	  .help = CMD_IMPORT_HELP },                                       \
	{ .name = "feeds", .run = cmd_feeds,                               \
	  .usage = "feeds [--json]",                                       \
	  .summary = "list the feeds: source, last success, age, records", \
	  .help = CMD_FEEDS_HELP },                                        \
	{ .name = "affected", .run = cmd_affected,                         \
	  .usage = "affected --component C --version V [--ecosystem E] [--json]", \
	  .summary = "advisories affecting one version of a component",   \
	  .help = CMD_AFFECTED_HELP },                                     \
	{ .name = "collect", .run = cmd_collect,                           \
	  .usage = "collect [-o FILE] [--engine URL]",                     \
	  .summary = "write the host report of this machine",              \
	  .help = "Options:\n"                                             \
	  "  -o, --output FILE  write to FILE (0600, atomically) instead of stdout\n" \
	  "  --engine URL       the engine to ask (default: unix:///var/run/docker.sock,\n" \
	  "                     else unix:///run/podman/podman.sock, when present)\n" }, \
	{ .name = "inventory", .run = cmd_inventory,                       \
	  .usage = "inventory [HOST...] [--import FILE...] [--json]",      \
	  .summary = "query engines and import host reports",              \
	  .help = CMD_INVENTORY_HELP },                                    \
	{ .name = "hosts", .run = cmd_hosts,                               \
	  .usage = "hosts [--json]",                                       \
	  .summary = "list the hosts: os, kernels, reboot, engine, runc, containerd", \
	  .help = CMD_HOSTS_HELP },                                        \
	{ .name = "containers", .run = cmd_containers,                     \
	  .usage = "containers [--host H] [--json]",                       \
	  .summary = "list the containers: state, restart policy, exposure", \
	  .help = CMD_CONTAINERS_HELP },                                   \
	{ .name = "findings", .run = cmd_findings,                         \
	  .usage = "findings [--host H] [--json] [--fail-on SEVERITY]",   \
	  .summary = "advisories affecting each host, the fix and who judged", \
	  .help = CMD_FINDINGS_HELP },                                     \
	{ .name = "impact", .run = cmd_impact,                             \
	  .usage = "impact [--host H] [--action A] [--json]",              \
	  .summary = "what the host's actions do to each container",      \
	  .help = CMD_IMPACT_HELP },                                       \
	{ .name = "plan", .run = cmd_plan,                                 \
	  .usage = "plan [--start T] [--weeks N] [--format F] [-o PATH]",  \
	  .summary = "schedule the hosts' upgrades into maintenance windows", \
	  .help = CMD_PLAN_HELP },                                         \
	{ .name = "pin", .run = cmd_pin,                                   \
	  .usage = "pin HOST --window NAME [--date D] | --after D | --exclude | --clear", \
	  .summary = "pin a host to a window, postpone or exclude it",     \
	  .help = CMD_PIN_HELP },                                          \
	{ .name = "tui", .run = cmd_tui,                                   \
	  .usage = "tui [--read-only] [--mono] [--weeks N] [--now T]",     \
	  .summary = "the interactive UI (a bare `slipway` on a terminal)", \
	  .help = CMD_TUI_HELP },                                          \
	{ .name = "demo", .run = cmd_demo,                                 \
	  .usage = "demo [--print] [--read-only] [--mono] [--weeks N] [--now T]", \
	  .summary = "the shipped demo fleet and advisories, in the UI",   \
	  .help = CMD_DEMO_HELP },

#define CMD_TUI_HELP                                                       \
	"Keys: ? shows every key of the view; 1-5 or Tab switch views\n"   \
	"(overview, hosts, advisories, containers, plan), Enter opens, q\n" \
	"goes back, Q quits.\n"                                            \
	"\n"                                                                \
	"Options:\n"                                                        \
	"  --read-only  no key changes pins (they are hidden from the help)\n" \
	"  --mono       no colours (also when NO_COLOR is set)\n"         \
	"  --weeks N    plan horizon in weeks (default 8)\n"              \
	"  --now T      the time taken as now (unix seconds or\n"         \
	"               YYYY-MM-DDTHH:MM:SSZ; default SLIPWAY_NOW, else the clock)\n" \
	"\n"                                                                \
	"SLIPWAY_TUI_TIMING=FILE appends the time to open and to answer each\n" \
	"key (milliseconds) to FILE.\n"
#define CMD_DEMO_HELP                                                      \
	"Loads the demo (host reports, advisory records, a config with\n"  \
	"windows, a freeze and groups) into a temporary database through the\n" \
	"real importers, opens the UI on it, and removes it on exit. With\n" \
	"--print, or without a terminal, prints the plan as text instead.\n" \
	"The demo's time is 2026-11-24T08:00:00Z unless --now or\n"         \
	"SLIPWAY_NOW say otherwise. Data: SLIPWAY_DEMO_DIR, else the source\n" \
	"tree when run from the build directory, else the installed copy.\n" \
	"\n"                                                                \
	"Options: as for tui, and --print.\n"

#endif
