/* feattext.h - feature streams as text (man 1 featdump, man 5 featstream).
 *
 * The text form, one line per matrix row, tab-separated:
 *     KEY  LABEL  ROW  V1 ... VN          values printed with %.9g (float32 exact)
 * plus lines that start with '#':
 *     #meta<TAB>STRING      the metadata of the records that follow
 *     #empty<TAB>KEY<TAB>LABEL<TAB>COLS   a record with 0 rows
 *     #anything else        a comment, ignored
 * and an optional header line "key<TAB>label<TAB>row<TAB>f1 ... fN". A key that
 * starts with '#' or '\' is written with one extra leading '\'. A NaN other than
 * the default quiet NaN is written as nan(0xPAYLOAD) so that every bit survives.
 * feat_text_read turns this back into records: text written by feat_text_write
 * gives the original stream byte for byte. */
#ifndef SENTIO_FEATTEXT_H
#define SENTIO_FEATTEXT_H

#include "base/strmap.h"
#include "stream/featstream.h"

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

/* %.9g, or the nan spelling above; buf holds at least FEAT_VALUE_CHARS bytes. */
#define FEAT_VALUE_CHARS 32
void feat_format_value(char *buf, float v);
/* Parses what feat_format_value writes (and anything strtof reads). Returns 0,
 * or -1 when s is not a float32 value (overflow included). */
int feat_parse_value(const char *s, float *v);

/* ---- the text form ---- */
typedef struct {
    FILE *fp;
    bool header;       /* a header line is still due */
    bool meta_written; /* at least one #meta line was written */
    char *meta;        /* the last #meta written */
} feat_text_writer;

void feat_text_writer_init(feat_text_writer *w, FILE *fp, bool header);
/* Returns 0, or -1 on a write error (errno set). */
int feat_text_write(feat_text_writer *w, const feat_record *rec);
/* Writes a header still due (an empty stream with --header). */
int feat_text_writer_finish(feat_text_writer *w);
void feat_text_writer_free(feat_text_writer *w);

typedef struct {
    FILE *fp;
    char *name; /* the path or "(stdin)" */
    bool owns_fp;
    uint64_t line; /* number of the last line read */
    char *buf;
    size_t cap;
    ssize_t len;
    bool pending; /* buf holds a line not yet consumed */
    char *meta;   /* metadata for the records that follow */
    size_t meta_cap;
    char err[SENTIO_ERR_LEN]; /* after -1: "NAME: what went wrong (line N)" */
} feat_text_reader;

/* path NULL or "-" reads stdin. Returns 0, or -1 with r->err set. */
int feat_text_reader_open(feat_text_reader *r, const char *path);
/* Like feat_read: 1 for a record, 0 at the end, -1 on bad text (r->err). */
int feat_text_read(feat_text_reader *r, feat_record *rec);
void feat_text_reader_close(feat_text_reader *r);

/* ---- CSV: key,label,f1..fN, one line per one-row record ---- */
typedef struct {
    FILE *fp;
    uint32_t cols;
    uint64_t records;
} feat_csv_writer;

void feat_csv_writer_init(feat_csv_writer *w, FILE *fp);
/* Returns 0, or -1 with err set when rec cannot be a CSV line (several rows, a
 * width different from the first record's). Write errors show in ferror(fp). */
int feat_csv_write(feat_csv_writer *w, const feat_record *rec, char *err, size_t errlen);

/* ---- libsvm: "LABEL 1:v1 3:v3 ...", one line per matrix row ----
 * Classes are numbered 1..K in order of their names (strcmp), or in the order of
 * a class list; unlabelled records get 0. Without a class list the lines are
 * spooled to a temporary file until every label is known. */
typedef struct {
    FILE *out;
    strmap classes;
    bool fixed; /* classes came from a list */
    FILE *spool;
    size_t *line_class; /* spooled lines: class id, or STRMAP_NONE */
    size_t nlines, lines_cap;
    uint64_t records;
} feat_libsvm_writer;

/* classes: a list read with feat_libsvm_load_classes, or NULL to collect them
 * (the writer takes ownership of the list). Returns 0, or -1 with err set. */
int feat_libsvm_init(feat_libsvm_writer *w, FILE *out, strmap *classes, char *err, size_t errlen);
int feat_libsvm_write(feat_libsvm_writer *w, const feat_record *rec, char *err, size_t errlen);
/* Writes spooled lines. Returns 0, or -1 with err set. */
int feat_libsvm_finish(feat_libsvm_writer *w, char *err, size_t errlen);
/* The class names in label order: names[k] has label k + 1. Caller frees the array. */
const char **feat_libsvm_class_names(const feat_libsvm_writer *w, size_t *n);
void feat_libsvm_free(feat_libsvm_writer *w);
/* Reads a class list: one name per line, line k is label k. Returns 0, or -1
 * with err set ("PATH: ... (line N)"). */
int feat_libsvm_load_classes(const char *path, strmap *classes, char *err, size_t errlen);

/* ---- a summary of streams (featdump --info) ---- */
typedef struct {
    uint64_t records, rows, values, nonfinite, unlabelled, duplicate_keys;
    strmap shapes, labels, metas, keys;
} feat_info;

/* A zeroed feat_info is empty. */
void feat_info_add(feat_info *info, const feat_record *rec);
void feat_info_print(const feat_info *info, FILE *fp);
void feat_info_free(feat_info *info);

#endif
