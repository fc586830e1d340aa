#!/bin/bash
# Distillation with the teacher beside the student (train/distill_online.py) on a lent GPU machine,
# run there from the repository root by the `device` tool. "Distillation on a lent GPU" in
# Training/README.md gives the steps around it (packing .device-data/, making room, bringing the
# results home).
#   bash Training/train/device-distill.sh MINUTES [train.distill_online flags, e.g. --stage 2 --init …]
# MINUTES bounds the training loop only: starting (photos, teacher, evaluation targets, cuDNN's
# autotuning) and exporting took about 70 s more on an H200, so give the call MINUTES + 2.5 min.
# Leaves in $OUT: models.tar.* (≤15 MiB parts of one tar of the exported EMA of best.pt and of
# the last checkpoint, or in stage 2 of the last checkpoint and the last two evaluations: at most
# 52 MB) and logs.tar.
# One run per call: the next call's machine may be a fresh one, without this run's folder.
# A dry run on a CPU: DEVICE=cpu with small settings, e.g.
#   OUT=/tmp/out DEVICE=cpu bash Training/train/device-distill.sh 0.2 --batch 2 --fresh 2 --buffer 8 \
#       --workers 1 --tile 16 --eval-tile 16 --eval-count 2 --threads 2
set -uo pipefail
minutes=${1:?minutes}; shift
cd "$(dirname "${BASH_SOURCE[0]}")/.."     # Training/: the scripts run as modules from here
export PYTHONUNBUFFERED=1
data=../.device-data run=../.device-run/distill exports=../.device-run/exports
mkdir -p "$exports"
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader 2>/dev/null
python3 -m train.distill_online --run "$run" --teacher-weights "$data/x4plus.safetensors" --data "$data" \
    --device "${DEVICE:-cuda}" --threads 8 --workers 12 --config gigagan-8x-s-v3 \
    --init ../Models/gigagan-8x-s.safetensors --hint-weight 0.01 --freq-weight 0.1 \
    --batch 64 --fresh 16 --buffer 16384 --ema 0.998 --ckpt-minutes 1 --eval-minutes 1 \
    --minutes "$minutes" "$@" 2>&1 | tee ../.device-run/train.log
# Stage 1: the best PSNR-Y to the teacher and the last. Stage 2 (which keeps an EMA snapshot per
# evaluation, and where PSNR cannot pick): the last and the two latest snapshots, to judge by eye.
# Three exports of 17 MB are what fits the 64 MiB that may come back.
snapshots=$(ls "$run"/ema-step*.pt 2>/dev/null | tail -n 2)
[ -n "$snapshots" ] || python3 -m train.export_trained "$run" "$exports/best.safetensors" --from best
python3 -m train.export_trained "$run" "$exports/last.safetensors" --from ckpt
for snapshot in $snapshots; do
    python3 -m train.export_trained "$snapshot" "$exports/$(basename "$snapshot" .pt).safetensors"
done
tar cf - "$exports" | split -b 15M - "$OUT/models.tar."
tar cf "$OUT/logs.tar" "$run"/*.csv ../.device-run/train.log
ls -l "$OUT"
