"""The text-conditioned GigaGAN-8x generator (PyTorch twin of the Swift model).

Split into per-image conditioning and a per-tile forward, as the Swift side caches the former:

    cond = G.condition(z, text_tokens, text_mask)    # w, every adaptive conv's prepared kernel, cross-attn K/V
    hr   = G.forward_tile(lr_tile, cond, noise=None) # [B,3,tile*scale,tile*scale]

Images are RGB in [0, 1]. `text_tokens` are the frozen text encoder's per-token features [B,T,384]
(see text_encoder.py) and `text_mask` marks the real tokens ([CLS] ... [SEP]); an absent prompt is
the empty prompt "" ([CLS][SEP]).

Layout (tile 64, scale 8):
    stem conv3x3 -> encoder 64, 32, 16 px (ResBlocks, skip saved, stride-2 conv3x3 down)
    -> bottleneck 8 px (ResBlock, attention, ResBlock)
    -> decoder 16, 32, 64 (concat skip * skip_gain), 128, 256, 512 px: each stage = 1x1 conv at the
       lower resolution, bilinear x2, ResBlocks, attention if configured
    -> to_rgb(SiLU(x)) (1x1 conv) + bicubic x8 of the clean input.
With `subpixel_scale` s > 1 the decoder ends s times short of the output (e.g. at 128 px for s = 4)
and to_rgb is a 3x3 conv to 3*s*s channels followed by pixel_shuffle(s).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from .config import GeneratorConfig
from .layers import AttnStage, CrossAttention, Mapping, ResBlock, StyleAdaptiveConv, TextTransformer


@dataclass
class Conditioning:
    """Everything that depends only on (z, prompt): computed once per image, reused for every tile."""

    w: Tensor                                  # [B, w_dim]
    t_global: Tensor                           # [B, text_dim]
    t_local: Tensor                            # [B, T, text_dim]
    text_mask: Tensor                          # [B, T] bool
    kernels: dict[str, Tensor] = field(default_factory=dict)   # module path -> [B, out, in, k, k]
    cross_kv: dict[str, tuple[Tensor, Tensor]] = field(default_factory=dict)  # module path -> K, V [B,h,T,d]

    @property
    def batch(self) -> int:
        return self.w.shape[0]


class EncoderStage(nn.Module):
    def __init__(self, cfg: GeneratorConfig, i: int):
        super().__init__()
        c = cfg.encoder_widths[i]
        c_next = cfg.encoder_widths[i + 1] if i < 2 else cfg.bottleneck_width
        self.blocks = nn.ModuleList(
            ResBlock(c, c, cfg.kernel_size, cfg.kernel_bank, cfg.w_dim) for _ in range(cfg.encoder_blocks[i]))
        self.down = nn.Conv2d(c, c_next, 3, stride=2, padding=1)


class Bottleneck(nn.Module):
    def __init__(self, cfg: GeneratorConfig):
        super().__init__()
        c, r = cfg.bottleneck_width, cfg.bottleneck_res
        self.block1 = ResBlock(c, c, cfg.kernel_size, cfg.kernel_bank, cfg.w_dim)
        depth, cross = cfg.self_attn_depth_at(r), cfg.has_cross_attn_at(r)
        self.attn = (AttnStage(c, cfg.attn_heads, cfg.ff_mult, depth, cross, cfg.text_dim)
                     if depth or cross else None)
        self.block2 = ResBlock(c, c, cfg.kernel_size, cfg.kernel_bank, cfg.w_dim)


class DecoderStage(nn.Module):
    def __init__(self, cfg: GeneratorConfig, j: int, skip_width: int):
        super().__init__()
        c_prev = cfg.decoder_widths[j - 1] if j > 0 else cfg.bottleneck_width
        c, r = cfg.decoder_widths[j], cfg.decoder_res(j)
        self.up = nn.Conv2d(c_prev, c, 1)
        self.blocks = nn.ModuleList(
            ResBlock(c + (skip_width if k == 0 else 0), c, cfg.kernel_size, cfg.kernel_bank, cfg.w_dim)
            for k in range(cfg.decoder_blocks[j]))
        depth, cross = cfg.self_attn_depth_at(r), cfg.has_cross_attn_at(r)
        self.attn = (AttnStage(c, cfg.attn_heads, cfg.ff_mult, depth, cross, cfg.text_dim)
                     if depth or cross else None)


class Generator(nn.Module):
    def __init__(self, cfg: GeneratorConfig):
        super().__init__()
        cfg.validate()
        self.cfg = cfg
        self.text = TextTransformer(cfg.text_embed_dim, cfg.text_dim, cfg.text_depth, cfg.text_heads, cfg.ff_mult)
        self.mapping = Mapping(cfg.z_dim, cfg.text_dim, cfg.w_dim, cfg.mapping_depth)
        self.stem = nn.Conv2d(3, cfg.encoder_widths[0], 3, padding=1)
        self.encoder = nn.ModuleList(EncoderStage(cfg, i) for i in range(3))
        self.bottleneck = Bottleneck(cfg)
        enc_res = {cfg.encoder_res(i): cfg.encoder_widths[i] for i in range(3)}
        # decoder stage j concatenates the encoder stage output at the same resolution (if any)
        self.skip_from: list[int | None] = [
            next((i for i in range(3) if cfg.encoder_res(i) == cfg.decoder_res(j)), None) for j in range(cfg.num_up)]
        self.decoder = nn.ModuleList(
            DecoderStage(cfg, j, enc_res.get(cfg.decoder_res(j), 0)) for j in range(cfg.num_up))
        s, k = cfg.subpixel_scale, cfg.to_rgb_kernel
        self.to_rgb = nn.Conv2d(cfg.decoder_widths[-1], 3 * s * s, k, padding=k // 2)
        with torch.no_grad():
            self.to_rgb.weight.mul_(0.1)
            self.to_rgb.bias.zero_()

    # --------------------------------------------------------------------------------------------
    def condition(self, z: Tensor, text_tokens: Tensor, text_mask: Tensor) -> Conditioning:
        """Per-image conditioning. z [B, z_dim]; text_tokens [B, T, text_embed_dim]; text_mask [B, T]."""
        cfg = self.cfg
        if z.ndim != 2 or z.shape[1] != cfg.z_dim:
            raise ValueError(f"z must be [B, {cfg.z_dim}], got {tuple(z.shape)}")
        if text_tokens.ndim != 3 or text_tokens.shape[2] != cfg.text_embed_dim or text_tokens.shape[1] > cfg.max_tokens:
            raise ValueError(f"text_tokens must be [B, T<={cfg.max_tokens}, {cfg.text_embed_dim}], "
                             f"got {tuple(text_tokens.shape)}")
        mask = text_mask.to(torch.bool)
        t_global, t_local = self.text(text_tokens, mask)
        w = self.mapping(z, t_global)
        cond = Conditioning(w=w, t_global=t_global, t_local=t_local, text_mask=mask)
        for name, mod in self.named_modules():
            if isinstance(mod, StyleAdaptiveConv):
                cond.kernels[name] = mod.prepare(w)
            elif isinstance(mod, CrossAttention):
                cond.cross_kv[name] = mod.prepare(t_local)
        return cond

    def forward_tile(self, lr: Tensor, cond: Conditioning, noise: Tensor | None = None) -> Tensor:
        """lr [B,3,h,w] in [0,1] -> [B,3,h*scale,w*scale]. noise: N(0,1) like lr, or None.

        h and w may be any multiples of 8 (the three stride-2 stages): nothing in the network depends
        on the tile's size (no positional encodings), and `cfg.tile` only names the stages at
        construction. `cfg.tile` is the size it was trained and measured at."""
        cfg = self.cfg
        if lr.ndim != 4 or lr.shape[1] != 3 or lr.shape[2] % 8 or lr.shape[3] % 8 or min(lr.shape[2:]) < 8:
            raise ValueError(f"lr tile must be [B, 3, h, w] with h, w multiples of 8, got {tuple(lr.shape)}")
        kern, kv, mask = cond.kernels, cond.cross_kv, cond.text_mask
        x = lr if noise is None else lr + cfg.noise_sigma * noise

        x = self.stem(x)
        skips = []
        for i, stage in enumerate(self.encoder):
            for k, blk in enumerate(stage.blocks):
                x = blk(x, kern, f"encoder.{i}.blocks.{k}")
            skips.append(x)
            x = stage.down(x)

        bn = self.bottleneck
        x = bn.block1(x, kern, "bottleneck.block1")
        if bn.attn is not None:
            x = bn.attn(x, kv, mask, "bottleneck.attn")
        x = bn.block2(x, kern, "bottleneck.block2")

        for j, stage in enumerate(self.decoder):
            x = F.interpolate(stage.up(x), scale_factor=2, mode="bilinear", align_corners=False)
            if self.skip_from[j] is not None:
                x = torch.cat([x, skips[self.skip_from[j]] * cfg.skip_gain], dim=1)
            for k, blk in enumerate(stage.blocks):
                x = blk(x, kern, f"decoder.{j}.blocks.{k}")
            if stage.attn is not None:
                x = stage.attn(x, kv, mask, f"decoder.{j}.attn")

        residual = self.to_rgb(F.silu(x))
        if cfg.subpixel_scale > 1:
            residual = F.pixel_shuffle(residual, cfg.subpixel_scale)
        return bicubic_upsample(lr, cfg.scale) + residual

    def forward(self, lr: Tensor, z: Tensor, text_tokens: Tensor, text_mask: Tensor,
                noise: Tensor | None = None) -> Tensor:
        """Untiled convenience: condition + forward_tile on a [B,3,tile,tile] input."""
        return self.forward_tile(lr, self.condition(z, text_tokens, text_mask), noise)


def bicubic_upsample(x: Tensor, scale: int) -> Tensor:
    """PyTorch's bicubic (the one op the Swift side must match exactly).

    F.interpolate(mode='bicubic', align_corners=False, no antialias), for each axis separately:
      src = (dst + 0.5) / scale - 0.5            (not clamped at 0, unlike bilinear)
      i0 = floor(src), t = src - i0; taps i0-1 .. i0+2, each index clamped to [0, n-1] (edge replicate)
      Keys cubic convolution with A = -0.75:
        |x| <= 1:     ((A + 2)|x| - (A + 3)) x^2 + 1
        1 < |x| < 2:  ((A|x| - 5A)|x| + 8A)|x| - 4A
      weights (W(1+t), W(t), W(1-t), W(2-t)) for taps (i0-1, i0, i0+1, i0+2). No clamping of the result.
    """
    h, w = x.shape[-2:]
    return F.interpolate(x, size=(h * scale, w * scale), mode="bicubic", align_corners=False)


@torch.no_grad()
def randomize_for_parity(gen: Generator, seed: int = 0) -> Generator:
    """Give every parameter a random, non-trivial value so that each code path visibly affects the
    output (fresh init has zero biases, unit gammas, zero affine biases and a damped to_rgb, leaving
    the output close to the bicubic). For parity fixtures, not for training."""
    g = torch.Generator().manual_seed(seed)
    for name, p in gen.named_parameters():
        r = torch.randn(p.shape, generator=g)
        is_norm_scale = name.endswith("gamma") or (p.ndim == 1 and "norm" in name and name.endswith("weight"))
        if is_norm_scale:
            p.copy_(1.0 + 0.2 * r)
        elif name.endswith("affine.weight"):
            p.copy_(r / p.shape[1] ** 0.5)
        elif name.endswith("affine.bias"):
            p.copy_(0.5 * r)
        elif name.endswith("bias"):
            p.copy_(0.1 * r)
        elif name == "to_rgb.weight":
            p.copy_(r / p.shape[1] ** 0.5)
    return gen
