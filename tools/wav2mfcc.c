/* wav2mfcc - audio clips to MFCC feature records (man 1 wav2mfcc). */
#include "dsp/audio.h"
#include "base/cli.h"
#include "stream/cliplist.h"
#include "dsp/mfcc.h"
#include "feat/mfccbatch.h"
#include "base/outfile.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void usage(void)
{
    printf(
        "Usage: wav2mfcc [options] [AUDIO ...] > FEATURES\n"
        "       wav2mfcc [options] --csv TRAIN.csv [--dir DIR] > FEATURES\n"
        "       wav2mfcc [options] --list FILE > FEATURES\n"
        "Compute librosa-compatible MFCCs of audio clips (any format libsndfile reads;\n"
        "channels averaged to mono) and write one feature record per clip, in input\n"
        "order (man 5 featstream). Reads audio from stdin when no input is given.\n"
        "\n"
        "Inputs:\n"
        "  --csv FILE       Kaggle-style CSV with a Filename,Class header (str)\n"
        "  --dir DIR        folder of the CSV's files (str, FILE without its extension)\n"
        "  --list FILE      lines of PATH or PATH<TAB>LABEL; '-' = stdin (str)\n"
        "Features (defaults are librosa.feature.mfcc's):\n"
        "  --sr RATE        resample to RATE Hz, or 'native' (int|native, 22050, 1..%d)\n"
        "  --n-mfcc N       coefficients kept (int, 40, 1..n-mels)\n"
        "  --n-fft N        FFT length, samples (int, 2048, 16..65536)\n"
        "  --hop N          hop between frames, samples (int, 512, 1..65536)\n"
        "  --n-mels N       mel filters (int, 128, 1..1024)\n"
        "  --fmin HZ        lowest filter edge (float, 0, 0..fmax)\n"
        "  --fmax HZ        highest filter edge (float, sr/2, fmin..sr/2)\n"
        "  --top-db DB      clip log-mel below the clip's maximum minus DB, or 'none'\n"
        "                   (float|none, 80, 0..1000)\n"
        "  --pool P         mean: one row; meanstd: mean then standard deviation\n"
        "                   (2*n-mfcc columns); none: one row per frame\n"
        "                   (mean|meanstd|none, mean)\n"
        "Running:\n"
        "  -j, --jobs N     worker threads; output identical for any N (int, 1, 1..256)\n"
        "  --keep-going     skip a bad clip with a warning; exit 3 at the end if any\n"
        "                   was skipped (flag, off)\n"
        "  -o, --output FILE  write FILE (atomically) instead of stdout (str, stdout)\n"
        "  --stage S        all, or decode: decode and resample only, write nothing\n"
        "                   (for benchmarks) (all|decode, all)\n"
        "  -h, --help       show this help and exit\n"
        "  --version        show the version and exit\n"
        "\n"
        "Exit status: 0 success, 1 error, 2 usage error, 3 clips skipped (--keep-going).\n"
        "\n"
        "Examples:\n"
        "  wav2mfcc --csv data/TRAIN.csv -j 4 -o train.feat\n"
        "  wav2mfcc --csv TRAIN.csv | featdump --info\n"
        "  wav2mfcc --sr native --pool none clip.flac | featdump\n"
        "  find TEST -name '*.wav' | wav2mfcc --list - --pool meanstd > test.feat\n"
        "\n"
        "See also: featdump(1), featstream(5), nnfit(1)\n",
        AUDIO_MAX_RATE);
}

enum {
    OPT_SR = 256, OPT_N_MFCC, OPT_N_FFT, OPT_HOP, OPT_N_MELS, OPT_FMIN, OPT_FMAX, OPT_TOP_DB,
    OPT_POOL, OPT_KEEP_GOING, OPT_CSV, OPT_DIR, OPT_LIST, OPT_STAGE, OPT_VERSION
};

