"""Checks the `gigascale` binary against fal's own AuraSR on a full-size weights file.

    .venv/bin/python -m eval.check_aurasr DIR            # DIR holds fal's model.safetensors + config.json
    .venv/bin/python -m eval.check_aurasr DIR --random   # first write a random-init file of fal's real
                                                         # architecture there (2.5 GB), for when the real
                                                         # weights are not at hand

Runs `gigascale` (default ../.build/release/gigascale) on one 64 px tile of skimage's astronaut
with --seed 0, fp32, 16-bit PNG output, and fal's `aura_sr.UnetUpsampler` on the same tile with the
same style latent and input noise (Gigascale's position-keyed noise for seed 0, recomputed here),
then prints the largest difference of the clamped outputs. Expect about 1e-5 (the 16-bit PNG's own
rounding is 7.6e-6).
"""
import argparse
import json
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path
from unittest import mock

import numpy as np
import torch
from PIL import Image
from safetensors.torch import load_file, save_file
from skimage import data

from aura_sr import UnetUpsampler

from gigagan.aurasr_config import REAL_CONFIG
from gigagan.paths import GIGASCALE
from gigagan.positional_noise import positional_noise


def read_png16_rgb(path: Path) -> np.ndarray:
    """A 16-bit RGB PNG as float [H, W, 3] in [0, 1] (PIL cannot read 16-bit RGB)."""
    raw_file = path.read_bytes()
    pos, idat = 8, b""
    while pos < len(raw_file):
        n, kind = struct.unpack(">I4s", raw_file[pos:pos + 8])
        body = raw_file[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, color = struct.unpack(">IIBB", body[:10])
            assert depth == 16 and color == 2, f"expected 16-bit RGB, got depth {depth} colour type {color}"
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, bpp = zlib.decompress(idat), 6
    stride = w * bpp
    rows, prev = [], np.zeros(stride, np.int64)
    for y in range(h):
        kind = raw[y * (stride + 1)]
        line = np.frombuffer(raw, np.uint8, stride, y * (stride + 1) + 1).astype(np.int64)
        out = np.zeros(stride, np.int64)
        for i in range(stride):
            a = out[i - bpp] if i >= bpp else 0
            b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
            if kind == 0:
                p = 0
            elif kind == 1:
                p = a
            elif kind == 2:
                p = b
            elif kind == 3:
                p = (a + b) // 2
            else:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                p = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            out[i] = (line[i] + p) & 255
        rows.append(out)
        prev = out
    v = np.stack(rows).reshape(h, w, 3, 2)
    return (v[..., 0] * 256 + v[..., 1]) / 65535.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dir", type=Path)
    parser.add_argument("--random", action="store_true")
    parser.add_argument("--gigascale", type=Path, default=GIGASCALE)
    args = parser.parse_args()
    weights, config_path = args.dir / "model.safetensors", args.dir / "config.json"
    if args.random:
        args.dir.mkdir(parents=True, exist_ok=True)
        torch.manual_seed(0)
        model = UnetUpsampler(**REAL_CONFIG)
        save_file({k: v.contiguous() for k, v in model.state_dict().items()}, str(weights))
        config_path.write_text(json.dumps(REAL_CONFIG))
    config = json.loads(config_path.read_text())
    model = UnetUpsampler(**config).eval()
    model.load_state_dict(load_file(str(weights)), strict=True)
    tile = config["input_image_size"]

    crop = data.astronaut()[150:150 + tile, 180:180 + tile]
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "in.png", Path(tmp) / "out.png"
        Image.fromarray(crop).save(src)
        subprocess.run([str(args.gigascale), str(src), "--model", str(weights), "--seed", "0", "--precision", "fp32",
                        "--bit-depth", "16", "-o", str(dst)], check=True)
        ours = read_png16_rgb(dst)

    x = torch.from_numpy(crop.astype(np.float32) / 255).permute(2, 0, 1).unsqueeze(0).contiguous()
    z = torch.from_numpy(positional_noise(0, -1, 0, np.arange(config["style_network"].get("dim_in", 128))))[None]
    c, y, xx = np.meshgrid(np.arange(3), np.arange(tile), np.arange(tile), indexing="ij")
    noise = torch.from_numpy(positional_noise(0, c, y, xx))[None]
    with torch.no_grad(), mock.patch.object(torch, "randn_like", lambda t: noise.clone()):
        theirs = model(lowres_image=x, noise=z)[0].clamp(0, 1).permute(1, 2, 0).numpy()
    error = np.abs(ours - theirs).max()
    print(f"max abs difference {error:.3g} (fal output range {theirs.min():.3f}..{theirs.max():.3f})")
    sys.exit(0 if error < 1e-3 else 1)


if __name__ == "__main__":
    main()
