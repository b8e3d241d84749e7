#include "eval/plot.h"

#include "base/cli.h"
#include "base/err.h"
#include "base/strmap.h"
#include "dsp/audio.h"
#include "dsp/powerdb.h"
#include "dsp/stft.h"
#include "dsp/waveform.h"
#include "eval/confusion.h"
#include "eval/metrics.h"
#include "eval/pca.h"
#include "store/storeread.h"
#include "stream/featstream.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Adds RUN's predictions to c: the classes in the order of the first prediction's
 * probabilities, then labels the model never saw in order of appearance. */
static int confusion_from_store(sqlite3 *db, long long run_id, confusion *c, char *err,
                                size_t errlen)
{
    sqlite3_stmt *st = NULL;
    /* The model's classes, in its output order: the keys of a probabilities object. */
    if (sqlite3_prepare_v2(
            db,
            "SELECT key FROM json_each((SELECT probs FROM predictions WHERE run_id = ?1 "
            "ORDER BY idx LIMIT 1))",
            -1, &st, NULL) != SQLITE_OK)
        return err_set(err, errlen, "cannot query predictions: %s", sqlite3_errmsg(db));
    sqlite3_bind_int64(st, 1, run_id);
    int rc;
    /* Declared together: one at a time, k classes cost k^3 (confusion.h). */
    char **names = NULL;
    size_t n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && n <= CONFUSION_MAX_CLASSES) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        if (name) {
            names = cli_xrealloc(names, (n + 1) * sizeof *names);
            names[n++] = cli_xstrdup(name);
        }
    }
    sqlite3_finalize(st);
    int declared_ok = rc == SQLITE_DONE && confusion_classes(c, n, names) == 0;
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return err_set(err, errlen, "cannot read the classes of the predictions' probabilities: %s",
                       sqlite3_errmsg(db));
    if (!declared_ok)
        return err_set(err, errlen, "predictions: more than %d classes", CONFUSION_MAX_CLASSES);
    size_t declared = c->k;

    if (sqlite3_prepare_v2(
            db, "SELECT idx, key, label, pred FROM predictions WHERE run_id = ?1 ORDER BY idx", -1,
            &st, NULL) != SQLITE_OK)
        return err_set(err, errlen, "cannot query predictions: %s", sqlite3_errmsg(db));
    sqlite3_bind_int64(st, 1, run_id);
    int status = 0;
    while (status == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        long long idx = sqlite3_column_int64(st, 0);
        const char *key = (const char *)sqlite3_column_text(st, 1);
        const char *label = (const char *)sqlite3_column_text(st, 2);
        const char *pred = (const char *)sqlite3_column_text(st, 3);
        if (!label || !*label) {
            err_set(err, errlen,
                    "prediction %lld ('%s') has no label (a confusion matrix needs the true class)",
                    idx, key ? key : "");
            status = -1;
            break;
        }
        size_t p = 0;
        while (p < declared && strcmp(c->names[p], pred ? pred : "") != 0)
            p++;
        if (p == declared) {
            err_set(err, errlen,
                    "prediction %lld: predicted class '%s' is not among the model's classes", idx,
                    pred ? pred : "");
            status = -1;
            break;
        }
        if (confusion_add(c, label, pred) != 0) {
            err_set(err, errlen, "predictions: more than %d classes", CONFUSION_MAX_CLASSES);
            status = -1;
        }
    }
    if (status == 0 && rc != SQLITE_DONE)
        status = err_set(err, errlen, "cannot read predictions: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return status;
}

static const char *const kind_names[] = {"waveform", "spectrogram", "curves", "confusion",
                                         "features"};

void plot_options_default(plot_options *o)
{
    *o = (plot_options){.sr = 0.0,
                        .points = PLOT_DEFAULT_POINTS,
                        .n_fft = PLOT_DEFAULT_N_FFT,
                        .hop = PLOT_DEFAULT_HOP,
                        .frames = PLOT_DEFAULT_FRAMES,
                        .top_db = PLOT_DEFAULT_TOP_DB};
}

