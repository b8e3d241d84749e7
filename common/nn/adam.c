#include "nn/adam.h"

#include "base/xalloc.h"
#include "nn/kernels.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void adam_init(adam *a, size_t n, double lr, double beta1, double beta2, double epsilon)
{
    memset(a, 0, sizeof *a);
    a->lr = lr;
    a->beta1 = beta1;
    a->beta2 = beta2;
    a->epsilon = epsilon;
    a->n = n;
    a->m = cli_xcalloc(n, sizeof(float));
    a->v = cli_xcalloc(n, sizeof(float));
}

void adam_step(adam *a, float *params, const float *grads)
{
    a->t++;
    double t = (double)a->t;
    float alpha = (float)(a->lr * sqrt(1.0 - pow(a->beta2, t)) / (1.0 - pow(a->beta1, t)));
    kern_adam(params, a->m, a->v, grads, a->n, alpha, (float)a->beta1, (float)a->beta2,
              (float)a->epsilon);
}

void adam_free(adam *a)
{
    free(a->m);
    free(a->v);
    memset(a, 0, sizeof *a);
}
