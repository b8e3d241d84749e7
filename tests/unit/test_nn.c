/* Layers, the fused softmax + cross-entropy, and the layer language: forward
 * passes against double-precision references, backward passes against central
 * differences of the loss computed in double. */
#include "nn/archspec.h"
#include "nn/nn.h"
#include "unit.h"

#include <gsl/gsl_rng.h>
#include <stdlib.h>

static nn_net make_net(const char *arch, int inputs, int classes)
{
    arch_spec spec;
    char err[256];
    nn_net net;
    if (arch_parse(arch, &spec, err, sizeof err) < 0 ||
        nn_init(&net, &spec, inputs, classes, err, sizeof err) < 0) {
        printf("# %s: %s\n", arch, err);
        exit(1);
    }
    arch_free(&spec);
    return net;
}

static void fill(gsl_rng *rng, float *x, size_t n, double lo, double hi)
{
    for (size_t i = 0; i < n; ++i)
        x[i] = (float)(lo + (hi - lo) * gsl_rng_uniform(rng));
}

/* ---- forward passes of single layers against naive double loops ---- */

static void test_dense_forward(gsl_rng *rng)
{
    nn_net net = make_net("dense:5", 7, 3);
    fill(rng, net.params, net.n_params, -1, 1);
    float x[2 * 7];
    fill(rng, x, 14, -2, 2);
    nn_forward(&net, x, 2, NULL);
    const nn_layer *L = &net.layers[0];
    double worst = 0;
    for (int s = 0; s < 2; ++s)
        for (int j = 0; j < 5; ++j) {
            double y = net.params[L->b_off + j];
            for (int k = 0; k < 7; ++k)
                y += (double)x[s * 7 + k] * net.params[L->w_off + (size_t)k * 5 + j];
            worst = fmax(worst, fabs(y - net.work.act[1][s * 5 + j]));
        }
    CHECK_NEAR(worst, 0, 1e-5, "dense forward: y = x W + b with W stored (in, out)");
    nn_free(&net);
}

static void test_conv_forward(gsl_rng *rng)
{
    /* Two conv layers so that the second sees several channels. */
    nn_net net = make_net("conv:3:2,conv:4:3,flatten", 9, 2);
    fill(rng, net.params, net.n_params, -1, 1);
    float x[2 * 9];
    fill(rng, x, 18, -2, 2);
    nn_forward(&net, x, 2, NULL);
    const nn_layer *L = &net.layers[1];
    CHECK(L->in_len == 8 && L->in_ch == 3 && L->out_len == 6 && L->out_ch == 4,
          "conv shapes: valid padding, channels-last (9,1)->(8,3)->(6,4)");
    double worst = 0;
    for (int s = 0; s < 2; ++s)
        for (int t = 0; t < 6; ++t)
            for (int f = 0; f < 4; ++f) {
                double y = net.params[L->b_off + f];
                for (int k = 0; k < 3; ++k)
                    for (int c = 0; c < 3; ++c)
                        y += (double)net.work.act[1][s * 24 + (t + k) * 3 + c] *
                             net.params[L->w_off + ((size_t)k * 3 + c) * 4 + f];
                worst = fmax(worst, fabs(y - net.work.act[2][s * 24 + t * 4 + f]));
            }
    CHECK_NEAR(worst, 0, 1e-5, "conv forward: kernel (width, in_channels, filters) as Keras");
    nn_free(&net);
}

static void test_pool_relu_flatten_forward(gsl_rng *rng)
{
    nn_net net = make_net("conv:2:1,maxpool:2,relu,flatten", 8, 2);
    fill(rng, net.params, net.n_params, -1, 1);
    float x[8];
    fill(rng, x, 8, -2, 2);
    nn_forward(&net, x, 1, NULL);
    const nn_layer *P = &net.layers[1];
    CHECK(P->in_len == 8 && P->out_len == 4 && net.layers[3].out_len == 8 &&
              net.layers[3].out_ch == 1,
          "maxpool:2 of length 8 gives 4; flatten of (4,2) gives 8");
    int ok = 1;
    for (int t = 0; t < 4; ++t)
        for (int c = 0; c < 2; ++c) {
            float a = net.work.act[1][(2 * t) * 2 + c], b = net.work.act[1][(2 * t + 1) * 2 + c];
            float m = a > b ? a : b;
            ok &= net.work.act[2][t * 2 + c] == m;
            ok &= net.work.act[3][t * 2 + c] == (m > 0 ? m : 0);
            ok &= net.work.act[4][t * 2 + c] == net.work.act[3][t * 2 + c];
        }
    CHECK(ok, "maxpool takes the max per channel, relu clips at 0, flatten keeps the order");
    nn_free(&net);
    net = make_net("maxpool:2,flatten", 7, 2);
    CHECK(net.layers[0].out_len == 3, "maxpool:2 of length 7 gives 3 (Keras floors)");
    nn_free(&net);
}

