#include "nn/modelfile.h"

#include "base/err.h"
#include "base/json.h"
#include "base/sha256.h"
#include "base/xalloc.h"
#include "stream/featstream.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static char *one_line(const char *s)
{
    char *d = cli_xstrdup(s);
    for (char *p = d; *p; ++p)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    return d;
}

void modelfile_add_kv(model_kv **list, int *n, const char *key, const char *value)
{
    *list = cli_xrealloc(*list, (size_t)(*n + 1) * sizeof **list);
    (*list)[*n].key = one_line(key);
    for (char *p = (*list)[*n].key; *p; ++p)
        if (*p == ' ' || *p == '\t')
            *p = '_';
    (*list)[*n].value = one_line(value);
    ++*n;
}

void modelfile_add_number(model_kv **list, int *n, const char *key, double value)
{
    char buf[64];
    if (value == floor(value) && fabs(value) < 1e15)
        snprintf(buf, sizeof buf, "%.0f", value);
    else
        json_format_double(buf, sizeof buf, value);
    modelfile_add_kv(list, n, key, buf);
}

void modelfile_free_kv(model_kv *list, int n)
{
    for (int i = 0; i < n; ++i) {
        free(list[i].key);
        free(list[i].value);
    }
    free(list);
}

int modelfile_fail(modelfile_reader *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    /* err_vat_line, not the message and then its position: a message quoting a long line
     * fills the buffer, and the position must survive it. */
    err_vat_line(r->err, r->errlen, NULL, (unsigned long long)r->line, fmt, ap);
    va_end(ap);
    return -1;
}

char *modelfile_next_line(modelfile_reader *r)
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

char *modelfile_expect(modelfile_reader *r, const char *key)
{
    char *s = modelfile_next_line(r);
    size_t n = strlen(key);
    if (!s) {
        modelfile_fail(r, "the file ends where '%s' was expected", key);
        return NULL;
    }
    if (strncmp(s, key, n) != 0 || s[n] != ' ') {
        modelfile_fail(r, "expected '%s ...', found '%.40s'", key, s);
        return NULL;
    }
    return s + n + 1;
}

int modelfile_count(modelfile_reader *r, const char *key, long lo, long hi, long *out)
{
    char *v = modelfile_expect(r, key), *end;
    if (!v)
        return -1;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (errno || end == v || *end || x < lo || x > hi)
        return modelfile_fail(r, "'%s' must be an integer in %ld..%ld, not '%.40s'", key, lo, hi,
                              v);
    *out = x;
    return 0;
}

