/* wav2egemaps - audio clips to eGeMAPS v02 feature records (man 1 wav2egemaps). */
#include "base/cli.h"
#include "base/opts.h"
#include "base/outfile.h"
#include "feat/egemapsbatch.h"
#include "stream/cliplist.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static egemaps_batch_options opt = {.output = EGEMAPS_OUT_FUNCTIONALS, .jobs = 1};
static const char *output, *csv, *dir, *list;
static bool lld, extra;
static int stage; /* 0 all, 1 decode */

static opts_entry options[] = {
    OPTS_SECTION("Inputs"),
    {.name = "csv",
     .type = OPTS_FILE,
     .dest = &csv,
     .help = "Kaggle-style CSV with a Filename,Class header"},
    {.name = "dir",
     .type = OPTS_FILE,
     .dest = &dir,
     .arg = "DIR",
     .def = "FILE without its extension",
     .help = "folder of the CSV's files"},
    {.name = "list",
     .type = OPTS_FILE,
     .dest = &list,
     .help = "lines of PATH or PATH<TAB>LABEL; '-' = stdin"},
    OPTS_SECTION("Features"),
    {.name = "lld",
     .type = OPTS_FLAG,
     .dest = &lld,
     .help = "write the 25 low-level descriptors, one row per 10 ms frame, instead of the 88 "
             "functionals"},
    {.name = "extra",
     .type = OPTS_FLAG,
     .dest = &extra,
     .excludes = "lld",
     .help = "append 28 functionals eGeMAPS leaves out (formants as LPC poles, speech "
             "rhythm) to the 88; set=egemaps02+extra"},
    OPTS_SECTION("Running"),
    {.name = "jobs",
     .short_name = 'j',
     .type = OPTS_INT,
     .dest = &opt.jobs,
     .lo = 1,
     .hi = 256,
     .help = "worker threads; output identical for any N"},
    {.name = "keep-going",
     .type = OPTS_FLAG,
     .dest = &opt.keep_going,
     .help = "skip a bad clip with a warning; exit 3 at the end if any was skipped"},
    {.name = "output",
     .short_name = 'o',
     .type = OPTS_FILE,
     .dest = &output,
     .def = "stdout",
     .help = "write FILE (atomically) instead of stdout"},
    {.name = "stage",
     .type = OPTS_CHOICE,
     .dest = &stage,
     .arg = "S",
     .choices = "all|decode",
     .help = "all, or decode: decode only, write nothing (for benchmarks)"},
    OPTS_END,
};

static const opts_spec spec = {
    .usage = "Usage: wav2egemaps [options] [AUDIO ...] > FEATURES\n"
             "       wav2egemaps [options] --csv TRAIN.csv [--dir DIR] > FEATURES\n"
             "       wav2egemaps [options] --list FILE > FEATURES\n"
             "Compute the eGeMAPS v02 acoustic parameters of audio clips (any format\n"
             "libsndfile reads; channels averaged to mono; at the file's own rate) as\n"
             "openSMILE's eGeMAPSv02.conf defines them, and write one feature record per\n"
             "clip, in input order (man 5 featstream): the 88 functionals as one row, or\n"
             "with --lld the 25 descriptors per 10 ms frame. Record metadata names the set\n"
             "(set=egemaps02) and the columns. Reads audio from stdin when no input is given.\n"
             "\n",
    .options = options,
    .footer = "Exit status: 0 success, 1 error, 2 usage error, 3 clips skipped (--keep-going).\n"
              "\n"
              "Examples:\n"
              "  wav2egemaps --csv TRAIN.csv | featdump --info\n"
              "  wav2egemaps --csv data/TRAIN.csv -j 2 -o train.feat\n"
              "  wav2egemaps clip.wav | featdump --csv --header\n"
              "  wav2egemaps --lld clip.flac | featdump\n"
              "\n"
              "See also: wav2mfcc(1), featdump(1), featstream(5), nnfit(1)\n",
};

int main(int argc, char **argv)
{
    cli_init(argv[0]);
    int first = opts_parse(&spec, argc, argv);
    if (dir && !csv)
        cli_usage_error("--dir needs --csv");
    opt.output = stage == 1 ? EGEMAPS_OUT_DECODE
                 : lld      ? EGEMAPS_OUT_LLD
                 : extra    ? EGEMAPS_OUT_EXTRA
                            : EGEMAPS_OUT_FUNCTIONALS;

    clip_list clips = {0};
    clip_list_gather(&clips, csv, dir, list, argc - first, argv + first);

    outfile out;
    if (outfile_open(&out, output) != 0)
        cli_fail(output, "cannot create: %s", strerror(errno));
    outfile_refuse_terminal(&out);
    int status = egemaps_batch_run(&opt, &clips, out.fp, outfile_name(&out));
    if (status == CLI_EXIT_RUNTIME) {
        outfile_abort(&out);
    } else if (outfile_commit(&out) != 0) {
        cli_error(outfile_name(&out), "write error: %s", strerror(errno));
        status = CLI_EXIT_RUNTIME;
    }
    clip_list_free(&clips);
    return status;
}
