#!/bin/sh
# Regenerates the README's before/after gallery with the tool itself: each sample's 32 px centre
# crop, enlarged 8x by nearest neighbour (what the pixels are), by bicubic, by the
# reconstruction-only gigagan-8x-s-psnr, by the default model (whatever `gigascale` runs without
# --model) and, when Models/fetch-ncnn-models.sh has installed it, by the teacher the default was
# distilled from (realesrgan-x4plus --scale 8), side by side at 100% in Docs/gallery/NAME.png.
#   sh Samples/make-gallery.sh [gigascale]
# Needs ImageMagick 6 for the crops and the sheet: its convert is called as convert-im6.q16 where
# Debian installs that name, since another `convert` may come first on PATH.
set -eu
gigascale=${1:-gigascale}
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../Docs/gallery"
im_convert=$(command -v convert-im6.q16 || echo convert)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
teacher=realesrgan-x4plus
"$gigascale" models 2>/dev/null | grep -q "^$teacher\b" || teacher=
for name in face-128.png chelsea.png coffee.jpg; do
    stem=${name%.*}
    "$im_convert" "$here/$name" -gravity center -crop 32x32+0+0 +repage "$work/$stem.png"
    "$gigascale" "$work/$stem.png" --model bicubic -o "$work/$stem-bicubic.png" -q
    "$gigascale" "$work/$stem.png" --model gigagan-8x-s-psnr -o "$work/$stem-psnr.png" -q
    "$gigascale" "$work/$stem.png" -o "$work/$stem-default.png" --json="$work/$stem.json" -q
    model=$(sed -n 's/.*"model":"\([^"]*\)".*/\1/p' "$work/$stem.json" | head -n 1)
    "$im_convert" "$work/$stem.png" -filter point -resize 800% "$work/$stem-nearest.png"
    set -- -label "input (32 px, nearest)" "$work/$stem-nearest.png" \
        -label "bicubic 8x" "$work/$stem-bicubic.png" \
        -label "gigagan-8x-s-psnr" "$work/$stem-psnr.png" \
        -label "default: $model" "$work/$stem-default.png"
    if [ -n "$teacher" ]; then
        "$gigascale" "$work/$stem.png" --model "$teacher" --scale 8 -o "$work/$stem-teacher.png" -q
        set -- "$@" -label "teacher: $teacher --scale 8" "$work/$stem-teacher.png"
    fi
    "$im_convert" -font DejaVu-Sans -pointsize 14 "$@" miff:- | montage -font DejaVu-Sans - -tile "$(( $# / 3 ))x1" -geometry +4+4 "$out/$stem.png"
    echo "wrote $out/$stem.png ($model${teacher:+, teacher $teacher})"
done
