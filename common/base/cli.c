#include "base/cli.h"

#include <locale.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *progname = "sentio";

void cli_init(const char *name)
{
    const char *slash = strrchr(name, '/');
    progname = slash ? slash + 1 : name;
    /* Numbers are read and written in the C locale whatever the user's LANG. */
    setlocale(LC_ALL, "C");
}

const char *cli_progname(void) { return progname; }

const char *cli_input_name(const char *path) { return !path || strcmp(path, "-") == 0 ? "(stdin)" : path; }

FILE *cli_open_input(const char *path) { return !path || strcmp(path, "-") == 0 ? stdin : fopen(path, "rb"); }

void cli_close_input(FILE *fp)
{
    if (fp && fp != stdin)
        fclose(fp);
}

static void vreport(const char *kind, const char *file, const char *fmt, va_list ap)
{
    fprintf(stderr, "%s: ", progname);
    if (kind)
        fprintf(stderr, "%s: ", kind);
    if (file)
        fprintf(stderr, "%s: ", file);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void cli_error(const char *file, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(NULL, file, fmt, ap);
    va_end(ap);
}

void cli_warn(const char *file, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport("warning", file, fmt, ap);
    va_end(ap);
}

void cli_fail(const char *file, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(NULL, file, fmt, ap);
    va_end(ap);
    exit(CLI_EXIT_RUNTIME);
}

void cli_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(NULL, NULL, fmt, ap);
    va_end(ap);
    fprintf(stderr, "Try '%s --help' for more information.\n", progname);
    exit(CLI_EXIT_USAGE);
}

void cli_print_version(void)
{
    printf("%s (sentio) %s\n", progname, SENTIO_VERSION);
}

bool cli_progress_enabled(void) { return isatty(STDERR_FILENO); }

void cli_progress(size_t done, size_t total, const char *what)
{
    if (!cli_progress_enabled())
        return;
    fprintf(stderr, "\r%s: %zu/%zu %s", progname, done, total, what);
    if (done >= total)
        fputc('\n', stderr);
    fflush(stderr);
}

static char **argv_as_typed;

static void free_argv_copy(void) { free(argv_as_typed); }

char **cli_argv_copy(int argc, char **argv)
{
    if (!argv_as_typed)
        atexit(free_argv_copy);
    free(argv_as_typed);
    argv_as_typed = cli_xmalloc(((size_t)argc + 1) * sizeof *argv_as_typed);
    memcpy(argv_as_typed, argv, ((size_t)argc + 1) * sizeof *argv_as_typed);
    return argv_as_typed;
}
