/* feeds.c - the default advisory feeds of DESIGN.md §5: what `slipway
 * refresh` fetches when the config says nothing else, in the order it runs
 * them. A [feed NAME] section of the config overrides a row's URL, age,
 * byte cap and timeout, or disables it.
 *
 * Adding a feed is one FEED() line: name, format (the adapter's
 * feed_format_<format> object, defined in feeds/<format>.c), format
 * parameter (NULL when the format takes none), default URL, allowed age in
 * seconds (0: the policy's feed-max-age) and a one-line summary. Only
 * formats that exist may be named here. */
#include "feed.h"

#include <string.h>

#include "banned.h"

#define FEEDS(FEED)                                                                              \
	FEED("kernel-cna", kernel_cna, NULL,                                                       \
	     "https://git.kernel.org/pub/scm/linux/security/vulns.git/snapshot/vulns-master.tar.gz", \
	     0, "Linux kernel CNA CVE records (vulns.git): upstream kernel ranges, CVSS")          \
	FEED("kev", kev, NULL,                                                                     \
	     "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json", \
	     0, "CISA known exploited vulnerabilities")                                            \
	FEED("epss", epss, NULL,                                                                   \
	     "https://epss.empiricalsecurity.com/epss_scores-current.csv.gz",                      \
	     0, "FIRST EPSS exploit probability scores")                                            \
	FEED("osv-go", osv, "Go", "https://osv-vulnerabilities.storage.googleapis.com/Go/all.zip", 0, "OSV Go vulnerability database: runc, moby/docker, containerd modules") \
	FEED("osv-linux", osv, "Linux", "https://osv-vulnerabilities.storage.googleapis.com/Linux/all.zip", 0, "OSV Linux kernel (from the kernel CNA)") \
	FEED("osv-debian", osv, "Debian", "https://osv-vulnerabilities.storage.googleapis.com/Debian/all.zip", 0, "OSV Debian: linux, runc, containerd, docker.io") \
	FEED("osv-ubuntu", osv, "Ubuntu", "https://osv-vulnerabilities.storage.googleapis.com/Ubuntu/all.zip", 0, "OSV Ubuntu (incl. Pro): linux, runc, containerd, docker.io") \
	FEED("osv-redhat", osv, "Red Hat", "https://osv-vulnerabilities.storage.googleapis.com/Red%20Hat/all.zip", 0, "OSV Red Hat Enterprise Linux: kernel, runc, containerd") \
	FEED("osv-almalinux", osv, "AlmaLinux", "https://osv-vulnerabilities.storage.googleapis.com/AlmaLinux/all.zip", 0, "OSV AlmaLinux: kernel, runc, containerd") \
	FEED("osv-rocky", osv, "Rocky Linux", "https://osv-vulnerabilities.storage.googleapis.com/Rocky%20Linux/all.zip", 0, "OSV Rocky Linux: kernel, runc, containerd") \
	FEED("debian-tracker", debian_tracker, NULL, "https://security-tracker.debian.org/tracker/data/json", 0, "Debian security tracker: linux, runc, containerd, docker.io") \
	FEED("kernel-releases", kernel_releases, NULL, "https://www.kernel.org/releases.json", 0, "kernel.org releases: newest per branch, end of life") \
	FEED("releases-runc", releases_atom, "runc", "https://github.com/opencontainers/runc/releases.atom", 0, "newest runc releases (GitHub)") \
	FEED("releases-moby", releases_atom, "docker", "https://github.com/moby/moby/releases.atom", 0, "newest Docker Engine (moby) releases (GitHub)") \
	FEED("releases-containerd", releases_atom, "containerd", "https://github.com/containerd/containerd/releases.atom", 0, "newest containerd releases (GitHub)")

/* One declaration per row; a format named by several rows is declared
 * several times, which C allows. */
#define FEED_DECLARE(name, format, param, url, age, summary) \
	extern const struct feed_format feed_format_##format;
FEEDS(FEED_DECLARE)
#undef FEED_DECLARE

#define FEED_ROW(name_, format_, param_, url_, age_, summary_)                  \
	{ .name = name_, .format = &feed_format_##format_, .param = param_,     \
	  .url = url_, .max_age = age_, .summary = summary_ },

const struct feed_def feed_defs[] = {
	FEEDS(FEED_ROW)
};
#undef FEED_ROW

const size_t feed_ndefs = sizeof(feed_defs) / sizeof(feed_defs[0]);

const struct feed_def *feed_def_find(const char *name)
{
	size_t i;

	if (!name)
		return NULL;
	for (i = 0; i < feed_ndefs; i++)
		if (!strcmp(feed_defs[i].name, name))
			return &feed_defs[i];
	return NULL;
}
