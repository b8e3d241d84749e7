#include "train.h"

#include "adam.h"
#include "cli.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void train_options_default(train_options *o)
{
    o->epochs = 100;
    o->batch = 32;
    o->lr = ADAM_LR;
    o->beta1 = ADAM_BETA1;
    o->beta2 = ADAM_BETA2;
    o->epsilon = ADAM_EPSILON;
    o->patience = 10;
    o->lr_factor = 0.5;
    o->lr_patience = 5;
    o->lr_min_delta = 1e-4;
    o->seed = 1;
}

void early_stopping_init(early_stopping *es, int patience, double min_delta)
{
    memset(es, 0, sizeof *es);
    es->patience = patience;
    es->min_delta = min_delta;
    es->best = INFINITY;
}

int early_stopping_update(early_stopping *es, int epoch, double val_loss)
{
    int action = es->epochs_seen++ == 0 ? ES_SAVE : 0;
    es->wait++;
    if (val_loss < es->best - es->min_delta) {
        es->best = val_loss;
        es->best_epoch = epoch;
        es->wait = 0;
        return action | ES_SAVE;
    }
    if (es->wait >= es->patience && es->epochs_seen > 1)
        action |= ES_STOP;
    return action;
}

void lr_plateau_init(lr_plateau *p, double factor, int patience, double min_delta, int cooldown,
                     double min_lr)
{
    memset(p, 0, sizeof *p);
    p->factor = factor;
    p->patience = patience;
    p->min_delta = min_delta;
    p->cooldown = cooldown;
    p->min_lr = min_lr;
    p->best = INFINITY;
}

double lr_plateau_update(lr_plateau *p, double val_loss, double lr)
{
    if (p->cooldown_counter > 0) {
        p->cooldown_counter--;
        p->wait = 0;
    }
    if (val_loss < p->best - p->min_delta) {
        p->best = val_loss;
        p->wait = 0;
    } else if (p->cooldown_counter <= 0) {
        p->wait++;
        if (p->wait >= p->patience && lr > (double)(float)p->min_lr) {
            double next = lr * p->factor;
            lr = (float)(next > p->min_lr ? next : p->min_lr);
            p->cooldown_counter = p->cooldown;
            p->wait = 0;
        }
    }
    return lr;
}

void train_evaluate(nn_net *net, const dataset *d, int batch, double *loss, double *acc)
{
    double sum = 0.0;
    long correct = 0;
    for (size_t s = 0; s < d->n; s += (size_t)batch) {
        int b = d->n - s < (size_t)batch ? (int)(d->n - s) : batch;
        const float *logits = nn_forward(net, d->x + s * (size_t)net->n_inputs, b, NULL);
        sum += nn_softmax_xent(logits, d->y + s, b, net->n_classes, NULL, &correct);
    }
    *loss = d->n ? sum / (double)d->n : NAN;
    *acc = d->n ? (double)correct / (double)d->n : NAN;
}

int train_fit(nn_net *net, const train_options *o, const dataset *train, const dataset *val,
              train_history *hist, train_epoch_fn on_epoch, void *ctx, char *err, size_t errlen)
{
    memset(hist, 0, sizeof *hist);
    hist->best_val_loss = NAN;
    hist->epochs = cli_xcalloc((size_t)o->epochs, sizeof *hist->epochs);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!rng)
        cli_fail(NULL, "out of memory (GSL RNG)");
    gsl_rng_set(rng, o->seed);
    nn_glorot_init(net, rng);
    nn_reserve(net, o->batch);

    int d = net->n_inputs, k = net->n_classes;
    adam opt;
    adam_init(&opt, net->n_params, o->lr, o->beta1, o->beta2, o->epsilon);
    opt.lr = (float)o->lr; /* Keras keeps the learning rate in a float32 variable */
    early_stopping es;
    lr_plateau plateau;
    early_stopping_init(&es, o->patience, 0.0);
    lr_plateau_init(&plateau, o->lr_factor, o->lr_patience, o->lr_min_delta, 0, 0.0);

    size_t *order = cli_xmalloc(train->n * sizeof *order);
    for (size_t i = 0; i < train->n; ++i)
        order[i] = i;
    float *xb = cli_xmalloc((size_t)o->batch * (size_t)d * sizeof(float));
    int *yb = cli_xmalloc((size_t)o->batch * sizeof(int));
    float *dlogits = cli_xmalloc((size_t)o->batch * (size_t)k * sizeof(float));
    float *grads = cli_xmalloc(net->n_params * sizeof(float));
    float *best = val ? cli_xmalloc(net->n_params * sizeof(float)) : NULL;
    int status = 0;

    for (int epoch = 1; epoch <= o->epochs; ++epoch) {
        gsl_ran_shuffle(rng, order, train->n, sizeof *order);
        double loss_sum = 0.0;
        long correct = 0;
        for (size_t s = 0; s < train->n; s += (size_t)o->batch) {
            int b = train->n - s < (size_t)o->batch ? (int)(train->n - s) : o->batch;
            for (int i = 0; i < b; ++i) {
                memcpy(xb + (size_t)i * d, train->x + order[s + i] * (size_t)d,
                       (size_t)d * sizeof(float));
                yb[i] = train->y[order[s + i]];
            }
            const float *logits = nn_forward(net, xb, b, rng);
            loss_sum += nn_softmax_xent(logits, yb, b, k, dlogits, &correct);
            nn_backward(net, b, dlogits, grads);
            adam_step(&opt, net->params, grads);
        }
        train_epoch *e = &hist->epochs[hist->n++];
        e->epoch = epoch;
        e->loss = loss_sum / (double)train->n;
        e->acc = (double)correct / (double)train->n;
        e->lr = opt.lr;
        e->val_loss = e->val_acc = NAN;
        if (!isfinite(e->loss)) {
            snprintf(err, errlen, "the training loss is no longer finite at epoch %d "
                     "(try a smaller --lr, or standardised inputs)", epoch);
            status = -1;
            break;
        }
        int action = 0;
        if (val) {
            train_evaluate(net, val, o->batch, &e->val_loss, &e->val_acc);
            action = early_stopping_update(&es, epoch, e->val_loss);
            if (action & ES_SAVE)
                memcpy(best, net->params, net->n_params * sizeof(float));
            opt.lr = lr_plateau_update(&plateau, e->val_loss, opt.lr);
        }
        if (on_epoch)
            on_epoch(e, ctx);
        if (action & ES_STOP) {
            memcpy(net->params, best, net->n_params * sizeof(float));
            hist->stopped = true;
            break;
        }
    }
    if (val) {
        hist->best_epoch = es.best_epoch;
        hist->best_val_loss = es.best;
    }
    free(best);
    free(grads);
    free(dlogits);
    free(yb);
    free(xb);
    free(order);
    adam_free(&opt);
    gsl_rng_free(rng);
    return status;
}

void train_history_free(train_history *h)
{
    free(h->epochs);
    memset(h, 0, sizeof *h);
}
