#!/bin/bash
# Stage-1 (or 2) training on a lent GPU machine, run there from the repository root by the
# `device` tool; see "Training on a lent GPU" in Training/README.md for the steps around it.
#   bash Training/device-train.sh MINUTES [train.py options...]
# Reads the packed photos from .device-data/ (data/pack.py), resumes .device-run/ if it travelled
# back, and leaves the EMA weights in $OUT as ≤12 MiB shards plus the CSV logs.
set -euo pipefail
minutes=${1:?minutes}; shift
cd Training
export PYTHONUNBUFFERED=1
python3 train.py --run ../.device-run --data ../.device-data --device cuda --threads 16 \
    --minutes "$minutes" --ckpt-minutes 2 --eval-minutes 2 "$@"
python3 shard_weights.py split ../.device-run/best.pt "$OUT/best"
python3 shard_weights.py split ../.device-run/ckpt.pt "$OUT/last"
cp ../.device-run/log.csv ../.device-run/eval.csv "$OUT/"
