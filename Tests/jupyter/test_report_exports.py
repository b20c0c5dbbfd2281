"""The hand-in routes from a notebook: `report file="report.pdf"` writes a PDF and shows a link with
a summary; every chart carries a PNG and a PDF of its SVG, so nbconvert's LaTeX export (and its PDF
export, where xelatex is installed) has pictures without Inkscape. Checked with real nbclient,
nbconvert and poppler-utils."""
from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import KERNEL_NAME

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def run_notebook(cells: list[str], directory: Path, env: dict[str, str] | None = None):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "NN DSL", "language": "nndsl"}
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    old = {k: os.environ.get(k) for k in (env or {})}
    os.environ.update(env or {})
    try:
        client = NotebookClient(nb, kernel_name=KERNEL_NAME, timeout=300, allow_errors=True,
                                resources={"metadata": {"path": str(directory)}})
        client.execute()
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    nbformat.validate(nb)
    return nb


def displays(cell):
    return [o for o in cell.outputs if o.output_type in ("display_data", "execute_result")]


def pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                          text=True, timeout=60).stdout


def test_report_pdf_link_summary_and_png_charts(idx_dir, tmp_path):
    nb = run_notebook([
        f'load fashion dir="{idx_dir}"\nmodel 784-16-relu-10\nset epochs=2 seed=0',
        "train batch=32 as baseline\ntrain zero_grad=off as no_zero_grad",
        "plot test_acc",
        'report file="report.pdf"',
    ], tmp_path)
    errors = [o for c in nb.cells for o in c.outputs if o.output_type == "error"]
    assert not errors, errors

    # The chart: SVG and a PNG of it.
    chart = displays(nb.cells[2])
    assert chart and "image/svg+xml" in chart[0].data
    png = base64.b64decode(chart[0].data["image/png"])
    assert png.startswith(PNG_SIGNATURE) and len(png) > 5000

    # The report: a link to the file and a summary, not only a path.
    shown = displays(nb.cells[3])
    assert shown, nb.cells[3].outputs
    html = shown[0].data["text/html"]
    assert '<a href="report.pdf"' in html
    assert re.search(r"\d+ pages", html) and "P1 — parameters vs time and accuracy" in html
    assert shown[0].data["text/plain"].startswith("wrote the report to ")

    pdf = tmp_path / "report.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "(A4)" in info
    text = pdftotext(pdf)
    for needle in ("baseline", "no_zero_grad", "P2 — δ²", "P3 — gradient zeroing", "GPU use and how it was verified"):
        assert needle in text, needle


def test_report_pdf_without_cairo_is_a_clear_error_and_pngs_are_left_out(idx_dir, tmp_path):
    nb = run_notebook([
        f'load fashion dir="{idx_dir}"\nmodel 784-8-relu-10\nset epochs=1',
        "train as a\nplot test_acc",
        'report file="report.pdf"',
        'report file="report.html"',
    ], tmp_path, env={"NNDSL_RSVG_PATH": str(tmp_path / "missing" / "librsvg-2.so.2")})
    chart = [o for o in displays(nb.cells[1]) if "image/svg+xml" in o.data]
    assert chart and "image/png" not in chart[0].data, "no PNG where librsvg is missing; the SVG stays"
    error = [o for o in nb.cells[2].outputs if o.output_type == "error"]
    assert error and "cannot write a PDF report" in error[0].evalue
    assert "librsvg2-2" in "\n".join(error[0].traceback)
    assert not (tmp_path / "report.pdf").exists()
    assert (tmp_path / "report.html").exists(), "the kernel keeps serving; HTML still works"


