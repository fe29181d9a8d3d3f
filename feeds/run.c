/* run.c - the feed runner of run.h: sources (files, directories, archives,
 * compressed files) to documents, documents to the format's parse(), all
 * in one transaction, and the feed table's bookkeeping. */
#include "run.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "buf.h"
#include "fetch.h"
#include "xalloc.h"
#include "banned.h"

struct pipeline;

static size_t utf8_invalid_at(const char *data, size_t len);

struct reader {
	struct feed_run *run;
	const struct run_options *opts;
	struct run_limits lim;
	long members;             /* entries of the current source */
	int64_t total;            /* document bytes of the whole run */
	struct buf member;        /* the current archive member */
	struct pipeline *pipe;    /* a pipelined run's queue, or NULL */
	bool no_pipe;             /* the pipeline could not start: parse() */
};

/* The pipelined run (run.h): a ring of documents. The main thread fills
 * slot `tail`, workers take slot `next` and extract it, the main thread
 * stores slot `head` once it is done, in order; head <= next <= tail
 * (counters, slot = counter % RUN_PIPE_SLOTS). One mutex guards the
 * counters and the job states; a job's data and record belong to the
 * thread whose turn it is. */
enum job_state { JOB_QUEUED, JOB_TAKEN, JOB_DONE };

struct job {
	enum job_state state;
	char *path;
	char *file;               /* a file for the worker to read, or NULL */
	struct buf doc;           /* the document (capped at member_max) */
	size_t charge;            /* bytes counted in pipeline.bytes */
	void *record;             /* extract()'s answer */
	int rc;
	bool fatal;               /* the worker has no store: fail the run */
	struct err err;
};

struct pipeline {
	pthread_mutex_t mu;
	pthread_cond_t work;      /* a job was queued, or stop */
	pthread_cond_t done;      /* a job was extracted */
	struct job jobs[RUN_PIPE_SLOTS];
	size_t head, next, tail;
	size_t bytes;             /* data of the jobs not yet stored */
	int idle;                 /* workers waiting for a job */
	bool waiting;             /* the main thread waits for a job */
	bool stop;
	const struct feed_def *def;
	pthread_t threads[RUN_WORKERS_MAX];
	int nthreads;
	int64_t member_max;       /* the largest document (run_limits) */
};

/* Queued jobs wake an idle worker in batches of this many (or when the
 * main thread is about to wait): a wake-up per document was two system
 * calls per document, a tenth of a kernel CNA import. */
#define PIPE_WAKE_BATCH 8

/* Reads what is left of fd into b (emptied first), at most max bytes;
 * name is the document's name for messages. */
static int read_whole(int fd, const char *name, struct buf *b, int64_t max,
		      struct err *err)
{
	char block[65536];
	ssize_t n;

	buf_reset(b);
	for (;;) {
		n = read(fd, block, sizeof(block));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return err_set(err, ERR_IO, "cannot read '%s': %s", name,
				       strerror(errno));
		if (n == 0)
			return 0;
		if ((int64_t)(b->len + (size_t)n) > max ||
		    buf_add(b, block, (size_t)n))
			return err_set(err, ERR_LIMIT, "'%s': more than %lld bytes",
				       name, (long long)max);
	}
}

/* Reads a directory member for its job (a worker): the main thread only
 * walks the directory, so the opening and reading of some 15 000 files
 * of a vulns.git checkout happen on the workers. */
static int job_read_file(struct job *j, int64_t member_max)
{
	int fd = open(j->file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	int rc;

	if (fd < 0)
		return err_set(&j->err, ERR_IO, "cannot open '%s': %s", j->file,
			       strerror(errno));
	rc = read_whole(fd, j->path, &j->doc, member_max, &j->err);
	close(fd);
	return rc;
}

static void *worker_main(void *arg)
{
	struct pipeline *p = arg;
	const struct feed_format *fmt = p->def->format;
	struct feed_worker w = { .def = p->def };
	struct err open_err;
	bool have_store = store_open_scratch(&w.store, &open_err) == 0;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		struct job *j;
		size_t bad;

		while (!p->stop && p->next == p->tail) {
			p->idle++;
			pthread_cond_wait(&p->work, &p->mu);
			p->idle--;
		}
		if (p->stop)
			break;
		j = &p->jobs[p->next++ % RUN_PIPE_SLOTS];
		j->state = JOB_TAKEN;
		pthread_mutex_unlock(&p->mu);

		j->record = NULL;
		j->fatal = false;
		if (!have_store) {
			j->err = open_err;
			j->rc = ERR_STORE;
			j->fatal = true;
		} else if (j->file && (j->rc = job_read_file(j, p->member_max))) {
			/* as when the main thread could not read it */
			j->fatal = true;
		} else if ((bad = utf8_invalid_at(j->doc.ptr, j->doc.len)) <
			   j->doc.len) {
			/* document() leaves a member's check to the
			 * workers: rejected in its place, like a record
			 * extract() refuses. */
			j->rc = err_set(&j->err, ERR_PARSE,
					"'%s': not valid UTF-8 at byte %zu", j->path, bad);
		} else {
			j->rc = fmt->extract(&w, j->path, j->doc.ptr, j->doc.len,
					     &j->record, &j->err);
			if (j->rc >= 0 && j->rc != 0)
				j->rc = ERR_FAIL;
		}

		pthread_mutex_lock(&p->mu);
		j->state = JOB_DONE;
		/* Wake the main thread only when it waits: a wake-up per
		 * record was a system call per record. */
		if (p->waiting)
			pthread_cond_signal(&p->done);
	}
	pthread_mutex_unlock(&p->mu);
	if (fmt->worker_end)
		fmt->worker_end(&w);
	store_close(w.store);
	return NULL;
}

