"""Training and evaluation data: the photos listed in data/manifest.tsv, their captions, and the
on-the-fly degradations that turn an HR crop into the LR tile the generator sees.

Files (built by data/fetch.sh, never committed):
    data/hr/<id>.png          8-bit RGB photo, already prescaled where the manifest says so
Committed:
    data/manifest.tsv         one row per photo; the `split` column is train / eval / eval-skimage
    data/captions.tsv         id <TAB> one-sentence caption

Degradations (each LR tile draws its own; the evaluation always uses the clean area downscale):
    downscale by `scale`: area 50%, bicubic (antialiased) 30%, bilinear (antialiased) 20%
    then, independently: Gaussian blur σ 0.3-0.8 LR px (15%), Gaussian noise σ 0.002-0.02 (15%)
    or Poisson noise at 300-3000 photons per unit (10%), JPEG re-compression q 40-95 (25%),
    and always quantisation to 8 bits, as real inputs are.
"""

from __future__ import annotations

import csv
import io
import math
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch import Tensor

from .paths import DATA_DIR

TEXT_FEATURES = "text-features.pt"     # precomputed caption features in a packed data folder


@dataclass
class Photo:
    id: str
    split: str
    caption: str
    pixels: Tensor          # uint8 [3, H, W]


def read_tsv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def read_captions(path: Path = DATA_DIR / "captions.tsv") -> dict[str, str]:
    captions = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#") or line.startswith("id\t"):
                continue
            pid, _, caption = line.partition("\t")
            captions[pid] = caption.strip()
    return captions


def load_photos(splits: set[str], data_dir: Path = DATA_DIR) -> list[Photo]:
    """Every photo of the given splits, decoded into memory (uint8, about 1 GB for the whole set)."""
    captions = read_captions(data_dir / "captions.tsv") if (data_dir / "captions.tsv").exists() else {}
    photos = []
    for row in read_tsv(data_dir / "manifest.tsv"):
        if row["split"] not in splits:
            continue
        path = data_dir / "hr" / f"{row['id']}.png"
        if not path.exists():
            path = path.with_suffix(".jpg")      # a packed copy (data/pack.py)
        if not path.exists():
            raise FileNotFoundError(f"{path} is missing: run Training/data/fetch.sh")
        with Image.open(path) as im:
            arr = np.asarray(im.convert("RGB"))
        photos.append(Photo(row["id"], row["split"], captions.get(row["id"], ""),
                            torch.from_numpy(arr.copy()).permute(2, 0, 1).contiguous()))
    if not photos:
        raise ValueError(f"no photos of split(s) {sorted(splits)} in {data_dir / 'manifest.tsv'}")
    return photos


# ------------------------------------------------------------------------------------------------
# HR crops

def sqrt_area_weights(photos: list[Photo]) -> list[float]:
    """How often each photo is drawn for a crop: by the square root of its area, so large photos
    give more crops without drowning the small ones."""
    return [(p.pixels.shape[1] * p.pixels.shape[2]) ** 0.5 for p in photos]


def random_crop(photo: Photo, size: int, rng: random.Random) -> Tensor:
    """A random size×size crop, randomly flipped and rotated by a multiple of 90°, as float [3,s,s] in [0,1]."""
    _, h, w = photo.pixels.shape
    if h < size or w < size:
        raise ValueError(f"photo {photo.id} ({w}x{h}) is smaller than the {size} px crop")
    y, x = rng.randrange(h - size + 1), rng.randrange(w - size + 1)
    crop = photo.pixels[:, y:y + size, x:x + size].float() / 255.0
    if rng.random() < 0.5:
        crop = crop.flip(2)
    return torch.rot90(crop, rng.randrange(4), dims=(1, 2)).contiguous()


def center_crop(photo: Photo, size: int) -> Tensor:
    _, h, w = photo.pixels.shape
    s = min(size, h, w)
    y, x = (h - s) // 2, (w - s) // 2
    return photo.pixels[:, y:y + s, x:x + s].float() / 255.0


