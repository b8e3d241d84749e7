#include "base/cli.h"

#include <errno.h>
#include <locale.h>
#include <signal.h>
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
    /* A file size limit (ulimit -f) would kill the tool mid-write, leaving its
     * temporaries and a store run 'running': as a failed write (EFBIG) it takes the
     * error path instead ("File too large", temporaries removed, run failed, exit 1).
     * SIGPIPE: see signals.h and store_cli_begin. */
    signal(SIGXFSZ, SIG_IGN);
}

const char *cli_progname(void) { return progname; }

const char *cli_input_name(const char *path)
{
    return !path || strcmp(path, "-") == 0 ? "(stdin)" : path;
}

FILE *cli_open_input(const char *path)
{
    return !path || strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
}

void cli_close_input(FILE *fp)
{
    if (fp && fp != stdin)
        fclose(fp);
}

/* A progress line is open on stderr (written, not yet ended by a newline). */
static bool progress_open;
static bool progress_off;

static void end_progress_line(void)
{
    if (progress_open) {
        fputc('\n', stderr);
        progress_open = false;
    }
}

static void vreport(const char *kind, const char *file, const char *fmt, va_list ap)
{
    end_progress_line(); /* a message never lands at the end of the counter */
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

void cli_print_version(void) { printf("%s (sentio) %s\n", progname, SENTIO_VERSION); }

bool cli_progress_enabled(void) { return isatty(STDERR_FILENO); }

void cli_progress_off(void) { progress_off = true; }

void cli_progress(size_t done, size_t total, const char *what)
{
    if (progress_off || !cli_progress_enabled())
        return;
    static bool registered;
    if (!registered) { /* whatever way the tool ends, the next program starts on a new line */
        atexit(end_progress_line);
        registered = true;
    }
    fprintf(stderr, "\r%s: %zu/%zu %s", progname, done, total, what);
    progress_open = true;
    if (done >= total)
        end_progress_line();
    fflush(stderr);
}

const char *cli_share_dir(const char *sub)
{
    static char dir[4096];
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    const char *found = NULL;
    if (n > 0) {
        exe[n] = '\0';
        for (int up = 0; up < 2; up++) { /* bin/tool -> the prefix or checkout */
            char *slash = strrchr(exe, '/');
            if (!slash)
                break;
            *slash = '\0';
        }
        const char *layouts[] = {"share/sentio", "pipelines"};
        for (size_t i = 0; i < 2 && !found; i++) {
            int len = snprintf(dir, sizeof dir, "%.2000s/%s/%.100s", exe, layouts[i], sub);
            if (len > 0 && (size_t)len < sizeof dir && access(dir, F_OK) == 0)
                found = dir;
        }
    }
    if (!found)
        snprintf(dir, sizeof dir, "pipelines/%s", sub);
    return dir;
}

ssize_t cli_getline(char **line, size_t *cap, FILE *fp, bool *failed)
{
    errno = 0;
    ssize_t len = getline(line, cap, fp);
    if (len < 0 && (ferror(fp) || errno != 0)) {
        if (errno == 0)
            errno = EIO;
        *failed = true;
    }
    return len;
}

int cli_read_lines(const char *path, const char *name, cli_line_fn line, void *ctx, char *err,
                   size_t errlen)
{
    FILE *fp = cli_open_input(path);
    if (!fp)
        return err_in(err, errlen, name, "%s", strerror(errno));
    char *buf = NULL;
    size_t cap = 0;
    ssize_t len;
    unsigned long long number = 0;
    int rc = 0;
    bool failed = false;
    while (rc == 0 && (len = cli_getline(&buf, &cap, fp, &failed)) >= 0) {
        ++number;
        if ((size_t)len != strlen(buf))
            rc = err_at_line(err, errlen, name, number, "contains a NUL byte");
        else
            rc = line(buf, (size_t)len, number, ctx, err, errlen);
    }
    if (rc == 0 && (failed || ferror(fp)))
        rc = err_at_line(err, errlen, name, number + 1, "read error: %s",
                         strerror(errno ? errno : EIO));
    free(buf);
    cli_close_input(fp);
    return rc;
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
