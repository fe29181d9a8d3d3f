/* fuzz_feed_archive.c - libFuzzer target of the feed runner's source
 * reader (feeds/run.c): one input is one downloaded file, handed to
 * run_feed() as an open file, so it is told apart by content as a zip
 * (central directory), a tar (gzip, xz, bzip2, zstd), a single compressed
 * document or a plain one, with libarchive, and its members go through
 * the osv-go feed's want() and parse(). Each run is a full run on the
 * process's :memory: store (committed, or rolled back on failure), so the
 * feed's previous rows are replaced every time and nothing grows.
 * Seeds: tests/fuzz/corpus/feed-archive/, zip, tar.gz, tar.xz and .gz files
 * made of the OSV and EPSS fixtures in tests/data/feeds/. */
#define _GNU_SOURCE /* memfd_create */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "run.h"

#include "banned.h"

static int input_fd(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz-archive", MFD_CLOEXEC);
	size_t done = 0;

	if (fd < 0)
		fuzz_fail("memfd_create failed");
	while (done < size) {
		ssize_t n = write(fd, data + done, size - done);

		if (n <= 0)
			fuzz_fail("cannot write the input to the memfd");
		done += (size_t)n;
	}
	return fd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct feed_def *def;
	struct store *s = fuzz_store();
	struct run_source src = { .path = NULL, .fd = -1, .name = "all.zip" };
	/* Caps far below the defaults keep one input fast (a 256 MiB member
	 * per input would time the fuzzer out); the checks are the same
	 * code. */
	struct run_options opts = {
		.source = "fuzz:all.zip",
		.now = 1767225600,
		.limits = { .member_max = (int64_t)4 << 20, .members_max = 2000,
			    .total_max = (int64_t)32 << 20 },
	};
	struct run_result res;
	struct err err;
	int rc;

	if (!def && !(def = feed_def_find("osv-go")))
		fuzz_fail("no feed 'osv-go' in the feed table");
	src.fd = input_fd(data, size);
	err_clear(&err);
	memset(&res, 0, sizeof(res));
	rc = run_feed(s, def, &src, 1, &opts, &res, &err);
	close(src.fd);
	fuzz_check_error("run_feed()", rc, &err);
	if (store_in_transaction(s))
		fuzz_fail("run_feed() left a transaction open");
	if (rc == 0 && res.records < 0)
		fuzz_fail("negative record count %lld", res.records);
	return 0;
}
