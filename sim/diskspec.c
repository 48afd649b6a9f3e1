/*
 * diskspec.c -- disk descriptions: DiskSim 4.0 .diskspecs files and the project's .disk files,
 * both read into a struct mech_params (models/disk_mech.h), the mechanical model's settings:
 * a reader, like the scenario's and the traces', so it lives in sim/ (models/ reads no input).
 *
 * Design notes.
 * (1) DiskSim's parameter syntax (libparam) is parsed into a small tree first: a block is
 *     `TYPE [NAME] { KEY = VALUE, ... }`, a value is a scalar, a block, a list `[ v, ... ]`, or
 *     `source FILE` (the file's top-level block, path relative to the naming file).  Every
 *     node remembers FILE:LINE, so a message can always name where the problem is.
 * (2) The tree is then read key by key; a key that is read but has no effect on the model is
 *     reported once as a warning ("FILE:LINE: KEY: ignored"), so nothing is dropped silently.
 *     A value of the wrong type, or a required key missing, is an error.
 * (3) The project's .disk format is plain INI read by scn_load(SCN_PLAIN): [disk] holds the
 *     same keys the scenario's [disk] section accepts, [zone N] sections hold the zones.  The
 *     scenario's own [disk] keys are applied last and override single parameters.
 * (4) Hostile files are refused, never followed into a crash or a hang: only regular files
 *     are read (scn_read_input); blocks and lists nest at most DSPEC_MAX_NEST deep (the
 *     parser recurses once a level, so the depth is bounded, not the stack's size), `source`
 *     nests at most DSPEC_MAX_SOURCE_DEPTH deep, at most DSPEC_MAX_SOURCES `source` values
 *     and DSPEC_MAX_BYTES bytes are read in all (a file sourcing the next one twice at each
 *     level is refused at once); messages name the chain of `source`s.  Every number is
 *     range-checked where it is read (note 5).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/diskspec.h"
#include "sim/scenario.h"

/* ---- DiskSim tree (note 1) ---------------------------------------------------------- */

enum nkind { N_SCALAR, N_BLOCK, N_LIST };

struct node {
	enum nkind kind;
	char *key;  /* parameter name (NULL for list items and top-level blocks) */
	char *text; /* scalar text, or the block's type */
	char *name; /* a top-level block's name */
	const char *file;
	int line;
	GPtrArray *kids; /* block params / list items (struct node *) */
};

/* Bounds on one read of a DiskSim file and everything it sources (note 4). */
#define DSPEC_MAX_BYTES (64u << 20) /* bytes read in all */
#define DSPEC_MAX_SOURCE_DEPTH 8    /* `source` within `source` */
#define DSPEC_MAX_SOURCES 256       /* `source` values followed, in all */
#define DSPEC_MAX_NEST 64           /* blocks and lists open at once, across sourced files */

/* What one read shares across the files it sources. */
struct dsrc {
	GStringChunk *strings; /* file names, interned */
	GPtrArray *chain;      /* "FILE:LINE" of each `source` being read, outermost first */
	guint sources;         /* `source` values followed so far */
	uint64_t bytes;        /* bytes read so far */
};

struct lexer {
	const char *file; /* interned in the owner's string chunk */
	const char *s;
	size_t pos, len;
	int line;
	struct dsrc *src;
	int depth; /* `source` depth of this file */
	int nest;  /* blocks and lists open, counting the sourcing files' */
};

static void
node_free(gpointer p)
{
	struct node *n = p;
	if (!n)
		return;
	g_free(n->key);
	g_free(n->text);
	g_free(n->name);
	if (n->kids)
		g_ptr_array_free(n->kids, TRUE);
	g_free(n);
}

static struct node *
node_new(enum nkind k, const struct lexer *lx, int line)
{
	struct node *n = g_new0(struct node, 1);
	n->kind = k;
	n->file = lx->file;
	n->line = line;
	if (k != N_SCALAR)
		n->kids = g_ptr_array_new_with_free_func(node_free);
	return n;
}

static bool lerr(const struct lexer *lx, GError **err, const char *key, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);

static bool
lerr(const struct lexer *lx, GError **err, const char *key, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *m = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(err, SCN_ERROR, SCN_ERROR_BAD_INPUT, "%s:%d: %s: %s", lx->file, lx->line,
	            key ? key : "syntax", m);
	g_free(m);
	return false;
}

static void
skip_ws(struct lexer *lx)
{
	while (lx->pos < lx->len) {
		char c = lx->s[lx->pos];
		if (c == '\n') {
			lx->line++;
			lx->pos++;
		} else if (c == ' ' || c == '\t' || c == '\r') {
			lx->pos++;
		} else if (c == '#') {
			while (lx->pos < lx->len && lx->s[lx->pos] != '\n')
				lx->pos++;
		} else {
			break;
		}
	}
}

static char
peek(struct lexer *lx)
{
	skip_ws(lx);
	return lx->pos < lx->len ? lx->s[lx->pos] : '\0';
}

/* Text up to one of STOP (not consuming it) or end of line, trimmed. */
static char *
read_text(struct lexer *lx, const char *stop)
{
	skip_ws(lx);
	size_t b = lx->pos;
	while (lx->pos < lx->len && !strchr(stop, lx->s[lx->pos]) && lx->s[lx->pos] != '\n' &&
	       lx->s[lx->pos] != '#')
		lx->pos++;
	char *t = g_strndup(lx->s + b, lx->pos - b);
	return g_strstrip(t);
}

static struct node *parse_file(const char *path, struct dsrc *src, int depth, int nest, bool whole,
                               GError **err);
static bool parse_params(struct lexer *lx, struct node *blk, GError **err);

/* The `source`s that led to LX's current line: "a.parv:107 > b.diskspecs:2 > FILE:LINE". */
static char *
source_chain(const struct lexer *lx)
{
	GString *c = g_string_new(NULL);
	for (guint i = 0; i < lx->src->chain->len; i++)
		g_string_append_printf(c, "%s > ", (const char *)lx->src->chain->pdata[i]);
	g_string_append_printf(c, "%s:%d", lx->file, lx->line);
	return g_string_free(c, FALSE);
}

/* One more block or list opens (note 4). */
static bool
nest_in(struct lexer *lx, const char *key, GError **err)
{
	if (++lx->nest <= DSPEC_MAX_NEST)
		return true;
	char *chain = source_chain(lx);
	lerr(lx, err, key, "blocks and lists nested more than %d deep%s%s", DSPEC_MAX_NEST,
	     lx->src->chain->len ? "; source chain: " : "", lx->src->chain->len ? chain : "");
	g_free(chain);
	return false;
}

/* `source FILE` (T, g_free'd here): the file's first block (WHOLE: a list of all its
 * blocks), path relative to the naming file, within the bounds of note 4. */
static struct node *
source_file(struct lexer *lx, const char *key, char *t, bool whole, GError **err)
{
	char *rel = g_strstrip(g_strdup(t + 7));
	char *dir = g_path_get_dirname(lx->file);
	char *path = g_path_is_absolute(rel) || !strcmp(dir, ".")
	                 ? g_strdup(rel)
	                 : g_build_filename(dir, rel, NULL);
	g_free(dir);
	g_free(t);
	struct dsrc *src = lx->src;
	if (lx->depth >= DSPEC_MAX_SOURCE_DEPTH || src->sources >= DSPEC_MAX_SOURCES) {
		char *chain = source_chain(lx);
		if (lx->depth >= DSPEC_MAX_SOURCE_DEPTH)
			lerr(lx, err, key,
			     "source %s: nested more than %d deep (a cycle?); chain: %s", rel,
			     DSPEC_MAX_SOURCE_DEPTH, chain);
		else
			lerr(lx, err, key,
			     "source %s: more than %d sources in all (files that source "
			     "each other over and over?); chain: %s",
			     rel, DSPEC_MAX_SOURCES, chain);
		g_free(chain);
		g_free(rel);
		g_free(path);
		return NULL;
	}
	src->sources++;
	g_ptr_array_add(src->chain, g_strdup_printf("%s:%d", lx->file, lx->line));
	GError *e = NULL;
	struct node *n = parse_file(path, src, lx->depth + 1, lx->nest, whole, &e);
	g_ptr_array_remove_index(src->chain, src->chain->len - 1);
	if (!n) {
		if (e->domain == G_FILE_ERROR && e->code == G_FILE_ERROR_FAILED) {
			char *chain = source_chain(lx);
			lerr(lx, err, key,
			     "source %s: the files read exceed %u MiB in all; chain: %s", rel,
			     DSPEC_MAX_BYTES >> 20, chain);
			g_free(chain);
		} else if (e->domain == G_FILE_ERROR) {
			lerr(lx, err, key, "%s", e->message);
		} else {
			g_propagate_error(err, g_steal_pointer(&e));
		}
		g_clear_error(&e);
		g_free(rel);
		g_free(path);
		return NULL;
	}
	g_free(rel);
	g_free(path);
	return n;
}

static struct node *
parse_value(struct lexer *lx, const char *key, GError **err)
{
	int line = lx->line;
	char c = peek(lx);
	if (c == '[') {
		lx->pos++;
		if (!nest_in(lx, key, err))
			return NULL;
		struct node *n = node_new(N_LIST, lx, line);
		for (;;) {
			c = peek(lx);
			if (c == ']') {
				lx->pos++;
				lx->nest--;
				return n;
			}
			if (c == '\0') {
				lerr(lx, err, key, "list not closed with ']'");
				node_free(n);
				return NULL;
			}
			struct node *it = parse_value(lx, key, err);
			if (!it) {
				node_free(n);
				return NULL;
			}
			g_ptr_array_add(n->kids, it);
			c = peek(lx);
			if (c == ',')
				lx->pos++;
			else if (c != ']') {
				lerr(lx, err, key, "expected ',' or ']' in a list");
				node_free(n);
				return NULL;
			}
		}
	}
	char *t = read_text(lx, ",}]{");
	if (peek(lx) == '{') {
		if (!*t) {
			g_free(t);
			lerr(lx, err, key, "a block needs a type name before '{'");
			return NULL;
		}
		lx->pos++;
		if (!nest_in(lx, key, err)) {
			g_free(t);
			return NULL;
		}
		struct node *n = node_new(N_BLOCK, lx, line);
		n->text = t;
		if (!parse_params(lx, n, err)) {
			node_free(n);
			return NULL;
		}
		lx->nest--;
		return n;
	}
	if (!*t) {
		g_free(t);
		lerr(lx, err, key, "missing value");
		return NULL;
	}
	if (g_str_has_prefix(t, "source ") || g_str_has_prefix(t, "source\t"))
		return source_file(lx, key, t, false, err);
	struct node *n = node_new(N_SCALAR, lx, line);
	n->text = t;
	return n;
}

