#include "nn/nn.h"

#include "base/err.h"
#include "base/xalloc.h"
#include "nn/kernels.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static size_t row_size(int len, int ch) { return (size_t)len * (size_t)ch; }

int nn_init(nn_net *net, const arch_spec *spec, int n_inputs, int n_classes, char *err,
            size_t errlen)
{
    return nn_init_max(net, spec, n_inputs, n_classes, NN_MAX_PARAMS, err, errlen);
}

int nn_init_max(nn_net *net, const arch_spec *spec, int n_inputs, int n_classes, size_t max_params,
                char *err, size_t errlen)
{
    if (max_params > NN_MAX_PARAMS)
        max_params = NN_MAX_PARAMS;
    memset(net, 0, sizeof *net);
    net->n_inputs = n_inputs;
    net->n_classes = n_classes;
    net->n_layers = spec->n + 1;
    net->layers = cli_xcalloc((size_t)net->n_layers, sizeof *net->layers);
    int len = n_inputs, ch = 1;
    int flat = 1;
    size_t off = 0;
    for (int l = 0; l < net->n_layers; ++l) {
        nn_layer *L = &net->layers[l];
        arch_term t =
            l < spec->n ? spec->terms[l] : (arch_term){.kind = NN_DENSE, .units = n_classes};
        L->kind = t.kind;
        L->units = t.units;
        L->width = t.width;
        L->rate = (float)t.rate;
        L->in_len = len;
        L->in_ch = ch;
        switch (t.kind) {
        case NN_DENSE:
            if (!flat) {
                if (l == spec->n)
                    err_set(err, errlen,
                            "the output layer follows a conv or maxpool: end "
                            "the spec with flatten");
                else
                    err_set(err, errlen,
                            "term %d (dense:%d) follows a conv or maxpool: add "
                            "flatten before it",
                            l + 1, t.units);
                goto fail;
            }
            L->n_w = row_size(len, ch) * (size_t)t.units;
            L->n_b = (size_t)t.units;
            len = t.units;
            ch = 1;
            break;
        case NN_CONV1D:
            if (t.width > len) {
                err_set(err, errlen, "term %d (conv:%d:%d) is wider than its input of length %d",
                        l + 1, t.units, t.width, len);
                goto fail;
            }
            L->n_w = (size_t)t.width * (size_t)ch * (size_t)t.units;
            L->n_b = (size_t)t.units;
            len = len - t.width + 1;
            ch = t.units;
            flat = 0;
            break;
        case NN_MAXPOOL1D:
            if (t.width > len) {
                err_set(err, errlen, "term %d (maxpool:%d) is wider than its input of length %d",
                        l + 1, t.width, len);
                goto fail;
            }
            len /= t.width;
            flat = 0;
            break;
        case NN_FLATTEN:
            len *= ch;
            ch = 1;
            flat = 1;
            break;
        case NN_RELU:
        case NN_DROPOUT: break;
        }
        if (row_size(len, ch) > (1u << 24)) {
            err_set(err, errlen, "term %d makes rows of %zu values, more than 2^24", l + 1,
                    row_size(len, ch));
            goto fail;
        }
        L->out_len = len;
        L->out_ch = ch;
        L->w_off = off;
        off += L->n_w;
        L->b_off = off;
        off += L->n_b;
        if (off > max_params) {
            err_set(err, errlen, "more than %zu weights", max_params);
            goto fail;
        }
    }
    net->n_params = off;
    net->params = cli_xcalloc(off, sizeof(float));
    net->params_t = cli_xcalloc(off, sizeof(float));
    return 0;
fail:
    free(net->layers);
    memset(net, 0, sizeof *net);
    return -1;
}

void nn_work_free(nn_work *w)
{
    for (int l = 0; w->act && w->act[l]; ++l) {
        free(w->act[l]);
        free(w->dact[l]);
        free(w->mask[l]);
        free(w->argmax[l]);
    }
    free(w->act);
    free(w->dact);
    free(w->mask);
    free(w->argmax);
    free(w->scratch);
    memset(w, 0, sizeof *w);
}

