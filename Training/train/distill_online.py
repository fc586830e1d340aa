"""Distil with the teacher running beside the student, on a GPU, instead of from a target cache.

    python3 -m train.distill_online --run RUN --teacher-weights x4plus.safetensors --data PACKED \\
        --device cuda --config gigagan-8x-s-v3 --init ../Models/gigagan-8x-s.safetensors [distill.py flags]

train/distill.py's trainer (losses, hint, stage 2, evaluation, checkpoints, resume) with its targets
made on the fly by make_targets.py's recipe: CPU workers cut crops and degrade them (--workers), the
8x teacher (bicubic2, fp16 autocast) runs on the device, and every step adds --fresh samples to a
ring buffer of --buffer on the device, from which the batch is drawn under one random flip/turn.
On an H200 x4plus costs about as much as a student step, so each target is seen about
batch/fresh times before it is overwritten. The evaluation targets are made once at the start,
by the same recipe as make_targets.py --split eval (clean area ÷8, --eval-tile, --eval-count).

The teacher's weights come from gigagan/teacher/portable.py (the machine needs no ncnn wheel).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import torch
from torch import Tensor
from torch.utils.data import DataLoader, IterableDataset

from gigagan.data import Photo, load_photos, sqrt_area_weights
from gigagan.metrics import psnr_y
from gigagan.make_targets import SCALE, cut_margin, draw_input, to_uint8
from gigagan.teacher import portable
from gigagan.teacher.eightx import Teacher8x
from train.distill import DistillTrainer, build_distill_parser, dihedral
from train.train import main

PROFILE_EVERY = 200     # steps between the synchronised timings train_step prints on a GPU


def build_parser() -> argparse.ArgumentParser:
    ap = build_distill_parser(__doc__, cached_targets=False)
    ap.add_argument("--teacher-weights", type=Path, required=True, help="x4plus from gigagan/teacher/portable.py")
    ap.add_argument("--tile", type=int, default=32, help="LR training tile (a multiple of 8)")
    ap.add_argument("--margin", type=int, default=4, help="LR px of context the teacher sees on each side")
    ap.add_argument("--fresh", type=int, default=32, help="new teacher targets per step")
    ap.add_argument("--buffer", type=int, default=16384, help="targets kept on the device to draw batches from")
    ap.add_argument("--workers", type=int, default=12, help="CPU processes cutting and degrading crops")
    ap.add_argument("--eval-tile", type=int, default=64)
    ap.add_argument("--eval-count", type=int, default=16)
    return ap


class CropStream(IterableDataset):
    """Endless (LR with margin, ground truth, caption index) triples, uint8, by make_targets.py's recipe."""

    def __init__(self, photos: list[Photo], captions: list[str], crop: int, seed: str):
        self.photos, self.crop, self.seed = photos, crop, seed
        self.weights = sqrt_area_weights(photos)
        self.caption_index = {c: i for i, c in enumerate(captions)}

    def __iter__(self):
        info = torch.utils.data.get_worker_info()
        rng = random.Random(f"{self.seed}:{info.id if info else 0}")
        torch.set_num_threads(1)
        while True:
            photo, hr, lr = draw_input(self.photos, self.weights, rng, "train", self.crop)
            yield to_uint8(lr), to_uint8(hr), self.caption_index[photo.caption]


class TargetRing:
    """The last `capacity` teacher targets, on the device; `draw` picks a batch at random."""

    def __init__(self, capacity: int):
        self.capacity, self.parts, self.size, self.next = capacity, None, 0, 0

    def add(self, **parts: Tensor) -> None:
        if self.parts is None:
            self.parts = {k: v.new_empty((self.capacity, *v.shape[1:])) for k, v in parts.items()}
        n = next(iter(parts.values())).shape[0]
        slots = (torch.arange(n) + self.next) % self.capacity
        for k, v in parts.items():
            self.parts[k][slots.to(v.device)] = v
        self.next = (self.next + n) % self.capacity
        self.size = min(self.capacity, self.size + n)

    def draw(self, k: int, rng: random.Random) -> dict[str, Tensor]:
        idx = torch.tensor([rng.randrange(self.size) for _ in range(k)])
        return {name: t[idx.to(t.device)] for name, t in self.parts.items()}


