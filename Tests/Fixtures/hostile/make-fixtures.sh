#!/usr/bin/env bash
# Rebuilds the hostile-input corpus from the committed PNG, JPEG and TIFF fixtures (python3 only).
set -euo pipefail
cd "$(dirname "$0")"
python3 make-hostile.py
ls -l --block-size=1 ./*.png ./*.jpg ./*.tif ./*.safetensors
