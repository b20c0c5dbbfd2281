"""The run store through real clients: jupyter_client kernels in a notebook directory, restarts,
`kill -9` mid-training, two kernels on one store, bad stores, and script mode with Ctrl-C.

Every kernel here runs in a temporary directory with the default store (.nndsl/runs.db there) or
with NNDSL_STORE pointing into a temporary directory; the store is checked with Python's sqlite3.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Iterator

import pytest
from jupyter_client.manager import KernelManager

from conftest import KERNEL_NAME, kernel_binary, write_idx_dataset
from kernel_harness import execute, iopub_until_idle, shell_reply

STORE = Path(".nndsl") / "runs.db"


def store_env(**extra: str) -> dict[str, str]:
    """The environment for a kernel that uses its default store (or `extra`'s NNDSL_STORE)."""
    env = os.environ.copy()
    env.pop("NNDSL_STORE", None)
    env.update(extra)
    return env


@contextlib.contextmanager
def kernel_in(directory: Path, **env: str) -> Iterator[tuple[KernelManager, object]]:
    """A kernel started in `directory` (as Jupyter starts one in its notebook's directory)."""
    km = KernelManager(kernel_name=KERNEL_NAME)
    km.start_kernel(cwd=str(directory), env=store_env(**env))
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=30)
        yield km, kc
    finally:
        kc.stop_channels()
        if km.is_alive():
            km.shutdown_kernel(now=False)
        km.cleanup_resources()


def run_cell(kc, code: str, timeout: float = 120.0) -> tuple[str, str, list[dict], dict]:
    """Executes a cell; returns (stdout, stderr, display messages, reply content)."""
    reply, messages = execute(kc, code, timeout=timeout)
    out = "".join(m["content"]["text"] for m in messages
                  if m["msg_type"] == "stream" and m["content"]["name"] == "stdout")
    err = "".join(m["content"]["text"] for m in messages
                  if m["msg_type"] == "stream" and m["content"]["name"] == "stderr")
    displays = [m for m in messages if m["msg_type"] in ("display_data", "execute_result")]
    return out, err, displays, reply["content"]


def ok(kc, code: str, timeout: float = 120.0) -> tuple[str, str, list[dict]]:
    out, err, displays, content = run_cell(kc, code, timeout)
    assert content["status"] == "ok", (content, err)
    return out, err, displays


def plain(displays: list[dict]) -> str:
    return "\n".join(m["content"]["data"].get("text/plain", "") for m in displays)


def rows(db: Path, sql: str, args: tuple = ()) -> list[tuple]:
    with contextlib.closing(sqlite3.connect(db, timeout=10)) as con:
        return con.execute(sql, args).fetchall()


def epochs_stored(db: Path, run: str | None = None) -> int:
    """Epoch records in the store so far (0 while the file or its tables do not exist yet)."""
    if not db.exists():
        return 0
    try:
        if run is None:
            return rows(db, "SELECT count(*) FROM epochs")[0][0]
        return rows(db, "SELECT count(*) FROM epochs JOIN runs ON runs.id = run_id WHERE name = ?", (run,))[0][0]
    except sqlite3.OperationalError:
        return 0


@pytest.fixture()
def notebook_dir(tmp_path) -> Path:
    d = tmp_path / "notebook"
    d.mkdir()
    return d


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    return write_idx_dataset(tmp_path_factory.mktemp("store-idx"), train=512, test=64)


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Path:
    """Enough data for an epoch to take a while (250 steps of 16)."""
    return write_idx_dataset(tmp_path_factory.mktemp("store-idx-big"), train=4000, test=200)


def setup_cell(data: Path, epochs: int = 2) -> str:
    return f'load fashion dir="{data}"\nmodel 784-32-relu-10\nset epochs={epochs}'


