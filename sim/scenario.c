/*
 * scenario.c -- loads a scenario (an fio job file plus the simulator sections) or a plain INI
 * file, through a normalising pass and GKeyFile, and answers typed lookups whose errors name
 * the original FILE:LINE, the section and the key.
 *
 * Design notes and invariants:
 *
 * (1) The normalising pass reads the raw bytes line by line and accepts what fio accepts and
 *     GKeyFile does not: ';' and '#' comment lines, comments after a value (fio cuts a line at
 *     its first ';' or '#', so do we), bare keys ("time_based" = true), blanks around '=',
 *     CRLF, a missing final newline, a UTF-8 BOM, repeated job section names (separate jobs)
 *     and repeated keys in one section (the last one wins, in the position of the first).
 *     `include FILE` (fio's directive) pulls lines from FILE into the current section.
 *     Anything that is not text (NUL bytes, control characters, invalid UTF-8) is an error
 *     naming the line, never a crash.
 * (2) Every section of the normalised text is a GKeyFile group of its own, named by its index
 *     ("s0", "s1", ...), so duplicate names cannot merge.  The line map is the (file, line)
 *     kept with each key: it is the origin of the value, and every message is prefixed with
 *     it.  Values set by scn_set() have the origin "--set SECTION.KEY=VALUE", line 0.
 * (3) A section's lookups fall back along `parent`: a job to the [global] in effect before
 *     it, a [global] to the [global] before it (fio parses every [global] into the same
 *     defaults, so a later [global] adds to and overrides the earlier ones for later jobs
 *     only).  Simulator and plain sections have no parent.
 * (4) Simulator sections ([host] [disk] [fs] [policy] [sim]) and plain sections appear at most
 *     once; a repeat is an error naming both lines.  scn_section() never returns NULL: an
 *     absent section is an empty one (kept in `absent`, created on first request).
 * (5) Values are stored as written (no $VAR expansion, no unescaping).  Nothing here knows
 *     what a key means: the owning modules check their keys (scn_check_keys,
 *     scn_check_job_keys) and parse their values through the typed getters.
 * (6) Bad input is a GError in SCN_ERROR; g_assert only guards against misuse by callers.
 * (7) Every file is read through scn_read_input: a regular file only (a FIFO, device or
 *     directory is refused by name, checked on the opened descriptor, and opening never
 *     blocks).  One load reads at most SCN_MAX_FILE bytes in all, follows at most
 *     SCN_MAX_INCLUDES include directives and nests them at most SCN_MAX_INCLUDE deep, so
 *     a job file whose includes multiply at each level (each file including the next one
 *     twice: 2^16 reads at depth 16) is refused at once; the message names the chain of
 *     includes that led there.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/scenario.h"

/* Bounds on what one load reads (note 7). */
#define SCN_MAX_FILE (64u << 20) /* bytes, the file and its includes together */
#define SCN_MAX_INCLUDE 16       /* include depth, to stop cycles */
#define SCN_MAX_INCLUDES 256     /* include directives followed, in all */

static const char *const sim_sections[] = {"host", "disk", "block", "fs", "policy", "sim", NULL};
static const char set_file[] = "--set";

enum sect_kind { SK_SIM, SK_GLOBAL, SK_JOB, SK_PLAIN, SK_JOBSIM };

/* The prefix of a simulator file's per-job sections: [job:NAME] (note 8). */
#define JOBSIM_PREFIX "job:"
/* The "file" of values given on the command line (note 9). */
static const char cmdline_file[] = "command line";

struct scn_val {
	char *key;
	char *value; /* "" for a bare key */
	bool bare;
	const char *file; /* an entry of scn->files, or set_file */
	int line;         /* 0 for --set */
	char *origin;     /* "--set SECTION.KEY=VALUE" for overrides, else NULL */
	const struct scn_sect *sect;
};

struct scn_sect {
	struct scn *scn;
	char *name;
	enum sect_kind kind;
	bool present;                  /* in the file or created by --set */
	const char *file;              /* where the header is (NULL if none) */
	int line;                      /* header line, 0 if none */
	GPtrArray *vals;               /* struct scn_val *, own keys in order of first appearance */
	GHashTable *index;             /* key -> struct scn_val * */
	const struct scn_sect *parent; /* (3) */
};

struct scn {
	char *path;
	char *name;
	enum scn_mode mode;
	GPtrArray *files;   /* char *: interned paths of the file and its includes */
	GPtrArray *sects;   /* struct scn_sect *, every present section in file order (owned) */
	GPtrArray *jobs;    /* job sections in order (borrowed) */
	GPtrArray *globals; /* [global] sections in order (borrowed) */
	GHashTable *named;  /* name -> first section of that name (borrowed) */
	GHashTable *absent; /* name -> empty section (owned) */
	GPtrArray *warnings;
	char *unmodelled; /* the scn_check_job_keys warning, also in warnings */
};

GQuark
scn_error_quark(void)
{
	return g_quark_from_static_string("vnodesim-scenario-error");
}

/* ---- sections and values ---- */

static void
val_free(gpointer p)
{
	struct scn_val *v = p;
	g_free(v->key);
	g_free(v->value);
	g_free(v->origin);
	g_free(v);
}

static struct scn_sect *
sect_new(struct scn *s, const char *name, enum sect_kind kind, const char *file, int line)
{
	struct scn_sect *sec = g_new0(struct scn_sect, 1);
	sec->scn = s;
	sec->name = g_strdup(name);
	sec->kind = kind;
	sec->file = file;
	sec->line = line;
	sec->vals = g_ptr_array_new_with_free_func(val_free);
	sec->index = g_hash_table_new(g_str_hash, g_str_equal);
	return sec;
}

static void
sect_free(gpointer p)
{
	struct scn_sect *sec = p;
	if (!sec)
		return;
	g_hash_table_destroy(sec->index);
	g_ptr_array_free(sec->vals, TRUE);
	g_free(sec->name);
	g_free(sec);
}

/* Set KEY in SEC (the last assignment wins and keeps the first one's position). */
static void
sect_set(struct scn_sect *sec, const char *key, const char *value, bool bare, const char *file,
         int line, const char *origin)
{
	struct scn_val *v = g_hash_table_lookup(sec->index, key);
	if (!v) {
		v = g_new0(struct scn_val, 1);
		v->key = g_strdup(key);
		v->sect = sec;
		g_ptr_array_add(sec->vals, v);
		g_hash_table_insert(sec->index, v->key, v);
	}
	g_free(v->value);
	g_free(v->origin);
	v->value = g_strdup(value);
	v->bare = bare;
	v->file = file;
	v->line = line;
	v->origin = g_strdup(origin);
}

