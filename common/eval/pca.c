#include "eval/pca.h"

#include "base/err.h"
#include "base/xalloc.h"

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int pca_fit(const double *x, size_t n, size_t d, size_t k, bool standardize, pca_model *m,
            char *err, size_t errlen)
{
    *m = (pca_model){0};
    if (n < 2) {
        err_set(err, errlen, "PCA needs at least 2 records, got %zu", n);
        return -1;
    }
    if (d < 1 || k < 1 || k > d) {
        err_set(err, errlen, "cannot keep %zu components of %zu dimensions", k, d);
        return -1;
    }
    m->d = d;
    m->k = k;
    m->mean = cli_xcalloc(d, sizeof *m->mean);
    m->scale = cli_xmalloc(d * sizeof *m->scale);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < d; j++)
            m->mean[j] += x[i * d + j];
    for (size_t j = 0; j < d; j++) {
        m->mean[j] /= (double)n;
        m->scale[j] = 1.0;
    }
    if (standardize)
        for (size_t j = 0; j < d; j++) {
            double ss = 0.0;
            for (size_t i = 0; i < n; i++) {
                double c = x[i * d + j] - m->mean[j];
                ss += c * c;
            }
            /* Population deviation, as StandardScaler; a constant column keeps scale 1. */
            double sd = sqrt(ss / (double)n);
            m->scale[j] = sd > 0.0 ? sd : 1.0;
        }

    gsl_matrix *cov = gsl_matrix_calloc(d, d);
    double *row = cli_xmalloc(d * sizeof *row);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < d; j++)
            row[j] = (x[i * d + j] - m->mean[j]) / m->scale[j];
        for (size_t a = 0; a < d; a++)
            for (size_t b = a; b < d; b++)
                *gsl_matrix_ptr(cov, a, b) += row[a] * row[b];
    }
    for (size_t a = 0; a < d; a++)
        for (size_t b = a; b < d; b++) {
            double v = gsl_matrix_get(cov, a, b) / (double)(n - 1);
            gsl_matrix_set(cov, a, b, v);
            gsl_matrix_set(cov, b, a, v);
        }
    free(row);
    m->total_variance = 0.0;
    for (size_t a = 0; a < d; a++)
        m->total_variance += gsl_matrix_get(cov, a, a);

    gsl_vector *eval = gsl_vector_alloc(d);
    gsl_matrix *evec = gsl_matrix_alloc(d, d);
    gsl_eigen_symmv_workspace *w = gsl_eigen_symmv_alloc(d);
    gsl_eigen_symmv(cov, eval, evec, w); /* destroys cov's lower triangle and diagonal */
    gsl_eigen_symmv_free(w);
    gsl_eigen_symmv_sort(eval, evec, GSL_EIGEN_SORT_VAL_DESC);

    m->axes = cli_xmalloc(k * d * sizeof *m->axes);
    m->variance = cli_xmalloc(k * sizeof *m->variance);
    for (size_t c = 0; c < k; c++) {
        /* Rounding can leave a zero eigenvalue slightly negative. */
        m->variance[c] = fmax(0.0, gsl_vector_get(eval, c));
        size_t big = 0;
        for (size_t j = 1; j < d; j++)
            if (fabs(gsl_matrix_get(evec, j, c)) > fabs(gsl_matrix_get(evec, big, c)))
                big = j;
        double sign = gsl_matrix_get(evec, big, c) < 0.0 ? -1.0 : 1.0;
        for (size_t j = 0; j < d; j++)
            m->axes[c * d + j] = sign * gsl_matrix_get(evec, j, c);
    }
    gsl_vector_free(eval);
    gsl_matrix_free(evec);
    gsl_matrix_free(cov);
    return 0;
}

void pca_project(const pca_model *m, const double *row, double *out)
{
    for (size_t c = 0; c < m->k; c++) {
        double s = 0.0;
        for (size_t j = 0; j < m->d; j++)
            s += (row[j] - m->mean[j]) / m->scale[j] * m->axes[c * m->d + j];
        out[c] = s;
    }
}

void pca_free(pca_model *m)
{
    free(m->mean);
    free(m->scale);
    free(m->axes);
    free(m->variance);
    *m = (pca_model){0};
}
