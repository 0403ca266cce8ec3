#!/bin/sh
# seam_check.sh SOURCE_ROOT - the PDF stage reads display lists and plain
# data only: no file under generator/pdf may include (even through another
# header) the document model, the parser or layout's internals.
root=${1:?usage: seam_check.sh SOURCE_ROOT}
cc=${CC:-cc}
command -v "$cc" >/dev/null 2>&1 || { echo "no C compiler ($cc): SKIP"; exit 77; }
status=0
for f in "$root"/generator/pdf/*.c; do
  deps=$("$cc" -MM -I"$root/generator" "$f") || { echo "cannot preprocess $f"; exit 1; }
  bad=$(printf '%s\n' "$deps" | tr ' ' '\n' |
        grep -E 'generator/(model/(model|template|legend)\.h|parse/|layout/(layout|flow|inline|table|symbol|tagging)\.h)' )
  if [ -n "$bad" ]; then
    echo "$f reaches past the display list:"
    printf '  %s\n' $bad
    status=1
  fi
done
[ $status -eq 0 ] && echo "generator/pdf includes no model, parser or layout internals"
exit $status
