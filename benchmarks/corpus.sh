#!/usr/bin/env bash
# The benchmark corpus: the machine's Python standard library plus a fixed
# list of Debian python3-* packages, each package's directory under
# /usr/lib/python3/dist-packages one repository.  Writes the manifest, one
# repository a line: `path name version`; a package that is not installed is
# left out with a warning (`make deps-bench` installs them).
#
# Usage: benchmarks/corpus.sh [PYTHON] [MANIFEST]
#   PYTHON    whose standard library is the first repository (default python3)
#   MANIFEST  where to write (default build/bench/manifest.txt)
# Exit status: 0 written; 1 fewer than MIN_PACKAGES packages could be had.
set -eu
PYTHON=${1:-python3}
MANIFEST=${2:-build/bench/manifest.txt}
MIN_PACKAGES=20
DIST=/usr/lib/python3/dist-packages

# Debian package and the directory it installs under $DIST, a line each in
# benchmarks/corpus_packages.txt: fixed, so a figure measured on one machine
# means the same corpus on another (the versions go into the manifest).
# `make deps-bench` installs them (deps.sh); this script installs nothing.
PACKAGES=$(grep -v '^#' "$(dirname "$0")/corpus_packages.txt")

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; }

stdlib=$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
[ -d "$stdlib" ] || { echo "corpus: no standard library at '$stdlib'" >&2; exit 1; }
pyver=$("$PYTHON" -c 'import platform; print(platform.python_version())')

mkdir -p "$(dirname "$MANIFEST")"
tmp="$MANIFEST.tmp"
{
  echo "# hgym benchmark corpus, written by benchmarks/corpus.sh: path name version"
  echo "$stdlib python/stdlib $pyver"
} >"$tmp"
n=0
for entry in $PACKAGES; do
  pkg=${entry%%:*}
  dir=$DIST/${entry#*:}
  if ! installed "$pkg"; then
    echo "corpus: warning: $pkg is not installed (make deps-bench); left out" >&2
    continue
  fi
  if [ ! -d "$dir" ]; then
    echo "corpus: warning: $pkg has no $dir; left out" >&2
    continue
  fi
  ver=$(dpkg-query -W -f='${Version}' "$pkg")
  echo "$dir debian/$pkg $ver" >>"$tmp"
  n=$((n + 1))
done
mv "$tmp" "$MANIFEST"
if [ "$n" -lt "$MIN_PACKAGES" ]; then
  echo "corpus: only $n packages are installed (at least $MIN_PACKAGES wanted; run make deps-bench)" >&2
  exit 1
fi
echo "corpus: $MANIFEST: the standard library ($stdlib) and $n packages"
