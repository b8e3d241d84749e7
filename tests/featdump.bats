#!/usr/bin/env bats
# featdump: the text form and its round trip, --header, --info, --csv, --libsvm,
# --from-text, -o, bad streams and bad text.

load helper

setup() {
  T="$BATS_TEST_TMPDIR"
  # Three records: a 1x3 with metadata, a 0-row record, a 2x2 unlabelled one
  # whose key starts with '#', then one with other metadata and a NaN payload.
  printf '#meta\tsr=22050 n_mfcc=3 pool=mean\n' >"$T/a.txt"
  printf 'clips/a 1.wav\tPositive\t0\t1.5\t-0\t3.40282347e+38\n' >>"$T/a.txt"
  printf '#empty\tb.wav\tNegative\t3\n' >>"$T/a.txt"
  printf '\\#c.wav\t\t0\t1\t0\n\\#c.wav\t\t1\t1.17549435e-38\t-2\n' >>"$T/a.txt"
  printf '#meta\tother\twith tab\n' >>"$T/a.txt"
  printf 'd.wav\tNeutral\t0\tnan\t-inf\tnan(0x1)\n' >>"$T/a.txt"
  featdump --from-text -o "$T/a.feat" "$T/a.txt"
  printf 'x.wav\tPositive\t0\t1\t2\t3\ny.wav\tNegative\t0\t4\t0\t6\nz.wav\tPositive\t0\t0\t0\t9\n' \
    | featdump --from-text -o "$T/b.feat"
}

@test "featdump: the text form of --from-text's output is the text given" {
  run featdump "$T/a.feat"
  [ "$status" -eq 0 ]
  [ "$output" = "$(cat "$T/a.txt")" ]
}

@test "featdump: text -> stream -> text -> stream is byte-identical" {
  featdump "$T/a.feat" | featdump --from-text | cmp - "$T/a.feat"
  featdump --header "$T/a.feat" | featdump --from-text | cmp - "$T/a.feat"
  featdump "$T/b.feat" | featdump --from-text | cmp - "$T/b.feat"
}

@test "featdump: the stream layout is the documented one (magic, version, sizes)" {
  printf 'k\tL\t0\t1\n' | featdump --from-text >"$T/one.feat"
  [ "$(od -An -tx1 "$T/one.feat" | tr -d ' \n')" = "534e544601000000010000000100000000000000010000000100000""06b4c0000803f" ]
}

@test "featdump: cat of two streams is a stream of both" {
  cat "$T/a.feat" "$T/b.feat" >"$T/ab.feat"
  run featdump "$T/ab.feat"
  [ "$status" -eq 0 ]
  [ "$output" = "$(featdump "$T/a.feat" "$T/b.feat")" ]
  [ "$(featdump "$T/ab.feat" | grep -vc '^#')" -eq 7 ]
  featdump "$T/ab.feat" | featdump --from-text | cmp - "$T/ab.feat"
  # text files concatenate too: each starts with its #meta line
  cat <(featdump "$T/a.feat") <(featdump "$T/b.feat") | featdump --from-text | cmp - "$T/ab.feat"
}

@test "featdump: reads stdin and '-'" {
  run featdump - <"$T/b.feat"
  [ "$status" -eq 0 ]
  [ "${lines[1]}" = "$(printf 'x.wav\tPositive\t0\t1\t2\t3')" ]
  [ "$(featdump <"$T/b.feat")" = "$output" ]
}

@test "featdump: values print as %.9g and survive exactly, NaN payloads included" {
  printf 'k\t\t0\t0.1\t16777217\t1.40129846e-45\t-nan\t1e-50\n' | featdump --from-text >"$T/v.feat"
  run featdump "$T/v.feat"
  [ "${lines[1]}" = "$(printf 'k\t\t0\t0.100000001\t16777216\t1.40129846e-45\t-nan\t0')" ]
  featdump "$T/v.feat" | featdump --from-text | cmp - "$T/v.feat"
}

@test "featdump --header: a header line sized by the first record" {
  run featdump --header "$T/b.feat"
  [ "${lines[0]}" = "$(printf 'key\tlabel\trow\tf1\tf2\tf3')" ]
  [ "${#lines[@]}" -eq 5 ]
  run featdump --header /dev/null
  [ "$output" = "$(printf 'key\tlabel\trow')" ]
}

