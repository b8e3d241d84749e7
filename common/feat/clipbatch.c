#include "feat/clipbatch.h"

#include "base/cli.h"
#include "base/err.h"
#include "base/signals.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* One clip's result, filled by a worker and written by the main thread. */
typedef struct {
    bool done;
    int rc; /* process's return */
    char err[SENTIO_ERR_LEN];
    feat_record rec;
} result_slot;

typedef struct {
    const clip_batch *b;
    const clip_list *clips;
    result_slot *slots;
    size_t window; /* slots in the ring: clip i uses slots[i % window] */
    void **workers;
    int next_worker;
    pthread_mutex_t lock;
    pthread_cond_t slot_free, slot_done;
    size_t next;    /* next clip to hand to a worker */
    size_t written; /* clips the main thread has finished with */
    bool stop;
} batch;

static void process_clip(batch *bt, void *worker, size_t i, result_slot *s)
{
    s->err[0] = '\0';
    s->rc =
        bt->b->process(bt->b->ctx, worker, &bt->clips->items[i], &s->rec, s->err, sizeof s->err);
}

static void *worker_main(void *arg)
{
    batch *bt = arg;
    pthread_mutex_lock(&bt->lock);
    void *worker = bt->workers[bt->next_worker++];
    for (;;) {
        while (!bt->stop && bt->next < bt->clips->n && bt->next >= bt->written + bt->window)
            pthread_cond_wait(&bt->slot_free, &bt->lock);
        if (bt->stop || bt->next >= bt->clips->n)
            break;
        size_t i = bt->next++;
        result_slot *s = &bt->slots[i % bt->window];
        pthread_mutex_unlock(&bt->lock);
        process_clip(bt, worker, i, s);
        pthread_mutex_lock(&bt->lock);
        s->done = true;
        pthread_cond_broadcast(&bt->slot_done);
    }
    pthread_mutex_unlock(&bt->lock);
    return NULL;
}

/* Writes or reports slot s of clip i. Returns 0 to go on, CLI_EXIT_RUNTIME to stop. */
static int finish_clip(const batch *bt, size_t i, result_slot *s, FILE *out, const char *out_name,
                       size_t *skipped)
{
    const clip_entry *e = &bt->clips->items[i];
    if (s->rc < 0) {
        if (!bt->b->keep_going) {
            cli_error(e->path, "%s", s->err);
            return CLI_EXIT_RUNTIME;
        }
        cli_warn(e->path, "%s; skipped", s->err);
        ++*skipped;
        return 0;
    }
    if (s->rc > 0 && (feat_write(out, &s->rec) != 0 || fflush(out) != 0)) {
        cli_error(out_name, "write error: %s", strerror(errno));
        return CLI_EXIT_RUNTIME;
    }
    return 0;
}

int clip_batch_label(feat_record *rec, const clip_entry *e, const char *meta, char *err,
                     size_t errlen)
{
    feat_record_set(rec, e->key, e->label, meta, 0, 0, NULL);
    const char *bad = feat_record_check(rec);
    if (bad) {
        return err_set(err, errlen, "cannot be a record key: %s", bad);
    }
    return 0;
}

int clip_batch_run(const clip_batch *b, const clip_list *clips, FILE *out, const char *out_name)
{
    batch bt = {.b = b, .clips = clips};
    int jobs = b->jobs < 1 ? 1 : b->jobs;
    if ((size_t)jobs > clips->n)
        jobs = clips->n ? (int)clips->n : 1;
    bt.window = 2 * (size_t)jobs;
    bt.slots = cli_xcalloc(bt.window, sizeof *bt.slots);
    bt.workers = cli_xcalloc((size_t)jobs, sizeof *bt.workers);
    for (int t = 0; t < jobs; t++)
        bt.workers[t] = b->worker_new(b->ctx);
    size_t skipped = 0;
    int status = 0;
    if (jobs == 1) {
        for (size_t i = 0; i < clips->n && !status; i++) {
            process_clip(&bt, bt.workers[0], i, &bt.slots[0]);
            status = finish_clip(&bt, i, &bt.slots[0], out, out_name, &skipped);
            cli_progress(i + 1, clips->n, "clips");
        }
    } else {
        pthread_mutex_init(&bt.lock, NULL);
        pthread_cond_init(&bt.slot_free, NULL);
        pthread_cond_init(&bt.slot_done, NULL);
        pthread_t *threads = cli_xmalloc((size_t)jobs * sizeof *threads);
        int started = 0;
        for (; started < jobs; started++)
            if (signals_thread_create(&threads[started], worker_main, &bt) != 0)
                break;
        if (started == 0)
            cli_fail(NULL, "cannot start worker threads");
        for (size_t i = 0; i < clips->n && !status; i++) {
            result_slot *s = &bt.slots[i % bt.window];
            pthread_mutex_lock(&bt.lock);
            while (!s->done)
                pthread_cond_wait(&bt.slot_done, &bt.lock);
            pthread_mutex_unlock(&bt.lock);
            status = finish_clip(&bt, i, s, out, out_name, &skipped);
            cli_progress(i + 1, clips->n, "clips");
            pthread_mutex_lock(&bt.lock);
            s->done = false;
            bt.written = i + 1;
            if (status)
                bt.stop = true;
            pthread_cond_broadcast(&bt.slot_free);
            pthread_mutex_unlock(&bt.lock);
        }
        for (int t = 0; t < started; t++)
            pthread_join(threads[t], NULL);
        free(threads);
        pthread_cond_destroy(&bt.slot_free);
        pthread_cond_destroy(&bt.slot_done);
        pthread_mutex_destroy(&bt.lock);
    }
    for (int t = 0; t < jobs; t++)
        b->worker_free(bt.workers[t]);
    free(bt.workers);
    for (size_t i = 0; i < bt.window; i++)
        feat_record_free(&bt.slots[i].rec);
    free(bt.slots);
    if (status)
        return status;
    return skipped ? CLI_EXIT_SKIPPED : CLI_EXIT_OK;
}
