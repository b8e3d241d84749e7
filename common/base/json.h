/* json.h - the little JSON sentio writes: strings and numbers on a FILE. */
#ifndef SENTIO_JSON_H
#define SENTIO_JSON_H

#include <stddef.h>
#include <stdio.h>

/* A JSON string: quotes, backslashes and control characters escaped; UTF-8 passes through. */
void json_write_string(FILE *fp, const char *s);
/* Shortest "%.Ng" that reads back as exactly x, always with a '.' or an exponent
 * ("1.0", "0.25", "1e-07"), as Python's repr writes floats; "null" for NaN and
 * the infinities, which JSON cannot write (Python's json would write NaN, which
 * strict parsers refuse). len >= 32 suffices. */
void json_format_double(char *buf, size_t len, double x);
void json_write_double(FILE *fp, double x);

#endif
