/* Adam against hand-computed steps; EarlyStopping and ReduceLROnPlateau against
 * scripted val_loss sequences with Keras's epochs; training restores the right
 * weights and is reproducible. */
#include "nn/adam.h"
#include "nn/train.h"
#include "unit.h"

#include <gsl/gsl_rng.h>
#include <stdlib.h>

static void test_adam(void)
{
    adam a;
    float w[2] = {0.5f, -0.25f};
    adam_init(&a, 2, 0.001, 0.9, 0.999, 1e-7);
    /* Step 1, w[0], g = 1: m = 0.1, v = 0.001, alpha = 0.001 * sqrt(0.001) / 0.1,
     * w -= alpha * 0.1 / (sqrt(0.001) + 1e-7) = 0.00099999684. */
    float g1[2] = {1.0f, -0.02f}, g2[2] = {0.5f, 0.04f};
    adam_step(&a, w, g1);
    CHECK_NEAR(w[0], 0.49900000316226767, 1e-7, "Adam step 1 (g = 1)");
    CHECK_NEAR(w[1], -0.24900015808888695, 1e-7,
               "Adam step 1 (g = -0.02): epsilon added to sqrt(v)");
    adam_step(&a, w, g2);
    CHECK_NEAR(w[0], 0.49806782616110623, 1e-7, "Adam step 2 (bias corrections of t = 2)");
    CHECK_NEAR(w[1], -0.24936623572773575, 1e-7, "Adam step 2, second weight");
    CHECK(a.t == 2, "Adam counts its steps");
    adam_free(&a);
}

static void test_early_stopping(void)
{
    early_stopping es;
    /* Improvements at epochs 1, 2 and 5; patience 3 stops at 5 + 3 = 8. */
    double seq[] = {1.0, 0.9, 0.95, 0.92, 0.89, 0.9, 0.9, 0.9, 0.5, 0.4};
    early_stopping_init(&es, 3, 0.0);
    int saves = 0, stop_epoch = 0;
    for (int e = 1; e <= 10 && !stop_epoch; ++e) {
        int a = early_stopping_update(&es, e, seq[e - 1]);
        if (a & ES_SAVE)
            saves |= 1 << e;
        if (a & ES_STOP)
            stop_epoch = e;
    }
    CHECK(stop_epoch == 8, "EarlyStopping(patience 3) stops 3 epochs after the last improvement");
    CHECK(saves == ((1 << 1) | (1 << 2) | (1 << 5)), "weights are kept at epochs 1, 2 and 5");
    CHECK(es.best_epoch == 5 && es.best == 0.89, "the best epoch is 5");

    /* An equal val_loss is no improvement (min_delta 0: strictly less). */
    early_stopping_init(&es, 2, 0.0);
    int a1 = early_stopping_update(&es, 1, 1.0), a2 = early_stopping_update(&es, 2, 1.0),
        a3 = early_stopping_update(&es, 3, 1.0);
    CHECK(a1 == ES_SAVE && a2 == 0 && a3 == ES_STOP, "equal losses count towards patience");

    /* patience 0: never at the first epoch, then at the first non-improvement. */
    early_stopping_init(&es, 0, 0.0);
    a1 = early_stopping_update(&es, 1, 1.0);
    a2 = early_stopping_update(&es, 2, 0.5);
    a3 = early_stopping_update(&es, 3, 0.7);
    CHECK(a1 == ES_SAVE && a2 == ES_SAVE && a3 == ES_STOP, "patience 0 stops at the first miss");

    /* Keras keeps the first epoch's weights even when its loss is not finite. */
    early_stopping_init(&es, 5, 0.0);
    a1 = early_stopping_update(&es, 1, NAN);
    CHECK(a1 == ES_SAVE && es.best_epoch == 0, "a NaN first epoch is kept but is not the best");
    a2 = early_stopping_update(&es, 2, 3.0);
    CHECK(a2 == ES_SAVE && es.best_epoch == 2, "then the first finite loss improves");

    /* min_delta: improvements must beat best - min_delta. */
    early_stopping_init(&es, 1, 0.1);
    a1 = early_stopping_update(&es, 1, 1.0);
    a2 = early_stopping_update(&es, 2, 0.95);
    CHECK(a2 == ES_STOP && es.best_epoch == 1,
          "an improvement smaller than min_delta does not count");
}