@test "featdump --info: records, shapes, labels, metadata with counts" {
  run featdump --info "$T/a.feat" "$T/b.feat"
  [ "$status" -eq 0 ]
  echo "$output" | grep -qx "$(printf 'records\t7')"
  echo "$output" | grep -qx "$(printf 'rows\t7')"
  echo "$output" | grep -qx "$(printf 'shape\t1x3\t5')"
  echo "$output" | grep -qx "$(printf 'shape\t0x3\t1')"
  echo "$output" | grep -qx "$(printf 'shape\t2x2\t1')"
  echo "$output" | grep -qx "$(printf 'label\tPositive\t3')"
  echo "$output" | grep -qx "$(printf 'label\tNegative\t2')"
  echo "$output" | grep -qx "$(printf 'unlabelled\t1')"
  echo "$output" | grep -qx "$(printf 'meta\tsr=22050 n_mfcc=3 pool=mean\t3')"
  echo "$output" | grep -qx "$(printf 'meta\tother\twith tab\t1')"
  echo "$output" | grep -qx "$(printf 'meta\t\t3')"
  echo "$output" | grep -qx "$(printf 'nonfinite\t3')"
  echo "$output" | grep -qx "$(printf 'duplicate_keys\t0')"
  run featdump --info "$T/b.feat" "$T/b.feat"
  echo "$output" | grep -qx "$(printf 'duplicate_keys\t3')"
}

@test "featdump --csv: header, one line per record, RFC 4180 quoting" {
  printf 'a,b.wav\tPos\t0\t1\t2\nsay "hi".wav\t\t0\t3\t4\nplain\tNeg\t0\t5\t6\n' \
    | featdump --from-text >"$T/c.feat"
  run featdump --csv "$T/c.feat"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "key,label,f1,f2" ]
  [ "${lines[1]}" = '"a,b.wav",Pos,1,2' ]
  [ "${lines[2]}" = '"say ""hi"".wav",,3,4' ]
  [ "${lines[3]}" = 'plain,Neg,5,6' ]
  # Python's csv module reads it back
  if command -v /usr/bin/python3 >/dev/null; then
    featdump --csv "$T/c.feat" | /usr/bin/python3 -c 'import csv,sys; r=list(csv.reader(sys.stdin)); assert r[1][0]=="a,b.wav" and r[2][0]=="say \"hi\".wav", r'
  fi
}

@test "featdump --csv: multi-row records and mixed widths are errors naming the record" {
  run featdump --csv "$T/a.feat"
  [ "$status" -eq 1 ]
  [[ "$output" == *"a.feat: record 2 ('b.wav') has 0 rows; --csv needs one row per record"* ]]
  printf 'p\t\t0\t1\t2\nq\t\t0\t1\n' | featdump --from-text >"$T/m.feat"
  run featdump --csv "$T/m.feat"
  [ "$status" -eq 1 ]
  [[ "$output" == *"record 2 ('q') has 1 values, the first record has 2"* ]]
}

@test "featdump --libsvm: sorted classes numbered from 1, zeros omitted, mapping on stderr" {
  run featdump --libsvm "$T/b.feat"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "featdump: libsvm label 1 = Negative" ]
  [ "${lines[1]}" = "featdump: libsvm label 2 = Positive" ]
  [ "$(featdump --libsvm "$T/b.feat" 2>/dev/null)" = "$(printf '2 1:1 2:2 3:3\n1 1:4 3:6\n2 3:9')" ]
}

@test "featdump --libsvm: --save-classes then --classes give both sets the same numbers" {
  printf 'u\t\t0\t1\nv\tPositive\t0\t2\n' | featdump --from-text >"$T/u.feat"
  featdump --libsvm --save-classes "$T/classes.txt" "$T/b.feat" >"$T/b.svm" 2>"$T/err"
  [ ! -s "$T/err" ]
  [ "$(cat "$T/classes.txt")" = "$(printf 'Negative\nPositive')" ]
  run featdump --libsvm --classes "$T/classes.txt" "$T/u.feat"
  [ "$status" -eq 0 ]
  # an unlabelled record gets 0, Positive keeps 2 although it is the only class here
  [ "$output" = "$(printf '0 1:1\n2 1:2')" ]
  printf 'w\tOther\t0\t1\n' | featdump --from-text >"$T/w.feat"
  run featdump --libsvm --classes "$T/classes.txt" "$T/w.feat"
  [ "$status" -eq 1 ]
  [[ "$output" == *"record 1 ('w') has label 'Other', not in the class list"* ]]
  printf 'A\nA\n' >"$T/dup.txt"
  run featdump --libsvm --classes "$T/dup.txt" "$T/w.feat"
  [ "$status" -eq 1 ]
  [[ "$output" == *"dup.txt: a class named twice (line 2)"* ]]
}

