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


def _input_dim(name: str, tensor: torch.Tensor) -> int | None:
    """The dimension that indexes a weight's input channels: [N, out, in, k, k] for a kernel bank,
    [out, in, kh, kw] for a plain conv. None for biases, linears and anything else."""
    if not name.endswith("weight"):
        return None
    return {5: 2, 4: 1}.get(tensor.ndim)


@torch.no_grad()
def transplant(gen: Generator, state: dict[str, torch.Tensor]) -> list[str]:
    """Start `gen` (already through init_for_training) from a trained generator of other widths.

    Each tensor's overlapping leading slice is copied; a widened layer's new input columns are
    zeroed and its new output rows keep their fresh init. Widening a stage therefore leaves the
    trained function unchanged (the new channels are computed but read by nothing until training
    gives them a use), while a narrowed stage keeps its first channels; a conv whose kernel size
    changed (to_rgb becoming a sub-pixel head) and a layer the old generator lacks keep their fresh
    init. This holds for stages
    without a U-Net skip (concatenation appends the skip after the upsampled channels, so a wider
    stage there would misplace the skip's columns; transplant refuses that). Returns the names of
    the tensors whose shapes differed.
    """
    own = gen.state_dict()
    changed = []
    # modules whose kernel size changed (a sub-pixel to_rgb): nothing of the old function carries over
    other_kernel = {n.rsplit(".", 1)[0] for n, t in own.items()
                    if t.ndim >= 4 and n in state and state[n].shape[-2:] != t.shape[-2:]}
    for name, new in own.items():
        old = state.get(name)
        if old is None:
            changed.append(name)
            continue
        if old.shape == new.shape:
            new.copy_(old)
            continue
        if old.ndim != new.ndim:
            raise ValueError(f"{name}: {tuple(old.shape)} cannot become {tuple(new.shape)}")
        changed.append(name)
        if name.rsplit(".", 1)[0] in other_kernel:
            continue
        dim = _input_dim(name, new)
        if dim is not None and new.shape[dim] > old.shape[dim]:
            new.narrow(dim, old.shape[dim], new.shape[dim] - old.shape[dim]).zero_()
        overlap = tuple(slice(0, min(a, b)) for a, b in zip(old.shape, new.shape))
        new[overlap] = old[overlap]
    for j, src in enumerate(gen.skip_from):
        block = f"decoder.{j}.blocks.0.conv1.weight"
        if src is not None and block in changed:
            raise ValueError(f"decoder stage {j} concatenates a U-Net skip and changed width: "
                             "its columns cannot be carried over")
    return changed
