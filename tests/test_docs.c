/*
 * test_docs.c -- the user documentation (README.md and docs/'s pages) as a reader meets it:
 * every relative link and image names a file of the repository (and a #anchor into a Markdown
 * page one of its headings), every `vnodesim COMMAND` and `make TARGET` shown in code exists,
 * the README stays short, and no page names what a user cannot open (an issue number, a path
 * outside the repository, a numbered section of an internal document).
 *
 * The checker (doc_check) works on any Markdown file, so one tcase feeds it a page with known
 * faults and asserts that it finds exactly those: the checks can fail.  Links and commands
 * are looked for outside code (links) and inside code (commands): fenced blocks and inline
 * `spans`.  Anchors are GitHub's: the heading lowercased, characters other than letters,
 * digits, spaces, '-' and '_' dropped, spaces turned into '-', "-1", "-2"... on repeats.
 */
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "tests/testutil.h"

#define README_MAX_LINES 260

/* What a page is checked against: the commands and make targets that exist. */
struct doc_ctx {
	GHashTable *commands; /* vnodesim COMMAND */
	GHashTable *targets;  /* make TARGET */
};

/* GitHub's anchor for a heading's text. */
static char *
slug(const char *text)
{
	GString *s = g_string_new(NULL);
	for (const char *p = text; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (g_ascii_isalnum(c) || c == '-' || c == '_' || c >= 0x80)
			g_string_append_c(s, (char)g_ascii_tolower(c));
		else if (c == ' ')
			g_string_append_c(s, '-');
	}
	return g_string_free(s, FALSE);
}

static bool
is_fence(const char *line)
{
	while (*line == ' ')
		line++;
	return g_str_has_prefix(line, "```");
}

/* The anchors of a Markdown file (a set), or NULL when it cannot be read. */
static GHashTable *
anchors(const char *path)
{
	char *text;
	if (!g_file_get_contents(path, &text, NULL, NULL))
		return NULL;
	GHashTable *set = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	char **lines = g_strsplit(text, "\n", -1);
	bool code = false;
	for (char **l = lines; *l; l++) {
		if (is_fence(*l)) {
			code = !code;
			continue;
		}
		if (code || **l != '#')
			continue;
		const char *h = *l;
		while (*h == '#')
			h++;
		char *title = g_strstrip(g_strdup(h)), *base = slug(title), *a = g_strdup(base);
		g_free(title);
		for (int n = 1; g_hash_table_contains(set, a); n++) {
			g_free(a);
			a = g_strdup_printf("%s-%d", base, n);
		}
		g_hash_table_add(set, a);
		g_free(base);
	}
	g_strfreev(lines);
	g_free(text);
	return set;
}

/* Check link target T (as written in FILE at LINE); a problem is appended to WHY. */
static int
check_target(const char *file, int line, const char *t, GString *why)
{
	if (strstr(t, "://") || g_str_has_prefix(t, "mailto:"))
		return 0;
	const char *hash = strchr(t, '#');
	char *path = hash ? g_strndup(t, (gsize)(hash - t)) : g_strdup(t);
	char *dir = g_path_get_dirname(file);
	char *full = *path ? g_build_filename(dir, path, NULL) : g_strdup(file);
	int bad = 0;
	if (g_path_is_absolute(path)) {
		g_string_append_printf(why, "%s:%d: %s: an absolute path\n", file, line, t);
		bad = 1;
	} else if (!g_file_test(full, G_FILE_TEST_EXISTS)) {
		g_string_append_printf(why, "%s:%d: %s: no such file\n", file, line, t);
		bad = 1;
	} else if (hash && hash[1] && g_str_has_suffix(full, ".md")) {
		GHashTable *set = anchors(full);
		if (!set || !g_hash_table_contains(set, hash + 1)) {
			g_string_append_printf(why, "%s:%d: %s: no heading with that anchor\n",
			                       file, line, t);
			bad = 1;
		}
		if (set)
			g_hash_table_destroy(set);
	}
	g_free(full);
	g_free(dir);
	g_free(path);
	return bad;
}

