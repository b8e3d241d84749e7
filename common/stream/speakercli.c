#include "stream/speakercli.h"

#include "base/cli.h"
#include "stream/featstream.h"

#include <stdlib.h>
#include <string.h>

int speakercli_regex(const char *arg, void *ctx)
{
    const speakercli_regex_ctx *r = ctx;
    r->c->regex = arg;
    r->c->regex_option = r->option;
    return 0;
}

bool speakercli_given(const speakercli *c) { return c->regex || c->utt2spk; }

const char *speakercli_option(const speakercli *c)
{
    return c->regex ? c->regex_option : c->utt2spk ? "utt2spk" : NULL;
}

bool speakercli_map(const speakercli *c, speaker_map *m)
{
    char err[SENTIO_ERR_LEN];
    if (c->regex) {
        if (speaker_map_regex(m, c->regex, err, sizeof err) < 0)
            cli_usage_error("--%s: %s", c->regex_option, err);
        return true;
    }
    if (c->utt2spk) {
        if (speaker_map_utt2spk(m, c->utt2spk, err, sizeof err) < 0)
            cli_fail(NULL, "%s", err);
        return true;
    }
    memset(m, 0, sizeof *m);
    return false;
}

size_t *speakercli_ids(const speakercli *c, char *const *keys, size_t n, size_t *nspeakers)
{
    speaker_map m;
    if (!speakercli_map(c, &m))
        return NULL;
    size_t *ids = cli_xmalloc((n ? n : 1) * sizeof *ids);
    char err[FEAT_MAX_KEY + 1024];
    if (speaker_ids(&m, keys, n, ids, NULL, nspeakers, err, sizeof err) != 0)
        cli_fail(NULL, "--%s: %s", speakercli_option(c), err);
    speaker_map_free(&m);
    return ids;
}
