"""RRDBNet (ESRGAN's generator, Wang et al. 2018), the architecture of Real-ESRGAN x4plus.

    conv_first 3→64 ─► trunk: 23 RRDBs, conv_body, + conv_first's output  (64 ch at input size)
    ─► 2 × (nearest ×2, conv, LeakyReLU 0.2) ─► conv_hr, LeakyReLU ─► conv_last 64→3

RDB: five 3×3 convs with dense connections (growth 32), LeakyReLU 0.2 after the first four, the
fifth's output scaled by 0.2 and added to the input; an RRDB chains three RDBs and scales their
output by 0.2 before its own residual addition. Input and output are RGB in [0, 1].
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn


def _lrelu(x: Tensor) -> Tensor:
    return F.leaky_relu(x, 0.2)


class DenseBlock(nn.Module):
    def __init__(self, width: int = 64, growth: int = 32):
        super().__init__()
        self.convs = nn.ModuleList(nn.Conv2d(width + i * growth, growth if i < 4 else width, 3, padding=1)
                                   for i in range(5))

    def forward(self, x: Tensor) -> Tensor:
        feats = [x]
        for conv in self.convs[:4]:
            feats.append(_lrelu(conv(torch.cat(feats, 1))))
        return x + 0.2 * self.convs[4](torch.cat(feats, 1))


class RRDB(nn.Module):
    def __init__(self, width: int = 64, growth: int = 32):
        super().__init__()
        self.blocks = nn.Sequential(*(DenseBlock(width, growth) for _ in range(3)))

    def forward(self, x: Tensor) -> Tensor:
        return x + 0.2 * self.blocks(x)


class RRDBNet(nn.Module):
    def __init__(self, width: int = 64, growth: int = 32, blocks: int = 23):
        super().__init__()
        self.conv_first = nn.Conv2d(3, width, 3, padding=1)
        self.body = nn.Sequential(*(RRDB(width, growth) for _ in range(blocks)))
        self.conv_body = nn.Conv2d(width, width, 3, padding=1)
        self.conv_up1 = nn.Conv2d(width, width, 3, padding=1)
        self.conv_up2 = nn.Conv2d(width, width, 3, padding=1)
        self.conv_hr = nn.Conv2d(width, width, 3, padding=1)
        self.conv_last = nn.Conv2d(width, 3, 3, padding=1)

    def convs(self) -> list[nn.Conv2d]:
        """Every conv in execution order (the order of the ncnn graph's Convolution layers)."""
        return [m for m in self.modules() if isinstance(m, nn.Conv2d)]

    def trunk(self, x: Tensor) -> Tensor:
        """The 64-channel feature map at the input's resolution that the upsampler reads (hint target)."""
        feat = self.conv_first(x)
        return feat + self.conv_body(self.body(feat))

    def upsample(self, feat: Tensor) -> Tensor:
        feat = _lrelu(self.conv_up1(F.interpolate(feat, scale_factor=2, mode="nearest")))
        feat = _lrelu(self.conv_up2(F.interpolate(feat, scale_factor=2, mode="nearest")))
        return self.conv_last(_lrelu(self.conv_hr(feat)))

    def forward(self, x: Tensor) -> Tensor:
        return self.upsample(self.trunk(x))
