/* The metric maths against scikit-learn 1.2 / numpy 1.24 reference values, and
 * the TSV reader's errors. */
#include "eval/metrics.h"
#include "unit.h"

#include <float.h>
#include <stdlib.h>

/* Exact equality: the figures are meant to be sklearn's to the last bit. */
#define CHECK_EXACT(a, b, what) CHECK_NEAR(a, b, 0.0, what)

static void add_records(metrics_data *d, const char *truth, const char *pred)
{
    double probs[3] = {0.2, 0.3, 0.5};
    for (size_t i = 0; truth[i]; i++)
        metrics_add(d, (size_t)(truth[i] - 'A'), (size_t)(pred[i] - 'A'), probs);
}

static void test_pairwise(void)
{
    double *x = malloc(1000 * sizeof *x);
    for (int i = 0; i < 1000; i++)
        x[i] = 0.1;
    /* np.sum(np.full(1000, 0.1)); a plain loop gives 99.9999999999986 */
    CHECK_EXACT(metrics_pairwise_sum(x, 1000), 100.00000000000001,
                "pairwise sum of 1000 x 0.1 is numpy's");
    for (int i = 1; i < 300; i++)
        x[i - 1] = 0.1 * i + 1e-3 * (i % 7);
    /* a plain loop gives 4485.897000000001 */
    CHECK_EXACT(metrics_pairwise_sum(x, 299), 4485.897, "pairwise sum of 299 values is numpy's");
    CHECK_EXACT(metrics_pairwise_sum(x, 0), 0.0, "empty sum is 0");
    free(x);
}

static void test_report(void)
{
    metrics_data d;
    metrics_data_init(&d);
    char *classes[] = {"A", "B", "C"};
    char err[256];
    CHECK(metrics_set_classes(&d, 3, classes, err, sizeof err) == 0, "classes set");
    /* y_true AAABBCCCCC, y_pred AABBBCCCCA */
    add_records(&d, "AAABBCCCCC", "AABBBCCCCA");
    metrics_report r;
    metrics_compute(&d, 0.0, &r);
    CHECK(r.n == 10 && r.correct == 8 && r.nlabels == 3, "10 records, 8 correct, 3 labels");
    CHECK_EXACT(r.accuracy, 0.8, "accuracy");
    CHECK_EXACT(r.precision[0], 0.6666666666666666, "precision A");
    CHECK_EXACT(r.recall[1], 1.0, "recall B");
    CHECK_EXACT(r.f1[1], 0.8, "f1 B");
    CHECK_EXACT(r.f1[2], 0.888888888888889, "f1 C as sklearn rounds it");
    CHECK_EXACT(r.macro_precision, 0.7777777777777777, "macro precision");
    CHECK_EXACT(r.macro_recall, 0.8222222222222223, "macro recall");
    CHECK_EXACT(r.macro_f1, 0.7851851851851852, "macro f1");
    CHECK_EXACT(r.weighted_precision, 0.8333333333333333, "weighted precision");
    CHECK_EXACT(r.weighted_f1, 0.8044444444444444, "weighted f1");
    CHECK(r.support[0] == 3 && r.support[1] == 2 && r.support[2] == 5, "supports");
    /* every record has p = (0.2, 0.3, 0.5): loss = -(3 ln .2 + 2 ln .3 + 5 ln .5) / 10 */
    CHECK_NEAR(r.log_loss, -(3 * log(0.2) + 2 * log(0.3) + 5 * log(0.5)) / 10, 1e-15, "log loss");
    metrics_report_free(&r);
    metrics_data_free(&d);
}

static void test_zero_division_and_labels(void)
{
    metrics_data d;
    metrics_data_init(&d);
    /* Header order not sorted, one class absent altogether. */
    char *classes[] = {"C", "B", "A", "Z"};
    char err[256];
    metrics_set_classes(&d, 4, classes, err, sizeof err);
    double p[4] = {0.25, 0.25, 0.25, 0.25};
    metrics_add(&d, 0, 0, p); /* true C, pred C */
    metrics_add(&d, 1, 0, p); /* true B, pred C: B never predicted */
    metrics_add(&d, 0, 2, p); /* true C, pred A: A never true */
    metrics_report r;
    metrics_compute(&d, 0.0, &r);
    CHECK(r.nlabels == 3, "absent class Z is not a label (sklearn's unique_labels)");
    CHECK(r.labels[0] == 2 && r.labels[1] == 1 && r.labels[2] == 0,
          "labels sorted by name: A, B, C");
    CHECK(r.no_true[0] && !r.no_predicted[0], "A: never true");
    CHECK(r.no_predicted[1] && !r.no_true[1], "B: never predicted");
    CHECK_EXACT(r.recall[0], 0.0, "recall of never-true A is zero_division 0");
    CHECK_EXACT(r.precision[1], 0.0, "precision of never-predicted B is zero_division 0");
    CHECK_EXACT(r.f1[1], 0.0, "f1 of B is 0");
    metrics_report_free(&r);
    metrics_compute(&d, 1.0, &r);
    CHECK_EXACT(r.precision[1], 1.0, "zero_division 1: precision of B is 1");
    CHECK_EXACT(r.f1[1], 0.0, "zero_division 1: f1 of B stays 0 (recall 0)");
    CHECK_NEAR(r.log_loss, log(4.0), 1e-15, "uniform probabilities: log loss ln 4");
    metrics_report_free(&r);
    metrics_data_free(&d);
}