/* Check the words after PREFIX (e.g. "vnodesim ") in CODE against SET. */
static int
check_words(const char *file, int line, const char *code, const char *prefix, GHashTable *set,
            GString *why)
{
	int bad = 0;
	size_t n = strlen(prefix);
	for (const char *p = strstr(code, prefix); p; p = strstr(p + 1, prefix)) {
		if (p > code && (g_ascii_isalnum(p[-1]) || p[-1] == '-' || p[-1] == '_'))
			continue; /* part of a longer word */
		const char *w = p + n, *e = w;
		if (!g_ascii_islower(*w))
			continue; /* an option, a placeholder */
		while (g_ascii_islower(*e) || *e == '-')
			e++;
		if (e == w || g_ascii_isalnum(*e) || *e == '_' || *e == '.')
			continue; /* not a lowercase word: a placeholder, an option, a file name */
		char *word = g_strndup(w, (gsize)(e - w));
		if (!g_hash_table_contains(set, word)) {
			g_string_append_printf(why, "%s:%d: `%s%s`: no such command or target\n",
			                       file, line, prefix, word);
			bad++;
		}
		g_free(word);
	}
	return bad;
}

/* Problems in Markdown FILE: broken links, images and anchors, unknown commands and make
 * targets, references a user cannot open; each a line of WHY. */
static int
doc_check(const char *file, const struct doc_ctx *ctx, GString *why)
{
	char *text;
	if (!g_file_get_contents(file, &text, NULL, NULL)) {
		g_string_append_printf(why, "%s: cannot read\n", file);
		return 1;
	}
	static const char *const unreachable[] = {
	    "(?i)\\bissue [0-9]", /* the project's issue tracker */
	    "\\.\\./shared",      /* the developers' reference folder */
	    "§ ?[0-9]",           /* sections of a design document users do not have */
	};
	int bad = 0;
	for (size_t i = 0; i < G_N_ELEMENTS(unreachable); i++) {
		GRegex *re = g_regex_new(unreachable[i], G_REGEX_MULTILINE, 0, NULL);
		g_assert(re);
		GMatchInfo *m;
		for (g_regex_match(re, text, 0, &m); g_match_info_matches(m);
		     g_match_info_next(m, NULL)) {
			int start;
			g_match_info_fetch_pos(m, 0, &start, NULL);
			int line = 1;
			for (int k = 0; k < start; k++)
				line += text[k] == '\n';
			char *what = g_match_info_fetch(m, 0);
			g_string_append_printf(why,
			                       "%s:%d: \"%s\": not something a user can open\n",
			                       file, line, what);
			g_free(what);
			bad++;
		}
		g_match_info_free(m);
		g_regex_unref(re);
	}
	char **lines = g_strsplit(text, "\n", -1);
	bool fenced = false, in = false; /* in a fenced block; in an inline `span` */
	for (int i = 0; lines[i]; i++) {
		const char *l = lines[i];
		if (is_fence(l)) {
			fenced = !fenced;
			in = false;
			continue;
		}
		GString *prose = g_string_new(NULL), *code = g_string_new(NULL);
		if (fenced) {
			g_string_append(code, l);
		} else { /* inline `spans` are code, the rest prose; a span may wrap a line, not
			  * a paragraph */
			if (l[strspn(l, " \t\r")] == '\0')
				in = false;
			for (const char *p = l; *p; p++) {
				if (*p == '`') {
					in = !in;
					/* spans apart: `vnodesim` `run` is no command */
					g_string_append_c(in ? code : prose, in ? '|' : ' ');
				} else {
					g_string_append_c(in ? code : prose, *p);
				}
			}
		}
		for (const char *p = strstr(prose->str, "]("); p; p = strstr(p + 1, "](")) {
			const char *e = strchr(p + 2, ')');
			if (!e)
				continue;
			char *t = g_strstrip(g_strndup(p + 2, (gsize)(e - p - 2)));
			char *sp = strchr(t, ' '); /* [x](target "title") */
			if (sp)
				*sp = '\0';
			bad += check_target(file, i + 1, t, why);
			g_free(t);
		}
		bad += check_words(file, i + 1, code->str, "vnodesim ", ctx->commands, why);
		bad += check_words(file, i + 1, code->str, "make ", ctx->targets, why);
		g_string_free(prose, TRUE);
		g_string_free(code, TRUE);
	}
	g_strfreev(lines);
	g_free(text);
	return bad;
}

