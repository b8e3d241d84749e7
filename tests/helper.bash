# Shared set-up for the BATS suites. Load with: load helper
# SENTIO_BIN: where the tools are (the Makefile sets it); FIXTURES: tests/fixtures;
# SHARED: ../shared beside the checkout, when present.

SENTIO_ROOT="$(cd "$BATS_TEST_DIRNAME/.." && pwd)"
SENTIO_BIN="${SENTIO_BIN:-$SENTIO_ROOT/bin}"
FIXTURES="$SENTIO_ROOT/tests/fixtures"
SHARED="$(cd "$SENTIO_ROOT/.." && pwd)/shared"

# Under `make check-valgrind`, every tool runs inside valgrind and any error fails it.
for _tool in "$SENTIO_BIN"/*; do
  [ -x "$_tool" ] || continue
  _name=$(basename "$_tool")
  if [ -n "${SENTIO_VALGRIND:-}" ]; then
    eval "$_name() { valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \"$_tool\" \"\$@\"; }"
  else
    eval "$_name() { \"$_tool\" \"\$@\"; }"
  fi
done
unset _tool _name

# skip_without_shared: skip the test cleanly when ../shared/data is absent.
skip_without_shared() {
  [ -d "$SHARED/data" ] || skip "../shared/data is not present"
}

# wait_for_file GLOB: waits until a file matches GLOB, at most 10 s.
wait_for_file() {
  local i
  for ((i = 0; i < 200; i++)); do
    compgen -G "$1" >/dev/null && return 0
    sleep 0.05
  done
  echo "no $1 appeared"
  return 1
}

# stop_midway SIG GLOB CMD ...: runs CMD (a path: shell functions cannot be
# signalled) in the background with SIG's default action restored (a script's
# background jobs start with SIGINT ignored), waits for a file matching GLOB,
# sends SIG and sets `status` to CMD's exit status. CMD keeps the caller's stdin
# (an asynchronous command would otherwise read /dev/null).
stop_midway() {
  local sig=$1 glob=$2 pid
  shift 2
  perl -e '$SIG{$ARGV[0]} = "DEFAULT"; shift; exec @ARGV or die "exec: $!"' "$sig" "$@" <&0 &
  pid=$!
  wait_for_file "$glob" || { kill -KILL $pid; return 1; }
  kill -"$sig" $pid
  status=0
  wait $pid || status=$?
}

# scp_errors TOOL SCP: the --scp contract every extractor shares, on a wav.scp SCP whose
# fourth line is the command entry 'utt3 ... |': commands are refused without --scp-pipes
# and nothing is written; a failing command is an error naming it; a line without a file
# names its line; --scp-pipes without --scp is a usage error.
scp_errors() {
  local tool=$1 scp=$2 dir
  dir=$(dirname "$scp")
  run --separate-stderr "$tool" --scp "$scp" -o "$dir/refused.feat"
  [ "$status" -eq 1 ]
  [ "$stderr" = "$tool: $scp: 'utt3' is a command ('... |'); --scp-pipes runs such entries with the shell (line 4)" ]
  [ ! -e "$dir/refused.feat" ]
  printf 'bad false |\n' >"$dir/bad.scp"
  run --separate-stderr "$tool" --scp "$dir/bad.scp" --scp-pipes -o "$dir/failed.feat"
  [ "$status" -eq 1 ]
  [ "$stderr" = "$tool: false: the command exited with status 1" ]
  [ ! -e "$dir/failed.feat" ]
  printf 'lonely\n' >"$dir/bad.scp"
  run --separate-stderr "$tool" --scp "$dir/bad.scp"
  [ "$status" -eq 1 ]
  [[ "$stderr" == *"'lonely' has no file (expected UTT-ID PATH) (line 1)" ]]
  run "$tool" --scp-pipes "$FIXTURES/short.wav"
  [ "$status" -eq 2 ]
}
