"""Split a run's EMA generator weights into files small enough to come back from a lent GPU
machine (whose returned files are limited to 16 MiB each), and join them again here.

    python3 -m train.shard_weights split RUN/best.pt OUT_DIR      # on the GPU machine: OUT_DIR/ema-*.pt
    .venv/bin/python -m train.shard_weights join IN_DIR runs/NAME/from-device.pt

The joined file has the keys train.train --init and train.export_trained read ("ema", "config", "step",
and the evaluation figures), so a GPU run continues here as a warm start or is exported directly.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import torch

SHARD_BYTES = 12 * 2**20


def split(src: Path, out: Path) -> None:
    state = torch.load(src, weights_only=False, map_location="cpu")
    meta = {k: v for k, v in state.items() if k not in ("ema", "gen", "opt", "gan", "rng", "torch_rng")}
    out.mkdir(parents=True, exist_ok=True)
    shard, size, index = {}, 0, 0
    for name, tensor in state["ema"].items():
        t = tensor.half()
        if size + t.numel() * 2 > SHARD_BYTES and shard:
            torch.save({"ema": shard, **meta}, out / f"ema-{index}.pt")
            shard, size, index = {}, 0, index + 1
        shard[name] = t
        size += t.numel() * 2
    torch.save({"ema": shard, **meta}, out / f"ema-{index}.pt")
    print(f"{src}: {index + 1} shards in {out}")


def join(src: Path, out: Path) -> None:
    parts = sorted(src.glob("ema-*.pt"), key=lambda p: int(p.stem.split("-")[1]))
    if not parts:
        sys.exit(f"no ema-*.pt in {src}")
    merged: dict = {}
    meta: dict = {}
    for p in parts:
        s = torch.load(p, weights_only=False)
        merged.update({k: v.float() for k, v in s.pop("ema").items()})
        meta = s
    out.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"ema": merged, **meta}, out)
    print(f"{len(parts)} shards → {out} (step {meta.get('step')})")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("verb", choices=["split", "join"])
    ap.add_argument("src", type=Path)
    ap.add_argument("out", type=Path)
    a = ap.parse_args()
    (split if a.verb == "split" else join)(a.src, a.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
