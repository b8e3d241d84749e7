/* wav2mfcc - audio clips to MFCC feature records (man 1 wav2mfcc). */
#include "base/cli.h"
#include "base/opts.h"
#include "base/outfile.h"
#include "dsp/audio.h"
#include "dsp/mfcc.h"
#include "feat/mfccbatch.h"
#include "stream/cliplist.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static mfcc_batch_options opt = {.sr = 22050, .jobs = 1, .stage = MFCC_STAGE_ALL};
static const char *output, *csv, *dir, *list, *skipped_list, *scp;
static bool quiet, scp_pipes;
/* --top-db none: no clipping (kept apart from any real threshold). */
#define TOP_DB_NONE (-1.0)

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
     .needs = "csv",
     .help = "folder of the CSV's files"},
    {.name = "list",
     .type = OPTS_FILE,
     .dest = &list,
     .help = "lines of PATH or PATH<TAB>LABEL; '-' = stdin"},
    {.name = "scp",
     .type = OPTS_FILE,
     .dest = &scp,
     .help = "Kaldi wav.scp: lines of UTT-ID PATH (keys are the ids); '-' = stdin"},
    {.name = "scp-pipes",
     .type = OPTS_FLAG,
     .dest = &scp_pipes,
     .needs = "scp",
     .help = "run --scp entries that are commands ('CMD |') with the shell (sh -c)"},
    OPTS_SECTION("Features (defaults are librosa.feature.mfcc's)"),
    {.name = "sr",
     .type = OPTS_REAL,
     .integer = true,
     .dest = &opt.sr,
     .arg = "RATE",
     .lo = 1,
     .hi = AUDIO_MAX_RATE,
     .special = "native",
     .special_value = 0,
     .help = "resample to RATE Hz, or 'native'"},
    {.name = "n-mfcc",
     .type = OPTS_INT,
     .dest = &opt.mfcc.n_mfcc,
     .lo = 1,
     .hi = 1024,
     .range = "1..n-mels",
     .help = "coefficients kept"},
    {.name = "n-fft",
     .type = OPTS_INT,
     .dest = &opt.mfcc.n_fft,
     .lo = 16,
     .hi = 65536,
     .help = "FFT length, samples"},
    {.name = "hop",
     .type = OPTS_INT,
     .dest = &opt.mfcc.hop,
     .lo = 1,
     .hi = 65536,
     .help = "hop between frames, samples"},
    {.name = "n-mels",
     .type = OPTS_INT,
     .dest = &opt.mfcc.n_mels,
     .lo = 1,
     .hi = 1024,
     .help = "mel filters"},
    {.name = "fmin",
     .type = OPTS_REAL,
     .dest = &opt.mfcc.fmin,
     .arg = "HZ",
     .lo = 0,
     .hi = AUDIO_MAX_RATE,
     .range = "0..fmax",
     .help = "lowest filter edge"},
    {.name = "fmax",
     .type = OPTS_REAL,
     .dest = &opt.mfcc.fmax,
     .arg = "HZ",
     .lo = 1e-3,
     .hi = AUDIO_MAX_RATE,
     .def = "sr/2",
     .range = "fmin..sr/2",
     .help = "highest filter edge"},
    {.name = "top-db",
     .type = OPTS_REAL,
     .dest = &opt.mfcc.top_db,
     .arg = "DB",
     .lo = 0,
     .hi = 1000,
     .special = "none",
     .special_value = TOP_DB_NONE,
     .help = "clip log-mel below the clip's maximum minus DB, or 'none'"},
    {.name = "pool",
     .type = OPTS_CHOICE,
     .dest = &opt.mfcc.pool,
     .arg = "P",
     .choices = "mean|meanstd|none",
     .help =
         "mean: one row; meanstd: mean then standard deviation (2*n-mfcc columns); none: one row "
         "per frame"},
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
    {.name = "skipped-list",
     .type = OPTS_FILE,
     .dest = &skipped_list,
     .needs = "keep-going",
     .help = "with --keep-going: write KEY<TAB>reason for each skipped clip (empty if none)"},
    {.name = "quiet",
     .short_name = 'q',
     .type = OPTS_FLAG,
     .dest = &quiet,
     .help = "no progress counter (shown on stderr only when it is a terminal)"},
    {.name = "output",
     .short_name = 'o',
     .type = OPTS_FILE,
     .dest = &output,
     .def = "stdout",
     .help = "write FILE (atomically) instead of stdout"},
    {.name = "stage",
     .type = OPTS_CHOICE,
     .dest = &opt.stage,
     .arg = "S",
     .choices = "all|decode",
     .help = "all, or decode: decode and resample only, write nothing (for benchmarks)"},
    OPTS_END,
};

