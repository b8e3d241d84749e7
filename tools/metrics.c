/* metrics: classification report, confusion matrix and log loss of nnpredict's
 * labelled predictions (man 1 metrics). */
#include "eval/metrics.h"
#include "base/cli.h"
#include "base/opts.h"
#include "base/outfile.h"
#include "eval/groupmetrics.h"
#include "store/storecli.h"
#include "stream/speakercli.h"

#include <stdlib.h>
#include <string.h>

enum { FORMAT_TEXT, FORMAT_JSON, FORMAT_TSV };
enum { ZERO_DIVISION_WARN, ZERO_DIVISION_0, ZERO_DIVISION_1 };

static int format = FORMAT_TEXT, digits = 2, zero_division = ZERO_DIVISION_WARN;
static const char *output = "-", *truth, *libsvm_data, *libsvm_classes;
static speakercli speakers;
static storecli sc;

static opts_entry options[] = {
    OPTS_SECTION("Options"),
    {.name = "format",
     .short_name = 'f',
     .type = OPTS_CHOICE,
     .dest = &format,
     .arg = "FMT",
     .choices = "text|json|tsv",
     .help = "output format: text (report, confusion matrix, log loss), json or tsv"},
    {.name = "digits",
     .short_name = 'd',
     .type = OPTS_INT,
     .dest = &digits,
     .lo = 0,
     .hi = 15,
     .help = "decimals of the text report, as sklearn's digits"},
    {.name = "zero-division",
     .type = OPTS_CHOICE,
     .dest = &zero_division,
     .arg = "Z",
     .choices = "warn|0|1",
     .help = "precision/recall of a class never predicted/never true: 0 with a warning "
             "(sklearn's default), 0 or 1"},
    OPTS_SECTION(
        "Predictions made elsewhere (one PREDICTIONS file; no log loss without probabilities)"),
    {.name = "truth",
     .type = OPTS_FILE,
     .dest = &truth,
     .def = "none",
     .excludes = "libsvm",
     .help = "PREDICTIONS is a Kaggle submission (Filename,Class): score it against this solution "
             "CSV (Filename,Class); every file exactly once"},
    {.name = "libsvm",
     .type = OPTS_FILE,
     .dest = &libsvm_data,
     .def = "none",
     .needs = "classes",
     .help = "PREDICTIONS is svm-predict's output (with or without -b 1): score it against the "
             "labels of this libsvm data file"},
    {.name = "classes",
     .type = OPTS_FILE,
     .dest = &libsvm_classes,
     .def = "none",
     .needs = "libsvm",
     .help = "the class list featdump --libsvm --save-classes wrote (line k = label k)"},
    OPTS_SECTION("Output"),
    OPTS_OUTPUT(output),
    OPTS_SECTION("Per speaker"),
    SPEAKERCLI_OPTIONS(speakers, "group", "none", NULL,
                       "also accuracy and macro-F1 per speaker, the first capture group of REGEX "
                       "(POSIX extended) in the key, and their spread (mean, sd, min, max)"),
    STORECLI_OPTIONS(sc),
    OPTS_END,
};

static const opts_spec spec = {
    .usage =
        "Usage: metrics [options] [PREDICTIONS ...]\n"
        "Scores nnpredict's labelled predictions (TSV: key, label, pred, p_CLASS...) read from\n"
        "the files in turn, or stdin when none or '-' is given: scikit-learn's\n"
        "classification_report, the confusion matrix and the log loss.\n"
        "\n",
    .options = options,
    .footer =
        "Examples:\n"
        "  nnpredict -m ann.nn val.feat > ann.tsv && metrics ann.tsv\n"
        "  metrics --format json fold1.tsv fold2.tsv > cv.json\n"
        "  metrics --db experiments.db --tag dataset=sentimiento_es ann.tsv\n"
        "  metrics --group '-([0-9]+)\\.[a-z]+$' fold*.tsv\n"
        "  metrics --truth solution.csv submission.csv\n"
        "  svm-predict val.svm model val.out && metrics --libsvm val.svm --classes classes.txt val.out\n"
        "\n"
        "See also: nnpredict(1), nnfit(1), sentio-store(5)\n",
};

/* The option's word as given ("json", "warn"...), for the store. */
static const char *option_word(const char *name, char *buf, size_t len)
{
    opts_value_text(opts_find(&spec, name), buf, len);
    return buf;
}

static void warn_undefined(const metrics_data *d, const metrics_report *r, const bool *flags,
                           const char *what)
{
    char list[512];
    size_t used = 0;
    list[0] = '\0';
    for (size_t i = 0; i < r->nlabels; i++)
        if (flags[i] && used < sizeof list)
            used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "",
                                     d->classes[r->labels[i]]);
    if (used)
        cli_warn(NULL, "%s: %s (--zero-division sets the value)", what, list);
}

