"""Train the GigaGAN-8x generator on CPU, resumably.

    .venv/bin/python -m train.train --run runs/s-psnr --stage 1 [--minutes 120] [--batch 2] [--threads 2]

Stage 1 (reconstruction): MSE (or L1) + frequency-domain L1 between the generator's output and the HR crop,
on LR tiles degraded on the fly (gigagan/data.py), 20% of captions dropped to the empty prompt.
An EMA of the weights is what gets evaluated and exported.

Everything lives in the run folder and a run continues where it stopped when started again with
the same --run (the other flags may change between sessions, e.g. --minutes):
    ckpt.pt        model, EMA, optimiser, step, RNG states; written atomically every --ckpt-minutes
                   and on SIGINT/SIGTERM
    best.pt        the EMA weights with the best evaluation PSNR so far
    log.csv        step, seconds, losses, learning rate (every 20 steps)
    eval.csv       step, seconds, PSNR-Y of the EMA model and of bicubic on the evaluation crops,
                   detail ratio; stage 2 also d_gap, the discriminator's mean logit on the original
                   minus on the EMA's output (near 0: it cannot tell them apart)
    ema-stepN.pt   stage 2: the EMA at every evaluation (PSNR cannot pick a GAN model)
Evaluation crops: four 512 px crops (one 64 px LR tile each) from every hold-out photo, clean area
downscale by 8, the empty prompt and the photo's caption; PSNR-Y with an 8 px border cropped.
"""

from __future__ import annotations

import argparse
import copy
import csv
import json
import math
import os
import random
import signal
import sys
import time
from pathlib import Path
from typing import Callable

import torch

from gigagan.config import get_config
from gigagan.data import DATA_DIR, TEXT_FEATURES, area_downscale, degrade, load_photos, random_crop, sqrt_area_weights
from gigagan.export import load as load_exported
from gigagan.gan_loss import GANLoss
from gigagan.generator import Generator, bicubic_upsample
from gigagan.init import init_for_training, transplant
from gigagan.layers import StyleAdaptiveConv
from gigagan.losses import frequency_l1, l1, local_band_energy_l1, mse
from gigagan.metrics import detail_ratio, psnr_y
from gigagan.text_encoder import TextEncoder


