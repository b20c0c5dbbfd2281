"""IPC transport and CurveZMQ encryption, through jupyter_client."""
from __future__ import annotations

import json

import pytest
import zmq

from kernel_harness import execute, raw_socket, running_kernel


def test_ipc_transport(tmp_path):
    with running_kernel(transport="ipc", ip=str(tmp_path / "kernel-ipc")) as (km, kc):
        assert km.transport == "ipc"
        reply, outputs = execute(kc, 'print "over ipc"')
        assert reply["content"]["status"] == "ok"
        assert any(m["msg_type"] == "stream" for m in outputs)
        assert kc.is_alive()


@pytest.mark.skipif(not zmq.has("curve"), reason="libzmq without CURVE")
def test_curve_required():
    with running_kernel(transport_encryption="required") as (km, kc):
        info = json.loads(open(km.connection_file).read())
        assert info.get("curve_secretkey") and info.get("curve_publickey")
        reply, outputs = execute(kc, 'print "encrypted"')
        assert reply["content"]["status"] == "ok"
        # A client without the CURVE handshake gets nothing back.
        plain = raw_socket(km, zmq.DEALER, km.shell_port)
        try:
            kc.session.send(plain, "kernel_info_request", {})
            assert not plain.poll(1500), "a plaintext client must not be served"
        finally:
            plain.close()
        reply, _ = execute(kc, 'print "still encrypted"')
        assert reply["content"]["status"] == "ok"


def test_port_in_use_is_a_clear_error(tmp_path, kernel_bin):
    import socket
    import subprocess

    from jupyter_client.connect import write_connection_file

    blocker = socket.socket()
    blocker.bind(("127.0.0.1", 0))
    blocker.listen()
    taken = blocker.getsockname()[1]
    try:
        conn = tmp_path / "kernel.json"
        write_connection_file(str(conn), shell_port=taken, key=b"k")
        done = subprocess.run([str(kernel_bin), "-f", str(conn)], capture_output=True, text=True,
                              timeout=30)
        assert done.returncode == 1
        assert "shell" in done.stderr and str(taken) in done.stderr
    finally:
        blocker.close()

    missing = subprocess.run([str(kernel_bin), "-f", str(tmp_path / "nope.json")],
                             capture_output=True, text=True, timeout=30)
    assert missing.returncode == 2 and "nope.json" in missing.stderr
    (tmp_path / "bad.json").write_text('{"shell_port": "x"}')
    bad = subprocess.run([str(kernel_bin), "-f", str(tmp_path / "bad.json")],
                         capture_output=True, text=True, timeout=30)
    assert bad.returncode == 2 and "shell_port" in bad.stderr


def test_restart_reuses_the_ports():
    with running_kernel() as (km, kc):
        reply, _ = execute(kc, "set epochs=3")
        assert reply["content"]["status"] == "ok"
        ports = (km.shell_port, km.iopub_port, km.control_port, km.hb_port)
        km.restart_kernel(now=False)
        kc.wait_for_ready(timeout=30)
        assert (km.shell_port, km.iopub_port, km.control_port, km.hb_port) == ports
        reply, outputs = execute(kc, "get epochs")
        assert reply["content"]["status"] == "ok"
        assert reply["content"]["execution_count"] == 1, "a restarted kernel counts from 1"
        results = [m for m in outputs if m["msg_type"] == "execute_result"]
        assert results[0]["content"]["data"]["text/plain"] == "10", "state is fresh after restart"


def test_exits_when_jpy_parent_pid_dies(tmp_path, kernel_bin):
    """A kernel whose launching server died (JPY_PARENT_PID gone) shuts itself down."""
    import os
    import subprocess
    import sys
    import time

    from jupyter_client.connect import write_connection_file

    conn = tmp_path / "kernel.json"
    write_connection_file(str(conn), key=b"k")
    pid_file = tmp_path / "kernel.pid"
    parent_code = (
        "import os, subprocess, sys\n"
        "env = dict(os.environ, JPY_PARENT_PID=str(os.getpid()))\n"
        f"p = subprocess.Popen([{str(kernel_bin)!r}, '-f', {str(conn)!r}], env=env,\n"
        "                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        f"open({str(pid_file)!r}, 'w').write(str(p.pid))\n"
    )
    subprocess.run([sys.executable, "-c", parent_code], check=True, timeout=30)
    kernel_pid = int(pid_file.read_text())
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(kernel_pid, 0)
        except ProcessLookupError:
            return
        # Reap it if it became our zombie via init; otherwise keep waiting.
        status = open(f"/proc/{kernel_pid}/status").read() if os.path.exists(f"/proc/{kernel_pid}") else ""
        if "State:\tZ" in status:
            return
        time.sleep(0.2)
    os.kill(kernel_pid, 9)
    raise AssertionError("the kernel kept running after its JPY_PARENT_PID exited")
