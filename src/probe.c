/* probe.c - the host probe (probe.h): this machine's facts as a host
 * report. Formats read: os-release(5); /proc/uptime and
 * /proc/sys/kernel/random/boot_id (proc(5)); machine-id(5); dpkg-query(1)
 * --showformat fields; rpm(8) --queryformat tags; needrestart(1) batch
 * mode ("NEEDRESTART-KSTA: N", KSTA 0 unknown, 1 current, 2 ABI-compatible
 * upgrade pending, 3 version upgrade pending); needs-restarting(1) -r
 * (exit 1: reboot needed, 0: not); /sys/kernel/livepatch/<patch>/enabled
 * (Documentation/livepatch/livepatch.rst); systemctl(1) is-enabled
 * words. The report is built with sqlite's JSON1 (json_set) on a
 * :memory: store, so every string is escaped by sqlite. */
#include "probe.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "report.h"
#include "store.h"
#include "xalloc.h"
#include "banned.h"

/* Packages whose versions the planner needs (DESIGN.md §6). */
static const char *const dpkg_packages[] = {
	"linux-image-*", "runc", "containerd", "containerd.io", "docker.io",
	"docker-ce", "docker-ce-cli", "podman", "conmon", "crun", NULL,
};
static const char *const rpm_packages[] = {
	"kernel", "kernel-core", "runc", "containerd", "containerd.io",
	"docker-ce", "docker-ce-cli", "moby-engine", "podman", "conmon", "crun",
	NULL,
};

