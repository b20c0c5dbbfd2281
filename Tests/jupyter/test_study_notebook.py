"""The whole study as a notebook (notebooks/study.ipynb) runs through nbclient on the real
Fashion-MNIST (Debian's dataset-fashion-mnist), with fewer epochs and a subset so CI stays short,
and ends without error with the P1 table, the δ² plot, the P3 comparison and the report."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import KERNEL_NAME, REPO

FASHION = Path("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")


def test_study_notebook_is_generated_from_the_script():
    subprocess.run([sys.executable, str(REPO / "scripts" / "make-study-notebook.py"), "--check"],
                   check=True)


def outputs_of(nb, mime):
    return [o.data[mime] for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs
            if o.output_type in ("display_data", "execute_result") and mime in o.data]


@pytest.mark.skipif(not FASHION.exists(), reason="needs dataset-fashion-mnist (scripts/test.sh installs it)")
def test_study_notebook_runs_end_to_end(tmp_path):
    nb = nbformat.read(REPO / "notebooks" / "study.ipynb", as_version=4)
    # Papermill-style parameters: a 3,000/1,000 subset and 1 epoch instead of 60,000/10,000 and 10.
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = (cell.source.replace("load fashion\n", "load fashion train=3000 test=1000\n")
                           .replace("set epochs=10", "set epochs=1"))
    assert "train=3000" in "".join(c.source for c in nb.cells), "the load statement moved"
    client = NotebookClient(nb, kernel_name=KERNEL_NAME, timeout=600, allow_errors=False,
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    nbformat.validate(nb)

    errors = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs
              if o.output_type == "error"]
    assert not errors, errors
    html = "\n".join(outputs_of(nb, "text/html"))
    svg = "\n".join(outputs_of(nb, "image/svg+xml"))
    # P1: one row per variant, with what changed against the baseline.
    for change in ("batch=16", "batch=64", "lr=0.01", "lr=0.0001", "opt=sgd"):
        assert change in html, f"P1 table lacks {change}"
    # P2: the δ² plot of the first Linear layer, per epoch and per step.
    assert "δ² at the output of Linear layer 1" in svg
    # P3: the comparison with zero_grad=off.
    assert "zero_grad=off" in html
    # The write-up and the exports land next to the notebook.
    for name in ("report.html", "report.md", "runs.csv", "runs-epochs.csv", "runs.json"):
        assert (tmp_path / name).exists(), name
    assert "<svg" in (tmp_path / "report.html").read_text(encoding="utf-8")
