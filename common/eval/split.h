/* split.h - partitions of a data set into a training and a validation side
 * (man 1 featsplit): holdout, stratified, grouped, K-fold, and numpy/sklearn's
 * exact train_test_split permutation.
 *
 * Items are 0..n-1 (records in input order). Each item has a class id
 * (0..nclasses-1, classes numbered in the order their names sort) and, for
 * grouped splits, a group id (0..ngroups-1). All randomness comes from
 * base/mt19937, which draws exactly what numpy's legacy RandomState(seed) draws. */
#ifndef SENTIO_SPLIT_H
#define SENTIO_SPLIT_H

#include <stdbool.h>
#include <stddef.h>

#define SPLIT_MAX_SEED 4294967295ul /* numpy accepts seeds 0..2^32-1 */

typedef struct {
    double test_size; /* a fraction in (0,1), or a count >= 1 (an integer) */
    unsigned long seed;
    bool stratify;   /* keep class proportions (holdout and folds) */
    bool grouped;    /* keep groups whole; test_size counts groups */
    int folds, fold; /* folds >= 2: K-fold, fold 1..folds is the validation side */
    bool sklearn;    /* exactly sklearn's train_test_split (no stratify/group/folds) */
} split_options;

typedef struct {
    size_t *train, *val; /* item indices: permutation order for sklearn, else input order */
    size_t ntrain, nval;
} split_result;

/* The validation count sklearn's rule gives for n items: ceil(T*n) for a
 * fraction, T for a count. Returns 0, or -1 with err set when a side would be empty. */
int split_test_count(double test_size, size_t n, size_t *n_test, char *err, size_t errlen);
/* Partitions n items. class_of is needed for stratify, group_of for grouped.
 * Returns 0, or -1 with err set. */
int split_partition(const split_options *o, size_t n, const size_t *class_of, size_t nclasses,
                    const size_t *group_of, size_t ngroups, split_result *res, char *err,
                    size_t errlen);
void split_result_free(split_result *res);

#endif
