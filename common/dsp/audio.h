/* audio.h - decoding audio files to mono float samples, resampled the way
 * librosa.load does it (libsoxr, quality HQ). */
#ifndef SENTIO_AUDIO_H
#define SENTIO_AUDIO_H

#include <stddef.h>

typedef struct {
    float *samples; /* mono */
    size_t n;
    double sr;
    double source_sr; /* the file's own rate, before resampling */
} audio_clip;

/* Limits checked against what libsndfile reports, before anything is allocated. */
#define AUDIO_MAX_CHANNELS 1024
#define AUDIO_MAX_RATE 1000000
#define AUDIO_MAX_FRAMES ((size_t)1 << 31) /* about 12 hours at 48 kHz */
/* Resampling may multiply the samples by at most this much (8 kHz to 512 kHz,
 * 345 Hz to 22050 Hz): a header claiming 1 Hz must not turn 40 KB into GBs. */
#define AUDIO_MAX_UPSAMPLING 64

/* Decodes PATH ("-" = stdin) with libsndfile (any format it reads), averages the
 * channels to mono and, when target_sr > 0 and differs from the file's rate,
 * resamples with libsoxr (SOXR_HQ, float32 in and out, as librosa's default
 * 'soxr_hq') to exactly ceil(n * target_sr / sr) samples (zero-padded or
 * trimmed like librosa.util.fix_length). Returns 0, or -1 with err set to what
 * went wrong (without the file name). Rejects empty files, unreadable or
 * non-audio files, truncated data (a WAV whose data chunk declares more bytes
 * than the file holds, too), non-finite samples and upsampling by more than
 * AUDIO_MAX_UPSAMPLING. MPEG and Ogg files are decoded to their end (their
 * header's length is an estimate); stdin that cannot seek is first copied to
 * an unnamed temporary file (FLAC needs to seek). */
int audio_load(const char *path, double target_sr, audio_clip *clip, char *err, size_t errlen);
void audio_clip_free(audio_clip *clip);

/* A reusable decoder: its buffers and resampler are kept between files, so a
 * long list costs no allocation per file once the buffers have grown. One per
 * thread. */
typedef struct audio_loader audio_loader;

audio_loader *audio_loader_new(void);
void audio_loader_free(audio_loader *l);
/* Like audio_load, but clip->samples belongs to the loader and stays valid
 * until its next load or free. */
int audio_loader_load(audio_loader *l, const char *path, double target_sr, audio_clip *clip,
                      char *err, size_t errlen);

/* Like audio_loader_load, but the audio is the standard output of COMMAND, run
 * with sh -c (a Kaldi wav.scp entry such as "sox a.flac -t wav - |" without its
 * '|'); the command exiting non-zero is an error. */
int audio_loader_load_command(audio_loader *l, const char *command, double target_sr,
                              audio_clip *clip, char *err, size_t errlen);

#endif
