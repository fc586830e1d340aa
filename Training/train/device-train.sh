#!/bin/bash
# Stage-1 or stage-2 training on a lent GPU machine, run there from the repository root by the
# `device` tool; see "Training on a lent GPU" in Training/README.md for the steps around it.
#   bash Training/train/device-train.sh MINUTES [train.train options...]
# Reads the packed photos from .device-data/ (data/pack.py), resumes .device-run/ if it travelled
# back, and leaves in $OUT as ≤12 MiB shards: the EMA weights of best.pt (best/), of the last
# checkpoint (last/) and, for stage 2, of every evaluation (ema-stepNNNNN/), plus the CSV logs.
# Stage 2 starts from the shipped stage-1 model: --init ../Models/gigagan-8x-s-psnr.safetensors.
set -euo pipefail
minutes=${1:?minutes}; shift
cd "$(dirname "${BASH_SOURCE[0]}")/.."     # Training/: the scripts run as modules from here
export PYTHONUNBUFFERED=1
run=../.device-run
python3 -m train.train --run "$run" --data ../.device-data --device cuda --threads 16 \
    --minutes "$minutes" --ckpt-minutes 2 --eval-minutes 2 "$@"
python3 -m train.shard_weights split "$run/best.pt" "$OUT/best"
python3 -m train.shard_weights split "$run/ckpt.pt" "$OUT/last"
for snapshot in "$run"/ema-step*.pt; do
    [ -e "$snapshot" ] && python3 -m train.shard_weights split "$snapshot" "$OUT/$(basename "$snapshot" .pt)"
done
cp "$run/log.csv" "$run/eval.csv" "$OUT/"
