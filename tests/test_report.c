/*
 * test_report.c -- the design-review page: built from two tiny workloads, it has the table
 * (throughput with CI, p99, speedup, correctness counters, per-class waits), each
 * workload's scenario text, its figures and their commands; every image is an embedded PNG
 * that headless Chromium renders (none broken), every link resolves, and a second report
 * reuses the unchanged results.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/testutil.h"

static const char alpha[] = "; alpha: direct writers and buffered readers on one file\n"
                            "[global]\nfilename=shared\nsize=1m\nbs=16k\nioengine=psync\n"
                            "number_ios=40\n"
                            "[writers]\nrw=randwrite\ndirect=1\nnumjobs=2\n"
                            "[readers]\nrw=randread\nnumjobs=2\n";
static const char beta[] = "; beta: overlapping buffered writers and readers <&> (escaped)\n"
                           "[global]\nfilename=shared\nsize=256k\nbs=64k\nioengine=psync\n"
                           "number_ios=300\nloops=20\n" /* 480 requests: 24 had no overlap */
                           "[writers]\nrw=randwrite\nnumjobs=3\n[readers]\nrw=randread\nnumjobs=3\n"
                           "[sim]\njitter=0.5\npolicies=serial,none,two-color\n";

/* The report, built once per test process (Check forks each test from the runner). */
static char *
build_report(char **rdir)
{
	char *res = g_build_filename(tu_tmpdir(), "res", NULL);
	*rdir = g_build_filename(res, "report", NULL);
	char *a = g_strdup(tu_write("alpha.ini", alpha)), *b = g_strdup(tu_write("beta.ini", beta));
	char *out;
	int st =
	    tu_sh(&out, "%s report %s %s --seeds 2 --jobs 2 --results %s", tu_prog(), a, b, res);
	ck_assert_msg(st == 0, "report exited %d: %s", st, out);
	ck_assert_msg(strstr(out, "report: "), "%s", out);
	g_free(out);
	char *idx = g_build_filename(*rdir, "index.html", NULL), *html = NULL;
	ck_assert_msg(g_file_get_contents(idx, &html, NULL, NULL), "no %s", idx);
	g_free(idx);
	g_free(a);
	g_free(b);
	g_free(res);
	return html;
}

static void
check_content(const char *html, const char *rdir)
{
	static const char *const must[] = {"<table>",
	                                   "throughput, IOPS",
	                                   "p99 latency",
	                                   "speedup over serial",
	                                   "torn reads",
	                                   "torn writes",
	                                   "stale reads",
	                                   "lost writes",
	                                   "max per-class lock wait",
	                                   "id=\"wl-alpha\"",
	                                   "id=\"wl-beta\"",
	                                   "&plusmn;",
	                                   "Scenario text",
	                                   "Reproduce: <code>vnodesim compare ",
	                                   "gnuplot -e",
	                                   "Seeds are reduced to 2",
	                                   "id=\"heatmap\"",
	                                   "&lt;&amp;&gt; (escaped)"};
	for (size_t i = 0; i < G_N_ELEMENTS(must); i++)
		ck_assert_msg(strstr(html, must[i]), "the page lacks %s", must[i]);
	/* beta's [sim] policies: three of them; alpha: all ten */
	ck_assert(strstr(html, "<td rowspan=\"3\">beta</td>") ||
	          strstr(html, "<td rowspan=\"3\"><a href=\"#wl-beta\">beta</a></td>"));
	ck_assert(strstr(html, "<td rowspan=\"10\"><a href=\"#wl-alpha\">alpha</a></td>"));
	/* none on overlapping buffered I/O: violations, marked */
	ck_assert_msg(strstr(html, "class=\"bad\""), "no violation marked");
	/* every link resolves: anchors exist, files exist beside the page */
	int links = 0;
	for (const char *p = html; (p = strstr(p, "href=\"")); p++) {
		p += 6;
		char *href = g_strndup(p, (gsize)(strchr(p, '"') - p));
		if (href[0] == '#') {
			char *id = g_strdup_printf("id=\"%s\"", href + 1);
			ck_assert_msg(strstr(html, id), "link %s: no such anchor", href);
			g_free(id);
		} else {
			ck_assert_msg(!strstr(href, "://") && href[0] != '/',
			              "link %s leaves the "
			              "report",
			              href);
			char *f = g_build_filename(rdir, href, NULL);
			ck_assert_msg(g_file_test(f, G_FILE_TEST_IS_REGULAR), "link %s: no %s",
			              href, f);
			g_free(f);
		}
		g_free(href);
		links++;
	}
	ck_assert_int_ge(links, 10);
	/* images: embedded PNGs only */
	int imgs = 0;
	for (const char *p = html; (p = strstr(p, "<img ")); p++, imgs++)
		ck_assert(strstr(p, "src=\"data:image/png;base64,iVBORw0KGgo") &&
		          strstr(p, "src=\"data:image/png;base64,") < strchr(p, '>'));
	ck_assert_int_ge(imgs, 1 + 4 + 4); /* heat map, 4 figures per workload */
}

