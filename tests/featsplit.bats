#!/usr/bin/env bats
# featsplit: sklearn's exact partition (expected lists precomputed with numpy 1.24
# and scikit-learn 1.2: train_test_split(np.arange(n), test_size=T, random_state=S)),
# stratified proportions, group integrity, K folds, determinism, errors.

load helper

setup() {
  T="$BATS_TEST_TMPDIR"
}

# make_stream N [CLASSES]: records k0..k(N-1), value = index, label cI%CLASSES.
make_stream() {
  local n=$1 c=${2:-3} i
  for ((i = 0; i < n; i++)); do printf 'k%d\tc%d\t0\t%d\n' "$i" $((i % c)) "$i"; done | featdump --from-text
}

# values FILE: the record values (= original indices) as one space-separated line.
values() { featdump "$1" | grep -v '^#' | cut -f4 | paste -sd' '; }

@test "featsplit --sklearn: n=10 T=0.2 seed=42 is sklearn's [8 1] / [5 0 7 2 9 4 3 6]" {
  make_stream 10 >"$T/s.feat"
  featsplit --sklearn "$T/s.feat" --train "$T/tr.feat" --val "$T/va.feat" 2>/dev/null
  [ "$(values "$T/va.feat")" = "8 1" ]
  [ "$(values "$T/tr.feat")" = "5 0 7 2 9 4 3 6" ]
}

@test "featsplit --sklearn: seed 0 is numpy's seed 0, not GSL's 4357" {
  make_stream 10 >"$T/s.feat"
  featsplit --sklearn --seed 0 "$T/s.feat" --train "$T/tr.feat" --val "$T/va.feat" 2>/dev/null
  [ "$(values "$T/va.feat")" = "2 8" ]
  [ "$(values "$T/tr.feat")" = "4 9 1 6 7 3 0 5" ]
}

@test "featsplit --sklearn: more (n, T, seed) cases against numpy" {
  make_stream 7 >"$T/s7.feat"
  featsplit --sklearn --test-size 0.3 --seed 1 "$T/s7.feat" --train "$T/tr" --val "$T/va" 2>/dev/null
  [ "$(values "$T/va")" = "6 2 1" ]
  [ "$(values "$T/tr")" = "0 4 3 5" ]
  make_stream 13 >"$T/s13.feat"
  featsplit --sklearn --test-size 3 --seed 7 "$T/s13.feat" --train "$T/tr" --val "$T/va" 2>/dev/null
  [ "$(values "$T/va")" = "8 10 2" ]
  [ "$(values "$T/tr")" = "5 0 1 12 7 11 3 6 9 4" ]
  make_stream 5 >"$T/s5.feat"
  featsplit --sklearn --test-size 0.5 --seed 4294967295 "$T/s5.feat" --train "$T/tr" --val "$T/va" 2>/dev/null
  [ "$(values "$T/va")" = "4 1 0" ]
  [ "$(values "$T/tr")" = "2 3" ]
  make_stream 50 >"$T/s50.feat"
  featsplit --sklearn "$T/s50.feat" --train "$T/tr" --val "$T/va" 2>/dev/null
  [ "$(values "$T/va")" = "13 39 30 45 17 48 26 25 32 19" ]
  [ "$(values "$T/tr")" = "12 4 37 8 3 6 41 46 47 15 9 16 24 34 31 0 44 27 33 5 29 11 36 1 21 2 43 35 23 40 10 22 18 49 20 7 42 14 28 38" ]
}

@test "featsplit --sklearn: n=1000 T=0.25 seed=123 matches numpy (md5 of the index lists)" {
  make_stream 1000 >"$T/s.feat"
  featsplit --sklearn --test-size 0.25 --seed 123 "$T/s.feat" --train "$T/tr" --val "$T/va" 2>/dev/null
  # md5 of ' '.join(map(str, idx)) + '\n' as numpy/sklearn give them
  [ "$(values "$T/va" | md5sum | cut -d' ' -f1)" = c35b855711c412367c8233d416b99c16 ]
  [ "$(values "$T/tr" | md5sum | cut -d' ' -f1)" = abe0f05bd35b07435828c95be415c191 ]
}

@test "featsplit: the plain holdout holds sklearn's records, in input order" {
  make_stream 50 >"$T/s.feat"
  featsplit "$T/s.feat" --train "$T/tr" --val "$T/va" 2>/dev/null
  [ "$(values "$T/va")" = "13 17 19 25 26 30 32 39 45 48" ]
  [ "$(values "$T/tr" | wc -w)" -eq 40 ]
}

