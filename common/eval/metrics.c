#include "eval/metrics.h"

#include "base/cli.h"
#include "base/err.h"
#include "base/json.h"
#include "base/strmap.h"
#include "store/store.h"
#include "stream/cliplist.h"
#include "stream/feattext.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void metrics_data_init(metrics_data *d)
{
    memset(d, 0, sizeof *d);
    sha256_init(&d->hash);
}

void metrics_data_free(metrics_data *d)
{
    for (size_t i = 0; i < d->nclasses; i++)
        free(d->classes[i]);
    free(d->classes);
    free(d->header);
    free(d->confusion);
    free(d->losses);
    free(d->truth);
    free(d->pred);
    for (size_t i = 0; d->keys && i < d->n; i++)
        free(d->keys[i]);
    free(d->keys);
    free(d->row);
    free(d->clipped);
    memset(d, 0, sizeof *d);
}

int metrics_set_classes(metrics_data *d, size_t n, char *const *classes, char *err, size_t errlen)
{
    if (n > METRICS_MAX_CLASSES) {
        err_set(err, errlen, "%zu classes, more than %d", n, METRICS_MAX_CLASSES);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        if (!*classes[i]) {
            err_set(err, errlen, "class %zu has an empty name", i + 1);
            return -1;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(classes[i], classes[j]) == 0) {
                err_set(err, errlen, "class '%s' appears twice", classes[i]);
                return -1;
            }
    }
    d->nclasses = n;
    d->classes = cli_xcalloc(n, sizeof *d->classes);
    for (size_t i = 0; i < n; i++)
        d->classes[i] = cli_xstrdup(classes[i]);
    d->confusion = cli_xcalloc(n * n, sizeof *d->confusion);
    d->row = cli_xcalloc(n, sizeof *d->row);
    d->clipped = cli_xcalloc(n, sizeof *d->clipped);
    return 0;
}

/* numpy/core/src/umath/loops_utils.h.src, pairwise_sum_DOUBLE: blocks of 128
 * summed with 8 accumulators, larger arrays halved at multiples of 8. */
double metrics_pairwise_sum(const double *x, size_t n)
{
    if (n < 8) {
        double res = 0.0;
        for (size_t i = 0; i < n; i++)
            res += x[i];
        return res;
    }
    if (n <= 128) {
        double r[8];
        for (int j = 0; j < 8; j++)
            r[j] = x[j];
        size_t i;
        for (i = 8; i < n - n % 8; i += 8)
            for (int j = 0; j < 8; j++)
                r[j] += x[i + j];
        double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; i++)
            res += x[i];
        return res;
    }
    size_t n2 = n / 2;
    n2 -= n2 % 8;
    return metrics_pairwise_sum(x, n2) + metrics_pairwise_sum(x + n2, n - n2);
}

void metrics_add(metrics_data *d, size_t truth, size_t pred, const double *probs)
{
    const double eps = DBL_EPSILON; /* np.finfo(float64).eps, sklearn's eps="auto" */
    double loss = NAN;
    if (probs) {
        for (size_t i = 0; i < d->nclasses; i++)
            d->clipped[i] = fmax(eps, fmin(1 - eps, probs[i]));
        double sum = metrics_pairwise_sum(d->clipped, d->nclasses);
        loss = -log(d->clipped[truth] / sum);
    } else {
        d->no_probs = true;
    }
    if (d->n == d->cap) {
        d->cap = cli_grown(d->cap, 1024);
        d->losses = cli_xreallocarray(d->losses, d->cap, sizeof *d->losses);
        d->truth = cli_xreallocarray(d->truth, d->cap, sizeof *d->truth);
        d->pred = cli_xreallocarray(d->pred, d->cap, sizeof *d->pred);
        d->keys = cli_xreallocarray(d->keys, d->cap, sizeof *d->keys);
    }
    d->truth[d->n] = truth;
    d->pred[d->n] = pred;
    d->keys[d->n] = NULL;
    d->losses[d->n++] = loss;
    d->confusion[truth * d->nclasses + pred]++;
}