static const struct scn_val *
lookup(const struct scn_sect *sec, const char *key)
{
	for (; sec; sec = sec->parent) {
		const struct scn_val *v = g_hash_table_lookup(sec->index, key);
		if (v)
			return v;
	}
	return NULL;
}

static bool
in_list(const char *const *list, const char *name)
{
	for (; list && *list; list++)
		if (strcmp(*list, name) == 0)
			return true;
	return false;
}

static struct scn *
scn_alloc(const char *path, enum scn_mode mode)
{
	struct scn *s = g_new0(struct scn, 1);
	s->path = g_strdup(path);
	char *base = g_path_get_basename(path);
	if (g_str_has_suffix(base, ".ini") || g_str_has_suffix(base, ".fio"))
		base[strlen(base) - 4] = '\0';
	s->name = base;
	s->mode = mode;
	s->files = g_ptr_array_new_with_free_func(g_free);
	s->sects = g_ptr_array_new_with_free_func(sect_free);
	s->jobs = g_ptr_array_new();
	s->globals = g_ptr_array_new();
	s->named = g_hash_table_new(g_str_hash, g_str_equal);
	s->absent = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, sect_free);
	s->warnings = g_ptr_array_new_with_free_func(g_free);
	return s;
}

void
scn_free(struct scn *s)
{
	if (!s)
		return;
	g_ptr_array_free(s->warnings, TRUE);
	g_hash_table_destroy(s->absent);
	g_hash_table_destroy(s->named);
	g_ptr_array_free(s->globals, TRUE);
	g_ptr_array_free(s->jobs, TRUE);
	g_ptr_array_free(s->sects, TRUE);
	g_ptr_array_free(s->files, TRUE);
	g_free(s->name);
	g_free(s->path);
	g_free(s);
}

struct scn *
scn_new_empty(const char *name)
{
	g_assert(name);
	return scn_alloc(name, SCN_JOBFILE);
}

/* ---- the normalising pass (1) ---- */

struct parse {
	struct scn *s;
	bool simfile;         /* a --sim file: simulator sections and [job:NAME] only (note 8) */
	struct scn_sect *cur; /* section the next key goes to */
	struct scn_sect *cur_global; /* the [global] in effect */
	GPtrArray *chain;            /* "FILE:LINE" of each include being read, outermost first */
	guint includes;              /* include directives followed so far (7) */
	uint64_t bytes;              /* bytes read so far, every file (7) */
};

static bool fail(GError **err, const char *file, int line, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);

/* Set *err to "FILE:LINE: message" (or "FILE: message" when LINE is 0); returns false. */
static bool
fail(GError **err, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	if (line > 0)
		g_set_error(err, SCN_ERROR, SCN_ERROR_BAD_INPUT, "%s:%d: %s", file, line, msg);
	else
		g_set_error(err, SCN_ERROR, SCN_ERROR_BAD_INPUT, "%s: %s", file, msg);
	g_free(msg);
	return false;
}

static bool
is_key_char(char c)
{
	return g_ascii_isalnum(c) || c == '_' || c == '-';
}

static bool
valid_key(const char *k)
{
	if (!*k)
		return false;
	for (; *k; k++)
		if (!is_key_char(*k))
			return false;
	return true;
}

/* What a file that is not a regular one is, for messages. */
static const char *
file_kind(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISSOCK(m))
		return "a socket";
	return "not a regular file";
}

bool
scn_read_input(const char *path, uint64_t max, char **data, size_t *len, GError **err)
{
	g_assert(path && data && len);
	/* O_NONBLOCK: opening a FIFO for reading would wait for a writer; the check below is
	 * on the opened descriptor, so what is read is what was checked */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		int e = errno;
		g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(e), "%s: cannot open: %s",
		            path, g_strerror(e));
		return false;
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		int e = errno;
		close(fd);
		g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(e), "%s: cannot read: %s",
		            path, g_strerror(e));
		return false;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_INVAL,
		            "%s: not a regular file (%s): only files are read as input", path,
		            file_kind(st.st_mode));
		return false;
	}
	if ((uint64_t)st.st_size > max) {
		close(fd);
		g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_FAILED,
		            "%s: too large (%" G_GUINT64_FORMAT " bytes; at most %" G_GUINT64_FORMAT
		            " are read)",
		            path, (guint64)st.st_size, (guint64)max);
		return false;
	}
	/* the size may change while it is read: read to the end, never past MAX */
	size_t cap = (size_t)st.st_size + 1, n = 0;
	char *buf = g_try_malloc(cap + 1);
	bool ok = buf != NULL;
	int e = ENOMEM;
	while (ok) {
		if (n == cap) {
			if ((uint64_t)n > max) {
				e = EFBIG;
				ok = false;
				break;
			}
			size_t ncap = cap * 2 > cap ? cap * 2 : cap + 1;
			char *nb = g_try_realloc(buf, ncap + 1);
			if (!nb) {
				ok = false;
				break;
			}
			buf = nb;
			cap = ncap;
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			e = errno;
			ok = false;
		} else if (r == 0) {
			break;
		} else {
			n += (size_t)r;
		}
	}
	close(fd);
	if (ok && (uint64_t)n > max) {
		e = EFBIG;
		ok = false;
	}
	if (!ok) {
		g_free(buf);
		if (e == EFBIG)
			g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_FAILED,
			            "%s: too large (over %" G_GUINT64_FORMAT " bytes)", path,
			            (guint64)max);
		else
			g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(e),
			            "%s: cannot read: %s", path, g_strerror(e));
		return false;
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	scn_inputs_note(path, buf, n);
	return true;
}

/* The inputs read by this process (scn_inputs_digest): "SHA256 PATH" per read. */
static GPtrArray *inputs;

void
scn_inputs_note(const char *path, const char *data, size_t len)
{
	if (!inputs)
		inputs = g_ptr_array_new_with_free_func(g_free);
	char *h = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)data, len);
	g_ptr_array_add(inputs, g_strdup_printf("%s %s", h, path));
	g_free(h);
}

