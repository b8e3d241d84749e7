#!/usr/bin/env bats
# nnpredict: the TSV and Kaggle outputs, inputs, and every bad input.

load helper
load nnstreams

setup() {
  T="$BATS_TEST_TMPDIR"
  synth_stream 90 1 > "$T/train.feat"
  synth_stream 12 2 > "$T/test.feat"
  nnfit --epochs 30 "$T/train.feat" -o "$T/m.nn" 2>/dev/null
}

@test "nnpredict --help lists every option and exits 0" {
  run nnpredict --help
  [ "$status" -eq 0 ]
  for o in --model --format --output --db --run-name --tag --version "See also:"; do
    [[ "$output" == *"$o"* ]] || { echo "missing $o"; false; }
  done
}

@test "nnpredict --version" {
  run nnpredict --version
  [ "$status" -eq 0 ]
  [[ "$output" == "nnpredict (sentio) "* ]]
}

@test "nnpredict writes a TSV with a header, the label, the argmax and probabilities summing to 1" {
  run nnpredict -m "$T/m.nn" "$T/test.feat"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "$(printf 'key\tlabel\tpred\tp_Negative\tp_Neutral\tp_Positive')" ]
  [ "${#lines[@]}" -eq 13 ]
  [ "$(echo "${lines[1]}" | cut -f1,2)" = "$(printf 'clip0000.wav\tNegative')" ]
  printf '%s\n' "${lines[@]:1}" | awk -F'\t' '
    { s = $4 + $5 + $6; if (s < 0.9999 || s > 1.0001) exit 1
      m = 4; for (j = 5; j <= 6; j++) if ($j > $m) m = j
      split("x x x Negative Neutral Positive", n, " "); if (n[m] != $3) exit 1
      right += $2 == $3 }
    END { exit !(right >= 11) }'
}

