/* fuzz_version.c - libFuzzer target of the version comparators and OSV
 * range evaluation (src/version.c: dpkg per Debian policy §5.6.12, rpm's
 * rpmvercmp(), SemVer 2.0 as Go writes it, kernel versions; the OSV
 * schema's range evaluation).
 *
 * Input: the first byte picks the scheme; the rest is split at '\n' into
 * three versions a, b, c and then events, one a line, whose first
 * character picks the kind ('i' introduced, 'f' fixed, 'l' last_affected,
 * 'L' limit) and whose rest is the version. Every comparator must be a
 * total order, so each input checks reflexivity, antisymmetry and
 * transitivity on a, b and c, and abort()s when one fails (so libFuzzer
 * reports it). The flattened interval evaluation the store uses must
 * agree with the OSV walk on the same single interval. Seeds:
 * tests/fuzz/corpus/version/, versions from the feed fixtures and the
 * unit tests. */
#include "fuzz.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "version.h"
#include "xalloc.h"

#include "banned.h"

#define MAX_EVENTS 64

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

static void check_order(enum version_scheme s, const char *a, const char *b,
			const char *c)
{
	const char *v[3] = { a, b, c };
	int ab = sign(version_cmp(s, a, b)), bc = sign(version_cmp(s, b, c));
	int ac = sign(version_cmp(s, a, c));
	int i, j;

	for (i = 0; i < 3; i++) {
		if (version_cmp(s, v[i], v[i]) != 0)
			fuzz_fail("%s: '%s' is not equal to itself",
				  version_scheme_name(s), v[i]);
		for (j = 0; j < 3; j++)
			if (sign(version_cmp(s, v[i], v[j])) != -sign(version_cmp(s, v[j], v[i])))
				fuzz_fail("%s: cmp('%s', '%s') = %d but cmp('%s', '%s') = %d",
					  version_scheme_name(s), v[i], v[j],
					  version_cmp(s, v[i], v[j]), v[j], v[i],
					  version_cmp(s, v[j], v[i]));
	}
	/* a <= b <= c implies a <= c, strictly when either step is. */
	if (ab <= 0 && bc <= 0 && ac != ((ab < 0 || bc < 0) ? -1 : 0))
		fuzz_fail("%s: not transitive: '%s' %s '%s' %s '%s' but cmp(a, c) = %d",
			  version_scheme_name(s), a, ab < 0 ? "<" : "=", b,
			  bc < 0 ? "<" : "=", c, ac);
	if (ab >= 0 && bc >= 0 && ac != ((ab > 0 || bc > 0) ? 1 : 0))
		fuzz_fail("%s: not transitive: '%s' %s '%s' %s '%s' but cmp(a, c) = %d",
			  version_scheme_name(s), a, ab > 0 ? ">" : "=", b,
			  bc > 0 ? ">" : "=", c, ac);
}

/* One interval [a, b) (or [a, b], or [a, limit b)) evaluated at c both
 * ways: as an OSV range of two events and as the stored row. */
static void check_interval(enum version_scheme s, const char *a, const char *b,
			   const char *c)
{
	struct version_event ev[2] = { { VERSION_EV_INTRODUCED, a } };
	bool from_start = !*a || !strcmp(a, "0");

	if (!*b || (!from_start && version_cmp(s, a, b) > 0))
		return;
	ev[1].version = b;
	ev[1].kind = VERSION_EV_FIXED;
	if (version_range_affects(s, ev, 2, c) !=
	    version_interval_affects(s, a, b, NULL, NULL, c))
		fuzz_fail("%s: introduced '%s' fixed '%s' at '%s': range and interval disagree",
			  version_scheme_name(s), a, b, c);
	ev[1].kind = VERSION_EV_LAST_AFFECTED;
	if (version_range_affects(s, ev, 2, c) !=
	    version_interval_affects(s, a, NULL, b, NULL, c))
		fuzz_fail("%s: introduced '%s' last_affected '%s' at '%s': range and interval disagree",
			  version_scheme_name(s), a, b, c);
	ev[1].kind = VERSION_EV_LIMIT;
	if (version_range_affects(s, ev, 2, c) !=
	    version_interval_affects(s, a, NULL, NULL, b, c))
		fuzz_fail("%s: introduced '%s' limit '%s' at '%s': range and interval disagree",
			  version_scheme_name(s), a, b, c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct version_event events[MAX_EVENTS];
	static char empty[] = "";
	char *text, *line[3 + MAX_EVENTS], *p, *nl;
	size_t nlines = 0, nevents = 0, i;
	enum version_scheme s;

	if (size < 1)
		return 0;
	s = (enum version_scheme)(data[0] % VERSION_SCHEME_COUNT);
	/* NUL-terminated copy: the comparators take C strings. */
	text = xstrndup((const char *)data + 1, size - 1);
	for (p = text; nlines < sizeof(line) / sizeof(line[0]); p = nl + 1) {
		line[nlines++] = p;
		nl = strchr(p, '\n');
		if (!nl)
			break;
		*nl = '\0';
	}
	while (nlines < 3)
		line[nlines++] = empty;
	for (i = 0; i < 3; i++)
		(void)version_valid(s, line[i]);
	check_order(s, line[0], line[1], line[2]);
	check_interval(s, line[0], line[1], line[2]);
	check_interval(s, line[1], line[2], line[0]);
	for (i = 3; i < nlines; i++) {
		static const char kinds[] = "ifl" "L";
		const char *k = line[i][0] ? strchr(kinds, line[i][0]) : NULL;

		if (!k)
			continue;
		events[nevents].kind = (enum version_event_kind)(k - kinds);
		events[nevents].version = line[i] + 1;
		nevents++;
	}
	for (i = 0; i < 3; i++) {
		bool hit = version_range_affects(s, events, nevents, line[i]);

		/* No events, or no introduced at all: nothing is affected. */
		if (hit && nevents == 0)
			fuzz_fail("affected by an empty range");
	}
	free(text);
	return 0;
}