void
scn_inputs_reset(void)
{
	if (inputs)
		g_ptr_array_set_size(inputs, 0);
}

static int
cmp_str(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char *
scn_inputs_digest(void)
{
	/* the contents' digests, sorted and unique: the same inputs give the same text
	 * whatever their paths (relative or absolute) and the order they were read in */
	GPtrArray *h = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; inputs && i < inputs->len; i++) {
		const char *e = inputs->pdata[i];
		g_ptr_array_add(h, g_strndup(e, strcspn(e, " ")));
	}
	g_ptr_array_sort(h, cmp_str);
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < h->len; i++)
		if (i == 0 || strcmp(h->pdata[i], h->pdata[i - 1]))
			g_string_append_printf(s, "input %s\n", (char *)h->pdata[i]);
	g_ptr_array_free(h, TRUE);
	return g_string_free(s, FALSE);
}

/* Read PATH whole (scn_read_input); the message names the path. */
static bool
read_file(const char *path, uint64_t max, char **data, size_t *len, GError **err)
{
	GError *e = NULL;
	if (scn_read_input(path, max, data, len, &e))
		return true;
	g_set_error_literal(err, SCN_ERROR, SCN_ERROR_FILE, e->message);
	g_error_free(e);
	return false;
}

static const char *
intern_file(struct scn *s, const char *path)
{
	for (guint i = 0; i < s->files->len; i++)
		if (strcmp(g_ptr_array_index(s->files, i), path) == 0)
			return g_ptr_array_index(s->files, i);
	g_ptr_array_add(s->files, g_strdup(path));
	return g_ptr_array_index(s->files, s->files->len - 1);
}

static bool
open_section(struct parse *p, const char *name, const char *file, int line, GError **err)
{
	struct scn *s = p->s;
	enum sect_kind kind = SK_PLAIN;
	if (p->simfile) {
		if (g_str_has_prefix(name, JOBSIM_PREFIX)) {
			if (!name[strlen(JOBSIM_PREFIX)])
				return fail(err, file, line, "[%s]: no job name after '%s'", name,
				            JOBSIM_PREFIX);
			kind = SK_JOBSIM;
		} else if (in_list(sim_sections, name)) {
			kind = SK_SIM;
		} else {
			return fail(
			    err, file, line,
			    "[%s] in a simulator file: only [host] [disk] [block] [fs] "
			    "[policy] [sim] and [job:NAME] (fio's sections belong in the job "
			    "file)",
			    name);
		}
		for (guint i = 0; kind == SK_JOBSIM && i < s->sects->len; i++) {
			const struct scn_sect *o = g_ptr_array_index(s->sects, i);
			if (o->kind == SK_JOBSIM && !strcmp(o->name, name))
				return fail(err, file, line,
				            "[%s] repeated (first at %s:%d): a section may appear "
				            "only once",
				            name, o->file, o->line);
		}
	} else if (s->mode == SCN_JOBFILE) {
		if (in_list(sim_sections, name))
			kind = SK_SIM;
		else if (strcmp(name, "global") == 0)
			kind = SK_GLOBAL;
		else
			kind = SK_JOB;
	}
	if (kind == SK_SIM || kind == SK_PLAIN) {
		const struct scn_sect *old = g_hash_table_lookup(s->named, name);
		if (old)
			return fail(
			    err, file, line,
			    "[%s] repeated (first at %s:%d): a section may appear only once", name,
			    old->file, old->line);
	}
	struct scn_sect *sec = sect_new(s, name, kind, file, line);
	sec->present = true;
	g_ptr_array_add(s->sects, sec);
	if (kind != SK_JOBSIM && !g_hash_table_contains(s->named, name))
		g_hash_table_insert(s->named, sec->name, sec);
	if (kind == SK_GLOBAL) {
		sec->parent = p->cur_global;
		p->cur_global = sec;
		g_ptr_array_add(s->globals, sec);
	} else if (kind == SK_JOB) {
		sec->parent = p->cur_global;
		g_ptr_array_add(s->jobs, sec);
	}
	p->cur = sec;
	return true;
}

static bool parse_text(struct parse *p, const char *file, char *data, size_t len, int depth,
                       GError **err);

/* The includes that led to FILE:LINE, for messages: "a.ini:4 > b.inc:2 > FILE:LINE". */
static char *
include_chain(const struct parse *p, const char *file, int line)
{
	GString *c = g_string_new(NULL);
	for (guint i = 0; i < p->chain->len; i++)
		g_string_append_printf(c, "%s > ", (const char *)p->chain->pdata[i]);
	g_string_append_printf(c, "%s:%d", file, line);
	return g_string_free(c, FALSE);
}

static bool
include_file(struct parse *p, const char *file, int line, const char *arg, int depth, GError **err)
{
	if (!*arg)
		return fail(err, file, line, "include: missing file name");
	if (!p->cur)
		return fail(err, file, line, "include outside any section");
	if (depth >= SCN_MAX_INCLUDE || p->includes >= SCN_MAX_INCLUDES) {
		char *chain = include_chain(p, file, line);
		if (depth >= SCN_MAX_INCLUDE)
			fail(err, file, line,
			     "include %s: nested more than %d deep (a cycle?); chain: %s", arg,
			     SCN_MAX_INCLUDE, chain);
		else
			fail(err, file, line,
			     "include %s: more than %d includes in all (files that include each "
			     "other over and over?); chain: %s",
			     arg, SCN_MAX_INCLUDES, chain);
		g_free(chain);
		return false;
	}
	p->includes++;
	char *path;
	if (g_path_is_absolute(arg)) {
		path = g_strdup(arg);
	} else {
		char *dir = g_path_get_dirname(file);
		path = strcmp(dir, ".") == 0 ? g_strdup(arg) : g_build_filename(dir, arg, NULL);
		g_free(dir);
	}
	char *data;
	size_t len;
	GError *e = NULL;
	bool ok = scn_read_input(path, SCN_MAX_FILE - p->bytes, &data, &len, &e);
	if (!ok) {
		char *chain = include_chain(p, file, line);
		if (e->code == G_FILE_ERROR_FAILED) /* too large: the bound is on the total (7) */
			fail(err, file, line,
			     "include %s: the job file and its includes exceed %u MiB in all; "
			     "chain: %s",
			     arg, SCN_MAX_FILE >> 20, chain);
		else if (p->chain->len)
			fail(err, file, line, "include: %s (chain: %s)", e->message, chain);
		else
			fail(err, file, line, "include: %s", e->message);
		g_free(chain);
		g_error_free(e);
		g_free(path);
		return false;
	}
	p->bytes += len;
	const char *ipath = intern_file(p->s, path);
	g_free(path);
	g_ptr_array_add(p->chain, g_strdup_printf("%s:%d", file, line));
	ok = parse_text(p, ipath, data, len, depth + 1, err);
	g_ptr_array_remove_index(p->chain, p->chain->len - 1);
	g_free(data);
	return ok;
}

