#include "base/signals.h"

#include <stddef.h>
#include <stdlib.h>

static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
enum { N_STOP_SIGNALS = sizeof stop_signals / sizeof stop_signals[0] };

static void (*volatile stop_cleanup)(void);
static volatile sig_atomic_t deferring, requested;

static void on_stop_signal(int sig)
{
    if (deferring && !requested) {
        requested = sig;
        return;
    }
    void (*cleanup)(void) = stop_cleanup;
    if (cleanup)
        cleanup();
    /* Die of the signal itself rather than exit(128 + sig): the parent (make,
     * a shell loop) then knows the run was interrupted and stops too. */
    signal(sig, SIG_DFL);
    raise(sig);
}

static void stop_set(sigset_t *set)
{
    sigemptyset(set);
    for (int i = 0; i < N_STOP_SIGNALS; ++i)
        sigaddset(set, stop_signals[i]);
}

void signals_on_stop(void (*cleanup)(void))
{
    static int installed;
    stop_cleanup = cleanup;
    if (installed)
        return;
    installed = 1;
    struct sigaction sa = {0};
    sa.sa_handler = on_stop_signal;
    stop_set(&sa.sa_mask);
    for (int i = 0; i < N_STOP_SIGNALS; ++i) {
        struct sigaction old;
        if (sigaction(stop_signals[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        sigaction(stop_signals[i], &sa, NULL);
    }
}

void signals_hold(sigset_t *saved)
{
    sigset_t set;
    stop_set(&set);
    pthread_sigmask(SIG_BLOCK, &set, saved);
}

void signals_release(const sigset_t *saved) { pthread_sigmask(SIG_SETMASK, saved, NULL); }

int signals_thread_create(pthread_t *tid, void *(*fn)(void *), void *arg)
{
    sigset_t all, saved;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &saved);
    int rc = pthread_create(tid, NULL, fn, arg);
    pthread_sigmask(SIG_SETMASK, &saved, NULL);
    return rc;
}

void signals_defer_stop(bool on) { deferring = on; }

int signals_stop_requested(void) { return requested; }

_Noreturn void signals_stop_now(void)
{
    sigset_t saved;
    signals_hold(&saved); /* a second signal now would only repeat what follows */
    void (*cleanup)(void) = stop_cleanup;
    if (cleanup)
        cleanup();
    int sig = requested ? requested : SIGTERM;
    signal(sig, SIG_DFL);
    raise(sig); /* pending while held: delivered on release */
    signals_release(&saved);
    abort(); /* not reached: the signal's default action ends the process */
}
