/* config.c - reads slipway.conf (DESIGN.md §9) with libinih and checks
 * every value, naming file and line of the first problem.
 *
 * libinih as Debian ships it (r55) has no line numbers in its handler, no
 * callback for a section header and a fixed 200-byte line buffer. So the
 * text is fed through our own reader, which counts lines, refuses lines the
 * buffer cannot hold, and recognises section headers and indented lines the
 * same way ini_parse_stream() does (ini.c, r55) before handing each line
 * on. libinih then splits "key = value" and strips comments; its handler
 * is always called for the line the reader returned last. The first error
 * stops the reader, so the message names the first bad line. */
#include "config.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ini.h>
#include <libical/ical.h>

#include "buf.h"
#include "xalloc.h"
#include "banned.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define DAY	      ((int64_t)86400)
#define ZONEINFO_DIR  "/usr/share/zoneinfo"
#define SYSTEM_CONFIG "/etc/slipway/slipway.conf"
#define ROOT_DATABASE "/var/lib/slipway/slipway.db"
#define PATH_BUF_MAX  8192
#define NAME_MAX_LEN  128
#define LABEL_MAX     (NAME_MAX_LEN + 32)
#define MAX_KEYS      16

/* What a value is; each has one entry in value_types[]. */
enum value_type {
	V_PATH,
	V_INT,
	V_DURATION,
	V_SIZE,
	V_BOOL,
	V_CLOCK,
	V_DATE,
	V_TIMEZONE,
	V_RRULE,
	V_URL,
	V_MIRROR,
	V_ENGINE,
	V_WINDOW,
	V_GLOBS,
	V_DATES,
	V_TAGS,
	V_CONTAINERS,
	V_IMAGES,
};

/* One key of a section: where its value goes and what it may be. */
struct key_def {
	const char *name;
	enum value_type type;
	size_t offset;	  /* into the section's struct */
	int64_t min, max; /* V_INT, V_DURATION, V_SIZE; max 0: no limit */
	bool required;	  /* the section needs the key */
	bool nonempty;	  /* a list that must name at least one item */
};

enum section_type {
	SEC_NONE = -1,
	SEC_SLIPWAY,
	SEC_POLICY,
	SEC_FEED,
	SEC_WINDOW,
	SEC_FREEZE,
	SEC_HOST,
	SEC_GROUP,
	SEC_COUNT
};

struct section_def {
	const char *type;
	bool named;
	bool (*name_ok)(const char *name);
	const char *name_hint;
	const struct key_def *keys;
	size_t nkeys;
};

/* A section seen so far, in a hash table by (type, name): finds duplicate
 * sections and the target of a host's 'window' without a scan. */
struct seen {
	const char *name; /* borrowed from the config ("" when unnamed) */
	unsigned long hash;
	int type;
	int line;
};

/* A host's 'window', checked once every window is known. */
struct window_ref {
	size_t host;
	int line;
};

struct parser {
	struct config *cfg;
	const char *name; /* the input's name in messages */
	const char *text;
	size_t len, pos;
	int lineno; /* the line the reader returned last */
	struct err *err;
	bool failed;
	bool continuation; /* the current line continues the last key */

	enum section_type sec;
	size_t idx; /* element of a named section's array */
	int sec_line;
	char label[LABEL_MAX];	/* "[window sunday]" */
	int key_line[MAX_KEYS]; /* where each key of sec was set, 0: not */
	const struct key_def *last_key;

	size_t alloc[SEC_COUNT]; /* allocated elements of each array */
	struct seen *seen;
	size_t nseen_slots, nseen;
	struct window_ref *refs;
	size_t nrefs, refs_alloc;
};

static int fail(struct parser *p, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Records the first error as "NAME:LINE: message" and stops the reader. */
static int fail(struct parser *p, int line, const char *fmt, ...)
{
	char msg[ERR_MSG_MAX];
	va_list ap;

	if (p->failed)
		return -1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	err_set(p->err, ERR_CONFIG, "%s:%d: %s", p->name, line, msg);
	p->failed = true;
	return -1;
}

/* ---- names ---------------------------------------------------------- */

static bool feed_name_ok(const char *s)
{
	size_t n = 0;

	for (; *s; s++, n++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '-'))
			return false;
	return n > 0 && n <= NAME_MAX_LEN;
}

/* Window, freeze, host and group names: host names, IP addresses and
 * plain words, never anything that INI or a comma list would split. */
static bool name_ok(const char *s)
{
	size_t n = 0;

	for (; *s; s++, n++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || strchr("-_.:@", *s)))
			return false;
	return n > 0 && n <= NAME_MAX_LEN;
}

static unsigned long name_hash(int type, const char *name)
{
	unsigned long h = 2166136261UL ^ (unsigned long)type;

	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * 16777619UL;
	return h;
}

static const struct seen *seen_find(const struct parser *p, int type,
				    const char *name)
{
	unsigned long h = name_hash(type, name);
	size_t i;

	if (!p->nseen_slots)
		return NULL;
	for (i = h & (p->nseen_slots - 1); p->seen[i].name;
	     i = (i + 1) & (p->nseen_slots - 1))
		if (p->seen[i].hash == h && p->seen[i].type == type &&
		    strcmp(p->seen[i].name, name) == 0)
			return &p->seen[i];
	return NULL;
}

static void seen_add(struct parser *p, int type, const char *name, int line)
{
	size_t i;

	if ((p->nseen + 1) * 2 > p->nseen_slots) {
		struct seen *old = p->seen;
		size_t nold = p->nseen_slots;

		p->nseen_slots = nold ? nold * 2 : 64;
		p->seen = xcalloc(p->nseen_slots, sizeof(*p->seen));
		p->nseen = 0;
		for (i = 0; i < nold; i++)
			if (old[i].name)
				seen_add(p, old[i].type, old[i].name,
					 old[i].line);
		free(old);
	}
	i = name_hash(type, name) & (p->nseen_slots - 1);
	while (p->seen[i].name)
		i = (i + 1) & (p->nseen_slots - 1);
	p->seen[i] = (struct seen){ .name = name,
				    .hash = name_hash(type, name),
				    .type = type,
				    .line = line };
	p->nseen++;
}

