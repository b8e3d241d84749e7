#!/usr/bin/env bats
# Resource bounds (featstream(5) RESOURCE BOUNDS, metrics(1), nnfit(1) MODEL FILE):
# no input may ask for work out of proportion to its size. Each case was found by
# or for the fuzzers in tests/fuzz.

load helper

setup() {
  T="$BATS_TEST_TMPDIR"
}

# u32le N: N as 4 little-endian bytes, as printf escapes.
u32le() {
  printf '\\%03o\\%03o\\%03o\\%03o' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255))
}

@test "bounds: a 29-byte record of 2^24 rows x 0 columns is refused at its row count, printing nothing" {
  printf "SNTF\\001\\000\\000\\000$(u32le 1)$(u32le 0)$(u32le 0)$(u32le 16777216)$(u32le 0)k" >"$T/rows.feat"
  [ "$(wc -c <"$T/rows.feat")" -eq 29 ]
  run featdump "$T/rows.feat"
  [ "$status" -eq 1 ]
  [ "$output" = "featdump: $T/rows.feat: 16777216 rows of 0 columns: a row holds at least one value (byte 20)" ]
  featdump "$T/rows.feat" 2>/dev/null | wc -c | grep -qx 0
  run featdump --info "$T/rows.feat"
  [ "$status" -eq 1 ]
}

@test "bounds: a record of 0 rows keeps its columns (#empty), one of 0 x 0 too" {
  printf '#empty\tk\tL\t7\n#empty\tz\t\t0\n' | featdump --from-text >"$T/empty.feat"
  run featdump "$T/empty.feat"
  [ "$status" -eq 0 ]
  [ "$output" = "$(printf '#meta\t\n#empty\tk\tL\t7\n#empty\tz\t\t0')" ]
}

@test "bounds: featdump --from-text refuses a row of no values, naming the line" {
  printf 'a\tL\t0\t1\nk\tL\t0\n' >"$T/norow.txt"
  run featdump --from-text -o "$T/norow.feat" "$T/norow.txt"
  [ "$status" -eq 1 ]
  [ "$output" = "featdump: $T/norow.txt: row 0 of 'k' has no values: a row holds at least one (line 2)" ]
  [ ! -e "$T/norow.feat" ]
}

@test "bounds: metrics refuses a header of more than 1024 classes (its confusion matrix is classes^2)" {
  { printf 'key\tlabel\tpred'; for i in $(seq 1025); do printf '\tp_c%d' "$i"; done; printf '\n'; } >"$T/wide.tsv"
  run metrics "$T/wide.tsv"
  [ "$status" -eq 1 ]
  [[ "$output" == *"1025 classes, more than 1024 (line 1)"* ]]
  # 1024 classes are still read.
  { printf 'key\tlabel\tpred'; for i in $(seq 1024); do printf '\tp_c%d' "$i"; done; printf '\n'
    printf 'a\tc1\tc1'; for i in $(seq 1024); do printf '\t%s' "$([ "$i" = 1 ] && echo 1 || echo 0)"; done; printf '\n'
  } >"$T/ok.tsv"
  run metrics --format json "$T/ok.tsv"
  [ "$status" -eq 0 ]
  [[ "$output" == *'"accuracy":1.0'* ]]
}

# seal: $T/m.nn gets its checksum line (the last line of a model file).
seal() {
  printf 'sha256 %s\n' "$(sha256sum "$T/m.nn" | cut -d' ' -f1)" >>"$T/m.nn"
}

@test "bounds: a model whose architecture needs more weights than its file could hold is refused before allocating them" {
  printf 'sentio-nnet 1\narch dense:65536,dense:4096\ninputs 65536\nclasses 2\nclass a\nclass b\nfeature_meta \nstandardize 0\nparams 0\n' >"$T/m.nn"
  seal
  printf 'k\t\t0\t1\n' | featdump --from-text >"$T/x.feat"
  run nnpredict -m "$T/m.nn" "$T/x.feat"
  [ "$status" -eq 1 ]
  [[ "$output" == *"arch: needs more weights than the rest of the file could hold, at most "*" (line 2)"* ]]
}
