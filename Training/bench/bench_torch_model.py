#!/usr/bin/env python3
"""PyTorch side of `gigascale-bench torch`: the same GigaGAN weights file and tile plan as the
Swift upscaler, in the PyTorch twin (Training/gigagan), eager, CPU, torch.inference_mode.

Serves requests so that one benchmark invocation can alternate Swift and PyTorch runs (A B A B):
one JSON object per line on stdin, one reply per line on stdout (nothing else is printed there).

    cd Training && python -m bench.bench_torch_model --weights W.safetensors --threads N [--text-encoder DIR] [--channels-last]
      -> {"ready": true, "torch": "...", "config": "...", "threads": N}
    {"cmd": "load", "image": RAW, "width": W, "height": H, "seed": S, "plan": PLAN}
      RAW: float32 RGB planes [3, H, W], native byte order; PLAN: the Swift side's tile plan
      {"tile", "overlap", "scale", "columns"/"rows": {"length", "padded", "extent", "origins"}}
      -> {"ok": true, "tiles": count}
    {"cmd": "upscale", "precision": "fp32" | "bf16", "output": optional path}
      -> {"seconds": s}; with "output", the result [3, H*scale, W*scale] float32 is written there
      after the timing
    {"cmd": "quit"}
Errors reply {"error": "..."}.

One timed upscale does what Swift's `Upscaler.upscale` does for an image: encode the (empty)
prompt with the frozen text encoder, condition the generator once (z from the seed), then every
tile of the plan in raster order, batch 1: reflect-padded crop, position-keyed input noise,
forward_tile, and the raised-cosine overlap blend (weights normalised to sum to one) into the
output, which is finally cropped and clamped to [0, 1]. bf16 runs the tiles under CPU autocast
(conditioning in fp32). The noise field is computed for the whole padded image once per run,
vectorised (Swift computes it per tile); both follow Gigascale's PositionalNoise, so the outputs
agree up to the arithmetic's rounding (the benchmark prints their PSNR). PyTorch's default memory
format is NCHW; --channels-last runs the tiles channels-last (NHWC, Gigascale's layout) instead.
"""
import argparse
import math
import sys
import time

import numpy as np
import torch

from bench.json_lines import reply, serve
from gigagan.export import load as load_generator
from gigagan.positional_noise import positional_noise
from gigagan.text_encoder import TextEncoder

def reflect(i: np.ndarray, n: int) -> np.ndarray:
    """numpy-style 'reflect' indices into 0..<n (the edge is not repeated), as the Swift tiler pads."""
    if n <= 1:
        return np.zeros_like(i)
    period = 2 * (n - 1)
    m = np.mod(i, period)
    return np.where(m < n, m, period - m)


def axis_weights(origins: list[int], extent: int, overlap: int, scale: int, padded: int) -> list[torch.Tensor]:
    """Per tile, its blend weight at each of its extent*scale output positions (sin^2 ramps across
    the overlap at edges shared with a neighbour, then normalised to sum to one)."""
    span, ramp = extent * scale, overlap * scale

    def ramp_value(t: int) -> float:
        return math.sin(math.pi / 2 * (t + 0.5) / ramp) ** 2

    raw = []
    for k in range(len(origins)):
        w = np.ones(span)
        if ramp > 0:
            for t in range(span):
                if k > 0 and t < ramp:
                    w[t] = min(w[t], ramp_value(t))
                if k < len(origins) - 1 and t >= span - ramp:
                    w[t] = min(w[t], ramp_value(span - 1 - t))
        raw.append(w)
    total = np.zeros(padded * scale)
    for k, o in enumerate(origins):
        total[o * scale:o * scale + span] += raw[k]
    return [torch.from_numpy((raw[k] / total[o * scale:o * scale + span]).astype(np.float32))
            for k, o in enumerate(origins)]