int probe_run(struct buf *out, const char *const argv[], int timeout,
	      int *status, struct err *err)
{
	int outp[2] = { -1, -1 }, errp[2] = { -1, -1 };
	struct timespec start, now;
	int child_errno = 0, rc = 0, wstatus = 0;
	bool killed = false, capped = false;
	pid_t pid;

	if (pipe(outp) || pipe(errp) || fcntl(outp[0], F_SETFD, FD_CLOEXEC) ||
	    fcntl(outp[1], F_SETFD, FD_CLOEXEC) || fcntl(errp[0], F_SETFD, FD_CLOEXEC) ||
	    fcntl(errp[1], F_SETFD, FD_CLOEXEC)) {
		rc = err_set(err, ERR_IO, "cannot run '%s': %s", argv[0], strerror(errno));
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		rc = err_set(err, ERR_IO, "cannot run '%s': %s", argv[0], strerror(errno));
		goto out;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		if (null >= 0) {
			dup2(null, STDIN_FILENO);
			dup2(null, STDERR_FILENO);
		}
		dup2(outp[1], STDOUT_FILENO);
		/* tools print for people; parse them in one language */
		setenv("LC_ALL", "C", 1);
		execvp(argv[0], (char *const *)argv);
		child_errno = errno;
		if (write(errp[1], &child_errno, sizeof(child_errno)) < 0)
			_exit(126);
		_exit(127);
	}
	close(outp[1]);
	close(errp[1]);
	outp[1] = errp[1] = -1;
	if (read(errp[0], &child_errno, sizeof(child_errno)) != sizeof(child_errno))
		child_errno = 0;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		struct pollfd pfd = { .fd = outp[0], .events = POLLIN };
		char chunk[8192];
		long left;
		ssize_t n;

		clock_gettime(CLOCK_MONOTONIC, &now);
		left = (long)timeout * 1000 -
		       ((now.tv_sec - start.tv_sec) * 1000 +
			(now.tv_nsec - start.tv_nsec) / 1000000);
		if (left <= 0) {
			kill(pid, SIGKILL);
			killed = true;
			break;
		}
		if (poll(&pfd, 1, (int)left) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (!pfd.revents)
			continue;
		n = read(outp[0], chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (!capped && (out->len + (size_t)n > PROBE_TOOL_OUTPUT ||
				buf_add(out, chunk, (size_t)n)))
			capped = true;  /* keep draining so the tool can finish */
	}
	while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
		;
	if (child_errno) {
		rc = err_set(err, child_errno == ENOENT ? ERR_NOTFOUND : ERR_IO,
			     "cannot run '%s': %s", argv[0], strerror(child_errno));
		goto out;
	}
	if (killed) {
		*status = -1;
		rc = err_set(err, ERR_IO, "'%s' did not finish within %d s", argv[0],
			     timeout);
		goto out;
	}
	if (capped) {
		rc = err_set(err, ERR_LIMIT, "'%s' printed more than %zu bytes",
			     argv[0], PROBE_TOOL_OUTPUT);
		goto out;
	}
	*status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
out:
	if (outp[0] >= 0)
		close(outp[0]);
	if (outp[1] >= 0)
		close(outp[1]);
	if (errp[0] >= 0)
		close(errp[0]);
	if (errp[1] >= 0)
		close(errp[1]);
	return rc;
}

/* Reads a small file (at most max bytes) into out; false when it cannot. */
static bool read_small(struct buf *out, const char *path, size_t max)
{
	char chunk[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	buf_reset(out);
	if (fd < 0)
		return false;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		if (out->len + (size_t)n > max || buf_add(out, chunk, (size_t)n)) {
			close(fd);
			return false;
		}
	close(fd);
	return n == 0;
}

static void chomp(struct buf *b)
{
	while (b->len && isspace((unsigned char)b->ptr[b->len - 1]))
		buf_truncate(b, b->len - 1);
}

/* The report being built: JSON text changed with json_set. */
struct doc {
	struct store *js;
	char *text;
	struct err *err;
	int rc;
};

/* Sets path to a value: kind 's' text (NULL: null), 'j' JSON text (NULL:
 * null), 'd' number, 'b' boolean (-1: null). */
static void set(struct doc *d, const char *path, char kind, const char *text,
		double num)
{
	char *next = NULL;
	int rc;

	if (d->rc)
		return;
	switch (kind) {
	case 's':
		rc = store_query_text(d->js, &next, d->err, "SELECT json_set(?, ?, ?)",
				      "sss", d->text, path, text);
		break;
	case 'j':
		rc = store_query_text(d->js, &next, d->err,
				      "SELECT json_set(?, ?, json(coalesce(?, 'null')))",
				      "sss", d->text, path, text);
		break;
	case 'd':
		rc = store_query_text(d->js, &next, d->err, "SELECT json_set(?, ?, ?)",
				      "ssd", d->text, path, num);
		break;
	default:
		rc = store_query_text(d->js, &next, d->err,
				      "SELECT json_set(?, ?, json(CASE ? WHEN 1 THEN 'true'"
				      " WHEN 0 THEN 'false' ELSE 'null' END))",
				      "ssi", d->text, path, (long long)num);
		break;
	}
	if (rc) {
		d->rc = rc;
		return;
	}
	free(d->text);
	d->text = next;
}

/* Appends an object to the array at path. */
static void append_package(struct doc *d, const char *path, const char *name,
			   const char *source, const char *version,
			   const char *source_version)
{
	char *next = NULL;

	if (d->rc)
		return;
	d->rc = store_query_text(d->js, &next, d->err,
		"SELECT json_insert(?1, ?2 || '[#]', json_object('name', ?3,"
		" 'source', ?4, 'version', ?5, 'source_version', ?6))",
		"ssssss", d->text, path, name, source, version, source_version);
	if (!d->rc) {
		free(d->text);
		d->text = next;
	}
}

/* os-release(5): KEY=VALUE, values optionally quoted, with \" \\ \$ \`
 * escapes inside double quotes. */
static char *os_release_value(const char *text, const char *key)
{
	size_t klen = strlen(key);
	const char *line = text;

	while (line && *line) {
		const char *end = strchr(line, '\n');
		size_t n = end ? (size_t)(end - line) : strlen(line);

		if (n > klen && !strncmp(line, key, klen) && line[klen] == '=') {
			const char *v = line + klen + 1, *e = line + n;
			struct buf b;
			char q = 0;

			buf_init(&b, 4096);
			if (v < e && (*v == '"' || *v == '\'')) {
				q = *v++;
				if (e > v && e[-1] == q)
					e--;
			}
			for (; v < e; v++) {
				if (q == '"' && *v == '\\' && v + 1 < e)
					v++;
				if (buf_addch(&b, *v))
					break;
			}
			return buf_detach(&b, NULL);
		}
		line = end ? end + 1 : NULL;
	}
	return NULL;
}

static void probe_os(struct doc *d)
{
	static const struct { const char *key, *path; } keys[] = {
		{ "ID", "$.os.id" }, { "VERSION_ID", "$.os.version_id" },
		{ "VERSION_CODENAME", "$.os.codename" },
		{ "PRETTY_NAME", "$.os.pretty_name" },
	};
	struct buf b;
	size_t i;

	buf_init(&b, 65536);
	if (!read_small(&b, "/etc/os-release", 65536) &&
	    !read_small(&b, "/usr/lib/os-release", 65536)) {
		set(d, "$.os", 'j', NULL, 0);
		buf_release(&b);
		return;
	}
	set(d, "$.os", 'j', "{}", 0);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		char *v = os_release_value(b.ptr, keys[i].key);

		/* Ubuntu before 16.04 names the codename UBUNTU_CODENAME only */
		if (!v && !strcmp(keys[i].key, "VERSION_CODENAME"))
			v = os_release_value(b.ptr, "UBUNTU_CODENAME");
		set(d, keys[i].path, 's', v, 0);
		free(v);
	}
	buf_release(&b);
}

static void probe_identity(struct doc *d)
{
	struct buf b;
	char host[256];

	buf_init(&b, 65536);
	if (gethostname(host, sizeof(host)) == 0) {
		host[sizeof(host) - 1] = '\0';
		set(d, "$.host.name", 's', host, 0);
	}
	set(d, "$.host.machine_id", 's',
	    read_small(&b, "/etc/machine-id", 256) ? (chomp(&b), b.ptr) : NULL, 0);
	set(d, "$.host.boot_id", 's',
	    read_small(&b, "/proc/sys/kernel/random/boot_id", 256) ? (chomp(&b), b.ptr) : NULL, 0);
	if (read_small(&b, "/proc/uptime", 256)) {
		char *end;
		double up = strtod(b.ptr, &end);

		if (end != b.ptr && up >= 0)
			set(d, "$.host.uptime_seconds", 'd', NULL, up);
		else
			set(d, "$.host.uptime_seconds", 'j', NULL, 0);
	} else {
		set(d, "$.host.uptime_seconds", 'j', NULL, 0);
	}
	buf_release(&b);
}

/* One installed package as the package manager says. */
struct pkg {
	char *name, *source, *version, *source_version;
};

struct pkgs {
	struct pkg *v;
	size_t n, alloc;
};

static void pkgs_release(struct pkgs *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->v[i].name);
		free(p->v[i].source);
		free(p->v[i].version);
		free(p->v[i].source_version);
	}
	free(p->v);
}