/* ---- reading nnpredict's TSV ---- */

/* Splits line at TABs in place; returns the number of fields (at most max). */
static size_t split_tabs(char *line, char **fields, size_t max)
{
    size_t n = 0;
    for (char *p = line;; p++) {
        if (n < max)
            fields[n] = p;
        n++;
        p = strchr(p, '\t');
        if (!p)
            break;
        *p = '\0';
    }
    return n;
}

static int parse_header(metrics_data *d, char *line, size_t lineno, char *err, size_t errlen)
{
    char *copy = cli_xstrdup(line);
    size_t max = strlen(line) + 1;
    char **f = cli_xcalloc(max, sizeof *f);
    size_t n = split_tabs(line, f, max);
    int rc = 0;
    if (n < 4 || strcmp(f[0], "key") != 0 || strcmp(f[1], "label") != 0 ||
        strcmp(f[2], "pred") != 0)
        rc = err_at_line(
            err, errlen, NULL, lineno,
            "not an nnpredict TSV header (expected key, label, pred, p_CLASS... separated by TABs)");
    for (size_t i = 3; rc == 0 && i < n; i++) {
        if (strncmp(f[i], "p_", 2) != 0 || !f[i][2])
            rc = err_at_line(err, errlen, NULL, lineno, "header column %zu is '%s', not p_CLASS",
                             i + 1, f[i]);
        f[i] += 2;
    }
    char msg[SENTIO_ERR_LEN];
    if (rc == 0 && metrics_set_classes(d, n - 3, f + 3, msg, sizeof msg) != 0)
        rc = err_at_line(err, errlen, NULL, lineno, "header: %s", msg);
    free(f);
    if (rc == 0)
        d->header = copy;
    else
        free(copy);
    return rc;
}

static long class_index(const metrics_data *d, const char *name)
{
    for (size_t i = 0; i < d->nclasses; i++)
        if (strcmp(d->classes[i], name) == 0)
            return (long)i;
    return -1;
}

static char *class_list(const metrics_data *d)
{
    static char buf[256];
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < d->nclasses && used < sizeof buf; i++)
        used +=
            (size_t)snprintf(buf + used, sizeof buf - used, "%s%s", i ? ", " : "", d->classes[i]);
    return buf;
}

static int parse_record(metrics_data *d, char *line, char **f, size_t lineno, char *err,
                        size_t errlen)
{
    size_t want = d->nclasses + 3;
    size_t n = split_tabs(line, f, want);
    if (n != want)
        return err_at_line(err, errlen, NULL, lineno, "%zu fields, the header has %zu", n, want);
    if (!*f[0])
        return err_at_line(err, errlen, NULL, lineno, "empty key");
    if (!*f[1])
        return err_at_line(err, errlen, NULL, lineno,
                           "record '%s' has no label: metrics needs labelled predictions", f[0]);
    long truth = class_index(d, f[1]);
    if (truth < 0)
        return err_at_line(err, errlen, NULL, lineno,
                           "label '%s' of record '%s' is not one of the header's classes (%s)",
                           f[1], f[0], class_list(d));
    long pred = class_index(d, f[2]);
    if (pred < 0)
        return err_at_line(err, errlen, NULL, lineno,
                           "prediction '%s' of record '%s' is not one of the header's classes (%s)",
                           f[2], f[0], class_list(d));
    for (size_t i = 0; i < d->nclasses; i++) {
        const char *text = f[3 + i];
        char *end;
        errno = 0;
        double p = strtod(text, &end);
        if (end == text || *end || !isfinite(p) || p < 0 || p > 1) /* underflow to 0 is fine */
            return err_at_line(err, errlen, NULL, lineno,
                               "p_%s of record '%s' is '%s', not a probability in [0, 1]",
                               d->classes[i], f[0], text);
        d->row[i] = p;
    }
    metrics_add(d, (size_t)truth, (size_t)pred, d->row);
    d->keys[d->n - 1] = cli_xstrdup(f[0]);
    return 0;
}

