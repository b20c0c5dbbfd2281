"""Checks the kernel in a real JupyterLab, driven through headless Chromium (run by scripts/test.sh).

Starts `jupyter lab` on a free loopback port with a random token and a temporary root directory
holding one small notebook for the "nndsl" kernel, opens it in headless Chromium through Selenium,
runs every cell from the Run menu, waits until the kernel is idle, and then checks what a user sees:

  * every code cell ran (an execution count, no "[*]") and no cell shows an error output;
  * the `compare` cell shows an HTML table containing "baseline";
  * the `plot` cell shows an SVG chart;
  * `help train` shows its help text;
  * Tab after `trai` in a new cell offers (or completes to) `train` (best effort: a warning only);
  * a notebook executed with nbclient (as papermill does) and then opened, so untrusted, still
    shows its chart and its table.

It saves a screenshot and always shuts the browser, the server and the kernel down. Exit status:
0 all checks passed, 1 a check failed, 2 the set-up failed (server, browser, kernelspec).

Run it through scripts/lab-check.sh, which installs what it needs first. Directly:

    .venv/bin/python Tests/lab/lab_check.py --kernelspec-dir P/share/jupyter --screenshot out.png
"""
from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

KERNEL_NAME = "nndsl"
CELLS = [
    "load fashion train=2000 test=500",
    "model 784-64-relu-10",
    "set epochs=2",
    "train as baseline",
    "compare",
    "plot test_acc",
    "help train",
]
COMPARE_CELL = CELLS.index("compare")
PLOT_CELL = CELLS.index("plot test_acc")
HELP_CELL = CELLS.index("help train")
# A notebook executed outside the browser (nbclient, as papermill does) and then opened: untrusted.
UNTRUSTED_CELLS = [
    "load fashion train=500 test=200",
    "model 784-32-relu-10",
    "set epochs=1",
    "train as baseline",
    "compare",
    "plot test_acc",
]


class CheckFailed(Exception):
    """A check on what JupyterLab shows failed."""


class SetupFailed(Exception):
    """The server, the browser or the kernelspec could not be set up."""


def log(message: str) -> None:
    print(f"[lab-check {time.strftime('%H:%M:%S')}] {message}", flush=True)


def wait_until(what: str, predicate, timeout: float, interval: float = 0.5, error=CheckFailed):
    """Polls `predicate` until it returns a truthy value; raises `error` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last_exception: Exception | None = None
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except (CheckFailed, SetupFailed):
            raise
        except Exception as exc:  # the DOM changes under us while JupyterLab renders
            last_exception = exc
        time.sleep(interval)
    detail = f" (last error: {type(last_exception).__name__}: {last_exception})" if last_exception else ""
    raise error(f"timed out after {timeout:.0f} s waiting for {what}{detail}")


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def new_notebook(cells: list[str]):
    """A notebook for the nndsl kernel with one code cell per source."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "NN DSL", "language": "nndsl"}
    nb.metadata["language_info"] = {"name": "nndsl", "file_extension": ".nb"}
    nb.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    return nb


def write_notebook(path: Path) -> None:
    import nbformat

    nbformat.write(new_notebook(CELLS), str(path))


def write_lab_settings(settings_dir: Path) -> None:
    """Settings that keep the check deterministic: no news or update toasts, and every cell kept
    in the DOM (no windowing), so off-screen outputs can be inspected."""
    files = {
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
            {"fetchNews": "false", "checkForUpdates": False, "doNotDisturbMode": True},
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    }
    for relative, content in files.items():
        target = settings_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(content))