static const struct pkg *pkgs_find(const struct pkgs *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (!strcmp(p->v[i].name, name))
			return &p->v[i];
	return NULL;
}

/* Splits a line into at most max space-separated fields. */
static size_t fields(char *line, char **f, size_t max)
{
	size_t n = 0;
	char *save = line;

	while (n < max) {
		while (*save == ' ')
			save++;
		if (!*save)
			break;
		f[n++] = save;
		save += strcspn(save, " ");
		if (*save)
			*save++ = '\0';
	}
	return n;
}

/* dpkg-query -W: "STATUS PACKAGE SOURCE VERSION SOURCE-VERSION" per line;
 * only installed packages (status "ii" or held "hi") count. */
static int dpkg_packages_list(struct pkgs *out, struct err *err)
{
	const char *argv[32] = {
		"dpkg-query", "-W", "-f",
		"${db:Status-Abbrev} ${Package} ${source:Package} ${Version} ${source:Version}\\n",
	};
	struct buf o;
	size_t i, n = 4;
	int status = 0, rc;
	char *line, *next;

	for (i = 0; dpkg_packages[i]; i++)
		argv[n++] = dpkg_packages[i];
	argv[n] = NULL;
	buf_init(&o, PROBE_TOOL_OUTPUT);
	/* exit 1 only says some pattern matched nothing */
	rc = probe_run(&o, argv, PROBE_TOOL_TIMEOUT, &status, err);
	if (rc || status > 1) {
		buf_release(&o);
		return rc ? rc : err_set(err, ERR_IO, "'dpkg-query' failed (exit %d)", status);
	}
	for (line = o.ptr; line && *line; line = next) {
		char *f[6];

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (fields(line, f, 6) != 5 || (strcmp(f[0], "ii") && strcmp(f[0], "hi")) ||
		    pkgs_find(out, f[1]))
			continue;
		XGROW(out->v, out->alloc, out->n + 1);
		out->v[out->n].name = xstrdup(f[1]);
		out->v[out->n].source = xstrdup(f[2]);
		out->v[out->n].version = xstrdup(f[3]);
		out->v[out->n].source_version = xstrdup(f[4]);
		out->n++;
	}
	buf_release(&o);
	return 0;
}

