"""One table from a device check: reads OUT/gpu-check.jsonl (NNBench gpu-check),
OUT/torch.jsonl (torch_step.py) and OUT/study.txt (kernel --script notebooks/study.nb).
Usage: python3 summary.py OUT. Exit status 1 when the study ran without GPU evidence for a run."""
import json, os, re, sys

# One run's summary line in the script output, e.g.
# "baseline: finished, 10/10 epochs, ...; train_s 0.53, total_s 0.91, 18867 steps/s on cuda: NVIDIA H200, ..."
RUN_LINE = re.compile(r"^(\S+): (finished|diverged|interrupted[^,]*), (\d+)/(\d+) epochs.*"
                      r"train_s ([0-9.]+), total_s ([0-9.]+), [0-9.]+ steps/s on (.+)$")

# Launch-bound floor of one step (see docs/gpu.md): 3 kernels per baseline step (forward, fused
# head, update) at ≈0.75 µs per kernel node when many steps share one graph
# (h200_launch_floor.txt: 7.5 µs per 10-kernel step).
FLOOR_US = 3 * 0.75


def load(path):
    rows = []
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line:
                    rows.append(json.loads(line))
    return rows


def main(out):
    ours = load(os.path.join(out, "gpu-check.jsonl"))
    torch = load(os.path.join(out, "torch.jsonl"))
    probe = next((r for r in ours if r["kind"] == "probe"), None)
    print(f"device: {probe['reason'] if probe else 'unknown'}")
    print("\nparity (CPU vs GPU, seed 0)        loss1 rel  δ²1 rel   Δacc pp  check")
    for r in (r for r in ours if r["kind"] == "parity"):
        print(f"  {r['run']:<32}{r['loss1_rel']:<11.1e}{r['gradsq1_rel']:<10.1e}"
              f"{r['acc_pp']:<+9.2f}{'ok' if r['ok'] else 'FAIL'}")
    default = {r["batch"]: r for r in ours if r["kind"] == "timing" and r["graph_steps"] == "default"}
    t = {(r["mode"], r["batch"]): r["us_per_step"] for r in torch}
    print("\ntime per step (µs)   ours    torch eager  torch graph  × eager  × graph")
    for b in (16, 32, 64):
        if b not in default:
            continue
        us = default[b]["us_per_step"]
        e, g = t.get(("eager", b)), t.get(("graph", b))
        ratio = lambda x: f"{x / us:<9.1f}" if x else f"{'-':<9}"
        print(f"  batch {b:<13}{us:<8.1f} {(f'{e:.1f}' if e else '-'):<13}{(f'{g:.1f}' if g else '-'):<13}"
              f"{ratio(e)}{ratio(g)}")
    print("\nseconds per epoch    ours     torch eager  torch graph")
    for b in (16, 32, 64):
        if b not in default:
            continue
        steps = -(-60000 // b)
        e, g = t.get(("eager", b)), t.get(("graph", b))
        print(f"  batch {b:<13}{default[b]['best_s']:<9.4f}{(f'{e * steps / 1e6:.3f}' if e else '-'):<13}"
              f"{(f'{g * steps / 1e6:.3f}' if g else '-')}")
    print("\nlaunch strategy at batch 32 (graph steps → µs/step)")
    for r in (r for r in ours if r["kind"] == "timing" and r["batch"] == 32):
        print(f"  {str(r['graph_steps']):<14}{r['us_per_step']:.1f}")
    print("\nstep profile at batch 32 (µs)")
    for r in (r for r in ours if r["kind"] == "profile" and r["batch"] == 32):
        print(f"  {r['what']:<58}{r['us']:.2f}")
    total = next((r for r in ours if r["kind"] == "study_total"), None)
    if total:
        print(f"\nstudy (7 runs) on the GPU: train_s {total['train_s']:.3f} (target < 5), "
              f"total_s {total['total_s']:.3f}")
    if 32 in default:
        us = default[32]["us_per_step"]
        print(f"step at batch 32: {us:.1f} µs; launch floor ≈ {FLOOR_US:.1f} µs "
              f"(gap {us / FLOOR_US:.1f}×); target ≤ 25 µs: {'met' if us <= 25 else 'NOT met'}")


def study(out):
    """The study notebook run through `kernel --script`: each run, its device and its evidence."""
    path = os.path.join(out, "study.txt")
    if not os.path.exists(path):
        return True
    runs, evidence, current = [], {}, None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = RUN_LINE.match(line.rstrip("\n"))
            if m:
                current = m.group(1)
                runs.append((current, m.group(2), float(m.group(5)), float(m.group(6)), m.group(7)))
            elif current and line.startswith("  gpu evidence:"):
                evidence[current] = line.strip()
    print(f"\nstudy notebook through kernel --script: {len(runs)} runs")
    print(f"  {'run':<14}{'status':<12}{'train_s':<10}{'total_s':<10}{'evidence':<10}backend")
    for name, status, train, total, backend in runs:
        print(f"  {name:<14}{status:<12}{train:<10.3f}{total:<10.3f}"
              f"{'yes' if name in evidence else 'NO':<10}{backend[:60]}")
    train = sum(r[2] for r in runs)
    print(f"  total train_s {train:.3f} (target < 5), total_s {sum(r[3] for r in runs):.3f}")
    ok = len(runs) == 7 and all(r[0] in evidence for r in runs)
    print(f"  GPU evidence for every run: {'yes' if ok else 'NO'}")
    return ok


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    main(out)
    sys.exit(0 if study(out) else 1)
