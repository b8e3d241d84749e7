#include "nn/model.h"

#include "base/err.h"
#include "base/sha256.h"
#include "base/xalloc.h"
#include "nn/scaler.h"
#include "stream/featstream.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MODEL_MAX_BYTES (1ul << 30)
#define MODEL_MAX_CLASSES 65536

static int model_init_max(nn_model *m, const char *arch, int n_inputs, int n_classes, char **classes,
                          const char *feature_meta, size_t max_params, char *err, size_t errlen)
{
    memset(m, 0, sizeof *m);
    arch_spec spec;
    if (arch_parse(arch, &spec, err, errlen) < 0)
        return -1;
    int rc = nn_init_max(&m->net, &spec, n_inputs, n_classes, max_params, err, errlen);
    if (rc == 0)
        m->arch = arch_format(&spec);
    arch_free(&spec);
    if (rc < 0)
        return -1;
    m->n_inputs = n_inputs;
    m->n_classes = n_classes;
    m->classes = cli_xcalloc((size_t)n_classes, sizeof *m->classes);
    for (int i = 0; i < n_classes; ++i)
        m->classes[i] = cli_xstrdup(classes[i]);
    m->feature_meta = cli_xstrdup(feature_meta ? feature_meta : "");
    return 0;
}

int model_init(nn_model *m, const char *arch, int n_inputs, int n_classes, char **classes,
               const char *feature_meta, char *err, size_t errlen)
{
    return model_init_max(m, arch, n_inputs, n_classes, classes, feature_meta, NN_MAX_PARAMS, err,
                          errlen);
}

static char *one_line(const char *s)
{
    char *d = cli_xstrdup(s);
    for (char *p = d; *p; ++p)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    return d;
}

static void add_kv(model_kv **list, int *n, const char *key, const char *value)
{
    *list = cli_xrealloc(*list, (size_t)(*n + 1) * sizeof **list);
    (*list)[*n].key = one_line(key);
    for (char *p = (*list)[*n].key; *p; ++p)
        if (*p == ' ' || *p == '\t')
            *p = '_';
    (*list)[*n].value = one_line(value);
    ++*n;
}

void model_add_option(nn_model *m, const char *key, const char *value)
{
    add_kv(&m->options, &m->n_options, key, value);
}

void model_add_result(nn_model *m, const char *key, const char *value)
{
    add_kv(&m->results, &m->n_results, key, value);
}

static const char *kind_name(nn_kind k)
{
    static const char *names[] = {"dense", "relu", "dropout", "conv1d", "maxpool1d", "flatten"};
    return names[k];
}

static void write_floats(FILE *fp, const char *key, const float *v, size_t n)
{
    fputs(key, fp);
    for (size_t i = 0; i < n; ++i)
        fprintf(fp, " %.9g", (double)v[i]);
    fputc('\n', fp);
}

int model_write(const nn_model *m, FILE *fp, char file_sha256[65], size_t *bytes)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!mem)
        return -1;
    fprintf(mem, "%s %d\n", MODEL_MAGIC, MODEL_VERSION);
    fprintf(mem, "# sentio neural network (man 1 nnfit); edit nothing: the checksum covers it\n");
    for (int l = 0; l < m->net.n_layers; ++l) {
        const nn_layer *L = &m->net.layers[l];
        fprintf(mem, "# layer %d %s in (%d,%d) out (%d,%d) weights %zu+%zu%s\n", l + 1,
                kind_name(L->kind), L->in_len, L->in_ch, L->out_len, L->out_ch, L->n_w, L->n_b,
                l == m->net.n_layers - 1 ? " (output, softmax)" : "");
    }
    fprintf(mem, "arch %s\n", m->arch);
    fprintf(mem, "inputs %d\n", m->n_inputs);
    fprintf(mem, "classes %d\n", m->n_classes);
    for (int i = 0; i < m->n_classes; ++i)
        fprintf(mem, "class %s\n", m->classes[i]);
    fprintf(mem, "feature_meta %s\n", m->feature_meta);
    fprintf(mem, "standardize %d\n", m->standardize ? 1 : 0);
    if (m->standardize) {
        write_floats(mem, "mean", m->mean, (size_t)m->n_inputs);
        write_floats(mem, "std", m->std, (size_t)m->n_inputs);
    }
    for (int i = 0; i < m->n_options; ++i)
        fprintf(mem, "option %s %s\n", m->options[i].key, m->options[i].value);
    for (int i = 0; i < m->n_results; ++i)
        fprintf(mem, "result %s %s\n", m->results[i].key, m->results[i].value);
    fprintf(mem, "params %zu\n", m->net.n_params);
    for (size_t i = 0; i < m->net.n_params; ++i)
        fprintf(mem, "%.9g%c", (double)m->net.params[i],
                i % 8 == 7 || i + 1 == m->net.n_params ? '\n' : ' ');
    if (fclose(mem) != 0) {
        free(text);
        return -1;
    }
    char hex[65];
    sha256_buffer_hex(text, len, hex);
    size_t total = len + strlen("sha256 \n") + 64;
    int rc = 0;
    if (fwrite(text, 1, len, fp) != len || fprintf(fp, "sha256 %s\n", hex) < 0)
        rc = -1;
    if (rc == 0 && (file_sha256 || bytes)) {
        sha256_ctx c;
        unsigned char digest[32];
        char tail[80];
        int n = snprintf(tail, sizeof tail, "sha256 %s\n", hex);
        sha256_init(&c);
        sha256_update(&c, text, len);
        sha256_update(&c, tail, (size_t)n);
        sha256_final(&c, digest);
        if (file_sha256)
            sha256_hex(digest, file_sha256);
        if (bytes)
            *bytes = total;
    }
    free(text);
    return rc;
}

