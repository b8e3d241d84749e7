/* nnpredict - class probabilities of feature records from an nnfit or svmfit model. */
#include "base/cli.h"
#include "base/opts.h"
#include "base/outfile.h"
#include "store/storecli.h"
#include "stream/featstream.h"
#include "svm/classifier.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { FORMAT_TSV, FORMAT_KAGGLE };

static const char *model_path, *output;
static int format = FORMAT_TSV;
static storecli sc;

static opts_entry options[] = {
    OPTS_SECTION("Options"),
    {.name = "model",
     .short_name = 'm',
     .type = OPTS_FILE,
     .dest = &model_path,
     .def = "required",
     .help = "model file from nnfit or svmfit"},
    {.name = "format",
     .type = OPTS_CHOICE,
     .dest = &format,
     .arg = "FMT",
     .choices = "tsv|kaggle",
     .help = "tsv: key, label, pred and p_CLASS columns with a header; kaggle: a Filename,Class "
             "CSV submission, keys without their directories"},
    OPTS_OUTPUT(output),
    STORECLI_OPTIONS(sc),
    OPTS_END,
};

static const opts_spec spec = {
    .usage = "Usage: nnpredict -m MODEL [options] [STREAM ...]\n"
             "Predict the class of every one-row feature record (stdin when no file or '-' is\n"
             "given) with a model written by nnfit (a network) or svmfit (a support vector\n"
             "machine). Streams: memory does not grow with the input.\n"
             "\n",
    .options = options,
    .footer = "Examples:\n"
              "  nnpredict -m ann.nn test.feat | metrics\n"
              "  wav2mfcc TEST/*.wav | nnpredict -m ann.nn --format kaggle > submission.csv\n"
              "  nnpredict -m m.svm test.feat -o pred.tsv\n"
              "\n"
              "See also: nnfit(1), svmfit(1), metrics(1), wav2mfcc(1), featstream(5)\n",
};

/* A CSV field, quoted when it holds a comma, quote, CR, LF or edge space (RFC 4180). */
static void put_csv(FILE *fp, const char *s)
{
    size_t n = strlen(s);
    if (!strpbrk(s, ",\"\r\n") && !(n && (s[0] == ' ' || s[n - 1] == ' '))) {
        fputs(s, fp);
        return;
    }
    fputc('"', fp);
    for (; *s; ++s) {
        if (*s == '"')
            fputc('"', fp);
        fputc(*s, fp);
    }
    fputc('"', fp);
}

int main(int argc, char **argv)
{
    cli_init(argv[0]);
    char **command = cli_argv_copy(argc, argv); /* getopt_long permutes argv */
    int first = opts_parse(&spec, argc, argv);
    if (!model_path)
        cli_usage_error("-m MODEL is required");
    store_run *run = storecli_begin(&sc, "nnpredict", argc, command, STORE_NO_SEED);
    classifier m;
    char err[SENTIO_ERR_LEN];
    if (classifier_load(&m, model_path, err, sizeof err) < 0)
        cli_fail(model_path, "%s", err);

    outfile out;
    outfile_open_or_fail(&out, output);
    FILE *fp = out.fp;
    if (format == FORMAT_KAGGLE) {
        fputs("Filename,Class\n", fp);
    } else {
        fputs("key\tlabel\tpred", fp);
        for (int j = 0; j < m.n_classes; ++j)
            fprintf(fp, "\tp_%s", m.classes[j]);
        fputc('\n', fp);
    }
    feat_input in;
    feat_record rec = {0};
    feat_input_init(&in, argc - first, argv + first);
    sha256_ctx input_hash;
    sha256_init(&input_hash);
    in.hash = &input_hash;
    long idx = 0;
    double *probs = cli_xmalloc((size_t)m.n_classes * sizeof *probs);
    int got;
    while ((got = feat_input_next(&in, &rec)) == 1) {
        const char *name = feat_input_name(&in);
        unsigned long long at = (unsigned long long)in.reader.record_start;
        uint32_t row, col;
        if (rec.rows != 1)
            cli_fail(name,
                     "record '%s' has %u rows; the model takes one row per record "
                     "(at byte %llu)",
                     rec.key, rec.rows, at);
        if ((int)rec.cols != m.n_inputs)
            cli_fail(name,
                     "record '%s' has %u values, but the model %s was trained on %d "
                     "(at byte %llu)",
                     rec.key, rec.cols, model_path, m.n_inputs, at);
        if (strcmp(rec.meta, m.feature_meta) != 0)
            cli_fail(name,
                     "record '%s' has feature metadata '%s', but the model %s was trained "
                     "on '%s' (at byte %llu)",
                     rec.key, rec.meta, model_path, m.feature_meta, at);
        if (!feat_record_finite(&rec, &row, &col))
            cli_fail(name, "record '%s': value %u is not finite (at byte %llu)", rec.key, col + 1,
                     at);
        float big = 0; /* for the message: the model standardises rec.data in place */
        for (uint32_t v = 0; v < rec.cols; ++v)
            big = fabsf(rec.data[v]) > big ? fabsf(rec.data[v]) : big;
        if (classifier_predict(&m, rec.data, probs) != 0)
            cli_fail(name,
                     "record '%s': the network overflows on its values (largest "
                     "magnitude %g): no finite probabilities (at byte %llu)",
                     rec.key, (double)big, at);
        int best = 0;
        for (int j = 1; j < m.n_classes; ++j)
            if (probs[j] > probs[best])
                best = j;
        if (run) {
            char *json = store_probs_json((size_t)m.n_classes, m.classes, probs);
            store_prediction(run, idx, rec.key, rec.label, m.classes[best], json);
            free(json);
        }
        ++idx;
        if (format == FORMAT_KAGGLE) {
            /* Kaggle's Filename is a bare name: keys that are paths lose their directories. */
            const char *slash = strrchr(rec.key, '/');
            put_csv(fp, slash && slash[1] ? slash + 1 : rec.key);
            fputc(',', fp);
            put_csv(fp, m.classes[best]);
            fputc('\n', fp);
        } else {
            fprintf(fp, "%s\t%s\t%s", rec.key, rec.label, m.classes[best]);
            for (int j = 0; j < m.n_classes; ++j)
                fprintf(fp, "\t%.6g", probs[j]);
            fputc('\n', fp);
        }
    }
    if (got < 0)
        cli_fail(NULL, "%s", in.reader.err);
    /* Recorded before the output is installed: a run that cannot be recorded leaves none. */
    char out_sha[65];
    outfile_sha256_or_fail(&out, out_sha);
    if (run) {
        char hex[65];
        store_param(run, "output_sha256", out_sha);
        store_param(run, "model", model_path);
        store_param(run, "model_kind", m.kind);
        if (store_file_sha256(model_path, hex, err, sizeof err) == 0)
            store_param(run, "model_sha256", hex);
        store_param(run, "format", format == FORMAT_KAGGLE ? "kaggle" : "tsv");
        store_param(run, "output", output ? output : "-");
        store_param_sha256(run, "input_sha256", &input_hash);
        store_param(run, "feature_meta", m.feature_meta);
        store_metric(run, "n", 0, (double)idx);
    }
    storecli_finish(&sc, run);
    outfile_commit_or_fail(&out);
    feat_input_close(&in);
    feat_record_free(&rec);
    free(probs);
    classifier_free(&m);
    return CLI_EXIT_OK;
}
