/* standalone.c - replays inputs through a fuzz target's
 * LLVMFuzzerTestOneInput without libFuzzer, so every target's seed
 * corpus runs as an ordinary test under gcc (and under ASan/UBSan in CI):
 * the `fuzz-corpus` suite (STYLE.md 27, as libgit2's
 * tests/fuzzers/standalone_driver.c does).
 *
 * Usage: fuzz-replay-TARGET PATH...; a directory is replayed file by file
 * in sorted order (entries starting with '.' skipped), a file as one
 * input. Exits 1 when a path cannot be read or no input was found at all
 * (an empty corpus would prove nothing); a crash or an invariant abort()
 * ends the process as it would under libFuzzer. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"
#include "buf.h"
#include "xalloc.h"

#include "banned.h"

/* Inputs larger than this are not seeds (libFuzzer's -max_len default is
 * far below it). */
#define REPLAY_MAX ((size_t)64 << 20)

static int replay_file(const char *path, long *count)
{
	struct buf b;
	char chunk[65536];
	size_t n;
	FILE *f = fopen(path, "rb");
	int rc = 0;

	if (!f) {
		fprintf(stderr, "fuzz-replay: cannot open '%s': %s\n", path, strerror(errno));
		return 1;
	}
	buf_init(&b, REPLAY_MAX);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (buf_add(&b, chunk, n)) {
			fprintf(stderr, "fuzz-replay: '%s': more than %zu bytes\n", path,
				REPLAY_MAX);
			rc = 1;
			break;
		}
	}
	if (!rc && ferror(f)) {
		fprintf(stderr, "fuzz-replay: cannot read '%s'\n", path);
		rc = 1;
	}
	fclose(f);
	if (!rc) {
		/* An exact-size copy, so ASan sees a read past the input. */
		uint8_t *copy = xmalloc(b.len ? b.len : 1);

		memcpy(copy, b.ptr, b.len);
		LLVMFuzzerTestOneInput(copy, b.len);
		free(copy);
		(*count)++;
	}
	buf_release(&b);
	return rc;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay_dir(const char *dir, long *count)
{
	char **names = NULL;
	size_t n = 0, alloc = 0, i;
	struct dirent *de;
	struct buf path;
	DIR *d = opendir(dir);
	int rc = 0;

	if (!d) {
		fprintf(stderr, "fuzz-replay: cannot read directory '%s': %s\n", dir,
			strerror(errno));
		return 1;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		XGROW(names, alloc, n + 1);
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_names);
	buf_init(&path, 4096);
	for (i = 0; i < n && !rc; i++) {
		struct stat st;

		buf_reset(&path);
		if (buf_addf(&path, "%s/%s", dir, names[i])) {
			fprintf(stderr, "fuzz-replay: '%s/%s': path too long\n", dir, names[i]);
			rc = 1;
		} else if (stat(path.ptr, &st) == 0 && S_ISREG(st.st_mode)) {
			rc = replay_file(path.ptr, count);
		}
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	buf_release(&path);
	return rc;
}

int main(int argc, char **argv)
{
	long count = 0;
	int i, rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s CORPUS-DIR|FILE...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc && !rc; i++) {
		struct stat st;

		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "fuzz-replay: cannot read '%s': %s\n", argv[i],
				strerror(errno));
			rc = 1;
		} else if (S_ISDIR(st.st_mode)) {
			rc = replay_dir(argv[i], &count);
		} else {
			rc = replay_file(argv[i], &count);
		}
	}
	if (!rc && count == 0) {
		fprintf(stderr, "fuzz-replay: no inputs in '%s'\n", argv[1]);
		rc = 1;
	}
	if (!rc)
		printf("replayed %ld inputs\n", count);
	return rc;
}
