"""The kernel behind a real JupyterHub and a real Jupyter Kernel Gateway.

JupyterHub (PyPI) with Debian's configurable-http-proxy, DummyAuthenticator and
SimpleLocalProcessSpawner, everything on 127.0.0.1: a user server is spawned through the Hub's
REST API, then through the proxy a kernel is started from the kernels API, runs a training cell
over the websocket, is interrupted in a long cell (the partial run is kept) and restarted (the
session is fresh). Kernel Gateway (PyPI jupyter_kernel_gateway) runs the same training cell.

Each test starts its server in a new session and stops it, and every process it started, by pid.
"""
from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
from pathlib import Path

import pytest

from conftest import KERNEL_NAME
from ws_kernel import WebSocketKernel, api, text_of

VENV_BIN = Path(sys.executable).parent
NODE_PATH = "/usr/share/nodejs"  # Debian's node modules, for a node that is not Debian's


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def importable(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def require(condition: bool, what: str) -> None:
    """Skips when a part is missing, except under scripts/test.sh (NNDSL_REQUIRE_SERVERS=1)."""
    if not condition:
        message = f"{what} (scripts/test.sh installs it)"
        if os.environ.get("NNDSL_REQUIRE_SERVERS") == "1":
            pytest.fail(message)
        pytest.skip(message)


@contextlib.contextmanager
def time_limit(seconds: int):
    """Turns a hang into a failure (SIGALRM raises in the test), so its cleanup still runs."""
    def expired(signum, frame):
        raise TimeoutError(f"the test ran past its {seconds} s limit")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


class Server:
    """A server process in its own session; stop() ends it and every process it started, by pid."""

    def __init__(self, command: list[str], cwd: Path, env: dict, log: Path):
        self.log_path = log
        self.log = open(log, "wb")
        self.process = subprocess.Popen(command, cwd=cwd, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, start_new_session=True)
        self.seen: set[int] = set()

    def remember_children(self) -> None:
        import psutil

        try:
            for child in psutil.Process(self.process.pid).children(recursive=True):
                self.seen.add(child.pid)
        except psutil.Error:
            pass

    def wait_ready(self, probe, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"{what} exited with {self.process.returncode}:\n{self.tail()}")
            try:
                if probe():
                    return
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.3)
        raise AssertionError(f"{what} not ready within {timeout} s:\n{self.tail()}")

    def tail(self, lines: int = 40) -> str:
        self.log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        self.remember_children()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # JupyterHub stops its servers and proxy
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        for pid in sorted(self.seen):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.log.close()

    def leftovers(self) -> list[int]:
        alive = []
        for pid in sorted(self.seen):
            try:
                os.kill(pid, 0)
                alive.append(pid)
            except ProcessLookupError:
                pass
        return alive


def training_cell(idx_dir: Path) -> str:
    return (f'load fashion dir="{idx_dir}" train=128 test=32\nmodel 784-16-relu-10\n'
            "train epochs=2 batch=32 as baseline\nget baseline.epochs")


def check_training_cell(kernel: WebSocketKernel, idx_dir: Path) -> None:
    reply, iopub = kernel.execute(training_cell(idx_dir))
    assert reply["content"]["status"] == "ok", reply["content"]
    kinds = [m["msg_type"] for m in iopub]
    assert "display_data" in kinds, f"training shows a progress display ({kinds})"
    result = [m for m in iopub if m["msg_type"] == "execute_result"]
    assert result and result[-1]["content"]["data"]["text/plain"] == "2"


HUB_CONFIG = """
c = get_config()  # noqa
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {public_port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.JupyterHub.db_url = "sqlite:///{work}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{work}/jupyterhub_cookie_secret"
c.JupyterHub.pid_file = "{work}/jupyterhub.pid"
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.ConfigurableHTTPProxy.command = ["{chp}"]
c.ConfigurableHTTPProxy.pid_file = "{work}/jupyterhub-proxy.pid"
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allowed_users = {{"student"}}
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = "{work}/home/{{username}}"
c.Spawner.cmd = ["{singleuser}"]
c.Spawner.args = {args!r}
c.Spawner.ip = "127.0.0.1"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.Spawner.environment = {{"JUPYTER_PATH": {jupyter_path!r}}}
c.JupyterHub.services = [{{"name": "ci", "api_token": "{token}"}}]
c.JupyterHub.load_roles = [{{
    "name": "ci-admin",
    "scopes": ["admin:users", "admin:servers", "access:servers"],
    "services": ["ci"],
}}]
"""


