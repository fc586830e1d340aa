"""What tile overlap costs and buys for a model, through `gigascale` itself: for each photo crop, one
untiled run (a single tile as large as the crop) is the reference, and each --overlaps value is run
with --tile; printed per run: the tiles, the child's CPU seconds, and PSNR and the largest
difference (8-bit levels) against the untiled output. Several --binary values compare tile layouts
of different builds on the same crops.

    cd Training && .venv/bin/python -m eval.tiling_study --binary ../.build/release/gigascale \\
        --model realesrgan-x4plus --crops ../Samples/astronaut.png:256 ../Samples/coffee.jpg:200x300 \\
        --tile 128 --overlaps 8,16,24,32
"""
import argparse
import re
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image


def centre_crop(photo: Path, spec: str, folder: Path) -> Path:
    """The centred `spec` ("S" or "WxH") crop of `photo`, as a PNG in `folder`."""
    w, h = (int(v) for v in spec.split("x")) if "x" in spec else (int(spec),) * 2
    image = Image.open(photo).convert("RGB")
    left, top = (image.width - w) // 2, (image.height - h) // 2
    out = folder / f"{photo.stem}-{w}x{h}.png"
    image.crop((left, top, left + w, top + h)).save(out)
    return out


def run(binary: str, model: str, image: Path, out: Path, extra: list[str]) -> tuple[float, int]:
    """Runs gigascale; returns the child's CPU seconds and the number of tiles `-v` reported."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([binary, str(image), "--model", model, "-o", str(out), "--overwrite", "-v", *extra],
                          check=True, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    tiles = re.search(r"(\d+) tiles?\b", done.stderr)
    return seconds, int(tiles.group(1)) if tiles else -1


def compare(a: Path, b: Path) -> tuple[float, int]:
    x = np.asarray(Image.open(a), dtype=np.float64)
    y = np.asarray(Image.open(b), dtype=np.float64)
    mse = np.mean((x - y) ** 2)
    return (float("inf") if mse == 0 else 10 * np.log10(255.0 ** 2 / mse)), int(np.abs(x - y).max())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", nargs="+", required=True, help="gigascale builds to compare (label=path or path)")
    ap.add_argument("--model", required=True)
    ap.add_argument("--crops", nargs="+", required=True, help="PHOTO:S or PHOTO:WxH centred crops")
    ap.add_argument("--tile", type=int, default=128)
    ap.add_argument("--overlaps", default="8,16,24,32")
    ap.add_argument("--extra", default="", help="more gigascale arguments, e.g. '--scale 8'")
    a = ap.parse_args()
    binaries = [b.split("=", 1) if "=" in b else (Path(b).parent.parent.name, b) for b in a.binary]
    extra = a.extra.split()
    print(f"model {a.model}, --tile {a.tile}, CPU seconds of the whole gigascale process, PSNR and the largest"
          " difference (8-bit levels) against one untiled run\n")
    print("| crop | build | overlap | tiles | CPU s | PSNR vs untiled (dB) | max diff |")
    print("|---|---|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for crop_spec in a.crops:
            photo, spec = crop_spec.rsplit(":", 1)
            crop = centre_crop(Path(photo), spec, folder)
            w, h = Image.open(crop).size
            reference = folder / "untiled.png"
            seconds, tiles = run(binaries[0][1], a.model, crop, reference, ["--tile", str(max(w, h)), "--overlap", "0", *extra])
            print(f"| {crop.stem} | untiled | – | {tiles} | {seconds:.1f} | – | – |", flush=True)
            for label, binary in binaries:
                for overlap in (int(v) for v in a.overlaps.split(",")):
                    out = folder / f"{label}-{overlap}.png"
                    seconds, tiles = run(binary, a.model, crop, out, ["--tile", str(a.tile), "--overlap", str(overlap), *extra])
                    psnr, worst = compare(out, reference)
                    print(f"| {crop.stem} | {label} | {overlap} | {tiles} | {seconds:.1f} | {psnr:.1f} | {worst} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
