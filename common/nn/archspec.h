/* archspec.h - the layer language of nnfit's --arch option.
 *
 * A spec is a comma-separated list of terms, applied in order to the input
 * (a vector of n features, seen as a one-channel signal by conv and maxpool):
 *
 *   dense:N       fully connected layer of N units (1..65536); needs a flat input
 *   relu          max(0, x)
 *   dropout:R     inverted dropout with rate R (0 <= R < 1), active only in training
 *   conv:F:W      1-D convolution, F filters of width W, 'valid' padding, stride 1,
 *                 channels-last (Keras Conv1D)
 *   maxpool:P     1-D max pooling of size and stride P (Keras MaxPooling1D: floor)
 *   flatten       (length, channels) -> one vector, channels varying fastest
 *
 * The output layer, Dense(n_classes) with softmax, is implied. Two names stand
 * for the seed's models:
 *   ann = dense:128,relu,dropout:0.3,dense:64,relu,dropout:0.3
 *   cnn = conv:32:3,relu,maxpool:2,flatten,dense:64,relu,dropout:0.5
 */
#ifndef SENTIO_ARCHSPEC_H
#define SENTIO_ARCHSPEC_H

#include <stddef.h>

typedef enum { NN_DENSE, NN_RELU, NN_DROPOUT, NN_CONV1D, NN_MAXPOOL1D, NN_FLATTEN } nn_kind;

typedef struct {
    nn_kind kind;
    int units;   /* dense: units; conv: filters */
    int width;   /* conv: kernel width; maxpool: pool size */
    double rate; /* dropout */
} arch_term;

typedef struct {
    int n;
    arch_term *terms;
} arch_spec;

#define ARCH_ANN "dense:128,relu,dropout:0.3,dense:64,relu,dropout:0.3"
#define ARCH_CNN "conv:32:3,relu,maxpool:2,flatten,dense:64,relu,dropout:0.5"

/* Parses a spec ("ann", "cnn" or a term list). Returns 0, or -1 with err naming
 * the offending term. An empty list is valid (softmax regression). */
int arch_parse(const char *text, arch_spec *spec, char *err, size_t errlen);
/* The canonical text of spec (what a model file stores); the caller frees it. */
char *arch_format(const arch_spec *spec);
void arch_free(arch_spec *spec);

#endif
