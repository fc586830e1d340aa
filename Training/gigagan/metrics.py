"""Image-quality metrics on 8-bit RGB arrays [H, W, 3], shared by eval.py and the teacher comparison.

  psnr_y     PSNR of BT.601 luma, `border` px cropped
  ssim_y     SSIM of the same luma (scikit-image, Gaussian window σ 1.5, data range 255)
  detail     variance of the Laplacian of the luma after a σ = 2 px Gaussian blur, output over
             reference (bicubic at 8x sits near 0.15; a faithful sharp result near 1.0)
  ciede2000  mean CIEDE2000 between output and reference, both blurred with σ = 2 px
  niqe       no-reference naturalness (Mittal et al. 2013; lower is more natural), from
             scikit-video 1.1.11's bundled model; needs an image larger than 192 px each way
"""

from __future__ import annotations

import sys
import types

import numpy as np
from PIL import Image
from scipy import ndimage
from skimage.color import deltaE_ciede2000, rgb2lab
from skimage.metrics import structural_similarity


def luma(rgb: np.ndarray) -> np.ndarray:
    """BT.601 Y in [16, 235] from 8-bit RGB (float64)."""
    r, g, b = (rgb[..., i].astype(np.float64) / 255.0 for i in range(3))
    return 16.0 + 65.481 * r + 128.553 * g + 24.966 * b


def detail_energy(rgb: np.ndarray) -> float:
    return float(ndimage.laplace(ndimage.gaussian_filter(luma(rgb), 2.0)).var())


def metrics(out: np.ndarray, ref: np.ndarray, border: int = 8) -> dict[str, float]:
    yo, yr = luma(out), luma(ref)
    yo_c, yr_c = yo[border:-border, border:-border], yr[border:-border, border:-border]
    mse = np.mean((yo_c - yr_c) ** 2)
    psnr = 10 * np.log10(255.0 ** 2 / mse) if mse > 0 else float("inf")
    ssim = structural_similarity(yo_c, yr_c, data_range=255.0, gaussian_weights=True, sigma=1.5,
                                 use_sample_covariance=False)
    detail = detail_energy(out) / detail_energy(ref)
    blur = lambda im: np.stack([ndimage.gaussian_filter(im[..., c].astype(np.float64) / 255.0, 2.0)
                                for c in range(3)], axis=-1)
    de = deltaE_ciede2000(rgb2lab(blur(ref)), rgb2lab(blur(out))).mean()
    return {"psnr_y": psnr, "ssim_y": ssim, "detail": detail, "ciede2000": de}


# ------------------------------------------------------------------------------------------------
# NIQE

def _imresize(img: np.ndarray, size: float, interp: str = "bicubic", mode: str = "F") -> np.ndarray:
    """The one use scikit-video makes of scipy.misc.imresize (removed in SciPy 1.3): scale a float
    image by a factor with PIL's bicubic, which is what imresize did."""
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
    """NIQE of an 8-bit RGB image, on its luma (0.299 R + 0.587 G + 0.114 B, 0–255)."""
    global _niqe
    if _niqe is None:
        _niqe = _niqe_function()
    gray = rgb[..., :3].astype(np.float64) @ np.array([0.299, 0.587, 0.114])
    return float(_niqe(gray[None, :, :, None])[0])
