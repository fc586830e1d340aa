"""A side-by-side sheet of 100% crops through the release `gigascale`, to judge models by eye.

    .venv/bin/python -m eval.crop_sheet OUT.jpg NAME=MODEL [NAME=MODEL ...]

For each of four hold-out photos a 384 px crop is area-downscaled 8x to 48 px, enlarged by every
MODEL (a built-in name, a .safetensors file, or an ncnn .param, which runs with --scale 8), and the
centre 192 px of each result is shown beside the original's.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw

from gigagan.paths import DATA_DIR, GIGASCALE

CROP, SHOWN = 384, 192
PHOTOS = [("skimage-chelsea", 0.5, 0.2), ("lxqt-butterfly-wimer", 0.5, 0.5),
          ("skimage-astronaut", 0.4, 0.2), ("enl-bamboo", 0.5, 0.5)]


def enlarge(lr_path: Path, model: str, out: Path) -> Image.Image:
    args = [str(GIGASCALE), str(lr_path), "--model", model, "-o", str(out), "-q", "--overwrite"]
    if model.endswith(".param"):
        args += ["--scale", "8"]
    subprocess.run(args, check=True)
    return Image.open(out).convert("RGB")


def main(out: Path, models: list[tuple[str, str]]) -> None:
    margin = (CROP - SHOWN) // 2
    box = (margin, margin, margin + SHOWN, margin + SHOWN)
    rows = []
    with tempfile.TemporaryDirectory() as work:
        for stem, fx, fy in PHOTOS:
            photo = Image.open(DATA_DIR / "hr" / f"{stem}.png").convert("RGB")
            x0, y0 = int((photo.width - CROP) * fx), int((photo.height - CROP) * fy)
            original = photo.crop((x0, y0, x0 + CROP, y0 + CROP))
            lr_path = Path(work) / f"{stem}.png"
            original.resize((CROP // 8, CROP // 8), Image.BOX).save(lr_path)
            rows.append([("original", original)] +
                        [(name, enlarge(lr_path, model, Path(work) / f"{stem}-{i}.png")) for i, (name, model) in enumerate(models)])
    cell = SHOWN + 4
    sheet = Image.new("RGB", (len(rows[0]) * cell, len(rows) * (SHOWN + 20)), "white")
    draw = ImageDraw.Draw(sheet)
    for i, row in enumerate(rows):
        for j, (label, image) in enumerate(row):
            sheet.paste(image.crop(box), (j * cell, i * (SHOWN + 20) + 18))
            draw.text((j * cell + 2, i * (SHOWN + 20) + 2), label, fill="black")
    sheet.save(out, quality=90)
    print(f"wrote {out}")


if __name__ == "__main__":
    if len(sys.argv) < 3 or any("=" not in a for a in sys.argv[2:]):
        sys.exit(__doc__)
    main(Path(sys.argv[1]), [tuple(a.split("=", 1)) for a in sys.argv[2:]])
