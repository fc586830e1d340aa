#!/usr/bin/env bash
# Rebuilds Samples/ from scikit-image's bundled photographs (Debian package python3-skimage).
# Needs ImageMagick (`convert`). Crops are fixed, so the output is reproducible.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=/usr/lib/python3/dist-packages/skimage/data
[ -d "$src" ] || { echo "install python3-skimage first (apt-get install -y python3-skimage)" >&2; exit 1; }
cd "$here"
cp "$src/astronaut.png" astronaut.png                                   # face, 512x512 RGB
convert "$src/astronaut.png" -crop 128x128+160+40 +repage -strip face-128.png   # a quick 128 px face
cp "$src/rocket.jpg" rocket.jpg                                         # launch-pad towers, 640x427 JPEG
convert "$src/grass.png" -crop 256x256+0+0 +repage -strip grass.png     # foliage, gray
convert "$src/brick.png" -crop 256x256+128+128 +repage -strip brick.png # texture, gray
cp "$src/text.png" text.png                                             # printed text, gray 448x172
cp "$src/chelsea.png" chelsea.png                                       # a cat: fur, 451x300 RGB
convert "$src/coffee.png" -quality 90 -sampling-factor 4:2:0 -strip coffee.jpg  # 600x400 JPEG