@test "featdump --libsvm: non-finite values are refused" {
  run featdump --libsvm "$T/a.feat"
  [ "$status" -eq 1 ]
  [[ "$output" == *"record 4 ('d.wav') has a non-finite value at row 0, column 1"* ]]
}

@test "featdump -o: writes the file; nothing is left behind on failure" {
  featdump -o "$T/out.txt" "$T/b.feat"
  [ "$(cat "$T/out.txt")" = "$(featdump "$T/b.feat")" ]
  echo old >"$T/keep.txt"
  run featdump --csv -o "$T/keep.txt" "$T/a.feat"
  [ "$status" -eq 1 ]
  [ "$(cat "$T/keep.txt")" = old ]
  [ -z "$(ls "$T" | grep 'keep.txt.tmp')" ]
}

@test "featdump -o a FIFO (or device) writes into it and leaves it in place" {
  # A FIFO stands for /dev/null here: a regression would replace /dev/null itself.
  mkfifo "$T/pipe"
  timeout 10 cat "$T/pipe" > "$T/through.txt" &
  featdump -o "$T/pipe" "$T/b.feat"
  wait
  [ -p "$T/pipe" ]
  [ "$(cat "$T/through.txt")" = "$(featdump "$T/b.feat")" ]
  [ -z "$(find "$T" -name 'pipe.tmp*')" ]
}

@test "featdump: a bad magic is an error naming the file and byte" {
  printf 'RIFF0000WAVEfmt and more bytes than a header' >"$T/bad.feat"
  run featdump "$T/bad.feat"
  [ "$status" -eq 1 ]
  [ "$output" = "featdump: $T/bad.feat: not a sentio feature stream (bad magic) (byte 0)" ]
}

@test "featdump: garbage after a good record is reported at its offset" {
  cat "$T/b.feat" >"$T/g.feat"
  printf 'garbage garbage garbage garbage' >>"$T/g.feat"
  size=$(stat -c %s "$T/b.feat")
  run featdump "$T/g.feat"
  [ "$status" -eq 1 ]
  [[ "$output" == *"g.feat: not a sentio feature stream (bad magic) (byte $size)"* ]]
}

@test "featdump: a truncated stream fails at the byte where it ends" {
  size=$(stat -c %s "$T/b.feat")
  for cut in 1 20 29 40 $((size - 1)); do
    head -c "$cut" "$T/b.feat" >"$T/t.feat"
    run featdump "$T/t.feat"
    [ "$status" -eq 1 ]
    [[ "$output" == *"t.feat: truncated record"*"(byte $cut)"* ]] || { echo "cut $cut: $output"; false; }
  done
}

@test "featdump: an unknown version or flags is refused" {
  { printf 'SNTF\002\000'; tail -c +7 "$T/b.feat"; } >"$T/v2.feat"
  run featdump "$T/v2.feat"
  [ "$status" -eq 1 ]
  [[ "$output" == *"unsupported stream version 2 (this sentio reads version 1) (byte 4)" ]]
  { printf 'SNTF\001\000\001\000'; tail -c +9 "$T/b.feat"; } >"$T/f.feat"
  run featdump "$T/f.feat"
  [ "$status" -eq 1 ]
  [[ "$output" == *"unknown flags 0x0001 (byte 6)" ]]
}

@test "featdump: a missing file is an error naming it" {
  run featdump "$T/b.feat" "$T/missing.feat"
  [ "$status" -eq 1 ]
  [[ "$output" == *"featdump: $T/missing.feat: No such file or directory"* ]]
}

