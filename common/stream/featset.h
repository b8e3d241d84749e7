/* featset.h - a labelled feature stream held in memory for training: one row
 * per record, every record labelled, of one width and one metadata string, all
 * values finite. */
#ifndef SENTIO_FEATSET_H
#define SENTIO_FEATSET_H

#include <stddef.h>

#include "base/sha256.h"

typedef struct {
    size_t n;      /* records */
    int cols;      /* values per record */
    float *x;      /* n x cols */
    char **labels; /* n labels */
    char **keys;   /* n keys */
    char *meta;    /* the records' metadata */
} featset;

/* Reads every record of files[0..nfiles-1] (stdin when nfiles is 0; "-" is stdin),
 * hashing the bytes read into hash when it is not NULL. Returns 0, or -1 with
 * err = "FILE: what is wrong (record N, key K)". */
int featset_read(featset *s, int nfiles, char **files, sha256_ctx *hash, char *err, size_t errlen);
void featset_free(featset *s);
/* The distinct labels, sorted bytewise (strcmp); *classes is allocated (free
 * each name and the array). Returns their number. */
int featset_classes(const featset *s, char ***classes);
/* y[i] = index of s->labels[i] in classes. Returns 0, or -1 with err naming the
 * first label that is not a class. */
int featset_encode(const featset *s, char **classes, int n_classes, int *y, char *err,
                   size_t errlen);

#endif
