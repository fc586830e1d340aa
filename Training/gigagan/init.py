"""Initialisation for training (the parity fixtures keep PyTorch's defaults).

PyTorch's default conv init scales a layer's output by about 1/√3 of its input, and the plain
convs of the U-Net (stem, stride-2 downs, the decoder's 1×1 `up`s, width-changing skips) sit in
series: measured on gigagan-8x-s at init, the part of the 512 px decoder features that depends on
the input had shrunk to 0.0009 (std) under an input-independent part of 0.07 made of biases and the
attention stages' output — the generator could not even overfit two crops, while a plain 4-layer
CNN could. So: plain convs variance-preserving (std 1/√fan_in), their biases zero, and every
attention residual branch (to_out, the feed-forward's fc2) starting at zero, so each attention
stage is the identity until it learns something. to_rgb stays damped (×0.1) so training starts at
the bicubic.
"""

from __future__ import annotations

import torch
from torch import nn

from .generator import Generator
from .layers import AttnStage


@torch.no_grad()
def init_for_training(gen: Generator) -> Generator:
    for name, mod in gen.named_modules():
        if isinstance(mod, nn.Conv2d):
            fan_in = mod.in_channels // mod.groups * mod.kernel_size[0] * mod.kernel_size[1]
            mod.weight.normal_(0.0, fan_in ** -0.5)
            if mod.bias is not None:
                mod.bias.zero_()
        if isinstance(mod, AttnStage):
            for sub_name, sub in mod.named_modules():
                if isinstance(sub, nn.Linear) and (sub_name.endswith("to_out") or sub_name.endswith("fc2")):
                    sub.weight.zero_()
                    if sub.bias is not None:
                        sub.bias.zero_()
    gen.to_rgb.weight.mul_(0.1)
    return gen