void model_free(nn_model *m)
{
    free(m->arch);
    for (int i = 0; m->classes && i < m->n_classes; ++i)
        free(m->classes[i]);
    free(m->classes);
    free(m->feature_meta);
    free(m->mean);
    free(m->std);
    for (int i = 0; i < m->n_options; ++i) {
        free(m->options[i].key);
        free(m->options[i].value);
    }
    for (int i = 0; i < m->n_results; ++i) {
        free(m->results[i].key);
        free(m->results[i].value);
    }
    free(m->options);
    free(m->results);
    nn_free(&m->net);
    memset(m, 0, sizeof *m);
}

void model_predict(nn_model *m, float *x, int n, double *probs)
{
    if (m->standardize)
        scaler_apply(m->mean, m->std, x, (size_t)n, m->n_inputs);
    const float *logits = nn_forward(&m->net, x, n, NULL);
    for (int i = 0; i < n; ++i)
        nn_softmax(logits + (size_t)i * m->n_classes, m->n_classes,
                   probs + (size_t)i * m->n_classes);
}

/* Loading: the text is split into lines in place; `line` counts them for messages. */
typedef struct {
    char *buf, *p, *end;
    unsigned long long line;
    char *err;
    size_t errlen;
} reader;

/* The next line that is not a comment, or NULL at the end. */
static char *next_line(reader *r)
{
    while (r->p < r->end) {
        char *s = r->p, *nl = memchr(s, '\n', (size_t)(r->end - s));
        *nl = '\0';
        r->p = nl + 1;
        r->line++;
        if (s[0] != '#')
            return s;
    }
    r->line++;
    return NULL;
}

/* The value after "KEY " on the next line, or NULL (error set). */
static char *expect(reader *r, const char *key)
{
    char *s = next_line(r);
    size_t n = strlen(key);
    if (!s) {
        err_at_line(r->err, r->errlen, NULL, r->line, "the file ends where '%s' was expected", key);
        return NULL;
    }
    if (strncmp(s, key, n) != 0 || s[n] != ' ') {
        err_at_line(r->err, r->errlen, NULL, r->line, "expected '%s ...', found '%.40s'", key, s);
        return NULL;
    }
    return s + n + 1;
}

static int parse_count(reader *r, const char *key, long lo, long hi, long *out)
{
    char *v = expect(r, key), *end;
    if (!v)
        return -1;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (errno || end == v || *end || x < lo || x > hi) {
        /* err_at_line returns -1, but the analyser cannot see that from here. */
        err_at_line(r->err, r->errlen, NULL, r->line,
                    "'%s' must be an integer in %ld..%ld, not '%.40s'", key, lo, hi, v);
        return -1;
    }
    *out = x;
    return 0;
}

/* n floats from text, space-separated; text must hold exactly n. */
static int parse_floats(reader *r, const char *what, char *text, float *out, size_t n)
{
    char *p = text;
    for (size_t i = 0; i < n; ++i) {
        char *end;
        errno = 0;
        float v = strtof(p, &end);
        if (end == p || (*end != ' ' && *end != '\0'))
            return err_at_line(r->err, r->errlen, NULL, r->line, "%s: value %zu is not a number",
                               what, i + 1);
        if (!isfinite(v))
            return err_at_line(r->err, r->errlen, NULL, r->line, "%s: value %zu is not finite",
                               what, i + 1);
        out[i] = v;
        p = *end ? end + 1 : end;
        if (i + 1 < n && !*p)
            return err_at_line(r->err, r->errlen, NULL, r->line,
                               "%s: %zu values where %zu were expected", what, i + 1, n);
    }
    if (*p)
        return err_at_line(r->err, r->errlen, NULL, r->line, "%s: more than %zu values", what, n);
    return 0;
}

