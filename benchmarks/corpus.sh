#!/usr/bin/env bash
# The benchmark corpus: the machine's Python standard library plus a fixed
# list of Debian python3-* packages, each package's directory under
# /usr/lib/python3/dist-packages one repository.  Installs what is missing
# (apt-get; `apt-get update` only when an install fails) and writes the
# manifest, one repository a line: `path name version`.
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

# Debian package and the directory it installs under $DIST.  Fixed, so a
# figure measured on one machine means the same corpus on another (the
# versions go into the manifest).
PACKAGES="
python3-django:django
python3-sympy:sympy
python3-numpy:numpy
python3-scipy:scipy
python3-pandas:pandas
python3-twisted:twisted
python3-sqlalchemy:sqlalchemy
python3-flask:flask
python3-requests:requests
python3-jinja2:jinja2
python3-click:click
python3-setuptools:setuptools
python3-docutils:docutils
python3-babel:babel
python3-pygments:pygments
python3-networkx:networkx
python3-matplotlib:matplotlib
python3-botocore:botocore
python3-boto3:boto3
python3-openssl:OpenSSL
python3-cryptography:cryptography
python3-yaml:yaml
python3-jedi:jedi
python3-parso:parso
python3-lxml:lxml
python3-paramiko:paramiko
python3-werkzeug:werkzeug
python3-sphinx:sphinx
python3-astropy:astropy
"

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; }

SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive

missing=""
for entry in $PACKAGES; do
  pkg=${entry%%:*}
  installed "$pkg" || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
  echo "corpus: installing$missing"
  if ! $SUDO apt-get install -y -q --no-install-recommends $missing >/dev/null 2>&1; then
    $SUDO apt-get update -q >/dev/null 2>&1 || echo "corpus: apt-get update failed" >&2
    # all at once, and if that still fails one by one, so one bad name costs one package
    if ! $SUDO apt-get install -y -q --no-install-recommends $missing >/dev/null 2>&1; then
      for pkg in $missing; do
        $SUDO apt-get install -y -q --no-install-recommends "$pkg" >/dev/null 2>&1 \
          || echo "corpus: warning: cannot install $pkg; left out" >&2
      done
    fi
  fi
fi

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
  if ! installed "$pkg"; then continue; fi
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
  echo "corpus: only $n packages could be installed (at least $MIN_PACKAGES wanted)" >&2
  exit 1
fi
echo "corpus: $MANIFEST: the standard library ($stdlib) and $n packages"
