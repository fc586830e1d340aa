"""Building blocks of the GigaGAN-8x generator.

Only ops that the Swift engine has are used: conv2d, the style-adaptive conv, linear, softmax,
dot-product attention with a key mask, tied-L2 self-attention, RMSNorm, LayerNorm, SiLU, GELU(erf),
LeakyReLU(0.2), bilinear upsampling, concat, add, scale. Attention layers work on token sequences
[B, L, C] with tokens in row-major (y, x) order and head-major channels (channel = head * d + i).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import Tensor, nn

RES_GAIN = 2 ** -0.5  # residual blocks return (skip(x) + branch) * RES_GAIN


# ------------------------------------------------------------------------------------------------
# Norms


class RMSNorm(nn.Module):
    """x / max(||x||_2 over the last axis, 1e-12) * gamma * sqrt(C). Works on [..., C]."""

    def __init__(self, dim: int):
        super().__init__()
        self.gamma = nn.Parameter(torch.ones(dim))
        self.dim = dim

    def forward(self, x: Tensor) -> Tensor:
        return F.normalize(x, dim=-1, eps=1e-12) * self.gamma * math.sqrt(self.dim)


# ------------------------------------------------------------------------------------------------
# Style-adaptive convolution


class StyleAdaptiveConv(nn.Module):
    """A bank of N kernels mixed per image, then StyleGAN2 modulation and demodulation.

    Parameters:
      weight  [N, out, in, k, k]   the kernel bank
      affine  Linear(w_dim -> N + in); output split as [kernel logits (N) | modulation s (in)]
      bias    [out]                added after the convolution (the adaptive conv op itself has none)

    prepare(w) (once per image):
      a = softmax(logits); W = sum_n a_n W_n; W[o, i] *= (1 + s_i);
      W[o] *= rsqrt(max(sum_{i,kh,kw} W[o]^2, 1e-8))
    forward(x, kernel): conv2d(x, kernel, stride 1, zero padding (k-1)/2) + bias
    """

    def __init__(self, cin: int, cout: int, k: int, n: int, w_dim: int):
        super().__init__()
        self.cin, self.cout, self.k, self.n = cin, cout, k, n
        self.weight = nn.Parameter(torch.randn(n, cout, cin, k, k))
        self.affine = nn.Linear(w_dim, n + cin)
        self.bias = nn.Parameter(torch.zeros(cout))
        with torch.no_grad():
            self.affine.weight.mul_(0.25)
            self.affine.bias.zero_()

    def prepare(self, w: Tensor) -> Tensor:
        a = self.affine(w)
        logits, s = a[:, : self.n], a[:, self.n :]
        mix = torch.softmax(logits, dim=1)
        kernel = torch.einsum("bn,noikl->boikl", mix, self.weight)
        kernel = kernel * (1.0 + s)[:, None, :, None, None]
        demod = torch.rsqrt(torch.clamp(kernel.square().sum(dim=(2, 3, 4), keepdim=True), min=1e-8))
        return kernel * demod

    def forward(self, x: Tensor, kernel: Tensor) -> Tensor:
        pad = (self.k - 1) // 2
        b, _, h, w = x.shape
        if kernel.shape[0] == 1:
            y = F.conv2d(x, kernel[0], padding=pad)
        elif kernel.shape[0] == b:
            y = F.conv2d(x.reshape(1, b * self.cin, h, w),
                         kernel.reshape(b * self.cout, self.cin, self.k, self.k), padding=pad, groups=b)
            y = y.reshape(b, self.cout, h, w)
        else:
            raise ValueError(f"conditioning batch {kernel.shape[0]} does not match tile batch {b}")
        return y + self.bias[None, :, None, None]


class ResBlock(nn.Module):
    """Pre-activation residual block of two style-adaptive convs:
    out = (skip(x) + conv2(silu(conv1(silu(x))))) * RES_GAIN, skip = 1x1 conv (with bias) when widths differ."""

    def __init__(self, cin: int, cout: int, k: int, n: int, w_dim: int):
        super().__init__()
        self.conv1 = StyleAdaptiveConv(cin, cout, k, n, w_dim)
        self.conv2 = StyleAdaptiveConv(cout, cout, k, n, w_dim)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else None

    def forward(self, x: Tensor, kernels: dict[str, Tensor], prefix: str) -> Tensor:
        h = self.conv1(F.silu(x), kernels[prefix + ".conv1"])
        h = self.conv2(F.silu(h), kernels[prefix + ".conv2"])
        s = self.skip(x) if self.skip is not None else x
        return (s + h) * RES_GAIN


# ------------------------------------------------------------------------------------------------
# Attention on token sequences


def _heads(x: Tensor, heads: int) -> Tensor:
    b, l, c = x.shape
    return x.reshape(b, l, heads, c // heads).transpose(1, 2)  # [B, h, L, d]


def _merge(x: Tensor) -> Tensor:
    b, h, l, d = x.shape
    return x.transpose(1, 2).reshape(b, l, h * d)


def dot_attention(q: Tensor, k: Tensor, v: Tensor, scale: float, key_mask: Tensor | None) -> Tensor:
    """softmax(scale * q k^T, over keys; masked keys get -inf) v. q [B,h,L,d], k/v [B,h,T,d], key_mask [B,T] bool."""
    logits = torch.matmul(q, k.transpose(-1, -2)) * scale
    if key_mask is not None:
        logits = logits.masked_fill(~key_mask[:, None, None, :], float("-inf"))
    return torch.matmul(torch.softmax(logits, dim=-1), v)


def tied_l2_attention(q: Tensor, v: Tensor, scale: float) -> Tensor:
    """Self-attention with tied query/key and L2-distance logits: logits_ij = -scale * ||q_i - q_j||^2."""
    sq = q.square().sum(-1)                                    # [B,h,L]
    d2 = sq[..., :, None] + sq[..., None, :] - 2.0 * torch.matmul(q, q.transpose(-1, -2))
    return torch.matmul(torch.softmax(-scale * d2, dim=-1), v)


class TiedL2SelfAttention(nn.Module):
    """x + to_out(attn(RMSNorm(x))); q = k = to_qk(.), v = to_v(.), scale = 1/sqrt(head dim)."""

    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.norm = RMSNorm(dim)
        self.to_qk = nn.Linear(dim, dim, bias=False)
        self.to_v = nn.Linear(dim, dim, bias=False)
        self.to_out = nn.Linear(dim, dim)

    def forward(self, x: Tensor) -> Tensor:
        n = self.norm(x)
        q = _heads(self.to_qk(n), self.heads)
        v = _heads(self.to_v(n), self.heads)
        return x + self.to_out(_merge(tied_l2_attention(q, v, self.scale)))


class CrossAttention(nn.Module):
    """x + to_out(attn(q = to_q(RMSNorm(x)), k = to_k(t), v = to_v(t), key mask)); scale = 1/sqrt(head dim).
    k and v depend only on the text, so they are computed once per image (prepare)."""

    def __init__(self, dim: int, text_dim: int, heads: int):
        super().__init__()
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.norm = RMSNorm(dim)
        self.to_q = nn.Linear(dim, dim, bias=False)
        self.to_k = nn.Linear(text_dim, dim, bias=False)
        self.to_v = nn.Linear(text_dim, dim, bias=False)
        self.to_out = nn.Linear(dim, dim)

    def prepare(self, t_local: Tensor) -> tuple[Tensor, Tensor]:
        return _heads(self.to_k(t_local), self.heads), _heads(self.to_v(t_local), self.heads)

    def forward(self, x: Tensor, kv: tuple[Tensor, Tensor], mask: Tensor) -> Tensor:
        k, v = kv
        b = x.shape[0]
        if k.shape[0] != b:
            if k.shape[0] != 1:
                raise ValueError(f"conditioning batch {k.shape[0]} does not match tile batch {b}")
            k, v, mask = k.expand(b, -1, -1, -1), v.expand(b, -1, -1, -1), mask.expand(b, -1)
        q = _heads(self.to_q(self.norm(x)), self.heads)
        return x + self.to_out(_merge(dot_attention(q, k, v, self.scale, mask)))


class FeedForward(nn.Module):
    """x + fc2(GELU(fc1(norm(x)))); norm is RMSNorm in the image path, LayerNorm in the text path."""

    def __init__(self, dim: int, mult: int, layernorm: bool = False):
        super().__init__()
        self.norm = nn.LayerNorm(dim) if layernorm else RMSNorm(dim)
        self.fc1 = nn.Linear(dim, dim * mult)
        self.fc2 = nn.Linear(dim * mult, dim)

    def forward(self, x: Tensor) -> Tensor:
        return x + self.fc2(F.gelu(self.fc1(self.norm(x))))


class AttnLayer(nn.Module):
    """One attention layer on an image stage: [tied-L2 self-attention] -> [cross-attention] -> feed-forward."""

    def __init__(self, dim: int, heads: int, ff_mult: int, self_attn: bool, cross: bool, text_dim: int):
        super().__init__()
        self.self_attn = TiedL2SelfAttention(dim, heads) if self_attn else None
        self.cross_attn = CrossAttention(dim, text_dim, heads) if cross else None
        self.ff = FeedForward(dim, ff_mult)


class AttnStage(nn.Module):
    """Attention layers at one resolution. Feature map [B,C,H,W] <-> tokens [B,HW,C] (row-major)."""

    def __init__(self, dim: int, heads: int, ff_mult: int, depth: int, cross: bool, text_dim: int):
        super().__init__()
        n = max(depth, 1)
        self.layers = nn.ModuleList(
            AttnLayer(dim, heads, ff_mult, self_attn=i < depth, cross=cross, text_dim=text_dim) for i in range(n))

    def forward(self, x: Tensor, cross_kv: dict, mask: Tensor, prefix: str) -> Tensor:
        b, c, h, w = x.shape
        t = x.flatten(2).transpose(1, 2)
        for i, layer in enumerate(self.layers):
            if layer.self_attn is not None:
                t = layer.self_attn(t)
            if layer.cross_attn is not None:
                t = layer.cross_attn(t, cross_kv[f"{prefix}.layers.{i}.cross_attn"], mask)
            t = layer.ff(t)
        return t.transpose(1, 2).reshape(b, c, h, w)


# ------------------------------------------------------------------------------------------------
# Text side and mapping network


class TextAttention(nn.Module):
    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.norm = nn.LayerNorm(dim)
        self.to_q = nn.Linear(dim, dim)
        self.to_k = nn.Linear(dim, dim)
        self.to_v = nn.Linear(dim, dim)
        self.to_out = nn.Linear(dim, dim)

    def forward(self, x: Tensor, mask: Tensor) -> Tensor:
        n = self.norm(x)
        q, k, v = (_heads(f(n), self.heads) for f in (self.to_q, self.to_k, self.to_v))
        return x + self.to_out(_merge(dot_attention(q, k, v, self.scale, mask)))


class TextLayer(nn.Module):
    def __init__(self, dim: int, heads: int, ff_mult: int):
        super().__init__()
        self.attn = TextAttention(dim, heads)
        self.ff = FeedForward(dim, ff_mult, layernorm=True)


class TextTransformer(nn.Module):
    """Frozen-encoder token features [B,T,E] -> (t_global [B,D], t_local [B,T,D]).

    x = proj_in(features); prepend a learned global token; depth x pre-LN [attention with key mask, FF];
    final LayerNorm. t_global = output token 0, t_local = the remaining T tokens (same mask as the input).
    """

    def __init__(self, embed_dim: int, dim: int, depth: int, heads: int, ff_mult: int):
        super().__init__()
        self.proj_in = nn.Linear(embed_dim, dim)
        self.global_token = nn.Parameter(torch.randn(dim) * 0.02)
        self.layers = nn.ModuleList(TextLayer(dim, heads, ff_mult) for _ in range(depth))
        self.norm_out = nn.LayerNorm(dim)

    def forward(self, feats: Tensor, mask: Tensor) -> tuple[Tensor, Tensor]:
        b = feats.shape[0]
        x = self.proj_in(feats)
        x = torch.cat([self.global_token.expand(b, 1, -1), x], dim=1)
        m = torch.cat([torch.ones(b, 1, dtype=torch.bool, device=mask.device), mask], dim=1)
        for layer in self.layers:
            x = layer.attn(x, m)
            x = layer.ff(x)
        x = self.norm_out(x)
        return x[:, 0], x[:, 1:]


class Mapping(nn.Module):
    """w = depth x [Linear, LeakyReLU(0.2)] applied to concat(z / max(||z||, 1e-12), t_global)."""

    def __init__(self, z_dim: int, text_dim: int, w_dim: int, depth: int):
        super().__init__()
        dims = [z_dim + text_dim] + [w_dim] * depth
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(dims[:-1], dims[1:]))
        with torch.no_grad():  # He init for LeakyReLU(0.2), so w keeps unit scale through the depth
            for lin in self.layers:
                nn.init.kaiming_normal_(lin.weight, a=0.2, nonlinearity="leaky_relu")
                lin.bias.zero_()

    def forward(self, z: Tensor, t_global: Tensor) -> Tensor:
        x = torch.cat([F.normalize(z, dim=1, eps=1e-12), t_global], dim=1)
        for lin in self.layers:
            x = F.leaky_relu(lin(x), 0.2)
        return x
