/* cliplist.h - the list of audio clips a tool reads: a Kaggle-style CSV
 * (Filename,Class), a list file of PATH or PATH<TAB>LABEL lines, or plain paths. */
#ifndef SENTIO_CLIPLIST_H
#define SENTIO_CLIPLIST_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char *path;   /* where to read the audio */
    char *key;    /* the record key: the CSV's Filename, or the path as given */
    char *label;  /* "" when unknown */
    bool command; /* path is a shell command whose output is the audio (wav.scp "cmd |") */
} clip_entry;

typedef struct {
    clip_entry *items;
    size_t n, cap;
} clip_list;

/* A zeroed clip_list is empty; free it with clip_list_free. */
void clip_list_free(clip_list *l);
void clip_list_add(clip_list *l, const char *path, const char *key, const char *label);

/* Appends the rows of a CSV whose header names a "Filename" column and
 * optionally a "Class" column (case-insensitive; other columns are ignored).
 * Tolerates a UTF-8 BOM, CRLF and RFC 4180 quoting ("" inside quotes). Paths are
 * DIR/Filename; dir NULL means the CSV's path without its extension (data/TRAIN.csv
 * -> data/TRAIN), or the CSV's folder when it has no extension. Returns 0, or -1
 * with err set ("CSV: line N: what", without the CSV's name). */
int clip_list_read_csv(clip_list *l, const char *csv, const char *dir, char *err, size_t errlen);

/* Appends the lines of FILE ("-" = stdin): PATH or PATH<TAB>LABEL; CRLF and
 * blank lines tolerated. Returns 0, or -1 with err set ("line N: what"). */
int clip_list_read_list(clip_list *l, const char *file, char *err, size_t errlen);

/* Appends the entries of a Kaldi wav.scp ("-" = stdin): lines "UTT-ID RXFILENAME",
 * split at the first run of blanks; the key is UTT-ID. An RXFILENAME ending in
 * '|' is a shell command whose output is the audio: refused unless allow_pipes
 * (entries then have command set). Offsets into archives ("file.ark:123") and
 * segments are not read. Returns 0, or -1 with err set ("what (line N)"). */
int clip_list_read_scp(clip_list *l, const char *file, bool allow_pipes, char *err, size_t errlen);

/* The folder a CSV's files are looked up in by default (malloc'd). */
char *clip_list_csv_dir(const char *csv);

#endif
