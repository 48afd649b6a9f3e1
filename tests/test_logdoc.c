/*
 * test_logdoc.c -- the log categories docs/commands.md names exist: SimGrid accepts any
 * --log=NAME.thres:LEVEL and prints nothing for a name it does not know, so a misspelt or
 * removed category in the documentation would fail silently.  Every vnodesim category
 * declared in the sources (XBT_LOG_NEW_*CATEGORY) is in the table and every vnodesim name
 * in the table is declared; every SimGrid name is a category of the SimGrid library loaded
 * (its _simgrid_log_category__NAME symbol) and prints lines tagged [NAME/ on a small run.
 */
#include <dlfcn.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "tests/testutil.h"

/* The names in the first column of the tables of "## The debug log" in docs/commands.md. */
static GPtrArray *
doc_categories(void)
{
	char *text = NULL;
	ck_assert(g_file_get_contents("docs/commands.md", &text, NULL, NULL));
	const char *s = strstr(text, "\n## The debug log");
	ck_assert(s);
	const char *e = strstr(s + 1, "\n## ");
	char *sect = g_strndup(s, e ? (gsize)(e - s) : strlen(s));
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	char **lines = g_strsplit(sect, "\n", -1);
	for (char **l = lines; *l; l++)
		if (g_str_has_prefix(*l, "| `")) {
			const char *a = *l + 3, *b = strchr(a, '`');
			ck_assert(b);
			g_ptr_array_add(names, g_strndup(a, (gsize)(b - a)));
		}
	g_strfreev(lines);
	g_free(sect);
	g_free(text);
	return names;
}

static bool
listed(GPtrArray *names, const char *n)
{
	for (guint i = 0; i < names->len; i++)
		if (!strcmp(names->pdata[i], n))
			return true;
	return false;
}

/* The categories the sources declare: XBT_LOG_NEW_..CATEGORY(NAME, ... in sim/, models/. */
static GPtrArray *
source_categories(void)
{
	char *out = NULL;
	int st = tu_sh(&out, "grep -rhoE 'XBT_LOG_NEW_[A-Z_]*CATEGORY\\([a-z0-9_]+' sim models "
	                     "| sed 's/.*(//' | sort -u");
	ck_assert_msg(st == 0, "%s", out);
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	char **lines = g_strsplit(g_strchomp(out), "\n", -1);
	for (char **l = lines; *l; l++)
		if (**l)
			g_ptr_array_add(names, g_strdup(*l));
	g_strfreev(lines);
	g_free(out);
	return names;
}

START_TEST(test_log_doc_categories)
{
	GPtrArray *doc = doc_categories(), *src = source_categories();
	ck_assert_uint_ge(src->len, 10); /* the root and a category per module */
	for (guint i = 0; i < src->len; i++)
		ck_assert_msg(listed(doc, src->pdata[i]),
		              "log category %s is declared but not in docs/commands.md",
		              (char *)src->pdata[i]);
	GString *logs = g_string_new(NULL);
	GPtrArray *simgrid = g_ptr_array_new();
	for (guint i = 0; i < doc->len; i++) {
		const char *n = doc->pdata[i];
		if (g_str_has_prefix(n, "vnodesim")) {
			ck_assert_msg(listed(src, n), "docs/commands.md names %s, not declared", n);
			continue;
		}
		char *sym = g_strconcat("_simgrid_log_category__", n, NULL);
		ck_assert_msg(dlsym(RTLD_DEFAULT, sym), "%s is not a SimGrid log category", n);
		g_free(sym);
		g_string_append_printf(logs, " --log=%s.thres:debug", n);
		g_ptr_array_add(simgrid, (gpointer)n);
	}
	ck_assert_uint_ge(simgrid->len, 5);
	/* each prints on a small run: two threads sharing one core (CPU charges shared) */
	const char *sc = tu_write("log.ini", "[global]\nfilename=f\nsize=1m\nbs=16k\n"
	                                     "number_ios=20\n[host]\ncores=1\n"
	                                     "[w]\nrw=randwrite\nnumjobs=2\n");
	char *out = NULL;
	int st = tu_sh(&out, "%s run %s --policy serial -q --out %s/r%s", tu_prog(), sc,
	               tu_tmpdir(), logs->str);
	ck_assert_msg(st == 0, "%d: %.500s", st, out);
	for (guint i = 0; i < simgrid->len; i++) {
		char *tag = g_strdup_printf("[%s/", (char *)simgrid->pdata[i]);
		ck_assert_msg(strstr(out, tag), "--log=%s.thres:debug printed nothing",
		              (char *)simgrid->pdata[i]);
		g_free(tag);
	}
	g_free(out);
	g_ptr_array_free(simgrid, TRUE);
	g_string_free(logs, TRUE);
	g_ptr_array_free(doc, TRUE);
	g_ptr_array_free(src, TRUE);
}
END_TEST

Suite *
suite_logdoc(void)
{
	Suite *s = suite_create("logdoc");
	TCase *tc = tcase_create("logdoc");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_log_doc_categories);
	suite_add_tcase(s, tc);
	return s;
}
