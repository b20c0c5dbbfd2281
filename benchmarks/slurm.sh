#!/usr/bin/env bash
# What a Slurm sweep costs per run against the same runs trained in the session, side by side in one
# run, on a one-node Slurm cluster this script starts in a temporary directory (and stops, by pid):
# N runs (seeds 0..N-1) of the baseline on a real Fashion-MNIST subset, in script mode
# (`kernel --script`), first locally (executor=local), then as a job array (executor=slurm) with one
# task at a time (parallel=1, so the overhead is not hidden by running tasks side by side), with the
# tasks free to share the node's CPUs, and with pack=3 (three runs per task).
#
# Each figure is the wall clock of the `sweep` statement in the session, from the statement's start
# (for Slurm: before submission) until every result is imported into the session and its store,
# divided by N; "overhead / run" is that minus the local seconds per run. It also checks that the
# Slurm runs reproduce the local runs' final test accuracy and loss (same seed, same numbers).
#
# Usage: bash benchmarks/slurm.sh [runs (6)] [epochs (2)] [train images (12000)]
#        KERNEL_BIN=path skips the release build; FASHION_MNIST_DIR picks the data.
# Needs Debian's slurm-wlm and munge (scripts/test.sh installs them with the test packages).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-6}"
EPOCHS="${2:-2}"
TRAIN="${3:-12000}"
DATA="${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}"
BIN="${KERNEL_BIN:-}"
if [ -z "$BIN" ]; then
  swift build -c release --product kernel 2>&1 | grep -vE 'prohibited flag|^warning: .*mit-krb5' | tail -n 1
  BIN="$(swift build -c release --show-bin-path)/kernel"
fi
BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"

WORK="$(mktemp -d)"
cleanup() { bash scripts/slurm-cluster.sh stop "$WORK/cluster" || true; rm -rf "$WORK"; }
trap cleanup EXIT
eval "$(bash scripts/slurm-cluster.sh start "$WORK/cluster")"
export SLURM_CONF

seeds=$(seq -s, 0 $((RUNS - 1)))
python3 - "$BIN" "$WORK" "$DATA" "$seeds" "$EPOCHS" "$TRAIN" <<'PY'
import json, os, subprocess, sys, time

binary, work, data, seeds, epochs, train = sys.argv[1:]
runs = len(seeds.split(","))
modes = [
    ("local", "executor=local", ""),
    ("slurm, one task at a time", "executor=slurm", "slurm pack=1 parallel=1"),
    ("slurm, tasks side by side", "executor=slurm", "slurm pack=1"),
    ("slurm, pack=3", "executor=slurm", "slurm pack=3"),
]


def sweep_seconds(label, executor, slurm):
    """Runs the sweep in a fresh script directory; returns (seconds of the sweep, exported runs)."""
    directory = os.path.join(work, label.replace(" ", "-").replace(",", "").replace("=", ""))
    os.makedirs(directory)
    script = os.path.join(directory, "bench.nb")
    with open(script, "w") as f:
        f.write(f'load fashion dir="{data}" train={train} test=1000\nmodel 784-128-relu-10\n'
                f"set epochs={epochs} batch=32 lr=1e-3 opt=adam device=cpu threads=1\n{slurm}\n"
                "# %%\n"
                f'print "bench: sweep starts"\nsweep seed={seeds} {executor} as b\nprint "bench: sweep ends"\n'
                "# %%\n"
                f'export file="{directory}/runs.json"\n')
    proc = subprocess.Popen([binary, "--script", script, "--out", os.path.join(directory, "out")],
                            cwd=directory, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "NNDSL_STORE": os.path.join(directory, "runs.db")})
    started = ended = None
    for line in proc.stdout:
        if line.startswith("bench: sweep starts"):
            started = time.monotonic()
        elif line.startswith("bench: sweep ends"):
            ended = time.monotonic()
    err = proc.stderr.read()
    if proc.wait() != 0 or started is None or ended is None:
        sys.exit(f"{label}: the script failed (exit {proc.returncode}):\n{err[-3000:]}")
    with open(os.path.join(directory, "runs.json")) as f:
        exported = {r["name"]: r for r in json.load(f)["runs"]}
    return ended - started, exported


results = []
for label, executor, slurm in modes:
    seconds, exported = sweep_seconds(label, executor, slurm)
    results.append((label, seconds, exported))

local_seconds, local_runs = results[0][1], results[0][2]
print(f"load average {os.getloadavg()[0]:.2f}; {runs} runs (seeds {seeds}), {epochs} epoch(s) on "
      f"{train} Fashion-MNIST images, 784-128-relu-10, CPU, 1 thread; one-node Slurm on {os.cpu_count()} CPUs")
print(f"{'mode':<28} {'sweep s':>8} {'s / run':>8} {'train_s / run':>13} {'overhead / run':>15} {'same numbers':>13}")
for label, seconds, exported in results:
    train_s = sum(r["trainSeconds"] for r in exported.values()) / len(exported)
    same = all(
        [(e["testAccuracy"], e["testLoss"]) for e in exported[name]["epochs"]]
        == [(e["testAccuracy"], e["testLoss"]) for e in local_runs[name]["epochs"]]
        for name in local_runs)
    overhead = "-" if label == "local" else f"{(seconds - local_seconds) / runs:+.2f} s"
    print(f"{label:<28} {seconds:>8.2f} {seconds / runs:>8.2f} {train_s:>13.2f} {overhead:>15} "
          f"{'yes' if same else 'NO':>13}")
PY
