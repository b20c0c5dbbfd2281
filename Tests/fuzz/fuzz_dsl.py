"""DSL fuzzing through the checker and real execution on a tiny data subset.

Cells are generated from the grammar (valid and invalid values, long tokens, odd Unicode) and then
mutated at the character level. Each input goes to the real kernel as an execute_request (checked,
then run on 64 training and 32 test images) and as is_complete/complete/inspect requests (the
editor's checker paths). Invariants: every request is answered (a cell still running after the
time limit must stop on interrupt_request), statuses are valid, a cell's error stays under 64 KB,
and a health check (shell, control, heartbeat) passes after every batch.

The mutation alphabet has no '/', '~' or '\\' and every generated path is a plain relative name,
so every file the fuzzed cells write lands in the suite's temporary working directory.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

from fuzzkit import Failure, Kernel, Workdir, summary

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "jupyter"))
from conftest import write_idx_dataset  # noqa: E402

NAMES = ["a", "b", "baseline", "sgd", "bs16", "run1", "x_y", "Ünï", "名前", "a" * 300]
FILES = ["runs.csv", "r.json", "out.md", "rep.html", "x", "dir", "e.txt", "über.csv", "a b.csv", ""]
PARAMS = {
    "batch": ["1", "16", "32", "64", "0", "-1", "1000000", "1e3", "abc", "16,32"],
    "lr": ["1e-3", "0.01", "0", "-1", "1e308", "nan", "inf", "1e-400", "0.5.5"],
    "opt": ["adam", "sgd", "adamw", "", "ADAM"],
    "epochs": ["1", "2", "0", "-3", "1,2", "x"],
    "seed": ["0", "1", "42", "99999999999999999999", "-1"],
    "zero_grad": ["on", "off", "true", "maybe"],
    "momentum": ["0", "0.9", "1", "2", "-0.1"],
    "weight_decay": ["0", "1e-4", "-1"],
    "device": ["auto", "cpu", "gpu", "tpu"],
}
METRICS = ["loss", "acc", "test_acc", "grad_sq", "weight_norm", "time", "nonsense"]
FIELDS = ["test_acc", "train_loss", "train_s", "status", "epochs", "batch", "lr", "bogus"]
ODD = ["", " ", "\t", ";", ";;", "\"", "\"unterminated", "é", "😀", "\u200b", "\ufeff", "\r", "#",
       "# %%", "-", "--", "=", "==", ",", ",,", "(", ")", "{", "}", "0x10", "1_000", ".5", "5.",
       "relu-" * 50, "9" * 40]
ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789 =-,;.\"#_\n\téü😀名"


def statement(rng: random.Random) -> str:
    kind = rng.randrange(20)
    if kind == 0:
        extra = rng.choice(["", " train=64 test=32", " train=64", " test=0", " train=999999",
                            " dir=\"missing\"", " dir=\"data\" train=10 test=5"])
        return "load fashion dir=\"data\" train=64 test=32" if not extra else "load fashion" + (
            extra if "dir=" in extra else " dir=\"data\"" + extra)
    if kind == 1:
        widths = [rng.choice(["784", "16", "8", "0", "100000", "10", "x"]) for _ in range(rng.randrange(1, 5))]
        acts = ["", "relu-", "tanh-", "sigmoid-", "gelu-"]
        spec = "784-" + "".join(rng.choice(acts) + w + "-" for w in widths) + rng.choice(["10", "10-", "relu-10", "5"])
        return "model " + spec
    if kind in (2, 3, 4):
        params = " ".join(f"{k}={rng.choice(v)}" for k, v in rng.sample(list(PARAMS.items()), rng.randrange(0, 4)))
        if kind == 2:
            return "set " + (params or "epochs=1")
        name = f" as {rng.choice(NAMES)}" if rng.random() < 0.6 else ""
        return f"train epochs=1 batch={rng.choice(['16', '32', '64'])} {params}{name}"
    if kind == 5:
        k = rng.choice(["batch", "lr", "opt"])
        return f"sweep epochs=1 {k}={','.join(rng.sample(PARAMS[k], 2))} as {rng.choice(NAMES)}"
    if kind == 6:
        return f"eval {rng.choice(NAMES + [''])} on={rng.choice(['test', 'train', 'valid'])}"
    if kind == 7:
        return rng.choice(["runs", "device", "env", "clear", "help", "help train", "help grad_sq",
                           "help nosuch", "show", f"show {rng.choice(NAMES)}"])
    if kind == 8:
        return f"compare {' '.join(rng.sample(NAMES, rng.randrange(0, 3)))} baseline={rng.choice(NAMES)}"
    if kind == 9:
        return (f"plot {rng.choice(METRICS)} {rng.choice(NAMES + [''])}"
                f" {rng.choice(['', 'layer=1', 'layer=0', 'per=step', 'per=epoch', 'log=on'])}")
    if kind == 10:
        force = rng.choice(["", " force=on", " force=off", " force=maybe"])
        return f"report file=\"{rng.choice(FILES)}\"{rng.choice(['', ' format=md', ' format=html', ' format=pdf'])}{force}"
    if kind == 11:
        force = rng.choice(["", " force=on"])
        return f"export {rng.choice(NAMES + [''])} file=\"{rng.choice(FILES)}\"{rng.choice(['', ' format=json', ' format=csv'])}{force}"
    if kind == 12:
        items = [rng.choice(['"text"', "1.5", f"{rng.choice(NAMES)}.{rng.choice(FIELDS)}", "batch", "lr", '"é😀"'])
                 for _ in range(rng.randrange(1, 6))]
        return "print " + " ".join(items) + rng.choice(["", " to=stderr", " to=nowhere"])
    if kind == 13:
        return f"get {rng.choice(NAMES)}.{rng.choice(FIELDS)}"
    if kind == 14:
        return "print " + " ".join(["a.b"] * rng.randrange(1, 400))
    if kind == 15:
        return "model 784-" + "relu-" * rng.randrange(1, 600) + "10"
    return rng.choice(ODD) + rng.choice(["", " ", "train", "print", "load"]) + rng.choice(ODD)


SETUP = 'load fashion dir="data" train=64 test=32\nmodel 784-16-relu-10\nset epochs=1 batch=32'


def valid_statement(rng: random.Random, serial: int) -> str:
    """A statement that checks cleanly once SETUP ran (it may still fail at run time, e.g. no runs)."""
    kind = rng.randrange(12)
    name = f"r{serial}"
    if kind <= 2:
        return (f"train batch={rng.choice([16, 32, 64])} lr={rng.choice(['1e-3', '0.01', '0.1'])}"
                f" opt={rng.choice(['adam', 'sgd'])} zero_grad={rng.choice(['on', 'off'])} as {name}")
    if kind == 3:
        return f"sweep batch=16,32 as s{serial}"
    if kind == 4:
        return rng.choice(["runs", "show", "compare", "eval", "eval on=train", "device", "env", "help export"])
    if kind == 5:
        return f"plot {rng.choice(['loss', 'test_acc', 'grad_sq'])}"
    if kind == 6:
        return f"export file=\"{rng.choice(['runs.csv', 'runs.json', 'e.csv'])}\""
    if kind == 7:
        return f"report file=\"{rng.choice(['report.html', 'report.md'])}\""
    if kind == 8:
        return "print \"value\" batch lr"
    if kind == 9:
        return rng.choice(["get batch", "get epochs", "clear"])
    if kind == 10:
        return f"set {rng.choice(['batch=16', 'lr=0.01', 'seed=3', 'epochs=1'])}"
    return "model 784-" + rng.choice(["16-relu-", "8-tanh-", "32-sigmoid-", ""]) + "10"


def cell(rng: random.Random, serial: int = 0) -> str:
    sep = rng.choice(["\n", "; ", "\n\n", ";", "\r\n"])
    if rng.random() < 0.4:
        return sep.join(valid_statement(rng, serial * 10 + i) for i in range(rng.randrange(1, 3)))
    return sep.join(statement(rng) for _ in range(rng.randrange(1, 4)))


def mutate(text: str, rng: random.Random) -> str:
    chars = list(text)
    for _ in range(rng.randrange(1, 6)):
        op = rng.randrange(5)
        i = rng.randrange(len(chars) + 1)
        if op == 0:
            chars.insert(i, rng.choice(ALPHABET))
        elif op == 1 and chars:
            del chars[min(i, len(chars) - 1)]
        elif op == 2 and chars:
            chars[min(i, len(chars) - 1)] = rng.choice(ALPHABET)
        elif op == 3 and chars:
            j = rng.randrange(len(chars))
            chars[i:i] = chars[j:j + rng.randrange(1, 20)]
        else:
            chars[i:i] = list(rng.choice(ODD))
    out = "".join(chars)
    # Keep every path relative and escape-free (see the module's doc).
    return out.replace("/", "").replace("~", "").replace("\\", "")


def run(count: int, seed: int, batch: int, cell_timeout: float, per_kernel: int, progress: bool = False) -> int:
    started = time.monotonic()
    rng = random.Random(seed)
    counts = {"inputs": 0, "ok": 0, "error": 0, "interrupted": 0, "editor_requests": 0, "batches": 0,
              "max_error_bytes": 0, "max_rss_mb": 0, "kernels": 1}
    failures: list[str] = []
    with Workdir("nndsl-fuzz-dsl-") as work:
        write_idx_dataset(work / "data", train=256, test=64, seed=seed)
        kernel = Kernel(work)
        try:
            kernel.health()
            while counts["inputs"] < count and not failures:
                if counts["inputs"] and counts["inputs"] % per_kernel < batch:
                    # A fresh kernel now and then keeps the number of runs (and report sizes) bounded.
                    counts["max_rss_mb"] = max(counts["max_rss_mb"], kernel.max_rss_kb // 1024)
                    kernel.close()
                    kernel = Kernel(work)
                    counts["kernels"] += 1
                    kernel.health()
                setup = kernel.shell_request("execute_request", {"code": SETUP, "silent": False}, cell_timeout)
                if setup is None or setup["content"]["status"] != "ok":
                    failures.append(f"the set-up cell failed: {setup and setup['content']}")
                    break
                for _ in range(min(batch, count - counts["inputs"])):
                    text = cell(rng, counts["inputs"])
                    if rng.random() < 0.5:
                        text = mutate(text, rng)
                    counts["inputs"] += 1
                    reply = kernel.shell_request(
                        "execute_request", {"code": text, "silent": False, "store_history": True,
                                            "user_expressions": {}, "allow_stdin": False,
                                            "stop_on_error": True}, cell_timeout)
                    if reply is None:
                        kernel.interrupt()
                        counts["interrupted"] += 1
                        reply = _late_reply(kernel, cell_timeout)
                        if reply is None:
                            kernel.alive()
                            failures.append(f"hang: no reply {cell_timeout:.0f} s after an interrupt for {text!r}")
                            break
                    status = reply["content"].get("status")
                    if status not in ("ok", "error"):
                        failures.append(f"execute_reply status {status!r} for {text!r}")
                        break
                    counts[status] += 1
                    if status == "error":
                        size = sum(len(t.encode()) for t in reply["content"].get("traceback", []))
                        size += len(reply["content"].get("evalue", "").encode())
                        counts["max_error_bytes"] = max(counts["max_error_bytes"], size)
                        if size > 64 * 1024:
                            failures.append(f"a {size}-byte error for a {len(text)}-character cell")
                            break
                    for msg_type, content in (
                            ("is_complete_request", {"code": text}),
                            ("complete_request", {"code": text, "cursor_pos": rng.randrange(len(text) + 1)}),
                            ("inspect_request", {"code": text, "cursor_pos": rng.randrange(len(text) + 1),
                                                 "detail_level": rng.randrange(2)})):
                        if rng.random() < 0.34:
                            counts["editor_requests"] += 1
                            if kernel.shell_request(msg_type, content, cell_timeout) is None:
                                kernel.alive()
                                failures.append(f"no {msg_type.replace('_request', '_reply')} for {text!r}")
                                break
                kernel.drain_iopub()
                counts["batches"] += 1
                if progress:
                    print(f"  dsl: {counts['inputs']} inputs, {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
                try:
                    kernel.health()
                except Failure as e:
                    failures.append(f"health check after batch {counts['batches']}: {e}")
            counts["max_rss_mb"] = max(counts["max_rss_mb"], kernel.max_rss_kb // 1024)
        except Failure as e:
            failures.append(str(e))
        finally:
            kernel.close()
    return summary("dsl", counts, failures, started)


def _late_reply(kernel: Kernel, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            msg = kernel.client.get_shell_msg(timeout=max(0.01, deadline - time.monotonic()))
        except Exception:
            continue
        if msg["msg_type"] == "execute_reply":
            return msg
    return None


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--count", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--batch", type=int, default=500, help="inputs between health checks")
    p.add_argument("--cell-timeout", type=float, default=20.0)
    p.add_argument("--per-kernel", type=int, default=1000, help="inputs before a fresh kernel")
    p.add_argument("--progress", action="store_true", help="one line per batch on stderr")
    a = p.parse_args()
    return run(a.count, a.seed, a.batch, a.cell_timeout, max(a.per_kernel, a.batch), a.progress)


if __name__ == "__main__":
    sys.exit(main())
