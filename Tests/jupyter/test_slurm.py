"""Sweeps as Slurm job arrays, through a real kernel (jupyter_client) and a real one-node Slurm
cluster (slurm_cluster.py: munged, slurmctld and slurmd on 127.0.0.1, stopped by pid at the end).

Each kernel runs in a temporary notebook directory with its default store (.nndsl/runs.db) and
spool (.nndsl/slurm/) there; the cluster's daemons run this same `kernel` binary for every array
task. What Slurm did is read from Slurm itself (`scontrol show job`, `squeue`), what the session
did from its outputs, `export` and the store (Python's sqlite3).
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
import time
from pathlib import Path
from typing import Iterator

import pytest
from jupyter_client.manager import KernelManager

from conftest import KERNEL_NAME, write_idx_dataset
from kernel_harness import iopub_until_idle, shell_reply
from slurm_cluster import SlurmCluster, slurm_cluster  # noqa: F401  (the session fixture)

STORE = Path(".nndsl") / "runs.db"
CELL_TIMEOUT = 240.0
ACTIVE = ("PENDING", "RUNNING", "CONFIGURING", "COMPLETING", "REQUEUED", "RESIZING", "SUSPENDED")


# --- kernels -----------------------------------------------------------------------------------

@contextlib.contextmanager
def kernel_in(directory: Path, cluster: SlurmCluster, **env: str) -> Iterator[tuple[KernelManager, object]]:
    """A kernel started in `directory` whose Slurm clients reach `cluster`."""
    kernel_env = cluster.env()
    kernel_env.pop("NNDSL_STORE", None)
    kernel_env.update(env)
    km = KernelManager(kernel_name=KERNEL_NAME)
    km.start_kernel(cwd=str(directory), env=kernel_env)
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


class Cell:
    """The outcome of one executed cell."""

    def __init__(self, reply: dict, messages: list[dict]):
        self.content = reply["content"]
        self.messages = messages
        self.stdout = "".join(m["content"]["text"] for m in messages
                              if m["msg_type"] == "stream" and m["content"]["name"] == "stdout")
        self.stderr = "".join(m["content"]["text"] for m in messages
                              if m["msg_type"] == "stream" and m["content"]["name"] == "stderr")
        self.displays = [m for m in messages if m["msg_type"] in ("display_data", "execute_result", "update_display_data")]
        self.plain = "\n".join(m["content"]["data"].get("text/plain", "") for m in self.displays)
        error = [m["content"] for m in messages if m["msg_type"] == "error"]
        self.error = "\n".join(e.get("evalue", "") + "\n" + "\n".join(e.get("traceback", [])) for e in error)

    @property
    def text(self) -> str:
        """Everything the cell showed as text (streams, displays, error)."""
        return "\n".join((self.stdout, self.stderr, self.plain, self.error))

    @property
    def status(self) -> str:
        return self.content["status"]


def collect(kc, msg_id: str, timeout: float = CELL_TIMEOUT) -> Cell:
    reply = shell_reply(kc, msg_id, timeout)
    return Cell(reply, iopub_until_idle(kc, msg_id, timeout))


def run_cell(kc, code: str, timeout: float = CELL_TIMEOUT) -> Cell:
    return collect(kc, kc.execute(code), timeout)


def ok(kc, code: str, timeout: float = CELL_TIMEOUT) -> Cell:
    cell = run_cell(kc, code, timeout)
    assert cell.status == "ok", (code, cell.content, cell.text)
    return cell


# --- the cluster's view ------------------------------------------------------------------------

def array_ids(cluster: SlurmCluster) -> set[str]:
    """The job ids (array job ids) the controller knows."""
    return {r.get("ArrayJobId") or r["JobId"] for r in cluster.jobs()}


def tasks_of(cluster: SlurmCluster, job: str) -> dict[int, dict[str, str]]:
    """The records of one array job by task index (once each task has started or ended)."""
    out = {}
    for r in cluster.jobs():
        if (r.get("ArrayJobId") or r["JobId"]) != job:
            continue
        task = r.get("ArrayTaskId", "0")
        if task.isdigit():
            out[int(task)] = r
    return out


def wait_for_new_job(cluster: SlurmCluster, before: set[str], timeout: float = 60) -> str:
    """The id of the array job submitted after `before` was taken."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        new = array_ids(cluster) - before
        if new:
            assert len(new) == 1, f"one sweep should be one job array, got {sorted(new)}"
            return new.pop()
        time.sleep(0.2)
    raise AssertionError(f"no job was submitted within {timeout} s")


