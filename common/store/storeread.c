#include "store/storeread.h"

#include "base/err.h"
#include "base/xalloc.h"
#include "store/store.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int db_error(sqlite3 *db, const char *what, char *err, size_t errlen)
{
    return err_set(err, errlen, "%s: %s", what, sqlite3_errmsg(db));
}

/* "file:PATH?immutable=1" with PATH's URI-special characters escaped. */
static char *immutable_uri(const char *path)
{
    size_t n = strlen(path);
    char *uri = cli_xmalloc(3 * n + 32), *o = uri;
    o += sprintf(o, "file:");
    for (const unsigned char *c = (const unsigned char *)path; *c; c++)
        if (*c == '%' || *c == '?' || *c == '#' || *c < 0x20)
            o += sprintf(o, "%%%02X", *c);
        else
            *o++ = (char)*c;
    memcpy(o, "?immutable=1", sizeof "?immutable=1");
    return uri;
}

/* Opens the store read-only and checks it holds the sentio tables. Returns
 * SQLITE_OK, or an SQLite error code with err set. */
static int open_checked(const char *name, int flags, sqlite3 **out, char *err, size_t errlen)
{
    sqlite3 *db = NULL;
    *out = NULL;
    int rc = sqlite3_open_v2(name, &db, flags, NULL);
    if (rc != SQLITE_OK) {
        db_error(db, "cannot open", err, errlen);
        sqlite3_close(db);
        return rc;
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, STORE_BUSY_TIMEOUT_MS);
    sqlite3_stmt *st_tables = NULL;
    const char *sql = "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN "
                      "('runs', 'metrics', 'predictions')";
    rc = sqlite3_prepare_v2(db, sql, -1, &st_tables, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st_tables)) == SQLITE_ROW)
        rc = SQLITE_OK;
    if (rc != SQLITE_OK) {
        db_error(db, "not a readable SQLite database", err, errlen);
        sqlite3_finalize(st_tables);
        sqlite3_close(db);
        return rc;
    }
    int tables = sqlite3_column_int(st_tables, 0);
    sqlite3_finalize(st_tables);
    if (tables != 3) {
        err_set(err, errlen,
                "not a sentio experiment store (no runs, metrics and predictions tables)");
        sqlite3_close(db);
        return SQLITE_NOTADB;
    }
    *out = db;
    return SQLITE_OK;
}

sqlite3 *storeread_open(const char *path, char *err, size_t errlen)
{
    struct stat st;
    /* SQLite's own message for a missing file ("unable to open database file") says less. */
    if (stat(path, &st) != 0) {
        err_set(err, errlen, "%s", strerror(errno));
        return NULL;
    }
    sqlite3 *db;
    int rc = open_checked(path, SQLITE_OPEN_READONLY, &db, err, errlen);
    /* A WAL store needs its -shm file even to be read; in a directory this
     * process cannot write (a shared, read-only results folder) that fails.
     * Nobody can be writing the store there, so read it as an immutable file. */
    int primary = rc & 0xff;
    if ((primary == SQLITE_READONLY || primary == SQLITE_CANTOPEN) && !db) {
        char *slash = strrchr(path, '/');
        char *dir = slash ? cli_xstrdup(path) : cli_xstrdup(".");
        if (slash)
            dir[slash - path + (slash == path)] = '\0';
        bool dir_readonly = access(dir, W_OK) != 0;
        free(dir);
        if (dir_readonly) {
            char *uri = immutable_uri(path);
            char err2[256];
            if (open_checked(uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, &db, err2, sizeof err2) !=
                SQLITE_OK)
                db = NULL;
            free(uri);
        }
    }
    return db;
}

void storeread_close(sqlite3 *db) { sqlite3_close(db); }

static const char *need_condition(storeread_need need)
{
    return need == STOREREAD_EPOCHS
               ? "EXISTS (SELECT 1 FROM metrics m WHERE m.run_id = r.id AND m.step >= 1 AND "
                 "m.key IN ('loss', 'acc', 'val_loss', 'val_acc', 'lr'))"
               : "EXISTS (SELECT 1 FROM predictions p WHERE p.run_id = r.id)";
}

static const char *need_text(storeread_need need)
{
    return need == STOREREAD_EPOCHS ? "per-epoch metrics" : "predictions";
}

