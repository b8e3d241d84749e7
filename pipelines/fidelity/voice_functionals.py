#!/usr/bin/env python3
"""Clip-level agreement of the functionals of sentio's voice LLDs with openSMILE 3.0's.

usage: voice_functionals.py DUMP DATA_DIR OPENSMILE_CSV

For every clip of DATA_DIR/TRAIN whose name is in OPENSMILE_CSV (openSMILE's 88 eGeMAPS v02
functionals, e.g. ../shared/fixtures/golden/egemaps/ravdess3_dev.csv), runs DUMP -f (the voice
LLD rows as openSMILE's functionals read them) and computes the arithmetic mean over non-zero
frames of each voice column (openSMILE's nonZeroFuncts amean), leaving out the last two rows
(openSMILE's functionals see two frames fewer than its LLD CSV), then prints per column the
Pearson r across clips with openSMILE's *_amean and the median relative difference. A check of
the LLDs through their simplest functional; the full 88 are wav2egemaps's fidelity script's.
Nothing it reads or prints is kept in the tree (the recordings' licence forbids copies).
"""
import csv
import io
import math
import os
import subprocess
import sys


def pearson(a, b):
    n = len(a)
    ma, mb = sum(a) / n, sum(b) / n
    va = sum((x - ma) ** 2 for x in a)
    vb = sum((y - mb) ** 2 for y in b)
    return sum((x - ma) * (y - mb) for x, y in zip(a, b)) / math.sqrt(va * vb)


def main():
    dump, data, ref_csv = sys.argv[1:4]
    ref = {r['name'].rsplit('.', 1)[0]: r for r in csv.DictReader(open(ref_csv))}
    clips = sorted(f for f in os.listdir(os.path.join(data, 'TRAIN'))
                   if f.rsplit('.', 1)[0] in ref)
    paths = [os.path.join(data, 'TRAIN', f) for f in clips]
    out = subprocess.run([dump, '-f'] + paths, check=True, capture_output=True, text=True).stdout
    rows = list(csv.reader(io.StringIO(out), delimiter=';'))
    names = rows[0][2:]
    per_clip = {}
    for r in rows[1:]:
        per_clip.setdefault(r[0].strip("'").rsplit('.', 1)[0], []).append([float(v) for v in r[2:]])
    print('column r median_rel_diff clips')
    for c, name in enumerate(names):
        col = name + '_amean'
        ours, theirs = [], []
        for clip, frames in per_clip.items():
            nz = [f[c] for f in frames[:-2] if f[c] != 0]
            ours.append(sum(nz) / len(nz) if nz else 0.0)
            theirs.append(float(ref[clip][col]))
        rel = sorted(abs(a - b) / abs(b) for a, b in zip(ours, theirs) if b != 0)
        print(f'{col} {pearson(ours, theirs):.4f} {rel[len(rel) // 2]:.5f} {len(ours)}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