@test "featdump --from-text: CRLF, comments and blank lines are accepted" {
  printf '# a comment\r\n\r\nx.wav\tPositive\t0\t1\t2\t3\r\ny.wav\tNegative\t0\t4\t0\t6\r\nz.wav\tPositive\t0\t0\t0\t9\r\n' \
    | featdump --from-text | cmp - "$T/b.feat"
}

@test "featdump --from-text: bad text is an error naming the file and line" {
  printf 'a\tL\t0\t1\t2\na\tL\t1\t1\n' >"$T/w1.txt"
  run featdump --from-text "$T/w1.txt"
  [ "$status" -eq 1 ]
  [ "$output" = "featdump: $T/w1.txt: 1 values in row 1 of 'a', its row 0 (line 1) has 2 (line 2)" ]
  printf 'a\tL\t0\t1\na\tL\t2\t1\n' >"$T/w2.txt"
  run featdump --from-text "$T/w2.txt"
  [ "$status" -eq 1 ]
  [[ "$output" == *"w2.txt: row 2 of 'a' does not follow its row 1 (line 2)" ]]
  printf 'a\tL\t0\tfoo\n' >"$T/w3.txt"
  run featdump --from-text "$T/w3.txt"
  [[ "$output" == *"w3.txt: bad value 'foo' in field 4 (line 1)" ]]
  printf 'a\tL\t0\t1e39\n' >"$T/w4.txt"
  run featdump --from-text "$T/w4.txt"
  [[ "$output" == *"bad value '1e39' in field 4 (line 1)" ]]
  printf 'a\tL\n' >"$T/w5.txt"
  run featdump --from-text "$T/w5.txt"
  [[ "$output" == *"expected KEY, LABEL, ROW and values, got 2 fields (line 1)" ]]
  printf 'x\tL\t0\t1\n\tL\t0\t1\n' >"$T/w6.txt"
  run featdump --from-text -o "$T/w6.feat" "$T/w6.txt"
  [[ "$output" == *"w6.txt: empty key (line 2)" ]]
  [ ! -e "$T/w6.feat" ]
  printf '#empty\tk\tL\n' >"$T/w7.txt"
  run featdump --from-text "$T/w7.txt"
  [[ "$output" == *"#empty needs KEY, LABEL and COLS (2 fields) (line 1)" ]]
  run featdump --from-text "$T/nothere.txt"
  [ "$status" -eq 1 ]
  [[ "$output" == *"nothere.txt: No such file or directory" ]]
}

@test "featdump --from-text: an empty text is an empty stream" {
  run featdump --from-text /dev/null
  [ "$status" -eq 0 ]
  [ -z "$output" ]
}

@test "featdump: usage errors exit 2, -h and --version exit 0" {
  run featdump --csv --libsvm
  [ "$status" -eq 2 ]
  run featdump --header --libsvm
  [ "$status" -eq 2 ]
  run featdump --classes x
  [ "$status" -eq 2 ]
  run featdump --bogus
  [ "$status" -eq 2 ]
  run featdump -h
  [ "$status" -eq 0 ]
  [[ "$output" == *"Usage: featdump"* ]]
  run featdump --version
  [ "$status" -eq 0 ]
  [[ "$output" == "featdump (sentio) "* ]]
}

@test "featdump: column names from the metadata's names= field in the text and CSV headers" {
  printf 'k\tl\t0\t1\t2\n' | featdump --from-text >"$T/plain.feat"
  printf '#meta\tset=x names=alpha,beta\nk\tl\t0\t1\t2\n' | featdump --from-text >"$T/named.feat"
  run featdump --csv --header "$T/named.feat"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "key,label,alpha,beta" ]
  run featdump --header "$T/named.feat"
  [ "${lines[0]}" = "$(printf 'key\tlabel\trow\talpha\tbeta')" ]
  featdump --header "$T/named.feat" | featdump --from-text | cmp - "$T/named.feat"
  # No names, or a count that does not match the columns: f1..fN.
  run featdump --csv "$T/plain.feat"
  [ "${lines[0]}" = "key,label,f1,f2" ]
  printf '#meta\tnames=alpha\nk\tl\t0\t1\t2\n' | featdump --from-text | featdump --csv >"$T/out.csv"
  [ "$(head -1 "$T/out.csv")" = "key,label,f1,f2" ]
}