static void test_lr_plateau(void)
{
    lr_plateau p;
    lr_plateau_init(&p, 0.5, 2, 1e-4, 0, 0.0);
    /* 0.99995 and 0.99992 are within min_delta of 1.0: two misses, halve after
     * epoch 3; 0.9 improves; 0.95.. miss twice: halve after 6 and after 8. */
    double seq[] = {1.0, 0.99995, 0.99992, 0.9, 0.95, 0.96, 0.97, 0.98};
    double want[] = {0.001, 0.001, 0.001, 0.0005, 0.0005, 0.0005, 0.00025, 0.00025, 0.000125};
    double lr = (float)0.001;
    int ok = 1;
    for (int e = 0; e < 8; ++e) {
        ok &= fabs(lr - want[e]) < 1e-6 * want[e];
        lr = lr_plateau_update(&p, seq[e], lr);
    }
    ok &= fabs(lr - want[8]) < 1e-6 * want[8];
    CHECK(ok, "ReduceLROnPlateau(0.5, patience 2, min_delta 1e-4) halves after epochs 3, 6, 8");
    CHECK(lr == (double)(float)lr, "the learning rate is kept in float, as Keras's variable");

    lr_plateau_init(&p, 0.1, 1, 0.0, 2, 1e-4);
    lr = 0.01;
    double l1 = lr_plateau_update(&p, 1.0, lr);
    double l2 = lr_plateau_update(&p, 1.0, l1);
    double l3 = lr_plateau_update(&p, 1.0, l2);
    double l4 = lr_plateau_update(&p, 1.0, l3);
    double l5 = lr_plateau_update(&p, 1.0, l4);
    /* Keras decrements the cooldown before it tests it: cooldown 2 leaves one epoch
     * uncounted after a reduction. */
    CHECK(l1 == 0.01 && fabs(l2 - 0.001) < 1e-9 && l3 == l2 && fabs(l4 - 1e-4) < 1e-9 && l5 == l4,
          "cooldown as Keras counts it; min_lr bounds the rate");
}

/* Training on a problem whose validation labels are noise, so it stops early. */
typedef struct {
    nn_net *net;
    float *snapshots; /* params at the end of each epoch */
} recorder;

static void record(const train_epoch *e, void *ctx)
{
    recorder *r = ctx;
    memcpy(r->snapshots + (size_t)(e->epoch - 1) * r->net->n_params, r->net->params,
           r->net->n_params * sizeof(float));
}

static void make_data(gsl_rng *rng, float *x, int *y, size_t n, int d, int noise)
{
    for (size_t i = 0; i < n; ++i) {
        y[i] = noise ? (int)gsl_rng_uniform_int(rng, 3) : (int)(i % 3);
        for (int j = 0; j < d; ++j)
            x[i * d + j] = (float)(gsl_rng_uniform(rng) - 0.5 + (j % 3 == (int)(i % 3)));
    }
}

