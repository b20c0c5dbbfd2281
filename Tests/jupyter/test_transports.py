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
