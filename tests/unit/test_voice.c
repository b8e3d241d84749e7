/* test_voice.c - the eGeMAPS voice LLDs (dsp/voice.h, pitch.h, formant.h) on synthetic
 * signals of known F0, period perturbation and resonances, and on the fixtures' openSMILE
 * goldens. */
#include "dsp/audio.h"
#include "dsp/formant.h"
#include "dsp/pitch.h"
#include "dsp/voice.h"
#include "unit.h"

#include <pthread.h>
#include <stdlib.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

static double semitone(double hz) { return 12.0 * log2(hz / 27.5); }

/* Harmonics 1..nh of a tone whose F0 goes linearly from f_start to f_end; harmonic 1 has
 * amplitude a1, the others 1/h. Peak about 0.3. */
static float *tone(double sr, size_t n, double f_start, double f_end, int nh, double a1)
{
    float *x = calloc(n, sizeof *x);
    double phase = 0.0;
    for (size_t i = 0; i < n; i++) {
        double f = f_start + (f_end - f_start) * (double)i / (double)n;
        phase += 2.0 * M_PI * f / sr;
        double v = a1 * sin(phase);
        for (int h = 2; h <= nh; h++)
            v += sin(h * phase) / h;
        x[i] = (float)(0.1 * v);
    }
    return x;
}

static float *lld(const float *x, size_t n, double sr, size_t *nf)
{
    *nf = voice_frames(n, sr);
    float *rows = calloc(*nf ? *nf * VOICE_NLLD : 1, sizeof *rows);
    char err[128];
    if (voice_lld_compute(x, n, sr, *nf, rows, err, sizeof err) != 0)
        printf("# %s\n", err);
    return rows;
}

