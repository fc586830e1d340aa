"""Make distillation targets once: LR tiles cut from the photos through train/train.py's degradations,
the 8x teacher's output for each, the ground truth and the caption, written to a cache that any
later run reuses. Resumable: sample i is a pure function of (--seed, --split, i), and files that
exist are skipped, so the same command continues (or extends, with a larger --count) a folder.

    .venv/bin/python -m gigagan.make_targets --out cache/teacher-targets/bicubic2-t32 --count 4000
    .venv/bin/python -m gigagan.make_targets --out cache/teacher-targets/bicubic2-t32-eval --split eval --count 64

One file per sample, NNNNNN.pt (torch.save of a dict):
    lr      uint8 [3, t, t]            the student's input (train: data.degrade; eval: clean area ÷8)
    target  uint8 [3, 8t, 8t]          the teacher's 8x output
    hr      uint8 [3, 8t, 8t]          the ground-truth crop
    trunk   float16 [64, k·t, k·t]     x4plus's trunk feature (k = 2 for bicubic2, else 1)
    photo, caption                     where it came from
meta.json records the settings; a folder made with other settings is refused.

The teacher sees a margin of --margin LR px around the tile (cut away afterwards), so the targets'
borders are not x4plus's zero-padded borders; the student sees the tile alone, as it does at run time.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

import torch

from .data import DATA_DIR, area_downscale, degrade, load_photos, quantize8, random_crop
from .teacher.eightx import VARIANTS, Teacher8x

SCALE = 8


def to_uint8(x: torch.Tensor) -> torch.Tensor:
    return (x.clamp(0, 1) * 255.0).round().to(torch.uint8)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--count", type=int, required=True, help="samples 0 … count−1 (existing ones are skipped)")
    ap.add_argument("--teacher", choices=VARIANTS, default="bicubic2")
    ap.add_argument("--tile", type=int, default=32, help="LR tile side (a multiple of 8)")
    ap.add_argument("--margin", type=int, default=4, help="LR px of context the teacher sees on each side")
    ap.add_argument("--split", choices=["train", "eval"], default="train")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--data", type=Path, default=DATA_DIR)
    a = ap.parse_args()
    if a.tile % 8:
        sys.exit("--tile must be a multiple of 8")
    torch.set_num_threads(a.threads)
    a.out.mkdir(parents=True, exist_ok=True)

    settings = {"teacher": a.teacher, "tile": a.tile, "margin": a.margin, "split": a.split, "seed": a.seed,
                "scale": SCALE, "degradation": "data.degrade" if a.split == "train" else "area"}
    meta = a.out / "meta.json"
    if meta.exists() and json.loads(meta.read_text()) != settings:
        sys.exit(f"{meta} was made with other settings: {meta.read_text()}")
    meta.write_text(json.dumps(settings, indent=1) + "\n")

    todo = [i for i in range(a.count) if not (a.out / f"{i:06d}.pt").exists()]
    print(f"{a.count - len(todo)} of {a.count} exist in {a.out}", flush=True)
    if not todo:
        return 0
    crop = (a.tile + 2 * a.margin) * SCALE
    photos = [p for p in load_photos({a.split}, a.data) if min(p.pixels.shape[1:]) >= crop]
    weights = [(p.pixels.shape[1] * p.pixels.shape[2]) ** 0.5 for p in photos]   # as train/train.py draws them
    teacher = Teacher8x(a.teacher)
    m, t = a.margin, a.tile
    start = time.monotonic()
    for n, i in enumerate(todo):
        rng = random.Random(f"{a.seed}:{a.split}:{i}")
        photo = rng.choices(photos, weights=weights)[0]
        hr = random_crop(photo, crop, rng)
        lr = degrade(hr, SCALE, rng) if a.split == "train" else quantize8(area_downscale(hr, SCALE))
        out, trunk = teacher(lr[None])
        k = trunk.shape[-1] // lr.shape[-1]
        sample = {
            "lr": to_uint8(lr[:, m:m + t, m:m + t]),
            "target": to_uint8(out[0, :, m * SCALE:(m + t) * SCALE, m * SCALE:(m + t) * SCALE]),
            "hr": to_uint8(hr[:, m * SCALE:(m + t) * SCALE, m * SCALE:(m + t) * SCALE]),
            "trunk": trunk[0, :, m * k:(m + t) * k, m * k:(m + t) * k].half().clone(),
            "photo": photo.id, "caption": photo.caption,
        }
        path = a.out / f"{i:06d}.pt"
        tmp = path.with_suffix(".tmp")
        torch.save(sample, tmp)
        os.replace(tmp, path)
        if (n + 1) % 50 == 0 or n + 1 == len(todo):
            rate = (time.monotonic() - start) / (n + 1)
            print(f"{n + 1}/{len(todo)} written, {rate:.2f} s each, ~{rate * (len(todo) - n - 1) / 60:.0f} min left",
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
