"""Draw a run's training curves (log.csv, eval.csv) into one PNG.

    .venv/bin/python plot_curves.py runs/s-psnr ../Models/curves-gigagan-8x-s-psnr.png
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def read(path: Path) -> dict[str, list[float]]:
    cols: dict[str, list[float]] = {}
    if not path.exists():
        return cols
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            for k, v in row.items():
                cols.setdefault(k, []).append(float(v))
    return cols


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("run", type=Path)
    ap.add_argument("out", type=Path)
    a = ap.parse_args()
    log, ev = read(a.run / "log.csv"), read(a.run / "eval.csv")
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6), dpi=100)
    if log:
        left.plot(log["step"], log["pixel"], label="pixel loss (MSE)", lw=0.8)
        left.plot(log["step"], log["freq"], label="frequency L1", lw=0.8)
        left.set_yscale("log")
    left.set_xlabel("step")
    left.set_title("training losses")
    left.legend()
    if ev:
        right.plot(ev["step"], ev["psnr_caption"], marker=".", label="model, caption")
        right.plot(ev["step"], ev["psnr_empty"], marker=".", label="model, empty prompt")
        right.plot(ev["step"], ev["psnr_bicubic"], ls="--", label="bicubic")
    right.set_xlabel("step")
    right.set_ylabel("PSNR-Y (dB)")
    right.set_title("evaluation crops (hold-out photos)")
    right.legend()
    fig.tight_layout()
    fig.savefig(a.out)
    print(f"wrote {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
