#include "store/store.h"

#include "base/cli.h"
#include "base/err.h"
#include "base/json.h"
#include "store/provenance.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- the schema ---- */

static const char schema_sql[] =
    "CREATE TABLE runs ("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " tool TEXT NOT NULL,"
    " started TEXT NOT NULL,"
    " finished TEXT,"
    " status TEXT NOT NULL CHECK (status IN ('running','finished','failed')),"
    " command TEXT NOT NULL,"
    " version TEXT NOT NULL,"
    " git_rev TEXT,"
    " seed INTEGER,"
    " host TEXT,"
    " pid INTEGER);\n"
    "CREATE TABLE params ("
    " run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " key TEXT NOT NULL,"
    " value TEXT NOT NULL,"
    " PRIMARY KEY (run_id, key)) WITHOUT ROWID;\n"
    "CREATE TABLE metrics ("
    " run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " key TEXT NOT NULL,"
    " step INTEGER NOT NULL DEFAULT 0,"
    " value REAL NOT NULL,"
    " PRIMARY KEY (run_id, key, step)) WITHOUT ROWID;\n"
    "CREATE TABLE models ("
    " run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,"
    " path TEXT,"
    " sha256 TEXT NOT NULL,"
    " bytes INTEGER NOT NULL);\n"
    "CREATE TABLE predictions ("
    " run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " idx INTEGER NOT NULL,"
    " key TEXT NOT NULL,"
    " label TEXT NOT NULL,"
    " pred TEXT NOT NULL,"
    " probs TEXT NOT NULL,"
    " PRIMARY KEY (run_id, idx));\n"
    "CREATE INDEX runs_tool_started ON runs(tool, started);\n"
    "CREATE INDEX runs_name ON runs(name);\n"
    /* store_open's search for stale runs reads only this small partial index. */
    "CREATE INDEX runs_running ON runs(host, pid) WHERE status = 'running';\n"
    "CREATE INDEX params_key_value ON params(key, value);\n"
    "CREATE INDEX metrics_key ON metrics(key);\n"
    /* Lineage: a model is found from its content hash (nnpredict's model_sha256). */
    "CREATE INDEX models_sha256 ON models(sha256);\n";

/* ---- types ---- */

typedef struct {
    char *key, *value;
} kv;

typedef struct {
    char *key;
    long step;
    double value;
} metric_row;

typedef struct {
    long idx;
    char *key, *label, *pred, *probs;
} prediction_row;

struct store {
    sqlite3 *db;
    char *path;
    store *next_open;
};

struct store_run {
    store *s;
    long long id;
    kv *params, *tags;
    size_t nparams, ntags, cap_params, cap_tags;
    metric_row *metrics;
    size_t nmetrics, cap_metrics;
    prediction_row *preds;
    size_t npreds, cap_preds;
    bool has_model;
    char *model_path, *model_sha256;
    long long model_bytes;
    store_run *next_live;
};

static store *open_stores;
static store_run *live_runs;
static bool atexit_registered;

static void grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return;
    size_t n = cli_grown(*cap, 16);
    while (n < need)
        n = cli_grown(n, 16);
    *p = cli_xreallocarray(*p, n, size);
    *cap = n;
}

/* 'YYYY-MM-DDTHH:MM:SS.sssZ' */
static void iso_now(char buf[32])
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(buf, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    int ms = (int)(ts.tv_nsec / 1000000) % 1000;
    snprintf(buf + n, 32 - n, ".%03dZ", ms);
}

/* ---- small SQL helpers: every value goes through a bound parameter ---- */

