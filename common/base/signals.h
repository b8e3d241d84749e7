/* signals.h - what a tool does when it is told to stop (SIGINT, SIGTERM,
 * SIGHUP, and SIGPIPE: the reader of its output went away): it runs one cleanup function
 * (outfile's: remove the temporaries not yet committed), then dies of the same signal, so the shell
 * sees the status it expects (130 after Ctrl-C) and nothing half-written stays behind. A signal the
 * tool was started with ignored (nohup, a background job) stays ignored. */
#ifndef SENTIO_SIGNALS_H
#define SENTIO_SIGNALS_H

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>

/* Installs the handlers (once; later calls only replace the cleanup). The
 * cleanup must be async-signal-safe: it may run at any point of the main thread. */
void signals_on_stop(void (*cleanup)(void));

/* Hold the stop signals while the state the cleanup reads is being changed, then
 * release them (a signal that arrived meanwhile is delivered on release). */
void signals_hold(sigset_t *saved);
void signals_release(const sigset_t *saved);

/* Deferred stop, for a tool whose run must end 'failed' in the experiment store rather
 * than stay 'running' (man 5 sentio-store). While on, the first stop signal only records
 * itself: signals_stop_requested() returns it, the long loops that check it (nnfit's
 * batches, svmfit's grid) return an error, and the tool ends its run and calls
 * signals_stop_now(). A second stop signal ends the tool at once, as when off. */
void signals_defer_stop(bool on);
/* The deferred stop signal that arrived, or 0. */
int signals_stop_requested(void);
/* Runs the cleanup and dies of the signal signals_stop_requested() returns. */
_Noreturn void signals_stop_now(void);

/* pthread_create with every signal blocked in the new thread, so that signals
 * reach the main thread only and the hold above is enough. */
int signals_thread_create(pthread_t *tid, void *(*fn)(void *), void *arg);

#endif
