"""Shared set-up for the Jupyter tests: the built `kernel` binary, a temporary kernelspec
(installed with `kernel install --prefix`, found through JUPYTER_PATH) and tiny IDX data sets.

Run from the repository root after `swift build` and `scripts/jupyter-venv.sh`:

    .venv/bin/python -m pytest Tests/jupyter -q

KERNEL_BIN overrides the binary (default: .build/debug/kernel, else .build/release/kernel).
"""
from __future__ import annotations

import atexit
import gzip
import os
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

REPO = Path(__file__).resolve().parents[2]
KERNEL_NAME = "nndsl-test"


def kernel_binary() -> Path:
    env = os.environ.get("KERNEL_BIN")
    if env:
        return Path(env).resolve()
    for config in ("debug", "release"):
        path = REPO / ".build" / config / "kernel"
        if path.exists():
            return path
    raise RuntimeError("no kernel binary: run `swift build --product kernel` or set KERNEL_BIN")


def _install_test_kernelspec() -> Path:
    """Installs the kernelspec under a temporary prefix once per test run."""
    prefix = Path(tempfile.mkdtemp(prefix="nndsl-kernelspec-"))
    atexit.register(shutil.rmtree, prefix, True)
    subprocess.run(
        [str(kernel_binary()), "install", "--prefix", str(prefix), "--name", KERNEL_NAME,
         "--display-name", "NN DSL (test)"],
        check=True, capture_output=True, timeout=60,
    )
    data = prefix / "share" / "jupyter"
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        [str(data)] + [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p])
    return data


TEST_DATA_DIR = _install_test_kernelspec()

# Kernels started by these tests run in the repository; keep their runs in memory unless a test
# (test_store.py) chooses a store in a temporary directory.
os.environ.setdefault("NNDSL_STORE", "off")


def write_idx_dataset(directory: Path, train: int = 256, test: int = 64, seed: int = 0) -> Path:
    """Writes a tiny Fashion-MNIST-shaped data set (IDX, gzip) the DSL can `load fashion dir=...`.

    Each class gets a distinct bright band, so a one-epoch run learns something.
    """
    import random

    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)

    def images_and_labels(n: int) -> tuple[bytes, bytes]:
        pixels = bytearray()
        labels = bytearray()
        for i in range(n):
            label = i % 10
            labels.append(label)
            image = bytearray(rng.randrange(0, 40) for _ in range(784))
            for row in range(label * 2 + 4, label * 2 + 7):
                for col in range(4, 24):
                    image[row * 28 + col] = 200 + rng.randrange(0, 55)
            pixels += image
        image_file = struct.pack(">IIII", 0x803, n, 28, 28) + bytes(pixels)
        label_file = struct.pack(">II", 0x801, n) + bytes(labels)
        return image_file, label_file

    for prefix, n in (("train", train), ("t10k", test)):
        images, labels = images_and_labels(n)
        for name, payload in ((f"{prefix}-images-idx3-ubyte", images),
                              (f"{prefix}-labels-idx1-ubyte", labels)):
            with gzip.open(directory / f"{name}.gz", "wb") as f:
                f.write(payload)
    return directory


@pytest.fixture(scope="session")
def kernel_bin() -> Path:
    return kernel_binary()


@pytest.fixture(scope="session")
def idx_dir(tmp_path_factory) -> Path:
    return write_idx_dataset(tmp_path_factory.mktemp("idx"))