static int exec_sql(sqlite3 *db, const char *sql, char *err, size_t errlen)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        err_set(err, errlen, "%s", msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

static sqlite3_stmt *prepare(sqlite3 *db, const char *sql, char *err, size_t errlen)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        err_set(err, errlen, "%s", sqlite3_errmsg(db));
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

static int pragma_int(sqlite3 *db, const char *sql, long long *out, char *err, size_t errlen)
{
    sqlite3_stmt *st = prepare(db, sql, err, errlen);
    if (!st)
        return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    else if (rc != SQLITE_DONE) {
        err_set(err, errlen, "%s", sqlite3_errmsg(db));
        sqlite3_finalize(st);
        return -1;
    }
    sqlite3_finalize(st);
    return 0;
}

static void hostname(char *buf, size_t len)
{
    if (gethostname(buf, len) != 0)
        snprintf(buf, len, "unknown");
    buf[len - 1] = '\0';
}

/* ---- opening ---- */

static void close_all_at_exit(void);

static int create_or_check_schema(sqlite3 *db, char *err, size_t errlen)
{
    long long version = 0;
    if (pragma_int(db, "PRAGMA user_version", &version, err, errlen))
        return -1;
    if (version == STORE_SCHEMA_VERSION)
        return 0;
    if (version > STORE_SCHEMA_VERSION) {
        err_set(
            err, errlen,
            "the store has schema version %lld, newer than this sentio's %d: use a newer sentio",
            version, STORE_SCHEMA_VERSION);
        return -1;
    }
    /* Version 0: a new file, or one another process is creating right now. */
    if (exec_sql(db, "BEGIN IMMEDIATE", err, errlen))
        return -1;
    long long tables = 0;
    if (pragma_int(db, "PRAGMA user_version", &version, err, errlen) ||
        pragma_int(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'", &tables, err,
                   errlen))
        goto fail;
    if (version == 0 && tables > 0) {
        err_set(err, errlen,
                "a SQLite database, but not a sentio store (it has tables and no sentio schema)");
        goto fail;
    }
    if (version == 0) {
        char set[64];
        snprintf(set, sizeof set, "PRAGMA user_version = %d", STORE_SCHEMA_VERSION);
        if (exec_sql(db, schema_sql, err, errlen) || exec_sql(db, set, err, errlen))
            goto fail;
    }
    if (exec_sql(db, "COMMIT", err, errlen))
        goto fail;
    return 0;
fail:
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

/* Runs of this host still 'running' whose process no longer exists died
 * without exiting (killed, crashed): nobody else will ever finish them. */
static int fail_stale_runs(sqlite3 *db, char *err, size_t errlen)
{
    char host[256];
    hostname(host, sizeof host);
    sqlite3_stmt *st = prepare(
        db, "SELECT id, pid FROM runs WHERE status = 'running' AND host = ?1 AND pid IS NOT NULL",
        err, errlen);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, host, -1, SQLITE_TRANSIENT);
    long long *stale = NULL;
    size_t n = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long long pid = sqlite3_column_int64(st, 1);
        if (pid <= 0 || pid > INT_MAX || pid == (long long)getpid())
            continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        grow((void **)&stale, &cap, n + 1, sizeof *stale);
        stale[n++] = sqlite3_column_int64(st, 0);
    }
    if (rc != SQLITE_DONE)
        err_set(err, errlen, "%s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE || n == 0) {
        free(stale);
        return rc == SQLITE_DONE ? 0 : -1;
    }
    int status = -1;
    char now[32];
    iso_now(now);
    st = prepare(
        db, "UPDATE runs SET status = 'failed', finished = ?1 WHERE id = ?2 AND status = 'running'",
        err, errlen);
    if (st && exec_sql(db, "BEGIN IMMEDIATE", err, errlen) == 0) {
        status = 0;
        for (size_t i = 0; i < n && status == 0; i++) {
            sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(st, 2, stale[i]);
            if (sqlite3_step(st) != SQLITE_DONE) {
                err_set(err, errlen, "%s", sqlite3_errmsg(db));
                status = -1;
            }
            sqlite3_reset(st);
        }
        if (status == 0 && exec_sql(db, "COMMIT", err, errlen))
            status = -1;
        if (status != 0)
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    }
    sqlite3_finalize(st);
    free(stale);
    return status;
}

/* journal_mode=WAL lets readers and one writer work at once, and persists in
 * the file. Switching a new file to WAL needs an exclusive lock that SQLite
 * does not wait for with the busy handler, so several tools creating the same
 * store at once (make -j) retry here for up to the busy timeout. This is also
 * the first statement, where a file that is not a database fails. */
static int set_wal(sqlite3 *db, char *err, size_t errlen)
{
    for (int waited_ms = 0;; waited_ms += 5) {
        int rc = sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            return 0;
        if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED) {
            err_set(err, errlen, "%s", sqlite3_errmsg(db));
            return -1;
        }
        if (waited_ms >= STORE_BUSY_TIMEOUT_MS) {
            err_set(err, errlen, "%s (gave up after %d s)", sqlite3_errmsg(db),
                    STORE_BUSY_TIMEOUT_MS / 1000);
            return -1;
        }
        nanosleep(&(struct timespec){0, 5 * 1000 * 1000}, NULL);
    }
}

