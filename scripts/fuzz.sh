#!/usr/bin/env bash
# The fuzz and fault suite against the built kernel (KERNEL_BIN, else .build/debug/kernel):
# DSL fuzzing (checker and real execution), wire fuzzing of every socket, data-file faults and
# connection-file faults. Each prints one summary line; the script exits non-zero if any fails.
#   bash scripts/fuzz.sh ci     small sizes, about a minute (scripts/test.sh runs this)
#   bash scripts/fuzz.sh full   100,000 DSL inputs, 10,000 wire messages, 2,000 corruptions, 500 files
# Extra arguments after the size go to every suite (e.g. --seed 7).
set -uo pipefail
cd "$(dirname "$0")/.."
size="${1:-ci}"
shift || true
PY="${PYTHON:-.venv/bin/python}"
case "$PY" in /*) ;; *) PY="$PWD/$PY" ;; esac  # the suites run from Tests/fuzz
[ -x "$PY" ] || { echo "no Python environment: run bash scripts/jupyter-venv.sh first"; exit 2; }
case "$size" in
  ci)   dsl=600;    wire=1500;  data=150;  conn=20;  big=$((1 << 20)) ;;
  full) dsl=100000; wire=10000; data=2000; conn=500; big=$((8 << 20)) ;;
  *) echo "usage: bash scripts/fuzz.sh ci|full [--seed N]"; exit 64 ;;
esac
if [ -n "${KERNEL_BIN:-}" ]; then export KERNEL_BIN="$(realpath -s "$KERNEL_BIN")"; fi
status=0
cd Tests/fuzz
"$PY" fuzz_dsl.py --count "$dsl" "$@" || status=1
"$PY" fuzz_wire.py --count "$wire" --oversized-bytes "$big" "$@" || status=1
"$PY" fuzz_files.py data --count "$data" "$@" || status=1
"$PY" fuzz_files.py connection --count "$conn" "$@" || status=1
exit $status