/* The commands `vnodesim --help` lists and the targets the Makefile defines. */
static struct doc_ctx
doc_ctx_new(void)
{
	struct doc_ctx c = {g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
	                    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL)};
	char *out;
	ck_assert_int_eq(tu_sh(&out, "%s --help", tu_prog()), 0);
	GRegex *re = g_regex_new("^  vnodesim ([a-z-]+)", G_REGEX_MULTILINE, 0, NULL);
	GMatchInfo *m;
	for (g_regex_match(re, out, 0, &m); g_match_info_matches(m); g_match_info_next(m, NULL))
		g_hash_table_add(c.commands, g_match_info_fetch(m, 1));
	g_match_info_free(m);
	g_regex_unref(re);
	g_free(out);
	char *mk;
	ck_assert(g_file_get_contents("Makefile", &mk, NULL, NULL));
	re = g_regex_new("^([a-z][a-z-]*)\\s*:(?!=)", G_REGEX_MULTILINE, 0, NULL);
	for (g_regex_match(re, mk, 0, &m); g_match_info_matches(m); g_match_info_next(m, NULL))
		g_hash_table_add(c.targets, g_match_info_fetch(m, 1));
	g_match_info_free(m);
	g_regex_unref(re);
	g_free(mk);
	ck_assert_msg(g_hash_table_contains(c.commands, "run") &&
	                  g_hash_table_contains(c.targets, "check"),
	              "could not read the command list or the Makefile's targets");
	return c;
}

static void
doc_ctx_free(struct doc_ctx *c)
{
	g_hash_table_destroy(c->commands);
	g_hash_table_destroy(c->targets);
}

/* README.md and every Markdown page in docs/ */
static GPtrArray *
doc_files(void)
{
	GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(files, g_strdup("README.md"));
	GDir *d = g_dir_open("docs", 0, NULL);
	ck_assert_msg(d, "no docs/ folder");
	for (const char *n; (n = g_dir_read_name(d));)
		if (g_str_has_suffix(n, ".md"))
			g_ptr_array_add(files, g_build_filename("docs", n, NULL));
	g_dir_close(d);
	return files;
}

START_TEST(test_docs_resolve)
{
	struct doc_ctx ctx = doc_ctx_new();
	GPtrArray *files = doc_files();
	ck_assert_msg(files->len >= 2, "no pages in docs/");
	GString *why = g_string_new(NULL);
	int bad = 0;
	for (guint i = 0; i < files->len; i++)
		bad += doc_check(files->pdata[i], &ctx, why);
	ck_assert_msg(bad == 0, "%d problem(s) in the documentation:\n%s", bad, why->str);
	g_string_free(why, TRUE);
	g_ptr_array_free(files, TRUE);
	doc_ctx_free(&ctx);
}
END_TEST

/* Every docs/ page is reachable from the README. */
START_TEST(test_docs_linked_from_readme)
{
	char *readme;
	ck_assert(g_file_get_contents("README.md", &readme, NULL, NULL));
	GPtrArray *files = doc_files();
	for (guint i = 1; i < files->len; i++) {
		char *link = g_strdup_printf("](%s", (char *)files->pdata[i]);
		ck_assert_msg(strstr(readme, link), "README.md does not link to %s",
		              (char *)files->pdata[i]);
		g_free(link);
	}
	g_ptr_array_free(files, TRUE);
	g_free(readme);
}
END_TEST

