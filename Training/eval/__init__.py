"""Evaluation jobs, through the `gigascale` binary or against reference implementations. Run from
Training/: `.venv/bin/python -m eval.<script>`."""
