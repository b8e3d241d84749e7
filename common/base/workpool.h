/* workpool.h - a fixed team of threads that runs numbered tasks. The caller's
 * thread is member 0 and works too; `threads - 1` more are started once and
 * kept, so a run costs a wake-up, not a thread start. Which member runs which
 * task is not fixed: a caller that wants results independent of the thread
 * count writes each task's result to the task's own slot and combines the slots
 * in task order afterwards. */
#ifndef SENTIO_WORKPOOL_H
#define SENTIO_WORKPOOL_H

typedef struct workpool workpool;

/* fn(ctx, task, member): member in 0..threads-1 (for per-thread work space). */
typedef void (*workpool_fn)(void *ctx, int task, int member);

/* threads >= 1 (1: no extra thread; runs are plain loops). Exits with an error
 * message if a thread cannot be started. */
workpool *workpool_new(int threads);
int workpool_threads(const workpool *p);
/* Runs fn for tasks 0..n_tasks-1 and returns when all have finished. */
void workpool_run(workpool *p, int n_tasks, workpool_fn fn, void *ctx);
void workpool_free(workpool *p);

#endif
