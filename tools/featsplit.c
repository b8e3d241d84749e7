/* featsplit - split a feature stream into training and validation streams (man 1 featsplit). */
#include "base/cli.h"
#include "stream/featstream.h"
#include "base/outfile.h"
#include "eval/split.h"
#include "store/store.h"
#include "base/strmap.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void usage(void)
{
    printf(
        "Usage: featsplit [options] [STREAM ...] --train FILE --val FILE\n"
        "Splits the records of a feature stream (stdin when none or '-') into a training and\n"
        "a validation stream, both complete streams. Class counts per side go to stderr.\n"
        "\n"
        "Options:\n"
        "  --train FILE       write the training records to FILE              (file, required)\n"
        "  --val FILE         write the validation records to FILE            (file, required)\n"
        "  --test-size T      validation share: a fraction, or a count of\n"
        "                     records (of groups with --group) when >= 1;\n"
        "                     the count is ceil(T*n) as sklearn's             (real, 0.2, (0,1) or int >= 1)\n"
        "  --seed N           random seed, numpy's RandomState(N)             (int, 42, 0..4294967295)\n"
        "  --sklearn          exactly sklearn's train_test_split(X,\n"
        "                     test_size=T, random_state=N): same records,\n"
        "                     in its (permuted) order                         (flag, off)\n"
        "  --stratify         keep each label's share on both sides           (flag, off)\n"
        "  --group REGEX      keep records whose key gives the same first\n"
        "                     capture group of REGEX (POSIX extended) on\n"
        "                     one side; a key it does not match is an error   (regex, none)\n"
        "  --folds K          K-fold cross-validation: fold I is validation,\n"
        "                     the rest training (stratified or grouped when\n"
        "                     asked)                                          (int, off, 2..1000000)\n"
        "  --fold I           which fold is the validation side               (int, 1, 1..K)\n"
        "  -h, --help         show this help and exit\n"
        "      --version      show the version and exit\n");
    fputs(store_cli_usage, stdout);
    printf(
        "\n"
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
        "See also: featstream(5), featdump(1), nnfit(1), metrics(1)\n");
}

enum { OPT_TRAIN = 256, OPT_VAL, OPT_TEST_SIZE, OPT_SEED, OPT_SKLEARN, OPT_STRATIFY, OPT_GROUP,
       OPT_FOLDS, OPT_FOLD, OPT_VERSION };

typedef struct {
    split_options split;
    const char *train, *val, *group;
    bool test_size_given, fold_given;
    store_cli store;
} options;

static options parse_options(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"train", required_argument, NULL, OPT_TRAIN},
        {"val", required_argument, NULL, OPT_VAL},
        {"test-size", required_argument, NULL, OPT_TEST_SIZE},
        {"seed", required_argument, NULL, OPT_SEED},
        {"sklearn", no_argument, NULL, OPT_SKLEARN},
        {"stratify", no_argument, NULL, OPT_STRATIFY},
        {"group", required_argument, NULL, OPT_GROUP},
        {"folds", required_argument, NULL, OPT_FOLDS},
        {"fold", required_argument, NULL, OPT_FOLD},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, OPT_VERSION},
        STORE_CLI_LONG_OPTIONS,
        {NULL, 0, NULL, 0}};
    options o = {.split = {.test_size = 0.2, .seed = 42, .fold = 1}};
    const char *fold_text = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_TRAIN: o.train = optarg; break;
        case OPT_VAL: o.val = optarg; break;
        case OPT_TEST_SIZE:
            o.split.test_size = cli_parse_double("--test-size", optarg, 0, 1e15);
            if (o.split.test_size <= 0)
                cli_usage_error("--test-size: %s is not above 0", optarg);
            if (o.split.test_size >= 1 && o.split.test_size != floor(o.split.test_size))
                cli_usage_error("--test-size: %s is neither a fraction below 1 nor a whole count",
                                optarg);
            o.test_size_given = true;
            break;
        case OPT_SEED: o.split.seed = (unsigned long)cli_parse_long("--seed", optarg, 0, 4294967295L); break;
        case OPT_SKLEARN: o.split.sklearn = true; break;
        case OPT_STRATIFY: o.split.stratify = true; break;
        case OPT_GROUP: o.group = optarg; break;
        case OPT_FOLDS: o.split.folds = (int)cli_parse_long("--folds", optarg, 2, 1000000); break;
        case OPT_FOLD: fold_text = optarg; break;
        case 'h': usage(); exit(CLI_EXIT_OK);
        case OPT_VERSION: cli_print_version(); exit(CLI_EXIT_OK);
        STORE_CLI_CASES: store_cli_option(&o.store, c, optarg); break;
        default: cli_usage_error("unknown option");
        }
    }
    if (!o.train || !o.val)
        cli_usage_error("--train FILE and --val FILE are required");
    if (strcmp(o.train, o.val) == 0)
        cli_usage_error("--train and --val name the same file");
    if (strcmp(o.train, "-") == 0 && strcmp(o.val, "-") == 0)
        cli_usage_error("--train and --val cannot both be stdout");
    o.split.grouped = o.group != NULL;
    if (o.split.sklearn && (o.split.stratify || o.split.grouped || o.split.folds))
        cli_usage_error("--sklearn is train_test_split without stratify, groups or folds");
    if (o.split.stratify && o.split.grouped)
        cli_usage_error("--stratify and --group cannot be combined");
    if (fold_text && !o.split.folds)
        cli_usage_error("--fold needs --folds");
    if (o.split.folds) {
        if (o.test_size_given)
            cli_usage_error("--test-size does not apply to --folds (each fold is 1/K)");
        if (fold_text)
            o.split.fold = (int)cli_parse_long("--fold", fold_text, 1, o.split.folds);
    }
    return o;
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
    size_t *sorted = strmap_sorted_ids(labels);
    size_t *rank = cli_xmalloc((labels->n ? labels->n : 1) * sizeof *rank);
    for (size_t k = 0; k < labels->n; k++)
        rank[sorted[k]] = k;
    for (size_t i = 0; i < list->n; i++)
        first[i] = rank[first[i]];
    free(rank);
    free(sorted);
    return first;
}

