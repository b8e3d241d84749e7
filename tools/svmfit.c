/* svmfit - a support vector machine on libsvm, into a sentio model file (man 1 svmfit). */
#include "base/cli.h"
#include "base/json.h"
#include "base/opts.h"
#include "base/outfile.h"
#include "base/signals.h"
#include "nn/scaler.h"
#include "store/storecli.h"
#include "stream/featset.h"
#include "stream/featstream.h"
#include "stream/speaker.h"
#include "svm/svmgrid.h"
#include "svm/svmmodel.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_GRID 64

static const char *output, *group_regex, *utt2spk;
static const char *grid_c_text = "0.25,1,4,16,64", *grid_gamma_text = "0.125,0.25,0.5,1,2";
static double cost = 1, gamma_value = 0;
static int kernel = SVM_KERNEL_RBF, grid_folds = 5;
static bool grid;
static long seed = 1;
static storecli sc;

static opts_entry options[] = {
    OPTS_SECTION("Model"),
    {.name = "output",
     .short_name = 'o',
     .type = OPTS_FILE,
     .dest = &output,
     .def = "required",
     .help = "model file to write ('-' is stdout)"},
    {.name = "kernel",
     .type = OPTS_CHOICE,
     .dest = &kernel,
     .arg = "K",
     .choices = "rbf|linear",
     .help = "RBF exp(-gamma |u-v|^2), or linear u.v"},
    {.name = "cost",
     .short_name = 'c',
     .type = OPTS_REAL,
     .dest = &cost,
     .arg = "C",
     .lo = 1e-6,
     .hi = 1e9,
     .help = "C, the penalty of a margin violation"},
    {.name = "gamma",
     .type = OPTS_REAL,
     .dest = &gamma_value,
     .lo = 1e-12,
     .hi = 1e9,
     .def = "1/inputs",
     .help = "RBF width (on z-scored features)"},
    {.name = "seed",
     .type = OPTS_LONG,
     .dest = &seed,
     .lo = 0,
     .hi = 4294967295.0,
     .help = "seeds libsvm's rand() (probability CV) and the grid's folds: the same seed, "
             "the same model file"},
    OPTS_SECTION("Choosing C and gamma by cross-validation in the training set"),
    {.name = "grid",
     .type = OPTS_FLAG,
     .dest = &grid,
     .help = "try every C of --grid-c with every gamma of --grid-gamma; print the accuracies "
             "on stderr and train the best pair"},
    {.name = "grid-c",
     .type = OPTS_TEXT,
     .dest = &grid_c_text,
     .arg = "LIST",
     .help = "C values, comma-separated, ascending"},
    {.name = "grid-gamma",
     .type = OPTS_TEXT,
     .dest = &grid_gamma_text,
     .arg = "LIST",
     .help = "gamma values as multiples of 1/inputs, comma-separated, ascending (ignored "
             "with --kernel linear)"},
    {.name = "grid-folds",
     .type = OPTS_INT,
     .dest = &grid_folds,
     .lo = 2,
     .hi = 1000,
     .help = "cross-validation folds; when not given and there are fewer speakers, one fold per "
             "speaker"},
    {.name = "group",
     .type = OPTS_TEXT,
     .dest = &group_regex,
     .arg = "REGEX",
     .needs = "grid",
     .help = "keep each speaker (the first capture group of REGEX in the key) in one fold; "
             "without it or --utt2spk the folds are stratified by class"},
    {.name = "utt2spk",
     .type = OPTS_FILE,
     .dest = &utt2spk,
     .needs = "grid",
     .excludes = "group",
     .help = "the speakers from a Kaldi utt2spk file instead of --group"},
    STORECLI_OPTIONS(sc),
    OPTS_END,
};

