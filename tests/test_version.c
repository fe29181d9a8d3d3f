/* test_version.c - unit tests of version comparison per scheme, validity
 * and OSV range evaluation. Versions are taken from the feed samples in
 * shared/samples/feeds (osv-go, osv-ghsa, osv-ubuntu, osv-linux,
 * kernel-cna, debian-tracker, redhat-csaf), Debian Policy §5.6.12, rpm's
 * own rpmvercmp test suite and SemVer 2.0 §11. */
#include <check.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "version.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static int sgn(int x)
{
	return (x > 0) - (x < 0);
}

/* Comparisons: each row checks cmp(a, b) and, antisymmetry, cmp(b, a). */
struct cmp_case {
	const char *a;
	const char *b;
	int want;
};

static void check_cmp(enum version_scheme scheme, const struct cmp_case *c)
{
	int ab = version_cmp(scheme, c->a, c->b);
	int ba = version_cmp(scheme, c->b, c->a);

	ck_assert_msg(sgn(ab) == c->want && sgn(ba) == -c->want,
		      "%s: cmp('%s', '%s') = %d, reversed %d, want %d",
		      version_scheme_name(scheme), c->a, c->b, ab, ba, c->want);
}

static const struct cmp_case dpkg_cases[] = {
	/* Debian Policy §5.6.12 */
	{ "1.0~rc1", "1.0", -1 },
	{ "1:0.9", "2.0", 1 },
	{ "1.0-1", "1.0-1+b1", -1 },
	{ "1.0~~", "1.0~~a", -1 },
	{ "1.0~~a", "1.0~", -1 },
	{ "1.0~", "1.0", -1 },
	{ "1.0", "1.0a", -1 },
	{ "1.0a", "1.0+", -1 },         /* letters before non-letters */
	{ "1.0.a", "1.0a", 1 },
	{ "1.0+1", "1.0.1", -1 },       /* '+' before '.' */
	{ "1.0", "1.0.0", -1 },
	{ "01.0", "1.0", 0 },
	{ "1.0", "1.0-0", 0 },          /* revision "" compares as "0" */
	{ "1.0-1", "1.0-1", 0 },
	{ "1.0-1", "1.0-1~bpo1", 1 },
	{ "1:2.0~rc1", "1:2.0", -1 },
	/* epochs */
	{ "1:1.0", "1.0", 1 },
	{ "0:1.0", "1.0", 0 },
	{ "2:0.1", "1:9.9", 1 },
	{ "10:1", "9:1", 1 },
	{ "1:0.1-1", "99.0-1", 1 },
	/* the last '-' separates the revision */
	{ "6.1.76+1", "6.1.76-1", 1 },
	{ "6.1.76-1", "6.1.76", 1 },
	{ "6.1.76-0", "6.1.76", 0 },
	{ "1.2-3-4", "1.2-4", 1 },
	{ "6.1.76-1", "6.1.69-1", 1 },
	/* Debian security tracker */
	{ "1.1.5+ds1-1+deb12u1", "1.1.5+ds1-1", 1 },
	{ "1.1.5+ds1-1+deb12u1", "1.1.12", -1 },
	{ "1.1.5+ds1-1+deb12u1", "1.1.5+ds1-1+deb12u2", -1 },
	{ "1.1.5+ds1-1+deb12u1", "1.1.5+ds1-2", -1 },
	{ "98.0.4758.80-1~deb11u1", "98.0.4758.80-1", -1 },
	{ "5.0.1-2+deb11u1", "5.0.1-2", 1 },
	{ "5.8.0-1+deb12u1", "5.12.1-2", -1 },
	{ "1.6.0.2-1", "1.6.0-1", 1 },
	{ "1.5.5-4.1", "1.5.5-4", 1 },
	/* Ubuntu OSV */
	{ "1.1.12-0ubuntu2~22.04.1", "1.1.12-0ubuntu2", -1 },
	{ "1.3.3-0ubuntu1~22.04.2", "1.3.3-0ubuntu1~22.04.1", 1 },
	{ "1.3.3-0ubuntu1~22.04.2", "1.3.3-0ubuntu1~24.04.2", -1 },
	{ "1.3.0-0ubuntu2~22.04.1", "1.3.3-0ubuntu1~22.04.2", -1 },
	{ "1.1.7-0ubuntu1~22.04.2", "1.1.7-0ubuntu1~22.04.1", 1 },
	{ "1.1.7-0ubuntu1~22.04.2", "1.1.7-0ubuntu1", -1 },
	{ "1.1.4-0ubuntu1~18.04.2+esm1", "1.1.4-0ubuntu1~18.04.2", 1 },
	{ "1.0.0~rc93-0ubuntu1~20.04.1", "1.0.0~rc10-0ubuntu1", 1 },
	{ "1.0.0~rc95-0ubuntu1~20.04.2", "1.0.1-0ubuntu2~20.04.1", -1 },
	{ "1.0.0~rc7+git20190403.029124da-0ubuntu1~18.04.2",
	  "1.0.0~rc10-0ubuntu1~18.04.1", -1 },
	{ "1.0.0~rc2+docker1.13.1-0ubuntu1", "1.0.0~rc4+dfsg1-2", -1 },
	{ "1.0.0~rc95-0ubuntu1~20.04.2", "1.0.0", -1 },
	{ "20.10.12-0ubuntu3+gke1.24.1", "20.10.12-0ubuntu3", 1 },
	{ "20.10.21-0ubuntu1~22.04.7+esm1", "20.10.21-0ubuntu1~22.04.8", -1 },
	{ "20.10.25+dfsg1-2ubuntu1.24.04.1", "20.10.25+dfsg1-2ubuntu1", 1 },
	{ "24.0.7-0ubuntu4.1", "26.1.3-0ubuntu1~24.04.1", -1 },
	{ "27.5.1-0ubuntu3~24.04.2", "27.5.1-0ubuntu3~24.04.1", 1 },
	{ "1.17.0-1build1", "1.17.0-1", 1 },
	{ "1.17.0-1build2", "1.18.0-1", -1 },
	{ "1.16.0-1ubuntu1.1~18.04.1", "1.16.0-1ubuntu1.1~18.04.4", -1 },
	{ "3.13.0-204.255", "3.13.0-206.257", -1 },
	{ "3.11.0-12.19", "3.12.0-1.3", -1 },
	{ "5.15.0-91.101", "5.15.0-101.111", -1 },
	/* odd input still has a place */
	{ "", "", 0 },
	{ "", "0", -1 },                /* no version: first, as dpkg does */
	{ "~", "", 1 },
	{ "a:1", "1.0", 1 },
	{ "1.0\xff", "1.0+", 1 },
};