@test "nnpredict --format kaggle writes Filename,Class and quotes where CSV needs it" {
  run nnpredict -m "$T/m.nn" --format kaggle "$T/test.feat"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "Filename,Class" ]
  [[ "${lines[1]}" =~ ^clip0000\.wav,(Negative|Neutral|Positive)$ ]]
  printf 'a,b "c".wav\t\t%s\t%s\n' "$NN_META" "$(seq -s ' ' 1 40)" | text2feat > "$T/odd.feat"
  run nnpredict -m "$T/m.nn" --format kaggle "$T/odd.feat"
  [[ "${lines[1]}" =~ ^\"a,b\ \"\"c\"\"\.wav\",(Negative|Neutral|Positive)$ ]]
  run nnpredict -m "$T/m.nn" --format tsv "$T/odd.feat"
  [[ "${lines[1]}" == "a,b \"c\".wav"$'\t\t'* ]]
  printf 'TEST/sub dir/1001.wav\t\t%s\t%s\n' "$NN_META" "$(seq -s ' ' 1 40)" | text2feat > "$T/path.feat"
  run nnpredict -m "$T/m.nn" --format kaggle "$T/path.feat"
  [[ "${lines[1]}" =~ ^1001\.wav,(Negative|Neutral|Positive)$ ]]
}

@test "nnpredict reads stdin, '-' and several streams in turn; -o writes a file" {
  nnpredict -m "$T/m.nn" "$T/test.feat" > "$T/a.tsv"
  nnpredict -m "$T/m.nn" < "$T/test.feat" > "$T/b.tsv"
  cmp "$T/a.tsv" "$T/b.tsv"
  nnpredict -m "$T/m.nn" "$T/test.feat" - "$T/test.feat" < "$T/test.feat" > "$T/c.tsv"
  [ "$(wc -l < "$T/c.tsv")" -eq 37 ]
  nnpredict --model "$T/m.nn" --output "$T/d.tsv" "$T/test.feat"
  cmp "$T/a.tsv" "$T/d.tsv"
}

@test "nnpredict output is deterministic and matches for either architecture" {
  nnfit --arch cnn --epochs 3 "$T/train.feat" -o "$T/c.nn" 2>/dev/null
  nnpredict -m "$T/c.nn" "$T/test.feat" > "$T/a.tsv"
  nnpredict -m "$T/c.nn" "$T/test.feat" > "$T/b.tsv"
  cmp "$T/a.tsv" "$T/b.tsv"
}

@test "nnpredict: features of another width or metadata are refused, naming both" {
  synth_stream 3 5 39 > "$T/narrow.feat"
  run nnpredict -m "$T/m.nn" "$T/narrow.feat"
  [ "$status" -eq 1 ]
  [[ "$output" == *"$T/narrow.feat"*"39 values"*"$T/m.nn"*"40"* ]]
  printf 'a\t\tsr=16000 pool=mean\t%s\n' "$(seq -s ' ' 1 40)" | text2feat > "$T/meta.feat"
  run nnpredict -m "$T/m.nn" "$T/meta.feat"
  [ "$status" -eq 1 ]
  [[ "$output" == *"'sr=16000 pool=mean'"*"$T/m.nn"*"'$NN_META'"* ]]
}

@test "nnpredict: bad records and streams are errors naming the file" {
  printf 'a\t\t%s\t%s;%s\n' "$NN_META" "$(seq -s ' ' 1 40)" "$(seq -s ' ' 1 40)" | text2feat > "$T/rows.feat"
  printf 'a\t\t%s\tnan %s\n' "$NN_META" "$(seq -s ' ' 1 39)" | text2feat > "$T/nan.feat"
  head -c 100 "$T/test.feat" > "$T/truncated.feat"
  for case in "rows:2 rows" "nan:not finite" "truncated:truncated" "missing:"; do
    f=${case%%:*} msg=${case#*:}
    run nnpredict -m "$T/m.nn" -o "$T/out.tsv" "$T/$f.feat"
    [ "$status" -eq 1 ] || { echo "$f: status $status"; false; }
    [[ "$output" == *"$T/$f.feat"*"$msg"* ]] || { echo "$f: $output"; false; }
    [ ! -e "$T/out.tsv" ]
  done
}

@test "nnpredict: an empty stream gives the header only" {
  : > "$T/empty.feat"
  run nnpredict -m "$T/m.nn" "$T/empty.feat"
  [ "$status" -eq 0 ]
  [ "${#lines[@]}" -eq 1 ]
}

@test "nnpredict: damaged, truncated, newer and missing models are refused naming file and line" {
  sed 's/^inputs 40$/inputs 41/' "$T/m.nn" > "$T/edited.nn"
  run nnpredict -m "$T/edited.nn" "$T/test.feat"
  [ "$status" -eq 1 ]
  [[ "$output" == "nnpredict: $T/edited.nn: checksum mismatch"*" (line "*")" ]]
  head -c 5000 "$T/m.nn" > "$T/cut.nn"
  run nnpredict -m "$T/cut.nn" "$T/test.feat"
  [ "$status" -eq 1 ]
  [[ "$output" == "nnpredict: $T/cut.nn: truncated"*" (line "*")" ]]
  sed '1s/.*/sentio-nnet 9/' "$T/m.nn" > "$T/newer.nn"
  run nnpredict -m "$T/newer.nn" "$T/test.feat"
  [ "$status" -eq 1 ]
  [[ "$output" == *"$T/newer.nn: model format version 9 is newer"*"(line 1)" ]]
  run nnpredict -m "$T/test.feat" "$T/test.feat"
  [ "$status" -eq 1 ]
  [[ "$output" == *"not a sentio model"* ]]
  run nnpredict -m "$T/nothere.nn" "$T/test.feat"
  [ "$status" -eq 1 ]
  [ "$output" = "nnpredict: $T/nothere.nn: No such file or directory" ]
}

@test "nnpredict: usage errors exit 2" {
  run nnpredict "$T/test.feat"
  [ "$status" -eq 2 ]
  [[ "$output" == *"-m MODEL is required"* ]]
  run nnpredict -m "$T/m.nn" --format json "$T/test.feat"
  [ "$status" -eq 2 ]
  [[ "$output" == *"'json'"* ]]
  run nnpredict -m "$T/m.nn" --bogus
  [ "$status" -eq 2 ]
}

@test "nnpredict on unlabelled TEST-like records: the label column is empty" {
  synth_text 4 9 | awk -F'\t' -v OFS='\t' '{ $2 = ""; print }' | text2feat > "$T/unl.feat"
  run nnpredict -m "$T/m.nn" "$T/unl.feat"
  [ "$status" -eq 0 ]
  [ "$(printf '%s\n' "${lines[@]:1}" | cut -f2 | sort -u)" = "" ]
}

@test "nnpredict --db records its parameters and every prediction" {
  nnpredict --db "$T/s.db" --tag split=test -m "$T/m.nn" "$T/test.feat" > "$T/p.tsv"
  [ "$(sqlite3 "$T/s.db" "select tool || ' ' || status from runs")" = "nnpredict finished" ]
  [ "$(sqlite3 "$T/s.db" "select value from params where key = 'model'")" = "$T/m.nn" ]
  [ "$(sqlite3 "$T/s.db" "select value from params where key = 'model_sha256'")" = "$(sha256sum < "$T/m.nn" | cut -d' ' -f1)" ]
  [ "$(sqlite3 "$T/s.db" "select value from params where key = 'input_sha256'")" = "$(sha256sum < "$T/test.feat" | cut -d' ' -f1)" ]
  [ "$(sqlite3 "$T/s.db" "select value from params where key = 'split'")" = test ]
  [ "$(sqlite3 "$T/s.db" "select count(*) from predictions")" -eq 12 ]
  [ "$(sqlite3 -separator $'\t' "$T/s.db" "select key, label, pred from predictions order by idx")" = "$(tail -n +2 "$T/p.tsv" | cut -f1-3)" ]
  sqlite3 "$T/s.db" "select probs from predictions where idx = 0" | grep -Eq '^\{"Negative":[0-9.e-]+,"Neutral":[0-9.e-]+,"Positive":[0-9.e-]+\}$'
}

# ---- either kind of model: nnfit's network and svmfit's SVM give the same outputs and refusals

both_models() {
  svmfit "$T/train.feat" -o "$T/m.svm" 2>/dev/null
  echo "$T/m.nn $T/m.svm"
}

@test "nnpredict with an nnfit or an svmfit model: the same TSV layout, probabilities summing to 1" {
  for model in $(both_models); do
    run nnpredict -m "$model" "$T/test.feat"
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = "$(printf 'key\tlabel\tpred\tp_Negative\tp_Neutral\tp_Positive')" ]
    [ "${#lines[@]}" -eq 13 ]
    printf '%s\n' "${lines[@]:1}" | awk -F'\t' '
      { s = $4 + $5 + $6; if (s < 0.9999 || s > 1.0001) exit 1
        m = 4; for (j = 5; j <= 6; j++) if ($j > $m) m = j
        split("x x x Negative Neutral Positive", n, " "); if (n[m] != $3) exit 1
        right += $2 == $3 }
      END { exit !(right >= 11) }' || { echo "$model"; false; }
  done
}

@test "nnpredict --format kaggle with either kind of model" {
  for model in $(both_models); do
    run nnpredict -m "$model" --format kaggle "$T/test.feat"
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = "Filename,Class" ]
    [[ "${lines[1]}" =~ ^clip0000\.wav,(Negative|Neutral|Positive)$ ]]
  done
}

