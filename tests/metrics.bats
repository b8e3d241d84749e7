#!/usr/bin/env bats
# metrics against scikit-learn 1.2.1: the expected texts and numbers below are
# what sklearn.metrics.classification_report / log_loss / confusion_matrix give
# for these prediction files (computed once with python3-sklearn; see the
# comments), so the test needs no Python.

load helper

HEADER='key\tlabel\tpred\tp_Negative\tp_Neutral\tp_Positive\n'

setup() {
  cd "$BATS_TEST_TMPDIR"
  {
    printf "$HEADER"
    printf 'clip 01.wav\tNegative\tNegative\t0.8\t0.15\t0.05\n'
    printf 'clip 02.wav\tNegative\tNegative\t0.6\t0.3\t0.1\n'
    printf 'clip 03.wav\tNegative\tNeutral\t0.3\t0.5\t0.2\n'
    printf 'clip 04.wav\tNeutral\tNeutral\t0.1\t0.7\t0.2\n'
    printf 'clip 05.wav\tNeutral\tNeutral\t0.2\t0.6\t0.2\n'
    printf 'clip 06.wav\tNeutral\tPositive\t0.05\t0.4\t0.55\n'
    printf 'clip 07.wav\tNeutral\tNegative\t0.5\t0.4\t0.1\n'
    printf 'clip 08.wav\tPositive\tPositive\t0.01\t0.09\t0.9\n'
    printf 'clip 09.wav\tPositive\tPositive\t0.1\t0.2\t0.7\n'
    printf 'clip 10.wav\tPositive\tNegative\t0.45\t0.1\t0.45\n'
    printf 'clip 11.wav\tPositive\tPositive\t0\t0.001\t0.999\n'
    printf 'clip 12.wav\tNegative\tNegative\t0.999999\t1e-06\t0\n'
  } > p1.tsv
  {
    printf "$HEADER"
    printf 'a.wav\tNegative\tNegative\t0.9\t0.05\t0.05\n'
    printf 'b.wav\tNeutral\tNegative\t0.5\t0.3\t0.2\n'
    printf 'c.wav\tPositive\tPositive\t0.2\t0.2\t0.6\n'
    printf 'd.wav\tNeutral\tPositive\t0.1\t0.2\t0.7\n'
    printf 'e.wav\tPositive\tPositive\t0.3\t0.1\t0.6\n'
  } > p2.tsv
}

# print(classification_report(y_true, y_pred)) for p1.tsv
P1_REPORT='              precision    recall  f1-score   support

    Negative       0.60      0.75      0.67         4
     Neutral       0.67      0.50      0.57         4
    Positive       0.75      0.75      0.75         4

    accuracy                           0.67        12
   macro avg       0.67      0.67      0.66        12
weighted avg       0.67      0.67      0.66        12'

@test "metrics: the default report is sklearn's classification_report, then confusion matrix and log loss" {
  run metrics p1.tsv
  [ "$status" -eq 0 ]
  [ "$(printf '%s\n' "$output" | head -n 9)" = "$P1_REPORT" ]
  [ -z "$(printf '%s\n' "$output" | sed -n 10p)" ]   # print() adds one newline
  # confusion_matrix(y_true, y_pred) = [[3, 1, 0], [1, 2, 1], [1, 0, 3]]
  printf '%s\n' "$output" | grep -qx 'confusion matrix (rows: true class, columns: predicted class)'
  printf '%s\n' "$output" | grep -qx '               Negative   Neutral  Positive'
  printf '%s\n' "$output" | grep -qx '    Negative          3         1         0'
  printf '%s\n' "$output" | grep -qx '     Neutral          1         2         1'
  printf '%s\n' "$output" | grep -qx '    Positive          1         0         3'
  # log_loss(y_true, P, labels=classes) = 0.4916307222506319
  printf '%s\n' "$output" | grep -qx 'log loss: 0.4916'
}