/* The default number of workers: one per online CPU but the one this
 * thread keeps busy writing, at least one. On the 2-core machine a
 * kernel CNA import with two workers took 0.67-0.72 s, with one
 * 0.58-0.62 s: three busy threads on two CPUs spent their time switching
 * (32 000 context switches a run). */
static int online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN) - 1;

	return n < 1 ? 1 : n > RUN_WORKERS_MAX ? RUN_WORKERS_MAX : (int)n;
}

/* Starts the workers; NULL (and the run goes on with parse()) when not
 * one thread could start. */
static struct pipeline *pipe_start(const struct feed_def *def, int workers,
				   int64_t member_max)
{
	struct pipeline *p = xcalloc(1, sizeof(*p));
	int i;

	if (workers <= 0)
		workers = online_cpus();
	if (workers > RUN_WORKERS_MAX)
		workers = RUN_WORKERS_MAX;
	p->def = def;
	p->member_max = member_max;
	for (i = 0; i < RUN_PIPE_SLOTS; i++)
		buf_init(&p->jobs[i].doc, (size_t)member_max);
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	for (i = 0; i < workers; i++) {
		if (pthread_create(&p->threads[p->nthreads], NULL, worker_main, p))
			break;
		p->nthreads++;
	}
	if (!p->nthreads) {
		pthread_cond_destroy(&p->done);
		pthread_cond_destroy(&p->work);
		pthread_mutex_destroy(&p->mu);
		free(p);
		return NULL;
	}
	return p;
}

/* Stores the oldest job once it is extracted (main thread). */
static int pipe_store_one(struct reader *r, struct err *err)
{
	struct pipeline *p = r->pipe;
	const struct feed_format *fmt = r->run->def->format;
	struct job *j = &p->jobs[p->head % RUN_PIPE_SLOTS];
	int rc = 0;

	pthread_mutex_lock(&p->mu);
	if (j->state != JOB_DONE && p->idle && p->next != p->tail)
		pthread_cond_broadcast(&p->work);
	while (j->state != JOB_DONE) {
		p->waiting = true;
		pthread_cond_wait(&p->done, &p->mu);
		p->waiting = false;
	}
	pthread_mutex_unlock(&p->mu);

	if (j->fatal) {
		*err = j->err;
		rc = j->rc;
	} else if (j->rc) {
		feed_reject(r->run, "%s", j->err.msg);
	} else if (j->record) {
		rc = fmt->store(r->run, j->record, err);
	}
	if (j->record)
		fmt->free_record(j->record);
	j->record = NULL;
	free(j->path);
	j->path = NULL;
	free(j->file);
	j->file = NULL;
	/* Keep an ordinary document's buffer for the next one. */
	if (j->doc.cap > ((size_t)1 << 20))
		buf_release(&j->doc);
	pthread_mutex_lock(&p->mu);
	p->bytes -= j->charge;
	p->head++;
	pthread_mutex_unlock(&p->mu);
	return rc;
}

/* Queues one document (data/len), or a file for a worker to read (file,
 * about len bytes), storing older records first while the queue is
 * full. */
static int pipe_submit(struct reader *r, const char *name, const char *file,
		       const char *data, size_t len, struct err *err)
{
	struct pipeline *p = r->pipe;
	struct job *j;
	int rc;

	while (p->tail - p->head == RUN_PIPE_SLOTS ||
	       (p->tail != p->head && p->bytes + len > RUN_PIPE_BYTES))
		if ((rc = pipe_store_one(r, err)))
			return rc;
	j = &p->jobs[p->tail % RUN_PIPE_SLOTS];
	j->file = NULL;
	buf_reset(&j->doc);
	if (file)
		j->file = xstrdup(file);
	else if (buf_add(&j->doc, data, len)) /* document() checked the size */
		return err_set(err, ERR_LIMIT, "'%s': more than %lld bytes", name,
			       (long long)p->member_max);
	j->charge = len;
	j->path = xstrdup(name);
	j->record = NULL;
	pthread_mutex_lock(&p->mu);
	j->state = JOB_QUEUED;
	p->bytes += len;
	p->tail++;
	if (p->idle && p->tail - p->next >= PIPE_WAKE_BATCH)
		pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->mu);
	return 0;
}

/* Stores every queued record (the end of the sources). */
static int pipe_drain(struct reader *r, struct err *err)
{
	int rc;

	while (r->pipe && r->pipe->head != r->pipe->tail)
		if ((rc = pipe_store_one(r, err)))
			return rc;
	return 0;
}

/* Stops the workers and frees the queue, with any record not stored. */
static void pipe_stop(struct reader *r)
{
	struct pipeline *p = r->pipe;
	const struct feed_format *fmt;
	size_t i;
	int t;

	if (!p)
		return;
	fmt = p->def->format;
	pthread_mutex_lock(&p->mu);
	p->stop = true;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	for (t = 0; t < p->nthreads; t++)
		pthread_join(p->threads[t], NULL);
	/* Workers finish the job they hold before they look at stop. */
	for (i = p->head; i != p->tail; i++) {
		struct job *j = &p->jobs[i % RUN_PIPE_SLOTS];

		if (j->state == JOB_DONE && j->record)
			fmt->free_record(j->record);
		free(j->path);
		free(j->file);
	}
	for (i = 0; i < RUN_PIPE_SLOTS; i++)
		buf_release(&p->jobs[i].doc);
	pthread_cond_destroy(&p->done);
	pthread_cond_destroy(&p->work);
	pthread_mutex_destroy(&p->mu);
	free(p);
	r->pipe = NULL;
}

