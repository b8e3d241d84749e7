/* metrics: classification report, confusion matrix and log loss of nnpredict's
 * labelled predictions (man 1 metrics). */
#include "base/cli.h"
#include "eval/metrics.h"
#include "base/outfile.h"
#include "store/store.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void usage(void)
{
    fputs("Usage: metrics [options] [PREDICTIONS ...]\n"
          "Scores nnpredict's labelled predictions (TSV: key, label, pred, p_CLASS...) read from\n"
          "the files in turn, or stdin when none or '-' is given: scikit-learn's\n"
          "classification_report, the confusion matrix and the log loss.\n"
          "\n"
          "  -f, --format FMT   output format: text (report, confusion matrix, log loss),\n"
          "                     json or tsv (text|json|tsv, text)\n"
          "  -d, --digits N     decimals of the text report, as sklearn's digits (int, 2, 0..15)\n"
          "  --zero-division Z  precision/recall of a class never predicted/never true: 0 with\n"
          "                     a warning (sklearn's default), 0 or 1 (warn|0|1, warn)\n"
          "  -o, --output FILE  write FILE (atomically) instead of stdout (path, stdout)\n",
          stdout);
    fputs(store_cli_usage, stdout);
    fputs("  -h, --help         show this help and exit\n"
          "  --version          show the version and exit\n"
          "\n"
          "Examples:\n"
          "  nnpredict -m ann.nn val.feat > ann.tsv && metrics ann.tsv\n"
          "  metrics --format json fold1.tsv fold2.tsv > cv.json\n"
          "  metrics --db experiments.db --tag dataset=sentimiento_es ann.tsv\n"
          "\n"
          "See also: nnpredict(1), nnfit(1), sentio-store(5)\n",
          stdout);
}

enum { OPT_VERSION = 1, OPT_ZERO_DIVISION };

static void warn_undefined(const metrics_data *d, const metrics_report *r, const bool *flags, const char *what)
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

int main(int argc, char **argv)
{
    cli_init(argv[0]);
    char **command = cli_argv_copy(argc, argv); /* getopt_long permutes argv */
    static const struct option longopts[] = {
        {"format", required_argument, NULL, 'f'},
        {"digits", required_argument, NULL, 'd'},
        {"zero-division", required_argument, NULL, OPT_ZERO_DIVISION},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, OPT_VERSION},
        STORE_CLI_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    const char *format = "text", *output = "-", *zero_division = "warn";
    int digits = 2;
    store_cli sc = {0};
    int opt;
    while ((opt = getopt_long(argc, argv, "f:d:o:h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'f':
            if (strcmp(optarg, "text") && strcmp(optarg, "json") && strcmp(optarg, "tsv"))
                cli_usage_error("--format: '%s' is not text, json or tsv", optarg);
            format = optarg;
            break;
        case 'd':
            digits = (int)cli_parse_long("--digits", optarg, 0, 15);
            break;
        case OPT_ZERO_DIVISION:
            if (strcmp(optarg, "warn") && strcmp(optarg, "0") && strcmp(optarg, "1"))
                cli_usage_error("--zero-division: '%s' is not warn, 0 or 1", optarg);
            zero_division = optarg;
            break;
        case 'o':
            output = optarg;
            break;
        case 'h':
            usage();
            return CLI_EXIT_OK;
        case OPT_VERSION:
            cli_print_version();
            return CLI_EXIT_OK;
        STORE_CLI_CASES:
            store_cli_option(&sc, opt, optarg);
            break;
        default:
            cli_usage_error("unknown option");
        }
    }
    store_run *run = store_cli_begin(&sc, "metrics", argc, command, STORE_NO_SEED);

    int nfiles = argc - optind;
    char **files = argv + optind;
    static char *stdin_only[] = {"-"};
    if (nfiles == 0) {
        files = stdin_only;
        nfiles = 1;
    }
    metrics_data d;
    metrics_data_init(&d);
    char err[1024];
    for (int i = 0; i < nfiles; i++) {
        if (metrics_read_path(&d, files[i], err, sizeof err) != 0)
            cli_fail(cli_input_name(files[i]), "%s", err);
    }
    if (d.n == 0)
        cli_fail(nfiles == 1 ? cli_input_name(files[0]) : NULL,
                 "no predictions: the input has a header but no records");

    metrics_report r;
    metrics_compute(&d, strcmp(zero_division, "1") == 0 ? 1.0 : 0.0, &r);
    if (strcmp(zero_division, "warn") == 0) {
        warn_undefined(&d, &r, r.no_predicted,
                       "precision and F-score are ill-defined and set to 0.0 for classes never predicted");
        warn_undefined(&d, &r, r.no_true,
                       "recall and F-score are ill-defined and set to 0.0 for classes with no true samples");
    }

    outfile out;
    if (outfile_open(&out, output) != 0)
        cli_fail(output, "%s", strerror(errno));
    if (strcmp(format, "json") == 0)
        metrics_print_json(out.fp, &d, &r);
    else if (strcmp(format, "tsv") == 0)
        metrics_print_tsv(out.fp, &d, &r);
    else
        metrics_print_text(out.fp, &d, &r, digits);
    /* Recorded before the output is installed: a run that cannot be recorded leaves none. */
    char out_sha[65];
    if (outfile_sha256(&out, out_sha) != 0)
        cli_fail(outfile_name(&out), "%s", strerror(errno));
    store_param(run, "output_sha256", out_sha);

    store_param(run, "format", format);
    store_paramf(run, "digits", "%d", digits);
    store_param(run, "zero_division", zero_division);
    store_param(run, "output", output);
    store_param_sha256(run, "input_sha256", &d.hash);
    metrics_record(run, &d, &r);
    store_cli_finish(&sc, run);
    if (outfile_commit(&out) != 0)
        cli_fail(outfile_name(&out), "%s", strerror(errno));
    metrics_report_free(&r);
    metrics_data_free(&d);
    return CLI_EXIT_OK;
}
