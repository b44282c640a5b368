#!/usr/bin/env bash
# The layers include only downward (docs/ARCHITECTURE.md): each folder may
# include the headers of the folders listed for it and its own, and only
# analyzer/ includes tree-sitter.  A header included from a folder above its
# own fails this suite, naming the file and the line.
set -u
cd "$(dirname "$0")/../.."
declare -A allowed=(
  [base]="base"
  [analyzer]="base analyzer store/format.h"
  [store]="base analyzer/facts.h store"
  [resolve]="base store resolve"
  [index]="base analyzer store resolve index"
  [queries]="base store queries"
)
bad=0
for dir in base analyzer store resolve index queries; do
  for f in "$dir"/*.[ch]; do
    while IFS=: read -r line inc; do
      hdr=$(sed -E 's/.*#include "([^"]+)".*/\1/' <<<"$inc")
      ok=0
      for a in ${allowed[$dir]}; do
        case $a in
          */*.h) [ "$hdr" = "$a" ] && ok=1 ;;
          *) [ "${hdr%%/*}" = "$a" ] && ok=1 ;;
        esac
      done
      [ $ok = 1 ] || { echo "layering: $f:$line includes $hdr, from a folder $dir/ may not include"; bad=1; }
    done < <(grep -n '#include "' "$f")
    if [ "$dir" != analyzer ] && grep -q 'tree_sitter/' "$f"; then
      echo "layering: $f includes tree-sitter; only analyzer/ may"
      bad=1
    fi
  done
done
[ $bad = 0 ] && echo "layering: every include goes downward"
exit $bad
