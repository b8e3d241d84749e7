/* clipbatch.h - one feature record per audio clip, in input order, with
 * optional worker threads: the output does not depend on their number. The
 * per-clip work is the caller's (a callback); this module keeps the order,
 * the error contract and the --keep-going accounting. */
#ifndef SENTIO_CLIPBATCH_H
#define SENTIO_CLIPBATCH_H

#include "stream/cliplist.h"
#include "stream/featstream.h"

#include <stdbool.h>
#include <stdio.h>

typedef struct {
    /* Per-thread state, made in the calling thread before any work starts (so
     * FFT planning never races) and freed at the end. */
    void *(*worker_new)(void *ctx);
    void (*worker_free)(void *worker);
    /* Fills rec (key, label, metadata and values; see clip_batch_label) for
     * clip e. Returns 1 for a record, 0 for none (e.g. decode-only runs), -1
     * with err set (without the path). Runs in worker threads. */
    int (*process)(void *ctx, void *worker, const clip_entry *e, feat_record *rec, char *err,
                   size_t errlen);
    void *ctx;
    int jobs;        /* worker threads, >= 1 */
    bool keep_going; /* skip bad clips with a warning instead of stopping */
} clip_batch;

/* Writes one record per clip to out, flushing after each, so that when a clip
 * fails every record before it is complete. Errors and warnings go to stderr as
 * "tool: PATH: what". Returns CLI_EXIT_OK, CLI_EXIT_SKIPPED (keep_going and some
 * clips were skipped) or CLI_EXIT_RUNTIME (a clip or the output failed; nothing
 * after it was written). */
int clip_batch_run(const clip_batch *b, const clip_list *clips, FILE *out, const char *out_name);

/* Sets rec's key, label and metadata from e and meta and checks them; 0, or -1
 * with err set. For process callbacks. */
int clip_batch_label(feat_record *rec, const clip_entry *e, const char *meta, char *err,
                     size_t errlen);

#endif
