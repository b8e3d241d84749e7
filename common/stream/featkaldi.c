#include "stream/featkaldi.h"

#include "base/cli.h"
#include "base/err.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void put_le32(unsigned char *b, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        b[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get_le32(const unsigned char *b)
{
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

int feat_ark_write(FILE *out, const feat_record *rec, char *err, size_t errlen)
{
    /* Kaldi reads a key up to the first blank: one with blanks would not come back. */
    for (const char *c = rec->key; *c; c++)
        if (*c == ' ' || *c == '\t' || *c == '\n' || *c == '\r' || *c == '\v' || *c == '\f')
            return err_set(err, errlen, "key '%s' has a blank: Kaldi keys are single tokens",
                           rec->key);
    if (!rec->key[0])
        return err_set(err, errlen, "empty key");
    unsigned char head[16] = {'F', 'M', ' ', 4, 0, 0, 0, 0, 4};
    put_le32(head + 4, rec->rows);
    put_le32(head + 9, rec->cols);
    size_t n = (size_t)rec->rows * rec->cols;
    if (fprintf(out, "%s ", rec->key) < 0 || fwrite("\0B", 1, 2, out) != 2 ||
        fwrite(head, 1, 13, out) != 13 || fwrite(rec->data, sizeof(float), n, out) != n)
        return err_set(err, errlen, "write error: %s", strerror(errno));
    return 0;
}

static int ark_fail(feat_ark_reader *r, char *err, size_t errlen, const char *what)
{
    return err_at_byte(err, errlen, NULL, r->offset, "%s", what);
}

static int read_exact(feat_ark_reader *r, void *buf, size_t n)
{
    size_t got = fread(buf, 1, n, r->fp);
    r->offset += got;
    return got == n ? 0 : -1;
}

int feat_ark_read(feat_ark_reader *r, feat_record *rec, const char *meta, char *err, size_t errlen)
{
    char key[FEAT_MAX_KEY + 1];
    size_t k = 0;
    int c;
    /* the key: up to a space (Kaldi's text archives are not read) */
    while ((c = getc(r->fp)) != EOF) {
        r->offset++;
        if (k == 0 && (c == '\n' || c == ' ' || c == '\t' || c == '\r'))
            continue; /* blanks between entries */
        if (c == ' ')
            break;
        if (c < 0x20 || c == 0x7f)
            return ark_fail(r, err, errlen,
                            "a control character in a key (not a Kaldi binary archive?)");
        if (k == FEAT_MAX_KEY)
            return ark_fail(r, err, errlen, "a key longer than 4096 bytes");
        key[k++] = (char)c;
    }
    if (c == EOF) {
        if (ferror(r->fp))
            return ark_fail(r, err, errlen, strerror(errno));
        if (k == 0)
            return 0;
        return ark_fail(r, err, errlen, "truncated: a key without its matrix");
    }
    key[k] = '\0';
    unsigned char h[15];
    if (read_exact(r, h, 5) != 0)
        return ark_fail(r, err, errlen, "truncated matrix header");
    if (h[0] != '\0' || h[1] != 'B')
        return ark_fail(r, err, errlen, "not a binary entry (\\0B): text archives are not read");
    bool dbl;
    if (memcmp(h + 2, "FM ", 3) == 0)
        dbl = false;
    else if (memcmp(h + 2, "DM ", 3) == 0)
        dbl = true;
    else if (h[2] == 'C')
        return ark_fail(r, err, errlen,
                        "a compressed matrix (CM): write it with copy-feats --compress=false");
    else
        return ark_fail(r, err, errlen, "not a matrix (FM or DM)");
    if (read_exact(r, h, 10) != 0)
        return ark_fail(r, err, errlen, "truncated matrix header");
    if (h[0] != 4 || h[5] != 4)
        return ark_fail(r, err, errlen, "bad size bytes in the matrix header");
    int32_t rows = (int32_t)get_le32(h + 1), cols = (int32_t)get_le32(h + 6);
    if (rows < 0 || cols < 0 || (uint32_t)rows > FEAT_MAX_ROWS || (uint32_t)cols > FEAT_MAX_COLS ||
        (uint64_t)rows * (uint64_t)cols > FEAT_MAX_VALUES)
        return ark_fail(r, err, errlen, "matrix dimensions out of range");
    size_t n = (size_t)rows * (size_t)cols, esize = dbl ? 8 : 4;
    /* Grow as the values arrive, never to the claim at once. */
    size_t done = 0;
    unsigned char chunk[1 << 15];
    while (done < n) {
        size_t want = (n - done) * esize < sizeof chunk ? (n - done) * esize : sizeof chunk;
        if (read_exact(r, chunk, want) != 0)
            return ark_fail(r, err, errlen, "truncated matrix values");
        size_t m = want / esize;
        if (r->cap < done + m) {
            size_t cap = r->cap ? r->cap : 4096;
            while (cap < done + m)
                cap *= 2;
            r->buf = cli_xrealloc(r->buf, cap * sizeof *r->buf);
            r->cap = cap;
        }
        for (size_t i = 0; i < m; i++) {
            if (dbl) {
                double d;
                memcpy(&d, chunk + 8 * i, 8);
                r->buf[done + i] = (float)d;
            } else {
                memcpy(&r->buf[done + i], chunk + 4 * i, 4);
            }
        }
        done += m;
    }
    feat_record_set(rec, key, "", meta, (uint32_t)rows, (uint32_t)cols, r->buf);
    const char *bad = feat_record_check(rec);
    if (bad)
        return ark_fail(r, err, errlen, bad);
    return 1;
}

void feat_ark_reader_free(feat_ark_reader *r)
{
    free(r->buf);
    r->buf = NULL;
    r->cap = 0;
}

int feat_npy_add(feat_npy *a, const feat_record *rec, char *err, size_t errlen)
{
    if (rec->rows != 1)
        return err_set(err, errlen,
                       "record '%s' has %u rows: --npy writes one-row records "
                       "(wav2mfcc --pool mean or meanstd)",
                       rec->key, rec->rows);
    if (a->n > 0 && rec->cols != a->cols)
        return err_set(err, errlen, "record '%s' has %u values where the first had %zu", rec->key,
                       rec->cols, a->cols);
    if (a->n == a->cap) {
        a->cap = cli_grown(a->cap, 256);
        a->keys = cli_xreallocarray(a->keys, a->cap, sizeof *a->keys);
        a->labels = cli_xreallocarray(a->labels, a->cap, sizeof *a->labels);
        /* + 1 element: a block even for records of no values */
        a->values = cli_xreallocarray(a->values, a->cap * rec->cols + 1, sizeof *a->values);
    }
    a->cols = rec->cols;
    a->keys[a->n] = cli_xstrdup(rec->key);
    a->labels[a->n] = cli_xstrdup(rec->label);
    memcpy(a->values + a->n * a->cols, rec->data, a->cols * sizeof *a->values);
    a->n++;
    return 0;
}

int feat_npy_write(const feat_npy *a, FILE *npy, FILE *tsv)
{
    char dict[128];
    int len =
        snprintf(dict, sizeof dict,
                 "{'descr': '<f4', 'fortran_order': False, 'shape': (%zu, %zu), }", a->n, a->cols);
    /* magic (6) + version (2) + header length (2) + dict, padded with spaces and a
     * final newline to a multiple of 64 bytes, as numpy writes it */
    size_t total = 10 + (size_t)len + 1;
    size_t padded = (total + 63) / 64 * 64;
    unsigned short hlen = (unsigned short)(padded - 10);
    unsigned char pre[10] = {0x93,
                             'N',
                             'U',
                             'M',
                             'P',
                             'Y',
                             1,
                             0,
                             (unsigned char)(hlen & 0xff),
                             (unsigned char)(hlen >> 8)};
    if (fwrite(pre, 1, 10, npy) != 10 || fputs(dict, npy) < 0)
        return -1;
    for (size_t i = total; i < padded; i++)
        if (putc(' ', npy) == EOF)
            return -1;
    if (putc('\n', npy) == EOF)
        return -1;
    size_t n = a->n * a->cols;
    if (n && fwrite(a->values, sizeof(float), n, npy) != n)
        return -1;
    if (fputs("index\tkey\tlabel\n", tsv) < 0)
        return -1;
    for (size_t i = 0; i < a->n; i++)
        if (fprintf(tsv, "%zu\t%s\t%s\n", i, a->keys[i], a->labels[i]) < 0)
            return -1;
    return 0;
}

void feat_npy_free(feat_npy *a)
{
    for (size_t i = 0; i < a->n; i++) {
        free(a->keys[i]);
        free(a->labels[i]);
    }
    free(a->keys);
    free(a->labels);
    free(a->values);
    memset(a, 0, sizeof *a);
}