int plot_kind_parse(const char *name, plot_kind *kind)
{
    for (size_t i = 0; i < sizeof kind_names / sizeof *kind_names; i++)
        if (strcmp(name, kind_names[i]) == 0) {
            *kind = (plot_kind)i;
            return 0;
        }
    return -1;
}

const char *plot_kind_name(plot_kind kind) { return kind_names[kind]; }

/* A value rounded to 2 decimals, without the "-0.00" that rounding a tiny negative gives. */
static void put_db(FILE *out, double v)
{
    if (fabs(v) < 0.005)
        v = 0.0;
    fprintf(out, "%.2f", v);
}

static int load_audio(const char *path, const plot_options *o, audio_clip *clip, char *err,
                      size_t errlen)
{
    char why[SENTIO_ERR_LEN];
    if (audio_load(path, o->sr, clip, why, sizeof why) != 0)
        return err_in(err, errlen, path, "%s", why);
    return 0;
}

int plot_waveform(const char *audio_path, const plot_options *o, FILE *out, char *err,
                  size_t errlen)
{
    audio_clip clip = {0};
    if (load_audio(audio_path, o, &clip, err, errlen) != 0)
        return -1;
    fprintf(out, "# sentio waveform of %s: %zu samples at %g Hz (%.3f s), mono\n", audio_path,
            clip.n, clip.sr, (double)clip.n / clip.sr);
    if (clip.n <= (size_t)o->points) {
        fprintf(out, "# every sample; amplitude relative to full scale (1)\n# time_s\tamplitude\n");
        for (size_t i = 0; i < clip.n; i++)
            fprintf(out, "%.9g\t%.9g\n", (double)i / clip.sr, clip.samples[i]);
    } else {
        size_t columns = (size_t)o->points;
        float *lo = cli_xmalloc(columns * sizeof *lo), *hi = cli_xmalloc(columns * sizeof *hi);
        waveform_envelope(clip.samples, clip.n, columns, lo, hi);
        fprintf(
            out,
            "# min/max envelope: %zu columns of %.1f samples each, at the time of each column's first sample;\n"
            "# amplitude relative to full scale (1)\n# time_s\tmin\tmax\n",
            columns, (double)clip.n / (double)columns);
        for (size_t i = 0; i < columns; i++)
            fprintf(out, "%.9g\t%.9g\t%.9g\n",
                    (double)waveform_column_start(clip.n, columns, i) / clip.sr, lo[i], hi[i]);
        free(lo);
        free(hi);
    }
    audio_clip_free(&clip);
    return 0;
}

