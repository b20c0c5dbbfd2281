#!/usr/bin/env bash
# Seconds per epoch of the NN engine vs PyTorch eager (resident data), same machine, same run.
# Usage: benchmarks/speed.sh [epochs (2)] [threads for our engine (1)]
# Creates .venv-bench with the local torch wheel when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
EPOCHS="${1:-2}"
THREADS="${2:-1}"
BATCHES="16,32,64"

if [ ! -x .venv-bench/bin/python ]; then
  python3 -m venv .venv-bench
  .venv-bench/bin/pip install --quiet /opt/wheels/torch-*.whl numpy
fi

swift build -c release --product NNBench >/dev/null
OURS=$(.build/release/NNBench speed --json --epochs "$EPOCHS" --batches "$BATCHES" --threads "$THREADS")
TORCH=$(.venv-bench/bin/python benchmarks/torch_speed.py --epochs "$EPOCHS" --batches "$BATCHES")

.venv-bench/bin/python - "$OURS" "$TORCH" "$THREADS" <<'PY'
import json, os, sys
ours = {r["batch"]: r for r in map(json.loads, sys.argv[1].splitlines())}
torch = {r["batch"]: r for r in map(json.loads, sys.argv[2].splitlines())}
t = next(iter(torch.values()))
print(f"load average {os.getloadavg()[0]:.2f}; ours: {sys.argv[3]} thread(s); "
      f"PyTorch {t['torch']} eager, {t['threads']} threads; best epoch of each")
# PyTorch 2.13 eager, resident data, on a quiet 2-core box (shared/reference/RESULTS.md).
REF = {16: 2.90, 32: 1.61, 64: 0.74}
print(f"{'batch':>5}  {'ours s/epoch':>12}  {'ours cpu s':>10}  {'torch s/epoch':>13}  "
      f"{'speed-up':>8}  {'vs quiet ref':>12}")
for b in sorted(ours):
    o, p = ours[b]["best_s"], torch[b]["best_s"]
    ref = f"{REF[b] / o:>11.2f}x" if b in REF else f"{'-':>12}"
    print(f"{b:>5}  {o:>12.3f}  {ours[b]['cpu_s_per_epoch']:>10.3f}  {p:>13.3f}  "
          f"{p / o:>7.2f}x  {ref}")
PY