static int read_all(const char *path, char **buf, size_t *len, char *err, size_t errlen)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        err_set(err, errlen, "%s", strerror(errno));
        return -1;
    }
    size_t cap = 1 << 16, n = 0;
    char *b = cli_xmalloc(cap + 1);
    for (;;) {
        if (n == cap) {
            if (cap >= MODEL_MAX_BYTES) {
                err_set(err, errlen, "larger than %lu bytes: not a model file", MODEL_MAX_BYTES);
                goto fail;
            }
            cap *= 2;
            b = cli_xrealloc(b, cap + 1);
        }
        size_t got = fread(b + n, 1, cap - n, fp);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(fp)) {
        err_set(err, errlen, "read error: %s", strerror(errno));
        goto fail;
    }
    fclose(fp);
    b[n] = '\0';
    *buf = b;
    *len = n;
    return 0;
fail:
    fclose(fp);
    free(b);
    return -1;
}

static int parse_body(nn_model *m, reader *r)
{
    char *v;
    long n;
    if (!(v = expect(r, "arch")))
        return -1;
    char *arch = cli_xstrdup(v);
    unsigned long long arch_line = r->line;
    long inputs, classes;
    if (parse_count(r, "inputs", 1, FEAT_MAX_COLS, &inputs) < 0 ||
        parse_count(r, "classes", 2, MODEL_MAX_CLASSES, &classes) < 0) {
        free(arch);
        return -1;
    }
    char **names = cli_xcalloc((size_t)classes, sizeof *names);
    int rc = 0;
    for (long i = 0; i < classes && rc == 0; ++i) {
        if (!(v = expect(r, "class")))
            rc = -1;
        else if (!*v) {
            err_at_line(r->err, r->errlen, NULL, r->line, "empty class name");
            rc = -1;
        } else
            names[i] = v;
    }
    for (long i = 0; i < classes && rc == 0; ++i)
        for (long j = 0; j < i && rc == 0; ++j)
            if (strcmp(names[i], names[j]) == 0)
                rc = err_at_line(r->err, r->errlen, NULL, r->line, "class '%s' is listed twice",
                                 names[i]);
    char *meta = rc == 0 ? expect(r, "feature_meta") : NULL;
    if (rc == 0 && !meta)
        rc = -1;
    if (rc == 0) {
        /* Every weight takes at least 2 bytes ("0" and a space or line break): a
         * file cannot make us allocate more weights than its rest could hold. */
        size_t room = (size_t)(r->end - r->p) / 2;
        char aerr[SENTIO_ERR_LEN];
        if (model_init_max(m, arch, (int)inputs, (int)classes, names, meta, room, aerr, sizeof aerr) < 0) {
            r->line = arch_line;
            if (room < NN_MAX_PARAMS && strncmp(aerr, "more than", 9) == 0)
                rc = err_at_line(r->err, r->errlen, NULL, r->line,
                                 "arch: needs more weights than the rest of the file could hold, at most %zu",
                                 room);
            else
                rc = err_at_line(r->err, r->errlen, NULL, r->line, "arch: %s", aerr);
        }
    }
    free(names);
    free(arch);
    if (rc < 0)
        return -1;
    if (parse_count(r, "standardize", 0, 1, &n) < 0)
        return -1;
    m->standardize = n == 1;
    if (m->standardize) {
        m->mean = cli_xmalloc((size_t)inputs * sizeof(float));
        m->std = cli_xmalloc((size_t)inputs * sizeof(float));
        if (!(v = expect(r, "mean")) || parse_floats(r, "mean", v, m->mean, (size_t)inputs) < 0)
            return -1;
        if (!(v = expect(r, "std")) || parse_floats(r, "std", v, m->std, (size_t)inputs) < 0)
            return -1;
        for (long i = 0; i < inputs; ++i)
            if (!(m->std[i] > 0.0f))
                return err_at_line(r->err, r->errlen, NULL, r->line,
                                   "std: value %ld is not positive", i + 1);
    }
    char *s;
    for (;;) {
        if (!(s = next_line(r)))
            return err_at_line(r->err, r->errlen, NULL, r->line,
                               "the file ends where 'params' was expected");
        char *sp = strchr(s, ' ');
        if (sp && (strncmp(s, "option ", 7) == 0 || strncmp(s, "result ", 7) == 0)) {
            char *key = sp + 1, *val = strchr(key, ' ');
            if (!val || val == key)
                return err_at_line(r->err, r->errlen, NULL, r->line, "expected '%.6s KEY VALUE'",
                                   s);
            *val++ = '\0';
            add_kv(s[0] == 'o' ? &m->options : &m->results,
                   s[0] == 'o' ? &m->n_options : &m->n_results, key, val);
            continue;
        }
        break;
    }
    if (strncmp(s, "params ", 7) != 0)
        return err_at_line(r->err, r->errlen, NULL, r->line, "expected 'params N', found '%.40s'",
                           s);
    char *end;
    errno = 0;
    unsigned long long np = strtoull(s + 7, &end, 10);
    if (errno || end == s + 7 || *end || np != m->net.n_params)
        return err_at_line(r->err, r->errlen, NULL, r->line,
                           "'params %s' does not match the architecture, which has %zu weights",
                           s + 7, m->net.n_params);
    size_t done = 0;
    while (done < m->net.n_params) {
        if (!(s = next_line(r)))
            return err_at_line(r->err, r->errlen, NULL, r->line,
                               "the file ends after %zu of %zu weights", done, m->net.n_params);
        size_t row = m->net.n_params - done < 8 ? m->net.n_params - done : 8;
        if (parse_floats(r, "weights", s, m->net.params + done, row) < 0)
            return -1;
        done += row;
    }
    if ((s = next_line(r)))
        return err_at_line(r->err, r->errlen, NULL, r->line, "unexpected '%.40s' after the weights",
                           s);
    return 0;
}