/* libarchive's message for the last error, as our messages are written
 * (lowercase first letter). */
static const char *archive_reason(struct archive *a, char *out, size_t size)
{
	const char *msg = archive_error_string(a);

	snprintf(out, size, "%s", msg && *msg ? msg : "cannot read the archive");
	if (out[0] >= 'A' && out[0] <= 'Z' && !(out[1] >= 'A' && out[1] <= 'Z'))
		out[0] = (char)(out[0] - 'A' + 'a');
	return out;
}

/* What a blob of bytes is, by its first bytes (not its name). */
enum kind { KIND_PLAIN, KIND_ARCHIVE, KIND_COMPRESSED };

static enum kind sniff(const unsigned char *p, size_t n)
{
	if (n >= 4 && p[0] == 'P' && p[1] == 'K' &&
	    ((p[2] == 3 && p[3] == 4) || (p[2] == 5 && p[3] == 6)))
		return KIND_ARCHIVE;                           /* zip */
	if (n >= 262 && !memcmp(p + 257, "ustar", 5))
		return KIND_ARCHIVE;                           /* tar */
	if ((n >= 2 && p[0] == 0x1f && p[1] == 0x8b) ||       /* gzip */
	    (n >= 6 && !memcmp(p, "\xfd" "7zXZ\0", 6)) ||     /* xz */
	    (n >= 3 && !memcmp(p, "BZh", 3)) ||                /* bzip2 */
	    (n >= 4 && !memcmp(p, "\x28\xb5\x2f\xfd", 4)))     /* zstd */
		return KIND_COMPRESSED;
	return KIND_PLAIN;
}

static const char *basename_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash && slash[1] ? slash + 1 : path;
}

/* Whether an archive member path stays inside the archive: not absolute,
 * no ".." component (either separator, as zip files from Windows use
 * backslashes). */
static bool safe_member_path(const char *path)
{
	const char *p = path;

	if (!*path || path[0] == '/' || path[0] == '\\')
		return false;
	while (*p) {
		size_t n = strcspn(p, "/\\");

		if (n == 2 && p[0] == '.' && p[1] == '.')
			return false;
		p += n;
		if (*p)
			p++;
	}
	return true;
}

/* The offset of the first byte of data/len that is not part of a
 * well-formed UTF-8 sequence (RFC 3629 §4: no overlong forms, no
 * surrogates U+D800..U+DFFF, nothing above U+10FFFF), or len when all of
 * it is well-formed. ASCII is skipped 8 bytes at a time. */
static size_t utf8_invalid_at(const char *data, size_t len)
{
	const unsigned char *p = (const unsigned char *)data;
	size_t i = 0;

	while (i < len) {
		unsigned char c = p[i], lo = 0x80, hi = 0xbf;
		size_t n, k;

		if (c < 0x80) {
			uint64_t w;

			while (i + 8 <= len) {
				memcpy(&w, p + i, 8);
				if (w & UINT64_C(0x8080808080808080))
					break;
				i += 8;
			}
			while (i < len && p[i] < 0x80)
				i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			if (c == 0xe0)
				lo = 0xa0;          /* overlong */
			else if (c == 0xed)
				hi = 0x9f;          /* surrogates */
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			if (c == 0xf0)
				lo = 0x90;          /* overlong */
			else if (c == 0xf4)
				hi = 0x8f;          /* above U+10FFFF */
		} else {
			return i;   /* a continuation byte, C0, C1, F5..FF */
		}
		if (len - i <= n)
			return i;
		if (p[i + 1] < lo || p[i + 1] > hi)
			return i;
		for (k = 2; k <= n; k++)
			if (p[i + k] < 0x80 || p[i + k] > 0xbf)
				return i;
		i += n + 1;
	}
	return len;
}

/* Starts the workers at the first document of a format that has
 * extract(), unless the options say no. */
static void pipe_maybe_start(struct reader *r)
{
	if (r->pipe || r->no_pipe || !r->run->def->format->extract ||
	    r->opts->workers < 0)
		return;
	r->pipe = pipe_start(r->run->def, r->opts->workers, r->lim.member_max);
	r->no_pipe = !r->pipe;
}

/* One document: checked for size and UTF-8, then to parse() or the
 * pipeline. member: a member of a directory or archive (or one record
 * of an incremental run), whose bad encoding rejects that record; a
 * document named directly fails the run instead. */
static int document(struct reader *r, const char *name, const char *data,
		    size_t len, bool member, struct err *err)
{
	struct feed_run *run = r->run;
	size_t bad;
	int rc;

	if ((int64_t)len > r->lim.member_max)
		return err_set(err, ERR_LIMIT, "'%s': %zu bytes, more than the limit of %lld",
			       name, len, (long long)r->lim.member_max);
	if ((int64_t)len > r->lim.total_max - r->total)
		return err_set(err, ERR_LIMIT, "'%s': more than %lld bytes in all",
			       name, (long long)r->lim.total_max);
	r->total += (int64_t)len;
	run->documents++;
	pipe_maybe_start(r);
	/* A pipelined run's members are checked by the workers, off this
	 * thread (worker_main). */
	if (!(member && r->pipe) && (bad = utf8_invalid_at(data, len)) < len) {
		if (!member) /* run_feed() names the source */
			return err_set(err, ERR_PARSE, "not valid UTF-8 at byte %zu", bad);
		feed_reject(run, "'%s': not valid UTF-8 at byte %zu", name, bad);
		return 0;
	}
	if (r->pipe)
		rc = pipe_submit(r, name, NULL, data, len, err);
	else
		rc = run->def->format->parse(run, name, len ? data : "", len, err);
	if (rc)
		return rc;
	if (r->opts->progress)
		r->opts->progress(r->opts->progress_ctx, run->def, r->total, run->records);
	return 0;
}