store *store_open(const char *path, char *err, size_t errlen)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        err_set(err, errlen, "cannot open the store: %s",
                db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, STORE_BUSY_TIMEOUT_MS);
    sqlite3_extended_result_codes(db, 1);
    if (set_wal(db, err, errlen) || exec_sql(db, "PRAGMA foreign_keys = ON", err, errlen) ||
        create_or_check_schema(db, err, errlen) || fail_stale_runs(db, err, errlen)) {
        sqlite3_close(db);
        return NULL;
    }
    store *s = cli_xcalloc(1, sizeof *s);
    s->db = db;
    s->path = cli_xstrdup(path);
    s->next_open = open_stores;
    open_stores = s;
    if (!atexit_registered) {
        atexit(close_all_at_exit);
        atexit_registered = true;
    }
    return s;
}

/* ---- runs ---- */

static void free_run(store_run *r)
{
    for (store_run **p = &live_runs; *p; p = &(*p)->next_live)
        if (*p == r) {
            *p = r->next_live;
            break;
        }
    for (size_t i = 0; i < r->nparams; i++) {
        free(r->params[i].key);
        free(r->params[i].value);
    }
    for (size_t i = 0; i < r->ntags; i++) {
        free(r->tags[i].key);
        free(r->tags[i].value);
    }
    for (size_t i = 0; i < r->nmetrics; i++)
        free(r->metrics[i].key);
    for (size_t i = 0; i < r->npreds; i++) {
        free(r->preds[i].key);
        free(r->preds[i].label);
        free(r->preds[i].pred);
        free(r->preds[i].probs);
    }
    free(r->params);
    free(r->tags);
    free(r->metrics);
    free(r->preds);
    free(r->model_path);
    free(r->model_sha256);
    free(r);
}

static int mark_failed(store_run *r)
{
    char now[32];
    iso_now(now);
    sqlite3_stmt *st = prepare(
        r->s->db,
        "UPDATE runs SET status = 'failed', finished = ?1 WHERE id = ?2 AND status = 'running'",
        NULL, 0);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, r->id);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

void store_run_fail(store_run *run)
{
    if (!run)
        return;
    if (mark_failed(run) != 0)
        cli_warn(run->s->path, "could not mark run %lld as failed: %s", run->id,
                 sqlite3_errmsg(run->s->db));
    free_run(run);
}

void store_close(store *s)
{
    if (!s)
        return;
    for (store_run *r = live_runs, *next; r; r = next) {
        next = r->next_live;
        if (r->s == s)
            store_run_fail(r);
    }
    for (store **p = &open_stores; *p; p = &(*p)->next_open)
        if (*p == s) {
            *p = s->next_open;
            break;
        }
    sqlite3_close(s->db);
    free(s->path);
    free(s);
}

/* A tool that exits before finishing its run leaves it 'failed', never 'running'. */
static void close_all_at_exit(void)
{
    while (open_stores)
        store_close(open_stores);
}

store_run *store_run_begin(store *s, const char *tool, const char *name, int argc, char **argv,
                           long seed, char *err, size_t errlen)
{
    char now[32], host[256];
    iso_now(now);
    hostname(host, sizeof host);
    char *command = provenance_command_line(argc, argv);
    char *rev = provenance_git_revision(argc > 0 ? argv[0] : NULL);
    sqlite3_stmt *st = prepare(
        s->db,
        "INSERT INTO runs (name, tool, started, status, command, version, git_rev, seed, host, pid)"
        " VALUES (?1, ?2, ?3, 'running', ?4, ?5, ?6, ?7, ?8, ?9)",
        err, errlen);
    store_run *r = NULL;
    if (st) {
        sqlite3_bind_text(st, 1, name ? name : tool, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, tool, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, now, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 4, command, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 5, SENTIO_VERSION, -1, SQLITE_STATIC);
        if (rev)
            sqlite3_bind_text(st, 6, rev, -1, SQLITE_TRANSIENT);
        else
            sqlite3_bind_null(st, 6);
        if (seed == STORE_NO_SEED)
            sqlite3_bind_null(st, 7);
        else
            sqlite3_bind_int64(st, 7, seed);
        sqlite3_bind_text(st, 8, host, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 9, (long long)getpid());
        if (sqlite3_step(st) == SQLITE_DONE) {
            r = cli_xcalloc(1, sizeof *r);
            r->s = s;
            r->id = sqlite3_last_insert_rowid(s->db);
            r->next_live = live_runs;
            live_runs = r;
        } else
            err_set(err, errlen, "cannot record the run: %s", sqlite3_errmsg(s->db));
        sqlite3_finalize(st);
    }
    free(command);
    free(rev);
    return r;
}

long long store_run_id(const store_run *run) { return run ? run->id : 0; }

/* ---- buffered rows ---- */