static void test_dropout_forward(gsl_rng *rng)
{
    nn_net net = make_net("dropout:0.25", 4000, 2);
    float *x = malloc(4000 * sizeof *x);
    fill(rng, x, 4000, 0.5, 1.5);
    nn_forward(&net, x, 1, NULL);
    int same = 1;
    for (int i = 0; i < 4000; ++i)
        same &= net.work.act[1][i] == x[i];
    CHECK(same, "dropout is the identity in inference");
    gsl_rng_set(rng, 5);
    nn_forward(&net, x, 1, rng);
    int kept = 0, scaled = 1;
    for (int i = 0; i < 4000; ++i) {
        float y = net.work.act[1][i];
        if (y != 0) {
            ++kept;
            scaled &= y == x[i] * (1.0f / 0.75f);
        }
    }
    CHECK(scaled, "dropout scales what it keeps by 1/(1-rate) (inverted dropout)");
    /* 3000 expected, sd sqrt(4000*.25*.75) = 27.4: four sd either side. */
    CHECK(kept > 2890 && kept < 3110, "dropout keeps about 1-rate of the values");
    free(x);
    nn_free(&net);
}

/* ---- the loss ---- */

static void test_softmax_xent(void)
{
    /* Logits on a grid of 2^-10 so that z +- h is exact in float. */
    float z[2 * 3] = {0.5f, -1.25f, 2.0f, 0.0009765625f, 0.125f, -0.75f};
    int y[2] = {2, 0};
    float d[6];
    long correct = 0;
    double loss = nn_softmax_xent(z, y, 2, 3, 2, d, &correct);
    double ref = 0;
    for (int i = 0; i < 2; ++i) {
        double s = 0;
        for (int j = 0; j < 3; ++j)
            s += exp(z[i * 3 + j]);
        ref += log(s) - z[i * 3 + y[i]];
    }
    CHECK_NEAR(loss, ref, 1e-12,
               "softmax cross-entropy: sum of log-sum-exp minus the label's logit");
    CHECK(correct == 1, "accuracy counts the rows whose largest logit is the label");
    double h = 1.0 / 1024, worst = 0;
    for (int i = 0; i < 6; ++i) {
        float zp[6], zm[6];
        memcpy(zp, z, sizeof z);
        memcpy(zm, z, sizeof z);
        zp[i] += (float)h;
        zm[i] -= (float)h;
        double num = (nn_softmax_xent(zp, y, 2, 3, 2, NULL, NULL) -
                      nn_softmax_xent(zm, y, 2, 3, 2, NULL, NULL)) /
                     (2 * h) / 2;
        worst = fmax(worst, fabs(num - d[i]));
    }
    CHECK_NEAR(worst, 0, 2e-6, "loss gradient (softmax - onehot)/n matches central differences");
    float big[3] = {1000.0f, -1000.0f, 0.0f};
    int yb = 1;
    double lb = nn_softmax_xent(big, &yb, 1, 3, 1, NULL, NULL);
    CHECK_NEAR(lb, 2000.0, 1e-9, "the loss does not overflow for large logits");
}

/* ---- backward passes: every parameter's gradient against central differences ---- */

static double batch_loss(nn_net *net, const float *x, const int *y, int n, gsl_rng *rng)
{
    gsl_rng_set(rng, 99); /* the same dropout masks in every pass */
    const float *logits = nn_forward(net, x, n, rng);
    return nn_softmax_xent(logits, y, n, net->n_classes, n, NULL, NULL) / n;
}

