#!/usr/bin/env bats
# svmfit: libsvm's C-SVC into a sentio model file, read by nnpredict.

load helper
load nnstreams

setup() {
  T="$BATS_TEST_TMPDIR"
  synth_stream 90 1 >"$T/train.feat"
  synth_stream 12 2 >"$T/test.feat"
}

# Records whose speaker (the digit after "clip00") is in the key, for grouped grids.
speakers() { synth_text "$@" | text2feat; }

# resign SED_SCRIPT IN OUT: IN's body edited by sed, with the checksum line made anew.
resign() {
  local body
  body=$(sed '$d' "$2" | sed "$1")
  { printf '%s\n' "$body"; printf 'sha256 %s\n' "$(printf '%s\n' "$body" | sha256sum | cut -d' ' -f1)"; } >"$3"
}

@test "svmfit --help lists every option and exits 0" {
  run svmfit --help
  [ "$status" -eq 0 ]
  for o in --output --kernel --cost --gamma --seed --grid --grid-c --grid-gamma --grid-folds \
           --group --utt2spk --db --run-name --tag Examples "See also:"; do
    [[ "$output" == *"$o"* ]] || { echo "missing $o"; false; }
  done
}

@test "svmfit writes a checksummed sentio-svm model that nnpredict reads like nnfit's" {
  svmfit "$T/train.feat" -o "$T/m.svm" 2>/dev/null
  [ "$(head -1 "$T/m.svm")" = "sentio-svm 1" ]
  grep -qx 'kernel rbf' "$T/m.svm"
  grep -qx 'inputs 40' "$T/m.svm"
  grep -qx 'class Neutral' "$T/m.svm"
  grep -qx "feature_meta $NN_META" "$T/m.svm"
  grep -qx 'option gamma 0.025' "$T/m.svm"
  grep -q '^libsvm [0-9]*$' "$T/m.svm"
  grep -q '^probA ' "$T/m.svm"
  tail -1 "$T/m.svm" | grep -Eq '^sha256 [0-9a-f]{64}$'
  run nnpredict -m "$T/m.svm" "$T/test.feat"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "$(printf 'key\tlabel\tpred\tp_Negative\tp_Neutral\tp_Positive')" ]
  printf '%s\n' "${lines[@]:1}" | awk -F'\t' '
    { s = $4 + $5 + $6; if (s < 0.9999 || s > 1.0001) exit 1; right += $2 == $3 }
    END { exit !(right == 12) }'
}

@test "svmfit --kernel linear and -c are used and recorded" {
  svmfit --kernel linear -c 0.5 "$T/train.feat" -o "$T/l.svm" 2>/dev/null
  grep -qx 'kernel linear' "$T/l.svm"
  grep -qx 'option C 0.5' "$T/l.svm"
  grep -qx 'kernel_type linear' "$T/l.svm"
  run nnpredict -m "$T/l.svm" --format kaggle "$T/test.feat"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "Filename,Class" ]
  [ "${#lines[@]}" -eq 13 ]
}

@test "svmfit: the same seed gives byte-identical models; the probabilities depend on it" {
  synth_stream 90 3 40 noise >"$T/noisy.feat"
  svmfit --seed 7 "$T/noisy.feat" -o "$T/a.svm" 2>/dev/null
  svmfit --seed 7 "$T/noisy.feat" -o "$T/b.svm" 2>/dev/null
  svmfit --seed 8 "$T/noisy.feat" -o "$T/c.svm" 2>/dev/null
  cmp "$T/a.svm" "$T/b.svm"
  ! cmp -s "$T/a.svm" "$T/c.svm"
}

@test "svmfit --grid prints the grid, keeps each speaker in one fold, and trains the best pair" {
  run svmfit --grid --grid-c 1,10 --grid-gamma 0.5,1 --grid-folds 3 --group '^clip00([0-9])' \
    "$T/train.feat" -o "$T/g.svm"
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == "svmfit: grid accuracy (3-fold CV in the training set), rows C, columns gamma" ]]
  [ "$(printf '%s\n' "${lines[@]}" | grep -c '\*')" -eq 1 ]
  grep -qx 'option grid yes' "$T/g.svm"
  grep -Fqx 'option group ^clip00([0-9])' "$T/g.svm"
  grep -q '^result grid_best_acc ' "$T/g.svm"
}

@test "svmfit --grid: fewer speakers than folds is an error" {
  run svmfit --grid --grid-folds 5 --group '^clip0(0)' "$T/train.feat" -o "$T/g.svm"
  [ "$status" -eq 1 ]
  [[ "$output" == *"--grid:"*"groups cannot make 5 folds"* ]]
  [ ! -e "$T/g.svm" ]
}