static void set_kv(kv **rows, size_t *n, size_t *cap, const char *key, const char *value)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*rows)[i].key, key) == 0) {
            free((*rows)[i].value);
            (*rows)[i].value = cli_xstrdup(value);
            return;
        }
    grow((void **)rows, cap, *n + 1, sizeof **rows);
    (*rows)[*n].key = cli_xstrdup(key);
    (*rows)[*n].value = cli_xstrdup(value);
    ++*n;
}

void store_param(store_run *run, const char *key, const char *value)
{
    if (run)
        set_kv(&run->params, &run->nparams, &run->cap_params, key, value ? value : "");
}

void store_paramf(store_run *run, const char *key, const char *fmt, ...)
{
    /* !fmt: gcc -fsanitize=undefined otherwise warns of a null format below. */
    if (!run || !fmt)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *v = cli_xmalloc((size_t)(n > 0 ? n : 0) + 1);
    va_start(ap, fmt);
    vsnprintf(v, (size_t)(n > 0 ? n : 0) + 1, fmt, ap);
    va_end(ap);
    store_param(run, key, v);
    free(v);
}

void store_tag(store_run *run, const char *key, const char *value)
{
    if (run)
        set_kv(&run->tags, &run->ntags, &run->cap_tags, key, value ? value : "");
}

void store_param_sha256(store_run *run, const char *key, const sha256_ctx *ctx)
{
    if (!run)
        return;
    sha256_ctx copy = *ctx;
    unsigned char d[32];
    char hex[65];
    sha256_final(&copy, d);
    sha256_hex(d, hex);
    store_param(run, key, hex);
}

void store_metric(store_run *run, const char *key, long step, double value)
{
    if (!run)
        return;
    if (isnan(value)) {
        cli_warn(run->s->path, "metric %s (step %ld) is NaN: not recorded", key, step);
        return;
    }
    grow((void **)&run->metrics, &run->cap_metrics, run->nmetrics + 1, sizeof *run->metrics);
    run->metrics[run->nmetrics++] = (metric_row){cli_xstrdup(key), step, value};
}

void store_model(store_run *run, const char *path, const char *sha256_hex, long long bytes)
{
    if (!run)
        return;
    free(run->model_path);
    free(run->model_sha256);
    run->model_path = path ? cli_xstrdup(path) : NULL;
    run->model_sha256 = cli_xstrdup(sha256_hex);
    run->model_bytes = bytes;
    run->has_model = true;
}

void store_prediction(store_run *run, long idx, const char *key, const char *label,
                      const char *pred, const char *probs_json)
{
    if (!run)
        return;
    grow((void **)&run->preds, &run->cap_preds, run->npreds + 1, sizeof *run->preds);
    run->preds[run->npreds++] =
        (prediction_row){idx, cli_xstrdup(key), cli_xstrdup(label ? label : ""), cli_xstrdup(pred),
                         cli_xstrdup(probs_json)};
}

/* ---- finishing: one transaction ---- */

