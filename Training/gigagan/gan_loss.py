"""Stage 2's adversarial part: the discriminator, its optimiser and the GAN losses.

Non-saturating logistic loss; the matching-aware term (a real image with another photo's caption
counts as fake, so the discriminator must check the text as well as the image), weighted by
--mismatch-weight (0.1): at full weight the discriminator settled on judging the caption alone
(real and fake logits still equal after 1,500 steps), and trained through the text read-out alone
the term let the logits run away (runs/s-gan4, s-gan5). Lazy R1 on real images every 16 steps
(weight scaled by 16, as in StyleGAN2). Every discriminator exit contributes equally (the mean
over exits). With --d-patch the loss is taken at every trunk position of an exit and then
averaged (PatchGAN), instead of on the exit's mean logit: a generator whose output is right in
most places and wrong in a few then still gets a loss where it is wrong.
"""

from __future__ import annotations

import argparse

import torch
import torch.nn.functional as F
from torch import Tensor

from .config import GeneratorConfig
from .discriminator import Discriminator

R1_INTERVAL = 16


def mean_softplus(logits: list[Tensor], sign: float) -> Tensor:
    """The logistic GAN loss over every exit: mean over exits of mean softplus(sign · logit)
    (sign −1: these should score real, +1: generated), over samples and, for logit maps, positions."""
    return torch.stack([F.softplus(sign * l.float()).mean() for l in logits]).mean()


class GANLoss:
    def __init__(self, args: argparse.Namespace, cfg: GeneratorConfig, device: torch.device):
        self.d = Discriminator(text_embed_dim=cfg.text_embed_dim, exits=args.d_exits).to(device)
        # β1 = 0.5 and lr 2e-4 (DCGAN's): with StyleGAN's β1 = 0 and lr 1e-3 the discriminator
        # separated held-out real and generated crops several times more slowly.
        self.opt = torch.optim.Adam(self.d.parameters(), lr=args.d_lr, betas=(0.5, 0.99))
        self.r1_gamma = args.r1_gamma
        self.mismatch_weight = args.mismatch_weight
        self.per_position = getattr(args, "d_patch", False)

    def state_dict(self) -> dict:
        return {"d": self.d.state_dict(), "opt": self.opt.state_dict()}

    def load_state_dict(self, s: dict) -> None:
        self.d.load_state_dict(s["d"])
        self.opt.load_state_dict(s["opt"])

    def _score(self, hr: Tensor, lr: Tensor, text: tuple[Tensor, Tensor]) -> list[Tensor]:
        """The discriminator runs in fp32: in bf16 autocast it took several times longer to start
        telling real from fake (the detail it must see is a few hundredths in amplitude)."""
        return self.d(hr, lr, self.d.text_embedding(*text), per_position=self.per_position)

    def discriminator_step(self, fake: Tensor, real: Tensor, lr: Tensor, text: tuple[Tensor, Tensor],
                           wrong_text: tuple[Tensor, Tensor], step: int) -> dict[str, Tensor]:
        self.d.requires_grad_(True)
        loss_fake = mean_softplus(self._score(fake, lr, text), +1)
        loss_real = mean_softplus(self._score(real, lr, text), -1)
        loss_mismatch = mean_softplus(self._score(real, lr, wrong_text), +1)
        loss = loss_fake + loss_real + self.mismatch_weight * loss_mismatch
        stats = {"d_fake": loss_fake.detach(), "d_real": loss_real.detach(), "d_mismatch": loss_mismatch.detach()}
        if step % R1_INTERVAL == 0:
            real_r1 = real.detach().requires_grad_(True)
            logits = self._score(real_r1, lr, text)
            # the gradient of each sample's mean logit, whether or not the loss is per position
            per_sample = [l.flatten(1).mean(1) if l.dim() > 1 else l for l in logits]
            grad, = torch.autograd.grad(sum(l.sum() for l in per_sample), real_r1, create_graph=True)
            r1 = grad.square().sum(dim=(1, 2, 3)).mean()
            loss = loss + 0.5 * self.r1_gamma * R1_INTERVAL * r1
            stats["r1"] = r1.detach()
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()
        self.d.requires_grad_(False)
        return stats

    @torch.no_grad()
    def logit_gap(self, real: Tensor, fake: Tensor, lr: Tensor, text: tuple[Tensor, Tensor]) -> float:
        """Mean over exits and samples of the real minus the generated logit: how well the
        discriminator tells these apart (0 at chance); the evaluation logs it on held-out crops."""
        gaps = [r - f for r, f in zip(self._score(real, lr, text), self._score(fake, lr, text))]
        return torch.stack([g.mean() for g in gaps]).mean().item()

    def generator_loss(self, fake: Tensor, lr: Tensor, text: tuple[Tensor, Tensor]) -> Tensor:
        return mean_softplus(self._score(fake, lr, text), -1)
