/*
 * test_published.c -- the published results of scenarios/published/ are well formed: each
 * scenario parses (`vnodesim check`), names its source and its hardware, and has a table row
 * for every figure it quotes; EXPECTED_FAILURES names only rows that exist, each with a
 * reason.  Running the rows and judging them against their band is `make validate`'s job
 * (scenarios/published/run.sh); this suite is the fast part.
 *
 * The header format (docs/published.md):
 *   ; Source: ...                  the commit or mailing-list post
 *   ; Hardware ...                 the machine, as the publication gives it
 *   ;@metric iops|read_iops|write_iops
 *   ;@figures N                    how many figures the published table has
 *   ;@row NAME POLICY PUBLISHED REF [SECTION.KEY=VALUE ...]
 * PUBLISHED is a number or '-'; REF is '-' (the one baseline row, which must quote a
 * number) or NAME:RATIO with NAME another row and RATIO a number or '-'.  The rows that
 * carry a published figure or ratio must be exactly N, and each such number must appear in
 * the header's text outside the ;@ lines (the quoted table it comes from; a thousands
 * separator in the text is ignored: 18,254 holds 18254).
 *
 * pub_check() returns what is wrong with one file; test_checker_finds_faults feeds it files
 * with known faults, so the checks can fail.
 */
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "tests/testutil.h"

#define PUB_DIR "scenarios/published"

static bool
is_number(const char *s)
{
	char *end;
	if (!*s)
		return false;
	(void)g_ascii_strtod(s, &end);
	return *end == '\0';
}

