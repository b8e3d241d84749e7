/* The allocation helpers: the growth rule, and sizes that would overflow refused as out of
 * memory (exit 1 with the tool's message) instead of wrapping round. */
#include "base/cli.h"
#include "base/xalloc.h"
#include "unit.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* Runs fn in a child with stderr captured; returns its exit status (-1: killed) and what it
 * wrote in msg. */
static int in_child(void (*fn)(void), char *msg, size_t msglen)
{
    int fd[2];
    if (pipe(fd) != 0)
        return -2;
    fflush(stdout); /* or the child's exit prints the results so far again */
    pid_t pid = fork();
    if (pid == 0) {
        close(fd[0]);
        dup2(fd[1], 2);
        fn();
        _exit(0);
    }
    close(fd[1]);
    size_t got = 0;
    ssize_t r;
    while (got + 1 < msglen && (r = read(fd[0], msg + got, msglen - 1 - got)) > 0)
        got += (size_t)r;
    msg[got] = '\0';
    close(fd[0]);
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void overflowing_array(void) { cli_xreallocarray(NULL, SIZE_MAX / 4 + 1, 8); }
static void huge_capacity(void) { cli_grown(SIZE_MAX / 2 + 1, 16); }

static void test_grown(void)
{
    CHECK(cli_grown(0, 16) == 16 && cli_grown(0, 1) == 1, "an empty array starts at `first`");
    CHECK(cli_grown(16, 16) == 32 && cli_grown(3, 64) == 6, "a full one doubles");
    CHECK(cli_grown(SIZE_MAX / 2, 1) == SIZE_MAX - 1, "the largest capacity that can double does");
    char msg[512];
    int rc = in_child(huge_capacity, msg, sizeof msg);
    CHECK(rc == 1 && strstr(msg, "out of memory") && strstr(msg, "cannot grow"),
          "one that cannot double exits 1, out of memory");
}

static void test_reallocarray(void)
{
    int *a = cli_xreallocarray(NULL, 4, sizeof *a);
    for (int i = 0; i < 4; i++)
        a[i] = i * i;
    a = cli_xreallocarray(a, 1000, sizeof *a);
    CHECK(a[0] == 0 && a[3] == 9, "growing keeps the elements");
    a[999] = 7;
    CHECK(a[999] == 7, "and gives room for the new ones");
    free(a);
    void *z = cli_xreallocarray(NULL, 0, 8);
    CHECK(z != NULL, "zero elements still give a block (never NULL)");
    free(z);
    char msg[512];
    int rc = in_child(overflowing_array, msg, sizeof msg);
    CHECK(rc == 1 && strstr(msg, "out of memory"),
          "count x size past SIZE_MAX exits 1, out of memory, instead of wrapping round");
}

int main(void)
{
    test_grown();
    test_reallocarray();
    return unit_done();
}
