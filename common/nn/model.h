/* model.h - nnfit's model file: a trained network and everything needed to use
 * it, as self-describing text in the C locale (man 1 nnfit, MODEL FILE):
 *
 *   sentio-nnet 1                   magic and format version
 *   # ...                           comments (layer shapes, for a reader)
 *   arch SPEC                       canonical layer spec (archspec.h), output implied
 *   inputs N
 *   classes K
 *   class NAME                      K lines, in output order
 *   feature_meta TEXT               metadata of the training stream (may be empty)
 *   standardize 0|1
 *   mean V1 ... VN                  only with standardize 1
 *   std V1 ... VN
 *   option KEY VALUE                the options nnfit was run with
 *   result KEY VALUE                the training summary
 *   params P                        then P weights, 8 per line, in nn.h's order
 *   sha256 HEX                      of every byte before this line
 *
 * Numbers are written with %.9g, which float32 reads back exactly. */
#ifndef SENTIO_MODEL_H
#define SENTIO_MODEL_H

#include "nn/modelfile.h"
#include "nn/nn.h"

#include <stdbool.h>
#include <stdio.h>

#define MODEL_MAGIC "sentio-nnet"
#define MODEL_VERSION 1

typedef struct {
    char *arch; /* canonical spec */
    int n_inputs;
    modelfile_head head; /* classes, feature metadata, scaler, options, results */
    nn_net net;
} nn_model;

/* Sets up m for a new network (weights zeroed); classes and meta are copied.
 * Returns 0, or -1 with err when the spec does not fit the input. */
int model_init(nn_model *m, const char *arch, int n_inputs, int n_classes, char **classes,
               const char *feature_meta, char *err, size_t errlen);
/* Appends "option KEY VALUE" / "result KEY VALUE" (CR/LF in value become spaces). */
void model_add_option(nn_model *m, const char *key, const char *value);
void model_add_result(nn_model *m, const char *key, const char *value);
/* Writes the model file to fp; file_sha256 (may be NULL) gets the hash of all the
 * bytes written and *bytes (may be NULL) their number. Returns 0, or -1 on a
 * write error (errno set). */
int model_write(const nn_model *m, FILE *fp, char file_sha256[65], size_t *bytes);
/* Reads and verifies a model file. Returns 0, or -1 with err saying what is
 * wrong and on which line ("line 12: ..."); m is then empty. */
int model_load(nn_model *m, const char *path, char *err, size_t errlen);
void model_free(nn_model *m);
/* Class probabilities (n x n_classes) of n raw feature rows: standardises them
 * as in training (x is modified) and runs the network without dropout. Returns
 * 0, or -1 when values too large for float32 overflowed inside the network for
 * some row (its logits are not finite; its probabilities are then NaN). */
int model_predict(nn_model *m, float *x, int n, double *probs);

#endif
