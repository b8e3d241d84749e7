/* pca.h - principal component analysis by the eigen-decomposition of the sample
 * covariance (GSL's symmetric eigen-solver), optionally of standardised data (the
 * correlation matrix). Deterministic: each axis is signed so that its loading of
 * largest magnitude is positive (the first such on ties). */
#ifndef SENTIO_PCA_H
#define SENTIO_PCA_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    size_t d, k;           /* input dimensions; components kept (k <= d) */
    double *mean;          /* d: column means */
    double *scale;         /* d: 1, or each column's standard deviation when standardised
                            * (1 for a constant column, as sklearn's StandardScaler) */
    double *axes;          /* k*d: row i is the unit axis of component i */
    double *variance;      /* k: variance along each axis (eigenvalue, denominator n-1) */
    double total_variance; /* the trace: the sum of all d eigenvalues */
} pca_model;

/* Fits on the n x d row-major matrix x. Needs n >= 2 and 1 <= k <= d. Returns 0,
 * or -1 with err set. */
int pca_fit(const double *x, size_t n, size_t d, size_t k, bool standardize, pca_model *m,
            char *err, size_t errlen);
/* out[0..k-1] = the coordinates of row[0..d-1] on the k axes. */
void pca_project(const pca_model *m, const double *row, double *out);
void pca_free(pca_model *m);

#endif