/* Median of column c over frames [from, to) that are voiced (F0 column non-zero). */
static double voiced_median(const float *rows, size_t from, size_t to, int c)
{
    double v[4096];
    size_t m = 0;
    for (size_t f = from; f < to && m < 4096; f++)
        if (rows[f * VOICE_NLLD] != 0.0f)
            v[m++] = rows[f * VOICE_NLLD + c];
    if (m == 0)
        return NAN;
    for (size_t i = 1; i < m; i++)
        for (size_t j = i; j > 0 && v[j] < v[j - 1]; j--) {
            double t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    return v[m / 2];
}

static int all_finite(const float *rows, size_t cnt)
{
    for (size_t i = 0; i < cnt; i++)
        if (!isfinite(rows[i]))
            return 0;
    return 1;
}

static void test_frames(void)
{
    CHECK(voice_frames(38341, 16000) == 235,
          "frames: 60 ms frames plus one partial (openSMILE's 235)");
    CHECK(voice_frames(22050, 22050) == 95, "frames: 10 ms hop rounds to 221 samples at 22050 Hz");
    CHECK(voice_frames(144000, 48000) == 296, "frames: 48 kHz, 3 s (openSMILE's 296)");
    CHECK(voice_frames(2879, 48000) == 0, "frames: none for less than 60 ms");
    CHECK(strcmp(voice_lld_name(VOICE_F3_AMP), "F3amplitudeLogRelF0_sma3nz") == 0,
          "names: openSMILE's last column");
}

static void test_steady_tones(void)
{
    static const double f0s[] = {90.0, 180.0, 320.0};
    for (int k = 0; k < 3; k++) {
        double sr = 16000;
        size_t n = 16000, nf;
        float *x = tone(sr, n, f0s[k], f0s[k], 10, 1.0);
        float *rows = lld(x, n, sr, &nf);
        double st = voiced_median(rows, 10, nf - 10, VOICE_F0_SEMITONE);
        char what[96];
        snprintf(what, sizeof what, "pitch: %.0f Hz tone within 0.2 semitone", f0s[k]);
        CHECK_NEAR(st, semitone(f0s[k]), 0.2, what);
        size_t voiced = 0;
        for (size_t f = 10; f < nf - 10; f++)
            voiced += rows[f * VOICE_NLLD] != 0.0f;
        snprintf(what, sizeof what, "pitch: %.0f Hz tone voiced throughout", f0s[k]);
        CHECK(voiced == nf - 20, what);
        /* The ACF of the 60 ms Gaussian-windowed frame bounds a clean tone's HNR: the window's
         * own autocorrelation at the period lag. Noise must lower it. */
        double hnr_clean = voiced_median(rows, 10, nf - 10, VOICE_HNR_DB);
        srand(11);
        for (size_t i = 0; i < n; i++)
            x[i] += (float)(0.08 * ((double)rand() / RAND_MAX - 0.5));
        free(rows);
        rows = lld(x, n, sr, &nf);
        double hnr_noisy = voiced_median(rows, 10, nf - 10, VOICE_HNR_DB);
        snprintf(what, sizeof what, "HNR: %.0f Hz tone, clean above noisy by 1 dB", f0s[k]);
        if (!CHECK(hnr_clean > hnr_noisy + 1.0, what))
            printf("#   clean %.2f dB, noisy %.2f dB\n", hnr_clean, hnr_noisy);
        free(x);
        free(rows);
    }
}

static void test_glide(void)
{
    double sr = 22050;
    size_t n = 44100, nf;
    float *x = tone(sr, n, 120.0, 240.0, 8, 1.0);
    float *rows = lld(x, n, sr, &nf);
    int ok = 1;
    double worst = 0.0;
    for (size_t f = 10; f + 10 < nf; f++) {
        /* the 60 ms frame starting at f*221 samples is centred 30 ms later */
        double t = ((double)f * 221.0 + 0.03 * sr) / (double)n;
        double expect = semitone(120.0 + 120.0 * t);
        double d = fabs(rows[f * VOICE_NLLD] - expect);
        if (d > worst)
            worst = d;
        ok &= d < 0.5;
    }
    if (!CHECK(ok, "pitch: a 120-240 Hz glide tracked within 0.5 semitone"))
        printf("#   worst %.3f semitones\n", worst);
    free(x);
    free(rows);
}

static void test_weak_fundamental(void)
{
    /* harmonic 1 at 5% of its usual level: SHS must still pick 150 Hz, not 300 Hz */
    double sr = 48000;
    size_t n = 48000, nf;
    float *x = tone(sr, n, 150.0, 150.0, 12, 0.05);
    float *rows = lld(x, n, sr, &nf);
    CHECK_NEAR(voiced_median(rows, 10, nf - 10, VOICE_F0_SEMITONE), semitone(150.0), 0.3,
               "pitch: 150 Hz tone with a weak fundamental, no octave error");
    free(x);
    free(rows);
}

/* A train of glottal-like pulses (one cycle of a raised cosine, then a decaying 2nd
 * harmonic) whose periods alternate T(1 + dj), T(1 - dj) and amplitudes A(1 + ds), A(1 - ds). */
static float *pulses(double sr, size_t n, double f0, double dj, double ds)
{
    float *x = calloc(n, sizeof *x);
    double t = 0.0;
    int k = 0;
    while (t < (double)n) {
        double period = sr / f0 * (1.0 + ((k & 1) ? -dj : dj));
        double amp = 0.3 * (1.0 + ((k & 1) ? -ds : ds));
        for (size_t i = (size_t)ceil(t); i < n && (double)i < t + period; i++) {
            double u = ((double)i - t) / period;
            x[i] = (float)(amp * (sin(2.0 * M_PI * u) + 0.5 * sin(4.0 * M_PI * u) * exp(-3.0 * u)));
        }
        t += period;
        k++;
    }
    return x;
}

static void test_jitter_shimmer(void)
{
    double sr = 48000;
    size_t n = 72000, nf;
    float *x = pulses(sr, n, 120.0, 0.0, 0.0);
    float *rows = lld(x, n, sr, &nf);
    double j0 = voiced_median(rows, 10, nf - 10, VOICE_JITTER);
    double s0 = voiced_median(rows, 10, nf - 10, VOICE_SHIMMER_DB);
    CHECK(j0 < 0.002, "jitter: a regular pulse train below 0.2%");
    CHECK(s0 < 0.05, "shimmer: a regular pulse train below 0.05 dB");
    free(x);
    free(rows);

    /* Periods alternating +-1% and +-2%. openSMILE finds each period by correlating a
     * candidate period with the next, which averages alternating lengths: it reports well under
     * the true 2% and 4%, but in order and far above the regular train. */
    x = pulses(sr, n, 120.0, 0.01, 0.0);
    rows = lld(x, n, sr, &nf);
    double j1 = voiced_median(rows, 10, nf - 10, VOICE_JITTER);
    free(x);
    free(rows);
    x = pulses(sr, n, 120.0, 0.02, 0.0);
    rows = lld(x, n, sr, &nf);
    double j2 = voiced_median(rows, 10, nf - 10, VOICE_JITTER);
    if (!CHECK(j1 > 2.0 * j0 + 0.001 && j2 > 1.5 * j1 && j2 < 0.04,
               "jitter: grows with the period perturbation (0 < +-1% < +-2%)"))
        printf("#   %.5f %.5f %.5f\n", j0, j1, j2);
    free(x);
    free(rows);

    /* amplitudes alternating +-5%: |dA| = 10% of the mean, 20 log10(1.1) = 0.83 dB */
    x = pulses(sr, n, 120.0, 0.0, 0.05);
    rows = lld(x, n, sr, &nf);
    CHECK_NEAR(voiced_median(rows, 10, nf - 10, VOICE_SHIMMER_DB), 20.0 * log10(1.1), 0.1,
               "shimmer: amplitudes alternating +-5% give about 0.83 dB");
    free(x);
    free(rows);
}

static void test_formants(void)
{
    /* a 100 Hz impulse train through resonators at 700, 1220, 2600 Hz */
    double sr = 16000, fr[3] = {700, 1220, 2600}, bw[3] = {80, 90, 120};
    size_t n = 8000;
    double *y = calloc(n, sizeof *y);
    for (size_t i = 0; i < n; i += 160)
        y[i] = 1.0;
    for (int k = 0; k < 3; k++) {
        double r = exp(-M_PI * bw[k] / sr), th = 2.0 * M_PI * fr[k] / sr;
        double y1 = 0.0, y2 = 0.0;
        for (size_t i = 0; i < n; i++) {
            double v = y[i] + 2.0 * r * cos(th) * y1 - r * r * y2;
            y2 = y1;
            y1 = v;
            y[i] = v;
        }
    }
    double peak = 0.0;
    for (size_t i = 0; i < n; i++)
        peak = fmax(peak, fabs(y[i]));
    float *x = calloc(n, sizeof *x);
    for (size_t i = 0; i < n; i++)
        x[i] = (float)(0.5 * y[i] / peak);
    formant_lpc *f = formant_create(sr, 0);
    float fc[FORMANT_MAX], fb[FORMANT_MAX];
    int nfound = formant_frame(f, x, n, 2400, fc, fb);
    /* the model's poles include every resonance (a broad extra pole may sit among them) */
    for (int k = 0; k < 3; k++) {
        double best = 1e9, best_bw = 0;
        for (int i = 0; i < nfound; i++)
            if (fabs(fc[i] - fr[k]) < fabs(best - fr[k])) {
                best = fc[i];
                best_bw = fb[i];
            }
        char what[96];
        snprintf(what, sizeof what, "formants: the %.0f Hz resonance within 3%%", fr[k]);
        CHECK_NEAR(best, fr[k], 0.03 * fr[k], what);
        snprintf(what, sizeof what, "formants: its bandwidth below 400 Hz");
        if (!CHECK(best_bw > 0 && best_bw < 400, what))
            printf("#   %.1f Hz\n", best_bw);
    }
    formant_free(f);
    free(y);
    free(x);
}

static void test_unvoiced(void)
{
    double sr = 16000;
    size_t n = 16000, nf;
    float *x = calloc(n, sizeof *x);
    float *rows = lld(x, n, sr, &nf);
    int zero = 1;
    for (size_t f = 0; f < nf; f++)
        for (int c = 0; c <= VOICE_H1A3; c++)
            zero &= rows[f * VOICE_NLLD + c] == 0.0f;
    CHECK(zero && all_finite(rows, nf * VOICE_NLLD), "silence: voice columns 0, nothing NaN");
    free(rows);
    srand(7);
    for (size_t i = 0; i < n; i++)
        x[i] = (float)(0.2 * ((double)rand() / RAND_MAX - 0.5));
    rows = lld(x, n, sr, &nf);
    size_t voiced = 0;
    for (size_t f = 0; f < nf; f++)
        voiced += rows[f * VOICE_NLLD] != 0.0f;
    CHECK(voiced * 10 < nf, "white noise: under 10% of frames voiced");
    CHECK(all_finite(rows, nf * VOICE_NLLD), "white noise: nothing NaN");
    free(rows);
    CHECK(voice_frames(500, sr) == 0, "shorter than a frame: no frames");
    char err[64];
    float row[VOICE_NLLD];
    CHECK(voice_lld_compute(x, 500, sr, 0, row, err, sizeof err) == 0,
          "shorter than a frame: computing 0 frames succeeds");
    CHECK(voice_lld_compute(x, n, 1000.0, 1, row, err, sizeof err) == -1 &&
              strstr(err, "1000") != NULL,
          "an unsupported rate is an error naming it");
    free(x);
}

static void test_workspace_outputs(void)
{
    /* one workspace across clips and rates gives what fresh computations give: nothing of
     * one clip (formant roots, pitch state) carries over into the next */
    static const double rates[] = {8000, 44100, 44100, 16000};
    voice_workspace *w = voice_workspace_create();
    char err[128];
    int same = 1;
    for (int r = 0; r < 4; r++) {
        double sr = rates[r];
        size_t n = (size_t)sr, nf;
        float *x = tone(sr, n, 140.0 + 20.0 * r, 160.0 + 20.0 * r, 10, 1.0);
        float *fresh = lld(x, n, sr, &nf);
        float *rows = calloc(nf * VOICE_NLLD, sizeof *rows);
        float *func = calloc(nf * VOICE_NLLD, sizeof *func);
        float *f0 = calloc(nf, sizeof *f0);
        same &= voice_lld_compute_ws(w, x, n, sr, nf, rows, func, f0, err, sizeof err) == 0;
        same &= memcmp(rows, fresh, nf * VOICE_NLLD * sizeof *rows) == 0;
        if (sr == 8000) {
            char what[96];
            snprintf(what, sizeof what, "pitch: 8 kHz, a 140-160 Hz tone near 150 Hz");
            double st = voiced_median(rows, 10, nf - 10, VOICE_F0_SEMITONE);
            CHECK(st > semitone(135.0) && st < semitone(165.0), what);
        }
        /* f0_hz is the unsmoothed F0 behind the semitone column; func_rows zero the formant
         * frequencies where it is 0 and otherwise match lld_rows on voiced stretches */
        int f0_ok = 1, func_ok = 1;
        for (size_t f = 0; f < nf; f++) {
            f0_ok &= (f0[f] > 0.0f) == (rows[f * VOICE_NLLD] != 0.0f);
            if (f0[f] == 0.0f)
                func_ok &= func[f * VOICE_NLLD + VOICE_F1_FREQ] == 0.0f &&
                           func[f * VOICE_NLLD + VOICE_F3_BW] == 0.0f;
            else if (f > 0 && f + 1 < nf && f0[f - 1] > 0.0f && f0[f + 1] > 0.0f)
                func_ok &=
                    func[f * VOICE_NLLD + VOICE_F2_FREQ] == rows[f * VOICE_NLLD + VOICE_F2_FREQ];
        }
        char what[96];
        snprintf(what, sizeof what, "outputs at %.0f Hz: f0_hz voiced where F0 is", sr);
        CHECK(f0_ok, what);
        snprintf(what, sizeof what, "outputs at %.0f Hz: func_rows' formants voiced-only", sr);
        CHECK(func_ok, what);
        free(x);
        free(fresh);
        free(rows);
        free(func);
        free(f0);
    }
    CHECK(same, "workspace: reused across clips at 8, 44.1, 44.1 and 16 kHz, rows as fresh");
    voice_workspace_free(w);
}

typedef struct {
    const float *x;
    size_t n, nf;
    double sr;
    float *rows;
} thread_job;

static void *thread_run(void *arg)
{
    thread_job *j = arg;
    char err[128];
    for (int rep = 0; rep < 3; rep++) { /* workspaces made and freed while others compute */
        voice_workspace *w = voice_workspace_create();
        voice_lld_compute_ws(w, j->x, j->n, j->sr, j->nf, j->rows, NULL, NULL, err, sizeof err);
        voice_workspace_free(w);
    }
    return NULL;
}

static void test_threads(void)
{
    double sr = 22050;
    size_t n = 11025, nf = voice_frames(n, sr);
    float *x = tone(sr, n, 200.0, 220.0, 8, 1.0);
    float *ref = lld(x, n, sr, &nf);
    thread_job jobs[4];
    pthread_t th[4];
    for (int t = 0; t < 4; t++) {
        jobs[t] = (thread_job){x, n, nf, sr, calloc(nf * VOICE_NLLD, sizeof(float))};
        pthread_create(&th[t], NULL, thread_run, &jobs[t]);
    }
    int same = 1;
    for (int t = 0; t < 4; t++) {
        pthread_join(th[t], NULL);
        same &= memcmp(jobs[t].rows, ref, nf * VOICE_NLLD * sizeof(float)) == 0;
        free(jobs[t].rows);
    }
    CHECK(same, "threads: four threads with their own workspaces agree with one");
    free(x);
    free(ref);
}

/* The fixtures against openSMILE's own LLD rows (tests/fixtures/golden/egemaps/lld). */
static void test_golden(const char *name)
{
    char path[256], err[256];
    snprintf(path, sizeof path, "tests/fixtures/%s.wav", name);
    audio_clip clip;
    if (audio_load(path, 0, &clip, err, sizeof err) != 0) {
        CHECK(0, "golden: fixture loads");
        printf("# %s: %s\n", path, err);
        return;
    }
    snprintf(path, sizeof path, "tests/fixtures/golden/egemaps/lld/%s.lld.csv", name);
    FILE *fp = fopen(path, "r");
    size_t nf = voice_frames(clip.n, clip.sr);
    float *rows = calloc(nf * VOICE_NLLD + 1, sizeof *rows);
    voice_lld_compute(clip.samples, clip.n, clip.sr, nf, rows, err, sizeof err);
    char line[4096];
    size_t f = 0, lines = 0, f0_exact = 0, voicing_same = 0, voiced = 0;
    double hnr_err = 0.0;
    if (fp && fgets(line, sizeof line, fp)) {
        while (fgets(line, sizeof line, fp) && f < nf) {
            double v[27];
            char *p = strchr(line, ';');
            for (int c = 0; c < 26 && p; c++) {
                v[c] = strtod(p + 1, NULL);
                p = strchr(p + 1, ';');
            }
            const float *r = rows + f * VOICE_NLLD;
            double ref_f0 = v[11], ref_hnr = v[14];
            voicing_same += (ref_f0 != 0.0) == (r[VOICE_F0_SEMITONE] != 0.0f);
            f0_exact += fabs(ref_f0 - r[VOICE_F0_SEMITONE]) <= 1e-3;
            if (ref_f0 != 0.0 && r[0] != 0.0f) {
                voiced++;
                hnr_err += fabs(ref_hnr - r[VOICE_HNR_DB]);
            }
            f++;
            lines++;
        }
        fclose(fp);
    }
    char what[128];
    snprintf(what, sizeof what, "golden %s: as many rows as openSMILE (%zu)", name, nf);
    CHECK(lines == nf, what);
    snprintf(what, sizeof what, "golden %s: voicing agrees on every frame", name);
    CHECK(voicing_same == lines, what);
    snprintf(what, sizeof what, "golden %s: F0 within 0.001 semitone on 99%% of frames", name);
    CHECK(f0_exact * 100 >= lines * 99, what);
    snprintf(what, sizeof what, "golden %s: HNR within 0.1 dB on average", name);
    CHECK(voiced == 0 || hnr_err / (double)voiced < 0.1, what);
    free(rows);
    audio_clip_free(&clip);
}

int main(void)
{
    test_frames();
    test_steady_tones();
    test_glide();
    test_weak_fundamental();
    test_jitter_shimmer();
    test_formants();
    test_unvoiced();
    test_workspace_outputs();
    test_threads();
    test_golden("speech16k_float");
    test_golden("speech22k");
    test_golden("speech44k_stereo24");
    test_golden("silence");
    return unit_done();
}
