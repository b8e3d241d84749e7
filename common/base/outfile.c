#include "base/outfile.h"

#include "base/signals.h"
#include "base/xalloc.h"

#include <errno.h>
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
    if (!path || strcmp(path, "-") == 0) {
        o->fp = stdout;
        return 0;
    }
    if (!cleanup_registered) {
        atexit(unlink_pending);
        signals_on_stop(unlink_pending);
        cleanup_registered = 1;
    }
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
        /* A device or FIFO (-o /dev/null, -o >(gzip > f)) is written in place:
         * renaming a temporary over it would replace /dev/null by a regular file. */
        o->fp = fopen(path, "wb");
        if (!o->fp)
            return -1;
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
    o->fp = fdopen(fd, "wb");
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
        if (fflush(o->fp) != 0 || ferror(o->fp))
            return -1;
        return 0;
    }
    int failed = fflush(o->fp) != 0 || ferror(o->fp);
    int e = errno;
    if (fclose(o->fp) != 0 && !failed) {
        failed = 1;
        e = errno;
    }
    o->fp = NULL;
    if (!o->tmp) {
        free(o->path);
        o->path = NULL;
        errno = e;
        return failed ? -1 : 0;
    }
    if (!failed) {
        /* mkstemp creates 0600; give the file the permissions a plain fopen would. */
        mode_t mask = umask(0);
        umask(mask);
        chmod(o->tmp, 0666 & ~mask);
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
    if (!o->path)
        return;
    if (o->fp)
        fclose(o->fp);
    if (o->tmp)
        unlink(o->tmp);
    forget(o);
}

const char *outfile_name(const outfile *o)
{
    return o->path ? o->path : "(stdout)";
}
