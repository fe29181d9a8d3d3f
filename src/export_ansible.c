/* export_ansible.c - the plan as an Ansible directory (ansible-core 2.14,
 * Debian 12's ansible-core): inventory.ini and maintenance.yml.
 *
 * inventory.ini (Ansible's INI inventory): one group per wave, named
 * wave_<local date>_<window>_<wave> ([wave_2026_11_29_sunday_night_1]),
 * all of them children of [slipway_plan]. Host variables:
 *   slipway_reboot, slipway_engine_restart, slipway_containerd_restart,
 *   slipway_kernel_upgrade           True/False (Python literals, which
 *                                    the INI plugin reads as booleans)
 *   slipway_<component>_target       the version that fixes the host's
 *                                    findings (kernel, runc, containerd,
 *                                    docker, podman), where one is known;
 *                                    written '"1.2"' so that the INI plugin
 *                                    keeps it a string, not a float
 *   slipway_engine_cli=podman        on hosts whose only engine target is
 *                                    Podman's (default docker)
 *
 * maintenance.yml: one play per wave, in time order, hosts = the wave's
 * group, serial = the wave's width (its hosts start together in the plan),
 * any_errors_fatal so a failed host stops the run before the next wave
 * touches the same services. Tasks (written in the first play, the others
 * refer to them with a YAML alias), each conditioned on the host's bundle:
 *   1. fail on an os_family other than Debian or RedHat;
 *   2. upgrade the bundle's packages (the host's own package names from
 *      its findings) with ansible.builtin.apt (only_upgrade) on Debian and
 *      Ubuntu, ansible.builtin.dnf (update_only) on RPM systems; the kernel
 *      through its metapackages ("linux-image-*" with only_upgrade: the
 *      installed linux-image-amd64 / -generic pulls the new ABI package)
 *      or dnf "kernel";
 *   3. ansible.builtin.reboot where the bundle has a reboot;
 *   4. ansible.builtin.systemd restart docker where it has engine-restart
 *      and no reboot, containerd where it has containerd-restart only;
 *   5. wait for the engine: `docker info` (argv form) until it answers;
 *   6. check that every container predicted to come back by itself
 *      (effect restarts) is running again: `docker inspect -f
 *      {{.State.Running}} -- NAME` until it prints true.
 * Recreate is not automated (how a container is recreated belongs to its
 * compose file or service); the play's comment lists those containers.
 *
 * Safety: the per-host lists (packages, containers) are play vars whose
 * every string is a YAML double-quoted scalar tagged !unsafe, so Jinja
 * never evaluates a name; commands use ansible.builtin.command's argv
 * form (no shell), with "--" before a container name. Host names must be
 * plain inventory names, package and container names what apt, dnf and
 * the engines accept, versions version characters; anything else fails
 * the export with ERR_PARSE naming it (it could not be run safely). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export_priv.h"
#include "xalloc.h"
#include "banned.h"

/* Characters allowed after the first (a letter or digit). */
#define HOST_CHARS "._-"
#define PACKAGE_CHARS "._+-"     /* Debian policy 5.6.1, RPM names */
#define CONTAINER_CHARS "._-"    /* Docker's [a-zA-Z0-9][a-zA-Z0-9_.-] */
#define VERSION_CHARS ".+:~_^-"  /* Debian policy 5.6.12, RPM EVR */

struct wave_ref {
	const struct export_occ *occ;
	const struct export_wave *wave;
	char group[128];
};

static bool has(impact_actions a, enum impact_action x)
{
	return (a & IMPACT_BIT(x)) != 0;
}

static const struct plan_target *target(const struct plan_host *h, const char *component)
{
	for (size_t i = 0; i < h->ntargets; i++)
		if (h->targets[i].component && !strcmp(h->targets[i].component, component))
			return &h->targets[i];
	return NULL;
}

/* Checks every name the files will carry; ERR_PARSE naming the first bad
 * one. */
