#!/usr/bin/env bash
# Cost of the run store, side by side in one run: the baseline (real Fashion-MNIST, batch 32, Adam,
# 10 epochs) trained without a store (NNDSL_STORE=off) and with one, twice each, alternating; the
# time the session spent in store writes (every epoch's record and per-step series as it ended,
# then the final record and weights) against train_s; then the store's size after the whole study
# (notebooks/study.nb).
# Usage: bash benchmarks/store.sh [epochs (10)] [repeats (2)]   (KERNEL_BIN=path skips the build)
set -euo pipefail
cd "$(dirname "$0")/.."
EPOCHS="${1:-10}"
REPEATS="${2:-2}"
BIN="${KERNEL_BIN:-}"
if [ -z "$BIN" ]; then
  swift build -c release --product kernel 2>&1 | grep -vE 'prohibited flag|^warning: .*mit-krb5' | tail -n 1
  BIN="$(swift build -c release --show-bin-path)/kernel"
fi
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cat > "$WORK/baseline.nb" <<NB
load fashion
model 784-128-relu-10
set epochs=$EPOCHS seed=0 device=auto
train batch=32 lr=1e-3 opt=adam as baseline
show baseline
print "timing" baseline.train_s baseline.total_s
NB

results="$WORK/results.txt"
: > "$results"
for i in $(seq 1 "$REPEATS"); do
  for mode in off store; do
    store="off"
    [ "$mode" = store ] && store="$WORK/bench-$i.db"
    NNDSL_STORE="$store" "$BIN" --script "$WORK/baseline.nb" --out "$WORK/out-$mode-$i" > "$WORK/$mode-$i.txt" 2> /dev/null
    timing=$(grep '^timing ' "$WORK/$mode-$i.txt")
    writes=$(sed -n 's/.*store writes took \([0-9.]*\) ms.*/\1/p' "$WORK/$mode-$i.txt" | head -n 1)
    echo "$mode $i ${timing#timing } ${writes:-0}" >> "$results"
  done
done

echo "==> the study (notebooks/study.nb) into a fresh store"
NNDSL_STORE="$WORK/study.db" "$BIN" --script notebooks/study.nb --out "$WORK/study" > "$WORK/study.txt" 2> "$WORK/study-err.txt" \
  || { tail -n 20 "$WORK/study-err.txt"; exit 1; }

python3 - "$results" "$WORK/study.db" <<'PY'
import os, sqlite3, sys
rows = [line.split() for line in open(sys.argv[1])]
print(f"load average {os.getloadavg()[0]:.2f}; baseline on the real Fashion-MNIST, CPU")
print(f"{'mode':<6} {'repeat':>6} {'train_s':>8} {'total_s':>8} {'store writes s':>14} {'writes / train_s':>16}")
for mode, i, train, total, writes in rows:
    w = float(writes) / 1000
    share = f"{100 * w / float(train):>15.3f}%" if mode == "store" else f"{'-':>16}"
    print(f"{mode:<6} {i:>6} {float(train):>8.2f} {float(total):>8.2f} {w:>14.4f} {share}")
def mean(mode, col):
    xs = [float(r[col]) for r in rows if r[0] == mode]
    return sum(xs) / len(xs)
off_total, on_total = mean("off", 3), mean("store", 3)
print(f"mean total_s: off {off_total:.2f}, store {on_total:.2f} ({100 * (on_total - off_total) / off_total:+.2f}%, "
      "includes run-to-run noise); store writes measured inside the session: "
      f"{100 * mean('store', 4) / 1000 / mean('store', 2):.3f}% of train_s (target < 2%)")
db = sys.argv[2]
size = sum(os.path.getsize(p) for p in (db, db + "-wal") if os.path.exists(p))
con = sqlite3.connect(db)
runs = con.execute("SELECT count(*) FROM runs").fetchone()[0]
epochs = con.execute("SELECT count(*) FROM epochs").fetchone()[0]
steps = con.execute("SELECT coalesce(sum(steps), 0) FROM series").fetchone()[0]
series = con.execute("SELECT coalesce(sum(length(loss) + length(grad_sq)), 0) FROM series").fetchone()[0]
weights = con.execute("SELECT coalesce(sum(length(data)), 0) FROM weights").fetchone()[0]
print(f"study store: {size / 1048576:.2f} MB for {runs} runs, {epochs} epochs, {steps} steps "
      f"(per-step series {series / 1048576:.2f} MB, weights {weights / 1048576:.2f} MB)")
PY
