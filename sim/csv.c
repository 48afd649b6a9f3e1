/*
 * csv.c -- RFC 4180 fields (see csv.h).
 */
#include <stdbool.h>
#include <string.h>

#include "sim/csv.h"

static bool
needs_quotes(const char *v)
{
	return strpbrk(v, ",\"\r\n") != NULL;
}

void
csv_field(GString *s, const char *v)
{
	if (!needs_quotes(v)) {
		g_string_append(s, v);
		return;
	}
	g_string_append_c(s, '"');
	for (const char *c = v; *c; c++) {
		if (*c == '"')
			g_string_append_c(s, '"');
		g_string_append_c(s, *c);
	}
	g_string_append_c(s, '"');
}

void
csv_fput(FILE *f, const char *v)
{
	if (!needs_quotes(v)) {
		fputs(v, f);
		return;
	}
	GString *s = g_string_new(NULL);
	csv_field(s, v);
	fputs(s->str, f);
	g_string_free(s, TRUE);
}

char **
csv_split(const char *line)
{
	GPtrArray *out = g_ptr_array_new();
	GString *f = g_string_new(NULL);
	const char *c = line;
	size_t n = strlen(line);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	const char *end = line + n;
	for (;;) {
		g_string_truncate(f, 0);
		if (c < end && *c == '"') {
			c++;
			while (c < end) {
				if (*c == '"') {
					if (c + 1 < end && c[1] == '"') {
						g_string_append_c(f, '"');
						c += 2;
						continue;
					}
					c++;
					break;
				}
				g_string_append_c(f, *c++);
			}
			/* anything between the closing quote and the comma is kept as written */
			while (c < end && *c != ',')
				g_string_append_c(f, *c++);
		} else {
			while (c < end && *c != ',')
				g_string_append_c(f, *c++);
		}
		g_ptr_array_add(out, g_strdup(f->str));
		if (c >= end)
			break;
		c++; /* the comma */
	}
	g_string_free(f, TRUE);
	g_ptr_array_add(out, NULL);
	return (char **)g_ptr_array_free(out, FALSE);
}
