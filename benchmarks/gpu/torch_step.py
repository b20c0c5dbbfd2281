"""PyTorch on the same GPU as the device check: µs per training step of the study's baseline
(784-128-relu-10, Adam lr 1e-3, cross-entropy) with the data resident on the device, in eager
mode and with one CUDA graph per step (batch gather + forward + backward + Adam captured).

Usage: python3 torch_step.py DATA_DIR [--batches 16,32,64] [--steps 400] [--out FILE]
Prints a table; with --out also one JSON line per (mode, batch).
"""
import argparse, gzip, json, struct, sys, time

import torch
from torch import nn


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return torch.frombuffer(bytearray(data[4 + 4 * ndim:]), dtype=torch.uint8).reshape(dims)


def setup(batch, device, images, labels, capturable):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10)).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, capturable=capturable)
    return model, opt, nn.CrossEntropyLoss()


def time_eager(batch, steps, device, X, Y):
    model, opt, loss_fn = setup(batch, device, X, Y, capturable=False)
    n = X.shape[0]
    perm = torch.randperm(n, device=device)

    def step(i):
        idx = perm[(i * batch) % (n - batch):][:batch]
        x = X[idx].float() / 255.0
        opt.zero_grad()
        loss = loss_fn(model(x), Y[idx])
        loss.backward()
        opt.step()

    return microseconds_per_step(step, steps)


def microseconds_per_step(step, steps):
    """30 warm-up steps, then `steps` timed with CUDA events; µs per step."""
    for i in range(30):
        step(i)
    torch.cuda.synchronize()
    start = torch.cuda.Event(enable_timing=True)
    end = torch.cuda.Event(enable_timing=True)
    start.record()
    for i in range(steps):
        step(i)
    end.record()
    torch.cuda.synchronize()
    return start.elapsed_time(end) * 1000.0 / steps


def time_graph(batch, steps, device, X, Y):
    model, opt, loss_fn = setup(batch, device, X, Y, capturable=True)
    n = X.shape[0]
    perm = torch.randperm(n, device=device)
    static_idx = perm[:batch].clone()

    def body():
        x = X[static_idx].float() / 255.0
        loss = loss_fn(model(x), Y[static_idx])
        loss.backward()
        opt.step()
        return loss

    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):
        for _ in range(5):
            opt.zero_grad(set_to_none=True)
            body()
    torch.cuda.current_stream().wait_stream(side)
    graph = torch.cuda.CUDAGraph()
    opt.zero_grad(set_to_none=True)
    with torch.cuda.graph(graph):
        body()

    def step(i):
        static_idx.copy_(perm[(i * batch) % (n - batch):][:batch])
        graph.replay()

    return microseconds_per_step(step, steps)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--batches", default="16,32,64")
    ap.add_argument("--steps", type=int, default=400)
    ap.add_argument("--out")
    a = ap.parse_args()
    if not torch.cuda.is_available():
        print("torch: no CUDA device")
        return 1
    device = torch.device("cuda")
    X = read_idx(a.data + "/train-images-idx3-ubyte.gz").reshape(-1, 784).to(device)
    Y = read_idx(a.data + "/train-labels-idx1-ubyte.gz").long().to(device)
    out = open(a.out, "w") if a.out else None
    print(f"== PyTorch {torch.__version__} on {torch.cuda.get_device_name(0)}")
    print("batch  eager µs/step  graph µs/step  eager s/epoch  graph s/epoch")
    for b in [int(s) for s in a.batches.split(",")]:
        eager = time_eager(b, a.steps, device, X, Y)
        graph = time_graph(b, a.steps * 4, device, X, Y)
        steps = -(-60000 // b)
        print(f"{b:<7}{eager:<15.1f}{graph:<15.1f}{eager * steps / 1e6:<15.3f}{graph * steps / 1e6:.3f}")
        if out:
            for mode, us in (("eager", eager), ("graph", graph)):
                out.write(json.dumps({"kind": "torch", "mode": mode, "batch": b, "us_per_step": us,
                                      "torch": torch.__version__}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
