#include "stream/featset.h"

#include "base/err.h"
#include "base/strmap.h"
#include "base/xalloc.h"
#include "stream/featstream.h"

#include <stdlib.h>
#include <string.h>

int featset_read(featset *s, int nfiles, char **files, sha256_ctx *hash, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    feat_input in;
    feat_record rec = {0};
    feat_input_init(&in, nfiles, files);
    in.hash = hash;
    size_t cap = 0;
    int rc = 0, got;
    while ((got = feat_input_next(&in, &rec)) == 1) {
        const char *name = feat_input_name(&in);
        unsigned long long idx = (unsigned long long)in.reader.records;
        uint32_t row, col;
        if (rec.rows != 1) {
            err_set(err, errlen,
                    "record %llu (key '%s') has %u rows: training needs one row per record "
                    "(pool the frames, e.g. wav2mfcc --pool mean)",
                    idx, rec.key, rec.rows);
            rc = -1;
        } else if (!rec.label[0]) {
            err_set(err, errlen, "record %llu (key '%s') has no label: training needs labels", idx,
                    rec.key);
            rc = -1;
        } else if (s->n == 0 && rec.cols == 0) {
            err_set(err, errlen, "record %llu (key '%s') has no values", idx, rec.key);
            rc = -1;
        } else if (s->n > 0 && (int)rec.cols != s->cols) {
            err_set(err, errlen, "record %llu (key '%s') has %u values where the first had %d", idx,
                    rec.key, rec.cols, s->cols);
            rc = -1;
        } else if (s->n > 0 && strcmp(rec.meta, s->meta) != 0) {
            err_set(err, errlen,
                    "record %llu (key '%s') has feature metadata '%s' where the first had '%s'",
                    idx, rec.key, rec.meta, s->meta);
            rc = -1;
        } else if (!feat_record_finite(&rec, &row, &col)) {
            err_set(err, errlen, "record %llu (key '%s'): value %u is not finite", idx, rec.key,
                    col + 1);
            rc = -1;
        }
        if (rc < 0) {
            /* The input's name and the record's position around the message. */
            char *msg = cli_xstrdup(err);
            err_at_byte(err, errlen, name, in.reader.record_start, "%s", msg);
            free(msg);
            break;
        }
        if (s->n == 0) {
            s->cols = (int)rec.cols;
            s->meta = cli_xstrdup(rec.meta);
        }
        if (s->n == cap) {
            cap = cli_grown(cap, 256);
            s->x = cli_xreallocarray(s->x, cap, (size_t)s->cols * sizeof(float));
            s->labels = cli_xreallocarray(s->labels, cap, sizeof *s->labels);
            s->keys = cli_xreallocarray(s->keys, cap, sizeof *s->keys);
        }
        s->keys[s->n] = cli_xstrdup(rec.key);
        memcpy(s->x + s->n * (size_t)s->cols, rec.data, (size_t)s->cols * sizeof(float));
        s->labels[s->n++] = cli_xstrdup(rec.label);
    }
    if (rc == 0 && got < 0) {
        err_set(err, errlen, "%s", in.reader.err);
        rc = -1;
    }
    if (rc == 0 && s->n == 0) {
        err_in(err, errlen, nfiles ? files[nfiles - 1] : "(stdin)", "no records");
        rc = -1;
    }
    feat_input_close(&in);
    feat_record_free(&rec);
    if (rc < 0)
        featset_free(s);
    return rc;
}

void featset_free(featset *s)
{
    for (size_t i = 0; s->labels && i < s->n; ++i) {
        free(s->labels[i]);
        free(s->keys[i]);
    }
    free(s->labels);
    free(s->keys);
    free(s->x);
    free(s->meta);
    memset(s, 0, sizeof *s);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int featset_classes(const featset *s, char ***classes)
{
    strmap distinct = {0};
    for (size_t i = 0; i < s->n; ++i)
        strmap_add(&distinct, s->labels[i]);
    size_t *by_name = strmap_sorted_ids(&distinct);
    char **out = cli_xmalloc((distinct.n ? distinct.n : 1) * sizeof *out);
    for (size_t k = 0; k < distinct.n; ++k)
        out[k] = cli_xstrdup(distinct.names[by_name[k]]);
    int k = (int)distinct.n;
    free(by_name);
    strmap_free(&distinct);
    *classes = out;
    return k;
}

int featset_encode(const featset *s, char **classes, int n_classes, int *y, char *err,
                   size_t errlen)
{
    for (size_t i = 0; i < s->n; ++i) {
        char **hit = bsearch(&s->labels[i], classes, (size_t)n_classes, sizeof *classes, cmp_str);
        if (!hit) {
            err_set(err, errlen,
                    "record %zu has label '%s', which is not a class of the training "
                    "data",
                    i + 1, s->labels[i]);
            return -1;
        }
        y[i] = (int)(hit - classes);
    }
    return 0;
}
