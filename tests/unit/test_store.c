/* The experiment store's lifecycle, in a temporary directory: schema, buffered
 * rows invisible until the one finishing transaction, failed runs, stale runs of
 * dead processes, the atexit hook, refused files. */
#include "store/store.h"
#include "unit.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static char dbpath[256];

/* A second, independent connection, as another process would see the file. */
static long long query_int(const char *sql, long long arg)
{
    sqlite3 *db;
    sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL);
    sqlite3_stmt *st;
    long long v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_bind_parameter_count(st) > 0)
            sqlite3_bind_int64(st, 1, arg);
        if (sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static char *query_text(const char *sql, long long arg)
{
    sqlite3 *db;
    sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL);
    sqlite3_stmt *st;
    char *v = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, arg);
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
            v = strdup((const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static void exec_raw(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_open(path, &db);
    sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_close(db);
}

static int text_is(char *got, const char *want)
{
    int ok = got && want ? strcmp(got, want) == 0 : got == want;
    if (!ok)
        printf("#   got '%s', expected '%s'\n", got ? got : "(null)", want ? want : "(null)");
    free(got);
    return ok;
}

#define STATUS(id) query_text("SELECT status FROM runs WHERE id = ?1", id)

static void test_lifecycle(void)
{
    char err[512];
    setenv("SENTIO_GIT_REV", "abc123", 1);
    store *s = store_open(dbpath, err, sizeof err);
    CHECK(s != NULL, "store_open creates a new store");
    CHECK(query_int("PRAGMA user_version", 0) == STORE_SCHEMA_VERSION, "schema version recorded");
    CHECK(text_is(query_text("PRAGMA journal_mode", 0), "wal"), "WAL mode");
    CHECK(query_int("SELECT count(*) FROM sqlite_schema WHERE type = 'table'", 0) == 5,
          "five tables");

    char *argv[] = {"nnfit", "--arch", "a b", "it's", NULL};
    store_run *run = store_run_begin(s, "nnfit", NULL, 4, argv, 42, err, sizeof err);
    long long id = store_run_id(run);
    CHECK(run && id > 0, "store_run_begin gives a run id");
    CHECK(text_is(STATUS(id), "running"), "the run is visible as 'running' at once");
    CHECK(text_is(query_text("SELECT name FROM runs WHERE id = ?1", id), "nnfit"),
          "name defaults to the tool");
    CHECK(text_is(query_text("SELECT command FROM runs WHERE id = ?1", id),
                  "nnfit --arch 'a b' 'it'\\''s'"),
          "command line shell-quoted");
    CHECK(text_is(query_text("SELECT git_rev FROM runs WHERE id = ?1", id), "abc123"),
          "git_rev from SENTIO_GIT_REV");
    CHECK(query_int("SELECT seed FROM runs WHERE id = ?1", id) == 42, "seed recorded");
    CHECK(query_int("SELECT pid FROM runs WHERE id = ?1", id) == (long long)getpid(),
          "pid recorded");
    char *started = query_text("SELECT started FROM runs WHERE id = ?1", id);
    CHECK(started && strlen(started) == 24 && started[10] == 'T' && started[19] == '.' &&
              started[23] == 'Z',
          "started is YYYY-MM-DDTHH:MM:SS.sssZ");
    free(started);

    store_param(run, "arch", "ann");
    store_param(run, "epochs", "10");
    store_param(run, "epochs", "100"); /* replaces */
    store_paramf(run, "lr", "%g", 0.001);
    store_tag(run, "dataset", "demo");
    store_tag(run, "arch", "cnn"); /* the tool's own param wins */
    store_metric(run, "loss", 1, 0.9);
    store_metric(run, "loss", 2, 0.5);
    store_metric(run, "loss", 2, 0.4); /* replaces */
    store_metric(run, "bad", 0, NAN);  /* dropped with a warning */
    store_model(run, "m.nn", "00ff", 1234);
    char *classes[] = {"Neg\"ative", "Pos"};
    double probs[] = {0.25, 0.75};
    char *json = store_probs_json(2, classes, probs);
    CHECK(strcmp(json, "{\"Neg\\\"ative\":0.25,\"Pos\":0.75}") == 0,
          "store_probs_json escapes and formats");
    store_prediction(run, 0, "a.wav", "Pos", "Pos", json);
    store_prediction(run, 1, "b.wav", "", "Neg\"ative", json);
    free(json);
    CHECK(query_int("SELECT count(*) FROM params WHERE run_id = ?1", id) == 0,
          "nothing written before finish");

    CHECK(store_run_finish(run, err, sizeof err) == 0, "store_run_finish succeeds");
    CHECK(text_is(STATUS(id), "finished"), "status 'finished'");
    CHECK(query_int("SELECT count(*) FROM runs WHERE id = ?1 AND finished >= started", id) == 1,
          "finished time set");
    CHECK(text_is(query_text("SELECT value FROM params WHERE run_id = ?1 AND key = 'epochs'", id),
                  "100"),
          "a param set twice keeps the last value");
    CHECK(text_is(query_text("SELECT value FROM params WHERE run_id = ?1 AND key = 'arch'", id),
                  "ann"),
          "a tag never overrides the tool's param");
    CHECK(text_is(query_text("SELECT value FROM params WHERE run_id = ?1 AND key = 'dataset'", id),
                  "demo"),
          "tag recorded as a param");
    CHECK(query_int("SELECT count(*) FROM params WHERE run_id = ?1", id) == 4, "four params");
    CHECK(query_int("SELECT count(*) FROM metrics WHERE run_id = ?1", id) == 2,
          "two metric rows, NaN dropped");
    CHECK(
        query_int("SELECT value * 10 FROM metrics WHERE run_id = ?1 AND key = 'loss' AND step = 2",
                  id) == 4,
        "a metric set twice keeps the last value");
    CHECK(query_int("SELECT bytes FROM models WHERE run_id = ?1", id) == 1234, "model recorded");
    CHECK(query_int("SELECT count(*) FROM predictions WHERE run_id = ?1", id) == 2,
          "predictions recorded");

    unsetenv("SENTIO_GIT_REV");
    setenv("SENTIO_GIT_REV", "", 1);
    run = store_run_begin(s, "metrics", "eval", 1, argv, STORE_NO_SEED, err, sizeof err);
    id = store_run_id(run);
    CHECK(query_int("SELECT count(*) FROM runs WHERE id = ?1 AND seed IS NULL AND git_rev IS NULL",
                    id) == 1,
          "STORE_NO_SEED and an empty SENTIO_GIT_REV give NULLs");
    store_param(run, "x", "1");
    store_metric(run, "accuracy", 0, 0.5);
    store_run_fail(run);
    CHECK(text_is(STATUS(id), "failed"), "store_run_fail: status 'failed'");
    CHECK(query_int("SELECT count(*) FROM params WHERE run_id = ?1", id) == 0 &&
              query_int("SELECT count(*) FROM metrics WHERE run_id = ?1", id) == 0,
          "a failed run has no params or metrics");

    run = store_run_begin(s, "metrics", NULL, 1, argv, STORE_NO_SEED, err, sizeof err);
    id = store_run_id(run);
    store_param(run, "x", "1");
    store_close(s);
    CHECK(text_is(STATUS(id), "failed"), "store_close fails a run left open");
    CHECK(store_run_id(NULL) == 0, "NULL run: id 0");
    store_param(NULL, "x", "1"); /* no-ops */
    store_metric(NULL, "x", 0, 1);
    store_run_fail(NULL);
    CHECK(store_run_finish(NULL, err, sizeof err) == 0, "NULL run: finishing is a no-op");
}

/* A process that exits without finishing leaves its run 'failed'. */
static void test_atexit(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        char err[512];
        char *argv[] = {"metrics", NULL};
        store *s = store_open(dbpath, err, sizeof err);
        store_run *run =
            store_run_begin(s, "metrics", "doomed", 1, argv, STORE_NO_SEED, err, sizeof err);
        store_param(run, "x", "1");
        exit(1); /* as cli_fail does */
    }
    int status;
    waitpid(pid, &status, 0);
    CHECK(text_is(query_text("SELECT status FROM runs WHERE name = 'doomed' AND pid = ?1", pid),
                  "failed"),
          "exit without finishing: the atexit hook marks the run 'failed'");
    CHECK(
        query_int(
            "SELECT count(*) FROM params JOIN runs ON runs.id = run_id WHERE runs.name = 'doomed'",
            0) == 0,
        "and writes none of its buffered rows");
}

/* A process killed outright leaves 'running'; the next store_open fails it. */
static void test_stale(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        char err[512];
        char *argv[] = {"nnfit", NULL};
        store *s = store_open(dbpath, err, sizeof err);
        store_run_begin(s, "nnfit", "killed", 1, argv, STORE_NO_SEED, err, sizeof err);
        _exit(9); /* no atexit handlers: as after SIGKILL */
    }
    int status;
    waitpid(pid, &status, 0);
    CHECK(text_is(query_text("SELECT status FROM runs WHERE name = 'killed'", 0), "running"),
          "a killed process leaves its run 'running'");
    /* A live process's run (our parent's pid stands in for it) must stay running. */
    char sql[256];
    snprintf(
        sql, sizeof sql,
        "INSERT INTO runs (name, tool, started, status, command, version, host, pid)"
        " SELECT 'alive', 'nnfit', started, 'running', 'x', 'x', host, %ld FROM runs WHERE name = 'killed'",
        (long)getppid());
    exec_raw(dbpath, sql);
    char err[512];
    store *s = store_open(dbpath, err, sizeof err);
    CHECK(text_is(query_text("SELECT status FROM runs WHERE name = 'killed'", 0), "failed"),
          "store_open marks a dead process's run 'failed'");
    CHECK(text_is(query_text("SELECT status FROM runs WHERE name = 'alive'", 0), "running"),
          "a live process's run stays 'running'");
    store_close(s);
    exec_raw(dbpath, "DELETE FROM runs WHERE name = 'alive'");
}

