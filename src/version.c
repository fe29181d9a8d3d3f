/* version.c - version comparison per scheme and OSV range evaluation.
 *
 * Specs followed:
 *   dpkg    Debian Policy §5.6.12 and dpkg's lib/dpkg/version.c
 *           (parseversion(), verrevcmp(), dpkg_version_compare()).
 *   rpm     rpm's rpmio/rpmvercmp.c (rpmvercmp(), with '~' and '^') and
 *           lib/rpmver.c (parseEVR(), rpmverCmp(), compare_values()).
 *   semver  SemVer 2.0.0 §2, §9-11 as golang.org/x/mod/semver reads it
 *           ('v' prefix, "v1" and "v1.2" shorthands), build metadata
 *           ignored. Deviation: inside an alphanumeric pre-release
 *           identifier a run of digits compares numerically, so "rc9" <
 *           "rc10" < "rc93" as runc released them (strict SemVer would
 *           put "rc10" before "rc9"); see natural_cmp().
 *   kernel  kernel.org release numbering (X.Y[.Z[.W]], 2.6.N, -rcN).
 *   ranges  OSV schema 1.6, "Evaluation" (IncludedInRanges, BeforeLimits).
 *
 * Strings are compared in place as (pointer, length) spans: no allocation,
 * no recursion, every loop bounded by the input length. Characters are
 * classified as ASCII regardless of locale, as dpkg and rpm do. */
#include "version.h"

#include <assert.h>
#include <limits.h>
#include <string.h>

#include "err.h"
#include "banned.h"

struct span {
	const char *p;
	size_t n;
};

struct scheme_ops {
	const char *name;
	int (*cmp)(const char *a, const char *b);
	bool (*valid)(const char *s);
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_alnum(char c)
{
	return is_digit(c) || is_alpha(c);
}

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

static struct span span_of(const char *p, size_t n)
{
	struct span s = { .p = p, .n = n };

	return s;
}

/* Bytewise comparison with strcmp's result for unequal lengths. */
static int span_cmp(struct span a, struct span b)
{
	size_t n = a.n < b.n ? a.n : b.n;
	int rc = n ? memcmp(a.p, b.p, n) : 0;

	if (rc)
		return sign(rc);
	return (a.n > b.n) - (a.n < b.n);
}

/* Compares two runs of ASCII digits as unbounded non-negative integers
 * (leading zeros ignored, the empty run is 0): never overflows. */
static int digits_cmp(struct span a, struct span b)
{
	while (a.n && *a.p == '0') {
		a.p++;
		a.n--;
	}
	while (b.n && *b.p == '0') {
		b.p++;
		b.n--;
	}
	if (a.n != b.n)
		return a.n < b.n ? -1 : 1;
	return span_cmp(a, b);
}

static bool all_digits(struct span s)
{
	for (size_t i = 0; i < s.n; i++)
		if (!is_digit(s.p[i]))
			return false;
	return true;
}

/* Length of the leading run of digits of s[0..n). */
static size_t digit_run(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && is_digit(s[i]))
		i++;
	return i;
}

/* dpkg */

/* dpkg's order(): digits 0 (they are compared apart), letters by ASCII,
 * '~' below everything including the end, other bytes after letters. Bytes
 * are unsigned here, so non-ASCII sorts after every ASCII non-letter. */
static int dpkg_order(struct span s, size_t i)
{
	unsigned char c;

	if (i >= s.n)
		return 0;
	c = (unsigned char)s.p[i];
	if (is_digit((char)c))
		return 0;
	if (is_alpha((char)c))
		return c;
	if (c == '~')
		return -1;
	return c + 256;
}

