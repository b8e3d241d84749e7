/* fuzz_metrics - nnpredict's TSV read by metrics (metrics_read, man 1 metrics),
 * then the report, the confusion matrix and every output form.
 * Properties: a rejected input gives -1 and "what (line N)" with N a line of the
 * input; for an accepted one the confusion matrix counts every record, the
 * figures lie in [0, 1] (log loss: finite, >= 0), the JSON output is well-formed,
 * the same input read twice (cat a.tsv a.tsv) counts every record twice, and the
 * confusion matrix of plotdata (common/eval/confusion.c) holds the same counts. */
#include "fuzz.h"

#include "eval/confusion.h"
#include "eval/metrics.h"

#include <math.h>

/* ---- a strict JSON syntax check (RFC 8259, byte-level) ---- */
static const char *json_value(const char *p, const char *end, int depth);

static const char *json_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

static const char *json_string(const char *p, const char *end)
{
    if (p >= end || *p++ != '"')
        return NULL;
    while (p < end && *p != '"') {
        unsigned char c = (unsigned char)*p++;
        if (c < 0x20)
            return NULL;
        if (c == '\\') {
            if (p >= end)
                return NULL;
            c = (unsigned char)*p++;
            if (c == 'u') {
                for (int i = 0; i < 4; i++, p++)
                    if (p >= end || !strchr("0123456789abcdefABCDEF", *p) || !*p)
                        return NULL;
            } else if (!strchr("\"\\/bfnrt", c) || !c) {
                return NULL;
            }
        }
    }
    return p < end ? p + 1 : NULL;
}

static const char *json_number(const char *p, const char *end)
{
    const char *s = p;
    if (p < end && *p == '-')
        p++;
    if (p < end && *p == '0')
        p++;
    else if (p < end && *p >= '1' && *p <= '9')
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    else
        return NULL;
    if (p < end && *p == '.') {
        if (++p >= end || *p < '0' || *p > '9')
            return NULL;
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (p >= end || *p < '0' || *p > '9')
            return NULL;
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    }
    return p > s ? p : NULL;
}

static const char *json_seq(const char *p, const char *end, int depth, char close, int object)
{
    p = json_ws(p + 1, end);
    if (p < end && *p == close)
        return p + 1;
    for (;;) {
        if (object) {
            if (!(p = json_string(json_ws(p, end), end)))
                return NULL;
            p = json_ws(p, end);
            if (p >= end || *p++ != ':')
                return NULL;
        }
        if (!(p = json_value(p, end, depth + 1)))
            return NULL;
        p = json_ws(p, end);
        if (p < end && *p == ',') {
            p++;
            continue;
        }
        return p < end && *p == close ? p + 1 : NULL;
    }
}

static const char *json_value(const char *p, const char *end, int depth)
{
    p = json_ws(p, end);
    if (p >= end || depth > 64)
        return NULL;
    switch (*p) {
    case '{': return json_seq(p, end, depth, '}', 1);
    case '[': return json_seq(p, end, depth, ']', 0);
    case '"': return json_string(p, end);
    case 't': return end - p >= 4 && !memcmp(p, "true", 4) ? p + 4 : NULL;
    case 'f': return end - p >= 5 && !memcmp(p, "false", 5) ? p + 5 : NULL;
    case 'n': return end - p >= 4 && !memcmp(p, "null", 4) ? p + 4 : NULL;
    default: return json_number(p, end);
    }
}