/* After '{': params until '}'. */
static bool
parse_params(struct lexer *lx, struct node *blk, GError **err)
{
	for (;;) {
		char c = peek(lx);
		if (c == '}') {
			lx->pos++;
			return true;
		}
		if (c == '\0')
			return lerr(lx, err, blk->text, "block not closed with '}'");
		int line = lx->line;
		char *key = read_text(lx, "=,}");
		if (peek(lx) != '=') {
			bool r = lerr(lx, err, *key ? key : blk->text, "expected 'KEY = VALUE'");
			g_free(key);
			return r;
		}
		lx->pos++;
		struct node *v = parse_value(lx, key, err);
		if (!v) {
			g_free(key);
			return false;
		}
		v->key = key;
		v->line = line;
		g_ptr_array_add(blk->kids, v);
		c = peek(lx);
		if (c == ',')
			lx->pos++;
		else if (c != '}')
			return lerr(lx, err, key, "expected ',' or '}' after the value");
	}
}

/* A .parv's `topology TYPE NAME [ TYPE NAME [ ... ], ... ]` (note 6): each element a block
 * node (text TYPE, name NAME) whose kids are the elements under it; after its '['. */
static bool
parse_topo(struct lexer *lx, struct node *parent, GError **err)
{
	for (;;) {
		char c = peek(lx);
		if (c == ']') {
			lx->pos++;
			lx->nest--;
			return true;
		}
		if (c == ',') {
			lx->pos++;
			continue;
		}
		if (c == '\0')
			return lerr(lx, err, "topology", "list not closed with ']'");
		int line = lx->line;
		char *head = read_text(lx, "[],{}=");
		char *sp = strpbrk(head, " \t");
		if (peek(lx) != '[' || !sp) {
			bool r = lerr(lx, err, "topology",
			              "expected 'TYPE NAME [' in the topology, "
			              "got '%s'",
			              head);
			g_free(head);
			return r;
		}
		lx->pos++;
		if (!nest_in(lx, "topology", err)) {
			g_free(head);
			return false;
		}
		*sp = '\0';
		struct node *n = node_new(N_BLOCK, lx, line);
		n->key = g_strdup("topology");
		n->text = head;
		n->name = g_strstrip(g_strdup(sp + 1));
		g_ptr_array_add(parent->kids, n);
		if (!parse_topo(lx, n, err))
			return false;
	}
}

/* One top-level statement that is not a block (note 6): `source FILE` (its blocks join the
 * file's), `instantiate [ NAMES ] as TYPE`, `topology TYPE NAME [ ... ]`.  HEAD is the text
 * before the first '{', '[' or end of line. */
static bool
parse_statement(struct lexer *lx, struct node *top, char *head, int line, GError **err)
{
	if (!strcmp(head, "instantiate")) {
		if (peek(lx) != '[')
			return lerr(lx, err, head, "expected 'instantiate [ NAMES ] as TYPE'");
		struct node *l = parse_value(lx, head, err);
		if (!l)
			return false;
		/* "as TYPE" on the same line */
		size_t b = lx->pos;
		while (b < lx->len && (lx->s[b] == ' ' || lx->s[b] == '\t'))
			b++;
		char *as = NULL;
		if (b < lx->len && lx->s[b] != '\n')
			as = read_text(lx, "{[,");
		if (!as || !g_str_has_prefix(as, "as ") || !*g_strstrip(as + 3)) {
			node_free(l);
			g_free(as);
			g_set_error(err, SCN_ERROR, SCN_ERROR_BAD_INPUT,
			            "%s:%d: instantiate: expected 'as TYPE' after the names",
			            lx->file, line);
			return false;
		}
		struct node *n = node_new(N_BLOCK, lx, line);
		n->key = g_strdup("instantiate");
		n->text = g_strdup("instantiate");
		n->name = g_strdup(g_strstrip(as + 3));
		g_free(as);
		for (guint i = 0; i < l->kids->len; i++) {
			struct node *it = l->kids->pdata[i];
			it->key = g_strdup("instantiate");
			if (it->kind != N_SCALAR) {
				node_free(l);
				node_free(n);
				return lerr(lx, err, "instantiate", "expected component names");
			}
		}
		g_ptr_array_extend_and_steal(n->kids, g_steal_pointer(&l->kids));
		node_free(l);
		g_ptr_array_add(top->kids, n);
		return true;
	}
	if (g_str_has_prefix(head, "topology ") || g_str_has_prefix(head, "topology\t")) {
		char *rest = g_strstrip(g_strdup(head + 9));
		char *sp = strpbrk(rest, " \t");
		if (peek(lx) != '[' || !sp) {
			g_free(rest);
			return lerr(lx, err, "topology", "expected 'topology TYPE NAME [ ... ]'");
		}
		lx->pos++;
		if (!nest_in(lx, "topology", err)) {
			g_free(rest);
			return false;
		}
		*sp = '\0';
		struct node *n = node_new(N_BLOCK, lx, line);
		n->key = g_strdup("topology");
		n->text = g_strdup(rest);
		n->name = g_strstrip(g_strdup(sp + 1));
		g_free(rest);
		g_ptr_array_add(top->kids, n);
		return parse_topo(lx, n, err);
	}
	if (g_str_has_prefix(head, "source ") || g_str_has_prefix(head, "source\t")) {
		/* the value parser follows the file, with every bound of note 4; here all of
		 * its blocks join this file's */
		struct node *v = source_file(lx, "source", g_strdup(head), true, err);
		if (!v)
			return false;
		g_ptr_array_extend_and_steal(top->kids, g_steal_pointer(&v->kids));
		node_free(v);
		return true;
	}
	if (g_str_has_prefix(head, "instantiate"))
		return lerr(lx, err, "instantiate", "expected 'instantiate [ NAMES ] as TYPE'");
	return lerr(lx, err, *head ? head : "syntax", "expected 'TYPE NAME {'");
}

/* A file's top-level blocks, as a list node.  DEPTH: `source` depth; NEST: blocks and lists
 * open in the sourcing files.  WHOLE: every block (a file read or sourced at the top level);
 * else the first (a `source` as a parameter's value). */
static struct node *
parse_file(const char *path, struct dsrc *src, int depth, int nest, bool whole, GError **err)
{
	char *buf = NULL;
	size_t len = 0;
	if (!scn_read_input(path, DSPEC_MAX_BYTES - src->bytes, &buf, &len, err))
		return NULL;
	src->bytes += len;
	struct lexer lx = {.file = g_string_chunk_insert_const(src->strings, path),
	                   .s = buf,
	                   .len = len,
	                   .line = 1,
	                   .src = src,
	                   .depth = depth,
	                   .nest = nest};
	struct node *top = node_new(N_LIST, &lx, 1);
	while (peek(&lx) != '\0') {
		int line = lx.line;
		char *head = read_text(&lx, "{,=[");
		if (peek(&lx) != '{' || !*head) {
			bool ok = parse_statement(&lx, top, head, line, err);
			g_free(head);
			if (!ok) {
				node_free(top);
				g_free(buf);
				return NULL;
			}
			continue;
		}
		lx.pos++;
		if (!nest_in(&lx, head, err)) {
			g_free(head);
			node_free(top);
			g_free(buf);
			return NULL;
		}
		struct node *b = node_new(N_BLOCK, &lx, line);
		char *sp = strpbrk(head, " \t");
		if (sp) {
			*sp = '\0';
			b->name = g_strstrip(g_strdup(sp + 1));
		}
		b->text = head;
		if (!parse_params(&lx, b, err)) {
			node_free(b);
			node_free(top);
			g_free(buf);
			return NULL;
		}
		lx.nest--;
		g_ptr_array_add(top->kids, b);
	}
	g_free(buf);
	if (depth > 0 && !whole) {
		/* `source FILE`: the value is the file's (first) block */
		if (top->kids->len == 0) {
			g_set_error(err, SCN_ERROR, SCN_ERROR_BAD_INPUT,
			            "%s:1: source: no block in file", lx.file);
			node_free(top);
			return NULL;
		}
		struct node *b = g_ptr_array_steal_index(top->kids, 0);
		node_free(top);
		return b;
	}
	return top;
}

/* ---- reading the tree (note 2) ------------------------------------------------------ */

struct rd {
	GPtrArray *warn;
	GError **err;
};

