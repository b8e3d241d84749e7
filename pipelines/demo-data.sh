#!/bin/sh
# demo-data.sh: synthesise sentio's demo data set, deterministically, with espeak-ng and sox.
#
# Usage: sh pipelines/demo-data.sh [-j JOBS] DIR
#
# Writes, in the layout of Kaggle's "Audio Speech Sentiment" set:
#   DIR/TRAIN.csv           Filename,Class (Positive / Neutral / Negative, 48 clips each)
#   DIR/TRAIN/NNNN.wav      144 labelled clips
#   DIR/TEST/NNNN.wav       30 unlabelled clips (10 per class)
#   DIR/TEST_solution.csv   Filename,Class for TEST/ (the answers, as Kaggle keeps them)
#   DIR/utt2spk             Kaldi's "UTTERANCE SPEAKER" for TRAIN/: NNNN.wav and its voice
# All WAV files are 22050 Hz, mono, 16-bit PCM.
#
# Each clip is one English sentence of its class's sentiment spoken by one of four espeak-ng
# voices, shared by every class so the voice says nothing about the label. The prosody differs
# by class as in acted emotional speech, but the per-class ranges overlap, so the task is
# learnable without being trivially perfect:
#   Positive  higher pitch, faster, louder;  Negative  lower pitch, slower, quieter, longer gaps;
#   Neutral   in between.
# Pink noise at a level independent of the class is mixed under every clip.
#
# Same bytes every run: the clip plan comes from a fixed Park-Miller generator (exact in awk's
# doubles, so mawk and gawk agree); espeak-ng is deterministic; sox runs with -R (fixed seeds)
# and -D (no dither). The set is built in DIR.tmp.* and renamed into place, so an interrupted
# run never leaves a half-made DIR; TRAIN.csv is its newest file (make uses it as the target).
set -eu
export LC_ALL=C

jobs=2
usage() { echo "usage: sh demo-data.sh [-j JOBS] DIR" >&2; exit 2; }
while getopts j: opt; do
  case $opt in
    j) case $OPTARG in ''|*[!0-9]*|0) usage ;; esac; jobs=$OPTARG ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || usage
dir=${1%/}
[ -n "$dir" ] || usage

for cmd in espeak-ng sox soxi awk; do
  command -v "$cmd" >/dev/null 2>&1 || { echo "demo-data.sh: $cmd not found (apt-get install espeak-ng sox)" >&2; exit 1; }
done

