/* cmd_collect.c - `slipway collect [-o FILE] [--engine URL]`: the host
 * report of this machine (probe.h), checked by the importer before it is
 * written, to stdout or atomically to FILE (0600, temp file + rename). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "cmd.h"
#include "probe.h"
#include "report.h"
#include "store.h"
#include "xalloc.h"
#include "banned.h"

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Writes data to path through a temp file in the same directory, so a
 * reader (a fleet tool fetching it) never sees half a report. */
static int write_atomic(const char *path, const char *data, size_t len,
			struct err *err)
{
	struct buf tmp;
	int fd, rc = 0;

	buf_init(&tmp, 8192);
	if (buf_addf(&tmp, "%s.XXXXXX", path))
		return err_set(err, ERR_LIMIT, "path too long: '%.200s'", path);
	fd = mkstemp(tmp.ptr);
	if (fd < 0) {
		rc = err_set(err, ERR_IO, "cannot write '%s': %s", path, strerror(errno));
		buf_release(&tmp);
		return rc;
	}
	if (fchmod(fd, 0600) || write_all(fd, data, len) || write_all(fd, "\n", 1) ||
	    fsync(fd)) {
		rc = err_set(err, ERR_IO, "cannot write '%s': %s", path, strerror(errno));
		close(fd);
		unlink(tmp.ptr);
	} else if (close(fd) || rename(tmp.ptr, path)) {
		rc = err_set(err, ERR_IO, "cannot write '%s': %s", path, strerror(errno));
		unlink(tmp.ptr);
	}
	buf_release(&tmp);
	return rc;
}

int cmd_collect(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "engine", required_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 },
	};
	struct probe_options opts = { 0 };
	struct probe_notes notes;
	struct store *check = NULL;
	const char *output = NULL;
	struct buf report;
	struct err err;
	int c, i, rc = EXIT_FAIL;

	while ((c = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case 'e':
			opts.engine_url = optarg;
			break;
		default:
			return cli_usage_error("collect", "unknown option");
		}
	}
	if (optind < argc)
		return cli_usage_error("collect", "unexpected argument '%s'", argv[optind]);
	buf_init(&report, REPORT_MAX_BYTES);
	if (probe_report(&report, &opts, &notes, &err)) {
		rc = cli_error(&err);
		goto out;
	}
	for (i = 0; i < notes.n; i++)
		if (!cli->quiet)
			fprintf(stderr, "slipway collect: %s\n", notes.msg[i]);
	/* what collect writes, import must take: check it the same way */
	if (store_open(&check, ":memory:", &err) ||
	    report_import(check, output ? output : "the report", report.ptr,
			  report.len, 0, NULL, NULL, &err)) {
		rc = cli_error(&err);
		goto out;
	}
	if (output) {
		if (write_atomic(output, report.ptr, report.len, &err)) {
			rc = cli_error(&err);
			goto out;
		}
	} else if (fwrite(report.ptr, 1, report.len, stdout) != report.len ||
		   fputc('\n', stdout) == EOF || fflush(stdout)) {
		err_set(&err, ERR_IO, "cannot write the report: %s", strerror(errno));
		rc = cli_error(&err);
		goto out;
	}
	rc = EXIT_OK;
out:
	store_close(check);
	buf_release(&report);
	return rc;
}
