/* formant.c - LPC formants; see formant.h. */
#include "dsp/formant.h"

#include "base/cli.h"
#include "dsp/fftplan.h"
#include "dsp/simdclone.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_poly.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define LPC_ORDER 11
#define LPC_RATE 11000.0
#define FORMANT_MIN_F 50.0
#define FORMANT_MAX_F 5450.0
#define FORMANT_MAX_IFFT 8192
#define ABERTH_MAX_ITER 40 /* largest inverse FFT used for the resampling */

struct formant_lpc {
    int opensmile_sign;
    size_t len, nfft, nout, nterms;
    double rate; /* the resampled rate, Hz */
    float *window;
    float *frame; /* fftwf_malloc'd */
    fftwf_complex *spec;
    fftwf_plan plan;
    float *costab, *sintab; /* nterms x nout: row k holds bin k's cos/sin at every output time */
    /* When nd = nfft * nout / len is a ratio p/q of small integers (16, 32, 48 kHz...), output
     * sample i is sample (q i) mod p of a size-p inverse FFT of the band: */
    size_t ip, iq;       /* p and q, or 0 */
    fftwf_complex *band; /* fftwf_malloc'd, ip/2 + 1 */
    float *inv;          /* fftwf_malloc'd, ip */
    fftwf_plan inv_plan;
    double *y_pad, *y; /* y: nout resampled samples, after LPC_ORDER zeros */
    float *acc;        /* nout */
    gsl_poly_complex_workspace *ws;
    double prev_roots[2 * LPC_ORDER]; /* the last frame's roots, re/im interleaved */
    int have_prev;
};

formant_lpc *formant_create(double sr, int opensmile_sign)
{
    if (!(sr >= 8000.0 && sr <= 384000.0))
        return NULL;
    formant_lpc *f = cli_xcalloc(1, sizeof *f);
    f->opensmile_sign = opensmile_sign;
    f->len = (size_t)lround(0.02 * sr);
    f->nfft = fftplan_pow2(f->len);
    f->window = cli_xmalloc(f->len * sizeof *f->window);
    for (size_t i = 0; i < f->len; i++)
        f->window[i] = (float)(0.54 - 0.46 * cos(2.0 * M_PI * (double)i / (double)(f->len - 1)));
    f->frame = fftplan_alloc(f->nfft * sizeof *f->frame, "formant FFT");
    f->spec = fftplan_alloc((f->nfft / 2 + 1) * sizeof *f->spec, "formant FFT");
    f->plan = fftplan_r2c((int)f->nfft, f->frame, f->spec);
    /* GSL's default handler aborts the process when the root finder does not converge; a frame
     * without formants is the right answer then. (Process-wide: set once, never restored, as
     * switching it per call would race between threads.) */
    pthread_mutex_lock(&fftplan_lock);
    gsl_set_error_handler_off();
    pthread_mutex_unlock(&fftplan_lock);

    /* The frame's len samples become nout samples at about 11 kHz (rounded to whole samples,
     * which moves the rate slightly); nd is the padded FFT length in output samples. */
    double ratio = round(LPC_RATE / sr * (double)f->len) / (double)f->len;
    f->nout = (size_t)round((double)f->len * ratio);
    f->rate = sr * ratio;
    double nd = (double)f->nfft * ratio;
    size_t kmax = f->nfft < f->nout ? f->nfft : f->nout;
    kmax &= ~(size_t)1;
    f->nterms = kmax / 2; /* bins 1 .. kmax/2 - 1 are summed, with DC */
    size_t num = f->nfft * f->nout, den = f->len, a = num, b = den;
    while (b) {
        size_t t = a % b;
        a = b;
        b = t;
    }
    if (num / a <= FORMANT_MAX_IFFT && num / a >= 2 * f->nterms) {
        f->ip = num / a;
        f->iq = den / a;
        f->band = fftplan_alloc((f->ip / 2 + 1) * sizeof *f->band, "formant resampling FFT");
        f->inv = fftplan_alloc(f->ip * sizeof *f->inv, "formant resampling FFT");
        f->inv_plan = fftplan_c2r((int)f->ip, f->band, f->inv);
    } else {
        f->costab = cli_xmalloc(f->nout * f->nterms * sizeof *f->costab);
        f->sintab = cli_xmalloc(f->nout * f->nterms * sizeof *f->sintab);
        for (size_t k = 1; k < f->nterms; k++)
            for (size_t i = 0; i < f->nout; i++) {
                double ang = 2.0 * M_PI * (double)(k * i) / nd;
                f->costab[k * f->nout + i] = (float)cos(ang);
                f->sintab[k * f->nout + i] = (float)sin(ang);
            }
    }
    f->y_pad = cli_xcalloc(LPC_ORDER + f->nout, sizeof *f->y_pad);
    f->y = f->y_pad + LPC_ORDER;
    f->acc = cli_xmalloc(f->nout * sizeof *f->acc);
    f->ws = gsl_poly_complex_workspace_alloc(LPC_ORDER + 1);
    return f;
}