static const struct cmp_case rpm_cases[] = {
	/* rpm's tests/rpmvercmp.at */
	{ "1.0", "1.0", 0 },
	{ "1.0", "2.0", -1 },
	{ "2.0.1", "2.0.1", 0 },
	{ "2.0", "2.0.1", -1 },
	{ "2.0.1a", "2.0.1a", 0 },
	{ "2.0.1a", "2.0.1", 1 },
	{ "5.5p1", "5.5p1", 0 },
	{ "5.5p1", "5.5p2", -1 },
	{ "5.5p10", "5.5p10", 0 },
	{ "5.5p1", "5.5p10", -1 },
	{ "10xyz", "10.1xyz", -1 },
	{ "xyz10", "xyz10", 0 },
	{ "xyz10", "xyz10.1", -1 },
	{ "xyz.4", "xyz.4", 0 },
	{ "xyz.4", "8", -1 },
	{ "xyz.4", "2", -1 },
	{ "5.5p2", "5.6p1", -1 },
	{ "5.6p1", "6.5p1", -1 },
	{ "6.0.rc1", "6.0", 1 },
	{ "10b2", "10a1", 1 },
	{ "10a2", "10b2", -1 },
	{ "1.0aa", "1.0aa", 0 },
	{ "1.0a", "1.0aa", -1 },
	{ "10.0001", "10.0001", 0 },
	{ "10.0001", "10.1", 0 },
	{ "10.0001", "10.0039", -1 },
	{ "4.999.9", "5.0", -1 },
	{ "20101121", "20101121", 0 },
	{ "20101121", "20101122", -1 },
	{ "2_0", "2_0", 0 },
	{ "2.0", "2_0", 0 },
	{ "a", "a", 0 },
	{ "a+", "a+", 0 },
	{ "a+", "a_", 0 },
	{ "+a", "+a", 0 },
	{ "+a", "_a", 0 },
	{ "+_", "+_", 0 },
	{ "_+", "+_", 0 },
	{ "_+", "_", 0 },
	{ "+", "_", 0 },
	{ "1.0~rc1", "1.0~rc1", 0 },
	{ "1.0~rc1", "1.0", -1 },
	{ "1.0~rc1", "1.0~rc2", -1 },
	{ "1.0~rc1~git123", "1.0~rc1~git123", 0 },
	{ "1.0~rc1~git123", "1.0~rc1", -1 },
	{ "1.0^", "1.0^", 0 },
	{ "1.0^", "1.0", 1 },
	{ "1.0^git1", "1.0^git1", 0 },
	{ "1.0^git1", "1.0", 1 },
	{ "1.0^git1", "1.0^git2", -1 },
	{ "1.0^git1", "1.01", -1 },
	{ "1.0^20160101", "1.0^20160101", 0 },
	{ "1.0^20160101", "1.0.1", -1 },
	{ "1.0^20160101^git1", "1.0^20160101^git1", 0 },
	{ "1.0^20160102", "1.0^20160101^git1", 1 },
	{ "1.0~rc1^git1", "1.0~rc1^git1", 0 },
	{ "1.0~rc1^git1", "1.0~rc1", 1 },
	{ "1.0^git1~pre", "1.0^git1~pre", 0 },
	{ "1.0^git1", "1.0^git1~pre", 1 },
	/* the brief's examples */
	{ "1.0^git1", "1.0.1", -1 },
	/* epoch:version-release (rpmverCmp) */
	{ "0:3.9.18-3.el9_4.5", "3.9.18-3.el9_4.5", 0 },
	{ "0:3.9.18-3.el9_4.5", "3.9.18-3.el9_4.4", 1 },
	{ "3.9.18-3.el9_4.5", "3.9.18-10.el9", -1 },
	{ "3.9.18-3.el9_4.5", "3.9.18-3.el9_4", 1 },
	{ "3.9.16-1.el9", "0:3.9.18-3.el9_4.5", -1 },
	{ "0:1.5.1-21.el9_5", "1.5.1-19.el9", 1 },
	{ "1:1.0-1", "2.0-1", 1 },
	{ "1:0.1-1", "0:9.9-9", 1 },
	{ "2:1.0-1", "10:1.0-1", -1 },
	{ "1.0-1.el9", "1.0-1.el9_0", -1 },
	{ "2.0-1.fc38", "2.0-1.fc39", -1 },
	{ "1.2.3-4.el8", "1.2.3-4.el9", -1 },
	{ "1.0~rc1-1", "1.0-1", -1 },
	{ "1.0^git1-1", "1.0-1", 1 },
	{ "1.0", "1.0-3", -1 },         /* no release sorts below any */
	{ "1.0-", "1.0", 1 },
	{ "1.0-1", "1.0-2", -1 },
	{ ":1.0", "0:1.0", 0 },
	/* odd input */
	{ "", "", 0 },
	{ "", "1", -1 },
	{ "~", "", -1 },
	{ "\xff", "\xfe", 0 },          /* non-ASCII bytes are separators */
	{ "1.0\xff" "1", "1.0.1", 0 },
};

static const struct cmp_case semver_cases[] = {
	/* runc (osv-go GO-2024-2491, GO-2025-4096, GHSA) */
	{ "1.0.0-rc93", "1.0.0-rc95", -1 },
	{ "1.0.0-rc9", "1.0.0-rc10", -1 },     /* documented deviation */
	{ "1.0.0-rc10", "1.0.0-rc93", -1 },
	{ "1.0.0-rc3", "1.0.0-rc93", -1 },
	{ "1.0.0-rc95", "1.0.0", -1 },
	{ "1.0.0-rc.1", "1.0.0-rc.2", -1 },
	{ "1.0.0-rc.1", "1.0.0-rc1", -1 },
	{ "1.0.0-rc", "1.0.0-rc1", -1 },
	{ "1.0.0-rc01", "1.0.0-rc1", 0 },
	{ "1.3.0-rc.1", "1.3.0", -1 },
	{ "1.3.0-rc.1", "1.2.8", 1 },
	{ "1.4.0-rc.2", "1.4.0-rc.3", -1 },
	{ "1.4.0-rc.3", "1.4.0-rc.1", 1 },
	{ "v1.3.3", "1.3.3", 0 },
	{ "1.1", "1.1.0", 0 },
	{ "v1", "1.0.0", 0 },
	{ "1.1.12", "1.1.11", 1 },
	{ "1.1.12", "1.1.9", 1 },
	{ "v1.1.12", "1.1.12", 0 },
	/* moby, +incompatible and build metadata ignored */
	{ "20.10.14+incompatible", "20.10.14", 0 },
	{ "v20.10.14+incompatible", "20.10.14", 0 },
	{ "25.0.6+incompatible", "25.0.5+incompatible", 1 },
	{ "26.0.0+incompatible", "25.0.6+incompatible", 1 },
	{ "20.10.0+incompatible", "19.03.16", 1 },
	{ "19.03.16", "19.03.0", 1 },
	{ "19.03.16", "20.10.28", -1 },
	{ "23.0.15", "24.0.0", -1 },
	{ "27.1.1", "27.1.0", 1 },
	{ "2.0.0-beta.8", "2.0.0", -1 },
	{ "2.0.0-beta.8", "2.0.0-beta.7", 1 },
	{ "2.0.0-beta.10", "2.0.0-beta.8", 1 },
	{ "2.0.0-beta.8", "2.0.0-alpha.9", 1 },
	{ "1.0.0+build.1", "1.0.0+build.2", 0 },
	{ "1.0.0-alpha+001", "1.0.0-alpha", 0 },
	/* containerd */
	{ "1.7.0-beta.0", "1.7.0", -1 },
	{ "1.7.0-beta.0", "1.6.38", 1 },
	{ "2.1.0-beta.0", "2.0.7", 1 },
	{ "2.2.0-beta.0", "2.2.0", -1 },
	{ "1.10.0", "1.9.0", 1 },
	/* SemVer 2.0 §11 */
	{ "1.0.0", "2.0.0", -1 },
	{ "2.0.0", "2.1.0", -1 },
	{ "2.1.0", "2.1.1", -1 },
	{ "1.0.0-alpha", "1.0.0", -1 },
	{ "1.0.0-alpha", "1.0.0-alpha.1", -1 },
	{ "1.0.0-alpha.1", "1.0.0-alpha.beta", -1 },
	{ "1.0.0-alpha.beta", "1.0.0-beta", -1 },
	{ "1.0.0-beta", "1.0.0-beta.2", -1 },
	{ "1.0.0-beta.2", "1.0.0-beta.11", -1 },
	{ "1.0.0-beta.11", "1.0.0-rc.1", -1 },
	{ "1.0.0-rc.1", "1.0.0", -1 },
	{ "1.0.0-1", "1.0.0-a", -1 },
	{ "1.0.0-0.3.7", "1.0.0-x.7.z.92", -1 },
	{ "1.0.0-alpha", "1.0.0-alpha.0", -1 },
	{ "1.0.0-x9", "1.0.0-y1", -1 },
	{ "1.0.0-a-9", "1.0.0-a-10", -1 },
	{ "1.0.0-rc-1", "1.0.0-rc9", -1 },     /* as strict SemVer */
	{ "1.0.0-rc10-fix", "1.0.0-rc9-fix", 1 },
	{ "1.0.0-beta2", "1.0.0-beta10", -1 },
	{ "1.0.0-rc1a", "1.0.0-rc10", -1 },
	/* Go pseudo-versions */
	{ "v0.0.0-20191109021931-daa7c04131f5",
	  "v0.0.0-20200101000000-000000000000", -1 },
	{ "v0.0.0-20191109021931-daa7c04131f5", "v0.1.0", -1 },
	/* lenient reading of what SemVer rejects */
	{ "1.2.3.4", "1.2.3", 1 },
	{ "1.2.3rc1", "1.2.3-rc1", 0 },
	{ "", "0.0.0", 0 },
	{ "abc", "0.0.0", -1 },
	{ "1.0.0-", "1.0.0", -1 },
};

