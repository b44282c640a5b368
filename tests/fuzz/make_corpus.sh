#!/usr/bin/env bash
# Build index seeds from the analyzer's seeds (tests/fuzz/corpus_analyzer/): a
# few tiny repositories, indexed one by one and together; and tests/fuzz/synth_repo
# for fuzz_synth (its root relative, so its files are read back while fuzzing).  `make fuzz` writes
# them to build/fuzz/seed_index/ with the programs just built, so the seeds
# always have the current format; the copies in tests/fuzz/corpus_index/ are
# refreshed by hand after a format change (tests/fuzz/make_corpus.sh).
# Usage: tests/fuzz/make_corpus.sh [BIN_DIR [OUT_DIR]]
set -eu
cd "$(dirname "$0")/../.."
bin=${1:-bin}
src=tests/fuzz/corpus_analyzer
out=${2:-tests/fuzz/corpus_index}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/pkgrepo/pkg/sub" "$tmp/broken" "$tmp/flat"
cp "$src/classes.py" "$tmp/pkgrepo/pkg/__init__.py"
cp "$src/async_deco.py" "$tmp/pkgrepo/pkg/sibling.py"
cp "$src/misc.py" "$tmp/pkgrepo/pkg/sub/mod.py"
printf 'from .. import sibling\nfrom ..sibling import deco, forward\n\n\n@deco\ndef name():\n    return forward(1)\n\n\ndef other():\n    return name()\n' > "$tmp/pkgrepo/pkg/sub/__init__.py"
cp "$src/syntax_error.py" "$src/bom_crlf_latin1.py" "$src/python2.py" "$src/empty.py" "$tmp/broken/"
printf 'import helper\n\n\ndef main():\n    helper.run()\n' > "$tmp/flat/main.py"
printf 'def run():\n    return main()\n\n\nfrom main import main\n' > "$tmp/flat/helper.py"
rm -f "$out"/pkgrepo.idx "$out"/broken.idx "$out"/flat.idx "$out"/three.idx "$out"/synth.idx
for r in pkgrepo broken flat; do
  "$bin/hgym-index" -q "$tmp/$r" --name "fuzz/$r" -o "$out/$r.idx" || [ $? -eq 3 ]
done
"$bin/hgym-index" -q "$tmp/flat" "$tmp/broken" "$tmp/pkgrepo" -o "$out/three.idx" || [ $? -eq 3 ]
# for fuzz_synth: a repository whose files stay where its relative root says
# (the fuzzer runs from the top of the tree), pinned, with rows in every task
"$bin/hgym-index" -q tests/fuzz/synth_repo --root tests/fuzz/synth_repo --name fuzz/synth \
  --commit 0123456789abcdef0123456789abcdef01234567 -o "$out/synth.idx"
[ -n "${2:-}" ] || ls -l "$out"
