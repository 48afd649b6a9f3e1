/*
 * engine.c -- SimGrid glue: initialise the engine with only the options meant for it
 * (--cfg=, --log=; vnodesim parses its own first), exact event times, and run.
 * The root log category `vnodesim`, parent of every module's, is in models/env.c (models/
 * may not depend on sim/), so `--log=vnodesim.thres:debug` or
 * `--log=vnodesim_disk.thres:verbose` work.
 * A --cfg=/--log= that SimGrid refuses makes it abort (a C++ exception and a backtrace,
 * exit 134); engine_check_arg tries each one first in a throw-away child process, so the
 * user gets one line and exit status 2 instead.
 *
 * Actor stacks (VN_STACK_KIB): SimGrid gives every actor 8 MiB of stack by default, mapped
 * and unmapped with each actor (at 10,000 threads about half of the start-up: mmap, munmap
 * and the page tables).  The deepest path an actor takes (a buffered request through the
 * page cache, write-back and the block layer with every log category at debug, whose
 * formatting is the deepest frame) needs between 8 and 12 KiB (the run crashes at 8 KiB
 * and passes at 12; measured on the scenarios in scenarios/).  64 KiB is five times that,
 * and small enough to come from the heap instead of a memory map each; SimGrid keeps its
 * guard page below it (contexts/guard-size, one page), so an overflow stops the run with
 * SIGSEGV instead of overwriting another actor's memory.  The lock layer's deadlock search
 * is iterative (models/locks/lock.c) so that a wait-for chain as long as the thread count
 * does not need a deep stack.  A --cfg=contexts/stack-size: given by the user comes after
 * ours and wins.  Past about 32,000 actors the guard pages alone would exhaust the kernel's
 * memory maps: run_simulate then drops them (engine_no_guard_pages, guard.c note 4).
 * tests/test_oracle.c's stack tcase runs the deepest path under a quarter
 * of it.
 */
#include <errno.h>
#include <simgrid/engine.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xbt/log.h>

#include "sim/platform.h"
#include "sim/run.h"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(vnodesim_engine, vnodesim, "engine glue");

static bool no_guard; /* engine_no_guard_pages */

void
engine_no_guard_pages(void)
{
	no_guard = true;
}

void
engine_init(const char *const *simgrid_args)
{
	/* argv for simgrid_init: program name, our fixed settings, then the user's. */
	static const char *const fixed[] = {
	    "--cfg=surf/precision:1e-15", "--cfg=contexts/stack-size:" G_STRINGIFY(VN_STACK_KIB),
	    "--cfg=network/model:CM02", "--log=root.thres:warning", "--log=xbt_cfg.thres:warning"};
	int n = 0;
	while (simgrid_args && simgrid_args[n])
		n++;
	char **argv = g_new0(char *, (size_t)n + G_N_ELEMENTS(fixed) + 3);
	int argc = 0;
	argv[argc++] = (char *)"vnodesim";
	for (size_t i = 0; i < G_N_ELEMENTS(fixed); i++)
		argv[argc++] = (char *)fixed[i];
	if (no_guard) /* guard_auto_pages_off (guard.c note 4) */
		argv[argc++] = (char *)"--cfg=contexts/guard-size:0";
	for (int i = 0; i < n; i++)
		argv[argc++] = (char *)simgrid_args[i];
	simgrid_init(&argc, argv);
	g_free(argv);
}

double
engine_run(void)
{
	simgrid_run();
	return simgrid_get_clock();
}

/* SimGrid's own words for why the child died: the text after "CRITICAL] " on its first
 * critical line, without the exception's C++ type. */
static char *
refusal(const char *text)
{
	const char *p = strstr(text, "CRITICAL] ");
	if (!p)
		return g_strdup("SimGrid refused it");
	p += strlen("CRITICAL] ");
	const char *ex = "Uncaught exception ";
	if (g_str_has_prefix(p, ex)) {
		p += strlen(ex);
		const char *colon = strstr(p, ": ");
		if (colon)
			p = colon + 2;
	}
	return g_strndup(p, strcspn(p, "\n"));
}

bool
engine_check_arg(const char *arg, char **why)
{
	int fd[2];
	*why = NULL;
	if (pipe(fd) != 0)
		return true; /* cannot check: the run will report it */
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		close(fd[0]);
		close(fd[1]);
		return true;
	}
	if (pid == 0) { /* the engine, a platform and an empty run with ARG alone */
		close(fd[0]);
		dup2(fd[1], STDERR_FILENO);
		dup2(fd[1], STDOUT_FILENO);
		const char *args[] = {arg, NULL};
		engine_init(args);
		vn_platform_create(1, 1e9);
		engine_run();
		_exit(0);
	}
	close(fd[1]);
	GString *out = g_string_new(NULL);
	char buf[4096];
	ssize_t n;
	while ((n = read(fd[0], buf, sizeof buf)) > 0)
		if (out->len < 65536)
			g_string_append_len(out, buf, n);
	close(fd[0]);
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	bool ok = WIFEXITED(st) && WEXITSTATUS(st) == 0;
	if (!ok)
		*why = refusal(out->str);
	g_string_free(out, TRUE);
	return ok;
}
