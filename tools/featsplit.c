/* featsplit - split a feature stream into training and validation streams (man 1 featsplit). */
#include "base/cli.h"
#include "base/opts.h"
#include "base/outfile.h"
#include "base/strmap.h"
#include "eval/split.h"
#include "store/storecli.h"
#include "stream/featstream.h"
#include "stream/speakercli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static split_options split = {.test_size = 0.2, .fold = 1};
static long seed = 42;
static const char *train_path, *val_path;
static speakercli speakers;
static storecli sc;

static opts_entry options[] = {
    OPTS_SECTION("Outputs"),
    {.name = "train",
     .type = OPTS_FILE,
     .dest = &train_path,
     .def = "required",
     .help = "write the training records to FILE"},
    {.name = "val",
     .type = OPTS_FILE,
     .dest = &val_path,
     .def = "required",
     .help = "write the validation records to FILE"},
    OPTS_SECTION("Split"),
    {.name = "test-size",
     .type = OPTS_REAL,
     .dest = &split.test_size,
     .arg = "T",
     .lo = 0,
     .lo_open = true,
     .hi = 1e15,
     .range = "(0,1) or int >= 1",
     .excludes = "folds",
     .help = "validation share: a fraction, or a count of records (of groups with --group) when "
             ">= 1; the count is ceil(T*n) as sklearn's"},
    {.name = "seed",
     .type = OPTS_LONG,
     .dest = &seed,
     .lo = 0,
     .hi = SPLIT_MAX_SEED,
     .help = "random seed, numpy's RandomState(N)"},
    {.name = "sklearn",
     .type = OPTS_FLAG,
     .dest = &split.sklearn,
     .excludes = "stratify,group,utt2spk,folds",
     .help = "exactly sklearn's train_test_split(X, test_size=T, random_state=N): same records, "
             "in its (permuted) order"},
    {.name = "stratify",
     .type = OPTS_FLAG,
     .dest = &split.stratify,
     .excludes = "group,utt2spk",
     .help = "keep each label's share on both sides"},
    SPEAKERCLI_OPTIONS(speakers, "group", "none", NULL,
                       "keep records whose key gives the same first capture group of REGEX "
                       "(POSIX extended) on one side; a key it does not match is an error"),
    {.name = "folds",
     .type = OPTS_INT,
     .dest = &split.folds,
     .arg = "K",
     .def = "off",
     .lo = 2,
     .hi = 1000000,
     .help = "K-fold cross-validation: fold I is validation, the rest training (stratified or "
             "grouped when asked)"},
    {.name = "fold",
     .type = OPTS_INT,
     .dest = &split.fold,
     .arg = "I",
     .lo = 1,
     .hi = 1000000,
     .range = "1..K",
     .needs = "folds",
     .help = "which fold is the validation side"},
    STORECLI_OPTIONS(sc),
    OPTS_END,
};

static const opts_spec spec = {
    .usage = "Usage: featsplit [options] [STREAM ...] --train FILE --val FILE\n"
             "Splits the records of a feature stream (stdin when none or '-') into a training and\n"
             "a validation stream, both complete streams. Class counts per side go to stderr.\n"
             "\n",
    .options = options,
    .footer =
        "Without --sklearn the outputs keep the input order; the plain holdout then holds\n"
        "the same records as --sklearn with the same seed.\n"
        "\n"
        "Examples:\n"
        "  featsplit --sklearn --seed 42 train.feat --train tr.feat --val va.feat\n"
        "  featsplit --stratify --test-size 0.25 all.feat --train tr.feat --val va.feat\n"
        "  featsplit --group '-([0-9]+)\\.[a-z]+$' all.feat --train tr.feat --val va.feat\n"
        "  for i in 1 2 3 4 5; do\n"
        "    featsplit --folds 5 --fold $i --stratify all.feat --train tr$i.feat --val va$i.feat\n"
        "  done\n"
        "\n"
        "See also: featstream(5), featdump(1), nnfit(1), metrics(1)\n",
};

/* What the table cannot say: the outputs, whole counts, a fold within --folds. */
static void check_options(void)
{
    if (!train_path || !val_path)
        cli_usage_error("--train FILE and --val FILE are required");
    if (strcmp(train_path, val_path) == 0)
        cli_usage_error("--train and --val name the same file");
    if (strcmp(train_path, "-") == 0 && strcmp(val_path, "-") == 0)
        cli_usage_error("--train and --val cannot both be stdout");
    if (split.test_size >= 1 && split.test_size != floor(split.test_size))
        cli_usage_error("--test-size: %g is neither a fraction below 1 nor a whole count",
                        split.test_size);
    if (split.folds && split.fold > split.folds)
        cli_usage_error("--fold: %d is outside 1..%d", split.fold, split.folds);
    split.seed = (unsigned long)seed;
    split.grouped = speakercli_given(&speakers);
}

typedef struct {
    feat_record *recs;
    size_t n, cap;
} record_list;

static void read_all(int nfiles, char **files, record_list *list, sha256_ctx *hash)
{
    feat_input in;
    feat_input_init(&in, nfiles, files);
    in.hash = hash;
    for (;;) {
        if (list->n == list->cap) {
            list->cap = list->cap ? 2 * list->cap : 256;
            list->recs = cli_xrealloc(list->recs, list->cap * sizeof *list->recs);
        }
        memset(&list->recs[list->n], 0, sizeof *list->recs);
        int rc = feat_input_next(&in, &list->recs[list->n]);
        if (rc < 0)
            cli_fail(NULL, "%s", in.reader.err);
        if (rc == 0)
            break;
        list->n++;
    }
    feat_record_free(&list->recs[list->n]);
    feat_input_close(&in);
    if (list->n == 0)
        cli_fail(nfiles == 1 ? files[0] : NULL, "no records to split (empty stream)");
}

