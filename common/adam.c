#include "adam.h"

#include "cli.h"

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

void adam_step(adam *a, float *restrict params, const float *restrict grads)
{
    a->t++;
    double t = (double)a->t;
    float alpha = (float)(a->lr * sqrt(1.0 - pow(a->beta2, t)) / (1.0 - pow(a->beta1, t)));
    float b1 = (float)a->beta1, b2 = (float)a->beta2, eps = (float)a->epsilon;
    float c1 = 1.0f - b1, c2 = 1.0f - b2;
    float *restrict m = a->m, *restrict v = a->v;
    for (size_t i = 0; i < a->n; ++i) {
        float g = grads[i];
        m[i] = b1 * m[i] + c1 * g;
        v[i] = b2 * v[i] + c2 * (g * g);
        params[i] -= alpha * m[i] / (sqrtf(v[i]) + eps);
    }
}

void adam_free(adam *a)
{
    free(a->m);
    free(a->v);
    memset(a, 0, sizeof *a);
}
