"""jupyter console in a pseudo-terminal (pexpect), with its full prompt_toolkit interface: a
student's session that loads data, Tab-completes a statement, trains with one progress line per
epoch, recovers from errors and leaves with `exit`.

jupyter console does not handle `exit` itself for other kernels: it sends the text, and closes
when the execute_reply carries an `ask_exit` payload (as IPython's `exit` does).
"""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from conftest import KERNEL_NAME

pexpect = pytest.importorskip("pexpect")
pytest.importorskip("jupyter_console")

ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-B]|\x1b[=>]|\r")
TIMEOUT = 60


class Console:
    """One `jupyter console` process; `read_until` matches against text without ANSI codes."""

    def __init__(self, tmp_path: Path):
        env = dict(os.environ)
        env.update(TERM="xterm", PROMPT_TOOLKIT_NO_CPR="1", COLUMNS="200", LINES="50",
                   JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
                   JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
                   JUPYTER_DATA_DIR=str(tmp_path / "data"),
                   IPYTHONDIR=str(tmp_path / "ipython"))
        jupyter = Path(sys.executable).with_name("jupyter")
        self.child = pexpect.spawn(
            str(jupyter), ["console", "--kernel", KERNEL_NAME],
            cwd=str(tmp_path), env=env, encoding="utf-8", dimensions=(50, 200),
            timeout=TIMEOUT)
        self.seen = ""

    def read_until(self, pattern: str) -> str:
        """Reads until `pattern` (a regex) appears in the cleaned output; returns that output."""
        regex = re.compile(pattern)
        start = len(self.seen)
        while not regex.search(self.seen, start):
            try:
                chunk = self.child.read_nonblocking(4096, timeout=TIMEOUT)
            except pexpect.EOF:
                raise AssertionError(f"console ended before {pattern!r}; output:\n{self.seen[start:]}")
            except pexpect.TIMEOUT:
                raise AssertionError(f"no {pattern!r} within {TIMEOUT} s; output:\n{self.seen[start:]}")
            self.seen += ANSI.sub("", chunk)
        return self.seen[start:]

    def prompt(self, n: int) -> None:
        self.read_until(rf"In \[{n}\]: ")

    def run(self, line: str, n: int) -> str:
        """Types a line, presses Enter, and returns what came before the next prompt `In [n]`."""
        self.child.send(line + "\r")
        return self.read_until(rf"In \[{n}\]: ")

    def close(self) -> None:
        if self.child.isalive():
            self.child.terminate(force=True)


@pytest.fixture
def console(tmp_path):
    c = Console(tmp_path)
    yield c
    c.close()


def test_console_session_trains_completes_recovers_and_exits(console, idx_dir):
    console.prompt(1)
    out = console.run(f'load fashion dir="{idx_dir}"', 2)
    assert "loaded Fashion-MNIST" in out and "256 train and 64 test images" in out

    # Tab completes the statement name; the rest of the line is typed after it.
    console.child.send("mod\t")
    console.read_until(r"model")
    out = console.run(" 784-32-relu-10", 3)
    assert "model 784-32-relu-10: 2 Linear layers" in out

    # A console gets one readable progress line per epoch (it drops update_display_data).
    out = console.run("train epochs=2 batch=32 as tiny", 4)
    assert re.search(r"tiny  epoch 1/2  step 8/8  loss \d\.\d{4}  acc", out), out
    assert re.search(r"tiny  epoch 2/2  step 8/8", out), out
    assert "tiny: finished, 2/2 epochs" in out

    # Errors are shown and the session goes on: an unknown statement, and a trailing '=' that
    # must run (and fail) at once instead of asking for a continuation line.
    out = console.run("trian", 5)
    assert "unknown statement 'trian'" in out and "did you mean 'train'?" in out
    out = console.run("train batch=", 6)
    assert "error" in out and "...:" not in out
    out = console.run("print tiny.test_acc", 7)
    assert re.search(r"\d+\.\d\d%", out), out

    console.child.send("exit\r")
    console.child.expect(pexpect.EOF, timeout=TIMEOUT)
    console.seen += ANSI.sub("", console.child.before or "")
    console.child.close()
    assert console.child.exitstatus == 0, console.seen[-2000:]
    assert "Shutting down kernel" in console.seen


def test_console_quit_also_exits(console):
    console.prompt(1)
    console.child.send("quit\r")
    console.child.expect(pexpect.EOF, timeout=TIMEOUT)
    console.child.close()
    assert console.child.exitstatus == 0
