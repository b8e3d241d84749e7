#!/usr/bin/env bats
# Packages are installed by the goals that need them, never while make reads the
# Makefile: `make -n`, `make help` and `make clean` run neither dpkg-query nor apt-get;
# `make deps` and the goals' $(BUILD)/.deps/PROFILE prerequisites do (pipelines/deps.sh).
# make runs in a copy of the build files, with dpkg-query, apt-get and id replaced by
# stubs that record each call and report every package as missing.

load helper

setup() {
  T=$(mktemp -d)
  mkdir -p "$T/src/tests" "$T/stubs"
  cp -r "$SENTIO_ROOT/Makefile" "$SENTIO_ROOT/pipelines" "$SENTIO_ROOT/tools" "$SENTIO_ROOT/common" \
    "$T/src/"
  cp -r "$SENTIO_ROOT/tests/unit" "$T/src/tests/"
  for cmd in dpkg-query apt-get; do
    printf '#!/bin/sh\necho "%s $*" >> "%s/calls"\n[ %s = apt-get ]\n' "$cmd" "$T" "$cmd" >"$T/stubs/$cmd"
  done
  # deps.sh asks `id -u` whether it may install.
  printf '#!/bin/sh\necho "${STUB_UID:-1000}"\n' >"$T/stubs/id"
  chmod +x "$T/stubs/"*
  : >"$T/calls"
}

teardown() { rm -rf "$T"; }

# make in the copy, isolated from any make running this suite (check-asan exports BUILD, BIN
# and CFLAGS), with the stubs first in PATH.
mk() {
  env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u BUILD -u BIN -u CFLAGS PATH="$T/stubs:$PATH" \
    make -C "$T/src" --no-print-directory "$@"
}

no_package_calls() {
  [ ! -s "$T/calls" ] || { echo "package tools were called:"; cat "$T/calls"; false; }
}

@test "make -n, make help and make clean run neither dpkg-query nor apt-get" {
  for goal in "-n" "-n test" "-n check-asan" "-n experiment OUT=$T/out DB=$T/x.db" "-n bench" \
              "-n plots OUT=$T/out" "help" "clean" "-n install"; do
    run mk $goal
    [ "$status" -eq 0 ] || { echo "make $goal: $output"; false; }
    no_package_calls
  done
  # make -n shows the check it would run first.
  run mk -n test
  [[ "$output" == *"sh pipelines/deps.sh build"* && "$output" == *"sh pipelines/deps.sh test"* ]]
}

@test "make test without the packages, not as root: the exact apt-get line, and nothing is built" {
  run mk test
  [ "$status" -ne 0 ]
  [[ "$output" == *"sentio: missing Debian packages. Run as root:"* ]]
  [[ "$output" == *"  apt-get install -y gcc make pkg-config libsndfile1-dev"* ]]
  grep -q '^dpkg-query ' "$T/calls"
  ! grep -q '^apt-get' "$T/calls"
  [ ! -e "$T/src/build" ] && [ ! -e "$T/src/bin" ]
}

@test "make deps as root installs what is missing, and only that goal's profiles" {
  STUB_UID=0 run mk deps PROFILES="build test"
  [ "$status" -eq 0 ]
  grep -qx 'apt-get update -qq' "$T/calls"
  install=$(grep '^apt-get install' "$T/calls")
  [[ "$install" == "apt-get install -y -qq gcc make pkg-config "*" bats sqlite3 sox espeak-ng gnuplot-nox lame opus-tools flac python3-numpy libsvm-tools" ]]
  [[ "$install" != *sptk* ]]
  [ ! -e "$T/src/build" ]
}

@test "make deps, not as root: prints the apt-get line, installs nothing" {
  run mk deps PROFILES=bench
  [ "$status" -ne 0 ]
  [[ "$output" == *"  apt-get install -y sptk sox flac"* ]]
  ! grep -q '^apt-get' "$T/calls"
}

@test "a profile is checked once: its stamp skips the check until deps.sh changes" {
  STUB_UID=0 run mk build/.deps/experiment
  [ "$status" -eq 0 ] && [ -f "$T/src/build/.deps/experiment" ]
  grep -q '^apt-get install' "$T/calls"
  : >"$T/calls"
  run mk build/.deps/experiment
  no_package_calls
  run mk -q build/.deps/experiment
  [ "$status" -eq 0 ]
  touch -d '+1 minute' "$T/src/pipelines/deps.sh"
  STUB_UID=0 run mk build/.deps/experiment
  grep -q '^dpkg-query ' "$T/calls"
}