class LabServer:
    """`jupyter lab` on 127.0.0.1 in its own process group, with isolated config and runtime dirs."""

    def __init__(self, work: Path, root: Path, kernelspec_dir: Path, timeout: float):
        self.work, self.root, self.timeout = work, root, timeout
        self.port = free_loopback_port()
        self.token = secrets.token_hex(24)
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = work / "jupyter-lab.log"
        self.process: subprocess.Popen | None = None
        self.kernel_pids: set[int] = set()
        env = dict(os.environ)
        for name, sub in (("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_RUNTIME_DIR", "runtime"),
                          ("JUPYTERLAB_SETTINGS_DIR", "settings"),
                          ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"), ("JUPYTER_DATA_DIR", "data")):
            (work / sub).mkdir(parents=True, exist_ok=True)
            env[name] = str(work / sub)
        write_lab_settings(work / "settings")
        env["JUPYTER_PATH"] = os.pathsep.join(
            [str(kernelspec_dir)] + [p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p])
        env["JUPYTER_PLATFORM_DIRS"] = "1"
        self.env = env

    def url(self, path: str) -> str:
        sep = "&" if "?" in path else "?"
        return f"{self.base}{path}{sep}token={self.token}"

    def api(self, method: str, path: str, timeout: float = 10):
        request = urllib.request.Request(self.url(path), method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
            return json.loads(body) if body else None

    def start(self) -> None:
        command = [
            sys.executable, "-m", "jupyterlab",
            "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root}", "--ServerApp.open_browser=False",
            "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--ServerApp.terminals_enabled=False",
        ]
        if os.geteuid() == 0:
            command.append("--allow-root")
        log(f"starting jupyter lab on {self.base} (root {self.root}, log {self.log_path})")
        self.log_file = open(self.log_path, "wb")
        self.process = subprocess.Popen(command, stdout=self.log_file, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, env=self.env, cwd=self.root,
                                        start_new_session=True)

        def ready():
            if self.process.poll() is not None:
                raise SetupFailed(f"jupyter lab exited with status {self.process.returncode}")
            try:
                return self.api("GET", "/api/status", timeout=3) is not None
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                return False

        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if ready():
                break
            time.sleep(0.5)
        else:
            raise SetupFailed(f"jupyter lab did not answer on {self.base} within {self.timeout:.0f} s")
        specs = self.api("GET", "/api/kernelspecs")["kernelspecs"]
        if KERNEL_NAME not in specs:
            raise SetupFailed(f"the server does not see the '{KERNEL_NAME}' kernelspec "
                              f"(it sees: {', '.join(sorted(specs))}); check JUPYTER_PATH")
        log(f"server ready; kernelspec '{KERNEL_NAME}' runs {specs[KERNEL_NAME]['spec']['argv'][0]}")

    def remember_kernels(self) -> None:
        """Records the kernel processes the server started, so they can be ended if it does not."""
        if self.process is None:
            return
        try:
            import psutil
            for child in psutil.Process(self.process.pid).children(recursive=True):
                self.kernel_pids.add(child.pid)
        except Exception:
            pass

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return "(no server log)"
        return "\n".join("    " + line for line in text[-lines:])

    def stop(self) -> None:
        """Shuts kernels and server down politely, then by signal; bounded to about 20 s."""
        if self.process is None:
            return
        self.remember_kernels()
        if self.process.poll() is None:
            try:
                for kernel in self.api("GET", "/api/kernels", timeout=5) or []:
                    self.api("DELETE", f"/api/kernels/{kernel['id']}", timeout=10)
            except Exception as exc:
                log(f"note: could not shut the kernels down through the API: {exc}")
            try:
                self.api("POST", "/api/shutdown", timeout=5)
            except Exception:
                pass
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._signal_group(signal.SIGTERM)
                try:
                    self.process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self._signal_group(signal.SIGKILL)
                    self.process.wait(timeout=5)
        for pid in self.kernel_pids:  # kernels run in their own sessions: end any left behind
            try:
                os.kill(pid, 0)
            except OSError:
                continue
            log(f"note: process {pid} outlived the server; killing it")
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        self.log_file.close()
        log("server stopped")

    def _signal_group(self, sig: int) -> None:
        try:
            os.killpg(self.process.pid, sig)
        except OSError:
            pass


def start_browser(chromium: str, chromedriver: str, profile: Path, width: int, height: int):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                     "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--proxy-server=direct://", "--proxy-bypass-list=*",
                     f"--user-data-dir={profile}", f"--window-size={width},{height}",
                     "--force-device-scale-factor=1", "--lang=en-US"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "SEVERE"})
    service = Service(executable_path=chromedriver, log_output=str(profile.parent / "chromedriver.log"))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(120)
    driver.set_script_timeout(30)
    return driver


