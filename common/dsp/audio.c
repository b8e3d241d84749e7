#include "dsp/audio.h"

#include "base/err.h"
#include "base/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <sndfile.h>
#include <soxr.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define READ_CHUNK_FRAMES 8192
#define FIRST_ALLOCATION ((size_t)1 << 20)

struct audio_loader {
    float *mono; /* decoded, averaged samples */
    size_t mono_cap;
    float *chunk; /* interleaved frames as read */
    size_t chunk_cap;
    float *resampled;
    size_t resampled_cap;
    soxr_t soxr; /* kept while the rates stay the same */
    double soxr_in, soxr_out;
};

static float *reserve(float *buf, size_t *cap, size_t n)
{
    if (*cap >= n && buf)
        return buf;
    buf = cli_xreallocarray(buf, n, sizeof *buf);
    *cap = n;
    return buf;
}

audio_loader *audio_loader_new(void) { return cli_xcalloc(1, sizeof(audio_loader)); }

void audio_loader_free(audio_loader *l)
{
    if (!l)
        return;
    if (l->soxr)
        soxr_delete(l->soxr);
    free(l->mono);
    free(l->chunk);
    free(l->resampled);
    free(l);
}

/* A pipe cannot seek, and libsndfile's FLAC decoder (among others) must: stdin
 * that is not a regular file is copied into an unnamed temporary file first,
 * which also gives the WAV check below a file size to compare with. Returns
 * the descriptor to decode (the caller closes it), or -1 with err set. */