@test "svmfit --grid: with fewer speakers than the default 5 folds, one fold per speaker" {
  featdump "$T/train.feat" | awk -F'\t' '!/^#/ { print $1, "s" substr($1, 7, 1) % 3 }' >"$T/utt2spk"
  run svmfit --grid --utt2spk "$T/utt2spk" "$T/train.feat" -o "$T/g.svm"
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == "svmfit: --grid: 3 speakers, so 3 folds (leave one speaker out)" ]]
  grep -qx 'option grid_folds 3' "$T/g.svm"
}

@test "svmfit --grid --utt2spk groups by a Kaldi utt2spk file" {
  featdump "$T/train.feat" | awk -F'\t' '!/^#/ { print $1, substr($1, 7, 1) }' >"$T/utt2spk"
  svmfit --grid --grid-folds 3 --utt2spk "$T/utt2spk" "$T/train.feat" -o "$T/u.svm" 2>/dev/null
  svmfit --grid --grid-folds 3 --group '^clip00([0-9])' "$T/train.feat" -o "$T/r.svm" 2>/dev/null
  diff <(grep -v '^option \(group\|utt2spk\) \|^sha256' "$T/u.svm") <(grep -v '^option \(group\|utt2spk\) \|^sha256' "$T/r.svm")
}

@test "svmfit: bad input as nnfit: unlabelled, one class, NaN, widths that differ" {
  synth_text 6 1 | awk -F'\t' -v OFS='\t' 'NR == 4 { $2 = "" } { print }' | text2feat >"$T/unl.feat"
  synth_text 6 1 | awk -F'\t' -v OFS='\t' '{ $2 = "Neutral"; print }' | text2feat >"$T/one.feat"
  synth_text 6 1 | awk -F'\t' -v OFS='\t' 'NR == 2 { sub(/^[^ ]+/, "nan", $4) } { print }' | text2feat >"$T/nan.feat"
  { synth_text 3 1; synth_text 3 2 39; } | text2feat >"$T/wide.feat"
  for case in "unl:has no label" "one:only one class" "nan:not finite" "wide:39 values where the first had 40"; do
    f=${case%%:*} msg=${case#*:}
    run svmfit "$T/$f.feat" -o "$T/out.svm"
    [ "$status" -eq 1 ] || { echo "$f: status $status"; false; }
    [[ "$output" == *"$T/$f.feat"*"$msg"* ]] || { echo "$f: $output"; false; }
    [ ! -e "$T/out.svm" ]
  done
}

@test "svmfit: usage errors exit 2" {
  run svmfit "$T/train.feat"
  [ "$status" -eq 2 ]
  [[ "$output" == *"-o MODEL is required"* ]]
  run svmfit --kernel poly "$T/train.feat" -o "$T/x.svm"
  [ "$status" -eq 2 ]
  run svmfit -c 0 "$T/train.feat" -o "$T/x.svm"
  [ "$status" -eq 2 ]
  run svmfit --grid --grid-c 1,x "$T/train.feat" -o "$T/x.svm"
  [ "$status" -eq 2 ]
  [[ "$output" == *"--grid-c"* ]]
  run svmfit --group '(a)' "$T/train.feat" -o "$T/x.svm"
  [ "$status" -eq 2 ]
  [[ "$output" == *"--grid"* ]]
  [ ! -e "$T/x.svm" ]
}

@test "nnpredict refuses a damaged, edited or foreign SVM model, naming file and line" {
  svmfit "$T/train.feat" -o "$T/m.svm" 2>/dev/null
  sed 's/^inputs 40$/inputs 41/' "$T/m.svm" >"$T/edited.svm"
  run nnpredict -m "$T/edited.svm" "$T/test.feat"
  [ "$status" -eq 1 ]
  [[ "$output" == "nnpredict: $T/edited.svm: checksum mismatch"*" (line "*")" ]]
  head -c 3000 "$T/m.svm" >"$T/cut.svm"
  run nnpredict -m "$T/cut.svm" "$T/test.feat"
  [ "$status" -eq 1 ]
  [[ "$output" == "nnpredict: $T/cut.svm: truncated"*" (line "*")" ]]
  # A re-signed model whose libsvm part lies about its support vectors.
  resign 's/^total_sv \([0-9]*\)$/total_sv 99999/' "$T/m.svm" "$T/lie.svm"
  run nnpredict -m "$T/lie.svm" "$T/test.feat"
  [ "$status" -eq 1 ]
  [[ "$output" == *"$T/lie.svm: libsvm: total_sv 99999, but "*" support vector lines (line "*")" ]]
}

# The fix of fuzz_svmmodel's corpus/svmmodel/duplicate_label.svm: two libsvm classes on one
# class index would write one's probability over the other's (they summed to 0.009).
@test "nnpredict refuses a re-signed SVM model whose libsvm part lists a class label twice" {
  svmfit "$T/train.feat" -o "$T/m.svm" 2>/dev/null
  grep -qx 'label 0 1 2' "$T/m.svm"
  resign 's/^label 0 1 2$/label 0 1 2/' "$T/m.svm" "$T/same.svm"
  run nnpredict -m "$T/same.svm" "$T/test.feat"
  [ "$status" -eq 0 ]
  resign 's/^label 0 1 2$/label 0 0 2/' "$T/m.svm" "$T/twice.svm"
  run nnpredict -m "$T/twice.svm" "$T/test.feat"
  [ "$status" -eq 1 ]
  [[ "$output" =~ ^"nnpredict: $T/twice.svm: libsvm: label 0 is listed twice (line "[0-9]+")"$ ]]
}

# fuzz_svmmodel's corpus/svmmodel/huge_libsvm_count.svm: the count on the 'libsvm N' line
# was allocated before any line was read (8 GB for 2^30 from a 300-byte file).
@test "nnpredict: a re-signed SVM model claiming 2^30 libsvm lines is refused without allocating for them" {
  svmfit "$T/train.feat" -o "$T/m.svm" 2>/dev/null
  resign 's/^libsvm [0-9]*$/libsvm 1073741824/' "$T/m.svm" "$T/huge.svm"
  grep -qx 'libsvm 1073741824' "$T/huge.svm"
  # The address-space limit makes an allocation of the claimed size fail; an ASan build
  # reserves terabytes of shadow memory up front, so it runs without it.
  limit='ulimit -v 400000;'
  ldd "$SENTIO_BIN/nnpredict" | grep -q libasan && limit=
  run bash -c "$limit"' "$1" -m "$2" "$3"' _ "$SENTIO_BIN/nnpredict" "$T/huge.svm" "$T/test.feat"
  [ "$status" -eq 1 ]
  [[ "$output" =~ ^"nnpredict: $T/huge.svm: the file ends after "[0-9]+" of 1073741824 libsvm lines" ]]
}

@test "nnpredict refuses features unlike an SVM model's training features" {
  svmfit "$T/train.feat" -o "$T/m.svm" 2>/dev/null
  synth_stream 3 5 39 >"$T/narrow.feat"
  run nnpredict -m "$T/m.svm" "$T/narrow.feat"
  [ "$status" -eq 1 ]
  [[ "$output" == *"39 values"*"$T/m.svm"*"40"* ]]
  featnorm --speaker '^clip00([0-9])' "$T/test.feat" -o "$T/norm.feat" 2>/dev/null
  run nnpredict -m "$T/m.svm" "$T/norm.feat"
  [ "$status" -eq 1 ]
  [[ "$output" == *"featnorm=speaker"* ]]
}

@test "svmfit --db records the options, the grid and the model" {
  svmfit --db "$T/s.db" --tag dataset=synth --grid --grid-c 1,4 --grid-gamma 1 --grid-folds 3 \
    "$T/train.feat" -o "$T/m.svm" 2>/dev/null
  [ "$(sqlite3 "$T/s.db" "select tool || ' ' || status from runs")" = "svmfit finished" ]
  [ "$(sqlite3 "$T/s.db" "select value from params where key = 'kernel'")" = rbf ]
  [ "$(sqlite3 "$T/s.db" "select value from params where key = 'dataset'")" = synth ]
  [ "$(sqlite3 "$T/s.db" "select value from params where key = 'input_sha256'")" = "$(sha256sum <"$T/train.feat" | cut -d' ' -f1)" ]
  [ "$(sqlite3 "$T/s.db" "select count(*) from metrics where key like 'grid_acc_%'")" -eq 2 ]
  [ "$(sqlite3 "$T/s.db" "select sha256 from models")" = "$(sha256sum <"$T/m.svm" | cut -d' ' -f1)" ]
}

@test "svmfit --grid on ravdess3_dev mean+std MFCCs: grouped CV accuracy above chance" {
  skip_without_shared
  [ -d "$SHARED/data/ravdess3_dev" ] || skip "no ravdess3_dev"
  wav2mfcc -j 2 --pool meanstd --csv "$SHARED/data/ravdess3_dev/TRAIN.csv" -o "$T/r.feat"
  svmfit --grid --group '-([0-9]+)\.[a-z]+$' "$T/r.feat" -o "$T/r.svm" 2>/dev/null
  awk '$1 == "result" && $2 == "grid_best_acc" { exit !($3 > 0.5) }' "$T/r.svm"
}
