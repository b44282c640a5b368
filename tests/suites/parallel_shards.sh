#!/usr/bin/env bash
# The distributed recipes of docs/DISTRIBUTED.md, run on this host: the GNU
# parallel script (--sshlogin : is this host; a cluster gives --sshloginfile)
# and the Slurm job-array scripts (each array task run here with the
# SLURM_ARRAY_TASK_ID Slurm would give it).  Merged shards must have the bytes
# of a one-run index.
set -eu
PYTHON=${PYTHON:-python3}
./deps.sh check test
std=$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
hg=$(cd "${HGYM_BIN:-bin}" && pwd)/hgym-index
{ echo "# a comment and a blank line, as manifests may have"; echo; \
  for p in email json importlib xml logging concurrent urllib http; do echo "$std/$p std/$p"; done; } > "$tmp/manifest.txt"
"$hg" -q --manifest "$tmp/manifest.txt" -o "$tmp/one.idx"

bash docs/recipes/parallel.sh "$tmp/manifest.txt" "$tmp/parallel.idx" 3 >/dev/null
cmp "$tmp/one.idx" "$tmp/parallel.idx"
echo "parallel_shards: GNU parallel recipe: identical to the one-run index"

for task in 0 1 2; do
  SLURM_ARRAY_TASK_ID=$task MANIFEST="$tmp/manifest.txt" WORK="$tmp/slurm" LINES=3 HGYM_INDEX="$hg" \
    bash docs/recipes/slurm_index.sbatch
done
WORK="$tmp/slurm" OUT="$tmp/slurm.idx" HGYM_INDEX="$hg" bash docs/recipes/slurm_merge.sbatch
cmp "$tmp/one.idx" "$tmp/slurm.idx"
echo "parallel_shards: Slurm array recipe: identical to the one-run index"
echo "parallel_shards: 2 passed, 0 failed"
