"""A real one-node Slurm cluster for the tests: munged, slurmctld and slurmd on 127.0.0.1, started
in a temporary directory by scripts/slurm-cluster.sh and stopped by their pids when the session
ends (also when a test failed). Clients reach it through SLURM_CONF (see `SlurmCluster.env`).

Use the session fixture `slurm_cluster` (import it into the test module). Without Debian's
slurm-wlm and munge the tests that use it are skipped, except under scripts/test.sh
(NNDSL_REQUIRE_SERVERS=1), where a missing part fails them.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "slurm-cluster.sh"
DAEMONS = ("munged", "slurmctld", "slurmd")
TOOLS = ("munged", "slurmctld", "slurmd", "sbatch", "squeue", "scancel", "scontrol")


def missing_tools() -> list[str]:
    path = os.environ.get("PATH", "") + os.pathsep + "/usr/sbin" + os.pathsep + "/sbin"
    return [t for t in TOOLS if shutil.which(t, path=path) is None]


def _alive(pid: int) -> bool:
    """True while `pid` runs (a zombie waiting for its parent counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False


def _processes_of(conf: Path) -> list[int]:
    """Processes whose environment points at this cluster (daemons, slurmstepd, job steps)."""
    marker = f"SLURM_CONF={conf}".encode()
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if marker in environ.split(b"\0") and _alive(int(entry.name)):
            pids.append(int(entry.name))
    return pids


@dataclass
class SlurmCluster:
    """A running one-node cluster: its directory, config and daemon pids."""

    directory: Path
    conf: Path
    pids: dict[str, int]

    def env(self, base: dict[str, str] | None = None) -> dict[str, str]:
        """An environment whose Slurm clients talk to this cluster."""
        env = dict(os.environ if base is None else base)
        env["SLURM_CONF"] = str(self.conf)
        return env

    def run(self, *args: str, check: bool = True, timeout: float = 30) -> str:
        """Runs a Slurm client (squeue, scancel, scontrol, ...) against this cluster; its stdout."""
        result = subprocess.run(list(args), env=self.env(), capture_output=True, text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed ({result.returncode}): {result.stderr.strip()}")
        return result.stdout

    def jobs(self) -> list[dict[str, str]]:
        """Every job the controller knows (finished ones are kept for an hour), one dict per
        record of `scontrol show job -o`: JobId, ArrayJobId, ArrayTaskId, JobState, ExitCode, ..."""
        out = self.run("scontrol", "show", "job", "-o", check=False)
        records = []
        for line in out.splitlines():
            if not line.startswith("JobId="):
                continue
            record = {}
            for word in line.split():
                key, sep, value = word.partition("=")
                if sep and key not in record:
                    record[key] = value
            records.append(record)
        return records

    def queued(self, job: str | None = None) -> list[str]:
        """Lines of `squeue -r` (one per array task still pending or running), optionally of one job."""
        args = ["squeue", "-h", "-r", "-o", "%i %T"]
        if job:
            args += ["-j", job]
        return [l for l in self.run(*args, check=False).splitlines() if l.strip()]

    def cancel_everything(self) -> None:
        """Cancels every job of this cluster and waits (up to 30 s) until the queue is empty."""
        ids = sorted({r.get("ArrayJobId") or r["JobId"] for r in self.jobs()
                      if r.get("JobState") in ("PENDING", "RUNNING", "CONFIGURING", "COMPLETING", "SUSPENDED")})
        if ids:
            self.run("scancel", *ids, check=False)
        deadline = time.monotonic() + 30
        while self.queued() and time.monotonic() < deadline:
            time.sleep(0.2)

    def log_tail(self, lines: int = 20) -> str:
        text = []
        for name in ("slurmctld.log", "slurmd.log", "slurmctld.out", "slurmd.out", "munged.log"):
            path = self.directory / "log" / name
            if path.exists():
                text.append(f"--- {path}\n" + "\n".join(path.read_text(errors="replace").splitlines()[-lines:]))
        return "\n".join(text)


def _stop(directory: Path) -> None:
    subprocess.run(["bash", str(SCRIPT), "stop", str(directory)], capture_output=True, timeout=60)


def start_cluster(directory: Path) -> SlurmCluster:
    """Starts the cluster in `directory` (raises with the daemons' logs when it does not come up)."""
    result = subprocess.run(["bash", str(SCRIPT), "start", str(directory)],
                            capture_output=True, text=True, timeout=90)
    if result.returncode != 0:
        _stop(directory)
        raise RuntimeError(f"the one-node Slurm cluster did not start:\n{result.stdout}{result.stderr}")
    conf = directory / "slurm.conf"
    assert f"export SLURM_CONF={conf}" in result.stdout, result.stdout
    pids = {name: int((directory / f"{name}.pid").read_text().strip()) for name in DAEMONS}
    return SlurmCluster(directory=directory, conf=conf, pids=pids)


def stop_cluster(cluster: SlurmCluster) -> list[str]:
    """Cancels every job, stops the daemons by pid and kills what is left of the cluster's
    processes; returns the processes that had to be killed (empty when everything stopped)."""
    try:
        cluster.cancel_everything()
    except (OSError, subprocess.SubprocessError, RuntimeError):
        pass
    _stop(cluster.directory)
    leftovers = []
    for name, pid in cluster.pids.items():
        deadline = time.monotonic() + 10
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        if _alive(pid):
            leftovers.append(f"{name} (pid {pid})")
            os.kill(pid, signal.SIGKILL)
    for pid in _processes_of(cluster.conf):
        if pid in cluster.pids.values():
            continue
        # Job steps and slurmstepd outlive slurmd by a moment; give them that moment.
        deadline = time.monotonic() + 10
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        if _alive(pid):
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                os.kill(pid, signal.SIGKILL)
                leftovers.append(f"{cmdline.strip()} (pid {pid})")
            except (OSError, ProcessLookupError):
                pass
    return leftovers


def require_slurm() -> None:
    """Skips (or, under scripts/test.sh, fails) when slurm-wlm or munge is not installed."""
    missing = missing_tools()
    if missing:
        message = (f"Slurm is not installed ({', '.join(missing)} not found): install Debian's slurm-wlm "
                   "and munge (scripts/test.sh installs them)")
        if os.environ.get("NNDSL_REQUIRE_SERVERS") == "1":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def slurm_cluster() -> Iterator[SlurmCluster]:
    """A one-node Slurm cluster for the whole test session, stopped (by pid) at its end."""
    require_slurm()
    directory = Path(tempfile.mkdtemp(prefix="nndsl-slurm-"))
    cluster = start_cluster(directory)
    try:
        yield cluster
    finally:
        leftovers = stop_cluster(cluster)
        logs = cluster.log_tail()
        shutil.rmtree(directory, ignore_errors=True)
        assert not leftovers, f"processes of the test cluster were still running and were killed: {leftovers}\n{logs}"