int plot_spectrogram(const char *audio_path, const plot_options *o, FILE *out, char *err,
                     size_t errlen)
{
    audio_clip clip = {0};
    if (load_audio(audio_path, o, &clip, err, errlen) != 0)
        return -1;
    stft *s = stft_create(o->n_fft, o->hop);
    if (!s) {
        audio_clip_free(&clip);
        return err_set(err, errlen, "bad STFT sizes: n_fft %d, hop %d", o->n_fft, o->hop);
    }
    size_t bins = stft_bins(s), frames = stft_frames(s, clip.n);
    /* Long clips: column c pools frames [c*frames/cols, (c+1)*frames/cols) by their
     * largest magnitude per bin (no peak is lost, like the waveform's envelope). */
    size_t cols = o->frames > 0 && frames > (size_t)o->frames ? (size_t)o->frames : frames;
    /* Two passes (the reference maximum, then the values) keep memory to one frame. */
    double ref = stft_max_magnitude(s, clip.samples, clip.n);
    char floor_text[64] = "none";
    if (o->top_db > 0)
        snprintf(floor_text, sizeof floor_text, "%g dB (top_db %g)", -o->top_db, o->top_db);
    char pooled_text[128] = "";
    if (cols < frames)
        snprintf(
            pooled_text, sizeof pooled_text,
            ", pooled into %zu columns (each the largest magnitude of its frames, at the first one's time)",
            cols);
    fprintf(
        out,
        "# sentio spectrogram of %s: %zu samples at %g Hz (%.3f s), mono\n"
        "# STFT: n_fft %d, hop %d, periodic Hann window, centred frames with zero padding (librosa.stft)\n"
        "# magnitude in dB relative to the clip's maximum %.6g (0 dB), floor %s\n"
        "# %zu frames x %zu bins%s; one block per column, blocks separated by a blank line\n"
        "# time_s\tfreq_hz\tdb\n",
        audio_path, clip.n, clip.sr, (double)clip.n / clip.sr, o->n_fft, o->hop, ref, floor_text,
        frames, bins, pooled_text);
    float *mag = cli_xmalloc(bins * sizeof *mag);
    float *peak = cli_xmalloc(bins * sizeof *peak);
    for (size_t c = 0; c < cols; c++) {
        size_t first = c * frames / cols, end = (c + 1) * frames / cols;
        for (size_t t = first; t < end; t++) {
            stft_magnitude(s, clip.samples, clip.n, t, t == first ? peak : mag);
            if (t > first)
                for (size_t k = 0; k < bins; k++)
                    peak[k] = mag[k] > peak[k] ? mag[k] : peak[k];
        }
        if (c > 0)
            fputc('\n', out);
        double time = (double)first * o->hop / clip.sr;
        for (size_t k = 0; k < bins; k++) {
            fprintf(out, "%.6g\t%.6g\t", time, (double)k * clip.sr / o->n_fft);
            put_db(out, amplitude_to_db(peak[k], ref, o->top_db));
            fputc('\n', out);
        }
    }
    free(peak);
    free(mag);
    stft_free(s);
    audio_clip_free(&clip);
    return 0;
}

static void put_number(FILE *out, double v)
{
    if (isnan(v))
        fputs("NaN", out);
    else
        fprintf(out, "%.9g", v);
}

int plot_curves(const plot_options *o, FILE *out, char *err, size_t errlen)
{
    char why[SENTIO_ERR_LEN], what[256];
    sqlite3 *db = storeread_open(o->db, why, sizeof why);
    if (!db)
        return err_in(err, errlen, o->db, "%s", why);
    long long run;
    storeread_epoch *rows = NULL;
    size_t n = 0;
    if (storeread_find_run(db, o->run, STOREREAD_EPOCHS, o->where, o->nwhere, &run, why,
                           sizeof why) != 0 ||
        storeread_epochs(db, run, &rows, &n, why, sizeof why) != 0) {
        storeread_close(db);
        return err_in(err, errlen, o->db, "%s", why);
    }
    storeread_describe_run(db, run, what, sizeof what);
    storeread_close(db);
    fprintf(
        out,
        "# sentio training curves of %s in %s: %zu epochs\n"
        "# loss: categorical cross-entropy (nats); acc: accuracy (fraction); val_: on the validation set;\n"
        "# lr: learning rate; NaN where the run did not record a value\n"
        "# epoch\tloss\tacc\tval_loss\tval_acc\tlr\n",
        what, o->db, n);
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "%lld", rows[i].epoch);
        double v[] = {rows[i].loss, rows[i].acc, rows[i].val_loss, rows[i].val_acc, rows[i].lr};
        for (size_t j = 0; j < sizeof v / sizeof *v; j++) {
            fputc('\t', out);
            put_number(out, v[j]);
        }
        fputc('\n', out);
    }
    free(rows);
    return 0;
}

/* Writes a string field for a tab-separated line: tabs and line breaks cannot occur in
 * sentio's keys and labels, but a store may hold anything, so they become spaces. */
static void put_field(FILE *out, const char *s)
{
    for (; *s; s++)
        fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, out);
}

