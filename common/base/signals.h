/* signals.h - what a tool does when it is told to stop (SIGINT, SIGTERM,
 * SIGHUP, and SIGPIPE: the reader of its output went away): it runs one cleanup function
 * (outfile's: remove the temporaries not yet committed), then dies of the same signal, so the shell
 * sees the status it expects (130 after Ctrl-C) and nothing half-written stays behind. A signal the
 * tool was started with ignored (nohup, a background job) stays ignored. */
#ifndef SENTIO_SIGNALS_H
#define SENTIO_SIGNALS_H

#include <pthread.h>
#include <signal.h>

/* Installs the handlers (once; later calls only replace the cleanup). The
 * cleanup must be async-signal-safe: it may run at any point of the main thread. */
void signals_on_stop(void (*cleanup)(void));

/* Hold the stop signals while the state the cleanup reads is being changed, then
 * release them (a signal that arrived meanwhile is delivered on release). */
void signals_hold(sigset_t *saved);
void signals_release(const sigset_t *saved);

/* pthread_create with every signal blocked in the new thread, so that signals
 * reach the main thread only and the hold above is enough. */
int signals_thread_create(pthread_t *tid, void *(*fn)(void *), void *arg);

#endif
