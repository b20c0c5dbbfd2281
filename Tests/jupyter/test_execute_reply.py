"""execute_reply as ipykernel writes it (metadata.started for JupyterLab's cell timing), the
`exit` payload consoles act on, and progress for notebooks vs consoles, through jupyter_client."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from kernel_harness import execute, running_kernel


def test_execute_reply_metadata_has_started_like_ipykernel(idx_dir):
    with running_kernel() as (_, kc):
        before = datetime.now(timezone.utc)
        reply, _ = execute(kc, f'load fashion dir="{idx_dir}"')
        after = datetime.now(timezone.utc)
        meta = reply["metadata"]
        assert meta["status"] == "ok" and meta["dependencies_met"] is True and meta["engine"]
        # ISO 8601 with a UTC offset; jupyter_client already parses it into a datetime.
        started = meta["started"]
        if isinstance(started, str):
            started = datetime.fromisoformat(started.replace("Z", "+00:00"))
        assert started.tzinfo is not None
        assert before - timedelta(seconds=1) <= started <= after
        assert started <= reply["header"]["date"]

        error_reply, _ = execute(kc, "trian")
        assert error_reply["content"]["status"] == "error"
        assert error_reply["metadata"]["status"] == "error" and "started" in error_reply["metadata"]


def test_exit_asks_the_frontend_to_close(idx_dir):
    with running_kernel() as (_, kc):
        reply, outputs = execute(kc, 'print "bye"\nexit\nprint "never"')
        content = reply["content"]
        assert content["status"] == "ok"
        assert {"source": "ask_exit", "keepkernel": False} in content["payload"]
        texts = "".join(m["content"]["text"] for m in outputs if m["msg_type"] == "stream")
        assert texts == "bye\n"
        # The kernel itself keeps serving until the frontend shuts it down.
        again, _ = execute(kc, "get epochs")
        assert again["content"]["status"] == "ok" and again["content"]["payload"] == []


def train_cell(idx_dir) -> str:
    return f'load fashion dir="{idx_dir}"\nmodel 784-16-relu-10\ntrain epochs=2 batch=32 as r'


def test_a_notebook_gets_a_live_display_and_no_progress_lines(idx_dir):
    with running_kernel() as (_, kc):
        _, outputs = execute(kc, train_cell(idx_dir))
        displays = [m for m in outputs if m["msg_type"] == "display_data"
                    and "display_id" in m["content"].get("transient", {})]
        assert len(displays) == 1
        streams = "".join(m["content"]["text"] for m in outputs if m["msg_type"] == "stream")
        assert "epoch 1/2  step" not in streams


def test_a_console_gets_one_progress_line_per_epoch(idx_dir):
    with running_kernel() as (_, kc):
        # Consoles ask is_complete before they send a cell; that is how the kernel knows one.
        kc.is_complete("train")
        kc.get_shell_msg(timeout=30)
        _, outputs = execute(kc, train_cell(idx_dir))
        assert not [m for m in outputs if m["msg_type"] in ("display_data", "update_display_data")]
        lines = [line for m in outputs if m["msg_type"] == "stream" and m["content"]["name"] == "stdout"
                 for line in m["content"]["text"].splitlines() if "  epoch " in line]
        assert [line.split("  ")[1] for line in lines] == ["epoch 1/2", "epoch 2/2"], lines
        assert all(line.startswith("r  epoch") and "step 8/8" in line for line in lines)
