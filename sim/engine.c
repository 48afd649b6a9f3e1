/*
 * engine.c -- SimGrid glue: initialise the engine with only the options meant for it
 * (--cfg=, --log=; vnodesim parses its own first), exact event times, and run.
 * The root log category `vnodesim`, parent of every module's, is in models/env.c (models/
 * may not depend on sim/), so `--log=vnodesim.thres:debug` or
 * `--log=vnodesim_disk.thres:verbose` work.
 * A --cfg=/--log= that SimGrid refuses makes it abort (a C++ exception and a backtrace,
 * exit 134); engine_check_arg tries each one first in a throw-away child process, so the
 * user gets one line and exit status 2 instead.
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

void
engine_init(const char *const *simgrid_args)
{
	/* argv for simgrid_init: program name, our fixed settings, then the user's. */
	static const char *const fixed[] = {"--cfg=surf/precision:1e-15",
	                                    "--cfg=network/model:CM02", "--log=root.thres:warning",
	                                    "--log=xbt_cfg.thres:warning"};
	int n = 0;
	while (simgrid_args && simgrid_args[n])
		n++;
	char **argv = g_new0(char *, (size_t)n + G_N_ELEMENTS(fixed) + 2);
	int argc = 0;
	argv[argc++] = (char *)"vnodesim";
	for (size_t i = 0; i < G_N_ELEMENTS(fixed); i++)
		argv[argc++] = (char *)fixed[i];
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