/* Class ids numbered in the order of the label names. */
static size_t *class_ids(const record_list *list, strmap *labels)
{
    size_t *first = cli_xmalloc(list->n * sizeof *first);
    for (size_t i = 0; i < list->n; i++)
        first[i] = strmap_add(labels, list->recs[i].label);
    size_t *rank = strmap_ranks(labels);
    for (size_t i = 0; i < list->n; i++)
        first[i] = rank[first[i]];
    free(rank);
    return first;
}

static size_t *group_ids(const record_list *list, size_t *ngroups)
{
    char **keys = cli_xmalloc(list->n * sizeof *keys);
    for (size_t i = 0; i < list->n; i++)
        keys[i] = list->recs[i].key;
    size_t *ids = speakercli_ids(&speakers, keys, list->n, ngroups);
    free(keys);
    return ids;
}

static void write_side(outfile *out, const record_list *list, const size_t *idx, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (feat_write(out->fp, &list->recs[idx[i]]) != 0)
            outfile_write_failed(out);
}

/* "featsplit: train: 8 records (Negative 3, Positive 5)" on stderr. */
static void report_side(const char *side, const size_t *idx, size_t n, const size_t *class_of,
                        const strmap *labels)
{
    size_t *count = cli_xcalloc(labels->n, sizeof *count);
    for (size_t i = 0; i < n; i++)
        count[class_of[idx[i]]]++;
    size_t *sorted = strmap_sorted_ids(labels);
    fprintf(stderr, "%s: %s: %zu record%s (", cli_progname(), side, n, n == 1 ? "" : "s");
    for (size_t k = 0; k < labels->n; k++) {
        const char *name = labels->names[sorted[k]];
        fprintf(stderr, "%s%s %zu", k ? ", " : "", *name ? name : "(unlabelled)", count[k]);
    }
    fprintf(stderr, ")\n");
    free(sorted);
    free(count);
}

/* Every option after defaults, the input's hash and metadata, and the side sizes. */
static void record_run(store_run *run, const record_list *list, const split_result *res,
                       const sha256_ctx *input_hash)
{
    store_param(run, "train", train_path);
    store_param(run, "val", val_path);
    store_paramf(run, "test_size", "%.17g", split.test_size);
    store_paramf(run, "seed", "%lu", (unsigned long)split.seed);
    store_param(run, "sklearn", split.sklearn ? "1" : "0");
    store_param(run, "stratify", split.stratify ? "1" : "0");
    store_param(run, "group", speakers.regex ? speakers.regex : "");
    store_param(run, "utt2spk", speakers.utt2spk ? speakers.utt2spk : "");
    store_paramf(run, "folds", "%d", split.folds);
    store_paramf(run, "fold", "%d", split.folds ? split.fold : 0);
    store_param_sha256(run, "input_sha256", input_hash);
    store_param(run, "feature_meta", list->recs[0].meta);
    store_metric(run, "n", 0, (double)list->n);
    store_metric(run, "n_train", 0, (double)res->ntrain);
    store_metric(run, "n_val", 0, (double)res->nval);
}

int main(int argc, char **argv)
{
    cli_init(argv[0]);
    char **command = cli_argv_copy(argc, argv); /* getopt_long permutes argv */
    int first = opts_parse(&spec, argc, argv);
    check_options();
    store_run *run = storecli_begin(&sc, "featsplit", argc, command, (long)split.seed);
    record_list list = {0};
    sha256_ctx input_hash;
    sha256_init(&input_hash);
    read_all(argc - first, argv + first, &list, &input_hash);

    strmap labels = {0};
    size_t *class_of = class_ids(&list, &labels);
    size_t ngroups = 0, *group_of = split.grouped ? group_ids(&list, &ngroups) : NULL;

    split_result res;
    char err[SENTIO_ERR_LEN];
    if (split_partition(&split, list.n, class_of, labels.n, group_of, ngroups, &res, err,
                        sizeof err) != 0)
        cli_fail(NULL, "%s", err);

    outfile train, val;
    outfile_open_or_fail(&train, train_path);
    outfile_open_or_fail(&val, val_path);
    outfile_refuse_terminal(&train);
    outfile_refuse_terminal(&val);
    write_side(&train, &list, res.train, res.ntrain);
    write_side(&val, &list, res.val, res.nval);
    /* Recorded before the outputs are installed: a run that cannot be recorded leaves none. */
    char train_sha[65], val_sha[65];
    outfile_sha256_or_fail(&train, train_sha);
    outfile_sha256_or_fail(&val, val_sha);
    record_run(run, &list, &res, &input_hash);
    store_param(run, "train_sha256", train_sha);
    store_param(run, "val_sha256", val_sha);
    storecli_finish(&sc, run);
    outfile_commit_or_fail(&train);
    outfile_commit_or_fail(&val);
    report_side("train", res.train, res.ntrain, class_of, &labels);
    report_side("val", res.val, res.nval, class_of, &labels);

    split_result_free(&res);
    free(class_of);
    free(group_of);
    strmap_free(&labels);
    for (size_t i = 0; i < list.n; i++)
        feat_record_free(&list.recs[i]);
    free(list.recs);
    return CLI_EXIT_OK;
}
