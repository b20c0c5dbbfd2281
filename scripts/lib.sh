# Shared helpers for the project's scripts (sourced, not run).
# Every step is idempotent: packages already present are not reinstalled, builds are incremental.

# The Swift toolchain: use the one on PATH, else the usual /opt/swift install.
ensure_swift() {
  if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
    export PATH="/opt/swift/usr/bin:$PATH"
  fi
  if ! command -v swift >/dev/null 2>&1; then
    echo "error: no Swift toolchain found. Install Swift 6.x (https://www.swift.org/install/linux/)" >&2
    echo "       and put its usr/bin on PATH; this project needs Swift 6.0 or newer." >&2
    return 1
  fi
}

# Install the Debian packages named in "$@" that are not installed yet.
ensure_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "==> installing Debian packages: ${missing[*]}"
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "error: apt-get not found; install these packages with your system's package manager:" >&2
    echo "       ${missing[*]}" >&2
    return 1
  fi
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo="sudo"
    else
      echo "error: these Debian packages are missing and installing them needs root:" >&2
      echo "       sudo apt-get install -y ${missing[*]}" >&2
      echo "       (run that once, then run this command again)" >&2
      return 1
    fi
  fi
  # Refresh the package lists only when they are missing or older than a day.
  if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -n 1)" ]; then
    $sudo apt-get update -qq || return 1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || {
    echo "error: apt-get install failed for: ${missing[*]}" >&2; return 1; }
}

# Packages the product needs to build and run the study (libsqlite3-dev: the run store, linked
# statically). cairo, pango and librsvg (PDF reports, PNG copies of charts) are opened with dlopen,
# so only their runtime libraries are needed, with fonts for Latin and for Chinese, Japanese and
# Korean text.
RUNTIME_PACKAGES=(pkg-config libzmq3-dev libopenblas-dev libssl-dev zlib1g-dev libsqlite3-dev
  dataset-fashion-mnist libcairo2 libpango-1.0-0 libpangocairo-1.0-0 librsvg2-2 fonts-dejavu-core fonts-noto-cjk)
# Extra packages the tests need: SVG/XML checkers, PDF checkers, Python for the Jupyter clients,
# JupyterHub's proxy (configurable-http-proxy, with node), and Slurm with munge for the one-node
# cluster the Slurm executor's tests and benchmark start (scripts/slurm-cluster.sh).
TEST_PACKAGES=(libxml2-utils librsvg2-bin poppler-utils python3 python3-venv chromium chromium-driver
  node-configurable-http-proxy slurm-wlm munge)
