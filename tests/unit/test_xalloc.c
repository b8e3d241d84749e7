/* The allocation helpers: the growth rule, and sizes that would overflow refused as out of
 * memory (exit 1 with the tool's message) instead of wrapping round. */
#include "base/cli.h"
#include "base/xalloc.h"
#include "unit.h"

#include <stdint.h>
#include <stdlib.h>

static void overflowing_array(void *unused)
{
    (void)unused;
    cli_xreallocarray(NULL, SIZE_MAX / 4 + 1, 8);
}

static void huge_capacity(void *unused)
{
    (void)unused;
    cli_grown(SIZE_MAX / 2 + 1, 16);
}

static void test_grown(void)
{
    CHECK(cli_grown(0, 16) == 16 && cli_grown(0, 1) == 1, "an empty array starts at `first`");
    CHECK(cli_grown(16, 16) == 32 && cli_grown(3, 64) == 6, "a full one doubles");
    CHECK(cli_grown(SIZE_MAX / 2, 1) == SIZE_MAX - 1, "the largest capacity that can double does");
    char msg[512];
    int rc = unit_in_child(huge_capacity, NULL, msg, sizeof msg);
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
    int rc = unit_in_child(overflowing_array, NULL, msg, sizeof msg);
    CHECK(rc == 1 && strstr(msg, "out of memory"),
          "count x size past SIZE_MAX exits 1, out of memory, instead of wrapping round");
}

int main(void)
{
    test_grown();
    test_reallocarray();
    return unit_done();
}