/* rpm -q: "NAME SOURCERPM [EPOCH:]VERSION-RELEASE ARCH"; the source package
 * is SOURCERPM without "-VERSION-RELEASE.src.rpm". */
static int rpm_packages_list(struct pkgs *out, struct pkgs *kernels, struct err *err)
{
	const char *argv[32] = {
		"rpm", "-q", "--qf",
		"%{NAME} %{SOURCERPM} %|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE} %{ARCH}\\n",
	};
	struct buf o;
	size_t i, n = 4;
	int status = 0, rc;
	char *line, *next;

	for (i = 0; rpm_packages[i]; i++)
		argv[n++] = rpm_packages[i];
	argv[n] = NULL;
	buf_init(&o, PROBE_TOOL_OUTPUT);
	rc = probe_run(&o, argv, PROBE_TOOL_TIMEOUT, &status, err);
	if (rc) {
		buf_release(&o);
		return rc;
	}
	for (line = o.ptr; line && *line; line = next) {
		char *f[5], *src, *dash;
		struct pkgs *to = out;
		int k;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		/* "package runc is not installed" has other fields */
		if (fields(line, f, 5) != 4 || !strstr(f[1], ".src.rpm"))
			continue;
		src = xstrdup(f[1]);
		for (k = 0; k < 2 && (dash = strrchr(src, '-')); k++)
			*dash = '\0';
		for (k = 0; k < 2; k++, to = kernels) {
			if (k == 1 && strcmp(f[0], "kernel") && strcmp(f[0], "kernel-core"))
				break;
			XGROW(to->v, to->alloc, to->n + 1);
			to->v[to->n].name = xstrdup(f[0]);
			to->v[to->n].source = xstrdup(src);
			to->v[to->n].version = xstrdup(f[2]);
			/* kernels: the release uname -r prints, VERSION-RELEASE.ARCH */
			if (k == 1) {
				struct buf r;
				const char *colon = strchr(f[2], ':');

				buf_init(&r, 512);
				buf_addf(&r, "%s.%s", colon ? colon + 1 : f[2], f[3]);
				to->v[to->n].source_version = buf_detach(&r, NULL);
			} else {
				to->v[to->n].source_version = NULL;
			}
			to->n++;
		}
		free(src);
	}
	buf_release(&o);
	return 0;
}

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* The package that ships the running kernel: dpkg -S or rpm -qf on
 * /boot/vmlinuz-RELEASE, else /lib/modules/RELEASE. */
static char *owner_of_kernel(const char *release, bool dpkg)
{
	char path[512];
	struct err err;
	size_t i;

	for (i = 0; i < 2; i++) {
		const char *dargv[] = { "dpkg", "-S", path, NULL };
		const char *rargv[] = { "rpm", "-qf", "--qf", "%{NAME}\\n", path, NULL };
		struct buf o;
		int status = 0;
		char *res = NULL;

		if (i == 0)
			snprintf(path, sizeof(path), "/boot/vmlinuz-%s", release);
		else
			snprintf(path, sizeof(path), "/lib/modules/%s", release);
		if (!exists(path))
			continue;
		buf_init(&o, 65536);
		if (!probe_run(&o, dpkg ? dargv : rargv, PROBE_TOOL_TIMEOUT, &status, &err) &&
		    status == 0) {
			char *nl = strchr(o.ptr, '\n');

			if (nl)
				*nl = '\0';
			/* dpkg -S: "linux-image-6.1.0-28-amd64: /boot/vmlinuz-..." */
			if (dpkg) {
				char *colon = strstr(o.ptr, ": ");

				if (colon && !strchr(o.ptr, ',')) {
					*colon = '\0';
					res = xstrdup(o.ptr);
				}
			} else if (*o.ptr) {
				res = xstrdup(o.ptr);
			}
		}
		buf_release(&o);
		if (res)
			return res;
	}
	return NULL;
}