static void write_confusion(FILE *out, const confusion *c, bool normalize, const char *source)
{
    size_t correct = 0;
    for (size_t i = 0; i < c->k; i++)
        correct += c->counts[i * c->k + i];
    fprintf(
        out,
        "# sentio confusion matrix of %s: %zu predictions, %zu classes, accuracy %.4f (%zu/%zu)\n"
        "# rows = true class, columns = predicted class; value = %s\n"
        "# classes:",
        source, c->total, c->k, c->total ? (double)correct / (double)c->total : 0.0, correct,
        c->total,
        normalize
            ? "the fraction of the true class's predictions (row-normalised; 0 for an empty row)"
            : "the count");
    for (size_t i = 0; i < c->k; i++) {
        fprintf(out, "%s%zu=", i ? ", " : " ", i);
        put_field(out, c->names[i]);
    }
    fputs("\n# pred_index\ttrue_index\tvalue\tcount\tpred_class\ttrue_class\n", out);
    for (size_t t = 0; t < c->k; t++) {
        size_t row_total = confusion_row_total(c, t);
        for (size_t p = 0; p < c->k; p++) {
            size_t count = c->counts[t * c->k + p];
            fprintf(out, "%zu\t%zu\t", p, t);
            if (normalize)
                fprintf(out, "%.6f", row_total ? (double)count / (double)row_total : 0.0);
            else
                fprintf(out, "%zu", count);
            fprintf(out, "\t%zu\t", count);
            put_field(out, c->names[p]);
            fputc('\t', out);
            put_field(out, c->names[t]);
            fputc('\n', out);
        }
    }
}

int plot_confusion(const char *predictions_path, const plot_options *o, FILE *out, char *err,
                   size_t errlen)
{
    char why[SENTIO_ERR_LEN];
    confusion c;
    confusion_init(&c);
    if (predictions_path) {
        const char *name = cli_input_name(predictions_path);
        /* metrics' reader: the same checks, and messages, as `metrics` gives. */
        metrics_data md;
        metrics_data_init(&md);
        int rc = metrics_read_path(&md, predictions_path, why, sizeof why);
        if (rc == 0 && md.n == 0)
            snprintf(why, sizeof why, "no predictions after the header");
        if (rc != 0 || md.n == 0) {
            metrics_data_free(&md);
            return err_in(err, errlen, name, "%s", why);
        }
        confusion_classes(&c, md.nclasses, md.classes); /* metrics reads at most as many */
        for (size_t i = 0; i < c.k * c.k; i++)
            c.counts[i] = (size_t)md.confusion[i];
        c.total = md.n;
        metrics_data_free(&md);
        write_confusion(out, &c, o->normalize, name);
    } else {
        sqlite3 *db = storeread_open(o->db, why, sizeof why);
        if (!db)
            return err_in(err, errlen, o->db, "%s", why);
        long long run;
        if (storeread_find_run(db, o->run, STOREREAD_PREDICTIONS, o->where, o->nwhere, &run, why,
                               sizeof why) != 0 ||
            confusion_from_store(db, run, &c, why, sizeof why) != 0) {
            storeread_close(db);
            confusion_free(&c);
            return err_in(err, errlen, o->db, "%s", why);
        }
        char what[256], source[1024];
        storeread_describe_run(db, run, what, sizeof what);
        storeread_close(db);
        snprintf(source, sizeof source, "%s in %s", what, o->db);
        write_confusion(out, &c, o->normalize, source);
    }
    confusion_free(&c);
    return 0;
}