/* One line, NUL-terminated, already checked to be text.  Modifies LINE. */
static bool
parse_line(struct parse *p, const char *file, int lineno, char *line, int depth, GError **err)
{
	char *t = line + strspn(line, " \t");
	if (*t == ';' || *t == '#' || *t == '\0')
		return true;
	t[strcspn(t, ";#")] = '\0'; /* fio's strip_blank_end: a comment after the value */
	g_strchomp(t);

	if (*t == '[') {
		size_t n = strlen(t);
		if (t[n - 1] != ']')
			return fail(err, file, lineno, "malformed section header '%s'", t);
		if (depth > 0)
			return fail(err, file, lineno, "section header '%s' in an included file",
			            t);
		t[n - 1] = '\0';
		char *name = g_strstrip(t + 1);
		if (!*name)
			return fail(err, file, lineno, "empty section name");
		if (strpbrk(name, "[]"))
			return fail(err, file, lineno, "malformed section header '[%s]'", name);
		return open_section(p, name, file, lineno, err);
	}
	if (g_str_has_prefix(t, "include") && (t[7] == ' ' || t[7] == '\t'))
		return include_file(p, file, lineno, g_strstrip(t + 8), depth, err);

	char *eq = strchr(t, '=');
	char *value = NULL;
	if (eq) {
		*eq = '\0';
		value = g_strstrip(eq + 1);
		g_strchomp(t);
	}
	if (!valid_key(t))
		return fail(err, file, lineno,
		            "malformed line '%s' (expected KEY=VALUE, a bare KEY, or [SECTION])",
		            t);
	if (!p->cur)
		return fail(err, file, lineno,
		            "'%s' outside any section (a [section] header must come first)", t);
	if (p->cur->kind == SK_JOBSIM && scn_is_fio_option(t))
		return fail(err, file, lineno,
		            "[%s] %s: a fio option: it belongs in the job file (a simulator file's "
		            "[job:NAME] holds the simulator's own job keys, e.g. concurrent)",
		            p->cur->name, t);
	sect_set(p->cur, t, value ? value : "", !value, file, lineno, NULL);
	return true;
}

static bool
parse_text(struct parse *p, const char *file, char *data, size_t len, int depth, GError **err)
{
	size_t pos = 0;
	int lineno = 0;
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		pos = 3; /* a UTF-8 byte-order mark */
	while (pos < len) {
		lineno++;
		char *start = data + pos;
		char *nl = memchr(start, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - start) : len - pos;
		pos += n + (nl ? 1 : 0);
		while (n > 0 && start[n - 1] == '\r')
			n--;
		if (memchr(start, '\0', n))
			return fail(err, file, lineno, "NUL byte: not a text file");
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)start[i];
			if ((c < 0x20 && c != '\t') || c == 0x7f)
				return fail(err, file, lineno,
				            "control character 0x%02x: not a text file", c);
		}
		if (!g_utf8_validate_len(start, n, NULL))
			return fail(err, file, lineno, "invalid UTF-8: not a text file");
		char *line = g_strndup(start, n);
		bool ok = parse_line(p, file, lineno, line, depth, err);
		g_free(line);
		if (!ok)
			return false;
	}
	return true;
}

/* (2): the normalised text, one group a section, through GKeyFile and back. */
static bool
through_keyfile(struct scn *s, GError **err)
{
	GString *text = g_string_new(NULL);
	for (guint i = 0; i < s->sects->len; i++) {
		const struct scn_sect *sec = g_ptr_array_index(s->sects, i);
		g_string_append_printf(text, "[s%u]\n", i);
		for (guint k = 0; k < sec->vals->len; k++) {
			const struct scn_val *v = g_ptr_array_index(sec->vals, k);
			g_string_append_printf(text, "%s=%s\n", v->key, v->value);
		}
	}
	GKeyFile *kf = g_key_file_new();
	GError *e = NULL;
	bool ok = g_key_file_load_from_data(kf, text->str, text->len, G_KEY_FILE_NONE, &e);
	g_string_free(text, TRUE);
	if (!ok) {
		fail(err, s->path, 0, "not a key file: %s", e->message);
		g_error_free(e);
		g_key_file_free(kf);
		return false;
	}
	for (guint i = 0; i < s->sects->len && ok; i++) {
		struct scn_sect *sec = g_ptr_array_index(s->sects, i);
		char group[32];
		snprintf(group, sizeof group, "s%u", i);
		for (guint k = 0; k < sec->vals->len; k++) {
			struct scn_val *v = g_ptr_array_index(sec->vals, k);
			char *value = g_key_file_get_value(kf, group, v->key, &e);
			if (!value) {
				ok = fail(err, v->file, v->line, "[%s] %s: %s", sec->name, v->key,
				          e->message);
				g_clear_error(&e);
				break;
			}
			g_free(v->value);
			v->value = value;
		}
	}
	g_key_file_free(kf);
	return ok;
}

/* The command line's job options (note 9): ARGS[i] ("--KEY=VALUE" or "--KEY") at argument
 * position POS[i]; keys before the first --name go to a [global] of their own. */
