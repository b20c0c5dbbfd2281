#!/usr/bin/env bash
# Main job: install what is needed, build the kernel in release mode and run the whole study
# (notebooks/study.nb) in script mode. Outputs (tables as CSV, plots as SVG, report) go to out/study/.
# Usage: bash scripts/study.sh [extra kernel options, e.g. --keep-going]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_swift
ensure_packages "${RUNTIME_PACKAGES[@]}"
echo "==> building (release)"
swift build -c release --product kernel 2>&1 | grep -vE 'prohibited flag|^warning: .*mit-krb5' | tail -n 3
echo "==> running notebooks/study.nb"
exec "$(swift build -c release --show-bin-path)/kernel" --script notebooks/study.nb --out out/study "$@"
