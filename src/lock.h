/* lock.h - the refresh lock: one writer of feed data at a time.
 *
 * A lock file beside the database (DB + ".lock") is held with flock(2) for
 * as long as a refresh or import runs. The holder writes its pid, its start
 * time and what it is doing into the file, so a second process that cannot
 * get the lock can say who has it: "refresh already running (pid 1234 since
 * 17:02:11); try again later". The lock goes away with the process (also on
 * kill -9), so a stale lock file never blocks anyone; the file itself is
 * never removed, because removing it would let two processes lock two
 * different files of the same name. */
#ifndef SLIPWAY_LOCK_H
#define SLIPWAY_LOCK_H

#include "err.h"

struct lock;

/* How long lock_acquire() waits for a holder to finish by default. */
#define LOCK_WAIT_MS_DEFAULT 3000

/* The lock file of the database at db_path (allocated; free() it), or
 * NULL for an in-memory database, which needs no lock. */
char *lock_path_for(const char *db_path);

/* Takes the lock at path, waiting up to wait_ms for a holder to let go.
 * what names the job ("refresh", "import") for the message another process
 * prints. ERR_LOCKED with the holder named when it stays held, ERR_IO when
 * the file cannot be opened. On failure *out is untouched. */
int lock_acquire(struct lock **out, const char *path, const char *what,
		 int wait_ms, struct err *err);

/* Lets go of the lock and frees it. Accepts NULL. */
void lock_release(struct lock *lock);

#endif