static void test_clipping(void)
{
    metrics_data d;
    metrics_data_init(&d);
    char *classes[] = {"no", "yes"};
    char err[256];
    metrics_set_classes(&d, 2, classes, err, sizeof err);
    double p[2] = {0.0, 1.0};
    metrics_add(&d, 0, 1, p);
    metrics_report r;
    metrics_compute(&d, 0.0, &r);
    /* clipped to [eps, 1 - eps]: -log(eps) = 36.04365338911715 */
    CHECK_EXACT(r.log_loss, 36.04365338911715,
                "probability 0 of the true class is clipped at float64 eps");
    metrics_report_free(&r);
    metrics_data_free(&d);
}

static int read_text(metrics_data *d, const char *text, char *err, size_t errlen)
{
    FILE *fp = fmemopen((void *)text, strlen(text), "r");
    int rc = metrics_read(d, fp, err, errlen);
    fclose(fp);
    return rc;
}

static void test_reader(void)
{
    static const struct {
        const char *text, *error;
    } bad[] = {
        {"", "empty input (no header line)"},
        {"key,label,pred\n", "not an nnpredict TSV header"},
        {"key\tlabel\tpred\tq_A\n", "header column 4 is 'q_A', not p_CLASS (line 1)"},
        {"key\tlabel\tpred\tp_A\tp_B\nx\t\tA\t0.5\t0.5\n", "record 'x' has no label"},
        {"key\tlabel\tpred\tp_A\tp_B\nx\tC\tA\t0.5\t0.5\n",
         "label 'C' of record 'x' is not one of the header's classes (A, B) (line 2)"},
        {"key\tlabel\tpred\tp_A\tp_B\nx\tA\tD\t0.5\t0.5\n", "prediction 'D' of record 'x'"},
        {"key\tlabel\tpred\tp_A\tp_B\nx\tA\tA\t0.5\n", "4 fields, the header has 5 (line 2)"},
        {"key\tlabel\tpred\tp_A\tp_B\nx\tA\tA\t0.5\t1.5\n",
         "p_B of record 'x' is '1.5', not a probability in [0, 1] (line 2)"},
        {"key\tlabel\tpred\tp_A\tp_B\nx\tA\tA\t0.5\tinf\n", "is 'inf', not a probability"},
        {"key\tlabel\tpred\tp_A\tp_B\n\nx\tA\tA\t0.5\t0.5\n", "empty line (line 2)"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        metrics_data d;
        metrics_data_init(&d);
        char err[512] = "", what[600];
        int rc = read_text(&d, bad[i].text, err, sizeof err);
        const char *want = bad[i].error;
        snprintf(what, sizeof what, "bad input %zu: %s", i, want);
        CHECK(rc == -1 && strstr(err, want), what);
        if (rc != -1 || !strstr(err, want))
            printf("#   got: %s\n", err);
        metrics_data_free(&d);
    }
    metrics_data d;
    metrics_data_init(&d);
    char err[512] = "";
    int rc = read_text(&d,
                       "\xEF\xBB\xBFkey\tlabel\tpred\tp_A\tp_B\r\nx y\tA\tB\t0.4\t0.6\r\n"
                       "key\tlabel\tpred\tp_A\tp_B\r\nz\tB\tB\t1e-3\t0.999",
                       err, sizeof err);
    CHECK(rc == 0 && d.n == 2, "BOM, CRLF, a repeated header and no final newline are accepted");
    CHECK(d.confusion[0 * 2 + 1] == 1 && d.confusion[1 * 2 + 1] == 1,
          "confusion counts of the two records");
    rc = read_text(&d, "key\tlabel\tpred\tp_A\tp_C\n", err, sizeof err);
    CHECK(rc == -1 && strstr(err, "header differs from the first input's"),
          "a second input with other classes");
    metrics_data_free(&d);
}

int main(void)
{
    test_pairwise();
    test_report();
    test_zero_division_and_labels();
    test_clipping();
    test_reader();
    return unit_done();
}
