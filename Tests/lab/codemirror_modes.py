"""Renders the same NN DSL cells under several built-in CodeMirror modes of JupyterLab, one
screenshot each, to choose the kernel's `language_info.codemirror_mode` (not a test: a tool).

Starts JupyterLab (as Tests/lab/lab_check.py does) with one notebook of typical cells, switches the
notebook's language_info.codemirror_mode in the page for each candidate and saves
OUT/<mode>.png plus OUT/modes.json (for each mode, the CSS colour of every highlighted word).

    .venv/bin/python Tests/lab/codemirror_modes.py --kernelspec-dir P/share/jupyter --out /tmp/cm
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import lab_check  # noqa: E402

CELL = """# %% P1: baseline and variants
load fashion dir="/data/fashion" train=6000   # a comment
model 784-128-relu-10
set epochs=10 seed=0 device=auto zero_grad=off
train batch=32 lr=1e-3 opt=adam as baseline
sweep batch=16,64 lr=0.01,1e-4 as bs
compare baseline bs_batch16 baseline=baseline
plot grad_sq baseline layer=1 per=step log=on
print "best:\\t" baseline.best_test_acc; export file="runs.json"
"""
MODES = ["text/plain", "python", "shell", "toml", "r", "julia", "ruby", "perl", "properties", "yaml",
         "powershell", "tcl", "coffeescript", "cmake"]

JS_SET_MODE = """
const w = window.jupyterapp.shell.currentWidget;
w.content.model.setMetadata('language_info', {name: 'nndsl', codemirror_mode: arguments[0]});
return w.content.codeMimetype;
"""
JS_COLOURS = """
const editor = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell .cm-content');
const out = [];
editor.querySelectorAll('span').forEach((s) => {
  const c = getComputedStyle(s).color;
  if (s.children.length === 0 && s.textContent.trim()) out.push([s.textContent, c]);
});
return out;
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kernelspec-dir", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    import nbformat

    work = Path(tempfile.mkdtemp(prefix="nndsl-cm-"))
    root = work / "root"
    root.mkdir()
    nb = lab_check.new_notebook([CELL])
    nbformat.write(nb, str(root / "modes.ipynb"))
    server = lab_check.LabServer(work, root, args.kernelspec_dir, timeout=120)
    driver = None
    report = {}
    try:
        server.start()
        driver = lab_check.start_browser(args.chromium, args.chromedriver, work / "profile", 1000, 560)
        driver.get(server.url("/lab/tree/modes.ipynb") + "&reset")
        lab_check.wait_until("the kernel", lambda: lab_check.kernel_status(driver) == "idle", 120)
        driver.execute_script("window.jupyterapp.shell.collapseLeft();")
        time.sleep(2)  # kernel_info has set the kernel's own mode by now; override it per mode
        for mode in MODES:
            mime = driver.execute_script(JS_SET_MODE, mode)
            time.sleep(1.5)
            name = mode.replace("/", "-")
            driver.save_screenshot(str(args.out / f"{name}.png"))
            report[mode] = {"mimetype": mime, "colours": driver.execute_script(JS_COLOURS)}
            lab_check.log(f"{mode}: {mime}")
        (args.out / "modes.json").write_text(json.dumps(report, indent=1))
    finally:
        if driver is not None:
            driver.quit()
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