/* ---- value syntax --------------------------------------------------- */

int config_parse_duration(int64_t *out, const char *s)
{
	int64_t v = 0, unit = 1;
	const char *c = s;

	if (!s || *c < '0' || *c > '9')
		return ERR_PARSE;
	for (; *c >= '0' && *c <= '9'; c++) {
		if (v > (INT64_MAX - (*c - '0')) / 10)
			return ERR_PARSE;
		v = v * 10 + (*c - '0');
	}
	switch (*c) {
	case '\0':
		break;
	case 's':
		c++;
		break;
	case 'm':
		unit = 60;
		c++;
		break;
	case 'h':
		unit = 3600;
		c++;
		break;
	case 'd':
		unit = DAY;
		c++;
		break;
	default:
		return ERR_PARSE;
	}
	if (*c || v > INT64_MAX / unit)
		return ERR_PARSE;
	*out = v * unit;
	return 0;
}

/* Digits only, no sign: "5" -> 5. */
static int parse_uint(int64_t *out, const char *s, const char **end)
{
	int64_t v = 0;
	const char *c = s;

	if (*c < '0' || *c > '9')
		return ERR_PARSE;
	for (; *c >= '0' && *c <= '9'; c++) {
		if (v > (INT64_MAX - (*c - '0')) / 10)
			return ERR_PARSE;
		v = v * 10 + (*c - '0');
	}
	*out = v;
	*end = c;
	return 0;
}

/* "65536", "512k", "100M", "2G": bytes, with 1024-based suffixes. */
static int parse_size(int64_t *out, const char *s)
{
	int64_t v, unit = 1;
	const char *c;

	if (parse_uint(&v, s, &c))
		return ERR_PARSE;
	switch (*c) {
	case '\0':
		break;
	case 'k':
	case 'K':
		unit = (int64_t)1 << 10;
		c++;
		break;
	case 'M':
		unit = (int64_t)1 << 20;
		c++;
		break;
	case 'G':
		unit = (int64_t)1 << 30;
		c++;
		break;
	default:
		return ERR_PARSE;
	}
	if (*c || v > INT64_MAX / unit)
		return ERR_PARSE;
	*out = v * unit;
	return 0;
}

static bool two_digits(const char *s, int *out)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return false;
	*out = (s[0] - '0') * 10 + (s[1] - '0');
	return true;
}

/* "2:00", "02:00" .. "23:59" -> minutes after midnight. */
static bool parse_clock(int *out, const char *s)
{
	int h, m;

	if (s[0] >= '0' && s[0] <= '9' && s[1] == ':') {
		h = s[0] - '0';
		s += 2;
	} else if (two_digits(s, &h) && s[2] == ':') {
		s += 3;
	} else {
		return false;
	}
	if (!two_digits(s, &m) || s[2] || h > 23 || m > 59)
		return false;
	*out = h * 60 + m;
	return true;
}

/* YYYY-MM-DD naming a day of the Gregorian calendar, 1970..9999. */
static bool date_ok(const char *s)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31 };
	int hi, lo, y, m, d, last;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    !two_digits(s, &hi) || !two_digits(s + 2, &lo) ||
	    !two_digits(s + 5, &m) || !two_digits(s + 8, &d))
		return false;
	y = hi * 100 + lo;
	if (y < 1970 || m < 1 || m > 12 || d < 1)
		return false;
	last = mdays[m - 1];
	if (m == 2 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		last = 29;
	return d <= last;
}

/* An IANA name with a TZif file under /usr/share/zoneinfo. The name is
 * joined to a path, so it may not climb out of the directory. */
static bool timezone_ok(const char *tz)
{
	struct buf path;
	struct stat st;
	char magic[4];
	const char *c;
	bool ok = false;
	int fd;

	if (strcmp(tz, "UTC") == 0)
		return true;
	if (!*tz || tz[0] == '/' || strstr(tz, ".."))
		return false;
	for (c = tz; *c; c++)
		if (!(isalnum((unsigned char)*c) || strchr("/_+-.", *c)) ||
		    (unsigned char)*c >= 0x80)
			return false;
	buf_init(&path, PATH_BUF_MAX);
	if (buf_addf(&path, "%s/%s", ZONEINFO_DIR, tz))
		goto out;
	/* O_NONBLOCK: a FIFO must not hang the parser before fstat sees it */
	fd = open(path.ptr, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		goto out;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    read(fd, magic, sizeof(magic)) == (ssize_t)sizeof(magic) &&
	    memcmp(magic, "TZif", sizeof(magic)) == 0)
		ok = true;
	close(fd);
out:
	buf_release(&path);
	return ok;
}

/* No spaces or control characters: a list item, a URL, an engine. */
static bool is_word(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7f)
			return false;
	return true;
}

static bool has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool url_with(const char *s, const char *const *schemes, size_t n)
{
	size_t i;

	if (!is_word(s))
		return false;
	for (i = 0; i < n; i++)
		if (has_prefix(s, schemes[i]) && s[strlen(schemes[i])])
			return true;
	return false;
}

static bool url_ok(const char *s)
{
	static const char *const schemes[] = { "https://" };

	return url_with(s, schemes, ARRAY_SIZE(schemes));
}

static bool mirror_ok(const char *s)
{
	static const char *const schemes[] = { "https://", "http://" };

	return url_with(s, schemes, ARRAY_SIZE(schemes));
}

static bool engine_ok(const char *s)
{
	static const char *const schemes[] = { "unix://", "tcp://", "ssh://" };

	return url_with(s, schemes, ARRAY_SIZE(schemes));
}

/* libical parses the RRULE the planner will expand; a rule it cannot
 * read comes back with ICAL_NO_RECURRENCE (RFC 5545 3.3.10). */
static bool rrule_ok(const char *s)
{
	struct icalrecurrencetype r;

	if (!strstr(s, "FREQ="))
		return false;
	r = icalrecurrencetype_from_string(s);
	return r.freq != ICAL_NO_RECURRENCE;
}

