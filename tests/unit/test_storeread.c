/* Reading the experiment store (store/storeread): a store written with
 * store/store in a temporary directory, then runs found by id, by name (the
 * latest finished one with what is asked for), by parameters, and their
 * per-epoch metrics; the errors for what is not there. */
#include "base/err.h"
#include "store/store.h"
#include "store/storeread.h"
#include "unit.h"

#include <stdlib.h>
#include <unistd.h>

static char dir[] = "/tmp/sentio-storeread-XXXXXX";
static char dbpath[300];

/* A finished nnfit run named NAME with EPOCHS epochs (loss, val_acc; no lr) and
 * a parameter arch=ARCH. Returns its id. */
static long long add_run(store *s, const char *name, const char *arch, int epochs)
{
    char err[SENTIO_ERR_LEN];
    char *argv[] = {"nnfit", NULL};
    store_run *run = store_run_begin(s, "nnfit", name, 1, argv, 42, err, sizeof err);
    if (!run)
        return -1;
    store_param(run, "arch", arch);
    for (int e = 1; e <= epochs; e++) {
        store_metric(run, "loss", e, 1.0 / e);
        store_metric(run, "val_acc", e, 0.5 + 0.1 * e);
    }
    long long id = store_run_id(run);
    return store_run_finish(run, err, sizeof err) == 0 ? id : -1;
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    snprintf(dbpath, sizeof dbpath, "%s/t.db", dir);
    setenv("SENTIO_GIT_REV", "abc123", 1);
    char err[SENTIO_ERR_LEN];

    CHECK(storeread_open(dbpath, err, sizeof err) == NULL && strstr(err, "No such file"),
          "a missing store: the system's message");

    store *s = store_open(dbpath, err, sizeof err);
    long long first = add_run(s, "ANN", "ann", 3);
    long long second = add_run(s, "ANN", "cnn", 2);
    long long bare = add_run(s, "bare", "ann", 0);
    long long odd = add_run(s, "two\nlines\tand a tab", "ann", 1);
    store_close(s);
    CHECK(first > 0 && second > first && bare > second, "three finished runs written");

    sqlite3 *db = storeread_open(dbpath, err, sizeof err);
    CHECK(db != NULL, "the store opens read-only");
    long long id = 0;
    char spec[32];
    snprintf(spec, sizeof spec, "%lld", first);
    CHECK(storeread_find_run(db, spec, STOREREAD_EPOCHS, NULL, 0, &id, err, sizeof err) == 0 &&
              id == first,
          "a run by id");
    CHECK(storeread_find_run(db, "ANN", STOREREAD_EPOCHS, NULL, 0, &id, err, sizeof err) == 0 &&
              id == second,
          "a name means the latest finished run of that name");
    char *where[] = {"arch=ann"};
    CHECK(storeread_find_run(db, "ANN", STOREREAD_EPOCHS, where, 1, &id, err, sizeof err) == 0 &&
              id == first,
          "KEY=VALUE conditions on the parameters pick the earlier run");
    CHECK(storeread_find_run(db, "bare", STOREREAD_EPOCHS, NULL, 0, &id, err, sizeof err) == -1 &&
              strcmp(err, "no finished run named 'bare' with per-epoch metrics") == 0,
          "a run without epochs is not found for curves");
    CHECK(storeread_find_run(db, "ANN", STOREREAD_PREDICTIONS, NULL, 0, &id, err, sizeof err) ==
                  -1 &&
              strstr(err, "with predictions"),
          "nor a run without predictions for a confusion matrix");
    CHECK(storeread_find_run(db, "999", STOREREAD_EPOCHS, NULL, 0, &id, err, sizeof err) == -1 &&
              strcmp(err, "no run with id 999") == 0,
          "an unknown id");
    char *bad[] = {"=x"};
    CHECK(storeread_find_run(db, "ANN", STOREREAD_EPOCHS, bad, 1, &id, err, sizeof err) == -1 &&
              strstr(err, "is not KEY=VALUE"),
          "a condition without a key is refused");

    storeread_epoch *rows = NULL;
    size_t n = 0;
    CHECK(storeread_epochs(db, first, &rows, &n, err, sizeof err) == 0 && n == 3, "three epochs");
    int ok = n == 3;
    for (size_t e = 0; e < n && ok; e++)
        ok = rows[e].epoch == (long long)e + 1 && rows[e].loss == 1.0 / (double)(e + 1) &&
             rows[e].val_acc == 0.5 + 0.1 * (double)(e + 1) && isnan(rows[e].acc) &&
             isnan(rows[e].val_loss) && isnan(rows[e].lr);
    CHECK(ok, "epochs in order, the recorded values exact, NaN for metrics not recorded");
    free(rows);
    CHECK(storeread_epochs(db, bare, &rows, &n, err, sizeof err) == -1 &&
              strstr(err, "has no per-epoch metrics"),
          "no epochs: an error");

    char desc[256];
    storeread_describe_run(db, first, desc, sizeof desc);
    char want[64];
    snprintf(want, sizeof want, "run %lld 'ANN' (nnfit, finished ", first);
    CHECK(strncmp(desc, want, strlen(want)) == 0, "a run described by id, name, tool and status");
    /* Found by fuzz_store: a line break in a stored name split plotdata's '#' header line. */
    storeread_describe_run(db, odd, desc, sizeof desc);
    snprintf(want, sizeof want, "run %lld 'two lines and a tab' (nnfit, ", odd);
    CHECK(strncmp(desc, want, strlen(want)) == 0 && !strpbrk(desc, "\n\t\r"),
          "a description is one line: control characters in the store become spaces");
    storeread_close(db);

    FILE *fp = fopen(dbpath, "w");
    fputs("not a database at all, just text that is long enough to look like a header\n", fp);
    fclose(fp);
    CHECK(storeread_open(dbpath, err, sizeof err) == NULL &&
              strstr(err, "not a readable SQLite database"),
          "a file that is not SQLite is refused");

    unlink(dbpath);
    char side[320];
    snprintf(side, sizeof side, "%s-wal", dbpath);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", dbpath);
    unlink(side);
    rmdir(dir);
    return unit_done();
}
