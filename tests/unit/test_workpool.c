/* The thread team: every task runs exactly once, on a member in range, in runs
 * after runs, whatever the number of threads and tasks. */
#include "base/workpool.h"
#include "unit.h"

#include <stdatomic.h>
#include <stdlib.h>

typedef struct {
    int threads;
    atomic_int *runs; /* per task */
    atomic_int bad_member;
} job;

static void count(void *ctx, int task, int member)
{
    job *j = ctx;
    atomic_fetch_add(&j->runs[task], 1);
    if (member < 0 || member >= j->threads)
        atomic_store(&j->bad_member, 1);
}

int main(void)
{
    enum { MAX_TASKS = 100 };
    static const int threads[] = {1, 2, 3, 8};
    for (size_t t = 0; t < sizeof threads / sizeof threads[0]; ++t) {
        workpool *p = workpool_new(threads[t]);
        job j = {threads[t], calloc(MAX_TASKS, sizeof(atomic_int)), 0};
        int ok = workpool_threads(p) == threads[t];
        for (int run = 0; run < 200; ++run) {
            int n = run % MAX_TASKS; /* 0, 1, ... tasks */
            for (int i = 0; i < MAX_TASKS; ++i)
                atomic_store(&j.runs[i], 0);
            workpool_run(p, n, count, &j);
            for (int i = 0; i < MAX_TASKS; ++i)
                ok &= atomic_load(&j.runs[i]) == (i < n);
        }
        char what[96];
        snprintf(what, sizeof what, "%d thread(s): 200 runs of 0..99 tasks, each task once",
                 threads[t]);
        CHECK(ok && !atomic_load(&j.bad_member), what);
        workpool_free(p);
        free(j.runs);
    }
    workpool_free(NULL);
    return unit_done();
}