@test "featsplit: outputs are complete streams and together hold every record once" {
  make_stream 37 >"$T/s.feat"
  featsplit --seed 5 "$T/s.feat" --train "$T/tr" --val "$T/va" 2>/dev/null
  featdump --info "$T/tr" "$T/va" | grep -qx "$(printf 'records\t37')"
  featdump --info "$T/tr" "$T/va" | grep -qx "$(printf 'duplicate_keys\t0')"
  [ "$(values "$T/va" | wc -w)" -eq 8 ] # ceil(0.2 * 37)
}

@test "featsplit: counts per class and side go to stderr" {
  make_stream 10 >"$T/s.feat"
  run featsplit --sklearn "$T/s.feat" --train "$T/tr" --val "$T/va"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "featsplit: train: 8 records (c0 4, c1 2, c2 2)" ]
  [ "${lines[1]}" = "featsplit: val: 2 records (c0 0, c1 1, c2 1)" ]
}

@test "featsplit: deterministic; another seed gives another split" {
  make_stream 40 >"$T/s.feat"
  for mode in "" --sklearn --stratify "--folds 4 --fold 2" "--group k([0-9])"; do
    featsplit $mode --seed 9 "$T/s.feat" --train "$T/a1" --val "$T/b1" 2>/dev/null
    featsplit $mode --seed 9 "$T/s.feat" --train "$T/a2" --val "$T/b2" 2>/dev/null
    cmp "$T/a1" "$T/a2"
    cmp "$T/b1" "$T/b2"
    featsplit $mode --seed 10 "$T/s.feat" --train "$T/a3" --val "$T/b3" 2>/dev/null
    ! cmp -s "$T/b1" "$T/b3" || { echo "seed ignored by '$mode'"; false; }
  done
}

@test "featsplit --stratify: each class keeps its share on both sides" {
  # 60 A, 30 B, 10 C: a 0.2 split is 12 A, 6 B, 2 C in val
  for ((i = 0; i < 100; i++)); do
    l=A; ((i % 10 >= 6)) && l=B; ((i % 10 == 9)) && l=C
    printf 'k%d\t%s\t0\t%d\n' "$i" "$l" "$i"
  done | featdump --from-text >"$T/s.feat"
  for seed in 1 2 3; do
    run featsplit --stratify --seed $seed "$T/s.feat" --train "$T/tr" --val "$T/va"
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = "featsplit: train: 80 records (A 48, B 24, C 8)" ]
    [ "${lines[1]}" = "featsplit: val: 20 records (A 12, B 6, C 2)" ]
  done
  # uneven shares: 7 A, 3 B, test 0.5 -> 5 in val split 3.5/1.5 -> A 4, B 1 (largest remainder, ties to the first)
  printf 'a%d\tA\t0\t1\n' 1 2 3 4 5 6 7 >"$T/u.txt"
  printf 'b%d\tB\t0\t1\n' 1 2 3 >>"$T/u.txt"
  featdump --from-text "$T/u.txt" >"$T/u.feat"
  run featsplit --stratify --test-size 0.5 "$T/u.feat" --train "$T/tr" --val "$T/va"
  [ "${lines[1]}" = "featsplit: val: 5 records (A 4, B 1)" ]
}

@test "featsplit --group: RAVDESS actors stay on one side; test size counts groups" {
  for ((i = 0; i < 96; i++)); do
    printf '03-01-%02d-01-01-01-%02d.wav\tc%d\t0\t%d\n' $((i % 8 + 1)) $((i % 24 + 1)) $((i % 3)) "$i"
  done | featdump --from-text >"$T/r.feat"
  featsplit --group '-([0-9]+)\.[a-z]+$' --seed 3 "$T/r.feat" --train "$T/tr" --val "$T/va" 2>/dev/null
  actors() { featdump "$1" | grep -v '^#' | cut -f1 | sed 's/.*-\([0-9]*\)\.wav/\1/' | sort -u; }
  [ "$(actors "$T/va" | wc -l)" -eq 5 ] # ceil(0.2 * 24) actors
  [ -z "$(comm -12 <(actors "$T/tr") <(actors "$T/va"))" ]
  [ "$(featdump "$T/va" | grep -vc '^#')" -eq 20 ]
}