int metrics_read(metrics_data *d, FILE *fp, char *err, size_t errlen)
{
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t len;
    bool header_seen = false;
    char **fields = NULL;
    int rc = 0;
    bool failed = false;
    while (rc == 0 && (len = cli_getline(&line, &cap, fp, &failed)) > 0) {
        lineno++;
        sha256_update(&d->hash, line, (size_t)len);
        if (memchr(line, '\0', (size_t)len)) {
            rc = err_at_line(err, errlen, NULL, lineno, "NUL byte in the text");
            break;
        }
        char *text = line;
        if (lineno == 1 && strncmp(text, "\xEF\xBB\xBF", 3) == 0)
            text += 3;
        size_t n = strlen(text);
        if (n && text[n - 1] == '\n')
            text[--n] = '\0';
        if (n && text[n - 1] == '\r')
            text[--n] = '\0';
        if (!header_seen) {
            header_seen = true;
            if (d->header) {
                if (strcmp(text, d->header) != 0)
                    rc = err_at_line(
                        err, errlen, NULL, lineno,
                        "header differs from the first input's (same classes, in the same order: %s)",
                        class_list(d));
            } else
                rc = parse_header(d, text, lineno, err, errlen);
            if (rc == 0)
                fields = cli_xcalloc(d->nclasses + 3, sizeof *fields);
            continue;
        }
        if (n == 0)
            rc = err_at_line(err, errlen, NULL, lineno, "empty line");
        else if (strcmp(text, d->header) == 0)
            continue; /* the next file's header in `cat a.tsv b.tsv` */
        else
            rc = parse_record(d, text, fields, lineno, err, errlen);
    }
    if (rc == 0 && (failed || ferror(fp))) {
        err_at_line(err, errlen, NULL, lineno + 1, "read error: %s", strerror(errno));
        rc = -1;
    } else if (rc == 0 && !header_seen) {
        err_set(err, errlen, "empty input (no header line)");
        rc = -1;
    }
    free(fields);
    free(line);
    return rc;
}

int metrics_read_path(metrics_data *d, const char *path, char *err, size_t errlen)
{
    FILE *fp = cli_open_input(path);
    if (!fp) {
        err_set(err, errlen, "%s", strerror(errno));
        return -1;
    }
    int rc = metrics_read(d, fp, err, errlen);
    cli_close_input(fp);
    return rc;
}

/* ---- the figures ---- */

static const metrics_data *sort_data;
static int by_name(const void *a, const void *b)
{
    return strcmp(sort_data->classes[*(const size_t *)a], sort_data->classes[*(const size_t *)b]);
}

