/* Unit tests of audio.h's file descriptors: each load closes what it opened, once.
 * A second close of a number libsndfile has already closed is harmless alone, but with
 * -j 2 another worker may have opened its clip under that number in between: CI saw
 * wav2mfcc skip a good clip with "Bad file descriptor" next to an unreadable one.
 *
 * This file defines close() itself, which interposes libc's for the whole process,
 * libsndfile included: it counts closes of numbers that were not open, and can stand for
 * that other worker by opening a file the moment a number is freed. */
#define _GNU_SOURCE /* syscall() */
#include "dsp/audio.h"
#include "unit.h"

#include <errno.h>
#include <fcntl.h>
#include <sndfile.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static int closes_of_closed; /* close() calls that found no open descriptor */
static bool take_freed;      /* open /dev/null into the first number a close frees */
static int taken = -1;       /* that descriptor, "another worker's clip" */

int close(int fd)
{
    long r = syscall(SYS_close, fd);
    int saved = errno;
    if (r != 0 && saved == EBADF)
        closes_of_closed++;
    if (r == 0 && take_freed && taken < 0)
        taken = open("/dev/null", O_RDONLY); /* the lowest free number: fd's */
    errno = saved;
    return (int)r;
}

/* The lowest free descriptor number: the same before and after a load that leaks none. */
static int lowest_free(void)
{
    int fd = open("/dev/null", O_RDONLY);
    if (fd >= 0)
        syscall(SYS_close, fd);
    return fd;
}

static char dir[] = "/tmp/sentio-test-audio-fds-XXXXXX";

static void write_file(const char *path, const char *bytes, size_t n)
{
    FILE *fp = fopen(path, "wb");
    if (fp) {
        fwrite(bytes, 1, n, fp);
        fclose(fp);
    }
}

struct load_case {
    const char *what;
    const char *input; /* a file in dir, or a command */
    bool command;
    bool loads;
};

static void check_case(audio_loader *l, const struct load_case *c, bool with_other_worker)
{
    char path[512], err[512], what[512];
    if (c->command)
        snprintf(path, sizeof path, c->input, dir);
    else
        snprintf(path, sizeof path, "%s/%s", dir, c->input);
    int before = lowest_free();
    closes_of_closed = 0;
    taken = -1;
    take_freed = with_other_worker;
    audio_clip clip;
    int rc = c->command ? audio_loader_load_command(l, path, 0, &clip, err, sizeof err)
                        : audio_loader_load(l, path, 0, &clip, err, sizeof err);
    take_freed = false;
    snprintf(what, sizeof what, "%s%s: %s", c->what,
             with_other_worker ? " (another worker opens the first freed number)" : "",
             c->loads ? "loads" : "is refused");
    if (!CHECK((rc == 0) == c->loads, what))
        printf("#   rc %d: %s\n", rc, rc == 0 ? "" : err);
    snprintf(what, sizeof what, "%s: no close of a descriptor that was not open", c->what);
    if (!with_other_worker && !CHECK(closes_of_closed == 0, what))
        printf("#   %d such closes\n", closes_of_closed);
    if (with_other_worker) {
        snprintf(what, sizeof what, "%s: the other worker's file stays open", c->what);
        CHECK(taken >= 0 && fcntl(taken, F_GETFD) != -1, what);
        if (taken >= 0)
            syscall(SYS_close, taken);
    }
    snprintf(what, sizeof what, "%s%s: every descriptor it opened is closed", c->what,
             with_other_worker ? " (another worker)" : "");
    int after = lowest_free();
    if (!CHECK(after == before, what))
        printf("#   lowest free descriptor %d before, %d after\n", before, after);
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    char path[512];
    enum { N = 2205 };
    static float x[N];
    for (int i = 0; i < N; i++)
        x[i] = 0.25f * (float)((i % 50) - 25) / 25.0f;
    SF_INFO info = {.channels = 1, .samplerate = 22050, .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16};
    snprintf(path, sizeof path, "%s/good.wav", dir);
    SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
    sf_writef_float(sf, x, N);
    sf_close(sf);
    snprintf(path, sizeof path, "%s/text.wav", dir);
    write_file(path, "not audio\n", 10);
    /* a RIFF header whose data chunk claims more bytes than follow: refused after the open */
    static const char cut[] = "RIFF\x30\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00"
                              "\x22\x56\x00\x00\x44\xac\x00\x00\x02\x00\x10\x00"
                              "data\x00\x10\x00\x00\x01\x00\x02\x00";
    snprintf(path, sizeof path, "%s/cut.wav", dir);
    write_file(path, cut, sizeof cut - 1);

    static const struct load_case cases[] = {
        {"a file that is not audio", "text.wav", false, false},
        {"a WAV", "good.wav", false, true},
        {"a WAV cut short", "cut.wav", false, false},
        {"a command whose output is not audio", "cat %s/text.wav", true, false},
        {"a command writing a WAV", "cat %s/good.wav", true, true},
    };
    audio_loader *l = audio_loader_new();
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        check_case(l, &cases[i], false);
        check_case(l, &cases[i], true);
    }
    audio_loader_free(l);

    const char *names[] = {"good.wav", "text.wav", "cut.wav"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
    return unit_done();
}
