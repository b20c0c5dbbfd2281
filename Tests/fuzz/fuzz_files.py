"""Data-file and connection-file faults against the real kernel.

data: broken Fashion-MNIST directories (truncated and corrupt gzip, headers that lie or announce
gigabytes, wrong magic numbers, labels out of range, empty sets, FIFOs, directories and symlink
loops where files belong, random corruption of a valid file) loaded with `load fashion dir=...`:
each must be answered within the time limit with a clear error (or load, for the valid controls),
and the kernel must stay healthy. connection: the kernel started on broken connection files must
exit 2 (1 when a port is taken) within the time limit with one clear message and no crash; a file
with all ports 0 must be served, with the chosen ports written back.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import socket
import struct
import subprocess
import sys
import time
from pathlib import Path

from fuzzkit import Failure, Kernel, Workdir, kernel_binary, summary

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "jupyter"))
from conftest import write_idx_dataset  # noqa: E402

IMAGES = "train-images-idx3-ubyte.gz"
LABELS = "train-labels-idx1-ubyte.gz"


def _gz(path: Path, payload: bytes) -> None:
    path.unlink(missing_ok=True)
    with gzip.open(path, "wb") as f:
        f.write(payload)


def data_faults() -> list[tuple[str, callable, str | None]]:
    """(name, how to break a valid directory, a fragment the error must contain; None: must load)."""
    def replace(name, payload):
        return lambda d: _gz(d / name, payload)

    def fifo(d):
        (d / IMAGES).unlink()
        os.mkfifo(d / IMAGES)

    def directory(d):
        (d / LABELS).unlink()
        (d / LABELS).mkdir()

    def loop(d):
        (d / IMAGES).unlink()
        (d / IMAGES).symlink_to(IMAGES)

    def link_to_fifo(d):
        os.mkfifo(d / "pipe")
        (d / IMAGES).unlink()
        (d / IMAGES).symlink_to("pipe")

    def truncate(d):
        data = (d / IMAGES).read_bytes()
        (d / IMAGES).write_bytes(data[: len(data) // 2])

    def corrupt(d):
        data = bytearray((d / IMAGES).read_bytes())
        for i in range(20, min(300, len(data) - 10)):
            data[i] ^= 0x5A
        (d / IMAGES).write_bytes(bytes(data))

    def plain(d):
        for name in (IMAGES, LABELS, "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"):
            raw = gzip.decompress((d / name).read_bytes())
            (d / name).write_bytes(raw)  # uncompressed bytes under the .gz name: zlib reads them as is

    def empty(d):
        (d / IMAGES).write_bytes(b"")

    def remove(d):
        (d / "t10k-labels-idx1-ubyte.gz").unlink()

    return [
        ("valid", lambda d: None, None),
        ("uncompressed files", plain, None),
        ("truncated gzip", truncate, "train-images"),
        ("corrupt gzip", corrupt, "train-images"),
        ("empty file", empty, "truncated"),
        ("bomb header (1 GiB announced)", replace(IMAGES, struct.pack(">IIII", 0x803, 16384, 256, 256) + bytes(4096)), "not a Fashion-MNIST file"),
        ("lying header (200,000 images announced)", replace(IMAGES, struct.pack(">IIII", 0x803, 200000, 28, 28) + bytes(4096)), "truncated"),
        ("overflowing dimensions", replace(IMAGES, struct.pack(">IIII", 0x803, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF)), "not a Fashion-MNIST file"),
        ("labels magic in images file", replace(IMAGES, struct.pack(">IIII", 0x801, 256, 28, 28) + bytes(256 * 784)), "0x801 (IDX labels"),
        ("images magic in labels file", replace(LABELS, struct.pack(">IIII", 0x803, 256, 1, 1) + bytes(256)), "0x803 (IDX images"),
        ("not IDX", replace(IMAGES, b"hello, world" * 10), "magic number"),
        ("rank 0", replace(IMAGES, struct.pack(">I", 0x800)), "magic number"),
        ("label out of range", replace(LABELS, struct.pack(">II", 0x801, 256) + bytes([42] * 256)), "label 42"),
        ("count mismatch", replace(LABELS, struct.pack(">II", 0x801, 255) + bytes(255)), "holds 256 images but"),
        ("zero images", replace(IMAGES, struct.pack(">IIII", 0x803, 0, 28, 28)), "holds no images"),
        ("trailing data", replace(LABELS, struct.pack(">II", 0x801, 256) + bytes(300)), "beyond"),
        ("FIFO as images file", fifo, "FIFO"),
        ("symlink to a FIFO", link_to_fifo, "FIFO"),
        ("directory as labels file", directory, "directory"),
        ("symlink loop", loop, "train-images"),
        ("missing file", remove, "missing"),
    ]


def load(kernel: Kernel, name: str, timeout: float) -> dict:
    reply = kernel.shell_request("execute_request", {"code": f'load fashion dir="{name}"', "silent": False},
                                 timeout)
    if reply is None:
        kernel.interrupt()
        raise Failure(f"hang: `load` of {name!r} not answered within {timeout:.0f} s")
    return reply["content"]


def run_data(random_faults: int, seed: int, timeout: float) -> int:
    started = time.monotonic()
    rng = random.Random(seed)
    counts = {"faults": 0, "refused": 0, "loaded": 0, "random_corruptions": 0, "max_rss_mb": 0}
    failures: list[str] = []
    with Workdir("nndsl-fuzz-data-") as work:
        kernel = Kernel(work)
        try:
            for i, (name, breaker, fragment) in enumerate(data_faults()):
                d = work / f"case{i}"
                write_idx_dataset(d, train=256, test=64)
                breaker(d)
                counts["faults"] += 1
                content = load(kernel, d.name, timeout)
                text = content.get("evalue", "") + "\n".join(content.get("traceback", []))
                if fragment is None:
                    if content["status"] != "ok":
                        failures.append(f"{name}: a valid directory did not load: {text[:300]}")
                    else:
                        counts["loaded"] += 1
                elif content["status"] != "error":
                    failures.append(f"{name}: loaded although broken")
                elif fragment not in text:
                    failures.append(f"{name}: the error does not say {fragment!r}: {text[:300]}")
                else:
                    counts["refused"] += 1
                kernel.health()
            base = work / "random-base"
            write_idx_dataset(base, train=64, test=16)
            original = (base / IMAGES).read_bytes()
            for j in range(random_faults):
                data = bytearray(original)
                for _ in range(rng.randrange(1, 8)):
                    op = rng.randrange(3)
                    at = rng.randrange(len(data))
                    if op == 0:
                        data[at] = rng.randrange(256)
                    elif op == 1:
                        del data[at:at + rng.randrange(1, 64)]
                    else:
                        data[at:at] = rng.randbytes(rng.randrange(1, 64))
                (base / IMAGES).write_bytes(bytes(data))
                content = load(kernel, base.name, timeout)
                counts["random_corruptions"] += 1
                if content["status"] not in ("ok", "error"):
                    failures.append(f"random corruption {j}: status {content['status']!r}")
                if j % 100 == 99:
                    kernel.health()
            kernel.health()
            counts["max_rss_mb"] = kernel.max_rss_kb // 1024
        except Failure as e:
            failures.append(str(e))
        finally:
            kernel.close()
    return summary("data", counts, failures, started)


def _free_port() -> tuple[socket.socket, int]:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(1)
    return s, s.getsockname()[1]


def connection_faults(work: Path) -> list[tuple[str, Path, set[int]]]:
    good = {"shell_port": 0, "iopub_port": 0, "stdin_port": 0, "control_port": 0, "hb_port": 0,
            "ip": "127.0.0.1", "key": "k", "transport": "tcp", "signature_scheme": "hmac-sha256"}

    def file(name: str, content) -> Path:
        p = work / name
        p.write_bytes(content if isinstance(content, bytes) else json.dumps(content).encode())
        return p

    def variant(**changes):
        d = dict(good)
        for k, v in changes.items():
            if v is None:
                d.pop(k)
            else:
                d[k] = v
        return d

    fifo = work / "fifo.json"
    os.mkfifo(fifo)
    directory = work / "dir.json"
    directory.mkdir()
    return [
        ("missing file", work / "nope.json", {2}),
        ("directory", directory, {2}),
        ("FIFO", fifo, {2}),
        ("empty", file("empty.json", b""), {2}),
        ("not JSON", file("text.json", b"hello"), {2}),
        ("binary", file("bin.json", bytes(range(256)) * 4), {2}),
        ("array", file("array.json", [1, 2]), {2}),
        ("missing port", file("noport.json", variant(shell_port=None)), {2}),
        ("port as string", file("strport.json", variant(shell_port="5000")), {2}),
        ("port out of range", file("bigport.json", variant(hb_port=70000)), {2}),
        ("negative port", file("negport.json", variant(iopub_port=-1)), {2}),
        ("bad transport", file("udp.json", variant(transport="udp")), {2}),
        ("bad scheme", file("scheme.json", variant(signature_scheme="md5-nope")), {2}),
        ("key not a string", file("key.json", variant(key=7)), {2}),
        ("short curve key", file("curve.json", variant(curve_secretkey="short")), {2}),
        ("huge file", file("huge.json", b" " * (2 << 20) + b"{}"), {2}),
        ("bad ip", file("ip.json", variant(ip="not an address")), {1}),
    ]


def start(path: Path, work: Path, timeout: float) -> tuple[int | None, str]:
    proc = subprocess.Popen([str(kernel_binary()), "-f", str(path)], cwd=work, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={"PATH": os.environ.get("PATH", ""), "HOME": str(work)})
    try:
        _, err = proc.communicate(timeout=timeout)
        return proc.returncode, err.decode(errors="replace")
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return None, ""


def run_connection(random_files: int, seed: int, timeout: float) -> int:
    started = time.monotonic()
    rng = random.Random(seed)
    counts = {"faults": 0, "refused": 0, "random_files": 0, "served": 0}
    failures: list[str] = []
    with Workdir("nndsl-fuzz-conn-") as work:
        cases = connection_faults(work)
        held, port = _free_port()
        taken = work / "taken.json"
        taken.write_text(json.dumps({"shell_port": port, "iopub_port": 0, "stdin_port": 0, "control_port": 0,
                                     "hb_port": 0, "ip": "127.0.0.1", "key": "k", "transport": "tcp"}))
        cases.append(("port in use", taken, {1}))
        for name, path, expected in cases:
            counts["faults"] += 1
            code, err = start(path, work, timeout)
            lines = [l for l in err.splitlines() if l.strip()]
            if code is None:
                failures.append(f"{name}: hang: still running after {timeout:.0f} s")
            elif code < 0:
                failures.append(f"{name}: crashed with signal {-code}")
            elif code not in expected:
                failures.append(f"{name}: exit status {code}, expected {sorted(expected)}: {err[-300:]}")
            elif not lines or "error: " not in lines[-1] or "NSCocoaErrorDomain" in err:
                failures.append(f"{name}: unclear message: {err[-300:]!r}")
            else:
                counts["refused"] += 1
        held.close()
        base = json.dumps({"shell_port": 0, "iopub_port": 0, "stdin_port": 0, "control_port": 0,
                           "hb_port": 0, "ip": "127.0.0.1", "key": "k", "transport": "tcp",
                           "signature_scheme": "hmac-sha256"}).encode()
        for j in range(random_files):
            data = bytearray(base)
            for _ in range(rng.randrange(1, 5)):
                at = rng.randrange(len(data))
                data[at] = rng.choice(b'{}[]":,0123456789-. abcxyz\x00\xff')
            path = work / f"random-{j}.json"
            path.write_bytes(bytes(data))
            counts["random_files"] += 1
            proc = subprocess.Popen([str(kernel_binary()), "-f", str(path)], cwd=work, stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                    env={"PATH": os.environ.get("PATH", ""), "HOME": str(work)})
            try:
                _, err = proc.communicate(timeout=2)
                if proc.returncode < 0:
                    failures.append(f"random file {j}: crashed with signal {-proc.returncode}: {bytes(data)!r}")
                elif proc.returncode not in (1, 2):
                    failures.append(f"random file {j}: exit status {proc.returncode}")
            except subprocess.TimeoutExpired:
                # Still running: it accepted the file and is serving; it must answer and shut down.
                counts["served"] += 1
                proc.terminate()
                try:
                    proc.communicate(timeout=timeout)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.communicate()
                    failures.append(f"random file {j}: did not stop on SIGTERM")
        # All ports 0: served, and the chosen ports written back.
        served = work / "served"
        served.mkdir()
        try:
            kernel = Kernel(served)
            try:
                kernel.health()
                info = json.loads(kernel.connection_file.read_text())
                if 0 in (info["shell_port"], info["iopub_port"], info["stdin_port"], info["control_port"], info["hb_port"]):
                    failures.append(f"ports 0 were not all written back: {info}")
                if "bound tcp ports" not in kernel.log_tail():
                    failures.append("the chosen ports were not logged")
                counts["served"] += 1
            finally:
                kernel.close()
        except Failure as e:
            failures.append(f"ports 0: {e}")
    return summary("connection", counts, failures, started)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("suite", choices=["data", "connection"])
    p.add_argument("--count", type=int, default=1000, help="random corruptions (data) or random files (connection)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--timeout", type=float, default=15.0)
    a = p.parse_args()
    if a.suite == "data":
        return run_data(a.count, a.seed, a.timeout)
    return run_connection(a.count, a.seed, a.timeout)


if __name__ == "__main__":
    sys.exit(main())
