#!/usr/bin/env python3
"""Writes notebooks/study.ipynb from notebooks/study.nb: one notebook cell per `# %%` script cell,
the cell title as a Markdown heading above it. The script is the source of truth; a test checks
that the notebook is up to date.

Usage: python3 scripts/make-study-notebook.py [--check]
"""
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "notebooks" / "study.nb"
NOTEBOOK = REPO / "notebooks" / "study.ipynb"


def cells_of(script: str):
    """(title, code) per cell; text before the first separator becomes an introduction."""
    intro, cells, title, lines = [], [], None, None
    for line in script.splitlines():
        stripped = line.strip()
        if stripped == "# %%" or stripped.startswith("# %% "):
            if lines is not None:
                cells.append((title, "\n".join(lines).strip("\n")))
            title, lines = stripped[4:].strip() or None, []
        elif lines is None:
            intro.append(line)
        else:
            lines.append(line)
    if lines is not None:
        cells.append((title, "\n".join(lines).strip("\n")))
    return intro, cells


def source(text: str):
    parts = text.split("\n")
    return [p + "\n" for p in parts[:-1]] + [parts[-1]]


def build() -> str:
    intro, cells = cells_of(SCRIPT.read_text(encoding="utf-8"))
    nb_cells = []
    heading = "# Training study: batch size, learning rate, optimizer and gradient zeroing\n\n"
    comments = [l.lstrip("# ").rstrip() for l in intro if l.startswith("#")]
    nb_cells.append({"cell_type": "markdown", "metadata": {},
                     "source": source(heading + "\n".join(comments))})
    for title, code in cells:
        if title:
            nb_cells.append({"cell_type": "markdown", "metadata": {}, "source": source("## " + title)})
        nb_cells.append({"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                         "source": source(code)})
    nb = {
        "cells": nb_cells,
        "metadata": {
            "kernelspec": {"display_name": "NN DSL", "language": "nndsl", "name": "nndsl"},
            "language_info": {"name": "nndsl", "file_extension": ".nb"},
        },
        "nbformat": 4, "nbformat_minor": 5,
    }
    for i, cell in enumerate(nb["cells"]):
        cell["id"] = f"cell-{i:02d}"
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    text = build()
    if "--check" in sys.argv:
        current = NOTEBOOK.read_text(encoding="utf-8") if NOTEBOOK.exists() else ""
        if current != text:
            sys.exit("notebooks/study.ipynb is out of date: run python3 scripts/make-study-notebook.py")
        print("notebooks/study.ipynb is up to date")
    else:
        NOTEBOOK.write_text(text, encoding="utf-8")
        print(f"wrote {NOTEBOOK.relative_to(REPO)}")
