"""Distil the GigaGAN-8x student from the teacher targets of gigagan/make_targets.py, resumably.

    .venv/bin/python -m train.distill --run runs/distill-s --targets cache/teacher-targets/bicubic2-t32 \\
        --eval-targets cache/teacher-targets/bicubic2-t64-eval --init ../Models/gigagan-8x-s-psnr.safetensors

train.py's Trainer with another data source and loss; run folder, checkpoints, resume, EMA, the
kernel-bank learning-rate multiplier and caption dropout are train.py's. Per step, on a batch of
cached (LR, teacher, ground truth, caption) samples under a random flip/quarter turn:
    loss = MSE (or Charbonnier) to the teacher + --freq-weight × spectrum L1 to the teacher
         + --texture-weight × local band-energy L1 to the teacher (texture statistics, not phase)
         + --grid-weight × spectrum L1 to the teacher on the LR pixel grid's frequencies only
         + --phase-weight × L1 of how detail spreads over the LR pixel's positions, to the teacher
         + --lowpass-weight × MSE of the ÷8 area averages to the ground truth (colour and layout)
         + --hint-weight × hint loss
         (--stage 2) + --adv-weight × the adversarial loss of train.py's discriminator (gigagan/gan_loss.py),
           ramped in over --adv-ramp steps after --d-warmup; its real images are the teacher's outputs,
           so it pushes the student from the regression's average toward the teacher's own texture
Hint (FitNets): the output of decoder stage --hint-stage (for gigagan-8x-s at tile 32: stage 2 =
64 ch at 32 px, stage 3 = 48 ch at 64 px) through a 1×1 conv adapter, against x4plus's trunk
feature area-resized to that resolution, MSE over the trunk's mean square. The adapter lives in
the checkpoint's `aux` and is never exported. Every run starts its adapter afresh, and for the first
--hint-warmup steps the hint trains only the adapter: a fresh adapter's hint swamps the pixel terms
(Training/README, "Distillation", 2026-12-04).

Evaluation (every --eval-minutes, EMA weights, the eval targets: teacher outputs on hold-out photos,
clean area ÷8, their caption): residual energy = Σ(student − bicubic)² / Σ(teacher − bicubic)²,
PSNR-Y to the teacher (with the caption and the empty prompt) and to the ground truth, the
detail ratio of student and teacher to the ground truth, and in stage 2 d_gap (the discriminator's
mean logit on the teacher's output minus on the student's). best.pt keeps the best PSNR-Y to the teacher.
The training-target folder is listed again at every evaluation, so a run can start while
make_targets.py is still adding to it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import Tensor

from gigagan.data import read_captions, read_tsv
from gigagan.generator import bicubic_upsample
from gigagan.losses import charbonnier, frequency_l1, local_band_energy_l1, lowpass_mse, lr_grid_l1, lr_phase_l1, mse
from gigagan.metrics import detail_ratio, psnr_y
from train.train import Trainer, build_parser, main


def build_distill_parser(description: str = __doc__, cached_targets: bool = True) -> argparse.ArgumentParser:
    """distill.py's flags; `cached_targets` False leaves out the target folders (distill_online.py)."""
    ap = build_parser(description)
    if cached_targets:
        ap.add_argument("--targets", type=Path, required=True, help="folder of make_targets.py samples (training)")
        ap.add_argument("--eval-targets", type=Path, required=True, help="folder of make_targets.py --split eval samples")
    ap.add_argument("--teacher-loss", choices=["mse", "charbonnier"], default="mse")
    ap.add_argument("--lowpass-weight", type=float, default=0.5, help="weight of the ÷8 low-pass MSE to the ground truth")
    ap.add_argument("--grid-weight", type=float, default=0.0,
                    help="weight of the spectrum L1 to the teacher on the LR pixel grid's frequencies (0: off)")
    ap.add_argument("--phase-weight", type=float, default=0.0,
                    help="weight of the L1 between how student and teacher spread detail over the LR pixel's positions")
    ap.add_argument("--hint-weight", type=float, default=0.0, help="weight of the hint loss to x4plus's trunk (0: off)")
    ap.add_argument("--hint-stage", type=int, default=3, help="decoder stage whose output the hint adapter reads")
    ap.add_argument("--hint-warmup", type=int, default=200,
                    help="first steps of a run in which the hint trains only its adapter, which every run starts "
                         "afresh (--init carries no adapter): a fresh adapter's hint loss swamps the pixel terms")
    ap.set_defaults(freq_weight=0.0, eval_minutes=10.0, batch=4)
    return ap