def test_rerun_replaces_drop_and_rename(notebook_dir, data):
    with kernel_in(notebook_dir) as (_, kc):
        ok(kc, setup_cell(data))
        ok(kc, "train as baseline")
        _, err, _ = ok(kc, "train lr=0.01 as baseline")
        assert "note: replaced run 'baseline' (trained " in err
        assert err.count("note: replaced") == 1
        ok(kc, "train\ntrain")
        out, _, _ = ok(kc, "rename run1 fast\ndrop run2")
        assert "renamed run 'run1' to 'fast'" in out
        assert "dropped run 'run2'" in out
        _, _, displays = ok(kc, "runs")
        table = plain(displays)
        assert "baseline" in table and "fast" in table and "run2" not in table
        # Completion offers the stored names.
        reply = kc.complete("show fa", 7, reply=True, timeout=10)
        assert reply["content"]["matches"] == ["fast"]
    db = notebook_dir / STORE
    assert rows(db, "SELECT name, json_extract(config_json, '$.lr') FROM runs ORDER BY id") == [
        ("baseline", 0.01), ("fast", 0.001)]


def test_restart_keeps_every_run(notebook_dir, data):
    with kernel_in(notebook_dir) as (km, kc):
        ok(kc, setup_cell(data))
        ok(kc, "train as baseline\ntrain batch=16 as small\ntrain opt=sgd as sgd")
        km.restart_kernel(now=False)
        kc.wait_for_ready(timeout=30)
        _, _, displays = ok(kc, "runs")
        table = plain(displays)
        for name in ("baseline", "small", "sgd"):
            assert name in table
        assert "store: " + str((notebook_dir / STORE).resolve()) in table
        _, _, displays = ok(kc, "compare")
        assert "small" in plain(displays) and "sgd" in plain(displays)
        _, _, displays = ok(kc, "plot test_acc\nplot grad_sq per=step")
        svgs = [m["content"]["data"]["image/svg+xml"] for m in displays if "image/svg+xml" in m["content"]["data"]]
        assert len(svgs) == 2 and all("small" in s for s in svgs)
        out, _, _ = ok(kc, f'report file="{notebook_dir}/report.html"')
        report = (notebook_dir / "report.html").read_text()
        assert all(name in report for name in ("baseline", "small", "sgd"))
        # The weights were stored: eval works after the restart.
        _, _, displays = ok(kc, f'load fashion dir="{data}"\neval small')
        assert "small on the test split" in plain(displays)


