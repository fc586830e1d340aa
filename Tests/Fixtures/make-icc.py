#!/usr/bin/env python3
"""make-icc.py rgb|cmyk OUT: writes a small, valid ICC v2 profile made here (no third-party
profile, no licence attached), for the fixtures that test carrying a profile byte for byte.
RGB: a matrix/TRC display profile with sRGB-like primaries and gamma 2.2. CMYK: an output-class
header with description, white point and copyright only (enough to be carried and dropped)."""
import struct
import sys

kind, out = sys.argv[1], sys.argv[2]


def s15(v):
    return struct.pack(">i", round(v * 65536))


def xyz(x, y, z):
    return b"XYZ " + bytes(4) + s15(x) + s15(y) + s15(z)


def text(t):
    return b"text" + bytes(4) + t.encode() + b"\0"


def desc(t):
    a = t.encode() + b"\0"
    return b"desc" + bytes(4) + struct.pack(">I", len(a)) + a + bytes(4 + 4 + 2 + 1 + 67)


def curve(gamma):
    return b"curv" + bytes(4) + struct.pack(">I", 1) + struct.pack(">H", round(gamma * 256)) + bytes(2)


name = "Gigascale test " + kind.upper()
tags = [(b"desc", desc(name)), (b"cprt", text("No copyright; made by Tests/Fixtures/make-icc.py")),
        (b"wtpt", xyz(0.9642, 1.0, 0.8249))]
if kind == "rgb":
    tags += [(b"rXYZ", xyz(0.4361, 0.2225, 0.0139)), (b"gXYZ", xyz(0.3851, 0.7169, 0.0971)),
             (b"bXYZ", xyz(0.1431, 0.0606, 0.7141))]
    tags += [(t, curve(2.2)) for t in (b"rTRC", b"gTRC", b"bTRC")]
device_class, space = (b"mntr", b"RGB ") if kind == "rgb" else (b"prtr", b"CMYK")

table = struct.pack(">I", len(tags))
offset = 128 + 4 + 12 * len(tags)
body = b""
for signature, data in tags:
    data += bytes((4 - len(data) % 4) % 4)
    table += signature + struct.pack(">II", offset + len(body), len(data))
    body += data
size = 128 + len(table) + len(body)
header = struct.pack(">I", size) + b"none" + struct.pack(">I", 0x02100000) + device_class + space + b"XYZ "
header += struct.pack(">6H", 2026, 1, 1, 0, 0, 0) + b"acsp" + b"APPL" + bytes(4) + b"none" + b"none"
header += bytes(8) + struct.pack(">I", 0) + s15(0.9642) + s15(1.0) + s15(0.8249) + b"none"
header += bytes(128 - len(header))
open(out, "wb").write(header + table + body)