static bool
parse_args(struct parse *p, char *const *args, const int *pos, int n, GError **err)
{
	struct scn *s = p->s;
	const char *file = intern_file(s, cmdline_file);
	for (int i = 0; i < n; i++) {
		const char *a = args[i];
		char *where = g_strdup_printf("command line, argument %d (%s)", pos[i], a);
		const char *body = g_str_has_prefix(a, "--") ? a + 2 : NULL;
		const char *eq = body ? strchr(body, '=') : NULL;
		char *key =
		    body ? (eq ? g_strndup(body, (gsize)(eq - body)) : g_strdup(body)) : NULL;
		bool ok = true;
		if (!key || !valid_key(key)) {
			ok = false;
			g_set_error(err, SCN_ERROR, SCN_ERROR_BAD_INPUT,
			            "%s: expected a job option --KEY=VALUE (or a bare --KEY)",
			            where);
		} else if (!strcmp(key, "name")) {
			const char *name = eq ? eq + 1 : "";
			if (!*name || strpbrk(name, "[]")) {
				ok = false;
				g_set_error(err, SCN_ERROR, SCN_ERROR_BAD_INPUT,
				            "%s: --name needs a job name (no '[' or ']')", where);
			} else if (in_list(sim_sections, name)) {
				ok = false;
				g_set_error(
				    err, SCN_ERROR, SCN_ERROR_BAD_INPUT,
				    "%s: '%s' is a simulator section's name, not a job's "
				    "(give the simulator's settings with --sim FILE or --set)",
				    where, name);
			} else {
				ok = open_section(p, name, file, pos[i], err);
				if (ok && s->jobs->len == 1 && p->cur->kind == SK_JOB && !s->path) {
					g_free(s->name);
					s->name = g_strdup(
					    name); /* no job file: named after the first job */
				}
			}
		} else {
			if (!p->cur)
				ok = open_section(p, "global", file, 0, err);
			if (ok)
				sect_set(p->cur, key, eq ? eq + 1 : "", !eq, file, pos[i], where);
		}
		g_free(key);
		g_free(where);
		if (!ok)
			return false;
	}
	return true;
}

static struct scn *
load(const char *path, enum scn_mode mode, char *const *args, const int *pos, int nargs,
     GError **err)
{
	char *data = NULL;
	size_t len = 0;
	if (path && !read_file(path, SCN_MAX_FILE, &data, &len, err))
		return NULL;
	struct scn *s = scn_alloc(path ? path : cmdline_file, mode);
	if (!path) {
		g_free(s->path);
		s->path = NULL; /* set back below: parse_args names the scenario after a job */
	}
	struct parse p = {.s = s, .chain = g_ptr_array_new_with_free_func(g_free), .bytes = len};
	bool ok = parse_args(&p, args, pos, nargs, err);
	if (!s->path)
		s->path = g_strdup(cmdline_file);
	p.cur = NULL; /* the job file's keys before its first section are errors, as alone */
	if (ok && path && len == 0)
		ok = fail(err, path, 0, "empty file");
	else if (ok && path)
		ok = parse_text(&p, intern_file(s, path), data, len, 0, err);
	g_free(data);
	g_ptr_array_free(p.chain, TRUE);
	if (ok && s->sects->len == 0)
		ok = fail(err, s->path, 0, "no sections (only comments or blank lines)");
	if (ok && mode == SCN_JOBFILE && s->jobs->len == 0)
		ok = fail(err, s->path, 0,
		          path ? "no job sections (fio needs at least one [job])"
		               : "no job (--name=NAME starts one)");
	if (ok)
		ok = through_keyfile(s, err);
	if (!ok) {
		scn_free(s);
		return NULL;
	}
	return s;
}

struct scn *
scn_load(const char *path, enum scn_mode mode, GError **err)
{
	g_assert(path);
	g_return_val_if_fail(err == NULL || *err == NULL, NULL);
	return load(path, mode, NULL, NULL, 0, err);
}

struct scn *
scn_load_args(const char *path, char *const *args, const int *pos, int nargs, GError **err)
{
	g_assert(path || nargs > 0);
	g_return_val_if_fail(err == NULL || *err == NULL, NULL);
	return load(path, SCN_JOBFILE, args, pos, nargs, err);
}

bool
scn_load_sim(struct scn *s, const char *path, GError **err)
{
	g_assert(s && path && s->mode == SCN_JOBFILE);
	char *data;
	size_t len;
	if (!read_file(path, SCN_MAX_FILE, &data, &len, err))
		return false;
	guint first = s->sects->len;
	struct parse p = {
	    .s = s, .simfile = true, .chain = g_ptr_array_new_with_free_func(g_free), .bytes = len};
	const char *ipath = intern_file(s, path);
	bool ok = parse_text(&p, ipath, data, len, 0, err);
	g_free(data);
	g_ptr_array_free(p.chain, TRUE);
	/* every [job:NAME] names a job of the job file */
	for (guint i = first; ok && i < s->sects->len; i++) {
		const struct scn_sect *js = g_ptr_array_index(s->sects, i);
		if (js->kind != SK_JOBSIM)
			continue;
		const char *jname = js->name + strlen(JOBSIM_PREFIX);
		bool found = false;
		GString *names = g_string_new(NULL);
		for (guint k = 0; k < s->jobs->len; k++) {
			const struct scn_sect *j = g_ptr_array_index(s->jobs, k);
			found = found || !strcmp(j->name, jname);
			if (!strstr(names->str, j->name))
				g_string_append_printf(names, "%s%s", names->len ? ", " : "",
				                       j->name);
		}
		if (!found)
			ok = fail(err, js->file, js->line,
			          "[%s]: no job named '%s' in %s (its jobs: %s)", js->name, jname,
			          s->path, names->str);
		g_string_free(names, TRUE);
	}
	if (ok)
		ok = through_keyfile(s, err);
	/* each [job:NAME]'s keys into every job of that name (duplicates are separate jobs, as
	 * --set NAME.KEY does), keeping their file:line; then the section goes */
	for (guint i = first; i < s->sects->len;) {
		struct scn_sect *js = g_ptr_array_index(s->sects, i);
		if (js->kind != SK_JOBSIM) {
			i++;
			continue;
		}
		const char *jname = js->name + strlen(JOBSIM_PREFIX);
		for (guint k = 0; ok && k < s->jobs->len; k++) {
			struct scn_sect *j = g_ptr_array_index(s->jobs, k);
			if (strcmp(j->name, jname) != 0)
				continue;
			for (guint v = 0; v < js->vals->len; v++) {
				const struct scn_val *x = g_ptr_array_index(js->vals, v);
				sect_set(j, x->key, x->value, x->bare, x->file, x->line, NULL);
			}
		}
		g_ptr_array_remove_index(s->sects, i); /* frees it */
	}
	return ok;
}

