"""Evaluate upscalers on the evaluation photos by running the `gigascale` executable itself.

    swift build -c release --product gigascale          (from the repository root)
    .venv/bin/python -m eval.eval [--models bicubic lanczos ../Models/gigagan-8x-s-psnr.safetensors ...]
                             [--out results] [--crop 1024] [--prompts] [--niqe] [--reference MODEL]

For each evaluation photo (split eval and eval-skimage of data/manifest.tsv): a centre crop of at
most --crop px (a multiple of 8), downscaled by 8 with exact area averaging and saved as an 8-bit
PNG; every model upscales that LR file through `gigascale`, and the output is compared with the
crop:
  psnr_y     PSNR of BT.601 luma, 8 px border cropped
  ssim_y     SSIM of the same luma (scikit-image, Gaussian window σ 1.5, data range 255)
  detail     variance of the Laplacian of the luma after a σ = 2 px Gaussian blur, output over
             original (bicubic at 8x sits near 0.15; a faithful sharp result near 1.0)
  ciede2000  mean CIEDE2000 between output and original, both blurred with σ = 2 px
  niqe       (with --niqe) no-reference naturalness of the output, lower is more natural
             (gigagan/metrics.py; the original's own NIQE is printed as the model "original")
  psnr_ref   (with --reference MODEL) PSNR-Y of the output against that model's output, e.g. a
             student against its teacher
A model is `bicubic`, `lanczos`, a weights file, or an ncnn `.param` (run with `--scale 8`, so a 4x
graph runs on a bicubic ×2 enlargement: Training/README's 8x teacher). Learned models run with
the photo's caption; with --prompts also with the empty prompt and with another photo's caption
(the next one in the list). Prints a Markdown table of means per model (and prompt), writes
every row to OUT/eval.csv and the means to OUT/summary.csv, and saves a gallery of 192 px crops
(original / bicubic / each learned model, 2x nearest-neighbour enlarged) as OUT/gallery-<id>.png
for the first --gallery photos.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

from gigagan.data import read_captions, read_tsv
from gigagan.metrics import metrics, niqe, psnr_y_np
from gigagan.paths import DATA_DIR, GIGASCALE, REPO, RESULTS

SCALE = 8


def load_rgb(path: Path) -> np.ndarray:
    with Image.open(path) as im:
        return np.asarray(im.convert("RGB"))


def centre_crop(rgb: np.ndarray, limit: int) -> np.ndarray:
    h, w = rgb.shape[:2]
    ch, cw = min(h, limit) // SCALE * SCALE, min(w, limit) // SCALE * SCALE
    y, x = (h - ch) // 2, (w - cw) // 2
    return rgb[y:y + ch, x:x + cw]


def area_downscale(rgb: np.ndarray) -> np.ndarray:
    h, w = rgb.shape[:2]
    blocks = rgb.astype(np.float64).reshape(h // SCALE, SCALE, w // SCALE, SCALE, 3).mean(axis=(1, 3))
    return np.clip(np.round(blocks), 0, 255).astype(np.uint8)


def model_label(model: str) -> str:
    return Path(model).stem if model.endswith((".safetensors", ".param")) else model


def run_gigascale(binary: Path, model: str, lr_path: Path, out_path: Path, prompt: str | None) -> float:
    cmd = [str(binary), "upscale", str(lr_path), "-o", str(out_path), "--model", model, "--seed", "0",
           "--scale", str(SCALE)]
    if prompt:
        cmd += ["--prompt", prompt]
    t0 = time.monotonic()
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({r.returncode}): {r.stderr.strip()}")
    return time.monotonic() - t0


def gallery(path: Path, panels: list[tuple[str, np.ndarray]], size: int = 192) -> None:
    from PIL import ImageDraw
    h, w = panels[0][1].shape[:2]
    y, x = (h - size) // 2, (w - size) // 2
    zoom = 2
    sheet = Image.new("RGB", (len(panels) * (size * zoom + 8) - 8, size * zoom + 20), "white")
    draw = ImageDraw.Draw(sheet)
    for i, (label, rgb) in enumerate(panels):
        tile = Image.fromarray(rgb[y:y + size, x:x + size]).resize((size * zoom, size * zoom), Image.NEAREST)
        sheet.paste(tile, (i * (size * zoom + 8), 20))
        draw.text((i * (size * zoom + 8) + 4, 4), label, fill="black")
    sheet.save(path, optimize=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", nargs="+", default=["bicubic", "lanczos"])
    ap.add_argument("--binary", type=Path, default=GIGASCALE)
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument("--crop", type=int, default=1024, help="largest crop side in px (a multiple of 8 is used)")
    ap.add_argument("--prompts", action="store_true", help="also run learned models with the empty and a wrong prompt")
    ap.add_argument("--gallery", type=int, default=4, help="how many photos get a gallery sheet")
    ap.add_argument("--splits", nargs="+", default=["eval", "eval-skimage"])
    ap.add_argument("--data", type=Path, default=DATA_DIR, help="folder with manifest.tsv, captions.tsv, hr/")
    ap.add_argument("--niqe", action="store_true", help="also the NIQE of every output and of the originals")
    ap.add_argument("--reference", help="one of --models: also PSNR-Y of every output against its output")
    a = ap.parse_args()
    if a.reference and a.reference not in a.models:
        sys.exit(f"--reference {a.reference} must be one of --models")
    if a.reference:      # its output first, so the others can be compared with it
        a.models = [a.reference] + [m for m in a.models if m != a.reference]
    if not a.binary.exists():
        sys.exit(f"{a.binary} is missing: run `swift build -c release --product gigascale` in {REPO}")
    a.out.mkdir(parents=True, exist_ok=True)

    captions = read_captions(a.data / "captions.tsv")
    photos = [r["id"] for r in read_tsv(a.data / "manifest.tsv") if r["split"] in a.splits]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for n, pid in enumerate(photos):
            ref = centre_crop(load_rgb(a.data / "hr" / f"{pid}.png"), a.crop)
            lr_path = tmp / f"{pid}-lr.png"
            Image.fromarray(area_downscale(ref)).save(lr_path)
            other = captions.get(photos[(n + 1) % len(photos)], "")
            panels = [("original", ref)]
            reference_out = None
            if a.niqe:
                rows.append({"photo": pid, "model": "original", "prompt": "-", "seconds": 0.0, "niqe": round(niqe(ref), 4)})
            for model in a.models:
                learned = model.endswith(".safetensors")
                variants = [("caption", captions.get(pid, ""))]
                if learned and a.prompts:
                    variants += [("empty", ""), ("other", other)]
                for variant, prompt in variants if learned else [("-", None)]:
                    out_path = tmp / f"{pid}-{model_label(model)}-{variant}.png"
                    seconds = run_gigascale(a.binary, model, lr_path, out_path, prompt)
                    out = load_rgb(out_path)
                    m = metrics(out, ref)
                    if a.niqe:
                        m["niqe"] = niqe(out)
                    if a.reference:
                        if model == a.reference and variant in ("-", "caption"):
                            reference_out = out
                        m["psnr_ref"] = psnr_y_np(out, reference_out)
                    rows.append({"photo": pid, "model": model_label(model), "prompt": variant,
                                 "seconds": round(seconds, 2), **{k: round(v, 4) for k, v in m.items()}})
                    print(f"{pid:24s} {model_label(model):22s} {variant:8s} "
                          + " ".join(f"{k} {v:7.3f}" for k, v in m.items()), flush=True)
                    if variant in ("-", "caption") and model != "lanczos":
                        panels.append((model_label(model), out))
            if n < a.gallery:
                gallery(a.out / f"gallery-{pid}.png", panels)

    keys = ["psnr_y", "ssim_y", "detail", "ciede2000"] + (["niqe"] if a.niqe else []) + (["psnr_ref"] if a.reference else [])
    with open(a.out / "eval.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["photo", "model", "prompt", "seconds"] + keys, restval="")
        w.writeheader()
        w.writerows(rows)
    groups: dict[tuple[str, str], list[dict]] = {}
    for r in rows:
        groups.setdefault((r["model"], r["prompt"]), []).append(r)
    mean = lambda rs, k: round(float(np.mean([r[k] for r in rs])), 4) if all(k in r for r in rs) else None
    summary = [{"model": m, "prompt": p, "photos": len(rs), **{k: mean(rs, k) for k in keys}} for (m, p), rs in groups.items()]
    with open(a.out / "summary.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(summary[0]))
        w.writeheader()
        w.writerows(summary)
    print(f"\n{len(photos)} photos, centre crops of at most {a.crop} px, 8x area downscale\n")
    heads = {"psnr_y": "PSNR-Y (dB)", "ssim_y": "SSIM-Y", "detail": "detail ratio", "ciede2000": "CIEDE2000",
             "niqe": "NIQE", "psnr_ref": f"PSNR-Y to {model_label(a.reference or '')} (dB)"}
    print("| model | prompt | " + " | ".join(heads[k] for k in keys) + " |")
    print("|---|---|" + "---:|" * len(keys))
    for s in summary:
        digits = {"ssim_y": 4, "detail": 3}
        cells = ["–" if s[k] is None else f"{s[k]:.{digits.get(k, 2)}f}" for k in keys]
        print(f"| {s['model']} | {s['prompt']} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
