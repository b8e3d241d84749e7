/* plotdata - the data behind sentio's figures, as text gnuplot reads directly. */
#include "base/cli.h"
#include "base/opts.h"
#include "base/outfile.h"
#include "eval/plot.h"

#include <stdlib.h>
#include <string.h>

static plot_options o;
static const char *output;
static int kind_index;

/* --where KEY=VALUE, repeatable. */
static int add_where(const char *arg, void *ctx)
{
    plot_options *po = ctx;
    if (!strchr(arg, '=') || arg[0] == '=')
        cli_usage_error("--where: '%s' is not KEY=VALUE", arg);
    po->where = cli_xrealloc(po->where, (po->nwhere + 1) * sizeof *po->where);
    po->where[po->nwhere++] = (char *)arg;
    return 0;
}

#define WAVEFORM OPTS_MODE(PLOT_WAVEFORM)
#define SPECTROGRAM OPTS_MODE(PLOT_SPECTROGRAM)
#define STORE_KINDS (OPTS_MODE(PLOT_CURVES) | OPTS_MODE(PLOT_CONFUSION))

static opts_entry options[] = {
    OPTS_SECTION("Options"),
    {.name = "points",
     .type = OPTS_LONG,
     .dest = &o.points,
     .only = WAVEFORM,
     .lo = 2,
     .hi = 10000000,
     .help = "envelope columns when the clip is longer"},
    {.name = "sr",
     .type = OPTS_REAL,
     .dest = &o.sr,
     .arg = "HZ",
     .only = WAVEFORM | SPECTROGRAM,
     .lo = 1000,
     .hi = 384000,
     .special = "native",
     .special_value = 0,
     .help = "resample to HZ"},
    {.name = "n-fft",
     .type = OPTS_INT,
     .dest = &o.n_fft,
     .only = SPECTROGRAM,
     .lo = 16,
     .hi = 65536,
     .help = "FFT length, samples"},
    {.name = "hop",
     .type = OPTS_INT,
     .dest = &o.hop,
     .only = SPECTROGRAM,
     .lo = 1,
     .hi = 65536,
     .help = "hop length, samples"},
    {.name = "frames",
     .type = OPTS_LONG,
     .dest = &o.frames,
     .only = SPECTROGRAM,
     .lo = 1,
     .hi = 10000000,
     .special = "all",
     .special_value = 0,
     .help = "columns when the clip has more frames (each the largest magnitude of its frames), "
             "or 'all'"},
    {.name = "top-db",
     .type = OPTS_REAL,
     .dest = &o.top_db,
     .arg = "DB",
     .only = SPECTROGRAM,
     .lo = 1,
     .hi = 1000,
     .special = "none",
     .special_value = 0,
     .help = "floor at -DB dB below the maximum"},
    {.name = "db",
     .type = OPTS_FILE,
     .dest = &o.db,
     .def = "none",
     .only = STORE_KINDS,
     .help = "the experiment store"},
    {.name = "run",
     .type = OPTS_TEXT,
     .dest = &o.run,
     .arg = "ID|NAME",
     .def = "none",
     .only = STORE_KINDS,
     .help = "a run id, or the latest finished run of that name with what the kind needs"},
    {.name = "where",
     .type = OPTS_CALL,
     .call = add_where,
     .ctx = &o,
     .arg = "KEY=VALUE",
     .arg_type = "text",
     .def = "none",
     .only = STORE_KINDS,
     .needs = "db,run",
     .help = "only runs with this parameter or tag; repeatable"},
    {.name = "normalize",
     .type = OPTS_FLAG,
     .dest = &o.normalize,
     .only = OPTS_MODE(PLOT_CONFUSION),
     .help = "row fractions instead of counts"},
    {.name = "standardize",
     .type = OPTS_FLAG,
     .dest = &o.standardize,
     .only = OPTS_MODE(PLOT_FEATURES),
     .help = "PCA of standardised values, i.e. the correlation matrix; off: the covariance matrix"},
    OPTS_OUTPUT(output),
    OPTS_END,
};

