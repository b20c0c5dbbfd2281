"""nbclient executes a notebook for this kernel: load a small data set, train, compare, plot."""
from __future__ import annotations

import nbformat
from nbclient import NotebookClient

from conftest import KERNEL_NAME


def test_notebook_runs_with_tables_and_svgs(idx_dir, tmp_path):
    cells = [
        f'load fashion dir="{idx_dir}"\nmodel 784-128-relu-10\nset epochs=2 seed=0',
        "train batch=32 as baseline\ntrain batch=64 as big_batch",
        "compare",
        "plot test_acc",
        "get epochs",
    ]
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "NN DSL", "language": "nndsl"}
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    client = NotebookClient(nb, kernel_name=KERNEL_NAME, timeout=300, allow_errors=False,
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    nbformat.validate(nb)

    outputs = [o for cell in nb.cells for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    mimes = {m for o in outputs if o.output_type in ("display_data", "execute_result") for m in o.data}
    assert "text/html" in mimes, "compare should show an HTML table"
    assert "image/svg+xml" in mimes, "plot should show an SVG"
    counts = [c.execution_count for c in nb.cells]
    assert counts == list(range(1, len(cells) + 1))
    result = [o for o in nb.cells[-1].outputs if o.output_type == "execute_result"]
    assert result and result[0].data["text/plain"] == "2", "set epochs=2 is the session default"
    # The live progress display ends showing the finished state (nbclient applies updates).
    train_outputs = nb.cells[1].outputs
    progress = [o for o in train_outputs if o.output_type == "display_data"
                and "nndsl-progress" in o.data.get("text/html", "")]
    assert progress, "training should show a progress display"
    assert "epoch 2/2" in progress[-1].data["text/plain"]
