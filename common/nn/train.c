#include "nn/train.h"

#include "base/cli.h"
#include "base/err.h"
#include "base/signals.h"
#include "base/workpool.h"
#include "nn/adam.h"
#include "nn/kernels.h"

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
    o->threads = 1;
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

/* The rows of a batch are passed in pieces of TRAIN_PIECE rows (fewer for the
 * last), one task each: every piece's gradient is summed on its own, and the
 * pieces' sums are added in piece order, so that the bits do not depend on the
 * number of threads. The pieces of a validation pass are batches. 16 rows keep
 * the single-thread cost of the extra sums near 3% at batch 32 (8 cost 10%). */
#define TRAIN_PIECE 16

typedef struct {
    const nn_net *net;
    workpool *pool;
    int members;
    nn_work *work;   /* per member */
    float **xb;      /* per member: the piece's rows, gathered */
    int **yb;        /* per member: their labels */
    float **dlogits; /* per member */
    int capacity;    /* rows of the buffers above */
    int max_pieces;  /* of the arrays below */
    float **grads;   /* per piece (training pieces only) */
    double *loss;    /* per piece: the sum of its rows' losses */
    long *correct;   /* per piece */
    size_t n_grads;  /* pieces with a gradient buffer */
    /* The current pass. */
    const dataset *d;
    const size_t *order; /* row i of the pass is d's row order[start + i]; NULL: start + i */
    size_t start;
    int rows, piece;
    const uint64_t *seeds; /* dropout seeds; NULL: inference, no gradient */
    int pieces;
} trainer;

static void trainer_init(trainer *t, const nn_net *net, int threads, int capacity, int max_pieces,
                         int grad_pieces)
{
    memset(t, 0, sizeof *t);
    t->net = net;
    t->pool = workpool_new(threads);
    t->members = workpool_threads(t->pool);
    t->capacity = capacity;
    t->work = cli_xcalloc((size_t)t->members, sizeof *t->work);
    t->xb = cli_xcalloc((size_t)t->members, sizeof *t->xb);
    t->yb = cli_xcalloc((size_t)t->members, sizeof *t->yb);
    t->dlogits = cli_xcalloc((size_t)t->members, sizeof *t->dlogits);
    for (int m = 0; m < t->members; ++m) {
        nn_work_reserve(net, &t->work[m], capacity);
        t->xb[m] = cli_xmalloc((size_t)capacity * (size_t)net->n_inputs * sizeof(float));
        t->yb[m] = cli_xmalloc((size_t)capacity * sizeof(int));
        t->dlogits[m] = cli_xmalloc((size_t)capacity * (size_t)net->n_classes * sizeof(float));
    }
    t->max_pieces = max_pieces;
    t->loss = cli_xcalloc((size_t)max_pieces, sizeof *t->loss);
    t->correct = cli_xcalloc((size_t)max_pieces, sizeof *t->correct);
    t->n_grads = (size_t)grad_pieces;
    t->grads = cli_xcalloc(t->n_grads ? t->n_grads : 1, sizeof *t->grads);
    for (size_t p = 0; p < t->n_grads; ++p)
        t->grads[p] = cli_xmalloc(net->n_params * sizeof(float));
}

static void trainer_free(trainer *t)
{
    workpool_free(t->pool);
    for (int m = 0; m < t->members; ++m) {
        nn_work_free(&t->work[m]);
        free(t->xb[m]);
        free(t->yb[m]);
        free(t->dlogits[m]);
    }
    for (size_t p = 0; p < t->n_grads; ++p)
        free(t->grads[p]);
    free(t->work);
    free(t->xb);
    free(t->yb);
    free(t->dlogits);
    free(t->grads);
    free(t->loss);
    free(t->correct);
    memset(t, 0, sizeof *t);
}

static void piece_task(void *ctx, int p, int member)
{
    trainer *t = ctx;
    const nn_net *net = t->net;
    int d = net->n_inputs, first = p * t->piece;
    int n = t->rows - first < t->piece ? t->rows - first : t->piece;
    float *xb = t->xb[member];
    int *yb = t->yb[member];
    for (int i = 0; i < n; ++i) {
        size_t r = t->start + (size_t)first + (size_t)i;
        if (t->order)
            r = t->order[r];
        memcpy(xb + (size_t)i * d, t->d->x + r * (size_t)d, (size_t)d * sizeof(float));
        yb[i] = t->d->y[r];
    }
    nn_dropout drop = {t->seeds, (size_t)first};
    const float *logits = nn_forward_work(net, &t->work[member], xb, n, t->seeds ? &drop : NULL);
    float *dl = t->seeds ? t->dlogits[member] : NULL;
    t->correct[p] = 0;
    t->loss[p] = nn_softmax_xent(logits, yb, n, net->n_classes, t->rows, dl, &t->correct[p]);
    if (dl)
        nn_backward_work(net, &t->work[member], n, dl, t->grads[p]);
}

/* Adds the pieces' gradients into grads[0], piece by piece, over one range of
 * the parameters per task. */
#define REDUCE_RANGE 4096

