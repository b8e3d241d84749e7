/* voice.c - PLACEHOLDER until the egvoice branch's voice-source LLDs are merged:
 * every clip reads as unvoiced (all voice columns 0, F0 0). Merging egvoice
 * replaces this file with the real implementation. */
#include "dsp/voice.h"

#include "base/cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[VOICE_NLLD] = {
    "F0semitoneFrom27.5Hz_sma3nz", "jitterLocal_sma3nz", "shimmerLocaldB_sma3nz",
    "HNRdBACF_sma3nz", "logRelF0-H1-H2_sma3nz", "logRelF0-H1-A3_sma3nz",
    "F1frequency_sma3nz", "F1bandwidth_sma3nz", "F1amplitudeLogRelF0_sma3nz",
    "F2frequency_sma3nz", "F2bandwidth_sma3nz", "F2amplitudeLogRelF0_sma3nz",
    "F3frequency_sma3nz", "F3bandwidth_sma3nz", "F3amplitudeLogRelF0_sma3nz",
};

const char *voice_lld_name(int c) { return c >= 0 && c < VOICE_NLLD ? names[c] : NULL; }

size_t voice_frames(size_t n, double sr)
{
    size_t hop = (size_t)llround(0.01 * sr), len = (size_t)llround(0.06 * sr);
    if (hop == 0 || len == 0 || n < len)
        return 0;
    return (n - len) / hop + 2;
}

struct voice_workspace {
    int unused;
};

voice_workspace *voice_workspace_create(void) { return cli_xcalloc(1, sizeof(voice_workspace)); }
void voice_workspace_free(voice_workspace *w) { free(w); }

int voice_lld_compute_ws(voice_workspace *w, const float *x, size_t n, double sr,
                         size_t nframes, float *lld_rows, float *func_rows, float *f0_hz,
                         char *err, size_t errlen)
{
    (void)w, (void)x, (void)n, (void)sr, (void)err, (void)errlen;
    memset(lld_rows, 0, nframes * VOICE_NLLD * sizeof *lld_rows);
    if (func_rows)
        memset(func_rows, 0, nframes * VOICE_NLLD * sizeof *func_rows);
    if (f0_hz)
        memset(f0_hz, 0, nframes * sizeof *f0_hz);
    return 0;
}

int voice_lld_compute(const float *x, size_t n, double sr, size_t nframes, float *rows,
                      char *err, size_t errlen)
{
    voice_workspace *w = voice_workspace_create();
    int rc = voice_lld_compute_ws(w, x, n, sr, nframes, rows, NULL, NULL, err, errlen);
    voice_workspace_free(w);
    return rc;
}
