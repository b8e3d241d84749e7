#include "feat/mfccbatch.h"

#include "base/cli.h"
#include "base/err.h"
#include "dsp/audio.h"
#include "feat/clipbatch.h"
#include "stream/featstream.h"

#include <stdlib.h>
#include <string.h>

/* What one thread needs; made once, reused for every clip. */
typedef struct {
    audio_loader *loader;
    mfcc_extractor *mfcc;
} worker_state;

static void *worker_new(void *ctx)
{
    const mfcc_batch_options *o = ctx;
    worker_state *w = cli_xmalloc(sizeof *w);
    w->loader = audio_loader_new();
    w->mfcc = mfcc_extractor_new(&o->mfcc);
    return w;
}

static void worker_free(void *p)
{
    worker_state *w = p;
    if (!w)
        return;
    audio_loader_free(w->loader);
    mfcc_extractor_free(w->mfcc);
    free(w);
}

static int process_clip(void *ctx, void *p, const clip_entry *e, feat_record *rec, char *err,
                        size_t errlen)
{
    const mfcc_batch_options *o = ctx;
    worker_state *w = p;
    audio_clip clip;
    if (audio_loader_load(w->loader, e->path, o->sr, &clip, err, errlen) != 0)
        return -1;
    if (o->stage == MFCC_STAGE_DECODE)
        return 0;
    size_t frames;
    const float *pooled =
        mfcc_extractor_pooled(w->mfcc, clip.samples, clip.n, clip.sr, &frames, err, errlen);
    if (!pooled)
        return -1;
    size_t rows = mfcc_pool_rows(o->mfcc.pool, frames);
    size_t cols = mfcc_pool_cols(o->mfcc.pool, o->mfcc.n_mfcc);
    if (rows > FEAT_MAX_ROWS || rows * cols > FEAT_MAX_VALUES) {
        return err_set(err, errlen, "%zu frames is too many for one record (try --pool mean)",
                       frames);
    }
    char meta[256];
    mfcc_config_meta(&o->mfcc, o->sr > 0 ? NULL : "native", clip.sr, meta, sizeof meta);
    if (clip_batch_label(rec, e, meta, err, errlen) != 0)
        return -1;
    float *dst = feat_record_resize(rec, (uint32_t)rows, (uint32_t)cols);
    memcpy(dst, pooled, rows * cols * sizeof *dst);
    return 1;
}

int mfcc_batch_run(const mfcc_batch_options *o, const clip_list *clips, FILE *out,
                   const char *out_name)
{
    clip_batch b = {.worker_new = worker_new,
                    .worker_free = worker_free,
                    .process = process_clip,
                    .ctx = (void *)o,
                    .jobs = o->jobs,
                    .keep_going = o->keep_going};
    return clip_batch_run(&b, clips, out, out_name);
}
