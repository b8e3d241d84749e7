/* wav2mfcc - audio clips to MFCC feature records (man 1 wav2mfcc). */
#include "base/cli.h"
#include "base/opts.h"
#include "dsp/audio.h"
#include "dsp/mfcc.h"
#include "feat/clipcli.h"
#include "feat/mfccbatch.h"

static mfcc_batch_options opt = {.sr = 22050, .stage = MFCC_STAGE_ALL};
static clipcli io = CLIPCLI_INIT;
/* --top-db none: no clipping (kept apart from any real threshold). */
#define TOP_DB_NONE (-1.0)

static opts_entry options[] = {
    CLIPCLI_INPUT_OPTIONS(io),
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
    CLIPCLI_RUNNING_OPTIONS(io),
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
    /* With --sr native the rate is known per file; check what does not depend on it. */
    const char *bad = mfcc_config_check(&opt.mfcc, opt.sr > 0 ? opt.sr : AUDIO_MAX_RATE);
    if (bad)
        cli_usage_error("%s", bad);

    clipcli_begin(&io, argc - first, argv + first, opt.stage == MFCC_STAGE_ALL);
    opt.jobs = io.jobs;
    opt.keep_going = io.keep_going;
    opt.skipped = clipcli_skipped(&io);
    return clipcli_end(&io, mfcc_batch_run(&opt, &io.clips, io.out.fp, outfile_name(&io.out)));
}