static const struct cmp_case kernel_cases[] = {
	{ "5.4.262", "5.10.190", -1 },
	{ "6.4.8", "6.5", -1 },
	{ "2.6.19", "3.16.66", -1 },
	{ "6.8-rc1", "6.8", -1 },
	{ "6.8-rc1", "6.8-rc2", -1 },
	{ "6.8-rc7", "6.8.0", -1 },
	{ "6.8-rc1", "6.7.12", 1 },
	{ "6.8-rc9", "6.8-rc10", -1 },
	{ "6.8.0-rc3+", "6.8", -1 },
	{ "6.1.76-1-amd64", "6.1.76", 0 },
	{ "6.1.76+deb12-amd64", "6.1.76", 0 },
	{ "6.1.0-18-amd64", "6.1", 0 },
	{ "5.15.0-91-generic", "5.15.0", 0 },
	{ "5.15.0-91-generic", "5.15.1", -1 },
	{ "5.15.0-1045-aws", "5.15.0-91-generic", 0 },
	{ "6.6.0+", "6.6", 0 },
	{ "6.1", "6.1.0", 0 },
	{ "v6.8", "6.8", 0 },
	{ "6.12.16", "6.12.9", 1 },
	{ "6.13.4", "6.12.16", 1 },
	{ "2.6.32.71", "2.6.32", 1 },
	{ "2.6.32.71", "2.6.33", -1 },
	{ "3.0", "2.6.39.4", 1 },
	{ "4.19.316", "4.19.28", 1 },
	{ "7.0", "6.19.12", 1 },
	{ "5.10.235", "5.10.235.0", 0 },
	{ "5.4.291", "5.4.262", 1 },
	{ "5.5.0", "5.4.291", 1 },
	{ "5.5", "5.5.0", 0 },
	{ "6.1.178", "6.1.78", 1 },
	{ "6.6.17", "6.7.5", -1 },
	{ "7.1.5", "7.1.6", -1 },
	{ "4.20.15", "5.0", -1 },
	{ "6.1.*", "6.1", 0 },
	{ "", "0", 0 },
	{ "garbage", "0.0", 0 },
	{ "0", "2.6.12", -1 },
};

START_TEST(cmp_dpkg)
{
	check_cmp(VERSION_DPKG, &dpkg_cases[_i]);
}
END_TEST

START_TEST(cmp_rpm)
{
	check_cmp(VERSION_RPM, &rpm_cases[_i]);
}
END_TEST

START_TEST(cmp_semver)
{
	check_cmp(VERSION_SEMVER, &semver_cases[_i]);
}
END_TEST

START_TEST(cmp_kernel)
{
	check_cmp(VERSION_KERNEL, &kernel_cases[_i]);
}
END_TEST

/* Ascending sequences: every pair i < j must compare below, which checks
 * transitivity across real release histories. */
struct chain {
	enum version_scheme scheme;
	const char *v[20];
};

static const struct chain chains[] = {
	/* osv-ubuntu UBUNTU-CVE-2024-21626, Ubuntu:Pro:18.04:LTS versions */
	{ VERSION_DPKG, {
		"1.0.0~rc2+docker1.13.1-0ubuntu1", "1.0.0~rc4+dfsg1-2",
		"1.0.0~rc4+dfsg1-6", "1.0.0~rc4+dfsg1-6ubuntu0.18.04.1",
		"1.0.0~rc7+git20190403.029124da-0ubuntu1~18.04.1",
		"1.0.0~rc7+git20190403.029124da-0ubuntu1~18.04.2",
		"1.0.0~rc7+git20190403.029124da-0ubuntu1~18.04.2+esm1",
		"1.0.0~rc10-0ubuntu1~18.04.1", "1.0.0~rc10-0ubuntu1~18.04.2",
		"1.0.0~rc93-0ubuntu1~18.04.1", "1.0.0~rc93-0ubuntu1~18.04.2",
		"1.0.0~rc95-0ubuntu1~18.04.1", "1.0.0~rc95-0ubuntu1~18.04.2",
		"1.0.1-0ubuntu2~18.04.1", "1.1.0-0ubuntu1~18.04.1",
		"1.1.4-0ubuntu1~18.04.1", "1.1.4-0ubuntu1~18.04.2",
		"1.1.4-0ubuntu1~18.04.2+esm1" } },
	/* Ubuntu:22.04:LTS runc, then the runc-app fixed version */
	{ VERSION_DPKG, {
		"1.0.1-0ubuntu2", "1.0.1-0ubuntu3", "1.0.3-0ubuntu1",
		"1.1.0-0ubuntu1", "1.1.0-0ubuntu1.1", "1.1.4-0ubuntu1~22.04.1",
		"1.1.4-0ubuntu1~22.04.2", "1.1.4-0ubuntu1~22.04.3",
		"1.1.7-0ubuntu1~22.04.1", "1.1.7-0ubuntu1~22.04.2",
		"1.1.12-0ubuntu2~22.04.1", "1.2.5-0ubuntu1~22.04.1",
		"1.3.0-0ubuntu2~22.04.1", "1.3.3-0ubuntu1~22.04.2" } },
	/* Debian Policy's tilde example */
	{ VERSION_DPKG, { "", "1~~", "1~~a", "1~", "1", "1a" } },
	{ VERSION_RPM, {
		"1.0~rc1", "1.0~rc1^git1", "1.0", "1.0^git1~pre",
		"1.0^git1", "1.0^git2", "1.0.1", "1:0.1" } },
	{ VERSION_RPM, {
		"3.9.16-1.el9", "3.9.18-3.el9_4", "0:3.9.18-3.el9_4.4",
		"3.9.18-3.el9_4.5", "3.9.18-10.el9", "1:3.9.1-1.el9" } },
	/* runc's real release order, including rc9 < rc10 < rc91 */
	{ VERSION_SEMVER, {
		"1.0.0-rc1", "1.0.0-rc2", "1.0.0-rc9", "1.0.0-rc10",
		"1.0.0-rc91", "1.0.0-rc92", "1.0.0-rc93", "1.0.0-rc95",
		"1.0.0", "1.0.1", "1.1.0-rc.1", "1.1.0", "v1.1.11", "1.1.12",
		"1.2.0-rc.1", "1.2.8", "1.3.0-rc.1", "1.3.3", "1.4.0-rc.1",
		"1.4.0-rc.3" } },
	/* SemVer 2.0 §11.4 example */
	{ VERSION_SEMVER, {
		"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta",
		"1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1",
		"1.0.0" } },
	/* moby engine and module versions */
	{ VERSION_SEMVER, {
		"17.03.0-ce", "19.03.0", "19.03.16", "20.10.0+incompatible",
		"20.10.14+incompatible", "20.10.28", "23.0.15", "24.0.10",
		"25.0.6+incompatible", "26.1.5", "27.0.0-rc.1", "27.1.1",
		"29.3.1" } },
	/* kernel-cna CVE-2024-26581 versions, with rc and distro strings */
	{ VERSION_KERNEL, {
		"2.6.19", "2.6.32.71", "3.16.66", "4.19.28", "4.19.316",
		"5.4.262", "5.4.269-1-amd64", "5.10.190", "5.15.0-91-generic",
		"5.15.149", "6.1.43", "6.1.78", "6.4.8", "6.5-rc1", "6.5",
		"6.6.17", "6.7.5", "6.8-rc1", "6.8-rc7", "6.8" } },
};

