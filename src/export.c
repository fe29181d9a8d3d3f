/* export.c - the export format table, writing the files (atomically) and
 * the helpers the format writers share (export_priv.h). */
#include "export.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "export_priv.h"
#include "xalloc.h"
#include "banned.h"

static const struct export_format formats[] = {
	{ .name = "csv", .directory = false, .write = export_csv },
	{ .name = "md", .directory = false, .write = export_md },
	{ .name = "html", .directory = false, .write = export_html },
	{ .name = "ics", .directory = false, .write = export_ics },
	{ .name = "ansible", .directory = true, .write = export_ansible },
};

static const struct export_format *find_format(const char *name)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (name && !strcmp(formats[i].name, name))
			return &formats[i];
	return NULL;
}

bool export_has_format(const char *format, bool *directory)
{
	const struct export_format *f = find_format(format);

	if (f && directory)
		*directory = f->directory;
	return f != NULL;
}

const char *export_format_names(void)
{
	return "csv md html ics ansible";
}

struct buf *export_out_add(struct export_out *o, const char *name)
{
	struct export_file *f;

	/* the table's formats write one or two files with fixed names */
	assert(o->n < EXPORT_MAX_FILES && strlen(name) < EXPORT_FILE_NAME_MAX);
	f = &o->f[o->n++];
	snprintf(f->name, sizeof(f->name), "%s", name);
	buf_init(&f->body, EXPORT_MAX_BYTES);
	return &f->body;
}

static void out_release(struct export_out *o)
{
	for (size_t i = 0; i < o->n; i++)
		buf_release(&o->f[i].body);
	o->n = 0;
}

int export_too_big(struct err *err, const char *format)
{
	return err_set(err, ERR_LIMIT, "cannot write the %s export: larger than %zu MiB",
		       format, EXPORT_MAX_BYTES >> 20);
}

/* Writes data to path through a temporary file in the same directory and
 * rename(), so readers see the old file or the whole new one. */