@test "featsplit --group: a key that does not match is an error naming it" {
  printf 'a-01.wav\t\t0\t1\nnoactor.wav\t\t0\t2\n' | featdump --from-text >"$T/g.feat"
  run featsplit --group '-([0-9]+)\.[a-z]+$' "$T/g.feat" --train "$T/tr" --val "$T/va"
  [ "$status" -eq 1 ]
  [[ "$output" == *"key 'noactor.wav' (record 2) does not match"* ]]
  [ ! -e "$T/tr" ] && [ ! -e "$T/va" ]
  run featsplit --group 'no group' "$T/g.feat" --train "$T/tr" --val "$T/va"
  [ "$status" -eq 2 ]
  [[ "$output" == *"has no capture group"* ]]
  run featsplit --group '([' "$T/g.feat" --train "$T/tr" --val "$T/va"
  [ "$status" -eq 2 ]
  [[ "$output" == *"bad regular expression"* ]]
}

@test "featsplit --folds: every record is validation in exactly one fold" {
  make_stream 23 >"$T/s.feat"
  for mode in "" --stratify; do
    : >"$T/all"
    for i in 1 2 3 4 5; do
      featsplit $mode --folds 5 --fold $i "$T/s.feat" --train "$T/tr$i" --val "$T/va$i" 2>/dev/null
      values "$T/va$i" | tr ' ' '\n' >>"$T/all"
      n=$(($(values "$T/va$i" | wc -w) + $(values "$T/tr$i" | wc -w)))
      [ "$n" -eq 23 ]
      [ -z "$(comm -12 <(values "$T/va$i" | tr ' ' '\n' | sort) <(values "$T/tr$i" | tr ' ' '\n' | sort))" ]
      v=$(values "$T/va$i" | wc -w)
      [ "$v" -eq 4 ] || [ "$v" -eq 5 ]
    done
    [ "$(sort -n "$T/all" | paste -sd' ')" = "$(seq 0 22 | paste -sd' ')" ]
  done
}

@test "featsplit --folds --group: groups are whole and each is validation once" {
  for ((i = 0; i < 40; i++)); do printf 'x-%02d.wav\t\t0\t%d\n' $((i % 7)) "$i"; done \
    | featdump --from-text >"$T/g.feat"
  : >"$T/all"
  for i in 1 2 3; do
    featsplit --group '-([0-9]+)\.wav$' --folds 3 --fold $i "$T/g.feat" --train "$T/tr" --val "$T/va" 2>/dev/null
    featdump "$T/va" | grep -v '^#' | cut -f1 | sort -u >>"$T/all"
    [ -z "$(comm -12 <(featdump "$T/tr" | grep -v '^#' | cut -f1 | sort -u) <(featdump "$T/va" | grep -v '^#' | cut -f1 | sort -u))" ]
  done
  [ "$(sort "$T/all" | uniq -d | wc -l)" -eq 0 ]
  [ "$(wc -l <"$T/all")" -eq 7 ]
  run featsplit --group '-([0-9]+)\.wav$' --folds 8 "$T/g.feat" --train "$T/tr" --val "$T/va"
  [ "$status" -eq 1 ]
  [[ "$output" == *"7 groups cannot make 8 folds"* ]]
}

@test "featsplit --stratify --folds: per-class fold sizes differ by at most one" {
  make_stream 30 3 >"$T/s.feat"
  for i in 1 2 3 4; do
    run featsplit --stratify --folds 4 --fold $i "$T/s.feat" --train "$T/tr" --val "$T/va"
    [[ "${lines[1]}" =~ val:\ [78]\ records\ \(c0\ [23],\ c1\ [23],\ c2\ [23]\) ]]
  done
}

@test "featsplit: reads stdin; several streams are read in turn" {
  make_stream 10 >"$T/s.feat"
  featsplit --sklearn --train "$T/tr" --val "$T/va" <"$T/s.feat" 2>/dev/null
  [ "$(values "$T/va")" = "8 1" ]
  make_stream 5 >"$T/five.feat"
  featsplit --test-size 1 "$T/five.feat" "$T/five.feat" --train "$T/tr" --val "$T/va" 2>/dev/null
  [ "$(featdump "$T/tr" "$T/va" | grep -vc '^#')" -eq 10 ]
}

