#!/bin/bash
# Regenerates the JPEG fixtures in this folder and the jpeg-*.jpg files in ../broken.
# Deterministic: fixed crops of scikit-image's sample photos, fixed tool options.
# Tools: libjpeg-turbo 2.1.5 cjpeg/djpeg, ImageMagick 6 convert, exiftool, Pillow (python3).
#
#   baseline-420.jpg / .ppm   cjpeg -quality 90 (4:2:0) of a 32x24 crop of chelsea.png; .ppm is djpeg -pnm
#   baseline-444.jpg / .ppm   same crop, -sample 1x1
#   progressive.jpg / .ppm    same crop, -progressive -quality 85
#   arithmetic.jpg / .ppm     same crop, -arithmetic (arithmetic entropy coding)
#   gray.jpg / .pgm           32x24 crop of camera.png, -grayscale
#   cmyk-adobe.jpg            Pillow CMYK (Adobe APP14, transform 0, samples stored inverted)
#   ycck-adobe.jpg            ImageMagick -colorspace CMYK (Adobe APP14, transform 2 = YCCK, inverted)
#   cmyk-plain.jpg            cmyk-adobe.jpg with its APP14 segment removed: the same stored samples,
#                             now meaning straight ink (no Adobe marker)
#   cmyk-icc.jpg              Pillow CMYK with a CMYK profile from ../make-icc.py embedded
#   *.cmyk                    the stored CMYK samples (4 bytes a pixel) as libjpeg delivers them,
#                             dumped through Pillow (which always reads CMYK JPEG inverted)
#   cmyk-adobe.ppm, ycck-adobe.ppm   djpeg -pnm (which applies R = C*K/255 to stored samples)
#   icc-multichunk.jpg        Pillow, icc_profile = a synthetic 70000-byte ICC (needs 2 APP2 chunks);
#                             the profile's bytes are a formula the tests rebuild (see below)
#   icc-bad-chunk.jpg         Pillow, a 3000-byte ICC in one APP2 chunk patched to claim "1 of 2"
#   exif.jpg                  baseline-444.jpg + exiftool Make/Model/Orientation=1/ExifImageWidth=32/Height=24
#   orient-upright.ppm        a 24x16 picture of six flat 8x8 colour blocks, as a viewer must show it
#   orient-N.jpg (N=1..8)     that picture stored so that EXIF orientation N shows it upright,
#                             cjpeg -quality 100 -sample 1x1, then exiftool -Orientation=N -n
#                             and ExifImageWidth/Height = the stored size
#   no-eoi.jpg                baseline-420.jpg without its final EOI marker (all data present)
#   pad-before-eoi.jpg        baseline-420.jpg with 40 zero bytes between the scan data and EOI
#   precision12.jpg           baseline-444.jpg with the SOF precision byte patched to 12
# ../broken/jpeg-*.jpg: see the python block at the end.
set -euo pipefail
cd "$(dirname "$0")"
PY=/usr/bin/python3   # the system python has Pillow
SK=/usr/lib/python3/dist-packages/skimage/data
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