/* Host patterns and tags: fnmatch(3) patterns and words. Spaces and '='
 * are refused so that an indented "key = value" line can never become a
 * list item by accident. */
static bool glob_ok(const char *s)
{
	return is_word(s) && !strchr(s, '=');
}

/* An image reference as Docker writes one (repo[:tag][@digest]) or a bare
 * digest: no spaces, no shell or INI punctuation. */
static bool image_ok(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > 255)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._-:/@", *s))
			return false;
	return true;
}

static bool container_ok(const char *s)
{
	const char *slash;

	if (has_prefix(s, "compose:")) {
		s += strlen("compose:");
		slash = strchr(s, '/');
		return slash && slash > s && slash[1] &&
		       !strchr(slash + 1, '/');
	}
	if (has_prefix(s, "swarm:"))
		return s[strlen("swarm:")] != '\0';
	if (has_prefix(s, "label:")) {
		s += strlen("label:");
		return *s && *s != '=' && strchr(s, '=');
	}
	return false;
}

/* ---- setting values -------------------------------------------------- */

struct value_type_def {
	const char *what; /* "bad WHAT 'value' for 'key'" */
	const char *hint;
	bool list;
	bool (*ok)(const char *value); /* syntax of a value or list item */
};

static const struct value_type_def value_types[] = {
	[V_PATH] = { .what = "path" },
	[V_INT] = { .what = "number", .hint = "use a whole number" },
	[V_DURATION] = { .what = "duration", .hint = "use 30s, 15m, 4h or 7d" },
	[V_SIZE] = { .what = "size",
		     .hint = "use bytes, or k, M or G as in 512k or 100M" },
	[V_BOOL] = { .what = "boolean", .hint = "use yes or no" },
	[V_CLOCK] = { .what = "time", .hint = "use HH:MM from 00:00 to 23:59" },
	[V_DATE] = { .what = "date",
		     .hint = "use a real date as YYYY-MM-DD",
		     .ok = date_ok },
	[V_TIMEZONE] = { .what = "time zone",
			 .hint = "use an IANA name such as Europe/Berlin",
			 .ok = timezone_ok },
	[V_RRULE] = { .what = "rrule",
		      .hint = "use an iCalendar RRULE such as "
			      "FREQ=WEEKLY;BYDAY=SU",
		      .ok = rrule_ok },
	[V_URL] = { .what = "url", .hint = "use https://", .ok = url_ok },
	[V_MIRROR] = { .what = "url",
		       .hint = "use https:// or http://",
		       .ok = mirror_ok },
	[V_ENGINE] = { .what = "engine",
		       .hint = "use unix://, tcp:// or ssh://",
		       .ok = engine_ok },
	[V_WINDOW] = { .what = "window name",
		       .hint = "use the name of a [window]",
		       .ok = name_ok },
	[V_GLOBS] = { .what = "host pattern",
		      .hint = "use glob patterns such as web-*",
		      .list = true,
		      .ok = glob_ok },
	[V_DATES] = { .what = "date",
		      .hint = "use real dates as YYYY-MM-DD",
		      .list = true,
		      .ok = date_ok },
	[V_TAGS] = { .what = "tag",
		     .hint = "use words without spaces",
		     .list = true,
		     .ok = glob_ok },
	[V_IMAGES] = { .what = "image",
		       .hint = "use image references or digests such as "
			       "sha256:... or repo@sha256:...",
		       .list = true,
		       .ok = image_ok },
	[V_CONTAINERS] = { .what = "container selector",
			   .hint = "use compose:PROJECT/SERVICE, swarm:NAME "
				   "or label:KEY=VALUE",
			   .list = true,
			   .ok = container_ok },
};

static int bad_value(struct parser *p, const struct key_def *k,
		     const char *value, const char *hint)
{
	return fail(p, p->lineno, "bad %s '%s' for '%s' in %s (%s)",
		    value_types[k->type].what, value, k->name, p->label,
		    hint ? hint : value_types[k->type].hint);
}

static void format_duration(char *out, size_t size, int64_t s)
{
	if (s % DAY == 0)
		snprintf(out, size, "%lldd", (long long)(s / DAY));
	else if (s % 3600 == 0)
		snprintf(out, size, "%lldh", (long long)(s / 3600));
	else if (s % 60 == 0)
		snprintf(out, size, "%lldm", (long long)(s / 60));
	else
		snprintf(out, size, "%llds", (long long)s);
}

/* Checks a number against the key's limits; the hint says them. Every
 * duration key has a minimum of 0 or 1 second. */
static int check_range(struct parser *p, const struct key_def *k,
		       const char *value, int64_t v)
{
	int64_t max =
		k->max ? k->max : (k->type == V_INT ? INT_MAX : INT64_MAX);
	char hint[96], most[32];

	if (v >= k->min && v <= max)
		return 0;
	if (k->type == V_DURATION) {
		assert(k->min <= 1);
		format_duration(most, sizeof(most), max);
		snprintf(hint, sizeof(hint), "must be more than 0%s%s",
			 k->max ? " and at most " : "", k->max ? most : "");
	} else if (k->max || v > max) {
		snprintf(hint, sizeof(hint), "must be from %lld to %lld",
			 (long long)k->min, (long long)max);
	} else {
		snprintf(hint, sizeof(hint), "must be at least %lld",
			 (long long)k->min);
	}
	return bad_value(p, k, value, hint);
}

static size_t list_len(char *const *list)
{
	size_t n = 0;

	while (list[n])
		n++;
	return n;
}

/* Appends the items of a comma list, trimmed; empty items are skipped so
 * a list may end with a comma before its continuation line. */
