/* plotdata - the data behind sentio's figures, as text gnuplot reads directly. */
#include "base/cli.h"
#include "base/outfile.h"
#include "eval/plot.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void usage(void)
{
    printf("Usage: plotdata KIND [options] [INPUT]\n"
           "Writes the data of one figure as tab-separated text with '#' header lines naming\n"
           "the columns and their units, ready for gnuplot (scripts in pipelines/plots/).\n"
           "\n"
           "Kinds:\n"
           "  waveform AUDIO       time (s) and amplitude; a min/max envelope for long clips\n"
           "  spectrogram AUDIO    STFT magnitude (dB re the clip's maximum) per time and frequency\n"
           "  curves               per-epoch loss, acc, val_loss, val_acc, lr of a run (--db, --run)\n"
           "  confusion [PRED]     confusion matrix of nnpredict's TSV output PRED (default stdin),\n"
           "                       or of a run's predictions in the store (--db, --run)\n"
           "  features [STREAM...] one-row records on their first two principal components\n"
           "\n"
           "Options:\n"
           "  --points N        waveform: envelope columns when the clip is longer (int, %d, 2..10000000)\n"
           "  --sr HZ|native    waveform, spectrogram: resample to HZ (float, native, 1000..384000)\n"
           "  --n-fft N         spectrogram: FFT length, samples (int, %d, 16..65536)\n"
           "  --hop N           spectrogram: hop length, samples (int, %d, 1..65536)\n"
           "  --top-db DB|none  spectrogram: floor at -DB dB below the maximum (float, %g, 1..1000)\n"
           "  --db FILE         curves, confusion: the experiment store (path, none)\n"
           "  --run ID|NAME     curves, confusion: a run id, or the latest finished run of that name\n"
           "                    with what the kind needs (string, none)\n"
           "  --where KEY=VALUE curves, confusion: only runs with this parameter or tag\n"
           "                    (string, none; repeatable)\n"
           "  --normalize       confusion: row fractions instead of counts (flag, off)\n"
           "  --standardize     features: PCA of standardised values, i.e. the correlation matrix\n"
           "                    (flag, off: the covariance matrix)\n"
           "  -o FILE           write to FILE instead of stdout (path, stdout)\n"
           "  -h, --help        show this help and exit\n"
           "  --version         show the version and exit\n"
           "\n"
           "Examples:\n"
           "  plotdata spectrogram clip.wav > spec.tsv\n"
           "  gnuplot -e \"in='spec.tsv'; out='spec.png'; title='clip.wav'\" pipelines/plots/spectrogram.gp\n"
           "  plotdata curves --db experiments.db --run ANN -o ann_curves.tsv\n"
           "  nnpredict -m ann.nn val.feat | plotdata confusion --normalize\n"
           "  wav2mfcc --csv TRAIN.csv | plotdata features --standardize\n"
           "\n"
           "See also: wav2mfcc(1), nnfit(1), nnpredict(1), metrics(1), gnuplot(1)\n",
           PLOT_DEFAULT_POINTS, PLOT_DEFAULT_N_FFT, PLOT_DEFAULT_HOP, PLOT_DEFAULT_TOP_DB);
}

enum { OPT_POINTS = 256, OPT_SR, OPT_N_FFT, OPT_HOP, OPT_TOP_DB, OPT_DB, OPT_RUN, OPT_WHERE, OPT_NORMALIZE,
       OPT_STANDARDIZE, OPT_VERSION };

/* Which kinds each option applies to, as a bit set over plot_kind. */
#define K(kind) (1u << (kind))
static unsigned option_kinds(int opt)
{
    switch (opt) {
    case OPT_POINTS: return K(PLOT_WAVEFORM);
    case OPT_SR: return K(PLOT_WAVEFORM) | K(PLOT_SPECTROGRAM);
    case OPT_N_FFT: case OPT_HOP: case OPT_TOP_DB: return K(PLOT_SPECTROGRAM);
    case OPT_DB: case OPT_RUN: case OPT_WHERE: return K(PLOT_CURVES) | K(PLOT_CONFUSION);
    case OPT_NORMALIZE: return K(PLOT_CONFUSION);
    case OPT_STANDARDIZE: return K(PLOT_FEATURES);
    default: return ~0u;
    }
}

