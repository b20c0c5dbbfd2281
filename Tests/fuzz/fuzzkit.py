"""Shared parts of the fuzz and fault suite: a kernel started on its own connection file in a
temporary directory, a jupyter_client session to talk to it, health checks, and the summary line.

Every suite runs the real `kernel` binary (KERNEL_BIN, else .build/debug or .build/release) with its
working directory, HOME and output inside a fresh temporary directory, so nothing the fuzzed input
asks for can reach a real path.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import zmq
from jupyter_client import BlockingKernelClient
from jupyter_client.session import Session

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "Tests" / "jupyter"))


from conftest import kernel_binary  # noqa: E402  (KERNEL_BIN, else the debug or release build)


class Failure(Exception):
    """A broken invariant: a crash, a hang, an unanswered valid request or a wrong answer."""


class Kernel:
    """One kernel process on a connection file with ports 0 (the kernel writes the ports back)."""

    def __init__(self, workdir: Path, env: dict | None = None):
        self.workdir = workdir
        self.key = uuid.uuid4().hex.encode()
        self.connection_file = workdir / "kernel-fuzz.json"
        self.connection_file.write_text(json.dumps({
            "shell_port": 0, "iopub_port": 0, "stdin_port": 0, "control_port": 0, "hb_port": 0,
            "ip": "127.0.0.1", "key": self.key.decode(), "transport": "tcp",
            "signature_scheme": "hmac-sha256", "kernel_name": "nndsl"}))
        home = workdir / "home"
        home.mkdir(exist_ok=True)
        full_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home),
                    "FASHION_MNIST_DIR": str(workdir / "no-data-here"),
                    "XDG_CACHE_HOME": str(workdir / "cache")}
        for k in ("NNDSL_ZMQ_PATH", "LD_LIBRARY_PATH"):
            if k in os.environ:
                full_env[k] = os.environ[k]
        full_env.update(env or {})
        self.stderr_path = workdir / "kernel-stderr.log"
        self.stderr = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen(
            [str(kernel_binary()), "-f", str(self.connection_file)], cwd=workdir, env=full_env,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self.stderr)
        deadline = time.monotonic() + 30
        while True:
            info = json.loads(self.connection_file.read_text())
            if info["shell_port"] != 0:
                break
            if self.proc.poll() is not None:
                raise Failure(f"kernel exited with {self.proc.returncode} before binding: {self.log_tail()}")
            if time.monotonic() > deadline:
                raise Failure("the kernel did not write its ports to the connection file in 30 s")
            time.sleep(0.05)
        self.info = info
        self.client = BlockingKernelClient(connection_file=str(self.connection_file))
        self.client.load_connection_file()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=30)
        self.session = Session(key=self.key, signature_scheme="hmac-sha256")
        self.max_rss_kb = 0
        self._requests = 0

    def port(self, channel: str) -> int:
        return self.info[{"shell": "shell_port", "control": "control_port", "stdin": "stdin_port",
                          "iopub": "iopub_port", "hb": "hb_port"}[channel]]

    def socket(self, channel: str, kind: int = zmq.DEALER) -> zmq.Socket:
        sock = zmq.Context.instance().socket(kind)
        sock.linger = 0
        sock.setsockopt(zmq.IDENTITY, uuid.uuid4().hex.encode())
        sock.connect(f"tcp://127.0.0.1:{self.port(channel)}")
        return sock

    def rss_kb(self) -> int:
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    def log_tail(self, n: int = 2000) -> str:
        self.stderr.flush()
        try:
            return self.stderr_path.read_text(errors="replace")[-n:]
        except OSError:
            return ""

    def alive(self) -> None:
        if self.proc.poll() is not None:
            code = self.proc.returncode
            how = f"signal {signal.Signals(-code).name}" if code < 0 else f"exit status {code}"
            raise Failure(f"the kernel died ({how}); stderr tail:\n{self.log_tail()}")

    def health(self, timeout: float = 10.0) -> None:
        """kernel_info on shell and control, and a heartbeat, each answered within `timeout`."""
        self.alive()
        kc = self.client
        msg_id = kc.kernel_info()
        self._await_reply(kc.get_shell_msg, msg_id, timeout, "shell kernel_info_request")
        request = kc.session.msg("kernel_info_request")
        kc.control_channel.send(request)
        self._await_reply(kc.control_channel.get_msg, request["header"]["msg_id"], timeout,
                          "control kernel_info_request")
        hb = self.socket("hb", zmq.REQ)
        try:
            hb.send(b"ping")
            if not hb.poll(int(timeout * 1000)):
                raise Failure("the heartbeat did not answer")
            if hb.recv() != b"ping":
                raise Failure("the heartbeat answered something else")
        finally:
            hb.close()
        self.max_rss_kb = max(self.max_rss_kb, self.rss_kb())

    def _await_reply(self, get, msg_id: str, timeout: float, what: str) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.alive()
                raise Failure(f"no reply to a valid {what} within {timeout:.0f} s")
            try:
                msg = get(timeout=remaining)
            except Exception:
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg

    def shell_request(self, msg_type: str, content: dict, timeout: float) -> dict | None:
        """Sends a request through the client's shell channel; its reply, or None on timeout."""
        msg = self.client.session.msg(msg_type, content)
        self.client.shell_channel.send(msg)
        msg_id = msg["header"]["msg_id"]
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            try:
                reply = self.client.get_shell_msg(timeout=remaining)
            except Exception:
                continue
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply

    def drain_iopub(self) -> None:
        while True:
            try:
                self.client.get_iopub_msg(timeout=0)
            except Exception:
                return

    def interrupt(self) -> None:
        msg = self.client.session.msg("interrupt_request", {})
        self.client.control_channel.send(msg)

    def close(self) -> None:
        try:
            if self.proc.poll() is None:
                msg = self.client.session.msg("shutdown_request", {"restart": False})
                self.client.control_channel.send(msg)
                try:
                    self.proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
        finally:
            self.client.stop_channels()
            self.stderr.close()


class Workdir:
    """A temporary directory removed at the end (kept when FUZZ_KEEP=1, for a post-mortem)."""

    def __init__(self, prefix: str):
        self.path = Path(tempfile.mkdtemp(prefix=prefix))

    def __enter__(self) -> Path:
        return self.path

    def __exit__(self, *exc) -> None:
        if os.environ.get("FUZZ_KEEP") != "1":
            shutil.rmtree(self.path, ignore_errors=True)


def summary(name: str, counts: dict, failures: list[str], started: float) -> int:
    """Prints the one summary line and the failures; returns the exit status."""
    parts = " ".join(f"{k}={v}" for k, v in counts.items())
    status = "FAIL" if failures else "ok"
    print(f"fuzz {name}: {status} {parts} failures={len(failures)} seconds={time.monotonic() - started:.1f}",
          flush=True)
    for f in failures[:10]:
        print(f"  failure: {f}", file=sys.stderr)
    return 1 if failures else 0