int model_load(nn_model *m, const char *path, char *err, size_t errlen)
{
    memset(m, 0, sizeof *m);
    char *buf;
    size_t len;
    if (read_all(path, &buf, &len, err, errlen) < 0)
        return -1;
    reader r = {.buf = buf, .p = buf, .end = buf + len, .line = 1, .err = err, .errlen = errlen};
    int rc = -1;
    size_t magic = strlen(MODEL_MAGIC);
    if (len < magic + 2 || memcmp(buf, MODEL_MAGIC " ", magic + 1) != 0) {
        err_at_line(r.err, r.errlen, NULL, r.line,
                    "not a sentio model file (it does not start with '%s')", MODEL_MAGIC);
        goto out;
    }
    char *end;
    errno = 0;
    long version = strtol(buf + magic + 1, &end, 10);
    if (errno || end == buf + magic + 1 || (*end != '\n' && *end != '\0') || version < 1) {
        err_at_line(r.err, r.errlen, NULL, r.line, "bad format version");
        goto out;
    }
    if (version > MODEL_VERSION) {
        err_at_line(r.err, r.errlen, NULL, r.line,
                    "model format version %ld is newer than this sentio reads (%d): upgrade sentio",
                    version, MODEL_VERSION);
        goto out;
    }
    /* The last line is the checksum of everything before it. */
    int lines = 0;
    for (size_t i = 0; i < len; ++i) {
        lines += buf[i] == '\n';
        if (buf[i] == '\0') {
            r.line = lines + 1;
            err_at_line(r.err, r.errlen, NULL, r.line, "NUL byte: not a text model file");
            goto out;
        }
    }
    r.line = lines + (len && buf[len - 1] != '\n');
    if (len == 0 || buf[len - 1] != '\n') {
        err_at_line(r.err, r.errlen, NULL, r.line,
                    "truncated: the file does not end with a complete line");
        goto out;
    }
    size_t last = len - 1;
    while (last > 0 && buf[last - 1] != '\n')
        --last;
    const char *tail = buf + last;
    if (len - last != 7 + 64 + 1 || strncmp(tail, "sha256 ", 7) != 0) {
        err_at_line(r.err, r.errlen, NULL, r.line,
                    "truncated or damaged: the last line is not the 'sha256' checksum");
        goto out;
    }
    char hex[65];
    sha256_buffer_hex(buf, last, hex);
    if (memcmp(hex, tail + 7, 64) != 0) {
        err_at_line(r.err, r.errlen, NULL, r.line,
                    "checksum mismatch: the file is damaged (or was edited)");
        goto out;
    }
    r.end = buf + last;
    r.line = 0;
    next_line(&r); /* the magic line, checked above */
    rc = parse_body(m, &r);
out:
    free(buf);
    if (rc < 0)
        model_free(m);
    return rc;
}