int main(int argc, char **argv)
{
    cli_init(argv[0]);
    static const struct option longopts[] = {
        {"points", required_argument, 0, OPT_POINTS},   {"sr", required_argument, 0, OPT_SR},
        {"n-fft", required_argument, 0, OPT_N_FFT},     {"hop", required_argument, 0, OPT_HOP},
        {"top-db", required_argument, 0, OPT_TOP_DB},   {"db", required_argument, 0, OPT_DB},
        {"run", required_argument, 0, OPT_RUN},         {"where", required_argument, 0, OPT_WHERE},         {"normalize", no_argument, 0, OPT_NORMALIZE},
        {"standardize", no_argument, 0, OPT_STANDARDIZE}, {"help", no_argument, 0, 'h'},
        {"version", no_argument, 0, OPT_VERSION},       {0, 0, 0, 0}};

    if (argc < 2)
        cli_usage_error("missing KIND (waveform, spectrogram, curves, confusion or features)");
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        usage();
        return CLI_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        cli_print_version();
        return CLI_EXIT_OK;
    }
    plot_kind kind;
    if (plot_kind_parse(argv[1], &kind) != 0)
        cli_usage_error("unknown KIND '%s' (waveform, spectrogram, curves, confusion or features)", argv[1]);

    plot_options o;
    plot_options_default(&o);
    const char *output = NULL;
    int c, longindex;
    /* Options follow KIND: parse from there, keeping the program's name for getopt's messages. */
    char *program = argv[0];
    argc--;
    argv++;
    argv[0] = program;
    while ((c = getopt_long(argc, argv, "ho:", longopts, &longindex)) != -1) {
        if (c == '?')
            cli_usage_error("bad option");
        if (!(option_kinds(c) & K(kind)))
            cli_usage_error("--%s does not apply to %s", longopts[longindex].name, plot_kind_name(kind));
        switch (c) {
        case 'h': usage(); return CLI_EXIT_OK;
        case OPT_VERSION: cli_print_version(); return CLI_EXIT_OK;
        case 'o': output = optarg; break;
        case OPT_POINTS: o.points = cli_parse_long("--points", optarg, 2, 10000000); break;
        case OPT_SR:
            o.sr = strcmp(optarg, "native") == 0 ? 0.0 : cli_parse_double("--sr", optarg, 1000, 384000);
            break;
        case OPT_N_FFT: o.n_fft = (int)cli_parse_long("--n-fft", optarg, 16, 65536); break;
        case OPT_HOP: o.hop = (int)cli_parse_long("--hop", optarg, 1, 65536); break;
        case OPT_TOP_DB:
            o.top_db = strcmp(optarg, "none") == 0 ? 0.0 : cli_parse_double("--top-db", optarg, 1, 1000);
            break;
        case OPT_DB: o.db = optarg; break;
        case OPT_RUN: o.run = optarg; break;
        case OPT_WHERE:
            if (!strchr(optarg, '=') || optarg[0] == '=')
                cli_usage_error("--where: '%s' is not KEY=VALUE", optarg);
            o.where = cli_xrealloc(o.where, (o.nwhere + 1) * sizeof *o.where);
            o.where[o.nwhere++] = optarg;
            break;
        case OPT_NORMALIZE: o.normalize = true; break;
        case OPT_STANDARDIZE: o.standardize = true; break;
        }
    }
    int ninputs = argc - optind;
    char **inputs = argv + optind;
    bool from_store = o.db || o.run;
    if (o.nwhere && !from_store)
        cli_usage_error("--where needs --db and --run");
    if (from_store && (!o.db || !o.run))
        cli_usage_error("%s needs both --db FILE and --run ID|NAME", plot_kind_name(kind));
    switch (kind) {
    case PLOT_WAVEFORM:
    case PLOT_SPECTROGRAM:
        if (ninputs != 1)
            cli_usage_error("%s needs exactly one AUDIO file", plot_kind_name(kind));
        break;
    case PLOT_CURVES:
        if (!from_store)
            cli_usage_error("curves needs --db FILE and --run ID|NAME");
        if (ninputs)
            cli_usage_error("curves reads the store only, not '%s'", inputs[0]);
        break;
    case PLOT_CONFUSION:
        if (from_store && ninputs)
            cli_usage_error("confusion reads either the store (--db, --run) or PREDICTIONS, not both");
        if (ninputs > 1)
            cli_usage_error("confusion reads one PREDICTIONS file");
        break;
    case PLOT_FEATURES: break;
    }

    outfile out;
    if (outfile_open(&out, output) != 0)
        cli_fail(output, "cannot create: %s", strerror(errno));
    char err[SENTIO_ERR_LEN];
    int rc = 0;
    switch (kind) {
    case PLOT_WAVEFORM: rc = plot_waveform(inputs[0], &o, out.fp, err, sizeof err); break;
    case PLOT_SPECTROGRAM: rc = plot_spectrogram(inputs[0], &o, out.fp, err, sizeof err); break;
    case PLOT_CURVES: rc = plot_curves(&o, out.fp, err, sizeof err); break;
    case PLOT_CONFUSION:
        rc = plot_confusion(from_store ? NULL
                            : ninputs  ? inputs[0]
                                       : "-",
                            &o, out.fp, err, sizeof err);
        break;
    case PLOT_FEATURES: rc = plot_features(ninputs, inputs, &o, out.fp, err, sizeof err); break;
    }
    if (rc != 0) {
        outfile_abort(&out);
        cli_fail(NULL, "%s", err);
    }
    if (outfile_commit(&out) != 0)
        cli_fail(outfile_name(&out), "cannot write: %s", strerror(errno));
    free(o.where);
    return CLI_EXIT_OK;
}
