/* A tool's output file: written to a temporary beside the target and renamed on
 * commit, so an abort (or a failure) leaves what was there before. */
#include "base/outfile.h"
#include "unit.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

static char dir[] = "/tmp/sentio-outfile-XXXXXX";

static int entries(void)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

static int file_is(const char *path, const char *want)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return 0;
    char buf[256] = "";
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    return strcmp(buf, want) == 0;
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    char path[300];
    snprintf(path, sizeof path, "%s/out.tsv", dir);

    outfile o;
    CHECK(outfile_open(&o, path) == 0 && o.fp && o.tmp, "open: a temporary to write");
    fputs("first\n", o.fp);
    CHECK(access(path, F_OK) != 0 && entries() == 1, "before commit only the temporary exists");
    CHECK(strcmp(outfile_name(&o), path) == 0, "messages name the final path");
    CHECK(outfile_commit(&o) == 0 && file_is(path, "first\n") && entries() == 1,
          "commit renames it into place");

    CHECK(outfile_open(&o, path) == 0, "open over an existing file");
    fputs("second, half written", o.fp);
    outfile_abort(&o);
    CHECK(file_is(path, "first\n") && entries() == 1,
          "abort: the old file untouched, no temporary left");

    CHECK(outfile_open(&o, path) == 0, "open again");
    fputs("second\n", o.fp);
    CHECK(outfile_commit(&o) == 0 && file_is(path, "second\n"), "commit replaces the file whole");

    char missing[320];
    snprintf(missing, sizeof missing, "%s/no/such/dir/x", dir);
    CHECK(outfile_open(&o, missing) == -1 && errno == ENOENT, "a missing directory: -1 with errno");

    CHECK(outfile_open(&o, "/dev/null") == 0 && o.tmp == NULL, "a device is written in place");
    fputs("x", o.fp);
    CHECK(outfile_commit(&o) == 0, "and committed without a rename");

    /* stdout is written through a stream that hashes what passes (outfile_sha256) */
    CHECK(outfile_open(&o, "-") == 0 && o.path == NULL && o.fd == STDOUT_FILENO &&
              strcmp(outfile_name(&o), "(stdout)") == 0,
          "'-' is stdout");
    CHECK(outfile_commit(&o) == 0, "and committed");
    CHECK(outfile_open(&o, NULL) == 0 && o.path == NULL && o.fd == STDOUT_FILENO, "NULL is stdout");
    char hex[65];
    CHECK(outfile_sha256(&o, hex) == 0 &&
              strcmp(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855") == 0,
          "nothing written yet: the SHA-256 of no bytes");
    CHECK(outfile_commit(&o) == 0, "and committed");

    unlink(path);
    rmdir(dir);
    return unit_done();
}
