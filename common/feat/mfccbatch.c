#include "feat/mfccbatch.h"

#include "dsp/audio.h"
#include "base/cli.h"
#include "base/err.h"
#include "stream/featstream.h"
#include "base/signals.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* One clip's result, filled by a worker and written by the main thread. */
typedef struct {
    bool done;
    bool has_record;
    int rc;
    double source_sr; /* the clip's own rate */
    char err[SENTIO_ERR_LEN];
    feat_record rec;
} result_slot;

/* What one thread needs; made once, reused for every clip. */
typedef struct {
    audio_loader *loader;
    mfcc_extractor *mfcc;
} worker_state;

typedef struct {
    const mfcc_batch_options *opt;
    const clip_list *clips;
    result_slot *slots;
    size_t window; /* slots in the ring: clip i uses slots[i % window] */
    pthread_mutex_t lock;
    pthread_cond_t slot_free, slot_done;
    size_t next;    /* next clip to hand to a worker */
    size_t written; /* clips the main thread has finished with */
    bool stop;
    bool warned_upsampled; /* the empty-bands warning is given once */
} batch;

static void process_clip(const batch *b, worker_state *w, size_t i, result_slot *s)
{
    const mfcc_batch_options *o = b->opt;
    const clip_entry *e = &b->clips->items[i];
    s->rc = 0;
    s->has_record = false;
    s->source_sr = 0;
    audio_clip clip;
    if ((e->command ? audio_loader_load_command(w->loader, e->path, o->sr, &clip, s->err, sizeof s->err)
                    : audio_loader_load(w->loader, e->path, o->sr, &clip, s->err, sizeof s->err)) != 0) {
        s->rc = -1;
        return;
    }
    s->source_sr = clip.source_sr;
    if (o->stage == MFCC_STAGE_DECODE)
        return;
    size_t frames;
    const float *pooled = mfcc_extractor_pooled(w->mfcc, clip.samples, clip.n, clip.sr, &frames,
                                                s->err, sizeof s->err);
    if (!pooled) {
        s->rc = -1;
        return;
    }
    size_t rows = mfcc_pool_rows(o->mfcc.pool, frames);
    size_t cols = mfcc_pool_cols(o->mfcc.pool, o->mfcc.n_mfcc);
    if (rows > FEAT_MAX_ROWS || rows * cols > FEAT_MAX_VALUES) {
        err_set(s->err, sizeof s->err, "%zu frames is too many for one record (try --pool mean)",
                 frames);
        s->rc = -1;
        return;
    }
    char meta[256];
    mfcc_config_meta(&o->mfcc, o->sr > 0 ? NULL : "native", clip.sr, meta, sizeof meta);
    feat_record_set(&s->rec, e->key, e->label, meta, 0, 0, NULL);
    const char *bad = feat_record_check(&s->rec);
    if (bad) {
        err_set(s->err, sizeof s->err, "cannot be a record key: %s", bad);
        s->rc = -1;
        return;
    }
    float *dst = feat_record_resize(&s->rec, (uint32_t)rows, (uint32_t)cols);
    memcpy(dst, pooled, rows * cols * sizeof *dst);
    s->has_record = true;
}

static void *worker_main(void *arg)
{
    batch *b = arg;
    worker_state w = {audio_loader_new(), mfcc_extractor_new(&b->opt->mfcc)};
    pthread_mutex_lock(&b->lock);
    for (;;) {
        while (!b->stop && b->next < b->clips->n && b->next >= b->written + b->window)
            pthread_cond_wait(&b->slot_free, &b->lock);
        if (b->stop || b->next >= b->clips->n)
            break;
        size_t i = b->next++;
        result_slot *s = &b->slots[i % b->window];
        pthread_mutex_unlock(&b->lock);
        process_clip(b, &w, i, s);
        pthread_mutex_lock(&b->lock);
        s->done = true;
        pthread_cond_broadcast(&b->slot_done);
    }
    pthread_mutex_unlock(&b->lock);
    audio_loader_free(w.loader);
    mfcc_extractor_free(w.mfcc);
    return NULL;
}

/* Telephone audio (8 kHz) upsampled to 22050 Hz, as librosa does, leaves the
 * mel bands above its Nyquist frequency empty: say so, once per run. */
