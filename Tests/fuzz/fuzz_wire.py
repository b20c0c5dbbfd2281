"""Wire fuzzing of every socket: malformed, unsigned, mis-signed, replayed and oversized messages.

Hostile messages go to shell, control and stdin from one DEALER socket per channel that never
sends anything valid: any reply on those sockets is a broken invariant (a forged, replayed or
malformed message was answered). Signed messages with odd types and contents go from a second
socket (answers allowed, crashes not). The XPUB IOPub socket gets garbage subscriptions and the
heartbeat garbage and oversized frames (it must echo them). After every batch: a health check
(kernel_info on shell and control answered, heartbeat echoes) and a drain of the hostile sockets.
"""
from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import random
import sys
import time
import uuid

import zmq

from fuzzkit import Failure, Kernel, Workdir, summary

CHANNELS = ("shell", "control", "stdin")
TYPES = ["kernel_info_request", "execute_request", "complete_request", "inspect_request",
         "is_complete_request", "history_request", "comm_info_request", "comm_open", "comm_msg",
         "shutdown_request", "input_reply", "debug_request", "no_such_request", "", "x" * 500]


def header(msg_type: str) -> dict:
    return {"msg_id": uuid.uuid4().hex, "session": "fuzz", "username": "fuzz",
            "date": "2026-01-01T00:00:00.000000Z", "msg_type": msg_type, "version": "5.3"}


def sign(key: bytes, parts: list[bytes]) -> bytes:
    mac = hmac.new(key, digestmod=hashlib.sha256)
    for p in parts:
        mac.update(p)
    return mac.hexdigest().encode()


def random_json(rng: random.Random, depth: int = 0):
    k = rng.randrange(8 if depth < 3 else 5)
    if k == 0:
        return rng.choice([None, True, False])
    if k == 1:
        return rng.choice([0, -1, 2**63, 1e308, -0.0, 10**30])
    if k == 2:
        return rng.choice(["", "é😀", "\u0000", "a" * rng.randrange(1, 5000), "train epochs=1"])
    if k in (3, 4):
        return rng.random()
    if k in (5, 6):
        return {rng.choice(["code", "cursor_pos", "silent", "n", "hist_access_type", "x", ""]):
                random_json(rng, depth + 1) for _ in range(rng.randrange(0, 5))}
    return [random_json(rng, depth + 1) for _ in range(rng.randrange(0, 5))]


