#!/usr/bin/env bash
# The CUDA backend's device check, in two halves.
#
#   scripts/gpu-check.sh stage    (here, no GPU needed) builds NNBench and kernel as static
#                                 release binaries (neither needs libzmq at load time: NNBench links
#                                 only NN, kernel opens libzmq with dlopen only for Jupyter and links
#                                 SQLite statically for its run store), strips
#                                 and xz-compresses them, and stages them with the Fashion-MNIST .gz
#                                 files in .gpu-stage/
#   scripts/gpu-check.sh device   (on the GPU machine) unpacks the binaries and runs, in one go:
#                                 `NNBench gpu-check` (probe, CPU-vs-GPU parity, GPU timing, the
#                                 study on the GPU), PyTorch eager and CUDA-graph step timing on the
#                                 same GPU, the study notebook through `kernel --script` (GPU
#                                 evidence for every run), then prints one summary table. Logs go
#                                 to $OUT.
#
# The `run` call for the device half is documented in docs/gpu.md.
set -uo pipefail
cd "$(dirname "$0")/.."
STAGE="${GPU_STAGE:-.gpu-stage}"
LIMIT_MIB=62

stage() {
  set -e
  local bindir
  bindir="$(swift build -c release --static-swift-stdlib --show-bin-path)"
  rm -rf "$STAGE" && mkdir -p "$STAGE/data"
  for product in NNBench kernel; do
    echo "==> swift build -c release --static-swift-stdlib --product $product"
    swift build -c release --static-swift-stdlib --product "$product" 2>&1 | grep -vE 'prohibited flag|mktemp' | tail -n 2
    if ldd "$bindir/$product" | grep -qE 'libzmq|libsqlite3|libcairo|libpango|librsvg'; then
      echo "$product links libzmq, libsqlite3 or cairo/pango/librsvg, which the GPU machine lacks"; exit 1
    fi
    cp "$bindir/$product" "$STAGE/$product"
    strip "$STAGE/$product" 2>/dev/null || true
    xz -T0 -6 -f "$STAGE/$product"
  done
  local dir=""
  for d in "${FASHION_MNIST_DIR:-}" "${XDG_CACHE_HOME:-$HOME/.cache}/nn-dsl/fashion-mnist" \
           /usr/share/datasets/fashion-mnist; do
    if [ -n "$d" ] && [ -f "$d/train-images-idx3-ubyte.gz" ]; then dir="$d"; break; fi
  done
  [ -n "$dir" ] || { echo "Fashion-MNIST .gz files not found (set FASHION_MNIST_DIR)"; exit 1; }
  cp "$dir"/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz "$STAGE/data/"
  # What travels: the staged files plus the tracked tree (the device tool's limit is 64 MiB in all).
  local bytes tree
  bytes=$(du -cb "$STAGE" | tail -n 1 | cut -f1)
  tree=$(git ls-files -z | xargs -0 du -cb 2>/dev/null | awk '$2 == "total" { s += $1 } END { print s + 0 }')
  echo "staged $STAGE: $((bytes / 1048576)) MiB + tracked tree $((tree / 1048576)) MiB (limit $LIMIT_MIB MiB)"
  ls -la "$STAGE" "$STAGE/data"
  [ $((bytes + tree)) -le $((LIMIT_MIB * 1048576)) ] || { echo "payload too large"; exit 1; }
}

device() {
  local out="${OUT:-/tmp/gpu-check-out}"
  mkdir -p "$out"
  for product in NNBench kernel; do
    [ -f "$STAGE/$product.xz" ] || { echo "no $STAGE/$product.xz: run 'scripts/gpu-check.sh stage' first and carry $STAGE"; exit 1; }
    xz -dc "$STAGE/$product.xz" > "/tmp/$product" && chmod +x "/tmp/$product"
  done
  nvidia-smi --query-gpu=name,driver_version,memory.used,memory.total,clocks.sm --format=csv 2>&1 | tee "$out/nvidia-smi.txt"
  local status=0
  # Each stage has its own time limit (expected: ≈ 1 min, 20 s, 15 s), so a stage that hangs
  # leaves time for the others and what it logged so far still comes back.
  echo "==> NNBench gpu-check"
  timeout -k 5 "${NNBENCH_LIMIT:-200}" /tmp/NNBench gpu-check --epochs "${EPOCHS:-10}" \
    --data "$STAGE/data" --out "$out" 2>&1 | tee "$out/nnbench.txt"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  echo "==> PyTorch on the same GPU"
  timeout -k 5 "${TORCH_LIMIT:-90}" python3 benchmarks/gpu/torch_step.py "$STAGE/data" \
    --out "$out/torch.jsonl" 2>&1 | tee "$out/torch.txt"
  echo "==> the study notebook through kernel --script (device=auto: the GPU when usable)"
  FASHION_MNIST_DIR="$STAGE/data" timeout -k 5 "${STUDY_LIMIT:-90}" /tmp/kernel --script \
    notebooks/study.nb --out "$out/study" > "$out/study.txt" 2> "$out/study-stderr.txt"
  local study=$?
  tail -n 40 "$out/study.txt"; tail -n 20 "$out/study-stderr.txt"
  [ "$study" -eq 0 ] || { echo "study failed: exit $study"; status=1; }
  echo "==> summary"
  python3 benchmarks/gpu/summary.py "$out" | tee "$out/summary.txt"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  exit $status
}

case "${1:-}" in
  stage) stage ;;
  device) device ;;
  *) echo "usage: scripts/gpu-check.sh stage|device"; exit 2 ;;
esac
