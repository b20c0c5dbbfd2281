"""Highlighting: kernel_info names the chosen CodeMirror mode and our Pygments lexer, nbconvert
colours an executed notebook with it (HTML and LaTeX, no "No lexer found"), and the lexer's words
are the kernel's own (`kernel vocabulary`)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import KERNEL_NAME
from kernel_harness import running_kernel

# python/nndsl_jupyter, installed into .venv by scripts/jupyter-venv.sh
from nndsl_jupyter.vocabulary import from_kernel, vocabulary

# JupyterLab's built-in mode that colours comments, strings, all number forms and `as`/`print`
# (compared with shell, r, julia, toml, ... by Tests/lab/codemirror_modes.py).
CODEMIRROR_MODE = "python"


def test_packaged_vocabulary_is_the_kernels(kernel_bin):
    assert vocabulary() == from_kernel(str(kernel_bin)), (
        "python/nndsl_jupyter/src/nndsl_jupyter/vocabulary.json differs from `kernel vocabulary`; "
        "regenerate it: .venv/bin/python -m nndsl_jupyter.vocabulary .build/debug/kernel > "
        "python/nndsl_jupyter/src/nndsl_jupyter/vocabulary.json")


def test_kernel_info_names_codemirror_mode_and_lexer():
    with running_kernel() as (_, kc):
        msg_id = kc.kernel_info()
        reply = kc.get_shell_msg(timeout=30)
        assert reply["parent_header"]["msg_id"] == msg_id
        info = reply["content"]["language_info"]
    assert info["codemirror_mode"] == CODEMIRROR_MODE
    assert info["pygments_lexer"] == "nndsl"
    from pygments.lexers import get_lexer_by_name

    assert type(get_lexer_by_name(info["pygments_lexer"])).__module__ == "nndsl_jupyter.lexer"


@pytest.fixture(scope="module")
def executed_notebook(idx_dir, tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("highlight")
    cells = [
        f'# %% set-up\nload fashion dir="{idx_dir}" train=128 test=32  # tiny data\nmodel 784-16-relu-10',
        "set epochs=1 seed=0 zero_grad=on\ntrain batch=32 lr=1e-3 opt=adam as baseline",
        'compare baseline baseline=baseline\nprint "acc:\\t" baseline.test_acc',
    ]
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "NN DSL", "language": "nndsl"}
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    NotebookClient(nb, kernel_name=KERNEL_NAME, timeout=120, resources={"metadata": {"path": str(work)}}).execute()
    assert nb.metadata["language_info"]["pygments_lexer"] == "nndsl"
    path = work / "executed.ipynb"
    nbformat.write(nb, str(path))
    return path


def nbconvert(notebook: Path, to: str) -> tuple[str, str]:
    """`jupyter nbconvert --to TO --stdout NOTEBOOK`: (output, log)."""
    out = subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", to, "--stdout", str(notebook)],
        capture_output=True, text=True, timeout=120, env=dict(os.environ), check=True)
    return out.stdout, out.stderr


def test_nbconvert_html_colours_our_statements(executed_notebook):
    html, log = nbconvert(executed_notebook, "html")
    assert "No lexer found" not in log, log
    for fragment in [
        '<span class="k">load</span>', '<span class="k">train</span>', '<span class="k">compare</span>',
        '<span class="no">fashion</span>', '<span class="na">batch</span>', '<span class="o">=</span>',
        '<span class="mi">32</span>', '<span class="mf">1e-3</span>', '<span class="no">adam</span>',
        '<span class="kc">on</span>', '<span class="k">as</span>', '<span class="nv">baseline</span>',
        '<span class="py">test_acc</span>', '<span class="se">\\t</span>', '<span class="nb">relu</span>',
        '<span class="c1"># tiny data</span>', '<span class="cs"># %% set-up</span>',
    ]:
        assert fragment in html, fragment


def test_nbconvert_latex_colours_our_statements(executed_notebook):
    import warnings

    from nbconvert import LatexExporter

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        latex, _ = LatexExporter().from_filename(str(executed_notebook))
    assert not [w for w in caught if "No lexer found" in str(w.message)]
    for fragment in [r"\PY{k}{train}", r"\PY{n+na}{batch}", r"\PY{n+nv}{baseline}", r"\PY{c+c1}{\PYZsh{} tiny data}"]:
        assert fragment in latex, fragment


def test_study_script_has_no_unknown_words_at_statement_starts():
    from conftest import REPO
    from nndsl_jupyter.lexer import NNDSLLexer
    from nndsl_jupyter.scanner import statements
    from pygments.token import Keyword

    source = (REPO / "notebooks" / "study.nb").read_text(encoding="utf-8")
    tokens = {pos: kind for pos, kind, _ in NNDSLLexer().get_tokens_unprocessed(source)}
    starts = [s[0] for s in statements(source)]
    assert starts and all(tokens[t.start] is Keyword for t in starts), \
        [t.text for t in starts if tokens[t.start] is not Keyword]
