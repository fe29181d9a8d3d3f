/* fuzz.h - what every fuzz target under tests/fuzz/ shares: the libFuzzer
 * entry point each fuzz_<parser>.c defines, and the harness helpers of
 * harness.c (one :memory: store per process, feed documents run through
 * a format inside a transaction that is rolled back, invariant checks that
 * abort so libFuzzer and the standalone replayer report them).
 *
 * Each target builds twice: with -Dfuzzers=true (clang) as a libFuzzer
 * binary `fuzz-<target>`, and always as `fuzz-replay-<target>`, the same
 * entry point driven by standalone.c over the target's seed corpus
 * (tests/fuzz/corpus/<target>/) as the `fuzz-corpus` test suite. */
#ifndef SLIPWAY_FUZZ_H
#define SLIPWAY_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "feed.h"
#include "store.h"

/* libFuzzer's entry point: one input, returns 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The process-wide :memory: store (schema applied), opened on first use;
 * aborts when it cannot be opened (the harness, not the input, is
 * broken). */
struct store *fuzz_store(void);

/* Runs one document through def's format as the runner does (feed row,
 * begin(), parse() of data/size named path, finish()) inside one
 * transaction that is rolled back afterwards, so every input starts from
 * the same empty store. Aborts when an invariant breaks: a failure
 * without a message, a transaction left open. */
void fuzz_feed_document(const struct feed_def *def, const char *path,
			const uint8_t *data, size_t size);

/* Aborts unless a failed call (rc < 0) left a message in err: bad input
 * must always be explained in one line. what names the call. */
void fuzz_check_error(const char *what, int rc, const struct err *err);

/* The offset of the first occurrence of needle in data/size, or size
 * when there is none (memmem without _GNU_SOURCE). */
size_t fuzz_find(const uint8_t *data, size_t size, const char *needle);

/* Aborts with a message on stderr: an invariant the input broke. */
void fuzz_fail(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

#endif