void nn_free(nn_net *net)
{
    nn_work_free(&net->work);
    free(net->layers);
    free(net->params);
    free(net->params_t);
    memset(net, 0, sizeof *net);
}

void nn_work_reserve(const nn_net *net, nn_work *w, int n)
{
    if (n <= w->capacity)
        return;
    nn_work_free(w);
    w->capacity = n;
    int nl = net->n_layers;
    /* One spare entry each, NULL, ends the lists for nn_work_free. */
    w->act = cli_xcalloc((size_t)nl + 2, sizeof *w->act);
    w->dact = cli_xcalloc((size_t)nl + 2, sizeof *w->dact);
    w->mask = cli_xcalloc((size_t)nl + 1, sizeof *w->mask);
    w->argmax = cli_xcalloc((size_t)nl + 1, sizeof *w->argmax);
    size_t scratch = 0;
    for (int l = 0; l <= nl; ++l) {
        size_t rs =
            l < nl ? row_size(net->layers[l].in_len, net->layers[l].in_ch) : (size_t)net->n_classes;
        w->act[l] = cli_xmalloc(rs * (size_t)n * sizeof(float));
        w->dact[l] = cli_xmalloc(rs * (size_t)n * sizeof(float));
        if (l == nl)
            break;
        const nn_layer *L = &net->layers[l];
        size_t out = row_size(L->out_len, L->out_ch) * (size_t)n;
        size_t need = 0;
        if (L->kind == NN_DROPOUT)
            w->mask[l] = cli_xmalloc(out * sizeof(float));
        if (L->kind == NN_MAXPOOL1D)
            w->argmax[l] = cli_xmalloc(out * sizeof(int32_t));
        if (L->kind == NN_DENSE)
            need = rs * (size_t)n; /* X^T */
        if (L->kind == NN_CONV1D) {
            size_t cols = (size_t)L->width * (size_t)L->in_ch;
            size_t rows = (size_t)L->out_len * (size_t)n;
            need = 2 * cols * rows; /* Xcol^T, dXcol */
        }
        if (need > scratch)
            scratch = need;
    }
    w->scratch = cli_xmalloc((scratch ? scratch : 1) * sizeof(float));
    w->scratch_n = scratch;
}

void nn_reserve(nn_net *net, int n) { nn_work_reserve(net, &net->work, n); }

void nn_glorot_init(nn_net *net, gsl_rng *rng)
{
    memset(net->params, 0, net->n_params * sizeof(float));
    for (int l = 0; l < net->n_layers; ++l) {
        const nn_layer *L = &net->layers[l];
        double fan_in, fan_out;
        if (L->kind == NN_DENSE) {
            fan_in = (double)row_size(L->in_len, L->in_ch);
            fan_out = L->units;
        } else if (L->kind == NN_CONV1D) {
            fan_in = (double)L->width * L->in_ch;
            fan_out = (double)L->width * L->units;
        } else {
            continue;
        }
        double limit = sqrt(6.0 / (fan_in + fan_out));
        float *w = net->params + L->w_off;
        for (size_t i = 0; i < L->n_w; ++i)
            w[i] = (float)((2.0 * gsl_rng_uniform(rng) - 1.0) * limit);
    }
}

/* Dense: y = x W + b. */
static void dense_forward(const nn_layer *L, const float *params, const float *x, float *y, int n)
{
    int K = L->in_len * L->in_ch, N = L->units;
    const float *b = params + L->b_off;
    for (int i = 0; i < n; ++i)
        memcpy(y + (size_t)i * N, b, (size_t)N * sizeof(float));
    gemm_acc(n, N, K, x, K, params + L->w_off, N, y, N);
}