# JavaScript run in the page. `window.jupyterapp` exists because of --LabApp.expose_app_in_browser.
JS_KERNEL_STATUS = """
const app = window.jupyterapp;
const widget = app && app.shell.currentWidget;
const ctx = widget && widget.sessionContext;
if (!ctx || !ctx.session || !ctx.session.kernel) return null;
return {status: ctx.session.kernel.status, name: ctx.session.kernel.name};
"""

JS_CELLS = """
const cells = Array.from(document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell.jp-CodeCell'));
return cells.map((cell) => {
  const prompt = cell.querySelector('.jp-InputArea-prompt');
  const outputs = Array.from(cell.querySelectorAll('.jp-OutputArea-output')).map((o) => ({
    mime: o.getAttribute('data-mime-type') || '',
    text: (o.innerText || '').slice(0, 2000),
    tables: Array.from(o.querySelectorAll('table')).map((t) => t.innerText),
    renderer: [o, ...o.querySelectorAll('[class*="jp-Rendered"]')].flatMap((e) => Array.from(e.classList))
      .filter((c, i, a) => c.startsWith('jp-Rendered') && a.indexOf(c) === i).join(' '),
    svgs: o.querySelectorAll('.jp-RenderedSVG svg, .jp-RenderedHTMLCommon svg').length,
    svgImages: Array.from(o.querySelectorAll('img')).filter(
      (i) => (i.getAttribute('src') || '').startsWith('data:image/svg+xml') && i.naturalWidth > 0).length,
  }));
  return {prompt: prompt ? prompt.innerText.trim() : '', outputs};
});
"""

JS_MODEL_ERRORS = """
const app = window.jupyterapp;
const widget = app && app.shell.currentWidget;
if (!widget || !widget.content || !widget.content.model) return null;
const errors = [];
const cells = widget.content.model.cells;
for (let i = 0; i < cells.length; i++) {
  const cell = cells.get(i);
  if (cell.type !== 'code') continue;
  const outputs = cell.outputs;
  for (let j = 0; j < outputs.length; j++) {
    const out = outputs.get(j).toJSON();
    if (out.output_type === 'error') errors.push({cell: i + 1, ename: out.ename, evalue: out.evalue});
  }
}
return errors;
"""


def kernel_status(driver) -> str | None:
    info = driver.execute_script(JS_KERNEL_STATUS)
    return info["status"] if info else None


def fail_on_dialog(driver) -> None:
    """Fails when JupyterLab shows a modal dialog (e.g. a kernel picker: the kernelspec was not found)."""
    from selenium.webdriver.common.by import By

    for dialog in driver.find_elements(By.CSS_SELECTOR, ".jp-Dialog"):
        text = dialog.text.replace("\n", " ")[:200]
        raise CheckFailed(f"JupyterLab shows a dialog: {text!r}")


def run_all_cells_from_menu(driver, timeout: float) -> None:
    from selenium.webdriver.common.by import By

    def open_run_menu():
        for item in driver.find_elements(By.CSS_SELECTOR, "#jp-MainMenu .lm-MenuBar-item"):
            if item.text.strip() == "Run":
                item.click()
                return True
        return False

    wait_until("the Run menu in the menu bar", open_run_menu, timeout)

    def click_run_all():
        for entry in driver.find_elements(By.CSS_SELECTOR, ".lm-Menu .lm-Menu-item"):
            labels = entry.find_elements(By.CSS_SELECTOR, ".lm-Menu-itemLabel")
            if labels and labels[0].text.strip() == "Run All Cells" and entry.is_displayed():
                entry.click()
                return True
        return False

    wait_until("'Run All Cells' in the Run menu", click_run_all, timeout)
    log("clicked Run → Run All Cells")