START_TEST(cmp_chain)
{
	const struct chain *c = &chains[_i];
	size_t n = 0;

	while (n < ARRAY_SIZE(c->v) && c->v[n])
		n++;
	for (size_t i = 0; i < n; i++) {
		ck_assert_msg(version_cmp(c->scheme, c->v[i], c->v[i]) == 0,
			      "'%s' != itself", c->v[i]);
		for (size_t j = i + 1; j < n; j++)
			ck_assert_msg(version_cmp(c->scheme, c->v[i], c->v[j]) < 0 &&
				      version_cmp(c->scheme, c->v[j], c->v[i]) > 0,
				      "%s: '%s' not below '%s'",
				      version_scheme_name(c->scheme), c->v[i],
				      c->v[j]);
	}
}
END_TEST

struct valid_case {
	enum version_scheme scheme;
	const char *s;
	bool want;
};

static const struct valid_case valid_cases[] = {
	{ VERSION_DPKG, "1.0", true },
	{ VERSION_DPKG, "0", true },
	{ VERSION_DPKG, "1:2.0-1", true },
	{ VERSION_DPKG, "1.1.5+ds1-1+deb12u1", true },
	{ VERSION_DPKG, "1.1.12-0ubuntu2~22.04.1", true },
	{ VERSION_DPKG, "1.0.0~rc93-0ubuntu1~20.04.1", true },
	{ VERSION_DPKG, "20.10.12-0ubuntu3+gke1.24.1", true },
	{ VERSION_DPKG, "1.0.0~rc7+git20190403.029124da-0ubuntu1~18.04.2", true },
	{ VERSION_DPKG, "1.2-3-4", true },
	{ VERSION_DPKG, "2147483647:1", true },
	{ VERSION_DPKG, "", false },
	{ VERSION_DPKG, "a1.0", false },
	{ VERSION_DPKG, "1.0-", false },
	{ VERSION_DPKG, ":1.0", false },
	{ VERSION_DPKG, "a:1.0", false },
	{ VERSION_DPKG, "1:", false },
	{ VERSION_DPKG, "1.0 1", false },
	{ VERSION_DPKG, "1.0-1_2", false },
	{ VERSION_DPKG, "1.0_1", false },
	{ VERSION_DPKG, "2147483648:1.0", false },
	{ VERSION_DPKG, "1.0-a:b", false },
	{ VERSION_DPKG, "-1", false },
	{ VERSION_RPM, "3.9.18-3.el9_4.5", true },
	{ VERSION_RPM, "0:3.9.18-3.el9_4.5", true },
	{ VERSION_RPM, "0:1.5.1-21.el9_5", true },
	{ VERSION_RPM, "1.0~rc1", true },
	{ VERSION_RPM, "1.0^git1", true },
	{ VERSION_RPM, "2.0", true },
	{ VERSION_RPM, "1:1.0-1", true },
	{ VERSION_RPM, "", false },
	{ VERSION_RPM, "1.0-1-1", false },
	{ VERSION_RPM, "a:1.0", false },
	{ VERSION_RPM, ":1.0", false },
	{ VERSION_RPM, "1.0-", false },
	{ VERSION_RPM, "-1", false },
	{ VERSION_RPM, "1.0 1", false },
	{ VERSION_RPM, "1.0-1.el9/x", false },
	{ VERSION_RPM, "1:2:3", false },
	{ VERSION_RPM, "~", false },
	{ VERSION_SEMVER, "1.0.0", true },
	{ VERSION_SEMVER, "v1.3.3", true },
	{ VERSION_SEMVER, "1.0.0-rc93", true },
	{ VERSION_SEMVER, "1.4.0-rc.3", true },
	{ VERSION_SEMVER, "20.10.14+incompatible", true },
	{ VERSION_SEMVER, "2.0.0-beta.8", true },
	{ VERSION_SEMVER, "v1", true },
	{ VERSION_SEMVER, "v1.2", true },
	{ VERSION_SEMVER, "1.0.0-alpha+001", true },
	{ VERSION_SEMVER, "1.0.0-0.3.7", true },
	{ VERSION_SEMVER, "v0.0.0-20191109021931-daa7c04131f5", true },
	{ VERSION_SEMVER, "", false },
	{ VERSION_SEMVER, "01.0.0", false },
	{ VERSION_SEMVER, "1.0.0-01", false },
	{ VERSION_SEMVER, "1.0.0-", false },
	{ VERSION_SEMVER, "1.0.0+", false },
	{ VERSION_SEMVER, "1.0.0-rc..1", false },
	{ VERSION_SEMVER, "1.2-rc1", false },
	{ VERSION_SEMVER, "1.2.3.4", false },
	{ VERSION_SEMVER, "V1.0.0", false },
	{ VERSION_SEMVER, "1.0.0-rc_1", false },
	{ VERSION_SEMVER, "v", false },
	{ VERSION_SEMVER, "19.03.16", false },
	{ VERSION_SEMVER, "1.0.0 ", false },
	{ VERSION_KERNEL, "6.1.76", true },
	{ VERSION_KERNEL, "6.8-rc1", true },
	{ VERSION_KERNEL, "2.6.32.71", true },
	{ VERSION_KERNEL, "6.1.0-18-amd64", true },
	{ VERSION_KERNEL, "5.15.0-91-generic", true },
	{ VERSION_KERNEL, "6.1.76+deb12-amd64", true },
	{ VERSION_KERNEL, "v6.8", true },
	{ VERSION_KERNEL, "6.6.0+", true },
	{ VERSION_KERNEL, "3.0", true },
	{ VERSION_KERNEL, "", false },
	{ VERSION_KERNEL, "6", false },
	{ VERSION_KERNEL, "6.1.2.3.4", false },
	{ VERSION_KERNEL, "6.8-rc0", false },
	{ VERSION_KERNEL, "6.01", false },
	{ VERSION_KERNEL, "6.1.*", false },
	{ VERSION_KERNEL, "6.1-", false },
	{ VERSION_KERNEL, "abc", false },
	{ VERSION_KERNEL, "6.1.76 amd64", false },
	{ VERSION_KERNEL, "0", false },
};

