#!/usr/bin/env bats
# metrics on predictions sentio did not make: a Kaggle submission against the
# solution CSV (--truth), libsvm's svm-predict output with the class map featdump
# wrote (--libsvm, --classes); both recorded in the store.

load helper
load nnstreams
bats_require_minimum_version 1.5.0

PY=/usr/bin/python3

setup() {
  T="$BATS_TEST_TMPDIR"
  cd "$T"
}

acc_of() { awk -F'\t' '$1 == "accuracy" { print $4 }' "$1"; }

@test "--truth: a Kaggle submission scored against the solution, joined on Filename" {
  printf 'Filename,Class,Usage\nc.wav,Neutral,Public\na.wav,Positive,Public\nb.wav,Negative,Private\nd.wav,Positive,Public\n' >sol.csv
  printf 'Filename,Class\na.wav,Positive\nb.wav,Neutral\nc.wav,Neutral\nd.wav,Negative\n' >sub.csv
  metrics --truth sol.csv -f tsv sub.csv >m.tsv
  [ "$(acc_of m.tsv)" = 0.5 ]
  metrics --truth sol.csv sub.csv >m.txt
  grep -qx 'log loss: n/a (the predictions carry no probabilities)' m.txt
  # a file missing, a file too many, a file twice: errors naming them
  sed '/^d.wav/d' sub.csv >missing.csv
  run --separate-stderr metrics --truth sol.csv missing.csv
  [ "$status" -eq 1 ]
  [ "$stderr" = "metrics: missing.csv: no row for 1 of the solution's 4 files (the first: 'd.wav')" ]
  { cat sub.csv; echo 'e.wav,Neutral'; } >extra.csv
  run --separate-stderr metrics --truth sol.csv extra.csv
  [ "$stderr" = "metrics: extra.csv: 'e.wav' is not in the solution sol.csv" ]
  { cat sub.csv; echo 'a.wav,Neutral'; } >twice.csv
  run --separate-stderr metrics --truth sol.csv twice.csv
  [ "$stderr" = "metrics: twice.csv: 'a.wav' has more than one row" ]
  run metrics --truth sol.csv sub.csv sub.csv
  [ "$status" -eq 2 ]
}

@test "--truth on nnpredict's submission: recorded, and linked to the nnpredict run by content" {
  synth_stream 60 1 >train.feat
  synth_stream 15 2 >test.feat
  nnfit --epochs 20 train.feat -o m.nn 2>/dev/null
  nnpredict -m m.nn --format kaggle --db s.db -o sub.csv test.feat
  featdump test.feat | grep -v '^#' | awk -F'\t' 'BEGIN { print "Filename,Class" } { print $1 "," $2 }' >sol.csv
  metrics --truth sol.csv --db s.db -f tsv -o m.tsv sub.csv
  # the same accuracy as the labelled predictions give
  nnpredict -m m.nn test.feat | metrics -f tsv >direct.tsv
  [ "$(acc_of m.tsv)" = "$(acc_of direct.tsv)" ]
  [ "$(sqlite3 s.db "SELECT p.value FROM params p WHERE p.run_id = 2 AND p.key = 'input_sha256'")" = \
    "$(sqlite3 s.db "SELECT p.value FROM params p WHERE p.run_id = 1 AND p.key = 'output_sha256'")" ]
  [ "$(sqlite3 s.db "SELECT value FROM metrics WHERE run_id = 2 AND key = 'accuracy'")" = "$(acc_of m.tsv)" ]
  [ "$(sqlite3 s.db "SELECT count(*) FROM metrics WHERE run_id = 2 AND key = 'log_loss'")" = 0 ]
}

@test "--libsvm: svm-predict's output, with and without probabilities, scored with featdump's class map" {
  command -v svm-predict >/dev/null || skip "libsvm-tools is not installed (pipelines/deps.sh test)"
  $PY -c 'import numpy' 2>/dev/null || skip "python3-numpy is not installed"
  synth_stream 90 1 40 noise >train.feat
  synth_stream 30 2 >val.feat
  featdump --libsvm --save-classes classes.txt train.feat >train.svm
  featdump --libsvm --classes classes.txt val.feat >val.svm
  svm-train -q -b 1 train.svm model
  svm-predict -b 1 val.svm model val.out >/dev/null
  svm-predict val.svm model hard.out >/dev/null
  metrics --libsvm val.svm --classes classes.txt -f json --db s.db val.out >prob.json
  metrics --libsvm val.svm --classes classes.txt -f json hard.out >hard.json
  # the figures by hand: accuracy of the label column, sklearn's log loss of the probabilities
  $PY - val.svm val.out hard.out prob.json hard.json <<'PYEOF'
import json, sys, numpy as np
truth = [int(l.split()[0]) for l in open(sys.argv[1])]
lines = open(sys.argv[2]).read().split('\n')
labels = [int(x) for x in lines[0].split()[1:]]
rows = [l.split() for l in lines[1:] if l]
pred = [int(float(r[0])) for r in rows]
P = np.array([[float(x) for x in r[1:]] for r in rows])
eps = np.finfo(np.float64).eps
P = np.clip(P, eps, 1 - eps); P /= P.sum(axis=1, keepdims=True)
ll = -np.mean([np.log(P[i, labels.index(t)]) for i, t in enumerate(truth)])
prob = json.load(open(sys.argv[4]))
assert abs(prob['accuracy'] - np.mean(np.array(pred) == np.array(truth))) < 1e-15, prob['accuracy']
assert abs(prob['log_loss'] - ll) < 1e-12, (prob['log_loss'], ll)
hard_pred = [int(float(l.split()[0])) for l in open(sys.argv[3]) if l.strip()]
hard = json.load(open(sys.argv[5]))
assert abs(hard['accuracy'] - np.mean(np.array(hard_pred) == np.array(truth))) < 1e-15
assert hard['log_loss'] is None
print('ok', prob['accuracy'], ll)
PYEOF
  [ "$(sqlite3 s.db "SELECT value FROM params WHERE key = 'input_sha256'")" = "$(sha256sum <val.out | cut -d' ' -f1)" ]
  # a prediction file shorter than the data is an error
  head -n 5 hard.out >short.out
  run --separate-stderr metrics --libsvm val.svm --classes classes.txt short.out
  [ "$status" -eq 1 ]
  [ "$stderr" = "metrics: short.out: 5 predictions for the 30 lines of val.svm" ]
  run metrics --libsvm val.svm hard.out
  [ "$status" -eq 2 ]
}

@test "--libsvm: predictions that are not labels, and data without lines, are errors naming the file" {
  printf 'A\nB\n' >classes.txt
  printf '1 1:0.5\n2 1:1\n' >d.svm
  printf '2.0\n2\n' >ok.out
  metrics --libsvm d.svm --classes classes.txt -f tsv ok.out >m.tsv
  [ "$(acc_of m.tsv)" = 0.5 ]
  # found by fuzz_libsvm: NaN and huge numbers were converted to a label before the range check
  for p in nan 1e300 -inf 2.5 3 0; do
    printf '%s\n1\n' "$p" >bad.out
    run --separate-stderr metrics --libsvm d.svm --classes classes.txt bad.out
    [ "$status" -eq 1 ]
    [ "$stderr" = "metrics: bad.out: the prediction is not a label of classes.txt (1..2) (line 1)" ]
  done
  : >empty.svm
  : >empty.out
  run --separate-stderr metrics --libsvm empty.svm --classes classes.txt empty.out
  [ "$status" -eq 1 ]
  [ "$stderr" = "metrics: empty.svm: no lines" ]
}
