/* Unit tests of audio.h: decoding, downmix, resampling length and equality
 * with soxr_oneshot (what python-soxr, hence librosa, calls), bad inputs. */
#include "dsp/audio.h"
#include "unit.h"

#include <sndfile.h>
#include <soxr.h>
#include <stdlib.h>
#include <unistd.h>

static char dir[] = "/tmp/sentio-test-audio-XXXXXX";

static void write_wav(const char *path, int channels, int rate, const float *x, sf_count_t frames)
{
    SF_INFO info = {
        .channels = channels, .samplerate = rate, .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT};
    SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
    sf_writef_float(sf, x, frames);
    sf_close(sf);
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    char path[256], err[256];
    enum { N = 4801 };
    static float stereo[2 * N], mono[N];
    for (int i = 0; i < N; i++) {
        stereo[2 * i] = (float)sin(0.05 * i) * 0.5f;
        stereo[2 * i + 1] = (float)cos(0.021 * i) * 0.25f;
        mono[i] = (stereo[2 * i] + stereo[2 * i + 1]) / 2.0f;
    }
    snprintf(path, sizeof path, "%s/stereo.wav", dir);
    write_wav(path, 2, 48000, stereo, N);

    audio_clip clip;
    CHECK(audio_load(path, 0, &clip, err, sizeof err) == 0, "native rate: loads");
    CHECK(clip.n == N && clip.sr == 48000, "native rate: every frame, the file's rate");
    CHECK(clip.samples && memcmp(clip.samples, mono, sizeof mono) == 0,
          "two channels averaged to mono exactly as numpy's float32 mean");
    audio_clip_free(&clip);

    CHECK(audio_load(path, 22050, &clip, err, sizeof err) == 0, "resampled: loads");
    CHECK(clip.n == (size_t)ceil(N * (22050.0 / 48000)) && clip.sr == 22050,
          "resampled length is ceil(n * target / sr)");
    float *want = malloc(clip.n * sizeof *want);
    size_t done = 0;
    soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
    soxr_quality_spec_t q = soxr_quality_spec(SOXR_HQ, 0);
    soxr_oneshot(48000, 22050, 1, mono, N, NULL, want, clip.n, &done, &io, &q, NULL);
    for (size_t i = done; i < clip.n; i++)
        want[i] = 0;
    CHECK(memcmp(clip.samples, want, clip.n * sizeof *want) == 0,
          "resampled samples equal soxr_oneshot HQ (librosa's soxr_hq)");
    audio_clip_free(&clip);

    /* A reused loader (soxr_clear between files) gives the same bytes. */
    audio_loader *l = audio_loader_new();
    int same = 1;
    for (int r = 0; r < 3; r++) {
        same &= audio_loader_load(l, path, 22050, &clip, err, sizeof err) == 0 &&
                memcmp(clip.samples, want, clip.n * sizeof *want) == 0;
    }
    CHECK(same, "a reused loader resamples every file identically");
    free(want);

    float bad[4] = {0, 0, NAN, 0};
    snprintf(path, sizeof path, "%s/nan.wav", dir);
    write_wav(path, 1, 8000, bad, 4);
    CHECK(audio_loader_load(l, path, 0, &clip, err, sizeof err) == -1 && strstr(err, "NaN") &&
              strstr(err, "frame 2"),
          "a NaN sample is refused with its index");
    snprintf(path, sizeof path, "%s/empty.wav", dir);
    write_wav(path, 1, 8000, bad, 0);
    CHECK(audio_loader_load(l, path, 0, &clip, err, sizeof err) == -1 && strstr(err, "no audio"),
          "a file without samples is refused");
    snprintf(path, sizeof path, "%s/none.wav", dir);
    CHECK(audio_loader_load(l, path, 0, &clip, err, sizeof err) == -1 &&
              strstr(err, "No such file"),
          "a missing file is refused");
    FILE *fp = fopen(path, "w");
    fputs("just some text, no audio at all\n", fp);
    fclose(fp);
    CHECK(audio_loader_load(l, path, 0, &clip, err, sizeof err) == -1 &&
              strstr(err, "not a readable audio file"),
          "a text file is refused");
    audio_loader_free(l);

    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? unit_done() : 1;
}
