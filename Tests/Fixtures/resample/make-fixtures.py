#!/usr/bin/python3
"""Regenerates the resampling fixtures: reference outputs of Pillow's Image.resize.

Run from anywhere with Debian's python3 (Pillow 9.x, numpy):  /usr/bin/python3 make-fixtures.py

Inputs are small crops of skimage's astronaut.png, converted to float32 in [0, 1] and handed to
Pillow one channel at a time as mode 'F' images, so Pillow resamples in floating point with no
8-bit rounding and no clamping. Every .bin file is little-endian float32, planar: the red plane,
then green, then blue, each row-major, top row first. Deterministic: same inputs, same bytes.

Files:
  crop-23x17.bin            the 23x17 crop at (x 220, y 90) (face/helmet edge, lots of detail)
  crop-7x5.bin              the 7x5 crop at (x 230, y 100), for the x8 upscale
  <filter>-<W>x<H>.bin      crop-23x17 resized to W x H with <filter>
  <filter>-x8-56x40.bin     crop-7x5 resized to 56x40 with <filter>
  stretched-23x17.bin       crop-23x17 with its contrast stretched so each plane spans exactly [0, 1]
  <filter>-stretched-46x34.bin  stretched-23x17 resized to 46x34: overshoots outside [0, 1]
"""
import os
import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = "/usr/lib/python3/dist-packages/skimage/data/astronaut.png"

FILTERS = {
    "bicubic": Image.BICUBIC,
    "lanczos3": Image.LANCZOS,
    "bilinear": Image.BILINEAR,
    "box": Image.BOX,
}


def crop(x, y, w, h):
    rgb = np.asarray(Image.open(SOURCE).convert("RGB"), dtype=np.float32) / np.float32(255)
    return rgb[y:y + h, x:x + w, :]


def write(name, planes):
    data = np.stack(planes).astype("<f4")
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data.tobytes())
    print(f"{name}: {data.shape}, {data.nbytes} bytes")


def resize(pixels, size, method):
    planes = []
    for c in range(3):
        im = Image.fromarray(np.ascontiguousarray(pixels[:, :, c]), mode="F")
        planes.append(np.asarray(im.resize(size, method), dtype=np.float32))
    return planes


big = crop(220, 90, 23, 17)
small = crop(230, 100, 7, 5)
write("crop-23x17.bin", [big[:, :, c] for c in range(3)])
write("crop-7x5.bin", [small[:, :, c] for c in range(3)])

cases = {
    "bicubic": [(61, 45), (9, 7), (40, 9)],
    "lanczos3": [(61, 45), (9, 7), (40, 9)],
    "bilinear": [(31, 29), (9, 7)],
    "box": [(31, 29), (9, 7)],
}
for name, sizes in cases.items():
    for (w, h) in sizes:
        write(f"{name}-{w}x{h}.bin", resize(big, (w, h), FILTERS[name]))
for name in ("bicubic", "lanczos3"):
    write(f"{name}-x8-56x40.bin", resize(small, (56, 40), FILTERS[name]))

lo, hi = big.min(axis=(0, 1)), big.max(axis=(0, 1))
stretched = ((big - lo) / (hi - lo)).astype(np.float32)
write("stretched-23x17.bin", [stretched[:, :, c] for c in range(3)])
for name in ("bicubic", "lanczos3"):
    write(f"{name}-stretched-46x34.bin", resize(stretched, (46, 34), FILTERS[name]))
