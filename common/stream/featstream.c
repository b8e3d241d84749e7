#include "stream/featstream.h"

#include "base/cli.h"
#include "base/err.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void feat_record_free(feat_record *rec)
{
    free(rec->key);
    free(rec->label);
    free(rec->meta);
    free(rec->data);
    memset(rec, 0, sizeof *rec);
}

static char *reserve_string(char **buf, size_t *cap, size_t len)
{
    if (*cap < len + 1) {
        *buf = cli_xrealloc(*buf, len + 1);
        *cap = len + 1;
    }
    return *buf;
}

static void set_string(char **buf, size_t *cap, const char *s)
{
    if (!s)
        s = "";
    size_t n = strlen(s);
    memcpy(reserve_string(buf, cap, n), s, n + 1);
}

float *feat_record_resize(feat_record *rec, uint32_t rows, uint32_t cols)
{
    size_t n = (size_t)rows * cols;
    if (rec->data_cap < n || !rec->data) {
        rec->data = cli_xrealloc(rec->data, (n ? n : 1) * sizeof(float));
        rec->data_cap = n;
    }
    rec->rows = rows;
    rec->cols = cols;
    return rec->data;
}

void feat_record_set(feat_record *rec, const char *key, const char *label, const char *meta,
                     uint32_t rows, uint32_t cols, const float *data)
{
    set_string(&rec->key, &rec->key_cap, key);
    set_string(&rec->label, &rec->label_cap, label);
    set_string(&rec->meta, &rec->meta_cap, meta);
    float *dst = feat_record_resize(rec, rows, cols);
    if (rows && cols)
        memcpy(dst, data, (size_t)rows * cols * sizeof(float));
}

static const char *check_text(const char *s, size_t len, size_t max, bool allow_tab,
                              const char *what)
{
    static char msg[96];
    if (len > max) {
        snprintf(msg, sizeof msg, "%s longer than %zu bytes", what, max);
        return msg;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\0' || c == '\n' || c == '\r' || (c == '\t' && !allow_tab)) {
            snprintf(msg, sizeof msg, "%s contains a %s character", what,
                     c == '\0'   ? "NUL"
                     : c == '\t' ? "TAB"
                                 : "line-break");
            return msg;
        }
    }
    return NULL;
}

const char *feat_record_check(const feat_record *rec)
{
    const char *key = rec->key ? rec->key : "";
    if (!*key)
        return "empty key";
    const char *e;
    if ((e = check_text(key, strlen(key), FEAT_MAX_KEY, false, "key")))
        return e;
    if (rec->label &&
        (e = check_text(rec->label, strlen(rec->label), FEAT_MAX_LABEL, false, "label")))
        return e;
    if (rec->meta &&
        (e = check_text(rec->meta, strlen(rec->meta), FEAT_MAX_META, true, "metadata")))
        return e;
    if (rec->rows > FEAT_MAX_ROWS || rec->cols > FEAT_MAX_COLS ||
        (uint64_t)rec->rows * rec->cols > FEAT_MAX_VALUES)
        return "matrix too large";
    if (rec->rows > 0 && rec->cols == 0)
        return "rows with no values (a row holds at least one column)";
    return NULL;
}

bool feat_record_finite(const feat_record *rec, uint32_t *row, uint32_t *col)
{
    size_t n = (size_t)rec->rows * rec->cols;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(rec->data[i])) {
            if (row)
                *row = (uint32_t)(i / rec->cols);
            if (col)
                *col = (uint32_t)(i % rec->cols);
            return false;
        }
    return true;
}

/* ---- little-endian encoding, independent of the host's byte order ---- */

static void put_u16(unsigned char *p, uint16_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static void put_u32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint16_t get_u16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }

static uint32_t get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static bool host_is_little_endian(void)
{
    const uint16_t one = 1;
    return *(const unsigned char *)&one == 1;
}

int feat_write(FILE *fp, const feat_record *rec)
{
    if (feat_record_check(rec)) {
        errno = EINVAL;
        return -1;
    }
    const char *label = rec->label ? rec->label : "";
    const char *meta = rec->meta ? rec->meta : "";
    size_t klen = strlen(rec->key), llen = strlen(label), mlen = strlen(meta);
    unsigned char h[FEAT_HEADER_BYTES];
    memcpy(h, FEAT_MAGIC, 4);
    put_u16(h + 4, FEAT_VERSION);
    put_u16(h + 6, 0);
    put_u32(h + 8, (uint32_t)klen);
    put_u32(h + 12, (uint32_t)llen);
    put_u32(h + 16, (uint32_t)mlen);
    put_u32(h + 20, rec->rows);
    put_u32(h + 24, rec->cols);
    if (fwrite(h, 1, sizeof h, fp) != sizeof h || fwrite(rec->key, 1, klen, fp) != klen ||
        fwrite(label, 1, llen, fp) != llen || fwrite(meta, 1, mlen, fp) != mlen)
        return -1;
    size_t n = (size_t)rec->rows * rec->cols;
    if (host_is_little_endian()) {
        if (n && fwrite(rec->data, sizeof(float), n, fp) != n)
            return -1;
    } else {
        for (size_t i = 0; i < n; i++) {
            uint32_t bits;
            unsigned char b[4];
            memcpy(&bits, &rec->data[i], 4);
            put_u32(b, bits);
            if (fwrite(b, 1, 4, fp) != 4)
                return -1;
        }
    }
    return 0;
}