static int validate(const struct plan *plan, struct err *err)
{
	for (size_t i = 0; i < plan->nslots; i++) {
		const struct plan_host *h = &plan->in.hosts[plan->slots[i].host];

		if (!export_name_ok(h->name, HOST_CHARS))
			return err_set(err, ERR_PARSE, "cannot write the ansible export:"
				       " host '%s' is not a usable inventory name (letters,"
				       " digits, '.', '-', '_')", h->name);
		for (size_t k = 0; k < h->ntargets; k++) {
			const struct plan_target *t = &h->targets[k];

			if (!export_name_ok(t->component, ""))
				return err_set(err, ERR_PARSE, "cannot write the ansible export:"
					       " host '%s': bad component name '%s'", h->name,
					       t->component ? t->component : "");
			if (t->package && !export_name_ok(t->package, PACKAGE_CHARS))
				return err_set(err, ERR_PARSE, "cannot write the ansible export:"
					       " host '%s': bad package name '%s'", h->name,
					       t->package);
			if (t->version && !export_name_ok(t->version, VERSION_CHARS))
				return err_set(err, ERR_PARSE, "cannot write the ansible export:"
					       " host '%s': bad %s version '%s'", h->name,
					       t->component, t->version);
		}
		for (size_t k = 0; k < h->ncontainers; k++)
			if (!export_name_ok(h->containers[k].name, CONTAINER_CHARS))
				return err_set(err, ERR_PARSE, "cannot write the ansible export:"
					       " host '%s': container '%s' is not a valid"
					       " container name", h->name,
					       h->containers[k].name ? h->containers[k].name : "");
	}
	return 0;
}

static void group_name(struct wave_ref *r, const struct plan *plan,
		       const struct wave_ref *refs, size_t nrefs, size_t index)
{
	const char *win = plan->in.windows[r->occ->window].name;
	size_t len;
	bool clash;

	len = (size_t)snprintf(r->group, sizeof(r->group), "wave_%04d_%02d_%02d_",
			       r->occ->day / 10000, r->occ->day / 100 % 100, r->occ->day % 100);
	for (const char *p = win; *p && len < 80; p++) {
		char c = *p;

		r->group[len++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a')
				  : ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) ? c : '_';
	}
	r->group[len] = '\0';
	snprintf(r->group + len, sizeof(r->group) - len, "_%d", r->wave->number);
	/* windows "a-b" and "a.b" on one day map to one name: keep them apart */
	do {
		clash = false;
		for (size_t k = 0; k < nrefs; k++)
			if (!strcmp(refs[k].group, r->group))
				clash = true;
		if (clash) {
			len = strlen(r->group);
			snprintf(r->group + len, sizeof(r->group) - len, "_%zu", index);
		}
	} while (clash && strlen(r->group) < sizeof(r->group) - 24);
}

/* The waves in time order (by first start, then group construction). */
static struct wave_ref *wave_refs(const struct plan *plan, const struct export_occs *occs,
				  size_t *n)
{
	size_t total = 0, k = 0;
	struct wave_ref *refs;

	for (size_t i = 0; i < occs->n; i++)
		total += occs->v[i].nwaves;
	refs = xcalloc(total ? total : 1, sizeof(*refs));
	for (size_t i = 0; i < occs->n; i++)
		for (size_t w = 0; w < occs->v[i].nwaves; w++) {
			refs[k].occ = &occs->v[i];
			refs[k].wave = &occs->v[i].waves[w];
			k++;
		}
	for (size_t i = 1; i < total; i++) {   /* stable insertion sort by start */
		struct wave_ref t = refs[i];
		size_t j = i;

		while (j > 0 && refs[j - 1].wave->start > t.wave->start) {
			refs[j] = refs[j - 1];
			j--;
		}
		refs[j] = t;
	}
	for (size_t i = 0; i < total; i++)
		group_name(&refs[i], plan, refs, i, i + 1);
	*n = total;
	return refs;
}

static const char *py_bool(bool b)
{
	return b ? "True" : "False";
}