def wait_for_task_state(cluster: SlurmCluster, job: str, task: int, states: tuple[str, ...],
                        timeout: float = 90) -> dict[str, str]:
    deadline = time.monotonic() + timeout
    record: dict[str, str] = {}
    while time.monotonic() < deadline:
        record = tasks_of(cluster, job).get(task, {})
        if record.get("JobState") in states:
            return record
        time.sleep(0.2)
    raise AssertionError(f"task {job}_{task} did not reach {states} in {timeout} s: {record}")


def wait_until_gone_from_queue(cluster: SlurmCluster, job: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while cluster.queued(job) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not cluster.queued(job), f"job {job} is still queued: {cluster.queued(job)}"


# --- the session's view ------------------------------------------------------------------------

def job_row(listing: str, job: str) -> dict[str, object]:
    """The row of `job` in the `jobs` table: job, cluster, submitted, runs, pending, running, done,
    failed, state, spool."""
    for line in listing.splitlines():
        words = line.split()
        if words and words[0] == job and len(words) >= 11:
            counts = [int(w) for w in words[4:9]]
            return {"job": job, "cluster": words[1], "submitted": " ".join(words[2:4]),
                    "runs": counts[0], "pending": counts[1], "running": counts[2], "done": counts[3],
                    "failed": counts[4], "state": " ".join(words[9:-1]), "spool": words[-1]}
    raise AssertionError(f"no row for job {job} in:\n{listing}")


def exported(kc, directory: Path, names: list[str]) -> dict[str, dict]:
    """The runs as `export ... format=json` writes them, by name."""
    path = directory / "export.json"
    ok(kc, f'export {" ".join(names)} file="{path}" force=on')
    return {r["name"]: r for r in json.loads(path.read_text())["runs"]}


def numbers(run: dict) -> list[tuple]:
    """What a seed determines: every epoch's losses, accuracies, δ², norms and steps (not times)."""
    return [(e["epoch"], e["trainLoss"], e["trainAccuracy"], e["testLoss"], e["testAccuracy"],
             e["gradSqMean"], e["gradSqSum"], e["weightNorms"], e["gradNorms"], e["steps"])
            for e in run["epochs"]]


def store_rows(directory: Path, sql: str, args: tuple = ()) -> list[tuple]:
    with contextlib.closing(sqlite3.connect(directory / STORE, timeout=10)) as con:
        return con.execute(sql, args).fetchall()


def stored_runs(directory: Path) -> dict[str, tuple]:
    """name → (status, epochs stored, weight bytes) of every run in the notebook's store."""
    return {name: (status, epochs, weights) for name, status, epochs, weights in store_rows(
        directory, "SELECT name, status, (SELECT count(*) FROM epochs WHERE run_id = runs.id), "
                   "(SELECT data FROM weights WHERE run_id = runs.id) FROM runs")}


# --- set-up ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    """512 training images: a run of 2 epochs takes well under a second."""
    return write_idx_dataset(tmp_path_factory.mktemp("slurm-idx"), train=512, test=64)


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Path:
    """2,000 training images: an epoch of batch 16 is 125 steps (about 40 ms with 784-32-relu-10),
    so a run of a few hundred epochs lasts long enough to act on it mid-run."""
    return write_idx_dataset(tmp_path_factory.mktemp("slurm-idx-big"), train=2000, test=100)


@pytest.fixture()
def notebook(tmp_path) -> Path:
    d = tmp_path / "notebook"
    d.mkdir()
    return d


@pytest.fixture()
def cluster(slurm_cluster) -> Iterator[SlurmCluster]:
    """The session's cluster, with nothing of an earlier test left in its queue."""
    slurm_cluster.cancel_everything()
    yield slurm_cluster
    slurm_cluster.cancel_everything()


def setup_cell(data: Path, epochs: int = 2) -> str:
    return f'load fashion dir="{data}"\nmodel 784-32-relu-10\nset epochs={epochs}'


SWEEP = "sweep seed=0,1,2 lr=0.01,0.003"
SWEEP_SUFFIXES = [f"seed{s}_lr{lr}" for s in (0, 1, 2) for lr in ("0p01", "0p003")]


# --- the tests ---------------------------------------------------------------------------------

def test_sweep_lands_in_session_and_store_with_the_local_numbers(cluster, notebook, data):
    local = [f"loc_{s}" for s in SWEEP_SUFFIXES]
    remote = [f"slu_{s}" for s in SWEEP_SUFFIXES]
    with kernel_in(notebook, cluster) as (km, kc):
        ok(kc, setup_cell(data))
        ok(kc, f"{SWEEP} executor=local as loc")
        before = array_ids(cluster)
        cell = ok(kc, f"{SWEEP} executor=slurm as slu")
        job = wait_for_new_job(cluster, before, timeout=5)
        tasks = tasks_of(cluster, job)
        assert sorted(tasks) == list(range(6)), tasks
        assert all(t["JobState"] == "COMPLETED" for t in tasks.values()), tasks
        assert f"submitted slurm job {job} on nndsl-test: 6 runs in 6 array tasks" in cell.text, cell.text
        for name in remote:
            assert name in cell.text

        table = ok(kc, "runs").plain
        assert all(name in table for name in local + remote), table
        compared = ok(kc, "compare " + " ".join(remote)).plain
        assert all(name in compared for name in remote), compared
        svgs = [m["content"]["data"]["image/svg+xml"] for m in ok(kc, "plot test_acc " + " ".join(remote)).displays
                if "image/svg+xml" in m["content"]["data"]]
        assert svgs and all(name in svgs[-1] for name in remote)

        runs = exported(kc, notebook, local + remote)
        for l, r in zip(local, remote):
            assert runs[r]["status"] == "finished", runs[r]
            assert runs[r]["config"]["seed"] == runs[l]["config"]["seed"]
            assert len(runs[r]["epochs"]) == 2
            assert numbers(runs[r]) == numbers(runs[l]), f"{r} (Slurm) differs from {l} (local)"
        got = ok(kc, f"get {remote[0]}.test_acc").plain
        assert float(got) == runs[remote[0]]["epochs"][-1]["testAccuracy"]

        # The store holds them like local runs, with the same final weights.
        stored = stored_runs(notebook)
        for l, r in zip(local, remote):
            assert stored[r][:2] == ("finished", 2), stored[r][:2]
            assert stored[r][2] is not None and stored[r][2] == stored[l][2], f"weights of {r} differ from {l}"

        # A restarted kernel still has them: compare, plot and eval work on the stored runs.
        km.restart_kernel(now=False)
        kc.wait_for_ready(timeout=30)
        table = ok(kc, "runs").plain
        assert all(name in table for name in remote), table
        assert all(name in ok(kc, "compare").plain for name in remote)
        assert ok(kc, f"plot test_loss {remote[0]} {local[0]}").displays
        assert f"{remote[1]} on the test split" in ok(kc, f'load fashion dir="{data}"\neval {remote[1]}').plain
        after = exported(kc, notebook, remote)
        assert all(numbers(after[r]) == numbers(runs[r]) for r in remote)


def test_pack_puts_three_runs_in_each_array_task(cluster, notebook, data):
    with kernel_in(notebook, cluster) as (_, kc):
        ok(kc, setup_cell(data, epochs=1))
        ok(kc, "slurm pack=3")
        shown = ok(kc, "slurm").plain
        assert re.search(r"(?m)^pack\s+3\s", shown), shown
        before = array_ids(cluster)
        cell = ok(kc, f"{SWEEP} executor=slurm as p")
        job = wait_for_new_job(cluster, before, timeout=5)
        tasks = tasks_of(cluster, job)
        assert sorted(tasks) == [0, 1], f"6 runs with pack=3 should be 2 array tasks: {tasks}"
        assert all(t["JobState"] == "COMPLETED" for t in tasks.values()), tasks
        stored = stored_runs(notebook)
        assert all(stored[f"p_{s}"][:2] == ("finished", 1) for s in SWEEP_SUFFIXES), stored
        row = job_row(ok(kc, "jobs").plain, job)
        assert (row["runs"], row["done"], row["failed"], row["state"]) == (6, 6, 0, "finished"), row
        assert row["spool"].startswith(str((notebook / ".nndsl" / "slurm").resolve())), row
        assert "6 runs in 2 array tasks (3 per task)" in cell.text, cell.text
        assert all(f"p_{s}: finished" in cell.stdout for s in SWEEP_SUFFIXES), cell.stdout


def test_cancelled_task_is_reported_and_resubmit_reruns_only_it(cluster, notebook, data, big):
    with kernel_in(notebook, cluster) as (_, kc):
        ok(kc, setup_cell(big) + "\nset batch=16")
        before = array_ids(cluster)
        msg_id = kc.execute("sweep epochs=1,200 executor=slurm as c")
        job = wait_for_new_job(cluster, before)
        # Task 1 trains c_epochs200 (the first list varies slowest; one run per task).
        wait_for_task_state(cluster, job, 1, ("RUNNING",))
        wait_for_task_state(cluster, job, 0, ("COMPLETED",))
        time.sleep(2)
        cluster.run("scancel", f"{job}_1")
        cell = collect(kc, msg_id)
        assert tasks_of(cluster, job)[1]["JobState"] == "CANCELLED"
        assert cell.status == "error", cell.text
        # The failed run with its task's state and the tail of its log; the finished one kept.
        assert re.search(r"c_epochs200'? \(task 1\)[^\n]*CANCELLED", cell.stderr), cell.stderr
        assert "last lines of" in cell.stderr and f"JOB {job} ON" in cell.stderr, cell.stderr
        assert "c_epochs1: finished" in cell.stdout, cell.stdout
        assert f"resubmit {job}" in cell.text, cell.text

        table = ok(kc, "runs").plain
        assert "c_epochs1" in table
        stored = stored_runs(notebook)
        assert stored["c_epochs1"][:2] == ("finished", 1), stored
        first_id = store_rows(notebook, "SELECT id FROM runs WHERE name = 'c_epochs1'")[0][0]
        assert stored.get("c_epochs200", ("",))[0] != "finished"

        before = array_ids(cluster)
        cell = ok(kc, "resubmit")
        again = wait_for_new_job(cluster, before, timeout=5)
        assert sorted(tasks_of(cluster, again)) == [0], "only the failed run is submitted again"
        assert f"resubmitting 1 run of slurm job {job}: c_epochs200" in cell.text, cell.text
        stored = stored_runs(notebook)
        assert stored["c_epochs200"][:2] == ("finished", 200), stored
        # The finished run is left as it was.
        assert store_rows(notebook, "SELECT id FROM runs WHERE name = 'c_epochs1'")[0][0] == first_id
        assert ok(kc, "print c_epochs200.status c_epochs200.epochs").stdout.split() == ["finished", "200"]
        # Nothing failed any more: a second resubmit submits nothing.
        before = array_ids(cluster)
        cell = run_cell(kc, "resubmit")
        assert array_ids(cluster) == before, cell.text


def test_interrupt_cancels_the_array_and_keeps_finished_runs(cluster, notebook, big):
    with kernel_in(notebook, cluster) as (km, kc):
        ok(kc, setup_cell(big) + "\nset batch=16")
        before = array_ids(cluster)
        msg_id = kc.execute("sweep epochs=1,3000 executor=slurm as e")
        job = wait_for_new_job(cluster, before)
        wait_for_task_state(cluster, job, 0, ("COMPLETED",))
        wait_for_task_state(cluster, job, 1, ("RUNNING",))
        time.sleep(2)
        km.interrupt_kernel()
        cell = collect(kc, msg_id, timeout=60)
        wait_until_gone_from_queue(cluster, job)
        assert tasks_of(cluster, job)[1]["JobState"] == "CANCELLED", tasks_of(cluster, job)
        assert cell.status == "error", cell.text
        assert f"slurm job {job} cancelled" in cell.text and "1 finished run kept" in cell.text, cell.text
        table = ok(kc, "runs").plain
        assert "e_epochs1" in table
        assert stored_runs(notebook)["e_epochs1"][:2] == ("finished", 1)
        assert ok(kc, "print e_epochs1.status").stdout.split() == ["finished"]
        # The kernel goes on: a local run trains after the interrupt.
        ok(kc, "train epochs=1 as after")


def test_no_sbatch_is_a_clear_error_and_nothing_is_submitted(cluster, notebook, data, tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    with kernel_in(notebook, cluster, PATH=str(empty)) as (_, kc):
        ok(kc, setup_cell(data, epochs=1))
        before = array_ids(cluster)
        cell = run_cell(kc, f"{SWEEP} executor=slurm as none")
        assert cell.status == "error", cell.text
        assert "sbatch" in cell.text, cell.text
        assert re.search(r"not found|cannot find|no sbatch|missing", cell.text, re.I), cell.text
        assert array_ids(cluster) == before
        assert "none_seed0" not in ok(kc, "runs").plain
        spool = notebook / ".nndsl" / "slurm"
        assert not spool.exists() or not any(p.is_file() for p in spool.rglob("*")), list(spool.rglob("*"))
        # The session default fails the same way, and a local run still trains.
        ok(kc, "set executor=slurm")
        assert run_cell(kc, "train as nothing").status == "error"
        assert array_ids(cluster) == before
        ok(kc, "train executor=local as here")


def restart_mid_job_then_attach(cluster: SlurmCluster, notebook: Path, big: Path, now: bool) -> None:
    """A two-run job in flight, the kernel restarted (`now`: killed, else shutdown_request as the
    notebook's Restart sends), then `jobs` and `attach` in the new kernel collect both runs."""
    with kernel_in(notebook, cluster) as (km, kc):
        ok(kc, setup_cell(big, epochs=250) + "\nset batch=16")
        before = array_ids(cluster)
        kc.execute("sweep seed=0,1 executor=slurm as g")
        job = wait_for_new_job(cluster, before)
        wait_for_task_state(cluster, job, 0, ("RUNNING", "COMPLETED"))
        km.restart_kernel(now=now)
        kc.wait_for_ready(timeout=30)
        states = {t: r["JobState"] for t, r in tasks_of(cluster, job).items()}
        assert cluster.queued(job) or set(states.values()) == {"COMPLETED"}, \
            f"a restart must leave the job to Slurm: {states}"
        row = job_row(ok(kc, "jobs").plain, job)
        assert row["runs"] == 2 and row["failed"] == 0, row
        cell = ok(kc, "attach")
        assert f"attached to slurm job {job} (2 runs" in cell.text, cell.text
        assert {r["JobState"] for r in tasks_of(cluster, job).values()} == {"COMPLETED"}
        stored = stored_runs(notebook)
        assert stored["g_seed0"][:2] == ("finished", 250) and stored["g_seed1"][:2] == ("finished", 250), stored
        table = ok(kc, "runs").plain
        assert "g_seed0" in table and "g_seed1" in table
        assert ok(kc, "print g_seed1.status g_seed1.epochs").stdout.split() == ["finished", "250"]
        # Everything is collected: a second attach says so and imports nothing twice.
        again = ok(kc, "attach").text
        assert "already" in again, again
        assert store_rows(notebook, "SELECT count(*) FROM runs WHERE name LIKE 'g_seed%'")[0][0] == 2


def test_kernel_killed_mid_job_then_attach_collects_the_results(cluster, notebook, big):
    restart_mid_job_then_attach(cluster, notebook, big, now=True)


def test_restart_mid_job_then_attach_collects_the_results(cluster, notebook, big):
    restart_mid_job_then_attach(cluster, notebook, big, now=False)


def test_controller_down_is_a_clear_error_and_nothing_is_submitted(cluster, notebook, data, tmp_path):
    # The cluster's configuration with the controller on a port nobody listens on.
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    conf = tmp_path / "down.conf"
    conf.write_text(re.sub(r"(?m)^SlurmctldPort=\d+$", f"SlurmctldPort={closed}", cluster.conf.read_text()))
    with kernel_in(notebook, cluster, SLURM_CONF=str(conf)) as (_, kc):
        ok(kc, setup_cell(data, epochs=1))
        before = array_ids(cluster)
        started = time.monotonic()
        cell = run_cell(kc, f"{SWEEP} executor=slurm as down", timeout=120)
        assert cell.status == "error", cell.text
        assert re.search(r"controller", cell.text, re.I), cell.text
        assert "nothing was submitted" in cell.text or "not submitted" in cell.text, cell.text
        assert time.monotonic() - started < 60
        assert array_ids(cluster) == before
        assert "down_seed0" not in ok(kc, "runs").plain


def test_script_mode_sweep_and_ctrl_c(cluster, notebook, data, big, kernel_bin):
    """`kernel --script`: a packed Slurm sweep lands in the script's store; Ctrl-C while a job
    runs cancels the array, keeps the finished run and exits with status 1."""
    import signal
    import subprocess

    env = cluster.env()
    env.pop("NNDSL_STORE", None)
    script = notebook / "sweep.nb"
    script.write_text(setup_cell(data, epochs=1) + "\nslurm pack=2\n# %%\n"
                      "sweep seed=0,1 executor=slurm as s\n# %%\ncompare\n")
    before = array_ids(cluster)
    done = subprocess.run([str(kernel_bin), "--script", str(script), "--out", str(notebook / "out")],
                          cwd=notebook, env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    job = wait_for_new_job(cluster, before, timeout=5)
    assert sorted(tasks_of(cluster, job)) == [0], "two runs with pack=2 are one task"
    assert f"submitted slurm job {job}" in done.stdout + done.stderr
    assert "s_seed0" in done.stdout and "s_seed1" in done.stdout
    assert {k: v[:2] for k, v in stored_runs(notebook).items()} == {
        "s_seed0": ("finished", 1), "s_seed1": ("finished", 1)}

    script.write_text(setup_cell(big) + "\nset batch=16\n# %%\nsweep epochs=1,3000 executor=slurm as k\n")
    before = array_ids(cluster)
    proc = subprocess.Popen([str(kernel_bin), "--script", str(script), "--out", str(notebook / "out")],
                            cwd=notebook, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        job = wait_for_new_job(cluster, before)
        wait_for_task_state(cluster, job, 0, ("COMPLETED",))
        wait_for_task_state(cluster, job, 1, ("RUNNING",))
        time.sleep(2)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 1, err
    wait_until_gone_from_queue(cluster, job)
    assert tasks_of(cluster, job)[1]["JobState"] == "CANCELLED"
    assert f"slurm job {job} cancelled" in out + err, out + err
    assert stored_runs(notebook)["k_epochs1"][:2] == ("finished", 1)


def test_failing_tasks_are_reported_with_state_and_log(cluster, notebook, data, tmp_path):
    """Tasks that exit non-zero (here: the kernel binary the nodes should run is missing) are
    reported per run with Slurm's state and the tail of the task's log."""
    missing = tmp_path / "not-installed" / "kernel"
    with kernel_in(notebook, cluster, NNDSL_SLURM_KERNEL=str(missing)) as (_, kc):
        ok(kc, setup_cell(data, epochs=1))
        assert str(missing) in ok(kc, "slurm").text
        before = array_ids(cluster)
        cell = run_cell(kc, "sweep seed=0,1 executor=slurm as f")
        job = wait_for_new_job(cluster, before, timeout=5)
        assert {r["JobState"] for r in tasks_of(cluster, job).values()} == {"FAILED"}, tasks_of(cluster, job)
        assert cell.status == "error", cell.text
        for task, name in enumerate(("f_seed0", "f_seed1")):
            assert re.search(rf"run '{name}' \(task {task}\)[^\n]*FAILED", cell.stderr), cell.stderr
        assert "last lines of" in cell.stderr and str(missing) in cell.stderr, cell.stderr
        assert f"2 of 2 runs of slurm job {job} failed" in cell.text, cell.text
        row = job_row(ok(kc, "jobs").plain, job)
        assert (row["runs"], row["done"], row["failed"]) == (2, 0, 2), row
        assert not any(name.startswith("f_") for name in stored_runs(notebook))
