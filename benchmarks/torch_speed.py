"""PyTorch eager timing of the study baseline (784-128-relu-10, Adam 1e-3), data resident in memory.

Prints one JSON line per batch size: {"batch": B, "epoch_s": [...], "best_s": s}.
Same model, loss, optimizer and per-batch uint8 -> float / 255 scaling as the NN engine.
"""
import argparse, gzip, json, struct, time

import numpy as np
import torch
from torch import nn


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--batches", default="16,32,64")
    a = ap.parse_args()
    x = torch.from_numpy(read_idx(f"{a.data}/train-images-idx3-ubyte.gz").reshape(-1, 784).copy())
    y = torch.from_numpy(read_idx(f"{a.data}/train-labels-idx1-ubyte.gz").astype(np.int64))
    for bs in (int(b) for b in a.batches.split(",")):
        torch.manual_seed(0)
        model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()
        times = []
        for _ in range(a.epochs):
            t0 = time.perf_counter()
            perm = torch.randperm(len(y))
            for i in range(0, len(y), bs):
                idx = perm[i:i + bs]
                xb, yb = x[idx].float() / 255.0, y[idx]
                loss = loss_fn(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
            times.append(time.perf_counter() - t0)
        print(json.dumps({"batch": bs, "epoch_s": times, "best_s": min(times),
                          "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)


if __name__ == "__main__":
    main()