static int spool(int in_fd, char *err, size_t errlen)
{
    struct stat st;
    if (fstat(in_fd, &st) == 0 && S_ISREG(st.st_mode))
        return fcntl(in_fd, F_DUPFD_CLOEXEC, 0);
    const char *dir = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/sentio-stdin.XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) {
        err_set(err, errlen, "cannot make a temporary copy of stdin in %s: %s",
                dir && *dir ? dir : "/tmp", strerror(errno));
        return -1;
    }
    unlink(path); /* unnamed from here on: nothing is left behind, whatever happens */
    /* not inherited by other workers' --scp-pipes commands (mkostemp is not POSIX 2008) */
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    char buf[1 << 14]; /* on the stack: commands are spooled by worker threads */
    for (;;) {
        ssize_t got = read(in_fd, buf, sizeof buf);
        if (got == 0)
            break;
        if (got < 0 && errno == EINTR)
            continue;
        const char *what = "read error";
        for (ssize_t off = 0; got > 0 && off < got;) {
            ssize_t put = write(fd, buf + off, (size_t)(got - off));
            if (put < 0 && errno == EINTR)
                continue;
            if (put <= 0) {
                what = "cannot copy it to a temporary file";
                got = -1;
                break;
            }
            off += put;
        }
        if (got < 0) {
            err_set(err, errlen, "%s: %s", what, strerror(errno ? errno : EIO));
            close(fd);
            return -1;
        }
    }
    if (lseek(fd, 0, SEEK_SET) != 0) {
        err_set(err, errlen, "temporary copy: %s", strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

/* Runs cmd with sh -c and spools its stdout; a command that fails is an error. */
static int spool_command(const char *cmd, char *err, size_t errlen)
{
    FILE *p = popen(cmd, "r");
    if (!p) {
        err_set(err, errlen, "cannot run the command: %s", strerror(errno));
        return -1;
    }
    int fd = spool(fileno(p), err, errlen);
    int status = pclose(p);
    if (fd >= 0 && status != 0) {
        close(fd);
        if (status > 0 && WIFEXITED(status))
            err_set(err, errlen, "the command exited with status %d", WEXITSTATUS(status));
        else if (status > 0 && WIFSIGNALED(status))
            err_set(err, errlen, "the command was killed by signal %d", WTERMSIG(status));
        else
            err_set(err, errlen, "the command failed: %s", strerror(errno));
        return -1;
    }
    return fd;
}

static SNDFILE *open_input(const char *path, bool command, SF_INFO *info, int *fd, char *err,
                           size_t errlen)
{
    memset(info, 0, sizeof *info);
    if (command)
        *fd = spool_command(path, err, errlen);
    else if (strcmp(path, "-") == 0)
        *fd = spool(STDIN_FILENO, err, errlen);
    else
        *fd = open(path, O_RDONLY | O_CLOEXEC);
    if (*fd < 0) {
        if (!command && strcmp(path, "-") != 0)
            err_set(err, errlen, "%s", strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(*fd, &st) != 0) {
        err_set(err, errlen, "%s", strerror(errno));
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        err_set(err, errlen, "is a directory");
        return NULL;
    }
    if (st.st_size == 0) {
        err_set(err, errlen,
                command                  ? "the command wrote nothing"
                : strcmp(path, "-") == 0 ? "empty input"
                                         : "empty file");
        return NULL;
    }
    /* libsndfile gets a descriptor of its own, which it closes in every case: since
     * 1.0.31 a failed sf_open_fd closes the descriptor it was given even when told
     * not to (libsndfile issue #948). Closing ours again after that closed another
     * thread's newly opened clip under -j 2 ("Bad file descriptor"). */
    int sf_fd = fcntl(*fd, F_DUPFD_CLOEXEC, 0);
    if (sf_fd < 0) {
        err_set(err, errlen, "%s", strerror(errno));
        return NULL;
    }
    /* A failed open's reason is libsndfile's one global error number: opens are
     * serialised so that another thread's open cannot overwrite it before it is read
     * (with -j 2 a bad clip was reported as "No Error."). */
    static pthread_mutex_t open_lock = PTHREAD_MUTEX_INITIALIZER;
    pthread_mutex_lock(&open_lock);
    SNDFILE *sf = sf_open_fd(sf_fd, SFM_READ, info, SF_TRUE);
    if (!sf)
        err_set(err, errlen, "not a readable audio %s (libsndfile: %s)",
                command                  ? "output"
                : strcmp(path, "-") == 0 ? "stream"
                                         : "file",
                sf_strerror(NULL));
    pthread_mutex_unlock(&open_lock);
    return sf;
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* libsndfile quietly shortens a WAV whose data chunk runs past the end of the
 * file (a download or copy cut short), where a cut FLAC is an error: compare
 * the RIFF data chunk's declared size with the bytes the file holds. Sizes 0
 * and 0xFFFFFFFF mean "unknown" (written by streaming encoders) and pass.
 * Returns 0, or -1 with err set. */
static int check_wav_data_size(int fd, char *err, size_t errlen)
{
    struct stat st;
    unsigned char h[12];
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || pread(fd, h, 12, 0) != 12 ||
        memcmp(h, "RIFF", 4) != 0 || memcmp(h + 8, "WAVE", 4) != 0)
        return 0;
    off_t at = 12;
    for (int chunks = 0; chunks < 1000 && at + 8 <= st.st_size; chunks++) {
        if (pread(fd, h, 8, at) != 8)
            return 0;
        uint32_t size = le32(h + 4);
        at += 8;
        if (memcmp(h, "data", 4) == 0) {
            if (size == 0 || size == 0xFFFFFFFFu || at + (off_t)size <= st.st_size)
                return 0;
            return err_set(err, errlen,
                           "truncated: the data chunk declares %lu bytes, the file holds %lld",
                           (unsigned long)size, (long long)(st.st_size - at));
        }
        at += (off_t)size + (size & 1);
    }
    return 0;
}

/* True when some x[i] is NaN or infinite, *at = the first. The test is on
 * the exponent bits, so the scan vectorises. */
static bool first_non_finite(const float *x, size_t n, size_t *at)
{
    uint32_t any = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t bits;
        memcpy(&bits, &x[i], sizeof bits);
        any |= (bits & 0x7f800000u) == 0x7f800000u;
    }
    if (!any)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i])) {
            *at = i;
            return true;
        }
    return false;
}

/* The mean of the channels as numpy's float32 mean computes it: the sum in
 * channel order, then divided by the count (a product by 0.5 is the same
 * division, exactly, for two channels). */
