"""The generator's losses: reconstruction (stage 1, and stage 2's anchor) and texture statistics (stage 2)."""

from __future__ import annotations

import torch
from torch import Tensor

from .data import gaussian_blur
from .metrics import gray


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
    return (_spectrum(out) - _spectrum(ref)).abs().mean()


def _spectrum(image: Tensor) -> Tensor:
    """The orthonormal `rfft2` of an image as real and imaginary parts (last axis of 2)."""
    return torch.view_as_real(torch.fft.rfft2(image.float(), norm="ortho"))


def lr_grid_mask(height: int, width: int, period: int, halfwidth: int = 1) -> Tensor:
    """Bins of an `rfft2` spectrum of a height×width image on the lines of the LR pixel grid: a
    frequency index within `halfwidth` of a nonzero multiple of size/period along either axis."""
    def near_grid(n: int, indices: Tensor) -> Tensor:
        step = n // period
        signed = torch.minimum(indices, n - indices)  # |frequency| in bins
        offset = signed % step
        distance = torch.minimum(offset, step - offset)
        return (distance <= halfwidth) & (signed > halfwidth)
    rows = near_grid(height, torch.arange(height))
    cols = near_grid(width, torch.arange(width // 2 + 1))
    return rows[:, None] | cols[None, :]


def lr_grid_l1(out: Tensor, ref: Tensor, period: int = 8) -> Tensor:
    """Mean absolute difference of the orthonormal spectra on the LR pixel grid's frequencies only.

    Phase-free texture terms (`local_band_energy_l1`) let an upsampler meet a band's energy with
    dots at the LR pixel period, which its bilinearly enlarged features draw cheaply. This term
    holds the output's spectrum to the reference's exactly there (where a clean image has little),
    and leaves every other frequency to the texture statistics.
    """
    mask = lr_grid_mask(out.shape[-2], out.shape[-1], period).to(out.device)
    return (_spectrum(out) - _spectrum(ref)).abs()[..., mask, :].mean()


def lr_phase_energy(image: Tensor, period: int = 8, sigma: float = 1.0) -> Tensor:
    """How the high-pass energy of the luma splits over the `period`² positions within an LR pixel:
    [B, period, period], normalised to mean 1. A clean enlargement spreads its detail evenly over
    them; dots and staircases drawn on the LR grid pile it onto a few."""
    y = gray(image).float()
    energy = (y - gaussian_blur(y, sigma)).square()
    b, _, h, w = energy.shape
    phases = energy[..., :h // period * period, :w // period * period] \
        .reshape(b, h // period, period, w // period, period).mean(dim=(1, 3))
    return phases / (phases.mean(dim=(1, 2), keepdim=True) + 1e-12)


def lr_phase_l1(out: Tensor, ref: Tensor, period: int = 8) -> Tensor:
    """Mean absolute difference of `lr_phase_energy`: holds the output's detail to be spread over
    the LR pixel's positions as the reference's is, whatever its amount (the texture term's job)."""
    return (lr_phase_energy(out, period) - lr_phase_energy(ref, period)).abs().mean()


def local_band_energy_l1(out: Tensor, ref: Tensor, sigmas: tuple[float, ...] = (0.7, 1.4, 2.8),
                         window: float = 8.0) -> Tensor:
    """Mean absolute difference of the local RMS of band-passed luma: a texture-statistics loss.

    At 8x the fine detail above the LR image's Nyquist frequency is not recoverable in phase, so
    MSE and the spectrum L1 both push the output to a blur (the conditional mean). This term only
    asks that each neighbourhood (Gaussian window, σ = `window` HR px) carry as much band-pass
    energy as the original in each band (differences of Gaussians σ → 2σ), wherever its crests
    fall; the discriminator decides what that detail should look like.
    """
    yo, yr = gray(out).float(), gray(ref).float()
    total = out.new_zeros((), dtype=torch.float32)
    for s in sigmas:
        bands = [gaussian_blur(y, s) - gaussian_blur(y, 2 * s) for y in (yo, yr)]
        rms = [(gaussian_blur(b.square(), window) + 1e-8).sqrt() for b in bands]
        total = total + (rms[0] - rms[1]).abs().mean()
    return total / len(sigmas)


def charbonnier(out: Tensor, ref: Tensor, eps: float = 1e-3) -> Tensor:
    """A smooth L1: quadratic within `eps`, so small residuals still get a gradient of their size."""
    return ((out - ref).square() + eps * eps).sqrt().mean()


def lowpass_mse(out: Tensor, ref: Tensor, factor: int = 8) -> Tensor:
    """MSE of the two images area-averaged by `factor`: holds colour and layout, not detail."""
    pool = torch.nn.functional.avg_pool2d
    return (pool(out.float(), factor) - pool(ref.float(), factor)).square().mean()
