"""The LR-grid spectrum term sees dots at the LR pixel period and nothing else."""
from __future__ import annotations

import torch

from gigagan.losses import lr_grid_l1, lr_grid_mask


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