START_TEST(valid)
{
	const struct valid_case *c = &valid_cases[_i];

	ck_assert_msg(version_valid(c->scheme, c->s) == c->want,
		      "%s: valid('%s') != %d", version_scheme_name(c->scheme),
		      c->s, c->want);
}
END_TEST

/* OSV ranges. */
#define INTRO(s) { .kind = VERSION_EV_INTRODUCED, .version = (s) }
#define FIXED(s) { .kind = VERSION_EV_FIXED, .version = (s) }
#define LAST(s)  { .kind = VERSION_EV_LAST_AFFECTED, .version = (s) }
#define LIMIT(s) { .kind = VERSION_EV_LIMIT, .version = (s) }
#define EVENTS(a) .ev = (a), .n = ARRAY_SIZE(a)

/* osv-go GO-2024-2491 (runc CVE-2024-21626) */
static const struct version_event go_2024_2491[] = {
	INTRO("1.0.0-rc93"), FIXED("1.1.12"),
};
/* osv-go GO-2025-4096 (runc CVE-2025-31133): three branches */
static const struct version_event go_2025_4096[] = {
	INTRO("0"), FIXED("1.2.8"), INTRO("1.3.0-rc.1"), FIXED("1.3.3"),
	INTRO("1.4.0-rc.1"), FIXED("1.4.0-rc.3"),
};
/* the same events out of order */
static const struct version_event go_2025_4096_shuffled[] = {
	FIXED("1.3.3"), INTRO("1.4.0-rc.1"), FIXED("1.2.8"), INTRO("0"),
	FIXED("1.4.0-rc.3"), INTRO("1.3.0-rc.1"),
};
/* osv-go GO-2024-3005 (moby CVE-2024-41110), +incompatible */
static const struct version_event go_2024_3005[] = {
	INTRO("20.10.0+incompatible"), FIXED("25.0.6+incompatible"),
	INTRO("26.0.0+incompatible"), FIXED("26.1.5+incompatible"),
	INTRO("27.0.0+incompatible"), FIXED("27.1.1+incompatible"),
};
/* osv-go GO-2026-4887: docker/docker introduced 0, no fix */
static const struct version_event go_2026_4887[] = { INTRO("0") };
/* osv-go GO-2026-4887: moby/moby/v2 */
static const struct version_event go_2026_4887_v2[] = {
	INTRO("0"), FIXED("2.0.0-beta.8"),
};
/* osv-go GO-2025-3528 (containerd) */
static const struct version_event go_2025_3528[] = {
	INTRO("0"), FIXED("1.6.38"), INTRO("1.7.0-beta.0"), FIXED("1.7.27"),
};
/* osv-go GO-2025-4100 (containerd/v2) */
static const struct version_event go_2025_4100[] = {
	INTRO("0"), FIXED("2.0.7"), INTRO("2.1.0-beta.0"), FIXED("2.1.5"),
	INTRO("2.2.0-beta.0"), FIXED("2.2.0"),
};
/* osv-ghsa GHSA-v23v-6jw2-98fq (moby, engine numbers) */
static const struct version_event ghsa_v23v[] = {
	INTRO("19.03.0"), FIXED("23.0.15"),
};
/* GHSA-9493-h29p-rfm2 "<= 1.3.2" written as last_affected */
static const struct version_event ghsa_9493_last[] = {
	INTRO("1.3.0-rc.1"), LAST("1.3.2"),
};
static const struct version_event last_from_zero[] = {
	INTRO("0"), LAST("1.2.7"),
};
static const struct version_event limit_one[] = { INTRO("0"), LIMIT("2.0.0") };
static const struct version_event limit_below_fixed[] = {
	INTRO("0"), FIXED("1.0.0"), LIMIT("0.5.0"),
};
/* several limits: below any one of them is enough (BeforeLimits) */
static const struct version_event limit_two[] = {
	INTRO("0"), LIMIT("1.0.0"), LIMIT("2.0.0"),
};
static const struct version_event limit_star[] = { INTRO("0"), LIMIT("*") };
static const struct version_event unfixed_from[] = { INTRO("1.0.0") };
/* equal versions keep the input order (a stable sort) */
static const struct version_event tie_intro_first[] = {
	INTRO("1.0.0"), FIXED("1.0.0"),
};
static const struct version_event tie_fixed_first[] = {
	FIXED("1.0.0"), INTRO("1.0.0"),
};
static const struct version_event only_fixed[] = { FIXED("1.0.0") };
static const struct version_event ignored_empty[] = {
	INTRO("0"), FIXED(""), FIXED(NULL), LIMIT(""),
};
static const struct version_event intro_null[] = {
	INTRO(NULL), FIXED("1.0.0"),
};
/* osv-ubuntu UBUNTU-CVE-2024-21626, Ubuntu:22.04:LTS runc */
static const struct version_event ubuntu_2204_runc[] = {
	INTRO("0"), FIXED("1.1.7-0ubuntu1~22.04.2"),
};
/* UBUNTU-CVE-2025-31133: runc-app fixed, runc unfixed */
static const struct version_event ubuntu_2204_runc_app[] = {
	INTRO("0"), FIXED("1.3.3-0ubuntu1~22.04.2"),
};
static const struct version_event ubuntu_pro_1804_runc[] = {
	INTRO("0"), FIXED("1.1.4-0ubuntu1~18.04.2+esm1"),
};
/* Debian 12 backport (DESIGN.md §5) */
static const struct version_event debian_12_runc[] = {
	INTRO("0"), FIXED("1.1.5+ds1-1+deb12u1"),
};
static const struct version_event dpkg_zero[] = {
	INTRO("0"), FIXED("1.0"),
};
/* Red Hat (redhat-csaf RHSA-2024:6163) */
static const struct version_event rhsa_2024_6163[] = {
	INTRO("0"), FIXED("0:3.9.18-3.el9_4.5"),
};
/* osv-linux CVE-2025-21772: one of its ranges */
static const struct version_event linux_21772[] = {
	INTRO("5.5.0"), FIXED("5.10.235"),
};
/* kernel-cna CVE-2019-25160 first branch; CVE-2024-26581 stable pairs */
static const struct version_event kernel_25160[] = {
	INTRO("2.6.19"), FIXED("3.16.66"),
};
static const struct version_event kernel_26581[] = {
	INTRO("5.4.262"), FIXED("5.4.269"), INTRO("5.10.190"),
	FIXED("5.10.210"), INTRO("5.15.124"), FIXED("5.15.149"),
	INTRO("6.1.43"), FIXED("6.1.78"), INTRO("6.4.8"),
};

struct range_case {
	enum version_scheme scheme;
	const struct version_event *ev;
	size_t n;
	const char *v;
	bool want;
};

