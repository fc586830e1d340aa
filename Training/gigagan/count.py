"""Print parameters and GFLOP per LR tile for each named generator config.

FLOPs are counted by torch.utils.flop_counter (2 per multiply-add) over convolutions, linears,
matmuls and attention of one per-tile forward (batch 1); elementwise ops, norms, softmax and the
bicubic/bilinear resampling are not counted. The per-image conditioning (text transformer, mapping,
kernel preparation) is reported separately: it runs once per image, not per tile.

    python -m gigagan.count            (from Training/)
"""

from __future__ import annotations

import sys

import torch
from torch.utils.flop_counter import FlopCounterMode

from .config import CONFIGS, GeneratorConfig
from .generator import Generator


def measure(cfg: GeneratorConfig) -> dict:
    torch.manual_seed(0)
    g = Generator(cfg).eval()
    params = sum(p.numel() for p in g.parameters())
    text_params = sum(p.numel() for p in g.text.parameters())
    z = torch.randn(1, cfg.z_dim)
    feats = torch.randn(1, cfg.max_tokens, cfg.text_embed_dim)
    mask = torch.ones(1, cfg.max_tokens, dtype=torch.bool)
    lr = torch.rand(1, 3, cfg.tile, cfg.tile)
    with torch.no_grad():
        with FlopCounterMode(display=False) as fc:
            cond = g.condition(z, feats, mask)
        cond_flops = fc.get_total_flops()
        with FlopCounterMode(display=False) as ft:
            g.forward_tile(lr, cond)
        tile_flops = ft.get_total_flops()
    return dict(name=cfg.name, params=params, text_params=text_params,
                gflop_tile=tile_flops / 1e9, gflop_cond=cond_flops / 1e9,
                out=cfg.tile * cfg.scale)


def main(names: list[str]) -> None:
    print(f"{'config':<14} {'params':>11} {'(text tf)':>10} {'GFLOP/tile':>11} {'GFLOP/image cond':>17}  tile")
    for n in names or list(CONFIGS):
        m = measure(CONFIGS[n])
        print(f"{m['name']:<14} {m['params']:>11,} {m['text_params']:>10,} {m['gflop_tile']:>11.3f} "
              f"{m['gflop_cond']:>17.4f}  {CONFIGS[n].tile}->{m['out']} px")


if __name__ == "__main__":
    main(sys.argv[1:])
