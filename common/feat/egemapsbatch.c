#include "feat/egemapsbatch.h"

#include "base/cli.h"
#include "base/err.h"
#include "dsp/audio.h"
#include "feat/clipbatch.h"
#include "feat/egemaps.h"
#include "feat/egextra.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    audio_loader *loader;
    egemaps *extractor;
} worker;

typedef struct {
    const egemaps_batch_options *opt;
    char meta[4096];
} context;

void egemaps_batch_meta(egemaps_output output, char *buf, size_t len)
{
    bool lld = output == EGEMAPS_OUT_LLD, extra = output == EGEMAPS_OUT_EXTRA;
    int n = lld ? EGEMAPS_NLLD : EGEMAPS_NFUNC + (extra ? egextra_count() : 0);
    size_t used =
        (size_t)snprintf(buf, len, "set=%s level=%s names=", extra ? EGEXTRA_SET : EGEMAPS_SET,
                         lld ? "lld" : "func");
    for (int i = 0; i < n && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? "," : "",
                                 lld                 ? egemaps_lld_name(i)
                                 : i < EGEMAPS_NFUNC ? egemaps_func_name(i)
                                                     : egextra_name(i - EGEMAPS_NFUNC));
}

static void *worker_new(void *ctx)
{
    (void)ctx;
    worker *w = cli_xmalloc(sizeof *w);
    w->loader = audio_loader_new();
    w->extractor = egemaps_new();
    return w;
}

static void worker_free(void *p)
{
    worker *w = p;
    if (!w)
        return;
    audio_loader_free(w->loader);
    egemaps_free(w->extractor);
    free(w);
}

static int process(void *ctx, void *p, const clip_entry *e, feat_record *rec, char *err,
                   size_t errlen)
{
    const context *c = ctx;
    worker *w = p;
    audio_clip clip;
    if ((e->command ? audio_loader_load_command(w->loader, e->path, 0, &clip, err, errlen)
                    : audio_loader_load(w->loader, e->path, 0, &clip, err, errlen)) != 0)
        return -1;
    if (c->opt->output == EGEMAPS_OUT_DECODE)
        return 0;
    if (clip_batch_label(rec, e, c->meta, err, errlen) != 0)
        return -1;
    if (c->opt->output == EGEMAPS_OUT_EXTRA) {
        float *dst = feat_record_resize(rec, 1, (uint32_t)(EGEMAPS_NFUNC + egextra_count()));
        return egemaps_functionals_extra(w->extractor, clip.samples, clip.n, clip.sr, dst, err,
                                         errlen) == 0
                   ? 1
                   : -1;
    }
    if (c->opt->output == EGEMAPS_OUT_FUNCTIONALS) {
        float *dst = feat_record_resize(rec, 1, EGEMAPS_NFUNC);
        return egemaps_functionals(w->extractor, clip.samples, clip.n, clip.sr, dst, err, errlen) ==
                       0
                   ? 1
                   : -1;
    }
    size_t rows;
    const float *lld =
        egemaps_llds(w->extractor, clip.samples, clip.n, clip.sr, &rows, err, errlen);
    if (!lld)
        return -1;
    if (rows > FEAT_MAX_ROWS || rows * EGEMAPS_NLLD > FEAT_MAX_VALUES) {
        return err_set(err, errlen, "%zu frames is too many for one record", rows);
    }
    float *dst = feat_record_resize(rec, (uint32_t)rows, EGEMAPS_NLLD);
    if (rows)
        memcpy(dst, lld, rows * EGEMAPS_NLLD * sizeof *dst);
    return 1;
}

int egemaps_batch_run(const egemaps_batch_options *o, const clip_list *clips, FILE *out,
                      const char *out_name)
{
    context c = {.opt = o};
    egemaps_batch_meta(o->output, c.meta, sizeof c.meta);
    clip_batch b = {.worker_new = worker_new,
                    .worker_free = worker_free,
                    .process = process,
                    .ctx = &c,
                    .jobs = o->jobs,
                    .keep_going = o->keep_going,
                    .skipped = o->skipped};
    return clip_batch_run(&b, clips, out, out_name);
}
