#!/usr/bin/env bats
# The library's layering (HACKING.md, "Layers"): every include in common/ names a
# layer its own layer may use.

load helper

# The table's rows as "layer: allowed allowed ...".
layer_rules() {
  sed -n '/^## Layers/,/^## /p' "$SENTIO_ROOT/HACKING.md" |
    awk -F'|' '/^\| `[a-z]+` \|/ {
      layer = $2; gsub(/[ `]/, "", layer)
      allowed = $4; gsub(/,/, " ", allowed)
      print layer ":" allowed
    }'
}

@test "HACKING.md lists a layer for every folder of common/ and no other" {
  run layer_rules
  [ "$status" -eq 0 ]
  listed=$(printf '%s\n' "$output" | cut -d: -f1 | sort | tr '\n' ' ')
  present=$(cd "$SENTIO_ROOT/common" && ls -d */ | tr -d / | sort | tr '\n' ' ')
  [ "$listed" = "$present" ] || { echo "HACKING.md: $listed"; echo "common/: $present"; false; }
}

@test "no module of common/ includes a layer HACKING.md does not allow it" {
  rules=$(layer_rules)
  bad=""
  cd "$SENTIO_ROOT/common"
  for f in */*.c */*.h; do
    layer=${f%%/*}
    allowed="$layer $(printf '%s\n' "$rules" | awk -F: -v l="$layer" '$1 == l { print $2 }')"
    while IFS= read -r inc; do
      case "$inc" in */*) ;; *) bad="$bad\n$f: \"$inc\" names no layer"; continue ;; esac
      case " $allowed " in *" ${inc%%/*} "*) ;; *) bad="$bad\n$f: includes \"$inc\"" ;; esac
    done < <(sed -n 's/^#include "\(.*\)"/\1/p' "$f")
  done
  [ -z "$bad" ] || { printf 'layer violations:%b\n' "$bad"; false; }
}

@test "the layer check catches a forbidden include" {
  tmp=$BATS_TEST_TMPDIR/common
  mkdir -p "$tmp/base"
  printf '#include "eval/metrics.h"\n' > "$tmp/base/bad.c"
  rules=$(layer_rules)
  allowed=$(printf '%s\n' "$rules" | awk -F: '$1 == "base" { print $2 }')
  inc=$(sed -n 's/^#include "\(.*\)"/\1/p' "$tmp/base/bad.c")
  case " $allowed " in *" ${inc%%/*} "*) false ;; *) true ;; esac
}