/* A small file of a directory source in a pipelined run: counted here
 * (by its size on disk, checked again as the worker reads it) and
 * queued for a worker to read (job_read_file), in its place. */
static int document_file(struct reader *r, const char *name, const char *path,
			 size_t size, struct err *err)
{
	struct feed_run *run = r->run;
	int rc;

	if ((int64_t)size > r->lim.member_max)
		return err_set(err, ERR_LIMIT, "'%s': %zu bytes, more than the limit of %lld",
			       name, size, (long long)r->lim.member_max);
	if ((int64_t)size > r->lim.total_max - r->total)
		return err_set(err, ERR_LIMIT, "'%s': more than %lld bytes in all",
			       name, (long long)r->lim.total_max);
	r->total += (int64_t)size;
	run->documents++;
	rc = pipe_submit(r, name, path, NULL, size, err);
	if (!rc && r->opts->progress)
		r->opts->progress(r->opts->progress_ctx, run->def, r->total, run->records);
	return rc;
}

static int count_member(struct reader *r, const char *src, struct err *err)
{
	if (++r->members > r->lim.members_max)
		return err_set(err, ERR_LIMIT, "more than %ld entries in '%s'",
			       r->lim.members_max, src);
	return 0;
}

/* Reads the current entry's data into r->member, within the member cap. */
static int read_member(struct reader *r, struct archive *a, const char *name,
		       struct err *err)
{
	const void *block;
	size_t size;
	la_int64_t offset;
	char why[256];
	int rc;

	buf_reset(&r->member);
	for (;;) {
		rc = archive_read_data_block(a, &block, &size, &offset);
		if (rc == ARCHIVE_EOF)
			return 0;
		/* A warning inside a compressed stream is damaged data. */
		if (rc < ARCHIVE_WARN ||
		    (rc == ARCHIVE_WARN && archive_format(a) == ARCHIVE_FORMAT_RAW))
			return err_set(err, ERR_PARSE, "'%s': %s", name,
				       archive_reason(a, why, sizeof(why)));
		if (offset < 0 || (int64_t)offset > r->lim.member_max)
			return err_set(err, ERR_LIMIT, "'%s': more than %lld bytes",
				       name, (long long)r->lim.member_max);
		/* Sparse tar members leave holes, which read as zeros. */
		while ((int64_t)r->member.len < (int64_t)offset)
			if (buf_addch(&r->member, '\0'))
				return err_set(err, ERR_LIMIT, "'%s': more than %lld bytes",
					       name, (long long)r->lim.member_max);
		if (buf_add(&r->member, block, size))
			return err_set(err, ERR_LIMIT, "'%s': more than %lld bytes",
				       name, (long long)r->lim.member_max);
	}
}

/* CRC-32 of RFC 1952 §8 (the ISO 3309 polynomial, reflected), bitwise
 * per byte through a table built once. */
