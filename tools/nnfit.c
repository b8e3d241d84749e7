/* nnfit - train the seed's ANN or CNN (or any layer spec) on a feature stream. */
#include "base/cli.h"
#include "base/opts.h"
#include "base/outfile.h"
#include "base/signals.h"
#include "nn/archspec.h"
#include "nn/fit.h"
#include "nn/model.h"
#include "store/storecli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static fit_options fo;
static const char *output;
static bool no_standardize;
static long seed;
static storecli sc;

static opts_entry options[] = {
    OPTS_SECTION("Options"),
    {.name = "output",
     .short_name = 'o',
     .type = OPTS_FILE,
     .dest = &output,
     .def = "required",
     .help = "model file to write; '-' is stdout"},
    {.name = "arch",
     .type = OPTS_TEXT,
     .dest = &fo.arch,
     .arg = "SPEC",
     .help = "ann, cnn, or a layer list (see below)"},
    {.name = "epochs",
     .type = OPTS_INT,
     .dest = &fo.train.epochs,
     .lo = 1,
     .hi = 1000000,
     .help = "epochs"},
    {.name = "batch",
     .type = OPTS_INT,
     .dest = &fo.train.batch,
     .lo = 1,
     .hi = 65536,
     .help = "mini-batch size"},
    {.name = "lr",
     .type = OPTS_REAL,
     .dest = &fo.train.lr,
     .lo = 0,
     .lo_open = true,
     .hi = 10,
     .help = "Adam learning rate"},
    {.name = "beta1",
     .type = OPTS_REAL,
     .dest = &fo.train.beta1,
     .lo = 0,
     .hi = 1,
     .hi_open = true,
     .help = "Adam beta1"},
    {.name = "beta2",
     .type = OPTS_REAL,
     .dest = &fo.train.beta2,
     .lo = 0,
     .hi = 1,
     .hi_open = true,
     .help = "Adam beta2"},
    {.name = "epsilon",
     .type = OPTS_REAL,
     .dest = &fo.train.epsilon,
     .lo = 0,
     .lo_open = true,
     .hi = 1,
     .help = "Adam epsilon"},
    {.name = "val",
     .type = OPTS_FILE,
     .dest = &fo.val_path,
     .arg = "STREAM",
     .def = "none",
     .help = "validation stream: enables early stopping and lr reduction"},
    {.name = "patience",
     .type = OPTS_INT,
     .dest = &fo.train.patience,
     .lo = 0,
     .hi = 1000000,
     .help = "EarlyStopping patience, epochs"},
    {.name = "lr-factor",
     .type = OPTS_REAL,
     .dest = &fo.train.lr_factor,
     .lo = 0,
     .lo_open = true,
     .hi = 1,
     .hi_open = true,
     .help = "ReduceLROnPlateau factor"},
    {.name = "lr-patience",
     .type = OPTS_INT,
     .dest = &fo.train.lr_patience,
     .lo = 0,
     .hi = 1000000,
     .help = "ReduceLROnPlateau patience, epochs"},
    {.name = "lr-min-delta",
     .type = OPTS_REAL,
     .dest = &fo.train.lr_min_delta,
     .lo = 0,
     .hi = 1e6,
     .help = "ReduceLROnPlateau min_delta"},
    {.name = "no-standardize",
     .type = OPTS_FLAG,
     .dest = &no_standardize,
     .help = "feed raw features (the seed as it was); default: z-scores"},
    {.name = "seed",
     .type = OPTS_LONG,
     .dest = &seed,
     .lo = 0,
     .hi = 4294967295.0,
     .help = "random seed"},
    {.name = "jobs",
     .short_name = 'j',
     .type = OPTS_INT,
     .dest = &fo.train.threads,
     .lo = 1,
     .hi = 256,
     .help = "worker threads; the model is identical for any N"},
    STORECLI_OPTIONS(sc),
    OPTS_END,
};

static const opts_spec spec = {
    .usage = "Usage: nnfit [options] [TRAIN_STREAM ...] -o MODEL\n"
             "Train a neural network classifier on labelled one-row feature records (stdin when\n"
             "no file or '-' is given) as Keras does, and write a model file for nnpredict.\n"
             "The classes are the distinct labels, sorted by name.\n"
             "\n",
    .options = options,
    .footer =
        "Layer spec: comma-separated terms dense:N relu dropout:R conv:F:W maxpool:P flatten;\n"
        "the output Dense(n_classes)+softmax is implied.\n"
        "  ann = " ARCH_ANN "\n"
        "  cnn = " ARCH_CNN "\n"
        "\n"
        "Examples:\n"
        "  wav2mfcc --csv TRAIN.csv | nnfit -o ann.nn\n"
        "  nnfit --arch cnn --val val.feat train.feat -o cnn.nn\n"
        "  nnfit --arch dense:256,relu,dropout:0.5 --seed 7 train.feat -o wide.nn\n"
        "  nnfit -j 4 --batch 256 --val val.feat big.feat -o big.nn\n"
        "\n"
        "See also: nnpredict(1), wav2mfcc(1), featsplit(1), metrics(1), featstream(5)\n",
};