def parse_args() -> argparse.Namespace:
    return build_distill_parser().parse_args()


def dihedral(xs: list[Tensor], k: int, flip: bool) -> list[Tensor]:
    """The same quarter turns and horizontal flip of every [C, H, W] tensor."""
    return [torch.rot90(x.flip(-1) if flip else x, k, dims=(-2, -1)) for x in xs]


class DistillTrainer(Trainer):
    best_key = "psnr_teacher"
    script = "train.distill"

    @classmethod
    def fixed_settings(cls, config: dict) -> dict:
        """The hint adapter's presence and width are in the checkpoint too."""
        args = config.get("args", {})
        hint = args.get("hint_weight", 0.0) > 0
        return {**super().fixed_settings(config), "hint": f"at stage {args.get('hint_stage')}" if hint else "off"}

    def _aux_modules(self) -> torch.nn.ModuleDict:
        if self.args.hint_weight <= 0:
            return torch.nn.ModuleDict()
        width = self.cfg.decoder_widths[self.args.hint_stage]
        return torch.nn.ModuleDict({"hint_adapter": torch.nn.Conv2d(width, 64, 1)})

    def _load_data(self) -> None:
        self._load_targets()
        self.tap: Tensor | None = None
        if len(self.aux):
            self.gen.decoder[self.args.hint_stage].blocks[-1].register_forward_hook(
                lambda _m, _i, out: setattr(self, "tap", out))

    def _load_targets(self) -> None:
        """The training and evaluation targets and the caption features."""
        self.train_files: list[Path] = []
        self._list_targets()
        self.eval_samples = [torch.load(p, weights_only=False) for p in sorted(self.args.eval_targets.glob("*.pt"))]
        if not self.eval_samples:
            sys.exit(f"no evaluation targets in {self.args.eval_targets}: run gigagan/make_targets.py --split eval")
        captions = read_captions(self.args.data / "captions.tsv")
        self.train_captions = [captions.get(row["id"], "") for row in read_tsv(self.args.data / "manifest.tsv")
                               if row["split"] == "train"]
        self.text = self._encode_captions(set(captions.values()))

    def _list_targets(self) -> None:
        self.train_files = sorted(self.args.targets.glob("*.pt"))
        if not self.train_files:
            sys.exit(f"no training targets in {self.args.targets}: run gigagan/make_targets.py")

    def target_count(self) -> int:
        """How many training targets the run has drawn from so far (the evaluation logs it)."""
        return len(self.train_files)

    def describe_data(self) -> str:
        return f"{len(self.train_files)} training targets, {len(self.eval_samples)} evaluation targets"

    @staticmethod
    def _load(path: Path) -> dict:
        return torch.load(path, weights_only=False)

    def _train_batch(self):
        lrs, targets, hrs, trunks, prompts = [], [], [], [], []
        for path in self.rng.choices(self.train_files, k=self.args.batch):
            s = self._load(path)
            lr, target, hr, trunk = dihedral([s["lr"], s["target"], s["hr"], s["trunk"]],
                                             self.rng.randrange(4), self.rng.random() < 0.5)
            lrs.append(lr.float() / 255.0)
            targets.append(target.float() / 255.0)
            hrs.append(hr.float() / 255.0)
            trunks.append(trunk.float())
            prompts.append("" if self.rng.random() < self.args.caption_dropout else s["caption"])
        stack = lambda xs: torch.stack(xs).to(self.device)
        return stack(lrs), stack(targets), stack(hrs), stack(trunks), prompts

    def train_step(self) -> dict[str, float | Tensor]:
        """train.py's step with the teacher as the target; in stage 2 the teacher's outputs are
        the discriminator's real images: the student is to be indistinguishable from them."""
        lr_img, target, hr_img, trunk, prompts = self._train_batch()
        hint_pred: Tensor | None = None

        def forward(feats: Tensor, mask: Tensor) -> Tensor:
            nonlocal hint_pred
            z = torch.randn(lr_img.shape[0], self.cfg.z_dim, device=self.device)
            out = self.gen.forward_tile(lr_img, self.gen.condition(z, feats, mask), torch.randn_like(lr_img)).float()
            if len(self.aux):
                tap = self.tap if self.step >= self.args.hint_warmup else self.tap.detach()
                hint_pred = self.aux["hint_adapter"](tap)
            return out

        return self._generator_step(
            lr_img, target, prompts, forward,
            lambda out, stats: self._distillation_loss(out, target, hr_img, trunk, hint_pred, stats))

    def _distillation_loss(self, out: Tensor, target: Tensor, hr_img: Tensor, trunk: Tensor,
                           hint_pred: Tensor | None, stats: dict[str, Tensor]) -> Tensor:
        """The regression terms of the module docstring; each term's value goes into `stats`
        (detached, so nothing waits for the device)."""
        a = self.args
        pixel = mse(out, target) if a.teacher_loss == "mse" else charbonnier(out, target)
        lowpass = lowpass_mse(out, hr_img, self.cfg.scale)
        loss = pixel + a.lowpass_weight * lowpass
        stats.update(teacher=pixel.detach(), lowpass=lowpass.detach())
        scale = self.cfg.scale
        optional_terms = [("freq", a.freq_weight, frequency_l1), ("texture", a.texture_weight, local_band_energy_l1),
                          ("grid", a.grid_weight, lambda o, t: lr_grid_l1(o, t, scale)),
                          ("phase", a.phase_weight, lambda o, t: lr_phase_l1(o, t, scale))]
        for name, weight, term in optional_terms:   # each against the teacher, skipped at weight 0
            if weight > 0:
                value = term(out, target)
                loss = loss + weight * value
                stats[name] = value.detach()
        if hint_pred is not None:
            goal = F.adaptive_avg_pool2d(trunk, hint_pred.shape[-2:])
            hint = (hint_pred.float() - goal).square().mean() / goal.square().mean()
            loss = loss + a.hint_weight * hint
            stats["hint"] = hint.detach()
        return loss

    @torch.no_grad()
    def evaluate(self) -> dict[str, float]:
        self._list_targets()
        student_energy = teacher_energy = 0.0
        sums = {"psnr_teacher": 0.0, "psnr_teacher_empty": 0.0, "psnr_gt": 0.0, "detail": 0.0, "detail_teacher": 0.0}
        if self.gan is not None:
            sums["d_gap"] = 0.0
        for s in self.eval_samples:
            lr = (s["lr"].float() / 255.0)[None].to(self.device)
            target, hr = s["target"].float() / 255.0, s["hr"].float() / 255.0
            z = torch.zeros(1, self.cfg.z_dim, device=self.device)
            outs = {}
            for prompt in (s["caption"], ""):
                feats, mask = self._text_batch([prompt])
                outs[prompt] = self.ema.forward_tile(lr, self.ema.condition(z, feats, mask))[0].cpu()
            out = outs[s["caption"]]
            bicubic = bicubic_upsample(lr, self.cfg.scale)[0].cpu()
            student_energy += (out - bicubic).square().mean().item()
            teacher_energy += (target - bicubic).square().mean().item()
            sums["psnr_teacher"] += psnr_y(out, target)
            sums["psnr_teacher_empty"] += psnr_y(outs[""], target)
            sums["psnr_gt"] += psnr_y(out, hr)
            sums["detail"] += detail_ratio(out, hr)
            sums["detail_teacher"] += detail_ratio(target, hr)
            if self.gan is not None:    # the discriminator's logit on the teacher minus on the student
                feats, mask = self._text_batch([s["caption"]])
                sums["d_gap"] += self.gan.logit_gap(target[None].to(self.device), out[None].to(self.device),
                                                    lr, (feats, mask))
        n = len(self.eval_samples)
        return {"residual_energy": student_energy / teacher_energy, **{k: v / n for k, v in sums.items()},
                "train_targets": float(self.target_count())}


if __name__ == "__main__":
    sys.exit(main(DistillTrainer, parse_args()))
