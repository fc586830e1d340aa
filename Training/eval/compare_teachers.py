"""Compare the 8x teachers built on x4plus (gigagan/teacher/eightx.py) with bicubic and the
originals on the evaluation photos, by NIQE, detail ratio, CIEDE2000 and PSNR-Y.

    .venv/bin/python -m eval.compare_teachers [--crop 512] [--photos N] [--out results/teachers]

Inputs are made as eval.py makes them (centre crop of at most --crop px, area ÷8, 8-bit); the
metrics are gigagan/metrics.py's. Prints a Markdown table of means and writes per-photo rows to
OUT/teachers.csv as each photo is done (photos already there are skipped, so a stopped run
continues) and a gallery sheet per photo (original / bicubic / each teacher) to OUT/.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

import numpy as np
import torch

from eval.eval import area_downscale, centre_crop, gallery, load_rgb
from gigagan.data import DATA_DIR, read_tsv
from gigagan.generator import bicubic_upsample
from gigagan.metrics import metrics, niqe
from gigagan.teacher.eightx import VARIANTS, Teacher8x
from gigagan.paths import RESULTS
from gigagan.teacher.ncnn_file import load_x4plus


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def to_tensor(rgb: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(rgb.copy()).permute(2, 0, 1)[None].float() / 255.0


def to_rgb8(x: torch.Tensor) -> np.ndarray:
    return (x[0].clamp(0, 1) * 255.0).round().byte().permute(1, 2, 0).numpy()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--crop", type=int, default=512, help="largest crop side in px (a multiple of 8 is used)")
    ap.add_argument("--photos", type=int, default=0, help="only the first N evaluation photos (0 = all)")
    ap.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=VARIANTS)
    ap.add_argument("--splits", nargs="+", default=["eval", "eval-skimage"])
    ap.add_argument("--out", type=Path, default=RESULTS / "teachers")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--data", type=Path, default=DATA_DIR)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    a.out.mkdir(parents=True, exist_ok=True)

    net = load_x4plus()
    teachers = {v: Teacher8x(v, net) for v in a.variants}
    photos = [r["id"] for r in read_tsv(a.data / "manifest.tsv") if r["split"] in a.splits]
    if a.photos:
        photos = photos[:a.photos]
    keys = ["niqe", "detail", "ciede2000", "psnr_y", "seconds"]
    table = a.out / "teachers.csv"
    done = {r["photo"] for r in read_csv(table)} if table.exists() else set()
    for pid in photos:
        if pid in done:
            continue
        rows = []
        ref = centre_crop(load_rgb(a.data / "hr" / f"{pid}.png"), a.crop)
        lr = to_tensor(area_downscale(ref))
        rows.append({"photo": pid, "model": "original", "niqe": niqe(ref), "seconds": 0.0})
        outputs = {"bicubic": (to_rgb8(bicubic_upsample(lr, 8)), 0.0)}
        for name, teacher in teachers.items():
            t0 = time.monotonic()
            outputs[name] = (to_rgb8(teacher(lr)[0]), time.monotonic() - t0)
        for name, (out, seconds) in outputs.items():
            rows.append({"photo": pid, "model": name, "niqe": niqe(out), "seconds": seconds, **metrics(out, ref)})
        gallery(a.out / f"teachers-{pid}.png", [("original", ref)] + [(k, v[0]) for k, v in outputs.items()])
        print(" ".join(f"{r['model']} {r['niqe']:.2f}" for r in rows), pid, flush=True)
        new = not table.exists()
        with open(table, "a", newline="") as f:
            w = csv.DictWriter(f, fieldnames=["photo", "model"] + keys, extrasaction="ignore")
            if new:
                w.writeheader()
            w.writerows({k: (round(v, 4) if isinstance(v, float) else v) for k, v in r.items()} for r in rows)

    rows = [{k: (v if k in ("photo", "model") or v == "" else float(v)) for k, v in r.items()}
            for r in read_csv(table) if r["photo"] in photos]
    print(f"\n{len({r['photo'] for r in rows})} photos, centre crops of at most {a.crop} px, area ÷8, 8-bit\n")
    print("| model | NIQE | detail ratio | CIEDE2000 | PSNR-Y (dB) | s per photo |")
    print("|---|---:|---:|---:|---:|---:|")
    for model in ["original", "bicubic", *a.variants]:
        rs = [r for r in rows if r["model"] == model]
        mean = lambda k: float(np.mean([r[k] for r in rs])) if rs[0][k] != "" else float("nan")
        cells = [f"{mean('niqe'):.2f}", f"{mean('detail'):.3f}", f"{mean('ciede2000'):.2f}",
                 f"{mean('psnr_y'):.2f}", f"{mean('seconds'):.1f}"]
        print(f"| {model} | " + " | ".join("–" if c == "nan" else c for c in cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
