/* Provenance of a run: the command line a user could paste back into a shell, and
 * the git revision ($SENTIO_GIT_REV first, else the binary's checkout, if any). */
#include "store/provenance.h"
#include "unit.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static bool is_revision(const char *s)
{
    size_t n = strspn(s, "0123456789abcdef");
    return n == 40 && (s[n] == '\0' || strcmp(s + n, "-dirty") == 0);
}

static void check_command(int argc, char **argv, const char *expected, const char *what)
{
    char *got = provenance_command_line(argc, argv);
    if (!CHECK(strcmp(got, expected) == 0, what))
        printf("#   got [%s], expected [%s]\n", got, expected);
    free(got);
}

int main(void)
{
    char *plain[] = {"nnfit", "--seed", "1", "-o", "out/a.nn", "x=1,y:2@%^+"};
    check_command(6, plain, "nnfit --seed 1 -o out/a.nn x=1,y:2@%^+", "safe words stay bare");
    char *quoted[] = {"metrics", "a b", "it's", "", "$HOME", "*.tsv"};
    check_command(6, quoted, "metrics 'a b' 'it'\\''s' '' '$HOME' '*.tsv'",
                  "spaces, quotes, empty words and shell characters are single-quoted");
    check_command(0, quoted, "", "no words: an empty line");

    setenv("SENTIO_GIT_REV", "abc123", 1);
    char *rev = provenance_git_revision("x");
    CHECK(rev && strcmp(rev, "abc123") == 0, "SENTIO_GIT_REV is the revision");
    free(rev);
    setenv("SENTIO_GIT_REV", "", 1);
    rev = provenance_git_revision("x");
    CHECK(rev == NULL, "an empty SENTIO_GIT_REV means none");
    unsetenv("SENTIO_GIT_REV");
    rev = provenance_git_revision("x");
    /* Built in a checkout: its HEAD; built from a tarball: none. */
    if (!CHECK(rev == NULL || is_revision(rev),
               "otherwise the checkout's HEAD (40 hex digits, maybe -dirty) or none"))
        printf("#   got [%s]\n", rev);
    free(rev);
    return unit_done();
}
