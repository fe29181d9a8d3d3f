/* cmd_import.c - `slipway import FEED PATH...`: the adapters of `refresh`
 * over local files, directories and archives, for sites without network
 * access. All PATHs form one feed run: they replace the feed's data
 * together, or, when one fails, nothing changes. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cmd.h"
#include "lock.h"
#include "run.h"
#include "xalloc.h"
#include "banned.h"

/* What feed.source records: the paths, comma-separated, within reason. */
static char *source_of(char **paths, int n)
{
	struct buf b;
	int i;

	buf_init(&b, 4096);
	for (i = 0; i < n; i++) {
		if (buf_addf(&b, "%s%s", i ? ", " : "", paths[i])) {
			buf_reset(&b);
			buf_addf(&b, "%s (and %d more)", paths[0], n - 1);
			break;
		}
	}
	return buf_detach(&b, NULL);
}

int cmd_import(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ NULL, 0, NULL, 0 },
	};
	const struct feed_def *def;
	struct feed_progress progress = { 0 };
	struct run_source *sources = NULL;
	struct run_options opts = { 0 };
	struct run_result res = { 0 };
	struct config *cfg;
	struct store *s;
	struct lock *lock = NULL;
	struct err err;
	char *lock_path = NULL, *source = NULL;
	int c, i, npaths, rc;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1)
		return cli_usage_error("import", "unknown option");
	if (argc - optind < 2)
		return cli_usage_error("import", "needs a feed and at least one path");
	def = feed_def_find(argv[optind]);
	if (!def)
		return cli_usage_error("import", "unknown feed '%s'", argv[optind]);
	err_clear(&err);
	if (cli_config(cli, &cfg, &err) || run_config_check(cfg, &err) ||
	    cli_store(cli, &s, &err))
		return cli_error(&err);
	npaths = argc - optind - 1;
	sources = xcalloc((size_t)npaths, sizeof(*sources));
	for (i = 0; i < npaths; i++) {
		sources[i].path = argv[optind + 1 + i];
		sources[i].fd = -1;
	}
	source = source_of(argv + optind + 1, npaths);
	lock_path = lock_path_for(store_path(s));
	if (lock_path && lock_acquire(&lock, lock_path, "import",
				      LOCK_WAIT_MS_DEFAULT, &err)) {
		rc = cli_error(&err);
		goto out;
	}
	progress.on = cli->progress;
	progress.feed = def->name;
	opts.source = source;
	opts.progress = feed_progress_parse;
	opts.progress_ctx = &progress;
	rc = run_feed(s, def, sources, (size_t)npaths, &opts, &res, &err);
	feed_progress_clear(&progress);
	if (rc) {
		fprintf(stderr, "slipway: feed '%s': %s\n", def->name, err.msg);
		rc = err_exit_code(rc);
		goto out;
	}
	feed_print_result(def->name, &res);
	rc = EXIT_OK;
out:
	lock_release(lock);
	free(lock_path);
	free(source);
	free(sources);
	return rc;
}
