#!/bin/sh
# Ensure the Debian packages a make goal needs are installed.
# Usage: deps.sh PROFILE...   (build, test, experiment, plots, bench, style, cluster, fuzz, fidelity)
# As root it installs what is missing with apt-get; otherwise it prints the
# exact apt-get line and exits 1, so make stops before a confusing compile error.
set -u
pkgs=""
for profile in "$@"; do
  case $profile in
    build) pkgs="$pkgs gcc make pkg-config libsndfile1-dev libfftw3-dev libsoxr-dev libgsl-dev libsqlite3-dev" ;;
    test) pkgs="$pkgs bats sqlite3 sox espeak-ng gnuplot-nox" ;;
    experiment|plots) pkgs="$pkgs sqlite3 sox espeak-ng gnuplot-nox" ;;
    bench) pkgs="$pkgs sptk sox flac" ;;
    style) pkgs="$pkgs clang clang-format clang-tidy cppcheck bear" ;;
    # the launchers' engines (pipelines/cmd) and the local Slurm cluster of tests/slurm.bats
    cluster) pkgs="$pkgs munge slurmctld slurmd slurm-client parallel time" ;;
    fuzz) pkgs="$pkgs clang-14 libclang-rt-14-dev" ;;
    fidelity) pkgs="$pkgs python3-numpy python3-sklearn" ;;
    *) echo "deps.sh: unknown profile '$profile'" >&2; exit 2 ;;
  esac
done
missing=""
for p in $pkgs; do
  case " $missing " in *" $p "*) continue ;; esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "sentio: not a Debian system; install the equivalents of:$missing" >&2
  exit 1
fi
if [ "$(id -u)" = 0 ]; then
  echo "sentio: installing missing packages:$missing" >&2
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq$missing; } >&2 || {
    echo "sentio: apt-get failed; run: apt-get install -y$missing" >&2; exit 1; }
  exit 0
fi
echo "sentio: missing Debian packages. Run as root:" >&2
echo "  apt-get install -y$missing" >&2
exit 1
