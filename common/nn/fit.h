/* fit.h - nnfit's training run as library calls (man 1 nnfit): labelled feature
 * streams in; a model out, standardised and trained as Keras would, with every
 * option and result it came from written into it.
 *
 *     fit_data_read -> fit_model_init -> fit_train -> model_write
 *
 * Errors are returned as "FILE: what is wrong" (FILE the stream concerned). */
#ifndef SENTIO_FIT_H
#define SENTIO_FIT_H

#include "base/sha256.h"
#include "nn/model.h"
#include "nn/train.h"
#include "stream/featset.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct {
    train_options train;
    const char *arch;     /* ann, cnn or a layer list (archspec.h) */
    bool standardize;     /* z-scores from the training rows, kept in the model */
    const char *val_path; /* validation stream, or NULL */
} fit_options;

/* train_options_default, arch "ann", standardize on, no validation. */
void fit_options_default(fit_options *o);

typedef struct {
    featset train, val; /* val is empty without a validation stream */
    bool has_val;
    sha256_ctx train_hash, val_hash; /* of the bytes read */
    char **classes;                  /* the training labels, sorted */
    int n_classes;
    int *y, *vy; /* class index of every training / validation row */
} fit_data;

/* Reads the training streams files[0..nfiles-1] (stdin when none) and the
 * validation stream val_path (NULL: none): two classes at least, and validation
 * rows of the training width, metadata and classes. Returns 0, or -1 with err. */
int fit_data_read(fit_data *d, int nfiles, char **files, const char *val_path, char *err,
                  size_t errlen);
void fit_data_free(fit_data *d);

/* A new model of o->arch for d's width and classes, standardising d's rows in
 * place when asked, with the options recorded in it. Returns 0, or -1 with err
 * when the architecture does not fit the input (the caller's usage error). */
int fit_model_init(nn_model *m, const fit_options *o, fit_data *d, char *err, size_t errlen);

/* Trains m on d (on_epoch after every epoch, see train_fit) and records the row
 * counts and results in m. Returns 0, or -1 with err when the loss stops being finite. */
int fit_train(nn_model *m, const fit_options *o, const fit_data *d, train_history *hist,
              train_epoch_fn on_epoch, void *ctx, char *err, size_t errlen);

/* One epoch's line: "epoch N loss L acc A [val_loss V val_acc W] lr R". */
void fit_print_epoch(const train_epoch *e, FILE *fp);
/* The closing line: the best epoch, and whether its weights are the model's. */
void fit_print_summary(const train_history *h, bool has_val, FILE *fp);

#endif
