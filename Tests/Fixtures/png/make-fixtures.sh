#!/usr/bin/env bash
# Rebuilds the PNG fixtures: small crops of scikit-image photos written by ImageMagick in every
# PNG colour type and bit depth, and, for each, what ImageMagick itself decodes from it
# (expected/<name>.rgba16: every pixel as R, G, B, A, 16-bit big-endian). Needs ImageMagick,
# exiftool and python3-skimage (apt-get install -y imagemagick libimage-exiftool-perl python3-skimage).
set -euo pipefail
cd "$(dirname "$0")"
src=/usr/lib/python3/dist-packages/skimage/data
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
im() { convert "$@"; }
strip="-strip -define png:exclude-chunks=date,time"

im "$src/astronaut.png" -crop 24x16+200+90 +repage "$tmp/rgb.png"
im "$src/coffee.png" -crop 24x16+300+150 +repage "$tmp/rgb2.png"
# A 16-bit source with real low bits: a smooth resize of a larger crop.
im "$src/astronaut.png" -crop 96x64+180+80 +repage -depth 16 -filter Lanczos -resize 24x16! "$tmp/rgb16.png"
# An alpha ramp across the image.
im -size 16x24 gradient:white-black -rotate 90 "$tmp/ramp.png"

for d in 1 2 4 8 16; do
  im "$tmp/rgb16.png" -colorspace gray -depth $d $strip -define png:color-type=0 -define png:bit-depth=$d "gray$d.png"
done
im "$tmp/rgb.png" -colorspace gray "$tmp/ramp.png" -alpha off -compose CopyOpacity -composite $strip \
   -define png:color-type=4 -define png:bit-depth=8 graya8.png
im "$tmp/rgb16.png" -colorspace gray "$tmp/ramp.png" -alpha off -compose CopyOpacity -composite -depth 16 $strip \
   -define png:color-type=4 -define png:bit-depth=16 graya16.png
im "$tmp/rgb.png" $strip -define png:color-type=2 -define png:bit-depth=8 rgb8.png
im "$tmp/rgb16.png" $strip -depth 16 -define png:color-type=2 -define png:bit-depth=16 rgb16.png
im "$tmp/rgb2.png" "$tmp/ramp.png" -alpha off -compose CopyOpacity -composite $strip \
   -define png:color-type=6 -define png:bit-depth=8 rgba8.png
im "$tmp/rgb16.png" "$tmp/ramp.png" -alpha off -compose CopyOpacity -composite -depth 16 $strip \
   -define png:color-type=6 -define png:bit-depth=16 rgba16.png
for n in 2:1 4:2 16:4 256:8; do
  colors=${n%%:*}; depth=${n##*:}
  im "$tmp/rgb.png" +dither -colors $colors $strip -define png:color-type=3 -define png:bit-depth=$depth "palette$depth.png"
done
im "$tmp/rgb.png" $strip -interlace PNG -define png:color-type=2 rgb8-interlaced.png
im "$tmp/rgb16.png" -colorspace gray -depth 16 $strip -interlace PNG -define png:color-type=0 -define png:bit-depth=16 gray16-interlaced.png

# Ancillary chunks that ImageMagick will not write on request are spliced in after IHDR with
# Python's zlib (add-chunk.py): tRNS on a palette (entry 0 transparent, entry 1 half), gAMA,
# sRGB, iCCP (test-rgb.icc from ../make-icc.py); exiftool writes eXIf.
python3 add-chunk.py palette4.png palette4-trns.png tRNS 0080
# Gray tRNS: the value of the top-left pixel becomes transparent wherever it occurs.
python3 add-chunk.py gray8.png gray8-trns.png tRNS "$(printf '00%02x' "$(im gray8.png -format '%[fx:int(255*p{0,0}.r+0.5)]' info:)")"
python3 add-chunk.py rgb8.png gamma.png gAMA 0000b18f
python3 add-chunk.py rgb8.png srgb.png sRGB 00
python3 ../make-icc.py rgb test-rgb.icc   # a profile made here (no third-party licence); tests compare with it
python3 add-chunk.py rgb8.png iccp.png iCCP @test-rgb.icc
cp rgb8.png exif.png
exiftool -q -overwrite_original -n -Orientation=6 -Make=Gigascale -ExifIFD:ExifImageWidth=24 -ExifIFD:ExifImageHeight=16 exif.png

for f in *.png; do
  im "$f" -depth 16 -endian MSB rgba:"expected/${f%.png}.rgba16"
done
python3 make-broken.py   # the png-* files of the broken corpus, cut from rgb8.png
ls -l *.png | awk '{s+=$5} END {print NR " fixtures, " s " bytes"}'
