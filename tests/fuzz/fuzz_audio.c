/* fuzz_audio - audio decoding through sentio's audio layer (common/dsp/audio.c,
 * wav2mfcc and plotdata's audio input), libsndfile underneath, from a file.
 * Properties: a rejected file gives -1 and a message; an accepted one gives at
 * least one finite sample at a rate in 1..AUDIO_MAX_RATE, and resampled to
 * 16 kHz exactly ceil(n * 16000 / sr) samples, all finite. */
#include "fuzz.h"

#include "dsp/audio.h"

#include <math.h>

static audio_loader *loader;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!loader) /* kept between inputs, as wav2mfcc keeps one per thread */
        loader = audio_loader_new();
    const char *path = fuzz_file(data, size, ".audio");
    audio_clip clip;
    char err[SENTIO_ERR_LEN] = "";
    if (audio_loader_load(loader, path, 0, &clip, err, sizeof err) != 0) {
        FUZZ_ASSERT(err[0], "refused without a message");
        return 0;
    }
    FUZZ_ASSERT(clip.n >= 1 && clip.sr >= 1 && clip.sr <= AUDIO_MAX_RATE, "%zu samples at %g Hz", clip.n,
                clip.sr);
    for (size_t i = 0; i < clip.n; i++)
        FUZZ_ASSERT(isfinite(clip.samples[i]), "sample %zu is not finite", i);
    double sr = clip.sr;
    size_t n = clip.n;
    /* Resampling's cost grows with the output: only for what a clip could be. */
    if ((double)n * 16000.0 / sr > 1e6)
        return 0;
    if (audio_loader_load(loader, path, 16000, &clip, err, sizeof err) != 0) {
        FUZZ_ASSERT(err[0], "resampling refused without a message");
        return 0;
    }
    FUZZ_ASSERT(clip.sr == 16000 && clip.n == (size_t)ceil((double)n * (16000.0 / sr)),
                "%zu samples at %g Hz became %zu at %g Hz", n, sr, clip.n, clip.sr);
    for (size_t i = 0; i < clip.n; i++)
        FUZZ_ASSERT(isfinite(clip.samples[i]), "resampled sample %zu is not finite", i);
    return 0;
}