char *
scn_describe(const struct scn *s)
{
	GString *t = g_string_new(NULL);
	for (const char *const *n = sim_sections; *n; n++) {
		const struct scn_sect *sec = g_hash_table_lookup(s->named, *n);
		if (!sec || sec->kind != SK_SIM)
			continue;
		GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
		for (guint k = 0; k < sec->vals->len; k++) {
			const struct scn_val *v = g_ptr_array_index(sec->vals, k);
			g_ptr_array_add(lines, g_strdup_printf("[%s] %s=%s%s\n", *n, v->key,
			                                       v->value, v->bare ? " (bare)" : ""));
		}
		g_ptr_array_sort(lines, cmp_str);
		for (guint k = 0; k < lines->len; k++)
			g_string_append(t, lines->pdata[k]);
		g_ptr_array_free(lines, TRUE);
	}
	for (guint i = 0; i < s->jobs->len; i++) {
		const struct scn_sect *j = g_ptr_array_index(s->jobs, i);
		GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
		GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
		for (const struct scn_sect *c = j; c; c = c->parent)
			for (guint k = 0; k < c->vals->len; k++) {
				const struct scn_val *v = g_ptr_array_index(c->vals, k);
				if (g_hash_table_contains(seen, v->key))
					continue;
				g_hash_table_add(seen, v->key);
				g_ptr_array_add(lines, g_strdup_printf("job %u [%s] %s=%s%s\n", i,
				                                       j->name, v->key, v->value,
				                                       v->bare ? " (bare)" : ""));
			}
		g_ptr_array_sort(lines, cmp_str);
		for (guint k = 0; k < lines->len; k++)
			g_string_append(t, lines->pdata[k]);
		g_ptr_array_free(lines, TRUE);
		g_hash_table_destroy(seen);
	}
	return g_string_free(t, FALSE);
}

/* ---- accessors ---- */

const char *
scn_path(const struct scn *s)
{
	return s->path;
}

const char *
scn_name(const struct scn *s)
{
	return s->name;
}

const GPtrArray *
scn_warnings(const struct scn *s)
{
	return s->warnings;
}

const struct scn_sect *
scn_section(const struct scn *s, const char *name)
{
	g_assert(s && name);
	const struct scn_sect *sec = NULL;
	if (s->mode == SCN_JOBFILE && strcmp(name, "global") == 0)
		sec = s->globals->len ? g_ptr_array_index(s->globals, s->globals->len - 1) : NULL;
	else if (s->mode == SCN_PLAIN || in_list(sim_sections, name))
		sec = g_hash_table_lookup(s->named, name);
	if (sec)
		return sec;
	/* An absent section is an empty one, kept so that messages can name it (4). */
	struct scn *ms = (struct scn *)s;
	struct scn_sect *e = g_hash_table_lookup(ms->absent, name);
	if (!e) {
		e = sect_new(ms, name, s->mode == SCN_PLAIN ? SK_PLAIN : SK_SIM, NULL, 0);
		g_hash_table_insert(ms->absent, e->name, e);
	}
	return e;
}

guint
scn_nsections(const struct scn *s)
{
	return s->sects->len;
}

const struct scn_sect *
scn_section_at(const struct scn *s, guint i)
{
	g_assert(i < s->sects->len);
	return g_ptr_array_index(s->sects, i);
}

const char *
scn_sect_name(const struct scn_sect *sec)
{
	return sec->name;
}

guint
scn_njobs(const struct scn *s)
{
	return s->jobs->len;
}

const struct scn_sect *
scn_job(const struct scn *s, guint i)
{
	g_assert(i < s->jobs->len);
	return g_ptr_array_index(s->jobs, i);
}

guint
scn_nkeys(const struct scn_sect *sec)
{
	return sec->vals->len;
}

const char *
scn_key_at(const struct scn_sect *sec, guint i)
{
	g_assert(i < sec->vals->len);
	return ((const struct scn_val *)g_ptr_array_index(sec->vals, i))->key;
}

bool
scn_has(const struct scn_sect *sec, const char *key)
{
	return lookup(sec, key) != NULL;
}

bool
scn_where(const struct scn_sect *sec, const char *key, const char **file, int *line)
{
	const struct scn_val *v = lookup(sec, key);
	if (!v)
		return false;
	if (file)
		*file = v->file;
	if (line)
		*line = v->line;
	return true;
}

/* ---- messages ---- */

static bool
verror(const struct scn_sect *sec, const char *key, GError **err, const char *fmt, va_list ap)
{
	const struct scn_val *v = key ? lookup(sec, key) : NULL;
	char *msg = g_strdup_vprintf(fmt, ap);
	char *where;
	const char *sname = sec->name;
	if (v && v->origin)
		where = g_strdup(v->origin);
	else if (v)
		where = g_strdup_printf("%s:%d", v->file, v->line);
	else if (sec->file)
		where = g_strdup_printf("%s:%d", sec->file, sec->line);
	else
		where = g_strdup(sec->scn->path);
	if (v)
		sname = v->sect->name;
	if (key)
		g_set_error(err, SCN_ERROR, SCN_ERROR_BAD_INPUT, "%s: [%s] %s: %s", where, sname,
		            key, msg);
	else
		g_set_error(err, SCN_ERROR, SCN_ERROR_BAD_INPUT, "%s: [%s]: %s", where, sname, msg);
	g_free(where);
	g_free(msg);
	return false;
}

bool
scn_error(const struct scn_sect *sec, const char *key, GError **err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verror(sec, key, err, fmt, ap);
	va_end(ap);
	return false;
}

bool
scn_check_keys(const struct scn_sect *sec, const char *const *known, GError **err)
{
	for (guint i = 0; i < sec->vals->len; i++) {
		const struct scn_val *v = g_ptr_array_index(sec->vals, i);
		if (in_list(known, v->key))
			continue;
		GString *list = g_string_new(NULL);
		for (const char *const *k = known; k && *k; k++)
			g_string_append_printf(list, "%s%s", list->len ? ", " : "", *k);
		scn_error(sec, v->key, err, "unknown key (known: %s)", list->str);
		g_string_free(list, TRUE);
		return false;
	}
	return true;
}

