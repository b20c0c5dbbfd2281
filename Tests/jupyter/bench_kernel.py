"""Kernel benchmarks, ours vs ipykernel side by side, through jupyter_client (not a test).

    .venv/bin/python Tests/jupyter/bench_kernel.py [--starts 5] [--executes 200] [--data DIR]

Measures
  start     process launch → first kernel_info_reply (median over --starts launches)
  execute   a trivial execute_request → reply and idle (median over --executes)
Both kernels are launched from their kernelspecs and driven with jupyter_client's Session over
plain pyzmq sockets.
  rss       resident memory after loading Fashion-MNIST and one training epoch
            (ipykernel: with torch when importable, else after start-up only, marked so)
Data: --data DIR, else $FASHION_MNIST_DIR, else /usr/share/datasets/fashion-mnist, else a
generated full-size IDX set (60k/10k) in a temp dir.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import zmq  # noqa: E402
from jupyter_client.connect import write_connection_file  # noqa: E402
from jupyter_client.kernelspec import KernelSpecManager  # noqa: E402
from jupyter_client.session import Session  # noqa: E402

from conftest import KERNEL_NAME, write_idx_dataset  # noqa: E402  (installs our kernelspec)

TRIVIAL = {KERNEL_NAME: "get epochs", "python3": "pass"}


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class DirectClient:
    """A lean client: jupyter_client's Session (signing) over plain pyzmq sockets, so the
    numbers measure the kernel rather than the threads of BlockingKernelClient."""

    def __init__(self, info: dict):
        self.session = Session(key=info["key"].encode(), signature_scheme=info["signature_scheme"])
        ctx = zmq.Context.instance()
        base = f"tcp://{info['ip']}:"
        self.shell = ctx.socket(zmq.DEALER)
        self.shell.linger = 0
        # Retry the connection every 2 ms (default 100 ms), so start-up time is the kernel's.
        self.shell.setsockopt(zmq.RECONNECT_IVL, 2)
        self.shell.connect(base + str(info["shell_port"]))
        self.iopub = ctx.socket(zmq.SUB)
        self.iopub.linger = 0
        self.iopub.setsockopt(zmq.SUBSCRIBE, b"")
        self.iopub.connect(base + str(info["iopub_port"]))
        self.poller = zmq.Poller()
        self.poller.register(self.shell, zmq.POLLIN)
        self.poller.register(self.iopub, zmq.POLLIN)

    def recv(self, sock, timeout_ms: int):
        if not sock.poll(timeout_ms):
            return None
        _, frames = self.session.feed_identities(sock.recv_multipart())
        return self.session.deserialize(frames)

    def request(self, msg_type: str, content: dict, timeout: float = 600.0) -> dict:
        """Sends a request; returns its reply after its idle status arrived."""
        msg = self.session.send(self.shell, msg_type, content)
        msg_id = msg["header"]["msg_id"]
        reply = idle = None
        deadline = time.monotonic() + timeout
        while reply is None or idle is None:
            if time.monotonic() > deadline:
                raise TimeoutError(msg_type)
            ready = dict(self.poller.poll(1000))
            for sock in ready:
                m = self.recv(sock, 0)
                if m is None or m["parent_header"].get("msg_id") != msg_id:
                    continue
                if sock is self.shell:
                    reply = m
                elif m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                    idle = m
        return reply

    def close(self):
        self.shell.close()
        self.iopub.close()


def launch(name: str):
    """Starts a kernel from its kernelspec on fresh ports; returns (process, connection info)."""
    spec = KernelSpecManager().get_kernel_spec(name)
    conn_file = tempfile.mktemp(suffix=".json", prefix="bench-kernel-")
    write_connection_file(conn_file, key=os.urandom(16).hex().encode())
    info = json.loads(Path(conn_file).read_text())
    argv = [a.replace("{connection_file}", conn_file) for a in spec.argv]
    if argv[0] in ("python", "python3"):
        argv[0] = sys.executable
    env = dict(os.environ, **spec.env)
    return argv, env, info


def start_time(name: str) -> float:
    argv, env, info = launch(name)
    client = DirectClient(info)
    try:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while True:
                client.session.send(client.shell, "kernel_info_request", {})
                m = client.recv(client.shell, 5)
                if m is not None and m["msg_type"] == "kernel_info_reply":
                    return (time.perf_counter() - t0) * 1000
                if proc.poll() is not None:
                    raise RuntimeError(f"{name} exited with {proc.returncode}")
        finally:
            proc.kill()
            proc.wait()
    finally:
        client.close()


def bench(name: str, starts: int, executes: int, data: Path) -> dict:
    result = {"start_ms": statistics.median(start_time(name) for _ in range(starts))}
    argv, env, info = launch(name)
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = DirectClient(info)
    try:
        deadline = time.monotonic() + 60
        while True:
            client.session.send(client.shell, "kernel_info_request", {})
            if client.recv(client.shell, 100) is not None:
                break
            if time.monotonic() > deadline:
                raise TimeoutError(f"{name} did not answer kernel_info")
        time.sleep(0.2)  # let IOPub subscribe before timing idle messages
        code = TRIVIAL[name]
        for _ in range(10):
            client.request("execute_request", {"code": code, "silent": False})
        times = []
        for _ in range(executes):
            t0 = time.perf_counter()
            client.request("execute_request", {"code": code, "silent": False})
            times.append((time.perf_counter() - t0) * 1000)
        result["execute_ms"] = statistics.median(times)
        if name == "python3":
            try:
                import torch  # noqa: F401
                have_torch = True
            except ImportError:
                have_torch = False
            if have_torch:
                cell = ("import torch, torchvision\n"
                        f"ds = torchvision.datasets.FashionMNIST(r'{data}', download=False)\n")
                client.request("execute_request", {"code": cell})
                result["rss_note"] = "torch imported"
            else:
                result["rss_note"] = "no torch here: after start-up only"
        else:
            cell = (f'load fashion dir="{data}"\nmodel 784-128-relu-10\n'
                    "train epochs=1 batch=32 as bench")
            t0 = time.perf_counter()
            reply = client.request("execute_request", {"code": cell})
            result["rss_note"] = (f"load + 1 epoch: {reply['content']['status']}, "
                                  f"{time.perf_counter() - t0:.1f} s")
        result["rss_mb"] = rss_mb(proc.pid)
    finally:
        client.close()
        proc.kill()
        proc.wait()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--executes", type=int, default=200)
    parser.add_argument("--data", type=Path)
    parser.add_argument("--only-ours", action="store_true")
    args = parser.parse_args()
    data = args.data or (Path(os.environ["FASHION_MNIST_DIR"]) if "FASHION_MNIST_DIR" in os.environ else None)
    if data is None and Path("/usr/share/datasets/fashion-mnist").is_dir():
        data = Path("/usr/share/datasets/fashion-mnist")
    if data is None:
        data = write_idx_dataset(Path(tempfile.mkdtemp(prefix="bench-idx-")), train=60000, test=10000)

    rows = [("ours (nndsl)", bench(KERNEL_NAME, args.starts, args.executes, data))]
    if not args.only_ours:
        rows.append(("ipykernel", bench("python3", args.starts, args.executes, data)))
    print(f"data: {data}")
    print(f"{'kernel':<14} {'start→kernel_info (ms)':>24} {'trivial execute (ms)':>22} {'RSS (MB)':>10}  note")
    for label, r in rows:
        print(f"{label:<14} {r['start_ms']:>24.1f} {r['execute_ms']:>22.2f} {r['rss_mb']:>10.1f}  "
              f"{r.get('rss_note', '')}")
    print("targets: start ≤ 50 ms, execute ≤ 1 ms, RSS ≤ 120 MB;"
          " ipykernel reference 715 ms / 7.9 ms / 406 MB (with torch)")


if __name__ == "__main__":
    main()