/* ---- reading ---- */

int feat_reader_open(feat_reader *r, const char *path)
{
    memset(r, 0, sizeof *r);
    r->name = cli_xstrdup(cli_input_name(path));
    r->fp = cli_open_input(path);
    if (!r->fp) {
        err_in(r->err, sizeof r->err, path, "%s", strerror(errno));
        free(r->name);
        r->name = NULL;
        return -1;
    }
    r->owns_fp = r->fp != stdin;
    return 0;
}

void feat_reader_open_fp(feat_reader *r, FILE *fp, const char *name)
{
    memset(r, 0, sizeof *r);
    r->name = cli_xstrdup(name);
    r->fp = fp;
    r->owns_fp = true;
}

void feat_reader_close(feat_reader *r)
{
    if (r->owns_fp && r->fp)
        fclose(r->fp);
    free(r->name);
    r->fp = NULL;
    r->name = NULL;
}

/* Reads exactly n bytes; returns n on success, else how many were read. */
static size_t read_bytes(feat_reader *r, void *buf, size_t n)
{
    size_t got = n ? fread(buf, 1, n, r->fp) : 0;
    r->offset += got;
    if (r->hash)
        sha256_update(r->hash, buf, got);
    return got;
}

static int read_text(feat_reader *r, char **buf, size_t *cap, uint32_t len, const char *what)
{
    char *s = reserve_string(buf, cap, len);
    uint64_t at = r->offset;
    if (read_bytes(r, s, len) != len)
        return err_at_byte(r->err, sizeof r->err, r->name, r->offset,
                           "truncated record (%s cut short; record starts at byte %llu)", what,
                           (unsigned long long)r->record_start);
    s[len] = '\0';
    if (memchr(s, '\0', len))
        return err_at_byte(r->err, sizeof r->err, r->name, at, "%s contains a NUL byte", what);
    return 0;
}

