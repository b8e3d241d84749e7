/* svmgrid.h - choosing C and gamma by cross-validation inside a training set
 * (svmfit --grid): every pair of a C list and a gamma list is trained on K-1
 * folds and scored on the held-out one, K times; the pair with the highest
 * accuracy over all held-out rows wins (ties: the first in C order, then gamma
 * order, so smaller values win when both lists ascend). Folds keep speakers
 * whole when groups are given, else keep each class's share (eval/split.h). */
#ifndef SENTIO_SVMGRID_H
#define SENTIO_SVMGRID_H

#include "svm/svmmodel.h"

#include <stddef.h>

/* fold_of[i] in 0..folds-1 for n rows: grouped by group_of (ngroups groups) when
 * group_of is set, else stratified by class_of. Returns 0, or -1 with err set
 * (e.g. fewer speakers than folds). */
int svm_grid_folds(size_t n, const size_t *class_of, size_t nclasses, const size_t *group_of,
                   size_t ngroups, int folds, unsigned long seed, int *fold_of, char *err,
                   size_t errlen);

typedef struct {
    const double *C, *gamma; /* the lists to try */
    int nC, ngamma;
    double *acc;            /* nC x ngamma accuracies (out) */
    int best_c, best_gamma; /* indices of the winner (out) */
} svm_grid;

/* Runs the grid on d with folds 0..folds-1 (fold_of) and options o (its C and
 * gamma are overridden; no probabilities while searching). Returns 0, or -1 with err. */
int svm_grid_search(const svm_data *d, const int *fold_of, int folds, const svm_train_options *o,
                    svm_grid *g, char *err, size_t errlen);

#endif