/* short scheme names keep the rows on one line */
#define SV VERSION_SEMVER
#define DP VERSION_DPKG
#define RP VERSION_RPM
#define KV VERSION_KERNEL
static const struct range_case range_cases[] = {
	{ SV, EVENTS(go_2024_2491), "1.0.0-rc92", false },
	{ SV, EVENTS(go_2024_2491), "1.0.0-rc93", true },
	{ SV, EVENTS(go_2024_2491), "1.0.0-rc95", true },
	{ SV, EVENTS(go_2024_2491), "1.0.0-rc10", false },
	{ SV, EVENTS(go_2024_2491), "1.0.0-rc9", false },
	{ SV, EVENTS(go_2024_2491), "1.0.0", true },
	{ SV, EVENTS(go_2024_2491), "v1.1.5", true },
	{ SV, EVENTS(go_2024_2491), "1.1.11", true },
	{ SV, EVENTS(go_2024_2491), "1.1.12", false },
	{ SV, EVENTS(go_2024_2491), "1.2.0", false },
	{ SV, EVENTS(go_2025_4096), "1.1.12", true },
	{ SV, EVENTS(go_2025_4096), "1.2.7", true },
	{ SV, EVENTS(go_2025_4096), "1.2.8", false },
	{ SV, EVENTS(go_2025_4096), "1.2.9", false },
	{ SV, EVENTS(go_2025_4096), "1.3.0-rc.1", true },
	{ SV, EVENTS(go_2025_4096), "1.3.0", true },
	{ SV, EVENTS(go_2025_4096), "1.3.2", true },
	{ SV, EVENTS(go_2025_4096), "1.3.3", false },
	{ SV, EVENTS(go_2025_4096), "1.3.4", false },
	{ SV, EVENTS(go_2025_4096), "1.4.0-rc.2", true },
	{ SV, EVENTS(go_2025_4096), "1.4.0-rc.3", false },
	{ SV, EVENTS(go_2025_4096), "1.4.0", false },
	{ SV, EVENTS(go_2025_4096_shuffled), "0.9.0", true },
	{ SV, EVENTS(go_2025_4096_shuffled), "1.2.8", false },
	{ SV, EVENTS(go_2025_4096_shuffled), "1.3.1", true },
	{ SV, EVENTS(go_2025_4096_shuffled), "1.4.0-rc.2", true },
	{ SV, EVENTS(go_2025_4096_shuffled), "1.4.1", false },
	{ SV, EVENTS(go_2024_3005), "19.03.16+incompatible", false },
	{ SV, EVENTS(go_2024_3005), "20.10.0+incompatible", true },
	{ SV, EVENTS(go_2024_3005), "20.10.27+incompatible", true },
	{ SV, EVENTS(go_2024_3005), "25.0.5", true },
	{ SV, EVENTS(go_2024_3005), "25.0.6+incompatible", false },
	{ SV, EVENTS(go_2024_3005), "25.0.7", false },
	{ SV, EVENTS(go_2024_3005), "26.1.4", true },
	{ SV, EVENTS(go_2024_3005), "26.1.5", false },
	{ SV, EVENTS(go_2024_3005), "27.1.0", true },
	{ SV, EVENTS(go_2024_3005), "27.1.1", false },
	{ SV, EVENTS(go_2024_3005), "28.0.0", false },
	{ SV, EVENTS(go_2026_4887), "29.3.0", true },
	{ SV, EVENTS(go_2026_4887), "0.0.1", true },
	{ SV, EVENTS(go_2026_4887), "v28.5.2+incompatible", true },
	{ SV, EVENTS(go_2026_4887_v2), "2.0.0-alpha.1", true },
	{ SV, EVENTS(go_2026_4887_v2), "2.0.0-beta.7", true },
	{ SV, EVENTS(go_2026_4887_v2), "2.0.0-beta.8", false },
	{ SV, EVENTS(go_2026_4887_v2), "2.0.0", false },
	{ SV, EVENTS(go_2025_3528), "1.6.37", true },
	{ SV, EVENTS(go_2025_3528), "1.6.38", false },
	{ SV, EVENTS(go_2025_3528), "1.6.99", false },
	{ SV, EVENTS(go_2025_3528), "1.7.0-beta.0", true },
	{ SV, EVENTS(go_2025_3528), "1.7.26", true },
	{ SV, EVENTS(go_2025_3528), "1.7.27", false },
	{ SV, EVENTS(go_2025_4100), "2.0.6", true },
	{ SV, EVENTS(go_2025_4100), "2.0.7", false },
	{ SV, EVENTS(go_2025_4100), "2.1.0-alpha.1", false },
	{ SV, EVENTS(go_2025_4100), "2.1.4", true },
	{ SV, EVENTS(go_2025_4100), "2.2.0-rc.1", true },
	{ SV, EVENTS(go_2025_4100), "2.2.0", false },
	{ SV, EVENTS(ghsa_v23v), "18.09.9", false },
	{ SV, EVENTS(ghsa_v23v), "19.03.0", true },
	{ SV, EVENTS(ghsa_v23v), "23.0.14", true },
	{ SV, EVENTS(ghsa_v23v), "23.0.15", false },
	{ SV, EVENTS(ghsa_9493_last), "1.2.9", false },
	{ SV, EVENTS(ghsa_9493_last), "1.3.2", true },
	{ SV, EVENTS(ghsa_9493_last), "1.3.3", false },
	{ SV, EVENTS(last_from_zero), "1.2.7", true },
	{ SV, EVENTS(last_from_zero), "1.2.7-rc.1", true },
	{ SV, EVENTS(last_from_zero), "1.2.8", false },
	{ SV, EVENTS(limit_one), "1.9.9", true },
	{ SV, EVENTS(limit_one), "2.0.0", false },
	{ SV, EVENTS(limit_one), "3.0.0", false },
	{ SV, EVENTS(limit_below_fixed), "0.4.0", true },
	{ SV, EVENTS(limit_below_fixed), "0.6.0", false },
	{ SV, EVENTS(limit_two), "0.9.0", true },
	{ SV, EVENTS(limit_two), "1.5.0", true },
	{ SV, EVENTS(limit_two), "2.0.0", false },
	{ SV, EVENTS(limit_star), "99.0.0", true },
	{ SV, EVENTS(unfixed_from), "0.9.0", false },
	{ SV, EVENTS(unfixed_from), "1.0.0", true },
	{ SV, EVENTS(unfixed_from), "9.0.0", true },
	{ SV, EVENTS(tie_intro_first), "1.0.0", false },
	{ SV, EVENTS(tie_fixed_first), "1.0.0", true },
	{ SV, EVENTS(only_fixed), "0.1.0", false },
	{ SV, EVENTS(ignored_empty), "5.0.0", true },
	{ SV, EVENTS(intro_null), "0.1.0", true },
	{ SV, EVENTS(intro_null), "1.0.0", false },
	{ SV, go_2024_2491, 0, "1.0.0", false },
	{ DP, EVENTS(ubuntu_2204_runc), "1.1.4-0ubuntu1~22.04.3", true },
	{ DP, EVENTS(ubuntu_2204_runc), "1.1.7-0ubuntu1~22.04.1", true },
	{ DP, EVENTS(ubuntu_2204_runc), "1.1.7-0ubuntu1~22.04.2", false },
	{ DP, EVENTS(ubuntu_2204_runc), "1.1.7-0ubuntu1", false },
	{ DP, EVENTS(ubuntu_2204_runc), "1.1.12-0ubuntu2~22.04.1", false },
	{ DP, EVENTS(ubuntu_2204_runc_app), "1.3.0-0ubuntu2~22.04.1", true },
	{ DP, EVENTS(ubuntu_2204_runc_app), "1.3.3-0ubuntu1~22.04.2", false },
	{ DP, EVENTS(ubuntu_pro_1804_runc), "1.1.4-0ubuntu1~18.04.2", true },
	{ DP, EVENTS(ubuntu_pro_1804_runc), "1.1.4-0ubuntu1~18.04.2+esm1", false },
	{ DP, EVENTS(debian_12_runc), "1.1.5+ds1-1", true },
	{ DP, EVENTS(debian_12_runc), "1.1.5+ds1-1+deb12u1", false },
	{ DP, EVENTS(debian_12_runc), "1.1.12+ds1-1", false },
	{ DP, EVENTS(dpkg_zero), "0~", true },
	{ DP, EVENTS(dpkg_zero), "", true },
	{ RP, EVENTS(rhsa_2024_6163), "3.9.16-1.el9", true },
	{ RP, EVENTS(rhsa_2024_6163), "3.9.18-3.el9_4.4", true },
	{ RP, EVENTS(rhsa_2024_6163), "3.9.18-3.el9_4.5", false },
	{ RP, EVENTS(rhsa_2024_6163), "0:3.9.18-3.el9_4.6", false },
	{ KV, EVENTS(linux_21772), "5.4.291", false },
	{ KV, EVENTS(linux_21772), "5.5", true },
	{ KV, EVENTS(linux_21772), "5.10.234-1-amd64", true },
	{ KV, EVENTS(linux_21772), "5.10.235", false },
	{ KV, EVENTS(kernel_25160), "2.6.18", false },
	{ KV, EVENTS(kernel_25160), "2.6.19", true },
	{ KV, EVENTS(kernel_25160), "3.16.65", true },
	{ KV, EVENTS(kernel_25160), "3.16.66", false },
	{ KV, EVENTS(kernel_26581), "5.4.261", false },
	{ KV, EVENTS(kernel_26581), "5.4.262", true },
	{ KV, EVENTS(kernel_26581), "5.4.269", false },
	{ KV, EVENTS(kernel_26581), "5.10.200", true },
	{ KV, EVENTS(kernel_26581), "5.15.0-91-generic", false },
	{ KV, EVENTS(kernel_26581), "5.15.148", true },
	{ KV, EVENTS(kernel_26581), "6.1.76-1-amd64", true },
	{ KV, EVENTS(kernel_26581), "6.1.78", false },
	{ KV, EVENTS(kernel_26581), "6.4.7", false },
	{ KV, EVENTS(kernel_26581), "6.4.16", true },
	{ KV, EVENTS(kernel_26581), "6.8-rc1", true },
};