/* dpkg's verrevcmp() over spans. */
static int dpkg_verrevcmp(struct span a, struct span b)
{
	size_t i = 0, j = 0;

	while (i < a.n || j < b.n) {
		int first_diff = 0;

		while ((i < a.n && !is_digit(a.p[i])) ||
		       (j < b.n && !is_digit(b.p[j]))) {
			int ac = dpkg_order(a, i);
			int bc = dpkg_order(b, j);

			/* Equal orders are both non-zero here, so neither
			 * index is at its end. */
			if (ac != bc)
				return sign(ac - bc);
			i++;
			j++;
		}
		while (i < a.n && a.p[i] == '0')
			i++;
		while (j < b.n && b.p[j] == '0')
			j++;
		while (i < a.n && j < b.n && is_digit(a.p[i]) &&
		       is_digit(b.p[j])) {
			if (!first_diff)
				first_diff = a.p[i] - b.p[j];
			i++;
			j++;
		}
		if (i < a.n && is_digit(a.p[i]))
			return 1;
		if (j < b.n && is_digit(b.p[j]))
			return -1;
		if (first_diff)
			return sign(first_diff);
	}
	return 0;
}

struct dpkg_version {
	struct span epoch;
	struct span upstream;
	struct span revision;   /* empty when there is no '-' */
	bool has_epoch;
	bool has_revision;
};

/* parseversion(): the epoch ends at the first ':', the revision starts
 * after the last '-' of what follows. */
static void dpkg_split(struct dpkg_version *out, const char *s)
{
	const char *colon = strchr(s, ':');
	const char *ver = s;
	size_t len, h;

	out->has_epoch = colon != NULL;
	out->epoch = span_of(s, colon ? (size_t)(colon - s) : 0);
	if (colon)
		ver = colon + 1;
	len = strlen(ver);
	for (h = len; h > 0 && ver[h - 1] != '-'; h--)
		;
	out->has_revision = h > 0;
	if (h > 0) {
		out->upstream = span_of(ver, h - 1);
		out->revision = span_of(ver + h, len - h);
	} else {
		out->upstream = span_of(ver, len);
		out->revision = span_of(ver + len, 0);
	}
}

/* dpkg_version_compare(): epoch, upstream, revision; an absent epoch is 0
 * and an absent revision "" (which verrevcmp() equates with "0"). A
 * non-numeric epoch, which dpkg rejects, is ordered by verrevcmp() too.
 * The empty string is no version at all and sorts first, as in
 * "dpkg --compare-versions" (dpkg_version_is_informative()). */
static int dpkg_cmp(const char *a, const char *b)
{
	struct dpkg_version va, vb;
	int rc;

	if (!*a || !*b)
		return (*a != '\0') - (*b != '\0');
	dpkg_split(&va, a);
	dpkg_split(&vb, b);
	rc = dpkg_verrevcmp(va.epoch, vb.epoch);
	if (!rc)
		rc = dpkg_verrevcmp(va.upstream, vb.upstream);
	if (!rc)
		rc = dpkg_verrevcmp(va.revision, vb.revision);
	return rc;
}

static bool dpkg_upstream_char(char c)
{
	return is_alnum(c) || (c && strchr(".-+~:", c));
}

static bool dpkg_revision_char(char c)
{
	return is_alnum(c) || (c && strchr(".+~", c));
}

/* Valid when dpkg's parseversion() reports neither an error nor a
 * warning: numeric epoch <= INT_MAX, non-empty upstream starting with a
 * digit, only the characters dpkg allows, non-empty revision after '-'. */
static bool dpkg_valid(const char *s)
{
	struct dpkg_version v;
	unsigned long long epoch = 0;

	dpkg_split(&v, s);
	if (v.has_epoch) {
		if (!v.epoch.n || !all_digits(v.epoch))
			return false;
		for (size_t i = 0; i < v.epoch.n; i++) {
			epoch = epoch * 10 + (unsigned)(v.epoch.p[i] - '0');
			if (epoch > INT_MAX)
				return false;
		}
	}
	if (!v.upstream.n || !is_digit(v.upstream.p[0]))
		return false;
	for (size_t i = 0; i < v.upstream.n; i++)
		if (!dpkg_upstream_char(v.upstream.p[i]))
			return false;
	if (v.has_revision && !v.revision.n)
		return false;
	for (size_t i = 0; i < v.revision.n; i++)
		if (!dpkg_revision_char(v.revision.p[i]))
			return false;
	return true;
}