static void test_fit(void)
{
    enum { N = 70, V = 30, D = 6, E = 60 };
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    float x[N * D], vx[V * D];
    int y[N], vy[V];
    make_data(rng, x, y, N, D, 0);
    make_data(rng, vx, vy, V, D, 1);
    arch_spec spec;
    char err[256];
    arch_parse("dense:16,relu,dropout:0.2", &spec, err, sizeof err);
    nn_net net;
    nn_init(&net, &spec, D, 3, err, sizeof err);
    train_options o;
    train_options_default(&o);
    o.epochs = E;
    o.batch = 32; /* 70 rows: batches of 32, 32 and 6 */
    o.patience = 4;
    dataset tr = {x, y, N}, va = {vx, vy, V};
    recorder r = {&net, malloc((size_t)E * net.n_params * sizeof(float))};
    train_history h;
    int rc = train_fit(&net, &o, &tr, &va, &h, record, &r, err, sizeof err);
    CHECK(rc == 0 && h.stopped && h.n < E, "noise labels in validation stop training early");
    CHECK(h.n == h.best_epoch + 4 || (h.best_epoch == 0 && h.n == 5),
          "it stops `patience` epochs after the best one");
    double best = INFINITY;
    int best_e = 0;
    for (int e = 0; e < h.n; ++e)
        if (h.epochs[e].val_loss < best) {
            best = h.epochs[e].val_loss;
            best_e = e + 1;
        }
    CHECK(best_e == h.best_epoch, "the best epoch is the one of least val_loss");
    CHECK(memcmp(net.params, r.snapshots + (size_t)(h.best_epoch - 1) * net.n_params,
                 net.n_params * sizeof(float)) == 0,
          "the weights of the best epoch are restored");
    double loss, acc;
    train_evaluate(&net, &va, 32, &loss, &acc);
    CHECK(loss == h.best_val_loss, "the restored weights give the best val_loss again");
    CHECK(h.epochs[0].lr == (double)(float)0.001, "epoch lines show the lr used");
    float first[2000];
    memcpy(first, net.params, net.n_params * sizeof(float));
    train_history_free(&h);

    /* Same seed, same bits; another seed, other bits. */
    train_fit(&net, &o, &tr, &va, &h, NULL, NULL, err, sizeof err);
    CHECK(memcmp(first, net.params, net.n_params * sizeof(float)) == 0, "training is reproducible");
    train_history_free(&h);
    for (int threads = 2; threads <= 4; threads += 2) {
        o.threads = threads;
        o.batch = 37; /* pieces of 16, 16 and 5 rows */
        train_fit(&net, &o, &tr, &va, &h, NULL, NULL, err, sizeof err);
        float *one = malloc(net.n_params * sizeof(float));
        memcpy(one, net.params, net.n_params * sizeof(float));
        train_history_free(&h);
        o.threads = 1;
        train_fit(&net, &o, &tr, &va, &h, NULL, NULL, err, sizeof err);
        CHECK(memcmp(one, net.params, net.n_params * sizeof(float)) == 0,
              threads == 2 ? "2 threads give the bits of 1" : "4 threads give the bits of 1");
        train_history_free(&h);
        free(one);
    }
    o.batch = 32;
    o.seed = 2;
    train_fit(&net, &o, &tr, &va, &h, NULL, NULL, err, sizeof err);
    CHECK(memcmp(first, net.params, net.n_params * sizeof(float)) != 0, "the seed matters");
    train_history_free(&h);

    /* Without validation: every epoch, the last weights; training learns. */
    o.epochs = 40;
    train_fit(&net, &o, &tr, NULL, &h, record, &r, err, sizeof err);
    CHECK(h.n == 40 && !h.stopped && isnan(h.epochs[0].val_loss), "no validation: all epochs run");
    CHECK(memcmp(net.params, r.snapshots + 39 * net.n_params, net.n_params * sizeof(float)) == 0,
          "no validation: the last epoch's weights are kept");
    CHECK(h.epochs[39].loss < 0.75 * h.epochs[0].loss && h.epochs[39].acc > 0.75,
          "the running training loss falls and accuracy rises");
    train_history_free(&h);
    free(r.snapshots);
    nn_free(&net);
    arch_free(&spec);
    gsl_rng_free(rng);
}

int main(void)
{
    test_adam();
    test_early_stopping();
    test_lr_plateau();
    test_fit();
    return unit_done();
}