class OnlineDistillTrainer(DistillTrainer):
    script = "train.distill_online"

    def _load_targets(self) -> None:
        a = self.args
        if a.tile % 8 or a.eval_tile % 8:
            sys.exit("--tile and --eval-tile must be multiples of 8")
        torch.backends.cudnn.benchmark = True          # fixed shapes: let cuDNN pick its fastest kernels
        net = portable.load(a.teacher_weights).to(self.device).to(memory_format=torch.channels_last)
        self.teacher = Teacher8x("bicubic2", net)
        crop = (a.tile + 2 * a.margin) * SCALE
        photos = [p for p in load_photos({"train"}, a.data) if min(p.pixels.shape[1:]) >= crop]
        eval_crop = (a.eval_tile + 2 * a.margin) * SCALE
        eval_photos = [p for p in load_photos({"eval"}, a.data) if min(p.pixels.shape[1:]) >= eval_crop]
        self.train_captions = [p.caption for p in photos]
        self.captions = sorted(set(self.train_captions))
        self.text = self._encode_captions(set(self.captions) | {p.caption for p in eval_photos})
        self.eval_samples = self._eval_targets(eval_photos, eval_crop)
        self._check_teacher_precision()
        stream = CropStream(photos, self.captions, crop, f"{a.seed}:{self.step}:{time.time_ns()}")
        self.crops = iter(DataLoader(stream, batch_size=a.fresh, num_workers=a.workers,
                                     pin_memory=self.device.type == "cuda",
                                     multiprocessing_context="fork" if a.workers else None,
                                     persistent_workers=a.workers > 0))
        self.ring = TargetRing(a.buffer)
        self.made = 0
        self._refill(max(a.batch, min(a.buffer, 8 * a.fresh)))
        print(f"{len(photos)} training photos, {self.made} targets to start with", flush=True)

    def _teach(self, lr: Tensor) -> tuple[Tensor, Tensor]:
        with torch.autocast(self.device.type, dtype=torch.float16, enabled=self.device.type == "cuda"):
            out, trunk = self.teacher(lr.contiguous(memory_format=torch.channels_last))
        return out.float().clamp(0, 1), trunk.float()

    def _eval_targets(self, photos: list[Photo], crop: int) -> list[dict]:
        weights = sqrt_area_weights(photos)
        samples = []
        for i in range(self.args.eval_count):
            photo, hr, lr = draw_input(photos, weights, random.Random(f"{self.args.seed}:eval:{i}"), "eval", crop)
            out, trunk = self._teach(lr[None].to(self.device))
            lr, target, hr, _ = cut_margin(self.args.margin, lr, out[0].cpu(), hr, trunk[0])
            samples.append({"lr": to_uint8(lr), "target": to_uint8(target), "hr": to_uint8(hr), "caption": photo.caption})
        return samples

    def _check_teacher_precision(self) -> None:
        """The teacher runs in fp16 on a GPU: how far that is from fp32, on the first evaluation target."""
        lr = (self.eval_samples[0]["lr"].float() / 255.0)[None].to(self.device)
        fast = self._teach(lr)[0]
        with torch.no_grad():
            exact = self.teacher(lr)[0].clamp(0, 1)
        print(f"teacher fp16 against fp32: PSNR-Y {psnr_y(fast[0].cpu(), exact[0].cpu()):.1f} dB", flush=True)

    def _refill(self, count: int) -> None:
        """Adds `count` new teacher targets to the ring."""
        self.data_seconds = 0.0
        while count > 0:
            start = time.monotonic()
            lr8, hr8, caption = next(self.crops)
            self.data_seconds += time.monotonic() - start
            lr = lr8.to(self.device, non_blocking=True).float() / 255.0
            out, trunk = self._teach(lr)
            lr_in, target, hr, trunk = cut_margin(self.args.margin, lr8, out, hr8, trunk)
            # The captions stay on the host, where the batch's prompts are looked up.
            parts = {"lr": lr_in.to(self.device), "target": to_uint8(target), "hr": hr.to(self.device), "caption": caption}
            if len(self.aux):
                parts["trunk"] = trunk.half()
            self.ring.add(**parts)
            self.made += lr8.shape[0]
            count -= lr8.shape[0]

    def _list_targets(self) -> None:
        pass

    def train_step(self) -> dict[str, float | Tensor]:
        """Adds the step's fresh targets to the ring, then distill.py's step on a batch drawn from
        it; `data_s` is how long the step waited for the CPU workers' crops. Every `PROFILE_EVERY`
        steps on a GPU it also prints where that step's time went, synchronised: crops, the
        teacher, the student (the other steps never wait for the device)."""
        profiling = self.device.type == "cuda" and self.step % PROFILE_EVERY == 0
        if profiling:
            torch.cuda.synchronize()
        start = time.monotonic()
        self._refill(self.args.fresh)
        if profiling:
            torch.cuda.synchronize()
        refilled = time.monotonic()
        stats = super().train_step()
        if profiling:
            torch.cuda.synchronize()
            print(f"profile at step {self.step}: crops {self.data_seconds * 1e3:.1f} ms, "
                  f"teacher {(refilled - start - self.data_seconds) * 1e3:.1f} ms, "
                  f"student {(time.monotonic() - refilled) * 1e3:.1f} ms", flush=True)
        return {**stats, "data_s": self.data_seconds}

    def target_count(self) -> int:
        return self.made

    def describe_data(self) -> str:
        return f"teacher targets made on the fly, {len(self.eval_samples)} evaluation targets"

    def _train_batch(self):
        """A batch from the ring (train_step has added this step's fresh targets)."""
        a = self.args
        b = self.ring.draw(a.batch, self.rng)
        k, flip = self.rng.randrange(4), self.rng.random() < 0.5
        parts = [b["lr"], b["target"], b["hr"]] + ([b["trunk"]] if "trunk" in b else [])
        parts = [x.float() for x in dihedral(parts, k, flip)]
        lr, target, hr = (x / 255.0 for x in parts[:3])
        trunk = parts[3] if len(parts) > 3 else None
        prompts = ["" if self.rng.random() < a.caption_dropout else self.captions[i] for i in b["caption"].tolist()]
        return lr, target, hr, trunk, prompts


if __name__ == "__main__":
    sys.exit(main(OnlineDistillTrainer, build_parser().parse_args()))