int main(int argc, char **argv)
{
    cli_init(argv[0]);
    static const struct option longopts[] = {
        {"sr", required_argument, NULL, OPT_SR},
        {"n-mfcc", required_argument, NULL, OPT_N_MFCC},
        {"n-fft", required_argument, NULL, OPT_N_FFT},
        {"hop", required_argument, NULL, OPT_HOP},
        {"n-mels", required_argument, NULL, OPT_N_MELS},
        {"fmin", required_argument, NULL, OPT_FMIN},
        {"fmax", required_argument, NULL, OPT_FMAX},
        {"top-db", required_argument, NULL, OPT_TOP_DB},
        {"pool", required_argument, NULL, OPT_POOL},
        {"jobs", required_argument, NULL, 'j'},
        {"keep-going", no_argument, NULL, OPT_KEEP_GOING},
        {"output", required_argument, NULL, 'o'},
        {"csv", required_argument, NULL, OPT_CSV},
        {"dir", required_argument, NULL, OPT_DIR},
        {"list", required_argument, NULL, OPT_LIST},
        {"stage", required_argument, NULL, OPT_STAGE},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, OPT_VERSION},
        {NULL, 0, NULL, 0},
    };
    mfcc_batch_options opt = {.sr = 22050, .jobs = 1, .stage = MFCC_STAGE_ALL};
    mfcc_config_defaults(&opt.mfcc);
    const char *output = NULL, *csv = NULL, *dir = NULL, *list = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "j:o:h", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_SR:
            opt.sr = strcmp(optarg, "native") == 0
                         ? 0
                         : (double)cli_parse_long("--sr", optarg, 1, AUDIO_MAX_RATE);
            break;
        case OPT_N_MFCC: opt.mfcc.n_mfcc = (int)cli_parse_long("--n-mfcc", optarg, 1, 1024); break;
        case OPT_N_FFT: opt.mfcc.n_fft = (int)cli_parse_long("--n-fft", optarg, 16, 65536); break;
        case OPT_HOP: opt.mfcc.hop = (int)cli_parse_long("--hop", optarg, 1, 65536); break;
        case OPT_N_MELS: opt.mfcc.n_mels = (int)cli_parse_long("--n-mels", optarg, 1, 1024); break;
        case OPT_FMIN: opt.mfcc.fmin = cli_parse_double("--fmin", optarg, 0, AUDIO_MAX_RATE); break;
        case OPT_FMAX:
            opt.mfcc.fmax = cli_parse_double("--fmax", optarg, 1e-3, AUDIO_MAX_RATE);
            break;
        case OPT_TOP_DB:
            opt.mfcc.clip_db = strcmp(optarg, "none") != 0;
            if (opt.mfcc.clip_db)
                opt.mfcc.top_db = cli_parse_double("--top-db", optarg, 0, 1000);
            break;
        case OPT_POOL:
            if (mfcc_pool_parse(optarg, &opt.mfcc.pool) != 0)
                cli_usage_error("--pool: '%s' is not mean, meanstd or none", optarg);
            break;
        case 'j': opt.jobs = (int)cli_parse_long("--jobs", optarg, 1, 256); break;
        case OPT_KEEP_GOING: opt.keep_going = true; break;
        case 'o': output = optarg; break;
        case OPT_CSV: csv = optarg; break;
        case OPT_DIR: dir = optarg; break;
        case OPT_LIST: list = optarg; break;
        case OPT_STAGE:
            if (strcmp(optarg, "all") == 0)
                opt.stage = MFCC_STAGE_ALL;
            else if (strcmp(optarg, "decode") == 0)
                opt.stage = MFCC_STAGE_DECODE;
            else
                cli_usage_error("--stage: '%s' is not all or decode", optarg);
            break;
        case 'h': usage(); return CLI_EXIT_OK;
        case OPT_VERSION: cli_print_version(); return CLI_EXIT_OK;
        default: cli_usage_error("unknown option");
        }
    }
    if (dir && !csv)
        cli_usage_error("--dir needs --csv");
    /* With --sr native the rate is known per file; check what does not depend on it. */
    const char *bad = mfcc_config_check(&opt.mfcc, opt.sr > 0 ? opt.sr : AUDIO_MAX_RATE);
    if (bad)
        cli_usage_error("%s", bad);

    clip_list clips = {0};
    char err[512];
    if (csv && clip_list_read_csv(&clips, csv, dir, err, sizeof err) != 0)
        cli_fail(csv, "%s", err);
    if (list && clip_list_read_list(&clips, list, err, sizeof err) != 0)
        cli_fail(cli_input_name(list), "%s", err);
    bool stdin_audio = false;
    for (int i = optind; i < argc; i++) {
        clip_list_add(&clips, argv[i], argv[i], "");
        stdin_audio |= strcmp(argv[i], "-") == 0;
    }
    if (!csv && !list && optind == argc) {
        clip_list_add(&clips, "-", "-", "");
        stdin_audio = true;
    }
    if (stdin_audio && list && strcmp(list, "-") == 0)
        cli_usage_error("stdin cannot be both the --list and an audio input");

    outfile out;
    if (outfile_open(&out, output) != 0)
        cli_fail(output, "cannot create: %s", strerror(errno));
    int status = mfcc_batch_run(&opt, &clips, out.fp, outfile_name(&out));
    if (status == CLI_EXIT_RUNTIME) {
        outfile_abort(&out);
    } else if (outfile_commit(&out) != 0) {
        cli_error(outfile_name(&out), "write error: %s", strerror(errno));
        status = CLI_EXIT_RUNTIME;
    }
    clip_list_free(&clips);
    return status;
}