def test_kill_9_mid_training_keeps_finished_epochs(notebook_dir, big):
    db = notebook_dir / STORE
    with kernel_in(notebook_dir) as (km, kc):
        ok(kc, setup_cell(big, epochs=1) + "\ntrain as first")
        kc.execute("train epochs=500 batch=16 as long")
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if epochs_stored(db, "long") >= 2:
                break
            time.sleep(0.2)
        else:
            pytest.fail("the long run stored no epochs")
        os.kill(km.provisioner.pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while km.is_alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not km.is_alive()
    stored = rows(db, "SELECT count(*) FROM epochs JOIN runs ON runs.id = run_id WHERE name = 'long'")[0][0]
    assert rows(db, "SELECT status FROM runs WHERE name = 'long'") == [("running",)]
    with kernel_in(notebook_dir) as (_, kc):
        _, err, displays = ok(kc, "runs")
        assert "note: run 'long' was still marked running by a process that has ended" in err
        table = plain(displays)
        assert f"interrupted at epoch {stored + 1} step 1" in table
        out, _, _ = ok(kc, "print first.status first.epochs long.status long.epochs")
        assert out.split() == ["finished", "1", "interrupted", "at", "epoch", str(stored + 1), "step", "1", str(stored)]
        _, _, displays = ok(kc, "show long")
        assert "the store keeps its" in plain(displays)
        out, _, _ = ok(kc, "plot train_loss long per=step")
    assert rows(db, "SELECT status, status_epoch FROM runs WHERE name = 'long'") == [("interrupted", stored + 1)]
    steps = rows(db, "SELECT sum(steps) FROM series JOIN runs ON runs.id = run_id WHERE name = 'long'")[0][0]
    assert steps == stored * 250


def test_two_kernels_train_into_one_store_at_once(notebook_dir, data):
    with kernel_in(notebook_dir) as (_, a), kernel_in(notebook_dir) as (_, b):
        ok(a, setup_cell(data, epochs=3))
        ok(b, setup_cell(data, epochs=3))
        ids = {
            "a": a.execute("train lr=0.01 as a1\ntrain lr=0.01 as a2\ntrain lr=0.01 as a3"),
            "b": b.execute("train lr=0.002 as b1\ntrain lr=0.002 as b2\ntrain lr=0.002 as b3"),
        }
        for name, kc in (("a", a), ("b", b)):
            assert shell_reply(kc, ids[name], 120)["content"]["status"] == "ok"
            err = "".join(m["content"]["text"] for m in iopub_until_idle(kc, ids[name], 120)
                          if m["msg_type"] == "stream" and m["content"]["name"] == "stderr")
            assert "warning" not in err, err
        # Each kernel sees the other's runs at its next cell.
        _, _, displays = ok(a, "runs")
        assert all(n in plain(displays) for n in ("a1", "a2", "a3", "b1", "b2", "b3")), plain(displays)
    db = notebook_dir / STORE
    got = rows(db, "SELECT name, json_extract(config_json, '$.lr'), status, "
                   "(SELECT count(*) FROM epochs WHERE run_id = runs.id), "
                   "(SELECT sum(steps) FROM series WHERE run_id = runs.id), "
                   "(SELECT count FROM weights WHERE run_id = runs.id) FROM runs ORDER BY name")
    assert [g[0] for g in got] == ["a1", "a2", "a3", "b1", "b2", "b3"]
    for name, lr, status, epochs, steps, weights in got:
        assert lr == (0.01 if name.startswith("a") else 0.002), name
        assert (status, epochs, steps, weights) == ("finished", 3, 3 * 16, 784 * 32 + 32 + 32 * 10 + 10), name


def _damage(path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path)) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with open(path, "r+b") as f:
        f.seek(4096 * 2)
        f.write(b"\xa5" * 8000)


def _make_bad(kind: str, directory: Path, data: Path) -> Path:
    path = directory / f"{kind}.db"
    if kind == "not-sqlite":
        path.write_text("my lab notes, not a database\n")
    elif kind == "foreign":
        with contextlib.closing(sqlite3.connect(path)) as con:
            con.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
            con.commit()
    elif kind == "newer":
        with contextlib.closing(sqlite3.connect(path)) as con:
            con.execute(f"PRAGMA application_id={0x4E4E4453}")
            con.execute("PRAGMA user_version=42")
            con.execute("CREATE TABLE runs (id INTEGER)")
            con.commit()
    elif kind == "corrupt":
        subprocess.run([str(kernel_binary()), "--script", str(_script(directory, data, "train as old")),
                        "--out", str(directory / "out")],
                       env=store_env(NNDSL_STORE=str(path)), check=True, capture_output=True, timeout=120,
                       cwd=directory)
        _damage(path)
    return path


def _script(directory: Path, data: Path, body: str) -> Path:
    script = directory / "exp.nb"
    script.write_text(setup_cell(data, epochs=1) + "\n" + body + "\n")
    return script


BAD = {
    "not-sqlite": "is not an SQLite database",
    "foreign": "is an SQLite database of another program, not an NN DSL run store",
    "newer": "has schema version 42, written by a newer NN DSL kernel",
    "corrupt": "is damaged",
}


