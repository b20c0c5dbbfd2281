"""Hostile input through real clients: control-channel discipline, replays, special files as
targets and data files, huge diagnostics, connection files. Every path is in a temporary directory."""
from __future__ import annotations

import json
import os
import stat
import subprocess
import time

import zmq
from jupyter_client import BlockingKernelClient
from jupyter_client.session import Session

from conftest import kernel_binary, write_idx_dataset
from kernel_harness import execute, raw_socket, running_kernel, shell_reply


def _control_reply(kc, msg_id: str, timeout: float = 10) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        msg = kc.control_channel.get_msg(timeout=max(0.01, deadline - time.monotonic()))
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg


def test_execute_on_control_is_aborted_and_not_run():
    with running_kernel() as (km, kc):
        request = kc.session.msg("execute_request", {"code": "set batch=17", "silent": False,
                                                      "store_history": True})
        kc.control_channel.send(request)
        reply = _control_reply(kc, request["header"]["msg_id"])
        assert reply["msg_type"] == "execute_reply"
        assert reply["content"]["status"] == "aborted"
        shell, _ = execute(kc, "get batch")
        assert shell["content"]["status"] == "ok"
        assert shell["content"]["execution_count"] == 1, "the control request must not count"
        # The value proves the control cell never ran.
        outputs = [m for m in _iopub_results(kc)]
        assert "17" not in json.dumps(outputs)


def _iopub_results(kc):
    while True:
        try:
            msg = kc.get_iopub_msg(timeout=0.5)
        except Exception:
            return
        if msg["msg_type"] == "execute_result":
            yield msg["content"]["data"]


def test_a_replayed_message_is_answered_once():
    with running_kernel() as (km, kc):
        session = Session(key=km.session.key, signature_scheme=km.session.signature_scheme)
        sock = raw_socket(km, zmq.DEALER, km.shell_port)
        try:
            msg = session.msg("kernel_info_request", {})
            frames = session.serialize(msg)
            sock.send_multipart(frames)
            assert sock.poll(5000), "no reply to the first copy"
            sock.recv_multipart()
            sock.send_multipart(frames)
            assert not sock.poll(1500), "a replayed message was answered"
        finally:
            sock.close()
        msg_id = kc.kernel_info()
        assert shell_reply(kc, msg_id, 10)["msg_type"] == "kernel_info_reply"


def test_special_files_are_never_replaced(tmp_path):
    data = write_idx_dataset(tmp_path / "data", train=64, test=32)
    out = tmp_path / "out"
    out.mkdir()
    fifo = out / "runs.json"
    os.mkfifo(fifo)
    device = out / "null"
    made_device = os.geteuid() == 0
    if made_device:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    report_fifo = out / "study.md"
    os.mkfifo(report_fifo)
    with running_kernel() as (km, kc):
        reply, _ = execute(kc, f'load fashion dir="{data}"\nmodel 784-16-relu-10\ntrain epochs=1 as a')
        assert reply["content"]["status"] == "ok"
        reply, _ = execute(kc, f'export file="{fifo}"')
        assert reply["content"]["status"] == "error"
        assert "FIFO" in reply["content"]["evalue"]
        if made_device:
            reply, _ = execute(kc, f'export file="{device}" format=csv')
            assert reply["content"]["status"] == "error"
            assert "character device" in reply["content"]["evalue"]
            assert not (out / "null-epochs.csv").exists(), "no side file next to a refused export"
        reply, messages = execute(kc, f'report file="{report_fifo}"')
        assert reply["content"]["status"] == "error"
        assert not any("wrote the report" in json.dumps(m["content"]) for m in messages)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert stat.S_ISFIFO(os.lstat(report_fifo).st_mode)
    if made_device:
        assert stat.S_ISCHR(os.lstat(device).st_mode)
    assert not [p.name for p in out.iterdir() if "figure" in p.name]


def test_fifo_data_file_is_refused_at_once(tmp_path):
    data = write_idx_dataset(tmp_path / "data", train=64, test=32)
    (data / "t10k-images-idx3-ubyte.gz").unlink()
    os.mkfifo(data / "t10k-images-idx3-ubyte.gz")
    with running_kernel() as (km, kc):
        started = time.monotonic()
        reply, _ = execute(kc, f'load fashion dir="{data}"', timeout=10)
        assert time.monotonic() - started < 10
        assert reply["content"]["status"] == "error"
        assert "FIFO" in reply["content"]["evalue"]
        again, _ = execute(kc, 'print "still here"')
        assert again["content"]["status"] == "ok"


def test_huge_lines_give_small_errors():
    with running_kernel() as (km, kc):
        for code in ("model 784-" + "relu-" * 3000 + "10", "print " + " ".join(["a.b"] * 14000)):
            reply, messages = execute(kc, code, timeout=30)
            assert reply["content"]["status"] == "error"
            size = len(json.dumps(reply["content"]))
            assert size < 64 * 1024, f"a {size}-byte error reply"
            assert reply["content"]["traceback"][-1].count("\n") <= 3


def test_directory_as_connection_file(tmp_path):
    result = subprocess.run([str(kernel_binary()), "-f", str(tmp_path)], capture_output=True, timeout=30)
    assert result.returncode == 2
    err = result.stderr.decode()
    assert "is a directory" in err and "NSCocoaErrorDomain" not in err


def test_zero_ports_are_written_back_and_logged(tmp_path):
    path = tmp_path / "kernel-zero.json"
    path.write_text(json.dumps({"shell_port": 0, "iopub_port": 0, "stdin_port": 0, "control_port": 0,
                                "hb_port": 0, "ip": "127.0.0.1", "key": "secret", "transport": "tcp",
                                "signature_scheme": "hmac-sha256", "kernel_name": "x"}))
    os.chmod(path, 0o600)
    log = open(tmp_path / "stderr.log", "wb")
    proc = subprocess.Popen([str(kernel_binary()), "-f", str(path)], cwd=tmp_path, stderr=log,
                            stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while json.loads(path.read_text())["shell_port"] == 0:
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        info = json.loads(path.read_text())
        assert all(info[k] > 0 for k in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port"))
        assert info["key"] == "secret" and info["kernel_name"] == "x"
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        kc = BlockingKernelClient(connection_file=str(path))
        kc.load_connection_file()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=30)
            msg = kc.session.msg("shutdown_request", {"restart": False})
            kc.control_channel.send(msg)
            proc.wait(timeout=10)
        finally:
            kc.stop_channels()
        log.close()
        logged = (tmp_path / "stderr.log").read_text()
        assert f"shell {info['shell_port']}" in logged and "written to" in logged
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
