/*
 * csv.h -- CSV fields as RFC 4180 writes them: a field holding a comma, a double quote, CR or
 * LF is enclosed in double quotes, its quotes doubled; every other field is written as it is
 * (so files without such names are unchanged).  The one writer and reader of text fields in
 * the program's CSV files.
 */
#ifndef VN_CSV_H
#define VN_CSV_H

#include <glib.h>
#include <stdio.h>

/* Append V to S as one field. */
void csv_field(GString *s, const char *v);
/* Write V to F as one field. */
void csv_fput(FILE *f, const char *v);
/* The fields of one record LINE (without its line end; a trailing CR or LF is dropped),
 * quotes removed: a NULL-terminated vector (g_strfreev). */
char **csv_split(const char *line);

#endif
