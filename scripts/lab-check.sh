#!/usr/bin/env bash
# Checks the kernel in a real JupyterLab in headless Chromium (the last stage of scripts/test.sh, so CI).
#
# Installs what is missing (Debian: chromium, chromium-driver and the runtime packages; Python:
# the project's .venv through scripts/jupyter-venv.sh, plus jupyterlab and selenium), builds the
# kernel (debug), installs its kernelspec under a temporary prefix, then runs Tests/lab/lab_check.py:
# JupyterLab on a free 127.0.0.1 port with a token, a small notebook run with Run → Run All Cells,
# DOM checks (compare table, SVG chart, no error output), Tab completion of `trai`, a screenshot.
#
# Usage: scripts/lab-check.sh [--screenshot PATH] [--timeout SECONDS] [--keep]
#   KERNEL_BIN=path   check this kernel binary instead of building .build/debug/kernel
#   LAB_CHECK_LIMIT   hard limit on the whole browser check in seconds (default 900)
# Exit status: 0 passed, 1 a check failed, 2 set-up failed.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
# shellcheck source=lib.sh
source scripts/lib.sh

ensure_packages "${RUNTIME_PACKAGES[@]}" python3 python3-venv chromium chromium-driver || exit 2

bash scripts/jupyter-venv.sh
if ! .venv/bin/python -c 'import jupyterlab, selenium' 2>/dev/null; then
  echo "==> pip install jupyterlab selenium into .venv"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check "jupyterlab>=4" "selenium>=4.10" || exit 2
fi

kernel="${KERNEL_BIN:-}"
if [[ -z "$kernel" ]]; then
  ensure_swift || exit 2
  echo "==> swift build --product kernel"
  swift build --product kernel 2>&1 | grep -vE 'prohibited flag' | tail -n 2
  kernel="$repo/.build/debug/kernel"
fi
[[ -x "$kernel" ]] || { echo "lab-check: no kernel binary at $kernel" >&2; exit 2; }

prefix="$(mktemp -d "${TMPDIR:-/tmp}/nndsl-lab-kernelspec-XXXXXX")"
trap 'rm -rf "$prefix"' EXIT
"$kernel" install --prefix "$prefix" >/dev/null || { echo "lab-check: kernel install failed" >&2; exit 2; }

# Selenium must use the Debian chromedriver, never download one.
export SE_OFFLINE=true SE_AVOID_STATS=true
status=0
timeout --kill-after=30 "${LAB_CHECK_LIMIT:-900}" .venv/bin/python Tests/lab/lab_check.py \
  --kernelspec-dir "$prefix/share/jupyter" --chromium /usr/bin/chromium \
  --chromedriver /usr/bin/chromedriver "$@" || status=$?
if [[ $status -eq 124 || $status -eq 137 ]]; then
  echo "lab-check: FAILED: the check ran past ${LAB_CHECK_LIMIT:-900} s and was stopped" >&2
  status=1
fi
exit "$status"