/* Everything wrong with scenario PATH's header, appended to WHY; the number of faults. */
static int
pub_check(const char *path, const char *const *policies, GString *why)
{
	char *text;
	if (!g_file_get_contents(path, &text, NULL, NULL)) {
		g_string_append_printf(why, "%s: cannot be read\n", path);
		return 1;
	}
	int bad = 0, figures = -1, quoted = 0, baselines = 0;
	bool source = false, hardware = false, metric = false, metric_seen = false;
	GString *prose = g_string_new(NULL); /* comment lines other than ;@ */
	GPtrArray *rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	GHashTable *names = g_hash_table_new(g_str_hash, g_str_equal);
	char **lines = g_strsplit(text, "\n", -1);
	for (char **l = lines; *l; l++) {
		if (g_str_has_prefix(*l, ";@metric")) {
			char *m = g_strstrip(g_strdup(*l + 8));
			metric_seen = true;
			metric = !strcmp(m, "iops") || !strcmp(m, "read_iops") ||
			         !strcmp(m, "write_iops");
			if (!metric)
				g_string_append_printf(
				    why,
				    "%s: ;@metric '%s' is not iops, read_iops or "
				    "write_iops\n",
				    path, m),
				    bad++;
			g_free(m);
		} else if (g_str_has_prefix(*l, ";@figures")) {
			figures = atoi(*l + 9);
		} else if (g_str_has_prefix(*l, ";@row")) {
			char **w = g_strsplit_set(g_strstrip(*l + 5), " \t", -1);
			GPtrArray *f = g_ptr_array_new();
			for (char **p = w; *p; p++)
				if (**p)
					g_ptr_array_add(f, g_strdup(*p));
			g_ptr_array_add(f, NULL);
			g_strfreev(w);
			g_ptr_array_add(rows, g_ptr_array_free(f, FALSE));
		} else if (**l == ';') {
			g_string_append(prose, *l);
			g_string_append_c(prose, '\n');
			source |= strstr(*l, "Source:") != NULL;
			hardware |= strstr(*l, "Hardware") != NULL;
		}
	}
	/* the text with thousands separators dropped (18,254 -> 18254) */
	GString *plain = g_string_new(NULL);
	for (gsize i = 0; i < prose->len; i++)
		if (!(prose->str[i] == ',' && i > 0 && g_ascii_isdigit(prose->str[i - 1]) &&
		      g_ascii_isdigit(prose->str[i + 1])))
			g_string_append_c(plain, prose->str[i]);
	if (!source)
		g_string_append_printf(why, "%s: no 'Source:' in the header\n", path), bad++;
	if (!hardware)
		g_string_append_printf(why, "%s: no 'Hardware' in the header\n", path), bad++;
	if (!metric_seen)
		g_string_append_printf(why, "%s: no ;@metric line\n", path), bad++;
	for (guint i = 0; i < rows->len; i++) {
		char **f = rows->pdata[i];
		if (g_strv_length(f) < 4) {
			g_string_append_printf(why, "%s: a ;@row has fewer than 4 fields\n", path),
			    bad++;
			continue;
		}
		if (g_hash_table_contains(names, f[0]))
			g_string_append_printf(why, "%s: row %s twice\n", path, f[0]), bad++;
		g_hash_table_add(names, f[0]);
	}
	for (guint i = 0; i < rows->len; i++) {
		char **f = rows->pdata[i];
		if (g_strv_length(f) < 4)
			continue;
		bool known = false;
		for (const char *const *p = policies; *p; p++)
			known |= !strcmp(*p, f[1]);
		if (!known)
			g_string_append_printf(why, "%s: row %s: unknown policy %s\n", path, f[0],
			                       f[1]),
			    bad++;
		if (strcmp(f[2], "-") && !is_number(f[2]))
			g_string_append_printf(why,
			                       "%s: row %s: published '%s' is not a number or -\n",
			                       path, f[0], f[2]),
			    bad++;
		const char *num = NULL; /* the figure this row quotes, if any */
		if (!strcmp(f[3], "-")) {
			baselines++;
			if (!is_number(f[2]))
				g_string_append_printf(
				    why, "%s: baseline row %s quotes no figure\n", path, f[0]),
				    bad++;
			num = f[2];
		} else {
			char *colon = strchr(f[3], ':');
			if (!colon) {
				g_string_append_printf(
				    why, "%s: row %s: REF '%s' is not - or NAME:RATIO\n", path,
				    f[0], f[3]),
				    bad++;
				continue;
			}
			char *ref = g_strndup(f[3], (gsize)(colon - f[3]));
			if (!g_hash_table_contains(names, ref))
				g_string_append_printf(why, "%s: row %s: REF names no row (%s)\n",
				                       path, f[0], ref),
				    bad++;
			g_free(ref);
			if (strcmp(colon + 1, "-") && !is_number(colon + 1))
				g_string_append_printf(
				    why, "%s: row %s: ratio '%s' is not a number or -\n", path,
				    f[0], colon + 1),
				    bad++;
			num = strcmp(colon + 1, "-") ? colon + 1 : (is_number(f[2]) ? f[2] : NULL);
		}
		for (guint k = 4; f[k]; k++)
			if (!strchr(f[k], '=') || !strchr(f[k], '.'))
				g_string_append_printf(
				    why, "%s: row %s: '%s' is not SECTION.KEY=VALUE\n", path, f[0],
				    f[k]),
				    bad++;
		if (num && is_number(num)) {
			quoted++;
			/* the quoted table holds the figure, and, for a ratio, the figure it is
			 * worked from: the row is tied to the text it comes from */
			if (!strstr(plain->str, num))
				g_string_append_printf(
				    why, "%s: row %s: %s is not in the header's text\n", path, f[0],
				    num),
				    bad++;
		}
	}
	if (baselines != 1)
		g_string_append_printf(why, "%s: %d baseline rows (REF -), want 1\n", path,
		                       baselines),
		    bad++;
	if (figures < 0)
		g_string_append_printf(why, "%s: no ;@figures line\n", path), bad++;
	else if (figures != quoted)
		g_string_append_printf(why,
		                       "%s: ;@figures %d but %d rows quote a figure or ratio\n",
		                       path, figures, quoted),
		    bad++;
	g_strfreev(lines);
	g_hash_table_destroy(names);
	g_ptr_array_free(rows, TRUE);
	g_string_free(prose, TRUE);
	g_string_free(plain, TRUE);
	g_free(text);
	return bad;
}

/* The policy names `vnodesim policies` prints (first word of each line). */
static char **
policy_names(void)
{
	char *out = NULL;
	ck_assert_int_eq(tu_sh(&out, "%s policies", tu_prog()), 0);
	GPtrArray *a = g_ptr_array_new();
	char **lines = g_strsplit(out, "\n", -1);
	for (char **l = lines; *l; l++) {
		char **w = g_strsplit(*l, " ", 2);
		if (w[0] && *w[0])
			g_ptr_array_add(a, g_strdup(w[0]));
		g_strfreev(w);
	}
	g_ptr_array_add(a, NULL);
	g_strfreev(lines);
	free(out);
	return (char **)g_ptr_array_free(a, FALSE);
}

static GPtrArray *
pub_files(void)
{
	GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
	GDir *d = g_dir_open(PUB_DIR, 0, NULL);
	ck_assert_msg(d, "no " PUB_DIR "/ folder");
	for (const char *n; (n = g_dir_read_name(d));)
		if (g_str_has_suffix(n, ".ini"))
			g_ptr_array_add(files, g_build_filename(PUB_DIR, n, NULL));
	g_dir_close(d);
	return files;
}

