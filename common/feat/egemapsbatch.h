/* egemapsbatch.h - eGeMAPS v02 records for a list of clips (man 1 wav2egemaps):
 * one row of the 88 functionals per clip, or the 25 LLDs per 10 ms frame. */
#ifndef SENTIO_EGEMAPSBATCH_H
#define SENTIO_EGEMAPSBATCH_H

#include "stream/cliplist.h"

#include <stdbool.h>
#include <stdio.h>

typedef enum {
    EGEMAPS_OUT_FUNCTIONALS, /* one row of 88 per clip */
    EGEMAPS_OUT_EXTRA,       /* one row of the 88 and the extra functionals (feat/egextra.h) */
    EGEMAPS_OUT_LLD,         /* one row of 25 per 10 ms frame */
    EGEMAPS_OUT_DECODE       /* decode only, write nothing (benchmarks) */
} egemaps_output;

typedef struct {
    egemaps_output output;
    int jobs;        /* worker threads, >= 1 */
    bool keep_going; /* skip bad clips with a warning instead of stopping */
    FILE *skipped;   /* keep_going: a "KEY<TAB>why" line per skipped clip, or NULL */
} egemaps_batch_options;

/* The record metadata: "set=egemaps02 level=func|lld names=N1,N2,...", set=egemaps02+extra
 * for EGEMAPS_OUT_EXTRA. */
void egemaps_batch_meta(egemaps_output output, char *buf, size_t len);

/* As clip_batch_run (feat/clipbatch.h): records in input order, identical for
 * any number of jobs; CLI_EXIT_OK, CLI_EXIT_SKIPPED or CLI_EXIT_RUNTIME. */
int egemaps_batch_run(const egemaps_batch_options *o, const clip_list *clips, FILE *out,
                      const char *out_name);

#endif
