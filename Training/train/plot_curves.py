"""Draw a run's training curves (log.csv, eval.csv) into one PNG.

    .venv/bin/python -m train.plot_curves runs/s-psnr ../Models/curves-gigagan-8x-s-psnr.png
    .venv/bin/python -m train.plot_curves runs/s-gan2 ../Models/curves-gigagan-8x-s.png

A stage-2 run gets a third panel (the discriminator's and the generator's adversarial losses, and
the discriminator's held-out logit gap where eval.csv has it) and the detail-energy ratio on the
evaluation panel.
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
                cols.setdefault(k, []).append(float(v) if v else float("nan"))   # blank: not logged then
    return cols


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("run", type=Path)
    ap.add_argument("out", type=Path)
    a = ap.parse_args()
    log, ev = read(a.run / "log.csv"), read(a.run / "eval.csv")
    adversarial = "d_real" in log
    fig, axes = plt.subplots(1, 3 if adversarial else 2, figsize=(15 if adversarial else 10, 3.6), dpi=100)
    left, right = axes[0], axes[1]
    if log:
        left.plot(log["step"], log["pixel"], label="pixel loss (MSE)", lw=0.8)
        left.plot(log["step"], log["freq"], label="frequency L1", lw=0.8)
        if "texture" in log:
            left.plot(log["step"], log["texture"], label="local band-energy L1", lw=0.8)
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
    right.legend(loc="lower left")
    if ev and adversarial:
        detail = right.twinx()
        detail.plot(ev["step"], ev["detail"], marker=".", color="black", lw=0.8, label="detail ratio (right axis)")
        detail.set_ylabel("detail-energy ratio")
        detail.legend(loc="lower right")
    if adversarial:
        gan = axes[2]
        for key, label in (("d_real", "D: real"), ("d_fake", "D: generated"), ("d_mismatch", "D: real, wrong caption"),
                           ("g_adv", "G: adversarial")):
            gan.plot(log["step"], log[key], label=label, lw=0.8)
        gan.axhline(0.693, ls=":", color="gray", lw=0.8)   # softplus(0): a discriminator at chance
        gan.set_xlabel("step")
        gan.set_title("adversarial losses (softplus; ln 2 = chance)")
        gan.legend(loc="upper left")
        if "d_gap" in ev:
            gap = gan.twinx()
            gap.plot(ev["step"], ev["d_gap"], marker=".", color="black", lw=0.8,
                     label="held-out logit gap, real − generated (right axis)")
            gap.set_ylabel("logit gap")
            gap.legend(loc="upper right")
    fig.tight_layout()
    fig.savefig(a.out)
    print(f"wrote {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
