#!/usr/bin/env bash
# Creates (or updates) the Python virtual environment at .venv that the tests and the kernel
# benchmark use: real Jupyter clients (jupyter_client, jupyter_kernel_test, nbclient, nbformat,
# jupyter_server, jupyter_console with pexpect to drive it in a pty), ipykernel for the side-by-side
# benchmark, and NVIDIA's NVRTC from PyPI so the
# CUDA kernels get a real compile on machines without a GPU (Tests/NNTests/CUDAKernelCompileTests),
# nbconvert (notebook export checks) and papermill, JupyterHub and Jupyter Kernel Gateway
# (Tests/jupyter/test_hub_gateway.py), and the repository's companion package python/nndsl_jupyter
# (Pygments lexer, papermill parameters), installed editable so its tests see the working tree.
# Idempotent: a second run only installs what is missing.
#
# Usage: scripts/jupyter-venv.sh [VENV_DIR]     (default: <repo>/.venv)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${1:-$repo/.venv}"
python="${PYTHON:-python3}"

if [[ ! -x "$venv/bin/python" ]]; then
  echo "jupyter-venv: creating $venv"
  "$python" -m venv "$venv"
fi

packages=(
  "jupyter_client>=8"
  "jupyter_kernel_test>=0.7"
  "nbclient>=0.10"
  "nbformat>=5.10"
  "nbconvert>=7"
  "jupyter_server>=2"
  "ipykernel>=6"
  "pytest>=7"
  "psutil>=5"
  "jupyter_console>=6.6"
  "pexpect>=4.8"
  "nvidia-cuda-nvrtc==13.0.*"
  "papermill>=2.4"
  "jupyterhub>=4"
  "jupyter_kernel_gateway>=3"
  "websocket-client>=1.6"
)

# Skip pip entirely when everything already imports (keeps re-runs fast and offline-friendly).
companion="$repo/python/nndsl_jupyter"
if "$venv/bin/python" - "$companion/src/nndsl_jupyter" <<'PY' 2>/dev/null; then
import glob, sys
import jupyter_client, jupyter_kernel_test, nbclient, nbformat, jupyter_server, ipykernel, pytest, psutil
import jupyter_console, pexpect
import nbconvert, papermill, jupyterhub, kernel_gateway, websocket, nndsl_jupyter, os
if not os.path.samefile(os.path.dirname(nndsl_jupyter.__file__), sys.argv[1]):
    sys.exit(1)  # installed from another checkout
sys.exit(0 if glob.glob(sys.prefix + "/lib/python3*/site-packages/nvidia/*/lib/libnvrtc.so*") else 1)
PY
  echo "jupyter-venv: $venv is up to date"
  exit 0
fi

"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${packages[@]}" -e "$companion"
echo "jupyter-venv: ready at $venv"