@test "featsplit: errors — empty stream, a side left empty, bad fold, bad stream, missing file" {
  make_stream 3 >"$T/s.feat"
  run featsplit /dev/null --train "$T/tr" --val "$T/va"
  [ "$status" -eq 1 ]
  [[ "$output" == *"/dev/null: no records to split (empty stream)"* ]]
  run featsplit --test-size 3 "$T/s.feat" --train "$T/tr" --val "$T/va"
  [ "$status" -eq 1 ]
  [[ "$output" == *"test size 3 leaves the training side empty (3 of 3)"* ]]
  run featsplit --test-size 0.99 "$T/s.feat" --train "$T/tr" --val "$T/va"
  [ "$status" -eq 1 ]
  [ ! -e "$T/tr" ] && [ ! -e "$T/va" ]
  run featsplit --folds 4 "$T/s.feat" --train "$T/tr" --val "$T/va"
  [ "$status" -eq 1 ]
  [[ "$output" == *"3 records cannot make 4 folds"* ]]
  run featsplit --folds 3 --fold 4 "$T/s.feat" --train "$T/tr" --val "$T/va"
  [ "$status" -eq 2 ]
  [[ "$output" == *"--fold: 4 is outside 1..3"* ]]
  head -c 40 "$T/s.feat" >"$T/cut.feat"
  run featsplit "$T/cut.feat" --train "$T/tr" --val "$T/va"
  [ "$status" -eq 1 ]
  [[ "$output" == *"cut.feat: truncated record"*"(byte 40)"* ]]
  run featsplit "$T/missing.feat" --train "$T/tr" --val "$T/va"
  [ "$status" -eq 1 ]
  [[ "$output" == *"missing.feat: No such file or directory"* ]]
}

@test "featsplit: usage errors exit 2, -h and --version exit 0" {
  make_stream 3 >"$T/s.feat"
  run featsplit "$T/s.feat" --train "$T/tr"
  [ "$status" -eq 2 ]
  run featsplit "$T/s.feat" --train "$T/x" --val "$T/x"
  [ "$status" -eq 2 ]
  for bad in "--test-size 0" "--test-size 1.5" "--test-size -1" "--test-size x" "--seed -1" \
    "--seed 4294967296" "--folds 1" "--fold 2" "--sklearn --stratify" "--sklearn --folds 3" \
    "--stratify --group (a)" "--folds 3 --test-size 0.3" "--bogus"; do
    run featsplit $bad "$T/s.feat" --train "$T/tr" --val "$T/va"
    [ "$status" -eq 2 ] || { echo "$bad: $status $output"; false; }
  done
  run featsplit -h
  [ "$status" -eq 0 ]
  [[ "$output" == *"Usage: featsplit"* ]]
  run featsplit --version
  [[ "$output" == "featsplit (sentio) "* ]]
}

@test "featsplit --db records the run: options, input hash, sizes, tags" {
  make_stream 10 >"$T/s.feat"
  featsplit --sklearn --db "$T/x.db" --run-name split --tag dataset=demo "$T/s.feat" \
    --train "$T/tr.feat" --val "$T/va.feat" 2>/dev/null
  run sqlite3 "$T/x.db" "SELECT tool, name, status, seed FROM runs"
  [ "$output" = "featsplit|split|finished|42" ]
  [ "$(sqlite3 "$T/x.db" "SELECT value FROM params WHERE key='input_sha256'")" = \
    "$(sha256sum <"$T/s.feat" | cut -d' ' -f1)" ]
  [ "$(sqlite3 "$T/x.db" "SELECT value FROM params WHERE key='sklearn'")" = 1 ]
  [ "$(sqlite3 "$T/x.db" "SELECT value FROM params WHERE key='dataset'")" = demo ]
  [ "$(sqlite3 "$T/x.db" "SELECT group_concat(key || '=' || value, ' ') FROM
        (SELECT key, value FROM metrics WHERE key LIKE 'n%' ORDER BY key)")" = "n=10.0 n_train=8.0 n_val=2.0" ]
  # the command is recorded as typed, not as getopt permuted it
  [ "$(sqlite3 "$T/x.db" "SELECT command FROM runs")" = \
    "$SENTIO_BIN/featsplit --sklearn --db $T/x.db --run-name split --tag dataset=demo $T/s.feat --train $T/tr.feat --val $T/va.feat" ]
}

@test "featsplit --db: a failed split is recorded as failed, with no params" {
  printf '' >"$T/empty.feat"
  run featsplit --db "$T/x.db" "$T/empty.feat" --train "$T/tr.feat" --val "$T/va.feat"
  [ "$status" -eq 1 ]
  [ "$(sqlite3 "$T/x.db" "SELECT status FROM runs")" = failed ]
  [ "$(sqlite3 "$T/x.db" "SELECT count(*) FROM params")" = 0 ]
}
