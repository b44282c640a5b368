#!/usr/bin/env bash
# deps.sh: the one place that installs what hgym needs, by group.
#
#   deps.sh install GROUP...   install the missing Debian packages of each group
#                              (apt-get; `apt-get update` only when an install
#                              fails; sudo when not root)
#   deps.sh check GROUP...     exit 1, naming the packages and the make target
#                              that installs them, when any is missing
#   deps.sh list GROUP         print the group's packages, one a line
#
# Groups, and the make target that installs each:
#   build   compilers' libraries: what `make` needs            (make deps)
#   test    what the suites read or run: Debian's python3-*     (make deps)
#           packages of the checks, GNU parallel, git
#   fuzz    clang and its libFuzzer runtime                     (make deps-fuzz)
#   bench   the benchmark corpus (benchmarks/corpus.sh)         (make deps-bench)
#   slurm   Slurm, munge and OpenSSH: the one-node cluster and   (make deps-slurm)
#           the sshd on localhost of make test-slurm (tests/cluster/)
#
# Only `make deps` (and `make run`, `make test`, which call it) and the
# deps-* targets install anything; every other target and every suite calls
# `deps.sh check` and stops with a message naming the target to run.
set -eu

group_packages() {
  case $1 in
    build) echo "libtree-sitter-dev libjudy-dev libcjson-dev libcmocka-dev pkg-config" ;;
    test) echo "python3-flask python3-requests python3-jinja2 python3-click parallel git" ;;
    fuzz)
      local v
      v=$(clang --version 2>/dev/null | sed -n 's/.*clang version \([0-9]*\).*/\1/p' | head -n 1)
      if [ -n "$v" ]; then echo "clang libclang-rt-$v-dev"; else echo "clang"; fi
      ;;
    bench) sed -n 's/^\(python3-[a-z0-9.-]*\):.*/\1/p' "$(dirname "$0")/benchmarks/corpus_packages.txt" ;;
    slurm) echo "slurm-wlm munge openssh-server openssh-client" ;;
    *) echo "deps.sh: unknown group '$1' (build, test, fuzz, bench, slurm)" >&2; exit 2 ;;
  esac
}

group_target() {
  case $1 in build | test) echo "make deps" ;; *) echo "make deps-$1" ;; esac
}

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; }

missing_of() {
  local out="" p
  for p in $(group_packages "$1"); do installed "$p" || out="$out $p"; done
  echo "$out"
}

apt_install() { # PACKAGES...: all at once; after an update, one by one, so one bad name costs one package
  local SUDO=
  [ "$(id -u)" = 0 ] || SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get install -y -q --no-install-recommends "$@" >/dev/null 2>&1 && return 0
  $SUDO apt-get update -q >/dev/null 2>&1 || echo "deps: apt-get update failed" >&2
  $SUDO apt-get install -y -q --no-install-recommends "$@" >/dev/null 2>&1 && return 0
  local p rc=0
  for p in "$@"; do
    $SUDO apt-get install -y -q --no-install-recommends "$p" >/dev/null 2>&1 || { echo "deps: cannot install $p" >&2; rc=1; }
  done
  return $rc
}

cmd=${1:-}
[ $# -ge 2 ] || { sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
shift
case $cmd in
  install)
    failed=""
    for g in "$@"; do
      group_packages "$g" > /dev/null # an unknown group stops here (exit 2)
      # fuzz: the runtime's name holds clang's version, known once clang is there
      for pass in 1 2; do
        m=$(missing_of "$g")
        [ -n "$m" ] || break
        [ $pass = 1 ] || [ "$g" = fuzz ] || break
        echo "deps: installing$m"
        # shellcheck disable=SC2086
        apt_install $m || true
      done
      # the bench corpus may lack a package on some mirror: corpus.sh decides
      # whether enough are there
      [ "$g" = bench ] || [ -z "$(missing_of "$g")" ] || failed="$failed$(missing_of "$g")"
    done
    [ -z "$failed" ] || { echo "deps: could not install:$failed" >&2; exit 1; }
    ;;
  check)
    for g in "$@"; do
      group_packages "$g" > /dev/null
      m=$(missing_of "$g")
      if [ -n "$m" ]; then
        echo "hgym: missing Debian packages:$m; run \`$(group_target "$g")\` to install them" >&2
        exit 1
      fi
    done
    ;;
  list) group_packages "$1" | tr ' ' '\n' ;;
  *) echo "deps.sh: unknown command '$cmd' (install, check, list)" >&2; exit 2 ;;
esac