static void downmix(const float *in, size_t frames, int channels, float *out)
{
    if (channels == 1) {
        memcpy(out, in, frames * sizeof *out);
    } else if (channels == 2) {
        for (size_t i = 0; i < frames; i++)
            out[i] = (in[2 * i] + in[2 * i + 1]) * 0.5f;
    } else {
        for (size_t i = 0; i < frames; i++) {
            float sum = 0.0f;
            for (int ch = 0; ch < channels; ch++)
                sum += in[i * channels + ch];
            out[i] = sum / (float)channels;
        }
    }
}

/* Reads every frame, averaging channels as numpy's float32 mean does (sum in
 * channel order, then divide), into l->mono. Returns the frame count or -1. */
static long long decode_mono(audio_loader *l, SNDFILE *sf, const SF_INFO *info, bool known_length,
                             char *err, size_t errlen)
{
    int channels = info->channels;
    size_t expected = known_length ? (size_t)info->frames : 0;
    size_t n = 0, bad;
    l->chunk = reserve(l->chunk, &l->chunk_cap, (size_t)READ_CHUNK_FRAMES * channels);
    for (;;) {
        if (known_length && n == expected)
            break;
        /* Grow geometrically rather than trusting the header with one allocation. */
        if (l->mono_cap < n + READ_CHUNK_FRAMES) {
            size_t want = cli_grown(l->mono_cap, FIRST_ALLOCATION);
            if (known_length && want > expected)
                want = expected;
            if (want < n + READ_CHUNK_FRAMES)
                want = n + READ_CHUNK_FRAMES;
            l->mono = reserve(l->mono, &l->mono_cap, want);
        }
        sf_count_t want = READ_CHUNK_FRAMES;
        if (known_length && expected - n < (size_t)want)
            want = (sf_count_t)(expected - n);
        sf_count_t got = sf_readf_float(sf, l->chunk, want);
        if (got < 0 || sf_error(sf) != SF_ERR_NO_ERROR)
            return err_set(err, errlen, "read error after %zu frames (libsndfile: %s)", n,
                           sf_strerror(sf));
        if (got == 0)
            break;
        if (first_non_finite(l->chunk, (size_t)got * channels, &bad)) {
            float v = l->chunk[bad];
            return err_set(err, errlen, "non-finite sample (%s) at frame %zu, channel %d",
                           isnan(v) ? "NaN" : "infinity", n + bad / channels,
                           (int)(bad % channels) + 1);
        }
        downmix(l->chunk, (size_t)got, channels, l->mono + n);
        n += (size_t)got;
        if (n > AUDIO_MAX_FRAMES)
            return err_set(err, errlen, "longer than %zu frames", AUDIO_MAX_FRAMES);
    }
    if (known_length && n < expected)
        return err_set(err, errlen, "truncated: the header promises %zu frames, the data holds %zu",
                       expected, n);
    if (n == 0)
        return err_set(err, errlen, "no audio samples");
    return (long long)n;
}

static int resample(audio_loader *l, const float *in, size_t n, double sr, double target,
                    audio_clip *clip, char *err, size_t errlen)
{
    double ratio = target / sr; /* as librosa: ceil(n * (target / sr)) */
    double want_d = ceil((double)n * ratio);
    if (!(want_d >= 1.0) || want_d > (double)AUDIO_MAX_FRAMES)
        return err_set(err, errlen, "cannot resample %zu samples from %g Hz to %g Hz", n, sr,
                       target);
    size_t want = (size_t)want_d;
    soxr_error_t e = NULL;
    if (l->soxr && (l->soxr_in != sr || l->soxr_out != target)) {
        soxr_delete(l->soxr);
        l->soxr = NULL;
    }
    if (!l->soxr) {
        soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
        soxr_quality_spec_t q = soxr_quality_spec(SOXR_HQ, 0);
        soxr_runtime_spec_t rt = soxr_runtime_spec(1);
        l->soxr = soxr_create(sr, target, 1, &e, &io, &q, &rt);
        if (e || !l->soxr) {
            l->soxr = NULL;
            return err_set(err, errlen, "resampler: %s", e ? e : "cannot create");
        }
        l->soxr_in = sr;
        l->soxr_out = target;
    } else if ((e = soxr_clear(l->soxr)) != NULL) {
        return err_set(err, errlen, "resampler: %s", e);
    }
    l->resampled = reserve(l->resampled, &l->resampled_cap, want);
    size_t done = 0;
    /* ~n: all of the input, then flush (exactly what soxr_oneshot does). */
    e = soxr_process(l->soxr, in, ~n, NULL, l->resampled, want, &done);
    if (e)
        return err_set(err, errlen, "resampler: %s", e);
    if (done < want) /* librosa.util.fix_length pads with zeros */
        memset(l->resampled + done, 0, (want - done) * sizeof(float));
    clip->samples = l->resampled;
    clip->n = want;
    clip->sr = target;
    return 0;
}