static const opts_spec spec = {
    .usage = "Usage: svmfit [options] [TRAIN_STREAM ...] -o MODEL\n"
             "Train a C-SVC (libsvm) on labelled one-row feature records (stdin when no file\n"
             "or '-' is given), with the features z-scored as in training and Platt-scaled\n"
             "class probabilities, and write a model file nnpredict reads like nnfit's.\n"
             "The classes are the distinct labels, sorted by name.\n"
             "\n",
    .options = options,
    .footer =
        "Exit status: 0 success, 1 error, 2 usage error.\n"
        "\n"
        "Examples:\n"
        "  wav2mfcc --pool meanstd --csv TRAIN.csv | svmfit -o m.svm\n"
        "  svmfit --grid --group '-([0-9]+)\\.[a-z]+$' train.feat -o m.svm\n"
        "  svmfit --kernel linear -c 0.1 train.feat -o lin.svm && nnpredict -m lin.svm test.feat\n"
        "\n"
        "See also: nnpredict(1), nnfit(1), featnorm(1), featpaste(1), metrics(1)\n",
};

/* "0.25,1,4" -> values; usage error naming the option on anything else. */
static int parse_list(const char *option, const char *text, double *v)
{
    int n = 0;
    const char *p = text;
    for (;;) {
        char *end;
        errno = 0;
        double x = strtod(p, &end);
        if (end == p || errno || !isfinite(x) || x <= 0 || (*end && *end != ','))
            cli_usage_error("--%s: '%s' is not a list of positive numbers", option, text);
        if (n == MAX_GRID)
            cli_usage_error("--%s: more than %d values", option, MAX_GRID);
        v[n++] = x;
        if (!*end)
            return n;
        p = end + 1;
    }
}

/* Speaker ids of the training rows, or NULL without --group/--utt2spk. */
static size_t *speaker_numbers(const featset *s, size_t *ngroups)
{
    speaker_map m;
    if (!speaker_map_from_options(&m, "group", group_regex, utt2spk))
        return NULL;
    size_t *ids = cli_xmalloc(s->n * sizeof *ids);
    char err[FEAT_MAX_KEY + 1024];
    if (speaker_ids(&m, s->keys, s->n, ids, NULL, ngroups, err, sizeof err) < 0)
        cli_fail(NULL, "%s", err);
    speaker_map_free(&m);
    return ids;
}

static void print_grid(const svm_grid *g)
{
    fprintf(stderr, "%s: grid accuracy (%d-fold CV in the training set), rows C, columns gamma\n",
            cli_progname(), grid_folds);
    fprintf(stderr, "%10s", "C\\gamma");
    for (int b = 0; b < g->ngamma; ++b)
        fprintf(stderr, " %9.4g", g->gamma[b]);
    fputc('\n', stderr);
    for (int a = 0; a < g->nC; ++a) {
        fprintf(stderr, "%10.4g", g->C[a]);
        for (int b = 0; b < g->ngamma; ++b)
            fprintf(stderr, " %8.4f%s", g->acc[a * g->ngamma + b],
                    a == g->best_c && b == g->best_gamma ? "*" : " ");
        fputc('\n', stderr);
    }
}

static void add_number(svm_classifier *c, const char *key, double v)
{
    modelfile_add_number(&c->head.options, &c->head.n_options, key, v);
}

/* The grid's folds (grouped by speaker when asked) and its search; returns the winner's
 * C and gamma in o, the accuracies in g. A stop signal ends the search, and run (the
 * store's, or NULL) as 'failed'. */
