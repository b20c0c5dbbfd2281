#!/usr/bin/env bash
# Seconds per epoch of the debug build (`swift build` / `swift run kernel --script`, the product's
# own command) against the release build (`swift build -c release`), side by side in one run, on the
# real Fashion-MNIST: a 6,000-image subset, baseline model and optimizer, one CPU thread.
# Target: debug ≤ 1.5× release per epoch (Package.swift optimises the NN module in debug builds).
#
# Usage: benchmarks/debug_speed.sh [epochs (3)] [rounds (3)]
# The two builds run alternately, `rounds` times each; the figures are the best and the median
# epoch over all rounds, and the CPU seconds of the whole process (robust on a shared machine).
set -euo pipefail
cd "$(dirname "$0")/.."
EPOCHS="${1:-3}"
ROUNDS="${2:-3}"
DATA="${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}"

swift build --product kernel >/dev/null
swift build -c release --product kernel >/dev/null

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat >"$work/bench.nb" <<EOF
load fashion dir="$DATA" train=6000 test=1000
model 784-128-relu-10
set epochs=$EPOCHS seed=0 device=cpu threads=1 batch=32 opt=adam lr=1e-3
train as r
export r file="runs.csv"
EOF

python3 - "$work" "$ROUNDS" <<'PY'
import csv, os, statistics, subprocess, sys
work, rounds = sys.argv[1], int(sys.argv[2])
epochs = {"debug": [], "release": []}
cpu = {"debug": [], "release": []}
version = {}
for config in epochs:
    version[config] = subprocess.run([f".build/{config}/kernel", "--version"], capture_output=True,
                                     text=True, check=True).stdout.strip()
for round_ in range(rounds):
    for config in epochs:
        out = os.path.join(work, f"{config}-{round_}")
        proc = subprocess.Popen([f".build/{config}/kernel", "--script", os.path.join(work, "bench.nb"),
                                 "--out", out], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"{config} run failed: {proc.stderr.read().decode()}")
        cpu[config].append(usage.ru_utime + usage.ru_stime)
        with open(os.path.join(out, "runs-epochs.csv")) as f:
            epochs[config] += [float(row["seconds"]) for row in csv.DictReader(f)]
print(f"load average {os.getloadavg()[0]:.2f}; Fashion-MNIST 6,000 train images, 784-128-relu-10, "
      f"Adam, batch 32, 1 thread; {len(epochs['debug'])} epochs per build")
print(f"{'build':>8}  {'best s/epoch':>12}  {'median s/epoch':>14}  {'process cpu s':>13}  version")
for config in epochs:
    print(f"{config:>8}  {min(epochs[config]):>12.3f}  {statistics.median(epochs[config]):>14.3f}  "
          f"{statistics.median(cpu[config]):>13.2f}  {version[config]}")
best = min(epochs["debug"]) / min(epochs["release"])
median = statistics.median(epochs["debug"]) / statistics.median(epochs["release"])
verdict = "meets" if best <= 1.5 else "MISSES"
print(f"debug / release: {best:.2f}x (best epoch), {median:.2f}x (median); {verdict} the 1.5x target")
PY
