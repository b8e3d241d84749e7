/* fuzz.h - what every libFuzzer harness in tests/fuzz shares: a broken property
 * aborts (so libFuzzer saves the input as a crash), inputs reach path-taking
 * parsers through one temporary file per process (in /dev/shm unless $TMPDIR is
 * set; removed at exit), and error messages are checked
 * for the position the man pages promise. */
#ifndef SENTIO_FUZZ_H
#define SENTIO_FUZZ_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/err.h"

/* A property the man pages promise did not hold: say which, then abort so that
 * libFuzzer keeps the input. */
#define FUZZ_ASSERT(cond, ...)                                                   \
    do {                                                                         \
        if (!(cond)) {                                                           \
            fprintf(stderr, "%s:%d: property broken: %s\n  ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                        \
            fputc('\n', stderr);                                                 \
            abort();                                                             \
        }                                                                        \
    } while (0)

/* Every temporary file made, removed at exit. */
static char fuzz_files[8][256];
static void fuzz_remove_files(void)
{
    for (size_t i = 0; i < sizeof fuzz_files / sizeof *fuzz_files; i++)
        if (fuzz_files[i][0])
            unlink(fuzz_files[i]);
}

static inline void fuzz_remember(const char *path)
{
    size_t i;
    for (i = 0; i < sizeof fuzz_files / sizeof *fuzz_files && fuzz_files[i][0]; i++)
        if (strcmp(fuzz_files[i], path) == 0)
            return;
    if (i == 0)
        atexit(fuzz_remove_files);
    if (i < sizeof fuzz_files / sizeof *fuzz_files)
        snprintf(fuzz_files[i], sizeof fuzz_files[i], "%s", path);
}

/* The input as a file: the same path for every run of this process, rewritten
 * each time (parsers that take a path read it from here). */
static inline const char *fuzz_file(const uint8_t *data, size_t size, const char *suffix)
{
    static char path[256];
    /* In memory when possible: on a disk, writing the file costs 20 times the parse. */
    const char *dir = getenv("TMPDIR");
    if (!dir)
        dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(path, sizeof path, "%s/sentio-fuzz-%ld%s", dir, (long)getpid(), suffix);
    fuzz_remember(path);
    FILE *fp = fopen(path, "wb");
    if (!fp || (size && fwrite(data, 1, size, fp) != size) || fclose(fp) != 0) {
        perror(path);
        abort();
    }
    return path;
}

/* The input as a read-only stream (fmemopen refuses size 0 on some libcs). */
static inline FILE *fuzz_stream(const uint8_t *data, size_t size)
{
    static const char nothing[1];
    FILE *fp = size ? fmemopen((void *)data, size, "rb") : fmemopen((void *)nothing, 1, "rb");
    if (!fp)
        abort();
    if (!size)
        fgetc(fp); /* at its end */
    return fp;
}

/* The lines of an input as positions count them: 1 + its line breaks (the last
 * line may be empty or unterminated). */
static inline unsigned long long fuzz_lines(const void *data, size_t size)
{
    unsigned long long lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += ((const uint8_t *)data)[i] == '\n';
    return lines;
}

/* True when msg ends with " at WHAT N" or contains "WHAT N" (WHAT = "byte", "line"),
 * with N in [lo, hi]. */
static inline int fuzz_names_position(const char *msg, const char *what, unsigned long long lo,
                                      unsigned long long hi)
{
    size_t wl = strlen(what);
    for (const char *p = strstr(msg, what); p; p = strstr(p + 1, what)) {
        if (p[wl] != ' ' || p[wl + 1] < '0' || p[wl + 1] > '9')
            continue;
        unsigned long long n = strtoull(p + wl + 1, NULL, 10);
        if (n >= lo && n <= hi)
            return 1;
    }
    return 0;
}

/* For messages that may quote the input: true unless msg ends with " (WHAT N)" for
 * an N outside [lo, hi]. */
static inline int fuzz_final_position_in(const char *msg, const char *what, unsigned long long lo,
                                         unsigned long long hi)
{
    size_t len = strlen(msg), wl = strlen(what);
    if (len == 0 || msg[len - 1] != ')')
        return 1;
    const char *open = strrchr(msg, '(');
    if (!open || strncmp(open + 1, what, wl) != 0 || open[wl + 1] != ' ')
        return 1;
    char *end;
    unsigned long long n = strtoull(open + wl + 2, &end, 10);
    if (end == open + wl + 2 || *end != ')' || end[1])
        return 1;
    return n >= lo && n <= hi;
}

/* An input of several files: data split at the byte 0xFF (never in UTF-8 text) into
 * n parts, part i written by fuzz_file with suffixes[i] (distinct suffixes, distinct
 * files; the last part takes the rest, 0xFF bytes too, and missing parts are empty).
 * paths[i] receives part i's path, lines[i] its line count (1 + its line breaks). */
static inline void fuzz_files_split(const uint8_t *data, size_t size, size_t n, const char *const *suffixes,
                                    char (*paths)[256], unsigned long long *lines)
{
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        size_t end = start;
        while (end < size && (data[end] != 0xFF || i == n - 1))
            end++;
        lines[i] = fuzz_lines(data + start, end - start);
        snprintf(paths[i], sizeof paths[i], "%s", fuzz_file(data + start, end - start, suffixes[i]));
        start = end < size ? end + 1 : size;
    }
}

/* A refusal of an input of several files (fuzz_files_split): "FILE: what", with FILE
 * one of the n paths, and any final "(line N)" a line of that file. */
static inline void fuzz_check_refusal_of_files(const char *err, size_t n, char (*paths)[256],
                                               const unsigned long long *lines)
{
    size_t named = n;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(paths[i]);
        if (strncmp(err, paths[i], len) == 0 && err[len] == ':' && err[len + 1] == ' ' && err[len + 2])
            named = i;
    }
    FUZZ_ASSERT(named < n, "refused without naming one of the files: %s", err);
    FUZZ_ASSERT(fuzz_final_position_in(err, "line", 1, lines[named]), "a line out of [1, %llu]: %s",
                lines[named], err);
}

/* Everything written to a memory stream. */
typedef struct {
    FILE *fp;
    char *buf;
    size_t len;
} fuzz_mem;

static inline void fuzz_mem_open(fuzz_mem *m)
{
    m->buf = NULL;
    m->len = 0;
    m->fp = open_memstream(&m->buf, &m->len);
    if (!m->fp)
        abort();
}

/* Closes the stream; buf and len then hold what was written. */
static inline void fuzz_mem_close(fuzz_mem *m)
{
    if (fclose(m->fp) != 0)
        abort();
    m->fp = NULL;
}

static inline void fuzz_mem_free(fuzz_mem *m)
{
    if (m->fp)
        fclose(m->fp);
    free(m->buf);
    memset(m, 0, sizeof *m);
}

#endif
