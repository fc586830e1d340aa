"""Parity check: the PyTorch RRDBNet read by ncnn_file.py against PyPI `ncnn` running the same
x4plus files, on a crop of a real photo. Exits non-zero if the largest difference exceeds --tol.

    .venv/bin/python -m gigagan.teacher.check [--photo ../Samples/chelsea.png] [--size 64]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import ncnn
import numpy as np
import torch
from PIL import Image

from ..paths import REPO
from .ncnn_file import load_x4plus, x4plus_files



def run_ncnn(param: Path, binary: Path, rgb: np.ndarray, threads: int) -> np.ndarray:
    """rgb float32 [3, H, W] in [0, 1] → float32 [3, 4H, 4W], in fp32 throughout."""
    net = ncnn.Net()
    net.opt.use_vulkan_compute = False
    net.opt.num_threads = threads
    # ncnn's CPU defaults store and compute in fp16/bf16 where the CPU has them; parity wants fp32.
    for flag in ("use_fp16_packed", "use_fp16_storage", "use_fp16_arithmetic", "use_bf16_storage"):
        setattr(net.opt, flag, False)
    net.load_param(str(param))
    net.load_model(str(binary))
    ex = net.create_extractor()
    ex.input("data", ncnn.Mat(np.ascontiguousarray(rgb)))
    ret, out = ex.extract("output")
    if ret != 0:
        raise RuntimeError(f"ncnn extract failed ({ret})")
    return np.array(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--photo", type=Path, default=REPO / "Samples" / "chelsea.png")
    ap.add_argument("--size", type=int, default=64, help="side of the centre crop fed to both")
    ap.add_argument("--tol", type=float, default=1e-4)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)

    with Image.open(a.photo) as im:
        arr = np.asarray(im.convert("RGB"))
    h, w = arr.shape[:2]
    y, x = (h - a.size) // 2, (w - a.size) // 2
    rgb = np.ascontiguousarray(arr[y:y + a.size, x:x + a.size].transpose(2, 0, 1), dtype=np.float32) / 255.0

    param, binary = x4plus_files()
    expected = run_ncnn(param, binary, rgb, a.threads)
    with torch.no_grad():
        got = load_x4plus(param, binary)(torch.from_numpy(rgb)[None])[0].numpy()
    if got.shape != expected.shape:
        print(f"shape mismatch: torch {got.shape}, ncnn {expected.shape}")
        return 1
    err = np.abs(got - expected)
    print(f"{a.photo.name} {a.size}² crop → {got.shape[2]}×{got.shape[1]}: max abs error {err.max():.3g}, "
          f"mean {err.mean():.3g} (output range {expected.min():.3f}..{expected.max():.3f}); tolerance {a.tol:g}")
    return 0 if err.max() <= a.tol else 1


if __name__ == "__main__":
    sys.exit(main())
