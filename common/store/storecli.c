#include "store/storecli.h"

#include "base/cli.h"
#include "base/signals.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

int storecli_db(const char *arg, void *ctx)
{
    storecli *c = ctx;
    if (!*arg)
        cli_usage_error("--db: the file name is empty");
    c->db = arg;
    return 0;
}

int storecli_run_name(const char *arg, void *ctx)
{
    storecli *c = ctx;
    if (!*arg)
        cli_usage_error("--run-name: the name is empty");
    c->run_name = arg;
    return 0;
}

int storecli_tag(const char *arg, void *ctx)
{
    storecli *c = ctx;
    const char *eq = strchr(arg, '=');
    if (!eq)
        cli_usage_error("--tag: '%s' is not KEY=VALUE", arg);
    if (eq == arg)
        cli_usage_error("--tag: '%s' has an empty KEY", arg);
    for (const char *p = arg; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            cli_usage_error("--tag: '%s' contains a control character", arg);
    size_t klen = (size_t)(eq - arg);
    for (int i = 0; i < c->ntags; i++)
        if (strncmp(c->tags[i], arg, klen) == 0 && c->tags[i][klen] == '=')
            cli_usage_error("--tag: KEY '%.*s' given twice", (int)klen, arg);
    c->tags = cli_xrealloc(c->tags, (size_t)(c->ntags + 1) * sizeof *c->tags);
    c->tags[c->ntags++] = (char *)arg;
    return 0;
}

store_run *storecli_begin(storecli *c, const char *tool, int argc, char **argv, long seed)
{
    if (!c->db)
        return NULL;
    char err[SENTIO_ERR_LEN];
    c->s = store_open(c->db, err, sizeof err);
    if (!c->s)
        cli_fail(c->db, "%s", err);
    store_run *run = store_run_begin(c->s, tool, c->run_name, argc, argv, seed, err, sizeof err);
    if (!run)
        cli_fail(c->db, "%s", err);
    /* A recorded run must end 'failed', not 'running', when its reader goes away: a
     * write to a closed pipe is then an error (EPIPE) that takes the exit path,
     * where the run is marked, rather than a death (signals.h) where it cannot be. */
    signal(SIGPIPE, SIG_IGN);
    for (int i = 0; i < c->ntags; i++) {
        const char *eq = strchr(c->tags[i], '=');
        char *key = cli_xstrdup(c->tags[i]);
        key[eq - c->tags[i]] = '\0';
        store_tag(run, key, eq + 1);
        free(key);
    }
    return run;
}

void storecli_stop_if_requested(storecli *c, store_run *run)
{
    if (!signals_stop_requested())
        return;
    store_run_fail(run);
    store_close(c->s);
    c->s = NULL;
    free(c->tags);
    c->tags = NULL;
    signals_stop_now();
}

void storecli_finish(storecli *c, store_run *run)
{
    storecli_stop_if_requested(c, run);
    free(c->tags);
    c->tags = NULL;
    c->ntags = 0;
    if (run) {
        char err[SENTIO_ERR_LEN];
        if (store_run_finish(run, err, sizeof err) != 0)
            cli_fail(c->db, "%s", err);
    }
    store_close(c->s);
    c->s = NULL;
}