static void check_gradients(const char *arch, int inputs, int classes, int n, gsl_rng *init)
{
    nn_net net = make_net(arch, inputs, classes);
    nn_glorot_init(&net, init);
    for (size_t i = 0; i < net.n_params; ++i) /* non-zero biases too */
        if (net.params[i] == 0)
            net.params[i] = (float)(gsl_rng_uniform(init) - 0.5) * 0.2f;
    float *x = malloc((size_t)n * inputs * sizeof *x);
    int *y = malloc((size_t)n * sizeof *y);
    fill(init, x, (size_t)n * inputs, -2, 2);
    for (int i = 0; i < n; ++i)
        y[i] = i % classes;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    float *grads = malloc(net.n_params * sizeof *grads), *d = malloc((size_t)n * classes * 4);
    gsl_rng_set(rng, 99);
    const float *logits = nn_forward(&net, x, n, rng);
    nn_softmax_xent(logits, y, n, classes, n, d, NULL);
    nn_backward(&net, n, d, grads);
    double h = 1e-3, worst = 0, num_norm = 0, diff_norm = 0;
    int bad = 0;
    for (size_t p = 0; p < net.n_params; ++p) {
        float keep = net.params[p];
        net.params[p] = keep + (float)h;
        double hp = (double)net.params[p] - keep;
        double lp = batch_loss(&net, x, y, n, rng);
        net.params[p] = keep - (float)h;
        double hm = keep - (double)net.params[p];
        double lm = batch_loss(&net, x, y, n, rng);
        net.params[p] = keep;
        double num = (lp - lm) / (hp + hm);
        double err = fabs(num - grads[p]);
        num_norm += num * num;
        diff_norm += err * err;
        if (err > 2e-3 + 2e-2 * fabs(num))
            ++bad;
        worst = fmax(worst, err);
    }
    char what[200];
    snprintf(what, sizeof what, "%s: all %zu gradients match central differences", arch,
             net.n_params);
    if (!CHECK(bad == 0 && sqrt(diff_norm) < 1e-2 * sqrt(num_norm) && num_norm > 0, what))
        printf("#   %d bad, worst abs error %g, relative error norm %g\n", bad, worst,
               sqrt(diff_norm / num_norm));
    free(x);
    free(y);
    free(grads);
    free(d);
    gsl_rng_free(rng);
    nn_free(&net);
}

/* ---- a batch in pieces (what training threads do) ---- */

static void test_pieces(gsl_rng *rng)
{
    nn_net net =
        make_net("conv:4:3,relu,maxpool:2,flatten,dropout:0.4,dense:9,relu,dropout:0.3", 12, 3);
    nn_glorot_init(&net, rng);
    enum { N = 11 };
    float x[N * 12];
    int y[N];
    fill(rng, x, sizeof x / sizeof x[0], -2, 2);
    for (int i = 0; i < N; ++i)
        y[i] = i % 3;
    uint64_t seeds[16];
    nn_dropout_draw(&net, rng, seeds);
    nn_dropout whole = {seeds, 0};
    nn_transpose_params(&net);
    float logits[N * 3], dl[N * 3];
    float *grads = calloc(net.n_params, sizeof *grads), *g = calloc(net.n_params, sizeof *g),
          *sum = calloc(net.n_params, sizeof *sum);
    memcpy(logits, nn_forward_work(&net, &net.work, x, N, &whole), sizeof logits);
    nn_softmax_xent(logits, y, N, 3, N, dl, NULL);
    nn_backward_work(&net, &net.work, N, dl, grads);
    /* Pieces of 4, 4 and 3 rows in another work space. */
    nn_work w = {0};
    int same = 1;
    for (int first = 0; first < N; first += 4) {
        int n = N - first < 4 ? N - first : 4;
        nn_dropout piece = {seeds, (size_t)first};
        const float *z = nn_forward_work(&net, &w, x + first * 12, n, &piece);
        same &= memcmp(z, logits + first * 3, (size_t)n * 3 * sizeof(float)) == 0;
        float d[4 * 3];
        nn_softmax_xent(z, y + first, n, 3, N, d, NULL);
        same &= memcmp(d, dl + first * 3, (size_t)n * 3 * sizeof(float)) == 0;
        nn_backward_work(&net, &w, n, d, g);
        for (size_t i = 0; i < net.n_params; ++i)
            sum[i] += g[i];
    }
    CHECK(same, "a batch in pieces: the same logits bit for bit, dropout masks included, and "
                "the same gradient of the batch mean");
    double worst = 0, norm = 0;
    for (size_t i = 0; i < net.n_params; ++i) {
        worst = fmax(worst, fabs((double)sum[i] - grads[i]));
        norm = fmax(norm, fabs((double)grads[i]));
    }
    CHECK(worst <= 1e-6 * norm && norm > 0,
          "the pieces' gradients add up to the batch's (to rounding)");
    nn_work_free(&w);
    free(grads);
    free(g);
    free(sum);
    nn_free(&net);
}

