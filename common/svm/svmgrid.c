#include "svm/svmgrid.h"

#include "base/err.h"
#include "base/signals.h"
#include "base/xalloc.h"
#include "eval/split.h"

#include <stdlib.h>
#include <string.h>

int svm_grid_folds(size_t n, const size_t *class_of, size_t nclasses, const size_t *group_of,
                   size_t ngroups, int folds, unsigned long seed, int *fold_of, char *err,
                   size_t errlen)
{
    for (int k = 1; k <= folds; ++k) {
        split_options o = {.seed = seed,
                           .folds = folds,
                           .fold = k,
                           .grouped = group_of != NULL,
                           .stratify = group_of == NULL};
        split_result res;
        if (split_partition(&o, n, class_of, nclasses, group_of, ngroups, &res, err, errlen) != 0)
            return -1;
        for (size_t i = 0; i < res.nval; ++i)
            fold_of[res.val[i]] = k - 1;
        split_result_free(&res);
    }
    return 0;
}

int svm_grid_search(const svm_data *d, const int *fold_of, int folds, const svm_train_options *o,
                    svm_grid *g, char *err, size_t errlen)
{
    size_t *train = cli_xmalloc((d->n ? d->n : 1) * sizeof *train);
    size_t *correct = cli_xcalloc((size_t)g->nC * (size_t)g->ngamma, sizeof *correct);
    int rc = 0;
    for (int k = 0; k < folds && rc == 0; ++k) {
        size_t nt = 0;
        for (size_t i = 0; i < d->n; ++i)
            if (fold_of[i] != k)
                train[nt++] = i;
        for (int a = 0; a < g->nC && rc == 0; ++a)
            for (int b = 0; b < g->ngamma && rc == 0; ++b) {
                int stop = signals_stop_requested(); /* deferred (base/signals.h) */
                if (stop) {
                    err_set(err, errlen, "stopped by signal %d", stop);
                    rc = -1;
                    break;
                }
                svm_train_options t = *o;
                t.C = g->C[a];
                t.gamma = g->gamma[b];
                t.probability = false;
                struct svm_model *m = svm_fit(d, train, nt, &t, err, errlen);
                if (!m) {
                    rc = -1;
                    break;
                }
                for (size_t i = 0; i < d->n; ++i)
                    if (fold_of[i] == k)
                        correct[a * g->ngamma + b] += svm_predict_row(m, d, i) == (int)d->y[i];
                svm_model_release(m);
            }
    }
    g->best_c = g->best_gamma = 0;
    for (int a = 0; a < g->nC; ++a)
        for (int b = 0; b < g->ngamma; ++b) {
            g->acc[a * g->ngamma + b] =
                d->n ? (double)correct[a * g->ngamma + b] / (double)d->n : 0;
            if (correct[a * g->ngamma + b] > correct[g->best_c * g->ngamma + g->best_gamma]) {
                g->best_c = a;
                g->best_gamma = b;
            }
        }
    free(train);
    free(correct);
    return rc;
}
