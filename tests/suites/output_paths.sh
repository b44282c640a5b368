#!/usr/bin/env bash
# Output paths (issue 14): what hgym-index writes, where, and what it never
# touches.  -o naming a device, FIFO, socket, directory or symbolic link is
# refused before any work (exit 2) and the node is left as it was; --report is
# written through (a FIFO works) and a report that cannot be written exits 4;
# OUT.parts/ must be hgym's (a marker file) and cleaning it removes only the
# files hgym wrote; a full disk leaves the old OUT byte for byte and exits 4;
# two runs with the same -o never mix (OUT.lock: the second refuses);
# --resume reuses a part only when the options, the root and prefix of its
# paths, and every file's size, mtime and ctime are those it was built from; a query on an index truncated in
# place while mapped exits 3 with a message, not SIGBUS (135).
#
# Device nodes (mknod) and a small tmpfs (mount) need root: without it those
# checks are skipped with a NOTE; the suite never points -o or --report at a
# device of the machine, only at nodes it makes in its temporary directory.
# Env: HGYM_BIN (bin), PYTHON (python3).
set -u
cd "$(dirname "$0")/../.." || exit 1
PYTHON=${PYTHON:-python3}
BIN=${HGYM_BIN:-bin}
tmp=$(mktemp -d)
mnt=
cleanup() {
  [ -n "$mnt" ] && umount "$mnt" 2> /dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); }
fail() { echo "output_paths: FAIL: $*"; failed=$((failed + 1)); }
note() { echo "output_paths: NOTE: $*"; }
root=0
[ "$(id -u)" = 0 ] && root=1

# expect WANT WHAT PROGRAM ARGS...: run $BIN/PROGRAM, stdout to $tmp/out, stderr to $tmp/err
expect() {
  local want=$1 what=$2 prog=$3 rc
  shift 3
  timeout 120 "$BIN/$prog" "$@" > "$tmp/out" 2> "$tmp/err" < /dev/null
  rc=$?
  if [ "$rc" -eq "$want" ]; then ok; else
    fail "$what: $prog $*: exit $rc, expected $want: $(head -c 300 "$tmp/err")"
  fi
}
stderr_is() { if [ "$(cat "$tmp/err")" = "$1" ]; then ok; else fail "$2: stderr is '$(head -c 300 "$tmp/err")', expected '$1'"; fi; }
stderr_has() { if grep -Eq -- "$1" "$tmp/err"; then ok; else fail "$2: stderr does not match /$1/: $(head -c 300 "$tmp/err")"; fi; }
# same_file A B WHAT: byte for byte
same_file() { if cmp -s "$1" "$2"; then ok; else fail "$3: $1 differs from $2"; fi; }
absent() { if [ ! -e "$1" ] && [ ! -L "$1" ]; then ok; else fail "$2: $1 exists"; fi; }
# repos_of IDX: the repository names of an index, sorted, one a line
repos_of() { "$BIN/hgym-query" -i "$1" repos | "$PYTHON" -c 'import json, sys; print("\n".join(sorted(json.loads(l)["repo"] for l in sys.stdin)))'; }

# Two small repositories and a bigger one (a few hundred KB of index).
A=$tmp/alpha
B=$tmp/beta
mkdir -p "$A/pkg" "$B"
printf 'def helper():\n    return 1\n\n\ndef main():\n    return helper()\n' > "$A/pkg/__init__.py"
printf 'class K:\n    def m(self):\n        return 2\n' > "$A/pkg/k.py"
printf 'def b():\n    pass\n' > "$B/b.py"
std=$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
BIG=$std/email
RACES=10
if [ "${VALGRIND:-}" = 1 ]; then # every run under valgrind: a smaller package, fewer races
  BIG=$std/json
  RACES=3
  echo "output_paths: reduced under valgrind: $BIG, $RACES races"
fi

