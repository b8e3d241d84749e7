#include "svm/svmmodel.h"

#include "base/err.h"
#include "base/xalloc.h"
#include "nn/scaler.h"
#include "stream/featstream.h"

#include <errno.h>
#include <libsvm/svm.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void quiet(const char *s) { (void)s; }

void svm_data_init(svm_data *d, const float *x, const int *y, size_t n, int cols)
{
    d->n = n;
    d->cols = cols;
    size_t width = (size_t)cols + 1;
    d->nodes = cli_xmalloc(n * width * sizeof *d->nodes);
    /* An array of row pointers. */
    d->rows = cli_xmalloc((n ? n : 1) * sizeof *d->rows); // NOLINT(bugprone-sizeof-expression)
    d->y = cli_xmalloc((n ? n : 1) * sizeof *d->y);
    for (size_t r = 0; r < n; ++r) {
        struct svm_node *row = d->nodes + r * width;
        for (int c = 0; c < cols; ++c) {
            row[c].index = c + 1;
            row[c].value = x[r * (size_t)cols + (size_t)c];
        }
        row[cols].index = -1;
        row[cols].value = 0;
        d->rows[r] = row;
        d->y[r] = y ? y[r] : 0;
    }
}

void svm_data_free(svm_data *d)
{
    free(d->nodes);
    free(d->rows);
    free(d->y);
    memset(d, 0, sizeof *d);
}

/* The problem and parameters stay alive with the model: libsvm keeps pointers. */
typedef struct {
    struct svm_problem prob;
    struct svm_node **x;
    double *y;
} fit_problem;

struct svm_model *svm_fit(const svm_data *d, const size_t *idx, size_t n,
                          const svm_train_options *o, char *err, size_t errlen)
{
    svm_set_print_string_function(quiet);
    struct svm_parameter p = {
        .svm_type = C_SVC,
        .kernel_type = o->kernel == SVM_KERNEL_LINEAR ? LINEAR : RBF,
        .degree = 3,
        .gamma = o->gamma,
        .cache_size = 100,
        .eps = 1e-3,
        .C = o->C,
        .shrinking = 1,
        .probability = o->probability ? 1 : 0,
    };
    struct svm_problem prob = {.l = (int)n, .y = d->y, .x = d->rows};
    double *y = NULL;
    struct svm_node **x = NULL;
    if (idx) {
        y = cli_xmalloc((n ? n : 1) * sizeof *y);
        x = cli_xmalloc((n ? n : 1) * sizeof *x); // NOLINT(bugprone-sizeof-expression)
        for (size_t i = 0; i < n; ++i) {
            y[i] = d->y[idx[i]];
            x[i] = d->rows[idx[i]];
        }
        prob.y = y;
        prob.x = x;
    }
    const char *bad = svm_check_parameter(&prob, &p);
    struct svm_model *m = NULL;
    if (bad) {
        err_set(err, errlen, "libsvm: %s", bad);
    } else {
        srand(o->seed);
        m = svm_train(&prob, &p);
    }
    /* The model's support vectors point into d's rows, not into x: x may go. */
    free(x);
    free(y);
    return m;
}

int svm_predict_row(const struct svm_model *m, const svm_data *d, size_t r)
{
    return (int)svm_predict(m, d->rows[r]);
}

void svm_model_release(struct svm_model *m) { svm_free_and_destroy_model(&m); }

const char *svm_kernel_name(svm_kernel k) { return k == SVM_KERNEL_LINEAR ? "linear" : "rbf"; }

/* A temporary file for libsvm, which saves and loads models by name only. */
static FILE *temp_file(char *path, size_t len)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, len, "%s/sentio-svm.XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        return NULL;
    FILE *fp = fdopen(fd, "w+b");
    if (!fp) {
        close(fd);
        unlink(path);
    }
    return fp;
}

static char *slurp(FILE *fp)
{
    if (fseek(fp, 0, SEEK_END) != 0)
        return NULL;
    long len = ftell(fp);
    if (len < 0 || fseek(fp, 0, SEEK_SET) != 0)
        return NULL;
    char *text = cli_xmalloc((size_t)len + 1);
    if (fread(text, 1, (size_t)len, fp) != (size_t)len) {
        free(text);
        return NULL;
    }
    text[len] = '\0';
    return text;
}

