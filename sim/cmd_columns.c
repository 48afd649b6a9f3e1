/*
 * cmd_columns.c -- `vnodesim columns [--markdown]`: summary.csv's columns, from the table
 * itself (columns.h): name, unit, format and description, in the file's order.
 *
 * (1) --markdown prints the table the manual's column list is (a test checks the manual
 *     against it), so the list cannot drift from the program.
 */
#include <stdio.h>

#include "sim/cli.h"
#include "sim/columns.h"
#include "sim/commands.h"

/* The column's format in words: how its value is printed. */
static char *
format_of(const struct col *c)
{
	switch (c->type) {
	case COL_TEXT:
		return g_strdup("text");
	case COL_COUNT:
		return g_strdup("integer");
	case COL_REAL:
		break;
	}
	return g_strdup_printf("%d decimals", c->prec);
}

int
cmd_columns(int argc, char **argv)
{
	gboolean markdown = FALSE;
	GOptionEntry entries[] = {{"markdown", 'm', 0, G_OPTION_ARG_NONE, &markdown,
	                           "Print a Markdown table (the manual's column list)", NULL},
	                          {NULL}};
	if (!cli_parse_opts("columns", "",
	                    "List summary.csv's columns in their order: name, unit, format, "
	                    "description.  More follow them with several seeds (seeds, "
	                    "<column>_ci95) and in sweeps (the varied SECTION.KEY).",
	                    entries, &argc, &argv))
		return CLI_EXIT_BAD;
	if (argc != 1)
		return cli_bad("columns: takes no arguments");
	if (markdown)
		printf("| column | unit | format | description |\n| --- | --- | --- | --- |\n");
	else
		printf("%-17s %-9s %-11s %s\n", "column", "unit", "format", "description");
	for (int i = 0; i < col_count(); i++) {
		const struct col *c = col_at(i);
		char *fmt = format_of(c);
		if (markdown)
			printf("| `%s` | %s | %s | %s |\n", c->name, c->unit, fmt, c->desc);
		else /* units may hold a multi-byte character (µs): pad by characters */
			printf("%-17s %s%*s %-11s %s\n", c->name, *c->unit ? c->unit : "-",
			       (int)(9 - g_utf8_strlen(*c->unit ? c->unit : "-", -1)), "", fmt,
			       c->desc);
		g_free(fmt);
	}
	return 0;
}
