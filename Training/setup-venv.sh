#!/usr/bin/env bash
# Creates Training/.venv (git-ignored) and installs Training/requirements.txt into it.
#
#   Training/setup-venv.sh            # uses python3 from PATH
#   PYTHON3=python3.11 Training/setup-venv.sh
#
# PyPI's Linux torch wheel pulls in the CUDA libraries (nvidia-cublas, nvidia-cudnn, triton, ...,
# several GB). They are not needed and never used here: fixtures and references run on the CPU in
# float32. They are installed anyway because that is what the plain PyPI wheel depends on.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"

"${PYTHON3:-python3}" -m venv "$venv"
"$venv/bin/python" -m pip install --requirement "$here/requirements.txt"
"$venv/bin/python" -c 'import torch, numpy, safetensors; print("torch", torch.__version__, "numpy", numpy.__version__, "safetensors", safetensors.__version__)'
echo "ready: $venv"
