/* train.h - mini-batch training as Keras's Model.fit does it: Adam on the mean
 * categorical cross-entropy of each batch (the last one partial), the training
 * rows reshuffled every epoch, and, with a validation set, EarlyStopping and
 * ReduceLROnPlateau on val_loss with Keras's counting rules. One GSL RNG
 * (MT19937, seeded with the seed) draws, in this order, the initial weights,
 * then per epoch the shuffle and per batch the dropout seeds (nn_dropout_draw).
 * Worker threads share each batch in pieces of 16 rows whose gradients are
 * added in piece order: the same seed, data and options give the same bits on
 * any number of threads. */
#ifndef SENTIO_TRAIN_H
#define SENTIO_TRAIN_H

#include "nn/nn.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    int epochs, batch;
    double lr, beta1, beta2, epsilon;
    int patience;     /* EarlyStopping (min_delta 0, restore best weights) */
    double lr_factor; /* ReduceLROnPlateau */
    int lr_patience;
    double lr_min_delta; /* absolute: improved when val_loss < best - lr_min_delta */
    unsigned long seed;
    int threads; /* worker threads (>= 1); the result does not depend on them */
} train_options;

/* Keras's defaults and the seed's callbacks: 100 epochs, batch 32, Adam(0.001,
 * 0.9, 0.999, 1e-7), patience 10, factor 0.5, lr patience 5, min_delta 1e-4, seed 1,
 * one thread. */
void train_options_default(train_options *o);

/* EarlyStopping(monitor='val_loss', min_delta=0, patience, restore_best_weights=True).
 * Keras keeps the first epoch's weights even if its val_loss is not finite, counts
 * `wait` up every epoch and back to 0 on an improvement (val_loss < best - min_delta),
 * and stops when wait >= patience (never after the first epoch), restoring the best
 * weights then. A run that ends without stopping keeps its last weights. */
typedef struct {
    int patience;
    double min_delta;
    double best;
    int wait;
    int best_epoch; /* 1-based; 0 before any improvement */
    int epochs_seen;
} early_stopping;

enum { ES_SAVE = 1, ES_STOP = 2 };
void early_stopping_init(early_stopping *es, int patience, double min_delta);
/* After each epoch: returns ES_SAVE when the weights are to be kept as the best
 * (now), ES_STOP when training stops (restore the kept weights), or both. */
int early_stopping_update(early_stopping *es, int epoch, double val_loss);

/* ReduceLROnPlateau(monitor='val_loss', factor, patience, min_delta (absolute, mode
 * min), cooldown, min_lr). */
typedef struct {
    double factor, min_delta, min_lr;
    int patience, cooldown;
    double best;
    int wait, cooldown_counter;
} lr_plateau;

void lr_plateau_init(lr_plateau *p, double factor, int patience, double min_delta, int cooldown,
                     double min_lr);
/* After each epoch, with the lr used in it: returns the lr for the next epoch
 * (rounded to float, as Keras keeps it in a float32 variable). */
double lr_plateau_update(lr_plateau *p, double val_loss, double lr);

typedef struct {
    const float *x; /* n rows of n_inputs values */
    const int *y;   /* class indices */
    size_t n;
} dataset;

typedef struct {
    int epoch;                /* 1-based */
    double loss, acc;         /* running means over the epoch's batches, as Keras reports */
    double val_loss, val_acc; /* NAN without a validation set */
    double lr;                /* used during the epoch */
} train_epoch;

typedef struct {
    train_epoch *epochs;
    int n;          /* epochs run */
    int best_epoch; /* EarlyStopping's best (0 without validation) */
    double best_val_loss;
    bool stopped; /* EarlyStopping ended the run (and restored the best weights) */
} train_history;

typedef void (*train_epoch_fn)(const train_epoch *e, void *ctx);

/* Initialises net's weights and trains it on train (val may be NULL); calls
 * on_epoch after each epoch. Returns 0, or -1 with err set when the loss stops
 * being finite. */
int train_fit(nn_net *net, const train_options *o, const dataset *train, const dataset *val,
              train_history *hist, train_epoch_fn on_epoch, void *ctx, char *err, size_t errlen);
/* Mean loss and accuracy of net (no dropout) on d. */
void train_evaluate(nn_net *net, const dataset *d, int batch, double *loss, double *acc);
void train_history_free(train_history *h);

#endif
