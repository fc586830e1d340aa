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

from .data import (DATA_DIR, Photo, area_downscale, degrade, load_photos, quantize8, random_crop,
                   sqrt_area_weights)
from .teacher.eightx import VARIANTS, Teacher8x

SCALE = 8


def to_uint8(x: torch.Tensor) -> torch.Tensor:
    return (x.clamp(0, 1) * 255.0).round().to(torch.uint8)


def draw_input(photos: list[Photo], weights: list[float], rng: random.Random, split: str,
               crop: int) -> tuple[Photo, torch.Tensor, torch.Tensor]:
    """A photo drawn by `sqrt_area_weights` (as train/train.py draws them), a random crop×crop
    ground truth of it under a random flip and quarter turn, and the LR tile made from it
    (train: data.degrade, the degradations the student trains on; eval: the clean area ÷8)."""
    photo = rng.choices(photos, weights=weights)[0]
    hr = random_crop(photo, crop, rng)
    lr = degrade(hr, SCALE, rng) if split == "train" else quantize8(area_downscale(hr, SCALE))
    return photo, hr, lr


def cut_margin(margin: int, lr: torch.Tensor, target: torch.Tensor, hr: torch.Tensor,
               trunk: torch.Tensor) -> tuple[torch.Tensor, ...]:
    """Cut the teacher's context of `margin` LR px away from every part of a sample, one or a batch."""
    tile = lr.shape[-1] - 2 * margin
    k = trunk.shape[-1] // lr.shape[-1]
    inner = lambda x, s: x[..., margin * s:(margin + tile) * s, margin * s:(margin + tile) * s]
    return inner(lr, 1), inner(target, SCALE), inner(hr, SCALE), inner(trunk, k)


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
    weights = sqrt_area_weights(photos)
    teacher = Teacher8x(a.teacher)
    start = time.monotonic()
    for n, i in enumerate(todo):
        photo, hr, lr = draw_input(photos, weights, random.Random(f"{a.seed}:{a.split}:{i}"), a.split, crop)
        out, trunk = teacher(lr[None])
        lr, target, hr, trunk = cut_margin(a.margin, lr, out[0], hr, trunk[0])
        sample = {"lr": to_uint8(lr), "target": to_uint8(target), "hr": to_uint8(hr),
                  "trunk": trunk.half().clone(), "photo": photo.id, "caption": photo.caption}
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