int feat_read(feat_reader *r, feat_record *rec)
{
    unsigned char h[FEAT_HEADER_BYTES];
    r->record_start = r->offset;
    size_t got = read_bytes(r, h, sizeof h);
    if (got == 0) {
        if (ferror(r->fp))
            return err_at_byte(r->err, sizeof r->err, r->name, r->offset, "read error: %s",
                               strerror(errno));
        return 0;
    }
    if (got >= 4 && memcmp(h, FEAT_MAGIC, 4) != 0)
        return err_at_byte(r->err, sizeof r->err, r->name, r->record_start,
                           "not a sentio feature stream (bad magic)");
    if (got != sizeof h) {
        if (got < 4 && memcmp(h, FEAT_MAGIC, got) != 0)
            return err_at_byte(r->err, sizeof r->err, r->name, r->record_start,
                               "not a sentio feature stream (bad magic)");
        return err_at_byte(r->err, sizeof r->err, r->name, r->offset, "truncated record header");
    }
    uint16_t version = get_u16(h + 4), flags = get_u16(h + 6);
    if (version != FEAT_VERSION)
        return err_at_byte(r->err, sizeof r->err, r->name, r->record_start + 4,
                           "unsupported stream version %u (this sentio reads version %u)", version,
                           FEAT_VERSION);
    if (flags != 0)
        return err_at_byte(r->err, sizeof r->err, r->name, r->record_start + 6,
                           "unknown flags 0x%04x", flags);
    uint32_t klen = get_u32(h + 8), llen = get_u32(h + 12), mlen = get_u32(h + 16);
    uint32_t rows = get_u32(h + 20), cols = get_u32(h + 24);
    if (klen == 0 || klen > FEAT_MAX_KEY)
        return err_at_byte(r->err, sizeof r->err, r->name, r->record_start + 8,
                           "bad key length %u (1..%u)", klen, FEAT_MAX_KEY);
    if (llen > FEAT_MAX_LABEL)
        return err_at_byte(r->err, sizeof r->err, r->name, r->record_start + 12,
                           "bad label length %u (at most %u)", llen, FEAT_MAX_LABEL);
    if (mlen > FEAT_MAX_META)
        return err_at_byte(r->err, sizeof r->err, r->name, r->record_start + 16,
                           "bad metadata length %u (at most %u)", mlen, FEAT_MAX_META);
    if (rows > FEAT_MAX_ROWS || cols > FEAT_MAX_COLS || (uint64_t)rows * cols > FEAT_MAX_VALUES)
        return err_at_byte(r->err, sizeof r->err, r->name, r->record_start + 20,
                           "absurd matrix size %u x %u", rows, cols);
    /* A row of no values costs nothing in the stream but a line of text in every
     * reader: refused, so that a record's work stays proportional to its bytes. */
    if (rows > 0 && cols == 0)
        return err_at_byte(r->err, sizeof r->err, r->name, r->record_start + 20,
                           "%u row%s of 0 columns: a row holds at least one value", rows,
                           rows == 1 ? "" : "s");
    if (read_text(r, &rec->key, &rec->key_cap, klen, "key") ||
        read_text(r, &rec->label, &rec->label_cap, llen, "label") ||
        read_text(r, &rec->meta, &rec->meta_cap, mlen, "metadata"))
        return -1;
    const char *bad;
    if ((bad = check_text(rec->key, klen, FEAT_MAX_KEY, false, "key")) ||
        (bad = check_text(rec->label, llen, FEAT_MAX_LABEL, false, "label")) ||
        (bad = check_text(rec->meta, mlen, FEAT_MAX_META, true, "metadata")))
        return err_at_byte(r->err, sizeof r->err, r->name, r->record_start + FEAT_HEADER_BYTES,
                           "%s", bad);
    size_t n = (size_t)rows * cols;
    /* Grow the buffer in steps while reading, so a lying header on a short
     * stream cannot make us allocate its full claimed size up front. */
    size_t have = 0;
    const size_t step = (size_t)1 << 20;
    float *data = feat_record_resize(rec, 0, 0);
    while (have < n) {
        size_t want = n - have < step ? n - have : step;
        if (rec->data_cap < have + want) {
            size_t cap = rec->data_cap * 2 > have + want ? rec->data_cap * 2 : have + want;
            if (cap > n)
                cap = n;
            rec->data = cli_xrealloc(rec->data, cap * sizeof(float));
            rec->data_cap = cap;
        }
        data = rec->data;
        size_t bytes = want * sizeof(float);
        size_t got_bytes = read_bytes(r, data + have, bytes);
        if (got_bytes != bytes)
            return err_at_byte(r->err, sizeof r->err, r->name, r->offset,
                               "truncated record (%zu of %zu values; record starts at byte %llu)",
                               have + got_bytes / sizeof(float), n,
                               (unsigned long long)r->record_start);
        have += want;
    }
    if (!host_is_little_endian())
        for (size_t i = 0; i < n; i++) {
            uint32_t bits = get_u32((const unsigned char *)&data[i]);
            memcpy(&data[i], &bits, 4);
        }
    rec->rows = rows;
    rec->cols = cols;
    r->records++;
    return 1;
}

/* ---- several inputs in turn ---- */

void feat_input_init(feat_input *in, int nfiles, char **files)
{
    memset(in, 0, sizeof *in);
    static char *stdin_only[] = {"-"};
    in->files = nfiles > 0 ? files : stdin_only;
    in->nfiles = nfiles > 0 ? nfiles : 1;
}

int feat_input_next(feat_input *in, feat_record *rec)
{
    for (;;) {
        if (!in->open) {
            if (in->next >= in->nfiles)
                return 0;
            if (feat_reader_open(&in->reader, in->files[in->next++]) != 0)
                return -1;
            in->reader.hash = in->hash;
            in->open = true;
        }
        int rc = feat_read(&in->reader, rec);
        if (rc != 0)
            return rc;
        feat_reader_close(&in->reader);
        in->open = false;
    }
}

const char *feat_input_name(const feat_input *in)
{
    if (in->open)
        return in->reader.name;
    return in->next > 0 ? in->files[in->next - 1] : in->files[0];
}

void feat_input_close(feat_input *in)
{
    if (in->open)
        feat_reader_close(&in->reader);
    in->open = false;
}

/* The value of the names= field of meta and its length, or NULL. */
static const char *meta_names(const char *meta, size_t *len)
{
    for (const char *p = meta; p && *p;) {
        if (strncmp(p, "names=", 6) == 0) {
            p += 6;
            *len = strcspn(p, " ");
            return p;
        }
        p = strchr(p, ' ');
        if (p)
            p++;
    }
    return NULL;
}

bool feat_meta_column_name(const char *meta, uint32_t cols, uint32_t col, char *buf, size_t len)
{
    size_t n;
    const char *names = meta ? meta_names(meta, &n) : NULL;
    if (!names || col >= cols || n == 0)
        return false;
    uint32_t count = 1;
    for (size_t i = 0; i < n; i++)
        count += names[i] == ',';
    if (count != cols)
        return false;
    const char *p = names, *end = names + n;
    for (uint32_t c = 0; c < col; c++)
        p = (const char *)memchr(p, ',', (size_t)(end - p)) + 1;
    const char *q = memchr(p, ',', (size_t)(end - p));
    size_t w = (size_t)((q ? q : end) - p);
    if (w + 1 > len)
        return false;
    memcpy(buf, p, w);
    buf[w] = '\0';
    return true;
}
