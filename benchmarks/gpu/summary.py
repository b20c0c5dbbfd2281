"""One table from a device check: reads OUT/gpu-check.jsonl (NNBench gpu-check) and
OUT/torch.jsonl (torch_step.py). Usage: python3 summary.py OUT"""
import json, os, sys

# Launch-bound floor of one step (see docs/gpu.md): 5 kernels per step at ≈0.75 µs per kernel
# node when many steps share one graph (h200_launch_floor.txt: 7.5 µs per 10-kernel step).
FLOOR_US = 5 * 0.75


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


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
