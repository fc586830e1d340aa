#!/usr/bin/env python3
"""add-chunk.py IN OUT TYPE DATA: copies a PNG, inserting one chunk right after IHDR (after
PLTE for a palette's tRNS, which must follow it).
DATA is hex bytes, or @FILE for iCCP (the profile is named "ICC Profile" and deflated)."""
import struct
import sys
import zlib

source, target, kind, data = sys.argv[1:5]
if data.startswith("@"):
    payload = b"ICC Profile\0\0" + zlib.compress(open(data[1:], "rb").read(), 9)
else:
    payload = bytes.fromhex(data)
png = open(source, "rb").read()
position = 8
anchor = b"PLTE" if kind == "tRNS" and b"PLTE" in png else b"IHDR"
while True:
    length, name = struct.unpack(">I4s", png[position:position + 8])
    position += 12 + length
    if name == anchor:
        break
ihdr_end = position
chunk = struct.pack(">I", len(payload)) + kind.encode() + payload
chunk += struct.pack(">I", zlib.crc32(kind.encode() + payload))
open(target, "wb").write(png[:ihdr_end] + chunk + png[ihdr_end:])
