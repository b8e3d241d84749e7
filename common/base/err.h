/* err.h - the library's one way to report what went wrong.
 *
 * A library function that can fail takes `char *err, size_t errlen` (a buffer of
 * SENTIO_ERR_LEN bytes, or a struct's `char err[SENTIO_ERR_LEN]`), and on failure
 * fills it and returns -1 (or NULL): `return err_set(err, errlen, "...", ...);`.
 * The message says what went wrong, without the tool's name; where the input has a
 * position it ends with " (line N)" or " (byte N)". The tool prefixes its name
 * and the file (cli_fail) and owns the exit status. */
#ifndef SENTIO_ERR_H
#define SENTIO_ERR_H

#include <stdarg.h>
#include <stddef.h>

/* Room for any message: error buffers are this long. */
#define SENTIO_ERR_LEN 1024

/* snprintf into err[0..errlen-1] (nothing when err is NULL or errlen 0). Returns -1. */
int err_set(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int err_vset(char *err, size_t errlen, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* "NAME: message", or "message" when name is NULL: a message about an input whose
 * name the caller knows and the tool does not. Returns -1. */
int err_in(char *err, size_t errlen, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* "NAME: message (line N)", or "message (line N)" when name is NULL: a position
 * in a text input, lines counted from 1. Returns -1. */
int err_at_line(char *err, size_t errlen, const char *name, unsigned long long line,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));
int err_vat_line(char *err, size_t errlen, const char *name, unsigned long long line,
                 const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));
/* "NAME: message (byte N)", or "message (byte N)": a position in a binary input,
 * bytes counted from 0. Returns -1. */
int err_at_byte(char *err, size_t errlen, const char *name, unsigned long long byte,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* "NAME: message (record N)", or "message (record N)": a record of a feature stream or
 * a row of a table of records, counted from 1. Returns -1. */
int err_at_record(char *err, size_t errlen, const char *name, unsigned long long record,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