@test "metrics: --digits 4 over two files matches sklearn's report of the concatenation" {
  run metrics --digits 4 p1.tsv p2.tsv
  [ "$status" -eq 0 ]
  expected='              precision    recall  f1-score   support

    Negative     0.5714    0.8000    0.6667         5
     Neutral     0.6667    0.3333    0.4444         6
    Positive     0.7143    0.8333    0.7692         6

    accuracy                         0.6471        17
   macro avg     0.6508    0.6556    0.6268        17
weighted avg     0.6555    0.6471    0.6244        17'
  [ "$(printf '%s\n' "$output" | head -n 9)" = "$expected" ]
  printf '%s\n' "$output" | grep -qx 'log loss: 0.578823'   # sklearn: 0.5788230086445546
}

@test "metrics: --format json has the issue's keys in order and sklearn's numbers to the last digit" {
  run metrics --format json p1.tsv
  [ "$status" -eq 0 ]
  # sklearn: accuracy 0.6666666666666666, macro/weighted f1 0.6626984126984127,
  # log loss 0.4916307222506319, f1 Negative 0.6666666666666665, Neutral 0.5714285714285715
  [ "$output" = '{"n":12,"accuracy":0.6666666666666666,"macro_f1":0.6626984126984127,"weighted_f1":0.6626984126984127,"log_loss":0.4916307222506319,"per_class":{"Negative":{"precision":0.6,"recall":0.75,"f1":0.6666666666666665,"support":4},"Neutral":{"precision":0.6666666666666666,"recall":0.5,"f1":0.5714285714285715,"support":4},"Positive":{"precision":0.75,"recall":0.75,"f1":0.75,"support":4}},"confusion":{"labels":["Negative","Neutral","Positive"],"matrix":[[3,1,0],[1,2,1],[1,0,3]]}}' ]
  run metrics -f json p1.tsv p2.tsv
  # sklearn on the 17 records: accuracy 0.6470588235294118, macro f1 0.6267806267806267,
  # weighted f1 0.6244343891402715, log loss 0.5788230086445546
  [[ "$output" == '{"n":17,"accuracy":0.6470588235294118,"macro_f1":0.6267806267806267,"weighted_f1":0.6244343891402715,"log_loss":0.5788230086445546,'* ]]
  [[ "$output" == *'"matrix":[[4,1,0],[2,2,2],[1,0,5]]}}' ]]
}

@test "metrics: a class never predicted gets 0 and a warning, as sklearn's zero_division default" {
  run metrics p2.tsv
  [ "$status" -eq 0 ]
  [[ "$output" == *"warning: precision and F-score are ill-defined"*"never predicted: Neutral"* ]]
  printf '%s\n' "$output" | grep -qx '     Neutral       0.00      0.00      0.00         2'
  printf '%s\n' "$output" | grep -qx '   macro avg       0.39      0.67      0.49         5'
  run metrics --zero-division 1 p2.tsv
  [ "$status" -eq 0 ]
  [[ "$output" != *warning* ]]
  # classification_report(..., zero_division=1)
  printf '%s\n' "$output" | grep -qx '     Neutral       1.00      0.00      0.00         2'
  printf '%s\n' "$output" | grep -qx '   macro avg       0.72      0.67      0.49         5'
  printf '%s\n' "$output" | grep -qx 'weighted avg       0.77      0.60      0.45         5'
  run metrics --zero-division 0 p2.tsv
  [[ "$output" != *warning* ]]
  printf '%s\n' "$output" | grep -qx '     Neutral       0.00      0.00      0.00         2'
}