void formant_reset(formant_lpc *f) { f->have_prev = 0; }

void formant_free(formant_lpc *f)
{
    if (!f)
        return;
    fftplan_destroy(f->plan);
    fftplan_destroy(f->inv_plan);
    fftwf_free(f->band);
    fftwf_free(f->inv);
    fftwf_free(f->frame);
    fftwf_free(f->spec);
    free(f->window);
    free(f->costab);
    free(f->sintab);
    free(f->y_pad);
    free(f->acc);
    gsl_poly_complex_workspace_free(f->ws);
    free(f);
}

/* Levinson-Durbin: a[0..p-1] of A(z) = 1 + sum a[k-1] z^-k from autocorrelation r[0..p].
 * All zero when r[0] is 0 or the recursion's error vanishes. */
static void levinson(const double *r, double *a, int p)
{
    memset(a, 0, (size_t)p * sizeof *a);
    if (r[0] == 0.0)
        return;
    double e = r[0], tmp[LPC_ORDER];
    for (int m = 1; m <= p; m++) {
        double sum = r[m];
        for (int i = 1; i < m; i++)
            sum += a[i - 1] * r[m - i];
        double k = -sum / e;
        memcpy(tmp, a, (size_t)(m - 1) * sizeof *a);
        a[m - 1] = k;
        for (int i = 1; i < m; i++)
            a[i - 1] = tmp[i - 1] + k * tmp[m - i - 1];
        e *= 1.0 - k * k;
        if (e <= 0.0) {
            for (int i = m; i < p; i++)
                a[i] = 0.0;
            break;
        }
    }
}

/* The n roots of the monic polynomial c[0] + c[1] x + ... + x^n by the Aberth-Ehrlich
 * iteration from the starting points `start` into z (both re/im interleaved). A root whose
 * correction has fallen below 1e-14 of it rests while the others move; once all have, one
 * more sweep over every root polishes them. 1 when that happens within ABERTH_MAX_ITER sweeps,
 * else 0. Complex arithmetic is spelt out: C's complex division goes through a slow library
 * call. */
