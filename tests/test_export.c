/* test_export.c - unit tests of the plan exports (src/export*.c) on the
 * hand-made plan of export_fixture.h: what a person would check in each
 * format (the CSV header and rows, the md headings and the highlighted
 * containers that do not come back, the HTML's SVG and escaping, stable
 * ics UIDs and TZIDs read back with libical, the Ansible groups, vars and
 * tasks), hostile names, and the dispatcher's errors. The real consumers
 * (ansible, chromium, python's csv) are tests/integration/
 * export-consumers.sh. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libical/ical.h>

#include "export.h"
#include "export_fixture.h"
#include "plan.h"
#include "plan_gen.h"

/* The export of the fixture (optionally changed by tweak) as a string. */
static char *run(const char *format, void (*tweak)(struct plan *))
{
	char path[] = "/tmp/slipway-test-export-XXXXXX";
	struct plan p;
	struct err err;
	int fd = mkstemp(path);
	char *data;
	long len;
	FILE *fp;

	ck_assert_int_ge(fd, 0);
	close(fd);
	plan_init(&p);
	export_fixture(&p);
	if (tweak)
		tweak(&p);
	err_clear(&err);
	if (export_write(&p, format, path, &err))
		ck_abort_msg("export %s: %s", format, err.msg);
	plan_release(&p);
	fp = fopen(path, "rb");
	ck_assert_ptr_nonnull(fp);
	fseek(fp, 0, SEEK_END);
	len = ftell(fp);
	rewind(fp);
	data = malloc((size_t)len + 1);
	ck_assert_uint_eq(fread(data, 1, (size_t)len, fp), (size_t)len);
	data[len] = '\0';
	fclose(fp);
	unlink(path);
	return data;
}

