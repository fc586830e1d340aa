"""Training jobs: train (stage 1 and 2), distill, export, curves, the discriminator probe, weight shards
and the lent-GPU wrapper (device-train.sh). Run from Training/: `.venv/bin/python -m train.<script>`."""