START_TEST(range)
{
	const struct range_case *c = &range_cases[_i];

	ck_assert_msg(version_range_affects(c->scheme, c->ev, c->n, c->v) ==
			      c->want,
		      "%s: '%s' affected != %d", version_scheme_name(c->scheme),
		      c->v, c->want);
}
END_TEST

struct interval_case {
	enum version_scheme scheme;
	const char *introduced, *fixed, *last_affected, *limit;
	const char *v;
	bool want;
};

static const struct interval_case interval_cases[] = {
	{ SV, "1.0.0-rc93", "1.1.12", NULL, NULL, "1.1.11", true },
	{ SV, "1.0.0-rc93", "1.1.12", NULL, NULL, "1.1.12", false },
	{ SV, "1.0.0-rc93", "1.1.12", NULL, NULL, "1.0.0-rc92", false },
	{ SV, "1.0.0-rc93", "1.1.12", NULL, NULL, "1.0.0-rc93", true },
	{ SV, NULL, "1.2.8", NULL, NULL, "1.2.7", true },
	{ SV, "0", NULL, NULL, NULL, "29.3.0", true },
	{ SV, "0", NULL, "1.2.7", NULL, "1.2.7", true },
	{ SV, "0", NULL, "1.2.7", NULL, "1.2.8", false },
	{ SV, "0", NULL, NULL, "2.0.0", "2.0.0", false },
	{ SV, "0", NULL, NULL, "2.0.0", "1.9", true },
	{ SV, "0", NULL, NULL, "*", "99.0.0", true },
	{ SV, "", "", "", "", "5.0", true },
	{ SV, "0", "1.0.0", NULL, NULL, NULL, false },
	{ SV, "20.10.0+incompatible", "25.0.6+incompatible", NULL, NULL,
	  "v24.0.7+incompatible", true },
	{ SV, "1.3.0-rc.1", "1.3.3", NULL, NULL, "1.2.8", false },
	{ DP, "0", "1.1.5+ds1-1+deb12u1", NULL, NULL, "1.1.5+ds1-1", true },
	{ DP, "0", "1.1.5+ds1-1+deb12u1", NULL, NULL,
	  "1.1.5+ds1-1+deb12u1", false },
	{ DP, NULL, "1.3.3-0ubuntu1~24.04.2", NULL, NULL,
	  "1.3.3-0ubuntu1~24.04.1", true },
	{ DP, NULL, "1.3.3-0ubuntu1~24.04.2", NULL, NULL,
	  "1.3.3-0ubuntu1", false },
	{ DP, "0", NULL, NULL, NULL, "0~", true },
	{ RP, "0", "0:3.9.18-3.el9_4.5", NULL, NULL, "3.9.18-3.el9_4.4", true },
	{ RP, "0", "0:3.9.18-3.el9_4.5", NULL, NULL, "3.9.18-3.el9_4.5", false },
	{ RP, "0", "0:3.9.18-3.el9_4.5", NULL, NULL, "0:3.9.18-3.el9_4.6", false },
	{ RP, "0", "0:3.9.18-3.el9_4.5", NULL, NULL, "3.9.16-1.el9", true },
	{ RP, "0", "0:1.5.1-21.el9_5", NULL, NULL, "1.5.1-19.el9", true },
	{ KV, "5.4.262", "5.4.269", NULL, NULL, "5.4.261", false },
	{ KV, "5.4.262", "5.4.269", NULL, NULL, "5.4.262", true },
	{ KV, "5.4.262", "5.4.269", NULL, NULL, "5.4.265-1-amd64", true },
	{ KV, "5.4.262", "5.4.269", NULL, NULL, "5.4.269", false },
	{ KV, "6.4.8", NULL, NULL, NULL, "6.4.16", true },
	{ KV, "6.4.8", NULL, NULL, NULL, "6.4.7", false },
	{ KV, "6.5", "6.6.17", NULL, NULL, "6.5-rc1", false },
	{ KV, "6.5", "6.6.17", NULL, NULL, "6.5.0", true },
	{ KV, "6.5", "6.6.17", NULL, NULL, "6.6.16", true },
	{ KV, "6.5", "6.6.17", NULL, NULL, "6.6.17", false },
	{ KV, "6.5", "6.8", NULL, NULL, "6.8-rc7", true },
};

START_TEST(interval)
{
	const struct interval_case *c = &interval_cases[_i];

	ck_assert_msg(version_interval_affects(c->scheme, c->introduced,
					       c->fixed, c->last_affected,
					       c->limit, c->v) == c->want,
		      "%s: '%s' in [%s, %s) affected != %d",
		      version_scheme_name(c->scheme), c->v ? c->v : "(null)",
		      c->introduced ? c->introduced : "(null)",
		      c->fixed ? c->fixed : "(null)", c->want);
}
END_TEST

/* Scheme names: failures leave the out-parameter untouched. */
struct scheme_case {
	const char *name;
	int rc;
	enum version_scheme want;
};

static const struct scheme_case scheme_cases[] = {
	{ "dpkg", 0, VERSION_DPKG },
	{ "rpm", 0, VERSION_RPM },
	{ "semver", 0, VERSION_SEMVER },
	{ "kernel", 0, VERSION_KERNEL },
	{ "DPKG", ERR_NOTFOUND, VERSION_SCHEME_COUNT },
	{ "deb", ERR_NOTFOUND, VERSION_SCHEME_COUNT },
	{ "", ERR_NOTFOUND, VERSION_SCHEME_COUNT },
	{ "kernel ", ERR_NOTFOUND, VERSION_SCHEME_COUNT },
	{ NULL, ERR_NOTFOUND, VERSION_SCHEME_COUNT },
};

