"""A long training cell: heartbeats answered throughout, interrupts end it within a second with
the partial run kept, and control stays live while the cell runs."""
from __future__ import annotations

import signal
import threading
import time

import pytest
import zmq

from conftest import write_idx_dataset
from kernel_harness import execute, iopub_until_idle, raw_socket, running_kernel, shell_reply

LONG_SECONDS = 21.0


class HeartbeatProbe(threading.Thread):
    """Pings the heartbeat channel every 0.1 s and records the longest gap between echoes."""

    def __init__(self, km):
        super().__init__(daemon=True)
        self.km = km
        self.stop = threading.Event()
        self.max_gap = 0.0
        self.echoes = 0

    def run(self) -> None:
        sock = raw_socket(self.km, zmq.REQ, self.km.hb_port)
        last = time.monotonic()
        try:
            while not self.stop.is_set():
                sock.send(b"ping")
                if sock.poll(2000):
                    assert sock.recv() == b"ping"
                    now = time.monotonic()
                    self.max_gap = max(self.max_gap, now - last)
                    last = now
                    self.echoes += 1
                else:
                    self.max_gap = max(self.max_gap, time.monotonic() - last)
                    sock.close()
                    sock = raw_socket(self.km, zmq.REQ, self.km.hb_port)
                time.sleep(0.1)
        finally:
            sock.close()


def check_progress_rate(outputs: list[dict]) -> None:
    """One display per run, then update_display_data for it at most 5 times a second."""
    displays = [m for m in outputs if m["msg_type"] == "display_data"
                and "display_id" in m["content"].get("transient", {})]
    assert displays, "progress should open a display with a transient display_id"
    display_id = displays[0]["content"]["transient"]["display_id"]
    updates = [m for m in outputs if m["msg_type"] == "update_display_data"
               and m["content"]["transient"]["display_id"] == display_id]
    assert len(updates) >= 10, "a long run should update its progress display"
    dates = [m["header"]["date"] for m in updates]
    gaps = [(b - a).total_seconds() for a, b in zip(dates, dates[1:])]
    # The last update may be the held-back final state, sent right after its predecessor.
    assert min(gaps[:-1]) >= 0.19, f"progress updates faster than 5/s: {min(gaps[:-1]):.3f}s"
    for m in updates:
        assert "text/plain" in m["content"]["data"] and "epoch" in m["content"]["data"]["text/plain"]


@pytest.fixture(scope="module")
def big_idx(tmp_path_factory):
    return write_idx_dataset(tmp_path_factory.mktemp("idx-big"), train=4000, test=200)


def long_training(data) -> str:
    return (f'load fashion dir="{data}"\nmodel 784-128-relu-10\n'
            "train epochs=1000 batch=16 as long")


def test_heartbeat_and_interrupt_during_long_training(big_idx):
    with running_kernel() as (km, kc):
        probe = HeartbeatProbe(km)
        probe.start()
        msg_id = kc.execute(long_training(big_idx))
        started = time.monotonic()
        # Control stays live while the cell runs.
        time.sleep(2)
        info_id = kc.control_channel.send(kc.session.msg("kernel_info_request")) or None
        control = kc.control_channel.get_msg(timeout=1.0)
        assert control["msg_type"] == "kernel_info_reply"

        time.sleep(max(0.0, LONG_SECONDS - (time.monotonic() - started)))
        sent = time.monotonic()
        request = kc.session.msg("interrupt_request", {})
        kc.control_channel.send(request)
        reply = kc.control_channel.get_msg(timeout=1.0)
        assert reply["msg_type"] == "interrupt_reply"
        assert reply["content"]["status"] == "ok"
        execute_reply = shell_reply(kc, msg_id, timeout=5)
        elapsed = time.monotonic() - sent
        assert elapsed < 1.0, f"the cell took {elapsed:.2f}s to stop after the interrupt"
        assert execute_reply["content"]["status"] == "error"
        assert execute_reply["content"]["ename"] == "KeyboardInterrupt"
        outputs = iopub_until_idle(kc, msg_id)
        assert any(m["msg_type"] == "error" for m in outputs)
        assert any(m["msg_type"] in ("display_data", "update_display_data") for m in outputs), \
            "training should stream progress"
        check_progress_rate(outputs)

        probe.stop.set()
        probe.join(5)
        assert probe.echoes > 100
        assert probe.max_gap < 1.0, f"heartbeat gap {probe.max_gap:.2f}s"

        # The partial run is kept and usable.
        reply, outputs = execute(kc, "show")
        assert reply["content"]["status"] == "ok", reply["content"]
        assert outputs, "show should print the kept run"


def test_sigint_interrupts_the_running_cell(big_idx):
    with running_kernel() as (km, kc):
        msg_id = kc.execute(long_training(big_idx))
        time.sleep(3)
        km.signal_kernel(signal.SIGINT)
        sent = time.monotonic()
        reply = shell_reply(kc, msg_id, timeout=5)
        assert time.monotonic() - sent < 1.0
        assert reply["content"]["status"] == "error"
        # The kernel survives SIGINT and keeps serving.
        reply, _ = execute(kc, 'print "still here"')
        assert reply["content"]["status"] == "ok"


def test_stop_on_error_aborts_queued_cells(big_idx):
    with running_kernel() as (km, kc):
        first = kc.execute(long_training(big_idx))
        queued = [kc.execute('print "never"'), kc.execute("get epochs")]
        time.sleep(2)
        kc.control_channel.send(kc.session.msg("interrupt_request", {}))
        assert shell_reply(kc, first)["content"]["status"] == "error"
        for msg_id in queued:
            reply = shell_reply(kc, msg_id)
            assert reply["content"]["status"] == "aborted"
            statuses = [m["content"]["execution_state"] for m in iopub_until_idle(kc, msg_id)
                        if m["msg_type"] == "status"]
            assert statuses == ["busy", "idle"]
        # A request sent after the failure runs normally.
        reply, _ = execute(kc, 'print "after"')
        assert reply["content"]["status"] == "ok"


def test_execution_count_rules():
    with running_kernel() as (km, kc):
        reply, out = execute(kc, 'print "a"')
        first = reply["content"]["execution_count"]
        assert first == 1
        inputs = [m for m in out if m["msg_type"] == "execute_input"]
        assert inputs and inputs[0]["content"]["execution_count"] == first
        reply, out = execute(kc, 'print "b"', silent=True)
        assert reply["content"]["execution_count"] == first
        assert [m["msg_type"] for m in out] == ["status", "status"], "silent: no IOPub output"
        reply, out = execute(kc, 'print "c"', store_history=False)
        assert reply["content"]["execution_count"] == first
        reply, out = execute(kc, "get epochs")
        assert reply["content"]["execution_count"] == first + 1
        results = [m for m in out if m["msg_type"] == "execute_result"]
        assert results and results[0]["content"]["execution_count"] == first + 1
        reply, _ = execute(kc, 'print "x"', user_expressions={"e": "get epochs", "bad": "trian"})
        exprs = reply["content"]["user_expressions"]
        assert exprs["e"]["status"] == "ok" and exprs["e"]["data"]["text/plain"] == "10"
        assert exprs["bad"]["status"] == "error"


def test_shutdown_exits_promptly():
    with running_kernel() as (km, kc):
        proc = km.provisioner.process
        msg = kc.session.msg("shutdown_request", {"restart": False})
        kc.control_channel.send(msg)
        reply = kc.control_channel.get_msg(timeout=2)
        assert reply["msg_type"] == "shutdown_reply"
        assert reply["content"] == {"status": "ok", "restart": False}
        proc.wait(timeout=2)
        assert proc.returncode == 0
