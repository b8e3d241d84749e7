/* fopencookie (glibc): the output stream hashes what it writes. */
#define _GNU_SOURCE
#include "base/outfile.h"

#include "base/cli.h"
#include "base/signals.h"
#include "base/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static outfile *pending;
static int cleanup_registered;

/* Runs at exit and from the stop-signal handler, so only unlink(). */
static void unlink_pending(void)
{
    for (outfile *o = pending; o; o = o->next_pending)
        if (o->tmp)
            unlink(o->tmp);
}

/* The stream a tool writes to: every byte is hashed, then written to fd with
 * write(2) (no second buffer: stdio's buffer of o->fp is the only one). */
static ssize_t hashing_write(void *cookie, const char *buf, size_t n)
{
    outfile *o = cookie;
    size_t done = 0;
    while (done < n) {
        ssize_t put = write(o->fd, buf + done, n - done);
        if (put < 0 && errno == EINTR)
            continue;
        if (put <= 0) {
            if (put == 0)
                errno = EIO;
            /* stdio retries what it was told was not written: hash only what was.
             * 0, never -1, is the error return (fopencookie(3)). */
            sha256_update(&o->hash, buf, done);
            return (ssize_t)done;
        }
        done += (size_t)put;
    }
    sha256_update(&o->hash, buf, n);
    return (ssize_t)n;
}

static FILE *hashing_stream(outfile *o, int fd)
{
    sha256_init(&o->hash);
    o->fd = fd;
    cookie_io_functions_t io = {.write = hashing_write};
    return fopencookie(o, "w", io);
}

int outfile_sha256(outfile *o, char hex[65])
{
    if (fflush(o->fp) != 0 || ferror(o->fp))
        return -1;
    sha256_ctx copy = o->hash;
    unsigned char digest[32];
    sha256_final(&copy, digest);
    sha256_hex(digest, hex);
    return 0;
}

static void forget(outfile *o)
{
    sigset_t saved;
    signals_hold(&saved);
    for (outfile **p = &pending; *p; p = &(*p)->next_pending)
        if (*p == o) {
            *p = o->next_pending;
            break;
        }
    free(o->tmp);
    free(o->path);
    o->tmp = o->path = NULL;
    o->fp = NULL;
    signals_release(&saved);
}

int outfile_open(outfile *o, const char *path)
{
    memset(o, 0, sizeof *o);
    o->name = path && strcmp(path, "-") != 0 ? path : NULL;
    o->old_mode = -1;
    if (!path || strcmp(path, "-") == 0) {
        fflush(stdout);
        o->fp = hashing_stream(o, STDOUT_FILENO);
        return o->fp ? 0 : -1;
    }
    if (!cleanup_registered) {
        atexit(unlink_pending);
        signals_on_stop(unlink_pending);
        cleanup_registered = 1;
    }
    struct stat st;
    bool exists = stat(path, &st) == 0;
    if (exists && S_ISREG(st.st_mode))
        o->old_mode = (int)(st.st_mode & 07777);
    if (exists && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
        /* A device or FIFO (-o /dev/null, -o >(gzip > f)) is written in place:
         * renaming a temporary over it would replace /dev/null by a regular file. */
        int fd = open(path, O_WRONLY | O_TRUNC);
        if (fd < 0)
            return -1;
        o->fp = hashing_stream(o, fd);
        if (!o->fp) {
            close(fd);
            return -1;
        }
        o->path = cli_xstrdup(path);
        return 0;
    }
    size_t n = strlen(path);
    o->path = cli_xstrdup(path);
    o->tmp = cli_xmalloc(n + 16);
    /* Same directory as the target, so rename() stays atomic. */
    snprintf(o->tmp, n + 16, "%s.tmp.XXXXXX", path);
    /* Held from creation to listing, so a stop signal never strands the temporary. */
    sigset_t saved;
    signals_hold(&saved);
    int fd = mkstemp(o->tmp);
    if (fd >= 0) {
        o->next_pending = pending;
        pending = o;
    }
    signals_release(&saved);
    if (fd < 0) {
        int e = errno;
        free(o->tmp);
        free(o->path);
        o->tmp = o->path = NULL;
        errno = e;
        return -1;
    }
    o->fp = hashing_stream(o, fd);
    if (!o->fp) {
        int e = errno;
        close(fd);
        unlink(o->tmp);
        forget(o);
        errno = e;
        return -1;
    }
    return 0;
}

int outfile_commit(outfile *o)
{
    if (!o->path) {
        int failed = fflush(o->fp) != 0 || ferror(o->fp);
        int e = errno;
        fclose(o->fp); /* the cookie stream; stdout itself stays open */
        o->fp = NULL;
        errno = e;
        return failed ? -1 : 0;
    }
    int failed = fflush(o->fp) != 0 || ferror(o->fp);
    int e = errno;
    fclose(o->fp);
    o->fp = NULL;
    if (close(o->fd) != 0 && !failed) {
        failed = 1;
        e = errno;
    }
    if (!o->tmp) {
        free(o->path);
        o->path = NULL;
        errno = e;
        return failed ? -1 : 0;
    }
    if (!failed) {
        /* mkstemp creates 0600: give the file the permissions of the one it replaces,
         * else those a plain fopen would. */
        mode_t mask = umask(0);
        umask(mask);
        chmod(o->tmp, o->old_mode >= 0 ? (mode_t)o->old_mode : 0666 & ~mask);
        if (rename(o->tmp, o->path) != 0) {
            failed = 1;
            e = errno;
        }
    }
    if (failed)
        unlink(o->tmp);
    forget(o);
    errno = e;
    return failed ? -1 : 0;
}

void outfile_abort(outfile *o)
{
    if (!o->path) {
        if (o->fp) /* what is buffered still goes out: a filter's output is never cut mid-way */
            fclose(o->fp);
        o->fp = NULL;
        return;
    }
    if (o->fp) {
        fclose(o->fp);
        close(o->fd);
    }
    if (o->tmp)
        unlink(o->tmp);
    forget(o);
}

bool outfile_to_terminal(const outfile *o) { return !o->path && isatty(STDOUT_FILENO); }

void outfile_refuse_terminal(const outfile *o)
{
    if (outfile_to_terminal(o))
        cli_usage_error("refusing to write a binary stream to a terminal; use -o FILE or a pipe");
}

const char *outfile_name(const outfile *o) { return o->name ? o->name : "(stdout)"; }

void outfile_open_or_fail(outfile *o, const char *path)
{
    if (outfile_open(o, path) != 0)
        cli_fail(path, "cannot create: %s", strerror(errno));
}

_Noreturn void outfile_write_failed(const outfile *o)
{
    cli_fail(outfile_name(o), "write error: %s", strerror(errno));
}

void outfile_sha256_or_fail(outfile *o, char hex[65])
{
    if (outfile_sha256(o, hex) != 0)
        outfile_write_failed(o);
}

void outfile_commit_or_fail(outfile *o)
{
    if (outfile_commit(o) != 0)
        outfile_write_failed(o);
}