static void dense_backward(const nn_layer *L, const float *params_t, const float *x,
                           const float *dy, float *dx, float *grads, float *scratch, int n)
{
    int K = L->in_len * L->in_ch, N = L->units;
    float *dw = grads + L->w_off, *db = grads + L->b_off;
    float *xt = scratch;
    gemm_transpose(n, K, x, K, xt);
    gemm_acc(K, N, n, xt, n, dy, N, dw, N);
    kern_colsum_acc(dy, (size_t)n, (size_t)N, db);
    if (dx) {
        memset(dx, 0, (size_t)n * K * sizeof(float));
        gemm_acc(n, K, N, dy, N, params_t + L->w_off, K, dx, K);
    }
}

/* Conv1D, valid, stride 1, channels-last: y[t][f] = b[f] + sum_{k,c} x[t+k][c] W[k][c][f].
 * Row t of the im2col matrix is x + t*C itself (rows overlap), so it is one product. */
static void conv_forward(const nn_layer *L, const float *params, const float *x, float *y, int n)
{
    int C = L->in_ch, F = L->units, Lo = L->out_len, KC = L->width * C;
    size_t in_rs = row_size(L->in_len, C), out_rs = row_size(Lo, F);
    const float *b = params + L->b_off;
    for (int s = 0; s < n; ++s) {
        float *ys = y + (size_t)s * out_rs;
        for (int t = 0; t < Lo; ++t)
            memcpy(ys + (size_t)t * F, b, (size_t)F * sizeof(float));
        gemm_acc(Lo, F, KC, x + (size_t)s * in_rs, C, params + L->w_off, F, ys, F);
    }
}

static void conv_backward(const nn_layer *L, const float *params_t, const float *x, const float *dy,
                          float *dx, float *grads, float *scratch, int n)
{
    int C = L->in_ch, F = L->units, Lo = L->out_len, KC = L->width * C;
    size_t in_rs = row_size(L->in_len, C);
    size_t rows = (size_t)Lo * (size_t)n; /* every output position of every sample */
    float *xcolt = scratch;               /* KC x rows */
    for (int s = 0; s < n; ++s)
        for (int t = 0; t < Lo; ++t) {
            const float *src = x + (size_t)s * in_rs + (size_t)t * C;
            size_t r = (size_t)s * Lo + (size_t)t;
            for (int q = 0; q < KC; ++q)
                xcolt[(size_t)q * rows + r] = src[q];
        }
    float *dw = grads + L->w_off, *db = grads + L->b_off;
    gemm_acc(KC, F, (int)rows, xcolt, (int)rows, dy, F, dw, F);
    kern_colsum_acc(dy, rows, (size_t)F, db);
    if (dx) {
        float *dxcol = scratch + (size_t)KC * rows; /* rows x KC */
        memset(dxcol, 0, rows * KC * sizeof(float));
        gemm_acc((int)rows, KC, F, dy, F, params_t + L->w_off, KC, dxcol, KC);
        memset(dx, 0, (size_t)n * in_rs * sizeof(float));
        for (int s = 0; s < n; ++s)
            for (int t = 0; t < Lo; ++t) {
                float *dst = dx + (size_t)s * in_rs + (size_t)t * C;
                const float *src = dxcol + ((size_t)s * Lo + (size_t)t) * KC;
                for (int q = 0; q < KC; ++q)
                    dst[q] += src[q];
            }
    }
}

static void maxpool_forward(const nn_layer *L, const float *x, float *y, int32_t *arg, int n)
{
    int C = L->in_ch, P = L->width, Lo = L->out_len;
    size_t in_rs = row_size(L->in_len, C), out_rs = row_size(Lo, C);
    for (int s = 0; s < n; ++s)
        for (int t = 0; t < Lo; ++t)
            for (int c = 0; c < C; ++c) {
                size_t best = (size_t)t * P * C + (size_t)c;
                const float *xs = x + (size_t)s * in_rs;
                for (int p = 1; p < P; ++p) {
                    size_t i = ((size_t)t * P + (size_t)p) * C + (size_t)c;
                    if (xs[i] > xs[best])
                        best = i;
                }
                size_t o = (size_t)s * out_rs + (size_t)t * C + (size_t)c;
                y[o] = xs[best];
                arg[o] = (int32_t)best;
            }
}

