#include "stream/speaker.h"

#include "base/cli.h"
#include "base/err.h"

#include <stdlib.h>
#include <string.h>

int speaker_map_regex(speaker_map *m, const char *regex, char *err, size_t errlen)
{
    memset(m, 0, sizeof *m);
    int rc = regcomp(&m->re, regex, REG_EXTENDED);
    if (rc != 0) {
        char why[256];
        regerror(rc, &m->re, why, sizeof why);
        err_set(err, errlen, "bad regular expression '%s': %s", regex, why);
        return -1;
    }
    m->is_regex = true;
    m->source = cli_xstrdup(regex);
    if (m->re.re_nsub < 1) {
        err_set(err, errlen, "regular expression '%s' has no capture group ( )", regex);
        speaker_map_free(m);
        return -1;
    }
    return 0;
}

/* Splits "UTT SPK" (spaces or tabs) in place; false unless exactly two fields. */
static bool two_fields(char *s, char **utt, char **spk)
{
    const char *ws = " \t";
    s += strspn(s, ws);
    *utt = s;
    s += strcspn(s, ws);
    if (s == *utt || !*s)
        return false;
    *s++ = '\0';
    s += strspn(s, ws);
    *spk = s;
    s += strcspn(s, ws);
    if (s == *spk)
        return false;
    char *end = s;
    s += strspn(s, ws);
    *end = '\0';
    return *s == '\0';
}

/* The map while its utt2spk lines are read. */
typedef struct {
    speaker_map *m;
    const char *name;
    size_t spk_cap;
} utt2spk_reading;

static int utt2spk_line(char *line, size_t len, unsigned long long number, void *ctx, char *err,
                        size_t errlen)
{
    utt2spk_reading *r = ctx;
    speaker_map *m = r->m;
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        line[--len] = '\0';
    bool control = false;
    for (const char *c = line; *c; ++c)
        control |= (unsigned char)*c < 0x20 ? *c != '\t' : *c == 0x7f;
    if (control)
        return err_at_line(err, errlen, r->name, number,
                           "a control character (only spaces and tabs separate the fields)");
    char *utt, *spk;
    if (!two_fields(line, &utt, &spk))
        return err_at_line(err, errlen, r->name, number,
                           "expected 'UTTERANCE SPEAKER' (two fields separated by spaces)");
    if (strmap_find(&m->utts, utt) != STRMAP_NONE)
        return err_at_line(err, errlen, r->name, number, "utterance '%s' is listed twice", utt);
    size_t id = strmap_add(&m->utts, utt);
    if (id >= r->spk_cap) {
        r->spk_cap = cli_grown(r->spk_cap, 64);
        m->spk_of = cli_xreallocarray(m->spk_of, r->spk_cap, sizeof *m->spk_of);
    }
    m->spk_of[id] = cli_xstrdup(spk);
    return 0;
}

int speaker_map_utt2spk(speaker_map *m, const char *path, char *err, size_t errlen)
{
    memset(m, 0, sizeof *m);
    m->source = cli_xstrdup(cli_input_name(path));
    utt2spk_reading r = {.m = m, .name = cli_input_name(path)};
    int rc = cli_read_lines(path, r.name, utt2spk_line, &r, err, errlen);
    if (rc == 0 && m->utts.n == 0)
        rc = err_in(err, errlen, r.name, "no 'UTTERANCE SPEAKER' lines: an empty utt2spk file");
    if (rc < 0)
        speaker_map_free(m);
    return rc;
}

/* The id of key in utt2spk: the key, then without directories, then without extension. */
static size_t utt_id(const speaker_map *m, const char *key)
{
    size_t id = strmap_find(&m->utts, key);
    if (id != STRMAP_NONE)
        return id;
    const char *slash = strrchr(key, '/');
    const char *base = slash ? slash + 1 : key;
    if (base != key && (id = strmap_find(&m->utts, base)) != STRMAP_NONE)
        return id;
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base)
        return STRMAP_NONE;
    size_t n = (size_t)(dot - base);
    char *stem = cli_xmalloc(n + 1);
    memcpy(stem, base, n);
    stem[n] = '\0';
    id = strmap_find(&m->utts, stem);
    free(stem);
    return id;
}

char *speaker_of(const speaker_map *m, const char *key)
{
    if (!m->is_regex) {
        size_t id = utt_id(m, key);
        return id == STRMAP_NONE ? NULL : cli_xstrdup(m->spk_of[id]);
    }
    regmatch_t g[2];
    if (regexec(&m->re, key, 2, g, 0) != 0 || g[1].rm_so < 0)
        return NULL;
    size_t len = (size_t)(g[1].rm_eo - g[1].rm_so);
    char *s = cli_xmalloc(len + 1);
    memcpy(s, key + g[1].rm_so, len);
    s[len] = '\0';
    return s;
}

void speaker_missing(const speaker_map *m, const char *key, size_t record, char *err, size_t errlen)
{
#define SPEAKER_MISSING(m) \
    ((m)->is_regex ? "key '%s' does not match '%s'" : "key '%s' is not in utt2spk %s")
    if (record)
        err_at_record(err, errlen, NULL, record, SPEAKER_MISSING(m), key, m->source);
    else
        err_in(err, errlen, NULL, SPEAKER_MISSING(m), key, m->source);
#undef SPEAKER_MISSING
}

void speaker_map_free(speaker_map *m)
{
    if (m->is_regex)
        regfree(&m->re);
    for (size_t i = 0; m->spk_of && i < m->utts.n; ++i)
        free(m->spk_of[i]);
    free(m->spk_of);
    strmap_free(&m->utts);
    free(m->source);
    memset(m, 0, sizeof *m);
}

int speaker_ids(const speaker_map *m, char *const *keys, size_t n, size_t *ids, strmap *names,
                size_t *nspeakers, char *err, size_t errlen)
{
    strmap local = {0}, *map = names ? names : &local;
    int rc = 0;
    for (size_t i = 0; i < n; ++i) {
        char *spk = speaker_of(m, keys[i]);
        if (!spk) {
            speaker_missing(m, keys[i], i + 1, err, errlen);
            rc = -1;
            break;
        }
        ids[i] = strmap_add(map, spk);
        free(spk);
    }
    *nspeakers = map->n;
    strmap_free(&local);
    return rc;
}
