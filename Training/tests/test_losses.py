"""The LR-grid terms see dots at the LR pixel period and not detail elsewhere."""
from __future__ import annotations

import torch

from gigagan.losses import lr_grid_l1, lr_grid_mask, lr_phase_l1


def test_grid_mask_marks_multiples_of_the_lr_frequency() -> None:
    mask = lr_grid_mask(64, 64, period=8, halfwidth=0)
    assert mask.shape == (64, 33)
    assert mask[0, 8] and mask[0, 16] and mask[0, 32] and mask[8, 0] and mask[56, 0]
    assert not mask[0, 0] and not mask[3, 5] and not mask[0, 9]


def test_dots_at_the_lr_period_cost_far_more_than_smooth_detail() -> None:
    torch.manual_seed(0)
    y, x = torch.meshgrid(torch.arange(64.0), torch.arange(64.0), indexing="ij")
    base = torch.rand(1, 3, 1, 1) * 0.5 + 0.25 + 0.0 * x
    dots = base + 0.1 * ((x % 8 == 3) & (y % 8 == 3)).float()
    ripple = base + 0.1 * torch.sin(2 * torch.pi * x * 5 / 64)  # 30× the dots' energy, off the grid
    assert lr_grid_l1(dots, base) > 1e-3
    assert lr_grid_l1(ripple, base) < 1e-6
    assert lr_grid_l1(base, base) == 0


def test_phase_term_sees_dots_on_the_lr_grid_not_the_same_dots_off_it() -> None:
    torch.manual_seed(1)
    texture = torch.rand(1, 3, 256, 256) * 0.2 + 0.4
    y, x = torch.meshgrid(torch.arange(256), torch.arange(256), indexing="ij")
    on_grid = texture + 0.3 * ((x % 8 == 3) & (y % 8 == 3)).float()
    scattered = texture + 0.3 * (torch.rand(256, 256) < 1 / 64).float()
    assert lr_phase_l1(on_grid, texture) > 5 * lr_phase_l1(scattered, texture)
    assert lr_phase_l1(texture, texture) == 0