/* Kernels installed: the release is the package name after "linux-image-"
 * (or "linux-image-unsigned-") when a kernel of that release is on disk,
 * which leaves out meta packages (linux-image-amd64). */
static void probe_kernels_dpkg(struct doc *d, const struct pkgs *p)
{
	size_t i;

	set(d, "$.kernel.installed", 'j', "[]", 0);
	for (i = 0; i < p->n; i++) {
		const char *rel = p->v[i].name;
		char path[512], *next = NULL;

		if (!strncmp(rel, "linux-image-unsigned-", 21))
			rel += 21;
		else if (!strncmp(rel, "linux-image-", 12))
			rel += 12;
		else
			continue;
		snprintf(path, sizeof(path), "/boot/vmlinuz-%s", rel);
		if (!exists(path)) {
			snprintf(path, sizeof(path), "/lib/modules/%s", rel);
			if (!exists(path))
				continue;
		}
		if (d->rc)
			return;
		d->rc = store_query_text(d->js, &next, d->err,
			"SELECT json_insert(?1, '$.kernel.installed[#]', json_object('release', ?2,"
			" 'package', json_object('name', ?3, 'source', ?4, 'version', ?5)))",
			"sssss", d->text, rel, p->v[i].name, p->v[i].source, p->v[i].version);
		if (!d->rc) {
			free(d->text);
			d->text = next;
		}
	}
}

static void probe_kernels_rpm(struct doc *d, const struct pkgs *k)
{
	size_t i;

	set(d, "$.kernel.installed", 'j', "[]", 0);
	for (i = 0; i < k->n; i++) {
		char *next = NULL;

		if (d->rc)
			return;
		d->rc = store_query_text(d->js, &next, d->err,
			"SELECT json_insert(?1, '$.kernel.installed[#]', json_object('release', ?2,"
			" 'package', json_object('name', ?3, 'source', ?4, 'version', ?5)))",
			"sssss", d->text, k->v[i].source_version, k->v[i].name, k->v[i].source,
			k->v[i].version);
		if (!d->rc) {
			free(d->text);
			d->text = next;
		}
	}
}

/* Reboot signals, strongest first; each one found is also recorded under
 * kernel.reboot_signals. */
