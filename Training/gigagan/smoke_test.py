"""Smoke test of the generator twin (random weights).

For each config: condition + forward_tile on a random 64 px tile, with a prompt and with the empty
prompt; checks the output shape, that forward_tile equals the untiled forward, that a batch of tiles
equals the tiles one by one (shared and per-tile conditioning), that the noise argument is used,
that bicubic_upsample follows the documented kernel, and that export/load round-trips; then prints
params and GFLOP per tile. Also: config JSON round-trip and rejection of unknown fields, and a
scale-4 and scale-2 variant of `tiny`.

    python -m gigagan.smoke_test [CONFIG ...]     (from Training/; default: tiny gigagan-8x-s)

The same checks run under pytest: `.venv/bin/python -m pytest` from Training/ (tests/).
"""

from __future__ import annotations

import dataclasses
import math
import sys
import tempfile
import time
from pathlib import Path

import torch
import torch.nn.functional as F

from . import export
from .config import ConfigError, GeneratorConfig, get_config
from .count import measure
from .generator import Generator, bicubic_upsample, randomize_for_parity
from .text_encoder import TextEncoder

torch.set_num_threads(2)


def reference_bicubic(x: torch.Tensor, scale: int) -> torch.Tensor:
    """The kernel documented in generator.bicubic_upsample, written out (separable, per axis)."""
    A = -0.75

    def w(d: float) -> float:
        d = abs(d)
        if d <= 1:
            return ((A + 2) * d - (A + 3)) * d * d + 1
        if d < 2:
            return ((A * d - 5 * A) * d + 8 * A) * d - 4 * A
        return 0.0

    def matrix(n: int) -> torch.Tensor:
        m = torch.zeros(n * scale, n, dtype=torch.float64)
        for o in range(n * scale):
            src = (o + 0.5) / scale - 0.5
            i0 = math.floor(src)
            t = src - i0
            for tap, wt in zip(range(i0 - 1, i0 + 3), (w(1 + t), w(t), w(1 - t), w(2 - t))):
                m[o, min(max(tap, 0), n - 1)] += wt
        return m

    h, wd = x.shape[-2:]
    return torch.einsum("oh,bchw,pw->bcop", matrix(h), x.double(), matrix(wd)).to(x.dtype)


def check(cond: bool, msg: str) -> None:
    if not cond:
        raise AssertionError(msg)
    print(f"  ok  {msg}")