class Job:
    """One image and its tile plan, ready to be upscaled repeatedly."""

    def __init__(self, request: dict):
        w, h = request["width"], request["height"]
        raw = np.fromfile(request["image"], dtype=np.float32)
        if raw.size != 3 * w * h:
            raise ValueError(f"{request['image']}: {raw.size} floats, expected 3x{h}x{w}")
        self.image = raw.reshape(3, h, w)
        self.width, self.height, self.seed = w, h, int(request["seed"])
        plan = request["plan"]
        self.scale, self.cols, self.rows = plan["scale"], plan["columns"], plan["rows"]
        self.wx = axis_weights(self.cols["origins"], self.cols["extent"], plan["overlap"], self.scale, self.cols["padded"])
        self.wy = axis_weights(self.rows["origins"], self.rows["extent"], plan["overlap"], self.scale, self.rows["padded"])

    @property
    def tiles(self) -> int:
        return len(self.cols["origins"]) * len(self.rows["origins"])


class Server:
    def __init__(self, weights: str, text_encoder: str | None, channels_last: bool = False):
        self.gen = load_generator(weights, torch.float32)
        # Only the inputs: convolutions keep a channels-last input's format in their outputs.
        self.memory_format = torch.channels_last if channels_last else torch.contiguous_format
        self.cfg = self.gen.cfg
        self.text = TextEncoder(text_encoder, max_len=self.cfg.max_tokens)
        self.job: Job | None = None

    def upscale(self, bf16: bool) -> tuple[float, torch.Tensor]:
        job, gen, cfg, s = self.job, self.gen, self.cfg, self.job.scale
        ex, ey = job.cols["extent"], job.rows["extent"]
        hp, wp = job.rows["padded"], job.cols["padded"]
        start = time.perf_counter()
        with torch.inference_mode():
            feats, mask = self.text.encode(None)
            z = torch.from_numpy(positional_noise(job.seed, -1, 0, np.arange(cfg.z_dim)))[None]
            cond = gen.condition(z, feats, mask)
            yy, xx = np.arange(hp)[:, None], np.arange(wp)[None, :]
            noise = torch.from_numpy(np.stack([positional_noise(job.seed, c, yy, xx) for c in range(3)]))
            rows, cols = reflect(np.arange(hp), job.height), reflect(np.arange(wp), job.width)
            padded = torch.from_numpy(np.ascontiguousarray(job.image[:, rows][:, :, cols]))
            out = torch.zeros(3, hp * s, wp * s)
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                for j, y0 in enumerate(job.rows["origins"]):
                    for i, x0 in enumerate(job.cols["origins"]):
                        lr = padded[None, :, y0:y0 + ey, x0:x0 + ex].contiguous(memory_format=self.memory_format)
                        nz = noise[None, :, y0:y0 + ey, x0:x0 + ex].contiguous(memory_format=self.memory_format)
                        hr = gen.forward_tile(lr, cond, nz)[0].float()
                        out[:, y0 * s:(y0 + ey) * s, x0 * s:(x0 + ex) * s] += hr * (job.wy[j][:, None] * job.wx[i][None, :])
            result = out[:, :job.height * s, :job.width * s].clamp(0, 1)
        return time.perf_counter() - start, result

    def load(self, request: dict) -> dict:
        self.job = Job(request)
        if self.job.scale != self.cfg.scale:
            raise ValueError(f"plan scale {self.job.scale} != model scale {self.cfg.scale}")
        return {"ok": True, "tiles": self.job.tiles}

    def run(self, request: dict) -> dict:
        if self.job is None:
            raise ValueError("upscale before load")
        seconds, result = self.upscale(request.get("precision") == "bf16")
        if request.get("output"):
            result.contiguous().numpy().tofile(request["output"])
        return {"seconds": seconds}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--weights", required=True)
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    parser.add_argument("--text-encoder", default=None, help="folder with model.safetensors + vocab.txt (default: Models/text-encoder)")
    parser.add_argument("--channels-last", action="store_true", help="run the tiles in PyTorch's channels-last memory format")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    try:
        server = Server(args.weights, args.text_encoder, args.channels_last)
    except Exception as e:  # noqa: BLE001 -- reported to the Swift side as one line
        reply({"error": f"{args.weights}: {e}"})
        return 1
    reply({"ready": True, "torch": torch.__version__, "config": server.cfg.name, "threads": torch.get_num_threads(),
           "memoryFormat": "channels-last" if args.channels_last else "NCHW"})
    serve({"load": server.load, "upscale": server.run})
    return 0


if __name__ == "__main__":
    sys.exit(main())