/* rpm */

static bool rpm_separator(char c)
{
	return !is_alnum(c) && c != '~' && c != '^';
}

/* rpmvercmp() over spans. */
static int rpm_vercmp(struct span a, struct span b)
{
	size_t i = 0, j = 0;

	if (a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0))
		return 0;
	while (i < a.n || j < b.n) {
		size_t si, sj;
		bool isnum;
		int rc;
		char ca, cb;

		while (i < a.n && rpm_separator(a.p[i]))
			i++;
		while (j < b.n && rpm_separator(b.p[j]))
			j++;
		ca = i < a.n ? a.p[i] : '\0';
		cb = j < b.n ? b.p[j] : '\0';

		/* '~' sorts before everything, even the end. */
		if (ca == '~' || cb == '~') {
			if (ca != '~')
				return 1;
			if (cb != '~')
				return -1;
			i++;
			j++;
			continue;
		}
		/* '^' sorts after the end of the base version but before
		 * anything else. */
		if (ca == '^' || cb == '^') {
			if (i >= a.n)
				return -1;
			if (j >= b.n)
				return 1;
			if (ca != '^')
				return 1;
			if (cb != '^')
				return -1;
			i++;
			j++;
			continue;
		}
		if (i >= a.n || j >= b.n)
			break;

		si = i;
		sj = j;
		isnum = is_digit(a.p[i]);
		if (isnum) {
			while (i < a.n && is_digit(a.p[i]))
				i++;
			while (j < b.n && is_digit(b.p[j]))
				j++;
		} else {
			while (i < a.n && is_alpha(a.p[i]))
				i++;
			while (j < b.n && is_alpha(b.p[j]))
				j++;
		}
		/* Segments of different types: numeric is newer. */
		if (sj == j)
			return isnum ? 1 : -1;
		if (isnum)
			rc = digits_cmp(span_of(a.p + si, i - si),
					span_of(b.p + sj, j - sj));
		else
			rc = span_cmp(span_of(a.p + si, i - si),
				      span_of(b.p + sj, j - sj));
		if (rc)
			return rc;
	}
	if (i >= a.n && j >= b.n)
		return 0;
	return i >= a.n ? -1 : 1;
}

struct rpm_evr {
	struct span epoch;      /* "0" when absent or empty */
	struct span version;
	struct span release;
	bool has_release;
};

/* parseEVR(): leading digits followed by ':' are the epoch; the release
 * follows the last '-'. */
static void rpm_split(struct rpm_evr *out, const char *s)
{
	const char *p = s;
	size_t len, h;

	while (is_digit(*p))
		p++;
	if (*p == ':' && p > s) {
		out->epoch = span_of(s, (size_t)(p - s));
		p++;
	} else {
		out->epoch = span_of("0", 1);
		p = *p == ':' ? p + 1 : s;
	}
	len = strlen(p);
	for (h = len; h > 0 && p[h - 1] != '-'; h--)
		;
	out->has_release = h > 0;
	if (h > 0) {
		out->version = span_of(p, h - 1);
		out->release = span_of(p + h, len - h);
	} else {
		out->version = span_of(p, len);
		out->release = span_of(p + len, 0);
	}
}

/* rpmverCmp() (rpm >= 4.16): epoch, version, release, each through
 * rpmvercmp(); an absent epoch is "0" and an absent release sorts below
 * any release (compare_values()), so "1.0" < "1.0-3". */