/* metrics_print_json's object, with the per-speaker figures inside it when given. */
static void print_json(FILE *fp, const metrics_data *d, const metrics_report *r,
                       const metrics_groups *g)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!mem)
        cli_fail(NULL, "out of memory");
    metrics_print_json(mem, d, r);
    fclose(mem);
    /* The object ends "}\n": the speakers go before its closing brace. */
    while (len && (text[len - 1] == '\n' || text[len - 1] == '}'))
        if (text[--len] == '}')
            break;
    fwrite(text, 1, len, fp);
    if (g)
        metrics_groups_print_json(fp, g);
    fputs("}\n", fp);
    free(text);
}

int main(int argc, char **argv)
{
    cli_init(argv[0]);
    char **command = cli_argv_copy(argc, argv); /* getopt_long permutes argv */
    int first = opts_parse(&spec, argc, argv);
    store_run *run = storecli_begin(&sc, "metrics", argc, command, STORE_NO_SEED);

    int nfiles = argc - first;
    char **files = argv + first;
    static char *stdin_only[] = {"-"};
    if (nfiles == 0) {
        files = stdin_only;
        nfiles = 1;
    }
    metrics_data d;
    metrics_data_init(&d);
    char err[SENTIO_ERR_LEN];
    if ((truth || libsvm_data) && (argc - first != 1 || strcmp(files[0], "-") == 0))
        cli_usage_error("--truth and --libsvm score one PREDICTIONS file");
    if (truth && metrics_read_kaggle(&d, truth, files[0], err, sizeof err) != 0)
        cli_fail(NULL, "%s", err);
    if (libsvm_data &&
        metrics_read_libsvm(&d, libsvm_data, libsvm_classes, files[0], err, sizeof err) != 0)
        cli_fail(NULL, "%s", err);
    for (int i = 0; i < nfiles && !truth && !libsvm_data; i++) {
        if (metrics_read_path(&d, files[i], err, sizeof err) != 0)
            cli_fail(cli_input_name(files[i]), "%s", err);
    }
    if (d.n == 0)
        cli_fail(nfiles == 1 ? cli_input_name(files[0]) : NULL,
                 "no predictions: the input has a header but no records");

    metrics_report r;
    metrics_compute(&d, zero_division == ZERO_DIVISION_1 ? 1.0 : 0.0, &r);
    if (zero_division == ZERO_DIVISION_WARN) {
        warn_undefined(
            &d, &r, r.no_predicted,
            "precision and F-score are ill-defined and set to 0.0 for classes never predicted");
        warn_undefined(
            &d, &r, r.no_true,
            "recall and F-score are ill-defined and set to 0.0 for classes with no true samples");
    }

    speaker_map speaker_of;
    metrics_groups groups = {0};
    bool by_speaker = speakercli_map(&speakers, &speaker_of);
    if (by_speaker &&
        metrics_by_group(&d, &speaker_of, zero_division == ZERO_DIVISION_1 ? 1.0 : 0.0, &groups,
                         err, sizeof err) != 0)
        cli_fail(nfiles == 1 ? cli_input_name(files[0]) : NULL, "--%s: %s",
                 speakercli_option(&speakers), err);

    outfile out;
    outfile_open_or_fail(&out, output);
    if (format == FORMAT_JSON)
        print_json(out.fp, &d, &r, by_speaker ? &groups : NULL);
    else if (format == FORMAT_TSV)
        metrics_print_tsv(out.fp, &d, &r);
    else
        metrics_print_text(out.fp, &d, &r, digits);
    if (by_speaker && format == FORMAT_TSV)
        metrics_groups_print_tsv(out.fp, &groups);
    else if (by_speaker && format == FORMAT_TEXT)
        metrics_groups_print_text(out.fp, &groups);
    /* Recorded before the output is installed: a run that cannot be recorded leaves none. */
    char out_sha[65];
    outfile_sha256_or_fail(&out, out_sha);
    store_param(run, "output_sha256", out_sha);

    char word[16];
    store_param(run, "format", option_word("format", word, sizeof word));
    store_paramf(run, "digits", "%d", digits);
    store_param(run, "zero_division", option_word("zero-division", word, sizeof word));
    store_param(run, "output", output);
    store_param_sha256(run, "input_sha256", &d.hash);
    store_param(run, "group", speakers.regex ? speakers.regex : "");
    store_param(run, "utt2spk", speakers.utt2spk ? speakers.utt2spk : "");
    metrics_record(run, &d, &r);
    if (by_speaker)
        metrics_groups_record(run, &groups);
    storecli_finish(&sc, run);
    outfile_commit_or_fail(&out);
    metrics_groups_free(&groups);
    speaker_map_free(&speaker_of);
    metrics_report_free(&r);
    metrics_data_free(&d);
    return CLI_EXIT_OK;
}