$PY - "$tmp" "$SK" <<'PYEOF'
import sys
from PIL import Image
tmp, sk = sys.argv[1], sys.argv[2]
Image.open(f"{sk}/chelsea.png").convert("RGB").crop((150, 80, 182, 104)).save(f"{tmp}/rgb.ppm")
Image.open(f"{sk}/camera.png").convert("L").crop((200, 100, 232, 124)).save(f"{tmp}/gray.pgm")
# Six flat 8x8 blocks, all different, so every orientation is distinguishable.
colors = [(230, 30, 30), (30, 200, 40), (40, 60, 220), (240, 220, 40), (200, 40, 200), (40, 210, 210)]
up = Image.new("RGB", (24, 16))
for i, c in enumerate(colors):
    x, y = (i % 3) * 8, (i // 3) * 8
    up.paste(c, (x, y, x + 8, y + 8))
up.save("orient-upright.ppm")
# Stored pixels for orientation N: the inverse of the viewer's transform applied to the upright picture.
T = Image.Transpose
inverse = {1: [], 2: [T.FLIP_LEFT_RIGHT], 3: [T.ROTATE_180], 4: [T.FLIP_TOP_BOTTOM], 5: [T.TRANSPOSE],
           6: [T.ROTATE_90],    # viewer rotates 90° clockwise, so store it turned counter-clockwise
           7: [T.TRANSVERSE], 8: [T.ROTATE_270]}
for n, ops in inverse.items():
    im = up
    for op in ops:
        im = im.transpose(op)
    im.save(f"{tmp}/orient-{n}.ppm")
PYEOF

cjpeg -quality 90 -outfile baseline-420.jpg "$tmp/rgb.ppm"
cjpeg -quality 90 -sample 1x1 -outfile baseline-444.jpg "$tmp/rgb.ppm"
cjpeg -quality 85 -progressive -outfile progressive.jpg "$tmp/rgb.ppm"
cjpeg -quality 90 -grayscale -outfile gray.jpg "$tmp/gray.pgm"
cjpeg -quality 90 -arithmetic -outfile arithmetic.jpg "$tmp/rgb.ppm"
for f in baseline-420 baseline-444 progressive arithmetic; do djpeg -pnm -outfile $f.ppm $f.jpg; done
djpeg -pnm -outfile gray.pgm gray.jpg

convert "$tmp/rgb.ppm" -colorspace CMYK -quality 95 ycck-adobe.jpg

cp baseline-444.jpg exif.jpg
exiftool -q -overwrite_original -n -Make=Gigascale -Model=Fixture -Orientation=1 \
    -ExifImageWidth=32 -ExifImageHeight=24 exif.jpg

for n in 1 2 3 4 5 6 7 8; do
    cjpeg -quality 100 -sample 1x1 -outfile orient-$n.jpg "$tmp/orient-$n.ppm"
    read -r w h < <($PY -c "from PIL import Image; im = Image.open('$tmp/orient-$n.ppm'); print(*im.size)")
    exiftool -q -overwrite_original -n -Orientation=$n -ExifImageWidth=$w -ExifImageHeight=$h orient-$n.jpg
done

printf '0: 0-0, 0, 0;\n0: 1-63, 0, 0;\n' > "$tmp/two-scans.txt"
jpegtran -scans "$tmp/two-scans.txt" -outfile "$tmp/two-scans.jpg" gray.jpg

$PY ../make-icc.py cmyk "$tmp/cmyk.icc"
$PY - "$tmp" <<'PYEOF'
import sys
from PIL import Image
tmp = sys.argv[1]

def segments(data):
    """(offset, marker, total length) of each marker segment before the first SOS."""
    out, i = [], 2
    while i < len(data):
        assert data[i] == 0xFF, hex(i)
        m = data[i + 1]
        n = int.from_bytes(data[i + 2:i + 4], "big")
        out.append((i, m, n + 2))
        if m == 0xDA:
            break
        i += n + 2
    return out

# CMYK with an Adobe marker (transform 0) and the same file without it.
Image.open(f"{tmp}/rgb.ppm").convert("CMYK").save("cmyk-adobe.jpg", quality=95)
data = open("cmyk-adobe.jpg", "rb").read()
app14 = [s for s in segments(data) if s[1] == 0xEE]
assert len(app14) == 1
off, _, n = app14[0]
open("cmyk-plain.jpg", "wb").write(data[:off] + data[off + n:])
for name in ["cmyk-adobe", "ycck-adobe"]:
    im = Image.open(f"{name}.jpg")
    assert im.mode == "CMYK"
    open(f"{name}.cmyk", "wb").write(bytes(255 - b for b in im.tobytes()))

# CMYK with a CMYK ICC profile (made by ../make-icc.py): the decoder must drop it.
Image.open(f"{tmp}/rgb.ppm").convert("CMYK").save(
    "cmyk-icc.jpg", quality=95, icc_profile=open(f"{tmp}/cmyk.icc", "rb").read())

# A 70000-byte ICC profile: a valid header and tag table, one private 'data' tag whose
# contents follow a formula (so the tests can rebuild it and notice misordered chunks).
def big_icc(size=70000):
    b = bytearray(size)
    b[0:4] = size.to_bytes(4, "big")
    b[8:12] = bytes([4, 0x30, 0, 0])
    b[12:16], b[16:20], b[20:24], b[36:40] = b"mntr", b"RGB ", b"XYZ ", b"acsp"
    b[128:132] = (1).to_bytes(4, "big")
    b[132:136], b[136:140], b[140:144] = b"gsPd", (144).to_bytes(4, "big"), (size - 144).to_bytes(4, "big")
    b[144:148] = b"data"
    for k in range(156, size):
        b[k] = (k * 7 + 3) % 251
    return bytes(b)
Image.open(f"{tmp}/rgb.ppm").save("icc-multichunk.jpg", quality=90, icc_profile=big_icc())
chunks = [s for s in segments(open("icc-multichunk.jpg", "rb").read()) if s[1] == 0xE2]
assert len(chunks) == 2, chunks
# One ICC chunk that claims to be 1 of 2: libjpeg rejects the profile, the pixels are fine.
Image.open(f"{tmp}/rgb.ppm").save(f"{tmp}/icc-small.jpg", quality=90, icc_profile=big_icc(3000))
small = bytearray(open(f"{tmp}/icc-small.jpg", "rb").read())
(off, _, _), = [s for s in segments(small) if s[1] == 0xE2]
assert small[off + 4:off + 16] == b"ICC_PROFILE\0" and small[off + 16:off + 18] == b"\x01\x01"
small[off + 17] = 2
open("icc-bad-chunk.jpg", "wb").write(small)

base = open("baseline-420.jpg", "rb").read()
assert base[-2:] == b"\xff\xd9"
open("no-eoi.jpg", "wb").write(base[:-2])
open("pad-before-eoi.jpg", "wb").write(base[:-2] + bytes(40) + base[-2:])
b444 = bytearray(open("baseline-444.jpg", "rb").read())
sof = [s for s in segments(b444) if s[1] == 0xC0][0][0]
b444[sof + 4] = 12
open("precision12.jpg", "wb").write(b444)

# The broken corpus, all cut from or patched into baseline-420.jpg / progressive.jpg.
prog = open("progressive.jpg", "rb").read()
segs = segments(base)
sof_off = [s for s in segs if s[1] == 0xC0][0][0]
sos_off, _, sos_len = [s for s in segs if s[1] == 0xDA][0]
scan_start, scan_end = sos_off + sos_len, len(base) - 2
broken = {}
broken["jpeg-soi-only.jpg"] = base[:3]                                   # SOI and one byte
broken["jpeg-truncated-tables.jpg"] = base[:120]                         # inside DQT/DHT
broken["jpeg-truncated-sos.jpg"] = base[:sos_off + 6]                    # inside the SOS header
broken["jpeg-truncated-midscan.jpg"] = base[:scan_start + (scan_end - scan_start) * 3 // 4]
pscan = [s for s in segments(prog) if s[1] == 0xDA][0]
broken["jpeg-truncated-progressive.jpg"] = prog[:len(prog) * 6 // 10]
flip = bytearray(base)
flip[sof_off + 11] ^= 0x08                                               # Y sampling 0x22 -> 0x2A (v = 10)
broken["jpeg-bitflip-sof.jpg"] = bytes(flip)
huge = bytearray(base)
huge[sof_off + 5:sof_off + 9] = (65000).to_bytes(2, "big") * 2          # 65000x65000
broken["jpeg-huge-sof.jpg"] = bytes(huge)
broken["jpeg-zero-length-dqt.jpg"] = base[:2] + b"\xff\xdb\x00\x00" + base[2:]
garbage = bytes((i * 37 + 11) % 251 for i in range(64))                  # no 0xFF byte in it
assert 0xFF not in garbage
broken["jpeg-garbage-after-soi.jpg"] = base[:2] + b"\xff" + garbage + base[2:]   # sniffs as JPEG
app0_end = segs[0][0] + segs[0][2]
assert segs[0][1] == 0xE0
broken["jpeg-garbage-between-segments.jpg"] = base[:app0_end] + garbage + base[app0_end:]
mid = (scan_start + scan_end) // 2
broken["jpeg-marker-in-scan.jpg"] = base[:mid] + b"\xff\xc4" + base[mid + 2:]
# More scans than any real file: a two-scan progressive gray JPEG (jpegtran -scans) whose
# DC scan is repeated 600 times. Repeating a full-precision first scan is accepted by libjpeg
# (and decodes to the same picture), so only a scan limit stops the re-walking.
two = open(f"{tmp}/two-scans.jpg", "rb").read()
def all_segments(data):
    """(offset, marker) of every marker in the file, entropy-coded data skipped."""
    out, i = [], 2
    while i < len(data) - 1:
        m = data[i + 1]
        out.append((i, m))
        if m == 0xD9:
            break
        n = int.from_bytes(data[i + 2:i + 4], "big")
        i += n + 2
        if m == 0xDA:
            while not (data[i] == 0xFF and data[i + 1] not in (0, *range(0xD0, 0xD8))):
                i += 1
    return out
marks = all_segments(two)
sos = [o for o, m in marks if m == 0xDA]
assert len(sos) == 2
# The DC scan: from the first DHT after the frame header up to the start of the AC scan's tables.
first_scan_start = [o for o, m in marks if m in (0xC4, 0xDA) and o > [o2 for o2, m2 in marks if m2 == 0xC2][0]][0]
second_scan_start = [o for o, m in marks if m in (0xC4, 0xDA) and o > sos[0]][0]
dc_scan = two[first_scan_start:second_scan_start]
broken["jpeg-too-many-scans.jpg"] = two[:first_scan_start] + dc_scan * 600 + two[second_scan_start:]
for name, data in broken.items():
    open(f"../broken/{name}", "wb").write(data)
PYEOF
for f in cmyk-adobe ycck-adobe; do djpeg -pnm -outfile $f.ppm $f.jpg; done
ls -l . ../broken/jpeg-*