def run_config(cfg: GeneratorConfig, text: TextEncoder) -> None:
    t0 = time.time()
    torch.manual_seed(0)
    g = Generator(cfg).eval()
    out_px = cfg.tile * cfg.scale
    prompts = ["a red maple leaf with dew drops, close-up", ""]
    feats, mask = text.encode(prompts)
    feats, mask = feats[:, : cfg.max_tokens], mask[:, : cfg.max_tokens]
    lr = torch.rand(2, 3, cfg.tile, cfg.tile)
    z = torch.randn(2, cfg.z_dim)
    with torch.no_grad():
        outs = []
        for b in range(2):                                  # prompt, then empty prompt, one image each
            cond = g.condition(z[b:b + 1], feats[b:b + 1], mask[b:b + 1])
            y = g.forward_tile(lr[b:b + 1], cond)
            check(tuple(y.shape) == (1, 3, out_px, out_px), f"[{cfg.name}] {'empty' if b else 'prompt'}: "
                  f"output {tuple(y.shape)}, finite={bool(torch.isfinite(y).all())}")
            check(bool(torch.isfinite(y).all()), f"[{cfg.name}] output finite")
            full = g(lr[b:b + 1], z[b:b + 1], feats[b:b + 1], mask[b:b + 1])
            check(torch.equal(full, y), f"[{cfg.name}] forward_tile == untiled forward (single tile)")
            outs.append(y)
        d = (outs[0] - outs[1]).abs().max().item()
        check(d > 0, f"[{cfg.name}] prompt changes the output (max |diff| vs empty prompt {d:.3g}, different lr too)")
        # the prompt alone changes the output
        ca = g.condition(z[:1], feats[:1], mask[:1])
        cb = g.condition(z[:1], feats[1:], mask[1:])
        dp = (g.forward_tile(lr[:1], ca) - g.forward_tile(lr[:1], cb)).abs().max().item()
        check(dp > 0, f"[{cfg.name}] same tile and z, prompt vs empty prompt: max |diff| {dp:.3g}")
        # batching: per-tile conditioning (grouped conv) and shared conditioning (broadcast)
        c2 = g.condition(z, feats, mask)
        yb = g.forward_tile(lr, c2)
        e = (yb - torch.cat(outs)).abs().max().item()
        check(e < 1e-4, f"[{cfg.name}] batch of 2 with per-tile conditioning == one by one (max err {e:.2e})")
        ys = g.forward_tile(lr, ca)
        e = (ys[1:] - g.forward_tile(lr[1:], ca)).abs().max().item()
        check(e < 1e-4, f"[{cfg.name}] batch of 2 sharing one conditioning == one by one (max err {e:.2e})")
        # other tile sizes: any multiple of 8, not necessarily square
        for h, w in ((32, 32), (24, 40)):
            y = g.forward_tile(lr[:1, :, :h, :w], ca)
            check(tuple(y.shape) == (1, 3, h * cfg.scale, w * cfg.scale),
                  f"[{cfg.name}] a {h}x{w} tile gives {h * cfg.scale}x{w * cfg.scale}")
        # noise
        noise = torch.randn_like(lr[:1])
        yn = g.forward_tile(lr[:1], ca, noise=noise)
        yn2 = g.forward_tile((lr[:1] + cfg.noise_sigma * noise), ca) - bicubic_upsample(lr[:1] + cfg.noise_sigma * noise, cfg.scale) \
            + bicubic_upsample(lr[:1], cfg.scale)
        check((yn - yn2).abs().max().item() < 1e-5 and not torch.equal(yn, ys[:1]),
              f"[{cfg.name}] noise = sigma*noise added to the network input only (bicubic of the clean input)")
        # bicubic
        bref = reference_bicubic(lr[:1], cfg.scale)
        e = (bicubic_upsample(lr[:1], cfg.scale) - bref).abs().max().item()
        check(e < 1e-5, f"[{cfg.name}] bicubic == documented Keys A=-0.75 kernel (max err {e:.2e})")
        # export round trip
        with tempfile.TemporaryDirectory() as tmp:
            for dt in (torch.float32, torch.float16):
                p = Path(tmp) / "g.safetensors"
                export.save(g, p, dt)
                g2 = export.load(p)
                y2 = g2.forward_tile(lr[:1], g2.condition(z[:1], feats[:1], mask[:1]))
                e = (y2 - outs[0]).abs().max().item()
                tol = 0 if dt == torch.float32 else 5e-2
                check(e <= tol, f"[{cfg.name}] export/load {str(dt)[6:]}: max err {e:.2e} "
                                f"({p.stat().st_size / 1e6:.2f} MB)")
    with torch.no_grad():  # parity-style random weights: every path must matter (residual and prompt effect O(0.1..1))
        randomize_for_parity(g, 1)
        ra, rb = g.forward_tile(lr[:1], g.condition(z[:1], feats[:1], mask[:1])), \
            g.forward_tile(lr[:1], g.condition(z[:1], feats[1:], mask[1:]))
        res = (ra - bicubic_upsample(lr[:1], cfg.scale)).abs().mean().item()
        dp = (ra - rb).abs().mean().item()
        check(res > 1e-2 and dp > 1e-3 and bool(torch.isfinite(ra).all()),
              f"[{cfg.name}] randomize_for_parity: mean |residual| {res:.3g}, mean |prompt effect| {dp:.3g}")
    m = measure(cfg)
    print(f"  --  [{cfg.name}] params {m['params']:,}  GFLOP/tile {m['gflop_tile']:.3f}  "
          f"GFLOP/image conditioning {m['gflop_cond']:.4f}  ({time.time() - t0:.1f} s)")


def config_checks() -> None:
    cfg = get_config("gigagan-8x-s")
    check(GeneratorConfig.from_json(cfg.to_json()) == cfg, "config JSON round-trip")
    d = cfg.to_dict()
    d["bogus"] = 1
    try:
        GeneratorConfig.from_dict(d)
        raise AssertionError("unknown field accepted")
    except ConfigError as e:
        check("bogus" in str(e), f"unknown field rejected: {e}"[:110])
    d = cfg.to_dict()
    del d["kernel_bank"]
    try:
        GeneratorConfig.from_dict(d)
        raise AssertionError("missing field accepted")
    except ConfigError as e:
        check("kernel_bank" in str(e), f"missing field rejected: {e}")


def scale_variant_checks(text: TextEncoder) -> None:
    """`tiny` at scales 4 and 2 (fewer decoder stages) gives outputs of those sizes."""
    tiny = get_config("tiny")
    for scale, widths in ((4, [8, 4, 4, 4, 4]), (2, [8, 4, 4, 4])):
        c = dataclasses.replace(tiny, name=f"tiny-x{scale}", scale=scale, decoder_widths=widths,
                                decoder_blocks=[1] * len(widths), cross_attn_resolutions=[8, 32]).validate()
        g = Generator(c).eval()
        feats, mask = text.encode(["a cat"])
        with torch.no_grad():
            y = g(torch.rand(1, 3, 64, 64), torch.randn(1, c.z_dim), feats[:, :c.max_tokens], mask[:, :c.max_tokens])
        check(tuple(y.shape) == (1, 3, 64 * scale, 64 * scale), f"[{c.name}] output {tuple(y.shape)}")


def main(names: list[str]) -> int:
    t0 = time.time()
    text = TextEncoder()
    config_checks()
    for n in names or ["tiny", "gigagan-8x-s"]:
        run_config(get_config(n), text)
    scale_variant_checks(text)
    print(f"all checks passed in {time.time() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