void metrics_compute(const metrics_data *d, double zero_division, metrics_report *r)
{
    memset(r, 0, sizeof *r);
    size_t k = d->nclasses;
    uint64_t *true_sum = cli_xcalloc(k, sizeof *true_sum),
             *pred_sum = cli_xcalloc(k, sizeof *pred_sum);
    for (size_t t = 0; t < k; t++)
        for (size_t p = 0; p < k; p++) {
            uint64_t c = d->confusion[t * k + p];
            true_sum[t] += c;
            pred_sum[p] += c;
            r->n += c;
            if (t == p)
                r->correct += c;
        }
    /* sklearn's unique_labels(y_true, y_pred): the classes that occur, sorted. */
    r->labels = cli_xcalloc(k, sizeof *r->labels);
    for (size_t c = 0; c < k; c++)
        if (true_sum[c] || pred_sum[c])
            r->labels[r->nlabels++] = c;
    sort_data = d;
    qsort(r->labels, r->nlabels, sizeof *r->labels, by_name);
    size_t m = r->nlabels;
    r->precision = cli_xcalloc(m, sizeof(double));
    r->recall = cli_xcalloc(m, sizeof(double));
    r->f1 = cli_xcalloc(m, sizeof(double));
    r->support = cli_xcalloc(m, sizeof(uint64_t));
    r->no_predicted = cli_xcalloc(m, sizeof(bool));
    r->no_true = cli_xcalloc(m, sizeof(bool));
    double *weighted = cli_xcalloc(m, sizeof(double)), *support = cli_xcalloc(m, sizeof(double));
    for (size_t i = 0; i < m; i++) {
        size_t c = r->labels[i];
        double tp = (double)d->confusion[c * k + c];
        r->no_predicted[i] = pred_sum[c] == 0;
        r->no_true[i] = true_sum[c] == 0;
        r->precision[i] = pred_sum[c] ? tp / (double)pred_sum[c] : zero_division;
        r->recall[i] = true_sum[c] ? tp / (double)true_sum[c] : zero_division;
        double denom = r->precision[i] + r->recall[i];
        /* sklearn: (1 + beta^2) * p * r / (beta^2 * p + r), a zero denominator set to 1 */
        r->f1[i] = 2.0 * r->precision[i] * r->recall[i] / (denom == 0.0 ? 1.0 : denom);
        r->support[i] = true_sum[c];
        support[i] = (double)true_sum[c];
    }
    double total = metrics_pairwise_sum(support, m);
    const double *per[3] = {r->precision, r->recall, r->f1};
    double *macro[3] = {&r->macro_precision, &r->macro_recall, &r->macro_f1};
    double *wavg[3] = {&r->weighted_precision, &r->weighted_recall, &r->weighted_f1};
    for (int j = 0; j < 3; j++) {
        *macro[j] = metrics_pairwise_sum(per[j], m) / (double)m;
        for (size_t i = 0; i < m; i++)
            weighted[i] = per[j][i] * support[i];
        *wavg[j] = metrics_pairwise_sum(weighted, m) / total;
    }
    r->accuracy = (double)r->correct / (double)r->n;
    double denom = 2 * r->accuracy; /* micro precision == micro recall == accuracy */
    r->micro_f1 = 2.0 * r->accuracy * r->accuracy / (denom == 0.0 ? 1.0 : denom);
    r->log_loss = d->no_probs ? NAN : metrics_pairwise_sum(d->losses, d->n) / (double)d->n;
    free(weighted);
    free(support);
    free(true_sum);
    free(pred_sum);
}

void metrics_report_free(metrics_report *r)
{
    free(r->labels);
    free(r->precision);
    free(r->recall);
    free(r->f1);
    free(r->support);
    free(r->no_predicted);
    free(r->no_true);
    memset(r, 0, sizeof *r);
}

/* ---- output ---- */