/* Both found, and a before b. */
#define assert_before(a, b)                                                    \
	do {                                                                   \
		const char *a_ = (a), *b_ = (b);                               \
		ck_assert_msg(a_ && b_ && a_ < b_, "%s before %s", #a, #b);     \
	} while (0)

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void hostile(struct plan *p)
{
	export_fixture_rename_host(p, 2, "web \"north\",<b>&");
}

/* ---- csv ------------------------------------------------------------ */

START_TEST(csv_header_and_rows)
{
	char *csv = run("csv", NULL);

	ck_assert_msg(!strncmp(csv, "host,window,start,end,wave,deadline,actions,urgency,"
			       "containers_down,containers_not_returning\r\n", 94),
		      "header: %.100s", csv);
	ck_assert_uint_eq(count(csv, "\r\n"), 1 + FIX_NSLOTS);
	/* the slot in Berlin local time with its offset, deadline in the same
	 * zone; cron stays down, old_job was stopped already so is not listed */
	ck_assert_ptr_nonnull(strstr(csv,
		"\r\nweb-1,sunday-night,2026-11-29T02:00:00+01:00,2026-11-29T02:20:00+01:00,1,"
		"2026-12-07T01:00:00+01:00,reboot,critical,cron shop_web_1,cron\r\n"));
	ck_assert_ptr_nonnull(strstr(csv,
		"\r\ndb-1,db-late,2026-11-25T22:00:00-05:00,2026-11-25T22:21:40-05:00,1,"
		"2026-11-23T19:00:00-05:00,reboot+engine-restart,high,pg,\r\n"));
	ck_assert_ptr_nonnull(strstr(csv,
		"\r\nweb-3,sunday-night,2026-11-29T02:20:00+01:00,2026-11-29T02:36:00+01:00,2,,"
		"engine-restart,medium,,\r\n"));
	/* rows in plan order: worker-1 (Tue) first, web-3 last */
	assert_before(strstr(csv, "\r\nworker-1,"), strstr(csv, "\r\ndb-1,"));
	assert_before(strstr(csv, "\r\nweb-2,"), strstr(csv, "\r\nweb-3,"));
	/* the unplaced host has no row */
	ck_assert_ptr_null(strstr(csv, "zz-lost"));
	free(csv);
}
END_TEST

static void formula(struct plan *p)
{
	export_fixture_rename_host(p, 2, "web \"north\",<b>&");
	export_fixture_rename_container(p, 2, 0, "=HYPERLINK(\"x\")");
}

START_TEST(csv_quoting)
{
	char *csv = run("csv", formula);

	/* RFC 4180: quoted, quotes doubled; a formula gets a leading ' */
	ck_assert_ptr_nonnull(strstr(csv, "\r\n\"web \"\"north\"\",<b>&\",sunday-night,"));
	ck_assert_ptr_nonnull(strstr(csv, ",\"'=HYPERLINK(\"\"x\"\") tmp_rm\",tmp_rm\r\n"));
	ck_assert_uint_eq(count(csv, "\r\n"), 1 + FIX_NSLOTS);
	free(csv);
}
END_TEST

/* ---- md ------------------------------------------------------------- */

START_TEST(md_document)
{
	char *md = run("md", NULL);

	ck_assert_msg(!strncmp(md, "# Maintenance plan 2026-11-23 to 2026-12-14\n", 44), "%.60s", md);
	ck_assert_ptr_nonnull(strstr(md, "\n## Summary\n"));
	ck_assert_ptr_nonnull(strstr(md, "- Hosts planned: 5 of 6, in 3 window occurrences\n"));
	ck_assert_ptr_nonnull(strstr(md, "**\u26a0 2 will NOT come back by themselves**"));
	/* occurrences in time order, local times of their zone */
	ck_assert_ptr_nonnull(strstr(md, "\n## sunday-night, Sun 2026-11-29 02:00\u201306:00"
				     " (Europe/Berlin), 3 hosts in 2 waves\n"));
	ck_assert_ptr_nonnull(strstr(md, "\n## db-late, Wed 2026-11-25 22:00\u20132026-11-26 01:00"
				     " (America/New\\_York), 1 host in 1 wave\n"));
	assert_before(strstr(md, "## utc-maint"), strstr(md, "## db-late"));
	assert_before(strstr(md, "## db-late"), strstr(md, "## sunday-night"));
	ck_assert_ptr_nonnull(strstr(md, "\n### Wave 1, 02:00\u201302:20, 2 hosts\n"));
	ck_assert_ptr_nonnull(strstr(md, "\n### Wave 2, 02:20\u201302:36, 1 host\n"));
	/* the containers that do not come back are bold with the sign, in
	 * the table and in the list with their reason */
	ck_assert_ptr_nonnull(strstr(md, "| **\u26a0 web-1** | critical |"));
	ck_assert_ptr_nonnull(strstr(md, "**\u26a0 cron (stays-down, does not come back)**"));
	ck_assert_ptr_nonnull(strstr(md, "**\u26a0 tmp\\_rm (removed, does not come back)**"));
	ck_assert_ptr_nonnull(strstr(md, "- **\u26a0 web-1 / cron**: stays-down, policy 'no':"));
	ck_assert_ptr_nonnull(strstr(md, "shop\\_web\\_1 (restarts, 5m 20s)"));
	/* already stopped: not going down, not highlighted */
	ck_assert_ptr_null(strstr(md, "old\\_job"));
	/* late, unplaced, warnings, groups */
	ck_assert_ptr_nonnull(strstr(md, "\n## Late\n"));
	ck_assert_ptr_nonnull(strstr(md, "| db-1 | 2026-11-23 19:00 | 2026-11-25 22:00 (db-late) |"));
	ck_assert_ptr_nonnull(strstr(md, "\n## Not planned\n"));
	ck_assert_ptr_nonnull(strstr(md, "| zz-lost | high | none | no window matches |"));
	ck_assert_ptr_nonnull(strstr(md, "| compose:shop/web | 3 | 1 | 1 | kept |"));
	ck_assert_ptr_nonnull(strstr(md, "| label:role=db | 1 | 1 | 0 | **\u26a0 can never be met** |"));
	free(md);
}
END_TEST

START_TEST(md_escapes_names)
{
	char *md = run("md", hostile);

	/* no raw markup or HTML, and the table cell is not split by a '|' */
	ck_assert_ptr_nonnull(strstr(md, "| **\u26a0 web \"north\",\\<b\\>\\&** | critical |"));
	ck_assert_ptr_null(strstr(md, "<b>"));
	free(md);
}
END_TEST

/* ---- html ----------------------------------------------------------- */

START_TEST(html_page)
{
	char *html = run("html", hostile);

	ck_assert_msg(!strncmp(html, "<!DOCTYPE html>\n", 16), "%.40s", html);
	ck_assert_ptr_nonnull(strstr(html, "<meta charset=\"utf-8\">"));
	/* the overview and one Gantt per occurrence */
	ck_assert_uint_eq(count(html, "<svg "), 1 + 3);
	ck_assert_uint_eq(count(html, "</svg>"), 1 + 3);
	/* self-contained: no script, no external resource */
	ck_assert_ptr_null(strstr(html, "<script"));
	ck_assert_ptr_null(strstr(html, "src="));
	ck_assert_ptr_null(strstr(html, "href="));
	ck_assert_ptr_null(strstr(html, "<link"));
	/* the hostile name only escaped */
	ck_assert_ptr_null(strstr(html, "<b>"));
	ck_assert_ptr_nonnull(strstr(html, "web &quot;north&quot;,&lt;b&gt;&amp;"));
	/* bars coloured by the worst effect: web-1 red (cron stays down),
	 * db-1 amber (pg restarts), worker-1 green (nothing goes down) */
	ck_assert_ptr_nonnull(strstr(html, "fill=\"#d62728\" class=\"bar\"><title>web-1: wave 1"));
	ck_assert_ptr_nonnull(strstr(html, "fill=\"#f0a30a\" class=\"bar\"><title>db-1: wave 1"));
	ck_assert_ptr_nonnull(strstr(html, "fill=\"#2ca02c\" class=\"bar\"><title>worker-1: wave 1"));
	/* the freeze is drawn in the overview, the legend says the colours */
	ck_assert_ptr_nonnull(strstr(html, "<title>freeze year-end</title>"));
	ck_assert_ptr_nonnull(strstr(html, "will NOT come back by itself"));
	/* the same tables as md */
	ck_assert_ptr_nonnull(strstr(html, "<strong class=\"nr\" title=\"policy &#39;no&#39;:"));
	ck_assert_ptr_nonnull(strstr(html, "<h2>Not planned</h2>"));
	ck_assert_ptr_nonnull(strstr(html, "<td>zz-lost</td><td>high</td><td>no window matches</td>"));
	ck_assert_ptr_nonnull(strstr(html, "</html>\n"));
	free(html);
}
END_TEST

/* ---- ics ------------------------------------------------------------ */

static void move_web3(struct plan *p)
{
	/* re-planned later within the same occurrence */
	p->slots[4].start += 600;
	p->slots[4].down_end += 600;
	p->slots[4].end += 600;
}

static void uids(const char *ics, char out[FIX_NSLOTS][64])
{
	icalcomponent *cal = icalparser_parse_string(ics), *ev;
	size_t n = 0;

	ck_assert_ptr_nonnull(cal);
	ck_assert_int_eq(icalcomponent_count_errors(cal), 0);
	for (ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev;
	     ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
		ck_assert_uint_lt(n, FIX_NSLOTS);
		snprintf(out[n++], 64, "%s", icalcomponent_get_uid(ev));
	}
	ck_assert_uint_eq(n, FIX_NSLOTS);
	icalcomponent_free(cal);
}

START_TEST(ics_stable_and_zoned)
{
	char *a = run("ics", NULL), *b = run("ics", NULL), *c = run("ics", move_web3);
	char ua[FIX_NSLOTS][64], uc[FIX_NSLOTS][64];

	/* same plan, same bytes (DTSTAMP is the plan's start) */
	ck_assert_str_eq(a, b);
	ck_assert_ptr_nonnull(strstr(a, "DTSTAMP:20261123T000000Z\r\n"));
	uids(a, ua);
	uids(c, uc);
	for (size_t i = 0; i < FIX_NSLOTS; i++) {
		ck_assert_msg(strstr(ua[i], "@slipway") && strlen(ua[i]) == 16 + 8, "%s", ua[i]);
		for (size_t k = 0; k < i; k++)
			ck_assert_str_ne(ua[i], ua[k]);
		/* moving web-3 inside its occurrence keeps every UID */
		ck_assert_str_eq(ua[i], uc[i]);
	}
	ck_assert_str_ne(a, c);
	/* local times with the window's zone, and that zone's VTIMEZONE */
	ck_assert_ptr_nonnull(strstr(a, "DTSTART;TZID=Europe/Berlin:20261129T020000\r\n"));
	ck_assert_ptr_nonnull(strstr(a, "DTEND;TZID=Europe/Berlin:20261129T022000\r\n"));
	ck_assert_ptr_nonnull(strstr(a, "DTSTART;TZID=America/New_York:20261125T220000\r\n"));
	ck_assert_ptr_nonnull(strstr(a, "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n"));
	ck_assert_ptr_nonnull(strstr(a, "BEGIN:VTIMEZONE\r\nTZID:America/New_York\r\n"));
	ck_assert_uint_eq(count(a, "BEGIN:VTIMEZONE"), 2);
	/* the UTC window uses UTC times */
	ck_assert_ptr_nonnull(strstr(a, "DTSTART:20261124T120000Z\r\n"));
	ck_assert_ptr_nonnull(strstr(a, "SUMMARY:Patch web-1: reboot\r\n"));
	ck_assert_ptr_nonnull(strstr(a, "SUMMARY:Patch db-1: reboot\\, engine-restart\r\n"));
	free(a);
	free(b);
	free(c);
}
END_TEST

START_TEST(ics_description)
{
	char *a = run("ics", NULL);
	icalcomponent *cal = icalparser_parse_string(a), *ev;
	const char *desc = NULL;

	for (ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev;
	     ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT))
		if (!strcmp(icalcomponent_get_summary(ev), "Patch web-1: reboot"))
			desc = icalcomponent_get_description(ev);
	ck_assert_ptr_nonnull(desc);
	ck_assert_ptr_nonnull(strstr(desc, "Window sunday-night, wave 1\n"));
	ck_assert_ptr_nonnull(strstr(desc, "Containers going down: 2\n- shop_web_1: restarts, 5m 20s\n"));
	ck_assert_ptr_nonnull(strstr(desc, "WILL NOT COME BACK BY THEMSELVES (start them by hand): 1\n"
				       "- cron: stays-down, policy 'no'"));
	icalcomponent_free(cal);
	free(a);
}
END_TEST

