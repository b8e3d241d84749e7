/* speaker.h - the speaker (or any group) of a record, from its key: the first
 * capture group of a POSIX extended regular expression (--speaker/--group REGEX),
 * or a Kaldi utt2spk file (--utt2spk FILE: lines "UTT SPEAKER").
 *
 * An utt2spk entry names a record when UTT is the record's key, the key without
 * its directories ("TRAIN/a.wav" -> "a.wav"), or that without its extension
 * ("a"): Kaldi's utterance ids are usually bare names, sentio's keys paths. */
#ifndef SENTIO_SPEAKER_H
#define SENTIO_SPEAKER_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/strmap.h"

typedef struct {
    bool is_regex;
    regex_t re;
    char *source;  /* the regex, or the utt2spk path: for messages */
    strmap utts;   /* utt2spk: utterance ids */
    char **spk_of; /* utt2spk: speaker of utterance id i */
} speaker_map;

/* Returns 0, or -1 with err set (bad regex, or one with no capture group). */
int speaker_map_regex(speaker_map *m, const char *regex, char *err, size_t errlen);
/* Reads a Kaldi utt2spk file ("-" is stdin). Returns 0, or -1 with
 * err = "FILE: what is wrong (line N)". */
int speaker_map_utt2spk(speaker_map *m, const char *path, char *err, size_t errlen);
/* The speaker of key as a new string, or NULL when the regex does not match it
 * (or its first group takes no part) or utt2spk does not list it. */
char *speaker_of(const speaker_map *m, const char *key);
/* err = "key 'K' does not match 'REGEX'" or "key 'K' is not in utt2spk FILE", followed by
 * " (record N)" when record is not 0 (kept when a long key fills err). */
void speaker_missing(const speaker_map *m, const char *key, size_t record, char *err,
                     size_t errlen);
void speaker_map_free(speaker_map *m);

/* ids[i] = the speaker number of keys[i] (0.. in order of first appearance), names
 * (may be NULL) gets the speakers' names by number (free with strmap_free), and
 * *nspeakers their count. Returns 0, or -1 with err = "key 'K' ... (record I)" for
 * the first key without a speaker. */
int speaker_ids(const speaker_map *m, char *const *keys, size_t n, size_t *ids, strmap *names,
                size_t *nspeakers, char *err, size_t errlen);

#endif
