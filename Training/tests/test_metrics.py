"""The NumPy metrics (eval) and their torch forms (training's evaluations) are one definition:
on the same 8-bit images they agree to 1e-5."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from gigagan import metrics


def tensor(rgb: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(rgb).permute(2, 0, 1).float() / 255.0


@pytest.fixture(scope="module")
def pair() -> tuple[np.ndarray, np.ndarray]:
    """A random 8-bit image (smooth plus noise, odd sizes) and a noisier copy of it."""
    rng = np.random.default_rng(5)
    smooth = np.kron(rng.uniform(40, 215, (13, 11, 3)), np.ones((8, 8, 1)))[:101, :83]
    ref = np.clip(np.round(smooth + rng.normal(0, 12, smooth.shape)), 0, 255).astype(np.uint8)
    out = np.clip(ref.astype(np.int16) + rng.integers(-25, 26, ref.shape), 0, 255).astype(np.uint8)
    return out, ref


def test_luma_numpy_equals_torch(pair) -> None:
    out, _ = pair
    exact = torch.from_numpy(out).permute(2, 0, 1).double() / 255.0
    assert np.allclose(metrics.luma(out), metrics.luma_bt601(exact).numpy() * 255.0, rtol=0, atol=1e-9)
    assert np.allclose(metrics.luma(out), 16.0 + 65.481 * out[..., 0] / 255 + 128.553 * out[..., 1] / 255
                       + 24.966 * out[..., 2] / 255, rtol=0, atol=1e-9)


@pytest.mark.parametrize("border", [0, 8])
def test_psnr_y_numpy_equals_torch(pair, border: int) -> None:
    out, ref = pair
    assert metrics.psnr_y(tensor(out), tensor(ref), border) == pytest.approx(metrics.psnr_y_np(out, ref, border), abs=1e-5)
    assert metrics.psnr_y(tensor(out), tensor(ref), border) == pytest.approx(metrics.metrics(out, ref, border)["psnr_y"], abs=1e-5)


def test_detail_ratio_numpy_equals_torch(pair) -> None:
    out, ref = pair
    expected = metrics.detail_energy(out) / metrics.detail_energy(ref)
    assert expected != pytest.approx(1.0, abs=1e-2)
    assert metrics.detail_ratio(tensor(out), tensor(ref)) == pytest.approx(expected, abs=1e-5)
    assert metrics.metrics(out, ref)["detail"] == pytest.approx(expected, abs=1e-12)


def test_full_range_luma_of_the_texture_loss(pair) -> None:
    out, _ = pair
    x = tensor(out)[None]
    assert torch.allclose(metrics.gray(x)[0, 0].double() * 255.0,
                          torch.from_numpy(out.astype(np.float64) @ np.array(metrics.BT601)), atol=1e-4)
