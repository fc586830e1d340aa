"""The request loop of the timing servers `gigascale-bench` starts (bench_ncnn, bench_aurasr,
bench_torch_model): one JSON request per line on stdin, one JSON reply per line on stdout.

Standard library only, so it runs in any of their Pythons (the ncnn one has no torch).
"""
import json
import sys
from typing import Callable


def reply(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def serve(handlers: dict[str, Callable[[dict], dict]]) -> None:
    """Answers each request with `handlers[request["cmd"]](request)` until {"cmd": "quit"} or the
    end of input; an unknown command or a handler's exception is one {"error": …} reply."""
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            if request.get("cmd") == "quit":
                break
            handler = handlers.get(request.get("cmd"))
            if handler is None:
                raise ValueError(f"unknown command {request.get('cmd')!r}")
            answer = handler(request)
        except Exception as error:  # noqa: BLE001 -- the Swift side prints it
            answer = {"error": f"{type(error).__name__}: {error}"}
        reply(answer)
