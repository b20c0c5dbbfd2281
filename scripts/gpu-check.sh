#!/usr/bin/env bash
# The CUDA backend's device check, in two halves.
#
#   scripts/gpu-check.sh stage    (here, no GPU needed) builds NNBench as a static release binary
#                                 (no libzmq: NNBench links only NN), strips and xz-compresses it,
#                                 and stages it with the Fashion-MNIST .gz files in .gpu-stage/
#   scripts/gpu-check.sh device   (on the GPU machine) unpacks the binary and runs, in one go:
#                                 `NNBench gpu-check` (probe, CPU-vs-GPU parity, GPU timing, the
#                                 study on the GPU), PyTorch eager and CUDA-graph step timing on the
#                                 same GPU, then prints one summary table. Logs go to $OUT.
#
# The `run` call for the device half is documented in docs/gpu.md.
set -uo pipefail
cd "$(dirname "$0")/.."
STAGE="${GPU_STAGE:-.gpu-stage}"
LIMIT_MIB=60

stage() {
  set -e
  echo "==> swift build -c release --static-swift-stdlib --product NNBench"
  swift build -c release --static-swift-stdlib --product NNBench 2>&1 | grep -vE 'prohibited flag' | tail -n 3
  local bin
  bin="$(swift build -c release --static-swift-stdlib --show-bin-path)/NNBench"
  rm -rf "$STAGE" && mkdir -p "$STAGE/data"
  cp "$bin" "$STAGE/NNBench"
  strip "$STAGE/NNBench" 2>/dev/null || true
  xz -T0 -6 -f "$STAGE/NNBench"
  local dir=""
  for d in "${FASHION_MNIST_DIR:-}" "${XDG_CACHE_HOME:-$HOME/.cache}/nn-dsl/fashion-mnist" \
           /usr/share/datasets/fashion-mnist; do
    if [ -n "$d" ] && [ -f "$d/train-images-idx3-ubyte.gz" ]; then dir="$d"; break; fi
  done
  [ -n "$dir" ] || { echo "Fashion-MNIST .gz files not found (set FASHION_MNIST_DIR)"; exit 1; }
  cp "$dir"/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz "$STAGE/data/"
  local bytes
  bytes=$(du -cb "$STAGE" | tail -n 1 | cut -f1)
  echo "staged $STAGE: $((bytes / 1048576)) MiB (limit $LIMIT_MIB MiB)"
  ls -la "$STAGE" "$STAGE/data"
  [ "$bytes" -le $((LIMIT_MIB * 1048576)) ] || { echo "payload too large"; exit 1; }
}

device() {
  local out="${OUT:-/tmp/gpu-check-out}"
  mkdir -p "$out"
  [ -f "$STAGE/NNBench.xz" ] || { echo "no $STAGE/NNBench.xz: run 'scripts/gpu-check.sh stage' first and carry $STAGE"; exit 1; }
  xz -dc "$STAGE/NNBench.xz" > /tmp/NNBench && chmod +x /tmp/NNBench
  nvidia-smi --query-gpu=name,driver_version,memory.used,memory.total,clocks.sm --format=csv 2>&1 | tee "$out/nvidia-smi.txt"
  local status=0
  echo "==> NNBench gpu-check"
  /tmp/NNBench gpu-check --epochs "${EPOCHS:-10}" --data "$STAGE/data" --out "$out" 2>&1 | tee "$out/nnbench.txt"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  echo "==> PyTorch on the same GPU"
  python3 benchmarks/gpu/torch_step.py "$STAGE/data" --out "$out/torch.jsonl" 2>&1 | tee "$out/torch.txt"
  echo "==> summary"
  python3 benchmarks/gpu/summary.py "$out" | tee "$out/summary.txt"
  exit $status
}

case "${1:-}" in
  stage) stage ;;
  device) device ;;
  *) echo "usage: scripts/gpu-check.sh stage|device"; exit 2 ;;
esac
