#!/usr/bin/env bats
# make install: the tools, their man pages, and what the pages point to (gnuplot
# scripts, SQL queries, the experiment makefile and the scripts it runs) under
# PREFIX/share/sentio, where the installed tools and makefile find them.

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

@test "the installed experiment makefile runs the study outside the checkout, with the installed tools" {
  for t in wav2mfcc featsplit nnfit nnpredict metrics svmfit plotdata; do
    [ -x "$SENTIO_ROOT/bin/$t" ] || skip "the checkout's bin/ is not built"
  done
  env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$SENTIO_ROOT" --no-print-directory -q all ||
    skip "the checkout's bin/ is not up to date"
  p="$BATS_TEST_TMPDIR/prefix"
  env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$SENTIO_ROOT" --no-print-directory install PREFIX="$p" >/dev/null
  mk="$p/share/sentio/experiment.mk"
  for f in experiment-svm.mk plots.mk demo-data.sh extract-sharded.sh check-submission.sh \
           experiment-table.sh cmd/run.sh cmd/task.sh cmd/common.sh; do
    [ -s "$p/share/sentio/$f" ] || { echo "missing $f"; false; }
  done
  mkdir "$BATS_TEST_TMPDIR/scratch"
  cd "$BATS_TEST_TMPDIR/scratch"
  study() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u SENTIO_BIN -u BIN PATH="$p/bin:/usr/bin:/bin" make --no-print-directory -f "$mk" "$@"; }
  # no goal: the demo set, then the study, its summary and its figures, all in this folder
  run study
  echo "$output"
  [ "$status" -eq 0 ]
  grep -q "^sh $p/share/sentio/demo-data.sh " <<<"$output"
  grep -qE '^wav2mfcc -j 2 --csv demo/TRAIN.csv -o results/train.feat$' <<<"$output"
  for m in ANN CNN SVM; do grep -qE "^$m \| [01]\.[0-9]{4} \| [0-9]+\.[0-9]{4}$" <<<"$output"; done
  [ "$(sed 1d results/TEST_predictions.csv | wc -l)" -eq 30 ]
  for f in ann.nn cnn.nn svm.svm ann_val.tsv plots/ann_loss.png plots/features.png; do
    [ -s "results/$f" ] || { echo "missing results/$f"; false; }
  done
  # the store says which runs made the files, with the installed tools
  [ "$(sqlite3 experiments.db "SELECT count(*) FROM runs WHERE status = 'finished' AND tool = 'nnfit'")" -eq 2 ]
  # incremental as in the checkout: nothing to redo
  study -q results/TEST_predictions.csv results/ann_report.txt results/cnn_report.txt results/svm_report.txt
  # sharded extraction through the installed launcher: the same bytes
  run study NJ=2 OUT=sharded sharded/train.feat
  [ "$status" -eq 0 ]
  grep -q "bash $p/share/sentio/extract-sharded.sh --cmd '$p/share/sentio/cmd/run.sh " <<<"$output"
  cmp results/train.feat sharded/train.feat
  # tools that cannot be found: a clear error, before anything runs
  run env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u SENTIO_BIN -u BIN PATH=/usr/bin:/bin make --no-print-directory -f "$mk" OUT=other
  [ "$status" -ne 0 ]
  [[ "$output" == *"wav2mfcc is not on PATH: give SENTIO_BIN=DIR, the folder of the sentio tools"* ]]
  [ ! -e other ]
}