static void check_report(const metrics_data *d, const metrics_report *r)
{
    uint64_t total = 0, diagonal = 0;
    for (size_t t = 0; t < d->nclasses; t++)
        for (size_t p = 0; p < d->nclasses; p++) {
            total += d->confusion[t * d->nclasses + p];
            diagonal += t == p ? d->confusion[t * d->nclasses + p] : 0;
        }
    FUZZ_ASSERT(total == d->n && r->n == d->n, "the confusion matrix counts %llu of %zu records",
                (unsigned long long)total, d->n);
    FUZZ_ASSERT(r->correct == diagonal, "correct %llu, diagonal %llu", (unsigned long long)r->correct,
                (unsigned long long)diagonal);
    if (!d->n)
        return;
    FUZZ_ASSERT(r->accuracy == (double)r->correct / (double)r->n, "accuracy %g", r->accuracy);
    double figures[] = {r->micro_f1, r->macro_precision, r->macro_recall, r->macro_f1,
                        r->weighted_precision, r->weighted_recall, r->weighted_f1};
    for (size_t i = 0; i < sizeof figures / sizeof *figures; i++)
        FUZZ_ASSERT(figures[i] >= 0 && figures[i] <= 1 + 1e-12, "summary figure %zu is %g", i, figures[i]);
    for (size_t i = 0; i < r->nlabels; i++)
        FUZZ_ASSERT(r->precision[i] >= 0 && r->precision[i] <= 1 && r->recall[i] >= 0 &&
                        r->recall[i] <= 1 && r->f1[i] >= 0 && r->f1[i] <= 1,
                    "class %zu: precision %g recall %g f1 %g", i, r->precision[i], r->recall[i], r->f1[i]);
    FUZZ_ASSERT(isfinite(r->log_loss) && r->log_loss >= 0, "log loss %g", r->log_loss);
}

static void print_all(const metrics_data *d, const metrics_report *r)
{
    fuzz_mem out;
    fuzz_mem_open(&out);
    metrics_print_json(out.fp, d, r);
    fuzz_mem_close(&out);
    const char *end = out.buf + out.len;
    const char *p = json_value(out.buf, end, 0);
    FUZZ_ASSERT(p && json_ws(p, end) == end, "metrics --json is not JSON:\n%.*s",
                (int)(out.len < 4000 ? out.len : 4000), out.buf);
    fuzz_mem_free(&out);
    FILE *null = fopen("/dev/null", "w");
    metrics_print_text(null, d, r, 2);
    metrics_print_tsv(null, d, r);
    fclose(null);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned long long lines = fuzz_lines(data, size);
    metrics_data d;
    metrics_data_init(&d);
    char err[SENTIO_ERR_LEN] = "";
    FILE *fp = fuzz_stream(data, size);
    int rc = metrics_read(&d, fp, err, sizeof err);
    fclose(fp);
    if (rc != 0) {
        FUZZ_ASSERT(fuzz_names_position(err, "(line", 1, lines) || strcmp(err, "empty input (no header line)") == 0,
                    "rejected without '(line N)' in [1, %llu]: %s", lines, err);
        metrics_data_free(&d);
        return 0;
    }
    metrics_report r;
    metrics_compute(&d, 0, &r);
    check_report(&d, &r);
    if (d.n > 0) /* metrics(1) refuses a header without records */
        print_all(&d, &r);
    metrics_report_free(&r);

    /* plotdata's confusion matrix: the same counts. */
    confusion c;
    confusion_init(&c);
    FUZZ_ASSERT(confusion_classes(&c, d.nclasses, d.classes) == 0 && c.k == d.nclasses,
                "%zu classes declared, %zu held", d.nclasses, c.k);
    int all_classes = 1;
    for (size_t i = 0; i < d.nclasses; i++)
        all_classes &= confusion_class(&c, d.classes[i]) == (long)i;
    if (all_classes) {
        for (size_t t = 0; t < d.nclasses; t++)
            for (size_t p = 0; p < d.nclasses; p++)
                for (uint64_t k = 0; k < d.confusion[t * d.nclasses + p] && k < 4; k++)
                    FUZZ_ASSERT(confusion_add(&c, d.classes[t], d.classes[p]) == 0, "confusion_add failed");
        for (size_t t = 0; t < c.k; t++) {
            size_t want = 0;
            for (size_t p = 0; p < d.nclasses; p++)
                want += d.confusion[t * d.nclasses + p] < 4 ? d.confusion[t * d.nclasses + p] : 4;
            FUZZ_ASSERT(confusion_row_total(&c, t) == want, "row %zu totals %zu, not %zu", t,
                        confusion_row_total(&c, t), want);
        }
    }
    confusion_free(&c);

    /* cat a.tsv a.tsv: every record twice. */
    size_t once = d.n;
    fp = fuzz_stream(data, size);
    rc = metrics_read(&d, fp, err, sizeof err);
    fclose(fp);
    FUZZ_ASSERT(rc == 0 && d.n == 2 * once, "read twice: rc %d, %zu records after %zu (%s)", rc, d.n, once, err);
    metrics_compute(&d, 1, &r);
    check_report(&d, &r);
    metrics_report_free(&r);
    metrics_data_free(&d);
    return 0;
}
