#!/usr/bin/env bats
# featpaste: streams joined record by record.

load helper
load nnstreams

setup() {
  T="$BATS_TEST_TMPDIR"
  printf 'k1\tPos\tA\t1 2\nk2\t\tA\t3 4;5 6\nk3\tNeg\tA\t7 8\n' | text2feat >"$T/a.feat"
  printf 'k1\t\tB\t10\nk2\tNeu\tB\t30;50\nk3\tNeg\tB\t70\n' | text2feat >"$T/b.feat"
}

@test "featpaste --help lists every option and exits 0" {
  run featpaste --help
  [ "$status" -eq 0 ]
  for o in --output Examples "See also:"; do
    [[ "$output" == *"$o"* ]] || { echo "missing $o"; false; }
  done
}

@test "featpaste puts A's columns then B's, row by row, and joins the labels" {
  run featdump <(featpaste "$T/a.feat" "$T/b.feat")
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "#meta	[2] A | [1] B" ]
  [ "${lines[1]}" = "k1	Pos	0	1	2	10" ]
  [ "${lines[2]}" = "k2	Neu	0	3	4	30" ]
  [ "${lines[3]}" = "k2	Neu	1	5	6	50" ]
  [ "${lines[4]}" = "k3	Neg	0	7	8	70" ]
}

@test "featpaste: column names (names=) of the parts become one names= field for every column" {
  printf 'k1\tPos\tset=x names=a,b\t1 2\nk2\t\tset=x names=a,b\t3 4\n' | text2feat >"$T/n.feat"
  printf 'k1\t\tB\t10\nk2\t\tB\t30\n' | text2feat >"$T/u.feat"
  run featdump --info <(featpaste "$T/n.feat" "$T/u.feat")
  [[ "$output" == *"meta	[2] set=x | [1] B names=a,b,s2_f1	2"* ]]
  run featdump --csv <(featpaste "$T/u.feat" "$T/n.feat")
  [ "${lines[0]}" = "key,label,s1_f1,a,b" ]
  # without names anywhere, the metadata is as before
  run featdump --info <(featpaste "$T/a.feat" "$T/b.feat")
  [[ "$output" == *"meta	[2] A | [1] B	3"* ]]
}

@test "featpaste: three streams, stdin as one of them, -o" {
  featpaste "$T/a.feat" - "$T/b.feat" <"$T/b.feat" -o "$T/out.feat"
  run featdump --info "$T/out.feat"
  [[ "$output" == *"meta	[2] A | [1] B | [1] B	3"* ]]
  [[ "$output" == *"values	16"* ]]
}

@test "the order of the streams is part of the metadata: a model refuses another combination" {
  synth_stream 30 1 >"$T/x.feat"
  synth_stream 30 2 3 >"$T/y.feat"
  featpaste "$T/x.feat" "$T/y.feat" -o "$T/xy.feat"
  featpaste "$T/y.feat" "$T/x.feat" -o "$T/yx.feat"
  nnfit --epochs 2 "$T/xy.feat" -o "$T/m.nn" 2>/dev/null
  run nnpredict -m "$T/m.nn" "$T/yx.feat"
  [ "$status" -eq 1 ]
  [[ "$output" == *"feature metadata"* ]]
}

@test "featpaste: keys out of step are an error naming both files, the record and the keys" {
  printf 'k1\t\tB\t10\nkX\t\tB\t30;50\n' | text2feat >"$T/bad.feat"
  run featpaste "$T/a.feat" "$T/bad.feat" -o "$T/out.feat"
  [ "$status" -eq 1 ]
  [ "$output" = "featpaste: $T/bad.feat: record 2 has key 'kX', but $T/a.feat's record 2 has key 'k2'" ]
  [ ! -e "$T/out.feat" ]
}

@test "featpaste: a shorter stream, other row counts, disagreeing labels are errors" {
  printf 'k1\t\tB\t10\n' | text2feat >"$T/short.feat"
  run featpaste "$T/a.feat" "$T/short.feat"
  [ "$status" -eq 1 ]
  [[ "$output" == *"$T/short.feat: ends at record 2, but $T/a.feat has a record 2 with key 'k2'"* ]]
  printf 'k1\t\tB\t10\nk2\t\tB\t30\n' | text2feat >"$T/rows.feat"
  run featpaste "$T/a.feat" "$T/rows.feat"
  [ "$status" -eq 1 ]
  [[ "$output" == *"record 2 ('k2') has 1 rows, but $T/a.feat's has 2"* ]]
  printf 'k1\tNeg\tB\t10\n' | text2feat >"$T/lab.feat"
  run featpaste "$T/a.feat" "$T/lab.feat"
  [ "$status" -eq 1 ]
  [[ "$output" == *"$T/lab.feat: record 1 ('k1') is labelled 'Neg', but earlier streams say 'Pos'"* ]]
}

@test "featpaste: usage errors exit 2" {
  run featpaste "$T/a.feat"
  [ "$status" -eq 2 ]
  run featpaste - -
  [ "$status" -eq 2 ]
  run featpaste "$T/a.feat" "$T/missing.feat"
  [ "$status" -eq 1 ]
  [[ "$output" == *"$T/missing.feat: No such file or directory"* ]]
}
