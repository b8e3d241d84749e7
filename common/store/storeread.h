/* storeread.h - read-only queries on the experiment store (man 5 sentio-store) for
 * the figures: find a run, its per-epoch metrics, its predictions. The store is
 * opened read-only, so plotting never changes it and may run while it is written. */
#ifndef SENTIO_STOREREAD_H
#define SENTIO_STOREREAD_H

#include <sqlite3.h>
#include <stddef.h>

/* What a run must have recorded to be chosen by name. */
typedef enum { STOREREAD_EPOCHS, STOREREAD_PREDICTIONS } storeread_need;

/* Opens PATH read-only and checks it is a sentio store. NULL with err set on failure. */
sqlite3 *storeread_open(const char *path, char *err, size_t errlen);
void storeread_close(sqlite3 *db);

/* SPEC is a run id (digits) or a run name, meaning the latest finished run of that
 * name (by start time, then id) that has what NEED asks for. where[0..nwhere-1] are
 * "KEY=VALUE" pairs the run's params must all include (e.g. its --tag pairs).
 * Returns 0 with *run_id set, or -1 with err set. */
int storeread_find_run(sqlite3 *db, const char *spec, storeread_need need, char *const *where,
                       size_t nwhere, long long *run_id, char *err, size_t errlen);

/* "run 12 'ANN' (nnfit, finished 2024-05-01T10:00:00.000Z)" into buf. */
void storeread_describe_run(sqlite3 *db, long long run_id, char *buf, size_t len);

/* One epoch of a training run; NAN for a metric it did not record. */
typedef struct {
    long long epoch;
    double loss, acc, val_loss, val_acc, lr;
} storeread_epoch;

/* The per-epoch metrics (step >= 1) of RUN in epoch order; *rows is malloc'd.
 * -1 with err set when there are none. */
int storeread_epochs(sqlite3 *db, long long run_id, storeread_epoch **rows, size_t *n, char *err,
                     size_t errlen);

#endif