def hostile(rng: random.Random, key: bytes, seen: list[list[bytes]], oversized_bytes: int) -> tuple[str, list[bytes]]:
    """One message that must never be answered, with its category."""
    h = json.dumps(header(rng.choice(TYPES[:7]))).encode()
    parts = [h, b"{}", b"{}", b"{}"]
    category = rng.choice(["malformed", "unsigned", "mis-signed", "replayed", "oversized"])
    if category == "malformed":
        kind = rng.randrange(8)
        if kind == 0:
            return category, [rng.randbytes(rng.randrange(0, 200)) for _ in range(rng.randrange(1, 8))]
        if kind == 1:
            return category, [b"<IDS|MSG>"] + [rng.randbytes(10)] * rng.randrange(0, 5)
        if kind == 2:
            bad = [b"{not json", b"[1,2]", b'{"msg_id":"x"}', b"\xff\xfe", b"", b'{"msg_type": 5}'][rng.randrange(6)]
            parts = [bad, b"{}", b"{}", b"{}"]
            return category, [b"<IDS|MSG>", sign(key, parts)] + parts
        if kind == 3:
            parts = [h, b"[]", b"{}", b"7"]  # parent and content not objects
            return category, [b"<IDS|MSG>", sign(key, parts)] + parts
        if kind == 4:
            return category, [b"<IDS|MSG>", sign(key, parts)] + parts[:rng.randrange(0, 4)]
        if kind == 5:
            return category, [rng.randbytes(4)] * rng.randrange(0, 3) + parts  # no delimiter
        if kind == 6:
            trunc = h[:rng.randrange(1, len(h))]
            p2 = [trunc, b"{}", b"{}", b"{}"]
            return category, [b"<IDS|MSG>", sign(key, p2)] + p2
        return category, [b"<IDS|MSG>", sign(key, parts)] + [parts[0], b'{"a":', b"{}", b"{}"]
    if category == "unsigned":
        return category, [b"<IDS|MSG>", b""] + parts
    if category == "mis-signed":
        good = sign(key, parts)
        choice = rng.randrange(4)
        if choice == 0:
            sig = bytes(rng.choice(b"0123456789abcdef") for _ in range(64))
        elif choice == 1:
            i = rng.randrange(64)
            sig = good[:i] + (b"0" if good[i:i + 1] != b"0" else b"1") + good[i + 1:]
        elif choice == 2:
            sig = sign(b"wrong-key", parts)
        else:
            sig = good[:rng.randrange(64)]
        return category, [b"<IDS|MSG>", sig] + parts
    if category == "replayed" and seen:
        return category, rng.choice(seen)
    if category == "oversized":
        big = rng.randrange(oversized_bytes // 2, oversized_bytes + 1)
        kind = rng.randrange(3)
        if kind == 0:  # a huge unsigned content
            return category, [b"<IDS|MSG>", b"0" * 64, h, b"{}", b"{}", b'{"code": "' + b"x" * big + b'"}']
        if kind == 1:  # very many frames
            return category, [b"<IDS|MSG>", b"0" * 64] + [b"{}"] * min(20_000, big // 64 + 5)
        return category, [b"x" * big]  # one huge garbage frame
    return "unsigned", [b"<IDS|MSG>", b""] + parts


def run(count: int, seed: int, batch: int, oversized_bytes: int) -> int:
    started = time.monotonic()
    rng = random.Random(seed)
    counts = {"messages": 0, "malformed": 0, "unsigned": 0, "mis-signed": 0, "replayed": 0,
              "oversized": 0, "signed_odd": 0, "heartbeat": 0, "iopub": 0, "batches": 0,
              "max_rss_mb": 0}
    failures: list[str] = []
    with Workdir("nndsl-fuzz-wire-") as work:
        kernel = Kernel(work)
        key = kernel.key
        hostile_sockets = {c: kernel.socket(c) for c in CHANNELS}
        odd_socket = kernel.socket("shell")
        odd_control = kernel.socket("control")
        xsub = kernel.socket("iopub", zmq.XSUB)
        hb = kernel.socket("hb", zmq.DEALER)
        seen: list[list[bytes]] = []  # signed messages of earlier batches, already answered
        pending: list[list[bytes]] = []  # this batch's: replayed only once their first copy was served
        try:
            kernel.health()
            while counts["messages"] < count and not failures:
                for _ in range(min(batch, count - counts["messages"])):
                    counts["messages"] += 1
                    target = rng.randrange(10)
                    if target < 6:
                        category, frames = hostile(rng, key, seen, oversized_bytes)
                        counts[category] += 1
                        hostile_sockets[rng.choice(CHANNELS)].send_multipart(frames)
                    elif target < 8:
                        # Signed, well-framed, odd: may be answered; record it to replay later.
                        msg_type = rng.choice(TYPES)
                        if msg_type in ("shutdown_request", "execute_request"):
                            msg_type = "kernel_info_request"
                        parts = [json.dumps(header(msg_type)).encode(), b"{}", b"{}",
                                 json.dumps(random_json(rng) if rng.random() < 0.5 else {}).encode()]
                        frames = [b"<IDS|MSG>", sign(key, parts)] + parts
                        (odd_socket if rng.random() < 0.7 else odd_control).send_multipart(frames)
                        counts["signed_odd"] += 1
                        pending.append(frames)
                    elif target == 8:
                        payload = [rng.randbytes(rng.randrange(0, 64))] if rng.random() < 0.9 else [b"y" * oversized_bytes]
                        hb.send_multipart(payload)
                        counts["heartbeat"] += 1
                    else:
                        xsub.send(rng.choice([b"\x01", b"\x00", b"\x01" + rng.randbytes(10), rng.randbytes(30), b""]))
                        counts["iopub"] += 1
                # Drain the odd sockets (their replies are allowed) and the heartbeat echoes.
                for sock in (odd_socket, odd_control, hb):
                    while sock.poll(0):
                        sock.recv_multipart()
                counts["batches"] += 1
                try:
                    kernel.health()
                except Failure as e:
                    failures.append(f"health check after batch {counts['batches']}: {e}")
                    break
                time.sleep(0.05)
                for channel, sock in hostile_sockets.items():
                    while sock.poll(0):
                        frames = sock.recv_multipart()
                        failures.append(f"a hostile message on {channel} was answered: {frames[:3]!r}")
                # Replays are only meaningful once their first copy was answered.
                for sock in (odd_socket, odd_control):
                    while sock.poll(200):
                        sock.recv_multipart()
                seen = (seen + pending)[-2000:]
                pending = []
            counts["max_rss_mb"] = kernel.max_rss_kb // 1024
        except Failure as e:
            failures.append(str(e))
        finally:
            for s in list(hostile_sockets.values()) + [odd_socket, odd_control, xsub, hb]:
                s.close()
            kernel.close()
    return summary("wire", counts, failures, started)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--count", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--batch", type=int, default=200, help="messages between health checks")
    p.add_argument("--oversized-bytes", type=int, default=8 << 20)
    a = p.parse_args()
    return run(a.count, a.seed, a.batch, a.oversized_bytes)


if __name__ == "__main__":
    sys.exit(main())
