"""Save and load generator weights as safetensors.

File layout: one tensor per state-dict key (the names the Swift side loads), all fp16 or all fp32;
__metadata__ = {"format": "gigascale-gigagan", "config": <GeneratorConfig JSON>}.

    python -m gigagan.export CONFIG OUT.safetensors [--fp32] [--seed N]   (random-weight file, from Training/)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import torch
from safetensors import safe_open
from safetensors.torch import save_file

from .config import ConfigError, GeneratorConfig, get_config
from .generator import Generator

FORMAT = "gigascale-gigagan"


class WeightsError(ValueError):
    """A weights file that is not a valid gigascale-gigagan file for its config."""


def save(gen: Generator, path: str | Path, dtype: torch.dtype = torch.float16, extra_metadata: dict | None = None) -> None:
    if dtype not in (torch.float16, torch.float32):
        raise ValueError("dtype must be torch.float16 or torch.float32")
    tensors = {k: v.detach().to("cpu", dtype).contiguous() for k, v in gen.state_dict().items()}
    meta = {"format": FORMAT, "config": gen.cfg.to_json()}
    meta.update(extra_metadata or {})
    save_file(tensors, str(path), metadata=meta)


def read_config(path: str | Path) -> GeneratorConfig:
    with safe_open(str(path), "pt") as f:
        meta = f.metadata() or {}
    if meta.get("format") != FORMAT:
        raise WeightsError(f"{path}: not a {FORMAT} file (__metadata__ format = {meta.get('format')!r})")
    if "config" not in meta:
        raise WeightsError(f"{path}: __metadata__ has no 'config'")
    try:
        return GeneratorConfig.from_json(meta["config"])
    except ConfigError as e:
        raise WeightsError(f"{path}: {e}") from None


def load(path: str | Path, dtype: torch.dtype = torch.float32) -> Generator:
    """Build the generator from the file's config and load its tensors (strict: names and shapes)."""
    cfg = read_config(path)
    gen = Generator(cfg)
    expected = gen.state_dict()
    with safe_open(str(path), "pt") as f:
        keys = set(f.keys())
        missing = sorted(set(expected) - keys)
        unexpected = sorted(keys - set(expected))
        problems = []
        if missing:
            problems.append(f"missing tensors: {', '.join(missing[:10])}" + (" ..." if len(missing) > 10 else ""))
        if unexpected:
            problems.append(f"unexpected tensors: {', '.join(unexpected[:10])}" + (" ..." if len(unexpected) > 10 else ""))
        sd = {}
        for k in sorted(set(expected) & keys):
            t = f.get_tensor(k)
            if tuple(t.shape) != tuple(expected[k].shape):
                problems.append(f"{k}: shape {tuple(t.shape)}, config {cfg.name!r} needs {tuple(expected[k].shape)}")
            elif not t.is_floating_point():
                problems.append(f"{k}: dtype {t.dtype} is not floating point")
            else:
                sd[k] = t.float()
    if problems:
        raise WeightsError(f"{path}: " + "; ".join(problems))
    gen.load_state_dict(sd, strict=True)
    return gen.to(dtype).eval()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("config")
    ap.add_argument("out", type=Path)
    ap.add_argument("--fp32", action="store_true")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    torch.manual_seed(a.seed)
    save(Generator(get_config(a.config)), a.out, torch.float32 if a.fp32 else torch.float16)
    print(f"wrote {a.out} ({a.out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
