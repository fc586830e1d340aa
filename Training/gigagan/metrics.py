"""Image-quality metrics: one definition each, in NumPy for 8-bit RGB arrays [H, W, 3] (eval.eval,
eval.compare_teachers) and in torch for RGB tensors [3, H, W] in [0, 1] (the evaluations of
train.train and train.distill, and the luma of gigagan/losses.py). tests/test_metrics.py checks
that the two forms agree.

  luma       BT.601 Y: 16 + 219 · (0.299 R + 0.587 G + 0.114 B) on the 0–255 scale, the SR convention
  psnr_y     PSNR of that luma on 8-bit values, BORDER px cropped
  detail     variance of the Laplacian of the luma after a Gaussian blur (σ DETAIL_SIGMA px, cut at
             GAUSS_TRUNCATE σ, mirrored borders with the edge repeated: scipy.ndimage's defaults),
             output over reference (bicubic at 8x sits near 0.15; a faithful sharp result near 1.0)
NumPy only:
  ssim_y     SSIM of the same luma (scikit-image, Gaussian window σ 1.5, data range 255)
  ciede2000  mean CIEDE2000 between output and reference, both blurred with σ = 2 px
  niqe       no-reference naturalness (Mittal et al. 2013; lower is more natural), from
             scikit-video 1.1.11's bundled model; needs an image larger than 192 px each way

SciPy, scikit-image and scikit-video are imported only by the NumPy metrics that need them, so
training (also on a lent GPU machine) needs just torch and NumPy.
"""

from __future__ import annotations

import math
import sys
import types

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor

from .data import gaussian_blur, quantize8

BT601 = (0.299, 0.587, 0.114)     # luma weights of R, G, B
Y_OFFSET, Y_RANGE = 16.0, 219.0   # the studio-swing luma on the 0–255 scale: [16, 235]
BORDER = 8                        # px cropped on each side for PSNR-Y and SSIM-Y
DETAIL_SIGMA = 2.0                # px, the blur before the detail Laplacian (and before CIEDE2000)
GAUSS_TRUNCATE = 4.0              # the blur's radius in σ, as scipy.ndimage.gaussian_filter's default
LAPLACIAN = ((0.0, 1.0, 0.0), (1.0, -4.0, 1.0), (0.0, 1.0, 0.0))   # scipy.ndimage.laplace's stencil


# ------------------------------------------------------------------------------------------------
# NumPy, 8-bit RGB [H, W, 3]

def luma(rgb: np.ndarray) -> np.ndarray:
    """BT.601 Y in [16, 235] from 8-bit RGB (float64)."""
    gray = rgb[..., :3].astype(np.float64) @ np.array(BT601) / 255.0
    return Y_OFFSET + Y_RANGE * gray


def psnr_y_np(out: np.ndarray, ref: np.ndarray, border: int = BORDER) -> float:
    return _psnr_255(_crop(luma(out), border), _crop(luma(ref), border))


def detail_energy(rgb: np.ndarray) -> float:
    from scipy import ndimage
    return float(ndimage.laplace(ndimage.gaussian_filter(luma(rgb), DETAIL_SIGMA, truncate=GAUSS_TRUNCATE)).var())


def metrics(out: np.ndarray, ref: np.ndarray, border: int = BORDER) -> dict[str, float]:
    """psnr_y, ssim_y, detail and ciede2000 of 8-bit `out` against `ref`."""
    from scipy import ndimage
    from skimage.color import deltaE_ciede2000, rgb2lab
    from skimage.metrics import structural_similarity
    yo, yr = _crop(luma(out), border), _crop(luma(ref), border)
    ssim = structural_similarity(yo, yr, data_range=255.0, gaussian_weights=True, sigma=1.5,
                                 use_sample_covariance=False)
    blur = lambda im: np.stack([ndimage.gaussian_filter(im[..., c].astype(np.float64) / 255.0, DETAIL_SIGMA,
                                                        truncate=GAUSS_TRUNCATE) for c in range(3)], axis=-1)
    de = deltaE_ciede2000(rgb2lab(blur(ref)), rgb2lab(blur(out))).mean()
    return {"psnr_y": _psnr_255(yo, yr), "ssim_y": ssim, "detail": detail_energy(out) / detail_energy(ref),
            "ciede2000": de}