static int rpm_cmp(const char *a, const char *b)
{
	struct rpm_evr va, vb;
	int rc;

	rpm_split(&va, a);
	rpm_split(&vb, b);
	rc = rpm_vercmp(va.epoch, vb.epoch);
	if (!rc)
		rc = rpm_vercmp(va.version, vb.version);
	if (rc)
		return rc;
	if (va.has_release && vb.has_release)
		return rpm_vercmp(va.release, vb.release);
	return (int)va.has_release - (int)vb.has_release;
}

static bool rpm_char(char c)
{
	return is_alnum(c) || (c && strchr("._+~^", c));
}

static bool rpm_part_valid(struct span s)
{
	bool alnum = false;

	for (size_t i = 0; i < s.n; i++) {
		if (!rpm_char(s.p[i]))
			return false;
		alnum = alnum || is_alnum(s.p[i]);
	}
	return alnum;
}

/* [epoch:]version[-release]: numeric epoch, version and release made of
 * the characters rpmbuild accepts in Version/Release (less the macro
 * characters "%{}"), each with at least one alphanumeric, one '-' at
 * most. */
static bool rpm_valid(const char *s)
{
	struct rpm_evr v;
	const char *colon = strchr(s, ':');

	rpm_split(&v, s);
	if (colon && (colon == s || v.epoch.p != s))
		return false;
	if (!rpm_part_valid(v.version))
		return false;
	if (v.has_release && !rpm_part_valid(v.release))
		return false;
	return true;
}

/* semver */

struct semver {
	struct span core;       /* digits and dots: "1.2.3" */
	struct span pre;        /* without the '-' */
	bool has_pre;
};

/* Lenient split used for ordering: an optional 'v', as many dot-separated
 * numbers as there are, a pre-release after '-', build metadata after '+'
 * dropped. Anything else after the numbers ("1.2.3rc1", garbage) is read
 * as a pre-release, so every string gets a place in the order. */
static void semver_split(struct semver *out, const char *s)
{
	const char *p = s, *end;

	if (*p == 'v' || *p == 'V')
		p++;
	out->core.p = p;
	for (;;) {
		while (is_digit(*p))
			p++;
		if (*p == '.' && is_digit(p[1]))
			p++;
		else
			break;
	}
	out->core.n = (size_t)(p - out->core.p);
	end = strchr(p, '+');
	if (!end)
		end = p + strlen(p);
	out->has_pre = end > p;
	if (*p == '-')
		p++;
	out->pre = span_of(p, out->has_pre ? (size_t)(end - p) : 0);
}

/* Next dot-separated number of a core; the missing ones are 0. */
static struct span core_next(struct span *core)
{
	size_t n = digit_run(core->p, core->n);
	struct span num = span_of(core->p, n);

	if (n < core->n)
		n++;    /* the '.' */
	core->p += n;
	core->n -= n;
	return num;
}

/* Alphanumeric identifiers in natural order: bytes by value, except that
 * a run of digits is one symbol that sorts where a digit byte would and
 * against another run by its number ("rc" < "rc9" < "rc10" < "rc93",
 * "rc-1" < "rc9"). Strict SemVer differs only where both sides have a
 * digit run at the same place. A lexicographic order over a total order
 * of symbols, so it stays transitive. */
static int natural_cmp(struct span a, struct span b)
{
	size_t i = 0, j = 0;

	while (i < a.n && j < b.n) {
		bool da = is_digit(a.p[i]), db = is_digit(b.p[j]);
		unsigned char ca, cb;

		if (da && db) {
			size_t ei = i + digit_run(a.p + i, a.n - i);
			size_t ej = j + digit_run(b.p + j, b.n - j);
			int rc = digits_cmp(span_of(a.p + i, ei - i),
					    span_of(b.p + j, ej - j));

			if (rc)
				return rc;
			i = ei;
			j = ej;
			continue;
		}
		ca = da ? '0' : (unsigned char)a.p[i];
		cb = db ? '0' : (unsigned char)b.p[j];
		if (ca != cb)
			return ca < cb ? -1 : 1;
		i++;
		j++;
	}
	return (i < a.n) - (j < b.n);
}

