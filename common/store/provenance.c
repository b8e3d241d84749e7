#include "store/provenance.h"

#include "base/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static bool shell_safe(const char *a)
{
    if (!*a)
        return false;
    for (const char *p = a; *p; p++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+=.,/:@%^",
                    *p))
            return false;
    return true;
}

/* argv as a shell command line a user could paste: unsafe words in '...'. */
char *provenance_command_line(int argc, char **argv)
{
    size_t len = 1;
    for (int i = 0; i < argc; i++)
        len += 4 * strlen(argv[i]) + 3;
    char *out = cli_xmalloc(len), *o = out;
    for (int i = 0; i < argc; i++) {
        if (i)
            *o++ = ' ';
        const char *a = argv[i];
        if (shell_safe(a)) {
            size_t n = strlen(a);
            memcpy(o, a, n);
            o += n;
            continue;
        }
        *o++ = '\'';
        for (; *a; a++) {
            if (*a == '\'') {
                memcpy(o, "'\\''", 4);
                o += 4;
            } else
                *o++ = *a;
        }
        *o++ = '\'';
    }
    *o = '\0';
    return out;
}

/* Runs git with args in dir; the first line of its stdout, or NULL. */
static char *git_output(const char *dir, const char *const *args, bool *nonempty)
{
    char *argv[16];
    int argc = 0;
    argv[argc++] = "git";
    argv[argc++] = "--no-optional-locks"; /* never take index.lock: many tools run at once */
    argv[argc++] = "-C";
    argv[argc++] = (char *)dir;
    for (; *args && argc < 15; args++)
        argv[argc++] = (char *)*args;
    argv[argc] = NULL;
    int fds[2];
    if (pipe(fds) != 0)
        return NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    posix_spawn_file_actions_addclose(&fa, fds[1]);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    pid_t pid;
    int rc = posix_spawnp(&pid, "git", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        return NULL;
    }
    char buf[256];
    size_t used = 0;
    ssize_t got;
    bool any = false;
    char sink[512];
    while ((got = read(fds[0], used < sizeof buf - 1 ? buf + used : sink,
                       used < sizeof buf - 1 ? sizeof buf - 1 - used : sizeof sink)) != 0) {
        if (got < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        any = true;
        if (used < sizeof buf - 1)
            used += (size_t)got;
    }
    close(fds[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return NULL;
    if (nonempty)
        *nonempty = any;
    buf[used] = '\0';
    buf[strcspn(buf, "\r\n")] = '\0';
    return cli_xstrdup(buf);
}

/* The directory holding the running binary, or NULL. */
static char *binary_dir(const char *argv0)
{
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    char *path = NULL;
    if (n > 0) {
        buf[n] = '\0';
        path = cli_xstrdup(buf);
    } else if (argv0 && strchr(argv0, '/'))
        path = cli_xstrdup(argv0); /* git -C takes a relative directory too */
    if (!path)
        return NULL;
    char *slash = strrchr(path, '/');
    if (!slash) {
        free(path);
        return NULL;
    }
    *(slash == path ? slash + 1 : slash) = '\0';
    return path;
}

static bool inside_git_checkout(const char *dir)
{
    size_t n = strlen(dir);
    char *p = cli_xmalloc(n + 6);
    memcpy(p, dir, n + 1);
    bool found = false;
    for (;;) {
        size_t len = strlen(p);
        snprintf(p + len, 6, "/.git");
        struct stat st;
        if (stat(p, &st) == 0) {
            found = true;
            break;
        }
        p[len] = '\0';
        char *slash = strrchr(p, '/');
        if (!slash || slash == p)
            break;
        *slash = '\0';
    }
    free(p);
    return found;
}

char *provenance_git_revision(const char *argv0)
{
    const char *env = getenv("SENTIO_GIT_REV");
    if (env)
        return *env ? cli_xstrdup(env) : NULL;
    char *dir = binary_dir(argv0);
    if (!dir)
        return NULL;
    char *rev = NULL;
    if (inside_git_checkout(dir)) {
        static const char *const rev_parse[] = {"rev-parse", "--verify", "HEAD", NULL};
        static const char *const status[] = {"status", "--porcelain", NULL};
        rev = git_output(dir, rev_parse, NULL);
        bool dirty = false;
        char *st = rev ? git_output(dir, status, &dirty) : NULL;
        if (st && dirty) {
            size_t n = strlen(rev);
            rev = cli_xrealloc(rev, n + 7);
            memcpy(rev + n, "-dirty", 7);
        }
        free(st);
    }
    free(dir);
    return rev;
}