bool
scn_check_job_keys(struct scn *s, const char *const *modelled, GError **err)
{
	GPtrArray *names = g_ptr_array_new(); /* in order */
	GHashTable *where =
	    g_hash_table_new_full(g_str_hash, g_str_equal, NULL, NULL); /* GString */
	bool ok = true;
	for (guint i = 0; i < s->sects->len && ok; i++) {
		const struct scn_sect *sec = g_ptr_array_index(s->sects, i);
		if (sec->kind != SK_JOB && sec->kind != SK_GLOBAL)
			continue;
		for (guint k = 0; k < sec->vals->len; k++) {
			const struct scn_val *v = g_ptr_array_index(sec->vals, k);
			if (in_list(modelled, v->key))
				continue;
			if (!scn_is_fio_option(v->key)) {
				ok = scn_error(sec, v->key, err,
				               "unknown option (neither a fio option nor a "
				               "simulator job key)");
				break;
			}
			GString *w = g_hash_table_lookup(where, v->key);
			if (!w) {
				w = g_string_new(NULL);
				g_hash_table_insert(where, v->key, w);
				g_ptr_array_add(names, v->key);
			}
			if (w->len)
				g_string_append(w, ", ");
			if (v->origin)
				g_string_append(w, v->origin);
			else if (v->file == s->path || strcmp(v->file, s->path) == 0)
				g_string_append_printf(w, "%d", v->line);
			else
				g_string_append_printf(w, "%s:%d", v->file, v->line);
		}
	}
	if (ok && s->unmodelled) {
		g_ptr_array_remove(s->warnings, s->unmodelled); /* frees it */
		s->unmodelled = NULL;
	}
	if (ok && names->len) {
		GString *msg = g_string_new(NULL);
		g_string_append_printf(msg, "%s: fio options not modelled, ignored: ", s->path);
		for (guint i = 0; i < names->len; i++) {
			const char *n = g_ptr_array_index(names, i);
			GString *w = g_hash_table_lookup(where, n);
			g_string_append_printf(msg, "%s%s (%s %s)", i ? ", " : "", n,
			                       strchr(w->str, ',') ? "lines" : "line", w->str);
		}
		s->unmodelled = g_string_free(msg, FALSE);
		g_ptr_array_add(s->warnings, s->unmodelled);
	}
	for (guint i = 0; i < names->len; i++)
		g_string_free(g_hash_table_lookup(where, g_ptr_array_index(names, i)), TRUE);
	g_hash_table_destroy(where);
	g_ptr_array_free(names, TRUE);
	return ok;
}

/* ---- --set ---- */

bool
scn_set(struct scn *s, const char *assignment, GError **err)
{
	g_assert(s && assignment);
	const char *eq = strchr(assignment, '=');
	const char *dot = NULL;
	for (const char *c = assignment; eq && c < eq; c++)
		if (*c == '.')
			dot = c;
	if (!eq || !dot || dot == assignment)
		return fail(err, set_file, 0, "'%s': malformed, expected SECTION.KEY=VALUE",
		            assignment);
	char *sname = g_strndup(assignment, (gsize)(dot - assignment));
	char *key = g_strndup(dot + 1, (gsize)(eq - dot - 1));
	char *value = g_strstrip(g_strdup(eq + 1));
	char *origin = g_strdup_printf("%s %s", set_file, assignment);
	bool ok = true;
	if (!valid_key(key) || strpbrk(sname, "[]")) {
		ok = fail(err, set_file, 0, "'%s': malformed, expected SECTION.KEY=VALUE",
		          assignment);
		goto out;
	}
	if (s->mode == SCN_JOBFILE && strcmp(sname, "global") == 0) {
		if (s->globals->len == 0) {
			/* A [global] before every job, so that scn_section("global") sees it. */
			struct scn_sect *g = sect_new(s, "global", SK_GLOBAL, NULL, 0);
			g->present = true;
			g_ptr_array_insert(s->sects, 0, g);
			g_ptr_array_add(s->globals, g);
			for (guint i = 0; i < s->jobs->len; i++) {
				struct scn_sect *j = g_ptr_array_index(s->jobs, i);
				if (!j->parent)
					j->parent = g;
			}
		}
		for (guint i = 0; i < s->sects->len; i++) {
			struct scn_sect *sec = g_ptr_array_index(s->sects, i);
			if (sec->kind == SK_GLOBAL || sec->kind == SK_JOB)
				sect_set(sec, key, value, false, set_file, 0, origin);
		}
		goto out;
	}
	if (s->mode == SCN_JOBFILE && !in_list(sim_sections, sname)) {
		guint n = 0;
		for (guint i = 0; i < s->jobs->len; i++) {
			struct scn_sect *j = g_ptr_array_index(s->jobs, i);
			if (strcmp(j->name, sname) == 0) {
				sect_set(j, key, value, false, set_file, 0, origin);
				n++;
			}
		}
		if (n == 0)
			ok = fail(err, set_file, 0,
			          "'%s': no section [%s] (a simulator section: host, disk, fs, "
			          "policy, sim; global; or a job name)",
			          assignment, sname);
		goto out;
	}
	/* A simulator section, or a plain file's section: created if absent. */
	struct scn_sect *sec = g_hash_table_lookup(s->named, sname);
	if (!sec) {
		sec = sect_new(s, sname, s->mode == SCN_PLAIN ? SK_PLAIN : SK_SIM, NULL, 0);
		sec->present = true;
		g_ptr_array_add(s->sects, sec);
		g_hash_table_insert(s->named, sec->name, sec);
		g_hash_table_remove(s->absent, sname);
	}
	sect_set(sec, key, value, false, set_file, 0, origin);
out:
	g_free(origin);
	g_free(value);
	g_free(key);
	g_free(sname);
	return ok;
}

/* ---- typed getters ---- */

/* The value of KEY for a getter: false with *err if it is a bare key (no value). */
static bool
get_raw(const struct scn_sect *sec, const char *key, const struct scn_val **out, GError **err)
{
	const struct scn_val *v = lookup(sec, key);
	*out = v;
	if (v && v->bare)
		return scn_error(sec, key, err, "needs a value (%s=VALUE)", key);
	return true;
}

bool
scn_get_str(const struct scn_sect *sec, const char *key, const char *def, const char **out,
            GError **err)
{
	const struct scn_val *v;
	if (!get_raw(sec, key, &v, err))
		return false;
	*out = v ? v->value : def;
	return true;
}