START_TEST(scheme_parse)
{
	const struct scheme_case *c = &scheme_cases[_i];
	enum version_scheme out = VERSION_SCHEME_COUNT;

	ck_assert_int_eq(version_scheme_parse(&out, c->name), c->rc);
	ck_assert_int_eq(out, c->want);
	if (!c->rc)
		ck_assert_str_eq(version_scheme_name(out), c->name);
}
END_TEST

/* The kernel CNA's .dyad files state "introVer:introSha:fixVer:fixSha"
 * ("0" = none): an independent expectation that introVer <= fixVer, both
 * well formed, over every record of the samples. */
static int check_dyad_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[512];
	int pairs = 0;

	ck_assert_msg(f != NULL, "cannot open '%s'", path);
	while (fgets(line, sizeof(line), f)) {
		char *intro = line, *fix, *sep;

		if (line[0] == '#' || !(sep = strchr(intro, ':')))
			continue;
		*sep = '\0';
		fix = strchr(sep + 1, ':');
		if (!fix || !(sep = strchr(++fix, ':')))
			continue;
		*sep = '\0';
		if (!strcmp(intro, "0") || !strcmp(fix, "0"))
			continue;
		ck_assert_msg(version_valid(VERSION_KERNEL, intro) &&
			      version_valid(VERSION_KERNEL, fix),
			      "%s: '%s' or '%s' not valid", path, intro, fix);
		ck_assert_msg(version_cmp(VERSION_KERNEL, intro, fix) <= 0,
			      "%s: '%s' after '%s'", path, intro, fix);
		pairs++;
	}
	fclose(f);
	return pairs;
}

static int check_dyad_dir(const char *dir, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int pairs = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		char path[1024];
		size_t len = strlen(e->d_name);

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (len > 5 && !strcmp(e->d_name + len - 5, ".dyad"))
			pairs += check_dyad_file(path);
		else if (depth > 0)
			pairs += check_dyad_dir(path, depth - 1);
	}
	closedir(d);
	return pairs;
}

START_TEST(kernel_dyads)
{
	const char *samples = getenv("SLIPWAY_SAMPLES");
	char dir[1024];
	int pairs;

	if (!samples)
		return;         /* run outside meson test: nothing to read */
	snprintf(dir, sizeof(dir), "%s/feeds/kernel-cna", samples);
	pairs = check_dyad_dir(dir, 0);
	snprintf(dir, sizeof(dir), "%s/feeds/kernel-cna-subset", samples);
	pairs += check_dyad_dir(dir, 1);
	ck_assert_int_gt(pairs, 1000);
}
END_TEST

/* Robustness: long, odd and random input in every scheme. */
static void check_order_props(enum version_scheme scheme, const char *a,
			      const char *b)
{
	int ab = version_cmp(scheme, a, b);

	ck_assert_int_eq(ab, -version_cmp(scheme, b, a));
	ck_assert_int_eq(version_cmp(scheme, a, a), 0);
	ck_assert(ab >= -1 && ab <= 1);
}

START_TEST(long_strings)
{
	enum version_scheme scheme = (enum version_scheme)_i;
	static const char fill[] = { '9', '0', '~', '^', '.', '-', '+', ':',
				     'a', '\xff' };
	size_t len = 1 << 20;
	char *a = malloc(len + 1), *b = malloc(len + 1);

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	for (size_t f = 0; f < sizeof(fill); f++) {
		memset(a, fill[f], len);
		a[len] = '\0';
		memcpy(b, a, len + 1);
		b[len - 1] = '1';
		check_order_props(scheme, a, b);
		check_order_props(scheme, a, "1.0");
		check_order_props(scheme, a, "");
		(void)version_valid(scheme, a);
		for (size_t i = 0; i < len; i += 2)
			a[i] = '1';
		check_order_props(scheme, a, b);
		(void)version_valid(scheme, a);
	}
	/* a digit run longer than any integer still compares */
	memset(a, '9', len);
	a[len] = '\0';
	memset(b, '9', len - 1);
	b[len - 1] = '\0';
	ck_assert_int_gt(version_cmp(scheme, a, b), 0);
	free(a);
	free(b);
}
END_TEST

START_TEST(every_byte)
{
	enum version_scheme scheme = (enum version_scheme)_i;
	char a[4] = "1", b[4] = "1";

	for (int x = 1; x < 256; x++) {
		a[1] = (char)x;
		(void)version_valid(scheme, a);
		for (int y = 1; y < 256; y++) {
			b[1] = (char)y;
			check_order_props(scheme, a, b);
		}
	}
	ck_assert_int_eq(version_cmp(scheme, NULL, ""), 0);
	ck_assert(!version_valid(scheme, NULL));
	ck_assert(!version_valid(scheme, ""));
	ck_assert(!version_range_affects(scheme, NULL, 0, "1"));
	ck_assert(!version_range_affects(scheme, go_2026_4887, 1, NULL));
}
END_TEST

/* Random strings from the characters that matter: antisymmetry always,
 * and transitivity. */
static unsigned long long rng_state = 20261123;

static unsigned rnd(unsigned n)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((rng_state >> 33) % n);
}

static void random_version(char *out, size_t cap)
{
	static const char alphabet[] = "0123456789..--++~~^:abrcv\xff";
	size_t n = rnd((unsigned)cap);
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = alphabet[rnd(sizeof(alphabet) - 1)];
	out[i] = '\0';
}

START_TEST(random_order)
{
	enum version_scheme scheme = (enum version_scheme)_i;
	char v[3][16];

	for (int round = 0; round < 200000; round++) {
		int ab, bc, ac;

		for (int k = 0; k < 3; k++)
			random_version(v[k], sizeof(v[k]));
		ab = version_cmp(scheme, v[0], v[1]);
		bc = version_cmp(scheme, v[1], v[2]);
		ac = version_cmp(scheme, v[0], v[2]);
		ck_assert_int_eq(ab, -version_cmp(scheme, v[1], v[0]));
		if (ab <= 0 && bc <= 0)
			ck_assert_msg(ac == ((ab == 0 && bc == 0) ? 0 : -1),
				      "%s: '%s' <= '%s' <= '%s' but %d",
				      version_scheme_name(scheme), v[0], v[1],
				      v[2], ac);
	}
}
END_TEST

static Suite *version_suite(void)
{
	Suite *s = suite_create("version");
	TCase *tc = tcase_create("cmp");

	tcase_add_loop_test(tc, cmp_dpkg, 0, ARRAY_SIZE(dpkg_cases));
	tcase_add_loop_test(tc, cmp_rpm, 0, ARRAY_SIZE(rpm_cases));
	tcase_add_loop_test(tc, cmp_semver, 0, ARRAY_SIZE(semver_cases));
	tcase_add_loop_test(tc, cmp_kernel, 0, ARRAY_SIZE(kernel_cases));
	tcase_add_loop_test(tc, cmp_chain, 0, ARRAY_SIZE(chains));
	tcase_add_test(tc, kernel_dyads);
	suite_add_tcase(s, tc);

	tc = tcase_create("valid");
	tcase_add_loop_test(tc, valid, 0, ARRAY_SIZE(valid_cases));
	tcase_add_loop_test(tc, scheme_parse, 0, ARRAY_SIZE(scheme_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("ranges");
	tcase_add_loop_test(tc, range, 0, ARRAY_SIZE(range_cases));
	tcase_add_loop_test(tc, interval, 0, ARRAY_SIZE(interval_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("robust");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, long_strings, 0, VERSION_SCHEME_COUNT);
	tcase_add_loop_test(tc, every_byte, 0, VERSION_SCHEME_COUNT);
	tcase_add_loop_test(tc, random_order, 0, VERSION_SCHEME_COUNT);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(version_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
