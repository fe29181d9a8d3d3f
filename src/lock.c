/* lock.c - the refresh lock (see lock.h): flock(2) on a file beside the
 * database, holder described inside the file. */
#include "lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "xalloc.h"
#include "banned.h"

struct lock {
	int fd;
};

#define LOCK_POLL_MS 100

char *lock_path_for(const char *db_path)
{
	struct buf b;

	if (!db_path || !*db_path || !strcmp(db_path, ":memory:") ||
	    !strncmp(db_path, "file::memory:", 13))
		return NULL;
	buf_init(&b, 8192);
	if (buf_addstr(&b, db_path) || buf_addstr(&b, ".lock")) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* Describes the holder from what it wrote: "PID START WHAT\n". */
static int holder_error(int fd, const char *path, const char *what,
			struct err *err)
{
	char text[128], when[32], job[32] = "";
	long long pid = 0, start = 0;
	ssize_t n;
	time_t t;
	struct tm tm;

	n = pread(fd, text, sizeof(text) - 1, 0);
	text[n > 0 ? n : 0] = '\0';
	if (sscanf(text, "%lld %lld %31s", &pid, &start, job) < 2 || pid <= 0 ||
	    start <= 0)
		return err_set(err, ERR_LOCKED,
			       "%s already running (lock '%s' is held); try again later",
			       what, path);
	t = (time_t)start;
	if (!localtime_r(&t, &tm) || !strftime(when, sizeof(when), "%H:%M:%S", &tm))
		when[0] = '\0';
	/* Which job holds it is what the holder wrote; both write only
	 * plain words, but a foreign file could say anything. */
	for (n = 0; job[n]; n++)
		if (job[n] < 'a' || job[n] > 'z')
			job[0] = '\0';
	return err_set(err, ERR_LOCKED, "%s already running (pid %lld since %s); try again later",
		       job[0] ? job : what, pid, when);
}

int lock_acquire(struct lock **out, const char *path, const char *what,
		 int wait_ms, struct err *err)
{
	struct lock *lock;
	char text[128];
	long waited = 0;
	int fd, len;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return err_set(err, ERR_IO, "cannot open lock file '%s': %s",
			       path, strerror(errno));
	for (;;) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			break;
		if (errno != EWOULDBLOCK && errno != EINTR) {
			err_set(err, ERR_IO, "cannot lock '%s': %s", path, strerror(errno));
			close(fd);
			return ERR_IO;
		}
		if (waited >= wait_ms) {
			holder_error(fd, path, what, err);
			close(fd);
			return ERR_LOCKED;
		}
		sleep_ms(LOCK_POLL_MS);
		waited += LOCK_POLL_MS;
	}
	len = snprintf(text, sizeof(text), "%ld %lld %s\n", (long)getpid(),
		       (long long)time(NULL), what);
	/* The description is a courtesy for the next process; failing to
	 * write it does not make the lock less held. */
	if (ftruncate(fd, 0) == 0 && len > 0)
		(void)!pwrite(fd, text, (size_t)len, 0);
	lock = xcalloc(1, sizeof(*lock));
	lock->fd = fd;
	*out = lock;
	return 0;
}

void lock_release(struct lock *lock)
{
	if (!lock)
		return;
	/* Empty the description before letting go, so nobody reads an old
	 * holder from a free lock. */
	(void)!ftruncate(lock->fd, 0);
	close(lock->fd);
	free(lock);
}