static int add_items(struct parser *p, const struct key_def *k, char ***list,
		     const char *value)
{
	const struct value_type_def *t = &value_types[k->type];
	const char *item = value, *end, *comma;
	size_t n = list_len(*list);
	char *copy;
	int rc;

	for (;; item = comma + 1) {
		comma = strchr(item, ',');
		end = comma ? comma : item + strlen(item);
		while (item < end && isspace((unsigned char)*item))
			item++;
		while (end > item && isspace((unsigned char)end[-1]))
			end--;
		if (end > item) {
			copy = xstrndup(item, (size_t)(end - item));
			rc = 0;
			if (!t->ok(copy))
				rc = bad_value(p, k, copy, NULL);
			else if (n >= CONFIG_LIST_MAX)
				rc = fail(p, p->lineno,
					  "too many items for '%s' in %s "
					  "(at most %d)",
					  k->name, p->label, CONFIG_LIST_MAX);
			if (rc) {
				free(copy);
				return rc;
			}
			*list = xreallocarray(*list, n + 2, sizeof(**list));
			(*list)[n++] = copy;
			(*list)[n] = NULL;
		}
		if (!comma)
			return 0;
	}
}

static int set_value(struct parser *p, const struct key_def *k, void *base,
		     const char *value)
{
	const struct value_type_def *t = &value_types[k->type];
	void *field = (char *)base + k->offset;
	const char *end;
	int64_t v;
	int minutes;

	if (t->list)
		return add_items(p, k, field, value);
	if (!*value)
		return fail(p, p->lineno, "missing value for '%s' in %s",
			    k->name, p->label);
	switch (k->type) {
	case V_INT:
		if (parse_uint(&v, value, &end) || *end)
			return bad_value(p, k, value, NULL);
		if (check_range(p, k, value, v))
			return -1;
		*(int *)field = (int)v;
		return 0;
	case V_DURATION:
	case V_SIZE:
		if ((k->type == V_DURATION ? config_parse_duration(&v, value)
					   : parse_size(&v, value)))
			return bad_value(p, k, value, NULL);
		if (check_range(p, k, value, v))
			return -1;
		*(int64_t *)field = v;
		return 0;
	case V_BOOL:
		if (!strcasecmp(value, "yes") || !strcasecmp(value, "true") ||
		    !strcasecmp(value, "on") || !strcmp(value, "1"))
			*(int *)field = 1;
		else if (!strcasecmp(value, "no") ||
			 !strcasecmp(value, "false") ||
			 !strcasecmp(value, "off") || !strcmp(value, "0"))
			*(int *)field = 0;
		else
			return bad_value(p, k, value, NULL);
		return 0;
	case V_CLOCK:
		if (!parse_clock(&minutes, value))
			return bad_value(p, k, value, NULL);
		*(int *)field = minutes;
		return 0;
	default:
		/* a string, checked by its type's ok() when it has one */
		if (t->ok && !t->ok(value))
			return bad_value(p, k, value, NULL);
		free(*(char **)field);
		*(char **)field = xstrdup(value);
		return 0;
	}
}

/* ---- sections -------------------------------------------------------- */

#define AT(st, f) .offset = offsetof(st, f)

static const struct key_def slipway_keys[] = {
	{ .name = "database", .type = V_PATH, AT(struct config, database) },
	{ .name = "max-down",
	  .type = V_INT,
	  AT(struct config, max_down),
	  .min = 1 },
	{ .name = "concurrency",
	  .type = V_INT,
	  AT(struct config, concurrency),
	  .min = 1,
	  .max = 1024 },
	{ .name = "host-timeout",
	  .type = V_DURATION,
	  AT(struct config, host_timeout),
	  .min = 1 },
};

static const struct key_def policy_keys[] = {
	{ .name = "deadline-kev",
	  .type = V_DURATION,
	  AT(struct config_policy, deadline_kev),
	  .min = 1 },
	{ .name = "deadline-critical",
	  .type = V_DURATION,
	  AT(struct config_policy, deadline_critical),
	  .min = 1 },
	{ .name = "deadline-high",
	  .type = V_DURATION,
	  AT(struct config_policy, deadline_high),
	  .min = 1 },
	{ .name = "deadline-medium",
	  .type = V_DURATION,
	  AT(struct config_policy, deadline_medium),
	  .min = 1 },
	{ .name = "soak",
	  .type = V_DURATION,
	  AT(struct config_policy, soak),
	  .min = 0 },
	{ .name = "max-image-age",
	  .type = V_DURATION,
	  AT(struct config_policy, max_image_age),
	  .min = 1 },
	{ .name = "stale-images",
	  .type = V_IMAGES,
	  AT(struct config_policy, stale_images) },
	{ .name = "boot-time",
	  .type = V_DURATION,
	  AT(struct config_policy, boot_time),
	  .min = 1 },
	{ .name = "feed-max-age",
	  .type = V_DURATION,
	  AT(struct config_policy, feed_max_age),
	  .min = 1 },
};

static const struct key_def feed_keys[] = {
	{ .name = "url", .type = V_URL, AT(struct config_feed, url) },
	{ .name = "enabled", .type = V_BOOL, AT(struct config_feed, enabled) },
	{ .name = "max-age",
	  .type = V_DURATION,
	  AT(struct config_feed, max_age),
	  .min = 1 },
	{ .name = "max-bytes",
	  .type = V_SIZE,
	  AT(struct config_feed, max_bytes),
	  .min = 1 },
	{ .name = "timeout",
	  .type = V_DURATION,
	  AT(struct config_feed, timeout),
	  .min = 1 },
	{ .name = "mirror", .type = V_MIRROR, AT(struct config_feed, mirror) },
};

static const struct key_def window_keys[] = {
	{ .name = "rrule",
	  .type = V_RRULE,
	  AT(struct config_window, rrule),
	  .required = true },
	{ .name = "start",
	  .type = V_CLOCK,
	  AT(struct config_window, start_minute),
	  .required = true },
	{ .name = "duration",
	  .type = V_DURATION,
	  AT(struct config_window, duration),
	  .min = 1,
	  .max = 7 * DAY,
	  .required = true },
	{ .name = "timezone",
	  .type = V_TIMEZONE,
	  AT(struct config_window, timezone) },
	{ .name = "hosts", .type = V_GLOBS, AT(struct config_window, hosts) },
	{ .name = "except", .type = V_DATES, AT(struct config_window, except) },
	{ .name = "max-down",
	  .type = V_INT,
	  AT(struct config_window, max_down),
	  .min = 1 },
};

