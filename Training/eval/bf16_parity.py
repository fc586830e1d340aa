"""How far bf16 output is from fp32 output, on the evaluation photos, through `gigascale` itself.

    swift build -c release --product gigascale          (from the repository root)
    .venv/bin/python -m eval.bf16_parity [--model ../Models/gigagan-8x-s-psnr.safetensors] [--crop 512]

For each evaluation photo (as in eval.py: a centre crop, area ÷8, 8-bit PNG), the model upscales
the LR file twice, with --precision fp32 and --precision bf16 (same seed and caption), and the
two 8-bit outputs are compared: PSNR over all RGB samples, and the largest sample difference.
Prints a Markdown table and the minimum and mean PSNR; the bar (README, Performance) for letting `auto` pick
bf16 is 40 dB.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

from eval.eval import area_downscale, centre_crop, load_rgb
from gigagan.data import read_captions, read_tsv
from gigagan.paths import DATA_DIR, GIGASCALE, REPO


def upscale(binary: Path, model: str, lr: Path, out: Path, precision: str, prompt: str) -> np.ndarray:
    cmd = [str(binary), "upscale", str(lr), "-o", str(out), "--model", model, "--seed", "0",
           "--precision", precision, "--prompt", prompt, "--overwrite"]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({r.returncode}): {r.stderr.strip()}")
    return np.asarray(Image.open(out).convert("RGB"), dtype=np.float64)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=str(REPO / "Models" / "gigagan-8x-s-psnr.safetensors"))
    ap.add_argument("--binary", type=Path, default=GIGASCALE)
    ap.add_argument("--crop", type=int, default=512, help="largest crop side in px")
    ap.add_argument("--splits", nargs="+", default=["eval", "eval-skimage"])
    ap.add_argument("--data", type=Path, default=DATA_DIR)
    a = ap.parse_args()
    if not a.binary.exists():
        sys.exit(f"{a.binary} is missing: run `swift build -c release --product gigascale` in {REPO}")
    captions = read_captions(a.data / "captions.tsv")
    photos = [r["id"] for r in read_tsv(a.data / "manifest.tsv") if r["split"] in a.splits]
    print(f"{Path(a.model).name}: fp32 against bf16 output, {len(photos)} photos, crops ≤ {a.crop} px, ÷8 then ×8\n")
    print("| photo | PSNR dB | max abs diff (of 255) |\n|---|---:|---:|")
    values = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for pid in photos:
            lr = tmp / f"{pid}-lr.png"
            Image.fromarray(area_downscale(centre_crop(load_rgb(a.data / "hr" / f"{pid}.png"), a.crop))).save(lr)
            out = {p: upscale(a.binary, a.model, lr, tmp / f"{pid}-{p}.png", p, captions.get(pid, ""))
                   for p in ("fp32", "bf16")}
            diff = out["fp32"] - out["bf16"]
            mse = float(np.mean(diff ** 2))
            psnr = float("inf") if mse == 0 else 10 * np.log10(255.0 ** 2 / mse)
            values.append(psnr)
            print(f"| {pid} | {psnr:.2f} | {int(np.abs(diff).max())} |", flush=True)
    print(f"\nminimum {min(values):.2f} dB, mean {np.mean(values):.2f} dB over {len(values)} photos")
    return 0


if __name__ == "__main__":
    sys.exit(main())