START_TEST(test_readme_short)
{
	char *text;
	ck_assert(g_file_get_contents("README.md", &text, NULL, NULL));
	int lines = 0;
	for (const char *p = text; *p; p++)
		lines += *p == '\n';
	ck_assert_msg(lines <= README_MAX_LINES,
	              "README.md has %d lines (at most %d: the manual goes in docs/)", lines,
	              README_MAX_LINES);
	g_free(text);
}
END_TEST

/* The checker finds exactly the faults planted in a page (and nothing in code or in good
 * links): a test that cannot fail would prove nothing. */
START_TEST(test_checker_finds_faults)
{
	struct doc_ctx ctx = doc_ctx_new();
	const char *dir = tu_tmpdir();
	char *sub = g_build_filename(dir, "docs", NULL);
	g_mkdir_with_parents(sub, 0755);
	char *other = g_build_filename(sub, "other.md", NULL);
	ck_assert(g_file_set_contents(other,
	                              "# Other page\n\n## A `code` heading, too\n\n"
	                              "## Other page\n",
	                              -1, NULL));
	char *page = g_build_filename(sub, "page.md", NULL);
	static const char text[] =
	    "# Page\n"
	    "Good: [other](other.md), [anchor](other.md#a-code-heading-too), "
	    "[repeat](other.md#other-page-1), [self](#page), [web](https://example.org/x).\n"
	    "Broken: [gone](missing.md), ![img](img/none.png), [anchor](other.md#nowhere),\n"
	    "[abs](/etc/passwd), see issue 4 and ../shared/data and DESIGN.md §3.5.\n"
	    "Ignored in code: `[x](missing.md)` and\n"
	    "```\n"
	    "[y](missing.md)\n"
	    "$ vnodesim run x.ini; vnodesim frobnicate; make check; make nosuchtarget\n"
	    "vnodesim: warning: FILE; build/vnodesim COMMAND --help; vnodesim-tests drives\n"
	    "```\n"
	    "`vnodesim policies`, `make run`, `vnodesim bogus`, `vnodesim --help`, `vnodesim\n"
	    "run x` (a span wrapping a line), `vnodesim` (as `build/vnodesim`, by `make`)\n";
	ck_assert(g_file_set_contents(page, text, -1, NULL));
	GString *why = g_string_new(NULL);
	int bad = doc_check(page, &ctx, why);
	static const char *const expect[] = {
	    "missing.md: no such file",
	    "img/none.png: no such file",
	    "other.md#nowhere: no heading",
	    "/etc/passwd: an absolute path",
	    "\"issue 4\"",
	    "\"../shared\"",
	    "\"§3\"",
	    "`vnodesim frobnicate`",
	    "`make nosuchtarget`",
	    "`vnodesim bogus`",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(expect); i++)
		ck_assert_msg(strstr(why->str, expect[i]), "not found: %s\nreported:\n%s",
		              expect[i], why->str);
	ck_assert_msg(bad == (int)G_N_ELEMENTS(expect), "%d problems, expected %zu:\n%s", bad,
	              G_N_ELEMENTS(expect), why->str);
	g_string_free(why, TRUE);
	g_free(page);
	g_free(other);
	g_free(sub);
	doc_ctx_free(&ctx);
}
END_TEST

Suite *
suite_docs(void)
{
	Suite *s = suite_create("docs");
	TCase *tc = tcase_create("docs");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_checker_finds_faults);
	tcase_add_test(tc, test_docs_resolve);
	tcase_add_test(tc, test_docs_linked_from_readme);
	tcase_add_test(tc, test_readme_short);
	suite_add_tcase(s, tc);
	return s;
}
