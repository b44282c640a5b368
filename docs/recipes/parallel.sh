#!/usr/bin/env bash
# Index a manifest on many hosts with GNU parallel, then merge (docs/DISTRIBUTED.md).
#
# usage: parallel.sh MANIFEST OUT [LINES_PER_SHARD [SSHLOGINFILE]]
#   MANIFEST      one repository a line: `path [name [commit [root]]]` (paths valid on every host)
#   OUT           the merged index
#   LINES_PER_SHARD  repositories per job (default 50)
#   SSHLOGINFILE  GNU parallel's host list (default: this host only)
# Every host needs hgym-index at the same path ($HGYM_INDEX, default: bin/hgym-index
# beside this script's repository) and a shared working directory ($WORK, default
# OUT.shards), e.g. on NFS; without one, add --return/--cleanup to the parallel line.
set -eu
manifest=$1 out=$2 lines=${3:-50} hosts=${4:-}
here=$(cd "$(dirname "$0")/../.." && pwd)
hg=${HGYM_INDEX:-$here/bin/hgym-index}
work=${WORK:-$out.shards}
mkdir -p "$work"
grep -v '^[[:space:]]*\(#\|$\)' "$manifest" | split -l "$lines" -d -a 6 - "$work/shard."
if [ -n "$hosts" ]; then login=(--sshloginfile "$hosts"); else login=(--sshlogin :); fi
# one job per shard; --resume lets a rerun skip shards already written
ls "$work"/shard.?????? | parallel "${login[@]}" --halt now,fail=1 \
  "$hg" -q --resume --manifest {} -o {}.idx
"$hg" merge -q $(ls "$work"/shard.??????.idx | sort) -o "$out"
echo "parallel.sh: $(ls "$work"/shard.??????.idx | wc -l) shards merged into $out"
