"""papermill injects parameters into NN DSL notebooks (`-p epochs 2 -p lr 0.01`), the runs use
them, and an unknown parameter fails in the injected cell with the kernel's diagnostic."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from conftest import KERNEL_NAME

import nndsl_jupyter  # noqa: F401,E402  (python/nndsl_jupyter, installed by scripts/jupyter-venv.sh)
import papermill  # noqa: F401,E402


def parameter_notebook(path: Path, idx_dir: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    # Papermill's kernel (-k) is the test kernelspec; the notebook names the usual one, as a
    # notebook written on a student's machine would.
    nb.metadata["kernelspec"] = {"name": "nndsl", "display_name": "NN DSL", "language": "nndsl"}
    params = nbformat.v4.new_code_cell("set epochs=1 lr=1e-3  # defaults, overridden by papermill -p")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [
        nbformat.v4.new_code_cell(f'load fashion dir="{idx_dir}" train=128 test=32\nmodel 784-16-relu-10'),
        params,
        nbformat.v4.new_code_cell("train batch=64 as baseline"),
        nbformat.v4.new_code_cell('print "used:" baseline.epochs baseline.lr baseline.opt'),
    ]
    nbformat.write(nb, str(path))
    return path


def papermill(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "papermill", *args], capture_output=True, text=True,
                          timeout=180, cwd=cwd, env=dict(os.environ))


def stdout_of(cell) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def test_parameters_reach_the_runs(idx_dir, tmp_path):
    source = parameter_notebook(tmp_path / "in.ipynb", idx_dir)
    done = papermill(str(source), "out.ipynb", "-k", KERNEL_NAME, "-p", "epochs", "2", "-p", "lr", "0.01",
                     "-p", "opt", "sgd", cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    # papermill reads the parameters cell's `set` statements, so it knows epochs and lr (not opt).
    assert "Passed unknown parameter: epochs" not in done.stderr
    assert "Passed unknown parameter: opt" in done.stderr
    nb = nbformat.read(str(tmp_path / "out.ipynb"), as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected and injected[0].source == "# Parameters\nset epochs=2\nset lr=0.01\nset opt=sgd\n"
    assert nb.cells.index(injected[0]) == 2, "injected right after the parameters cell"
    assert not [o for c in nb.cells for o in c.outputs if o.output_type == "error"]
    assert stdout_of(nb.cells[-1]).split() == ["used:", "2", "0.01", "sgd"]


def test_inspect_notebook_lists_the_set_parameters(idx_dir, tmp_path):
    import papermill as pm

    found = pm.inspect_notebook(str(parameter_notebook(tmp_path / "in.ipynb", idx_dir)))
    assert {k: (v["inferred_type_name"], v["default"]) for k, v in found.items()} == {
        "epochs": ("int", "1"), "lr": ("float", "1e-3")}


def test_unknown_parameter_fails_in_the_injected_cell(idx_dir, tmp_path):
    source = parameter_notebook(tmp_path / "in.ipynb", idx_dir)
    done = papermill(str(source), "out.ipynb", "-k", KERNEL_NAME, "-p", "epochz", "2", cwd=tmp_path)
    assert done.returncode != 0
    nb = nbformat.read(str(tmp_path / "out.ipynb"), as_version=4)
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    errors = [o for o in injected.outputs if o.output_type == "error"]
    assert errors, injected.outputs
    text = "\n".join(errors[0].traceback)
    assert "unknown parameter 'epochz' for 'set'" in text and "did you mean 'epochs'?" in text, text
    assert "epochz" in done.stderr  # papermill reports the failing cell's error too
    later = nb.cells[nb.cells.index(injected) + 1:]
    assert all(c.execution_count is None for c in later), "nothing after the failing cell runs"


def test_value_without_a_form_stops_papermill_naming_it(idx_dir, tmp_path):
    import papermill as pm
    from papermill.exceptions import PapermillException

    source = parameter_notebook(tmp_path / "in.ipynb", idx_dir)
    with pytest.raises(PapermillException, match="nndsl: cannot pass parameter 'cfg': a mapping"):
        pm.execute_notebook(str(source), str(tmp_path / "out.ipynb"), parameters={"cfg": {"a": 1}},
                            kernel_name=KERNEL_NAME, progress_bar=False)