static int inventory(struct buf *b, const struct plan *plan, const struct wave_ref *refs,
		     size_t nrefs)
{
	char from[WINDOW_TIME_MAX], to[WINDOW_TIME_MAX];
	int rc = 0;

	window_format_time(from, plan->in.start, NULL);
	window_format_time(to, plan->in.end, NULL);
	rc |= buf_addf(b,
		"# inventory.ini - written by `slipway plan --format ansible` (%s)\n"
		"# for the horizon %s to %s.\n"
		"# One group per wave, in the order maintenance.yml runs them; every\n"
		"# wave is a child of [slipway_plan].\n"
		"# Host variables: slipway_reboot, slipway_engine_restart,\n"
		"# slipway_containerd_restart, slipway_kernel_upgrade (booleans) and\n"
		"# slipway_<component>_target, the version that fixes the host's\n"
		"# findings where one is known.\n",
		PLAN_SCHEMA, from, to);
	for (size_t i = 0; i < nrefs; i++) {
		const struct export_wave *wv = refs[i].wave;
		char start[WINDOW_TIME_MAX];

		export_time(start, plan, refs[i].occ->window, wv->start);
		rc |= buf_addf(b, "\n# wave %d of window %s, starts %s\n[%s]\n", wv->number,
			       plan->in.windows[refs[i].occ->window].name, start, refs[i].group);
		for (size_t s = 0; s < wv->nslots; s++) {
			const struct plan_host *h = &plan->in.hosts[plan->slots[wv->slots[s]].host];
			const struct plan_target *kt = target(h, "kernel");
			bool podman_only = target(h, "podman") && !target(h, "docker");

			rc |= buf_addf(b, "%s slipway_reboot=%s slipway_engine_restart=%s"
					  " slipway_containerd_restart=%s slipway_kernel_upgrade=%s",
				       h->name, py_bool(has(h->actions, IMPACT_REBOOT)),
				       py_bool(has(h->actions, IMPACT_ENGINE_RESTART)),
				       py_bool(has(h->actions, IMPACT_CONTAINERD_RESTART)),
				       py_bool(kt && kt->version));
			for (size_t k = 0; k < h->ntargets; k++)
				if (h->targets[k].version)
					rc |= buf_addf(b, " slipway_%s_target='\"%s\"'",
						       h->targets[k].component, h->targets[k].version);
			if (podman_only)
				rc |= buf_addstr(b, " slipway_engine_cli=podman");
			rc |= buf_addch(b, '\n');
		}
	}
	rc |= buf_addstr(b, "\n[slipway_plan:children]\n");
	for (size_t i = 0; i < nrefs; i++)
		rc |= buf_addf(b, "%s\n", refs[i].group);
	return rc;
}

/* The host's packages to upgrade, without the kernel (which goes through
 * its metapackages): the targets' packages, each once. */
static int packages(struct buf *b, const struct plan_host *h)
{
	bool first = true;
	int rc = 0;

	rc |= buf_addch(b, '[');
	for (size_t k = 0; k < h->ntargets; k++) {
		const struct plan_target *t = &h->targets[k];
		bool dup = false;

		if (!t->package || !t->version || !strcmp(t->component, "kernel"))
			continue;
		for (size_t j = 0; j < k; j++)
			if (h->targets[j].package && h->targets[j].version &&
			    strcmp(h->targets[j].component, "kernel") &&
			    !strcmp(h->targets[j].package, t->package))
				dup = true;
		if (dup)
			continue;
		rc |= buf_addstr(b, first ? "!unsafe " : ", !unsafe ");
		rc |= export_esc_yaml(b, t->package);
		first = false;
	}
	rc |= buf_addch(b, ']');
	return rc;
}

