"""Helpers for tests that drive the kernel through jupyter_client and raw ZMQ sockets."""
from __future__ import annotations

import contextlib
import time
from typing import Iterator

import zmq
from jupyter_client.manager import KernelManager

from conftest import KERNEL_NAME


@contextlib.contextmanager
def running_kernel(**kwargs) -> Iterator[tuple[KernelManager, object]]:
    """Starts our kernel from the temporary kernelspec; yields (manager, blocking client)."""
    km = KernelManager(kernel_name=KERNEL_NAME, **kwargs)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=30)
        yield km, kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


def endpoint(km: KernelManager, port: int) -> str:
    if km.transport == "ipc":
        return f"ipc://{km.ip}-{port}"
    return f"tcp://{km.ip}:{port}"


def shell_reply(kc, msg_id: str, timeout: float = 30.0) -> dict:
    """The shell reply to `msg_id` (skips unrelated replies)."""
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(f"no reply to {msg_id}")
        msg = kc.get_shell_msg(timeout=remaining)
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg


def iopub_until_idle(kc, msg_id: str, timeout: float = 30.0) -> list[dict]:
    """IOPub messages of request `msg_id` up to and including its idle status."""
    deadline = time.monotonic() + timeout
    out = []
    while True:
        msg = kc.get_iopub_msg(timeout=max(0.01, deadline - time.monotonic()))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        out.append(msg)
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return out


def execute(kc, code: str, timeout: float = 60.0, **kwargs) -> tuple[dict, list[dict]]:
    msg_id = kc.execute(code, **kwargs)
    reply = shell_reply(kc, msg_id, timeout)
    return reply, iopub_until_idle(kc, msg_id, timeout)


def raw_socket(km: KernelManager, kind: int, port: int) -> zmq.Socket:
    sock = zmq.Context.instance().socket(kind)
    sock.linger = 0
    sock.connect(endpoint(km, port))
    return sock
