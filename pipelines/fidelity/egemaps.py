#!/usr/bin/python3
"""Fidelity of wav2egemaps against openSMILE 3.0's eGeMAPS v02 (make fidelity-egemaps).

Usage: egemaps.py BIN SHARED

1. Functionals on the 216 clips of SHARED/data/ravdess3_dev: per feature, Pearson r across
   clips and the median relative difference against SHARED/fixtures/golden/egemaps/
   ravdess3_dev.csv; the targets: r >= 0.90 for >= 80 of 88, r >= 0.97 for F0, loudness, MFCC.
2. Frame level: each of the ten spectral LLDs against openSMILE's LLD CSVs of the fixtures.
3. An RBF SVM (scikit-learn, standardised features) in 6-fold leave-actors-out
   cross-validation on sentio's 88 and on openSMILE's 88 (target: within 0.03).
Prints everything; exits 1 when a target is missed."""
import csv
import os
import subprocess
import sys
import tempfile

import numpy as np
from sklearn.model_selection import GroupKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

BIN, SHARED = sys.argv[1], sys.argv[2]
DATA = os.path.join(SHARED, "data", "ravdess3_dev")
GOLD = os.path.join(SHARED, "fixtures", "golden", "egemaps")


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout


def sentio_functionals():
    with tempfile.TemporaryDirectory() as tmp:
        feat = os.path.join(tmp, "x.feat")
        run([f"{BIN}/wav2egemaps", "--csv", os.path.join(DATA, "TRAIN.csv"), "-j", "2", "-o", feat])
        rows = list(csv.reader(run([f"{BIN}/featdump", "--csv", feat]).splitlines()))
    names = rows[0][2:]
    table = {os.path.splitext(r[0])[0]: (r[1], np.array([float(v) for v in r[2:]])) for r in rows[1:]}
    return names, table


def opensmile_functionals():
    with open(os.path.join(GOLD, "ravdess3_dev.csv")) as f:
        rows = list(csv.reader(f))
    return rows[0][1:], {os.path.splitext(r[0])[0]: np.array([float(v) for v in r[1:]]) for r in rows[1:]}


def pearson(a, b):
    if a.std() == 0 or b.std() == 0:
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])


def functional_table(names, mine, gold):
    print("== functionals: sentio vs openSMILE on %d clips of ravdess3_dev" % len(mine))
    print("%-3s %-44s %8s %10s" % ("#", "feature", "r", "med.rel"))
    rs = []
    for i, name in enumerate(names):
        a, b = mine[:, i], gold[:, i]
        r = pearson(a, b)
        rel = np.median(np.abs(a - b) / np.maximum(np.abs(b), 1e-9))
        rs.append(r)
        flag = "" if r >= 0.9 else "  < 0.90"
        print("%-3d %-44s %8.4f %10.2e%s" % (i + 1, name, r, rel, flag))
    rs = np.array(rs)
    n90 = int(np.sum(rs >= 0.90))
    key = [i for i, n in enumerate(names) if n.startswith(("F0semitone", "loudness", "mfcc"))
           and not n.startswith(("mfcc1V", "mfcc2V", "mfcc3V", "mfcc4V"))]
    n97 = int(np.sum(rs[key] >= 0.97))
    print("r >= 0.90: %d of 88 (target 80); F0/loudness/MFCC r >= 0.97: %d of %d" % (n90, n97, len(key)))
    worst = np.argsort(np.nan_to_num(rs, nan=-1))[:8]
    print("worst: " + ", ".join("%s %.3f" % (names[i], rs[i]) for i in worst))
    return n90 >= 80 and n97 == len(key)


def lld_check():
    print("== frame level: the ten spectral LLDs against openSMILE's LLD rows")
    lld_dir = os.path.join(GOLD, "lld")
    ok = True
    for fname in sorted(os.listdir(lld_dir)):
        name = fname[: -len(".lld.csv")]
        wav = os.path.join(SHARED, "fixtures", name + ".wav")
        with open(os.path.join(lld_dir, fname)) as f:
            rows = list(csv.reader(f, delimiter=";"))
        gold = np.array([[float(v) for v in r[2:12]] for r in rows[1:]])
        out = run(f"{BIN}/wav2egemaps --lld '{wav}' | {BIN}/featdump", shell=True)
        lines = [l.split("\t")[3:] for l in out.splitlines() if not l.startswith("#")]
        mine = np.array([[float(v) for v in l[:10]] for l in lines])
        n = min(len(mine), len(gold))
        cells = []
        for c, col in enumerate(rows[0][2:12]):
            a, b = mine[:n, c], gold[:n, c]
            if b.std() <= 1e-6 * max(1.0, abs(b.mean())):
                # A constant column (silence): r is meaningless; compare the values.
                d = float(np.max(np.abs(a - b)))
                cells.append("%s const, max diff %.1g" % (col.replace("_sma3", ""), d))
                ok &= d <= 1e-4 * max(1.0, abs(b.mean()))
                continue
            r = pearson(a, b)
            cells.append("%s %.5f" % (col.replace("_sma3", ""), r))
            ok &= r >= 0.999
        print("%-26s rows %d/%d: %s" % (name, len(mine), len(gold), ", ".join(cells)))
    return ok


def svm_accuracy(X, y, groups):
    model = make_pipeline(StandardScaler(), SVC(kernel="rbf", C=1.0, gamma="scale"))
    scores = cross_val_score(model, X, y, groups=groups, cv=GroupKFold(n_splits=6))
    return scores.mean(), scores


def main():
    names, mine = sentio_functionals()
    gold_names, gold = opensmile_functionals()
    assert names == gold_names, "column names differ from openSMILE's"
    keys = sorted(gold)
    missing = [k for k in keys if k not in mine]
    if missing:
        sys.exit("fidelity-egemaps: sentio has no features for %s" % missing[:3])
    M = np.array([mine[k][1] for k in keys])
    O = np.array([gold[k] for k in keys])
    labels = np.array([mine[k][0] for k in keys])
    actors = np.array([k.split("-")[-1] for k in keys])
    ok = functional_table(names, M, O)
    ok &= lld_check()
    print("== RBF SVM, 6-fold leave-actors-out (GroupKFold by actor), standardised features")
    acc_s, folds_s = svm_accuracy(M, labels, actors)
    acc_o, folds_o = svm_accuracy(O, labels, actors)
    print("sentio's 88:    %.3f  (folds %s)" % (acc_s, " ".join("%.2f" % f for f in folds_s)))
    print("openSMILE's 88: %.3f  (folds %s)" % (acc_o, " ".join("%.2f" % f for f in folds_o)))
    print("difference:     %+.3f (target within 0.03)" % (acc_s - acc_o))
    ok &= abs(acc_s - acc_o) <= 0.03
    print("fidelity-egemaps: %s" % ("all targets met" if ok else "TARGETS MISSED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
