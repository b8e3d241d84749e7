#include "base/workpool.h"

#include "base/cli.h"
#include "base/signals.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

/* Runs come in quick succession (a training batch is tens of microseconds), and
 * waking a thread from a condition variable costs about as much: waiters spin
 * for a while first, then sleep. Not with more threads than CPUs online, where a
 * spinning thread holds the CPU that the one it waits for needs. */
#define SPINS 4000

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

struct workpool {
    int threads;
    int spins; /* SPINS, or 0 when the threads outnumber the CPUs */
    pthread_t *tid;
    pthread_mutex_t lock;
    pthread_cond_t start, done;
    atomic_ulong generation; /* one per run; members wait for it to change */
    atomic_int stop;
    atomic_int busy; /* members other than 0 still working on this run */
    /* The current run: written before generation is advanced. */
    workpool_fn fn;
    void *ctx;
    int n_tasks;
    atomic_int next; /* the next task to take */
};

typedef struct {
    workpool *pool;
    int member;
} member_arg;

static void take_tasks(workpool *p, int member)
{
    int task;
    while ((task = atomic_fetch_add_explicit(&p->next, 1, memory_order_relaxed)) < p->n_tasks)
        p->fn(p->ctx, task, member);
}

static int run_started(workpool *p, unsigned long seen)
{
    return atomic_load_explicit(&p->generation, memory_order_acquire) != seen ||
           atomic_load_explicit(&p->stop, memory_order_acquire);
}

static void *member_main(void *arg)
{
    member_arg a = *(member_arg *)arg;
    free(arg);
    workpool *p = a.pool;
    unsigned long seen = 0;
    for (;;) {
        for (int i = 0; i < p->spins && !run_started(p, seen); ++i)
            cpu_relax();
        if (!run_started(p, seen)) {
            pthread_mutex_lock(&p->lock);
            while (!run_started(p, seen))
                pthread_cond_wait(&p->start, &p->lock);
            pthread_mutex_unlock(&p->lock);
        }
        if (atomic_load_explicit(&p->stop, memory_order_acquire))
            return NULL;
        seen = atomic_load_explicit(&p->generation, memory_order_acquire);
        take_tasks(p, a.member);
        if (atomic_fetch_sub_explicit(&p->busy, 1, memory_order_acq_rel) == 1) {
            pthread_mutex_lock(&p->lock);
            pthread_cond_signal(&p->done);
            pthread_mutex_unlock(&p->lock);
        }
    }
}

workpool *workpool_new(int threads)
{
    workpool *p = cli_xcalloc(1, sizeof *p);
    p->threads = threads < 1 ? 1 : threads;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    p->spins = cpus > 0 && p->threads > cpus ? 0 : SPINS;
    atomic_init(&p->generation, 0);
    atomic_init(&p->stop, 0);
    atomic_init(&p->busy, 0);
    atomic_init(&p->next, 0);
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->start, NULL);
    pthread_cond_init(&p->done, NULL);
    p->tid = cli_xcalloc((size_t)p->threads, sizeof *p->tid);
    for (int i = 1; i < p->threads; ++i) {
        member_arg *a = cli_xmalloc(sizeof *a);
        *a = (member_arg){p, i};
        if (signals_thread_create(&p->tid[i], member_main, a) != 0)
            cli_fail(NULL, "cannot start worker thread %d of %d", i + 1, p->threads);
    }
    return p;
}

int workpool_threads(const workpool *p) { return p->threads; }

void workpool_run(workpool *p, int n_tasks, workpool_fn fn, void *ctx)
{
    if (p->threads == 1 || n_tasks <= 1) {
        for (int t = 0; t < n_tasks; ++t)
            fn(ctx, t, 0);
        return;
    }
    p->fn = fn;
    p->ctx = ctx;
    p->n_tasks = n_tasks;
    atomic_store_explicit(&p->next, 0, memory_order_relaxed);
    atomic_store_explicit(&p->busy, p->threads - 1, memory_order_relaxed);
    /* Advanced under the lock, so that a member about to sleep cannot miss it. */
    pthread_mutex_lock(&p->lock);
    atomic_fetch_add_explicit(&p->generation, 1, memory_order_release);
    pthread_cond_broadcast(&p->start);
    pthread_mutex_unlock(&p->lock);
    take_tasks(p, 0);
    for (int i = 0; i < p->spins && atomic_load_explicit(&p->busy, memory_order_acquire) > 0; ++i)
        cpu_relax();
    if (atomic_load_explicit(&p->busy, memory_order_acquire) > 0) {
        pthread_mutex_lock(&p->lock);
        while (atomic_load_explicit(&p->busy, memory_order_acquire) > 0)
            pthread_cond_wait(&p->done, &p->lock);
        pthread_mutex_unlock(&p->lock);
    }
}

void workpool_free(workpool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    atomic_store_explicit(&p->stop, 1, memory_order_release);
    pthread_cond_broadcast(&p->start);
    pthread_mutex_unlock(&p->lock);
    for (int i = 1; i < p->threads; ++i)
        pthread_join(p->tid[i], NULL);
    pthread_cond_destroy(&p->start);
    pthread_cond_destroy(&p->done);
    pthread_mutex_destroy(&p->lock);
    free(p->tid);
    free(p);
}
