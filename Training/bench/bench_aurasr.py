"""fal's AuraSR in PyTorch as a timing server for `gigascale-bench aurasr`: one JSON request per
line on stdin, one JSON reply per line on stdout.

    {"cmd": "load", "weights": W, "threads": N}  -> {"torch": version}
        (W: fal's model.safetensors with its config.json beside it)
    {"cmd": "run", "input": F, "size": S, "precision": "fp32"|"bf16"}
        -> {"seconds": s, "cpu_seconds": c}
        (F: raw float32 CHW RGB of one S×S tile; optional "output": a path for the result, raw float32)
    {"cmd": "quit"}

`aura_sr.UnetUpsampler` as fal ships it, eager, CPU, torch.inference_mode, torch.set_num_threads(N);
bf16 is CPU autocast. The style latent is Gigascale's for seed 0 and fal's 0.001-scaled input
noise is zero (the Swift side passes zero noise too), so both sides compute the same tile. Only
the forward call is timed.
"""
import json
import time
from pathlib import Path
from unittest import mock

import numpy as np
import torch
from safetensors.torch import load_file

from aura_sr import UnetUpsampler

from bench.json_lines import serve
from gigagan.positional_noise import positional_noise


class Server:
    def __init__(self):
        self.model, self.z = None, None

    def load(self, request: dict) -> dict:
        torch.set_num_threads(int(request["threads"]))
        weights = Path(request["weights"])
        config = json.loads((weights.parent / "config.json").read_text())
        self.model = UnetUpsampler(**config).eval()
        self.model.load_state_dict(load_file(str(weights)), strict=True)
        dim = config["style_network"].get("dim_in", 128)
        self.z = torch.from_numpy(positional_noise(0, -1, 0, np.arange(dim)))[None]
        return {"torch": torch.__version__}

    def run(self, request: dict) -> dict:
        s = int(request["size"])
        x = torch.from_numpy(np.fromfile(request["input"], dtype=np.float32).reshape(1, 3, s, s))
        bf16 = request["precision"] == "bf16"
        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16), \
                mock.patch.object(torch, "randn_like", torch.zeros_like):
            start, cpu_start = time.perf_counter(), time.process_time()
            out = self.model(lowres_image=x, noise=self.z)
            seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
        if "output" in request:
            out.float().numpy().astype(np.float32).tofile(request["output"])
        return {"seconds": seconds, "cpu_seconds": cpu_seconds}


def main():
    server = Server()
    serve({"load": server.load, "run": server.run})


if __name__ == "__main__":
    main()
