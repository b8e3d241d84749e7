#!/usr/bin/env python3
"""Frame-level agreement of sentio's eGeMAPS voice LLDs (dsp/voice.h) with openSMILE 3.0's.

usage: voice_lld.py DUMP [GOLDEN_DIR ...]

DUMP is build/voice_lld_dump. For every NAME.lld.csv in the golden directories (default:
tests/fixtures/golden/egemaps/lld, and the shared fixtures' when present: $SENTIO_SHARED, by
default ../shared beside the checkout) whose
audio NAME.wav lies in tests/fixtures or ../shared/fixtures, it runs DUMP on the audio and
compares, over the frames both have, per LLD column: Pearson r over frames (over the frames
both call voiced for the F0..H1-A3 columns), voicing agreement (fraction of frames where both
are voiced or both unvoiced) and the median relative difference of F0 in Hz where both are
voiced. Prints a table per file and one pooled over all files.
"""
import csv
import io
import math
import os
import subprocess
import sys

VOICED_COLS = 6  # F0, jitter, shimmer, HNR, H1-H2, H1-A3 are 0 when unvoiced


def read(text):
    rows = list(csv.reader(io.StringIO(text), delimiter=';'))
    return rows[0][2:], [[float(v) for v in r[2:]] for r in rows[1:]]


def pearson(a, b):
    n = len(a)
    if n < 3:
        return float('nan')
    ma, mb = sum(a) / n, sum(b) / n
    va = sum((x - ma) ** 2 for x in a)
    vb = sum((y - mb) ** 2 for y in b)
    if va == 0 or vb == 0:
        return float('nan')
    return sum((x - ma) * (y - mb) for x, y in zip(a, b)) / math.sqrt(va * vb)


def median(v):
    v = sorted(v)
    if not v:
        return float('nan')
    m = len(v) // 2
    return v[m] if len(v) % 2 else 0.5 * (v[m - 1] + v[m])


def compare(names, ours, ref):
    n = min(len(ours), len(ref))
    ours, ref = ours[:n], ref[:n]
    both = [i for i in range(n) if ours[i][0] != 0 and ref[i][0] != 0]
    agree = sum(1 for i in range(n) if (ours[i][0] != 0) == (ref[i][0] != 0)) / n if n else 1.0
    f0rel = [abs(2 ** (ours[i][0] / 12) - 2 ** (ref[i][0] / 12)) / 2 ** (ref[i][0] / 12)
             for i in both]
    out = []
    for c, name in enumerate(names):
        idx = both if c < VOICED_COLS else range(n)
        a = [ours[i][c] for i in idx]
        b = [ref[i][c] for i in idx]
        exact = sum(1 for x, y in zip(a, b) if abs(x - y) <= 1e-3 * max(1.0, abs(y)))
        out.append((name, pearson(a, b), exact / len(a) if a else float('nan'), len(a)))
    return n, agree, median(f0rel), out


def praat_report(dump, root, shared):
    """Voiced F0 mean against Praat's (to 3%), and whether jitter, shimmer and HNR order the
    fixtures as Praat's do (Praat and openSMILE define those three differently)."""
    tsvs = [os.path.join(shared, 'golden/egemaps/praat_fixtures.tsv'),
            os.path.join(root, 'tests/fixtures/golden/egemaps/praat_fixtures.tsv')]
    tsv = next((t for t in tsvs if os.path.exists(t)), None)
    if tsv is None:
        return
    rows = [r for r in csv.reader(open(tsv), delimiter='\t')][1:]
    ours, praat = {}, {}
    print('\nfile praat_f0 ours_f0 rel_diff opensmile_f0 | praat jitter shimmer hnr | '
          'ours jitter shimmer_dB hnr')
    for r in rows:
        if r[2] == '--undefined--':
            continue
        audio = next((p for p in (os.path.join(root, 'tests/fixtures', r[0]),
                                  os.path.join(shared, r[0])) if os.path.exists(p)), None)
        if audio is None:
            continue
        _, v = read(subprocess.run([dump, audio], check=True, capture_output=True,
                                   text=True).stdout)
        voiced = [x for x in v if x[0] != 0]
        f0 = sum(27.5 * 2 ** (x[0] / 12) for x in voiced) / len(voiced)
        os_f0 = float('nan')
        for d in (os.path.join(root, 'tests/fixtures/golden/egemaps/lld'),
                  os.path.join(shared, 'golden/egemaps/lld')):
            g = os.path.join(d, r[0][:-4] + '.lld.csv')
            if os.path.exists(g):
                gv = [x[-15] for x in read(open(g).read())[1] if x[-15] != 0]
                os_f0 = sum(27.5 * 2 ** (x / 12) for x in gv) / len(gv)
                break
        m = [sum(x[c] for x in voiced) / len(voiced) for c in (1, 2, 3)]
        ours[r[0]] = m
        praat[r[0]] = [float(r[5]), float(r[6]), float(r[7])]
        print(f'{r[0]} {float(r[2]):.1f} {f0:.1f} {(f0 - float(r[2])) / float(r[2]):+.4f} {os_f0:.1f} | '
              f'{r[5]} {r[6]} {r[7]} | {m[0]:.5f} {m[1]:.3f} {m[2]:.2f}')
    files = sorted(ours)
    for k, what in enumerate(('jitter', 'shimmer', 'HNR')):
        po = sorted(files, key=lambda f: praat[f][k])
        oo = sorted(files, key=lambda f: ours[f][k])
        print(f'{what} order: praat {po} ours {oo} {"same" if po == oo else "DIFFERENT"}')


def main():
    dump = sys.argv[1]
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.normpath(os.path.join(here, '..', '..'))
    shared = os.path.join(os.environ.get('SENTIO_SHARED') or
                          os.path.normpath(os.path.join(root, '..', 'shared')), 'fixtures')
    dirs = sys.argv[2:] or [os.path.join(root, 'tests/fixtures/golden/egemaps/lld'),
                            os.path.join(shared, 'golden/egemaps/lld')]
    seen = {}
    for d in dirs:
        if not os.path.isdir(d):
            continue
        for f in sorted(os.listdir(d)):
            if f.endswith('.lld.csv') and f not in seen:
                seen[f] = os.path.join(d, f)
    pooled_o, pooled_r = [], []
    names = None
    print('file frames voicing_agreement f0_median_rel_diff')
    for f, path in sorted(seen.items()):
        wav = f[:-len('.lld.csv')] + '.wav'
        audio = next((p for p in (os.path.join(root, 'tests/fixtures', wav),
                                  os.path.join(shared, wav)) if os.path.exists(p)), None)
        if audio is None:
            continue
        names, ref = read(open(path).read())
        ref = [r[-15:] for r in ref]
        names = names[-15:]
        _, ours = read(subprocess.run([dump, audio], check=True, capture_output=True,
                                      text=True).stdout)
        n, agree, f0rel, _ = compare(names, ours, ref)
        print(f'{wav} {n} {agree:.3f} {f0rel:.4f}')
        pooled_o += ours[:n]
        pooled_r += ref[:n]
    if names is None:
        print('no golden LLD files found')
        return 1
    praat_report(dump, root, shared)
    n, agree, f0rel, cols = compare(names, pooled_o, pooled_r)
    print(f'\npooled: {n} frames, voicing agreement {agree:.3f}, '
          f'F0 median relative difference {f0rel:.5f}')
    print('column r frames_within_0.1% n')
    for name, r, exact, cnt in cols:
        print(f'{name} {r:.4f} {exact:.3f} {cnt}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
