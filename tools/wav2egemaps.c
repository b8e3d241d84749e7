/* wav2egemaps - audio clips to eGeMAPS v02 feature records (man 1 wav2egemaps). */
#include "base/cli.h"
#include "base/opts.h"
#include "feat/clipcli.h"
#include "feat/egemapsbatch.h"

static egemaps_batch_options opt = {.output = EGEMAPS_OUT_FUNCTIONALS};
static clipcli io = CLIPCLI_INIT;
static bool lld, extra;
static int stage; /* 0 all, 1 decode */

static opts_entry options[] = {
    CLIPCLI_INPUT_OPTIONS(io),
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
    CLIPCLI_RUNNING_OPTIONS(io),
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
             "       wav2egemaps [options] --scp wav.scp [--scp-pipes] > FEATURES\n"
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
              "  wav2egemaps --scp data/train/wav.scp --scp-pipes -o train.feat\n"
              "\n"
              "See also: wav2mfcc(1), featdump(1), featstream(5), nnfit(1)\n",
};

int main(int argc, char **argv)
{
    cli_init(argv[0]);
    int first = opts_parse(&spec, argc, argv);
    opt.output = stage == 1 ? EGEMAPS_OUT_DECODE
                 : lld      ? EGEMAPS_OUT_LLD
                 : extra    ? EGEMAPS_OUT_EXTRA
                            : EGEMAPS_OUT_FUNCTIONALS;

    clipcli_begin(&io, argc - first, argv + first, opt.output != EGEMAPS_OUT_DECODE);
    opt.jobs = io.jobs;
    opt.keep_going = io.keep_going;
    opt.skipped = clipcli_skipped(&io);
    return clipcli_end(&io, egemaps_batch_run(&opt, &io.clips, io.out.fp, outfile_name(&io.out)));
}
