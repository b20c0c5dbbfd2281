"""Malformed or badly signed messages are dropped, never answered, and the kernel keeps serving."""
from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid

import zmq
from jupyter_client.session import Session

from kernel_harness import raw_socket, running_kernel


def _header(msg_type: str) -> dict:
    return {"msg_id": uuid.uuid4().hex, "session": "robustness", "username": "test",
            "date": "2026-01-01T00:00:00.000000Z", "msg_type": msg_type, "version": "5.3"}


def _frames(key: bytes, header: bytes, content: bytes = b"{}", signature: bytes | None = None):
    parts = [header, b"{}", b"{}", content]
    if signature is None:
        mac = hmac.new(key, digestmod=hashlib.sha256)
        for p in parts:
            mac.update(p)
        signature = mac.hexdigest().encode()
    return [b"<IDS|MSG>", signature, *parts]


def _no_reply(sock: zmq.Socket, seconds: float) -> list:
    got = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if sock.poll(50):
            got.append(sock.recv_multipart())
    return got


def test_bad_messages_are_dropped_and_kernel_keeps_serving():
    with running_kernel() as (km, kc):
        key = km.session.key
        assert key, "the test kernel should run with a signing key"
        for channel, port in (("shell", km.shell_port), ("control", km.control_port)):
            sock = raw_socket(km, zmq.DEALER, port)
            try:
                good = json.dumps(_header("kernel_info_request")).encode()
                bad_cases = {
                    "wrong signature": _frames(key, good, signature=b"0" * 64),
                    "no signature": _frames(key, good, signature=b""),
                    "signature for other bytes": _frames(key, good)[:1]
                        + [_frames(key, b'{"x":1}')[1]] + _frames(key, good)[2:],
                    "garbage frames": [b"\xff\x00garbage", b"more garbage"],
                    "delimiter only": [b"<IDS|MSG>"],
                    "too few frames": [b"<IDS|MSG>", b"sig", b"{}"],
                    "invalid JSON header": _frames(key, b"{not json"),
                    "header not an object": _frames(key, b"[1,2]"),
                    "header without msg_type": _frames(key, b'{"msg_id":"x"}'),
                    "invalid JSON content": _frames(key, good, content=b'{"code": '),
                    "invalid UTF-8": _frames(key, b'{"msg_type":"\xff\xfe"}'),
                }
                for name, frames in bad_cases.items():
                    sock.send_multipart(frames)
                replies = _no_reply(sock, 1.0)
                assert replies == [], f"{channel}: bad messages were answered: {replies}"

                session = Session(key=key, signature_scheme=km.session.signature_scheme)
                sent = session.send(sock, "kernel_info_request", {})
                assert sock.poll(5000), f"{channel}: no reply to the valid request"
                _, reply = session.feed_identities(sock.recv_multipart())
                reply = session.deserialize(reply)
                assert reply["msg_type"] == "kernel_info_reply"
                assert reply["parent_header"]["msg_id"] == sent["header"]["msg_id"]
            finally:
                sock.close()
        # The regular client still works after all that.
        msg_id = kc.kernel_info()
        reply = kc.get_shell_msg(timeout=10)
        assert reply["parent_header"]["msg_id"] == msg_id


def test_reply_headers_and_parent_header_copy():
    with running_kernel() as (km, kc):
        sock = raw_socket(km, zmq.DEALER, km.shell_port)
        try:
            key = km.session.key
            header = _header("kernel_info_request")
            header["subshell_id"] = None  # extra keys are accepted and copied back untouched
            del header["date"]  # a missing date is accepted
            raw = json.dumps(header, separators=(", ", ": ")).encode()
            sock.send_multipart(_frames(key, raw))
            assert sock.poll(5000)
            frames = sock.recv_multipart()
            i = frames.index(b"<IDS|MSG>")
            sig, h, parent, _meta, content = frames[i + 1:i + 6]
            mac = hmac.new(key, digestmod=hashlib.sha256)
            for p in (h, parent, _meta, content):
                mac.update(p)
            assert sig == mac.hexdigest().encode()
            assert parent == raw, "parent_header must be the request header exactly"
            reply_header = json.loads(h)
            assert reply_header["version"].startswith("5.")
            assert reply_header["date"].endswith("Z")
            assert reply_header["msg_type"] == "kernel_info_reply"
            assert reply_header["msg_id"] != header["msg_id"]
        finally:
            sock.close()


def test_signed_requests_with_odd_content_are_answered_sanely():
    with running_kernel() as (km, kc):
        session = kc.session
        sock = raw_socket(km, zmq.DEALER, km.shell_port)
        try:
            cases = [
                ("execute_request", {"code": 123, "silent": "yes"}),
                ("execute_request", {}),
                ("complete_request", {"code": "tra", "cursor_pos": "abc"}),
                ("complete_request", {"code": "é😀 tr", "cursor_pos": 10_000}),
                ("inspect_request", {"code": None, "cursor_pos": -4}),
                ("is_complete_request", {"code": ["not", "a", "string"]}),
                ("history_request", {"hist_access_type": "tail", "n": -5}),
                ("history_request", {"hist_access_type": "nonsense"}),
                ("history_request", {"hist_access_type": "search", "pattern": "[", "n": 10**12}),
                ("comm_info_request", {"target_name": 7}),
                ("no_such_request", {"x": 1}),
            ]
            expected_replies = 0
            for msg_type, content in cases:
                session.send(sock, msg_type, content)
                if msg_type != "no_such_request":
                    expected_replies += 1
            replies = []
            deadline = time.monotonic() + 30
            while len(replies) < expected_replies and time.monotonic() < deadline:
                if sock.poll(500):
                    _, frames = session.feed_identities(sock.recv_multipart())
                    replies.append(session.deserialize(frames))
            assert len(replies) == expected_replies
            for reply in replies:
                allowed = ("complete", "incomplete", "invalid", "unknown") \
                    if reply["msg_type"] == "is_complete_reply" else ("ok", "error")
                assert reply["content"]["status"] in allowed, reply
            assert not sock.poll(500), "an unknown request type must not be answered"
        finally:
            sock.close()
        reply_id = kc.execute('print "fine"')
        reply = kc.get_shell_msg(timeout=10)
        assert reply["parent_header"]["msg_id"] == reply_id
        assert reply["content"]["status"] == "ok"
