/* outfile.h - a tool's output: stdout, or a FILE written to a temporary beside
 * it and renamed into place on success, so a failure never leaves half a file.
 * A temporary not yet committed is removed at exit, whatever path exit takes,
 * and when a stop signal ends the tool (signals.h). An existing device or FIFO
 * (/dev/null, a named pipe) is written in place: it cannot be replaced. */
#ifndef SENTIO_OUTFILE_H
#define SENTIO_OUTFILE_H

#include "base/sha256.h"

#include <stdbool.h>
#include <stdio.h>

typedef struct outfile {
    FILE *fp;         /* write here (every byte written is hashed) */
    int fd;           /* where fp's bytes go */
    sha256_ctx hash;  /* of the bytes written so far */
    char *path;       /* final name, NULL for stdout */
    const char *name; /* the path as given (kept for messages after commit), NULL for stdout */
    int old_mode;     /* the permissions of the file being replaced, -1 when there was none */
    char *tmp;        /* temporary name while open, NULL for stdout, a device or a FIFO */
    struct outfile *next_pending;
} outfile;

/* path NULL or "-" means stdout; path must stay valid while o is in use. A file
 * that is replaced keeps its permissions (a 0600 file stays 0600). Returns 0, or -1 with errno set
 * (message printed by the caller). */
int outfile_open(outfile *o, const char *path);
/* Flushes and, for a file, renames the temporary into place. Returns 0, or -1
 * with errno set; on failure the temporary is removed. */
int outfile_commit(outfile *o);
/* Flushes fp and gives the hex SHA-256 of every byte written so far (the
 * experiment store's output_sha256), for stdout as for a file. Call it before
 * outfile_commit, so that a run is recorded before its output is installed.
 * Returns 0, or -1 with errno set when the flush fails. */
int outfile_sha256(outfile *o, char hex[65]);
/* Drops the output: the temporary is removed, the final file untouched. */
void outfile_abort(outfile *o);
/* True when o is stdout and stdout is a terminal: tools that write a binary
 * stream refuse that (outfile_refuse_terminal) rather than garble the screen. */
bool outfile_to_terminal(const outfile *o);
/* Exits with a usage error (2) when outfile_to_terminal(o). */
void outfile_refuse_terminal(const outfile *o);
/* The name to use in messages: the path or "(stdout)". */
const char *outfile_name(const outfile *o);

/* The tools' way to call the above: each fails as base/cli does, exit 1 with
 * "tool: FILE: cannot create: why" (opening) or "tool: FILE: write error: why"
 * (anything after), why being strerror(errno). */
void outfile_open_or_fail(outfile *o, const char *path);
void outfile_sha256_or_fail(outfile *o, char hex[65]);
void outfile_commit_or_fail(outfile *o);
/* For a write to o->fp that failed (errno set). */
_Noreturn void outfile_write_failed(const outfile *o);

#endif