static void warn_empty_bands(batch *b, const char *path, double source_sr)
{
    const mfcc_batch_options *o = b->opt;
    if (b->warned_upsampled || o->sr <= 0 || source_sr <= 0 || source_sr >= o->sr)
        return;
    int empty = mfcc_config_empty_bands(&o->mfcc, o->sr, source_sr);
    if (empty == 0)
        return;
    b->warned_upsampled = true;
    cli_warn(path,
             "%g Hz audio resampled to %g Hz: %d of the %d mel bands lie above its %g Hz "
             "Nyquist frequency and are empty (--sr %g keeps its rate; said once)",
             source_sr, o->sr, empty, o->mfcc.n_mels, source_sr / 2, source_sr);
}

/* Writes or reports slot s of clip i. Returns 0 to go on, CLI_EXIT_RUNTIME to stop. */
static int finish_clip(batch *b, size_t i, result_slot *s, FILE *out, const char *out_name,
                       size_t *skipped)
{
    const clip_entry *e = &b->clips->items[i];
    if (s->rc != 0) {
        if (!b->opt->keep_going) {
            cli_error(e->path, "%s", s->err);
            return CLI_EXIT_RUNTIME;
        }
        cli_warn(e->path, "%s; skipped", s->err);
        if (b->opt->skipped) {
            for (char *c = s->err; *c; c++) /* one line, two fields */
                if (*c == '\t' || *c == '\n' || *c == '\r')
                    *c = ' ';
            fprintf(b->opt->skipped, "%s\t%s\n", e->key, s->err);
        }
        ++*skipped;
        return 0;
    }
    warn_empty_bands(b, e->path, s->source_sr);
    if (s->has_record && (feat_write(out, &s->rec) != 0 || fflush(out) != 0)) {
        cli_error(out_name, "write error: %s", strerror(errno));
        return CLI_EXIT_RUNTIME;
    }
    return 0;
}

int mfcc_batch_run(const mfcc_batch_options *o, const clip_list *clips, FILE *out,
                   const char *out_name)
{
    batch b = {.opt = o, .clips = clips};
    int jobs = o->jobs < 1 ? 1 : o->jobs;
    if ((size_t)jobs > clips->n)
        jobs = clips->n ? (int)clips->n : 1;
    b.window = 2 * (size_t)jobs;
    b.slots = cli_xcalloc(b.window, sizeof *b.slots);
    size_t skipped = 0;
    int status = 0;
    if (jobs == 1) {
        worker_state w = {audio_loader_new(), mfcc_extractor_new(&o->mfcc)};
        for (size_t i = 0; i < clips->n && !status; i++) {
            process_clip(&b, &w, i, &b.slots[0]);
            status = finish_clip(&b, i, &b.slots[0], out, out_name, &skipped);
            cli_progress(i + 1, clips->n, "clips");
        }
        audio_loader_free(w.loader);
        mfcc_extractor_free(w.mfcc);
    } else {
        pthread_mutex_init(&b.lock, NULL);
        pthread_cond_init(&b.slot_free, NULL);
        pthread_cond_init(&b.slot_done, NULL);
        pthread_t *threads = cli_xmalloc((size_t)jobs * sizeof *threads);
        int started = 0;
        for (; started < jobs; started++)
            if (signals_thread_create(&threads[started], worker_main, &b) != 0)
                break;
        if (started == 0)
            cli_fail(NULL, "cannot start worker threads");
        for (size_t i = 0; i < clips->n && !status; i++) {
            result_slot *s = &b.slots[i % b.window];
            pthread_mutex_lock(&b.lock);
            while (!s->done)
                pthread_cond_wait(&b.slot_done, &b.lock);
            pthread_mutex_unlock(&b.lock);
            status = finish_clip(&b, i, s, out, out_name, &skipped);
            cli_progress(i + 1, clips->n, "clips");
            pthread_mutex_lock(&b.lock);
            s->done = false;
            b.written = i + 1;
            if (status)
                b.stop = true;
            pthread_cond_broadcast(&b.slot_free);
            pthread_mutex_unlock(&b.lock);
        }
        for (int t = 0; t < started; t++)
            pthread_join(threads[t], NULL);
        free(threads);
        pthread_cond_destroy(&b.slot_free);
        pthread_cond_destroy(&b.slot_done);
        pthread_mutex_destroy(&b.lock);
    }
    for (size_t i = 0; i < b.window; i++)
        feat_record_free(&b.slots[i].rec);
    free(b.slots);
    if (status)
        return status;
    return skipped ? CLI_EXIT_SKIPPED : CLI_EXIT_OK;
}
