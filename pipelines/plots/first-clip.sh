#!/bin/sh
# first-clip.sh CSV name|class: the Filename or the Class of the first row of a Kaggle
# TRAIN.csv (header Filename,Class; a UTF-8 BOM, CRLF and a quoted Filename are fine).
set -eu
[ $# -eq 2 ] || { echo "usage: first-clip.sh CSV name|class" >&2; exit 2; }
sed -n '2{s/\r$//;p;q;}' "$1" | awk -v want="$2" '
{
    if (substr($0, 1, 1) == "\"") {          # "name, with ""quotes""",Class
        rest = substr($0, 2); name = ""
        while ((i = index(rest, "\"")) > 0) {
            name = name substr(rest, 1, i - 1); rest = substr(rest, i + 1)
            if (substr(rest, 1, 1) == "\"") { name = name "\""; rest = substr(rest, 2) } else break
        }
        class = substr(rest, 2)
    } else {
        i = index($0, ","); name = substr($0, 1, i - 1); class = substr($0, i + 1)
    }
    gsub(/^"|"$/, "", class)
    print (want == "class" ? class : name)
}'
