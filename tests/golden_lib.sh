# golden_lib.sh: what the golden drivers (tests/suites/golden.sh, golden_deps.sh,
# golden_synth.sh) share; sourced by them, from the top of the tree.
#
# golden_init NAME DIR HELP_END TOOL... -- ARG...
#   parses the driver's arguments (--update; --help prints lines 2..HELP_END
#   of the driver's header; CASE..., a case being a directory under DIR with
#   DIR/ optional), lists every DIR/*/repo case when none is given, checks
#   that each TOOL is built in $BIN, and sets update, cases, $tmp (removed at
#   exit), failed, checked, updated and failed_cases.
# fail MESSAGE: count a failure and print it as "NAME: FAIL: MESSAGE".
# compare CASE WHAT GOT EXPECTED [DIFF...]: GOT must equal EXPECTED (under
#   --update it is copied there); on a difference, DIFF EXPECTED GOT shows it
#   (default diff -u).  Returns 1 on a failure.

golden_init() {
  G_NAME=$1 G_DIR=$2
  local help_end=$3 a d t
  shift 3
  local tools=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do
    tools+=("$1")
    shift
  done
  [ $# -gt 0 ] && shift
  update=0
  cases=()
  for a in "$@"; do
    case $a in
    --update) update=1 ;;
    -h | --help) sed -n "2,${help_end}p" "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "$G_NAME: unknown option $a" >&2; exit 2 ;;
    *) a=${a%/}; cases+=("${a#"$G_DIR"/}") ;;
    esac
  done
  if [ ${#cases[@]} -eq 0 ]; then
    for d in "$G_DIR"/*/repo; do
      d=${d%/repo}
      cases+=("${d#"$G_DIR"/}")
    done
  fi
  for t in ${tools[@]+"${tools[@]}"}; do
    [ -x "$BIN/$t" ] || { echo "$G_NAME: FAIL: $BIN/$t is not built (run make)"; exit 1; }
  done
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  failed=0
  checked=0
  updated=0
  failed_cases=()
}

fail() { echo "$G_NAME: FAIL: $*"; failed=$((failed + 1)); }

compare() {
  local c=$1 what=$2 got=$3 want=$4
  shift 4
  if [ "$update" = 1 ]; then
    if ! cmp -s "$got" "$want"; then
      mkdir -p "$(dirname "$want")"
      cp "$got" "$want"
      echo "$G_NAME: updated $want"
      updated=$((updated + 1))
    fi
  elif [ ! -e "$want" ]; then
    fail "$c: $want is missing (write it with: $0 --update $c)"
    return 1
  elif ! cmp -s "$want" "$got"; then
    fail "$c: $what differs from $want:"
    if [ $# -gt 0 ]; then "$@" "$want" "$got"; else diff -u "$want" "$got"; fi
    return 1
  else
    checked=$((checked + 1))
  fi
  return 0
}