static void run_grid(const featset *train, const int *y, int k, const svm_data *d,
                     svm_train_options *o, svm_grid *g, store_run *run)
{
    char err[FEAT_MAX_KEY + 1024];
    size_t ngroups = 0, *group_of = speaker_numbers(train, &ngroups);
    size_t *class_of = cli_xmalloc(train->n * sizeof *class_of);
    for (size_t i = 0; i < train->n; ++i)
        class_of[i] = (size_t)y[i];
    /* Fewer speakers than the default folds: one speaker per fold (leave-one-out). */
    if (group_of && ngroups >= 2 && ngroups < (size_t)grid_folds &&
        !opts_find(&spec, "grid-folds")->given) {
        fprintf(stderr, "%s: --grid: %zu speakers, so %zu folds (leave one speaker out)\n",
                cli_progname(), ngroups, ngroups);
        grid_folds = (int)ngroups;
    }
    int *fold_of = cli_xmalloc(train->n * sizeof *fold_of);
    if (svm_grid_folds(train->n, class_of, (size_t)k, group_of, ngroups, grid_folds,
                       (unsigned long)seed, fold_of, err, sizeof err) < 0)
        cli_fail(NULL, "--grid: %s", err);
    g->acc = cli_xmalloc((size_t)(g->nC * g->ngamma) * sizeof(double));
    if (svm_grid_search(d, fold_of, grid_folds, o, g, err, sizeof err) < 0) {
        storecli_stop_if_requested(&sc, run);
        cli_fail(NULL, "--grid: %s", err);
    }
    print_grid(g);
    o->C = g->C[g->best_c];
    o->gamma = g->gamma[g->best_gamma];
    free(fold_of);
    free(class_of);
    free(group_of);
}

/* Every option after defaults, and the grid's result, into the model file. */
static void describe(svm_classifier *c, const svm_train_options *o, const svm_grid *g, size_t rows)
{
    modelfile_add_kv(&c->head.options, &c->head.n_options, "kernel", svm_kernel_name(o->kernel));
    add_number(c, "C", o->C);
    add_number(c, "gamma", o->gamma);
    add_number(c, "seed", (double)seed);
    modelfile_add_kv(&c->head.options, &c->head.n_options, "grid", grid ? "yes" : "no");
    if (grid) {
        modelfile_add_kv(&c->head.options, &c->head.n_options, "grid_c", grid_c_text);
        modelfile_add_kv(&c->head.options, &c->head.n_options, "grid_gamma",
                         kernel == SVM_KERNEL_LINEAR ? "" : grid_gamma_text);
        add_number(c, "grid_folds", grid_folds);
        modelfile_add_kv(&c->head.options, &c->head.n_options, "group",
                         group_regex ? group_regex
                         : utt2spk   ? ""
                                     : "(stratified)");
        modelfile_add_kv(&c->head.options, &c->head.n_options, "utt2spk", utt2spk ? utt2spk : "");
    }
    add_number(c, "train_rows", (double)rows);
    if (g->acc) {
        char buf[64];
        json_format_double(buf, sizeof buf, g->acc[g->best_c * g->ngamma + g->best_gamma]);
        modelfile_add_kv(&c->head.results, &c->head.n_results, "grid_best_acc", buf);
    }
}

static void record_run(store_run *run, const svm_classifier *c, const svm_grid *g,
                       const sha256_ctx *hash, const char *model_sha, size_t model_bytes)
{
    if (!run)
        return;
    for (int i = 0; i < c->head.n_options; ++i)
        store_param(run, c->head.options[i].key, c->head.options[i].value);
    store_param(run, "output", output);
    store_param_sha256(run, "input_sha256", hash);
    store_param(run, "feature_meta", c->head.feature_meta);
    for (int a = 0; g->acc && a < g->nC; ++a)
        for (int b = 0; b < g->ngamma; ++b) {
            char key[96];
            snprintf(key, sizeof key, "grid_acc_C%g_gamma%g", g->C[a], g->gamma[b]);
            store_metric(run, key, 0, g->acc[a * g->ngamma + b]);
        }
    if (g->acc)
        store_metric(run, "grid_best_acc", 0, g->acc[g->best_c * g->ngamma + g->best_gamma]);
    store_model(run, strcmp(output, "-") == 0 ? NULL : output, model_sha, (long long)model_bytes);
}