static uint32_t crc_table[256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void crc_init(void)
{
	uint32_t c, n, k;

	for (n = 0; n < 256; n++) {
		c = n;
		for (k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[n] = c;
	}
}

static uint32_t crc32_of(const char *data, size_t len)
{
	const unsigned char *p = (const unsigned char *)data;
	uint32_t c = 0xffffffffu;
	size_t i;

	pthread_once(&crc_once, crc_init);
	for (i = 0; i < len; i++)
		c = crc_table[(c ^ p[i]) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffu;
}

/* libarchive's gzip filter does not check a member's trailer (CRC-32
 * and ISIZE, RFC 1952 §2.3.1), so a download damaged inside the deflate
 * data can decompress to wrong bytes and be taken. The trailer at the
 * end of the file must match the whole document: feeds serve one gzip
 * member (gzip(1), Python's gzip), so a file of several concatenated
 * members is refused too, which is the safe side. */
static int check_gzip_trailer(const char *gz, size_t gzlen, const char *doc,
			      size_t len, struct err *err)
{
	const unsigned char *t = (const unsigned char *)gz + gzlen - 8;
	uint32_t crc, isize;

	if (gzlen < 18 || (unsigned char)gz[0] != 0x1f || (unsigned char)gz[1] != 0x8b)
		return 0; /* not gzip: xz, bzip2 and zstd check their own */
	crc = (uint32_t)t[0] | (uint32_t)t[1] << 8 | (uint32_t)t[2] << 16 |
	      (uint32_t)t[3] << 24;
	isize = (uint32_t)t[4] | (uint32_t)t[5] << 8 | (uint32_t)t[6] << 16 |
		(uint32_t)t[7] << 24;
	if (isize != (uint32_t)len)
		return err_set(err, ERR_PARSE,
			       "gzip length %u does not match the %zu bytes of data (a damaged download)",
			       isize, len);
	if (crc != crc32_of(doc, len))
		return err_set(err, ERR_PARSE,
			       "gzip CRC-32 does not match the data (a damaged download)");
	return 0;
}

/* The document name of a compressed single file: its name without the
 * compression suffix ("epss_scores-current.csv.gz" -> "...csv"). */
static char *strip_compression(const char *name)
{
	static const char *const suffixes[] = { ".gz", ".xz", ".bz2", ".zst" };
	size_t n = strlen(name), i, s;

	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		s = strlen(suffixes[i]);
		if (n > s && !strcmp(name + n - s, suffixes[i]))
			return xstrndup(name, n - s);
	}
	return xstrdup(name);
}

static int read_archive(struct reader *r, const char *src, const char *data,
			size_t len, bool compressed, struct err *err)
{
	struct archive *a = archive_read_new();
	struct archive_entry *entry;
	const struct feed_format *fmt = r->run->def->format;
	char *single = NULL, why[256];
	int rc = 0, ar;

	/* Only what feeds use: fewer parsers facing hostile input. */
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_xz(a);
	archive_read_support_filter_bzip2(a);
	archive_read_support_filter_zstd(a);
	archive_read_support_format_tar(a);
	/* Zip only through its central directory: the streaming reader takes
	 * a zip cut before its directory as complete, and a full run would
	 * then silently drop the members it never saw. */
	archive_read_support_format_zip_seekable(a);
	if (compressed)
		archive_read_support_format_raw(a);
	/* Errors about the archive as a whole leave naming it to the
	 * caller, which knows it by its path or URL. */
	if (archive_read_open_memory(a, data, len) != ARCHIVE_OK) {
		rc = err_set(err, ERR_PARSE, "cannot read the archive: %s",
			     archive_reason(a, why, sizeof(why)));
		goto out;
	}
	r->members = 0;
	while ((ar = archive_read_next_header(a, &entry)) == ARCHIVE_OK ||
	       ar == ARCHIVE_WARN) {
		const char *path = archive_entry_pathname(entry);

		rc = count_member(r, src, err);
		if (rc)
			goto out;
		if (archive_format(a) == ARCHIVE_FORMAT_RAW) {
			/* A compressed single document: no want(), it was
			 * named directly. */
			free(single);
			single = strip_compression(basename_of(src));
			rc = read_member(r, a, single, err);
			if (!rc)
				rc = check_gzip_trailer(data, len, r->member.ptr,
							r->member.len, err);
			if (!rc)
				rc = document(r, single, r->member.ptr, r->member.len,
					      false, err);
			if (rc)
				goto out;
			continue;
		}
		if (!path || !safe_member_path(path)) {
			rc = err_set(err, ERR_PARSE,
				     "member '%s' has a path outside the archive",
				     path ? path : "");
			goto out;
		}
		while (path[0] == '.' && path[1] == '/')
			path += 2;
		if (archive_entry_filetype(entry) != AE_IFREG ||
		    (fmt->want && !fmt->want(r->run, path)))
			continue; /* the next header skips the data */
		if (archive_entry_size_is_set(entry) &&
		    archive_entry_size(entry) > r->lim.member_max) {
			rc = err_set(err, ERR_LIMIT, "'%s': %lld bytes, more than the limit of %lld",
				     path, (long long)archive_entry_size(entry),
				     (long long)r->lim.member_max);
			goto out;
		}
		rc = read_member(r, a, path, err);
		if (!rc)
			rc = document(r, path, r->member.ptr, r->member.len, true, err);
		if (rc)
			goto out;
	}
	if (ar != ARCHIVE_EOF)
		rc = err_set(err, ERR_PARSE, "cannot read the archive: %s",
			     archive_reason(a, why, sizeof(why)));
out:
	free(single);
	archive_read_free(a);
	return rc;
}

/* One blob named directly (a file, a download): an archive, a compressed
 * document or a plain document. */
static int read_blob(struct reader *r, const char *name, const char *data,
		     size_t len, struct err *err)
{
	switch (sniff((const unsigned char *)data, len)) {
	case KIND_ARCHIVE:
		return read_archive(r, name, data, len, false, err);
	case KIND_COMPRESSED:
		return read_archive(r, name, data, len, true, err);
	case KIND_PLAIN:
	default:
		return document(r, basename_of(name), data, len, false, err);
	}
}

/* Maps an open regular file read-only; *len 0 maps nothing. */
static int map_fd(int fd, const char *name, const char **out, size_t *len,
		  int64_t cap, struct err *err)
{
	struct stat st;
	void *p;

	if (fstat(fd, &st) < 0)
		return err_set(err, ERR_IO, "cannot read '%s': %s", name, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return err_set(err, ERR_IO, "cannot read '%s': not a regular file", name);
	if (st.st_size > cap)
		return err_set(err, ERR_LIMIT, "'%s': %lld bytes, more than the limit of %lld",
			       name, (long long)st.st_size, (long long)cap);
	*len = (size_t)st.st_size;
	if (*len == 0) {
		*out = "";
		return 0;
	}
	p = mmap(NULL, *len, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		return err_set(err, ERR_IO, "cannot read '%s': %s", name, strerror(errno));
	*out = p;
	return 0;
}

static void unmap(const char *p, size_t len)
{
	if (len)
		munmap((void *)p, len);
}

/* Archives can be much bigger than one document: the cap of a file read
 * as a whole is the run's total. */
static int read_fd(struct reader *r, int fd, const char *name, struct err *err)
{
	const char *data = NULL;
	size_t len = 0;
	int rc;

	rc = map_fd(fd, name, &data, &len, r->lim.total_max, err);
	if (rc)
		return rc;
	rc = read_blob(r, name, data, len, err);
	unmap(data, len);
	return rc;
}

static int read_file(struct reader *r, const char *path, struct err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return err_set(err, ERR_IO, "cannot open '%s': %s", path, strerror(errno));
	rc = read_fd(r, fd, path, err);
	close(fd);
	return rc;
}

/* Files up to this size are read into the member buffer rather than
 * mapped: a vulns.git checkout is some 15 000 files of 10 KB, and a
 * mapping each (mmap, page faults, munmap) cost more system time than the
 * copy. */
#define RUN_SMALL_FILE ((off_t)1 << 20)


static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Walks root/rel in sorted order; rel is "" at the top and names every
 * document relative to root, as archive members are named. */
static int walk(struct reader *r, const char *root, struct buf *rel, int depth,
		struct err *err)
{
	struct buf full;
	char **names = NULL;
	size_t n = 0, alloc = 0, i, rel_len = rel->len;
	struct dirent *de;
	DIR *dir;
	int rc = 0;

	if (depth > RUN_DEPTH_MAX)
		return err_set(err, ERR_LIMIT, "'%s/%s': nested deeper than %d",
			       root, rel->ptr, RUN_DEPTH_MAX);
	buf_init(&full, 8192);
	if (buf_addf(&full, "%s%s%s", root, rel_len ? "/" : "", rel->ptr)) {
		rc = err_set(err, ERR_LIMIT, "'%s': path too long", root);
		goto out;
	}
	dir = opendir(full.ptr);
	if (!dir) {
		rc = err_set(err, ERR_IO, "cannot read directory '%s': %s", full.ptr,
			     strerror(errno));
		goto out;
	}
	while ((de = readdir(dir))) {
		/* Hidden entries: ".", "..", and .git of a vulns.git checkout. */
		if (de->d_name[0] == '.')
			continue;
		if (n == (size_t)r->lim.members_max) {
			rc = err_set(err, ERR_LIMIT, "more than %ld entries in '%s'",
				     r->lim.members_max, root);
			break;
		}
		XGROW(names, alloc, n + 1);
		names[n++] = xstrdup(de->d_name);
	}
	if (rc)
		goto out_dir;
	qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n && !rc; i++) {
		struct stat st;
		size_t full_len = full.len;

		buf_truncate(rel, rel_len);
		if ((rel_len && buf_addch(rel, '/')) || buf_addstr(rel, names[i]) ||
		    buf_addch(&full, '/') || buf_addstr(&full, names[i])) {
			rc = err_set(err, ERR_LIMIT, "'%s': path too long", root);
			break;
		}
		/* By name in the open directory: a path lookup of one
		 * component, not of the whole path, for each of 15 000
		 * records. */
		if (fstatat(dirfd(dir), names[i], &st, AT_SYMLINK_NOFOLLOW) < 0) {
			rc = err_set(err, ERR_IO, "cannot read '%s': %s", full.ptr,
				     strerror(errno));
		} else if (S_ISDIR(st.st_mode)) {
			rc = walk(r, root, rel, depth + 1, err);
		} else if (S_ISREG(st.st_mode)) {
			rc = count_member(r, root, err);
			if (!rc && (!r->run->def->format->want ||
				    r->run->def->format->want(r->run, rel->ptr))) {
				const char *data = NULL;
				size_t len = 0;
				int fd;

				pipe_maybe_start(r);
				if (r->pipe && st.st_size <= RUN_SMALL_FILE) {
					rc = document_file(r, rel->ptr, full.ptr,
							   (size_t)st.st_size, err);
					buf_truncate(&full, full_len);
					continue;
				}
				fd = open(full.ptr, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
				if (fd < 0) {
					rc = err_set(err, ERR_IO, "cannot open '%s': %s",
						     full.ptr, strerror(errno));
				} else if (st.st_size <= RUN_SMALL_FILE) {
					rc = read_whole(fd, rel->ptr, &r->member,
							r->lim.member_max, err);
					close(fd);
					if (!rc)
						rc = document(r, rel->ptr, r->member.ptr,
							      r->member.len, true, err);
				} else {
					rc = map_fd(fd, rel->ptr, &data, &len,
						    r->lim.member_max, err);
					close(fd);
					if (!rc) {
						rc = document(r, rel->ptr, data, len,
							      true, err);
						unmap(data, len);
					}
				}
			}
		}
		/* Symbolic links and special files are skipped: a feed
		 * checkout has none, and following them could leave it. */
		buf_truncate(&full, full_len);
	}
	buf_truncate(rel, rel_len);
out_dir:
	closedir(dir);
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	buf_release(&full);
	return rc;
}

static int read_source(struct reader *r, const struct run_source *src,
		       struct err *err)
{
	struct stat st;
	struct buf rel;
	int rc;

	r->members = 0;
	if (!src->path && src->fd < 0 && src->data)
		return document(r, src->name ? src->name : "document", src->data,
				src->len, true, err);
	if (!src->path)
		return read_fd(r, src->fd, src->name ? src->name : "download", err);
	if (stat(src->path, &st) < 0)
		return err_set(err, ERR_IO, "cannot read '%s': %s", src->path,
			       strerror(errno));
	if (S_ISDIR(st.st_mode)) {
		buf_init(&rel, 8192);
		rc = walk(r, src->path, &rel, 0, err);
		buf_release(&rel);
		return rc;
	}
	return read_file(r, src->path, err);
}

static int64_t clock_now(const struct run_options *opts)
{
	return opts && opts->now > 0 ? opts->now : (int64_t)time(NULL);
}

static void limits_of(struct run_limits *out, const struct run_options *opts)
{
	out->member_max = opts->limits.member_max > 0 ? opts->limits.member_max
						      : RUN_MEMBER_MAX_DEFAULT;
	out->members_max = opts->limits.members_max > 0 ? opts->limits.members_max
							: RUN_MEMBERS_MAX_DEFAULT;
	out->total_max = opts->limits.total_max > 0 ? opts->limits.total_max
						    : RUN_TOTAL_MAX_DEFAULT;
}

/* Keeps (id, digest) of the feed's advisories before the run, so the run
 * can say afterwards what is new, changed and gone. */
static int snapshot_before(struct store *s, const struct feed_def *def,
			   struct err *err)
{
	int n;

	n = store_exec(s, err, "DELETE FROM temp.run_before", NULL);
	if (n >= 0)
		n = store_exec(s, err,
			       "INSERT INTO temp.run_before(id, digest)"
			       " SELECT id, digest FROM advisory WHERE feed = ?",
			       "s", def->name);
	return n < 0 ? n : 0;
}

static int compare_after(struct store *s, const struct feed_def *def,
			 struct run_result *res, long long *before, struct err *err)
{
	struct store_rows rows = STORE_ROWS_INIT;
	int rc;

	rc = store_query(s, &rows, err,
			 "SELECT"
			 " (SELECT count(*) FROM advisory a WHERE a.feed = ?1 AND NOT EXISTS"
			 "  (SELECT 1 FROM temp.run_before b WHERE b.id = a.id)),"
			 " (SELECT count(*) FROM advisory a JOIN temp.run_before b ON b.id = a.id"
			 "  WHERE a.feed = ?1 AND a.digest IS NOT b.digest),"
			 " (SELECT count(*) FROM temp.run_before b WHERE NOT EXISTS"
			 "  (SELECT 1 FROM advisory a WHERE a.feed = ?1 AND a.id = b.id)),"
			 " (SELECT count(*) FROM temp.run_before)",
			 "s", def->name);
	if (rc)
		return rc;
	rc = store_rows_next(&rows);
	if (rc > 0) {
		res->added = (long)store_rows_int(&rows, 0);
		res->changed = (long)store_rows_int(&rows, 1);
		res->removed = (long)store_rows_int(&rows, 2);
		*before = store_rows_int(&rows, 3);
		rc = 0;
	} else if (rc == 0) {
		rc = err_set(err, ERR_STORE, "no answer comparing advisories");
	}
	store_rows_done(&rows);
	return rc;
}

static int count_records(struct feed_run *run, long long *out, struct err *err)
{
	if (run->def->format->count)
		return run->def->format->count(run, out, err);
	return store_query_int(run->store, out, err,
			       "SELECT (SELECT count(*) FROM advisory WHERE feed = ?1)"
			       " + (SELECT count(*) FROM upstream_release WHERE feed = ?1)",
			       "s", run->def->name);
}

int run_feed(struct store *s, const struct feed_def *def,
	     const struct run_source *sources, size_t nsources,
	     const struct run_options *opts, struct run_result *out,
	     struct err *err)
{
	static const struct run_options no_opts = { 0 };
	const struct feed_format *fmt = def->format;
	struct feed_run run = { 0 };
	struct reader r = { 0 };
	struct run_result res = { 0 };
	struct err ignored;
	int64_t now;
	long long before = 0, held = 0;
	bool began = false, changed;
	size_t i;
	int rc;

	if (!opts)
		opts = &no_opts;
	now = clock_now(opts);
	run.store = s;
	run.def = def;
	run.source = opts->source;
	run.full = !opts->incremental;
	r.run = &run;
	r.opts = opts;
	limits_of(&r.lim, opts);
	buf_init(&r.member, (size_t)r.lim.member_max);

	/* A run is one transaction: with sqlite's default page cache (2 MB)
	 * the pages of a big run spill to the WAL and are written again and
	 * again (a kernel-cna import wrote 230 MB for a 30 MB database and
	 * read much of it back). The cache grows only as pages are used,
	 * up to 64 MB, for the rest of this connection. */
	rc = store_exec_script(s, err,
			       "PRAGMA cache_size = -65536;"
			       "CREATE TEMP TABLE IF NOT EXISTS run_before"
			       " (id TEXT PRIMARY KEY, digest TEXT)");
	if (rc)
		goto fail;
	rc = store_begin(s, err);
	if (rc)
		goto fail;
	rc = store_exec(s, err, "INSERT INTO feed(name) VALUES (?) ON CONFLICT(name) DO NOTHING",
			"s", def->name);
	if (rc < 0)
		goto fail;
	rc = store_query_text(s, &run.feed_state, err,
			      "SELECT state FROM feed WHERE name = ?", "s", def->name);
	if (rc)
		goto fail;
	rc = snapshot_before(s, def, err);
	if (!rc)
		rc = count_records(&run, &held, err);
	if (rc)
		goto fail;
	if (fmt->begin) {
		rc = fmt->begin(&run, err);
		if (rc)
			goto fail;
	}
	began = true;
	for (i = 0; opts->incremental && i < opts->ngone; i++) {
		rc = feed_delete_advisory(&run, opts->gone[i], err);
		if (rc)
			goto fail;
	}
	for (i = 0; i < nsources; i++) {
		rc = read_source(&r, &sources[i], err);
		if (rc) {
			const char *name = sources[i].path ? sources[i].path
				: opts->source ? opts->source : sources[i].name;

			/* Name the source unless the message already does. */
			if (name && !strstr(err->msg, name))
				err_prefix(err, "'%s'", name);
			goto fail;
		}
	}
	rc = pipe_drain(&r, err);
	pipe_stop(&r);
	if (rc)
		goto fail;
	began = false;
	if (fmt->finish) {
		rc = fmt->finish(&run, err);
		if (rc)
			goto fail;
	}
	rc = compare_after(s, def, &res, &before, err);
	if (!rc)
		rc = count_records(&run, &res.records, err);
	if (rc)
		goto fail;
	/* A full run replaces the feed: one that kept nothing of what it
	 * read, or that would empty a feed holding records, is a damaged
	 * or hostile source, not news (run.h). */
	if (run.full && res.records == 0 && run.rejected > 0) {
		rc = err_set(err, ERR_PARSE, "every record was rejected, the first: %s",
			     run.first_reject.msg);
		goto fail;
	}
	if (run.full && res.records == 0 && held > 0) {
		rc = err_set(err, ERR_PARSE, "would remove all %lld record%s of '%s'; keeping them",
			     held, held == 1 ? "" : "s", def->name);
		goto fail;
	}
	/* A feed without advisories (kev, epss, releases) changes whenever
	 * its source did; an advisory feed when an advisory did. */
	changed = res.added || res.changed || res.removed ||
		  (before == 0 && res.records > 0);
	rc = store_exec(s, err,
			"UPDATE feed SET source = ?2, etag = ?3, last_modified = ?4,"
			" last_attempt = ?5, last_success = ?5,"
			" last_change = CASE WHEN ?6 OR last_change IS NULL THEN ?5"
			"  ELSE last_change END,"
			" records = ?7, rejected = ?8, last_error = NULL, state = ?9"
			" WHERE name = ?1",
			"ssssiiiis", def->name, opts->source, opts->etag,
			opts->last_modified, (long long)now, (long long)changed,
			res.records, (long long)run.rejected, run.feed_state);
	if (rc < 0)
		goto fail;
	rc = store_commit(s, err);
	if (rc)
		goto fail;
	res.rejected = run.rejected;
	res.first_reject = run.first_reject;
	res.documents = run.documents;
	res.bytes = r.total;
	*out = res;
	free(run.feed_state);
	buf_release(&r.member);
	return 0;
fail:
	if (rc >= 0)
		rc = ERR_FAIL;
	pipe_stop(&r);
	if (began && fmt->finish)
		fmt->finish(&run, &ignored);
	free(run.feed_state);
	buf_release(&r.member);
	store_rollback(s);
	run_record_failure(s, def, err->msg, now, &ignored);
	return rc;
}

void run_plan_release(struct feed_plan *plan)
{
	size_t i;

	if (!plan)
		return;
	for (i = 0; i < plan->n; i++) {
		free(plan->urls ? plan->urls[i] : NULL);
		free(plan->ids ? plan->ids[i] : NULL);
	}
	free(plan->urls);
	free(plan->ids);
	memset(plan, 0, sizeof(*plan));
}

int run_not_modified(struct store *s, const struct feed_def *def, int64_t now,
		     struct err *err)
{
	int rc;

	if (now <= 0)
		now = (int64_t)time(NULL);
	rc = store_begin(s, err);
	if (rc)
		return rc;
	rc = store_exec(s, err,
			"UPDATE feed SET last_attempt = ?2, last_success = ?2,"
			" last_error = NULL WHERE name = ?1",
			"si", def->name, (long long)now);
	if (rc >= 0)
		rc = store_commit(s, err);
	if (rc < 0) {
		store_rollback(s);
		return rc;
	}
	return 0;
}

int run_record_failure(struct store *s, const struct feed_def *def,
		       const char *message, int64_t now, struct err *err)
{
	int rc;

	if (now <= 0)
		now = (int64_t)time(NULL);
	store_rollback(s);
	rc = store_begin(s, err);
	if (rc)
		return rc;
	rc = store_exec(s, err, "INSERT INTO feed(name) VALUES (?) ON CONFLICT(name) DO NOTHING",
			"s", def->name);
	if (rc >= 0)
		rc = store_exec(s, err,
				"UPDATE feed SET last_attempt = ?2, last_error = ?3"
				" WHERE name = ?1",
				"sis", def->name, (long long)now,
				message && *message ? message : "failed");
	if (rc >= 0)
		rc = store_commit(s, err);
	if (rc < 0) {
		store_rollback(s);
		return rc;
	}
	return 0;
}

void run_config_of(struct run_config *out, const struct feed_def *def,
		   const struct config *cfg)
{
	const struct config_feed *cf = cfg ? config_feed_find(cfg, def->name) : NULL;
	const char *url = cf && cf->url ? cf->url : def->url;

	memset(out, 0, sizeof(*out));
	out->url = fetch_mirror_url(url, cf ? cf->mirror : NULL);
	/* http:// only ever comes from a configured mirror: the config
	 * refuses it for `url`, and every default URL is https://. */
	out->allow_http = cf && cf->mirror && !strncmp(out->url, "http://", 7);
	out->enabled = !cf || cf->enabled != 0;
	if (cf && cf->max_age > 0)
		out->max_age = cf->max_age;
	else if (def->max_age > 0)
		out->max_age = def->max_age;
	else if (cfg && cfg->policy.feed_max_age > 0)
		out->max_age = cfg->policy.feed_max_age;
	else
		out->max_age = 2 * 86400;
	out->max_bytes = cf && cf->max_bytes > 0 ? cf->max_bytes : 0;
	out->timeout = cf && cf->timeout > 0 ? (long)cf->timeout : 0;
}

void run_config_release(struct run_config *rc)
{
	free(rc->url);
	rc->url = NULL;
}

int run_config_check(const struct config *cfg, struct err *err)
{
	size_t i;

	for (i = 0; cfg && i < cfg->nfeeds; i++)
		if (!feed_def_find(cfg->feeds[i].name))
			return err_set(err, ERR_CONFIG, "%s:%d: unknown feed '%s'",
				       cfg->path ? cfg->path : "config",
				       cfg->feeds[i].line, cfg->feeds[i].name);
	return 0;
}

bool run_is_stale(int64_t last_success, int64_t max_age, int64_t now)
{
	return last_success <= 0 || now - last_success > max_age;
}