/* Each epoch: its line on stderr, its figures in the store (run may be NULL). */
static void record_epoch(const train_epoch *e, void *ctx)
{
    store_run *run = ctx;
    store_metric(run, "loss", e->epoch, e->loss);
    store_metric(run, "acc", e->epoch, e->acc);
    if (!isnan(e->val_loss)) {
        store_metric(run, "val_loss", e->epoch, e->val_loss);
        store_metric(run, "val_acc", e->epoch, e->val_acc);
    }
    store_metric(run, "lr", e->epoch, e->lr);
    fit_print_epoch(e, stderr);
}

/* The model's options, the inputs' hashes, the results and the model file. */
static void record_run(store_run *run, const nn_model *m, const fit_data *d,
                       const train_history *hist, const char *model_sha, size_t model_bytes)
{
    if (!run)
        return;
    for (int i = 0; i < m->head.n_options; ++i)
        store_param(run, m->head.options[i].key, m->head.options[i].value);
    store_param(run, "val", fo.val_path ? fo.val_path : "");
    store_param(run, "output", output);
    store_param_sha256(run, "input_sha256", &d->train_hash);
    if (d->has_val)
        store_param_sha256(run, "val_sha256", &d->val_hash);
    store_param(run, "feature_meta", d->train.meta);
    store_metric(run, "epochs_run", 0, hist->n);
    if (d->has_val) {
        store_metric(run, "best_epoch", 0, hist->best_epoch);
        store_metric(run, "best_val_loss", 0, hist->best_val_loss);
    }
    store_model(run, strcmp(output, "-") == 0 ? NULL : output, model_sha, (long long)model_bytes);
}

int main(int argc, char **argv)
{
    cli_init(argv[0]);
    char **command = cli_argv_copy(argc, argv); /* getopt_long permutes argv */
    fit_options_default(&fo);
    seed = (long)fo.train.seed;
    int first = opts_parse(&spec, argc, argv);
    fo.train.seed = (unsigned long)seed;
    fo.standardize = !no_standardize;
    if (!output)
        cli_usage_error("-o MODEL is required");
    char err[SENTIO_ERR_LEN];
    arch_spec arch;
    if (arch_parse(fo.arch, &arch, err, sizeof err) < 0)
        cli_usage_error("--arch: %s", err);
    arch_free(&arch);
    store_run *run = storecli_begin(&sc, "nnfit", argc, command, (long)fo.train.seed);
    /* A stop signal ends training at the next batch, and the run as 'failed'. */
    signals_defer_stop(run != NULL);

    outfile out;
    if (outfile_open(&out, output) < 0)
        cli_fail(output, "cannot create: %s", strerror(errno));
    fit_data d;
    if (fit_data_read(&d, argc - first, argv + first, fo.val_path, err, sizeof err) < 0)
        cli_fail(NULL, "%s", err);
    nn_model model;
    if (fit_model_init(&model, &fo, &d, err, sizeof err) < 0)
        cli_usage_error("--arch: %s (for %d inputs)", err, d.train.cols);
    train_history hist;
    if (fit_train(&model, &fo, &d, &hist, record_epoch, run, err, sizeof err) < 0) {
        storecli_stop_if_requested(&sc, run);
        cli_fail(NULL, "%s", err);
    }
    fit_print_summary(&hist, d.has_val, stderr);

    char model_sha[65];
    size_t model_bytes;
    char out_sha[65];
    if (model_write(&model, out.fp, model_sha, &model_bytes) < 0 ||
        outfile_sha256(&out, out_sha) < 0)
        cli_fail(outfile_name(&out), "cannot write: %s", strerror(errno));
    record_run(run, &model, &d, &hist, model_sha, model_bytes);
    store_param(run, "output_sha256", out_sha);
    /* Recorded before the model is installed: a run that cannot be recorded leaves none
     * (make would otherwise take the model for up to date). */
    storecli_finish(&sc, run);
    if (outfile_commit(&out) < 0)
        cli_fail(outfile_name(&out), "cannot write: %s", strerror(errno));

    train_history_free(&hist);
    model_free(&model);
    fit_data_free(&d);
    return CLI_EXIT_OK;
}
