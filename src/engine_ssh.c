/* engine_ssh.c - the OpenSSH local socket forward of engine_ssh.h
 * (ssh(1): -L local_socket:remote_socket, ExitOnForwardFailure,
 * BatchMode). */
#include "engine_ssh.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "xalloc.h"
#include "banned.h"

#define REMOTE_DEFAULT "/var/run/docker.sock"

struct engine_ssh {
	pid_t pid;          /* 0 once reaped */
	int status;
	char *dir;          /* private 0700 directory */
	char *sock;         /* dir/engine.sock */
	char *errfile;      /* dir/ssh.err: ssh's stderr */
	char errline[256];
};

/* A name ssh would take as an option, or with characters no host or user
 * name has, is refused before it reaches argv. */
static bool word_ok(const char *s, size_t n)
{
	if (!n || s[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= ' ' || c == 0x7f || c == '\'' || c == '"' || c == '\\')
			return false;
	}
	return true;
}

static void last_line(struct engine_ssh *s)
{
	char buf[4096];
	ssize_t n;
	int fd;

	s->errline[0] = '\0';
	fd = open(s->errfile, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	/* the last non-empty line, without "\r" */
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	{
		const char *p = strrchr(buf, '\n');
		size_t len;

		p = p ? p + 1 : buf;
		len = strlen(p);
		if (len >= sizeof(s->errline))
			len = sizeof(s->errline) - 1;
		memcpy(s->errline, p, len);
		s->errline[len] = '\0';
	}
}

int engine_ssh_start(struct engine_ssh **out, const char *url, long timeout,
		     struct err *err)
{
	const char *p = url + strlen("ssh://");
	const char *at, *hoststart, *hostend, *rest, *path;
	size_t hostlen, userlen = 0, portlen = 0;
	char *user = NULL, *host = NULL, *portstr = NULL, *fwd = NULL;
	char cto[64], tmpl[] = "/tmp/slipway-ssh-XXXXXX";
	const char *argv[32];
	const char *cfg = getenv("SLIPWAY_SSH_CONFIG");
	struct engine_ssh *s = NULL;
	struct buf b;
	int argc = 0, rc = -1;

	if (strncmp(url, "ssh://", 6))
		return err_set(err, ERR_CONFIG, "not an ssh:// URL");
	path = p + strcspn(p, "/");
	at = memchr(p, '@', (size_t)(path - p));
	if (at) {
		userlen = (size_t)(at - p);
		if (!word_ok(p, userlen))
			return err_set(err, ERR_CONFIG, "bad user in ssh:// URL");
		user = xstrndup(p, userlen);
		hoststart = at + 1;
	} else {
		hoststart = p;
	}
	if (*hoststart == '[') {
		hoststart++;
		hostend = memchr(hoststart, ']', (size_t)(path - hoststart));
		if (!hostend)
			goto bad;
		rest = hostend + 1;
	} else {
		hostend = memchr(hoststart, ':', (size_t)(path - hoststart));
		if (!hostend)
			hostend = path;
		rest = hostend;
	}
	hostlen = (size_t)(hostend - hoststart);
	if (!word_ok(hoststart, hostlen))
		goto bad;
	host = xstrndup(hoststart, hostlen);
	if (rest < path) {
		const char *port = rest + 1;

		portlen = (size_t)(path - port);
		if (*rest != ':' || !portlen || portlen > 5 ||
		    strspn(port, "0123456789") < portlen)
			goto bad;
		portstr = xstrndup(port, portlen);
	}
	if (*path && !word_ok(path, strlen(path)))
		goto bad;

	s = xcalloc(1, sizeof(*s));
	if (!mkdtemp(tmpl)) {
		err_set(err, ERR_IO, "cannot create a directory for the ssh forward: %s",
			strerror(errno));
		goto out;
	}
	s->dir = xstrdup(tmpl);
	buf_init(&b, 4096);
	buf_addf(&b, "%s/engine.sock", s->dir);
	s->sock = buf_detach(&b, NULL);
	buf_addf(&b, "%s/ssh.err", s->dir);
	s->errfile = buf_detach(&b, NULL);
	buf_addf(&b, "%s:%s", s->sock, *path ? path : REMOTE_DEFAULT);
	fwd = buf_detach(&b, NULL);
	snprintf(cto, sizeof(cto), "ConnectTimeout=%ld", timeout > 0 ? timeout : 30);

	argv[argc++] = "ssh";
	argv[argc++] = "-nNT";
	argv[argc++] = "-o";
	argv[argc++] = "ExitOnForwardFailure=yes";
	argv[argc++] = "-o";
	argv[argc++] = "BatchMode=yes";
	argv[argc++] = "-o";
	argv[argc++] = cto;
	if (cfg && *cfg) {
		argv[argc++] = "-F";
		argv[argc++] = cfg;
	}
	if (user) {
		argv[argc++] = "-l";
		argv[argc++] = user;
	}
	if (portstr) {
		argv[argc++] = "-p";
		argv[argc++] = portstr;
	}
	argv[argc++] = "-L";
	argv[argc++] = fwd;
	argv[argc++] = "--";
	argv[argc++] = host;
	argv[argc] = NULL;

	s->pid = fork();
	if (s->pid < 0) {
		s->pid = 0;
		err_set(err, ERR_IO, "cannot start ssh: %s", strerror(errno));
		goto out;
	}
	if (s->pid == 0) {
		int fd = open(s->errfile, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int nul = open("/dev/null", O_RDWR);

		if (fd >= 0)
			dup2(fd, STDERR_FILENO);
		if (nul >= 0) {
			dup2(nul, STDIN_FILENO);
			dup2(nul, STDOUT_FILENO);
		}
		execvp("ssh", (char *const *)argv);
		dprintf(STDERR_FILENO, "cannot run ssh: %s\n", strerror(errno));
		_exit(127);
	}
	*out = s;
	s = NULL;
	rc = 0;
	goto out;
bad:
	err_set(err, ERR_CONFIG, "ssh:// URL must be ssh://[user@]host[:port][/socket]");
out:
	engine_ssh_stop(s);
	free(user);
	free(host);
	free(portstr);
	free(fwd);
	return rc;
}

static bool reap(struct engine_ssh *s)
{
	if (s->pid > 0 && waitpid(s->pid, &s->status, WNOHANG) == s->pid) {
		s->pid = 0;
		last_line(s);
		return true;
	}
	return s->pid == 0;
}

int engine_ssh_poll(struct engine_ssh *s, struct err *err)
{
	struct stat st;

	if (reap(s))
		return err_set(err, ERR_NET, "ssh: %s",
			       s->errline[0] ? s->errline : "exited");
	if (!stat(s->sock, &st) && S_ISSOCK(st.st_mode))
		return 1;
	return 0;
}

const char *engine_ssh_socket(const struct engine_ssh *s)
{
	return s->sock;
}

bool engine_ssh_failed(struct engine_ssh *s)
{
	return reap(s);
}

const char *engine_ssh_error(struct engine_ssh *s)
{
	return s->errline[0] ? s->errline : "exited";
}

void engine_ssh_stop(struct engine_ssh *s)
{
	if (!s)
		return;
	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		while (waitpid(s->pid, &s->status, 0) < 0 && errno == EINTR)
			;
	}
	if (s->sock)
		unlink(s->sock);
	if (s->errfile)
		unlink(s->errfile);
	if (s->dir)
		rmdir(s->dir);
	free(s->sock);
	free(s->errfile);
	free(s->dir);
	free(s);
}