static void reduce_task(void *ctx, int task, int member)
{
    (void)member;
    trainer *t = ctx;
    size_t lo = (size_t)task * REDUCE_RANGE, hi = lo + REDUCE_RANGE;
    if (hi > t->net->n_params)
        hi = t->net->n_params;
    for (int p = 1; p < t->pieces; ++p)
        kern_add(t->grads[0] + lo, t->grads[p] + lo, hi - lo);
}

/* One pass over `rows` rows in pieces of `piece`: with seeds, training (the
 * gradient of the mean loss ends in grads[0]); adds the losses and correct rows. */
static void trainer_pass(trainer *t, const dataset *d, const size_t *order, size_t start, int rows,
                         int piece, const uint64_t *seeds, double *loss_sum, long *correct)
{
    t->d = d;
    t->order = order;
    t->start = start;
    t->rows = rows;
    t->piece = piece;
    t->seeds = seeds;
    t->pieces = (rows + piece - 1) / piece;
    workpool_run(t->pool, t->pieces, piece_task, t);
    for (int p = 0; p < t->pieces; ++p) {
        *loss_sum += t->loss[p];
        *correct += t->correct[p];
    }
    if (seeds && t->pieces > 1) {
        int ranges = (int)((t->net->n_params + REDUCE_RANGE - 1) / REDUCE_RANGE);
        workpool_run(t->pool, ranges, reduce_task, t);
    }
}

/* The mean loss and accuracy on d, in pieces of `batch` rows (each batch's sum
 * added in order, as train_evaluate does). */
static void evaluate(trainer *t, const dataset *d, int batch, double *loss, double *acc)
{
    double sum = 0.0;
    long correct = 0;
    /* All the batches of d in as many passes as the arrays hold. */
    size_t per_pass = (size_t)t->max_pieces * (size_t)batch;
    for (size_t s = 0; s < d->n; s += per_pass) {
        int rows = (int)(d->n - s < per_pass ? d->n - s : per_pass);
        trainer_pass(t, d, NULL, s, rows, batch, NULL, &sum, &correct);
    }
    *loss = d->n ? sum / (double)d->n : NAN;
    *acc = d->n ? (double)correct / (double)d->n : NAN;
}

void train_evaluate(nn_net *net, const dataset *d, int batch, double *loss, double *acc)
{
    trainer t;
    trainer_init(&t, net, 1, batch, 1, 0);
    evaluate(&t, d, batch, loss, acc);
    trainer_free(&t);
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

    int piece = o->batch < TRAIN_PIECE ? o->batch : TRAIN_PIECE;
    int pieces = (o->batch + piece - 1) / piece;
    /* Validation: batches, up to 64 of them a pass. */
    int val_pieces = 64;
    /* More threads than a pass has pieces would only wait. */
    int busy = pieces;
    if (val) {
        size_t val_batches = (val->n + (size_t)o->batch - 1) / (size_t)o->batch;
        if (val_batches > (size_t)busy)
            busy = val_batches < (size_t)val_pieces ? (int)val_batches : val_pieces;
    }
    trainer t;
    trainer_init(&t, net, o->threads < busy ? o->threads : busy, o->batch,
                 pieces > val_pieces ? pieces : val_pieces, pieces);

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
    uint64_t *seeds = cli_xmalloc((size_t)net->n_layers * sizeof *seeds);
    float *best = val ? cli_xmalloc(net->n_params * sizeof(float)) : NULL;
    int status = 0;

    for (int epoch = 1; epoch <= o->epochs; ++epoch) {
        gsl_ran_shuffle(rng, order, train->n, sizeof *order);
        double loss_sum = 0.0;
        long correct = 0;
        int stop = 0; /* a deferred stop signal (base/signals.h): end at the next batch */
        for (size_t s = 0; s < train->n && !(stop = signals_stop_requested());
             s += (size_t)o->batch) {
            int b = train->n - s < (size_t)o->batch ? (int)(train->n - s) : o->batch;
            nn_dropout_draw(net, rng, seeds);
            nn_transpose_params(net);
            trainer_pass(&t, train, order, s, b, piece, seeds, &loss_sum, &correct);
            adam_step(&opt, net->params, t.grads[0]);
        }
        if (stop) {
            err_set(err, errlen, "stopped by signal %d during epoch %d", stop, epoch);
            status = -1;
            break;
        }
        train_epoch *e = &hist->epochs[hist->n++];
        e->epoch = epoch;
        e->loss = loss_sum / (double)train->n;
        e->acc = (double)correct / (double)train->n;
        e->lr = opt.lr;
        e->val_loss = e->val_acc = NAN;
        if (!isfinite(e->loss)) {
            err_set(err, errlen,
                    "the training loss is no longer finite at epoch %d "
                    "(try a smaller --lr, or standardised inputs)",
                    epoch);
            status = -1;
            break;
        }
        int action = 0;
        if (val) {
            evaluate(&t, val, o->batch, &e->val_loss, &e->val_acc);
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
    free(seeds);
    free(order);
    trainer_free(&t);
    adam_free(&opt);
    gsl_rng_free(rng);
    return status;
}

void train_history_free(train_history *h)
{
    free(h->epochs);
    memset(h, 0, sizeof *h);
}
