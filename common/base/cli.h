/* cli.h - what every sentio tool shares at its surface: error reporting with
 * the tool's name, usage errors (exit 2), runtime errors (exit 1),
 * and whether progress may be shown (option values: base/opts.h). */
#ifndef SENTIO_CLI_H
#define SENTIO_CLI_H

/* Tools read library errors into base/err.h buffers and allocate with
 * base/xalloc.h: both come with this header. */
#include "base/err.h"
#include "base/xalloc.h"

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#define CLI_EXIT_OK 0
#define CLI_EXIT_RUNTIME 1
#define CLI_EXIT_USAGE 2
#define CLI_EXIT_SKIPPED 3 /* --keep-going: finished, but some inputs were skipped */

/* Call first in main: records the tool's name and sets the C locale for numbers. */
void cli_init(const char *progname);
const char *cli_progname(void);

/* An input's name in messages: "(stdin)" for NULL or "-", else the path. */
const char *cli_input_name(const char *path);
/* The input PATH opened for reading, or stdin for NULL or "-"; NULL with errno
 * set when the file cannot be opened. Close it with cli_close_input. */
FILE *cli_open_input(const char *path);
/* Closes what cli_open_input returned; stdin stays open. */
void cli_close_input(FILE *fp);

/* "tool: FILE: message" on stderr (FILE omitted when NULL). */
void cli_error(const char *file, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cli_warn(const char *file, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* cli_error then exit(1). */
_Noreturn void cli_fail(const char *file, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* "tool: message" and "Try 'tool --help'." on stderr, then exit(2). */
_Noreturn void cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints "tool (sentio) VERSION" to stdout. */
void cli_print_version(void);

/* True when stderr is a terminal: progress is shown then, never in pipelines/CI. */
bool cli_progress_enabled(void);
/* "\rtool: done/total what" on stderr when progress is enabled; done == total ends the
 * line, and so do an error or warning printed meanwhile and the tool's exit. */
void cli_progress(size_t done, size_t total, const char *what);
/* --quiet: no progress, even on a terminal. */
void cli_progress_off(void);

/* A copy of the argv pointer array (the strings are shared): getopt_long permutes
 * argv, and the experiment store records the command as the user typed it. The copy
 * is owned here and freed at exit. */
char **cli_argv_copy(int argc, char **argv);

/* getline(3) that tells a line too long for memory from the end of input (glibc
 * returns -1 for both, without setting the stream's error flag): returns the
 * length, or -1 at the end, or -1 with *failed set and errno (ENOMEM) on an error. */
ssize_t cli_getline(char **line, size_t *cap, FILE *fp, bool *failed);

/* The lines of the text input PATH (stdin for NULL or "-"), each passed to line() as a
 * NUL-terminated string, its line break kept, with its length and number (from 1); reading
 * stops at the first line that line() refuses (by returning -1 with err set). Refused here:
 * an input that cannot be opened, a line with a NUL byte, a read error; their messages start
 * with "NAME: " when name is not NULL. Returns 0, or -1 with err set. */
typedef int (*cli_line_fn)(char *line, size_t len, unsigned long long number, void *ctx, char *err,
                           size_t errlen);
int cli_read_lines(const char *path, const char *name, cli_line_fn line, void *ctx, char *err,
                   size_t errlen);

/* The folder of sentio's gnuplot scripts, SQL queries and experiment makefile for
 * this binary: PREFIX/share/sentio beside an installed one (bin/../share/sentio),
 * else the checkout's pipelines/ (bin/../pipelines); "pipelines" when neither is
 * there. sub is appended ("plots", "queries"). */
const char *cli_share_dir(const char *sub);

#endif
