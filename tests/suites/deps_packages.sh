#!/usr/bin/env bash
# Issue 3's acceptance check on real code: the Debian packages python3-flask,
# -requests, -jinja2 and -click, each indexed as one repository.  `deps`
# covers every definition `defs` lists, and the resolution figures of
# docs/RESOLUTION.md are printed (`hgym-query stats`).
# Under VALGRIND=1 (make check VALGRIND=1) only click and flask are checked:
# a reduced input.
set -eu
PYTHON=${PYTHON:-python3}
BIN=${HGYM_BIN:-bin}
D=/usr/lib/python3/dist-packages
PKGS="flask requests jinja2 click"
./deps.sh check test
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rc=0
if [ "${VALGRIND:-}" = 1 ]; then
  PKGS="click flask"
  echo "deps_packages: reduced input under valgrind: $PKGS"
fi
for p in $PKGS; do
  "$BIN/hgym-index" -q "$D/$p" --name "debian/python3-$p" -o "$tmp/$p.idx"
  "$BIN/hgym-query" -i "$tmp/$p.idx" stats
  "$PYTHON" tests/deps_cover.py "$BIN/hgym-query" "$tmp/$p.idx" || rc=1
done
exit $rc