def check_outputs(driver, cells: list[dict]) -> list[str]:
    """Returns what the DOM shows that is wrong; empty when every check passes."""
    problems: list[str] = []
    if len(cells) != len(CELLS):
        return [f"expected {len(CELLS)} code cells in the DOM, found {len(cells)}"]
    for index, cell in enumerate(cells):
        prompt = cell["prompt"]
        if not prompt.startswith("[") or not any(ch.isdigit() for ch in prompt):
            problems.append(f"cell {index + 1} ({CELLS[index]!r}) did not run: prompt {prompt!r}")
        for output in cell["outputs"]:
            text = output["text"]
            # Errors render with the stderr MIME type; the kernel's stderr notes (e.g. "note:
            # training on the CPU") do too, so a stderr output counts as an error when it reads like
            # one. The notebook model's output_type is checked as well (JS_MODEL_ERRORS).
            if output["mime"] == "application/vnd.jupyter.stderr" and (
                    "error:" in text.lower() or "traceback" in text.lower()):
                problems.append(f"cell {index + 1} ({CELLS[index]!r}) shows an error: {text[:300]!r}")
    def shown(outputs: list[dict]) -> str:
        return "; ".join(f"{o['renderer'] or o['mime'] or '?'}: {o['text'][:100]!r}" for o in outputs) or "no output"

    json_trees = [index + 1 for index, cell in enumerate(cells)
                  if any("jp-RenderedJSON" in o["renderer"] for o in cell["outputs"])]
    if json_trees:
        problems.append(
            f"cells {json_trees} show a JSON tree (jp-RenderedJSON): JupyterLab prefers a bundle's "
            "application/json over text/html and image/svg+xml, so tables, charts and progress render as JSON")
    compare = cells[COMPARE_CELL]["outputs"]
    tables = [t for o in compare for t in o["tables"]]
    if not any("baseline" in t for t in tables):
        problems.append(f"'compare' shows no HTML table containing 'baseline' (it shows: {shown(compare)})")
    plot = cells[PLOT_CELL]["outputs"]
    if not any(o["svgs"] > 0 or o["svgImages"] > 0 for o in plot):
        problems.append(f"'plot test_acc' shows no SVG chart (it shows: {shown(plot)})")
    help_text = " ".join(o["text"] for o in cells[HELP_CELL]["outputs"])
    if "train" not in help_text or "batch" not in help_text:
        problems.append(f"'help train' shows no help text (it shows: {help_text[:200]!r})")
    return problems


def check_untrusted_notebook(driver, server: "LabServer", root: Path, timeout: float) -> str:
    """Executes a notebook with nbclient (as papermill does), opens it, and checks that its chart
    and table show although the notebook is untrusted (JupyterLab then shows no image/svg+xml
    and strips inline <svg> from HTML; the kernel's text/html image of the SVG survives)."""
    import nbformat
    from nbclient import NotebookClient

    nb = new_notebook(UNTRUSTED_CELLS)
    saved = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = server.env["JUPYTER_PATH"]
    try:
        NotebookClient(nb, kernel_name=KERNEL_NAME, timeout=timeout).execute()
    finally:
        if saved is None:
            os.environ.pop("JUPYTER_PATH", None)
        else:
            os.environ["JUPYTER_PATH"] = saved
    nbformat.write(nb, str(root / "executed.ipynb"))
    driver.get(server.url("/lab/tree/executed.ipynb"))
    wait_until("the executed notebook's cells",
               lambda: len(driver.execute_script(JS_CELLS)) == len(UNTRUSTED_CELLS), timeout)
    server.remember_kernels()
    plot_cell = UNTRUSTED_CELLS.index("plot test_acc")
    compare_cell = UNTRUSTED_CELLS.index("compare")

    def chart_shown():
        outputs = driver.execute_script(JS_CELLS)[plot_cell]["outputs"]
        return any(o["svgImages"] > 0 or o["svgs"] > 0 for o in outputs)

    try:
        wait_until("the chart of the executed notebook", chart_shown, 30)
    except CheckFailed:
        outputs = driver.execute_script(JS_CELLS)[plot_cell]["outputs"]
        raise CheckFailed("the executed (untrusted) notebook shows no chart for 'plot test_acc': it shows "
                          + ("; ".join(f"{o['renderer'] or o['mime']}: {o['text'][:80]!r}" for o in outputs)
                             or "no output"))
    tables = [t for o in driver.execute_script(JS_CELLS)[compare_cell]["outputs"] for t in o["tables"]]
    if not any("baseline" in t for t in tables):
        raise CheckFailed("the executed (untrusted) notebook shows no 'compare' table")
    trusted = driver.execute_script(
        "const w = window.jupyterapp.shell.currentWidget;"
        f"const c = w && w.content && w.content.model && w.content.model.cells.get({plot_cell});"
        "return c ? c.trusted : null;")
    return f"chart (an image of the SVG) and table shown; the plot cell's trusted flag: {trusted}"


