#!/usr/bin/env bats
# Every command block of README.md runs as typed, in order, in a scratch copy of the
# checkout (make, the demo set, the experiment, the pipelines, the queries, the figures).

load helper

# The indented blocks of README.md, each line prefixed with its block's number and
# "run", or "skip" when the line before the block is a comment
# <!-- tests/readme.bats does not run this block: it needs WHAT --> (a cluster...).
blocks() {
  awk '/^<!-- tests\/readme.bats does not run this block: it needs .+ -->$/ { skip = 1; next }
       /^    / { if (!inblock) { n++; kind = skip ? "skip" : "run"; skip = 0 }
                inblock = 1; print n "\t" kind "\t" substr($0, 5); next }
       /^$/ { next }
       { inblock = 0; skip = 0 }' "$SENTIO_ROOT/README.md"
}

# A block is commands when its first word is a command; otherwise it shows output.
is_command() { [[ "$1" =~ ^(make|wav2mfcc|wav2egemaps|featdump|featsplit|nnfit|nnpredict|metrics|plotdata|sqlite3|gnuplot|sh|cd|export|\#)( |$) ]]; }

@test "README: every command block runs as typed on the demo set" {
  for t in wav2mfcc featdump featsplit nnfit nnpredict metrics plotdata; do
    [ -x "$SENTIO_ROOT/bin/$t" ] || skip "the checkout's bin/ is not built"
  done
  co="$BATS_TEST_TMPDIR/checkout"
  mkdir "$co"
  # the checkout as it is (built), without the user's data, results, store or git
  tar -C "$SENTIO_ROOT" --exclude=./demo --exclude=./results --exclude='./experiments.db*' \
    --exclude=./.git --exclude='./build-*' -cf - . | tar -C "$co" -xf -
  script="$BATS_TEST_TMPDIR/readme.sh"
  {
    echo 'set -eu -o pipefail'
    echo 'unset MAKEFLAGS MFLAGS MAKELEVEL'
  } >"$script"
  outputs=0 commands=0 skipped=0 last=0
  while IFS=$'\t' read -r n run line; do
    if [ "$n" != "$last" ]; then
      last=$n
      if [ "$run" = skip ]; then kind=skipped; skipped=$((skipped + 1))
      elif is_command "$line"; then kind=command; commands=$((commands + 1)); else kind=output; outputs=$((outputs + 1)); fi
      echo "echo '## README block $n ($kind)' >&2" >>"$script"
    fi
    [ "$kind" = command ] || continue
    # `make test` is this very suite: everything else runs as typed
    [[ "$line" =~ ^make\ test( |$) ]] && continue
    printf '%s\n' "$line" >>"$script"
  done < <(blocks)
  cat "$script"
  # the only block that is not commands is the seed's table, which make experiment prints
  [ "$outputs" -eq 1 ]
  [ "$commands" -ge 7 ]
  # blocks that need a cluster or ../shared say so in the README, and are few
  [ "$skipped" -le 4 ]
  run bash -c "cd '$co' && bash '$script'"
  echo "$output" | tail -n 40
  [ "$status" -eq 0 ]
  # what the blocks promise is there
  [ -s "$co/submission.csv" ] && [ -s "$co/spec.png" ] && [ -s "$co/m.nn" ]
  [ "$(head -n 1 "$co/submission.csv")" = "Filename,Class" ]
  [ "$(sed 1d "$co/submission.csv" | wc -l)" -eq "$(ls "$co/demo/TEST" | wc -l)" ]
  grep -qE '^ANN \| [01]\.[0-9]{4} \| ' <<<"$output"
}