static const struct key_def freeze_keys[] = {
	{ .name = "from",
	  .type = V_DATE,
	  AT(struct config_freeze, from),
	  .required = true },
	{ .name = "to",
	  .type = V_DATE,
	  AT(struct config_freeze, to),
	  .required = true },
	{ .name = "timezone",
	  .type = V_TIMEZONE,
	  AT(struct config_freeze, timezone) },
};

static const struct key_def host_keys[] = {
	{ .name = "engine", .type = V_ENGINE, AT(struct config_host, engine) },
	{ .name = "boot-time",
	  .type = V_DURATION,
	  AT(struct config_host, boot_time),
	  .min = 1 },
	{ .name = "window", .type = V_WINDOW, AT(struct config_host, window) },
	{ .name = "tls-ca", .type = V_PATH, AT(struct config_host, tls_ca) },
	{ .name = "tls-cert",
	  .type = V_PATH,
	  AT(struct config_host, tls_cert) },
	{ .name = "tls-key", .type = V_PATH, AT(struct config_host, tls_key) },
	{ .name = "cert-path",
	  .type = V_PATH,
	  AT(struct config_host, cert_path) },
	{ .name = "tags", .type = V_TAGS, AT(struct config_host, tags) },
};

static const struct key_def group_keys[] = {
	{ .name = "containers",
	  .type = V_CONTAINERS,
	  AT(struct config_group, containers),
	  .required = true,
	  .nonempty = true },
	{ .name = "min-available",
	  .type = V_INT,
	  AT(struct config_group, min_available),
	  .min = 1 },
};

#define NAME_HINT "use letters, digits and - _ . : @"

static const struct section_def sections[] = {
	[SEC_SLIPWAY] = { .type = "slipway",
			  .keys = slipway_keys,
			  .nkeys = ARRAY_SIZE(slipway_keys) },
	[SEC_POLICY] = { .type = "policy",
			 .keys = policy_keys,
			 .nkeys = ARRAY_SIZE(policy_keys) },
	[SEC_FEED] = { .type = "feed",
		       .named = true,
		       .name_ok = feed_name_ok,
		       .name_hint = "use lowercase letters, digits and -",
		       .keys = feed_keys,
		       .nkeys = ARRAY_SIZE(feed_keys) },
	[SEC_WINDOW] = { .type = "window",
			 .named = true,
			 .name_ok = name_ok,
			 .name_hint = NAME_HINT,
			 .keys = window_keys,
			 .nkeys = ARRAY_SIZE(window_keys) },
	[SEC_FREEZE] = { .type = "freeze",
			 .named = true,
			 .name_ok = name_ok,
			 .name_hint = NAME_HINT,
			 .keys = freeze_keys,
			 .nkeys = ARRAY_SIZE(freeze_keys) },
	[SEC_HOST] = { .type = "host",
		       .named = true,
		       .name_ok = name_ok,
		       .name_hint = NAME_HINT,
		       .keys = host_keys,
		       .nkeys = ARRAY_SIZE(host_keys) },
	[SEC_GROUP] = { .type = "group",
			.named = true,
			.name_ok = name_ok,
			.name_hint = NAME_HINT,
			.keys = group_keys,
			.nkeys = ARRAY_SIZE(group_keys) },
};

static char **empty_list(void)
{
	return xcalloc(1, sizeof(char *));
}

/* The struct the current section's keys write into. */
static void *section_base(struct parser *p)
{
	struct config *cfg = p->cfg;

	switch (p->sec) {
	case SEC_SLIPWAY:
		return cfg;
	case SEC_POLICY:
		return &cfg->policy;
	case SEC_FEED:
		return &cfg->feeds[p->idx];
	case SEC_WINDOW:
		return &cfg->windows[p->idx];
	case SEC_FREEZE:
		return &cfg->freezes[p->idx];
	case SEC_HOST:
		return &cfg->hosts[p->idx];
	case SEC_GROUP:
		return &cfg->groups[p->idx];
	default:
		assert(!"no current section");
		return NULL;
	}
}

/* Appends the element of a named section with its "unset" values and
 * returns its name as stored. */
static const char *section_add(struct parser *p, const char *name, int line)
{
	struct config *cfg = p->cfg;
	size_t *alloc = &p->alloc[p->sec];

	switch (p->sec) {
	case SEC_FEED:
		XGROW(cfg->feeds, *alloc, cfg->nfeeds + 1);
		p->idx = cfg->nfeeds++;
		cfg->feeds[p->idx] =
			(struct config_feed){ .name = xstrdup(name),
					      .enabled = -1,
					      .max_age = -1,
					      .max_bytes = -1,
					      .timeout = -1,
					      .line = line };
		return cfg->feeds[p->idx].name;
	case SEC_WINDOW:
		XGROW(cfg->windows, *alloc, cfg->nwindows + 1);
		p->idx = cfg->nwindows++;
		cfg->windows[p->idx] =
			(struct config_window){ .name = xstrdup(name),
						.hosts = empty_list(),
						.except = empty_list(),
						.max_down = -1,
						.line = line };
		return cfg->windows[p->idx].name;
	case SEC_FREEZE:
		XGROW(cfg->freezes, *alloc, cfg->nfreezes + 1);
		p->idx = cfg->nfreezes++;
		cfg->freezes[p->idx] =
			(struct config_freeze){ .name = xstrdup(name),
						.line = line };
		return cfg->freezes[p->idx].name;
	case SEC_HOST:
		XGROW(cfg->hosts, *alloc, cfg->nhosts + 1);
		p->idx = cfg->nhosts++;
		cfg->hosts[p->idx] =
			(struct config_host){ .name = xstrdup(name),
					      .boot_time = -1,
					      .tags = empty_list(),
					      .line = line };
		return cfg->hosts[p->idx].name;
	case SEC_GROUP:
		XGROW(cfg->groups, *alloc, cfg->ngroups + 1);
		p->idx = cfg->ngroups++;
		cfg->groups[p->idx] =
			(struct config_group){ .name = xstrdup(name),
					       .containers = empty_list(),
					       .min_available = -1,
					       .line = line };
		return cfg->groups[p->idx].name;
	default:
		assert(!"not a named section");
		return NULL;
	}
}