def build_parser(description: str = __doc__) -> argparse.ArgumentParser:
    """The flags every run shares; distill.py adds its own."""
    ap = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run", type=Path, required=True, help="run folder (created, or resumed if it has ckpt.pt)")
    ap.add_argument("--stage", type=int, choices=[1, 2], default=1, help="1 = reconstruction, 2 = GAN fine-tuning")
    ap.add_argument("--init", type=Path, help="new run: start G (and its EMA) from this best.pt/ckpt.pt or exported .safetensors; other widths are transplanted")
    ap.add_argument("--adv-weight", type=float, default=0.05, help="stage 2: weight of G's adversarial loss")
    ap.add_argument("--r1-gamma", type=float, default=1.0, help="stage 2: R1 weight, applied every 16 steps")
    ap.add_argument("--d-lr", type=float, default=2e-4, help="stage 2: discriminator learning rate")
    ap.add_argument("--d-exits", type=int, default=4,
                    help="stage 2: how many of the discriminator's resolutions are scored, from the coarsest "
                         "(4: 64 px down to 8 px; 6 adds 128 and 256 px, where the LR pixel period is 2-4 trunk pixels)")
    ap.add_argument("--d-patch", action="store_true",
                    help="stage 2: the GAN loss at every position of an exit's logit map (PatchGAN), not on its mean")
    ap.add_argument("--mismatch-weight", type=float, default=0.1,
                    help="stage 2: weight of the matching-aware term (real photo + another caption = fake)")
    ap.add_argument("--d-warmup", type=int, default=0,
                    help="stage 2: train only the discriminator for this many first steps (G frozen, losses still logged)")
    ap.add_argument("--adv-ramp", type=int, default=200,
                    help="stage 2: G's adversarial weight grows linearly from 0 over this many steps while D learns")
    ap.add_argument("--config", default="gigagan-8x-s")
    ap.add_argument("--batch", type=int, default=2, help="LR tiles per step (each from a random photo)")
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--bank-lr-mult", type=float, default=10.0,
                    help="learning-rate multiplier for the adaptive convs' kernel banks (unit-scale weights, demodulated)")
    ap.add_argument("--pixel-loss", choices=["mse", "l1"], default="mse",
                    help="mse trains PSNR directly; with l1 the residual collapsed to zero early on (its median)")
    ap.add_argument("--freq-weight", type=float, default=0.05)
    ap.add_argument("--texture-weight", type=float, default=0.0,
                    help="weight of the local band-energy loss (texture statistics, not phase); stage 2 uses it")
    ap.add_argument("--caption-dropout", type=float, default=0.2)
    ap.add_argument("--ema", type=float, default=0.999)
    ap.add_argument("--minutes", type=float, default=60.0, help="stop (with a checkpoint) after this long")
    ap.add_argument("--ckpt-minutes", type=float, default=5.0)
    ap.add_argument("--eval-minutes", type=float, default=15.0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--device", default="cpu", help="cpu, or cuda on a machine with a GPU (same run folder works on both)")
    ap.add_argument("--no-bf16", action="store_true", help="train in fp32 instead of bf16 autocast")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--data", type=Path, default=DATA_DIR, help="folder with manifest.tsv, captions.tsv, hr/")
    return ap


class Trainer:
    best_key = "psnr_caption"       # the evaluation figure best.pt keeps the maximum of
    script = "train.train"          # the module that runs this trainer, as config.json records it

    @classmethod
    def fixed_settings(cls, config: dict) -> dict:
        """What a resumed run must keep, read from a config.json's contents."""
        args = config.get("args", {})
        return {"trainer": config.get("trainer"), "config": args.get("config"), "stage": args.get("stage")}

    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.cfg = get_config(args.config)
        torch.manual_seed(args.seed)
        self.gen = Generator(self.cfg)
        init_for_training(self.gen)
        if args.init is not None:
            if args.init.suffix == ".safetensors":      # an exported model, e.g. Models/gigagan-8x-s-psnr
                state = load_exported(args.init).state_dict()
            else:
                state = torch.load(args.init, weights_only=False, map_location="cpu")["ema"]
            changed = transplant(self.gen, state)
            if changed:
                print(f"--init {args.init}: {len(changed)} tensors of other shapes carried over in part "
                      f"(gigagan/init.py transplant), e.g. {', '.join(changed[:3])}", flush=True)
        self.device = torch.device(args.device)
        self.gen.to(self.device)
        self.ema = copy.deepcopy(self.gen).eval().requires_grad_(False)
        self.aux = self._aux_modules().to(self.device)
        # Stage 2 follows GAN practice (no first-moment momentum); stage 1 plain Adam.
        betas = (0.9, 0.99) if args.stage == 1 else (0.0, 0.99)
        self.opt = torch.optim.Adam(self._param_groups(), lr=args.lr, betas=betas)
        self.gan = GANLoss(args, self.cfg, self.device) if args.stage == 2 else None
        self.step = 0
        self.seconds = 0.0          # training time over all sessions
        self.best_psnr = -math.inf     # the best evaluation figure so far (of best_key, which may not be a PSNR)
        self.rng = random.Random(args.seed)
        self._load_data()

    def describe_data(self) -> str:
        return f"{len(self.train_photos)} training photos, {len(self.eval_set)} evaluation crops"

    def _aux_modules(self) -> torch.nn.ModuleDict:
        """Trained with the generator, checkpointed, never exported (distill.py: the hint adapter)."""
        return torch.nn.ModuleDict()

    def _load_data(self) -> None:
        args = self.args
        hr_size = self.cfg.tile * self.cfg.scale
        photos = load_photos({"train"}, args.data)
        self.train_photos = [p for p in photos if min(p.pixels.shape[1:]) >= hr_size]
        for p in photos:
            if p not in self.train_photos:
                print(f"skipping {p.id}: smaller than a {hr_size} px crop", flush=True)
        self.eval_photos = [p for p in load_photos({"eval"}, args.data) if min(p.pixels.shape[1:]) >= hr_size]
        self.photo_weights = sqrt_area_weights(self.train_photos)
        self.train_captions = [p.caption for p in self.train_photos]     # one per photo, as photos are drawn
        self.text = self._encode_captions({p.caption for p in self.train_photos + self.eval_photos})
        self.eval_set = self._eval_crops()

    def _param_groups(self) -> list[dict]:
        """Kernel banks are unit-scale and demodulated, so a plain step size moves them ~20x less,
        relative to their size, than the small default-initialised weights: they get a larger one."""
        banks = [m.weight for m in self.gen.modules() if isinstance(m, StyleAdaptiveConv)]
        bank_ids = {id(p) for p in banks}
        rest = [p for p in self.gen.parameters() if id(p) not in bank_ids]
        groups = [{"params": rest, "lr_mult": 1.0}, {"params": banks, "lr_mult": self.args.bank_lr_mult}]
        if len(self.aux):
            groups.append({"params": list(self.aux.parameters()), "lr_mult": 1.0})
        return groups

    # -- text ------------------------------------------------------------------------------------
    def _encode_captions(self, captions: set[str]) -> dict[str, tuple[torch.Tensor, torch.Tensor]]:
        packed = self.args.data / TEXT_FEATURES
        if packed.exists():
            s = torch.load(packed, weights_only=False)
            prompts, feats, mask = s["prompts"], s["features"].float(), s["mask"]
            missing = captions - set(prompts)
            if missing:
                sys.exit(f"{packed} lacks the features of {len(missing)} caption(s): pack the data again")
        else:
            prompts = sorted(captions | {""})
            feats, mask = TextEncoder(max_len=self.cfg.max_tokens).encode(prompts)
        return {p: (feats[i], mask[i]) for i, p in enumerate(prompts)}

    def _text_batch(self, prompts: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
        feats = torch.stack([self.text[p][0] for p in prompts]).to(self.device)
        mask = torch.stack([self.text[p][1] for p in prompts]).to(self.device)
        return feats, mask

    # -- data ------------------------------------------------------------------------------------
    def _eval_crops(self) -> list[tuple[str, torch.Tensor, torch.Tensor]]:
        hr_size = self.cfg.tile * self.cfg.scale
        crops = []
        for p in self.eval_photos:
            _, h, w = p.pixels.shape
            for fy, fx in ((0.25, 0.25), (0.25, 0.75), (0.75, 0.25), (0.75, 0.75)):
                y = min(max(int(h * fy) - hr_size // 2, 0), h - hr_size)
                x = min(max(int(w * fx) - hr_size // 2, 0), w - hr_size)
                hr = p.pixels[:, y:y + hr_size, x:x + hr_size].float() / 255.0
                lr = (area_downscale(hr, self.cfg.scale) * 255.0).round() / 255.0
                crops.append((p.caption, lr, hr))
        return crops

    def _train_batch(self) -> tuple[torch.Tensor, torch.Tensor, list[str]]:
        hr_size = self.cfg.tile * self.cfg.scale
        photos = self.rng.choices(self.train_photos, weights=self.photo_weights, k=self.args.batch)
        hrs = [random_crop(p, hr_size, self.rng) for p in photos]
        lrs = [degrade(hr, self.cfg.scale, self.rng) for hr in hrs]
        prompts = ["" if self.rng.random() < self.args.caption_dropout else p.caption for p in photos]
        return torch.stack(lrs).to(self.device), torch.stack(hrs).to(self.device), prompts

    # -- steps -----------------------------------------------------------------------------------
    def train_step(self) -> dict[str, float | torch.Tensor]:
        """One step; the losses come back as 0-d tensors, read only when logged (reading one
        would make the host wait for the device every step)."""
        lr_img, hr_img, prompts = self._train_batch()

        def forward(feats: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
            z = torch.randn(lr_img.shape[0], self.cfg.z_dim, device=self.device)
            return self.gen.forward_tile(lr_img, self.gen.condition(z, feats, mask), torch.randn_like(lr_img)).float()

        def reconstruction(out: torch.Tensor, stats: dict[str, torch.Tensor]) -> torch.Tensor:
            loss_pixel = mse(out, hr_img) if self.args.pixel_loss == "mse" else l1(out, hr_img)
            loss_freq = frequency_l1(out, hr_img)
            stats.update(pixel=loss_pixel.detach(), freq=loss_freq.detach())
            loss = loss_pixel + self.args.freq_weight * loss_freq
            if self.args.texture_weight > 0:
                loss_texture = local_band_energy_l1(out, hr_img)
                loss = loss + self.args.texture_weight * loss_texture
                stats["texture"] = loss_texture.detach()
            return loss

        return self._generator_step(lr_img, hr_img, prompts, forward, reconstruction)

    def _generator_step(self, lr_img: torch.Tensor, real: torch.Tensor, prompts: list[str],
                        forward: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
                        loss_of: Callable[[torch.Tensor, dict[str, torch.Tensor]], torch.Tensor]
                        ) -> dict[str, float | torch.Tensor]:
        """The step every trainer shares: `forward(feats, mask)` under autocast gives the output;
        in stage 2 the discriminator steps on it against `real`; `loss_of(out, stats)` gives the
        trainer's own loss (and records its terms in `stats`), to which stage 2 adds the ramped
        adversarial term; then the optimiser and the EMA step."""
        feats, mask = self._text_batch(prompts)
        # Generator steps so far: during a discriminator warm-up G stands still and its learning-rate
        # warm-up and adversarial ramp wait for it.
        g_step = self.step - (self.args.d_warmup if self.gan is not None else 0)
        trains_g = g_step >= 0
        warmup = self._set_lr(g_step) if trains_g else 0.0
        bf16 = not self.args.no_bf16
        with torch.set_grad_enabled(trains_g), torch.autocast(self.device.type, dtype=torch.bfloat16, enabled=bf16):
            out = forward(feats, mask)
        stats: dict[str, torch.Tensor] = {}
        if self.gan is not None:
            wrong = self._text_batch(self._mismatched(prompts))
            stats.update(self.gan.discriminator_step(out.detach(), real, lr_img, (feats, mask), wrong, self.step))
        with torch.set_grad_enabled(trains_g):
            loss = loss_of(out, stats)
            if self.gan is not None:
                adv = self.gan.generator_loss(out, lr_img, (feats, mask))
                ramp = min(1.0, g_step / max(1, self.args.adv_ramp))
                loss = loss + ramp * self.args.adv_weight * adv
                stats["g_adv"] = adv.detach()
        if trains_g:
            self._optimise(loss)
        self.step += 1
        return {**stats, "lr": self.args.lr * warmup}

    def _set_lr(self, g_step: int) -> float:
        """A 100-step linear warm-up; returns the factor."""
        warmup = min(1.0, (g_step + 1) / 100)
        for group in self.opt.param_groups:
            group["lr"] = self.args.lr * warmup * group.get("lr_mult", 1.0)
        return warmup

    def _optimise(self, loss: torch.Tensor) -> None:
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_([*self.gen.parameters(), *self.aux.parameters()], 1.0)
        self.opt.step()
        self._update_ema()

    def _mismatched(self, prompts: list[str]) -> list[str]:
        """For the matching-aware loss: every sample gets a caption of another training photo."""
        out = []
        for p in prompts:
            other = self.rng.choice(self.train_captions)
            while other == p and len(self.train_captions) > 1:
                other = self.rng.choice(self.train_captions)
            out.append(other)
        return out

    @torch.no_grad()
    def _update_ema(self) -> None:
        decay = min(self.args.ema, (1 + self.step) / (10 + self.step))
        for e, p in zip(self.ema.parameters(), self.gen.parameters()):
            e.lerp_(p, 1.0 - decay)

    @torch.no_grad()
    def evaluate(self) -> dict[str, float]:
        model, bicubic, model_empty, detail, d_gap = [], [], [], [], []
        for caption, lr, hr in self.eval_set:
            lr, hr = lr.unsqueeze(0).to(self.device), hr.to(self.device)
            z = torch.zeros(1, self.cfg.z_dim, device=self.device)
            for prompt, sink in ((caption, model), ("", model_empty)):
                feats, mask = self._text_batch([prompt])
                out = self.ema.forward_tile(lr, self.ema.condition(z, feats, mask))
                sink.append(psnr_y(out[0], hr))
                if prompt == caption:
                    detail.append(detail_ratio(out[0], hr))
                    if self.gan is not None:
                        d_gap.append(self.gan.logit_gap(hr.unsqueeze(0), out, lr, (feats, mask)))
            bicubic.append(psnr_y(bicubic_upsample(lr, self.cfg.scale)[0], hr))
        mean = lambda xs: sum(xs) / len(xs)
        figures = {"psnr_caption": mean(model), "psnr_empty": mean(model_empty), "psnr_bicubic": mean(bicubic),
                   "detail": mean(detail)}
        if d_gap:
            figures["d_gap"] = mean(d_gap)
        return figures

    # -- persistence -----------------------------------------------------------------------------
    def state(self) -> dict:
        return {"gen": self.gen.state_dict(), "ema": self.ema.state_dict(), "opt": self.opt.state_dict(),
                "aux": self.aux.state_dict(),
                "gan": self.gan.state_dict() if self.gan is not None else None, "stage": self.args.stage,
                "step": self.step, "seconds": self.seconds, "best_psnr": self.best_psnr,
                "config": self.cfg.to_json(), "rng": self.rng.getstate(), "torch_rng": torch.get_rng_state()}

    def save(self, path: Path, state: dict) -> None:
        tmp = path.with_suffix(".tmp")
        torch.save(state, tmp)
        os.replace(tmp, path)

    def resume(self, path: Path) -> None:
        s = torch.load(path, weights_only=False, map_location="cpu")
        if s["config"] != self.cfg.to_json():
            sys.exit(f"{path}: was trained with another config; use a new --run folder")
        self.gen.load_state_dict(s["gen"])
        self.ema.load_state_dict(s["ema"])
        self.aux.load_state_dict(s.get("aux", {}))
        self.opt.load_state_dict(s["opt"])
        if s.get("stage", 1) != self.args.stage:
            sys.exit(f"{path}: is a stage-{s.get('stage', 1)} run; start stage {self.args.stage} in a new --run folder")
        if self.gan is not None:
            self.gan.load_state_dict(s["gan"])
        self.step, self.seconds, self.best_psnr = s["step"], s["seconds"], s["best_psnr"]
        best = path.parent / "best.pt"
        if best.exists():   # written after this checkpoint if the run stopped between the two
            kept = torch.load(best, weights_only=False, map_location="cpu").get(self.best_key, -math.inf)
            self.best_psnr = max(self.best_psnr, kept)
        self.rng.setstate(s["rng"])
        torch.set_rng_state(s["torch_rng"])


def append_csv(path: Path, row: dict) -> None:
    """Append a row; the first row's keys are the header (later rows: missing keys blank, new ones dropped)."""
    new = not path.exists()
    fields = list(row) if new else next(csv.reader(open(path)))
    with open(path, "a", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
        if new:
            w.writeheader()
        w.writerow(row)


def session_config(args: argparse.Namespace, trainer_cls: type[Trainer]) -> dict:
    return {"trainer": trainer_cls.__name__, "script": trainer_cls.script,
            "args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()}}


def check_config(run: Path, args: argparse.Namespace, trainer_cls: type[Trainer]) -> None:
    """Before a run resumes: its config.json must name the same trainer and the same run-defining
    settings (Trainer.fixed_settings) as this session; the checkpoint's generator config and stage
    are checked again when it loads."""
    path = run / "config.json"
    if not (run / "ckpt.pt").exists() or not path.exists():
        return
    old = json.loads(path.read_text())
    was, now = trainer_cls.fixed_settings(old), trainer_cls.fixed_settings(session_config(args, trainer_cls))
    if was != now:
        differ = ", ".join(f"{k} {was[k]!r} (now {now[k]!r})" for k in was if was[k] != now[k])
        sys.exit(f"{run} was started with {differ} ({path}): resume it with the same script and settings, "
                 "or use a new --run folder")


def save_config(run: Path, args: argparse.Namespace, trainer: Trainer) -> None:
    """config.json: this session's flags, the trainer and the module that runs it, the generator
    config and the step it started at (the previous session's file is kept as config-stepN.json when
    flags other than --minutes changed)."""
    config = {**session_config(args, type(trainer)), "started_at_step": trainer.step,
              "generator": trainer.cfg.to_dict()}
    path = run / "config.json"
    if path.exists():
        old = json.loads(path.read_text())
        session_only = ("minutes",)
        if {k: v for k, v in old.get("args", {}).items() if k not in session_only} != \
                {k: v for k, v in config["args"].items() if k not in session_only}:
            os.replace(path, run / f"config-step{old.get('started_at_step', 0):05d}.json")
    path.write_text(json.dumps(config, indent=1) + "\n")


def main(trainer_cls: type[Trainer] = Trainer, args: argparse.Namespace | None = None) -> int:
    args = args if args is not None else build_parser().parse_args()
    torch.set_num_threads(args.threads)
    args.run.mkdir(parents=True, exist_ok=True)
    check_config(args.run, args, trainer_cls)
    trainer = trainer_cls(args)
    ckpt = args.run / "ckpt.pt"
    if ckpt.exists():
        trainer.resume(ckpt)
        print(f"resumed {ckpt} at step {trainer.step} ({trainer.seconds / 3600:.2f} h trained)", flush=True)
    save_config(args.run, args, trainer)
    print(f"{trainer.describe_data()}, "
          f"batch {args.batch}, {'fp32' if args.no_bf16 else 'bf16 autocast'}, {args.device}, {args.threads} threads", flush=True)

    stop = {"now": False}
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.update(now=True))

    def checkpoint() -> None:
        trainer.save(ckpt, trainer.state())

    def run_eval() -> None:
        r = trainer.evaluate()
        row = {"step": trainer.step, "seconds": round(trainer.seconds, 1), **{k: round(v, 4) for k, v in r.items()}}
        append_csv(args.run / "eval.csv", row)
        print("eval", row, flush=True)
        snapshot = {"ema": trainer.ema.state_dict(), "step": trainer.step, "seconds": trainer.seconds,
                    "config": trainer.cfg.to_json(), **r}
        if r[trainer.best_key] > trainer.best_psnr:
            trainer.best_psnr = r[trainer.best_key]
            trainer.save(args.run / "best.pt", snapshot)
        if args.stage == 2:
            # PSNR favours stage 2's starting point, so best.pt cannot pick a GAN model: keep every
            # evaluated EMA and let eval/eval.py and the eye choose (export_trained.py takes the file).
            trainer.save(args.run / f"ema-step{trainer.step:05d}.pt", snapshot)

    start = time.monotonic()
    last_ckpt = last_eval = time.monotonic()
    if trainer.step == 0:
        run_eval()
    running: dict[str, float] = {}
    logged_steps = 0            # steps in `running`: fewer than 20 right after a resume
    while not stop["now"] and time.monotonic() - start < args.minutes * 60:
        t0 = time.monotonic()
        losses = trainer.train_step()     # tensors stay on the device until logged: no sync a step
        trainer.seconds += time.monotonic() - t0
        for k, v in losses.items():
            running[k] = running.get(k, 0.0) + v
        logged_steps += 1
        if trainer.step % 20 == 0:
            row = {"step": trainer.step, "seconds": round(trainer.seconds, 1),
                   **{k: round(float(v) / logged_steps, 6) for k, v in running.items()}}
            append_csv(args.run / "log.csv", row)
            print(row, flush=True)
            running, logged_steps = {}, 0
        now = time.monotonic()
        if now - last_eval > args.eval_minutes * 60:
            run_eval()
            last_eval = now
        if now - last_ckpt > args.ckpt_minutes * 60:
            checkpoint()
            last_ckpt = now
    checkpoint()
    print(f"stopped at step {trainer.step}; checkpoint {ckpt}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