@pytest.mark.parametrize("kind", sorted(BAD))
def test_bad_store_warns_trains_in_memory_and_keeps_the_file(kind, tmp_path, data):
    path = _make_bad(kind, tmp_path, data)
    before = path.read_bytes()
    with kernel_in(tmp_path, NNDSL_STORE=str(path)) as (_, kc):
        _, err, _ = ok(kc, setup_cell(data, epochs=1))
        assert f"warning: the run store {path} {BAD[kind]}" in err or f"warning: {path} {BAD[kind]}" in err, err
        assert "training still works: runs of this session are kept in memory only" in err
        out, _, displays = ok(kc, "train as kept\nruns")
        assert "kept: finished" in out
        assert "store unusable" in plain(displays)
    assert path.read_bytes() == before


def test_locked_store_trains_in_memory_with_a_warning(notebook_dir, data):
    db = notebook_dir / STORE
    with kernel_in(notebook_dir) as (_, kc):
        ok(kc, setup_cell(data, epochs=1) + "\ntrain as first")
        holder = sqlite3.connect(db, isolation_level=None)
        try:
            holder.execute("BEGIN EXCLUSIVE")
            out, err, _ = ok(kc, "train as second", timeout=60)
            assert f"warning: the run store {db.resolve()} is locked by another program for more than 5 s" in err
            assert "run 'second' is trained and kept in memory only" in err
            assert "second: finished" in out
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        _, _, displays = ok(kc, "runs")
        assert "first" in plain(displays) and "second" in plain(displays)
        assert "1 run in memory only" in plain(displays)
        ok(kc, "train as third")
    assert [r[0] for r in rows(db, "SELECT name FROM runs ORDER BY id")] == ["first", "third"]


def test_read_only_directory(data):
    """As an unprivileged user (root ignores permission bits), in a directory it cannot write."""
    root = Path(tempfile.mkdtemp(prefix="nndsl-ro-"))
    try:
        os.chmod(root, 0o755)
        data_copy = root / "data"
        shutil.copytree(data, data_copy)
        notebook = root / "readonly"
        notebook.mkdir()
        script = _script(notebook, data_copy, "train as kept\nruns")
        for p in [data_copy, *data_copy.iterdir(), script]:
            os.chmod(p, 0o755 if p.is_dir() else 0o644)
        os.chmod(notebook, 0o555)
        out = root / "out"
        out.mkdir()
        os.chmod(out, 0o777)
        user = {"user": 65534, "group": 65534} if os.geteuid() == 0 else {}
        result = subprocess.run([str(kernel_binary()), "--script", str(script), "--out", str(out)],
                                env=store_env(HOME=str(out)), capture_output=True, text=True, timeout=120,
                                cwd=out, **user)
        assert f"cannot create the directory of the run store {notebook / STORE}" in result.stderr, result.stderr
        assert "make the directory writable" in result.stderr
        assert "kept: finished" in result.stdout
        assert not (notebook / ".nndsl").exists()
    finally:
        if (root / "readonly").exists():
            os.chmod(root / "readonly", 0o755)
        shutil.rmtree(root, ignore_errors=True)


def test_script_runs_share_the_store_and_ctrl_c_keeps_the_partial_run(notebook_dir, tmp_path, big):
    script = _script(notebook_dir, big, "train epochs=500 batch=16 as scripted")
    proc = subprocess.Popen([str(kernel_binary()), "--script", str(script), "--out", str(tmp_path / "out")],
                            env=store_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    db = notebook_dir / STORE
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if epochs_stored(db) >= 2:
            break
        time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1, err
    assert "scripted: interrupted at epoch" in out
    status, epochs, weights = rows(
        db, "SELECT status, (SELECT count(*) FROM epochs WHERE run_id = runs.id), "
            "(SELECT count(*) FROM weights WHERE run_id = runs.id) FROM runs WHERE name = 'scripted'")[0]
    assert status == "interrupted" and epochs >= 2 and weights == 1
    # A notebook in the same directory sees the script's run.
    with kernel_in(notebook_dir) as (_, kc):
        _, _, displays = ok(kc, "runs")
        assert "scripted" in plain(displays) and "interrupted" in plain(displays)
        out, _, _ = ok(kc, "print scripted.epochs")
        assert int(out.split()[0]) == epochs
