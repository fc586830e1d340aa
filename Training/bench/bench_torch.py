#!/usr/bin/env python3
"""PyTorch baseline for `gigascale-bench engine`: times the same 3x3 convolutions (eager, CPU,
torch.inference_mode) in both memory formats -- PyTorch's default NCHW ("nchw") and channels-last
("nhwc", the layout Gigascale keeps) -- and prints JSON, one object per case:
{"key": "CIN:COUT:SIZE:PRECISION:LAYOUT", "seconds": median}. bf16 uses CPU autocast."""
import argparse
import json
import time

import torch


def median_seconds(fn, minimum_seconds, warmups=2):
    for _ in range(warmups):
        fn()
    samples, start = [], time.perf_counter()
    while time.perf_counter() - start < minimum_seconds or len(samples) < 3:
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    samples.sort()
    return samples[len(samples) // 2]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    parser.add_argument("--seconds", type=float, default=1.0)
    parser.add_argument("--precisions", default="fp32")
    parser.add_argument("--shape", action="append", default=[], help="CIN:COUT:SIZE")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    results = []
    with torch.inference_mode():
        for precision in args.precisions.split(","):
            for shape in args.shape:
                cin, cout, size = (int(v) for v in shape.split(":"))
                for layout, memory_format in (("nchw", torch.contiguous_format), ("nhwc", torch.channels_last)):
                    conv = torch.nn.Conv2d(cin, cout, 3, padding=1).eval().to(memory_format=memory_format)
                    x = torch.rand(1, cin, size, size).contiguous(memory_format=memory_format)
                    autocast = precision == "bf16"

                    def run():
                        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=autocast):
                            conv(x)
                    results.append({"key": f"{cin}:{cout}:{size}:{precision}:{layout}",
                                    "seconds": median_seconds(run, args.seconds)})
    print(json.dumps(results))


if __name__ == "__main__":
    main()