int plot_features(int nfiles, char **files, const plot_options *o, FILE *out, char *err,
                  size_t errlen)
{
    feat_input in;
    feat_record rec = {0};
    feat_input_init(&in, nfiles, files);
    size_t n = 0, cap = 0, d = 0;
    double *x = NULL;
    char **keys = NULL;
    size_t *label_ids = NULL;
    strmap labels = {0};
    int rc, status = -1;
    char name_buf[1024];
    while ((rc = feat_input_next(&in, &rec)) == 1) {
        snprintf(name_buf, sizeof name_buf, "%s", feat_input_name(&in));
        uint32_t bad_row, bad_col;
        if (rec.rows != 1) {
            err_in(err, errlen, name_buf,
                   "record '%s' has %u rows; features needs one-row records (wav2mfcc --pool mean)",
                   rec.key, rec.rows);
            goto done;
        }
        if (n == 0)
            d = rec.cols;
        if (rec.cols != d) {
            err_in(err, errlen, name_buf, "record '%s' has %u values, the first record has %zu",
                   rec.key, rec.cols, d);
            goto done;
        }
        if (!feat_record_finite(&rec, &bad_row, &bad_col)) {
            err_in(err, errlen, name_buf, "record '%s': value %u is not finite", rec.key,
                   bad_col + 1);
            goto done;
        }
        if (n == cap) {
            cap = cli_grown(cap, 256);
            x = cli_xreallocarray(x, cap, d * sizeof *x);
            keys = cli_xreallocarray(keys, cap, sizeof *keys);
            label_ids = cli_xreallocarray(label_ids, cap, sizeof *label_ids);
        }
        for (size_t j = 0; j < d; j++)
            x[n * d + j] = rec.data[j];
        keys[n] = cli_xstrdup(rec.key);
        label_ids[n] = strmap_add(&labels, rec.label[0] ? rec.label : "(unlabelled)");
        n++;
    }
    if (rc < 0) {
        /* The reader's message names the file and the byte already. */
        err_set(err, errlen, "%s", in.reader.err);
        goto done;
    }
    snprintf(name_buf, sizeof name_buf, "%s",
             nfiles == 0   ? "(stdin)"
             : nfiles == 1 ? files[0]
                           : "the input");
    if (n < 2 || d < 2) {
        err_in(err, errlen, name_buf,
               "features needs at least 2 records of at least 2 values (got %zu of %zu)", n, d);
        goto done;
    }
    pca_model m;
    char why[SENTIO_ERR_LEN];
    if (pca_fit(x, n, d, 2, o->standardize, &m, why, sizeof why) != 0) {
        err_in(err, errlen, name_buf, "%s", why);
        goto done;
    }
    /* Class indices follow the labels' byte order, so colours do not depend on input order. */
    size_t k = labels.n, *class_of = strmap_ranks(&labels);
    double tv = m.total_variance > 0 ? m.total_variance : 1.0;
    fprintf(
        out,
        "# sentio features of %s: %zu records of %zu values on their first two principal components\n"
        "# PCA of the %s matrix (GSL symmv); each axis signed so its largest loading is positive\n"
        "# %zu classes; class_index follows the labels' byte order\n"
        "# explained_variance\t%.6f\t%.6f\n"
        "# pc1\tpc2\tclass_index\tlabel\tkey\n",
        nfiles == 0   ? "(stdin)"
        : nfiles == 1 ? files[0]
                      : "several streams",
        n, d, o->standardize ? "correlation (standardised features)" : "covariance", k,
        m.variance[0] / tv, m.variance[1] / tv);
    for (size_t i = 0; i < n; i++) {
        double pc[2];
        pca_project(&m, x + i * d, pc);
        fprintf(out, "%.9g\t%.9g\t%zu\t", pc[0], pc[1], class_of[label_ids[i]]);
        put_field(out, labels.names[label_ids[i]]);
        fputc('\t', out);
        put_field(out, keys[i]);
        fputc('\n', out);
    }
    free(class_of);
    pca_free(&m);
    status = 0;
done:
    for (size_t i = 0; i < n; i++)
        free(keys[i]);
    free(keys);
    free(label_ids);
    strmap_free(&labels);
    free(x);
    feat_record_free(&rec);
    feat_input_close(&in);
    return status;
}