static void maxpool_backward(const nn_layer *L, const float *dy, float *dx, const int32_t *arg,
                             int n)
{
    int C = L->in_ch;
    size_t in_rs = row_size(L->in_len, C), out_rs = row_size(L->out_len, C);
    memset(dx, 0, (size_t)n * in_rs * sizeof(float));
    for (int s = 0; s < n; ++s)
        for (size_t o = 0; o < out_rs; ++o)
            dx[(size_t)s * in_rs + (size_t)arg[(size_t)s * out_rs + o]] +=
                dy[(size_t)s * out_rs + o];
}

/* Inverted dropout: keep with probability 1 - rate, scaled by 1 / (1 - rate).
 * Two GSL draws make a batch's 64-bit seed per layer; value i of the batch's
 * mask (row-major over the batch's rows) comes from SplitMix64 of seed + (i + 1)
 * times the golden-ratio constant, kept when its high 32 bits are at least
 * rate * 2^32. (A GSL call per value cost a fifth of the ANN's training time, and
 * a counter lets any piece of the batch be drawn on its own.) */
static uint64_t splitmix64(uint64_t x)
{
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static void dropout_mask(float rate, float *mask, size_t n, uint64_t seed, size_t first)
{
    uint64_t threshold = (uint64_t)ceil((double)rate * 4294967296.0);
    float scale = 1.0f / (1.0f - rate);
    for (size_t i = 0; i < n; ++i) {
        uint64_t r = splitmix64(seed + (uint64_t)(first + i + 1) * 0x9e3779b97f4a7c15ULL) >> 32;
        mask[i] = r >= threshold ? scale : 0.0f;
    }
}

void nn_dropout_draw(const nn_net *net, gsl_rng *rng, uint64_t *seeds)
{
    for (int l = 0; l < net->n_layers; ++l) {
        seeds[l] = 0;
        if (net->layers[l].kind == NN_DROPOUT && net->layers[l].rate > 0.0f) {
            uint64_t hi = gsl_rng_get(rng) & 0xffffffffu;
            seeds[l] = hi << 32 | (gsl_rng_get(rng) & 0xffffffffu);
        }
    }
}

const float *nn_forward_work(const nn_net *net, nn_work *w, const float *x, int n,
                             const nn_dropout *drop)
{
    nn_work_reserve(net, w, n);
    memcpy(w->act[0], x, (size_t)n * (size_t)net->n_inputs * sizeof(float));
    for (int l = 0; l < net->n_layers; ++l) {
        const nn_layer *L = &net->layers[l];
        const float *in = w->act[l];
        float *out = w->act[l + 1];
        size_t rs = row_size(L->out_len, L->out_ch), m = rs * (size_t)n;
        switch (L->kind) {
        case NN_DENSE: dense_forward(L, net->params, in, out, n); break;
        case NN_CONV1D: conv_forward(L, net->params, in, out, n); break;
        case NN_MAXPOOL1D: maxpool_forward(L, in, out, w->argmax[l], n); break;
        case NN_FLATTEN: memcpy(out, in, m * sizeof(float)); break;
        case NN_RELU: kern_relu(in, out, m); break;
        case NN_DROPOUT:
            if (drop && L->rate > 0.0f) {
                dropout_mask(L->rate, w->mask[l], m, drop->seeds[l], drop->first_row * rs);
                kern_mul(in, w->mask[l], out, m);
            } else {
                for (size_t i = 0; i < m; ++i)
                    w->mask[l][i] = 1.0f;
                memcpy(out, in, m * sizeof(float));
            }
            break;
        }
    }
    return w->act[net->n_layers];
}

const float *nn_forward(nn_net *net, const float *x, int n, gsl_rng *rng)
{
    uint64_t *seeds = NULL;
    nn_dropout drop = {NULL, 0};
    if (rng) {
        seeds = cli_xmalloc((size_t)net->n_layers * sizeof *seeds);
        nn_dropout_draw(net, rng, seeds);
        drop.seeds = seeds;
    }
    const float *logits = nn_forward_work(net, &net->work, x, n, rng ? &drop : NULL);
    free(seeds);
    return logits;
}

void nn_softmax(const float *logits, int k, double *probs)
{
    double mx = logits[0];
    for (int j = 1; j < k; ++j)
        if (logits[j] > mx)
            mx = logits[j];
    double sum = 0.0;
    for (int j = 0; j < k; ++j) {
        probs[j] = exp((double)logits[j] - mx);
        sum += probs[j];
    }
    for (int j = 0; j < k; ++j)
        probs[j] /= sum;
}

double nn_softmax_xent(const float *logits, const int *labels, int n, int k, int batch_n,
                       float *dlogits, long *correct)
{
    double total = 0.0;
    for (int i = 0; i < n; ++i) {
        const float *z = logits + (size_t)i * k;
        int y = labels[i], arg = 0;
        for (int j = 1; j < k; ++j)
            if (z[j] > z[arg])
                arg = j;
        if (correct && arg == y)
            ++*correct;
        double sum = 0.0;
        for (int j = 0; j < k; ++j)
            sum += exp((double)z[j] - (double)z[arg]);
        /* sum >= 1: its j == arg term is exp(0). */
        /* cppcheck-suppress invalidFunctionArg */
        double lse = (double)z[arg] + log(sum);
        total += lse - (double)z[y];
        if (dlogits)
            for (int j = 0; j < k; ++j) {
                double p = exp((double)z[j] - lse);
                dlogits[(size_t)i * k + j] = (float)((p - (j == y)) / batch_n);
            }
    }
    return total;
}

void nn_backward_work(const nn_net *net, nn_work *w, int n, const float *dlogits, float *grads)
{
    memset(grads, 0, net->n_params * sizeof(float));
    int nl = net->n_layers;
    memcpy(w->dact[nl], dlogits, (size_t)n * (size_t)net->n_classes * sizeof(float));
    for (int l = nl - 1; l >= 0; --l) {
        const nn_layer *L = &net->layers[l];
        const float *in = w->act[l], *dy = w->dact[l + 1];
        float *dx = l > 0 ? w->dact[l] : NULL; /* nobody needs the input's gradient */
        size_t m = row_size(L->out_len, L->out_ch) * (size_t)n;
        switch (L->kind) {
        case NN_DENSE: dense_backward(L, net->params_t, in, dy, dx, grads, w->scratch, n); break;
        case NN_CONV1D: conv_backward(L, net->params_t, in, dy, dx, grads, w->scratch, n); break;
        case NN_MAXPOOL1D:
            if (dx)
                maxpool_backward(L, dy, dx, w->argmax[l], n);
            break;
        case NN_FLATTEN:
            /* dy is dact[l + 1], which nn_work_init allocates for every layer. */
            if (dx)
                /* NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker) */
                memcpy(dx, dy, m * sizeof(float));
            break;
        case NN_RELU:
            if (dx)
                kern_relu_backward(in, dy, dx, m);
            break;
        case NN_DROPOUT:
            if (dx)
                kern_mul(dy, w->mask[l], dx, m);
            break;
        }
    }
}

void nn_transpose_params(nn_net *net)
{
    for (int l = 0; l < net->n_layers; ++l) {
        const nn_layer *L = &net->layers[l];
        int rows = L->kind == NN_DENSE    ? L->in_len * L->in_ch
                   : L->kind == NN_CONV1D ? L->width * L->in_ch
                                          : 0;
        if (rows)
            gemm_transpose(rows, L->units, net->params + L->w_off, L->units,
                           net->params_t + L->w_off);
    }
}

void nn_backward(nn_net *net, int n, const float *dlogits, float *grads)
{
    nn_transpose_params(net);
    nn_backward_work(net, &net->work, n, dlogits, grads);
}