static int load(audio_loader *l, const char *path, bool command, double target_sr, audio_clip *clip,
                char *err, size_t errlen)
{
    memset(clip, 0, sizeof *clip);
    SF_INFO info;
    int fd = -1;
    SNDFILE *sf = open_input(path, command, &info, &fd, err, errlen);
    if (!sf) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    int rc = -1;
    /* For MPEG and Ogg (Vorbis, Opus) libsndfile's frame count is an estimate
     * from the bit rate or the last page: decode to the end instead. */
    int major = info.format & SF_FORMAT_TYPEMASK;
    bool estimated = major == SF_FORMAT_OGG || major == SF_FORMAT_MPEG;
    bool known_length = !estimated && info.frames > 0 && info.frames < SF_COUNT_MAX;
    double upsampling = target_sr > 0 && info.samplerate > 0 ? target_sr / info.samplerate : 1;
    if (info.channels < 1 || info.channels > AUDIO_MAX_CHANNELS)
        err_set(err, errlen, "unsupported channel count %d (1..%d)", info.channels,
                AUDIO_MAX_CHANNELS);
    else if (info.samplerate < 1 || info.samplerate > AUDIO_MAX_RATE)
        err_set(err, errlen, "unsupported sample rate %d Hz (1..%d)", info.samplerate,
                AUDIO_MAX_RATE);
    else if (upsampling > AUDIO_MAX_UPSAMPLING)
        err_set(err, errlen,
                "a sample rate of %d Hz would be resampled %.0fx to %g Hz (the limit is %dx): "
                "is the header right?",
                info.samplerate, upsampling, target_sr, AUDIO_MAX_UPSAMPLING);
    else if (info.frames == 0 && !estimated)
        err_set(err, errlen, "no audio samples");
    else if (known_length && (unsigned long long)info.frames > AUDIO_MAX_FRAMES)
        err_set(err, errlen, "%lld frames is more than the limit of %zu", (long long)info.frames,
                AUDIO_MAX_FRAMES);
    else if ((major == SF_FORMAT_WAV || major == SF_FORMAT_WAVEX) &&
             check_wav_data_size(fd, err, errlen) != 0)
        ;
    else {
        long long n = decode_mono(l, sf, &info, known_length, err, errlen);
        if (n > 0) {
            double sr = info.samplerate;
            if (target_sr > 0 && target_sr != sr) {
                rc = resample(l, l->mono, (size_t)n, sr, target_sr, clip, err, errlen);
            } else {
                clip->samples = l->mono;
                clip->n = (size_t)n;
                clip->sr = sr;
                rc = 0;
            }
            clip->source_sr = sr;
        }
    }
    sf_close(sf);
    close(fd);
    return rc;
}

int audio_loader_load(audio_loader *l, const char *path, double target_sr, audio_clip *clip,
                      char *err, size_t errlen)
{
    return load(l, path, false, target_sr, clip, err, errlen);
}

int audio_loader_load_command(audio_loader *l, const char *command, double target_sr,
                              audio_clip *clip, char *err, size_t errlen)
{
    return load(l, command, true, target_sr, clip, err, errlen);
}

int audio_load(const char *path, double target_sr, audio_clip *clip, char *err, size_t errlen)
{
    audio_loader *l = audio_loader_new();
    int rc = audio_loader_load(l, path, target_sr, clip, err, errlen);
    if (rc == 0) { /* hand the buffer that holds the clip over to the caller */
        if (clip->samples == l->mono)
            l->mono = NULL;
        else
            l->resampled = NULL;
    }
    audio_loader_free(l);
    return rc;
}

void audio_clip_free(audio_clip *clip)
{
    free(clip->samples);
    memset(clip, 0, sizeof *clip);
}