/* SemVer §11.4: numeric identifiers numerically and below alphanumeric
 * ones, alphanumeric ones in natural order (the deviation above). */
static int semver_ident_cmp(struct span a, struct span b)
{
	bool anum = a.n && all_digits(a);
	bool bnum = b.n && all_digits(b);

	if (anum && bnum)
		return digits_cmp(a, b);
	if (anum || bnum)
		return anum ? -1 : 1;
	return natural_cmp(a, b);
}

/* Next dot-separated pre-release identifier; *more turns false after the
 * last one. */
static struct span pre_next(struct span *pre, bool *more)
{
	const char *dot = pre->n ? memchr(pre->p, '.', pre->n) : NULL;
	struct span id;

	if (!dot) {
		id = *pre;
		pre->p += pre->n;
		pre->n = 0;
		*more = false;
		return id;
	}
	id = span_of(pre->p, (size_t)(dot - pre->p));
	pre->n -= id.n + 1;
	pre->p = dot + 1;
	return id;
}

static int semver_cmp(const char *a, const char *b)
{
	struct semver va, vb;
	bool amore, bmore;
	int rc;

	semver_split(&va, a);
	semver_split(&vb, b);
	while (va.core.n || vb.core.n) {
		rc = digits_cmp(core_next(&va.core), core_next(&vb.core));
		if (rc)
			return rc;
	}
	/* §11.3: a pre-release is older than its release. */
	if (!va.has_pre || !vb.has_pre)
		return (int)vb.has_pre - (int)va.has_pre;
	amore = bmore = true;
	while (amore && bmore) {
		struct span ia = pre_next(&va.pre, &amore);
		struct span ib = pre_next(&vb.pre, &bmore);

		rc = semver_ident_cmp(ia, ib);
		if (rc)
			return rc;
	}
	/* §11.4.4: more identifiers, all else equal, is newer. */
	return (int)amore - (int)bmore;
}

static bool semver_ident_char(char c)
{
	return is_alnum(c) || c == '-';
}

/* Dot-separated non-empty identifiers of [0-9A-Za-z-], ending at '+' or
 * the end; numeric pre-release identifiers without leading zeros. */
static const char *semver_idents(const char *p, bool numeric_rule)
{
	for (;;) {
		const char *start = p;

		while (semver_ident_char(*p))
			p++;
		if (p == start)
			return NULL;
		if (numeric_rule && *start == '0' && p - start > 1 &&
		    all_digits(span_of(start, (size_t)(p - start))))
			return NULL;
		if (*p != '.')
			return p;
		p++;
	}
}

/* Numbers without leading zeros ("0" alone is fine), separated by '.';
 * returns the end, or NULL; *count gets how many were read, at most max. */
static const char *numbers(const char *p, int max, int *count)
{
	*count = 0;
	for (;;) {
		size_t n = 0;

		while (is_digit(p[n]))
			n++;
		if (!n || (p[0] == '0' && n > 1))
			return NULL;
		p += n;
		if (++*count == max || *p != '.' || !is_digit(p[1]))
			return p;
		p++;
	}
}

/* SemVer 2.0 with an optional 'v', plus Go's shorthands "1" and "1.2"
 * (which take no pre-release or build). Numbers have no leading zeros. */
static bool semver_valid(const char *s)
{
	const char *p = s;
	int count;

	if (*p == 'v')
		p++;
	p = numbers(p, 3, &count);
	if (!p)
		return false;
	if (count < 3)
		return *p == '\0';
	if (*p == '-') {
		p = semver_idents(p + 1, true);
		if (!p)
			return false;
	}
	if (*p == '+') {
		p = semver_idents(p + 1, false);
		if (!p)
			return false;
	}
	return *p == '\0';
}

/* kernel */

struct kernel_version {
	struct span core;       /* "6.1.76" */
	struct span rc;         /* digits of "-rcN" */
	bool has_rc;
};

