/* nnfit - train the seed's ANN or CNN (or any layer spec) on a feature stream. */
#include "nn/archspec.h"
#include "base/cli.h"
#include "stream/featset.h"
#include "base/json.h"
#include "nn/model.h"
#include "base/outfile.h"
#include "nn/scaler.h"
#include "store/store.h"
#include "nn/train.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void usage(void)
{
    printf("Usage: nnfit [options] [TRAIN_STREAM ...] -o MODEL\n"
           "Train a neural network classifier on labelled one-row feature records (stdin when\n"
           "no file or '-' is given) as Keras does, and write a model file for nnpredict.\n"
           "The classes are the distinct labels, sorted by name.\n"
           "\n"
           "  -o, --output FILE   model file to write (required; '-' is stdout)\n"
           "  --arch SPEC         ann, cnn, or a layer list (string, ann; see below)\n"
           "  --epochs N          epochs (int, 100, 1..1000000)\n"
           "  --batch N           mini-batch size (int, 32, 1..65536)\n"
           "  --lr X              Adam learning rate (float, 0.001, >0..10)\n"
           "  --beta1 X           Adam beta1 (float, 0.9, 0..<1)\n"
           "  --beta2 X           Adam beta2 (float, 0.999, 0..<1)\n"
           "  --epsilon X         Adam epsilon (float, 1e-07, >0..1)\n"
           "  --val STREAM        validation stream: enables early stopping and lr reduction\n"
           "  --patience N        EarlyStopping patience, epochs (int, 10, 0..1000000)\n"
           "  --lr-factor X       ReduceLROnPlateau factor (float, 0.5, >0..<1)\n"
           "  --lr-patience N     ReduceLROnPlateau patience, epochs (int, 5, 0..1000000)\n"
           "  --lr-min-delta X    ReduceLROnPlateau min_delta (float, 0.0001, 0..1e6)\n"
           "  --no-standardize    feed raw features (the seed as it was); default: z-scores\n"
           "  --seed N            random seed (int, 1, 0..4294967295)\n"
           "  -j, --jobs N        worker threads; the model is identical for any N\n"
           "                      (int, 1, 1..256)\n");
    fputs(store_cli_usage, stdout);
    printf("  -h, --help          show this help and exit\n"
           "      --version       show the version and exit\n"
           "\n"
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
           "See also: nnpredict(1), wav2mfcc(1), featsplit(1), metrics(1), featstream(5)\n");
}

enum {
    OPT_ARCH = 256, OPT_EPOCHS, OPT_BATCH, OPT_LR, OPT_BETA1, OPT_BETA2, OPT_EPSILON, OPT_VAL,
    OPT_PATIENCE, OPT_LR_FACTOR, OPT_LR_PATIENCE, OPT_LR_MIN_DELTA, OPT_NO_STD, OPT_SEED,
    OPT_VERSION
};

/* Each epoch: its line on stderr, its figures in the store (run may be NULL). */
static void print_epoch(const train_epoch *e, void *ctx)
{
    store_run *run = ctx;
    store_metric(run, "loss", e->epoch, e->loss);
    store_metric(run, "acc", e->epoch, e->acc);
    if (!isnan(e->val_loss)) {
        store_metric(run, "val_loss", e->epoch, e->val_loss);
        store_metric(run, "val_acc", e->epoch, e->val_acc);
    }
    store_metric(run, "lr", e->epoch, e->lr);
    fprintf(stderr, "epoch %d loss %.4f acc %.4f", e->epoch, e->loss, e->acc);
    if (!isnan(e->val_loss))
        fprintf(stderr, " val_loss %.4f val_acc %.4f", e->val_loss, e->val_acc);
    fprintf(stderr, " lr %.4g\n", e->lr);
}

/* An option's value: integers as such, others in the shortest form that reads
 * back as the same double. */
static void add_option(nn_model *m, const char *key, double v)
{
    char buf[64];
    if (v == floor(v) && fabs(v) < 1e15)
        snprintf(buf, sizeof buf, "%.0f", v);
    else
        json_format_double(buf, sizeof buf, v);
    model_add_option(m, key, buf);
}

