"""Export a trained run's EMA generator as fp16 safetensors for the Swift tool.

    .venv/bin/python -m train.export_trained runs/s-psnr ../Models/gigagan-8x-s-psnr.safetensors [--from ckpt|best]

The file carries the config (as every gigascale-gigagan file does) plus what produced it in its
`__metadata__`: run name, training step and hours, stage, and the evaluation PSNR at that step.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import torch

from gigagan.config import GeneratorConfig
from gigagan.export import load, save
from gigagan.generator import Generator


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("run", type=Path, help="run folder, or a .pt with an 'ema' state (e.g. shard_weights.py join)")
    ap.add_argument("out", type=Path)
    ap.add_argument("--from", dest="source", choices=["ckpt", "best"], default="best",
                    help="best.pt (best evaluation PSNR, default) or the latest ckpt.pt")
    ap.add_argument("--name", help="model name stored in the metadata (default: the output file's stem)")
    a = ap.parse_args()

    source = a.run if a.run.is_file() else a.run / f"{a.source}.pt"     # a run folder, or one .pt
    state = torch.load(source, weights_only=False, map_location="cpu")
    cfg = GeneratorConfig.from_json(state["config"])
    gen = Generator(cfg)
    gen.load_state_dict(state["ema"])
    info = {"model": a.name or a.out.stem, "run": (a.run.parent if a.run.is_file() else a.run).name, "step": state["step"],
            **{k: round(v, 4) for k, v in state.items() if k.startswith("psnr_")}}
    if "seconds" in state:
        info["hours"] = round(state["seconds"] / 3600, 2)
    save(gen, a.out, torch.float16, {"training": json.dumps(info, separators=(",", ":"))})
    reloaded = load(a.out)        # strict round trip: names, shapes, config
    assert sum(p.numel() for p in reloaded.parameters()) == sum(p.numel() for p in gen.parameters())
    print(f"wrote {a.out} ({a.out.stat().st_size / 1e6:.1f} MB): {info}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