static bool nerr(const struct node *n, GError **err, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static bool
nerr(const struct node *n, GError **err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *m = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(err, SCN_ERROR, SCN_ERROR_BAD_INPUT, "%s:%d: %s: %s", n->file, n->line,
	            n->key ? n->key : (n->text ? n->text : "value"), m);
	g_free(m);
	return false;
}

static void
ignored(struct rd *r, const struct node *n)
{
	if (r->warn)
		g_ptr_array_add(r->warn, g_strdup_printf("%s:%d: %s: DiskSim parameter ignored",
		                                         n->file, n->line, n->key));
}

static bool
get_double(const struct node *n, double *out, GError **err)
{
	if (n->kind != N_SCALAR)
		return nerr(n, err, "expected a number");
	char *end;
	errno = 0;
	double v = g_ascii_strtod(n->text, &end);
	if (end == n->text || *end || errno || !isfinite(v))
		return nerr(n, err, "'%s' is not a number", n->text);
	*out = v;
	return true;
}

static bool
get_int(const struct node *n, int64_t lo, int64_t hi, int *out, GError **err)
{
	double v;
	if (!get_double(n, &v, err))
		return false;
	if (v != floor(v) || v < lo || v > hi)
		return nerr(n, err,
		            "'%s' is not an integer in [%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT
		            "]",
		            n->text, lo, hi);
	*out = (int)v;
	return true;
}

static bool
get_bool(const struct node *n, bool *out, GError **err)
{
	int v;
	if (!get_int(n, 0, 1, &v, err))
		return false;
	*out = v;
	return true;
}

static bool
get_block(const struct node *n, const char *type, GError **err)
{
	if (n->kind != N_BLOCK)
		return nerr(n, err, "expected a %s block", type);
	if (strcmp(n->text, type))
		return nerr(n, err, "block type '%s' is not supported (expected %s)", n->text,
		            type);
	return true;
}

static int
int_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static bool
read_zone(struct rd *r, const struct node *b, struct mech_zone_params *z, double *skew_rev)
{
	static const char *const req[] = {"First cylinder number", "Last cylinder number",
	                                  "Blocks per track", NULL};
	unsigned seen = 0;
	bool rev = false;
	double off = 0, ts = 0, cs = 0;
	memset(z, 0, sizeof(*z));
	for (guint i = 0; i < b->kids->len; i++) {
		const struct node *n = b->kids->pdata[i];
		const char *k = n->key;
		bool ok = true;
		if (!strcmp(k, "First cylinder number")) {
			ok = get_int(n, 0, INT32_MAX, &z->first_cyl, r->err);
			seen |= 1;
		} else if (!strcmp(k, "Last cylinder number")) {
			ok = get_int(n, 0, INT32_MAX, &z->last_cyl, r->err);
			seen |= 2;
		} else if (!strcmp(k, "Blocks per track")) {
			ok = get_int(n, 1, 1 << 20, &z->spt, r->err);
			seen |= 4;
		} else if (!strcmp(k, "Offset of first block")) {
			ok = get_double(n, &off, r->err);
		} else if (!strcmp(k, "Empty space at zone front")) {
			ok = get_int(n, 0, INT32_MAX, &z->front_space, r->err);
		} else if (!strcmp(k, "Skew for track switch")) {
			ok = get_double(n, &ts, r->err);
		} else if (!strcmp(k, "Skew for cylinder switch")) {
			ok = get_double(n, &cs, r->err);
		} else if (!strcmp(k, "Number of spares")) {
			ok = get_int(n, 0, INT32_MAX, &z->spares, r->err);
		} else if (!strcmp(k, "Skew units")) {
			if (n->kind != N_SCALAR ||
			    (strcmp(n->text, "sectors") && strcmp(n->text, "revolutions")))
				return nerr(n, r->err, "expected 'sectors' or 'revolutions'");
			rev = !strcmp(n->text, "revolutions");
		} else if (!strcmp(k, "slips")) {
			if (n->kind != N_LIST)
				return nerr(n, r->err, "expected a list [ ... ]");
			g_free(z->slips); /* a repeated key: the last one counts */
			z->nslips = (int)n->kids->len;
			z->slips = g_new0(int, z->nslips + 1);
			for (guint j = 0; j < n->kids->len && ok; j++) {
				struct node *it = n->kids->pdata[j];
				it->key = g_strdup(k);
				ok = get_int(it, 0, INT32_MAX, &z->slips[j], r->err);
			}
			/* DiskSim counts slips in any order (g1_ltop_*: each slip before the
			 * block adds one); some of its own files list them out of order */
			qsort(z->slips, z->nslips, sizeof(int), int_cmp);
			for (int j = 1; ok && j < z->nslips; j++)
				if (z->slips[j] == z->slips[j - 1])
					return nerr(n, r->err, "sector %d slipped twice",
					            z->slips[j]);
		} else if (!strcmp(k, "defects")) {
			if (n->kind != N_LIST)
				return nerr(n, r->err, "expected a list [ ... ]");
			/* pairs "defective sector, its replacement"; DiskSim's mapping skips a pair
			 * whose replacement is the sector itself (g1_ltop_*: remap != defect) */
			if (n->kids->len % 2)
				return nerr(n, r->err, "expected pairs: defect, replacement");
			for (guint j = 0; j < n->kids->len; j += 2) {
				struct node *a = n->kids->pdata[j], *b2 = n->kids->pdata[j + 1];
				a->key = g_strdup(k);
				b2->key = g_strdup(k);
				int d, rp;
				if (!get_int(a, 0, INT32_MAX, &d, r->err) ||
				    !get_int(b2, 0, INT32_MAX, &rp, r->err))
					return false;
				if (d != rp)
					return nerr(
					    a, r->err,
					    "sector %d remapped to %d: remapping to another "
					    "sector is not modelled (one remapped to itself is, "
					    "as DiskSim: no effect)",
					    d, rp);
			}
		} else {
			ignored(r, n);
		}
		if (!ok)
			return false;
	}
	for (int i = 0; req[i]; i++)
		if (!(seen & (1u << i)))
			return nerr(b, r->err, "missing '%s'", req[i]);
	if (rev) {
		off *= z->spt;
		ts *= z->spt;
		cs *= z->spt;
	}
	z->first_offset = off;
	z->track_skew = ts;
	z->cyl_skew = cs;
	(void)skew_rev;
	return true;
}

static bool
read_layout(struct rd *r, const struct node *b, struct mech_params *p)
{
	if (!get_block(b, "dm_layout_g1", r->err))
		return false;
	const struct node *zones = NULL;
	for (guint i = 0; i < b->kids->len; i++) {
		const struct node *n = b->kids->pdata[i];
		const char *k = n->key;
		bool ok = true;
		if (!strcmp(k, "LBN-to-PBN mapping scheme")) {
			ok = get_int(n, 0, 2, &p->mapping, r->err);
		} else if (!strcmp(k, "Sparing scheme used")) {
			ok = get_int(n, 0, 10, &p->sparing, r->err);
		} else if (!strcmp(k, "Rangesize for sparing")) {
			/* DiskSim reads it for every scheme and uses it in scheme 8 only */
			ok = get_int(n, 1, INT32_MAX, &p->sparing_range, r->err);
		} else if (!strcmp(k, "Zones")) {
			if (n->kind != N_LIST)
				return nerr(n, r->err, "expected a list of zones");
			zones = n;
		} else {
			ignored(r, n);
		}
		if (!ok)
			return false;
	}
	if (!zones || zones->kids->len == 0)
		return nerr(b, r->err, "missing 'Zones'");
	for (int i = 0; i < p->nzones; i++) /* a repeated Layout Model: the last one counts */
		g_free(p->zones[i].slips);
	g_free(p->zones);
	p->nzones = (int)zones->kids->len;
	p->zones = g_new0(struct mech_zone_params, p->nzones);
	for (int i = 0; i < p->nzones; i++) {
		struct node *zb = zones->kids->pdata[i];
		zb->key = g_strdup("Zones");
		if (!get_block(zb, "dm_layout_g1_zone", r->err))
			return false;
		if (!read_zone(r, zb, &p->zones[i], NULL))
			return false;
	}
	return true;
}

static bool
read_mech(struct rd *r, const struct node *b, struct mech_params *p)
{
	if (!get_block(b, "dm_mech_g1", r->err))
		return false;
	const struct node *curve = NULL, *hpl = NULL, *stype = NULL;
	const struct node *avg = NULL, *full = NULL, *cst = NULL, *first10 = NULL;
	bool have_rpm = false;
	for (guint i = 0; i < b->kids->len; i++) {
		const struct node *n = b->kids->pdata[i];
		const char *k = n->key;
		bool ok = true;
		if (!strcmp(k, "Access time type")) {
			if (n->kind != N_SCALAR)
				return nerr(n, r->err, "expected a name");
			if (strcmp(n->text, "trackSwitchPlusRotation"))
				ignored(r, n);
		} else if (!strcmp(k, "Seek type")) {
			if (n->kind != N_SCALAR)
				return nerr(n, r->err, "expected a name");
			static const char *const types[] = {
			    "extracted", "hpl", "hplplus10", "constant", "linear", "curve", NULL};
			if (!g_strv_contains(types, n->text))
				return nerr(n, r->err,
				            "unknown seek type '%s' (extracted, hpl, hplplus10, "
				            "constant, linear, curve)",
				            n->text);
			stype = n;
		} else if (!strcmp(k, "Average seek time")) {
			avg = n;
		} else if (!strcmp(k, "Full strobe seek time")) {
			full = n;
		} else if (!strcmp(k, "Constant seek time")) {
			cst = n;
		} else if (!strcmp(k, "First ten seek times")) {
			if (n->kind != N_LIST || n->kids->len != 10)
				return nerr(n, r->err, "expected a list of 10 numbers");
			first10 = n;
		} else if (!strcmp(k, "Single cylinder seek time")) {
			ok = get_double(n, &p->single_cyl_ms, r->err);
		} else if (!strcmp(k, "Full seek curve")) {
			if (n->kind != N_SCALAR)
				return nerr(n, r->err, "expected a file name");
			curve = n;
		} else if (!strcmp(k, "HPL seek equation values")) {
			if (n->kind != N_LIST || n->kids->len != 6)
				return nerr(n, r->err, "expected a list of 6 numbers");
			hpl = n;
		} else if (!strcmp(k, "Add. write settling delay")) {
			ok = get_double(n, &p->write_settle_ms, r->err);
		} else if (!strcmp(k, "Head switch time")) {
			ok = get_double(n, &p->head_switch_ms, r->err);
		} else if (!strcmp(k, "Rotation speed (in rpms)")) {
			ok = get_double(n, &p->rpm, r->err);
			if (ok && !(p->rpm > 0))
				return nerr(n, r->err, "must be positive");
			have_rpm = true;
		} else if (!strcmp(k, "Percent error in rpms")) {
			double v;
			ok = get_double(n, &v, r->err);
			if (ok && v != 0)
				ignored(r, n);
		} else {
			ignored(r, n);
		}
		if (!ok)
			return false;
	}
	if (!have_rpm)
		return nerr(b, r->err, "missing 'Rotation speed (in rpms)'");
	if (!stype)
		return nerr(b, r->err, "missing 'Seek type'");
	/* the parameters of the other seek types have no effect: say so (note 2) */
	const char *t = stype->text;
	bool hplish = !strcmp(t, "hpl") || !strcmp(t, "hplplus10");
	bool three = !strcmp(t, "linear") || !strcmp(t, "curve");
	const struct node *unused[] = {strcmp(t, "extracted") ? curve : NULL,
	                               hplish ? NULL : hpl,
	                               strcmp(t, "hplplus10") ? first10 : NULL,
	                               three ? NULL : avg,
	                               three ? NULL : full,
	                               strcmp(t, "constant") ? cst : NULL};
	for (size_t i = 0; i < G_N_ELEMENTS(unused); i++)
		if (unused[i])
			ignored(r, unused[i]);
	if (!strcmp(t, "constant")) {
		if (!cst)
			return nerr(b, r->err, "missing 'Constant seek time'");
		p->seek_kind = MECH_SEEK_CONST;
		return get_double(cst, &p->seek_const_ms, r->err);
	}
	if (three) {
		if (!avg || !full)
			return nerr(b, r->err, "missing '%s'",
			            avg ? "Full strobe seek time" : "Average seek time");
		p->seek_kind = !strcmp(t, "linear") ? MECH_SEEK_LINEAR : MECH_SEEK_CURVE;
		return get_double(avg, &p->seek_avg_ms, r->err) &&
		       get_double(full, &p->seek_full_ms, r->err);
	}
	if (!strcmp(t, "hplplus10")) {
		if (!first10)
			return nerr(b, r->err, "missing 'First ten seek times'");
		for (int i = 0; i < 10; i++) {
			struct node *it = first10->kids->pdata[i];
			it->key = g_strdup(first10->key);
			if (!get_double(it, &p->seek_first10_ms[i], r->err))
				return false;
		}
	}
	if (!strcmp(stype->text, "extracted")) {
		if (!curve)
			return nerr(b, r->err, "missing 'Full seek curve'");
		char *dir = g_path_get_dirname(curve->file);
		char *path = g_path_is_absolute(curve->text)
		                 ? g_strdup(curve->text)
		                 : g_build_filename(dir, curve->text, NULL);
		g_free(dir);
		GError *e = NULL;
		bool ok = dspec_read_seek_table(path, p, &e);
		g_free(path);
		if (!ok) {
			if (e->domain == G_FILE_ERROR)
				nerr(curve, r->err, "%s", e->message);
			else
				g_propagate_error(r->err, g_steal_pointer(&e));
			g_clear_error(&e);
			return false;
		}
		p->seek_kind = MECH_SEEK_TABLE;
	} else {
		if (!hpl)
			return nerr(b, r->err, "missing 'HPL seek equation values'");
		double v[6];
		for (int i = 0; i < 6; i++) {
			struct node *it = hpl->kids->pdata[i];
			it->key = g_strdup(hpl->key);
			if (!get_double(it, &v[i], r->err))
				return false;
		}
		p->seek_kind = !strcmp(t, "hplplus10") ? MECH_SEEK_HPL10 : MECH_SEEK_RW;
		p->rw_boundary = v[0];
		p->rw_a = v[1];
		p->rw_b = v[2];
		p->rw_c = v[3];
		p->rw_e = v[4];
		if (v[5] >= 0)
			p->single_cyl_ms = v[5];
	}
	return true;
}

static bool
read_dm_disk(struct rd *r, const struct node *b, struct mech_params *p)
{
	if (!get_block(b, "dm_disk", r->err))
		return false;
	bool have_layout = false, have_mech = false;
	for (guint i = 0; i < b->kids->len; i++) {
		const struct node *n = b->kids->pdata[i];
		const char *k = n->key;
		bool ok = true;
		if (!strcmp(k, "Number of data surfaces")) {
			ok = get_int(n, 1, 1024, &p->surfaces, r->err);
		} else if (!strcmp(k, "Number of cylinders")) {
			ok = get_int(n, 1, INT32_MAX, &p->cylinders, r->err);
		} else if (!strcmp(k, "Block count")) {
			double v;
			ok = get_double(n, &v, r->err);
			if (ok && (v != floor(v) || v < 0 || v > (double)MECH_MAX_SECTORS))
				return nerr(n, r->err,
				            "'%s' is not an integer in [0, %" G_GINT64_FORMAT "]",
				            n->text, MECH_MAX_SECTORS);
			p->block_count = (int64_t)v;
		} else if (!strcmp(k, "Layout Model")) {
			ok = read_layout(r, n, p);
			have_layout = true;
		} else if (!strcmp(k, "Mechanical Model")) {
			ok = read_mech(r, n, p);
			have_mech = true;
		} else {
			ignored(r, n);
		}
		if (!ok)
			return false;
	}
	if (!p->surfaces)
		return nerr(b, r->err, "missing 'Number of data surfaces'");
	if (!p->cylinders)
		return nerr(b, r->err, "missing 'Number of cylinders'");
	if (!have_layout)
		return nerr(b, r->err, "missing 'Layout Model'");
	if (!have_mech)
		return nerr(b, r->err, "missing 'Mechanical Model'");
	return true;
}

struct dkey {
	const char *name;
	char type; /* d double, i int, b bool */
	size_t off;
	int lo, hi; /* for i */
};

#define DK(n, t, f)                                                                                \
	{                                                                                          \
		n, t, offsetof(struct mech_params, f), 0, INT32_MAX                                \
	}
#define DKI(n, f, lo, hi)                                                                          \
	{                                                                                          \
		n, 'i', offsetof(struct mech_params, f), lo, hi                                    \
	}
static const struct dkey disksim_keys[] = {
    DK("Per-request overhead time", 'd', ovh_per_request),
    DK("Time scale for overheads", 'd', ovh_scale),
    DK("Bulk sector transfer time", 'd', bus_ms_per_sector),
    DK("Number of buffer segments", 'i', cache_segments),
    DK("Maximum number of write segments", 'i', write_segments),
    DK("Segment size (in blks)", 'i', segment_sectors),
    DK("Use separate write segment", 'b', separate_write_segment),

    DKI("Buffer continuous read", readahead_mode, 0, 4),
    DK("Minimum read-ahead (blks)", 'i', min_readahead_sectors),
    DK("Maximum read-ahead (blks)", 'i', readahead_sectors),
    DKI("Read-ahead over requested", readahead_over_requested, -1, 1),
    DK("Read-ahead on idle hit", 'b', readahead_on_idle_hit),
    DK("Allow almost read hits", 'b', almost_read_hits),
    DK("Stop prefetch in sector", 'b', stop_prefetch_in_sector),
    DK("Disconnect write if seek", 'b', disconnect_in_seek),
    DK("Immed transfer partial hit", 'b', immed_transfer_partial_hit),
    DK("Set watermark by reqsize", 'b', water_by_request),
    DK("Read disconnect afterread", 'd', ovh_read_disconnect[0]),
    DK("Read disconnect afterwrite", 'd', ovh_read_disconnect[1]),
    DK("First reselect overhead", 'd', ovh_reselect),
    DK("Other reselect overhead", 'd', reselect_other_ms),
    DK("Write disconnect overhead", 'd', write_disconnect_ms),
    DK("Minimum seek delay", 'd', min_seek_delay_ms),
    DK("Extra write disconnect", 'b', extra_write_disconnect),
    DK("Extradisc command overhead", 'd', xdisc_command_ms),
    DK("Extradisc disconnect overhead", 'd', xdisc_disconnect_ms),
    DK("Extradisc inter-disconnect delay", 'd', xdisc_inter_ms),
    DK("Extradisc 2nd disconnect overhead", 'd', xdisc_disconnect2_ms),
    DK("Extradisc seek delta", 'd', xdisc_seek_delta_ms),
    DK("Allow read hits on write data", 'b', read_hits_on_write_data),
    DK("Fast write level", 'i', write_back),
    DK("Combine seq writes", 'b', combine_writes),
    DK("Allow write prebuffering", 'b', write_prebuffer),
    DK("Read hit over. after read", 'd', ovh_read_hit[0]),
    DK("Read hit over. after write", 'd', ovh_read_hit[1]),
    DK("Read miss over. after read", 'd', ovh_read_miss[0]),
    DK("Read miss over. after write", 'd', ovh_read_miss[1]),
    DK("Write hit over. after read", 'd', ovh_write_hit[0]),
    DK("Write hit over. after write", 'd', ovh_write_hit[1]),
    DK("Write miss over. after read", 'd', ovh_write_miss[0]),
    DK("Write miss over. after write", 'd', ovh_write_miss[1]),
    DK("Read completion overhead", 'd', ovh_read_complete),
    DK("Write completion overhead", 'd', ovh_write_complete),
    DK("Data preparation overhead", 'd', ovh_data_prep),
    DK("High (read) water mark", 'd', read_water),
    DK("Low (write) water mark", 'd', write_water),
    {NULL, 0, 0, 0, 0},
};

static bool
set_key(const struct node *n, const struct dkey *k, struct mech_params *p, GError **err)
{
	void *dst = (char *)p + k->off;
	switch (k->type) {
	case 'd': {
		double v;
		if (!get_double(n, &v, err))
			return false;
		if (v < 0)
			return nerr(n, err, "must be >= 0");
		*(double *)dst = v;
		return true;
	}
	case 'i':
		return get_int(n, k->lo, k->hi, (int *)dst, err);
	default:
		return get_bool(n, (bool *)dst, err);
	}
}

/* ---- a .parv system (note 6) ------------------------------------------------------- */

static const struct node *find_key(const struct node *n, const char *key);

/* What a one-disk system adds to its disk. */
struct sys {
	const struct node *disk; /* the disk's block */
	double bus_read_ms;      /* the disk's bus: block transfer times */
	double bus_write_ms;
};

/* The top-level block of type TYPE (NULL: any) named NAME (NULL: any). */
static const struct node *
find_block(const struct node *top, const char *type, const char *name)
{
	for (guint i = 0; i < top->kids->len; i++) {
		const struct node *b = top->kids->pdata[i];
		if ((!type || !strcmp(b->text, type)) &&
		    (!name || (b->name && !strcmp(b->name, name))))
			return b;
	}
	return NULL;
}

static bool
has_topology(const struct node *top)
{
	for (guint i = 0; i < top->kids->len; i++) {
		const struct node *b = top->kids->pdata[i];
		if (b->key && !strcmp(b->key, "topology"))
			return true;
	}
	return false;
}

/* The block that component NAME (in the topology node AT) is an instance of. */
static const struct node *
instance_of(struct rd *r, const struct node *top, const struct node *at)
{
	for (guint i = 0; i < top->kids->len; i++) {
		const struct node *in = top->kids->pdata[i];
		if (strcmp(in->text, "instantiate"))
			continue;
		for (guint j = 0; j < in->kids->len; j++) {
			const struct node *it = in->kids->pdata[j];
			if (strcmp(it->text, at->name))
				continue;
			const struct node *b = find_block(top, at->text, in->name);
			if (!b)
				nerr(in, r->err, "no %s block named '%s' for '%s'", at->text,
				     in->name, at->name);
			return b;
		}
	}
	nerr(at, r->err, "%s '%s' is not instantiated ('instantiate [ %s ] as TYPE')", at->text,
	     at->name, at->name);
	return NULL;
}

/* The first element of the topology under N whose type is not one of a one-disk system's. */
static const struct node *
topo_alien(const struct node *n)
{
	static const char *const known[] = {"disksim_iodriver", "disksim_bus", "disksim_ctlr",
	                                    "disksim_disk", NULL};
	if (!g_strv_contains(known, n->text))
		return n;
	for (guint i = 0; i < n->kids->len; i++) {
		const struct node *a = topo_alien(n->kids->pdata[i]);
		if (a)
			return a;
	}
	return NULL;
}

/* The disks under topology node N, into DISKS; PATH: the node's ancestors, kept for the
 * first disk found (its bus is the element above it). */
static void
topo_disks(const struct node *n, GPtrArray *path, GPtrArray *disks, GPtrArray *disk_path)
{
	if (!strcmp(n->text, "disksim_disk")) {
		if (disks->len == 0)
			for (guint i = 0; i < path->len; i++)
				g_ptr_array_add(disk_path, path->pdata[i]);
		g_ptr_array_add(disks, (gpointer)n);
		return;
	}
	g_ptr_array_add(path, (gpointer)n);
	for (guint i = 0; i < n->kids->len; i++)
		topo_disks(n->kids->pdata[i], path, disks, disk_path);
	g_ptr_array_remove_index(path, path->len - 1);
}

/* A number in block B under KEY (DEF if absent). */
static bool
block_double(const struct node *b, const char *key, double def, double *out, GError **err)
{
	*out = def;
	for (guint i = 0; i < b->kids->len; i++) {
		const struct node *n = b->kids->pdata[i];
		if (!strcmp(n->key, key)) {
			if (!get_double(n, out, err))
				return false;
			if (*out < 0)
				return nerr(n, err, "must be >= 0");
		}
	}
	return true;
}

/* Report every key of B as ignored except the NULL-terminated KEEP (read elsewhere), and
 * those whose value is 0 in ZERO_OK (no effect when 0). */
static void
ignore_rest(struct rd *r, const struct node *b, const char *const *keep, const char *const *zero_ok)
{
	for (guint i = 0; i < b->kids->len; i++) {
		const struct node *n = b->kids->pdata[i];
		if (g_strv_contains(keep, n->key))
			continue;
		if (g_strv_contains(zero_ok, n->key) && n->kind == N_SCALAR &&
		    g_ascii_strtod(n->text, NULL) == 0)
			continue;
		ignored(r, n);
	}
}

/* A .parv: the topology must hold one disk, under an iodriver, through buses and
 * controllers; the disk's bus gives the transfer times, the rest is checked and reported
 * (note 6). */
static bool
read_system(struct rd *r, const struct node *top, struct sys *sys)
{
	const struct node *topo = NULL;
	for (guint i = 0; i < top->kids->len; i++) {
		const struct node *b = top->kids->pdata[i];
		if (strcmp(b->text, "instantiate") && strcmp(b->key ? b->key : "", "topology") &&
		    r->warn)
			g_ptr_array_add(r->warn,
			                g_strdup_printf("%s:%d: %s: block read only as the "
			                                "topology names it",
			                                b->file, b->line, b->text));
		if (b->key && !strcmp(b->key, "topology")) {
			if (topo)
				return nerr(b, r->err, "a second topology (one system, one disk)");
			topo = b;
		}
	}
	if (!topo) /* has_topology found one */
		return nerr(top, r->err, "no topology");
	if (strcmp(topo->text, "disksim_iodriver"))
		return nerr(topo, r->err, "the topology must start at a disksim_iodriver, not '%s'",
		            topo->text);
	const struct node *alien = topo_alien(topo);
	if (alien)
		return nerr(alien, r->err,
		            "component type '%s' is not supported (a one-disk system of "
		            "disksim_iodriver, disksim_bus, disksim_ctlr and one disksim_disk)",
		            alien->text);
	GPtrArray *path = g_ptr_array_new(), *disks = g_ptr_array_new(),
	          *disk_path = g_ptr_array_new();
	topo_disks(topo, path, disks, disk_path);
	bool ok = true;
	if (disks->len != 1) {
		ok = nerr(topo, r->err,
		          "%u disks in the topology; vnodesim simulates a one-disk system",
		          disks->len);
	}
	const struct node *dnode = ok ? disks->pdata[0] : NULL;
	const struct node *parent = ok ? g_ptr_array_index(disk_path, disk_path->len - 1) : NULL;
	if (ok && strcmp(parent->text, "disksim_bus"))
		ok = nerr(dnode, r->err, "the disk must hang on a disksim_bus, not on '%s'",
		          parent->text);
	if (ok && dnode->kids->len)
		ok = nerr(dnode, r->err, "a disk has nothing under it");
	if (ok)
		ok = (sys->disk = instance_of(r, top, dnode)) != NULL;
	if (ok && strcmp(sys->disk->text, "disksim_disk"))
		ok = nerr(sys->disk, r->err, "'%s' is a %s, not a disksim_disk", dnode->name,
		          sys->disk->text);
	for (guint i = 0; ok && i < disk_path->len; i++) {
		const struct node *at = disk_path->pdata[i];
		const struct node *b = instance_of(r, top, at);
		if (!(ok = b != NULL))
			break;
		static const char *const none[] = {NULL};
		if (!strcmp(at->text, "disksim_bus")) {
			static const char *const keep[] = {"Read block transfer time",
			                                   "Write block transfer time",
			                                   "type",
			                                   "Arbitration type",
			                                   "Print stats",
			                                   NULL};
			static const char *const zero[] = {"Arbitration time", NULL};
			double rd, wr;
			ok = block_double(b, "Read block transfer time", 0, &rd, r->err) &&
			     block_double(b, "Write block transfer time", 0, &wr, r->err);
			if (ok && at == parent) {
				sys->bus_read_ms = rd;
				sys->bus_write_ms = wr;
				ignore_rest(r, b, keep, zero);
			} else if (ok) { /* a bus between driver and controller: not the disk's */
				ignore_rest(r, b,
				            (const char *const[]){"type", "Arbitration type",
				                                  "Print stats", NULL},
				            (const char *const[]){
				                "Arbitration time", "Read block transfer time",
				                "Write block transfer time", NULL});
			}
		} else if (!strcmp(at->text, "disksim_ctlr")) {
			/* type 1 is DiskSim's pass-through controller (CTLR_PASSTHRU): no delay
			 * of its own; the others queue, cache and add overheads */
			double type;
			ok = block_double(b, "type", 1, &type, r->err);
			if (ok && type != 1)
				ok =
				    nerr(find_key(b, "type"), r->err,
				         "controller type %g is not modelled (1, pass-through, is)",
				         type);
			if (ok)
				ignore_rest(r, b,
				            (const char *const[]){"type", "Print stats", NULL},
				            (const char *const[]){"Scale for delays",
				                                  "Bulk sector transfer time",
				                                  "Maximum queue length", NULL});
		} else if (!strcmp(at->text, "disksim_iodriver")) {
			double cat;
			ok = block_double(b, "Constant access time", 0, &cat, r->err);
			if (ok && cat != 0)
				ok = nerr(
				    find_key(b, "Constant access time"), r->err,
				    "a constant access time replaces the disk model; not modelled");
			/* its Scheduler orders requests above the disk: [block] does that */
			if (ok)
				ignore_rest(
				    r, b,
				    (const char *const[]){"type", "Constant access time", NULL},
				    none);
		} else {
			ok = nerr(at, r->err,
			          "component type '%s' is not supported in a one-disk "
			          "topology (disksim_iodriver, disksim_bus, disksim_ctlr)",
			          at->text);
		}
	}
	g_ptr_array_free(path, TRUE);
	g_ptr_array_free(disks, TRUE);
	g_ptr_array_free(disk_path, TRUE);
	return ok;
}

static bool check_diskspecs(const struct node *disk, const struct mech_params *p, GError **err);

bool
dspec_read_diskspecs(const char *path, struct mech_params *p, GPtrArray *warn, GError **err)
{
	mech_params_init(p);
	GStringChunk *strings = g_string_chunk_new(256);
	struct dsrc src = {.strings = strings, .chain = g_ptr_array_new_with_free_func(g_free)};
	struct node *top = parse_file(path, &src, 0, 0, true, err);
	g_ptr_array_free(src.chain, TRUE);
	if (!top) {
		g_string_chunk_free(strings);
		return false;
	}
	struct rd r = {.warn = warn, .err = err};
	const struct node *disk = NULL;
	struct sys sys = {0};
	bool ok = true;
	if (has_topology(top)) {
		ok = read_system(&r, top, &sys);
		disk = sys.disk;
	} else {
		for (guint i = 0; i < top->kids->len; i++) {
			const struct node *b = top->kids->pdata[i];
			if (!strcmp(b->text, "disksim_disk") && !disk)
				disk = b;
			else if (warn)
				g_ptr_array_add(warn, g_strdup_printf("%s:%d: %s: block ignored",
				                                      b->file, b->line, b->text));
		}
		if (!disk) {
			g_set_error(err, SCN_ERROR, SCN_ERROR_BAD_INPUT,
			            "%s:1: disksim_disk: no such block", path);
			ok = false;
		}
	}
	bool have_model = false;
	for (guint i = 0; ok && disk && i < disk->kids->len; i++) {
		const struct node *n = disk->kids->pdata[i];
		if (!strcmp(n->key, "Model")) {
			ok = read_dm_disk(&r, n, p);
			have_model = true;
			continue;
		}
		const struct dkey *k = disksim_keys;
		while (k->name && strcmp(k->name, n->key))
			k++;
		if (!strcmp(n->key, "Enable caching in buffer")) {
			/* 0..2 (disk.modspec); DiskSim's controller tests it only for non-zero
			 * (disksim_diskcache.c, disksim_diskctlr.c): 2 behaves as 1 */
			int v;
			ok = get_int(n, 0, 2, &v, err);
			p->cache = v != 0;
		} else if (k->name) {
			ok = set_key(n, k, p, err);
			if (ok && !strcmp(k->name, "Fast write level") && p->write_back > 2)
				ok = nerr(n, err, "must be 0, 1 or 2");
		} else {
			ignored(&r, n);
		}
	}
	if (ok && !have_model) {
		nerr(disk, err, "missing 'Model'");
		ok = false;
	}
	if (ok && sys.disk) {
		/* disk_get_blktranstime (disksim_diskctlr.c): a block crosses at the slower of
		 * the disk's own rate and its bus's, by direction */
		double disk_ms = p->bus_ms_per_sector;
		p->bus_ms_per_sector = MAX(disk_ms, sys.bus_read_ms);
		double w = MAX(disk_ms, sys.bus_write_ms);
		p->bus_write_ms_per_sector = w != p->bus_ms_per_sector ? w : -1;
	}
	if (ok && p->nzones > 0 && p->zones[p->nzones - 1].last_cyl >= p->cylinders) {
		/* DiskSim's layout takes the zones' cylinders as they are (one of its validated
		 * drives, the HP C2490A, has a zone ending at "Number of cylinders"): so do we */
		int c = p->zones[p->nzones - 1].last_cyl + 1;
		if (warn)
			g_ptr_array_add(warn, g_strdup_printf("%s: Number of cylinders %d, but the "
			                                      "last zone ends at cylinder %d; %d "
			                                      "used, as DiskSim does",
			                                      path, p->cylinders, c - 1, c));
		p->cylinders = c;
	}
	if (ok)
		ok = check_diskspecs(disk, p, err);
	if (ok && warn && p->block_count > 0) {
		/* DiskSim silently replaces Block count with what the zones hold; say so */
		struct mech *m = mech_new(p, NULL);
		if (m && mech_capacity(m) != (uint64_t)p->block_count)
			g_ptr_array_add(
			    warn, g_strdup_printf("%s: Block count %" G_GINT64_FORMAT
			                          " differs from the zones' %" G_GUINT64_FORMAT
			                          " sectors; the zones are used, as DiskSim does",
			                          path, p->block_count, mech_capacity(m)));
		mech_free(m);
	}
	node_free(top);
	g_string_chunk_free(strings);
	if (!ok)
		mech_params_clear(p);
	return ok;
}

/* ---- seek tables -------------------------------------------------------------------- */

static bool
seek_table_from_text(const char *text, const char *file, int line0, struct mech_params *p,
                     const char *key, GError **err)
{
	GArray *d = g_array_new(FALSE, FALSE, sizeof(double));
	GArray *t = g_array_new(FALSE, FALSE, sizeof(double));
	char **lines = g_strsplit(text, "\n", -1);
	bool ok = true;
	for (int i = 0; ok && lines[i]; i++) {
		char *l = g_strstrip(lines[i]);
		int ln = line0 + i;
		if (!*l || *l == '#' || g_str_has_prefix(l, "Seek distances measured"))
			continue;
		char *e;
		double dv = g_ascii_strtod(l, &e);
		if (e == l)
			goto bad;
		while (*e == ' ' || *e == '\t' || *e == ',' || *e == ':')
			e++;
		char *e2;
		double tv = g_ascii_strtod(e, &e2);
		if (e2 == e)
			goto bad;
		while (*e2 == ' ' || *e2 == '\t' || *e2 == ',')
			e2++;
		if (*e2 && *e2 != '#')
			goto bad;
		if (!(dv >= 1 && dv <= INT32_MAX) || !(tv >= 0 && tv <= MECH_MAX_MS) ||
		    (d->len && dv <= g_array_index(d, double, d->len - 1))) {
			g_set_error(err, SCN_ERROR, SCN_ERROR_BAD_INPUT,
			            "%s:%d: %s: '%s': distances must ascend from 1 and times be in "
			            "[0, %g] ms",
			            file, ln, key, l, MECH_MAX_MS);
			ok = false;
			break;
		}
		g_array_append_val(d, dv);
		g_array_append_val(t, tv);
		continue;
	bad:
		g_set_error(err, SCN_ERROR, SCN_ERROR_BAD_INPUT,
		            "%s:%d: %s: expected 'DISTANCE, MS', got '%s'", file, ln, key, l);
		ok = false;
	}
	g_strfreev(lines);
	if (ok && d->len == 0) {
		g_set_error(err, SCN_ERROR, SCN_ERROR_BAD_INPUT, "%s:%d: %s: empty seek table",
		            file, line0, key);
		ok = false;
	}
	if (ok) {
		g_free(p->seek_dist);
		g_free(p->seek_ms);
		p->nseek = (int)d->len;
		p->seek_dist = (double *)(void *)g_array_free(d, FALSE);
		p->seek_ms = (double *)(void *)g_array_free(t, FALSE);
		p->seek_kind = MECH_SEEK_TABLE;
	} else {
		g_array_free(d, TRUE);
		g_array_free(t, TRUE);
	}
	return ok;
}

bool
dspec_read_seek_table(const char *path, struct mech_params *p, GError **err)
{
	char *buf;
	size_t len;
	if (!scn_read_input(path, DSPEC_MAX_BYTES, &buf, &len, err))
		return false;
	if (memchr(buf, '\0', len)) {
		g_free(buf);
		g_set_error(err, SCN_ERROR, SCN_ERROR_BAD_INPUT, "%s: NUL byte: not a text file",
		            path);
		return false;
	}
	bool ok = seek_table_from_text(buf, path, 1, p, "seek table", err);
	g_free(buf);
	return ok;
}

/* ---- the project's format (note 3) --------------------------------------------------- */

struct pkey {
	const char *name;
	char type; /* d double ms, i int, b bool */
	size_t off;
	int lo, hi; /* for i */
};

#define PK(n, t, f)                                                                                \
	{                                                                                          \
		n, t, offsetof(struct mech_params, f), 0, INT32_MAX                                \
	}
#define PKI(n, f, lo, hi)                                                                          \
	{                                                                                          \
		n, 'i', offsetof(struct mech_params, f), lo, hi                                    \
	}
static const struct pkey proj_keys[] = {
    PK("rpm", 'd', rpm),
    PK("cylinders", 'i', cylinders),
    PK("surfaces", 'i', surfaces),
    PK("sparing", 'i', sparing),
    PK("mapping", 'i', mapping),
    PK("single_cyl_seek_ms", 'd', single_cyl_ms),
    PK("head_switch_ms", 'd', head_switch_ms),
    PK("write_settle_ms", 's', write_settle_ms),
    PK("read_hit_after_read_ms", 'd', ovh_read_hit[0]),
    PK("read_hit_after_write_ms", 'd', ovh_read_hit[1]),
    PK("read_miss_after_read_ms", 'd', ovh_read_miss[0]),
    PK("read_miss_after_write_ms", 'd', ovh_read_miss[1]),
    PK("write_hit_after_read_ms", 'd', ovh_write_hit[0]),
    PK("write_hit_after_write_ms", 'd', ovh_write_hit[1]),
    PK("write_miss_after_read_ms", 'd', ovh_write_miss[0]),
    PK("write_miss_after_write_ms", 'd', ovh_write_miss[1]),
    PK("read_complete_ms", 'd', ovh_read_complete),
    PK("write_complete_ms", 'd', ovh_write_complete),
    PK("data_prep_ms", 'd', ovh_data_prep),
    PK("per_request_ms", 'd', ovh_per_request),
    PK("overhead_scale", 'd', ovh_scale),
    PK("bus_ms_per_sector", 'd', bus_ms_per_sector),
    PK("bus_write_ms_per_sector", 'd', bus_write_ms_per_sector),
    PKI("sparing_range", sparing_range, 1, INT32_MAX),
    PK("read_water", 'd', read_water),
    PK("write_water", 'd', write_water),
    PK("cache", 'b', cache),
    PK("cache_segments", 'i', cache_segments),
    PK("write_segments", 'i', write_segments),
    PK("segment_sectors", 'i', segment_sectors),
    PK("separate_write_segment", 'b', separate_write_segment),
    PKI("readahead_mode", readahead_mode, 0, 4),
    PK("readahead_sectors", 'i', readahead_sectors),
    PK("min_readahead_sectors", 'i', min_readahead_sectors),
    PKI("readahead_over_requested", readahead_over_requested, -1, 1),
    PK("readahead_on_idle_hit", 'b', readahead_on_idle_hit),
    PK("almost_read_hits", 'b', almost_read_hits),
    PK("stop_prefetch_in_sector", 'b', stop_prefetch_in_sector),
    PK("disconnect_in_seek", 'b', disconnect_in_seek),
    PK("immed_transfer_partial_hit", 'b', immed_transfer_partial_hit),
    PK("water_by_request", 'b', water_by_request),
    PK("read_disconnect_after_read_ms", 'd', ovh_read_disconnect[0]),
    PK("read_disconnect_after_write_ms", 'd', ovh_read_disconnect[1]),
    PK("reselect_ms", 'd', ovh_reselect),
    PK("reselect_other_ms", 'd', reselect_other_ms),
    PK("write_disconnect_ms", 'd', write_disconnect_ms),
    PK("min_seek_delay_ms", 'd', min_seek_delay_ms),
    PK("extra_write_disconnect", 'b', extra_write_disconnect),
    PK("xdisc_command_ms", 'd', xdisc_command_ms),
    PK("xdisc_disconnect_ms", 'd', xdisc_disconnect_ms),
    PK("xdisc_inter_ms", 'd', xdisc_inter_ms),
    PK("xdisc_disconnect2_ms", 'd', xdisc_disconnect2_ms),
    PK("xdisc_seek_delta_ms", 'd', xdisc_seek_delta_ms),
    PK("read_hits_on_write_data", 'b', read_hits_on_write_data),
    PK("combine_writes", 'b', combine_writes),
    PKI("write_back", write_back, 0, 2),
    PK("write_prebuffer", 'b', write_prebuffer),
    {NULL, 0, 0, 0, 0},
};

/* The node under N (blocks and lists, depth-first) whose key is KEY, or NULL. */
static const struct node *
find_key(const struct node *n, const char *key)
{
	for (guint i = 0; n->kids && i < n->kids->len; i++) {
		const struct node *k = n->kids->pdata[i];
		if (k->key && !strcmp(k->key, key))
			return k;
		const struct node *f = k->kind != N_SCALAR ? find_key(k, key) : NULL;
		if (f)
			return f;
	}
	return NULL;
}

/* The DiskSim name of a parameter mech_params_check_at names by its project name. */
static const char *
disksim_name(const char *field)
{
	static const char *const names[][2] = {
	    {"rpm", "Rotation speed (in rpms)"},
	    {"surfaces", "Number of data surfaces"},
	    {"cylinders", "Number of cylinders"},
	    {"block_count", "Block count"},
	    {"sparing", "Sparing scheme used"},
	    {"mapping", "LBN-to-PBN mapping scheme"},
	    {"single_cyl_seek_ms", "Single cylinder seek time"},
	    {"head_switch_ms", "Head switch time"},
	    {"write_settle_ms", "Add. write settling delay"},
	    {"first_cyl", "First cylinder number"},
	    {"last_cyl", "Last cylinder number"},
	    {"sectors_per_track", "Blocks per track"},
	    {"front_space", "Empty space at zone front"},
	    {"spares", "Number of spares"},
	    {"slips", "slips"},
	    {"first_offset", "Offset of first block"},
	    {"track_skew", "Skew for track switch"},
	    {"cyl_skew", "Skew for cylinder switch"},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
		if (!strcmp(names[i][0], field))
			return names[i][1];
	/* the controller's keys: the project name and the DiskSim name share a field */
	for (const struct pkey *k = proj_keys; k->name; k++)
		if (!strcmp(k->name, field))
			for (const struct dkey *d = disksim_keys; d->name; d++)
				if (d->off == k->off)
					return d->name;
	return field;
}

/* mech_params_check_at on a DiskSim disk block, the fault named at the line that gave the
 * value (or the block that lacks it). */
static bool
check_diskspecs(const struct node *disk, const struct mech_params *p, GError **err)
{
	int zone;
	const char *field;
	GError *e = NULL;
	if (mech_params_check_at(p, &zone, &field, &e))
		return true;
	const struct node *where = disk, *n = NULL;
	const char *name = disksim_name(field);
	if (zone >= 0) {
		const struct node *zones = find_key(disk, "Zones");
		if (zones && zones->kind == N_LIST && (guint)zone < zones->kids->len)
			where = zones->kids->pdata[zone];
		n = find_key(where, name);
	} else if (!strcmp(field, "seek")) {
		n = find_key(disk, "Full seek curve");
		if (!n || p->seek_kind != MECH_SEEK_TABLE)
			n = find_key(disk, "HPL seek equation values");
	} else {
		n = find_key(disk, name);
	}
	if (n)
		nerr(n, err, "%s", e->message);
	else
		nerr(where, err, "%s: %s", name, e->message);
	g_error_free(e);
	return false;
}

/* Keys of the mechanical model in [disk]: the table above plus these. */
const char *const dspec_mech_keys[] = {
    "spec",
    "rpm",
    "cylinders",
    "surfaces",
    "block_count",
    "sparing",
    "mapping",
    "seek",
    "seek_table",
    "single_cyl_seek_ms",
    "head_switch_ms",
    "write_settle_ms",
    "read_hit_after_read_ms",
    "read_hit_after_write_ms",
    "read_miss_after_read_ms",
    "read_miss_after_write_ms",
    "write_hit_after_read_ms",
    "write_hit_after_write_ms",
    "write_miss_after_read_ms",
    "write_miss_after_write_ms",
    "read_complete_ms",
    "write_complete_ms",
    "data_prep_ms",
    "per_request_ms",
    "overhead_scale",
    "bus_ms_per_sector",
    "bus_write_ms_per_sector",
    "sparing_range",
    "seek_first10",
    "read_water",
    "write_water",
    "water_by_request",
    "read_disconnect_after_read_ms",
    "read_disconnect_after_write_ms",
    "reselect_ms",
    "reselect_other_ms",
    "write_disconnect_ms",
    "min_seek_delay_ms",
    "extra_write_disconnect",
    "xdisc_command_ms",
    "xdisc_disconnect_ms",
    "xdisc_inter_ms",
    "xdisc_disconnect2_ms",
    "xdisc_seek_delta_ms",
    "cache",
    "cache_segments",
    "write_segments",
    "segment_sectors",
    "separate_write_segment",
    "readahead_mode",
    "readahead_sectors",
    "min_readahead_sectors",
    "readahead_over_requested",
    "readahead_on_idle_hit",
    "almost_read_hits",
    "stop_prefetch_in_sector",
    "disconnect_in_seek",
    "immed_transfer_partial_hit",
    "read_hits_on_write_data",
    "combine_writes",
    "write_back",
    "write_prebuffer",
    "sectors_per_track",
    "track_skew",
    "cyl_skew",
    NULL,
};

static const char *const zone_keys[] = {
    "first_cyl",   "last_cyl",   "sectors_per_track", "first_offset",
    "front_space", "track_skew", "cyl_skew",          "spares",
    "slips",       NULL};

static bool
get_pkey(const struct scn_sect *s, const struct pkey *k, struct mech_params *p, GError **err)
{
	void *dst = (char *)p + k->off;
	switch (k->type) {
	case 'd':
		return scn_get_double(s, k->name, *(double *)dst, 0, 1e12, (double *)dst, err);
	case 's': /* may be negative (a write settle: DiskSim allows it) */
		return scn_get_double(s, k->name, *(double *)dst, -1e12, 1e12, (double *)dst, err);
	case 'i': {
		int64_t v;
		if (!scn_get_int(s, k->name, *(int *)dst, k->lo, k->hi, &v, err))
			return false;
		*(int *)dst = (int)v;
		return true;
	}
	default:
		return scn_get_bool(s, k->name, *(bool *)dst, (bool *)dst, err);
	}
}

static bool
parse_seek(const struct scn_sect *s, struct mech_params *p, GError **err)
{
	if (scn_has(s, "seek")) {
		const char *v;
		if (!scn_get_str(s, "seek", NULL, &v, err))
			return false;
		if (g_str_has_prefix(v, "table:")) {
			/* resolve the file name against the file that named it */
			const char *file = NULL;
			int line = 0;
			scn_where(s, "seek", &file, &line);
			char *dir = g_path_get_dirname(file ? file : ".");
			const char *rel = v + 6;
			char *path = g_path_is_absolute(rel) || line == 0
			                 ? g_strdup(rel)
			                 : g_build_filename(dir, rel, NULL);
			g_free(dir);
			GError *e = NULL;
			bool ok = dspec_read_seek_table(path, p, &e);
			if (!ok) {
				if (e->domain == G_FILE_ERROR)
					scn_error(s, "seek", err, "%s", e->message);
				else
					g_propagate_error(err, g_steal_pointer(&e));
				g_clear_error(&e);
			}
			g_free(path);
			if (!ok)
				return false;
		} else if (g_str_has_prefix(v, "rw:")) {
			char **f = g_strsplit(v + 3, ",", -1);
			double x[5];
			int n = 0;
			bool ok = g_strv_length(f) == 5;
			for (; ok && n < 5; n++) {
				char *e;
				x[n] = g_ascii_strtod(g_strstrip(f[n]), &e);
				ok = e != f[n] && !*e && isfinite(x[n]);
			}
			g_strfreev(f);
			if (!ok || x[4] < 1)
				return scn_error(s, "seek", err,
				                 "expected rw:a,b,c,e,boundary (numbers, "
				                 "boundary >= 1)");
			p->seek_kind = MECH_SEEK_RW;
			p->rw_a = x[0];
			p->rw_b = x[1];
			p->rw_c = x[2];
			p->rw_e = x[3];
			p->rw_boundary = x[4];
		} else if (g_str_has_prefix(v, "const:") || g_str_has_prefix(v, "linear:") ||
		           g_str_has_prefix(v, "curve:")) {
			/* DiskSim's constant, linear and curve seek types (disk_mech.c note 13) */
			bool cst = v[0] == 'c' && v[1] == 'o';
			char **f = g_strsplit(strchr(v, ':') + 1, ",", -1);
			guint want = cst ? 1 : 2, n = g_strv_length(f);
			double x[2] = {0, 0};
			bool ok = n == want;
			for (guint i = 0; ok && i < n; i++) {
				char *e;
				x[i] = g_ascii_strtod(g_strstrip(f[i]), &e);
				ok = e != f[i] && !*e && isfinite(x[i]) && x[i] >= 0;
			}
			g_strfreev(f);
			if (!ok)
				return scn_error(s, "seek", err,
				                 "expected const:MS, linear:AVG_MS,FULL_MS or "
				                 "curve:AVG_MS,FULL_MS (numbers >= 0)");
			if (cst) {
				p->seek_kind = MECH_SEEK_CONST;
				p->seek_const_ms = x[0];
			} else {
				p->seek_kind = v[0] == 'l' ? MECH_SEEK_LINEAR : MECH_SEEK_CURVE;
				p->seek_avg_ms = x[0];
				p->seek_full_ms = x[1];
			}
		} else {
			return scn_error(s, "seek", err,
			                 "expected table:FILE, rw:a,b,c,e,boundary, const:MS, "
			                 "linear:AVG,FULL or curve:AVG,FULL");
		}
	}
	if (scn_has(s, "seek_first10")) {
		/* DiskSim's hplplus10: ten times for distances 1..10, the rw curve beyond */
		const char *v;
		if (!scn_get_str(s, "seek_first10", NULL, &v, err))
			return false;
		char **f = g_strsplit_set(v, " \t,", -1);
		int n = 0;
		bool ok = true;
		for (int i = 0; ok && f[i]; i++) {
			if (!*f[i])
				continue;
			char *e;
			double x = g_ascii_strtod(f[i], &e);
			ok = e != f[i] && !*e && isfinite(x) && x >= 0 && n < 10;
			if (ok)
				p->seek_first10_ms[n++] = x;
		}
		g_strfreev(f);
		if (!ok || n != 10)
			return scn_error(s, "seek_first10", err, "expected ten times in ms (>= 0)");
		if (p->seek_kind != MECH_SEEK_RW && p->seek_kind != MECH_SEEK_HPL10)
			return scn_error(s, "seek_first10", err, "needs seek = rw:... (hplplus10)");
		p->seek_kind = MECH_SEEK_HPL10;
	}
	if (scn_has(s, "seek_table")) {
		const char *v;
		if (!scn_get_str(s, "seek_table", NULL, &v, err))
			return false;
		/* inline "d:ms d:ms ...": one pair a line for the shared parser */
		char *t = g_strdup(v);
		for (char *c = t; *c; c++)
			if (*c == ' ' || *c == '\t')
				*c = '\n';
		const char *file = NULL;
		int line = 0;
		scn_where(s, "seek_table", &file, &line);
		GError *e = NULL;
		bool ok = seek_table_from_text(t, file ? file : "?", line, p, "seek_table", &e);
		g_free(t);
		if (!ok) {
			/* all pairs are on one line: name it */
			scn_error(s, "seek_table", err, "%s",
			          strstr(e->message, "seek_table: ") + strlen("seek_table: "));
			g_error_free(e);
			return false;
		}
	}
	return true;
}

static bool
parse_slips(const struct scn_sect *s, struct mech_zone_params *z, GError **err)
{
	if (!scn_has(s, "slips"))
		return true;
	const char *v;
	if (!scn_get_str(s, "slips", "", &v, err))
		return false;
	char **f = g_strsplit_set(v, " ,\t", -1);
	GArray *a = g_array_new(FALSE, FALSE, sizeof(int));
	bool ok = true;
	for (int i = 0; f[i]; i++) {
		if (!*f[i])
			continue;
		char *e;
		errno = 0;
		long x = strtol(f[i], &e, 10);
		if (*e || errno || x < 0 || x > INT32_MAX ||
		    (a->len && x <= g_array_index(a, int, a->len - 1))) {
			ok = scn_error(s, "slips", err, "'%s': slips are ascending integers >= 0",
			               f[i]);
			break;
		}
		int xi = (int)x;
		g_array_append_val(a, xi);
	}
	g_strfreev(f);
	g_free(z->slips);
	z->nslips = (int)a->len;
	z->slips = (int *)(void *)g_array_free(a, FALSE);
	return ok;
}

static bool
parse_zone(const struct scn_sect *s, struct mech_zone_params *z, GError **err)
{
	int64_t v;
	memset(z, 0, sizeof(*z));
	if (!scn_check_keys(s, zone_keys, err))
		return false;
	static const char *const req[] = {"first_cyl", "last_cyl", "sectors_per_track", NULL};
	for (int i = 0; req[i]; i++)
		if (!scn_has(s, req[i]))
			return scn_error(s, req[i], err, "missing (every zone needs it)");
	if (!scn_get_int(s, "first_cyl", 0, 0, INT32_MAX, &v, err))
		return false;
	z->first_cyl = (int)v;
	if (!scn_get_int(s, "last_cyl", 0, 0, INT32_MAX, &v, err))
		return false;
	z->last_cyl = (int)v;
	if (!scn_get_int(s, "sectors_per_track", 0, 1, 1 << 20, &v, err))
		return false;
	z->spt = (int)v;
	if (!scn_get_int(s, "front_space", 0, 0, INT32_MAX, &v, err))
		return false;
	z->front_space = (int)v;
	if (!scn_get_int(s, "spares", 0, 0, INT32_MAX, &v, err))
		return false;
	z->spares = (int)v;
	if (!scn_get_double(s, "first_offset", 0, -1e9, 1e9, &z->first_offset, err) ||
	    !scn_get_double(s, "track_skew", 0, -1e9, 1e9, &z->track_skew, err) ||
	    !scn_get_double(s, "cyl_skew", 0, -1e9, 1e9, &z->cyl_skew, err))
		return false;
	return parse_slips(s, z, err);
}

bool
dspec_apply_section(const struct scn_sect *s, struct mech_params *p, GError **err)
{
	for (const struct pkey *k = proj_keys; k->name; k++)
		if (scn_has(s, k->name) && !get_pkey(s, k, p, err))
			return false;
	if (scn_has(s, "block_count")) {
		int64_t v;
		if (!scn_get_int(s, "block_count", 0, 0, INT64_MAX, &v, err))
			return false;
		p->block_count = v;
	}
	if (scn_has(s, "sparing") && p->sparing != 0 && p->sparing != 1 && p->sparing != 2 &&
	    p->sparing != 3 && p->sparing != 9 && p->sparing != 10)
		return scn_error(s, "sparing", err, "scheme %d is not supported (0 1 2 3 9 10 are)",
		                 p->sparing);
	if (scn_has(s, "mapping") && p->mapping > 2)
		return scn_error(s, "mapping", err, "must be 0, 1 or 2");
	if (!parse_seek(s, p, err))
		return false;
	if (scn_has(s, "sectors_per_track")) {
		/* one zone over the whole disk */
		if (!p->cylinders)
			return scn_error(s, "sectors_per_track", err, "needs cylinders= first");
		int64_t v;
		if (!scn_get_int(s, "sectors_per_track", 0, 1, 1 << 20, &v, err))
			return false;
		for (int i = 0; i < p->nzones; i++)
			g_free(p->zones[i].slips);
		g_free(p->zones);
		p->nzones = 1;
		p->zones = g_new0(struct mech_zone_params, 1);
		p->zones[0].last_cyl = p->cylinders - 1;
		p->zones[0].spt = (int)v;
		if (!scn_get_double(s, "track_skew", 0, -1e9, 1e9, &p->zones[0].track_skew, err) ||
		    !scn_get_double(s, "cyl_skew", 0, -1e9, 1e9, &p->zones[0].cyl_skew, err))
			return false;
		p->block_count = 0;
	}
	return true;
}

/* The key of a project disk section that gave FIELD (mech_params_check_at's name): the
 * seek curve is seek= or seek_table= (the later one wins), a single zone's geometry is the
 * [disk] section's sectors_per_track. */
static const char *
proj_key(const struct scn_sect *d, int zone, const char *field)
{
	if (!strcmp(field, "seek"))
		return scn_has(d, "seek_table") ? "seek_table" : "seek";
	if (zone >= 0 && strcmp(field, "track_skew") && strcmp(field, "cyl_skew"))
		return "sectors_per_track";
	return field;
}

/* mech_params_check_at on a project disk description: the fault named at the line of the
 * key that gave it (ZSECTS: the [zone N] sections, or NULL when [disk] describes one zone);
 * for a [disk] section that overrides a spec= file (OVERRIDE), a fault the section's own keys
 * do not explain is named at spec=. */
static bool
check_proj(const struct scn_sect *d, const GPtrArray *zsects, bool override,
           const struct mech_params *p, GError **err)
{
	int zone;
	const char *field;
	GError *e = NULL;
	if (mech_params_check_at(p, &zone, &field, &e))
		return true;
	const struct scn_sect *sec = d;
	const char *key;
	if (zone >= 0 && zsects && (guint)zone < zsects->len) {
		sec = zsects->pdata[zone];
		key = field;
	} else {
		key = proj_key(d, zone, field);
	}
	if (override && !scn_has(sec, key))
		key = scn_has(d, "spec") ? "spec" : "model";
	if (strcmp(key, field) && strcmp(field, "seek"))
		scn_error(sec, key, err, "%s: %s", field, e->message);
	else
		scn_error(sec, key, err, "%s", e->message);
	g_error_free(e);
	return false;
}

bool
dspec_read_disk(const char *path, struct mech_params *p, GPtrArray *warn, GError **err)
{
	mech_params_init(p);
	struct scn *f = scn_load(path, SCN_PLAIN, err);
	if (!f)
		return false;
	bool ok = true;
	const struct scn_sect *d = NULL;
	GArray *zones = g_array_new(FALSE, TRUE, sizeof(struct mech_zone_params));
	GPtrArray *zsects = g_ptr_array_new(); /* their sections, for messages */
	for (guint i = 0; ok && i < scn_nsections(f); i++) {
		const struct scn_sect *s = scn_section_at(f, i);
		const char *name = scn_sect_name(s);
		if (!strcmp(name, "disk")) {
			d = s;
		} else if (g_str_has_prefix(name, "zone")) {
			struct mech_zone_params z;
			ok = parse_zone(s, &z, err);
			if (ok) {
				g_array_append_val(zones, z);
				g_ptr_array_add(zsects, (gpointer)s);
			} else
				g_free(z.slips); /* a bad slips= list is still allocated */
		} else {
			const char *file = NULL;
			int line = 0;
			if (scn_nkeys(s) > 0)
				scn_where(s, scn_key_at(s, 0), &file, &line);
			g_set_error(err, SCN_ERROR, SCN_ERROR_BAD_INPUT,
			            "%s:%d: [%s]: unknown section (expected [disk] or [zone N])",
			            file ? file : path, line, name);
			ok = false;
		}
	}
	if (ok && !d) {
		g_set_error(err, SCN_ERROR, SCN_ERROR_BAD_INPUT, "%s:1: [disk]: section missing",
		            path);
		ok = false;
	}
	if (ok) {
		static const char *known[G_N_ELEMENTS(dspec_mech_keys) + 2];
		if (!known[0]) {
			known[0] = "model";
			for (guint i = 0; dspec_mech_keys[i]; i++)
				known[i + 1] = dspec_mech_keys[i];
		}
		ok = scn_check_keys(d, known, err);
	}
	if (ok && scn_has(d, "model")) {
		const char *m;
		ok = scn_get_str(d, "model", "mechanical", &m, err);
		if (ok && strcmp(m, "mechanical"))
			ok = scn_error(d, "model", err, "a disk file describes a mechanical disk");
	}
	if (ok && scn_has(d, "spec"))
		ok = scn_error(d, "spec", err, "a disk file cannot name another spec");
	if (ok)
		ok = dspec_apply_section(d, p, err);
	if (ok && zones->len) {
		if (scn_has(d, "sectors_per_track")) {
			ok = scn_error(d, "sectors_per_track", err,
			               "give either sectors_per_track or [zone N] sections");
		} else {
			p->nzones = (int)zones->len;
			p->zones = (struct mech_zone_params *)(void *)g_array_free(zones, FALSE);
			zones = NULL;
		}
	}
	if (zones) {
		for (guint i = 0; i < zones->len; i++)
			g_free(g_array_index(zones, struct mech_zone_params, i).slips);
		g_array_free(zones, TRUE);
	}
	if (ok)
		ok = check_proj(d, zsects->len ? zsects : NULL, false, p, err);
	g_ptr_array_free(zsects, TRUE);
	(void)warn;
	scn_free(f);
	if (!ok)
		mech_params_clear(p);
	return ok;
}

bool
dspec_is_disksim(const char *path)
{
	return g_str_has_suffix(path, ".diskspecs") || g_str_has_suffix(path, ".parv");
}

bool
dspec_load(const char *path, struct mech_params *p, GPtrArray *warn, GError **err)
{
	if (dspec_is_disksim(path))
		return dspec_read_diskspecs(path, p, warn, err);
	return dspec_read_disk(path, p, warn, err);
}

bool
dspec_params_from_section(const struct scn_sect *disk, struct mech_params *p, GPtrArray *warn,
                          GError **err)
{
	mech_params_init(p);
	if (scn_has(disk, "spec")) {
		char *path = NULL;
		if (!scn_get_path(disk, "spec", &path, err))
			return false;
		GError *e = NULL;
		bool ok = dspec_load(path, p, warn, &e);
		g_free(path);
		if (!ok) {
			if (e->domain == G_FILE_ERROR ||
			    g_error_matches(e, SCN_ERROR, SCN_ERROR_FILE))
				scn_error(disk, "spec", err, "%s", e->message);
			else
				g_propagate_error(err, g_steal_pointer(&e));
			g_clear_error(&e);
			return false;
		}
	}
	if (!dspec_apply_section(disk, p, err)) {
		mech_params_clear(p);
		return false;
	}
	if (!check_proj(disk, NULL, true, p, err)) {
		mech_params_clear(p);
		return false;
	}
	return true;
}