/* ---- the layer language ---- */

static void test_archspec(void)
{
    arch_spec s;
    char err[256];
    CHECK(arch_parse("ann", &s, err, sizeof err) == 0 && s.n == 6 && s.terms[0].kind == NN_DENSE &&
              s.terms[0].units == 128 && s.terms[2].kind == NN_DROPOUT && s.terms[2].rate == 0.3,
          "'ann' is the seed's ANN");
    char *text = arch_format(&s);
    CHECK(strcmp(text, ARCH_ANN) == 0, "formatting gives the canonical spec back");
    free(text);
    arch_free(&s);
    CHECK(arch_parse("cnn", &s, err, sizeof err) == 0 && s.n == 7 && s.terms[0].kind == NN_CONV1D &&
              s.terms[0].units == 32 && s.terms[0].width == 3 && s.terms[2].width == 2,
          "'cnn' is the seed's CNN");
    text = arch_format(&s);
    CHECK(strcmp(text, ARCH_CNN) == 0, "the CNN's canonical spec");
    free(text);
    arch_free(&s);
    CHECK(arch_parse("", &s, err, sizeof err) == 0 && s.n == 0,
          "an empty spec is softmax regression");
    arch_free(&s);
    static const struct {
        const char *spec, *needle;
    } bad[] = {
        {"dense:128,relu,tanh", "unknown term 'tanh'"},
        {"dense:0", "bad term 'dense:0'"},
        {"dense:12x", "bad term 'dense:12x'"},
        {"dense", "bad term 'dense'"},
        {"dropout:1", "bad term 'dropout:1'"},
        {"dropout:-0.1", "bad term"},
        {"conv:32", "bad term 'conv:32'"},
        {"conv:32:3:1", "bad term 'conv:32:3:1'"},
        {"relu:2", "bad term 'relu:2'"},
        {"dense:8,,relu", "empty term"},
        {"dense:8,", "empty term"},
        {"ANN", "unknown term 'ANN'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
        char what[128];
        snprintf(what, sizeof what, "'%s' is refused naming the term", bad[i].spec);
        int rc = arch_parse(bad[i].spec, &s, err, sizeof err);
        if (!CHECK(rc < 0 && strstr(err, bad[i].needle), what))
            printf("#   message: %s\n", rc < 0 ? err : "(accepted)");
    }
    nn_net net;
    CHECK(arch_parse("conv:4:3,dense:8", &s, err, sizeof err) == 0 &&
              nn_init(&net, &s, 40, 3, err, sizeof err) < 0 && strstr(err, "flatten"),
          "dense after conv without flatten is refused");
    arch_free(&s);
    CHECK(arch_parse("conv:4:41", &s, err, sizeof err) == 0 &&
              nn_init(&net, &s, 40, 3, err, sizeof err) < 0 && strstr(err, "wider"),
          "a conv wider than its input is refused");
    arch_free(&s);
    CHECK(arch_parse("cnn", &s, err, sizeof err) == 0 &&
              nn_init(&net, &s, 40, 3, err, sizeof err) == 0 &&
              net.n_params == 3 * 32 + 32 + 608 * 64 + 64 + 64 * 3 + 3,
          "the seed's CNN on 40 inputs has Keras's 39,299 weights");
    nn_free(&net);
    arch_free(&s);
}

int main(void)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 1);
    test_dense_forward(rng);
    test_conv_forward(rng);
    test_pool_relu_flatten_forward(rng);
    test_dropout_forward(rng);
    test_softmax_xent();
    check_gradients("", 6, 3, 4, rng);
    check_gradients("dense:7,relu,dense:5,relu", 6, 3, 5, rng);
    check_gradients("dense:9,relu,dropout:0.4,dense:6,dropout:0.2", 5, 4, 6, rng);
    check_gradients("conv:4:3,relu,maxpool:2,flatten,dense:6,relu,dropout:0.5", 11, 3, 5, rng);
    check_gradients("conv:3:2,conv:2:3,maxpool:3,flatten", 12, 2, 3, rng);
    check_gradients("dense:6,maxpool:2,conv:2:2,flatten", 5, 3, 4, rng);
    test_pieces(rng);
    test_archspec();
    gsl_rng_free(rng);
    return unit_done();
}
