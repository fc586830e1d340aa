#!/bin/sh
# Regenerates the README's before/after gallery with the tool itself: each sample's 32 px centre
# crop, enlarged 8x by nearest neighbour (what the pixels are), by bicubic, and by the default
# model (whatever `gigascale` runs without --model: the trained GigaGAN model once one is
# installed, Lanczos-3 until then), side by side in Docs/gallery/NAME.png.
#   sh Samples/make-gallery.sh [gigascale]        (needs ImageMagick's convert for the crops)
set -eu
gigascale=${1:-gigascale}
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../Docs/gallery"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
for name in face-128.png chelsea.png coffee.jpg; do
    stem=${name%.*}
    convert "$here/$name" -gravity center -crop 32x32+0+0 +repage "$work/$stem.png"
    "$gigascale" "$work/$stem.png" --model bicubic -o "$work/$stem-bicubic.png" -q
    "$gigascale" "$work/$stem.png" -o "$work/$stem-default.png" --json="$work/$stem.json" -q
    model=$(sed -n 's/.*"model":"\([^"]*\)".*/\1/p' "$work/$stem.json" | head -n 1)
    convert "$work/$stem.png" -filter point -resize 800% "$work/$stem-nearest.png"
    convert -pointsize 14 \
        -label "input (32 px, nearest)" "$work/$stem-nearest.png" \
        -label "bicubic 8x" "$work/$stem-bicubic.png" \
        -label "default model: $model" "$work/$stem-default.png" \
        miff:- | montage - -tile 3x1 -geometry +4+4 "$out/$stem.png"
    echo "wrote $out/$stem.png ($model)"
done