static bool
parse_int64(const char *t, int64_t *out)
{
	int base = 10;
	const char *d = t;
	if (*d == '-')
		d++;
	if (d[0] == '0' && (d[1] == 'x' || d[1] == 'X'))
		base = 16;
	if (!g_ascii_isxdigit(d[base == 16 ? 2 : 0]))
		return false; /* no digits, or a sign or blank where a digit must be */
	char *end;
	errno = 0;
	gint64 x = g_ascii_strtoll(t, &end, base);
	if (errno || *end)
		return false;
	*out = x;
	return true;
}

bool
scn_get_int(const struct scn_sect *sec, const char *key, int64_t def, int64_t min, int64_t max,
            int64_t *out, GError **err)
{
	g_assert(min <= max);
	const struct scn_val *v;
	if (!get_raw(sec, key, &v, err))
		return false;
	if (!v) {
		*out = def;
		return true;
	}
	int64_t x;
	if (!parse_int64(v->value, &x) || x < min || x > max)
		return scn_error(sec, key, err,
		                 "expected an integer in [%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT
		                 "], got '%s'",
		                 (gint64)min, (gint64)max, v->value);
	*out = x;
	return true;
}

bool
scn_get_double(const struct scn_sect *sec, const char *key, double def, double min, double max,
               double *out, GError **err)
{
	g_assert(min <= max);
	const struct scn_val *v;
	if (!get_raw(sec, key, &v, err))
		return false;
	if (!v) {
		*out = def;
		return true;
	}
	char *end;
	errno = 0;
	double x = g_ascii_strtod(v->value, &end);
	if (!v->value[0] || g_ascii_isspace(v->value[0]) || *end || errno || !isfinite(x) ||
	    x < min || x > max)
		return scn_error(sec, key, err, "expected a number in [%g, %g], got '%s'", min, max,
		                 v->value);
	*out = x;
	return true;
}

bool
scn_get_size(const struct scn_sect *sec, const char *key, uint64_t def, uint64_t *out, GError **err)
{
	const struct scn_val *v;
	if (!get_raw(sec, key, &v, err))
		return false;
	if (!v) {
		*out = def;
		return true;
	}
	if (!scn_parse_size(v->value, out))
		return scn_error(sec, key, err,
		                 "expected a size (bytes, or with a k/m/g/t/p suffix as in 4k), "
		                 "got '%s'",
		                 v->value);
	return true;
}

bool
scn_get_bool(const struct scn_sect *sec, const char *key, bool def, bool *out, GError **err)
{
	static const char *const yes[] = {"1", "true", "yes", "on", NULL};
	static const char *const no[] = {"0", "false", "no", "off", NULL};
	const struct scn_val *v = lookup(sec, key);
	if (!v) {
		*out = def;
		return true;
	}
	if (v->bare) {
		*out = true; /* fio: a bare flag sets it */
		return true;
	}
	for (int i = 0; yes[i]; i++) {
		if (g_ascii_strcasecmp(v->value, yes[i]) == 0) {
			*out = true;
			return true;
		}
		if (g_ascii_strcasecmp(v->value, no[i]) == 0) {
			*out = false;
			return true;
		}
	}
	return scn_error(sec, key, err,
	                 "expected a boolean (0/1, true/false, yes/no, on/off), got '%s'",
	                 v->value);
}

bool
scn_get_path(const struct scn_sect *sec, const char *key, char **out, GError **err)
{
	const struct scn_val *v;
	*out = NULL;
	if (!get_raw(sec, key, &v, err))
		return false;
	if (!v)
		return true;
	if (!v->value[0])
		return scn_error(sec, key, err, "expected a path, got ''");
	/* --set values are relative to the current directory, and $VAR is left alone (5). */
	if (g_path_is_absolute(v->value) || v->file == set_file || v->value[0] == '$') {
		*out = g_strdup(v->value);
		return true;
	}
	char *dir = g_path_get_dirname(v->file);
	if (strcmp(dir, ".") == 0)
		*out = g_strdup(v->value);
	else
		*out = g_build_filename(dir, v->value, NULL);
	g_free(dir);
	return true;
}

/* ---- sizes ---- */

/*
 * fio's size syntax with kb_base=1024 (its default): a decimal (or 0x hexadecimal) number and
 * an optional case-insensitive suffix.  k, m, g, t, p (optionally followed by b) are powers of
 * 1024; with an 'i' (ki, kib, mi, mib, ...) they are powers of 1000 -- fio's "compatibility"
 * mode deliberately swaps the SI and IEC meanings (HOWTO, "int": 1mi = 1000000).  "b" alone
 * is bytes.  Beyond fio: a decimal fraction ("1.5m"), rounded down to whole bytes.
 */
bool
scn_parse_size(const char *text, uint64_t *out)
{
	if (!text)
		return false;
	const char *c = text;
	unsigned __int128 whole = 0, frac = 0, scale = 1;
	bool digits = false;
	if (c[0] == '0' && (c[1] == 'x' || c[1] == 'X')) {
		for (c += 2; g_ascii_isxdigit(*c); c++) {
			whole = whole * 16 + (unsigned)g_ascii_xdigit_value(*c);
			digits = true;
			if (whole > UINT64_MAX)
				return false;
		}
	} else {
		for (; g_ascii_isdigit(*c); c++) {
			whole = whole * 10 + (unsigned)(*c - '0');
			digits = true;
			if (whole > UINT64_MAX)
				return false;
		}
		if (*c == '.') {
			for (c++; g_ascii_isdigit(*c); c++) {
				digits = true;
				if (scale < (unsigned __int128)1000000000000000000ull) {
					frac = frac * 10 + (unsigned)(*c - '0');
					scale *= 10;
				}
			}
		}
	}
	if (!digits)
		return false;
	static const char units[] = "kmgtp";
	unsigned pow = 0, base = 1024;
	if (*c && *c != 'b' && *c != 'B') {
		const char *u = strchr(units, g_ascii_tolower(*c));
		if (!u)
			return false;
		pow = (unsigned)(u - units) + 1;
		c++;
		if (*c == 'i' || *c == 'I') {
			base = 1000;
			c++;
		}
	}
	if (*c == 'b' || *c == 'B')
		c++;
	if (*c)
		return false;
	unsigned __int128 mult = 1;
	for (unsigned i = 0; i < pow; i++)
		mult *= base;
	unsigned __int128 v = whole * mult + frac * mult / scale;
	if (v > UINT64_MAX)
		return false;
	*out = (uint64_t)v;
	return true;
}
