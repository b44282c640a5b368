#!/usr/bin/env bash
# The GNU parallel recipe of docs/DISTRIBUTED.md over ssh (issue 17): the page's
# command, with a host file that reaches this host through a real sshd.  Run by
# `make test-slurm` (which installs OpenSSH with `make deps-slurm`), not by
# `make test`; needs root.
#
# The suite starts sshd (Debian's openssh-server) in a temporary directory and
# stops it by its pid whatever happens (tests/cluster/lib.sh): a host key and a
# client key made for the run, a free port of 127.0.0.1, public keys only, no
# PAM.  The client reads its own ssh_config (-F): the port, the key, and a
# known_hosts file holding the host key, checked strictly.  The host file has
# one line in GNU parallel's syntax: `2/ssh -F CONFIG hgym-localhost`.
#   1. the page's command (read from the page; only the /shared and /opt paths
#      and the shard size, 50 -> 3, replaced) over 10 standard-library packages:
#      exit 0, every shard's job logged in by sshd, and the merged index has the
#      bytes of one `hgym-index --manifest` run;
#   2. with sshd stopped, the same command fails and writes no index: the jobs
#      went through ssh, not around it.
# When sshd cannot start, the suite says why and fails.
#
# Env: HGYM_BIN (bin), PYTHON (python3), HGYM_KEEP_TMP=1 keeps the directory.
set -u
cd "$(dirname "$0")/../.." || exit 1
ROOT=$PWD
NAME=parallel_ssh
PYTHON=${PYTHON:-python3}
# shellcheck source=tests/cluster/lib.sh
. tests/cluster/lib.sh

BIN=$(cd "${HGYM_BIN:-bin}" 2> /dev/null && pwd) && [ -x "$BIN/hgym-index" ] \
  || die "no ${HGYM_BIN:-bin}/hgym-index: build first (make test-slurm does)"
./deps.sh check test slurm || die "GNU parallel or OpenSSH is missing: run \`make deps\` and \`make deps-slurm\`"
[ "$(id -u)" = 0 ] || die "cannot start sshd: not root"
std=$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])') \
  || die "$PYTHON cannot name its standard library"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/hgym-ssh.XXXXXX") || die "mktemp failed"
cluster_init

# ---- the command of the page -----------------------------------------------------------
BLOCK=$(doc_block "GNU parallel (Debian \`parallel\`)" 1)
BLOCK=$(replace "$BLOCK" "/shared/hgym-run" '$PWD/work' 1) \
  && BLOCK=$(replace "$BLOCK" "/opt/hgym/bin/hgym-index" "$BIN/hgym-index" 1) \
  && BLOCK=$(replace "$BLOCK" "/shared/corpus.idx" '$PWD/all.idx' 1) \
  && BLOCK=$(replace "$BLOCK" " 50 hosts.txt" " 3 hosts.txt" 1) \
  || die "the page's GNU parallel command changed shape: update this suite with it"
echo "$NAME: the page's command, as run (in each case's directory):"
printf '%s\n' "$BLOCK" | sed 's/^/    /'

# ---- sshd ----------------------------------------------------------------------------------
t_start=$SECONDS
S=$TMP/ssh
mkdir -p "$S" && chmod 700 "$S"
ssh-keygen -q -t ed25519 -N '' -C hgym-test-host -f "$S/host_ed25519" > "$TMP/keygen.log" 2>&1 \
  && ssh-keygen -q -t ed25519 -N '' -C hgym-test-client -f "$S/client_ed25519" >> "$TMP/keygen.log" 2>&1 \
  || die "cannot start sshd: no key could be made (ssh-keygen): $(cat "$TMP/keygen.log")"
cp "$S/client_ed25519.pub" "$S/authorized_keys"
read -r port <<< "$(free_ports 1)"
[ -n "${port:-}" ] || die "cannot start sshd: no free TCP port on 127.0.0.1"
cat > "$S/sshd_config" << EOF
# written by tests/cluster/parallel_ssh.sh
ListenAddress 127.0.0.1
Port $port
HostKey $S/host_ed25519
PidFile $S/sshd.pid
AuthorizedKeysFile $S/authorized_keys
AuthenticationMethods publickey
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
AllowUsers root
X11Forwarding no
AllowTcpForwarding no
EOF
cat > "$S/ssh_config" << EOF
# written by tests/cluster/parallel_ssh.sh
Host hgym-localhost
  HostName 127.0.0.1
  Port $port
  User root
  IdentityFile $S/client_ed25519
  IdentitiesOnly yes
  UserKnownHostsFile $S/known_hosts
  StrictHostKeyChecking yes
  BatchMode yes
  ConnectTimeout 10