/* Python pads by code points, not bytes. */
static size_t utf8_width(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void pad_left(FILE *fp, const char *s, size_t width)
{
    for (size_t w = utf8_width(s); w < width; w++)
        fputc(' ', fp);
    fputs(s, fp);
}

static void report_row(FILE *fp, const char *name, size_t width, int digits, double p, double r,
                       double f, uint64_t support)
{
    pad_left(fp, name, width);
    fprintf(fp, "  %9.*f %9.*f %9.*f %9llu\n", digits, p, digits, r, digits, f,
            (unsigned long long)support);
}

void metrics_print_text(FILE *fp, const metrics_data *d, const metrics_report *r, int digits)
{
    /* sklearn.metrics.classification_report(y_true, y_pred, digits=DIGITS) */
    size_t width = strlen("weighted avg");
    for (size_t i = 0; i < r->nlabels; i++)
        if (utf8_width(d->classes[r->labels[i]]) > width)
            width = utf8_width(d->classes[r->labels[i]]);
    if ((size_t)digits > width)
        width = (size_t)digits;
    pad_left(fp, "", width);
    fprintf(fp, "  %9s %9s %9s %9s\n\n", "precision", "recall", "f1-score", "support");
    for (size_t i = 0; i < r->nlabels; i++)
        report_row(fp, d->classes[r->labels[i]], width, digits, r->precision[i], r->recall[i],
                   r->f1[i], r->support[i]);
    fputc('\n', fp);
    pad_left(fp, "accuracy", width);
    fprintf(fp, "  %9s %9s %9.*f %9llu\n", "", "", digits, r->micro_f1, (unsigned long long)r->n);
    report_row(fp, "macro avg", width, digits, r->macro_precision, r->macro_recall, r->macro_f1,
               r->n);
    report_row(fp, "weighted avg", width, digits, r->weighted_precision, r->weighted_recall,
               r->weighted_f1, r->n);
    fputc('\n', fp); /* print() ends the report with one more newline */

    fputs("confusion matrix (rows: true class, columns: predicted class)\n", fp);
    size_t k = d->nclasses;
    uint64_t most = 0;
    for (size_t i = 0; i < k * k; i++)
        if (d->confusion[i] > most)
            most = d->confusion[i];
    char num[32];
    size_t count_width = (size_t)snprintf(num, sizeof num, "%llu", (unsigned long long)most);
    pad_left(fp, "", width);
    fputc(' ', fp);
    for (size_t j = 0; j < r->nlabels; j++) {
        const char *name = d->classes[r->labels[j]];
        size_t w = utf8_width(name) > 9 ? utf8_width(name) : 9;
        fputc(' ', fp);
        pad_left(fp, name, w > count_width ? w : count_width);
    }
    fputc('\n', fp);
    for (size_t i = 0; i < r->nlabels; i++) {
        pad_left(fp, d->classes[r->labels[i]], width);
        fputc(' ', fp);
        for (size_t j = 0; j < r->nlabels; j++) {
            const char *name = d->classes[r->labels[j]];
            size_t w = utf8_width(name) > 9 ? utf8_width(name) : 9;
            snprintf(num, sizeof num, "%llu",
                     (unsigned long long)d->confusion[r->labels[i] * k + r->labels[j]]);
            fputc(' ', fp);
            pad_left(fp, num, w > count_width ? w : count_width);
        }
        fputc('\n', fp);
    }
    if (isnan(r->log_loss))
        fputs("\nlog loss: n/a (the predictions carry no probabilities)\n", fp);
    else
        fprintf(fp, "\nlog loss: %.*f\n", digits + 2, r->log_loss);
}

void metrics_print_json(FILE *fp, const metrics_data *d, const metrics_report *r)
{
    fprintf(fp, "{\"n\":%llu,\"accuracy\":", (unsigned long long)r->n);
    json_write_double(fp, r->accuracy);
    fputs(",\"macro_f1\":", fp);
    json_write_double(fp, r->macro_f1);
    fputs(",\"weighted_f1\":", fp);
    json_write_double(fp, r->weighted_f1);
    fputs(",\"log_loss\":", fp);
    json_write_double(fp, r->log_loss);
    fputs(",\"per_class\":{", fp);
    for (size_t i = 0; i < r->nlabels; i++) {
        if (i)
            fputc(',', fp);
        json_write_string(fp, d->classes[r->labels[i]]);
        fputs(":{\"precision\":", fp);
        json_write_double(fp, r->precision[i]);
        fputs(",\"recall\":", fp);
        json_write_double(fp, r->recall[i]);
        fputs(",\"f1\":", fp);
        json_write_double(fp, r->f1[i]);
        fprintf(fp, ",\"support\":%llu}", (unsigned long long)r->support[i]);
    }
    fputs("},\"confusion\":{\"labels\":[", fp);
    for (size_t i = 0; i < r->nlabels; i++) {
        if (i)
            fputc(',', fp);
        json_write_string(fp, d->classes[r->labels[i]]);
    }
    fputs("],\"matrix\":[", fp);
    for (size_t i = 0; i < r->nlabels; i++) {
        fputs(i ? ",[" : "[", fp);
        for (size_t j = 0; j < r->nlabels; j++)
            fprintf(fp, "%s%llu", j ? "," : "",
                    (unsigned long long)d->confusion[r->labels[i] * d->nclasses + r->labels[j]]);
        fputc(']', fp);
    }
    fputs("]}}\n", fp);
}

static void tsv_row(FILE *fp, const char *name, double p, double r, double f, uint64_t support)
{
    char a[40], b[40], c[40];
    json_format_double(a, sizeof a, p);
    json_format_double(b, sizeof b, r);
    json_format_double(c, sizeof c, f);
    fprintf(fp, "%s\t%s\t%s\t%s\t%llu\n", name, a, b, c, (unsigned long long)support);
}

void metrics_print_tsv(FILE *fp, const metrics_data *d, const metrics_report *r)
{
    fputs("class\tprecision\trecall\tf1\tsupport\n", fp);
    for (size_t i = 0; i < r->nlabels; i++)
        tsv_row(fp, d->classes[r->labels[i]], r->precision[i], r->recall[i], r->f1[i],
                r->support[i]);
    tsv_row(fp, "accuracy", r->accuracy, r->accuracy, r->accuracy, r->n);
    tsv_row(fp, "macro avg", r->macro_precision, r->macro_recall, r->macro_f1, r->n);
    tsv_row(fp, "weighted avg", r->weighted_precision, r->weighted_recall, r->weighted_f1, r->n);
}

static void record_class(store_run *run, const char *what, const char *name, double value)
{
    size_t n = strlen(what) + strlen(name) + 2;
    char *key = cli_xmalloc(n);
    snprintf(key, n, "%s/%s", what, name);
    store_metric(run, key, 0, value);
    free(key);
}

void metrics_record(store_run *run, const metrics_data *d, const metrics_report *r)
{
    store_metric(run, "accuracy", 0, r->accuracy);
    store_metric(run, "macro_f1", 0, r->macro_f1);
    store_metric(run, "weighted_f1", 0, r->weighted_f1);
    if (!isnan(r->log_loss))
        store_metric(run, "log_loss", 0, r->log_loss);
    store_metric(run, "n", 0, (double)r->n);
    for (size_t i = 0; i < r->nlabels; i++) {
        const char *name = d->classes[r->labels[i]];
        record_class(run, "precision", name, r->precision[i]);
        record_class(run, "recall", name, r->recall[i]);
        record_class(run, "f1", name, r->f1[i]);
        record_class(run, "support", name, (double)r->support[i]);
    }
}

/* ---- predictions sentio did not make ---- */

static void hash_file(sha256_ctx *h, const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return;
    char buf[1 << 14];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, fp)) > 0)
        sha256_update(h, buf, got);
    fclose(fp);
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sets d's classes to the names of map, sorted (sklearn's label order). */
static int classes_from(metrics_data *d, const strmap *map, char *err, size_t errlen)
{
    char **names = cli_xmalloc((map->n ? map->n : 1) * sizeof *names);
    for (size_t i = 0; i < map->n; i++)
        names[i] = map->names[i];
    qsort(names, map->n, sizeof *names, by_string);
    int rc = metrics_set_classes(d, map->n, names, err, errlen);
    free(names);
    return rc;
}