static int write_atomic(const char *path, const struct buf *data, struct err *err)
{
	struct buf tmp;
	int fd = -1, rc = -1;
	size_t off = 0;

	buf_init(&tmp, 8192);
	if (buf_addf(&tmp, "%s.XXXXXX", path)) {
		rc = err_set(err, ERR_IO, "cannot write '%s': path too long", path);
		goto out;
	}
	fd = mkstemp(tmp.ptr);
	if (fd < 0) {
		rc = err_set(err, ERR_IO, "cannot write '%s': %s", path, strerror(errno));
		goto out;
	}
	while (off < data->len) {
		ssize_t w = write(fd, data->ptr + off, data->len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			rc = err_set(err, ERR_IO, "cannot write '%s': %s", path,
				     w < 0 ? strerror(errno) : "short write");
			goto out;
		}
		off += (size_t)w;
	}
	/* mkstemp makes 0600; a plan is meant to be shared */
	if (fchmod(fd, 0644) || close(fd)) {
		fd = -1;
		rc = err_set(err, ERR_IO, "cannot write '%s': %s", path, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp.ptr, path)) {
		rc = err_set(err, ERR_IO, "cannot write '%s': %s", path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (rc && tmp.len)
		unlink(tmp.ptr);
	buf_release(&tmp);
	return rc;
}

static int write_stdout(const struct buf *data, struct err *err)
{
	if (fwrite(data->ptr, 1, data->len, stdout) != data->len || fflush(stdout))
		return err_set(err, ERR_IO, "cannot write to 'stdout': %s", strerror(errno));
	return 0;
}

static int make_dir(const char *path, struct err *err)
{
	struct stat st;

	if (mkdir(path, 0755) == 0)
		return 0;
	if (errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	if (errno == EEXIST)
		return err_set(err, ERR_IO, "cannot write '%s': not a directory", path);
	return err_set(err, ERR_IO, "cannot create '%s': %s", path, strerror(errno));
}

int export_write(const struct plan *plan, const char *format, const char *path,
		 struct err *err)
{
	const struct export_format *f = find_format(format);
	struct export_out out = { .n = 0 };
	bool to_stdout = !path || !strcmp(path, "-");
	int rc;

	if (!f)
		return err_set(err, ERR_USAGE, "unknown export format '%s' (one of: %s)",
			       format ? format : "", export_format_names());
	if (f->directory && to_stdout)
		return err_set(err, ERR_USAGE,
			       "the '%s' export writes a directory: give its path with -o DIR",
			       f->name);
	if ((rc = f->write(&out, plan, err)))
		goto out;
	if (!f->directory) {
		rc = to_stdout ? write_stdout(&out.f[0].body, err)
			       : write_atomic(path, &out.f[0].body, err);
		goto out;
	}
	if ((rc = make_dir(path, err)))
		goto out;
	for (size_t i = 0; i < out.n; i++) {
		struct buf file;

		buf_init(&file, 8192);
		if (buf_addf(&file, "%s/%s", path, out.f[i].name)) {
			buf_release(&file);
			rc = err_set(err, ERR_IO, "cannot write into '%s': path too long", path);
			goto out;
		}
		rc = write_atomic(file.ptr, &out.f[i].body, err);
		buf_release(&file);
		if (rc)
			goto out;
	}
out:
	out_release(&out);
	return rc;
}

/* ---- views of a plan ------------------------------------------------ */

bool export_goes_down(const struct plan_container *c)
{
	return c->effect != IMPACT_UNAFFECTED && c->outage != 0;
}

bool export_not_returning(const struct plan_container *c)
{
	return (c->effect == IMPACT_STAYS_DOWN || c->effect == IMPACT_REMOVED) &&
	       c->outage == IMPACT_OUTAGE_UNBOUNDED;
}

enum export_worst export_host_worst(const struct plan_host *h, size_t *down,
				    size_t *not_returning)
{
	enum export_worst w = EXPORT_WORST_NONE;
	size_t d = 0, nr = 0;

	for (size_t i = 0; i < h->ncontainers; i++) {
		const struct plan_container *c = &h->containers[i];

		if (export_not_returning(c)) {
			nr++;
			w = EXPORT_WORST_STAYS_DOWN;
		}
		if (export_goes_down(c)) {
			d++;
			if (w == EXPORT_WORST_NONE)
				w = EXPORT_WORST_RESTARTS;
		}
	}
	if (down)
		*down = d;
	if (not_returning)
		*not_returning = nr;
	return w;
}

void export_occs_build(struct export_occs *out, const struct plan *plan)
{
	size_t alloc = 0;

	out->v = NULL;
	out->n = 0;
	/* slots are by start: an occurrence appears in order of its first
	 * slot, which is the order of the occurrences' starts only when
	 * windows do not overlap; sort afterwards to be sure */
	for (size_t i = 0; i < plan->nslots; i++) {
		const struct plan_slot *sl = &plan->slots[i];
		const struct plan_window *w = &plan->in.windows[sl->window];
		const struct window_occ *oc = &w->occ[sl->occ];
		struct export_occ *o = NULL;
		struct export_wave *wv = NULL;

		for (size_t k = out->n; k-- > 0;)
			if (out->v[k].window == sl->window &&
			    out->v[k].ordinal == oc->ordinal) {
				o = &out->v[k];
				break;
			}
		if (!o) {
			XGROW(out->v, alloc, out->n + 1);
			o = &out->v[out->n++];
			*o = (struct export_occ){
				.window = sl->window, .ordinal = oc->ordinal,
				.start = oc->occ_start, .end = oc->occ_end,
				.day = oc->day,
			};
		}
		for (size_t k = 0; k < o->nwaves; k++)
			if (o->waves[k].number == sl->wave)
				wv = &o->waves[k];
		if (!wv) {
			o->waves = xreallocarray(o->waves, o->nwaves + 1, sizeof(*o->waves));
			wv = &o->waves[o->nwaves++];
			*wv = (struct export_wave){ .number = sl->wave,
						    .start = sl->start, .end = sl->end };
		}
		wv->slots = xreallocarray(wv->slots, wv->nslots + 1, sizeof(*wv->slots));
		wv->slots[wv->nslots++] = i;
		if (sl->start < wv->start)
			wv->start = sl->start;
		if (sl->end > wv->end)
			wv->end = sl->end;
		o->nslots++;
	}
	/* insertion sorts: few occurrences and waves, and stable */
	for (size_t i = 1; i < out->n; i++) {
		struct export_occ t = out->v[i];
		size_t j = i;

		while (j > 0 && (out->v[j - 1].start > t.start ||
				 (out->v[j - 1].start == t.start &&
				  strcmp(plan->in.windows[out->v[j - 1].window].name,
					 plan->in.windows[t.window].name) > 0))) {
			out->v[j] = out->v[j - 1];
			j--;
		}
		out->v[j] = t;
	}
	for (size_t i = 0; i < out->n; i++) {
		struct export_occ *o = &out->v[i];

		for (size_t a = 1; a < o->nwaves; a++) {
			struct export_wave t = o->waves[a];
			size_t j = a;

			while (j > 0 && o->waves[j - 1].number > t.number) {
				o->waves[j] = o->waves[j - 1];
				j--;
			}
			o->waves[j] = t;
		}
	}
}

void export_occs_release(struct export_occs *o)
{
	for (size_t i = 0; i < o->n; i++) {
		for (size_t k = 0; k < o->v[i].nwaves; k++)
			free(o->v[i].waves[k].slots);
		free(o->v[i].waves);
	}
	free(o->v);
	o->v = NULL;
	o->n = 0;
}

/* ---- text helpers --------------------------------------------------- */

void export_time(char out[WINDOW_TIME_MAX], const struct plan *plan,
		 size_t window, int64_t t)
{
	window_format_time(out, t, plan->in.windows[window].timezone);
}

void export_time_short(char out[EXPORT_SHORT_MAX], const struct plan *plan,
		       size_t window, int64_t t)
{
	char full[WINDOW_TIME_MAX];

	export_time(full, plan, window, t);
	/* "2026-11-29T02:00:00+01:00" -> "2026-11-29 02:00" */
	snprintf(out, EXPORT_SHORT_MAX, "%.10s %.5s", full, strlen(full) > 11 ? full + 11 : "");
}

const char *export_weekday(int day)
{
	static const char *const names[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	int y = day / 10000, m = day / 100 % 100, d = day % 100;

	/* Sakamoto's method (Gregorian) */
	static const int t[] = { 0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4 };

	if (m < 1 || m > 12)
		return "?";
	if (m < 3)
		y -= 1;
	return names[((y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7 + 7) % 7];
}

int export_span(struct buf *b, const struct plan *plan, size_t window,
		int64_t start, int64_t end)
{
	char s[EXPORT_SHORT_MAX], e[EXPORT_SHORT_MAX];

	export_time_short(s, plan, window, start);
	export_time_short(e, plan, window, end);
	if (!strncmp(s, e, 10))
		return buf_addf(b, "%s\u2013%s", s + 11, e + 11);
	return buf_addf(b, "%s\u2013%s", s + 11, e);
}

int export_duration(struct buf *b, long long s)
{
	if (s < 0)
		return buf_addstr(b, "until a person acts");
	if (s >= 86400 && s % 3600 == 0)
		return buf_addf(b, "%lldd %02lldh", s / 86400, s % 86400 / 3600);
	if (s >= 3600)
		return s % 3600 ? buf_addf(b, "%lldh %02lldm", s / 3600, s % 3600 / 60)
				: buf_addf(b, "%lldh", s / 3600);
	if (s >= 60)
		return s % 60 ? buf_addf(b, "%lldm %02llds", s / 60, s % 60)
			      : buf_addf(b, "%lldm", s / 60);
	return buf_addf(b, "%llds", s);
}

static bool is_ctl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

int export_slot_row(struct buf *b, const struct plan *plan,
		    const struct plan_slot *sl, const struct export_markup *m,
		    size_t *nr)
{
	const struct plan_host *h = &plan->in.hosts[sl->host];
	char actions[IMPACT_ACTIONS_TEXT_MAX];
	size_t n;
	int rc = 0;

	export_host_worst(h, NULL, &n);
	if (nr)
		*nr = n;
	plan_actions_text(actions, h->actions);
	rc |= buf_addstr(b, n ? m->row_open_nr : m->row_open);
	rc |= m->esc(b, h->name);
	rc |= buf_addstr(b, n ? m->name_close_nr : m->name_close);
	rc |= m->esc(b, h->urgency ? h->urgency : "none");
	rc |= buf_addstr(b, m->sep);
	if (h->deadline) {
		char dl[EXPORT_SHORT_MAX];

		export_time_short(dl, plan, sl->window, h->deadline);
		rc |= buf_addstr(b, dl);
		if (sl->late)
			rc |= buf_addstr(b, m->late);
	} else {
		rc |= buf_addstr(b, "none");
	}
	rc |= buf_addstr(b, m->sep);
	rc |= m->esc(b, actions);
	rc |= buf_addstr(b, m->sep);
	rc |= export_duration(b, sl->down_end - sl->start);
	rc |= buf_addstr(b, m->sep);
	rc |= export_span(b, plan, sl->window, sl->start, sl->end);
	rc |= buf_addstr(b, m->sep);
	rc |= m->containers(b, h);
	rc |= buf_addstr(b, m->row_close);
	return rc;
}

int export_esc_html(struct buf *b, const char *s)
{
	int rc = 0;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '&': rc |= buf_addstr(b, "&amp;"); break;
		case '<': rc |= buf_addstr(b, "&lt;"); break;
		case '>': rc |= buf_addstr(b, "&gt;"); break;
		case '"': rc |= buf_addstr(b, "&quot;"); break;
		case '\'': rc |= buf_addstr(b, "&#39;"); break;
		default: rc |= buf_addch(b, is_ctl(c) ? ' ' : (char)c); break;
		}
	}
	return rc ? ERR_LIMIT : 0;
}

int export_esc_md(struct buf *b, const char *s)
{
	int rc = 0;

	/* CommonMark 2.4: any ASCII punctuation may be backslash-escaped.
	 * These are the ones that can start markup inside a line or end a
	 * GFM table cell; names never open a line in our output, so line-
	 * start markers (#, -, +, digits.) need nothing. */
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (strchr("\\`*_[]<>|&~!", c))
			rc |= buf_addch(b, '\\');
		rc |= buf_addch(b, is_ctl(c) ? ' ' : (char)c);
	}
	return rc ? ERR_LIMIT : 0;
}

int export_esc_csv(struct buf *b, const char *s)
{
	bool quote = strpbrk(s, ",\"\r\n") != NULL;
	bool formula = *s && strchr("=+-@\t\r", *s);
	int rc = 0;

	if (quote)
		rc |= buf_addch(b, '"');
	if (formula)
		rc |= buf_addch(b, '\'');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"')
			rc |= buf_addch(b, '"');
		/* RFC 4180 allows CR/LF in a quoted field; keep them */
		rc |= buf_addch(b, is_ctl(c) && c != '\r' && c != '\n' ? ' ' : (char)c);
	}
	if (quote)
		rc |= buf_addch(b, '"');
	return rc ? ERR_LIMIT : 0;
}

int export_esc_yaml(struct buf *b, const char *s)
{
	int rc = buf_addch(b, '"');

	/* YAML 1.2 5.7: in a double-quoted scalar only \ and " need escaping
	 * and non-printable characters are written as \xNN */
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			rc |= buf_addch(b, '\\'), rc |= buf_addch(b, (char)c);
		else if (is_ctl(c))
			rc |= buf_addf(b, "\\x%02x", c);
		else
			rc |= buf_addch(b, (char)c);
	}
	rc |= buf_addch(b, '"');
	return rc ? ERR_LIMIT : 0;
}

bool export_name_ok(const char *s, const char *extra)
{
	size_t n = 0;

	if (!s || !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9')))
		return false;
	for (; *s; s++, n++) {
		char c = *s;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || strchr(extra, c)) || n >= 255)
			return false;
	}
	return true;
}

uint64_t export_hash(const char *const *parts, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;   /* FNV-1a 64 offset basis */

	for (size_t i = 0; i < n; i++) {
		for (const unsigned char *p = (const unsigned char *)parts[i]; ; p++) {
			h ^= *p;
			h *= 0x100000001b3ULL;
			if (!*p)
				break;
		}
	}
	return h;
}
