"""The Python sides of `gigascale-bench` (PyTorch and ncnn baselines), started by the Swift tool as
`python -m bench.<script>` with Training/ on PYTHONPATH."""
