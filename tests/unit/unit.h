/* unit.h - a minimal TAP producer for sentio's C unit tests.
 * Each CHECK prints "ok N - what" or "not ok N - what" with the failing values;
 * unit_done() prints the plan and returns the exit status. */
#ifndef SENTIO_UNIT_H
#define SENTIO_UNIT_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int unit_count, unit_failed;

static inline int unit_report(int ok, const char *file, int line, const char *what)
{
    ++unit_count;
    printf("%sok %d - %s\n", ok ? "" : "not ", unit_count, what);
    if (!ok) {
        ++unit_failed;
        printf("#   at %s:%d\n", file, line);
    }
    return ok;
}

#define CHECK(cond, what) unit_report(!!(cond), __FILE__, __LINE__, what)

/* |a - b| <= tol, with the values shown on failure. */
#define CHECK_NEAR(a, b, tol, what)                                                            \
    do {                                                                                       \
        double unit_a_ = (a), unit_b_ = (b), unit_t_ = (tol);                                  \
        if (!unit_report(fabs(unit_a_ - unit_b_) <= unit_t_, __FILE__, __LINE__, what))        \
            printf("#   got %.9g, expected %.9g (tolerance %g)\n", unit_a_, unit_b_, unit_t_); \
    } while (0)

/* Reads fd to its end (or len - 1 bytes) into out, NUL-terminated, and closes it. */
static inline void unit_read_all(int fd, char *out, size_t len)
{
    size_t got = 0;
    ssize_t r;
    while (got + 1 < len && (r = read(fd, out + got, len - 1 - got)) > 0)
        got += (size_t)r;
    out[got] = '\0';
    close(fd);
}

/* Runs fn(arg) in a child (which exits 0 if fn returns) with its stdout and stderr, together,
 * read into out; returns its exit status, -1 if a signal ended it, -2 if none could start. For
 * the paths that exit the process (cli_fail, usage errors). */
static inline int unit_in_child(void (*fn)(void *), void *arg, char *out, size_t len)
{
    int fd[2];
    if (pipe(fd) != 0)
        return -2;
    fflush(stdout); /* or the child's exit prints the results so far again */
    pid_t pid = fork();
    if (pid < 0)
        return -2;
    if (pid == 0) {
        close(fd[0]);
        dup2(fd[1], STDOUT_FILENO);
        dup2(fd[1], STDERR_FILENO);
        fn(arg);
        exit(0);
    }
    close(fd[1]);
    unit_read_all(fd[0], out, len);
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static inline int unit_done(void)
{
    printf("1..%d\n", unit_count);
    return unit_failed ? 1 : 0;
}

#endif