static int play(struct buf *b, const struct plan *plan, const struct wave_ref *r,
		bool first_play)
{
	const struct export_wave *wv = r->wave;
	const struct plan_window *w = &plan->in.windows[r->occ->window];
	char start[EXPORT_SHORT_MAX];
	struct buf title;
	int rc = 0;

	buf_init(&title, 4096);
	export_time_short(start, plan, r->occ->window, wv->start);
	rc |= buf_addf(&title, "slipway wave %d of window %s, %s %s (%zu host%s)", wv->number,
		       w->name, start, w->timezone, wv->nslots, wv->nslots == 1 ? "" : "s");
	rc |= buf_addstr(b, "\n- name: !unsafe ");
	rc |= export_esc_yaml(b, title.ptr);
	buf_release(&title);
	rc |= buf_addf(b, "\n  hosts: %s\n  serial: %zu\n  any_errors_fatal: true\n"
			  "  become: true\n  gather_facts: true\n", r->group, wv->nslots);
	for (size_t s = 0; s < wv->nslots; s++) {
		const struct plan_host *h = &plan->in.hosts[plan->slots[wv->slots[s]].host];

		for (size_t i = 0; i < h->ncontainers; i++)
			if (h->containers[i].effect == IMPACT_RECREATED &&
			    export_goes_down(&h->containers[i]))
				rc |= buf_addf(b, "  # %s: recreate %s by hand (its compose file or"
						  " service knows how)\n", h->name,
					       h->containers[i].name);
	}
	rc |= buf_addstr(b, "  vars:\n    slipway_packages:\n");
	for (size_t s = 0; s < wv->nslots; s++) {
		const struct plan_host *h = &plan->in.hosts[plan->slots[wv->slots[s]].host];

		rc |= buf_addstr(b, "      ");
		rc |= export_esc_yaml(b, h->name);
		rc |= buf_addstr(b, ": ");
		rc |= packages(b, h);
		rc |= buf_addch(b, '\n');
	}
	rc |= buf_addstr(b, "    slipway_running:\n");
	for (size_t s = 0; s < wv->nslots; s++) {
		const struct plan_host *h = &plan->in.hosts[plan->slots[wv->slots[s]].host];
		bool first = true;

		rc |= buf_addstr(b, "      ");
		rc |= export_esc_yaml(b, h->name);
		rc |= buf_addstr(b, ": [");
		for (size_t i = 0; i < h->ncontainers; i++) {
			const struct plan_container *c = &h->containers[i];

			if (c->effect != IMPACT_RESTARTS || !export_goes_down(c))
				continue;
			rc |= buf_addstr(b, first ? "!unsafe " : ", !unsafe ");
			rc |= export_esc_yaml(b, c->name);
			first = false;
		}
		rc |= buf_addstr(b, "]\n");
	}
	/* the tasks are the same in every play: written once, then a YAML
	 * alias (YAML 1.2 7.1) keeps a plan of many waves small */
	if (!first_play)
		return rc | buf_addstr(b, "  tasks: *slipway_tasks\n");
	rc |= buf_addstr(b,
		"  tasks: &slipway_tasks\n"
		"    - name: refuse an OS family this playbook has no package task for\n"
		"      ansible.builtin.fail:\n"
		"        msg: \"slipway: no package task for os_family {{ ansible_facts.os_family }}\"\n"
		"      when: ansible_facts.os_family not in ['Debian', 'RedHat']\n"
		"\n"
		"    - name: upgrade the bundle's packages (apt)\n"
		"      ansible.builtin.apt:\n"
		"        name: \"{{ slipway_packages[inventory_hostname] }}\"\n"
		"        state: latest\n"
		"        only_upgrade: true\n"
		"        update_cache: true\n"
		"      when:\n"
		"        - ansible_facts.os_family == 'Debian'\n"
		"        - slipway_packages[inventory_hostname] | length > 0\n"
		"\n"
		"    - name: upgrade the kernel through its metapackages (apt)\n"
		"      ansible.builtin.apt:\n"
		"        name: \"linux-image-*\"\n"
		"        state: latest\n"
		"        only_upgrade: true\n"
		"        update_cache: true\n"
		"      when:\n"
		"        - ansible_facts.os_family == 'Debian'\n"
		"        - slipway_kernel_upgrade | bool\n"
		"\n"
		"    - name: upgrade the bundle's packages (dnf)\n"
		"      ansible.builtin.dnf:\n"
		"        name: \"{{ slipway_packages[inventory_hostname] }}\"\n"
		"        state: latest\n"
		"        update_only: true\n"
		"      when:\n"
		"        - ansible_facts.os_family == 'RedHat'\n"
		"        - slipway_packages[inventory_hostname] | length > 0\n"
		"\n"
		"    - name: upgrade the kernel (dnf)\n"
		"      ansible.builtin.dnf:\n"
		"        name: kernel\n"
		"        state: latest\n"
		"      when:\n"
		"        - ansible_facts.os_family == 'RedHat'\n"
		"        - slipway_kernel_upgrade | bool\n"
		"\n"
		"    - name: reboot\n"
		"      ansible.builtin.reboot:\n"
		"        reboot_timeout: 1800\n"
		"      when: slipway_reboot | bool\n"
		"\n"
		"    - name: restart the docker engine\n"
		"      ansible.builtin.systemd:\n"
		"        name: docker\n"
		"        state: restarted\n"
		"      when:\n"
		"        - slipway_engine_restart | bool\n"
		"        - not (slipway_reboot | bool)\n"
		"\n"
		"    - name: restart containerd\n"
		"      ansible.builtin.systemd:\n"
		"        name: containerd\n"
		"        state: restarted\n"
		"      when:\n"
		"        - slipway_containerd_restart | bool\n"
		"        - not (slipway_reboot | bool)\n"
		"        - not (slipway_engine_restart | bool)\n"
		"\n"
		"    - name: wait for the container engine\n"
		"      ansible.builtin.command:\n"
		"        argv:\n"
		"          - \"{{ slipway_engine_cli | default('docker') }}\"\n"
		"          - info\n"
		"      register: slipway_engine_info\n"
		"      until: slipway_engine_info.rc == 0\n"
		"      retries: 30\n"
		"      delay: 5\n"
		"      changed_when: false\n"
		"\n"
		"    - name: check that the containers predicted to come back are running\n"
		"      ansible.builtin.command:\n"
		"        argv:\n"
		"          - \"{{ slipway_engine_cli | default('docker') }}\"\n"
		"          - inspect\n"
		"          - \"-f\"\n"
		"          - !unsafe \"{{.State.Running}}\"\n"
		"          - \"--\"\n"
		"          - \"{{ item }}\"\n"
		"      loop: \"{{ slipway_running[inventory_hostname] }}\"\n"
		"      register: slipway_container_state\n"
		"      until: slipway_container_state.rc == 0 and slipway_container_state.stdout == 'true'\n"
		"      retries: 30\n"
		"      delay: 10\n"
		"      changed_when: false\n");
	return rc;
}