static const opts_spec spec = {
    .usage = "Usage: wav2mfcc [options] [AUDIO ...] > FEATURES\n"
             "       wav2mfcc [options] --csv TRAIN.csv [--dir DIR] > FEATURES\n"
             "       wav2mfcc [options] --list FILE > FEATURES\n"
             "       wav2mfcc [options] --scp wav.scp [--scp-pipes] > FEATURES\n"
             "Compute librosa-compatible MFCCs of audio clips (any format libsndfile reads;\n"
             "channels averaged to mono) and write one feature record per clip, in input\n"
             "order (man 5 featstream). Reads audio from stdin when no input is given.\n"
             "\n",
    .options = options,
    .footer = "Exit status: 0 success, 1 error, 2 usage error, 3 clips skipped (--keep-going).\n"
              "\n"
              "Examples:\n"
              "  wav2mfcc --csv data/TRAIN.csv -j 4 -o train.feat\n"
              "  wav2mfcc --csv TRAIN.csv | featdump --info\n"
              "  wav2mfcc --sr native --pool none clip.flac | featdump\n"
              "  find TEST -name '*.wav' | wav2mfcc --list - --pool meanstd > test.feat\n"
              "  wav2mfcc --scp data/train/wav.scp --scp-pipes -o train.feat\n"
              "\n"
              "See also: featdump(1), featstream(5), nnfit(1)\n",
};

int main(int argc, char **argv)
{
    cli_init(argv[0]);
    mfcc_config_defaults(&opt.mfcc);
    int first = opts_parse(&spec, argc, argv);
    if (opt.mfcc.top_db == TOP_DB_NONE) {
        opt.mfcc.clip_db = false;
        opt.mfcc.top_db = 0;
    }
    if (quiet)
        cli_progress_off();
    /* With --sr native the rate is known per file; check what does not depend on it. */
    const char *bad = mfcc_config_check(&opt.mfcc, opt.sr > 0 ? opt.sr : AUDIO_MAX_RATE);
    if (bad)
        cli_usage_error("%s", bad);

    clip_list clips = {0};
    char err[SENTIO_ERR_LEN];
    if (scp) {
        bool stdin_audio = false;
        for (int i = first; i < argc; i++)
            stdin_audio |= strcmp(argv[i], "-") == 0;
        if (strcmp(scp, "-") == 0 && ((list && strcmp(list, "-") == 0) || stdin_audio))
            cli_usage_error("stdin cannot be both the --scp and another input");
        if (clip_list_read_scp(&clips, scp, scp_pipes, err, sizeof err) != 0)
            cli_fail(cli_input_name(scp), "%s", err);
    }
    /* with --scp alone, stdin is not an audio input */
    if (!scp || csv || list || first < argc)
        clip_list_gather(&clips, csv, dir, list, argc - first, argv + first);

    outfile out, skipped;
    if (outfile_open(&out, output) != 0)
        cli_fail(output, "cannot create: %s", strerror(errno));
    if (opt.stage == MFCC_STAGE_ALL)
        outfile_refuse_terminal(&out);
    if (skipped_list) {
        if (strcmp(skipped_list, "-") == 0)
            cli_usage_error("--skipped-list needs a file name");
        if (outfile_open(&skipped, skipped_list) != 0)
            cli_fail(skipped_list, "cannot create: %s", strerror(errno));
        opt.skipped = skipped.fp;
    }
    int status = mfcc_batch_run(&opt, &clips, out.fp, outfile_name(&out));
    if (status == CLI_EXIT_RUNTIME) {
        outfile_abort(&out);
        if (skipped_list)
            outfile_abort(&skipped);
    } else {
        if (outfile_commit(&out) != 0) {
            cli_error(outfile_name(&out), "write error: %s", strerror(errno));
            status = CLI_EXIT_RUNTIME;
        }
        if (skipped_list && outfile_commit(&skipped) != 0) {
            cli_error(skipped_list, "write error: %s", strerror(errno));
            status = CLI_EXIT_RUNTIME;
        }
    }
    clip_list_free(&clips);
    return status;
}
