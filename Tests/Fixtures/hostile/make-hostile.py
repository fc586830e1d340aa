#!/usr/bin/env python3
"""Writes the hostile-input corpus (Tests/Fixtures/hostile/): files built to exhaust memory, time
or trust rather than merely damaged ones (those are in ../broken). Python's standard library only;
each file is a few kilobytes. Run through ./make-fixtures.sh; the tests say what each must do."""
import json
import os
import struct
import zlib

here = os.path.dirname(os.path.abspath(__file__))
fixtures = os.path.join(here, "..")


def write(name, data):
    with open(os.path.join(here, name), "wb") as f:
        f.write(data)


# ---- PNG ----
def chunk(kind, payload):
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def png(width, height, depth, color, raw):
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, color, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


# Within the decode limits (4096x4096, 16.8 MP) but stored in a few kilobytes: 1-bit gray, all
# black, its zlib stream inflating over 1000x. A legitimate image; it must decode, in bounded time.
side = 4096
raw = b"".join(b"\0" + bytes(side // 8) for _ in range(side))
ratio = len(raw) / len(zlib.compress(raw, 9))
assert ratio >= 1000, ratio
write("png-inflates-1000x.png", png(side, side, 1, 0, raw))

# A 16x16 image whose IDAT inflates to 4 MB: far more data than the header allows.
write("png-idat-overflows-ihdr.png", png(16, 16, 8, 2, bytes(4 << 20)))

# 65535x65535 declared (the longest side allowed) with a 1-row IDAT: over the pixel limit.
write("png-max-side-both.png", png(65535, 65535, 1, 0, b"\0" + bytes(8192)))

# ---- JPEG ----
# A baseline JPEG's SOF0 patched to 65500x65500: refused from the header.
jpeg = bytearray(open(os.path.join(fixtures, "jpeg", "gray.jpg"), "rb").read())
sof = jpeg.index(b"\xff\xc0")
struct.pack_into(">HH", jpeg, sof + 5, 65500, 65500)
write("jpeg-sof-65500.jpg", bytes(jpeg))

# ---- TIFF ----
def ifd_chain(b):
    """The offsets of the directories in a little-endian classic TIFF, following next pointers."""
    assert b[:4] == b"II*\0"
    offsets, at = [], struct.unpack_from("<I", b, 4)[0]
    while at and at not in offsets:
        offsets.append(at)
        n = struct.unpack_from("<H", b, at)[0]
        at = struct.unpack_from("<I", b, at + 2 + 12 * n)[0]
    return offsets


# A multipage TIFF whose last directory points back at the first: a cycle through every page.
tiff = bytearray(open(os.path.join(fixtures, "tiff", "multipage.tif"), "rb").read())
chain = ifd_chain(tiff)
assert len(chain) >= 2, chain
last = chain[-1]
n = struct.unpack_from("<H", tiff, last)[0]
struct.pack_into("<I", tiff, last + 2 + 12 * n, chain[0])
write("tiff-ifd-cycle-to-first.tif", bytes(tiff))

# One 8x8 gray strip whose StripByteCounts claims 4 GB - 1 and RowsPerStrip 1: the reader must not
# allocate or read what the count claims.
def tiff_gray(entries, pixels):
    header = b"II*\0" + struct.pack("<I", 8)
    count = len(entries)
    ifd_size = 2 + 12 * count + 4
    data_at = 8 + ifd_size
    body = struct.pack("<H", count)
    for tag, typ, cnt, value in sorted(entries):
        value = data_at if value == "DATA" else value
        body += struct.pack("<HHII", tag, typ, cnt, value)
    return header + body + struct.pack("<I", 0) + pixels


write("tiff-bytecount-4gb.tif", tiff_gray([
    (256, 4, 1, 8), (257, 4, 1, 8), (258, 3, 1, 8), (259, 3, 1, 1), (262, 3, 1, 1),
    (273, 4, 1, "DATA"), (277, 3, 1, 1), (278, 4, 1, 8), (279, 4, 1, 0xFFFFFFFF)], bytes(64)))
# RowsPerStrip 0 and StripOffsets count 2^30 in an 8-byte file body.
write("tiff-rowsperstrip-zero.tif", tiff_gray([
    (256, 4, 1, 8), (257, 4, 1, 8), (258, 3, 1, 8), (259, 3, 1, 1), (262, 3, 1, 1),
    (273, 4, 1 << 30, "DATA"), (277, 3, 1, 1), (278, 4, 1, 0), (279, 4, 1 << 30, "DATA")], bytes(8)))


# ---- safetensors ----
def safetensors(header, data=b"", declared=None):
    text = header if isinstance(header, bytes) else json.dumps(header).encode()
    return struct.pack("<Q", len(text) if declared is None else declared) + text + data


write("st-header-4gb.safetensors", safetensors({}, declared=4 << 30))
write("st-header-past-end.safetensors", safetensors({}, declared=1000))
write("st-overlap.safetensors", safetensors({
    "a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
    "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}, bytes(12)))
write("st-offsets-out-of-file.safetensors", safetensors({
    "w": {"dtype": "F32", "shape": [2], "data_offsets": [1 << 40, (1 << 40) + 8]}}, bytes(8)))
write("st-offsets-past-int64.safetensors", safetensors(
    b'{"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 18446744073709551615]}}', bytes(8)))
write("st-offsets-float.safetensors", safetensors(
    b'{"w": {"dtype": "F32", "shape": [1e300], "data_offsets": [0, 1e300]}}', bytes(8)))
# (A header nested 100000 deep is built by the test itself: 200 KB is too large to commit.)
write("st-not-utf8.safetensors", safetensors(b'{"\xff\xfe": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}', bytes(4)))

# ---- a tiny valid image for the prompt and path tests (8x8 RGB gray) ----
write("tiny-8x8.png", png(8, 8, 8, 2, b"".join(b"\0" + bytes([128]) * 24 for _ in range(8))))

# ---- thin images: extreme aspect ratios, whose 8x outputs meet the longest-side limits ----
def gray_ramp(width, height):
    """8-bit gray, a left-to-right ramp on every row."""
    row = b"\0" + bytes(x * 255 // max(width - 1, 1) for x in range(width))
    return png(width, height, 8, 0, row * height)


# 8x is 72000x16: past the 65535 pixels a side of PNG and TIFF, so refused.
write("thin-9000x2.png", gray_ramp(9000, 2))
# The same header, then the file ends where its image data begins: refused for its output size,
# not as truncated, means refused from the header, before any pixel is read.
write("thin-9000x2-header-only.png", b"\x89PNG\r\n\x1a\n"
      + chunk(b"IHDR", struct.pack(">IIBBBBB", 9000, 2, 8, 0, 0, 0, 0)) + struct.pack(">I", 1000) + b"IDAT")
# 8x is 65504x16: a PNG or TIFF may be that wide, a JPEG (65500 at most) may not.
write("thin-8188x2.png", gray_ramp(8188, 2))
# 8x is 16000x8, padded by a 64-pixel tile to 512 rows: the peak-memory test's input.
write("thin-2000x1.png", gray_ramp(2000, 1))
