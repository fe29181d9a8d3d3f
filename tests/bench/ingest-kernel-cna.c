/* ingest-kernel-cna.c - the benchmark driver of tests/bench/
 * ingest-kernel-cna.sh when the `slipway` executable has no `kernel-cna`
 * feed row yet: one feed run of the kernel-cna adapter (feeds/kernel_cna.c)
 * through the real runner (feeds/run.c: directory walk, want(), one
 * transaction) into a fresh database file, exactly what
 * `slipway import kernel-cna DIR` does.
 *
 * Usage: bench-ingest-kernel-cna DB DIR
 * Prints "N records, M rejected" and exits 1 on a failed run. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "kernel_cna.h"
#include "run.h"
#include "store.h"

static const struct feed_def def = {
	.name = "kernel-cna",
	.format = &feed_format_kernel_cna,
};

int main(int argc, char **argv)
{
	struct run_source src = { .fd = -1 };
	struct run_options opts = { 0 };
	struct run_result res = { 0 };
	struct store *s = NULL;
	struct err err;

	if (argc != 3) {
		fprintf(stderr, "usage: %s DB DIR\n", argv[0]);
		return 2;
	}
	unlink(argv[1]);
	if (store_open(&s, argv[1], &err)) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	src.path = argv[2];
	opts.source = argv[2];
	if (run_feed(s, &def, &src, 1, &opts, &res, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		store_close(s);
		return 1;
	}
	store_close(s);
	printf("%lld records, %ld rejected\n", res.records, res.rejected);
	if (res.rejected)
		fprintf(stderr, "first rejected: %s\n", res.first_reject.msg);
	return 0;
}