static bool list_is_empty(void *base, const struct key_def *k)
{
	char **const *list = (void *)((char *)base + k->offset);

	return !(*list)[0];
}

/* Checks what a section needs once all its lines are read. */
static int section_close(struct parser *p)
{
	const struct section_def *sd;
	const struct config_freeze *fz;
	size_t i;

	if (p->sec == SEC_NONE)
		return 0;
	sd = &sections[p->sec];
	for (i = 0; i < sd->nkeys; i++) {
		const struct key_def *k = &sd->keys[i];

		if (k->required && !p->key_line[i])
			return fail(p, p->sec_line, "%s needs '%s'", p->label,
				    k->name);
		if (k->nonempty && list_is_empty(section_base(p), k))
			return fail(p, p->key_line[i],
				    "missing value for '%s' in %s", k->name,
				    p->label);
	}
	if (p->sec == SEC_FREEZE) {
		fz = &p->cfg->freezes[p->idx];
		/* YYYY-MM-DD compares as text */
		if (strcmp(fz->from, fz->to) > 0)
			return fail(p, p->key_line[1],
				    "bad date '%s' for 'to' in %s (must not be "
				    "before 'from' %s)",
				    fz->to, p->label, fz->from);
	}
	p->sec = SEC_NONE;
	return 0;
}

/* Starts section [type name] (name "" when absent) at the current line. */
static int section_start(struct parser *p, const char *type, const char *name)
{
	const struct section_def *sd = NULL;
	const struct seen *dup;
	const char *stored;
	int i;

	for (i = 0; i < SEC_COUNT; i++)
		if (strcmp(type, sections[i].type) == 0)
			p->sec = (enum section_type)i;
	if (p->sec == SEC_NONE)
		return fail(p, p->lineno, "unknown section [%s%s%s]", type,
			    *name ? " " : "", name);
	sd = &sections[p->sec];
	snprintf(p->label, sizeof(p->label), "[%s%s%s]", type, *name ? " " : "",
		 name);
	if (!sd->named && *name)
		return fail(p, p->lineno, "section [%s] takes no name", type);
	if (sd->named && !*name)
		return fail(p, p->lineno,
			    "section [%s] needs a name, as in [%s NAME]", type,
			    type);
	if (sd->named && !sd->name_ok(name))
		return fail(p, p->lineno, "bad name '%s' in %s (%s)", name,
			    p->label, sd->name_hint);
	dup = seen_find(p, p->sec, name);
	if (dup)
		return fail(p, p->lineno,
			    "duplicate section %s (first at line %d)", p->label,
			    dup->line);
	stored = sd->named ? section_add(p, name, p->lineno) : "";
	seen_add(p, p->sec, stored, p->lineno);
	p->sec_line = p->lineno;
	memset(p->key_line, 0, sizeof(p->key_line));
	return 0;
}

/* "[TYPE]" or "[TYPE NAME]"; inner is the text between the brackets,
 * split at its first run of spaces. */
static int section_open(struct parser *p, const char *inner, size_t len)
{
	const char *c, *end = inner + len;
	char *type, *name;
	int rc;

	while (inner < end && isspace((unsigned char)*inner))
		inner++;
	while (end > inner && isspace((unsigned char)end[-1]))
		end--;
	if (inner == end)
		return fail(p, p->lineno, "empty section header []");
	for (c = inner; c < end && !isspace((unsigned char)*c); c++)
		;
	type = xstrndup(inner, (size_t)(c - inner));
	while (c < end && isspace((unsigned char)*c))
		c++;
	name = xstrndup(c, (size_t)(end - c));
	rc = section_start(p, type, name);
	free(name);
	free(type);
	return rc;
}

/* ---- the reader and the handler ------------------------------------- */

/* ini_find_chars_or_comment() of ini.c: the first of chars, or of an
 * inline ';' comment (which must follow whitespace), or the end. */
static const char *find_chars_or_comment(const char *s, const char *chars)
{
	bool was_space = false;

	while (*s && !strchr(chars, *s) && !(was_space && *s == ';')) {
		was_space = isspace((unsigned char)*s);
		s++;
	}
	return s;
}

/* Decides what libinih will make of a line, as ini_parse_stream() does:
 * blank or comment, continuation, section header, or key line. Section
 * headers are handled here since libinih reports none. */
static int classify(struct parser *p, const char *line)
{
	const char *s = line, *t, *close, *after;

	p->continuation = false;
	if (p->lineno == 1 && (unsigned char)s[0] == 0xEF &&
	    (unsigned char)s[1] == 0xBB && (unsigned char)s[2] == 0xBF)
		s += 3;
	t = s;
	while (*t && isspace((unsigned char)*t))
		t++;
	if (!*t || *t == ';' || *t == '#')
		return 0;
	if (t > s) {
		/* libinih appends an indented line to the key before it;
		 * only list values may be continued so, anything else would
		 * change the previous value without a word */
		if (*t == '[')
			return fail(p, p->lineno, "indented section header");
		if (!p->last_key || !value_types[p->last_key->type].list)
			return fail(p, p->lineno,
				    "unexpected indented line (only a list "
				    "may continue on the next line)");
		p->continuation = true;
		return 0;
	}
	if (*t == '[') {
		close = find_chars_or_comment(t + 1, "]");
		if (*close != ']')
			return fail(p, p->lineno,
				    "missing ']' in section header");
		for (after = close + 1; isspace((unsigned char)*after); after++)
			;
		if (*after && *after != ';' && *after != '#')
			return fail(p, p->lineno,
				    "unexpected text after section header");
		if (section_close(p))
			return -1;
		p->last_key = NULL;
		return section_open(p, t + 1, (size_t)(close - t - 1));
	}
	if (!*find_chars_or_comment(t, "=:"))
		return fail(p, p->lineno,
			    "expected 'key = value' or [section]");
	return 0;
}

