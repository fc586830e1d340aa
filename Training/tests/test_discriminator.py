"""The per-position (PatchGAN) loss scores the same logits as the image loss, averaged later."""
from __future__ import annotations

import argparse

import torch

from gigagan.config import get_config
from gigagan.discriminator import Discriminator
from gigagan.gan_loss import GANLoss


def test_logit_maps_average_to_the_image_logits() -> None:
    torch.manual_seed(0)
    d = Discriminator(exits=7)
    hr, lr, t = torch.rand(2, 3, 128, 128), torch.rand(2, 3, 16, 16), torch.randn(2, 128)
    image, maps = d(hr, lr, t), d(hr, lr, t, per_position=True)
    assert [m.shape[1:] for m in maps] == [(128 >> i, 128 >> i) for i in range(7)]
    for logit, scores in zip(image, maps):
        assert torch.allclose(logit, scores.mean(dim=(1, 2)), atol=1e-5)


def _gan(patch: bool) -> GANLoss:
    args = argparse.Namespace(d_exits=6, d_lr=2e-4, r1_gamma=1.0, mismatch_weight=0.0, d_patch=patch)
    torch.manual_seed(1)
    return GANLoss(args, get_config("tiny"), torch.device("cpu"))


def test_patch_loss_charges_a_local_flaw_more_than_the_image_loss() -> None:
    """A fake that is a real image with one corner spoiled: the image loss sees the spoiled
    corner diluted in the mean logit; the patch loss keeps it (softplus is convex, so the mean of
    its values exceeds its value at the mean wherever the logits vary)."""
    image_gan, patch_gan = _gan(False), _gan(True)
    assert patch_gan.per_position and not image_gan.per_position
    torch.manual_seed(2)
    real, lr = torch.rand(1, 3, 128, 128), torch.rand(1, 3, 16, 16)
    text = (torch.randn(1, 4, 384), torch.ones(1, 4, dtype=torch.bool))
    fake = real.clone()
    fake[..., :32, :32] = torch.rand(1, 3, 32, 32)
    patch, image = patch_gan.generator_loss(fake, lr, text), image_gan.generator_loss(fake, lr, text)
    assert patch.item() > image.item() + 1e-3
    assert abs(patch_gan.logit_gap(real, fake, lr, text) - image_gan.logit_gap(real, fake, lr, text)) < 1e-5


def test_r1_is_the_same_penalty_in_both_modes() -> None:
    torch.manual_seed(3)
    real, fake, lr = torch.rand(2, 3, 128, 128), torch.rand(2, 3, 128, 128), torch.rand(2, 3, 16, 16)
    text = (torch.randn(2, 4, 384), torch.ones(2, 4, dtype=torch.bool))
    r1 = [_gan(patch).discriminator_step(fake, real, lr, text, text, step=0)["r1"].item() for patch in (False, True)]
    assert r1[0] > 0 and abs(r1[0] - r1[1]) < 1e-5 * r1[0]