int metrics_read_kaggle(metrics_data *d, const char *solution, const char *submission, char *err,
                        size_t errlen)
{
    clip_list truth = {0}, pred = {0};
    char why[512];
    int rc = 0;
    if (clip_list_read_csv(&truth, solution, "", why, sizeof why) != 0)
        rc = err_set(err, errlen, "%s: %s", solution, why);
    else if (clip_list_read_csv(&pred, submission, "", why, sizeof why) != 0)
        rc = err_set(err, errlen, "%s: %s", submission, why);
    strmap names = {0}, rows = {0};
    size_t *pred_of = NULL;
    for (size_t i = 0; rc == 0 && i < pred.n; i++) {
        const clip_entry *e = &pred.items[i];
        if (!e->label[0])
            rc = err_set(err, errlen, "%s: no Class for '%s'", submission, e->key);
        else if (strmap_find(&rows, e->key) != STRMAP_NONE)
            rc = err_set(err, errlen, "%s: '%s' has more than one row", submission, e->key);
        else {
            strmap_add(&rows, e->key);
            strmap_add(&names, e->label);
        }
    }
    if (rc == 0) {
        pred_of = cli_xmalloc((rows.n ? rows.n : 1) * sizeof *pred_of);
        for (size_t i = 0; i < pred.n; i++)
            pred_of[strmap_find(&rows, pred.items[i].key)] = i;
    }
    bool *seen = rc == 0 ? cli_xcalloc(rows.n ? rows.n : 1, sizeof *seen) : NULL;
    size_t missing = 0;
    char first_missing[256] = "";
    for (size_t i = 0; rc == 0 && i < truth.n; i++) {
        const clip_entry *e = &truth.items[i];
        if (!e->label[0]) {
            rc = err_set(err, errlen, "%s: no Class for '%s'", solution, e->key);
            break;
        }
        strmap_add(&names, e->label);
        size_t r = strmap_find(&rows, e->key);
        if (r == STRMAP_NONE) {
            if (!missing++)
                snprintf(first_missing, sizeof first_missing, "%s", e->key);
        } else {
            seen[r] = true;
        }
    }
    if (rc == 0 && missing)
        rc =
            err_set(err, errlen, "%s: no row for %zu of the solution's %zu files (the first: '%s')",
                    submission, missing, truth.n, first_missing);
    for (size_t r = 0; rc == 0 && r < rows.n; r++)
        if (!seen[r])
            rc = err_set(err, errlen, "%s: '%s' is not in the solution %s", submission,
                         pred.items[pred_of[r]].key, solution);
    if (rc == 0 && truth.n == 0)
        rc = err_set(err, errlen, "%s: no rows", solution);
    if (rc == 0)
        rc = classes_from(d, &names, err, errlen);
    for (size_t i = 0; rc == 0 && i < truth.n; i++) {
        const clip_entry *t = &truth.items[i];
        const clip_entry *p = &pred.items[pred_of[strmap_find(&rows, t->key)]];
        metrics_add(d, (size_t)class_index(d, t->label), (size_t)class_index(d, p->label), NULL);
    }
    if (rc == 0)
        hash_file(&d->hash, submission);
    free(seen);
    free(pred_of);
    strmap_free(&names);
    strmap_free(&rows);
    clip_list_free(&truth);
    clip_list_free(&pred);
    return rc;
}