int main(int argc, char **argv)
{
    cli_init(argv[0]);
    char **command = cli_argv_copy(argc, argv);
    int first = opts_parse(&spec, argc, argv);
    if (!output)
        cli_usage_error("-o MODEL is required");
    double grid_c[MAX_GRID], grid_gamma[MAX_GRID];
    int nc = parse_list("grid-c", grid_c_text, grid_c);
    int ngamma =
        kernel == SVM_KERNEL_LINEAR ? 1 : parse_list("grid-gamma", grid_gamma_text, grid_gamma);
    store_run *run = storecli_begin(&sc, "svmfit", argc, command, seed);
    signals_defer_stop(run != NULL);

    outfile out;
    if (outfile_open(&out, output) < 0)
        cli_fail(output, "cannot create: %s", strerror(errno));
    featset train;
    sha256_ctx hash;
    sha256_init(&hash);
    char err[FEAT_MAX_KEY + 1024];
    if (featset_read(&train, argc - first, argv + first, &hash, err, sizeof err) < 0)
        cli_fail(NULL, "%s", err);
    char **classes;
    int k = featset_classes(&train, &classes);
    if (k < 2)
        cli_fail(argc > first ? argv[argc - 1] : "(stdin)",
                 "only one class ('%s'): training needs at least two", classes[0]);
    int *y = cli_xmalloc(train.n * sizeof *y);
    featset_encode(&train, classes, k, y, err, sizeof err);

    svm_classifier c = {.kernel = (svm_kernel)kernel, .n_inputs = train.cols};
    c.head = (modelfile_head){.n_classes = k,
                              .classes = classes,
                              .feature_meta = cli_xstrdup(train.meta),
                              .standardize = true};
    c.head.mean = cli_xmalloc((size_t)train.cols * sizeof(float));
    c.head.std = cli_xmalloc((size_t)train.cols * sizeof(float));
    scaler_fit(train.x, train.n, train.cols, c.head.mean, c.head.std);
    scaler_apply(c.head.mean, c.head.std, train.x, train.n, train.cols);
    svm_data d;
    svm_data_init(&d, train.x, y, train.n, train.cols);

    double unit = 1.0 / train.cols;
    svm_train_options o = {.kernel = (svm_kernel)kernel,
                           .C = cost,
                           .gamma = gamma_value > 0 ? gamma_value : unit,
                           .probability = true,
                           .seed = (unsigned)seed};
    for (int b = 0; b < ngamma; ++b)
        grid_gamma[b] = kernel == SVM_KERNEL_LINEAR ? o.gamma : grid_gamma[b] * unit;
    svm_grid g = {.C = grid_c, .gamma = grid_gamma, .nC = nc, .ngamma = ngamma};
    if (grid)
        run_grid(&train, y, k, &d, &o, &g, run);
    struct svm_model *m = svm_fit(&d, NULL, d.n, &o, err, sizeof err);
    storecli_stop_if_requested(&sc, run); /* told to stop while training: no model */
    if (!m || svm_classifier_adopt(&c, m, err, sizeof err) < 0)
        cli_fail(NULL, "%s", err);
    svm_model_release(m);
    describe(&c, &o, &g, train.n);
    fprintf(stderr, "%s: %s kernel, C %g, gamma %g, %zu rows of %d features, %d classes\n",
            cli_progname(), svm_kernel_name(o.kernel), o.C, o.gamma, train.n, train.cols, k);

    char model_sha[65];
    size_t model_bytes;
    if (svm_classifier_write(&c, out.fp, model_sha, &model_bytes) < 0 || outfile_commit(&out) < 0)
        cli_fail(outfile_name(&out), "cannot write: %s", strerror(errno));
    record_run(run, &c, &g, &hash, model_sha, model_bytes);
    storecli_finish(&sc, run);

    free(g.acc);
    svm_data_free(&d);
    svm_classifier_free(&c); /* frees classes too */
    free(y);
    featset_free(&train);
    return CLI_EXIT_OK;
}
