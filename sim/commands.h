/*
 * commands.h -- the entry point of each command (DESIGN.md §8), one module each
 * (sim/cmd_NAME.c).  main() dispatches to them; each parses its own options with GOption.
 *
 * Every entry point takes the command's own argument vector (ARGV[0] is the command's name,
 * the SimGrid options already set aside: cli.h) and returns the process's exit status:
 * 0 success; 2 bad input (a message on stderr names file:line and the key); 3 the simulated
 * system deadlocked; anything else is a failure the message names.  They print their
 * results on stdout and may fork a process per simulation.
 */
#ifndef VN_COMMANDS_H
#define VN_COMMANDS_H

int cmd_run(int argc, char **argv);         /* cmd_run.c: simulate under one or more policies */
int cmd_compare(int argc, char **argv);     /* cmd_compare.c: every policy, seeds, plots */
int cmd_sweep(int argc, char **argv);       /* cmd_sweep.c: the cross product of varied values */
int cmd_merge(int argc, char **argv);       /* cmd_sweep.c: combine sweeps' outputs */
int cmd_sensitivity(int argc, char **argv); /* cmd_sensitivity.c: rankings vs [host] costs */
int cmd_diff(int argc, char **argv);        /* cmd_diff.c: what changed between two results */
int cmd_report(int argc, char **argv);      /* cmd_report.c: the design-review page */
int cmd_replay(int argc, char **argv);      /* cmd_replay.c: a block trace on a disk model */
int cmd_validate(int argc, char **argv);    /* cmd_replay.c: a measured trace, RMS and means */
int cmd_policies(int argc, char **argv);    /* cmd_policies.c: the lock policies */
int cmd_check(int argc, char **argv);       /* cmd_check.c: parse and validate a scenario */
int cmd_columns(int argc, char **argv);     /* cmd_columns.c: summary.csv's columns */
int cmd_vsfio(int argc, char **argv);       /* cmd_vsfio.c: a real fio run beside the simulation */

#endif