/* ---- ansible -------------------------------------------------------- */

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *data;
	long len;

	ck_assert_msg(fp != NULL, "cannot open %s", path);
	fseek(fp, 0, SEEK_END);
	len = ftell(fp);
	rewind(fp);
	data = malloc((size_t)len + 1);
	ck_assert_uint_eq(fread(data, 1, (size_t)len, fp), (size_t)len);
	data[len] = '\0';
	fclose(fp);
	return data;
}

static int write_dir(char *dir, void (*tweak)(struct plan *), struct err *err)
{
	struct plan p;
	int rc;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	plan_init(&p);
	export_fixture(&p);
	if (tweak)
		tweak(&p);
	err_clear(err);
	rc = export_write(&p, "ansible", dir, err);
	plan_release(&p);
	return rc;
}

static void cleanup_dir(const char *dir)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/inventory.ini", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/maintenance.yml", dir);
	unlink(path);
	rmdir(dir);
}

START_TEST(ansible_directory)
{
	char dir[] = "/tmp/slipway-test-ansible-XXXXXX", path[256];
	struct err err;
	char *inv, *yml;

	ck_assert_msg(write_dir(dir, NULL, &err) == 0, "%s", err.msg);
	snprintf(path, sizeof(path), "%s/inventory.ini", dir);
	inv = slurp(path);
	snprintf(path, sizeof(path), "%s/maintenance.yml", dir);
	yml = slurp(path);

	/* a group per wave, in time order, hosts with their vars */
	ck_assert_ptr_nonnull(strstr(inv, "\n[wave_2026_11_24_utc_maint_1]\nworker-1 "
				      "slipway_reboot=False slipway_engine_restart=False"
				      " slipway_containerd_restart=False slipway_kernel_upgrade=False"
				      " slipway_runc_target='\"1.1.12\"'\n"));
	ck_assert_ptr_nonnull(strstr(inv, "\n[wave_2026_11_29_sunday_night_1]\nweb-1 "
				      "slipway_reboot=True slipway_engine_restart=False"
				      " slipway_containerd_restart=False slipway_kernel_upgrade=True"
				      " slipway_kernel_target='\"6.1.119-1\"'"
				      " slipway_runc_target='\"1.1.5+ds1-1+deb12u1\"'\nweb-2 "));
	ck_assert_ptr_nonnull(strstr(inv, "\n[wave_2026_11_29_sunday_night_2]\nweb-3 "));
	ck_assert_ptr_nonnull(strstr(inv, "[wave_2026_11_25_db_late_1]\ndb-1 slipway_reboot=True"
				      " slipway_engine_restart=True"));
	/* containerd has no fix: no target var */
	ck_assert_ptr_null(strstr(inv, "slipway_containerd_target"));
	ck_assert_ptr_null(strstr(inv, "zz-lost"));
	ck_assert_ptr_nonnull(strstr(inv, "\n[slipway_plan:children]\nwave_2026_11_24_utc_maint_1\n"
				      "wave_2026_11_25_db_late_1\nwave_2026_11_29_sunday_night_1\n"
				      "wave_2026_11_29_sunday_night_2\n"));

	/* one play per wave, in order, serial = the wave's width */
	ck_assert_uint_eq(count(yml, "\n- name: "), 4);
	assert_before(strstr(yml, "hosts: wave_2026_11_25_db_late_1"),
			 strstr(yml, "hosts: wave_2026_11_29_sunday_night_1"));
	ck_assert_ptr_nonnull(strstr(yml, "  hosts: wave_2026_11_29_sunday_night_1\n  serial: 2\n"));
	ck_assert_ptr_nonnull(strstr(yml, "  hosts: wave_2026_11_29_sunday_night_2\n  serial: 1\n"));
	/* the packages of the bundle and the containers predicted to return */
	ck_assert_ptr_nonnull(strstr(yml, "      \"web-1\": [!unsafe \"runc\"]\n"));
	ck_assert_ptr_nonnull(strstr(yml, "      \"db-1\": [!unsafe \"docker.io\"]\n"));
	ck_assert_ptr_nonnull(strstr(yml, "      \"web-1\": [!unsafe \"shop_web_1\"]\n"));
	ck_assert_ptr_nonnull(strstr(yml, "      \"web-2\": [!unsafe \"shop_web_2\"]\n"));
	/* cron stays down and tmp_rm is removed: not expected to run */
	ck_assert_ptr_null(strstr(yml, "\"cron\""));
	ck_assert_ptr_null(strstr(yml, "\"tmp_rm\""));
	/* the tasks once, the other plays refer to them */
	ck_assert_uint_eq(count(yml, "  tasks: &slipway_tasks\n"), 1);
	ck_assert_uint_eq(count(yml, "  tasks: *slipway_tasks\n"), 3);
	ck_assert_ptr_nonnull(strstr(yml, "ansible.builtin.apt:"));
	ck_assert_ptr_nonnull(strstr(yml, "ansible.builtin.dnf:"));
	ck_assert_ptr_nonnull(strstr(yml, "ansible.builtin.reboot:"));
	ck_assert_ptr_nonnull(strstr(yml, "ansible.builtin.systemd:\n        name: docker\n"));
	ck_assert_ptr_nonnull(strstr(yml, "- !unsafe \"{{.State.Running}}\"\n"));
	ck_assert_ptr_nonnull(strstr(yml, "ansible_facts.os_family == 'Debian'"));
	free(inv);
	free(yml);
	cleanup_dir(dir);
}
END_TEST