static void
check_reuse(const char *rdir)
{
	char *res = g_path_get_dirname(rdir);
	char *rj = g_build_filename(res, "alpha", "serial", "result.json", NULL);
	struct stat before, after;
	ck_assert(stat(rj, &before) == 0);
	char *a = g_strdup(tu_write("alpha.ini", alpha)),
	     *b = g_build_filename(tu_tmpdir(), "beta.ini", NULL);
	char *out;
	int st = tu_sh(&out, "%s report %s %s --seeds 2 --results %s -q", tu_prog(), a, b, res);
	ck_assert_msg(st == 0, "%s", out);
	g_free(out);
	ck_assert(stat(rj, &after) == 0);
	ck_assert_msg(after.st_ino == before.st_ino && after.st_mtime == before.st_mtime,
	              "unchanged results were recomputed");
	g_free(a);
	g_free(b);
	g_free(rj);
	g_free(res);
}

static const char checker[] =
    "<script>window.addEventListener('load', function () {\n"
    "  var imgs = document.images, broken = 0;\n"
    "  for (var i = 0; i < imgs.length; i++)\n"
    "    if (!(imgs[i].complete && imgs[i].naturalWidth > 0)) broken++;\n"
    "  var a = document.querySelectorAll('a[href^=\"#\"]'), bad = 0;\n"
    "  for (var i = 0; i < a.length; i++)\n"
    "    if (!document.getElementById(a[i].getAttribute('href').slice(1))) bad++;\n"
    "  document.body.setAttribute('data-check', 'images=' + imgs.length + ' broken=' +\n"
    "    broken + ' anchors=' + a.length + ' bad=' + bad + ' done');\n"
    "});</script>\n";

static G_GNUC_NO_INLINE void
check_chromium(const char *html, const char *rdir)
{
	if (tu_sh(NULL, "command -v chromium") != 0) {
		printf("SKIP: test_report chromium part (chromium is not installed)\n");
		return;
	}
	/* the page as it is, plus a checker that runs after every image has loaded */
	ck_assert(strstr(html, "</body>"));
	gsize at = (gsize)(strstr(html, "</body>") - html);
	GString *chk = g_string_new(html);
	g_string_insert(chk, (gssize)at, checker);
	char *cp = g_build_filename(rdir, "check.html", NULL);
	ck_assert(g_file_set_contents(cp, chk->str, (gssize)chk->len, NULL));
	char *prof = g_build_filename(tu_tmpdir(), "chromium-profile", NULL), *out;
	int st = tu_sh(&out,
	               "timeout 60 chromium --headless --no-sandbox --disable-gpu "
	               "--disable-background-networking --disable-component-update --disable-sync "
	               "--no-first-run --user-data-dir=%s --virtual-time-budget=10000 "
	               "--dump-dom file://%s 2>/dev/null",
	               prof, cp);
	ck_assert_msg(st == 0, "chromium exited %d: %s", st, out);
	int n = 0;
	for (const char *p = html; (p = strstr(p, "<img ")); p++)
		n++;
	char *want = g_strdup_printf("data-check=\"images=%d broken=0 anchors=", n);
	ck_assert_msg(strstr(out, want), "expected %s in the rendered page: %.300s", want,
	              strstr(out, "data-check") ? strstr(out, "data-check") : "(no check ran)");
	ck_assert_msg(strstr(out, " bad=0 done\""), "a broken anchor: %.200s",
	              strstr(out, "data-check"));
	g_free(want);
	g_free(out);
	g_free(prof);
	g_unlink(cp);
	g_free(cp);
	g_string_free(chk, TRUE);
}

START_TEST(test_report)
{
	char *rdir, *html = build_report(&rdir);
	check_content(html, rdir);
	check_chromium(html, rdir);
	check_reuse(rdir);
	g_free(html);
	g_free(rdir);
}
END_TEST

START_TEST(test_report_failed_workload)
{
	/* a workload whose comparison fails: the page still comes, and says so */
	char *res = g_build_filename(tu_tmpdir(), "res-bad", NULL), *out;
	char *bad = g_strdup(tu_write("broken.ini", "[j]\nfilename=f\nsize=1m\nbs=banana\n"));
	char *b = g_strdup(tu_write("beta.ini", beta));
	int st = tu_sh(&out, "%s report %s %s --seeds 1 --results %s -q", tu_prog(), bad, b, res);
	ck_assert_msg(st == 2 && strstr(out, "broken.ini:4"), "exit %d: %s", st, out);
	g_free(out);
	char *idx = g_build_filename(res, "report", "index.html", NULL), *html = NULL;
	ck_assert_msg(g_file_get_contents(idx, &html, NULL, NULL), "no page");
	ck_assert(strstr(html, "The comparison failed (exit status 2)"));
	ck_assert(strstr(html, "id=\"wl-beta\"") && strstr(html, "id=\"wl-broken\""));
	g_free(html);
	g_free(idx);
	g_free(bad);
	g_free(b);
	g_free(res);
}
END_TEST

Suite *
suite_report(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("report");
	tcase_set_timeout(tc, 180);
	tcase_add_test(tc, test_report);
	tcase_add_test(tc, test_report_failed_workload);
	suite_add_tcase(s, tc);
	return s;
}