# Never replace a folder this script did not make (DIR=. by mistake must not delete anything).
if [ -e "$dir" ] && [ ! -e "$dir/.sentio-demo" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
  echo "demo-data.sh: $dir exists and is not a sentio demo set; not replacing it" >&2
  exit 1
fi
mkdir -p "$(dirname "$dir")"
tmp=$dir.tmp.$$
rm -rf "$tmp"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
mkdir "$tmp" "$tmp/TRAIN" "$tmp/TEST" "$tmp/work"

# The plan: one tab-separated line per clip:
#   split file class voice pitch speed amplitude wordgap noise_volume noise_offset sentence
# TRAIN and TEST each draw their classes in a shuffled order (balanced), so neither file names
# nor CSV order reveal the class.
awk -v ntrain=48 -v ntest=10 '
function rnd() { seed = (16807 * seed) % 2147483647; return seed / 2147483647 }
function pick(lo, hi) { return lo + int(rnd() * (hi - lo + 1)) }
BEGIN {
  seed = 20240607
  nv = split("en-us+m3 en+f2 en-gb-x-rp+m1 en-029+f4", voice, " ")
  cls[1] = "Positive"; cls[2] = "Neutral"; cls[3] = "Negative"
  ns[1] = split("I love this, it is wonderful.|What a fantastic result, I am so happy!|This is great news for all of us.|Thank you, that was really kind.|We won the game, it was amazing!|The food here is delicious.|I am delighted to see you again.|Everything went perfectly today.|Your idea is brilliant, well done.|What a beautiful morning!|I enjoyed every minute of it.|This gift makes me so glad.", s1, "|")
  ns[2] = split("The meeting is at three o clock.|The train leaves from platform two.|Please put the papers on the desk.|The store opens at nine tomorrow.|There are four chairs in the room.|The report has twelve pages.|I will take the bus to work.|The package arrived on Tuesday.|Turn left at the next corner.|The window faces the street.|The file is in the second folder.|We need milk and bread.", s2, "|")
  ns[3] = split("I hate this, it is terrible.|This is the worst day of my life.|I am so tired and disappointed.|Nothing ever works, it is awful.|That was a horrible mistake.|I feel sad and lonely tonight.|The service was rude and slow.|We lost everything, it is hopeless.|I cannot stand this noise anymore.|The food was cold and disgusting.|He never listens, I am furious.|This broken phone is useless.", s3, "|")
  for (i = 1; i <= ns[1]; i++) sent[1, i] = s1[i]
  for (i = 1; i <= ns[2]; i++) sent[2, i] = s2[i]
  for (i = 1; i <= ns[3]; i++) sent[3, i] = s3[i]
  # Class prosody: espeak-ng pitch (0-99), speed (words/min), amplitude (0-200), word gap (10 ms).
  plo[1] = 52; phi[1] = 80; slo[1] = 170; shi[1] = 215; alo[1] = 100; ahi[1] = 125; glo[1] = 0; ghi[1] = 2
  plo[2] = 38; phi[2] = 64; slo[2] = 145; shi[2] = 190; alo[2] = 85;  ahi[2] = 115; glo[2] = 0; ghi[2] = 4
  plo[3] = 22; phi[3] = 50; slo[3] = 115; shi[3] = 165; alo[3] = 65;  ahi[3] = 100; glo[3] = 2; ghi[3] = 8
  plan("TRAIN", ntrain, 1); plan("TEST", ntest, 1001)
}
function plan(part, per_class, first,    n, i, j, t, c, order) {
  n = 0
  for (c = 1; c <= 3; c++) for (i = 0; i < per_class; i++) order[++n] = c
  for (i = n; i > 1; i--) { j = pick(1, i); t = order[i]; order[i] = order[j]; order[j] = t }
  for (i = 1; i <= n; i++) {
    c = order[i]
    printf "%s\t%04d.wav\t%s\t%s\t%d\t%d\t%d\t%d\t%.4f\t%d\t%s\n", part, first + i - 1, cls[c],
      voice[pick(1, nv)], pick(plo[c], phi[c]), pick(slo[c], shi[c]), pick(alo[c], ahi[c]),
      pick(glo[c], ghi[c]), 0.004 + 0.012 * rnd(), pick(0, 20 * 22050), sent[c, pick(1, ns[c])]
  }
}' >"$tmp/plan.tsv"

# 30 s of pink noise; each clip takes a slice at its own offset.
sox -R -D -V1 -n -r 22050 -c 1 -b 16 "$tmp/work/noise.wav" synth 30 pinknoise

# synth_clip: one plan line -> one WAV file in $tmp/SPLIT/.
# (Chained with &&: set -e does not apply inside a function called from a || list.)
synth_clip() {
  w=$tmp/work/$2
  espeak-ng -v "$4" -p "$5" -s "$6" -a "$7" -g "$8" -w "$w.speech.wav" "${11}" &&
  sox -R -D -V1 "$w.speech.wav" -r 22050 -c 1 -b 16 "$w.padded.wav" pad 0.2 0.3 &&
  n=$(soxi -s "$w.padded.wav") &&
  sox -R -D -V1 "$tmp/work/noise.wav" "$w.noise.wav" trim "${10}s" "${n}s" vol "$9" &&
  sox -R -D -V1 -m -v 1 "$w.padded.wav" -v 1 "$w.noise.wav" -r 22050 -c 1 -b 16 "$tmp/$1/$2" &&
  rm -f "$w.speech.wav" "$w.padded.wav" "$w.noise.wav"
}

# JOBS workers, each taking every JOBS-th line; every clip is independent of the others, so the
# bytes do not depend on JOBS.
pids=""
w=0
while [ "$w" -lt "$jobs" ]; do
  awk -v w="$w" -v j="$jobs" '(NR - 1) % j == w' "$tmp/plan.tsv" | (
    tab=$(printf '\t')
    while IFS=$tab read -r split file class voice pitch speed amp gap nvol noff text; do
      synth_clip "$split" "$file" "$class" "$voice" "$pitch" "$speed" "$amp" "$gap" "$nvol" "$noff" "$text" ||
        { echo "demo-data.sh: failed to synthesise $split/$file" >&2; exit 1; }
    done ) &
  pids="$pids $!"
  w=$((w + 1))
done
status=0
for p in $pids; do wait "$p" || status=1; done
[ "$status" -eq 0 ] || exit 1

{ echo "Filename,Class"; awk -F '\t' '$1 == "TEST" { print $2 "," $3 }' "$tmp/plan.tsv"; } >"$tmp/TEST_solution.csv"
awk -F '\t' '$1 == "TRAIN" { print $2 " " $4 }' "$tmp/plan.tsv" >"$tmp/utt2spk"
{ echo "Filename,Class"; awk -F '\t' '$1 == "TRAIN" { print $2 "," $3 }' "$tmp/plan.tsv"; } >"$tmp/TRAIN.csv"
rm -rf "$tmp/work" "$tmp/plan.tsv"
echo "made by sentio's pipelines/demo-data.sh; safe to delete" >"$tmp/.sentio-demo"
rm -rf "$dir"
mv "$tmp" "$dir"
trap - EXIT
echo "demo-data.sh: wrote $dir: $(ls "$dir/TRAIN" | wc -l) TRAIN and $(ls "$dir/TEST" | wc -l) TEST clips" >&2
