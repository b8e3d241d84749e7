/* modelfile.h - the container every sentio model file shares (nnfit's networks,
 * svmfit's support vector machines): text in the C locale, a first line "MAGIC
 * VERSION", '#' comment lines, "KEY VALUE" lines, and a last line "sha256 HEX"
 * over every byte before it. This is the reading and writing of that container;
 * model.h and svm/svmmodel.h give the lines between their meaning.
 *
 * The lines every kind writes in this order, after its own leading lines:
 *   classes K / class NAME (K lines) / feature_meta TEXT / standardize 0|1 /
 *   mean V1 ... VN / std V1 ... VN (with standardize 1) / option KEY VALUE ... /
 *   result KEY VALUE ...  */
#ifndef SENTIO_MODELFILE_H
#define SENTIO_MODELFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define MODELFILE_MAX_BYTES (1ul << 30)
#define MODELFILE_MAX_CLASSES 65536

typedef struct {
    char *key, *value;
} model_kv;

/* Appends KEY VALUE to a list (CR/LF in either become spaces, spaces in KEY '_'). */
void modelfile_add_kv(model_kv **list, int *n, const char *key, const char *value);
void modelfile_free_kv(model_kv *list, int n);
/* Appends KEY and a number: an integer as such, anything else in the shortest form
 * that reads back as the same double. */
void modelfile_add_number(model_kv **list, int *n, const char *key, double value);

/* The lines of a loaded file, consumed in order; `line` counts them for messages. */
typedef struct {
    char *buf, *p, *end;
    int line;
    char *err;
    size_t errlen;
} modelfile_reader;

/* The first line's magic word of the file at path, into magic (empty when the file
 * cannot be read or does not start with a word). */
void modelfile_magic(const char *path, char *magic, size_t len);
/* Reads path, checks "MAGIC VERSION" (VERSION 1..max_version) and the checksum, and
 * leaves r at the line after the magic. Returns 0, or -1 with err set ("... (line N)").
 * Free r->buf with modelfile_close. */
int modelfile_open(modelfile_reader *r, const char *path, const char *magic, int max_version,
                   char *err, size_t errlen);
void modelfile_close(modelfile_reader *r);
/* modelfile_open, then parse(r, ctx) for the lines after the magic, then
 * modelfile_close. Returns 0, or -1 with err set (by either). */
int modelfile_load(const char *path, const char *magic, int max_version,
                   int (*parse)(modelfile_reader *r, void *ctx), void *ctx, char *err,
                   size_t errlen);
/* err = "... (line N)"; returns -1. */
int modelfile_fail(modelfile_reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The next line that is not a comment (NUL-terminated in place), or NULL at the end. */
char *modelfile_next_line(modelfile_reader *r);
/* The value after "KEY " on the next line, or NULL (error set). */
char *modelfile_expect(modelfile_reader *r, const char *key);
/* "KEY N" with N in lo..hi. */
int modelfile_count(modelfile_reader *r, const char *key, long lo, long hi, long *out);
/* n finite floats separated by single spaces, exactly n. */
int modelfile_floats(modelfile_reader *r, const char *what, char *text, float *out, size_t n);

/* The shared lines: classes, feature_meta, standardize/mean/std, options and results. */
typedef struct {
    int n_classes;
    char **classes;
    char *feature_meta;
    bool standardize;
    float *mean, *std; /* n_inputs each, when standardize */
    model_kv *options, *results;
    int n_options, n_results;
} modelfile_head;

/* Parses "classes K", the K "class" lines and "feature_meta". */
int modelfile_read_classes(modelfile_reader *r, modelfile_head *h);
/* Parses "standardize", the scaler of n_inputs columns and the option/result lines;
 * returns the first line after them (or NULL, error set). */
char *modelfile_read_rest(modelfile_reader *r, modelfile_head *h, int n_inputs);
void modelfile_head_free(modelfile_head *h);

/* Writes the shared lines of h (n_inputs scaler columns) to fp, in the order above. */
void modelfile_write_head(FILE *fp, const modelfile_head *h, int n_inputs);
/* Writes a model file to fp: "MAGIC VERSION", the lines that lines(out, ctx) writes,
 * and the "sha256 HEX" line over all of them; file_sha256 and bytes (each may be
 * NULL) get the hash and size of the whole file. Returns 0, or -1 (errno set). */
int modelfile_write(FILE *fp, const char *magic, int version,
                    void (*lines)(FILE *out, const void *ctx), const void *ctx,
                    char file_sha256[65], size_t *bytes);

#endif
