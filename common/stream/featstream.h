/* featstream.h - the sentio feature stream (man 5 featstream).
 *
 * A stream is a sequence of self-describing records, so `cat a.feat b.feat` is a
 * stream and a reader may start at any record boundary. Each record:
 *
 *   offset size  field
 *   0      4     magic "SNTF"
 *   4      2     format version, uint16 little-endian (FEAT_VERSION)
 *   6      2     flags, uint16 LE, 0 in version 1
 *   8      4     key length in bytes, uint32 LE      (<= FEAT_MAX_KEY, > 0)
 *   12     4     label length, uint32 LE             (<= FEAT_MAX_LABEL; 0 = unknown)
 *   16     4     metadata length, uint32 LE          (<= FEAT_MAX_META)
 *   20     4     rows, uint32 LE                     (<= FEAT_MAX_ROWS; 0 when cols is 0)
 *   24     4     cols, uint32 LE                     (<= FEAT_MAX_COLS)
 *   28     ...   key, label, metadata (UTF-8, no NUL, not terminated)
 *   ...    4*rows*cols  float32 LE, row-major        (rows*cols <= FEAT_MAX_VALUES)
 *
 * Key and label contain no TAB, CR, LF or NUL (the text form is tab-separated);
 * metadata contains no CR, LF or NUL.
 */
#ifndef SENTIO_FEATSTREAM_H
#define SENTIO_FEATSTREAM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/err.h"
#include "base/sha256.h"

#define FEAT_MAGIC "SNTF"
#define FEAT_VERSION 1
#define FEAT_HEADER_BYTES 28
#define FEAT_MAX_KEY 4096u
#define FEAT_MAX_LABEL 1024u
#define FEAT_MAX_META 4096u
#define FEAT_MAX_ROWS (1u << 24)
#define FEAT_MAX_COLS (1u << 16)
#define FEAT_MAX_VALUES (1u << 28) /* 1 GiB of float32 in one record */

typedef struct {
    char *key;   /* NUL-terminated; owned */
    char *label; /* "" when unknown */
    char *meta;  /* "" when none */
    uint32_t rows, cols;
    float *data;                                   /* rows*cols values, row-major */
    size_t key_cap, label_cap, meta_cap, data_cap; /* buffers are reused between reads */
} feat_record;

/* A zeroed feat_record is empty and valid; free it with feat_record_free. */
void feat_record_free(feat_record *rec);
/* Copies strings and values into rec (reusing its buffers). */
void feat_record_set(feat_record *rec, const char *key, const char *label, const char *meta,
                     uint32_t rows, uint32_t cols, const float *data);
/* Resizes rec's matrix to rows x cols (contents undefined) and returns rec->data. */
float *feat_record_resize(feat_record *rec, uint32_t rows, uint32_t cols);
/* NULL when key, label and meta may be written, else what is wrong with them. */
const char *feat_record_check(const feat_record *rec);
/* True when every value is finite; *row and *col give the first that is not. */
bool feat_record_finite(const feat_record *rec, uint32_t *row, uint32_t *col);

/* Column names: metadata may carry a field "names=N1,N2,...,NC" (names without
 * spaces or commas, man 5 featstream). Copies the name of column col (0-based)
 * into buf and returns true when meta has a names field with exactly cols names;
 * false otherwise (then callers use f1..fN). */
bool feat_meta_column_name(const char *meta, uint32_t cols, uint32_t col, char *buf, size_t len);

typedef struct {
    FILE *fp;
    char *name; /* for messages: the path or "(stdin)" */
    bool owns_fp;
    uint64_t offset; /* bytes consumed so far: the start of the next record */
    uint64_t record_start;
    uint64_t records;         /* records read so far */
    sha256_ctx *hash;         /* when set (after open), every byte consumed is hashed into it */
    char err[SENTIO_ERR_LEN]; /* after -1: "NAME: what went wrong (byte N)" */
} feat_reader;

/* path NULL or "-" reads stdin. Returns 0, or -1 with r->err set. */
int feat_reader_open(feat_reader *r, const char *path);
/* Reads an open stream fp (owned: closed by feat_reader_close), named name in
 * messages; e.g. a spooled copy of stdin, rewound. */
void feat_reader_open_fp(feat_reader *r, FILE *fp, const char *name);
/* Reads the next record into rec. Returns 1 for a record, 0 at a clean end of
 * the stream, -1 on a bad or truncated record (r->err says what and where). */
int feat_read(feat_reader *r, feat_record *rec);
void feat_reader_close(feat_reader *r);

/* Writes one record. Returns 0, or -1 (errno set by stdio; EINVAL when
 * feat_record_check fails). Output is deterministic: the same record gives the
 * same bytes. */
int feat_write(FILE *fp, const feat_record *rec);

/* Reads the records of several inputs in turn: files[0..n-1], "-" for stdin,
 * or stdin alone when n == 0. */
typedef struct {
    char **files;
    int nfiles, next;
    bool open;
    feat_reader reader;
    sha256_ctx
        *hash; /* when set, hashes the bytes of all inputs in turn (the store's input_sha256) */
} feat_input;

void feat_input_init(feat_input *in, int nfiles, char **files);
/* Like feat_read across all inputs; -1 on a missing file too (in->reader.err). */
int feat_input_next(feat_input *in, feat_record *rec);
/* The input currently being read, for messages. */
const char *feat_input_name(const feat_input *in);
void feat_input_close(feat_input *in);

#endif