def _psnr_255(yo: np.ndarray, yr: np.ndarray) -> float:
    mse = np.mean((yo - yr) ** 2)
    return float(10 * np.log10(255.0 ** 2 / mse)) if mse > 0 else float("inf")


def _crop(y, border: int):
    return y[..., border:-border, border:-border] if border else y


# ------------------------------------------------------------------------------------------------
# torch, RGB [..., 3, H, W] in [0, 1]

def gray(rgb: Tensor) -> Tensor:
    """0.299 R + 0.587 G + 0.114 B of [B, 3, H, W] → [B, 1, H, W] (full range; the texture loss's luma)."""
    r, g, b = BT601
    return r * rgb[:, 0:1] + g * rgb[:, 1:2] + b * rgb[:, 2:3]


def luma_bt601(rgb: Tensor) -> Tensor:
    """`luma` of RGB in [0, 1], divided by 255 ([..., 3, H, W] → [..., H, W])."""
    r, g, b = rgb.unbind(-3)
    return (Y_OFFSET + Y_RANGE * (BT601[0] * r + BT601[1] * g + BT601[2] * b)) / 255.0


def psnr_y(out: Tensor, ref: Tensor, border: int = BORDER) -> float:
    """`psnr_y_np` of the two images quantised to 8 bits (in float64)."""
    a, b = (_crop(luma_bt601(quantize8(x).double()), border) for x in (out, ref))
    mse = torch.mean((a - b) ** 2).item()
    return float("inf") if mse == 0 else 10.0 * math.log10(1.0 / mse)


def detail_ratio(out: Tensor, ref: Tensor) -> float:
    """`detail_energy(out) / detail_energy(ref)` of [3, H, W] images (clamped, not quantised; float64)."""
    lap = torch.tensor(LAPLACIAN, dtype=torch.float64, device=out.device).view(1, 1, 3, 3)

    def energy(rgb: Tensor) -> float:
        y = luma_bt601(rgb.double().clamp(0, 1))[None, None]
        y = gaussian_blur(y, DETAIL_SIGMA, radius=int(GAUSS_TRUNCATE * DETAIL_SIGMA + 0.5), symmetric=True)
        return F.conv2d(F.pad(y, (1, 1, 1, 1), mode="replicate"), lap).var(correction=0).item()

    return energy(out) / energy(ref)


# ------------------------------------------------------------------------------------------------
# NIQE

def _imresize(img: np.ndarray, size: float, interp: str = "bicubic", mode: str = "F") -> np.ndarray:
    """The one use scikit-video makes of scipy.misc.imresize (removed in SciPy 1.3): scale a float
    image by a factor with PIL's bicubic, which is what imresize did."""
    from PIL import Image
    if interp != "bicubic" or mode != "F" or not np.isscalar(size):
        raise NotImplementedError(f"imresize shim: only a bicubic 'F' resize by a factor, got {interp}, {mode}")
    h, w = img.shape
    im = Image.fromarray(img.astype(np.float32), mode="F")
    return np.asarray(im.resize((int(w * size), int(h * size)), Image.BICUBIC))


def _niqe_function():
    """skvideo.measure.niqe, importable on today's NumPy and SciPy: it calls np.int (removed in
    NumPy 1.24), scipy.misc.imresize (removed in SciPy 1.3) and scipy.linalg without importing it."""
    import scipy
    import scipy.linalg  # noqa: F401  (niqe uses scipy.linalg.pinv through the `scipy` name)
    if not hasattr(np, "int"):
        np.int = int
    if not hasattr(np, "float"):
        np.float = float
    misc = sys.modules.get("scipy.misc") or types.ModuleType("scipy.misc")
    misc.imresize = _imresize
    sys.modules["scipy.misc"] = misc
    scipy.misc = misc
    from skvideo.measure import niqe
    return niqe


_niqe = None


def niqe(rgb: np.ndarray) -> float:
    """NIQE of an 8-bit RGB image, on its full-range luma (0.299 R + 0.587 G + 0.114 B, 0–255)."""
    global _niqe
    if _niqe is None:
        _niqe = _niqe_function()
    gray = rgb[..., :3].astype(np.float64) @ np.array(BT601)
    return float(_niqe(gray[None, :, :, None])[0])
