"""8x teachers made from the 4x x4plus. Each maps an LR batch [B,3,h,w] in [0,1] to [B,3,8h,8w]
and also returns x4plus's trunk feature (64 channels) for the student's hint loss.

  lanczos    x4plus, then Lanczos-3 ×2                        (trunk at h×w)
  bicubic2   x4plus on a bicubic ×2 enlargement of the input  (trunk at 2h×2w)
  twice      x4plus, x4plus again, then area ÷2               (trunk of the first pass, h×w)
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch import Tensor

from .ncnn_file import load_x4plus
from .rrdbnet import RRDBNet

VARIANTS = ("lanczos", "bicubic2", "twice")


def _lanczos2(x: Tensor) -> Tensor:
    """Lanczos-3 ×2 per channel with PIL (float32), as the tool's Lanczos resampler does."""
    b, c, h, w = x.shape
    out = np.empty((b, c, 2 * h, 2 * w), dtype=np.float32)
    arr = x.float().cpu().numpy()
    for i in range(b):
        for j in range(c):
            out[i, j] = np.asarray(Image.fromarray(arr[i, j], mode="F").resize((2 * w, 2 * h), Image.LANCZOS))
    return torch.from_numpy(out)


class Teacher8x:
    def __init__(self, variant: str, net: RRDBNet | None = None):
        if variant not in VARIANTS:
            raise ValueError(f"unknown 8x teacher {variant!r} (known: {', '.join(VARIANTS)})")
        self.variant = variant
        self.net = net if net is not None else load_x4plus()

    @torch.no_grad()
    def __call__(self, lr: Tensor) -> tuple[Tensor, Tensor]:
        """(8x output clamped to [0, 1], trunk feature)."""
        net = self.net
        if self.variant == "bicubic2":
            up = F.interpolate(lr, scale_factor=2, mode="bicubic", align_corners=False).clamp(0, 1)
            trunk = net.trunk(up)
            out = net.upsample(trunk)
        else:
            trunk = net.trunk(lr)
            x4 = net.upsample(trunk).clamp(0, 1)
            out = _lanczos2(x4) if self.variant == "lanczos" else F.avg_pool2d(net(x4).clamp(0, 1), 2)
        return out.clamp(0, 1), trunk
