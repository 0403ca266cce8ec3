#!/bin/sh
# seam_check.sh SOURCE_ROOT - the backends read display lists and plain
# data only: no file under generator/pdf or generator/png may include (even
# through another header) the document model, the parser or layout's
# internals.
root=${1:?usage: seam_check.sh SOURCE_ROOT}
cc=${CC:-cc}
command -v "$cc" >/dev/null 2>&1 || { echo "no C compiler ($cc): SKIP"; exit 77; }
status=0
for f in "$root"/generator/pdf/*.c "$root"/generator/png/*.c; do
  deps=$("$cc" -MM -I"$root/generator" $(pkg-config --cflags-only-I cairo freetype2 2>/dev/null) "$f") ||
    { echo "cannot preprocess $f"; exit 1; }
  bad=$(printf '%s\n' "$deps" | tr ' ' '\n' |
        grep -E 'generator/(model/(model|template|legend)\.h|parse/|layout/(layout|flow|inline|table|symbol|tagging)\.h)' )
  if [ -n "$bad" ]; then
    echo "$f reaches past the display list:"
    printf '  %s\n' $bad
    status=1
  fi
done
[ $status -eq 0 ] && echo "generator/pdf and generator/png include no model, parser or layout internals"
exit $status