static void probe_reboot(struct doc *d, bool rpm, const struct pkgs *kernels,
			 const char *release)
{
	const char *nr_argv[] = { "needrestart", "-b", NULL };
	const char *nsr_argv[] = { "needs-restarting", "-r", NULL };
	int verdict = -1, status = 0;
	struct buf o;
	struct err err;

	buf_init(&o, PROBE_TOOL_OUTPUT);
	set(d, "$.kernel.reboot_signals", 'j', "{}", 0);
	if (exists("/var/run/reboot-required")) {
		verdict = 1;
		set(d, "$.kernel.reboot_signals.reboot_required_file", 'b', NULL, 1);
		if (read_small(&o, "/var/run/reboot-required.pkgs", 65536)) {
			char *next = NULL;

			if (!d->rc && !(d->rc = store_query_text(d->js, &next, d->err,
				"SELECT json_set(?1, '$.kernel.reboot_signals.reboot_required_pkgs',"
				" (SELECT json_group_array(value) FROM json_each("
				"  '[\"' || replace(replace(replace(trim(?2, char(10)), '\\', '\\\\'),"
				"  '\"', '\\\"'), char(10), '\",\"') || '\"]')))",
				"ss", d->text, o.ptr))) {
				free(d->text);
				d->text = next;
			}
		}
	}
	buf_reset(&o);
	if (!probe_run(&o, nr_argv, PROBE_TOOL_TIMEOUT, &status, &err) && status == 0) {
		const char *k = strstr(o.ptr, "NEEDRESTART-KSTA: ");

		if (k) {
			int ksta = atoi(k + 18);

			set(d, "$.kernel.reboot_signals.needrestart_ksta", 'd', NULL, ksta);
			if (verdict < 0 && ksta == 1)
				verdict = 0;
			else if (verdict < 0 && (ksta == 2 || ksta == 3))
				verdict = 1;
		}
		k = strstr(o.ptr, "NEEDRESTART-KEXP: ");
		if (k) {
			char exp[256];

			snprintf(exp, sizeof(exp), "%.*s", (int)strcspn(k + 18, "\n"), k + 18);
			set(d, "$.kernel.reboot_signals.needrestart_kexp", 's', exp, 0);
		}
	}
	if (rpm) {
		buf_reset(&o);
		if (!probe_run(&o, nsr_argv, PROBE_TOOL_TIMEOUT, &status, &err) &&
		    (status == 0 || status == 1)) {
			set(d, "$.kernel.reboot_signals.needs_restarting", 'b', NULL, status);
			if (verdict < 0)
				verdict = status;
		} else if (verdict < 0 && kernels->n && release) {
			/* RPM installs kernels side by side; the newest installed
			 * (rpm -q lists in install order) is what a reboot boots */
			const char *newest = kernels->v[kernels->n - 1].source_version;

			verdict = strcmp(newest, release) != 0;
			set(d, "$.kernel.reboot_signals.newest_kernel", 's', newest, 0);
		}
	}
	set(d, "$.kernel.reboot_required", 'b', NULL, verdict);
	buf_release(&o);
}

/* Adds every distinct CVE id in text (any case) to
 * kernel.livepatch.fixed_cves. */
static void append_cves(struct doc *d, const char *text)
{
	const char *p;

	for (p = text; *p; p++) {
		char cve[32], *next = NULL;
		size_t n = 4;

		if (strncasecmp(p, "cve-", 4))
			continue;
		while (n < 28 && (isdigit((unsigned char)p[n]) || p[n] == '-'))
			n++;
		if (n < 13)
			continue;
		snprintf(cve, sizeof(cve), "CVE-%.*s", (int)(n - 4), p + 4);
		p += n - 1;
		if (d->rc || (d->rc = store_query_text(d->js, &next, d->err,
			"SELECT CASE WHEN EXISTS (SELECT 1 FROM json_each(?1,"
			" '$.kernel.livepatch.fixed_cves') WHERE value = ?2) THEN ?1"
			" ELSE json_insert(?1, '$.kernel.livepatch.fixed_cves[#]', ?2) END",
			"ss", d->text, cve)))
			return;
		free(d->text);
		d->text = next;
	}
}