@test "nnpredict refuses the same bad input with either kind of model" {
  synth_stream 3 5 39 >"$T/narrow.feat"
  printf 'a\t\tsr=16000 pool=mean\t%s\n' "$(seq -s ' ' 1 40)" | text2feat >"$T/meta.feat"
  printf 'a\t\t%s\t%s;%s\n' "$NN_META" "$(seq -s ' ' 1 40)" "$(seq -s ' ' 1 40)" | text2feat >"$T/rows.feat"
  printf 'a\t\t%s\tnan %s\n' "$NN_META" "$(seq -s ' ' 1 39)" | text2feat >"$T/nan.feat"
  for model in $(both_models); do
    for case in "narrow:39 values" "meta:feature metadata" "rows:2 rows" "nan:not finite"; do
      f=${case%%:*} msg=${case#*:}
      run nnpredict -m "$model" -o "$T/out.tsv" "$T/$f.feat"
      [ "$status" -eq 1 ] || { echo "$model $f: status $status"; false; }
      [[ "$output" == *"$T/$f.feat"*"$msg"* ]] || { echo "$model $f: $output"; false; }
      [ ! -e "$T/out.tsv" ]
    done
  done
}

@test "nnpredict refuses a damaged model of either kind, naming file and line" {
  for model in $(both_models); do
    sed 's/^inputs 40$/inputs 41/' "$model" >"$T/edited"
    run nnpredict -m "$T/edited" "$T/test.feat"
    [ "$status" -eq 1 ]
    [[ "$output" == "nnpredict: $T/edited: checksum mismatch"*" (line "*")" ]]
    sed '1s/ 1$/ 9/' "$model" >"$T/newer"
    run nnpredict -m "$T/newer" "$T/test.feat"
    [ "$status" -eq 1 ]
    [[ "$output" == *"$T/newer: model format version 9 is newer"*" (line 1)" ]]
  done
}

@test "nnpredict: an error quoting an architecture too long for one message still names its line (fuzz_model_body)" {
  { printf 'sentio-nnet 1\narch dense:2,'
    for i in $(seq 300); do printf 'relu,'; done
    printf ',relu\ninputs 2\nclasses 2\nclass a\nclass b\nfeature_meta \nstandardize 0\nparams 0\n'
  } >"$T/long.nn"
  printf 'sha256 %s\n' "$(sha256sum "$T/long.nn" | cut -d' ' -f1)" >>"$T/long.nn"
  run nnpredict -m "$T/long.nn" "$T/test.feat"
  [ "$status" -eq 1 ]
  [[ "$output" == "nnpredict: $T/long.nn: arch: empty term in 'dense:2,relu,"*"... (line 2)" ]]
}

@test "nnpredict --db records which kind of model predicted" {
  read -r nn svm < <(both_models)
  nnpredict --db "$T/s.db" -m "$nn" "$T/test.feat" >/dev/null
  nnpredict --db "$T/s.db" -m "$svm" "$T/test.feat" >/dev/null
  [ "$(sqlite3 "$T/s.db" "select group_concat(value, ' ') from params where key = 'model_kind' order by run_id")" = "nnet svm" ]
  [ "$(sqlite3 "$T/s.db" "select count(*) from predictions")" -eq 24 ]
}
