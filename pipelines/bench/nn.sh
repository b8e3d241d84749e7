#!/bin/sh
# Times nnfit on the seed's ANN and CNN (100 epochs, batch 32, no validation so no
# early stopping, 200 x 40 synthetic inputs, 3 classes) and, where python3-torch
# is installed, the same networks and schedule in PyTorch on one thread, in the
# same run. Prints medians of RUNS runs (default 5), the ratios, and nnfit's
# GFLOP/s (the multiply-adds of the forward and backward passes, counted below).
# Then nnfit's -j scaling (JOBS, default "1 2 4"), the model identical for every
# N: on the same 200 x 40 at batch 32 (two pieces of 16 rows a batch), and on
# 5000 x 80 at batch 256 (16 pieces), 10 epochs.
set -eu
bin=${SENTIO_BIN:-$(cd "$(dirname "$0")/../.." && pwd)/bin}
here=$(cd "$(dirname "$0")" && pwd)
runs=${RUNS:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ROWS records of COLS values, 3 classes, as a feature stream (perl's pack).
synth() { # rows cols
  awk -v n="$1" -v d="$2" 'BEGIN { srand(1); for (i = 0; i < n; i++) { printf "b%05d\t%s\t", i, substr("abc", i % 3 + 1, 1)
    for (j = 0; j < d; j++) printf "%s%.6f", (j ? " " : ""), rand() * 2 - 1; printf "\n" } }' |
  perl -e 'binmode STDOUT; while (<STDIN>) { chomp; my ($k, $l, $v) = split /\t/; my @v = split / /, $v;
    print pack("a4 v v V V V V V", "SNTF", 1, 0, length $k, length $l, 0, 1, scalar @v), $k, $l, pack("f<*", @v) }'
}
synth 200 40 > "$tmp/bench.feat"
synth 5000 80 > "$tmp/big.feat"

now() { date +%s.%N; }
# Median wall time of RUNS runs of nnfit with the given options.
time_nnfit() {
  : > "$tmp/c"
  i=0
  while [ $i -lt "$runs" ]; do
    t0=$(now)
    "$bin/nnfit" "$@" -o "$tmp/m.nn" 2>/dev/null
    t1=$(now)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }' >> "$tmp/c"
    i=$((i + 1))
  done
  median < "$tmp/c"
}
median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# FLOPs per training sample: 2 per multiply-add, forward plus backward (weights
# and, but for the first layer, inputs): dense in->out costs 2*in*out forward,
# 4*in*out backward (2*in*out for the first layer).
flops_ann=$(( (2*40*128 + 2*128*64 + 2*64*3) + (2*40*128 + 4*128*64 + 4*64*3) ))
# conv 32x3 on 40 -> 38 positions: 2*38*3*32 forward, same backward (first layer);
# dense 608->64 and 64->3.
flops_cnn=$(( (2*38*3*32 + 2*608*64 + 2*64*3) + (2*38*3*32 + 4*608*64 + 4*64*3) ))
samples=$((200 * 100))

. "$here/torch_python.sh"
has_torch=0
[ -z "$py" ] || has_torch=1
printf '%-5s %12s %12s %8s %10s\n' arch nnfit_s torch_s ratio GFLOP/s
for arch in ann cnn; do
  : > "$tmp/c"; : > "$tmp/t"
  i=0
  while [ $i -lt "$runs" ]; do
    t0=$(now)
    "$bin/nnfit" --arch $arch --epochs 100 "$tmp/bench.feat" -o "$tmp/m.nn" 2>/dev/null
    t1=$(now)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }' >> "$tmp/c"
    if [ $has_torch = 1 ]; then
      "$py" "$here/nn_torch.py" $arch 100 200 40 3 >> "$tmp/t"
    fi
    i=$((i + 1))
  done
  c=$(median < "$tmp/c")
  eval "f=\$flops_$arch"
  gflops=$(awk -v f="$f" -v n="$samples" -v c="$c" 'BEGIN { print f * n / c / 1e9 }')
  if [ $has_torch = 1 ]; then
    t=$(median < "$tmp/t")
    printf '%-5s %12.4f %12.4f %7.1fx %10.2f\n' $arch "$c" "$t" "$(awk -v t="$t" -v c="$c" 'BEGIN { print t / c }')" "$gflops"
  else
    printf '%-5s %12.4f %12s %8s %10.2f\n' $arch "$c" "-" "-" "$gflops"
  fi
done
[ $has_torch = 1 ] || echo "(python3-torch is not installed: no PyTorch comparison)"
echo "nnfit times are whole runs (start-up, reading, writing the model); PyTorch's the training loop only."

echo
echo "nnfit -j N: median seconds, speed-up over -j 1 ($(getconf _NPROCESSORS_ONLN 2>/dev/null || echo ?) CPUs online)"
printf '%-24s %-5s' case arch
for j in ${JOBS:-1 2 4}; do printf ' %14s' "-j $j"; done
echo
for c in "200x40 batch 32, 100 ep:bench.feat:32:100" "5000x80 batch 256, 10 ep:big.feat:256:10"; do
  name=${c%%:*} rest=${c#*:}
  feat=${rest%%:*} rest=${rest#*:}
  batch=${rest%%:*} epochs=${rest#*:}
  for arch in ann cnn; do
    printf '%-24s %-5s' "$name" $arch
    base=
    for j in ${JOBS:-1 2 4}; do
      t=$(time_nnfit -j $j --arch $arch --batch $batch --epochs $epochs "$tmp/$feat")
      [ -n "$base" ] || base=$t
      printf ' %7.4f %5.2fx' "$t" "$(awk -v a="$base" -v b="$t" 'BEGIN { print a / b }')"
    done
    echo
  done
done
