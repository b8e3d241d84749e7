/* storecli.h - the options every recording tool shares: --db, --run-name, --tag,
 * as rows of the tool's option table (base/opts.h), and the run they open.
 * In a tool:
 *     static storecli sc;
 *     static opts_entry options[] = { ..., STORECLI_OPTIONS(sc), OPTS_END };
 * then run = storecli_begin(&sc, "tool", argc, argv, seed) after option
 * parsing, store_param(run, ...) for every option, and storecli_finish(&sc, run)
 * once the output is committed. */
#ifndef SENTIO_STORECLI_H
#define SENTIO_STORECLI_H

#include "base/opts.h"
#include "store/store.h"

typedef struct {
    const char *db;       /* --db FILE; NULL: nothing is recorded */
    const char *run_name; /* --run-name NAME; NULL: the tool's name */
    int ntags;
    char **tags; /* --tag KEY=VALUE as given (validated), in order */
    store *s;    /* the open store while a run is recorded */
} storecli;

/* opts_entry .call handlers of the three options (ctx: the storecli); a bad or
 * repeated --tag, an empty file or run name are usage errors (exit 2). */
int storecli_db(const char *arg, void *ctx);
int storecli_run_name(const char *arg, void *ctx);
int storecli_tag(const char *arg, void *ctx);

#define STORECLI_OPTIONS(sc)                                                                      \
    OPTS_SECTION("Experiment store"),                                                             \
        {.name = "db",                                                                            \
         .type = OPTS_CALL,                                                                       \
         .call = storecli_db,                                                                     \
         .ctx = &(sc),                                                                            \
         .arg = "FILE",                                                                           \
         .arg_type = "file",                                                                      \
         .def = "none",                                                                           \
         .help = "record the run in the SQLite experiment store FILE, created if absent "         \
                 "(man 5 sentio-store)"},                                                         \
        {.name = "run-name",                                                                      \
         .type = OPTS_CALL,                                                                       \
         .call = storecli_run_name,                                                               \
         .ctx = &(sc),                                                                            \
         .arg = "NAME",                                                                           \
         .arg_type = "text",                                                                      \
         .def = "the tool's name",                                                                \
         .help = "the run's name in the store"},                                                  \
    {                                                                                             \
        .name = "tag", .type = OPTS_CALL, .call = storecli_tag, .ctx = &(sc), .arg = "KEY=VALUE", \
        .arg_type = "text", .def = "none",                                                        \
        .help = "an extra parameter to record, e.g. dataset=NAME; repeatable"                     \
    }

/* NULL when --db was not given; otherwise opens the store, begins the run and
 * records the tags. A store error exits 1 naming the database. */
store_run *storecli_begin(storecli *c, const char *tool, int argc, char **argv, long seed);
/* Finishes the run (exit 1 naming the database on failure), closes the store and
 * frees the tags. Does nothing but free when run is NULL. A deferred stop signal that
 * arrived meanwhile ends the run as storecli_stop_if_requested does. */
void storecli_finish(storecli *c, store_run *run);

/* For a tool that deferred stop signals (signals_defer_stop in base/signals.h): when
 * one arrived, marks run 'failed', closes the store, removes the temporaries and dies
 * of the signal; otherwise returns. */
void storecli_stop_if_requested(storecli *c, store_run *run);

#endif