static int step_done(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static int write_rows(store_run *r, char *err, size_t errlen)
{
    sqlite3 *db = r->s->db;
    sqlite3_stmt *param = NULL, *tag = NULL, *metric = NULL, *model = NULL, *pred = NULL,
                 *fin = NULL;
    int status = -1;
    if (!(param =
              prepare(db, "INSERT OR REPLACE INTO params (run_id, key, value) VALUES (?1, ?2, ?3)",
                      err, errlen)) ||
        !(tag = prepare(db, "INSERT OR IGNORE INTO params (run_id, key, value) VALUES (?1, ?2, ?3)",
                        err, errlen)) ||
        !(metric = prepare(
              db,
              "INSERT OR REPLACE INTO metrics (run_id, key, step, value) VALUES (?1, ?2, ?3, ?4)",
              err, errlen)) ||
        !(model = prepare(
              db,
              "INSERT OR REPLACE INTO models (run_id, path, sha256, bytes) VALUES (?1, ?2, ?3, ?4)",
              err, errlen)) ||
        !(pred = prepare(db,
                         "INSERT OR REPLACE INTO predictions (run_id, idx, key, label, pred, probs)"
                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                         err, errlen)) ||
        !(fin = prepare(
              db,
              "UPDATE runs SET status = 'finished', finished = ?1 WHERE id = ?2 AND status = 'running'",
              err, errlen)))
        goto done;
    for (size_t i = 0; i < r->nparams; i++) {
        sqlite3_bind_int64(param, 1, r->id);
        sqlite3_bind_text(param, 2, r->params[i].key, -1, SQLITE_STATIC);
        sqlite3_bind_text(param, 3, r->params[i].value, -1, SQLITE_STATIC);
        if (step_done(param))
            goto sqlerr;
    }
    for (size_t i = 0; i < r->ntags; i++) {
        sqlite3_bind_int64(tag, 1, r->id);
        sqlite3_bind_text(tag, 2, r->tags[i].key, -1, SQLITE_STATIC);
        sqlite3_bind_text(tag, 3, r->tags[i].value, -1, SQLITE_STATIC);
        if (step_done(tag))
            goto sqlerr;
        if (sqlite3_changes(db) == 0)
            cli_warn(r->s->path, "tag '%s' not recorded: the tool records a parameter of that name",
                     r->tags[i].key);
    }
    for (size_t i = 0; i < r->nmetrics; i++) {
        sqlite3_bind_int64(metric, 1, r->id);
        sqlite3_bind_text(metric, 2, r->metrics[i].key, -1, SQLITE_STATIC);
        sqlite3_bind_int64(metric, 3, r->metrics[i].step);
        sqlite3_bind_double(metric, 4, r->metrics[i].value);
        if (step_done(metric))
            goto sqlerr;
    }
    if (r->has_model) {
        sqlite3_bind_int64(model, 1, r->id);
        if (r->model_path)
            sqlite3_bind_text(model, 2, r->model_path, -1, SQLITE_STATIC);
        sqlite3_bind_text(model, 3, r->model_sha256, -1, SQLITE_STATIC);
        sqlite3_bind_int64(model, 4, r->model_bytes);
        if (step_done(model))
            goto sqlerr;
    }
    for (size_t i = 0; i < r->npreds; i++) {
        prediction_row *p = &r->preds[i];
        sqlite3_bind_int64(pred, 1, r->id);
        sqlite3_bind_int64(pred, 2, p->idx);
        sqlite3_bind_text(pred, 3, p->key, -1, SQLITE_STATIC);
        sqlite3_bind_text(pred, 4, p->label, -1, SQLITE_STATIC);
        sqlite3_bind_text(pred, 5, p->pred, -1, SQLITE_STATIC);
        sqlite3_bind_text(pred, 6, p->probs, -1, SQLITE_STATIC);
        if (step_done(pred))
            goto sqlerr;
    }
    char now[32];
    iso_now(now);
    sqlite3_bind_text(fin, 1, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(fin, 2, r->id);
    if (step_done(fin))
        goto sqlerr;
    if (sqlite3_changes(db) != 1) {
        err_set(err, errlen, "run %lld is no longer 'running' (marked failed by another process?)",
                r->id);
        goto done;
    }
    status = 0;
    goto done;
sqlerr:
    err_set(err, errlen, "%s", sqlite3_errmsg(db));
done:
    sqlite3_finalize(param);
    sqlite3_finalize(tag);
    sqlite3_finalize(metric);
    sqlite3_finalize(model);
    sqlite3_finalize(pred);
    sqlite3_finalize(fin);
    return status;
}

int store_run_finish(store_run *run, char *err, size_t errlen)
{
    if (!run)
        return 0;
    sqlite3 *db = run->s->db;
    char msg[SENTIO_ERR_LEN];
    int status = exec_sql(db, "BEGIN IMMEDIATE", msg, sizeof msg);
    if (status == 0) {
        status = write_rows(run, msg, sizeof msg);
        if (status == 0)
            status = exec_sql(db, "COMMIT", msg, sizeof msg);
        if (status != 0)
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    }
    if (status != 0) {
        err_set(err, errlen, "cannot record run %lld: %s", run->id, msg);
        store_run_fail(run);
        return -1;
    }
    free_run(run);
    return 0;
}

/* ---- formatting and hashing helpers ---- */

char *store_probs_json(size_t n, char *const *classes, const double *probs)
{
    char *out = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&out, &len);
    if (!fp)
        cli_fail(NULL, "out of memory");
    fputc('{', fp);
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputc(',', fp);
        json_write_string(fp, classes[i]);
        fputc(':', fp);
        json_write_double(fp, probs[i]);
    }
    fputc('}', fp);
    if (fclose(fp) != 0)
        cli_fail(NULL, "out of memory");
    return out;
}

int store_file_sha256(const char *path, char hex[65], char *err, size_t errlen)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        err_set(err, errlen, "%s", strerror(errno));
        return -1;
    }
    sha256_ctx c;
    sha256_init(&c);
    unsigned char buf[65536];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, fp)) > 0)
        sha256_update(&c, buf, got);
    int bad = ferror(fp);
    int e = errno;
    fclose(fp);
    if (bad) {
        err_set(err, errlen, "%s", strerror(e));
        return -1;
    }
    unsigned char d[32];
    sha256_final(&c, d);
    sha256_hex(d, hex);
    return 0;
}
