/* store.h - the experiment store (man 5 sentio-store): every run of a recording
 * tool becomes rows of a SQLite database, modelled on MLflow's tables.
 *
 * Lifecycle: store_run_begin inserts the run with status 'running' and commits
 * at once, so it is visible while the tool works. Parameters, metrics, the model
 * and predictions are buffered in memory and written by store_run_finish in ONE
 * transaction together with status 'finished'. A run neither finished nor failed
 * when the process exits (cli_fail, exit(1), return from main) is marked 'failed'
 * by an atexit handler (a tool that defers stop signals marks it too: storecli.h);
 * a run whose process died without exiting (SIGKILL, a crash) is marked 'failed'
 * by the next store_open on the same host. Readers
 * never see half a run.
 *
 * Concurrency: WAL mode, a 10 s busy timeout and BEGIN IMMEDIATE, so any number
 * of tools (make -j) may record into one file. Use a store from one thread.
 *
 * Every recording function accepts run == NULL and then does nothing, so a tool
 * records unconditionally and only --db decides whether anything is written. */
#ifndef SENTIO_STORE_H
#define SENTIO_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/sha256.h"

#define STORE_SCHEMA_VERSION 1 /* PRAGMA user_version of the schema this code writes */
#define STORE_NO_SEED (-1L)    /* store_run_begin's seed when the tool has none */
#define STORE_BUSY_TIMEOUT_MS 10000

typedef struct store store;
typedef struct store_run store_run;

/* Opens PATH, creating the file and the schema when absent. Refuses a file that
 * is not a SQLite database, a database with foreign tables and no sentio
 * schema, and a schema newer than STORE_SCHEMA_VERSION. Marks 'running' runs of
 * this host whose process is gone as 'failed'. Returns NULL with err set (the
 * message does not repeat PATH). */
store *store_open(const char *path, char *err, size_t errlen);
/* Closes the store; any run of it still open is marked 'failed' first. NULL is fine. */
void store_close(store *s);

/* Inserts and commits the run row: status 'running', started now (UTC ISO-8601
 * with milliseconds), the command line (shell-quoted argv), SENTIO_VERSION, the
 * git revision (see below), host, pid, and seed (NULL when STORE_NO_SEED).
 * name NULL means the tool's name. Returns NULL with err set.
 * The command line and git revision are provenance.h's. */
store_run *store_run_begin(store *s, const char *tool, const char *name, int argc, char **argv,
                           long seed, char *err, size_t errlen);
/* The run's id (runs.id), 0 for NULL. */
long long store_run_id(const store_run *run);

/* Buffered until store_run_finish. Setting a key (or key+step, or idx) again
 * replaces the earlier value. */
void store_param(store_run *run, const char *key, const char *value);
void store_paramf(store_run *run, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A --tag pair: recorded in params too, but never over a parameter the tool
 * records itself under the same key (the tag is then dropped with a warning). */
void store_tag(store_run *run, const char *key, const char *value);
/* Records the lower-case hex digest of the bytes hashed so far (ctx is not changed). */
void store_param_sha256(store_run *run, const char *key, const sha256_ctx *ctx);
/* step: 0 for a summary figure, the 1-based epoch for per-epoch figures. A NaN
 * cannot be stored (SQL NULL): it is dropped with a warning. */
void store_metric(store_run *run, const char *key, long step, double value);
/* The model file the run wrote: path, hex SHA-256 of its bytes, its size. */
void store_model(store_run *run, const char *path, const char *sha256_hex, long long bytes);
/* One prediction: idx is the 0-based record number; probs_json a JSON object
 * {"CLASS":p,...} (store_probs_json builds one). */
void store_prediction(store_run *run, long idx, const char *key, const char *label,
                      const char *pred, const char *probs_json);

/* Writes everything buffered and sets status 'finished' in one transaction,
 * then frees the run. Returns 0, or -1 with err set; on failure nothing of the
 * run's buffered rows is written and the run is marked 'failed'. */
int store_run_finish(store_run *run, char *err, size_t errlen);
/* Marks the run 'failed' (its buffered rows are discarded) and frees it. NULL is fine. */
void store_run_fail(store_run *run);

/* {"A":0.1,"B":0.9} from n class names and probabilities (json.h's shortest
 * round-trip numbers, escaped names). Returns a malloc'ed string. */
char *store_probs_json(size_t n, char *const *classes, const double *probs);
/* Hex SHA-256 of a file's bytes (e.g. a tool's -o output after outfile_commit).
 * Returns 0, or -1 with err set to strerror. */
int store_file_sha256(const char *path, char hex[65], char *err, size_t errlen);

#endif
