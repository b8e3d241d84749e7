/* mfccbatch.h - MFCC records for a list of clips, in input order, with
 * optional worker threads (the output does not depend on their number). */
#ifndef SENTIO_MFCCBATCH_H
#define SENTIO_MFCCBATCH_H

#include "dsp/mfcc.h"
#include "stream/cliplist.h"

#include <stdbool.h>
#include <stdio.h>

typedef enum {
    MFCC_STAGE_ALL,   /* decode, resample, MFCC, write records */
    MFCC_STAGE_DECODE /* decode and resample only, write nothing (benchmarks) */
} mfcc_stage;

typedef struct {
    mfcc_config mfcc;
    double sr;       /* resample every clip to this rate; 0 = keep each file's rate */
    int jobs;        /* worker threads, >= 1 */
    bool keep_going; /* skip bad clips with a warning instead of stopping */
    FILE *skipped;   /* keep_going: a "KEY<TAB>why" line per skipped clip, or NULL */
    mfcc_stage stage;
} mfcc_batch_options;

/* Writes one feature record per clip to out, flushing after each, so that
 * when a clip fails every record before it is complete. Errors and warnings
 * go to stderr as "tool: PATH: what". Returns CLI_EXIT_OK, CLI_EXIT_SKIPPED
 * (keep_going and some clips were skipped) or CLI_EXIT_RUNTIME (a clip or the
 * output failed; nothing after it was written). */
int mfcc_batch_run(const mfcc_batch_options *o, const clip_list *clips, FILE *out,
                   const char *out_name);

#endif