int svm_classifier_adopt(svm_classifier *c, const struct svm_model *m, char *err, size_t errlen)
{
    char path[4096];
    FILE *fp = temp_file(path, sizeof path);
    if (!fp) {
        err_set(err, errlen, "cannot create a temporary file for libsvm: %s", strerror(errno));
        return -1;
    }
    int saved = svm_save_model(path, m);
    char *text = saved == 0 ? slurp(fp) : NULL;
    fclose(fp);
    unlink(path);
    if (!text) {
        err_set(err, errlen, "libsvm could not save its model to a temporary file");
        return -1;
    }
    free(c->libsvm_text);
    c->libsvm_text = text;
    return 0;
}

static void write_lines(FILE *mem, const void *ctx)
{
    const svm_classifier *c = ctx;
    fprintf(mem,
            "# sentio support vector machine on libsvm %d (man 1 svmfit); edit nothing: "
            "the checksum covers it\n",
            libsvm_version);
    fprintf(mem, "kernel %s\n", svm_kernel_name(c->kernel));
    fprintf(mem, "inputs %d\n", c->n_inputs);
    modelfile_write_head(mem, &c->head, c->n_inputs);
    size_t lines = 0;
    for (const char *p = c->libsvm_text; *p; ++p)
        lines += *p == '\n';
    fprintf(mem, "libsvm %zu\n%s", lines, c->libsvm_text);
}

int svm_classifier_write(const svm_classifier *c, FILE *fp, char file_sha256[65], size_t *bytes)
{
    return modelfile_write(fp, SVM_MODEL_MAGIC, SVM_MODEL_VERSION, write_lines, c, file_sha256,
                           bytes);
}

/* The number of space-separated numbers in text, each finite and, when integer,
 * whole; -1 when a token is not such a number. */
static long count_numbers(const char *text, bool integer)
{
    long n = 0;
    const char *p = text;
    while (*p) {
        size_t len = strcspn(p, " ");
        if (len == 0 || len > 64)
            return -1;
        char tok[65], *end;
        memcpy(tok, p, len);
        tok[len] = '\0';
        errno = 0;
        double v = integer ? (double)strtol(tok, &end, 10) : strtod(tok, &end);
        if (*end || errno || !isfinite(v))
            return -1;
        ++n;
        p += len;
        p += *p == ' ';
    }
    return n;
}

/* A support vector line as svm_save_model writes it: K-1 coefficients, then
 * INDEX:VALUE pairs with increasing indices in 1..inputs, each followed by a space. */
static bool valid_sv_line(const char *s, int k, int inputs)
{
    int prev = 0;
    for (int t = 0; *s; ++t) {
        size_t len = strcspn(s, " ");
        if (len == 0 || len > 64 || s[len] != ' ')
            return false;
        char tok[65], *end;
        memcpy(tok, s, len);
        tok[len] = '\0';
        errno = 0;
        if (t < k - 1) {
            double v = strtod(tok, &end);
            if (*end || errno || !isfinite(v))
                return false;
        } else {
            long idx = strtol(tok, &end, 10);
            if (*end != ':' || idx <= prev || idx > inputs)
                return false;
            double v = strtod(end + 1, &end);
            if (*end || errno || !isfinite(v))
                return false;
            prev = (int)idx;
        }
        s += len + 1;
    }
    return true;
}

/* libsvm's own lines, checked before libsvm reads them: its loader trusts them (a
 * repeated or unknown header key leaks, a short support vector line crashes it).
 * Accepted: what svm_save_model writes for a C-SVC with probabilities, K classes. */