static void bad_host(struct plan *p)
{
	export_fixture_rename_host(p, 1, "web-1 ansible_host=evil");
}

static void bad_container(struct plan *p)
{
	export_fixture_rename_container(p, 1, 2, "{{ lookup('pipe','id') }}");
}

static void bad_version(struct plan *p)
{
	free(p->in.hosts[1].targets[1].version);
	p->in.hosts[1].targets[1].version = strdup("1.1' x='\"");
}

START_TEST(ansible_refuses_unsafe_names)
{
	static void (*const tweaks[])(struct plan *) = { bad_host, bad_container, bad_version };
	static const char *const says[] = {
		"host 'web-1 ansible_host=evil' is not a usable inventory name",
		"container '{{ lookup('pipe','id') }}' is not a valid container name",
		"bad runc version '1.1' x='\"'",
	};
	char dir[] = "/tmp/slipway-test-ansible-XXXXXX", path[256];
	struct err err;
	struct stat st;

	ck_assert_int_eq(write_dir(dir, tweaks[_i], &err), ERR_PARSE);
	ck_assert_msg(strstr(err.msg, says[_i]) != NULL, "%s", err.msg);
	/* nothing written */
	snprintf(path, sizeof(path), "%s/inventory.ini", dir);
	ck_assert_int_ne(stat(path, &st), 0);
	cleanup_dir(dir);
}
END_TEST

