/*
 * matrix.c -- parsing the lock configuration that scenarios may override (DESIGN.md §1):
 * the compatibility matrix (`[policy] matrix=`) and the fairness rule (`[policy] fairness=`).
 *
 * Matrix syntax: space-separated rows `CLASS:COMPATIBLE,COMPATIBLE`; an empty list after the
 * colon means compatible with none.  Notes:
 *  (1) every class of the policy has exactly one row, and only the policy's classes appear;
 *  (2) the result is symmetric (a holds with b iff b holds with a), else it is an error:
 *      a one-sided entry is almost certainly a typo, and the grant rule assumes symmetry;
 *  (3) a class listed twice in one row is harmless and accepted.
 * Errors are bad input (ENV_ERROR_BAD_INPUT) without file:line: the caller adds them.
 *
 * Lock rules: none (pure functions).
 */
#include <stdlib.h>
#include <string.h>

#include "models/locks/lock.h"
#include "models/env.h"

static int
class_index(const char *name, size_t len, int n, const char *const *names)
{
	for (int i = 0; i < n; i++)
		if (strlen(names[i]) == len && strncmp(names[i], name, len) == 0)
			return i;
	return -1;
}

bool
lk_matrix_parse(const char *text, int nclasses, const char *const *class_names, struct lk_matrix *m,
                GError **err)
{
	g_assert(nclasses > 0 && nclasses <= LK_MAX_CLASSES);
	bool seen[LK_MAX_CLASSES] = {false};
	*m = (struct lk_matrix){.n = nclasses};
	for (int i = 0; i < nclasses; i++)
		m->names[i] = class_names[i];
	gchar **rows = g_strsplit_set(text ? text : "", " \t", -1);
	bool ok = false;
	for (gchar **row = rows; *row; row++) {
		if (**row == '\0')
			continue; /* repeated blanks */
		const char *colon = strchr(*row, ':');
		if (!colon) {
			g_set_error(err, ENV_ERROR, ENV_ERROR_BAD_INPUT,
			            "matrix: row '%s' is not CLASS:COMPATIBLE,...", *row);
			goto fail;
		}
		int c = class_index(*row, (size_t)(colon - *row), nclasses, class_names);
		if (c < 0) {
			g_set_error(err, ENV_ERROR, ENV_ERROR_BAD_INPUT,
			            "matrix: unknown class '%.*s' (row '%s')", (int)(colon - *row),
			            *row, *row);
			goto fail;
		}
		if (seen[c]) {
			g_set_error(err, ENV_ERROR, ENV_ERROR_BAD_INPUT,
			            "matrix: duplicate row for class %s", class_names[c]);
			goto fail;
		}
		seen[c] = true;
		const char *p = colon + 1;
		while (*p) {
			const char *q = strchr(p, ',');
			size_t len = q ? (size_t)(q - p) : strlen(p);
			int d = class_index(p, len, nclasses, class_names);
			if (d < 0) {
				g_set_error(err, ENV_ERROR, ENV_ERROR_BAD_INPUT,
				            "matrix: unknown class '%.*s' in the row of %s",
				            (int)len, p, class_names[c]);
				goto fail;
			}
			m->ok[c][d] = true;
			if (!q)
				break;
			p = q + 1;
		}
	}
	for (int c = 0; c < nclasses; c++)
		if (!seen[c]) {
			g_set_error(err, ENV_ERROR, ENV_ERROR_BAD_INPUT,
			            "matrix: no row for class %s", class_names[c]);
			goto fail;
		}
	for (int a = 0; a < nclasses; a++)
		for (int b = a + 1; b < nclasses; b++)
			if (m->ok[a][b] != m->ok[b][a]) {
				int y = m->ok[a][b] ? a : b, x = y == a ? b : a;
				g_set_error(err, ENV_ERROR, ENV_ERROR_BAD_INPUT,
				            "matrix: not symmetric: %s is compatible with %s "
				            "but %s is not with %s",
				            class_names[y], class_names[x], class_names[x],
				            class_names[y]);
				goto fail;
			}
	ok = true;
fail:
	g_strfreev(rows);
	return ok;
}

bool
lk_fair_parse(const char *text, enum lk_fair *f, int *batch_n, GError **err)
{
	*batch_n = 0;
	if (strcmp(text, "fifo") == 0) {
		*f = LK_FAIR_FIFO;
		return true;
	}
	if (strcmp(text, "readers") == 0) {
		*f = LK_FAIR_READERS;
		return true;
	}
	if (strcmp(text, "rwsem") == 0) {
		*f = LK_FAIR_RWSEM;
		return true;
	}
	if (strcmp(text, "netbsd") == 0) {
		*f = LK_FAIR_NETBSD;
		return true;
	}
	if (strncmp(text, "batch:", 6) == 0 && g_ascii_isdigit(text[6])) {
		char *end;
		long n = strtol(text + 6, &end, 10);
		if (*end == '\0' && n <= 1000000) {
			*f = LK_FAIR_BATCH;
			*batch_n = (int)n;
			return true;
		}
	}
	g_set_error(err, ENV_ERROR, ENV_ERROR_BAD_INPUT,
	            "fairness '%s': expected fifo, readers, rwsem, netbsd or batch:N (N >= 0)",
	            text);
	return false;
}
