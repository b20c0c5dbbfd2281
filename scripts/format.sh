#!/usr/bin/env bash
# Source formatting with the toolchain's swift-format and the configuration in .swift-format.
#
#   bash scripts/format.sh          # check: swift-format lint --strict, and no line over the width
#   bash scripts/format.sh fix      # rewrite Package.swift, Sources and Tests in place
#
# swift-format cannot break string literals, so the width check is separate: a line it leaves too
# long must be split by hand (concatenate literals; `\` at a line's end inside """ strings).
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_swift || exit 1
command -v swift-format >/dev/null 2>&1 || { echo "error: swift-format not found (it ships with Swift 6)" >&2; exit 1; }

width=$(python3 -c 'import json; print(json.load(open(".swift-format"))["lineLength"])')
mapfile -t files < <(git ls-files 'Package.swift' 'Sources/*.swift' 'Tests/*.swift')

case "${1:-check}" in
fix)
  swift-format format --in-place --parallel "${files[@]}"
  ;;
check)
  status=0
  swift-format lint --strict --parallel "${files[@]}" || status=1
  long=$(python3 - "$width" "${files[@]}" <<'PY'
import sys
width = int(sys.argv[1])
for path in sys.argv[2:]:
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            n = len(line.rstrip("\n"))
            if n > width:
                print(f"{path}:{number}: {n} characters (width {width})")
PY
)
  if [ -n "$long" ]; then
    echo "$long"
    echo "error: $(echo "$long" | wc -l) line(s) over $width characters" >&2
    status=1
  fi
  [ $status -eq 0 ] && echo "format: ${#files[@]} files clean (swift-format lint --strict, width $width)"
  exit $status
  ;;
*)
  echo "usage: $0 [check|fix]" >&2; exit 2
  ;;
esac