/* Numbers up to the first byte that cannot continue them; "-rcN" right
 * after them; everything else (a distro's "-1-amd64", "+deb12-amd64",
 * "-generic", a "+" of an unclean tree) is ignored for ordering. */
static void kernel_split(struct kernel_version *out, const char *s)
{
	const char *p = s;

	if (*p == 'v')
		p++;
	out->core.p = p;
	for (;;) {
		while (is_digit(*p))
			p++;
		if (*p == '.' && is_digit(p[1]))
			p++;
		else
			break;
	}
	out->core.n = (size_t)(p - out->core.p);
	out->has_rc = p[0] == '-' && p[1] == 'r' && p[2] == 'c' &&
		      is_digit(p[3]);
	out->rc = span_of(p + 3, 0);
	while (out->has_rc && is_digit(out->rc.p[out->rc.n]))
		out->rc.n++;
}

static int kernel_cmp(const char *a, const char *b)
{
	struct kernel_version va, vb;
	int rc;

	kernel_split(&va, a);
	kernel_split(&vb, b);
	while (va.core.n || vb.core.n) {
		rc = digits_cmp(core_next(&va.core), core_next(&vb.core));
		if (rc)
			return rc;
	}
	if (!va.has_rc || !vb.has_rc)
		return (int)vb.has_rc - (int)va.has_rc;
	return digits_cmp(va.rc, vb.rc);
}

static bool kernel_suffix_char(char c)
{
	return is_alnum(c) || (c && strchr("._+~-", c));
}

/* Optional 'v', two to four numbers without leading zeros, optional
 * "-rcN" (N > 0), then optionally a suffix after '-' or '+' made of
 * [A-Za-z0-9._+~-]. */
static bool kernel_valid(const char *s)
{
	const char *p = s;
	int count;

	if (*p == 'v')
		p++;
	p = numbers(p, 4, &count);
	if (!p || count < 2)
		return false;
	if (p[0] == '-' && p[1] == 'r' && p[2] == 'c' && is_digit(p[3])) {
		if (p[3] == '0')
			return false;
		p += 3;
		while (is_digit(*p))
			p++;
	}
	if (*p == '\0')
		return true;
	if ((*p != '-' && *p != '+'))
		return false;
	if (*p == '+' && p[1] == '\0')
		return true;    /* "6.8.0+": a tree with local changes */
	for (p++; *p; p++)
		if (!kernel_suffix_char(*p))
			return false;
	return p[-1] != '-';
}

/* schemes */

static const struct scheme_ops schemes[VERSION_SCHEME_COUNT] = {
	[VERSION_DPKG] = { .name = "dpkg", .cmp = dpkg_cmp,
			   .valid = dpkg_valid },
	[VERSION_RPM] = { .name = "rpm", .cmp = rpm_cmp,
			  .valid = rpm_valid },
	[VERSION_SEMVER] = { .name = "semver", .cmp = semver_cmp,
			     .valid = semver_valid },
	[VERSION_KERNEL] = { .name = "kernel", .cmp = kernel_cmp,
			     .valid = kernel_valid },
};

static const struct scheme_ops *scheme_ops(enum version_scheme scheme)
{
	assert((unsigned)scheme < VERSION_SCHEME_COUNT);
	if ((unsigned)scheme >= VERSION_SCHEME_COUNT)
		return NULL;
	return &schemes[scheme];
}

const char *version_scheme_name(enum version_scheme scheme)
{
	const struct scheme_ops *ops = scheme_ops(scheme);

	return ops ? ops->name : "unknown";
}

int version_scheme_parse(enum version_scheme *out, const char *name)
{
	assert(out);
	if (!name)
		return ERR_NOTFOUND;
	for (size_t i = 0; i < VERSION_SCHEME_COUNT; i++) {
		if (strcmp(name, schemes[i].name) == 0) {
			*out = (enum version_scheme)i;
			return 0;
		}
	}
	return ERR_NOTFOUND;
}