def test_jupyterhub_spawns_a_user_server_that_trains_interrupts_and_restarts(idx_dir, tmp_path):
    require(importable("jupyterhub"), "jupyterhub is not installed in this Python")
    chp = shutil.which("configurable-http-proxy")
    require(chp is not None, "configurable-http-proxy not found (Debian: node-configurable-http-proxy)")
    require((VENV_BIN / "jupyterhub-singleuser").exists(), "jupyterhub-singleuser not in the venv")
    token = secrets.token_hex(16)
    ports = {"public_port": free_port(), "hub_port": free_port(), "proxy_api_port": free_port()}
    (tmp_path / "home").mkdir()
    config = tmp_path / "jupyterhub_config.py"
    config.write_text(HUB_CONFIG.format(
        work=tmp_path, chp=chp, singleuser=VENV_BIN / "jupyterhub-singleuser", token=token,
        args=["--allow-root"] if os.geteuid() == 0 else [], jupyter_path=os.environ["JUPYTER_PATH"],
        **ports))
    env = dict(os.environ, NODE_PATH=NODE_PATH, CONFIGPROXY_AUTH_TOKEN=secrets.token_hex(16),
               PATH=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    base = f"http://127.0.0.1:{ports['public_port']}"
    hub = Server([str(VENV_BIN / "jupyterhub"), "-f", str(config)], tmp_path, env, tmp_path / "hub.log")
    kernel = None
    with time_limit(300):
        try:
            hub.wait_ready(lambda: api(base, token, "GET", "/hub/api/")[0] == 200, 90, "JupyterHub")
            # allowed_users makes the Hub create the user at start; creating it again is a conflict.
            assert api(base, token, "POST", "/hub/api/users/student")[0] in (201, 409)
            status, _ = api(base, token, "POST", "/hub/api/users/student/server", timeout=120)
            assert status in (201, 202)

            def ready():
                user = api(base, token, "GET", "/hub/api/users/student")[1]
                server = user.get("servers", {}).get("", {})
                return server.get("ready")

            hub.wait_ready(ready, 120, "the user server")
            hub.remember_children()
            user_base = f"{base}/user/student"
            specs = api(user_base, token, "GET", "/api/kernelspecs")[1]["kernelspecs"]
            assert KERNEL_NAME in specs, f"the user server sees {sorted(specs)}"

            kernel = WebSocketKernel(user_base, token, KERNEL_NAME)
            hub.remember_children()
            check_training_cell(kernel, idx_dir)

            # Interrupt a long cell once it trains; the partial run is kept.
            started: list[float] = []

            def interrupt_when_training(msg):
                if msg["msg_type"] in ("display_data", "update_display_data") and not started:
                    started.append(time.monotonic())
                    assert kernel.interrupt() == 204

            reply, iopub = kernel.execute("train epochs=10000 batch=1 as long", timeout=120,
                                          on_message=interrupt_when_training)
            assert started, "the long cell never showed progress"
            assert reply["content"]["status"] == "error" and reply["content"]["ename"] == "KeyboardInterrupt"
            assert time.monotonic() - started[0] < 10
            reply, iopub = kernel.execute("get long.status")
            assert reply["content"]["status"] == "ok"
            assert "interrupted" in text_of(iopub)

            # Restart: the same websocket serves the fresh kernel: defaults are back, and the runs
            # come back from the run store in the user's directory (the interrupted one included).
            kernel.execute("set epochs=3")
            assert kernel.restart() == 200
            kernel.wait_for_ready(60)
            reply, iopub = kernel.execute("get epochs")
            hub.remember_children()
            assert reply["content"]["status"] == "ok" and reply["content"]["execution_count"] == 1
            assert text_of(iopub).strip() == "10", "after a restart the session defaults are back"
            reply, iopub = kernel.execute("get baseline.epochs")
            assert reply["content"]["status"] == "ok" and text_of(iopub).strip() == "2", text_of(iopub)
            reply, iopub = kernel.execute("get long.status")
            assert reply["content"]["status"] == "ok" and "interrupted" in text_of(iopub)

            kernel.close()
            kernel = None
            status, _ = api(base, token, "DELETE", "/hub/api/users/student/server", timeout=60)
            assert status in (202, 204)
        finally:
            signal.alarm(0)  # the cleanup must not be cut short
            if kernel is not None:
                kernel.close()
            hub.stop()
    assert not hub.leftovers(), f"processes left running: {hub.leftovers()}"


def test_kernel_gateway_runs_the_training_cell(idx_dir, tmp_path):
    require(importable("kernel_gateway"), "jupyter_kernel_gateway is not installed in this Python")
    token = secrets.token_hex(16)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    (tmp_path / "runtime").mkdir()
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    gateway = Server([sys.executable, "-m", "kernel_gateway", "--KernelGatewayApp.ip=127.0.0.1",
                      f"--KernelGatewayApp.port={port}", "--KernelGatewayApp.port_retries=0",
                      f"--KernelGatewayApp.auth_token={token}",
                      f"--KernelGatewayApp.default_kernel_name={KERNEL_NAME}"],
                     tmp_path, env, tmp_path / "gateway.log")
    kernel = None
    with time_limit(150):
        try:
            gateway.wait_ready(lambda: api(base, token, "GET", "/api/kernelspecs")[0] == 200, 60, "Kernel Gateway")
            specs = api(base, token, "GET", "/api/kernelspecs")[1]["kernelspecs"]
            assert KERNEL_NAME in specs, f"the gateway sees {sorted(specs)}"
            kernel = WebSocketKernel(base, token, KERNEL_NAME)
            gateway.remember_children()
            check_training_cell(kernel, idx_dir)
            kernel.close()
            kernel = None
        finally:
            signal.alarm(0)  # the cleanup must not be cut short
            if kernel is not None:
                kernel.close()
            gateway.stop()
    assert not gateway.leftovers(), f"processes left running: {gateway.leftovers()}"
