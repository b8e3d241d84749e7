/* Centred framing (dsp/frames), shared by MFCC and the STFT: frame counts as
 * librosa.stft(center=True) makes them, and the samples each frame holds. */
#include "dsp/frames.h"
#include "dsp/stft.h"
#include "unit.h"

static void test_count(void)
{
    CHECK(frames_count(2048, 512, 66150) == 1 + 66150 / 512, "frames = 1 + n/hop");
    CHECK(frames_count(2048, 512, 459) == 1, "a clip shorter than one FFT has one frame");
    CHECK(frames_count(2048, 512, 512) == 2, "n = hop: two frames");
    CHECK(frames_count(2048, 512, 1) == 1, "one sample: one frame");
    CHECK(frames_count(15, 4, 9) == 1 + (9 + 14 - 15) / 4, "odd n_fft pads n_fft/2 each side");
    CHECK(frames_count(2048, 512, 0) == 1, "even n_fft, no samples: the padding is one frame");
}

/* The edge where MFCC and the STFT used to disagree: an odd n_fft and no samples
 * pad to n_fft - 1 samples, shorter than a frame. librosa.util.frame raises
 * "Input is too short" there; MFCC made no frame and the STFT made one of
 * zeros. Both now make none. */
static void test_too_short(void)
{
    CHECK(frames_count(15, 4, 0) == 0, "odd n_fft, no samples: no frame (librosa refuses)");
    CHECK(frames_count(17, 1, 0) == 0, "the same with hop 1");
    CHECK(frames_count(17, 1, 1) == 1, "one sample with n_fft 17 pads to exactly one frame");
    stft *s = stft_create(17, 4);
    CHECK(s && stft_frames(s, 0) == frames_count(17, 4, 0), "the STFT counts as MFCC does");
    CHECK(s && stft_max_magnitude(s, NULL, 0) == 0.0, "the STFT of nothing has no magnitude");
    stft_free(s);
}

static void test_load(void)
{
    float x[10], w[4] = {1, 2, 3, 4}, out[4];
    for (int i = 0; i < 10; i++)
        x[i] = (float)(i + 1);
    /* n_fft 4, hop 3: frame t covers x[3t - 2 .. 3t + 1]. */
    frames_load(x, 10, 4, 3, 0, w, out);
    CHECK(out[0] == 0 && out[1] == 0 && out[2] == 3 * 1 && out[3] == 4 * 2,
          "frame 0: two zeros of padding, then x[0..1] windowed");
    frames_load(x, 10, 4, 3, 2, w, out);
    CHECK(out[0] == 1 * 5 && out[1] == 2 * 6 && out[2] == 3 * 7 && out[3] == 4 * 8,
          "frame 2: x[4..7] windowed, inside the signal");
    frames_load(x, 10, 4, 3, 3, w, out);
    CHECK(out[0] == 1 * 8 && out[1] == 2 * 9 && out[2] == 3 * 10 && out[3] == 0,
          "frame 3: x[7..9], then a zero past the end");
    CHECK(frames_count(4, 3, 10) == 1 + (10 + 4 - 4) / 3, "n 10, hop 3: four frames");
    frames_load(x, 1, 4, 3, 0, w, out);
    CHECK(out[0] == 0 && out[1] == 0 && out[2] == 3 && out[3] == 0, "a one-sample signal");
}

int main(void)
{
    test_count();
    test_too_short();
    test_load();
    return unit_done();
}
