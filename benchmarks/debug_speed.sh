#!/usr/bin/env bash
# Seconds per epoch of the debug build (`swift build` / `swift run kernel --script`, the product's
# own command) against the release build (`swift build -c release`), side by side in one run, on the
# real Fashion-MNIST: a 6,000-image subset, baseline model and optimizer, one CPU thread.
# Target: debug ≤ 1.5× release per epoch (Package.swift optimises the NN module in debug builds).
#
# Usage: benchmarks/debug_speed.sh [epochs (3)] [rounds (3)]
# The two builds run alternately, `rounds` times each. Figures: the best and the median epoch
# (wall clock, from the run's per-epoch export) over all rounds, and CPU seconds per epoch: the
# process CPU time of the training script minus that of the same script without `train`, over
# the epochs (robust on a shared machine, where wall-clock epochs vary by 2x between rounds).
set -euo pipefail
cd "$(dirname "$0")/.."
EPOCHS="${1:-3}"
ROUNDS="${2:-3}"
DATA="${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}"

swift build --product kernel >/dev/null
swift build -c release --product kernel >/dev/null

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
setup="load fashion dir=\"$DATA\" train=6000 test=1000
model 784-128-relu-10
set epochs=$EPOCHS seed=0 device=cpu threads=1 batch=32 opt=adam lr=1e-3"
printf '%s\ntrain as r\nexport r file="runs.csv"\n' "$setup" >"$work/bench.nb"
# The same without training: its CPU time is the start-up and load cost to subtract.
printf '%s\n' "$setup" >"$work/load.nb"

python3 - "$work" "$ROUNDS" <<'PY'
import csv, os, statistics, subprocess, sys
work, rounds = sys.argv[1], int(sys.argv[2])
configs = ("debug", "release")
epochs = {c: [] for c in configs}
cpu_epoch = {c: [] for c in configs}
version = {}


def run(config, script, out):
    """Runs one script; returns the process's user + system CPU seconds."""
    proc = subprocess.Popen([f".build/{config}/kernel", "--script", os.path.join(work, script),
                             "--out", out], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{config} {script} failed: {proc.stderr.read().decode()}")
    return usage.ru_utime + usage.ru_stime


for config in configs:
    version[config] = subprocess.run([f".build/{config}/kernel", "--version"], capture_output=True,
                                     text=True, check=True).stdout.strip()
for round_ in range(rounds):
    for config in configs:
        out = os.path.join(work, f"{config}-{round_}")
        total = run(config, "bench.nb", out)
        base = run(config, "load.nb", out + "-load")
        with open(os.path.join(out, "runs-epochs.csv")) as f:
            mine = [float(row["seconds"]) for row in csv.DictReader(f)]
        epochs[config] += mine
        cpu_epoch[config].append(max(0.0, total - base) / len(mine))

print(f"load average {os.getloadavg()[0]:.2f}; Fashion-MNIST 6,000 train images, 784-128-relu-10, "
      f"Adam, batch 32, 1 thread; {len(epochs['debug'])} epochs per build")
print(f"{'build':>8}  {'best s/epoch':>12}  {'median s/epoch':>14}  {'cpu s/epoch':>11}  version")
for config in configs:
    print(f"{config:>8}  {min(epochs[config]):>12.3f}  {statistics.median(epochs[config]):>14.3f}  "
          f"{statistics.median(cpu_epoch[config]):>11.3f}  {version[config]}")
best = min(epochs["debug"]) / min(epochs["release"])
median = statistics.median(epochs["debug"]) / statistics.median(epochs["release"])
cpu_ratio = statistics.median(cpu_epoch["debug"]) / max(1e-9, statistics.median(cpu_epoch["release"]))
verdict = "meets" if cpu_ratio <= 1.5 and best <= 1.5 else "MISSES"
print(f"debug / release: {best:.2f}x (best epoch), {median:.2f}x (median epoch), "
      f"{cpu_ratio:.2f}x (cpu per epoch); {verdict} the 1.5x target")
PY
