"""The language's words by role, as the kernel itself lists them (`kernel vocabulary`).

``vocabulary.json`` next to this file is generated from the kernel's help catalog and checker
tables; a test compares it with the built kernel's output. Regenerate it with

    python -m nndsl_jupyter.vocabulary path/to/kernel > python/nndsl_jupyter/src/nndsl_jupyter/vocabulary.json
"""
from __future__ import annotations

import json
import subprocess
import sys
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def vocabulary() -> dict:
    """The packaged vocabulary (statements, parameters, values, metrics, fields, ...)."""
    return json.loads(resources.files(__package__).joinpath("vocabulary.json").read_text("utf-8"))


def from_kernel(kernel: str) -> dict:
    """The vocabulary a kernel binary reports."""
    out = subprocess.run([kernel, "vocabulary"], check=True, capture_output=True, text=True, timeout=60)
    return json.loads(out.stdout)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m nndsl_jupyter.vocabulary KERNEL_BINARY > vocabulary.json")
    print(json.dumps(from_kernel(sys.argv[1]), indent=2, sort_keys=True, ensure_ascii=False))
