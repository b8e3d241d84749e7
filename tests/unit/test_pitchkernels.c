/* test_pitchkernels.c - the SHS pitch tracker's AVX2 kernels (dsp/pitch.c) against its
 * portable loops: the candidates, RMS and magnitude spectrum of every frame must be the same
 * bits, at rates that give FFTs of 512 to 4096 points, on tones, noise, silence, full-scale
 * and denormal signals, and on frames that run past the end of the clip. Where the CPU lacks
 * AVX2 both sides run the portable loops. */
#include "dsp/pitch.h"
#include "unit.h"

#include <stdint.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

static float noise(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return (float)(*s >> 8) / 8388608.0f - 1.0f;
}

enum { TONE, NOISE, SILENCE, FULL_SCALE, DENORMAL, KINDS };
static const char *const kind_name[KINDS] = {"tone", "noise", "silence", "full-scale square",
                                             "denormal"};

static void make_signal(int kind, float *x, size_t n, double sr)
{
    uint32_t s = 12345u + (uint32_t)kind;
    for (size_t i = 0; i < n; i++) {
        double t = (double)i / sr, f0 = 110.0 + 90.0 * t; /* a glide */
        switch (kind) {
        case TONE: {
            double v = 0.0;
            for (int h = 1; h <= 8; h++)
                v += sin(2.0 * M_PI * h * f0 * t) / h;
            x[i] = (float)(0.3 * v) + 0.01f * noise(&s);
            break;
        }
        case NOISE: x[i] = noise(&s); break;
        case SILENCE: x[i] = 0.0f; break;
        case FULL_SCALE: x[i] = sin(2.0 * M_PI * 150.0 * t) >= 0.0 ? 1.0f : -1.0f; break;
        default: x[i] = 1e-41f * noise(&s); break;
        }
    }
}

static int same_bits(const void *a, const void *b, size_t n) { return memcmp(a, b, n) == 0; }

int main(void)
{
    const double rates[] = {8000.0, 11025.0, 16000.0, 22050.0, 44100.0, 48000.0};
    for (size_t r = 0; r < sizeof rates / sizeof *rates; r++) {
        double sr = rates[r];
        pitch_shs *fast = pitch_shs_create(sr), *plain = pitch_shs_create(sr);
        pitch_shs_portable(plain);
        size_t nb = pitch_fft_bins(fast), len = pitch_frame_len(fast), hop = pitch_hop(fast);
        size_t n = (size_t)(0.5 * sr);
        float *x = malloc(n * sizeof *x), *ma = malloc(nb * sizeof *ma),
              *mb = malloc(nb * sizeof *mb);
        for (int kind = 0; kind < KINDS; kind++) {
            make_signal(kind, x, n, sr);
            int ok = 1, frames = 0;
            /* whole frames, then ones cut short by the end of the clip, then one past it */
            for (size_t start = 0; start < n + hop; start += start + len < n ? hop : len / 7) {
                pitch_cands a, b;
                memset(&a, 0xa5, sizeof a);
                memset(&b, 0x5a, sizeof b);
                pitch_shs_frame(fast, x, n, start, &a, ma);
                pitch_shs_frame(plain, x, n, start, &b, mb);
                ok &= same_bits(a.f0, b.f0, sizeof a.f0) &&
                      same_bits(a.voicing, b.voicing, sizeof a.voicing) &&
                      same_bits(&a.f0raw, &b.f0raw, sizeof a.f0raw) &&
                      same_bits(&a.voicing_clip, &b.voicing_clip, sizeof a.voicing_clip) &&
                      same_bits(&a.rms, &b.rms, sizeof a.rms) && same_bits(ma, mb, nb * sizeof *ma);
                float ra, rb;
                pitch_frame_magnitude(fast, x, n, start, ma, &ra);
                pitch_frame_magnitude(plain, x, n, start, mb, &rb);
                ok &= same_bits(&ra, &rb, sizeof ra) && same_bits(ma, mb, nb * sizeof *ma);
                frames++;
            }
            char what[160];
            snprintf(what, sizeof what,
                     "pitch kernels: %g Hz (%zu bins), %s: %d frames, AVX2 = portable bits", sr, nb,
                     kind_name[kind], frames);
            CHECK(ok && frames > 40, what);
        }
        free(x);
        free(ma);
        free(mb);
        pitch_shs_free(fast);
        pitch_shs_free(plain);
    }
    return unit_done();
}