def test_nbconvert_latex_export_works_without_inkscape(idx_dir, tmp_path):
    """nbconvert converts every SVG through Inkscape unless the output already holds
    application/pdf; the kernel's charts carry it (and a PNG), so the export needs no Inkscape
    and includes each chart as a vector PDF."""
    nb = run_notebook([
        f'load fashion dir="{idx_dir}"\nmodel 784-16-relu-10\nset epochs=2 seed=0',
        "train as baseline\ntrain lr=0.01 as lr_high",
        "plot test_acc",
        "plot grad_sq layer=1",
    ], tmp_path)
    for cell in nb.cells[2:]:
        data = displays(cell)[0].data
        assert base64.b64decode(data["image/png"]).startswith(PNG_SIGNATURE)
        assert base64.b64decode(data["application/pdf"]).startswith(b"%PDF")
    path = tmp_path / "study.ipynb"
    nbformat.write(nb, path)
    out = tmp_path / "latex"
    env = dict(os.environ, PATH=os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep)
                                                if not (Path(p) / "inkscape").exists()))
    result = subprocess.run([sys.executable, "-m", "nbconvert", "--to", "latex", str(path), "--output-dir", str(out)],
                            capture_output=True, text=True, timeout=180, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    tex = (out / "study.tex").read_text(encoding="utf-8")
    images = re.findall(r"\{(study_files/[^}]+\.(?:pdf|png))\}", tex)
    assert len(images) == 2, f"each chart should be included as an image: {images}"
    for image in images:
        head = (out / image).read_bytes()[:8]
        assert head.startswith(b"%PDF") or head == PNG_SIGNATURE, image
    assert ".svg" not in tex, "LaTeX cannot include SVG without Inkscape"

    # Asked for bitmaps instead (e.g. for a size limit), the same export uses the PNGs.
    png_out = tmp_path / "latex-png"
    subprocess.run([sys.executable, "-m", "nbconvert", "--to", "latex", str(path), "--output-dir", str(png_out),
                    "--LatexExporter.exclude_input=False", "--NbConvertBase.display_data_priority=['image/png','text/plain']"],
                   check=True, capture_output=True, text=True, timeout=180, env=env)
    png_tex = (png_out / "study.tex").read_text(encoding="utf-8")
    pngs = re.findall(r"\{(study_files/[^}]+\.png)\}", png_tex)
    assert len(pngs) == 2 and all((png_out / p).read_bytes().startswith(PNG_SIGNATURE) for p in pngs)


@pytest.mark.skipif(shutil.which("xelatex") is None, reason="xelatex is not installed (texlive-xetex)")
def test_nbconvert_pdf_export(idx_dir, tmp_path):
    nb = run_notebook([
        f'load fashion dir="{idx_dir}"\nmodel 784-16-relu-10\nset epochs=1',
        "train as baseline",
        "plot test_acc",
    ], tmp_path)
    path = tmp_path / "study.ipynb"
    nbformat.write(nb, path)
    subprocess.run([sys.executable, "-m", "nbconvert", "--to", "pdf", str(path), "--output-dir", str(tmp_path)],
                   check=True, capture_output=True, text=True, timeout=300)
    assert (tmp_path / "study.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("missing", [False, True], ids=["with-librsvg", "without-librsvg"])
def test_script_mode_png_flag(idx_dir, tmp_path, missing):
    from conftest import kernel_binary

    script = tmp_path / "exp.nb"
    script.write_text(f'load fashion dir="{idx_dir}"\nmodel 784-8-relu-10\nset epochs=1\ntrain as a\nplot test_acc\n',
                      encoding="utf-8")
    env = dict(os.environ)
    if missing:
        env["NNDSL_RSVG_PATH"] = str(tmp_path / "missing" / "librsvg-2.so.2")
    out = tmp_path / "out"
    result = subprocess.run([str(kernel_binary()), "--script", str(script), "--out", str(out), "--png"],
                            capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    files = sorted(p.name for p in out.iterdir())
    assert "01-test-accuracy.svg" in files
    if missing:
        assert "01-test-accuracy.png" not in files
        assert "warning: --png: charts are written as SVG only" in result.stderr
        assert "librsvg2-2" in result.stderr
    else:
        assert (out / "01-test-accuracy.png").read_bytes().startswith(PNG_SIGNATURE)
        assert "01-test-accuracy.png" in result.stdout