static int aberth_roots(const double *c, int n, const double *start, double *z)
{
    double re[LPC_ORDER], im[LPC_ORDER];
    int resting[LPC_ORDER] = {0};
    for (int i = 0; i < n; i++) {
        re[i] = start[2 * i];
        im[i] = start[2 * i + 1];
        for (int j = 0; j < i; j++)
            if (re[i] == re[j] && im[i] == im[j]) /* coincident starts never separate */
                return 0;
    }
    int polishing = 0;
    for (int it = 0; it < ABERTH_MAX_ITER; it++) {
        int moving = 0;
        for (int i = 0; i < n; i++) {
            if (resting[i] && !polishing)
                continue;
            double xr = re[i], xi = im[i];
            double pr = 1.0, pi = 0.0, dr = 0.0, di = 0.0; /* p(x), p'(x) by Horner */
            for (int k = n - 1; k >= 0; k--) {
                double tr = dr * xr - di * xi + pr, ti = dr * xi + di * xr + pi;
                dr = tr;
                di = ti;
                tr = pr * xr - pi * xi + c[k];
                ti = pr * xi + pi * xr;
                pr = tr;
                pi = ti;
            }
            if (pr == 0.0 && pi == 0.0) {
                resting[i] = 1;
                continue;
            }
            double dd = dr * dr + di * di;
            if (!(dd > 0.0))
                return 0;
            double nr = (pr * dr + pi * di) / dd, ni = (pi * dr - pr * di) / dd; /* p / p' */
            double sr = 0.0, si = 0.0; /* sum of 1 / (x - r_j) */
            for (int j = 0; j < n; j++) {
                if (j == i)
                    continue;
                double ar = xr - re[j], ai = xi - im[j];
                double inv = 1.0 / (ar * ar + ai * ai);
                sr += ar * inv;
                si -= ai * inv;
            }
            double qr = 1.0 - (nr * sr - ni * si), qi = -(nr * si + ni * sr);
            double qq = qr * qr + qi * qi;
            double wr = (nr * qr + ni * qi) / qq, wi = (ni * qr - nr * qi) / qq; /* step */
            if (!isfinite(wr) || !isfinite(wi))
                return 0;
            re[i] = xr - wr;
            im[i] = xi - wi;
            /* squared: a step below 1e-14 of its root */
            resting[i] = (wr * wr + wi * wi) <= 1e-28 * (re[i] * re[i] + im[i] * im[i] + 1e-300);
            moving += !resting[i];
        }
        if (polishing)
            break;
        if (moving == 0)
            polishing = 1;
        else if (it + 1 == ABERTH_MAX_ITER)
            return 0;
    }
    if (!polishing)
        return 0;
    for (int i = 0; i < n; i++) {
        z[2 * i] = re[i];
        z[2 * i + 1] = im[i];
    }
    return 1;
}

