/* test_lock.c - unit tests of the refresh lock (src/lock.c): a second
 * taker waits about as long as asked, then fails naming the holder's pid
 * and start time; the lock is free again after release and after the
 * holder dies; an in-memory database needs no lock. */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lock.h"

static char tmpdir[] = "/tmp/slipway-test-lock-XXXXXX";
static char path[512];

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(path, sizeof(path), "%s/slipway.db.lock", tmpdir);
}

static void teardown(void)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
	memcpy(tmpdir + strlen(tmpdir) - 6, "XXXXXX", 6);
}

/* A child that takes the lock and holds it until killed; returns its pid
 * once the lock is held. */
static pid_t holder(void)
{
	int fds[2];
	pid_t pid;
	char c;

	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct lock *lock = NULL;
		struct err err;

		if (lock_acquire(&lock, path, "refresh", 0, &err))
			_exit(1);
		(void)!write(fds[1], "x", 1);
		for (;;)
			pause();
	}
	close(fds[1]);
	ck_assert_int_eq(read(fds[0], &c, 1), 1);
	close(fds[0]);
	return pid;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

START_TEST(second_taker_names_holder)
{
	struct lock *lock = NULL;
	struct timespec t0;
	struct err err;
	char want[64];
	pid_t pid = holder();
	int status;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(lock_acquire(&lock, path, "import", 500, &err), ERR_LOCKED);
	ck_assert(seconds_since(&t0) >= 0.45);
	ck_assert_ptr_null(lock);
	snprintf(want, sizeof(want), "refresh already running (pid %ld since ", (long)pid);
	ck_assert_msg(strstr(err.msg, want), "message: %s", err.msg);
	ck_assert_ptr_nonnull(strstr(err.msg, "); try again later"));

	/* The lock dies with its holder, even by SIGKILL. */
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	ck_assert_int_eq(lock_acquire(&lock, path, "import", 0, &err), 0);
	lock_release(lock);
}
END_TEST

START_TEST(release_frees_the_lock)
{
	struct lock *a = NULL, *b = NULL;
	struct err err;

	ck_assert_int_eq(lock_acquire(&a, path, "refresh", 0, &err), 0);
	lock_release(a);
	ck_assert_int_eq(lock_acquire(&b, path, "refresh", 0, &err), 0);
	lock_release(b);
	lock_release(NULL);
}
END_TEST

START_TEST(lock_path_beside_database)
{
	char *p = lock_path_for("/var/lib/slipway/slipway.db");

	ck_assert_str_eq(p, "/var/lib/slipway/slipway.db.lock");
	free(p);
	ck_assert_ptr_null(lock_path_for(":memory:"));
	ck_assert_ptr_null(lock_path_for(NULL));
}
END_TEST

START_TEST(unopenable_lock_file)
{
	struct lock *lock = NULL;
	struct err err;

	ck_assert_int_eq(lock_acquire(&lock, "/nonexistent-dir/x.lock", "refresh", 0, &err),
			 ERR_IO);
	ck_assert_ptr_null(lock);
	ck_assert_ptr_nonnull(strstr(err.msg, "'/nonexistent-dir/x.lock'"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("lock");
	TCase *tc = tcase_create("lock");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, second_taker_names_holder);
	tcase_add_test(tc, release_frees_the_lock);
	tcase_add_test(tc, lock_path_beside_database);
	tcase_add_test(tc, unopenable_lock_file);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