int version_cmp(enum version_scheme scheme, const char *a, const char *b)
{
	const struct scheme_ops *ops = scheme_ops(scheme);

	if (!a)
		a = "";
	if (!b)
		b = "";
	if (!ops)
		return sign(strcmp(a, b));
	return sign(ops->cmp(a, b));
}

bool version_valid(enum version_scheme scheme, const char *s)
{
	const struct scheme_ops *ops = scheme_ops(scheme);

	if (!ops || !s || !*s)
		return false;
	return ops->valid(s);
}

/* ranges */

static bool unset(const char *s)
{
	return !s || !*s;
}

/* introduced "0" (and an empty one) sorts before every version. */
static bool from_start(const char *introduced)
{
	return unset(introduced) || strcmp(introduced, "0") == 0;
}

/* A limit containing '*' is infinity (OSV schema, "Special values"). */
static bool below_limit(enum version_scheme scheme, const char *limit,
			const char *v)
{
	return strchr(limit, '*') || version_cmp(scheme, v, limit) < 0;
}

/* The sort key of the OSV walk: the version, with introduced "0" lowest. */
static int event_order(enum version_scheme scheme,
		       const struct version_event *a,
		       const struct version_event *b)
{
	bool za = a->kind == VERSION_EV_INTRODUCED && from_start(a->version);
	bool zb = b->kind == VERSION_EV_INTRODUCED && from_start(b->version);

	if (za || zb)
		return (int)zb - (int)za;
	return version_cmp(scheme, a->version, b->version);
}

bool version_range_affects(enum version_scheme scheme,
			   const struct version_event *events, size_t n,
			   const char *v)
{
	const struct version_event *last = NULL;
	bool has_limit = false, before_limits = false;

	if (!v || !events)
		return false;
	/* The schema's walk over the events sorted by version ends in the
	 * state set by the last event that fires (introduced when
	 * v >= introduced, fixed when v >= fixed, last_affected when
	 * v > last_affected). With a stable sort, as Python's sorted(), that
	 * is the firing event with the highest version, the later one in
	 * the input on a tie; one pass finds it without sorting a copy. */
	for (size_t i = 0; i < n; i++) {
		const struct version_event *e = &events[i];
		bool fires;

		switch (e->kind) {
		case VERSION_EV_INTRODUCED:
			fires = from_start(e->version) ||
				version_cmp(scheme, v, e->version) >= 0;
			break;
		case VERSION_EV_FIXED:
			fires = !unset(e->version) &&
				version_cmp(scheme, v, e->version) >= 0;
			break;
		case VERSION_EV_LAST_AFFECTED:
			fires = !unset(e->version) &&
				version_cmp(scheme, v, e->version) > 0;
			break;
		case VERSION_EV_LIMIT:
			if (unset(e->version))
				continue;
			has_limit = true;
			if (below_limit(scheme, e->version, v))
				before_limits = true;
			continue;
		default:
			continue;
		}
		if (fires && (!last || event_order(scheme, e, last) >= 0))
			last = e;
	}
	/* BeforeLimits(): below at least one limit, when there are any. */
	if (has_limit && !before_limits)
		return false;
	return last && last->kind == VERSION_EV_INTRODUCED;
}

bool version_interval_affects(enum version_scheme scheme,
			      const char *introduced, const char *fixed,
			      const char *last_affected, const char *limit,
			      const char *v)
{
	if (!v)
		return false;
	if (!from_start(introduced) && version_cmp(scheme, v, introduced) < 0)
		return false;
	if (!unset(fixed) && version_cmp(scheme, v, fixed) >= 0)
		return false;
	if (!unset(last_affected) && version_cmp(scheme, v, last_affected) > 0)
		return false;
	if (!unset(limit) && !below_limit(scheme, limit, v))
		return false;
	return true;
}