/* formant_frame, in one of two compiled copies (dsp/simdclone.h). */
DSP_SIMD_CLONES static int lpc_formants(formant_lpc *f, const float *x, size_t n, size_t start,
                                        float freq[FORMANT_MAX], float bw[FORMANT_MAX])
{
    for (int i = 0; i < FORMANT_MAX; i++)
        freq[i] = bw[i] = 0.0f;
    /* zero-padded symmetrically to the FFT length, as openSMILE's cTransformFFT */
    size_t pad = (f->nfft - f->len) / 2;
    memset(f->frame, 0, f->nfft * sizeof *f->frame);
    size_t m = start < n ? n - start : 0;
    if (m > f->len)
        m = f->len;
    float *frame = f->frame + pad;
    const float *win = f->window, *xs = x + start;
    for (size_t i = 0; i < m; i++)
        frame[i] = xs[i] * win[i];
    fftwf_execute(f->plan);
    /* Resample through the spectrum: y[i] = (X0 + sum_k Re X_k cos + Im' X_k sin) / (N/2), with
     * Im' the imaginary part of exp(+i...) transforms (openSMILE's FFT), i.e. -FFTW's. */
    double scale = 2.0 / (double)f->nfft;
    double r[LPC_ORDER + 1] = {0};
    /* bin by bin, so that the loop over output times vectorises (each sum keeps bin order) */
    if (f->ip) {
        /* Re(C_k e^(i theta)) = Re C_k cos - Im C_k sin: a c2r transform of the band, whose
         * output is 2 (DC/2 + sum ...), so DC goes in doubled to keep openSMILE's weight 1 */
        memset(f->band, 0, (f->ip / 2 + 1) * sizeof *f->band); /* c2r overwrote it */
        f->band[0][0] = 2.0f * f->spec[0][0];
        for (size_t k = 1; k < f->nterms; k++) {
            f->band[k][0] = f->spec[k][0];
            f->band[k][1] = f->spec[k][1];
        }
        fftwf_execute(f->inv_plan);
        /* output i is sample (q i) mod p, stepped by q without a division per sample */
        for (size_t i = 0, at = 0; i < f->nout; i++) {
            f->y[i] = f->inv[at] * (0.5 * scale);
            at += f->iq;
            if (at >= f->ip)
                at -= f->ip;
        }
    } else {
        float *acc = f->acc;
        for (size_t i = 0; i < f->nout; i++)
            acc[i] = f->spec[0][0];
        for (size_t k = 1; k < f->nterms; k++) {
            const float *ct = f->costab + k * f->nout, *st = f->sintab + k * f->nout;
            float re = f->spec[k][0], im = f->spec[k][1];
            for (size_t i = 0; i < f->nout; i++)
                acc[i] += re * ct[i] - im * st[i];
        }
        for (size_t i = 0; i < f->nout; i++)
            f->y[i] = acc[i] * scale;
    }
    /* every lag's sum in its own order, the lags side by side: twelve independent chains of
     * additions instead of one after another (y has LPC_ORDER zeros before it: a product
     * with one of them adds +0, which changes no sum) */
    const double *y = f->y;
    for (size_t i = 0; i < f->nout; i++)
        for (int lag = 0; lag <= LPC_ORDER; lag++)
            r[lag] += y[i] * y[(ptrdiff_t)i - lag];
    double a[LPC_ORDER];
    levinson(r, a, LPC_ORDER);
    /* z^p + a1 z^(p-1) + ... + ap, coefficients in ascending powers for GSL; openSMILE's
     * cFormantLpc negates a1..ap (see formant.h) */
    double poly[LPC_ORDER + 1], z[2 * LPC_ORDER];
    double sign = f->opensmile_sign ? -1.0 : 1.0;
    for (int i = 0; i < LPC_ORDER; i++)
        poly[i] = sign * a[LPC_ORDER - 1 - i];
    poly[LPC_ORDER] = 1.0;
    int all_zero = 1;
    for (int i = 0; i < LPC_ORDER; i++)
        all_zero &= poly[i] == 0.0;
    if (all_zero)
        return 0;
    /* Neighbouring frames overlap by half: their roots are close, and Aberth's iteration from
     * the last frame's roots finds this frame's in a few steps. GSL's companion-matrix solver
     * starts afresh on the first frame and whenever that does not converge. */
    if (!(f->have_prev && aberth_roots(poly, LPC_ORDER, f->prev_roots, z))) {
        f->have_prev = 0;
        if (gsl_poly_complex_solve(poly, LPC_ORDER + 1, f->ws, z) != GSL_SUCCESS)
            return 0;
    }
    memcpy(f->prev_roots, z, sizeof f->prev_roots);
    f->have_prev = 1;
    double T = 1.0 / f->rate;
    double fhi = FORMANT_MAX_F;
    if (fhi < FORMANT_MIN_F || fhi > 1.0 / T)
        fhi = 0.5 / T - FORMANT_MIN_F;
    double fc[FORMANT_MAX], bc[FORMANT_MAX];
    int nf = 0;
    for (int i = 0; i < LPC_ORDER && nf < FORMANT_MAX; i++) {
        double re = z[2 * i], im = z[2 * i + 1];
        double mag = hypot(re, im);
        if (mag > 1.0) { /* into the unit circle: 1 / conj(r) */
            re /= mag * mag;
            im /= mag * mag;
            mag = 1.0 / mag;
        }
        if (im < 0.0)
            continue;
        double fq = fabs(atan2(im, re)) / (2.0 * M_PI * T);
        if (fq >= FORMANT_MIN_F && fq <= fhi) {
            fc[nf] = fq;
            bc[nf] = -log(mag) / (M_PI * T);
            nf++;
        }
    }
    for (int i = 1; i < nf; i++) /* insertion sort, ascending frequency */
        for (int j = i; j > 0 && fc[j] < fc[j - 1]; j--) {
            double t = fc[j];
            fc[j] = fc[j - 1];
            fc[j - 1] = t;
            t = bc[j];
            bc[j] = bc[j - 1];
            bc[j - 1] = t;
        }
    for (int i = 0; i < nf; i++) {
        freq[i] = (float)fc[i];
        bw[i] = (float)bc[i];
    }
    return nf;
}

int formant_frame(formant_lpc *f, const float *x, size_t n, size_t start, float freq[FORMANT_MAX],
                  float bw[FORMANT_MAX])
{
    return lpc_formants(f, x, n, start, freq, bw);
}
