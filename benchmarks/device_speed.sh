#!/usr/bin/env bash
# CPU speed check on another (quiet) machine, pinned to 2 cores like the dev box:
# ours (1 and 2 threads) vs PyTorch eager when a Python with torch is found there.
# Needs a static NNBench compressed at .build-device/NNBench.xz:
#   swift build -c release --static-swift-stdlib --product NNBench --build-path .build-static
#   mkdir -p .build-device && strip -o .build-device/NNBench .build-static/release/NNBench
#   xz -f .build-device/NNBench
set -uo pipefail
cd "$(dirname "$0")/.."
OUT="${OUT:-/tmp/out}"; mkdir -p "$OUT"
EPOCHS="${1:-3}"
xz -dc .build-device/NNBench.xz > /tmp/NNBench && chmod +x /tmp/NNBench
lscpu | grep -E "Model name|^CPU\(s\)|Thread|MHz" | head -5
DATA=/usr/share/datasets/fashion-mnist
if [ ! -f "$DATA/train-images-idx3-ubyte.gz" ]; then
  DATA=/tmp/synth; /tmp/NNBench synth --data "$DATA"
fi
echo "data: $DATA"
for t in 1 2; do taskset -c 0,1 /tmp/NNBench speed --epochs "$EPOCHS" --threads "$t" --data "$DATA"; done
PY=""
for p in python3 /usr/bin/python3 /opt/conda/bin/python /usr/local/bin/python3 /root/*/bin/python3 /opt/*/bin/python3; do
  if command -v "$p" >/dev/null 2>&1 && "$p" -c "import torch" 2>/dev/null; then PY="$p"; break; fi
done
if [ -n "$PY" ]; then
  echo "torch via $PY"
  OMP_NUM_THREADS=2 taskset -c 0,1 "$PY" benchmarks/torch_speed.py --data "$DATA" --epochs "$EPOCHS"
else
  echo "no python with torch found"
fi