/* Live patching: the kernel's own list, then the vendors' tools. */
static void probe_livepatch(struct doc *d)
{
	const char *cl_argv[] = { "canonical-livepatch", "status", "--format", "json", NULL };
	const char *kp_argv[] = { "kpatch", "list", NULL };
	struct buf o;
	struct err err;
	int status = 0, active = -1;
	bool seen = false;
	DIR *dir = opendir("/sys/kernel/livepatch");

	buf_init(&o, PROBE_TOOL_OUTPUT);
	set(d, "$.kernel.livepatch", 'j', "{\"active\":null,\"fixed_cves\":[],\"covered_until\":null}", 0);
	if (dir) {
		struct dirent *e;

		seen = true;
		active = 0;
		set(d, "$.kernel.livepatch.patches", 'j', "[]", 0);
		while ((e = readdir(dir))) {
			char path[512], *next = NULL;

			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "/sys/kernel/livepatch/%s/enabled", e->d_name);
			if (read_small(&o, path, 64) && o.ptr[0] == '1')
				active = 1;
			if (!d->rc && !(d->rc = store_query_text(d->js, &next, d->err,
				"SELECT json_insert(?, '$.kernel.livepatch.patches[#]', ?)", "ss",
				d->text, e->d_name))) {
				free(d->text);
				d->text = next;
			}
		}
		closedir(dir);
	}
	buf_reset(&o);
	if (!probe_run(&o, cl_argv, PROBE_TOOL_TIMEOUT, &status, &err) && status == 0) {
		char *next = NULL;

		seen = true;
		/* State "applied" on the running kernel; the fixes are CVE ids
		 * in its Fixes text or list, whatever the client version */
		if (!d->rc && !(d->rc = store_query_text(d->js, &next, d->err,
			"SELECT json_set(?1, '$.kernel.livepatch.canonical_state',"
			" CASE WHEN json_valid(?2) THEN (SELECT json_extract(value,"
			" '$.Livepatch.State') FROM json_each(?2, '$.Status') LIMIT 1) END)",
			"ss", d->text, o.ptr))) {
			free(d->text);
			d->text = next;
		}
		if (strstr(o.ptr, "\"applied\""))
			active = 1;
		else if (active < 0)
			active = 0;
		append_cves(d, o.ptr);
	}
	buf_reset(&o);
	if (!probe_run(&o, kp_argv, PROBE_TOOL_TIMEOUT, &status, &err) && status == 0) {
		seen = true;
		if (strstr(o.ptr, "[enabled]"))
			active = 1;
		else if (active < 0)
			active = 0;
	}
	if (!seen)
		set(d, "$.kernel.livepatch", 'j', NULL, 0);
	else
		set(d, "$.kernel.livepatch.active", 'b', NULL, active);
	buf_release(&o);
}

/* systemctl is-enabled: 1 enabled, 0 disabled or masked, -1 anything
 * else (static, indirect, generated, not found: what starts it is not
 * the unit's own install state). No systemd running: -1. */
static int unit_enabled(struct doc *d, const char *unit)
{
	const char *argv[] = { "systemctl", "is-enabled", unit, NULL };
	char path[128];
	struct buf o;
	struct err err;
	int status = 0, r = -1;

	if (!exists("/run/systemd/system"))
		return -1;
	buf_init(&o, 65536);
	if (!probe_run(&o, argv, PROBE_TOOL_TIMEOUT, &status, &err)) {
		chomp(&o);
		snprintf(path, sizeof(path), "$.services.\"%s\"", unit);
		set(d, path, 's', o.len ? o.ptr : NULL, 0);
		if (!strcmp(o.ptr, "enabled") || !strcmp(o.ptr, "enabled-runtime"))
			r = 1;
		else if (!strcmp(o.ptr, "disabled") || !strncmp(o.ptr, "masked", 6))
			r = 0;
	}
	buf_release(&o);
	return r;
}

/* The local engine: the URL asked for, else Docker's socket, else
 * Podman's. */
static int probe_engine(struct doc *d, const struct probe_options *opts,
			struct probe_notes *notes, int docker_enabled,
			int podman_enabled)
{
	struct engine_answers a = { 0 };
	struct engine_target t = { 0 };
	char url[256];
	struct buf e;
	struct err eerr;
	int rc;

	if (opts->engine_url) {
		t.url = opts->engine_url;
	} else if (exists("/var/run/docker.sock")) {
		t.url = "unix:///var/run/docker.sock";
	} else if (exists("/run/podman/podman.sock")) {
		t.url = "unix:///run/podman/podman.sock";
	} else {
		set(d, "$.engine", 'j', NULL, 0);
		return 0;
	}
	snprintf(url, sizeof(url), "%s", t.url);
	t.name = "localhost";
	t.timeout = opts->engine_timeout > 0 ? opts->engine_timeout : 60;
	rc = engine_fetch(&a, &t, &eerr);
	if (rc) {
		if (opts->engine_url) {
			err_set(d->err, eerr.code, "%s", eerr.msg);
			return d->rc = eerr.code;
		}
		if (notes && notes->n < 4)
			snprintf(notes->msg[notes->n++], ERR_MSG_MAX,
				 "no engine data: %.480s", eerr.msg);
		set(d, "$.engine", 'j', NULL, 0);
		return 0;
	}
	buf_init(&e, REPORT_MAX_BYTES);
	rc = engine_report_json(&e, &a,
				a.kind && !strcmp(a.kind, "podman") ? podman_enabled
								    : docker_enabled,
				d->err);
	if (!rc)
		set(d, "$.engine", 'j', e.ptr, 0);
	else
		d->rc = rc;
	buf_release(&e);
	engine_answers_release(&a);
	return d->rc;
}