/* The first field of each line of a libsvm data file: its true labels. */
static int libsvm_truth(const char *path, long **labels, size_t *n, char *err, size_t errlen)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return err_set(err, errlen, "%s: %s", path, strerror(errno));
    char *line = NULL;
    size_t cap = 0, have = 0;
    bool failed = false;
    int rc = 0;
    *labels = NULL;
    *n = 0;
    while (rc == 0 && cli_getline(&line, &cap, fp, &failed) >= 0) {
        char *end;
        errno = 0;
        long v = strtol(line, &end, 10);
        if (end == line || errno || (*end && !strchr(" \t\r\n", *end)))
            rc = err_at_line(err, errlen, path, *n + 1, "no integer label first");
        else {
            if (*n == have) {
                have = cli_grown(have, 1024);
                *labels = cli_xreallocarray(*labels, have, sizeof **labels);
            }
            (*labels)[(*n)++] = v;
        }
    }
    if (rc == 0 && (failed || ferror(fp)))
        rc = err_set(err, errlen, "%s: read error: %s", path, strerror(errno));
    free(line);
    fclose(fp);
    return rc;
}

int metrics_read_libsvm(metrics_data *d, const char *data, const char *classes,
                        const char *predictions, char *err, size_t errlen)
{
    strmap names = {0};
    char why[512];
    if (feat_libsvm_load_classes(classes, &names, why, sizeof why) != 0)
        return err_set(err, errlen, "%s", why);
    long *truth = NULL;
    size_t n = 0;
    int rc = libsvm_truth(data, &truth, &n, err, errlen);
    if (rc == 0 && n == 0)
        rc = err_set(err, errlen, "%s: no lines", data);
    FILE *fp = rc == 0 ? fopen(predictions, "rb") : NULL;
    if (rc == 0 && !fp)
        rc = err_set(err, errlen, "%s: %s", predictions, strerror(errno));
    if (rc == 0)
        rc = classes_from(d, &names, err, errlen);
    /* label k of the class list is class_index(name of line k) */
    size_t k = names.n;
    size_t *index_of = cli_xmalloc((k + 1) * sizeof *index_of);
    for (size_t i = 0; rc == 0 && i < k; i++)
        index_of[i + 1] = (size_t)class_index(d, names.names[i]);
    long *columns = NULL; /* -b 1: the label of each probability column */
    size_t ncolumns = 0;
    double *probs = cli_xcalloc(k ? k : 1, sizeof *probs);
    char *line = NULL;
    size_t cap = 0, lineno = 0, rec = 0;
    bool failed = false;
    while (rc == 0 && cli_getline(&line, &cap, fp, &failed) >= 0) {
        lineno++;
        char *p = line, *end;
        if (lineno == 1 && strncmp(line, "labels", 6) == 0) {
            p += 6;
            columns = cli_xmalloc((k ? k : 1) * sizeof *columns);
            while (rc == 0) {
                long v = strtol(p, &end, 10);
                if (end == p)
                    break;
                if (v < 1 || (size_t)v > k || ncolumns == k)
                    rc = err_at_line(err, errlen, predictions, 1, "label %ld is not in %s (1..%zu)",
                                     v, classes, k);
                else
                    columns[ncolumns++] = v;
                p = end;
            }
            if (rc == 0 && ncolumns != k)
                rc = err_at_line(err, errlen, predictions, 1, "%zu labels where %s has %zu",
                                 ncolumns, classes, k);
            continue;
        }
        if (rec == n) {
            rc = err_set(err, errlen, "%s: more predictions than %s has lines (%zu)", predictions,
                         data, n);
            break;
        }
        /* svm-predict prints labels as numbers ("2" or "2.0"); the range is checked
         * before the conversion, which is undefined for NaN and huge values */
        double pv = strtod(p, &end);
        if (end == p || !(pv >= 1 && pv <= (double)k) || pv != floor(pv)) {
            rc = err_at_line(err, errlen, predictions, lineno,
                             "the prediction is not a label of %s (1..%zu)", classes, k);
            break;
        }
        long pred = (long)pv;
        if (truth[rec] < 1 || (size_t)truth[rec] > k) {
            rc = err_at_line(err, errlen, data, rec + 1, "true label %ld is not in %s (1..%zu)",
                             truth[rec], classes, k);
            break;
        }
        p = end;
        for (size_t j = 0; rc == 0 && j < ncolumns; j++) {
            double v = strtod(p, &end);
            if (end == p || !(v >= 0 && v <= 1))
                rc = err_at_line(err, errlen, predictions, lineno,
                                 "probability %zu missing or not in 0..1", j + 1);
            else
                probs[index_of[columns[j]]] = v;
            p = end;
        }
        if (rc == 0)
            metrics_add(d, index_of[truth[rec]], index_of[pred], ncolumns ? probs : NULL);
        rec++;
    }
    if (rc == 0 && fp && (failed || ferror(fp)))
        rc = err_set(err, errlen, "%s: read error: %s", predictions, strerror(errno));
    if (rc == 0 && rec < n)
        rc = err_set(err, errlen, "%s: %zu predictions for the %zu lines of %s", predictions, rec,
                     n, data);
    if (fp)
        fclose(fp);
    if (rc == 0)
        hash_file(&d->hash, predictions);
    free(line);
    free(probs);
    free(columns);
    free(index_of);
    free(truth);
    strmap_free(&names);
    return rc;
}
