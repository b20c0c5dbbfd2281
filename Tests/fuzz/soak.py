"""Soak benchmark: many executes on one kernel, with RSS at start, middle and end and latency
percentiles, to show that memory stays flat and latency steady (a benchmark, not a test: it prints
figures; it exits non-zero only if the kernel stops answering).

    .venv/bin/python Tests/fuzz/soak.py [--count 10000]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time

from fuzzkit import Failure, Kernel, Workdir

CELLS = ['print "soak"', "get batch", "set lr=1e-3", "runs", "help train", "trian batch=3",
         'print "é😀" lr', "get nosuch.test_acc", "device", "set batch=64 epochs=2"]


def percentile(xs: list[float], q: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--count", type=int, default=10_000)
    a = p.parse_args()
    with Workdir("nndsl-soak-") as work:
        kernel = Kernel(work)
        try:
            kernel.health()
            rss = {"start": kernel.rss_kb()}
            latencies: list[float] = []
            statuses = {"ok": 0, "error": 0}
            started = time.monotonic()
            for i in range(a.count):
                if i == a.count // 2:
                    rss["middle"] = kernel.rss_kb()
                t0 = time.perf_counter()
                reply = kernel.shell_request("execute_request", {"code": CELLS[i % len(CELLS)], "silent": False}, 30)
                latencies.append((time.perf_counter() - t0) * 1000)
                if reply is None:
                    raise Failure(f"execute {i} was not answered within 30 s")
                statuses[reply["content"]["status"]] = statuses.get(reply["content"]["status"], 0) + 1
                if i % 200 == 199:
                    kernel.drain_iopub()
            kernel.drain_iopub()
            rss["end"] = kernel.rss_kb()
            seconds = time.monotonic() - started
            kernel.health()
        except Failure as e:
            print(f"soak: FAIL {e}")
            return 1
        finally:
            kernel.close()
    print(f"soak: {a.count} executes in {seconds:.1f} s ({a.count / seconds:.0f}/s); "
          f"replies ok={statuses.get('ok', 0)} error={statuses.get('error', 0)}")
    print(f"{'':14}{'start':>10}{'middle':>10}{'end':>10}")
    print(f"{'RSS (MB)':14}" + "".join(f"{rss[k] / 1024:>10.1f}" for k in ("start", "middle", "end")))
    print(f"{'':14}{'p50':>10}{'p99':>10}{'max':>10}{'mean':>10}")
    print(f"{'latency (ms)':14}{percentile(latencies, 0.5):>10.2f}{percentile(latencies, 0.99):>10.2f}"
          f"{max(latencies):>10.2f}{statistics.fmean(latencies):>10.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