EOF
echo "[127.0.0.1]:$port $(cut -d ' ' -f 1,2 "$S/host_ed25519.pub")" > "$S/known_hosts"
# sshd's privilege separation directory, which Debian's service creates at boot
if [ ! -d /run/sshd ]; then
  mkdir -p /run/sshd && chmod 755 /run/sshd || die "cannot start sshd: cannot create /run/sshd"
fi
/usr/sbin/sshd -t -f "$S/sshd_config" > "$TMP/sshd-t.log" 2>&1 \
  || die "cannot start sshd: its configuration is refused (sshd -t): $(cat "$TMP/sshd-t.log")"
cd "$TMP" || die "cannot enter $TMP"
start_daemon sshd "$TMP/sshd.log" /usr/sbin/sshd -D -e -f "$S/sshd_config"
sshd_pid=${daemon_pids[-1]}
login() { alive "$sshd_pid" && timeout 15 ssh -F "$S/ssh_config" hgym-localhost true 2> "$TMP/ssh.err"; }
if ! wait_until 15 login; then
  why="no login in 15 s"
  grep -q -i 'address already in use' "$TMP/sshd.log" && why="port $port is taken"
  alive "$sshd_pid" || why="$why; sshd exited"
  die "cannot start sshd: $why
--- sshd: $(tail -n 8 "$TMP/sshd.log")
--- ssh: $(tail -n 4 "$TMP/ssh.err")"
fi
echo "$NAME: sshd up in $((SECONDS - t_start)) s on 127.0.0.1:$port"
echo "2/ssh -F $S/ssh_config hgym-localhost" > "$TMP/hosts.txt"
export PARALLEL_HOME=$TMP/parallel-home # GNU parallel's own files, out of root's home

# ---- 1. the page's command over ssh ---------------------------------------------------------
pkgs="email json importlib xml logging concurrent urllib http asyncio unittest"
for p in $pkgs; do [ -d "$std/$p" ] || die "the standard library at $std has no package $p"; done
{
  echo "# 10 packages of the standard library, 3 a shard"
  for p in $pkgs; do echo "$std/$p std/$p"; done
} > "$TMP/corpus.manifest"
"$BIN/hgym-index" -q --manifest "$TMP/corpus.manifest" -o "$TMP/one.idx" 2> "$TMP/one.err" \
  || die "the one-run index failed: $(cat "$TMP/one.err")"
# case DIR: the page's command in DIR (with the manifest and host file); its exit code
run_case() {
  mkdir -p "$1" && cp "$TMP/corpus.manifest" "$TMP/hosts.txt" "$1/" && ln -sfn "$ROOT/docs" "$1/docs"
  (cd "$1" && timeout 120 bash -eu -c "$BLOCK") > "$1/out.log" 2>&1
}
t0=$SECONDS
logins0=$(grep -c '^Accepted publickey for root from 127.0.0.1' "$TMP/sshd.log")
d=$TMP/over-ssh
run_case "$d"
check "over ssh: the page's command exits 0" "0" "$?"
check "over ssh: what the recipe prints" "parallel.sh: 4 shards merged into $d/all.idx" "$(cat "$d/out.log")"
logins=$(($(grep -c '^Accepted publickey for root from 127.0.0.1' "$TMP/sshd.log") - logins0))
if [ "$logins" -ge 4 ]; then
  pass "over ssh: sshd logged $logins logins for the 4 shards' jobs"
else
  fail "over ssh: sshd logged $logins logins for 4 shards' jobs"
fi
if cmp -s "$TMP/one.idx" "$d/all.idx"; then
  pass "over ssh: the merged index has the bytes of the one-run index"
else
  fail "over ssh: the merged index differs from the one-run index ($(cmp "$TMP/one.idx" "$d/all.idx" 2>&1))"
fi
echo "$NAME: over ssh: $((SECONDS - t0)) s"

# ---- 2. sshd stopped: the same command fails ---------------------------------------------------
kill -TERM "$sshd_pid"
sshd_gone() { ! alive "$sshd_pid"; }
wait_until 15 sshd_gone || die "sshd (pid $sshd_pid) did not stop on TERM"
d=$TMP/no-sshd
run_case "$d"
rc=$?
if [ "$rc" != 0 ]; then pass "sshd stopped: the page's command fails (exit $rc)"; else fail "sshd stopped: the page's command exits 0"; fi
check "sshd stopped: no merged index, no shard index" "" "$(ls "$d/all.idx" "$d"/work/shard.*.idx 2> /dev/null)"

cluster_summary