/* ini_reader: hands libinih one line of the text, newline included. */
static char *read_line(char *str, int num, void *stream)
{
	struct parser *p = stream;
	const char *start, *nl;
	size_t n, avail;

	assert(num >= 3);
	if (p->failed || p->pos >= p->len)
		return NULL;
	start = p->text + p->pos;
	avail = p->len - p->pos;
	nl = memchr(start, '\n', avail);
	n = nl ? (size_t)(nl - start) : avail;
	p->pos += nl ? n + 1 : n;
	p->lineno++;
	if (n > 0 && start[n - 1] == '\r')
		n--;
	/* libinih would split a longer line and read its tail as a line of
	 * its own; refuse it instead */
	if (n > (size_t)num - 2) {
		fail(p, p->lineno, "line is longer than %d bytes", num - 2);
		return NULL;
	}
	if (memchr(start, '\0', n)) {
		fail(p, p->lineno, "line contains a NUL byte");
		return NULL;
	}
	memcpy(str, start, n);
	str[n] = '\n';
	str[n + 1] = '\0';
	if (classify(p, str))
		return NULL;
	return str;
}

static const struct key_def *key_find(const struct section_def *sd,
				      const char *name)
{
	size_t i;

	for (i = 0; i < sd->nkeys; i++)
		if (strcmp(sd->keys[i].name, name) == 0)
			return &sd->keys[i];
	return NULL;
}

/* An indented line that classify() found to continue a list. */
static int on_continuation(struct parser *p, const char *value)
{
	const struct key_def *k = p->last_key;
	void *field;
	char *copy;
	int rc;

	assert(k && value_types[k->type].list);
	field = (char *)section_base(p) + k->offset;
	/* libinih r55 leaves inline comments on continuation lines (later
	 * releases cut them); cut them the same way */
	copy = xstrndup(value,
			(size_t)(find_chars_or_comment(value, "") - value));
	rc = add_items(p, k, field, copy);
	free(copy);
	return rc;
}

/* One "key = value" line, or the continuation of a list. */
static int on_line(struct parser *p, const char *name, const char *value)
{
	const struct section_def *sd;
	const struct key_def *k;
	size_t i;

	if (p->continuation)
		return on_continuation(p, value);
	if (p->sec == SEC_NONE)
		return fail(p, p->lineno, "key '%s' before any [section]",
			    name);
	sd = &sections[p->sec];
	if (!*name)
		return fail(p, p->lineno, "missing key name in %s", p->label);
	k = key_find(sd, name);
	if (!k)
		return fail(p, p->lineno, "unknown key '%s' in %s", name,
			    p->label);
	i = (size_t)(k - sd->keys);
	assert(i < MAX_KEYS);
	if (p->key_line[i])
		return fail(p, p->lineno,
			    "duplicate key '%s' in %s (first at line %d)", name,
			    p->label, p->key_line[i]);
	p->key_line[i] = p->lineno;
	p->last_key = k;
	if (k->type == V_WINDOW) {
		XGROW(p->refs, p->refs_alloc, p->nrefs + 1);
		p->refs[p->nrefs++] = (struct window_ref){ .host = p->idx,
							   .line = p->lineno };
	}
	return set_value(p, k, section_base(p), value);
}

/* ini_handler: called for the line read_line() returned last. libinih
 * wants nonzero for success. Its section argument is not used: ours, from
 * classify(), is not cut at 50 bytes. */
static int on_value(void *user, const char *section, const char *name,
		    const char *value)
{
	struct parser *p = user;

	(void)section;
	if (p->failed)
		return 0;
	return on_line(p, name, value) == 0;
}

/* A host's 'window' must name a [window] of the same file. */
static int check_window_refs(struct parser *p)
{
	const struct config_host *h;
	size_t i;

	for (i = 0; i < p->nrefs; i++) {
		h = &p->cfg->hosts[p->refs[i].host];
		if (!seen_find(p, SEC_WINDOW, h->window))
			return fail(p, p->refs[i].line,
				    "unknown window '%s' for 'window' in "
				    "[host %s]",
				    h->window, h->name);
	}
	return 0;
}

/* ---- public ---------------------------------------------------------- */

struct config *config_new_default(void)
{
	struct config *cfg = xcalloc(1, sizeof(*cfg));

	cfg->max_down = 5;
	cfg->concurrency = 16;
	cfg->host_timeout = 60;
	cfg->policy = (struct config_policy){
		.deadline_kev = 7 * DAY,
		.deadline_critical = 14 * DAY,
		.deadline_high = 30 * DAY,
		.deadline_medium = 90 * DAY,
		.soak = 15 * 60,
		.max_image_age = 30 * DAY,
		.boot_time = 120,
		.feed_max_age = 2 * DAY,
		.stale_images = empty_list(),
	};
	return cfg;
}

int config_parse(struct config **out, const char *name, const char *text,
		 size_t len, struct err *err)
{
	struct parser p = { .name = name,
			    .text = text,
			    .len = len,
			    .err = err,
			    .sec = SEC_NONE };
	int rc;

	assert(out && name && (text || !len));
	if (len > CONFIG_MAX_BYTES)
		return err_set(err, ERR_CONFIG,
			       "config '%s' is larger than 1 MiB", name);
	p.cfg = config_new_default();
	rc = ini_parse_stream(read_line, &p, on_value, &p);
	/* our reader and handler name every error they see; this is for
	 * anything libinih refuses that classify() let through */
	if (!p.failed && rc != 0)
		fail(&p, rc > 0 ? rc : p.lineno, "syntax error");
	if (!p.failed)
		section_close(&p);
	if (!p.failed)
		check_window_refs(&p);

	free(p.seen);
	free(p.refs);
	if (p.failed) {
		config_free(p.cfg);
		return ERR_CONFIG;
	}
	*out = p.cfg;
	return 0;
}

int config_load(struct config **out, const char *path, bool must_exist,
		struct err *err)
{
	struct config *cfg;
	struct stat st;
	struct buf text;
	char chunk[8192];
	ssize_t n;
	int fd, rc = ERR_CONFIG;

