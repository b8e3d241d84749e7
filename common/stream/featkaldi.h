/* featkaldi.h - feature records as other speech tools keep them:
 *   - Kaldi binary archives of float matrices (what copy-feats writes and
 *     kaldiio.load_ark reads): per record "KEY " '\0' 'B' "FM " then the rows and
 *     the columns, each an int32 little-endian preceded by its size byte 4, then
 *     rows*cols float32 LE, row-major. Double ("DM ") matrices are read too.
 *   - numpy: one-row records as an N x D float32 .npy (format 1.0), with the keys
 *     and labels in a TSV beside it. */
#ifndef SENTIO_FEATKALDI_H
#define SENTIO_FEATKALDI_H

#include "stream/featstream.h"

#include <stdio.h>

/* Writes rec as one archive entry. Returns 0, or -1 with err set (a key with
 * blanks cannot be a Kaldi key) or errno set by stdio (err "write error"). */
int feat_ark_write(FILE *out, const feat_record *rec, char *err, size_t errlen);

/* Reads archive entries from fp (name for messages). Keys become record keys;
 * labels are empty and the metadata is meta. Returns 1 for a record, 0 at the
 * end, -1 with err set ("at byte N: what"). Sizes are checked against
 * FEAT_MAX_* and the values are read as they arrive: a header that claims more
 * than the input holds fails as truncated without allocating its claim. */
typedef struct {
    FILE *fp;
    unsigned long long offset;
    float *buf;
    size_t cap;
} feat_ark_reader;
int feat_ark_read(feat_ark_reader *r, feat_record *rec, const char *meta, char *err, size_t errlen);
void feat_ark_reader_free(feat_ark_reader *r);

/* Collects one-row records for a .npy file: feat_npy_add each record (all must
 * have one row and the same number of columns), then feat_npy_write. */
typedef struct {
    size_t n, cols, cap;
    float *values;
    char **keys, **labels;
} feat_npy;
/* Returns 0, or -1 with err set (a record of several rows or of another width). */
int feat_npy_add(feat_npy *a, const feat_record *rec, char *err, size_t errlen);
/* The .npy (format 1.0: '<f4', C order, shape (N, D)) to npy; "index key label"
 * lines, with a header, to tsv. Returns 0, or -1 with errno set by stdio. */
int feat_npy_write(const feat_npy *a, FILE *npy, FILE *tsv);
void feat_npy_free(feat_npy *a);

#endif
