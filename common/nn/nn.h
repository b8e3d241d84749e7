/* nn.h - a feed-forward network: the layers of archspec.h, then the implied
 * output Dense(n_classes) whose logits go to a fused softmax + categorical
 * cross-entropy. All weights live in one contiguous float array (params), in
 * layer order, each layer's kernel then its bias, in Keras's layouts:
 *   Dense  kernel (in, out), bias (out)
 *   Conv1D kernel (width, in_channels, filters), bias (filters)
 * Activations are batches of rows; a row of shape (length, channels) is stored
 * channels-last, so Flatten moves no data. */
#ifndef SENTIO_NN_H
#define SENTIO_NN_H

#include "nn/archspec.h"

#include <gsl/gsl_rng.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    nn_kind kind;
    int units, width; /* as in arch_term */
    float rate;
    int in_len, in_ch, out_len, out_ch; /* shapes of one row */
    size_t w_off, n_w, b_off, n_b;      /* into params */
} nn_layer;

/* Work space for passes over batches of up to `capacity` rows: activations,
 * their gradients, dropout masks, maxpool indices. One per thread; the
 * network's weights are shared and only read during passes. */
typedef struct {
    int capacity;
    float **act;      /* act[l]: input of layer l; act[n_layers]: the logits */
    float **dact;     /* gradients of the loss w.r.t. act[l] */
    float **mask;     /* dropout: 0 or 1/(1-rate) per value, from the last training pass */
    int32_t **argmax; /* maxpool: the index each output came from */
    float *scratch;
    size_t scratch_n;
} nn_work;

typedef struct {
    int n_inputs, n_classes, n_layers; /* n_layers counts the output Dense */
    nn_layer *layers;
    size_t n_params;
    float *params;
    /* The kernels transposed (Dense (out, in), Conv1D (filters, width * in_ch)),
     * at the kernels' offsets, for the backward pass: nn_transpose_params. */
    float *params_t;
    nn_work work; /* for nn_forward and nn_backward */
} nn_net;

/* The dropout of one training batch: a 64-bit seed per layer (nn_dropout_draw),
 * and the position in the batch of the first row passed. Row r's mask in layer l
 * depends only on seeds[l] and first_row + r, so a batch passed whole or in
 * pieces, on any thread, gets the same masks. */
typedef struct {
    const uint64_t *seeds; /* n_layers entries; only dropout layers' are used */
    size_t first_row;
} nn_dropout;

/* Builds the network for n_inputs features and n_classes outputs, params zeroed.
 * Returns 0, or -1 with err saying why the spec does not fit (e.g. a conv wider
 * than its input, dense after conv without flatten). */
int nn_init(nn_net *net, const arch_spec *spec, int n_inputs, int n_classes, char *err,
            size_t errlen);
#define NN_MAX_PARAMS ((size_t)1 << 28)
/* nn_init refusing, before allocating them, more than max_params weights (at
 * most NN_MAX_PARAMS): a model file's loader passes what its bytes can hold. */
int nn_init_max(nn_net *net, const arch_spec *spec, int n_inputs, int n_classes, size_t max_params,
                char *err, size_t errlen);
void nn_free(nn_net *net);
/* Work space for batches of up to n rows. */
void nn_reserve(nn_net *net, int n);
void nn_work_reserve(const nn_net *net, nn_work *w, int n);
void nn_work_free(nn_work *w);
/* Keras's initialisation: Glorot-uniform kernels, limit sqrt(6 / (fan_in +
 * fan_out)), with fan_in = width * in_channels and fan_out = width * filters for
 * Conv1D; zero biases. Draws kernels in layer order from rng. */
void nn_glorot_init(nn_net *net, gsl_rng *rng);
/* Draws a batch's dropout seeds from rng: two 32-bit draws per dropout layer of
 * positive rate, in layer order; seeds has n_layers entries. */
void nn_dropout_draw(const nn_net *net, gsl_rng *rng, uint64_t *seeds);

/* Forward pass of n rows of x (n <= capacity) in net->work; returns the
 * n x n_classes logits. With rng (training) dropout is active, its seeds drawn
 * from rng; NULL is inference. */
const float *nn_forward(nn_net *net, const float *x, int n, gsl_rng *rng);
/* The same in work space w; drop NULL is inference. Row results do not depend
 * on n or on the other rows. */
const float *nn_forward_work(const nn_net *net, nn_work *w, const float *x, int n,
                             const nn_dropout *drop);
/* Fused softmax + categorical cross-entropy over n rows of logits: returns the
 * SUM of the n per-sample losses (in double), writes into dlogits the gradient
 * of the mean over a batch of batch_n rows, (softmax - onehot) / batch_n, and
 * adds to *correct the rows whose largest logit is the label. dlogits and
 * correct may be NULL. */
double nn_softmax_xent(const float *logits, const int *labels, int n, int n_classes, int batch_n,
                       float *dlogits, long *correct);
/* Backward pass of the last forward pass in net->work: grads (n_params floats,
 * overwritten) gets the gradient of the loss whose logit gradient is dlogits. */
void nn_backward(nn_net *net, int n, const float *dlogits, float *grads);
/* Refreshes params_t from params; nn_backward_work needs it after any change of
 * params (nn_backward does it itself). */
void nn_transpose_params(nn_net *net);
/* The backward pass of the last forward pass in w, with params_t as it is. */
void nn_backward_work(const nn_net *net, nn_work *w, int n, const float *dlogits, float *grads);
/* Softmax of one row of logits into probs (double precision inside). */
void nn_softmax(const float *logits, int n_classes, double *probs);

#endif
