/* clipcli.h - the command line every audio extractor shares (wav2mfcc, wav2egemaps):
 * where the clips come from (--csv, --dir, --list, --scp, --scp-pipes, operands or
 * stdin) and how the batch runs (-j, --keep-going, --skipped-list, --quiet, -o), as
 * rows of the tool's option table (base/opts.h). In a tool:
 *     static clipcli io = CLIPCLI_INIT;
 *     static opts_entry options[] = { CLIPCLI_INPUT_OPTIONS(io), ...,
 *                                     CLIPCLI_RUNNING_OPTIONS(io), ..., OPTS_END };
 * then, after opts_parse:
 *     clipcli_begin(&io, argc - first, argv + first, writes);
 *     status = ..._batch_run(..., &io.clips, io.out.fp, outfile_name(&io.out));
 *     return clipcli_end(&io, status);
 * The batch's jobs, keep_going and skipped come from io.jobs, io.keep_going and
 * clipcli_skipped(&io). */
#ifndef SENTIO_CLIPCLI_H
#define SENTIO_CLIPCLI_H

#include "base/opts.h"
#include "base/outfile.h"
#include "stream/cliplist.h"

#include <stdbool.h>
#include <stdio.h>

typedef struct {
    /* the options */
    const char *csv, *dir, *list, *scp, *skipped_list, *output;
    bool scp_pipes, keep_going, quiet;
    int jobs;
    /* between clipcli_begin and clipcli_end */
    clip_list clips;
    outfile out, skipped;
} clipcli;

#define CLIPCLI_INIT \
    {                \
        .jobs = 1    \
    }

#define CLIPCLI_INPUT_OPTIONS(c)                                                         \
    OPTS_SECTION("Inputs"),                                                              \
        {.name = "csv",                                                                  \
         .type = OPTS_FILE,                                                              \
         .dest = &(c).csv,                                                               \
         .help = "Kaggle-style CSV with a Filename,Class header"},                       \
        {.name = "dir",                                                                  \
         .type = OPTS_FILE,                                                              \
         .dest = &(c).dir,                                                               \
         .arg = "DIR",                                                                   \
         .def = "FILE without its extension",                                            \
         .needs = "csv",                                                                 \
         .help = "folder of the CSV's files"},                                           \
        {.name = "list",                                                                 \
         .type = OPTS_FILE,                                                              \
         .dest = &(c).list,                                                              \
         .help = "lines of PATH or PATH<TAB>LABEL; '-' = stdin"},                        \
        {.name = "scp",                                                                  \
         .type = OPTS_FILE,                                                              \
         .dest = &(c).scp,                                                               \
         .help = "Kaldi wav.scp: lines of UTT-ID PATH (keys are the ids); '-' = stdin"}, \
    {                                                                                    \
        .name = "scp-pipes", .type = OPTS_FLAG, .dest = &(c).scp_pipes, .needs = "scp",  \
        .help = "run --scp entries that are commands ('CMD |') with the shell (sh -c)"   \
    }

#define CLIPCLI_RUNNING_OPTIONS(c)                                                                 \
    OPTS_SECTION("Running"),                                                                       \
        {.name = "jobs",                                                                           \
         .short_name = 'j',                                                                        \
         .type = OPTS_INT,                                                                         \
         .dest = &(c).jobs,                                                                        \
         .lo = 1,                                                                                  \
         .hi = 256,                                                                                \
         .help = "worker threads; output identical for any N"},                                    \
        {.name = "keep-going",                                                                     \
         .type = OPTS_FLAG,                                                                        \
         .dest = &(c).keep_going,                                                                  \
         .help = "skip a bad clip with a warning; exit 3 at the end if any was skipped"},          \
        {.name = "skipped-list",                                                                   \
         .type = OPTS_FILE,                                                                        \
         .dest = &(c).skipped_list,                                                                \
         .needs = "keep-going",                                                                    \
         .help = "with --keep-going: write KEY<TAB>reason for each skipped clip (empty if none)"}, \
        {.name = "quiet",                                                                          \
         .short_name = 'q',                                                                        \
         .type = OPTS_FLAG,                                                                        \
         .dest = &(c).quiet,                                                                       \
         .help = "no progress counter (shown on stderr only when it is a terminal)"},              \
    {                                                                                              \
        .name = "output", .short_name = 'o', .type = OPTS_FILE, .dest = &(c).output,               \
        .def = "stdout", .help = "write FILE (atomically) instead of stdout"                       \
    }

/* After opts_parse: turns the progress counter off for --quiet; gathers the clips in
 * order (the --scp entries, the rows of --csv, the lines of --list, then the files
 * given; stdin alone when there are none, --scp aside); opens -o (refusing a
 * terminal when writes) and --skipped-list. A bad list is a runtime error naming it,
 * stdin asked for twice a usage error: both exit through base/cli.h. */
void clipcli_begin(clipcli *c, int nfiles, char **files, bool writes);

/* Where the batch lists the clips it skipped: the --skipped-list file, or NULL. */
FILE *clipcli_skipped(const clipcli *c);

/* Installs the outputs unless status is CLI_EXIT_RUNTIME (then drops them), frees the
 * clips, and returns the tool's exit status (CLI_EXIT_RUNTIME when an output cannot
 * be written, after saying so). */
int clipcli_end(clipcli *c, int status);

#endif