# ------------------------------------------------------------------------------------------------
# LR degradations

def area_downscale(hr: Tensor, scale: int) -> Tensor:
    """Exact area averaging by an integer factor ([..., H, W] with H, W divisible by scale)."""
    if hr.ndim == 3:
        return F.avg_pool2d(hr.unsqueeze(0), scale).squeeze(0)
    return F.avg_pool2d(hr, scale)


def quantize8(x: Tensor) -> Tensor:
    return (x.clamp(0, 1) * 255.0).round() / 255.0


def gaussian_blur(x: Tensor, sigma: float, radius: int | None = None, symmetric: bool = False) -> Tensor:
    """Separable Gaussian blur of [C, H, W] or [B, C, H, W]: radius ⌈3σ⌉ unless given, borders
    mirrored without repeating the edge sample, or with it if `symmetric` (scipy.ndimage's 'reflect')."""
    if x.ndim == 3:
        return gaussian_blur(x.unsqueeze(0), sigma, radius, symmetric).squeeze(0)
    radius = max(1, math.ceil(3 * sigma)) if radius is None else radius
    t = torch.arange(-radius, radius + 1, dtype=torch.float64 if x.dtype == torch.float64 else torch.float32)
    k = torch.exp(-0.5 * (t / sigma) ** 2)
    k = (k / k.sum()).to(x)
    c = x.shape[1]
    y = _symmetric_pad(x, radius) if symmetric else F.pad(x, (radius, radius, radius, radius), mode="reflect")
    y = F.conv2d(y, k.view(1, 1, 1, -1).expand(c, 1, 1, -1), groups=c)
    return F.conv2d(y, k.view(1, 1, -1, 1).expand(c, 1, -1, 1), groups=c)


def _symmetric_pad(x: Tensor, r: int) -> Tensor:
    x = torch.cat([x[..., :r, :].flip(-2), x, x[..., -r:, :].flip(-2)], dim=-2)
    return torch.cat([x[..., :r].flip(-1), x, x[..., -r:].flip(-1)], dim=-1)


def jpeg_roundtrip(x: Tensor, quality: int) -> Tensor:
    arr = (x.clamp(0, 1) * 255.0).round().to(torch.uint8).permute(1, 2, 0).numpy()
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, format="JPEG", quality=quality)
    buf.seek(0)
    with Image.open(buf) as im:
        out = np.asarray(im.convert("RGB"))
    return torch.from_numpy(out.copy()).permute(2, 0, 1).float() / 255.0


def degrade(hr: Tensor, scale: int, rng: random.Random) -> Tensor:
    """HR crop [3, S, S] in [0,1] → a realistic 8-bit LR tile [3, S/scale, S/scale]."""
    size = hr.shape[-1] // scale
    kind = rng.random()
    if kind < 0.5:
        lr = area_downscale(hr, scale)
    else:
        mode = "bicubic" if kind < 0.8 else "bilinear"
        lr = F.interpolate(hr.unsqueeze(0), size=(size, size), mode=mode, antialias=True,
                           align_corners=False).squeeze(0)
    if rng.random() < 0.15:
        lr = gaussian_blur(lr, rng.uniform(0.3, 0.8))
    u = rng.random()
    if u < 0.15:
        lr = lr + torch.randn(lr.shape, generator=_torch_rng(rng)) * rng.uniform(0.002, 0.02)
    elif u < 0.25:
        photons = rng.uniform(300, 3000)
        lr = torch.poisson(lr.clamp(0, 1) * photons, generator=_torch_rng(rng)) / photons
    if rng.random() < 0.25:
        lr = jpeg_roundtrip(lr, rng.randint(40, 95))
    return quantize8(lr)


def _torch_rng(rng: random.Random) -> torch.Generator:
    return torch.Generator().manual_seed(rng.getrandbits(63))
