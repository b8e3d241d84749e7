#!/usr/bin/env bats
# make install: the tools, their man pages, and what the pages point to (gnuplot
# scripts, SQL queries, the experiment makefile) under PREFIX/share/sentio, where
# the installed tools find them.

load helper

@test "make install puts scripts and queries under share/sentio, and installed plotdata names them" {
  for t in plotdata metrics; do
    [ -x "$SENTIO_ROOT/bin/$t" ] || skip "the checkout's bin/ is not built"
  done
  p="$BATS_TEST_TMPDIR/prefix"
  env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$SENTIO_ROOT" --no-print-directory -q bin/plotdata bin/metrics ||
    skip "the checkout's bin/ is not up to date"
  env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$SENTIO_ROOT" --no-print-directory install PREFIX="$p" >/dev/null
  for f in plots/spectrogram.gp plots/style.gp plots/curves.gp queries/best-runs.sql queries/diff-runs.sql \
           queries/last-runs.sql experiment.mk; do
    [ -s "$p/share/sentio/$f" ] || { echo "missing $f"; false; }
  done
  [ -s "$p/share/man/man1/plotdata.1" ] && [ -x "$p/bin/plotdata" ]
  # the installed plotdata says where its scripts are, and they work from there
  "$p/bin/plotdata" -h | grep -qF "(scripts in $p/share/sentio/plots/)"
  cd "$BATS_TEST_TMPDIR"
  "$p/bin/plotdata" spectrogram -o spec.tsv "$FIXTURES/speech22k.wav"
  gnuplot -e "in='spec.tsv'; out='spec.png'; title='short'" "$p/share/sentio/plots/spectrogram.gp"
  [ -s spec.png ]
  # the installed queries run on a store the installed tools made
  printf 'key\tlabel\tpred\tp_A\tp_B\na\tA\tA\t0.9\t0.1\nb\tB\tA\t0.6\t0.4\n' >p.tsv
  "$p/bin/metrics" --db s.db p.tsv >/dev/null
  "$p/bin/metrics" --db s.db --digits 3 p.tsv >/dev/null
  run sqlite3 -batch -noheader -cmd '.param set :a 1' -cmd '.param set :b 2' s.db < "$p/share/sentio/queries/diff-runs.sql"
  [ "$status" -eq 0 ]
  grep -qx 'digits|2|3' <<<"$output"
  # and uninstall takes it all away again
  env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$SENTIO_ROOT" --no-print-directory uninstall PREFIX="$p" >/dev/null
  [ ! -e "$p/share/sentio" ] && [ ! -e "$p/bin/plotdata" ]
}
