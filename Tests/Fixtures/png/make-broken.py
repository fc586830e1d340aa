#!/usr/bin/env python3
"""Writes the PNG files of the broken corpus (Tests/Fixtures/broken/png-*.png) from rgb8.png,
with Python's zlib and struct only. Each must give its own clear error."""
import os
import struct
import zlib

here = os.path.dirname(os.path.abspath(__file__))
broken = os.path.join(here, "..", "broken")
good = open(os.path.join(here, "rgb8.png"), "rb").read()


def chunk(kind, payload):
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def ihdr(width, height, depth=8, color=2):
    return chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, color, 0, 0, 0))


def write(name, data):
    open(os.path.join(broken, name), "wb").write(data)


signature = good[:8]
idat_at = good.index(b"IDAT") - 4
write("png-truncated-signature.png", good[:5])
write("png-truncated-ihdr.png", good[:20])
write("png-truncated-idat.png", good[:idat_at + 8 + 40])
flipped = bytearray(good); flipped[29] ^= 0x01            # last byte of IHDR's CRC
write("png-bad-crc-ihdr.png", bytes(flipped))
flipped = bytearray(good); flipped[idat_at + 8 + 20] ^= 0x10   # inside the compressed data
write("png-bad-crc-idat.png", bytes(flipped))
write("png-bitflip-depth.png", signature + ihdr(24, 16, depth=3) + good[33:])
write("png-zero-width.png", signature + ihdr(0, 16) + good[33:])
write("png-huge-ihdr.png", signature + ihdr(100000, 100000) + good[33:])
# A decompression bomb: 20000x20000 1-bit gray, all zero, stored in about 50 KB.
rows = b"".join(b"\0" + bytes(2500) for _ in range(20000))
write("png-zlib-bomb.png", signature + ihdr(20000, 20000, depth=1, color=0)
      + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))
write("png-garbage-after-signature.png", signature + b"this is not a chunk at all" * 4)