static opts_spec spec = {
    .usage =
        "Usage: plotdata KIND [options] [INPUT]\n"
        "Writes the data of one figure as tab-separated text with '#' header lines naming\n"
        "the columns and their units, ready for gnuplot (scripts in %s/).\n"
        "\n"
        "Kinds:\n"
        "  waveform AUDIO       time (s) and amplitude; a min/max envelope for long clips\n"
        "  spectrogram AUDIO    STFT magnitude (dB re the clip's maximum) per time and frequency\n"
        "  curves               per-epoch loss, acc, val_loss, val_acc, lr of a run (--db, --run)\n"
        "  confusion [PRED]     confusion matrix of nnpredict's TSV output PRED (default stdin),\n"
        "                       or of a run's predictions in the store (--db, --run)\n"
        "  features [STREAM...] one-row records on their first two principal components\n"
        "\n",
    .options = options,
    .footer =
        "Examples:\n"
        "  plotdata spectrogram clip.wav > spec.tsv\n"
        "  gnuplot -e \"in='spec.tsv'; out='spec.png'; title='clip.wav'\" pipelines/plots/spectrogram.gp\n"
        "  plotdata curves --db experiments.db --run ANN -o ann_curves.tsv\n"
        "  nnpredict -m ann.nn val.feat | plotdata confusion --normalize\n"
        "  wav2mfcc --csv TRAIN.csv | plotdata features --standardize\n"
        "\n"
        "See also: wav2mfcc(1), nnfit(1), nnpredict(1), metrics(1), gnuplot(1)\n",
    /* In plot_kind's order. */
    .modes = "waveform|spectrogram|curves|confusion|features",
    .mode_name = "KIND",
    .mode = &kind_index,
};

/* The inputs each kind reads: AUDIO, the store, or predictions/streams. */
static void check_inputs(plot_kind kind, int ninputs, char **inputs, bool from_store)
{
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
            cli_usage_error(
                "confusion reads either the store (--db, --run) or PREDICTIONS, not both");
        if (ninputs > 1)
            cli_usage_error("confusion reads one PREDICTIONS file");
        break;
    case PLOT_FEATURES: break;
    }
}

static int write_kind(plot_kind kind, int ninputs, char **inputs, bool from_store, FILE *out,
                      char *err, size_t errlen)
{
    switch (kind) {
    case PLOT_WAVEFORM: return plot_waveform(inputs[0], &o, out, err, errlen);
    case PLOT_SPECTROGRAM: return plot_spectrogram(inputs[0], &o, out, err, errlen);
    case PLOT_CURVES: return plot_curves(&o, out, err, errlen);
    case PLOT_CONFUSION:
        return plot_confusion(from_store ? NULL : ninputs ? inputs[0] : "-", &o, out, err, errlen);
    case PLOT_FEATURES: return plot_features(ninputs, inputs, &o, out, err, errlen);
    }
    return 0;
}

int main(int argc, char **argv)
{
    cli_init(argv[0]);
    plot_options_default(&o);
    /* -h names where this binary's gnuplot scripts are: installed, or in the checkout */
    static char usage[2048];
    snprintf(usage, sizeof usage, spec.usage, cli_share_dir("plots"));
    spec.usage = usage;
    int first = opts_parse(&spec, argc, argv);
    plot_kind kind = (plot_kind)kind_index;
    int ninputs = argc - first;
    char **inputs = argv + first;
    bool from_store = o.db || o.run;
    check_inputs(kind, ninputs, inputs, from_store);

    outfile out;
    outfile_open_or_fail(&out, output);
    char err[SENTIO_ERR_LEN];
    if (write_kind(kind, ninputs, inputs, from_store, out.fp, err, sizeof err) != 0) {
        outfile_abort(&out);
        cli_fail(NULL, "%s", err);
    }
    outfile_commit_or_fail(&out);
    free(o.where);
    return CLI_EXIT_OK;
}