static int check_libsvm_text(modelfile_reader *r, const svm_classifier *c, char **lines, long n)
{
    static const char *keys[] = {"svm_type", "kernel_type", "degree", "gamma", "coef0", "nr_class",
                                 "total_sv", "rho",         "label",  "probA", "probB", "nr_sv"};
    enum { NKEYS = sizeof keys / sizeof *keys };
    bool seen[NKEYS] = {false};
    long k = c->head.n_classes, pairs = k * (k - 1) / 2, total_sv = -1, header = 0;
    for (long i = 0; i < n && !header; ++i) {
        const char *s = lines[i];
        if (strcmp(s, "SV") == 0) {
            header = i + 1;
            break;
        }
        size_t len = strcspn(s, " ");
        int key = -1;
        for (int j = 0; j < NKEYS; ++j)
            if (strlen(keys[j]) == len && strncmp(s, keys[j], len) == 0)
                key = j;
        if (key < 0 || seen[key] || s[len] != ' ')
            return modelfile_fail(r,
                                  "libsvm: line %ld ('%.40s') is not a known header line, or "
                                  "repeats one",
                                  i + 1, s);
        seen[key] = true;
        const char *v = s + len + 1;
        bool ok = true;
        if (key == 0)
            ok = strcmp(v, "c_svc") == 0;
        else if (key == 1)
            ok = strcmp(v, c->kernel == SVM_KERNEL_LINEAR ? "linear" : "rbf") == 0;
        else if (key <= 4)
            ok = count_numbers(v, key == 2) == 1;
        else if (key == 5)
            ok = count_numbers(v, true) == 1 && atol(v) == k;
        else if (key == 6)
            ok = count_numbers(v, true) == 1 && (total_sv = atol(v)) >= 0;
        else if (key == 8 || key == 11)
            ok = seen[5] && count_numbers(v, true) == k;
        else
            ok = seen[5] && count_numbers(v, false) == pairs;
        if (!ok)
            return modelfile_fail(r,
                                  "libsvm: header line %ld ('%.40s') does not fit a C-SVC "
                                  "of %ld classes with a %s kernel",
                                  i + 1, s, k, svm_kernel_name(c->kernel));
    }
    for (int j = 0; j < NKEYS; ++j)
        if (!seen[j] && !(j >= 2 && j <= 4 && c->kernel == SVM_KERNEL_LINEAR) &&
            !(j == 2 || j == 4))
            return modelfile_fail(r, "libsvm: the model has no '%s' line", keys[j]);
    if (!header)
        return modelfile_fail(r, "libsvm: no SV section");
    if (total_sv != n - header)
        return modelfile_fail(r, "libsvm: total_sv %ld, but %ld support vector lines", total_sv,
                              n - header);
    for (long i = header; i < n; ++i)
        if (!valid_sv_line(lines[i], (int)k, c->n_inputs))
            return modelfile_fail(r,
                                  "libsvm: support vector %ld is not '%ld coefficients and "
                                  "INDEX:VALUE pairs'",
                                  i - header + 1, k - 1);
    return 0;
}

static int load_libsvm(svm_classifier *c, modelfile_reader *r, char **lines, long n)
{
    if (check_libsvm_text(r, c, lines, n) < 0)
        return -1;
    size_t len = 0;
    for (long i = 0; i < n; ++i)
        len += strlen(lines[i]) + 1;
    c->libsvm_text = cli_xmalloc(len + 1);
    char *p = c->libsvm_text;
    for (long i = 0; i < n; ++i)
        p += sprintf(p, "%s\n", lines[i]);
    char path[4096];
    FILE *fp = temp_file(path, sizeof path);
    if (!fp)
        return modelfile_fail(r, "cannot create a temporary file for libsvm: %s", strerror(errno));
    int ok = fwrite(c->libsvm_text, 1, len, fp) == len && fflush(fp) == 0;
    fclose(fp);
    c->svm = ok ? svm_load_model(path) : NULL;
    unlink(path);
    if (!c->svm)
        return modelfile_fail(r, "libsvm cannot read the embedded model");
    if (svm_check_probability_model(c->svm) == 0)
        return modelfile_fail(r, "libsvm: the model has no probability estimates");
    int k = svm_get_nr_class(c->svm);
    int *labels = cli_xmalloc((size_t)k * sizeof *labels);
    svm_get_labels(c->svm, labels);
    c->prob_index = cli_xmalloc((size_t)k * sizeof *c->prob_index);
    int rc = 0;
    for (int j = 0; j < k && rc == 0; ++j) {
        if (labels[j] < 0 || labels[j] >= c->head.n_classes)
            rc = modelfile_fail(r, "libsvm: label %d is not a class index", labels[j]);
        /* Two libsvm classes on one index would write one probability over the other. */
        for (int i = 0; i < j && rc == 0; ++i)
            if (labels[i] == labels[j])
                rc = modelfile_fail(r, "libsvm: label %d is listed twice", labels[j]);
        c->prob_index[j] = labels[j];
    }
    free(labels);
    /* Support vectors with indices beyond the inputs would be ignored in silence. */
    for (int i = 0; rc == 0 && i < c->svm->l; ++i)
        for (const struct svm_node *v = c->svm->SV[i]; v->index != -1; ++v)
            if (v->index < 1 || v->index > c->n_inputs) {
                rc = modelfile_fail(r, "libsvm: a support vector has feature %d of %d", v->index,
                                    c->n_inputs);
                break;
            }
    return rc;
}