int main(int argc, char **argv)
{
    cli_init(argv[0]);
    train_options o;
    train_options_default(&o);
    const char *arch = "ann", *output = NULL, *val_path = NULL;
    int standardize = 1;
    store_cli sc = {0};
    char **command = cli_argv_copy(argc, argv); /* getopt_long permutes argv */
    static const struct option longopts[] = {
        {"output", required_argument, 0, 'o'},
        {"arch", required_argument, 0, OPT_ARCH},
        {"epochs", required_argument, 0, OPT_EPOCHS},
        {"batch", required_argument, 0, OPT_BATCH},
        {"lr", required_argument, 0, OPT_LR},
        {"beta1", required_argument, 0, OPT_BETA1},
        {"beta2", required_argument, 0, OPT_BETA2},
        {"epsilon", required_argument, 0, OPT_EPSILON},
        {"val", required_argument, 0, OPT_VAL},
        {"patience", required_argument, 0, OPT_PATIENCE},
        {"lr-factor", required_argument, 0, OPT_LR_FACTOR},
        {"lr-patience", required_argument, 0, OPT_LR_PATIENCE},
        {"lr-min-delta", required_argument, 0, OPT_LR_MIN_DELTA},
        {"no-standardize", no_argument, 0, OPT_NO_STD},
        {"seed", required_argument, 0, OPT_SEED},
        {"jobs", required_argument, 0, 'j'},
        {"help", no_argument, 0, 'h'},
        {"version", no_argument, 0, OPT_VERSION},
        STORE_CLI_LONG_OPTIONS,
        {0, 0, 0, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, "o:j:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case OPT_ARCH: arch = optarg; break;
        case OPT_EPOCHS: o.epochs = (int)cli_parse_long("--epochs", optarg, 1, 1000000); break;
        case OPT_BATCH: o.batch = (int)cli_parse_long("--batch", optarg, 1, 65536); break;
        case OPT_LR:
            o.lr = cli_parse_double("--lr", optarg, 0, 10);
            if (o.lr <= 0)
                cli_usage_error("--lr: must be positive");
            break;
        case OPT_BETA1: o.beta1 = cli_parse_double("--beta1", optarg, 0, 0.999999999); break;
        case OPT_BETA2: o.beta2 = cli_parse_double("--beta2", optarg, 0, 0.999999999); break;
        case OPT_EPSILON:
            o.epsilon = cli_parse_double("--epsilon", optarg, 0, 1);
            if (o.epsilon <= 0)
                cli_usage_error("--epsilon: must be positive");
            break;
        case OPT_VAL: val_path = optarg; break;
        case OPT_PATIENCE:
            o.patience = (int)cli_parse_long("--patience", optarg, 0, 1000000);
            break;
        case OPT_LR_FACTOR:
            o.lr_factor = cli_parse_double("--lr-factor", optarg, 0, 0.999999999);
            if (o.lr_factor <= 0)
                cli_usage_error("--lr-factor: must be positive");
            break;
        case OPT_LR_PATIENCE:
            o.lr_patience = (int)cli_parse_long("--lr-patience", optarg, 0, 1000000);
            break;
        case OPT_LR_MIN_DELTA:
            o.lr_min_delta = cli_parse_double("--lr-min-delta", optarg, 0, 1e6);
            break;
        case OPT_NO_STD: standardize = 0; break;
        case OPT_SEED:
            o.seed = (unsigned long)cli_parse_long("--seed", optarg, 0, 4294967295L);
            break;
        case 'j': o.threads = (int)cli_parse_long("--jobs", optarg, 1, 256); break;
        STORE_CLI_CASES: store_cli_option(&sc, c, optarg); break;
        case 'h': usage(); return CLI_EXIT_OK;
        case OPT_VERSION: cli_print_version(); return CLI_EXIT_OK;
        default: cli_usage_error("unknown option");
        }
    }
    if (!output)
        cli_usage_error("-o MODEL is required");
    char err[1024];
    arch_spec spec;
    if (arch_parse(arch, &spec, err, sizeof err) < 0)
        cli_usage_error("--arch: %s", err);
    arch_free(&spec);
    store_run *run = store_cli_begin(&sc, "nnfit", argc, command, (long)o.seed);

    outfile out;
    if (outfile_open(&out, output) < 0)
        cli_fail(output, "cannot create: %s", strerror(errno));

    featset train, val;
    sha256_ctx train_hash, val_hash;
    sha256_init(&train_hash);
    sha256_init(&val_hash);
    if (featset_read(&train, argc - optind, argv + optind, &train_hash, err, sizeof err) < 0)
        cli_fail(NULL, "%s", err);
    char **classes;
    int k = featset_classes(&train, &classes);
    if (k < 2)
        cli_fail(argc > optind ? argv[argc - 1] : "(stdin)",
                 "only one class ('%s'): training needs at least two", classes[0]);
    int *y = cli_xmalloc(train.n * sizeof *y);
    featset_encode(&train, classes, k, y, err, sizeof err);
    int *vy = NULL;
    if (val_path) {
        char *vp = (char *)val_path;
        if (featset_read(&val, 1, &vp, &val_hash, err, sizeof err) < 0)
            cli_fail(NULL, "%s", err);
        if (val.cols != train.cols)
            cli_fail(val_path, "%d values per record, but the training records have %d",
                     val.cols, train.cols);
        if (strcmp(val.meta, train.meta) != 0)
            cli_fail(val_path, "feature metadata '%s' differs from the training stream's '%s'",
                     val.meta, train.meta);
        vy = cli_xmalloc(val.n * sizeof *vy);
        if (featset_encode(&val, classes, k, vy, err, sizeof err) < 0)
            cli_fail(val_path, "%s", err);
    }

    nn_model model;
    if (model_init(&model, arch, train.cols, k, classes, train.meta, err, sizeof err) < 0)
        cli_usage_error("--arch: %s (for %d inputs)", err, train.cols);
    model.standardize = standardize;
    if (standardize) {
        model.mean = cli_xmalloc((size_t)train.cols * sizeof(float));
        model.std = cli_xmalloc((size_t)train.cols * sizeof(float));
        scaler_fit(train.x, train.n, train.cols, model.mean, model.std);
        scaler_apply(model.mean, model.std, train.x, train.n, train.cols);
        if (val_path)
            scaler_apply(model.mean, model.std, val.x, val.n, val.cols);
    }
    model_add_option(&model, "arch", arch);
    add_option(&model, "epochs", o.epochs);
    add_option(&model, "batch", o.batch);
    add_option(&model, "lr", o.lr);
    add_option(&model, "beta1", o.beta1);
    add_option(&model, "beta2", o.beta2);
    add_option(&model, "epsilon", o.epsilon);
    model_add_option(&model, "val", val_path ? "yes" : "no");
    add_option(&model, "patience", o.patience);
    add_option(&model, "lr_factor", o.lr_factor);
    add_option(&model, "lr_patience", o.lr_patience);
    add_option(&model, "lr_min_delta", o.lr_min_delta);
    add_option(&model, "standardize", standardize);
    add_option(&model, "seed", (double)o.seed);

    dataset dtrain = {train.x, y, train.n}, dval = {val_path ? val.x : NULL, vy,
                                                    val_path ? val.n : 0};
    train_history hist;
    if (train_fit(&model.net, &o, &dtrain, val_path ? &dval : NULL, &hist, print_epoch, run, err,
                  sizeof err) < 0)
        cli_fail(NULL, "%s", err);

    add_option(&model, "train_rows", (double)train.n);
    add_option(&model, "val_rows", val_path ? (double)val.n : 0.0);
    /* Results go last, after the options they came from. */
    char buf[64];
    snprintf(buf, sizeof buf, "%d", hist.n);
    model_add_result(&model, "epochs_run", buf);
    if (val_path) {
        snprintf(buf, sizeof buf, "%d", hist.best_epoch);
        model_add_result(&model, "best_epoch", buf);
        snprintf(buf, sizeof buf, "%.9g", hist.best_val_loss);
        model_add_result(&model, "best_val_loss", buf);
        model_add_result(&model, "restored_best", hist.stopped ? "yes" : "no");
    }
    const train_epoch *last = &hist.epochs[hist.n - 1];
    if (val_path && hist.best_epoch > 0) {
        const train_epoch *b = &hist.epochs[hist.best_epoch - 1];
        fprintf(stderr, "best epoch %d val_loss %.4f val_acc %.4f (%s)\n", b->epoch, b->val_loss,
                b->val_acc,
                hist.stopped ? "early stop: its weights were restored"
                             : "ran every epoch: the last epoch's weights are kept, as Keras does");
    } else {
        fprintf(stderr, "best epoch %d loss %.4f acc %.4f (no validation: the last epoch)\n",
                last->epoch, last->loss, last->acc);
    }
    char model_sha[65];
    size_t model_bytes;
    char out_sha[65];
    if (model_write(&model, out.fp, model_sha, &model_bytes) < 0 || outfile_sha256(&out, out_sha) < 0)
        cli_fail(outfile_name(&out), "cannot write: %s", strerror(errno));

    if (run) {
        for (int i = 0; i < model.n_options; ++i)
            store_param(run, model.options[i].key, model.options[i].value);
        store_param(run, "val", val_path ? val_path : "");
        store_param(run, "output", output);
        store_param(run, "output_sha256", out_sha);
        store_param_sha256(run, "input_sha256", &train_hash);
        if (val_path)
            store_param_sha256(run, "val_sha256", &val_hash);
        store_param(run, "feature_meta", train.meta);
        store_metric(run, "epochs_run", 0, hist.n);
        if (val_path) {
            store_metric(run, "best_epoch", 0, hist.best_epoch);
            store_metric(run, "best_val_loss", 0, hist.best_val_loss);
        }
        store_model(run, strcmp(output, "-") == 0 ? NULL : output, model_sha,
                    (long long)model_bytes);
    }
    /* Recorded before the model is installed: a run that cannot be recorded leaves none
     * (make would otherwise take the model for up to date). */
    store_cli_finish(&sc, run);
    if (outfile_commit(&out) < 0)
        cli_fail(outfile_name(&out), "cannot write: %s", strerror(errno));

    train_history_free(&hist);
    model_free(&model);
    for (int i = 0; i < k; ++i)
        free(classes[i]);
    free(classes);
    free(y);
    free(vy);
    featset_free(&train);
    if (val_path)
        featset_free(&val);
    return CLI_EXIT_OK;
}