	assert(out && path);
	buf_init(&text, CONFIG_MAX_BYTES);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT && !must_exist) {
			*out = config_new_default();
			return 0;
		}
		return err_set(err, ERR_CONFIG, "cannot read config '%s': %s",
			       path, strerror(errno));
	}
	if (fstat(fd, &st) != 0) {
		err_set(err, ERR_CONFIG, "cannot read config '%s': %s", path,
			strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		err_set(err, ERR_CONFIG, "config '%s' is not a regular file",
			path);
		goto out;
	}
	/* anyone could change the plan, the hosts and their engines */
	if (st.st_mode & S_IWOTH) {
		err_set(err, ERR_CONFIG,
			"config '%s' is world-writable; fix with chmod o-w",
			path);
		goto out;
	}
	if (st.st_size > (off_t)CONFIG_MAX_BYTES)
		goto too_big;
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_set(err, ERR_CONFIG, "cannot read config '%s': %s",
				path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		/* the file may have grown since fstat() */
		if (buf_add(&text, chunk, (size_t)n))
			goto too_big;
	}
	rc = config_parse(&cfg, path, text.ptr, text.len, err);
	if (rc == 0) {
		cfg->path = xstrdup(path);
		*out = cfg;
	}
	goto out;
too_big:
	rc = err_set(err, ERR_CONFIG, "config '%s' is larger than 1 MiB", path);
out:
	close(fd);
	buf_release(&text);
	return rc;
}

static void list_free(char **list)
{
	size_t i;

	if (!list)
		return;
	for (i = 0; list[i]; i++)
		free(list[i]);
	free(list);
}

void config_free(struct config *cfg)
{
	size_t i;

	if (!cfg)
		return;
	list_free(cfg->policy.stale_images);
	for (i = 0; i < cfg->nfeeds; i++) {
		free(cfg->feeds[i].name);
		free(cfg->feeds[i].url);
		free(cfg->feeds[i].mirror);
	}
	for (i = 0; i < cfg->nwindows; i++) {
		free(cfg->windows[i].name);
		free(cfg->windows[i].rrule);
		free(cfg->windows[i].timezone);
		list_free(cfg->windows[i].hosts);
		list_free(cfg->windows[i].except);
	}
	for (i = 0; i < cfg->nfreezes; i++) {
		free(cfg->freezes[i].name);
		free(cfg->freezes[i].from);
		free(cfg->freezes[i].to);
		free(cfg->freezes[i].timezone);
	}
	for (i = 0; i < cfg->nhosts; i++) {
		free(cfg->hosts[i].name);
		free(cfg->hosts[i].engine);
		free(cfg->hosts[i].window);
		free(cfg->hosts[i].tls_ca);
		free(cfg->hosts[i].tls_cert);
		free(cfg->hosts[i].tls_key);
		free(cfg->hosts[i].cert_path);
		list_free(cfg->hosts[i].tags);
	}
	for (i = 0; i < cfg->ngroups; i++) {
		free(cfg->groups[i].name);
		list_free(cfg->groups[i].containers);
	}
	free(cfg->feeds);
	free(cfg->windows);
	free(cfg->freezes);
	free(cfg->hosts);
	free(cfg->groups);
	free(cfg->path);
	free(cfg->database);
	free(cfg);
}

/* An environment variable that names a directory (XDG: absolute only). */
static const char *env_dir(const char *var)
{
	const char *v = getenv(var);

	return v && v[0] == '/' ? v : NULL;
}

static const char *home_dir(void)
{
	const struct passwd *pw;
	const char *home = env_dir("HOME");

	if (home)
		return home;
	pw = getpwuid(geteuid());
	return pw && pw->pw_dir && pw->pw_dir[0] == '/' ? pw->pw_dir : NULL;
}

/* "$XDG_VAR/slipway/FILE" or "$HOME/FALLBACK/slipway/FILE"; NULL when
 * neither is known or the result would be absurdly long. */
static char *user_path(const char *xdg_var, const char *fallback,
		       const char *file)
{
	const char *dir = env_dir(xdg_var), *home;
	struct buf b;
	int rc;

	buf_init(&b, PATH_BUF_MAX);
	if (dir) {
		rc = buf_addf(&b, "%s/slipway/%s", dir, file);
	} else {
		home = home_dir();
		if (!home)
			return NULL;
		rc = buf_addf(&b, "%s/%s/slipway/%s", home, fallback, file);
	}
	if (rc) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

char *config_default_path(void)
{
	char *user = user_path("XDG_CONFIG_HOME", ".config", "slipway.conf");
	struct stat st;

	if (user && stat(user, &st) == 0)
		return user;
	free(user);
	return xstrdup(SYSTEM_CONFIG);
}

char *config_default_database(void)
{
	char *user;

	if (geteuid() == 0)
		return xstrdup(ROOT_DATABASE);
	user = user_path("XDG_DATA_HOME", ".local/share", "slipway.db");
	return user ? user : xstrdup("slipway.db");
}

bool config_host_match(char *const *patterns, const char *name)
{
	size_t i;

	if (!patterns)
		return false;
	for (i = 0; patterns[i]; i++)
		if (fnmatch(patterns[i], name, 0) == 0)
			return true;
	return false;
}

const struct config_feed *config_feed_find(const struct config *cfg,
					   const char *name)
{
	size_t i;

	for (i = 0; i < cfg->nfeeds; i++)
		if (strcmp(cfg->feeds[i].name, name) == 0)
			return &cfg->feeds[i];
	return NULL;
}

const struct config_host *config_host_find(const struct config *cfg,
					   const char *name)
{
	size_t i;

	for (i = 0; i < cfg->nhosts; i++)
		if (strcmp(cfg->hosts[i].name, name) == 0)
			return &cfg->hosts[i];
	return NULL;
}

const struct config_window *config_window_find(const struct config *cfg,
					       const char *name)
{
	size_t i;

	for (i = 0; i < cfg->nwindows; i++)
		if (strcmp(cfg->windows[i].name, name) == 0)
			return &cfg->windows[i];
	return NULL;
}
