"""A kernel reached the way JupyterLab reaches it behind a server: the REST kernels API for
start, interrupt and restart, and the websocket `/api/kernels/<id>/channels` (JSON messages with a
`channel` field) for execution. Used for JupyterHub's proxied user servers and Kernel Gateway."""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timezone

import websocket  # websocket-client, a dependency of jupyter_server


def api(base: str, token: str, method: str, path: str, body: dict | None = None, timeout: float = 30):
    """One REST call with `Authorization: token ...`; returns (status, parsed JSON or None), also
    for HTTP error statuses."""
    data = json.dumps(body).encode() if body is not None else (b"" if method == "POST" else None)
    request = urllib.request.Request(base + path, data=data, method=method, headers={
        "Authorization": f"token {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
            return response.status, (json.loads(raw) if raw else None)
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            return error.code, (json.loads(raw) if raw else None)
        except ValueError:
            return error.code, {"message": raw.decode(errors="replace")}


class WebSocketKernel:
    """One kernel of a Jupyter server (base URL + token), driven over its websocket."""

    def __init__(self, base: str, token: str, kernel_name: str, timeout: float = 60):
        self.base, self.token = base, token
        status, kernel = api(base, token, "POST", "/api/kernels", {"name": kernel_name}, timeout=timeout)
        assert status == 201, f"starting a {kernel_name} kernel: {status} {kernel}"
        self.kernel_id = kernel["id"]
        self.session = uuid.uuid4().hex
        ws_url = base.replace("http://", "ws://", 1) + f"/api/kernels/{self.kernel_id}/channels?session_id={self.session}"
        self.ws = websocket.create_connection(ws_url, header=[f"Authorization: token {token}"], timeout=timeout)
        self.wait_for_ready(timeout)

    def send(self, channel: str, msg_type: str, content: dict) -> str:
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": msg_type, "username": "test", "session": self.session,
                       "date": datetime.now(timezone.utc).isoformat(), "version": "5.3"},
            "parent_header": {}, "metadata": {}, "content": content, "channel": channel, "buffers": [],
        }))
        return msg_id

    def receive(self, timeout: float) -> dict:
        """The next message, or TimeoutError after `timeout` seconds. Waits in short slices: the
        server pings every 30 s and websocket-client's own timeout restarts with every frame."""
        deadline = time.monotonic() + timeout
        while True:
            self.ws.settimeout(max(0.1, min(5.0, deadline - time.monotonic())))
            try:
                return json.loads(self.ws.recv())
            except websocket.WebSocketTimeoutException:
                if time.monotonic() >= deadline:
                    raise TimeoutError(f"no message within {timeout:.0f} s") from None

    def wait_for_ready(self, timeout: float = 60) -> None:
        """Sends kernel_info_request until both its reply (shell) and its status (IOPub) arrive, as
        jupyter_server itself does after a restart: until then requests, or their IOPub messages,
        can be lost while the server reconnects to the new kernel."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            msg_id = self.send("shell", "kernel_info_request", {})
            attempt_end = min(deadline, time.monotonic() + 2)
            replied = published = False
            try:
                while not (replied and published):
                    msg = self.receive(attempt_end - time.monotonic())
                    if msg["parent_header"].get("msg_id") != msg_id:
                        continue
                    replied = replied or msg["msg_type"] == "kernel_info_reply"
                    published = published or msg["channel"] == "iopub"
                return
            except TimeoutError:
                continue
        raise TimeoutError(f"the kernel did not answer kernel_info within {timeout} s")

    def execute(self, code: str, timeout: float = 120, on_message=None) -> tuple[dict, list[dict]]:
        """Runs `code`; returns (execute_reply, IOPub messages of the request up to idle).
        `on_message(msg)` sees each IOPub message as it arrives."""
        msg_id = self.send("shell", "execute_request", {
            "code": code, "silent": False, "store_history": True, "user_expressions": {},
            "allow_stdin": False, "stop_on_error": True})
        deadline = time.monotonic() + timeout
        reply, iopub, idle = None, [], False
        while reply is None or not idle:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no complete answer to {code!r} within {timeout} s")
            msg = self.receive(remaining)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if msg["channel"] == "shell" and msg["msg_type"] == "execute_reply":
                reply = msg
            elif msg["channel"] == "iopub":
                iopub.append(msg)
                if on_message:
                    on_message(msg)
                idle = msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle"
        return reply, iopub

    def interrupt(self) -> int:
        return api(self.base, self.token, "POST", f"/api/kernels/{self.kernel_id}/interrupt")[0]

    def restart(self) -> int:
        return api(self.base, self.token, "POST", f"/api/kernels/{self.kernel_id}/restart", timeout=60)[0]

    def close(self) -> None:
        try:
            self.ws.close()
        finally:
            try:
                api(self.base, self.token, "DELETE", f"/api/kernels/{self.kernel_id}")
            except Exception:
                pass  # the server may be going away already


def text_of(messages: list[dict]) -> str:
    """Everything the messages show as text: streams, text/plain of results and displays, errors."""
    parts = []
    for m in messages:
        c = m["content"]
        if m["msg_type"] == "stream":
            parts.append(c["text"])
        elif m["msg_type"] in ("execute_result", "display_data", "update_display_data"):
            parts.append(c["data"].get("text/plain", ""))
        elif m["msg_type"] == "error":
            parts.append(f"{c['ename']}: {c['evalue']}")
    return "\n".join(parts)
