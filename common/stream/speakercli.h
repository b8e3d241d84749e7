/* speakercli.h - the speaker options of featnorm, featsplit, svmfit and metrics:
 * --group REGEX (featnorm: --speaker REGEX) or --utt2spk FILE, as rows of the
 * tool's option table (base/opts.h), and the speaker map (stream/speaker.h) they
 * give. Command-line glue: it prints and exits as base/cli does. In a tool:
 *     static speakercli speakers;
 *     static opts_entry options[] = {
 *         ..., SPEAKERCLI_OPTIONS(speakers, "group", "none", NULL, "keep each speaker ..."),
 *         ..., OPTS_END};
 *     speaker_map m;
 *     if (speakercli_map(&speakers, &m)) ...
 */
#ifndef SENTIO_SPEAKERCLI_H
#define SENTIO_SPEAKERCLI_H

#include "base/opts.h"
#include "stream/speaker.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    const char *regex;        /* the REGEX as given; NULL when the option was not */
    const char *regex_option; /* its option's name ("group", "speaker") once given */
    const char *utt2spk;      /* --utt2spk FILE; NULL when not given */
} speakercli;

/* The REGEX row's .ctx: where the value goes and the option's name, for messages. */
typedef struct {
    speakercli *c;
    const char *option;
} speakercli_regex_ctx;

/* The REGEX row's .call (ctx: a speakercli_regex_ctx): records the text; it is
 * compiled by speakercli_map. */
int speakercli_regex(const char *arg, void *ctx);

/* The two rows. c: the tool's speakercli; regex_name: "group" or "speaker";
 * def_text: the default -h shows for both (NULL: none shown); needs_options: what
 * both need (.needs, NULL: nothing); regex_help: what the tool does with speakers.
 * The two exclude each other. The ctx is a compound literal: at file scope, where
 * option tables live, it has static storage. */
#define SPEAKERCLI_OPTIONS(c, regex_name, def_text, needs_options, regex_help)           \
    {.name = (regex_name),                                                               \
     .type = OPTS_CALL,                                                                  \
     .call = speakercli_regex,                                                           \
     .ctx = &(speakercli_regex_ctx){&(c), (regex_name)},                                 \
     .arg = "REGEX",                                                                     \
     .arg_type = "text",                                                                 \
     .def = (def_text),                                                                  \
     .needs = (needs_options),                                                           \
     .help = regex_help},                                                                \
    {                                                                                    \
        .name = "utt2spk", .type = OPTS_FILE, .dest = &(c).utt2spk, .def = (def_text),   \
        .needs = (needs_options), .excludes = (regex_name),                              \
        .help = "the speakers from a Kaldi utt2spk file instead of --" regex_name        \
                ": lines 'UTTERANCE SPEAKER', UTTERANCE being the key, the key without " \
                "directories, or that without extension"                                 \
    }

/* Whether either option was given. */
bool speakercli_given(const speakercli *c);
/* The name of the option given ("group", "utt2spk"...), for messages; NULL when none. */
const char *speakercli_option(const speakercli *c);

/* The speaker map of the option given; returns false (m zeroed, safe to free) when
 * neither was. A bad regular expression exits 2 ("--group: ..."), an unreadable or
 * malformed utt2spk file exits 1 ("FILE: ... (line N)"). */
bool speakercli_map(const speakercli *c, speaker_map *m);

/* The speaker number of each of keys[0..n-1] (speaker_ids), or NULL when neither
 * option was given; *nspeakers gets their count. A key without a speaker exits 1:
 * "tool: --group: key 'K' does not match 'REGEX' (record I)". The caller frees. */
size_t *speakercli_ids(const speakercli *c, char *const *keys, size_t n, size_t *nspeakers);

#endif
