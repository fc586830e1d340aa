"""Reconstruction losses for stage 1 (and the reconstruction term of stage 2)."""

from __future__ import annotations

import torch
from torch import Tensor


def l1(out: Tensor, ref: Tensor) -> Tensor:
    return (out - ref).abs().mean()


def mse(out: Tensor, ref: Tensor) -> Tensor:
    """The PSNR objective itself. At 8x the residual over bicubic is uncertain; L1 drives it to the
    conditional median, which early in training is zero everywhere, MSE to the mean."""
    return (out - ref).square().mean()


def frequency_l1(out: Tensor, ref: Tensor) -> Tensor:
    """Mean absolute difference of the orthonormal 2-D spectra (real and imaginary parts).

    Pixel L1 alone lets an upsampler trade fine detail for a safe blur; comparing the spectra puts
    the missing high frequencies into the loss with the same weight as the low ones. With
    norm="ortho" the spectrum has the image's energy, so this term lives on the scale of L1.
    """
    fo = torch.fft.rfft2(out.float(), norm="ortho")
    fr = torch.fft.rfft2(ref.float(), norm="ortho")
    return (torch.view_as_real(fo) - torch.view_as_real(fr)).abs().mean()