int export_ansible(struct export_out *out, const struct plan *plan, struct err *err)
{
	struct buf *inv, *yml;
	struct export_occs occs;
	struct wave_ref *refs;
	size_t nrefs;
	char from[WINDOW_TIME_MAX], to[WINDOW_TIME_MAX];
	int rc;

	if ((rc = validate(plan, err)))
		return rc;
	inv = export_out_add(out, "inventory.ini");
	yml = export_out_add(out, "maintenance.yml");
	export_occs_build(&occs, plan);
	refs = wave_refs(plan, &occs, &nrefs);
	rc = inventory(inv, plan, refs, nrefs);
	window_format_time(from, plan->in.start, NULL);
	window_format_time(to, plan->in.end, NULL);
	rc |= buf_addf(yml,
		"# maintenance.yml - written by `slipway plan --format ansible` (%s)\n"
		"# for the horizon %s to %s.\n"
		"# One play per wave, in time order; every play runs the tasks of the\n"
		"# first (the YAML alias *slipway_tasks), each conditioned on the host's\n"
		"# bundle (inventory.ini's slipway_* variables).\n"
		"# Run it wave by wave at the planned times, e.g.\n"
		"#   ansible-playbook -i inventory.ini maintenance.yml --limit WAVE_GROUP\n"
		"# A failed host stops the run (any_errors_fatal) so the next wave never\n"
		"# takes down more members of a service than the plan allows.\n"
		"---\n",
		PLAN_SCHEMA, from, to);
	if (!nrefs)
		rc |= buf_addstr(yml, "[]\n");
	for (size_t i = 0; i < nrefs; i++)
		rc |= play(yml, plan, &refs[i], i == 0);
	free(refs);
	export_occs_release(&occs);
	return rc ? export_too_big(err, "ansible") : 0;
}