static int all_digits(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

#define STOREREAD_MAX_WHERE 32

int storeread_find_run(sqlite3 *db, const char *spec, storeread_need need, char *const *where,
                       size_t nwhere, long long *run_id, char *err, size_t errlen)
{
    if (nwhere > STOREREAD_MAX_WHERE) {
        err_set(err, errlen, "more than %d parameter conditions", STOREREAD_MAX_WHERE);
        return -1;
    }
    for (size_t i = 0; i < nwhere; i++)
        if (!strchr(where[i], '=') || where[i][0] == '=') {
            err_set(err, errlen, "'%s' is not KEY=VALUE", where[i]);
            return -1;
        }
    /* Parameters ?2, ?3 ... are the KEY, VALUE pairs of where. */
    char filter[STOREREAD_MAX_WHERE * 128 + 1] = "";
    size_t used = 0;
    for (size_t i = 0; i < nwhere; i++)
        used += (size_t)snprintf(filter + used, sizeof filter - used,
                                 " AND EXISTS (SELECT 1 FROM params q WHERE q.run_id = r.id AND "
                                 "q.key = ?%zu AND q.value = ?%zu)",
                                 2 + 2 * i, 3 + 2 * i);
    char sql[sizeof filter + 512];
    int by_id = all_digits(spec) && strlen(spec) <= 18;
    if (by_id)
        snprintf(sql, sizeof sql, "SELECT r.id, %s FROM runs r WHERE r.id = ?1%s",
                 need_condition(need), filter);
    else
        snprintf(sql, sizeof sql,
                 "SELECT r.id, 1 FROM runs r WHERE r.name = ?1 AND r.status = 'finished' AND %s%s "
                 "ORDER BY r.started DESC, r.id DESC LIMIT 1",
                 need_condition(need), filter);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return err_set(err, errlen, "cannot query runs: %s", sqlite3_errmsg(db));
    if (by_id)
        sqlite3_bind_int64(st, 1, strtoll(spec, NULL, 10));
    else
        sqlite3_bind_text(st, 1, spec, -1, SQLITE_TRANSIENT);
    for (size_t i = 0; i < nwhere; i++) {
        const char *eq = strchr(where[i], '=');
        sqlite3_bind_text(st, (int)(2 + 2 * i), where[i], (int)(eq - where[i]), SQLITE_TRANSIENT);
        sqlite3_bind_text(st, (int)(3 + 2 * i), eq + 1, -1, SQLITE_TRANSIENT);
    }
    int rc = sqlite3_step(st);
    int status = -1;
    const char *matching = nwhere ? " and the given parameters" : "";
    if (rc == SQLITE_ROW) {
        *run_id = sqlite3_column_int64(st, 0);
        if (sqlite3_column_int(st, 1)) {
            status = 0;
        } else {
            char what[256];
            storeread_describe_run(db, *run_id, what, sizeof what);
            err_set(err, errlen, "%s has no %s", what, need_text(need));
        }
    } else if (rc == SQLITE_DONE) {
        if (by_id)
            err_set(err, errlen, "no run with id %s%s", spec, matching);
        else
            err_set(err, errlen, "no finished run named '%s' with %s%s", spec, need_text(need),
                    matching);
    } else {
        err_set(err, errlen, "cannot query runs: %s", sqlite3_errmsg(db));
    }
    sqlite3_finalize(st);
    return status;
}

void storeread_describe_run(sqlite3 *db, long long run_id, char *buf, size_t len)
{
    sqlite3_stmt *st = NULL;
    snprintf(buf, len, "run %lld", run_id);
    if (sqlite3_prepare_v2(
            db, "SELECT name, tool, status, coalesce(finished, started) FROM runs WHERE id = ?1",
            -1, &st, NULL) != SQLITE_OK)
        return;
    sqlite3_bind_int64(st, 1, run_id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *col[4];
        for (int i = 0; i < 4; i++) {
            col[i] = (const char *)sqlite3_column_text(st, i);
            if (!col[i])
                col[i] = "?";
        }
        snprintf(buf, len, "run %lld '%s' (%s, %s %s)", run_id, col[0], col[1], col[2], col[3]);
    }
    sqlite3_finalize(st);
    /* A store may hold anything: the description goes into one-line messages and
     * plotdata's '#' header lines, so control characters become spaces. */
    for (char *p = buf; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = ' ';
}

int storeread_epochs(sqlite3 *db, long long run_id, storeread_epoch **rows, size_t *n, char *err,
                     size_t errlen)
{
    static const char *const keys[] = {"loss", "acc", "val_loss", "val_acc", "lr"};
    *rows = NULL;
    *n = 0;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(
            db,
            "SELECT step, key, value FROM metrics WHERE run_id = ?1 AND typeof(step) = 'integer' "
            "AND step >= 1 AND key IN ('loss', 'acc', 'val_loss', 'val_acc', 'lr') ORDER BY step, key",
            -1, &st, NULL) != SQLITE_OK)
        return err_set(err, errlen, "cannot query metrics: %s", sqlite3_errmsg(db));
    sqlite3_bind_int64(st, 1, run_id);
    size_t cap = 0;
    bool out_of_order = false;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long long step = sqlite3_column_int64(st, 0);
        const char *key = (const char *)sqlite3_column_text(st, 1);
        /* ORDER BY trusts the store's index; a damaged one can return rows out of order. */
        if (*n > 0 && step < (*rows)[*n - 1].epoch) {
            out_of_order = true;
            break;
        }
        if (*n == 0 || (*rows)[*n - 1].epoch != step) {
            if (*n == cap) {
                cap = cli_grown(cap, 64);
                *rows = cli_xreallocarray(*rows, cap, sizeof **rows);
            }
            (*rows)[(*n)++] = (storeread_epoch){step, NAN, NAN, NAN, NAN, NAN};
        }
        storeread_epoch *e = &(*rows)[*n - 1];
        double *slot[] = {&e->loss, &e->acc, &e->val_loss, &e->val_acc, &e->lr};
        for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
            if (key && strcmp(key, keys[i]) == 0)
                *slot[i] = sqlite3_column_double(st, 2);
    }
    if (out_of_order) {
        err_set(err, errlen, "cannot read metrics: epochs out of order (a damaged index?)");
    } else if (rc != SQLITE_DONE) {
        err_set(err, errlen, "cannot read metrics: %s", sqlite3_errmsg(db));
    } else if (*n == 0) {
        char what[256];
        storeread_describe_run(db, run_id, what, sizeof what);
        err_set(err, errlen, "%s has no per-epoch metrics", what);
    }
    sqlite3_finalize(st);
    if (out_of_order || rc != SQLITE_DONE || *n == 0) {
        free(*rows);
        *rows = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}