int probe_report(struct buf *out, const struct probe_options *opts,
		 struct probe_notes *notes, struct err *err)
{
	struct doc d = { 0 };
	struct pkgs pk = { 0 }, kernels = { 0 };
	struct utsname u;
	bool dpkg = false, rpm = false;
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	const char *release = NULL;
	int docker_enabled, podman_enabled, podman_restart;
	size_t i;

	if (notes)
		notes->n = 0;
	d.err = err;
	if (store_open_scratch(&d.js, err))
		return err->code;
	d.text = xstrdup("{}");
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	set(&d, "$.schema", 's', REPORT_SCHEMA, 0);
	set(&d, "$.collected_at", 's', stamp, 0);
	set(&d, "$.host", 'j', "{}", 0);
	probe_identity(&d);
	probe_os(&d);

	set(&d, "$.kernel", 'j', "{}", 0);
	if (uname(&u) == 0) {
		release = u.release;
		set(&d, "$.kernel.release", 's', u.release, 0);
		set(&d, "$.kernel.version", 's', u.version, 0);
	} else {
		set(&d, "$.kernel.release", 'j', NULL, 0);
		set(&d, "$.kernel.version", 'j', NULL, 0);
	}

	/* dpkg when it keeps a database here, else rpm: Debian can carry an
	 * rpm binary with an empty database, and the reverse */
	if (exists("/var/lib/dpkg/status")) {
		struct err perr;

		dpkg = dpkg_packages_list(&pk, &perr) == 0;
	}
	if (!dpkg && (exists("/var/lib/rpm") || exists("/usr/lib/sysimage/rpm"))) {
		struct err perr;

		rpm = rpm_packages_list(&pk, &kernels, &perr) == 0;
	}
	if (dpkg || rpm) {
		char *owner = release ? owner_of_kernel(release, dpkg) : NULL;
		const struct pkg *kp = owner ? pkgs_find(&pk, owner) : NULL;

		if (owner && kp) {
			set(&d, "$.kernel.package", 'j', "{}", 0);
			set(&d, "$.kernel.package.name", 's', kp->name, 0);
			set(&d, "$.kernel.package.source", 's', kp->source, 0);
			set(&d, "$.kernel.package.version", 's', kp->version, 0);
		} else {
			set(&d, "$.kernel.package", 'j', NULL, 0);
		}
		free(owner);
		if (dpkg)
			probe_kernels_dpkg(&d, &pk);
		else
			probe_kernels_rpm(&d, &kernels);
		set(&d, "$.packages", 'j', "[]", 0);
		for (i = 0; i < pk.n; i++)
			append_package(&d, "$.packages", pk.v[i].name, pk.v[i].source,
				       pk.v[i].version,
				       dpkg ? pk.v[i].source_version : NULL);
	} else {
		set(&d, "$.kernel.package", 'j', NULL, 0);
		set(&d, "$.kernel.installed", 'j', NULL, 0);
		set(&d, "$.packages", 'j', NULL, 0);
	}
	probe_reboot(&d, rpm, &kernels, release);
	probe_livepatch(&d);

	docker_enabled = unit_enabled(&d, "docker.service");
	podman_enabled = unit_enabled(&d, "podman.service");
	podman_restart = unit_enabled(&d, "podman-restart.service");
	(void)podman_enabled;
	/* Podman has no daemon: after a reboot, podman-restart.service is what
	 * starts the containers with restart policy always */
	probe_engine(&d, opts, notes, docker_enabled, podman_restart);

	if (!d.rc && buf_addstr(out, d.text))
		d.rc = err_set(err, ERR_LIMIT, "the host report is larger than %zu bytes",
			       out->max);
	pkgs_release(&pk);
	pkgs_release(&kernels);
	free(d.text);
	store_close(d.js);
	return d.rc;
}
