#!/usr/bin/env bash
# Benchmark: check (lex + parse + semantic check) a generated 10,000-line script with the release
# binary, through the product's own `--check` path, and print the time next to the 1 s budget.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_swift
swift build -c release --product kernel 2>&1 | tail -n 1
bin="$(swift build -c release --show-bin-path)/kernel"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp/big.nb" <<'PY'
import sys
lines = ["load fashion", "model 784-256-relu-128-tanh-10", "set epochs=10 seed=0 device=auto  # defaults",
         "train batch=32 lr=1e-3 opt=adam as baseline"]
i = 0
while len(lines) < 10_000:
    i += 1
    k = i % 8
    if k == 0: lines.append(f"train batch={16 << (i % 3)} lr=1e-3 opt=adam zero_grad=on as r{i}")
    elif k == 1: lines.append(f"sweep lr=0.1,0.01,1e-3 batch=32 as s{i}")
    elif k == 2: lines.append("plot grad_sq baseline layer=1 per=step log=on")
    elif k == 3: lines.append('print "run baseline: ünïcode ✓" baseline.test_acc; get epochs')
    elif k == 4: lines.append("compare baseline s1_lr0p1 baseline=baseline")
    elif k == 5: lines.append("# %% a cell separator" if i % 40 == 5 else "# a comment with ∂E/∂s")
    elif k == 6: lines.append("show baseline; runs; eval baseline on=test")
    else: lines.append(f'export baseline file="r{i}.csv"')
open(sys.argv[1], "w").write("\n".join(lines) + "\n")
PY
echo "script: $(wc -l < "$tmp/big.nb") lines, $(wc -c < "$tmp/big.nb") bytes"
for n in 1 2 3; do
  start=$(date +%s.%N)
  "$bin" --script "$tmp/big.nb" --check > /dev/null
  end=$(date +%s.%N)
  python3 -c "print(f'run $n: {($end - $start):.3f} s for 10,000 lines (budget: well under 1 s; includes process start)')"
done