static void test_refusals(const char *dir)
{
    char path[300], err[512];
    snprintf(path, sizeof path, "%s/newer.db", dir);
    exec_raw(path, "PRAGMA user_version = 99");
    store *s = store_open(path, err, sizeof err);
    CHECK(!s && strstr(err, "newer"), "a newer schema version is refused");
    if (s || !strstr(err, "newer"))
        printf("#   %s\n", err);
    snprintf(path, sizeof path, "%s/foreign.db", dir);
    exec_raw(path, "CREATE TABLE runs (x); ");
    s = store_open(path, err, sizeof err);
    CHECK(!s && strstr(err, "not a sentio store"), "a database with foreign tables is refused");
    snprintf(path, sizeof path, "%s/text.db", dir);
    FILE *fp = fopen(path, "w");
    fputs("this is not a database, just some text long enough to look like a header......\n", fp);
    fclose(fp);
    s = store_open(path, err, sizeof err);
    CHECK(!s && strstr(err, "not a database"), "a non-database file is refused");
    snprintf(path, sizeof path, "%s/no/such/dir.db", dir);
    s = store_open(path, err, sizeof err);
    CHECK(!s && strstr(err, "cannot open"), "an unreachable path is refused");
}

int main(void)
{
    char dir[] = "/tmp/sentio-store-test-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    snprintf(dbpath, sizeof dbpath, "%s/t.db", dir);
    test_lifecycle();
    test_atexit();
    test_stale();
    test_refusals(dir);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        printf("# could not remove %s\n", dir);
    return unit_done();
}
