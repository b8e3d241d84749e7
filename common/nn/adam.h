/* adam.h - the Adam optimiser exactly as Keras computes it.
 *
 * Keras (tf.keras optimizer_v2 Adam in TF 2.x, which calls the ApplyAdam
 * kernel, and the Keras 3 / tf.keras >= 2.11 Adam alike) folds both bias
 * corrections into the step size and adds epsilon to sqrt(v), not to
 * sqrt(v_hat) as the Adam paper's Algorithm 1 (and PyTorch) does:
 *   t     += 1
 *   alpha  = lr * sqrt(1 - beta2^t) / (1 - beta1^t)
 *   m      = beta1 * m + (1 - beta1) * g
 *   v      = beta2 * v + (1 - beta2) * g^2
 *   w     -= alpha * m / (sqrt(v) + epsilon)
 * (This is the "epsilon hat" variant of the paper's section 2; with Keras's
 * epsilon 1e-7 the two differ only while v is tiny.) */
#ifndef SENTIO_ADAM_H
#define SENTIO_ADAM_H

#include <stddef.h>

typedef struct {
    double lr, beta1, beta2, epsilon;
    long t; /* steps taken */
    size_t n;
    float *m, *v;
} adam;

#define ADAM_LR 0.001
#define ADAM_BETA1 0.9
#define ADAM_BETA2 0.999
#define ADAM_EPSILON 1e-7

void adam_init(adam *a, size_t n, double lr, double beta1, double beta2, double epsilon);
/* One update of params (n floats) from grads; a->lr may be changed between steps. */
void adam_step(adam *a, float *params, const float *grads);
void adam_free(adam *a);

#endif
