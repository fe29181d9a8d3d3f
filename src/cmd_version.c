/* cmd_version.c - `slipway version`: the program's version and the
 * versions of the libraries it runs with (what a bug report needs). */
#include <stdio.h>

#include <archive.h>
#include <curl/curl.h>
#include <libical/ical.h>
#include <libxml/xmlversion.h>

#include "slipway-config.h"

#include "cmd.h"
#include "store.h"
#include "banned.h"

int cmd_version(struct cli *cli, int argc, char **argv)
{
	const curl_version_info_data *cv = curl_version_info(CURLVERSION_NOW);

	if (argc > 1)
		return cli_usage_error("version", "takes no arguments");
	printf("slipway %s\n", SLIPWAY_VERSION);
	printf("  libcurl %s (%s)\n", cv->version, cv->ssl_version ? cv->ssl_version : "no TLS");
	printf("  sqlite %s\n", store_library_version());
	printf("  libxml2 %s\n", LIBXML_DOTTED_VERSION);
	printf("  %s\n", archive_version_string());
	printf("  libical %s\n", ICAL_VERSION);
	return EXIT_OK;
}