# ---- -o that is not a regular file: refused before any work -------------------------
O=$tmp/o
mkdir -p "$O"
mkfifo "$O/fifo"
"$PYTHON" -c 'import socket, sys; s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$O/sock"
mkdir "$O/dir"
echo 'a regular file' > "$O/target"
ln -s target "$O/link"
kinds=("fifo:a FIFO" "sock:a socket" "dir:a directory" "link:a symbolic link")
if [ "$root" = 1 ]; then
  mknod "$O/full" c 1 7 # what /dev/full is, made here
  mknod "$O/null" c 1 3 # what /dev/null is, made here
  kinds=("full:a character device" "null:a character device" "${kinds[@]}")
else
  note "not root: no device nodes made; -o on a device is not checked"
fi
for k in "${kinds[@]}"; do
  name=${k%%:*}
  what=${k#*:}
  before=$(stat -c '%F %t %T %s %i' "$O/$name")
  expect 2 "-o $what" hgym-index -q "$A" -o "$O/$name"
  stderr_is "hgym-index: $O/$name is $what, not a regular file: an index is never written over it" "-o $what: the message"
  if [ "$(stat -c '%F %t %T %s %i' "$O/$name")" = "$before" ]; then ok; else fail "-o $what: $O/$name was changed"; fi
  absent "$O/$name.parts" "-o $what: nothing done"
  absent "$O/$name.lock" "-o $what: no lock taken"
  expect 2 "merge -o $what" hgym-index merge -q "$tmp/none.idx" -o "$O/$name"
done
same_file "$O/target" <(echo 'a regular file') "-o a symbolic link: its target is untouched"

# ---- --report: written through; a report that cannot be written exits 4 -------------
mkfifo "$tmp/report.fifo"
cat "$tmp/report.fifo" > "$tmp/report.read" &
reader=$!
expect 0 "--report to a FIFO" hgym-index -q "$A" "$B" --report "$tmp/report.fifo" -o "$tmp/r.idx"
wait "$reader"
if [ "$(grep -c '"record":"repository"' "$tmp/report.read")" -eq 2 ]; then ok; else
  fail "--report to a FIFO: the reader got $(wc -l < "$tmp/report.read") lines, not the two repositories"
fi
if [ -p "$tmp/report.fifo" ]; then ok; else fail "--report to a FIFO: the FIFO was replaced"; fi
if [ "$root" = 1 ]; then
  expect 4 "--report on a full device" hgym-index -q "$A" --report "$O/full" -o "$tmp/rf.idx"
  stderr_is "hgym-index: $O/full: cannot write the report: No space left on device" "--report on a full device: the message"
  expect 0 "--report on a full device: OUT is still written" hgym-query -i "$tmp/rf.idx" verify
  if [ -c "$O/full" ]; then ok; else fail "--report on a full device: the node was replaced"; fi
fi
# the same without root: a report FIFO whose reader has gone (EPIPE; hgym-index
# ignores SIGPIPE, so the run ends and says so)
mkfifo "$tmp/gone.fifo"
"$PYTHON" -c 'import sys; open(sys.argv[1], "rb").close()' "$tmp/gone.fifo" &
expect 4 "--report to a FIFO whose reader is gone" hgym-index -q -j 1 "$BIG" "$A" --report "$tmp/gone.fifo" -o "$tmp/rg.idx"
stderr_is "hgym-index: $tmp/gone.fifo: cannot write the report: Broken pipe" "--report reader gone: the message"
wait

# ---- OUT.parts/ must be hgym's -----------------------------------------------------------
P=$tmp/parts
mkdir -p "$P/precious"
for f in keep.txt 000001.idx notes.md; do echo "$f" > "$P/precious/$f"; done
ln -s precious "$P/x.idx.parts"
expect 2 "OUT.parts a symbolic link" hgym-index -q "$A" -o "$P/x.idx"
stderr_is "hgym-index: $P/x.idx.parts is a symbolic link, not hgym's parts directory: remove it or choose another -o" \
  "OUT.parts a symbolic link: the message"
expect 2 "OUT.parts a symbolic link, --resume" hgym-index -q "$A" --resume -o "$P/x.idx"
if [ "$(ls "$P/precious" | tr '\n' ' ')" = "000001.idx keep.txt notes.md " ]; then ok; else
  fail "OUT.parts a symbolic link: the directory it points to lost files: $(ls "$P/precious")"
fi
absent "$P/x.idx" "OUT.parts a symbolic link: no OUT"
rm "$P/x.idx.parts"
mkdir "$P/x.idx.parts"
cp "$P/precious/"* "$P/x.idx.parts/"
expect 2 "OUT.parts without the marker" hgym-index -q "$A" -o "$P/x.idx"
stderr_is "hgym-index: $P/x.idx.parts exists but is not hgym's parts directory (no .hgym-parts in it): remove it or choose another -o" \
  "OUT.parts without the marker: the message"
if [ "$(ls "$P/x.idx.parts" | tr '\n' ' ')" = "000001.idx keep.txt notes.md " ]; then ok; else
  fail "OUT.parts without the marker: files were deleted: $(ls "$P/x.idx.parts")"
fi
echo 'not a directory' > "$P/y.idx.parts"
expect 2 "OUT.parts a regular file" hgym-index -q "$A" -o "$P/y.idx"
# hgym's own parts directory, with a file someone added: only hgym's files go
rm -rf "$P/x.idx.parts"
expect 0 "--keep-parts" hgym-index -q "$A" "$B" --keep-parts -o "$P/x.idx"
if [ -f "$P/x.idx.parts/.hgym-parts" ] && [ -f "$P/x.idx.parts/000000.idx" ] && [ -f "$P/x.idx.parts/000001.idx" ]; then ok; else
  fail "--keep-parts: the parts and the marker should stay: $(ls -A "$P/x.idx.parts" 2>&1)"
fi
echo 'mine' > "$P/x.idx.parts/mine.txt"
echo 'stale' > "$P/x.idx.parts/000007.idx.tmp.99999999"
expect 0 "a run over hgym's parts directory" hgym-index -q "$A" "$B" -o "$P/x.idx"
if [ "$(ls -A "$P/x.idx.parts" | tr '\n' ' ')" = "mine.txt " ]; then ok; else
  fail "cleanup: only hgym's files may go, mine.txt must stay: $(ls -A "$P/x.idx.parts")"
fi
# an empty directory holds nothing to lose: it is taken (and removed at the end)
rm "$P/x.idx.parts/mine.txt"
expect 0 "an empty OUT.parts is taken" hgym-index -q "$A" "$B" -o "$P/x.idx"
absent "$P/x.idx.parts" "a run removes its parts directory"
absent "$P/x.idx.lock" "a run removes its lock"

# ---- a full disk: the old OUT stays, exit 4 ------------------------------------------------
# RLIMIT_FSIZE (any user): the part of the big repository is past the limit.
D=$tmp/disk
mkdir -p "$D"
expect 0 "full disk: the old index" hgym-index -q "$A" -o "$D/x.idx"
cp "$D/x.idx" "$tmp/old.idx"
"$BIN/hgym-index" -q "$BIG" -o "$tmp/big.idx" || fail "indexing $BIG failed"
size=$(stat -c %s "$tmp/big.idx") # the limits below are taken from it: half for a part, 300 KB or half for tmpfs
(ulimit -f $((size / 2048)) && exec "$BIN/hgym-index" -q "$BIG" "$B" -o "$D/x.idx") > /dev/null 2> "$tmp/err"
rc=$?
if [ "$rc" -eq 4 ]; then ok; else fail "RLIMIT_FSIZE: exit $rc, expected 4: $(head -c 300 "$tmp/err")"; fi
stderr_has "^hgym-index: $D/x.idx.parts/000000.idx: File too large; $D/x.idx is left as it was$" "RLIMIT_FSIZE: the message"
same_file "$D/x.idx" "$tmp/old.idx" "RLIMIT_FSIZE: the old index"
# the merge past the limit: the parts fit, OUT does not
(ulimit -f $((size / 1024 - 1)) && exec "$BIN/hgym-index" merge -q "$tmp/big.idx" "$tmp/old.idx" -o "$D/x.idx") > /dev/null 2> "$tmp/err"
rc=$?
if [ "$rc" -eq 4 ]; then ok; else fail "merge past RLIMIT_FSIZE: exit $rc, expected 4: $(head -c 300 "$tmp/err")"; fi
same_file "$D/x.idx" "$tmp/old.idx" "merge past RLIMIT_FSIZE: the old index"
ls "$D" | grep -q '\.tmp\.' && fail "merge past RLIMIT_FSIZE: a temporary file is left: $(ls "$D")" || ok
if [ "$root" = 1 ]; then
  # a real full file system: a small tmpfs holding the old index, room for half the big part
  mnt=$tmp/mnt
  mkdir -p "$mnt"
  fs_kb=$((size / 2048 < 300 ? size / 2048 : 300))
  if mount -t tmpfs -o size=${fs_kb}k tmpfs "$mnt" 2> "$tmp/err"; then
    cp "$tmp/old.idx" "$mnt/x.idx"
    expect 4 "tmpfs full while a part is written" hgym-index -q "$BIG" "$B" -o "$mnt/x.idx"
    stderr_has "^hgym-index: $mnt/x.idx.parts/00000[01].idx: No space left on device; $mnt/x.idx is left as it was$" \
      "tmpfs full (part): the message"
    same_file "$mnt/x.idx" "$tmp/old.idx" "tmpfs full (part): the old index"
    rm -rf "$mnt/x.idx.parts"
    expect 4 "tmpfs full while OUT is written (merge)" hgym-index merge -q "$tmp/big.idx" "$tmp/old.idx" -o "$mnt/x.idx"
    stderr_has "^hgym-index: merge: $mnt/x.idx: No space left on device$" "tmpfs full (merge): the message"
    same_file "$mnt/x.idx" "$tmp/old.idx" "tmpfs full (merge): the old index"
    umount "$mnt" && mnt=
  else
    note "cannot mount a tmpfs ($(head -c 200 "$tmp/err")): the full file system is not checked"
  fi
else
  note "not root: no tmpfs; the full disk is checked with RLIMIT_FSIZE only"
fi

# ---- two runs with the same -o: never a mix ----------------------------------------------
L=$tmp/lock
mkdir -p "$L"
# held by someone else: refused at once, nothing touched
: > "$L/x.idx.lock"
flock "$L/x.idx.lock" "$BIN/hgym-index" -q "$A" -o "$L/x.idx" > /dev/null 2> "$tmp/err" < /dev/null
rc=$?
if [ "$rc" -eq 2 ]; then ok; else fail "OUT.lock held: exit $rc, expected 2: $(head -c 300 "$tmp/err")"; fi
stderr_is "hgym-index: another hgym-index is writing $L/x.idx (it holds $L/x.idx.lock): not started" "OUT.lock held: the message"
absent "$L/x.idx" "OUT.lock held: no OUT"
absent "$L/x.idx.parts" "OUT.lock held: no parts"
ln -sf "$tmp/elsewhere" "$L/y.idx.lock"
expect 2 "OUT.lock a symbolic link" hgym-index -q "$A" -o "$L/y.idx"
absent "$tmp/elsewhere" "OUT.lock a symbolic link: nothing created through it"
# races of two runs (different repositories, same -o): OUT holds the
# repositories of one run, whole, and the loser says so (exit 2)
mixed=0
for i in $(seq 1 "$RACES"); do
  rm -rf "$L/r.idx" "$L/r.idx.parts"
  "$BIN/hgym-index" -q "$BIG" "$A" -o "$L/r.idx" 2> "$tmp/e1" &
  p1=$!
  "$BIN/hgym-index" -q "$B" "$std/json" -o "$L/r.idx" 2> "$tmp/e2" &
  p2=$!
  wait "$p1"
  r1=$?
  wait "$p2"
  r2=$?
  got=$(repos_of "$L/r.idx" | tr '\n' ' ')
  case "$r1.$r2:$got" in
  "0.2:alpha ${BIG##*/} " | "2.0:beta json " | "0.0:alpha ${BIG##*/} " | "0.0:beta json ") ;;
  *)
    mixed=$((mixed + 1))
    fail "race $i: exits $r1 and $r2, OUT holds '$got': $(cat "$tmp/e1" "$tmp/e2" | head -c 300)"
    ;;
  esac
  "$BIN/hgym-query" -i "$L/r.idx" verify > /dev/null || fail "race $i: OUT does not verify"