/* ---- the dispatcher ------------------------------------------------- */

START_TEST(dispatcher_errors)
{
	struct plan p;
	struct err err;
	bool dir = false;

	plan_init(&p);
	export_fixture(&p);
	err_clear(&err);
	ck_assert_int_eq(export_write(&p, "xlsx", "/tmp/x", &err), ERR_USAGE);
	ck_assert_str_eq(err.msg, "unknown export format 'xlsx' (one of: csv md html ics ansible)");
	ck_assert_int_eq(export_write(&p, "ansible", "-", &err), ERR_USAGE);
	ck_assert_str_eq(err.msg, "the 'ansible' export writes a directory: give its path with -o DIR");
	ck_assert_int_eq(export_write(&p, "csv", "/nonexistent-dir/plan.csv", &err), ERR_IO);
	ck_assert_msg(strstr(err.msg, "cannot write '/nonexistent-dir/plan.csv': ") == err.msg,
		      "%s", err.msg);
	ck_assert(export_has_format("ics", &dir) && !dir);
	ck_assert(export_has_format("ansible", &dir) && dir);
	ck_assert(!export_has_format("text", NULL));
	plan_release(&p);
}
END_TEST

START_TEST(empty_plan)
{
	struct plan p;
	struct err err;
	char path[] = "/tmp/slipway-test-export-empty-XXXXXX";
	static const char *const formats[] = { "csv", "md", "html", "ics" };
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	close(fd);
	plan_init(&p);
	p.in.start = FIX_START;
	p.in.end = FIX_END;
	for (size_t i = 0; i < 4; i++) {
		err_clear(&err);
		ck_assert_msg(export_write(&p, formats[i], path, &err) == 0, "%s: %s",
			      formats[i], err.msg);
	}
	unlink(path);
	plan_release(&p);
}
END_TEST

