#!/bin/sh
# Regenerates the TIFF fixtures and their expectation files from small crops of skimage's
# sample photos, with ImageMagick (convert), libtiff's tools (tiffcp, tiffset) and Python
# (Pillow/numpy for cross-checks and for the hand-patched broken files).
#
#   sh Tests/Fixtures/tiff/make-fixtures.sh
#
# Deterministic: the same tool versions give the same bytes (ImageMagick is told not to write
# dates). Outputs:
#   Tests/Fixtures/tiff/*.tif           decodable TIFFs, one feature each
#   Tests/Fixtures/tiff/expected/*.raw  the source pixels, raw interleaved samples
#                                       (8-bit, or 16-bit little-endian), dumped by ImageMagick
#                                       from the PNG each TIFF was made from (palette8.raw: by
#                                       Pillow from palette8.tif)
#   Tests/Fixtures/tiff/expected/test-rgb.icc  a profile made by ../make-icc.py, embedded in icc-rgb.tif
#   Tests/Fixtures/broken/tiff-*.tif    damaged TIFFs (see the Python part below)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
broken="$here/../broken"
data=/usr/lib/python3/dist-packages/skimage/data
IM=/usr/bin/convert
PY=/usr/bin/python3
cd "$here"
rm -rf expected work && mkdir -p expected work
rm -f ./*.tif "$broken"/tiff-*.tif
strip="-strip -define tiff:exif-properties=false"

# ---- sources (PNG), 24x16 ----
$IM "$data/astronaut.png" -crop 24x16+200+120 +repage $strip work/rgb8.png
$IM "$data/camera.png" -crop 24x16+250+100 +repage $strip work/gray8.png
# 16-bit: halve a 48x32 crop so the averages use the full 16-bit range
$IM "$data/coffee.png" -crop 48x32+300+150 +repage -depth 16 -filter box -resize 24x16 $strip work/rgb16.png
$IM "$data/camera.png" -crop 48x32+250+100 +repage -depth 16 -filter box -resize 24x16 $strip work/gray16.png
# RGBA: astronaut crop with a horizontal alpha ramp from 128 to 255
$IM -size 16x24 gradient:'rgb(255,255,255)-rgb(128,128,128)' -rotate 90 work/ramp.png
$IM work/rgb8.png work/ramp.png -alpha off -compose copy_opacity -composite -depth 8 $strip work/rgba8.png
$IM "$data/chelsea.png" -crop 24x16+100+100 +repage $strip work/page2.png

# ---- expectations: raw samples straight from the PNGs ----
$IM work/rgb8.png -depth 8 rgb:expected/rgb8.raw
$IM work/gray8.png -depth 8 gray:expected/gray8.raw
$IM work/rgb16.png -depth 16 -endian LSB rgb:expected/rgb16.raw
$IM work/gray16.png -depth 16 -endian LSB gray:expected/gray16.raw
$IM work/rgba8.png -depth 8 rgba:expected/rgba8.raw
$IM work/page2.png -depth 8 rgb:expected/page2.raw

# ---- decodable TIFFs ----
$IM work/rgb8.png $strip -compress none rgb8.tif
$IM work/gray8.png $strip -compress none gray8.tif
$IM work/rgb16.png $strip -depth 16 -compress none rgb16.tif
$IM work/gray16.png $strip -depth 16 -compress none gray16.tif
# (ImageMagick writes float TIFFs with Deflate and the floating-point predictor)
$IM work/rgb8.png $strip -define quantum:format=floating-point -depth 32 rgb-float32-zip-fpredictor.tif
tiffcp -c none rgb-float32-zip-fpredictor.tif rgb-float32.tif
$IM work/rgba8.png $strip -define tiff:alpha=unassociated -compress none rgba-unassociated.tif
$IM work/rgba8.png $strip -define tiff:alpha=associated -compress none rgba-associated.tif
$IM work/rgb8.png $strip -type palette -compress none palette8.tif
$IM work/gray8.png $strip -threshold 50% -depth 1 -compress none gray1.tif
$IM work/gray8.png $strip -depth 4 -compress none gray4.tif
$IM work/gray8.png -depth 4 -depth 8 -depth 8 gray:expected/gray4.raw
$IM work/gray8.png -threshold 50% -depth 8 gray:expected/gray1.raw
python3 ../make-icc.py rgb expected/test-rgb.icc
$IM work/rgb8.png $strip -profile expected/test-rgb.icc -compress none icc-rgb.tif
$IM work/rgb8.png work/page2.png work/gray8.png $strip -compress none multipage.tif

tiffcp -c none -t -w 16 -l 16 rgb8.tif rgb8-tiled.tif
tiffcp -c none -p separate rgb8.tif rgb8-separate.tif
# (tiffcp changes the planar configuration of 8-bit data only, and garbles 16-bit separate
# planes when tiling them: ImageMagick's -interlace plane and tile-geometry make these)
$IM work/rgb16.png $strip -depth 16 -interlace plane -compress none rgb16-separate.tif
$IM work/rgb16.png $strip -depth 16 -interlace plane -define tiff:tile-geometry=16x16 -compress none rgb16-tiled-separate.tif
tiffcp -c none -r 5 rgb16.tif rgb16-strips5.tif
tiffcp -c none -B rgb16.tif rgb16-bigendian.tif
tiffcp -c none -B rgb-float32.tif rgb-float32-bigendian.tif
tiffcp -c lzw rgb8.tif rgb8-lzw.tif
tiffcp -c lzw:2 rgb16.tif rgb16-lzw-predictor.tif
tiffcp -c zip rgb8.tif rgb8-zip.tif
tiffcp -c zip:2 gray16.tif gray16-zip-predictor.tif
tiffcp -c packbits rgb8.tif rgb8-packbits.tif
tiffcp -c jpeg:90 -r 16 rgb8.tif rgb8-jpeg-ycbcr.tif
tiffcp -c jpeg:90:r -r 16 rgb8.tif rgb8-jpeg-rgb.tif
tiffcp -c lzw -t -w 16 -l 16 rgba-unassociated.tif rgba-unassociated-lzw-tiled.tif
tiffcp -8 rgb8.tif rgb8-bigtiff.tif
tiffcp -8 multipage.tif multipage-bigtiff.tif
$IM work/rgb8.png $strip -colorspace CMYK -compress none cmyk8.tif
cp rgb8.tif rgb8-orientation6.tif
tiffset -s 274 6 rgb8-orientation6.tif

# MinIsWhite: this ImageMagick ignores tiff:photometric=min-is-white, so patch gray8.tif:
# invert its (single, uncompressed) strip and set PhotometricInterpretation to 0. It must
# decode to the same picture as gray8.tif.
$PY - <<'PYEOF'
import struct
b = bytearray(open("gray8.tif", "rb").read())
ifd = struct.unpack_from("<I", b, 4)[0]
tags = {}
for i in range(struct.unpack_from("<H", b, ifd)[0]):
    e = ifd + 2 + 12 * i
    tag, typ, cnt = struct.unpack_from("<HHI", b, e)
    tags[tag] = (e, typ, cnt)
e, typ, cnt = tags[273]; assert cnt == 1
offset = struct.unpack_from("<I" if typ == 4 else "<H", b, e + 8)[0]
for i in range(offset, offset + 24 * 16):
    b[i] ^= 0xFF
e, typ, cnt = tags[262]; struct.pack_into("<H", b, e + 8, 0)
open("gray-miniswhite.tif", "wb").write(b)
PYEOF

# ---- broken TIFFs ----
$PY - "$here" "$broken" <<'PYEOF'
import struct, sys, pathlib
from PIL import Image
here, broken = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
src = (here / "rgb8.tif").read_bytes()          # ImageMagick: pixels first, directory at the end
ifd0 = struct.unpack_from("<I", src, 4)[0]

def entries(b, ifd):
    n = struct.unpack_from("<H", b, ifd)[0]
    return {struct.unpack_from("<H", b, ifd + 2 + 12 * i)[0]: ifd + 2 + 12 * i for i in range(n)}

def write(name, b):
    (broken / name).write_bytes(bytes(b))

# Truncations of the ImageMagick file: inside the header, inside the pixels (the directory,
# stored last, is then gone), and inside the directory.
write("tiff-truncated-header.tif", src[:6])
write("tiff-truncated-pixels.tif", src[:len(src) // 2])
write("tiff-truncated-directory.tif", src[:ifd0 + 40])

# Pillow writes the directory first and the pixels after: cut inside the pixels.
im = Image.open(here / "work" / "rgb8.png").convert("RGB")
im.save(broken / "tiff-directory-first-full.tif")
full = (broken / "tiff-directory-first-full.tif").read_bytes()
(broken / "tiff-directory-first-full.tif").unlink()
write("tiff-truncated-strip.tif", full[:len(full) - 300])

# A bit flipped in the header's byte-order mark: "II" becomes "IK".
b = bytearray(src); b[1] ^= 0x02; write("tiff-bitflip-byteorder.tif", b)

# A bit flipped in IFD0's entry count (0x00xx -> 0x40xx entries).
b = bytearray(src); b[ifd0 + 1] ^= 0x40; write("tiff-bitflip-entrycount.tif", b)

# ImageWidth patched to 1000000 (LONG or SHORT widened in place).
b = bytearray(src); e = entries(b, ifd0)[256]
struct.pack_into("<HII", b, e + 2, 4, 1, 1000000); write("tiff-huge-width.tif", b)

# The next-IFD pointer of IFD0 patched to point back at IFD0: a directory loop.
b = bytearray(src); n = struct.unpack_from("<H", b, ifd0)[0]
struct.pack_into("<I", b, ifd0 + 2 + 12 * n, ifd0); write("tiff-ifd-loop.tif", b)

# StripOffsets pointing far past the end of the data.
b = bytearray(src); e = entries(b, ifd0)[273]
typ, cnt = struct.unpack_from("<HI", b, e + 2)
if cnt == 1:
    struct.pack_into("<I", b, e + 8, 0x7FFF0000)
else:
    off = struct.unpack_from("<I", b, e + 8)[0]
    for i in range(cnt):
        if typ == 4: struct.pack_into("<I", b, off + 4 * i, 0x7FFF0000 + i)
        else: struct.pack_into("<H", b, off + 2 * i, 0xFFF0)
write("tiff-strip-offsets-past-end.tif", b)

# tiffcp put the JPEG file's directory first: cut inside its compressed strip.
jpeg = (here / "rgb8-jpeg-ycbcr.tif").read_bytes()
assert struct.unpack_from("<I", jpeg, 4)[0] < 512
write("tiff-truncated-jpeg.tif", jpeg[:len(jpeg) - 200])

# An LZW strip whose StripByteCounts claims only a quarter of its bytes: the decoder runs dry.
lzw = bytearray((here / "rgb8-lzw.tif").read_bytes())
ifd = struct.unpack_from("<I", lzw, 4)[0]
e = entries(lzw, ifd)[279]
typ, cnt = struct.unpack_from("<HI", lzw, e + 2)
assert cnt == 1
fmt = "<I" if typ == 4 else "<H"
struct.pack_into(fmt, lzw, e + 8, struct.unpack_from(fmt, lzw, e + 8)[0] // 4)
write("tiff-lzw-short-bytecount.tif", lzw)

# StripOffsets and StripByteCounts declaring 2^28 strips.
b = bytearray(src)
for tag in (273, 279):
    e = entries(b, ifd0)[tag]
    struct.pack_into("<I", b, e + 4, 1 << 28)
write("tiff-absurd-strip-count.tif", b)
PYEOF

# ---- cross-check: Pillow decodes the lossless 8-bit fixtures to the expected samples ----
$PY - "$here" <<'PYEOF'
import sys, pathlib
import numpy as np
from PIL import Image
here = pathlib.Path(sys.argv[1])
def check(tif, raw, mode):
    got = np.asarray(Image.open(here / tif).convert(mode)).tobytes()
    want = (here / "expected" / raw).read_bytes()
    assert got == want, f"{tif}: Pillow disagrees with expected/{raw}"
for tif in ["rgb8.tif", "rgb8-tiled.tif", "rgb8-separate.tif", "rgb8-lzw.tif", "rgb8-zip.tif",
            "rgb8-packbits.tif", "icc-rgb.tif"]:
    check(tif, "rgb8.raw", "RGB")
check("gray8.tif", "gray8.raw", "L")
check("gray-miniswhite.tif", "gray8.raw", "L")
check("gray1.tif", "gray1.raw", "L")
check("gray4.tif", "gray4.raw", "L")
# The palette has fewer colours than the photo: its expectation comes from Pillow's decode.
(here / "expected" / "palette8.raw").write_bytes(np.asarray(Image.open(here / "palette8.tif").convert("RGB")).tobytes())
check("rgba-unassociated.tif", "rgba8.raw", "RGBA")
print("Pillow agrees with the expectations")
PYEOF

# ---- cross-check: ImageMagick reads the 16-bit fixtures back to the expected samples ----
for f in rgb16.tif rgb16-separate.tif rgb16-tiled-separate.tif rgb16-strips5.tif rgb16-lzw-predictor.tif rgb16-bigendian.tif; do
    $IM "$f" -depth 16 -endian LSB rgb:- | cmp -s - expected/rgb16.raw || { echo "$f: ImageMagick disagrees with expected/rgb16.raw"; exit 1; }
done
echo "ImageMagick agrees with the 16-bit expectations"

rm -rf work
ls -l "$here"/*.tif "$broken"/tiff-*.tif
