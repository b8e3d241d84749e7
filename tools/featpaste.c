/* featpaste - join feature streams record by record, columns side by side (man 1 featpaste). */
#include "base/cli.h"
#include "base/opts.h"
#include "base/outfile.h"
#include "stream/featstream.h"

#include <stdlib.h>
#include <string.h>

static const char *output;

static opts_entry options[] = {
    OPTS_OUTPUT(output),
    OPTS_END,
};

static const opts_spec spec = {
    .usage = "Usage: featpaste [options] STREAM1 STREAM2 [STREAM ...]\n"
             "Join streams record by record into one: each output record holds the columns of\n"
             "STREAM1's record, then STREAM2's, and so on, row by row. The records must come in\n"
             "the same order with the same keys and the same number of rows; labels must agree\n"
             "(an empty label takes the others'). The metadata of the joined record is each\n"
             "input's column count in brackets and metadata, in order, separated by ' | '\n"
             "('[80] pool=meanstd | [88] egemaps'), so a model trained on one combination\n"
             "refuses another. One input may be '-' (stdin).\n"
             "\n",
    .options = options,
    .footer =
        "Exit status: 0 success, 1 error, 2 usage error.\n"
        "\n"
        "Examples:\n"
        "  featpaste egemaps.feat mfcc.feat -o both.feat\n"
        "  wav2mfcc --pool meanstd --csv TRAIN.csv | featpaste egemaps.feat - | svmfit -o m.svm\n"
        "\n"
        "See also: featnorm(1), svmfit(1), featdump(1), featstream(5)\n",
};

/* meta without its names= field (written to fp). */
static void put_without_names(FILE *fp, const char *meta)
{
    const char *p = meta;
    bool first = true;
    while (*p) {
        size_t len = strcspn(p, " ");
        if (len && strncmp(p, "names=", 6) != 0) {
            fprintf(fp, "%s%.*s", first ? "" : " ", (int)len, p);
            first = false;
        }
        p += len;
        p += *p == ' ';
    }
}

/* The joined metadata "[C1] A | [C2] B | ..." of recs[0..n-1], or exit naming the record.
 * When a part names its columns (names=, featstream(5)), the joined record gets one
 * names= field for all its columns (sK_fJ for column J of a part K without names) and
 * the parts lose theirs. */
static void join_meta(char **meta, feat_record *recs, int n, const char *name, const char *key)
{
    char col[FEAT_MAX_META + 1];
    bool named = false;
    for (int i = 0; i < n; ++i)
        named |=
            recs[i].cols && feat_meta_column_name(recs[i].meta, recs[i].cols, 0, col, sizeof col);
    size_t len = 0;
    free(*meta);
    FILE *fp = open_memstream(meta, &len);
    if (!fp)
        cli_fail(NULL, "out of memory");
    for (int i = 0; i < n; ++i) {
        fprintf(fp, "%s[%u]%s", i ? " | " : "", recs[i].cols, *recs[i].meta ? " " : "");
        if (named)
            put_without_names(fp, recs[i].meta);
        else
            fputs(recs[i].meta, fp);
    }
    if (named) {
        fputs(" names=", fp);
        for (int i = 0; i < n; ++i)
            for (uint32_t c = 0; c < recs[i].cols; ++c) {
                if (!feat_meta_column_name(recs[i].meta, recs[i].cols, c, col, sizeof col))
                    snprintf(col, sizeof col, "s%d_f%u", i + 1, c + 1);
                fprintf(fp, "%s%s", i || c ? "," : "", col);
            }
    }
    if (fclose(fp) != 0)
        cli_fail(NULL, "out of memory");
    if (len > FEAT_MAX_META)
        cli_fail(name, "record '%s': the joined metadata would exceed %u bytes", key,
                 FEAT_MAX_META);
}

int main(int argc, char **argv)
{
    cli_init(argv[0]);
    int first = opts_parse(&spec, argc, argv);
    int n = argc - first;
    if (n < 2)
        cli_usage_error("two or more streams are needed");
    char **files = argv + first;
    int stdin_uses = 0;
    for (int i = 0; i < n; ++i)
        stdin_uses += strcmp(files[i], "-") == 0;
    if (stdin_uses > 1)
        cli_usage_error("stdin ('-') can be read only once");
    feat_reader *r = cli_xcalloc((size_t)n, sizeof *r);
    feat_record *recs = cli_xcalloc((size_t)n, sizeof *recs);
    for (int i = 0; i < n; ++i)
        if (feat_reader_open(&r[i], files[i]) != 0)
            cli_fail(NULL, "%s", r[i].err);
    outfile out;
    outfile_open_or_fail(&out, output);

    feat_record joined = {0};
    char *meta = NULL;
    for (unsigned long long k = 1;; ++k) {
        int got0 = feat_read(&r[0], &recs[0]);
        if (got0 < 0)
            cli_fail(NULL, "%s", r[0].err);
        for (int i = 1; i < n; ++i) {
            int got = feat_read(&r[i], &recs[i]);
            if (got < 0)
                cli_fail(NULL, "%s", r[i].err);
            if (got != got0)
                cli_fail(r[got ? 0 : i].name,
                         "ends at record %llu, but %s has a record %llu "
                         "with key '%s'",
                         k, r[got ? i : 0].name, k, recs[got ? i : 0].key);
        }
        if (got0 == 0)
            break;
        uint32_t cols = 0;
        const char *label = "";
        for (int i = 0; i < n; ++i) {
            if (strcmp(recs[i].key, recs[0].key) != 0)
                cli_fail(r[i].name, "record %llu has key '%s', but %s's record %llu has key '%s'",
                         k, recs[i].key, r[0].name, k, recs[0].key);
            if (recs[i].rows != recs[0].rows)
                cli_fail(r[i].name, "record %llu ('%s') has %u rows, but %s's has %u", k,
                         recs[i].key, recs[i].rows, r[0].name, recs[0].rows);
            if (*recs[i].label && *label && strcmp(recs[i].label, label) != 0)
                cli_fail(r[i].name,
                         "record %llu ('%s') is labelled '%s', but earlier streams "
                         "say '%s'",
                         k, recs[i].key, recs[i].label, label);
            if (*recs[i].label)
                label = recs[i].label;
            if ((uint64_t)cols + recs[i].cols > FEAT_MAX_COLS ||
                (uint64_t)recs[0].rows * (cols + recs[i].cols) > FEAT_MAX_VALUES)
                cli_fail(r[i].name, "record %llu ('%s'): the joined record would be too large", k,
                         recs[i].key);
            cols += recs[i].cols;
        }
        join_meta(&meta, recs, n, r[n - 1].name, recs[0].key);
        feat_record_set(&joined, recs[0].key, label, meta, 0, 0, NULL);
        float *x = feat_record_resize(&joined, recs[0].rows, cols);
        for (uint32_t row = 0; row < recs[0].rows; ++row)
            for (int i = 0; i < n; ++i) {
                memcpy(x, recs[i].data + (size_t)row * recs[i].cols, recs[i].cols * sizeof *x);
                x += recs[i].cols;
            }
        if (feat_write(out.fp, &joined) != 0)
            outfile_write_failed(&out);
    }
    outfile_commit_or_fail(&out);
    for (int i = 0; i < n; ++i) {
        feat_reader_close(&r[i]);
        feat_record_free(&recs[i]);
    }
    feat_record_free(&joined);
    free(meta);
    free(recs);
    free(r);
    return CLI_EXIT_OK;
}