/* ---- generated fleets ------------------------------------------------ */

/* Every format on planner output for generated fleets (several seeds):
 * each placed host has its CSV row and its VEVENT, the unplaced none, the
 * ics parses, and the md and ansible outputs name every wave's hosts. */
START_TEST(generated_fleets)
{
	struct plan_gen_opts o = {
		.seed = 1000 + (uint64_t)_i, .hosts = 150, .containers_per_host = 6,
		.groups = 25, .windows = 5, .weeks = 4, .max_down = 0,
		.pins = true, .freezes = true, .impossible = true,
	};
	char path[] = "/tmp/slipway-test-export-gen-XXXXXX";
	char dir[] = "/tmp/slipway-test-export-gend-XXXXXX";
	static const char *const formats[] = { "csv", "md", "html", "ics" };
	struct plan p;
	struct err err;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	plan_init(&p);
	ck_assert_msg(plan_gen(&p, &o, &err) == 0, "%s", err.msg);
	ck_assert_msg(plan_run(&p, &err) == 0, "%s", err.msg);
	ck_assert_uint_gt(p.nslots, 0);
	for (size_t f = 0; f < 4; f++) {
		char *out;

		err_clear(&err);
		ck_assert_msg(export_write(&p, formats[f], path, &err) == 0, "%s: %s",
			      formats[f], err.msg);
		out = slurp(path);
		if (f == 0)
			ck_assert_uint_eq(count(out, "\r\n"), p.nslots + 1);
		if (f == 3) {
			icalcomponent *cal = icalparser_parse_string(out);

			ck_assert_ptr_nonnull(cal);
			ck_assert_int_eq(icalcomponent_count_errors(cal), 0);
			ck_assert_int_eq(icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT),
					 (int)p.nslots);
			icalcomponent_free(cal);
		}
		for (size_t i = 0; i < p.nslots; i++) {
			const char *name = p.in.hosts[p.slots[i].host].name;

			ck_assert_msg(strstr(out, name), "%s lacks %s", formats[f], name);
		}
		free(out);
	}
	err_clear(&err);
	ck_assert_msg(export_write(&p, "ansible", dir, &err) == 0, "%s", err.msg);
	{
		char file[256], *inv;

		snprintf(file, sizeof(file), "%s/inventory.ini", dir);
		inv = slurp(file);
		for (size_t i = 0; i < p.nslots; i++) {
			char line[300];

			snprintf(line, sizeof(line), "\n%s slipway_reboot=",
				 p.in.hosts[p.slots[i].host].name);
			ck_assert_msg(strstr(inv, line), "inventory lacks %s", line + 1);
		}
		for (size_t i = 0; i < p.nunplaced; i++) {
			char line[300];

			snprintf(line, sizeof(line), "\n%s slipway_reboot=",
				 p.in.hosts[p.unplaced[i].host].name);
			ck_assert_msg(!strstr(inv, line), "inventory has unplaced %s", line + 1);
		}
		free(inv);
	}
	unlink(path);
	cleanup_dir(dir);
	plan_release(&p);
}
END_TEST

static Suite *export_suite(void)
{
	Suite *s = suite_create("export");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, csv_header_and_rows);
	tcase_add_test(tc, csv_quoting);
	tcase_add_test(tc, md_document);
	tcase_add_test(tc, md_escapes_names);
	tcase_add_test(tc, html_page);
	tcase_add_test(tc, ics_stable_and_zoned);
	tcase_add_test(tc, ics_description);
	tcase_add_test(tc, ansible_directory);
	tcase_add_loop_test(tc, ansible_refuses_unsafe_names, 0, 3);
	tcase_add_test(tc, dispatcher_errors);
	tcase_add_test(tc, empty_plan);
	tcase_add_loop_test(tc, generated_fleets, 0, 8);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(export_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
