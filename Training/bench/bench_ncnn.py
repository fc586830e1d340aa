"""PyPI ncnn as a timing server for `gigascale-bench ncnn`: one JSON request per line on stdin,
one JSON reply per line on stdout.

    {"cmd": "load", "param": P, "bin": B, "threads": N}  -> {"ncnn": version}
    {"cmd": "run", "input": F, "height": H, "width": W}  -> {"seconds": s, "cpu_seconds": c, "shape": [C, H', W']}
        (F: raw float32 CHW RGB; optional "output": a path to write the result to, raw float32)
    {"cmd": "quit"}

ncnn runs on the CPU with its own defaults (Winograd and sgemm convolutions on, packing layout,
its fp16/bf16 storage options as it chooses for this CPU); only Vulkan is turned off and the
thread count set. Only ex.input + ex.extract are timed, in wall time and in this process's CPU
time (the fair measure on a machine shared with other jobs, at one thread).
"""
import json
import sys
import time

import ncnn
import numpy as np


def main():
    net = None
    for line in sys.stdin:
        request = json.loads(line)
        try:
            if request["cmd"] == "quit":
                break
            if request["cmd"] == "load":
                net = ncnn.Net()
                net.opt.use_vulkan_compute = False
                net.opt.num_threads = int(request["threads"])
                if net.load_param(request["param"]) != 0 or net.load_model(request["bin"]) != 0:
                    raise RuntimeError(f"ncnn cannot load {request['param']}")
                reply = {"ncnn": ncnn.__version__}
            elif request["cmd"] == "run":
                h, w = int(request["height"]), int(request["width"])
                chw = np.fromfile(request["input"], dtype=np.float32).reshape(3, h, w)
                mat = ncnn.Mat(chw)
                start, cpu_start = time.perf_counter(), time.process_time()
                ex = net.create_extractor()
                ex.input("data", mat)
                ret, out = ex.extract("output")
                seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
                if ret != 0:
                    raise RuntimeError("ncnn extract failed")
                result = np.array(out)
                if "output" in request:
                    result.astype(np.float32).tofile(request["output"])
                reply = {"seconds": seconds, "cpu_seconds": cpu_seconds, "shape": list(result.shape)}
            else:
                raise ValueError(f"unknown command {request['cmd']}")
        except Exception as error:  # the bench prints it
            reply = {"error": str(error)}
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
