"""Generator configuration: one dataclass, stored as JSON in the weights file's metadata.

Every field is required when loading from JSON (but `subpixel_scale`, which files made before it
existed lack; absent means 1) and unknown fields are rejected, so a weights file
and the code that runs it can never silently disagree about the architecture.
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass
from typing import Any


class ConfigError(ValueError):
    """Raised for a malformed, incomplete or inconsistent generator config."""


@dataclass(frozen=True)
class GeneratorConfig:
    name: str
    # Geometry ------------------------------------------------------------------------------
    scale: int                    # 8 (default), 4 or 2: decoder stages = 3 + log2(scale / subpixel_scale)
    tile: int                     # LR tile side in px (64); must be divisible by 8
    # U-Net ---------------------------------------------------------------------------------
    encoder_widths: list[int]     # 3 stages at tile, tile/2, tile/4 px (each ends in a stride-2 conv)
    encoder_blocks: list[int]     # residual blocks per encoder stage
    bottleneck_width: int         # at tile/8 px: block, attention, block
    decoder_widths: list[int]     # 3 + log2(scale) stages at tile/4 ... tile*scale px
    decoder_blocks: list[int]     # residual blocks per decoder stage
    kernel_bank: int              # N kernels per style-adaptive conv
    kernel_size: int              # adaptive conv kernel side (3)
    # Attention (bottleneck and decoder stages, selected by resolution in px) ----------------
    self_attn_resolutions: list[int]
    self_attn_depths: list[int]   # layers per listed resolution
    cross_attn_resolutions: list[int]
    attn_heads: int               # heads for self- and cross-attention (head dim = width / heads)
    ff_mult: int                  # feed-forward hidden = ff_mult * width
    # Style ---------------------------------------------------------------------------------
    z_dim: int
    w_dim: int
    mapping_depth: int
    # Text ----------------------------------------------------------------------------------
    text_embed_dim: int           # frozen encoder hidden size (MiniLM: 384)
    max_tokens: int               # including [CLS] and [SEP] (<= 32)
    text_dim: int                 # width of the generator's own text transformer
    text_depth: int
    text_heads: int
    # Misc ----------------------------------------------------------------------------------
    noise_sigma: float            # sigma of the Gaussian noise added to the LR input
    skip_gain: float              # U-Net skips are multiplied by this before concatenation
    # Output head ---------------------------------------------------------------------------
    # 1: to_rgb is a 1x1 conv at the last decoder stage (tile*scale px). s > 1: the decoder stops
    # s times short of the output and to_rgb is a 3x3 conv to 3*s*s channels, pixel-shuffled by s,
    # so the finest detail is drawn from features at the lower resolution (sub-pixel convolution).
    # Optional in JSON (absent = 1: the files made before the field existed).
    subpixel_scale: int = 1

    # ------------------------------------------------------------------------------------------
    @property
    def num_up(self) -> int:
        return 3 + int(round(math.log2(self.scale // self.subpixel_scale)))

    @property
    def to_rgb_kernel(self) -> int:
        return 1 if self.subpixel_scale == 1 else 3

    @property
    def bottleneck_res(self) -> int:
        return self.tile // 8

    def encoder_res(self, i: int) -> int:
        return self.tile >> i

    def decoder_res(self, j: int) -> int:
        return self.bottleneck_res << (j + 1)

    def self_attn_depth_at(self, res: int) -> int:
        for r, d in zip(self.self_attn_resolutions, self.self_attn_depths):
            if r == res:
                return d
        return 0

    def has_cross_attn_at(self, res: int) -> bool:
        return res in self.cross_attn_resolutions

    # ------------------------------------------------------------------------------------------
    def validate(self) -> "GeneratorConfig":
        def need(cond: bool, msg: str) -> None:
            if not cond:
                raise ConfigError(f"config {self.name!r}: {msg}")

        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            t = f.type
            if t == "int":
                need(isinstance(v, int) and not isinstance(v, bool), f"{f.name} must be an int, got {v!r}")
            elif t == "float":
                need(isinstance(v, (int, float)) and not isinstance(v, bool), f"{f.name} must be a number, got {v!r}")
            elif t == "str":
                need(isinstance(v, str), f"{f.name} must be a string, got {v!r}")
            elif t == "list[int]":
                need(isinstance(v, list) and all(isinstance(x, int) and not isinstance(x, bool) for x in v),
                     f"{f.name} must be a list of ints, got {v!r}")
        need(self.scale in (2, 4, 8), f"scale must be 2, 4 or 8, got {self.scale}")
        need(self.subpixel_scale in (1, 2, 4, 8) and self.subpixel_scale <= self.scale,
             f"subpixel_scale must be 1, 2, 4 or 8 and at most scale, got {self.subpixel_scale}")
        need(self.tile >= 8 and self.tile % 8 == 0, f"tile must be a positive multiple of 8, got {self.tile}")
        need(len(self.encoder_widths) == 3, "encoder_widths needs 3 entries (one per downsampling stage)")
        need(len(self.encoder_blocks) == 3, "encoder_blocks needs 3 entries")
        need(len(self.decoder_widths) == self.num_up,
             f"decoder_widths needs 3 + log2(scale / subpixel_scale) = {self.num_up} entries, got {len(self.decoder_widths)}")
        need(len(self.decoder_blocks) == self.num_up, f"decoder_blocks needs {self.num_up} entries")
        need(all(x > 0 for x in self.encoder_widths + self.decoder_widths + [self.bottleneck_width]),
             "widths must be positive")
        need(all(x >= 1 for x in self.encoder_blocks + self.decoder_blocks),
             "every stage needs at least one residual block")
        need(self.kernel_bank >= 1, "kernel_bank must be >= 1")
        need(self.kernel_size >= 1 and self.kernel_size % 2 == 1, "kernel_size must be odd")
        need(len(self.self_attn_resolutions) == len(self.self_attn_depths),
             "self_attn_resolutions and self_attn_depths must have the same length")
        need(len(set(self.self_attn_resolutions)) == len(self.self_attn_resolutions),
             "self_attn_resolutions has duplicates")
        need(all(d >= 1 for d in self.self_attn_depths), "self_attn_depths must be >= 1")
        attn_res = {self.bottleneck_res} | {self.decoder_res(j) for j in range(self.num_up)}
        for r in self.self_attn_resolutions + self.cross_attn_resolutions:
            need(r in attn_res, f"attention resolution {r} is not a bottleneck/decoder resolution {sorted(attn_res)}")
        for r in set(self.self_attn_resolutions) | set(self.cross_attn_resolutions):
            width = self.width_at(r)
            need(width % self.attn_heads == 0, f"width {width} at {r} px is not divisible by attn_heads")
        need(self.ff_mult >= 1, "ff_mult must be >= 1")
        need(self.z_dim >= 1 and self.w_dim >= 1 and self.mapping_depth >= 1, "bad mapping dims")
        need(self.text_embed_dim >= 1 and self.text_dim >= 1 and self.text_depth >= 0, "bad text dims")
        need(2 <= self.max_tokens <= 32, "max_tokens must be in [2, 32]")
        need(self.text_dim % self.text_heads == 0, "text_dim must be divisible by text_heads")
        need(self.noise_sigma >= 0, "noise_sigma must be >= 0")
        return self

    def width_at(self, res: int) -> int:
        if res == self.bottleneck_res:
            return self.bottleneck_width
        for j in range(self.num_up):
            if self.decoder_res(j) == res:
                return self.decoder_widths[j]
        raise ConfigError(f"no bottleneck/decoder stage at {res} px")

    # ------------------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Every field, except optional ones at their default (so files of the older architectures
        stay byte-identical and readable by older readers)."""
        out = {}
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            if f.default is dataclasses.MISSING or v != f.default:
                out[f.name] = list(v) if isinstance(v, list) else v
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=False, separators=(",", ":"))

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "GeneratorConfig":
        if not isinstance(d, dict):
            raise ConfigError(f"generator config must be a JSON object, got {type(d).__name__}")
        names = [f.name for f in dataclasses.fields(cls)]
        optional = {f.name: f.default for f in dataclasses.fields(cls) if f.default is not dataclasses.MISSING}
        unknown = sorted(set(d) - set(names))
        missing = [n for n in names if n not in d and n not in optional]
        if unknown:
            raise ConfigError(f"unknown generator config field(s): {', '.join(unknown)} "
                              f"(known: {', '.join(names)})")
        if missing:
            raise ConfigError(f"missing generator config field(s): {', '.join(missing)}")
        return cls(**{n: d.get(n, optional.get(n)) for n in names}).validate()

    @classmethod
    def from_json(cls, s: str) -> "GeneratorConfig":
        try:
            d = json.loads(s)
        except json.JSONDecodeError as e:
            raise ConfigError(f"generator config is not valid JSON: {e}") from None
        return cls.from_dict(d)