int modelfile_floats(modelfile_reader *r, const char *what, char *text, float *out, size_t n)
{
    char *p = text;
    for (size_t i = 0; i < n; ++i) {
        char *end;
        errno = 0;
        float v = strtof(p, &end);
        if (end == p || (*end != ' ' && *end != '\0'))
            return modelfile_fail(r, "%s: value %zu is not a number", what, i + 1);
        if (!isfinite(v))
            return modelfile_fail(r, "%s: value %zu is not finite", what, i + 1);
        out[i] = v;
        p = *end ? end + 1 : end;
        if (i + 1 < n && !*p)
            return modelfile_fail(r, "%s: %zu values where %zu were expected", what, i + 1, n);
    }
    if (*p)
        return modelfile_fail(r, "%s: more than %zu values", what, n);
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
            if (cap >= MODELFILE_MAX_BYTES) {
                err_set(err, errlen, "larger than %lu bytes: not a model file",
                        MODELFILE_MAX_BYTES);
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

void modelfile_magic(const char *path, char *magic, size_t len)
{
    magic[0] = '\0';
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return;
    char head[64];
    size_t n = fread(head, 1, sizeof head - 1, fp);
    fclose(fp);
    head[n] = '\0';
    size_t w = strcspn(head, " \n");
    if (w < len && w < n) {
        memcpy(magic, head, w);
        magic[w] = '\0';
    }
}

int modelfile_open(modelfile_reader *r, const char *path, const char *magic, int max_version,
                   char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    r->err = err;
    r->errlen = errlen;
    size_t len;
    if (read_all(path, &r->buf, &len, err, errlen) < 0)
        return -1;
    char *buf = r->buf;
    r->p = buf;
    r->end = buf + len;
    r->line = 1;
    size_t mlen = strlen(magic);
    if (len < mlen + 2 || memcmp(buf, magic, mlen) != 0 || buf[mlen] != ' ')
        return modelfile_fail(r, "not a sentio model file (it does not start with '%s')", magic);
    char *end;
    errno = 0;
    long version = strtol(buf + mlen + 1, &end, 10);
    if (errno || end == buf + mlen + 1 || (*end != '\n' && *end != '\0') || version < 1)
        return modelfile_fail(r, "bad format version");
    if (version > max_version)
        return modelfile_fail(r,
                              "model format version %ld is newer than this sentio reads (%d): "
                              "upgrade sentio",
                              version, max_version);
    /* The last line is the checksum of everything before it. */
    int lines = 0;
    for (size_t i = 0; i < len; ++i) {
        lines += buf[i] == '\n';
        if (buf[i] == '\0') {
            r->line = lines + 1;
            return modelfile_fail(r, "NUL byte: not a text model file");
        }
    }
    r->line = lines + (len && buf[len - 1] != '\n');
    if (len == 0 || buf[len - 1] != '\n')
        return modelfile_fail(r, "truncated: the file does not end with a complete line");
    size_t last = len - 1;
    while (last > 0 && buf[last - 1] != '\n')
        --last;
    const char *tail = buf + last;
    if (len - last != 7 + 64 + 1 || strncmp(tail, "sha256 ", 7) != 0)
        return modelfile_fail(r, "truncated or damaged: the last line is not the 'sha256' "
                                 "checksum");
    char hex[65];
    sha256_buffer_hex(buf, last, hex);
    if (memcmp(hex, tail + 7, 64) != 0)
        return modelfile_fail(r, "checksum mismatch: the file is damaged (or was edited)");
    r->end = buf + last;
    r->line = 0;
    modelfile_next_line(r); /* the magic line, checked above */
    return 0;
}

void modelfile_close(modelfile_reader *r)
{
    free(r->buf);
    r->buf = r->p = r->end = NULL;
}

int modelfile_load(const char *path, const char *magic, int max_version,
                   int (*parse)(modelfile_reader *r, void *ctx), void *ctx, char *err,
                   size_t errlen)
{
    modelfile_reader r;
    int rc = modelfile_open(&r, path, magic, max_version, err, errlen);
    if (rc == 0)
        rc = parse(&r, ctx);
    modelfile_close(&r);
    return rc;
}

int modelfile_read_classes(modelfile_reader *r, modelfile_head *h)
{
    long k = 0;
    if (modelfile_count(r, "classes", 2, MODELFILE_MAX_CLASSES, &k) < 0)
        return -1;
    h->classes = cli_xcalloc((size_t)k, sizeof *h->classes);
    h->n_classes = (int)k;
    for (long i = 0; i < k; ++i) {
        char *v = modelfile_expect(r, "class");
        if (!v)
            return -1;
        if (!*v)
            return modelfile_fail(r, "empty class name");
        /* A TAB or control character would split nnpredict's TSV row into more
         * columns than its header. */
        for (const char *c = v; *c; c++)
            if ((unsigned char)*c < 0x20 || *c == 0x7f)
                return modelfile_fail(r, "class name with a TAB or control character");
        for (long j = 0; j < i; ++j)
            if (strcmp(v, h->classes[j]) == 0)
                return modelfile_fail(r, "class '%s' is listed twice", v);
        h->classes[i] = cli_xstrdup(v);
    }
    char *meta = modelfile_expect(r, "feature_meta");
    if (!meta)
        return -1;
    h->feature_meta = cli_xstrdup(meta);
    return 0;
}

static int read_scaler(modelfile_reader *r, modelfile_head *h, int n_inputs)
{
    long flag = 0;
    char *v;
    if (modelfile_count(r, "standardize", 0, 1, &flag) < 0)
        return -1;
    h->standardize = flag == 1;
    if (!h->standardize)
        return 0;
    h->mean = cli_xmalloc((size_t)n_inputs * sizeof(float));
    h->std = cli_xmalloc((size_t)n_inputs * sizeof(float));
    if (!(v = modelfile_expect(r, "mean")) ||
        modelfile_floats(r, "mean", v, h->mean, (size_t)n_inputs) < 0)
        return -1;
    if (!(v = modelfile_expect(r, "std")) ||
        modelfile_floats(r, "std", v, h->std, (size_t)n_inputs) < 0)
        return -1;
    for (int i = 0; i < n_inputs; ++i)
        if (!(h->std[i] > 0.0f))
            return modelfile_fail(r, "std: value %d is not positive", i + 1);
    return 0;
}

static char *read_kv(modelfile_reader *r, modelfile_head *h)
{
    for (;;) {
        char *s = modelfile_next_line(r);
        if (!s) {
            modelfile_fail(r, "the file ends after the options");
            return NULL;
        }
        if (strncmp(s, "option ", 7) != 0 && strncmp(s, "result ", 7) != 0)
            return s;
        char *key = s + 7, *val = strchr(key, ' ');
        if (!val || val == key) {
            modelfile_fail(r, "expected '%.6s KEY VALUE'", s);
            return NULL;
        }
        *val++ = '\0';
        if (s[0] == 'o')
            modelfile_add_kv(&h->options, &h->n_options, key, val);
        else
            modelfile_add_kv(&h->results, &h->n_results, key, val);
    }
}

char *modelfile_read_rest(modelfile_reader *r, modelfile_head *h, int n_inputs)
{
    return read_scaler(r, h, n_inputs) < 0 ? NULL : read_kv(r, h);
}

void modelfile_head_free(modelfile_head *h)
{
    for (int i = 0; h->classes && i < h->n_classes; ++i)
        free(h->classes[i]);
    free(h->classes);
    free(h->feature_meta);
    free(h->mean);
    free(h->std);
    modelfile_free_kv(h->options, h->n_options);
    modelfile_free_kv(h->results, h->n_results);
    memset(h, 0, sizeof *h);
}

static void write_floats(FILE *fp, const char *key, const float *v, size_t n)
{
    fputs(key, fp);
    for (size_t i = 0; i < n; ++i)
        fprintf(fp, " %.9g", (double)v[i]);
    fputc('\n', fp);
}

void modelfile_write_head(FILE *fp, const modelfile_head *h, int n_inputs)
{
    fprintf(fp, "classes %d\n", h->n_classes);
    for (int i = 0; i < h->n_classes; ++i)
        fprintf(fp, "class %s\n", h->classes[i]);
    fprintf(fp, "feature_meta %s\n", h->feature_meta ? h->feature_meta : "");
    fprintf(fp, "standardize %d\n", h->standardize ? 1 : 0);
    if (h->standardize) {
        write_floats(fp, "mean", h->mean, (size_t)n_inputs);
        write_floats(fp, "std", h->std, (size_t)n_inputs);
    }
    for (int i = 0; i < h->n_options; ++i)
        fprintf(fp, "option %s %s\n", h->options[i].key, h->options[i].value);
    for (int i = 0; i < h->n_results; ++i)
        fprintf(fp, "result %s %s\n", h->results[i].key, h->results[i].value);
}

static int write_signed(const char *text, size_t len, FILE *fp, char file_sha256[65], size_t *bytes)
{
    char hex[65], tail[80];
    sha256_buffer_hex(text, len, hex);
    int n = snprintf(tail, sizeof tail, "sha256 %s\n", hex);
    if (fwrite(text, 1, len, fp) != len || fputs(tail, fp) < 0)
        return -1;
    if (file_sha256) {
        sha256_ctx c;
        unsigned char digest[32];
        sha256_init(&c);
        sha256_update(&c, text, len);
        sha256_update(&c, tail, (size_t)n);
        sha256_final(&c, digest);
        sha256_hex(digest, file_sha256);
    }
    if (bytes)
        *bytes = len + (size_t)n;
    return 0;
}

int modelfile_write(FILE *fp, const char *magic, int version,
                    void (*lines)(FILE *out, const void *ctx), const void *ctx,
                    char file_sha256[65], size_t *bytes)
{
    /* The whole text first: its checksum is its last line. */
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!mem)
        return -1;
    fprintf(mem, "%s %d\n", magic, version);
    lines(mem, ctx);
    if (fclose(mem) != 0) {
        free(text);
        return -1;
    }
    int rc = write_signed(text, len, fp, file_sha256, bytes);
    free(text);
    return rc;
}