/* Five published results at least, as the project promises (docs/published.md). */
START_TEST(test_published_count)
{
	GPtrArray *files = pub_files();
	ck_assert_msg(files->len >= 5, "%u published scenarios, want at least 5", files->len);
	g_ptr_array_free(files, TRUE);
}
END_TEST

START_TEST(test_published_parse)
{
	GPtrArray *files = pub_files();
	for (guint i = 0; i < files->len; i++) {
		char *out = NULL;
		int st = tu_sh(&out, "%s check %s", tu_prog(), (char *)files->pdata[i]);
		ck_assert_msg(st == 0, "vnodesim check %s: exit %d\n%s", (char *)files->pdata[i],
		              st, out);
		free(out);
	}
	g_ptr_array_free(files, TRUE);
}
END_TEST

START_TEST(test_published_tables)
{
	char **pol = policy_names();
	GPtrArray *files = pub_files();
	GString *why = g_string_new(NULL);
	int bad = 0;
	for (guint i = 0; i < files->len; i++)
		bad += pub_check(files->pdata[i], (const char *const *)pol, why);
	ck_assert_msg(bad == 0, "%d problem(s):\n%s", bad, why->str);
	g_string_free(why, TRUE);
	g_ptr_array_free(files, TRUE);
	g_strfreev(pol);
}
END_TEST

/* Every line of EXPECTED_FAILURES names a scenario and a row that exist, and a reason. */
START_TEST(test_expected_failures)
{
	char *text;
	ck_assert(g_file_get_contents(PUB_DIR "/EXPECTED_FAILURES", &text, NULL, NULL));
	char **lines = g_strsplit(text, "\n", -1);
	int n = 0;
	for (char **l = lines; *l; l++) {
		if (**l == '#' || !*g_strstrip(*l))
			continue;
		char **w = g_strsplit(*l, " ", 3);
		ck_assert_msg(w[0] && w[1] && w[2] && strlen(w[2]) >= 10,
		              "EXPECTED_FAILURES: '%s' is not SCENARIO ROW REASON", *l);
		char *path = g_strdup_printf(PUB_DIR "/%s.ini", w[0]);
		char *scn;
		ck_assert_msg(g_file_get_contents(path, &scn, NULL, NULL),
		              "EXPECTED_FAILURES: no scenario %s", path);
		char *row = g_strdup_printf("\n;@row %s ", w[1]);
		ck_assert_msg(strstr(scn, row), "EXPECTED_FAILURES: %s has no row %s", path, w[1]);
		g_free(row);
		g_free(scn);
		g_free(path);
		g_strfreev(w);
		n++;
	}
	ck_assert_msg(n > 0, "EXPECTED_FAILURES lists nothing (then delete it from the docs too)");
	g_strfreev(lines);
	g_free(text);
}
END_TEST

/* The checker finds the faults planted in a header, and none in a good one. */
START_TEST(test_checker_finds_faults)
{
	const char *const pol[] = {"serial", "xfs", NULL};
	const char *good = "; Source: a commit\n; Hardware: a disk\n; table: 100 and 250, 2.5\n"
	                   ";@metric iops\n;@figures 2\n"
	                   ";@row a serial 100 -\n;@row b xfs 250 a:2.5 global.bs=4k\n";
	GString *why = g_string_new(NULL);
	ck_assert_int_eq(pub_check(tu_write("good.ini", good), pol, why), 0);
	/* no source, no hardware, a bad metric, an unknown policy, a REF naming no row, a ratio
	 * not in the text, a bad --set word, a figure count that does not match: 8 faults */
	const char *badtext = "; table: 100 and 250\n;@metric bogus\n;@figures 3\n"
	                      ";@row a serial 100 -\n;@row b ext9 250 zz:2.5 bs4k\n";
	int n = pub_check(tu_write("bad.ini", badtext), pol, why);
	ck_assert_msg(n == 8, "found %d faults, want 8:\n%s", n, why->str);
	ck_assert(strstr(why->str, "no 'Source:'"));
	ck_assert(strstr(why->str, "no 'Hardware'"));
	ck_assert(strstr(why->str, "unknown policy ext9"));
	ck_assert(strstr(why->str, "REF names no row (zz)"));
	ck_assert(strstr(why->str, "2.5 is not in the header's text"));
	ck_assert(strstr(why->str, ";@figures 3 but 2"));
	g_string_free(why, TRUE);
}
END_TEST

Suite *
suite_published(void)
{
	Suite *s = suite_create("published");
	TCase *tc = tcase_create("published");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_published_count);
	tcase_add_test(tc, test_published_parse);
	tcase_add_test(tc, test_published_tables);
	tcase_add_test(tc, test_expected_failures);
	tcase_add_test(tc, test_checker_finds_faults);
	suite_add_tcase(s, tc);
	return s;
}