def _cfg(**kw: Any) -> GeneratorConfig:
    return GeneratorConfig(**kw).validate()


_COMMON = dict(scale=8, tile=64, kernel_size=3, text_embed_dim=384, max_tokens=32,
               noise_sigma=0.02, skip_gain=0.5)

_SMALL = dict(
    **_COMMON,
    encoder_widths=[32, 64, 96], encoder_blocks=[1, 1, 1],
    bottleneck_width=128,
    decoder_widths=[128, 96, 64, 48, 32, 20], decoder_blocks=[1, 1, 1, 1, 1, 1],
    kernel_bank=4,
    self_attn_resolutions=[8, 16], self_attn_depths=[2, 1], cross_attn_resolutions=[8, 16],
    attn_heads=4, ff_mult=2,
    z_dim=64, w_dim=256, mapping_depth=4,
    text_dim=128, text_depth=2, text_heads=4,
)

CONFIGS: dict[str, GeneratorConfig] = {
    # CPU default: ~10 GFLOP per 64 px LR tile (512 px output), a few M parameters.
    "gigagan-8x-s": _cfg(name="gigagan-8x-s", **_SMALL),
    # gigagan-8x-s with the 512 px stage at 16 channels (oneDNN's block; 20 ran as 32) and the
    # 128 px stage at 64, the width and resolution of x4plus's trunk on a ×2-enlarged input
    # (Training/README, "Distillation"): fewer FLOPs, more capacity where the teacher works.
    "gigagan-8x-s-v2": _cfg(name="gigagan-8x-s-v2", **{**_SMALL, "decoder_widths": [128, 96, 64, 64, 32, 16]}),
    # gigagan-8x-s-v2's stages up to 128 px, deeper at 64 and 128 px, and a sub-pixel head from
    # 128 px instead of the bilinear 256 and 512 px stages: the capacity where x4plus's trunk works
    # on a ×2-enlarged input (Training/README, "Distillation"), 9.2 GFLOP a tile.
    "gigagan-8x-s-v3": _cfg(name="gigagan-8x-s-v3", **{**_SMALL, "decoder_widths": [128, 96, 64, 64],
                                                       "decoder_blocks": [1, 1, 3, 2], "subpixel_scale": 4}),
    # Larger model for machines with time to spare.
    "gigagan-8x-m": _cfg(
        name="gigagan-8x-m", **_COMMON,
        encoder_widths=[48, 96, 192], encoder_blocks=[2, 2, 2],
        bottleneck_width=256,
        decoder_widths=[256, 192, 128, 64, 48, 32], decoder_blocks=[2, 2, 2, 1, 1, 1],
        kernel_bank=4,
        self_attn_resolutions=[8, 16, 32], self_attn_depths=[4, 2, 1], cross_attn_resolutions=[8, 16, 32],
        attn_heads=8, ff_mult=4,
        z_dim=128, w_dim=512, mapping_depth=4,
        text_dim=256, text_depth=4, text_heads=8,
    ),
    # Parity fixtures: a few thousand parameters, still every code path (bank > 1, several blocks,
    # width changes with 1x1 residual convs, self + cross attention at two resolutions, depth 2).
    "tiny": _cfg(
        name="tiny", **{**_COMMON, "max_tokens": 16},
        encoder_widths=[4, 4, 8], encoder_blocks=[1, 2, 1],
        bottleneck_width=8,
        decoder_widths=[8, 4, 4, 4, 4, 4], decoder_blocks=[2, 1, 1, 1, 1, 1],
        kernel_bank=2,
        self_attn_resolutions=[8, 16], self_attn_depths=[2, 1], cross_attn_resolutions=[8, 32],
        attn_heads=2, ff_mult=2,
        z_dim=4, w_dim=8, mapping_depth=2,
        text_dim=8, text_depth=1, text_heads=2,
    ),
}


# The sub-pixel head's parity fixture: `tiny` with a 4-stage decoder and to_rgb shuffled ×4, on a
# 16 px tile (attention and skips still at several stages) so that its output file stays small.
CONFIGS["tiny-subpixel"] = _cfg(**{
    **CONFIGS["tiny"].to_dict(), "name": "tiny-subpixel", "tile": 16,
    "decoder_widths": [8, 4, 4, 4], "decoder_blocks": [2, 1, 1, 1], "subpixel_scale": 4})


def get_config(name: str) -> GeneratorConfig:
    try:
        return CONFIGS[name]
    except KeyError:
        raise ConfigError(f"unknown generator config {name!r} (known: {', '.join(CONFIGS)})") from None
