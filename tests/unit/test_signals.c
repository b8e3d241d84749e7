/* Stop signals (base/signals.h): immediate by default; deferred, the first only sets
 * the flag and signals_stop_now() ends the process of it after the cleanup; a second
 * deferred signal ends it at once; an ignored signal (nohup's SIGHUP) stays ignored.
 * Each case runs in a child process. */
#include "base/signals.h"
#include "unit.h"

#include <signal.h>
#include <stdbool.h>
#include <sys/wait.h>
#include <unistd.h>

static int report_fd = -1;

/* The cleanup: says that it ran (write(2) is async-signal-safe). */
static void cleanup(void)
{
    if (write(report_fd, "C", 1) != 1)
        _exit(99);
}

static void say(const char *what)
{
    if (write(report_fd, what, strlen(what)) < 0)
        _exit(99);
}

typedef enum { IMMEDIATE, DEFERRED, TWICE, HUP_IGNORED } scenario;

/* Runs the scenario in a child; returns its wait status and what it said in heard. */
static int run_child(scenario sc, char *heard, size_t len)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        report_fd = fds[1];
        /* Under nohup (as a CI job may be) SIGHUP comes ignored, and signals.c rightly
         * leaves an ignored signal alone: each scenario sets the dispositions it tests. */
        signal(SIGTERM, SIG_DFL);
        signal(SIGHUP, sc == HUP_IGNORED ? SIG_IGN : SIG_DFL);
        signals_on_stop(cleanup);
        signals_defer_stop(sc != IMMEDIATE);
        raise(SIGTERM);
        say(signals_stop_requested() == SIGTERM ? "R" : "-");
        if (sc == TWICE || sc == HUP_IGNORED)
            raise(SIGHUP);
        say("A"); /* still alive after the signals */
        signals_stop_now();
    }
    close(fds[1]);
    unit_read_all(fds[0], heard, len);
    int status = 0;
    waitpid(pid, &status, 0);
    return status;
}

int main(void)
{
    char heard[16];
    int st = run_child(IMMEDIATE, heard, sizeof heard);
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM, "not deferred: dies of the signal");
    CHECK(strcmp(heard, "C") == 0, "not deferred: the cleanup runs, nothing after the signal");

    st = run_child(DEFERRED, heard, sizeof heard);
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM,
          "deferred: signals_stop_now dies of the signal that arrived");
    CHECK(strcmp(heard, "RAC") == 0,
          "deferred: the flag is set, the work goes on, then the cleanup runs once");

    st = run_child(TWICE, heard, sizeof heard);
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGHUP, "deferred: a second signal stops at once");
    CHECK(strcmp(heard, "RC") == 0, "deferred: after the second signal, only the cleanup");

    st = run_child(HUP_IGNORED, heard, sizeof heard);
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM && strcmp(heard, "RAC") == 0,
          "deferred, SIGHUP ignored (nohup): it stays ignored, the first signal stops as usual");
    return unit_done();
}