@test "metrics: --format tsv is a tidy per-class table with summary rows" {
  run metrics --format tsv p2.tsv --zero-division 0
  [ "$status" -eq 0 ]
  expected=$(printf 'class\tprecision\trecall\tf1\tsupport
Negative\t0.5\t1.0\t0.6666666666666666\t1
Neutral\t0.0\t0.0\t0.0\t2
Positive\t0.6666666666666666\t1.0\t0.8\t2
accuracy\t0.6\t0.6\t0.6\t5
macro avg\t0.38888888888888884\t0.6666666666666666\t0.48888888888888893\t5
weighted avg\t0.36666666666666664\t0.6\t0.4533333333333333\t5')
  [ "$output" = "$expected" ]
}

@test "metrics: stdin, '-', and cat of two files give what two file arguments give" {
  metrics -f json p1.tsv p2.tsv > files.json
  metrics -f json < p1.tsv > stdin1.json
  metrics -f json p1.tsv > file1.json
  cmp stdin1.json file1.json
  cat p1.tsv p2.tsv | metrics -f json > cat.json
  cmp cat.json files.json
  cat p2.tsv | metrics -f json p1.tsv - > dash.json
  cmp dash.json files.json
}

@test "metrics: BOM and CRLF line ends are accepted" {
  { printf '\xef\xbb\xbf'; sed 's/$/\r/' p1.tsv; } > crlf.tsv
  run metrics -f json crlf.tsv
  [ "$status" -eq 0 ]
  [ "$output" = "$(metrics -f json p1.tsv)" ]
}

@test "metrics: -o writes the file atomically; a failure leaves an existing file untouched" {
  run metrics -o report.txt p1.tsv
  [ "$status" -eq 0 ]
  [ -z "$output" ]
  [ "$(head -n 9 report.txt)" = "$P1_REPORT" ]
  echo keep > old.txt
  run metrics -o old.txt missing.tsv
  [ "$status" -eq 1 ]
  [ "$(cat old.txt)" = keep ]
  [ -z "$(ls | grep '\.tmp\.')" ]
}

@test "metrics: output is deterministic" {
  metrics p1.tsv p2.tsv > a.txt
  metrics p1.tsv p2.tsv > b.txt
  cmp a.txt b.txt
}

@test "metrics: a record without a label is an error naming file and line" {
  printf "$HEADER"'x.wav\t\tNeutral\t0.1\t0.8\t0.1\n' > unlabelled.tsv
  run metrics p1.tsv unlabelled.tsv
  [ "$status" -eq 1 ]
  [ "$output" = "metrics: unlabelled.tsv: record 'x.wav' has no label: metrics needs labelled predictions (line 2)" ]
}

@test "metrics: labels and predictions must be classes of the header" {
  printf "$HEADER"'x.wav\tAngry\tNeutral\t0.1\t0.8\t0.1\n' > bad.tsv
  run metrics bad.tsv
  [ "$status" -eq 1 ]
  [ "$output" = "metrics: bad.tsv: label 'Angry' of record 'x.wav' is not one of the header's classes (Negative, Neutral, Positive) (line 2)" ]
  printf "$HEADER"'x.wav\tNeutral\tAngry\t0.1\t0.8\t0.1\n' > bad.tsv
  run metrics bad.tsv
  [ "$status" -eq 1 ]
  [[ "$output" == "metrics: bad.tsv: prediction 'Angry' of record 'x.wav' is not one of the header's classes"*"(line 2)" ]]
}

@test "metrics: malformed lines are errors with their line number" {
  printf "$HEADER"'x.wav\tNeutral\tNeutral\t0.1\t0.8\n' > short.tsv
  run metrics short.tsv
  [ "$status" -eq 1 ]
  [ "$output" = "metrics: short.tsv: 5 fields, the header has 6 (line 2)" ]
  printf "$HEADER"'x.wav\tNeutral\tNeutral\t0.1\tabc\t0.1\n' > nan.tsv
  run metrics nan.tsv
  [ "$status" -eq 1 ]
  [[ "$output" == "metrics: nan.tsv: p_Neutral of record 'x.wav' is 'abc', not a probability in [0, 1] (line 2)" ]]
  printf "$HEADER"'x.wav\tNeutral\tNeutral\t0.1\tnan\t0.1\n' > nan.tsv
  run metrics nan.tsv
  [ "$status" -eq 1 ]
  printf "$HEADER"'x.wav\tNeutral\tNeutral\t-0.1\t0.9\t0.2\n' > neg.tsv
  run metrics neg.tsv
  [ "$status" -eq 1 ]
  { cat p1.tsv; echo; } > blank.tsv
  run metrics blank.tsv
  [ "$status" -eq 1 ]
  [ "$output" = "metrics: blank.tsv: empty line (line 14)" ]
  printf 'Filename,Class\nx.wav,Neutral\n' > kaggle.csv
  run metrics kaggle.csv
  [ "$status" -eq 1 ]
  [[ "$output" == "metrics: kaggle.csv: not an nnpredict TSV header"*"(line 1)" ]]
  printf 'key\tlabel\tpred\tp_A\tp_A\n' > dup.tsv
  run metrics dup.tsv
  [ "$status" -eq 1 ]
  [[ "$output" == *"class 'A' appears twice"* ]]
}

@test "metrics: an error quoting a field too long for one message still names its line (fuzz_metrics)" {
  { printf 'key\tlabel\tpred\t'; head -c 3000 /dev/zero | tr '\0' x; printf '\n'; } > long.tsv
  run metrics long.tsv
  [ "$status" -eq 1 ]
  [[ "$output" == "metrics: long.tsv: header column 4 is 'xxx"*"xxx... (line 1)" ]]
}

@test "metrics: empty input, a header without records, differing headers, a missing file" {
  : > empty.tsv
  run metrics empty.tsv
  [ "$status" -eq 1 ]
  [ "$output" = "metrics: empty.tsv: empty input (no header line)" ]
  run metrics < /dev/null
  [ "$status" -eq 1 ]
  [ "$output" = "metrics: (stdin): empty input (no header line)" ]
  printf "$HEADER" > header.tsv
  run metrics header.tsv
  [ "$status" -eq 1 ]
  [ "$output" = "metrics: header.tsv: no predictions: the input has a header but no records" ]
  printf 'key\tlabel\tpred\tp_Neutral\tp_Negative\tp_Positive\n' > other.tsv
  run metrics p1.tsv other.tsv
  [ "$status" -eq 1 ]
  [[ "$output" == "metrics: other.tsv: header differs from the first input's"*"(line 1)" ]]
  run metrics p1.tsv missing.tsv
  [ "$status" -eq 1 ]
  [ "$output" = "metrics: missing.tsv: No such file or directory" ]
}

@test "metrics: usage errors exit 2" {
  run metrics --format xml p1.tsv
  [ "$status" -eq 2 ]
  [[ "$output" == *"--format: 'xml' is not text, json or tsv"* ]]
  run metrics --digits 16 p1.tsv
  [ "$status" -eq 2 ]
  run metrics --digits x p1.tsv
  [ "$status" -eq 2 ]
  run metrics --zero-division 2 p1.tsv
  [ "$status" -eq 2 ]
  run metrics --frobnicate p1.tsv
  [ "$status" -eq 2 ]
  run metrics --tag noequals p1.tsv
  [ "$status" -eq 2 ]
  [[ "$output" == *"--tag: 'noequals' is not KEY=VALUE"* ]]
  run metrics --tag =v p1.tsv
  [ "$status" -eq 2 ]
  run metrics --tag a=1 --tag a=2 p1.tsv
  [ "$status" -eq 2 ]
  [[ "$output" == *"KEY 'a' given twice"* ]]
  run metrics --db '' p1.tsv
  [ "$status" -eq 2 ]
}

@test "metrics: --digits 0 and a wide --digits follow sklearn's widths" {
  run metrics --digits 0 p1.tsv
  printf '%s\n' "$output" | grep -qx '    Negative          1         1         1         4'
  run metrics --digits 13 p1.tsv
  # width = max(len('weighted avg'), digits) = 13; 0.6 with 13 decimals
  printf '%s\n' "$output" | grep -qx '     Negative  0.6000000000000 0.7500000000000 0.6666666666667         4'
}

@test "metrics: -h and --version" {
  run metrics -h
  [ "$status" -eq 0 ]
  [[ "$output" == "Usage: metrics "* ]]
  [[ "$output" == *"--digits N"*"--db FILE"*"--run-name NAME"*"--tag KEY=VALUE"*"See also:"* ]]
  run metrics --version
  [ "$status" -eq 0 ]
  [[ "$output" == "metrics (sentio) "* ]]
}

# Per speaker, by hand: the first digit of the clip number is the "speaker".
# Speaker 0 (clips 01-09): 6 of 9 right; F1 Negative 2/3, Neutral 4/7, Positive 0.8 -> macro 0.6794.
# Speaker 1 (clips 10-12): 2 of 3 right; F1 Negative 2/3, Positive 2/3 (Neutral absent) -> 0.6667.
@test "metrics --group: accuracy and macro-F1 per speaker and their spread, as computed by hand" {
  run metrics --group '^clip ([0-9])' p1.tsv
  [ "$status" -eq 0 ]
  printf '%s\n' "$output" | grep -qx 'speaker      n  accuracy  macro_f1'
  printf '%s\n' "$output" | grep -qx '0            9    0.6667    0.6794'
  printf '%s\n' "$output" | grep -qx '1            3    0.6667    0.6667'
  printf '%s\n' "$output" | grep -qx 'over 2 speakers: accuracy mean 0.6667 sd 0.0000 min 0.6667 max 0.6667'
  printf '%s\n' "$output" | grep -qx 'over 2 speakers: macro-F1 mean 0.6730 sd 0.0063 min 0.6667 max 0.6794'
  run metrics --format tsv --group '^clip ([0-9])' p1.tsv
  printf '%s\n' "$output" | awk -F'\t' '$1 == "0" { exit !($2 == 9 && $4 > 0.67936 && $4 < 0.67937) }'
  run metrics --format json --group '^clip ([0-9])' p1.tsv
  printf '%s\n' "$output" | grep -q '"per_speaker":{"0":{"n":9,"accuracy":0.6666666666666666,'
  printf '%s\n' "$output" | grep -q '"speaker_spread":{"speakers":2,"accuracy_mean":0.6666666666666666,'
}

@test "metrics --utt2spk gives the same breakdown; a key without a speaker is an error" {
  # Kaldi's ids hold no spaces: keys 'clipNN.wav', ids 'clipNN' (the key without extension).
  sed 's/^clip \([0-9]*\)\.wav\t/clip\1.wav\t/' p1.tsv >p1s.tsv
  for i in 01 02 03 04 05 06 07 08 09 10 11 12; do echo "clip$i ${i%?}"; done >utt2spk
  run metrics --utt2spk utt2spk p1s.tsv
  [ "$status" -eq 0 ]
  printf '%s\n' "$output" | grep -qx '0            9    0.6667    0.6794'
  head -3 utt2spk >short
  run metrics --utt2spk short p1s.tsv
  [ "$status" -eq 1 ]
  [[ "$output" == *"p1s.tsv: --utt2spk: key 'clip04.wav' is not in utt2spk short (record 4)"* ]]
  # a key too long for one message: cut short, its record still named
  long=$(printf 'k%.0s' $(seq 1500))
  sed "5s/^clip04/$long/" p1s.tsv >p1l.tsv
  run metrics --utt2spk short p1l.tsv
  [ "$status" -eq 1 ]
  [[ "$output" == *"p1l.tsv: --utt2spk: key 'kkk"*"kk... (record 4)" ]]
  run metrics --group '(x)' --utt2spk utt2spk p1s.tsv
  [ "$status" -eq 2 ]
}

@test "metrics --group --db records each speaker's figures and the spread" {
  metrics --db s.db --group '^clip ([0-9])' p1.tsv >/dev/null
  [ "$(sqlite3 s.db "select printf('%.4f', value) from metrics where key = 'speaker_macro_f1/0'")" = 0.6794 ]
  [ "$(sqlite3 s.db "select value from metrics where key = 'speakers'")" = 2.0 ]
  [ "$(sqlite3 s.db "select printf('%.4f', value) from metrics where key = 'speaker_macro_f1_sd'")" = 0.0063 ]
}
