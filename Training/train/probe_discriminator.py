"""Can the stage-2 discriminator learn to tell originals from a frozen generator's output?

    .venv/bin/python -m train.probe_discriminator [--init runs/s-psnr/best.pt] [--lr 2e-4] [--beta1 0.5]
                                            [--steps 120] [--pool 40] [--held 8]

Caches --pool batches of two 512 px training crops (degraded on the fly, as in train.py) with the
generator's output for each, and 4 x --held held-out crops the same way; then trains a fresh
discriminator on the pool (non-saturating loss only: no text, matching term or R1) and every 30
steps prints its held-out logit gap (original minus generated) per exit and the share of held-out
crops it ranks right. Session 14 used it to find that the default PyTorch initialisation left the
discriminator blind (Training/README.md, "Session 14").
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import torch

from gigagan.config import get_config
from gigagan.data import DATA_DIR, degrade, load_photos, random_crop
from gigagan.discriminator import Discriminator
from gigagan.gan_loss import mean_softplus
from gigagan.generator import Generator

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--init", type=Path, default=Path("runs/s-psnr/best.pt"), help="stage-1 .pt with an 'ema' state")
    ap.add_argument("--config", default="gigagan-8x-s")
    ap.add_argument("--lr", type=float, default=2e-4, help="discriminator learning rate")
    ap.add_argument("--beta1", type=float, default=0.5, help="Adam β1 (β2 is 0.99)")
    ap.add_argument("--steps", type=int, default=120)
    ap.add_argument("--pool", type=int, default=40, help="training batches of 2 crops, cycled")
    ap.add_argument("--held", type=int, default=8, help="held-out crops")
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    rng = random.Random(0)

    cfg = get_config(a.config)
    gen = Generator(cfg)
    gen.load_state_dict(torch.load(a.init, weights_only=False, map_location="cpu")["ema"])
    gen.eval()
    hr_size = cfg.tile * cfg.scale
    photos = [p for p in load_photos({"train"}, DATA_DIR) if min(p.pixels.shape[1:]) >= hr_size]
    feats = torch.zeros(1, cfg.max_tokens, cfg.text_embed_dim)
    mask = torch.zeros(1, cfg.max_tokens, dtype=torch.bool)
    mask[:, 0] = True

    @torch.no_grad()
    def sample(n: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        hr = torch.stack([random_crop(rng.choice(photos), hr_size, rng) for _ in range(n)])
        lr = torch.stack([degrade(h, cfg.scale, rng) for h in hr])
        with torch.autocast("cpu", dtype=torch.bfloat16):
            cond = gen.condition(torch.zeros(n, cfg.z_dim), feats.expand(n, -1, -1), mask.expand(n, -1))
            fake = gen.forward_tile(lr, cond).float()
        return lr, hr, fake

    t0 = time.monotonic()
    pool = [sample(2) for _ in range(a.pool)]
    held_lr, held_hr, held_fake = sample(a.held)
    print(f"cached {a.pool} batches and {a.held} held-out crops in {time.monotonic() - t0:.0f} s", flush=True)

    d = Discriminator(text_embed_dim=cfg.text_embed_dim)
    opt = torch.optim.Adam(d.parameters(), lr=a.lr, betas=(a.beta1, 0.99))
    text_dim = d.text[-1].out_features          # the probe feeds the text input zeros
    no_text = torch.zeros(2, text_dim)
    for step in range(1, a.steps + 1):
        lr, hr, fake = pool[(step - 1) % len(pool)]
        real_logits, fake_logits = d(hr, lr, no_text), d(fake, lr, no_text)
        loss = mean_softplus(real_logits, -1) + mean_softplus(fake_logits, +1)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if step % 30 == 0 or step == a.steps:
            with torch.no_grad():
                t = torch.zeros(a.held, text_dim)
                real = torch.stack(d(held_hr, held_lr, t))          # [exits, held]
                gen_out = torch.stack(d(held_fake, held_lr, t))
            gaps = (real - gen_out).mean(dim=1).tolist()
            right = (real.mean(0) > gen_out.mean(0)).float().mean().item()
            print(f"step {step:4d}  loss {loss.item():.3f}  held-out gap per exit "
                  f"{' '.join(f'{g:+.2f}' for g in gaps)}  ranked right {right:.0%}  "
                  f"({time.monotonic() - t0:.0f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
