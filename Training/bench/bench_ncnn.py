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
import time

import ncnn
import numpy as np

from bench.json_lines import serve


class Server:
    def __init__(self):
        self.net = None

    def load(self, request: dict) -> dict:
        self.net = ncnn.Net()
        self.net.opt.use_vulkan_compute = False
        self.net.opt.num_threads = int(request["threads"])
        if self.net.load_param(request["param"]) != 0 or self.net.load_model(request["bin"]) != 0:
            raise RuntimeError(f"ncnn cannot load {request['param']}")
        return {"ncnn": ncnn.__version__}

    def run(self, request: dict) -> dict:
        h, w = int(request["height"]), int(request["width"])
        chw = np.fromfile(request["input"], dtype=np.float32).reshape(3, h, w)
        mat = ncnn.Mat(chw)
        start, cpu_start = time.perf_counter(), time.process_time()
        ex = self.net.create_extractor()
        ex.input("data", mat)
        ret, out = ex.extract("output")
        seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
        if ret != 0:
            raise RuntimeError("ncnn extract failed")
        result = np.array(out)
        if "output" in request:
            result.astype(np.float32).tofile(request["output"])
        return {"seconds": seconds, "cpu_seconds": cpu_seconds, "shape": list(result.shape)}


def main():
    server = Server()
    serve({"load": server.load, "run": server.run})


if __name__ == "__main__":
    main()