static size_t *group_ids(const record_list *list, const char *regex, size_t *ngroups)
{
    split_grouper g;
    char err[512];
    if (split_grouper_init(&g, regex, err, sizeof err) != 0)
        cli_usage_error("--group: %s", err);
    strmap groups = {0};
    size_t *ids = cli_xmalloc(list->n * sizeof *ids);
    for (size_t i = 0; i < list->n; i++) {
        char *name = split_group_of(&g, list->recs[i].key);
        if (!name)
            cli_fail(NULL, "--group: key '%s' (record %zu) does not match '%s'", list->recs[i].key,
                     i + 1, regex);
        ids[i] = strmap_add(&groups, name);
        free(name);
    }
    *ngroups = groups.n;
    strmap_free(&groups);
    split_grouper_free(&g);
    return ids;
}

static void write_side(outfile *out, const record_list *list, const size_t *idx, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (feat_write(out->fp, &list->recs[idx[i]]) != 0)
            cli_fail(outfile_name(out), "write error: %s", strerror(errno));
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
static void record_run(store_run *run, const options *o, const record_list *list,
                       const split_result *res, const sha256_ctx *input_hash)
{
    store_param(run, "train", o->train);
    store_param(run, "val", o->val);
    store_paramf(run, "test_size", "%.17g", o->split.test_size);
    store_paramf(run, "seed", "%lu", (unsigned long)o->split.seed);
    store_param(run, "sklearn", o->split.sklearn ? "1" : "0");
    store_param(run, "stratify", o->split.stratify ? "1" : "0");
    store_param(run, "group", o->group ? o->group : "");
    store_paramf(run, "folds", "%d", o->split.folds);
    store_paramf(run, "fold", "%d", o->split.folds ? o->split.fold : 0);
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
    options o = parse_options(argc, argv);
    store_run *run = store_cli_begin(&o.store, "featsplit", argc, command, (long)o.split.seed);
    record_list list = {0};
    sha256_ctx input_hash;
    sha256_init(&input_hash);
    read_all(argc - optind, argv + optind, &list, &input_hash);

    strmap labels = {0};
    size_t *class_of = class_ids(&list, &labels);
    size_t ngroups = 0, *group_of = o.group ? group_ids(&list, o.group, &ngroups) : NULL;

    split_result res;
    char err[512];
    if (split_partition(&o.split, list.n, class_of, labels.n, group_of, ngroups, &res, err,
                        sizeof err) != 0)
        cli_fail(NULL, "%s", err);

    outfile train, val;
    if (outfile_open(&train, o.train) != 0)
        cli_fail(o.train, "%s", strerror(errno));
    if (outfile_open(&val, o.val) != 0)
        cli_fail(o.val, "%s", strerror(errno));
    outfile_refuse_terminal(&train);
    outfile_refuse_terminal(&val);
    write_side(&train, &list, res.train, res.ntrain);
    write_side(&val, &list, res.val, res.nval);
    /* Recorded before the outputs are installed: a run that cannot be recorded leaves none. */
    char train_sha[65], val_sha[65];
    if (outfile_sha256(&train, train_sha) != 0)
        cli_fail(outfile_name(&train), "write error: %s", strerror(errno));
    if (outfile_sha256(&val, val_sha) != 0)
        cli_fail(outfile_name(&val), "write error: %s", strerror(errno));
    record_run(run, &o, &list, &res, &input_hash);
    store_param(run, "train_sha256", train_sha);
    store_param(run, "val_sha256", val_sha);
    store_cli_finish(&o.store, run);
    if (outfile_commit(&train) != 0)
        cli_fail(outfile_name(&train), "write error: %s", strerror(errno));
    if (outfile_commit(&val) != 0)
        cli_fail(outfile_name(&val), "write error: %s", strerror(errno));
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
