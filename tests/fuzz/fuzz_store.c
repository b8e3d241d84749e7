/* fuzz_store - the experiment store read back (storeread.c; plotdata curves and
 * confusion, man 5 sentio-store), on a mutated database file opened read-only.
 * Properties: a store that cannot be read gives -1 with a message and the
 * store's name, and never a change to the file; curves give one data line per
 * epoch announced, in epoch order, of 6 fields each; the confusion data gives
 * one line per (predicted, true) pair of classes. */
#include "fuzz.h"

#include "eval/plot.h"
#include "store/storeread.h"

#include <sys/stat.h>

static size_t data_lines(const char *text, size_t len, size_t fields, long long *last_epoch)
{
    size_t n = 0;
    for (const char *p = text; p < text + len;) {
        const char *nl = memchr(p, '\n', (size_t)(text + len - p));
        FUZZ_ASSERT(nl, "output does not end with a line break");
        if (*p != '#') {
            size_t tabs = 0;
            for (const char *q = p; q < nl; q++)
                tabs += *q == '\t';
            FUZZ_ASSERT(tabs + 1 == fields, "a data line of %zu fields, not %zu: %.*s", tabs + 1, fields,
                        (int)(nl - p), p);
            if (last_epoch) {
                long long epoch = strtoll(p, NULL, 10);
                FUZZ_ASSERT(n == 0 || epoch >= *last_epoch, "epoch %lld after %lld", epoch, *last_epoch);
                *last_epoch = epoch;
            }
            n++;
        }
        p = nl + 1;
    }
    return n;
}

static void one_query(const char *path, plot_kind kind, const char *run, char **where, size_t nwhere)
{
    plot_options o;
    plot_options_default(&o);
    o.db = path;
    o.run = run;
    o.where = where;
    o.nwhere = nwhere;
    o.normalize = nwhere > 0;
    char err[SENTIO_ERR_LEN] = "";
    fuzz_mem out;
    fuzz_mem_open(&out);
    int rc = kind == PLOT_CURVES ? plot_curves(&o, out.fp, err, sizeof err)
                                     : plot_confusion(NULL, &o, out.fp, err, sizeof err);
    fuzz_mem_close(&out);
    if (rc != 0) {
        /* "FILE: what": the store it concerns first (plot.h). */
        size_t plen = strlen(path);
        FUZZ_ASSERT(strncmp(err, path, plen) == 0 && err[plen] == ':' && err[plen + 1] == ' ' && err[plen + 2],
                    "failure without the store's name and a message: '%s'", err);
    } else if (kind == PLOT_CURVES) {
        long long last = 0;
        size_t n = data_lines(out.buf, out.len, 6, &last);
        const char *said = strstr(out.buf, " epochs\n");
        FUZZ_ASSERT(said, "no epoch count in the header");
        const char *num = said;
        while (num > out.buf && num[-1] >= '0' && num[-1] <= '9')
            num--;
        FUZZ_ASSERT(strtoull(num, NULL, 10) == n && n > 0, "%zu data lines, the header says %.*s", n,
                    (int)(said - num), num);
    } else {
        size_t n = data_lines(out.buf, out.len, 6, NULL);
        size_t k = 0;
        while (k * k < n)
            k++;
        FUZZ_ASSERT(k * k == n && n > 0, "%zu confusion lines is not the square of a class count", n);
    }
    fuzz_mem_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size, ".db");
    char err[SENTIO_ERR_LEN] = "";
    sqlite3 *db = storeread_open(path, err, sizeof err);
    if (!db) {
        FUZZ_ASSERT(err[0], "a store refused without a message");
    } else {
        long long id = 0;
        if (storeread_find_run(db, "1", STOREREAD_PREDICTIONS, NULL, 0, &id, err, sizeof err) == 0) {
            char what[256];
            storeread_describe_run(db, id, what, sizeof what);
            FUZZ_ASSERT(id == 1 && strncmp(what, "run 1", 5) == 0, "found run %lld as '%s'", id, what);
        } else {
            FUZZ_ASSERT(err[0], "no run 1, and no message");
        }
        storeread_close(db);
        char *where[] = {"arch=ann", "seed=42"};
        one_query(path, PLOT_CURVES, "1", NULL, 0);
        one_query(path, PLOT_CURVES, "ann", where, 1);
        one_query(path, PLOT_CONFUSION, "2", NULL, 0);
        one_query(path, PLOT_CONFUSION, "ann", where, 2);
    }
    /* Read-only: the file is as it was. */
    FILE *fp = fopen(path, "rb");
    FUZZ_ASSERT(fp, "the store vanished");
    uint8_t *now = malloc(size + 1);
    size_t got = fread(now, 1, size + 1, fp);
    fclose(fp);
    FUZZ_ASSERT(got == size && (size == 0 || memcmp(now, data, size) == 0), "reading changed the store");
    free(now);
    /* A header mutated into WAL mode makes SQLite add its side files. */
    char side[300];
    const char *suffixes[] = {"-wal", "-shm", "-journal"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(side, sizeof side, "%s%s", path, suffixes[i]);
        unlink(side);
    }
    return 0;
}
