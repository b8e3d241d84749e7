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
