/* voice_lld_dump - prints sentio's eGeMAPS voice LLDs of audio files as openSMILE's LLD CSV
 * lays them out ("name;frameTime;<15 columns>"), for pipelines/fidelity/voice_lld.py.
 * With -f, prints the rows as openSMILE's functionals see them (func_rows) instead.
 * With -r RATE, resamples the audio to RATE first. With -t, prints instead the x-realtime of the voice LLDs alone, in CPU time (decoding
 * excluded). */
#include "dsp/audio.h"
#include "dsp/voice.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    int a0 = 1, timing = 0, func = 0;
    double rate = 0.0; /* resample to this rate first (-r RATE), 0 = the file's own */
    for (; a0 < argc; a0++) {
        if (strcmp(argv[a0], "-t") == 0)
            timing = 1;
        else if (strcmp(argv[a0], "-f") == 0)
            func = 1;
        else if (strcmp(argv[a0], "-r") == 0 && a0 + 1 < argc)
            rate = atof(argv[++a0]);
        else
            break;
    }
    char err[256];
    voice_workspace *w = voice_workspace_create();
    audio_loader *l = audio_loader_new();
    double audio_sec = 0.0, cpu_sec = 0.0;
    int status = 0;
    if (!timing) {
        printf("name;frameTime");
        for (int c = 0; c < VOICE_NLLD; c++)
            printf(";%s", voice_lld_name(c));
        printf("\n");
    }
    for (int a = a0; a < argc; a++) {
        audio_clip clip;
        if (audio_loader_load(l, argv[a], rate, &clip, err, sizeof err) != 0) {
            fprintf(stderr, "voice_lld_dump: %s: %s\n", argv[a], err);
            status = 1;
            break;
        }
        size_t nf = voice_frames(clip.n, clip.sr);
        float *rows = malloc((nf ? nf : 1) * VOICE_NLLD * sizeof *rows);
        double t0 = now();
        if (voice_lld_compute_ws(w, clip.samples, clip.n, clip.sr, nf, func ? NULL : rows,
                                 func ? rows : NULL, NULL, err, sizeof err) != 0) {
            fprintf(stderr, "voice_lld_dump: %s: %s\n", argv[a], err);
            free(rows);
            status = 1;
            break;
        }
        cpu_sec += now() - t0;
        audio_sec += (double)clip.n / clip.sr;
        const char *base = strrchr(argv[a], '/');
        base = base ? base + 1 : argv[a];
        for (size_t f = 0; !timing && f < nf; f++) {
            printf("'%s';%.6f", base, (double)f * 0.01);
            for (int c = 0; c < VOICE_NLLD; c++)
                printf(";%.6e", rows[f * VOICE_NLLD + c]);
            printf("\n");
        }
        free(rows);
    }
    if (timing && status == 0)
        printf("%.1f s of audio in %.3f s: %.0fx realtime\n", audio_sec, cpu_sec,
               cpu_sec > 0 ? audio_sec / cpu_sec : 0.0);
    audio_loader_free(l);
    voice_workspace_free(w);
    return status;
}