static int parse_body(modelfile_reader *r, void *ctx)
{
    svm_classifier *c = ctx;
    char *v = modelfile_expect(r, "kernel");
    if (!v)
        return -1;
    if (strcmp(v, "rbf") == 0)
        c->kernel = SVM_KERNEL_RBF;
    else if (strcmp(v, "linear") == 0)
        c->kernel = SVM_KERNEL_LINEAR;
    else
        return modelfile_fail(r, "kernel '%.40s' is not rbf or linear", v);
    long inputs, n;
    if (modelfile_count(r, "inputs", 1, FEAT_MAX_COLS, &inputs) < 0)
        return -1;
    c->n_inputs = (int)inputs;
    if (modelfile_read_classes(r, &c->head) < 0)
        return -1;
    char *s = modelfile_read_rest(r, &c->head, c->n_inputs);
    if (!s)
        return -1;
    if (strncmp(s, "libsvm ", 7) != 0)
        return modelfile_fail(r, "expected 'libsvm L', found '%.40s'", s);
    char *end;
    errno = 0;
    n = strtol(s + 7, &end, 10);
    if (errno || end == s + 7 || *end || n < 1 || n > 1L << 30)
        return modelfile_fail(r, "'libsvm %.40s': not a line count", s + 7);
    /* The count is the file's word: the array grows with the lines actually there. */
    char **lines = NULL;
    long got = 0, cap = 0;
    while (got < n && (s = modelfile_next_line(r))) {
        if (got == cap) {
            cap = (long)cli_grown((size_t)cap, 64);
            lines = cli_xreallocarray(lines, (size_t)cap, sizeof *lines);
        }
        lines[got++] = s;
    }
    int rc = got < n ? modelfile_fail(r, "the file ends after %ld of %ld libsvm lines", got, n)
                     : load_libsvm(c, r, lines, n);
    free(lines);
    if (rc == 0 && (s = modelfile_next_line(r)))
        rc = modelfile_fail(r, "unexpected '%.40s' after the libsvm model", s);
    return rc;
}

int svm_classifier_load(svm_classifier *c, const char *path, char *err, size_t errlen)
{
    memset(c, 0, sizeof *c);
    int rc = modelfile_load(path, SVM_MODEL_MAGIC, SVM_MODEL_VERSION, parse_body, c, err, errlen);
    if (rc < 0)
        svm_classifier_free(c);
    else {
        c->node = cli_xmalloc(((size_t)c->n_inputs + 1) * sizeof *c->node);
        c->prob_buf = cli_xmalloc((size_t)c->head.n_classes * sizeof *c->prob_buf);
    }
    return rc;
}

void svm_classifier_predict(svm_classifier *c, float *x, double *probs)
{
    if (c->head.standardize)
        scaler_apply(c->head.mean, c->head.std, x, 1, c->n_inputs);
    for (int i = 0; i < c->n_inputs; ++i) {
        c->node[i].index = i + 1;
        c->node[i].value = x[i];
    }
    c->node[c->n_inputs].index = -1;
    svm_predict_probability(c->svm, c->node, c->prob_buf);
    for (int j = 0; j < c->head.n_classes; ++j)
        probs[j] = 0;
    for (int j = 0; j < svm_get_nr_class(c->svm); ++j)
        probs[c->prob_index[j]] = c->prob_buf[j];
}

void svm_classifier_free(svm_classifier *c)
{
    if (c->svm)
        svm_free_and_destroy_model(&c->svm);
    modelfile_head_free(&c->head);
    free(c->libsvm_text);
    free(c->prob_index);
    free(c->node);
    free(c->prob_buf);
    memset(c, 0, sizeof *c);
}