def check_tab_completion(driver, timeout: float) -> str:
    """Adds a cell, types `trai`, presses Tab; returns what happened (raises CheckFailed if no `train`)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.common.action_chains import ActionChains

    cells = driver.find_elements(By.CSS_SELECTOR, ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell.jp-CodeCell")
    last = cells[-1]
    last.find_element(By.CSS_SELECTOR, ".jp-InputArea-prompt").click()  # select, command mode
    ActionChains(driver).send_keys(Keys.ESCAPE).send_keys("b").perform()  # new cell below
    wait_until("a new cell below the last one",
               lambda: len(driver.find_elements(
                   By.CSS_SELECTOR, ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell.jp-CodeCell")) == len(cells) + 1,
               timeout)
    new_cell = driver.find_elements(By.CSS_SELECTOR, ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell.jp-CodeCell")[-1]
    editor = new_cell.find_element(By.CSS_SELECTOR, ".cm-content")
    editor.click()
    ActionChains(driver).send_keys("trai").perform()
    wait_until("'trai' in the new cell", lambda: "trai" in editor.text, timeout)
    ActionChains(driver).send_keys(Keys.TAB).perform()

    def offered():
        items = [i.get_attribute("data-value") or i.text
                 for i in driver.find_elements(By.CSS_SELECTOR, ".jp-Completer .jp-Completer-item")]
        if any(item.strip() == "train" for item in items):
            return f"the completer lists {', '.join(i.strip() for i in items[:8])}"
        if editor.text.strip().startswith("train"):
            return f"Tab completed the cell to {editor.text.strip()!r}"
        return None

    result = wait_until("Tab completion to offer 'train'", offered, timeout)
    ActionChains(driver).send_keys(Keys.ESCAPE).perform()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kernelspec-dir", required=True, type=Path,
                        help="the share/jupyter directory holding kernels/nndsl (added to JUPYTER_PATH)")
    parser.add_argument("--screenshot", type=Path, default=Path("docs/screenshots/jupyterlab.png"))
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--chromedriver", default=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    parser.add_argument("--timeout", type=float, default=240,
                        help="bound on each wait (server start, page load, running all cells)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logs)")
    parser.add_argument("--extra-cell", action="append", default=[], metavar="SOURCE",
                        help="append a cell (to test the check itself, e.g. --extra-cell 'trian')")
    args = parser.parse_args()
    CELLS.extend(args.extra_cell)

    def on_term(signum, frame):  # `timeout` sends SIGTERM: still close the browser and the server
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, on_term)

    if not (args.kernelspec_dir / "kernels" / KERNEL_NAME / "kernel.json").is_file():
        print(f"lab-check: FAILED: no kernels/{KERNEL_NAME}/kernel.json under {args.kernelspec_dir}",
              file=sys.stderr)
        return 2

    work = Path(tempfile.mkdtemp(prefix="nndsl-lab-check-"))
    root = work / "root"
    root.mkdir()
    write_notebook(root / "check.ipynb")
    server = LabServer(work, root, args.kernelspec_dir.resolve(), args.timeout)
    driver = None
    status = 0
    started = time.monotonic()
    try:
        server.start()
        log("starting headless Chromium")
        try:
            driver = start_browser(args.chromium, args.chromedriver, work / "chromium-profile", 1400, 1600)
        except Exception as exc:
            raise SetupFailed(f"could not start headless Chromium through {args.chromedriver}: {exc}")
        driver.get(server.url("/lab/tree/check.ipynb") + "&reset")
        wait_until("JupyterLab to load (window.jupyterapp)",
                   lambda: driver.execute_script("return !!(window.jupyterapp && window.jupyterapp.started !== undefined)"),
                   args.timeout)
        wait_until("the notebook's code cells", lambda: len(driver.execute_script(JS_CELLS)) == len(CELLS),
                   args.timeout)
        log("notebook open; waiting for the kernel to start")
        wait_until("the nndsl kernel to be idle",
                   lambda: fail_on_dialog(driver) or kernel_status(driver) == "idle", args.timeout)
        server.remember_kernels()
        fail_on_dialog(driver)
        driver.execute_script("window.jupyterapp.shell.collapseLeft()")  # more room for the notebook
        log(f"kernel idle after {time.monotonic() - started:.1f} s")

        run_started = time.monotonic()
        run_all_cells_from_menu(driver, 30)
        wait_until("the kernel to start running", lambda: any(
            c["prompt"] == "[*]:" for c in driver.execute_script(JS_CELLS)) or kernel_status(driver) == "busy", 30)

        def all_done():
            cells = driver.execute_script(JS_CELLS)
            busy = any("*" in c["prompt"] for c in cells)
            return not busy and kernel_status(driver) == "idle" and all(
                any(ch.isdigit() for ch in c["prompt"]) for c in cells)

        wait_until("all cells to finish and the kernel to be idle", all_done, args.timeout)
        time.sleep(1.0)  # let the last outputs render
        log(f"all {len(CELLS)} cells ran in {time.monotonic() - run_started:.1f} s; kernel idle")

        cells = driver.execute_script(JS_CELLS)
        for index, cell in enumerate(cells):
            kinds = ", ".join(o["renderer"] or o["mime"] or "?" for o in cell["outputs"]) or "no output"
            log(f"  {cell['prompt']:>6} {CELLS[index]:<34} → {kinds}")
        problems = check_outputs(driver, cells)
        model_errors = driver.execute_script(JS_MODEL_ERRORS)
        for error in model_errors or []:
            problems.append(f"cell {error['cell']} has an error output: {error['ename']}: {error['evalue']}")
        if model_errors is None:
            log("note: the notebook model is not reachable from the page; error check is DOM only")

        # The screenshot: the top of the notebook with the table and the chart in view.
        driver.execute_script("""
            const cells = document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell.jp-CodeCell');
            if (cells.length) cells[0].scrollIntoView({block: 'start'});""")
        time.sleep(0.5)
        args.screenshot.parent.mkdir(parents=True, exist_ok=True)
        if driver.save_screenshot(str(args.screenshot)):
            log(f"screenshot saved to {args.screenshot}")
        else:
            problems.append(f"could not save the screenshot to {args.screenshot}")

        try:
            log(f"Tab completion: {check_tab_completion(driver, 20)}")
        except Exception as exc:  # best effort: report, do not fail the check
            log(f"warning: Tab completion of 'trai' did not show 'train': {exc}")

        if problems:
            raise CheckFailed("\n".join("  - " + p for p in problems))
        log(f"executed elsewhere, opened here: {check_untrusted_notebook(driver, server, root, args.timeout)}")
        log("checks passed: every cell ran, no error output, 'compare' table with baseline, SVG chart, "
            "help text, the chart and table of an untrusted executed notebook")
    except CheckFailed as exc:
        print(f"lab-check: FAILED:\n{exc}", file=sys.stderr)
        status = 1
    except SetupFailed as exc:
        print(f"lab-check: SET-UP FAILED: {exc}", file=sys.stderr)
        status = 2
    except KeyboardInterrupt as exc:
        print(f"lab-check: FAILED: interrupted ({exc})", file=sys.stderr)
        status = 1
    except Exception as exc:
        print(f"lab-check: FAILED with an unexpected {type(exc).__name__}: {exc}", file=sys.stderr)
        status = 1
    finally:
        if status != 0 and driver is not None:
            try:
                failure_shot = work / "failure.png"
                driver.save_screenshot(str(failure_shot))
                print(f"lab-check: the page at the failure: {failure_shot}", file=sys.stderr)
                args.keep = True
            except Exception:
                pass
        if driver is not None:
            try:
                driver.quit()
            except Exception as exc:
                log(f"note: closing Chromium: {exc}")
        server.stop()
        if status != 0:
            print(f"lab-check: server log tail ({server.log_path}):\n{server.log_tail()}", file=sys.stderr)
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    log(f"{'PASSED' if status == 0 else 'FAILED'} in {time.monotonic() - started:.1f} s")
    return status


if __name__ == "__main__":
    sys.exit(main())
