#!/usr/bin/env bats
# Every tool's man page (man/man1/TOOL.1) and its -h name the same options: each
# option of -h is a tagged paragraph of the man page, and each option the man page
# describes is in -h.

load helper

# The options -h lists, one per line: "-o" and "--output" from "  -o, --output FILE".
help_options() {
  "$SENTIO_BIN/$1" -h | grep -E '^  (-[a-zA-Z], )?--?[a-zA-Z]' |
    sed -E 's/^  ((-[a-zA-Z], )?--?[a-zA-Z0-9-]+).*/\1/' | tr -d ',' | tr ' ' '\n' | sort -u
}

# The options the man page describes: the tags of its paragraphs (the line after
# each .TP), "\-" read as "-".
man_options() {
  awk 'prev == ".TP" { print } { prev = $0 }' "$SENTIO_ROOT/man/man1/$1.1" |
    sed 's/\\-/-/g' | grep -oE '(^\.[BIR]+ |[ "])--?[a-zA-Z][a-zA-Z0-9-]*' |
    grep -oE -- '--?[a-zA-Z][a-zA-Z0-9-]*' | sort -u
}

@test "every tool has a man page" {
  for tool in "$SENTIO_BIN"/*; do
    name=$(basename "$tool")
    [ -f "$SENTIO_ROOT/man/man1/$name.1" ] || { echo "no man/man1/$name.1"; false; }
  done
}

@test "every option of each tool's -h is in its man page, and every option of the man page in -h" {
  bad=""
  for tool in "$SENTIO_BIN"/*; do
    name=$(basename "$tool")
    help=$(help_options "$name")
    man=$(man_options "$name")
    [ -n "$help" ] || bad="$bad\n$name: -h lists no options"
    for opt in $(comm -23 <(printf '%s\n' "$help") <(printf '%s\n' "$man")); do
      bad="$bad\n$name: $opt is in -h but not in $name(1)"
    done
    for opt in $(comm -13 <(printf '%s\n' "$help") <(printf '%s\n' "$man")); do
      bad="$bad\n$name: $opt is in $name(1) but not in -h"
    done
  done
  [ -z "$bad" ] || { printf "$bad\n"; false; }
}
