#!/usr/bin/env bats
# featdump and other toolkits: Kaldi binary archives (--ark, --from-ark) and numpy
# (--npy), checked by parsing the bytes with python3 and loading them with numpy.

load helper
load nnstreams
bats_require_minimum_version 1.5.0

PY=/usr/bin/python3

setup() {
  T="$BATS_TEST_TMPDIR"
  synth_stream 12 1 >"$T/a.feat"
  $PY -c 'import numpy' 2>/dev/null || skip "python3-numpy is not installed (pipelines/deps.sh test)"
}

# text VALUES: key and values of each row, as featdump prints them (labels and meta dropped)
keys_values() { featdump "$1" | grep -v '^#' | cut -f1,3-; }

@test "--ark writes Kaldi's binary matrix entries, byte for byte as MatrixBase::Write does" {
  featdump --ark -o "$T/a.ark" "$T/a.feat"
  # parsed with Kaldi's layout: "KEY " \0 B "FM " \4 int32 rows \4 int32 cols float32 LE
  $PY - "$T/a.ark" >"$T/parsed.txt" <<'PYEOF'
import struct, sys, numpy as np
b = open(sys.argv[1], 'rb').read()
i = 0
while i < len(b):
    sp = b.index(b' ', i); key = b[i:sp].decode(); i = sp + 1
    assert b[i:i + 5] == b'\0BFM ', b[i:i + 5]; i += 5
    assert b[i] == 4; rows, = struct.unpack('<i', b[i + 1:i + 5]); i += 5
    assert b[i] == 4; cols, = struct.unpack('<i', b[i + 1:i + 5]); i += 5
    m = np.frombuffer(b[i:i + 4 * rows * cols], dtype='<f4').reshape(rows, cols); i += 4 * rows * cols
    for r in range(rows):
        print(key + '\t' + str(r) + '\t' + ' '.join('%.9g' % v for v in m[r]))
PYEOF
  diff <(keys_values "$T/a.feat" | tr '\t' ' ') <(tr '\t' ' ' <"$T/parsed.txt")
}

@test "--from-ark reads archives back (and double matrices), to the same keys and values" {
  featdump --ark "$T/a.feat" | featdump --from-ark -o "$T/b.feat"
  diff <(keys_values "$T/a.feat") <(keys_values "$T/b.feat")
  # a DM (double) matrix as Kaldi writes it with --binary and double precision
  $PY - >"$T/d.ark" <<'PYEOF'
import struct, sys
sys.stdout.buffer.write(b'u1 \0BDM \x04' + struct.pack('<i', 2) + b'\x04' + struct.pack('<i', 2)
                        + struct.pack('<4d', 0.5, -1.0, 2.25, 1e3))
PYEOF
  featdump --from-ark "$T/d.ark" | featdump >"$T/d.txt"
  grep -q $'^u1\t\t0\t0.5\t-1$' "$T/d.txt"
  grep -q $'^u1\t\t1\t2.25\t1000$' "$T/d.txt"
}

@test "--ark and --from-ark refuse what Kaldi cannot hold or sentio cannot read" {
  printf 'two words\tPositive\tm\t1 2 3\n' | text2feat >"$T/sp.feat"
  run --separate-stderr featdump --ark -o "$T/x.ark" "$T/sp.feat"
  [ "$status" -eq 1 ]
  [[ "$stderr" == *"key 'two words' has a blank: Kaldi keys are single tokens" ]]
  [ ! -e "$T/x.ark" ]
  featdump --ark "$T/a.feat" | head -c 100 >"$T/cut.ark"
  run --separate-stderr featdump --from-ark -o "$T/y.feat" "$T/cut.ark"
  [ "$status" -eq 1 ]
  [[ "$stderr" == "featdump: $T/cut.ark: truncated matrix values (byte 100)" ]]
  printf 'u1  [ 1 2 ]\n' >"$T/text.ark"
  run --separate-stderr featdump --from-ark "$T/text.ark" -o "$T/y.feat"
  [[ "$stderr" == *"text archives are not read"* ]]
}

@test "--npy: an N x D float32 array numpy loads, with the keys and labels beside it" {
  featdump --npy "$T/a.npy" "$T/a.feat"
  [ -s "$T/a.keys.tsv" ]
  $PY - "$T/a.npy" >"$T/np.txt" <<'PYEOF'
import sys, numpy as np
a = np.load(sys.argv[1])
assert a.dtype == np.float32 and a.ndim == 2, (a.dtype, a.shape)
print(a.shape[0], a.shape[1])
for row in a:
    print(' '.join('%.9g' % v for v in row))
PYEOF
  [ "$(head -n 1 "$T/np.txt")" = "12 40" ]
  diff <(featdump "$T/a.feat" | grep -v '^#' | cut -f4- | tr '\t' ' ') <(sed 1d "$T/np.txt")
  [ "$(head -n 1 "$T/a.keys.tsv")" = $'index\tkey\tlabel' ]
  diff <(sed 1d "$T/a.keys.tsv" | cut -f2,3) <(featdump "$T/a.feat" | grep -v '^#' | cut -f1,2)
  # several rows per record cannot be one row of the array
  printf 'k\tPositive\tm\t1 2;3 4\n' | text2feat >"$T/rows.feat"
  run --separate-stderr featdump --npy "$T/r.npy" "$T/rows.feat"
  [ "$status" -eq 1 ]
  [[ "$stderr" == *"record 'k' has 2 rows: --npy writes one-row records"* ]]
  [ ! -e "$T/r.npy" ]
}