done
[ "$mixed" -eq 0 ] && ok

# ---- --resume reuses a part only when options and sources are unchanged ------------
R=$tmp/resume
mkdir -p "$R"
cp -r "$A" "$R/alpha"
cp -r "$B" "$R/beta"
"$PYTHON" -c 'import sys; open(sys.argv[1], "w").write("def big():\n    return 1\n" + "#" * 2000 + "\n")' "$R/beta/big.py"
# statuses REPORT: the report's statuses in list order
statuses() { "$PYTHON" -c 'import json, sys
rs = sorted((r["index"], r["status"]) for r in map(json.loads, open(sys.argv[1])) if r["record"] == "repository")
print(" ".join(s for _, s in rs))' "$1"; }
# resume_case WHAT WANT_STATUSES [OPTIONS...]: run --resume over the parts kept in
# $R/x.idx.parts, then compare with a fresh run with the same options
resume_case() {
  local what=$1 want=$2
  shift 2
  rm -f "$R/x.idx"
  expect 0 "$what: --resume" hgym-index -q "$R/alpha" "$R/beta" --resume --keep-parts --report "$tmp/resume.jsonl" "$@" -o "$R/x.idx"
  local got
  got=$(statuses "$tmp/resume.jsonl")
  if [ "$got" = "$want" ]; then ok; else fail "$what: the report says '$got', expected '$want'"; fi
  rm -rf "$R/fresh.idx"
  "$BIN/hgym-index" -q "$R/alpha" "$R/beta" "$@" -o "$R/fresh.idx" 2> "$tmp/err" || fail "$what: the fresh run failed"
  same_file "$R/x.idx" "$R/fresh.idx" "$what: the resumed index equals a fresh run's"
}
expect 0 "resume: parts built with --max-file-size 1K" hgym-index -q "$R/alpha" "$R/beta" --max-file-size 1K --keep-parts -o "$R/x.idx"
resume_case "resume after --max-file-size 1K, now the default" "indexed indexed"
resume_case "resume, nothing changed" "resumed resumed"
resume_case "resume with --max-files 1" "indexed indexed" --max-files 1
resume_case "resume, back to the default" "indexed indexed"
# the same size and mtime, other bytes: only the ctime tells
m=$(stat -c %y "$R/alpha/pkg/k.py")
sed -i 's/return 2/return 3/' "$R/alpha/pkg/k.py"
touch -d "$m" "$R/alpha/pkg/k.py"
resume_case "resume after a file changed in place (same size and mtime)" "indexed resumed"
echo 'def added(): pass' > "$R/beta/added.py"
resume_case "resume after a file was added" "resumed indexed"
rm "$R/beta/added.py"
resume_case "resume after a file was removed" "resumed indexed"
# a part whose .src is missing (a run killed between the two) is rebuilt
rm "$R/x.idx.parts/000000.src"
resume_case "resume without the part's .src" "indexed resumed"
# a directory indexed under a root (--root: its paths are prefixed) and then
# moved within that root holds the same files with the same stat, but its paths
# change: its part is rebuilt, not merged with the old prefix
mkdir -p "$R/root/a/pkg"
printf 'def moved():\n    return 1\n' > "$R/root/a/pkg/m.py"
expect 0 "resume: a part built under --root" hgym-index -q "$R/root/a" --root "$R/root" --name t/moved --keep-parts -o "$R/y.idx"
mv "$R/root/a" "$R/root/b"
expect 0 "resume after the directory moved within its root: --resume" hgym-index -q "$R/root/b" --root "$R/root" \
  --name t/moved --resume --report "$tmp/resume.jsonl" -o "$R/y.idx"
got=$(statuses "$tmp/resume.jsonl")
if [ "$got" = indexed ]; then ok; else fail "resume after the directory moved within its root: the report says '$got', expected 'indexed'"; fi
got=$("$BIN/hgym-query" -i "$R/y.idx" files | "$PYTHON" -c 'import json, sys; print(" ".join(json.loads(l)["path"] for l in sys.stdin))')
if [ "$got" = b/pkg/m.py ]; then ok; else fail "resume after the directory moved within its root: the paths are '$got', expected 'b/pkg/m.py'"; fi
"$BIN/hgym-index" -q "$R/root/b" --root "$R/root" --name t/moved -o "$R/fresh.idx" 2> "$tmp/err" || fail "the fresh run of the moved directory failed"
same_file "$R/y.idx" "$R/fresh.idx" "resume after the directory moved within its root: the resumed index equals a fresh run's"

# ---- an index truncated in place while a query reads it ---------------------------------
# The query writes into a FIFO the suite reads: once the first bytes are read
# the query holds the index mapped and is blocked on the full pipe; then the
# file is truncated to 4096 bytes in place, and the rest of the output read.
Q=$tmp/bus
mkdir -p "$Q"
BUS=$std/email # an export of more than a pipe holds, also under valgrind
"$BIN/hgym-index" -q "$BUS" -o "$Q/x.idx" || fail "indexing $BUS failed"
mkfifo "$Q/out.fifo"
("$BIN/hgym-query" -i "$Q/x.idx" export > "$Q/out.fifo" 2> "$Q/err"; echo $? > "$Q/rc") &
exec 3< "$Q/out.fifo"
head -c 100 <&3 > /dev/null
truncate -s 4096 "$Q/x.idx"
cat <&3 > "$Q/rest"
exec 3<&-
wait
rc=$(cat "$Q/rc")
if [ "$rc" -eq 3 ]; then ok; else fail "index truncated while mapped: exit $rc, expected 3 (135 is SIGBUS): $(head -c 300 "$Q/err")"; fi
want="hgym-query: $Q/x.idx: the index file shrank while it was read (truncated in place: bytes past 4096 are gone); rebuild it, and never rewrite an index in place"
if [ "$(cat "$Q/err")" = "$want" ]; then ok; else fail "index truncated while mapped: stderr '$(head -c 300 "$Q/err")', expected '$want'"; fi
# what was printed is whole lines of the good export (nothing read from the zeros)
"$BIN/hgym-index" -q "$BUS" -o "$Q/good.idx" && "$BIN/hgym-query" -i "$Q/good.idx" export > "$Q/good.export"
"$PYTHON" - "$Q/good.export" "$Q/rest" << 'EOF' && ok || fail "index truncated while mapped: the lines printed are not those of the good export"
import sys
good = open(sys.argv[1], "rb").read()
rest = open(sys.argv[2], "rb").read()
# the first 100 bytes were read off before: the rest is the good export from byte 100, cut at a line end
assert good[100:100 + len(rest)] == rest, "differs"
assert not rest or rest.endswith(b"\n"), "a partial line"
EOF

echo "output_paths: [${SECONDS}s] $passed passed, $failed failed"
[ "$failed" -eq 0 ]
