#!/bin/bash
# Distillation at scale, then the GAN stage on top, on a lent GPU machine; run there from the
# repository root by the `device` tool. "Distillation on a lent GPU" in Training/README.md gives
# the steps around it (packing .device-data/, making room, bringing the results home).
#   bash Training/train/device-distill.sh DISTILL_MINUTES GAN_MINUTES
# Leaves in $OUT: distill.tar.* (the distilled student's best EMA, exported), gan.tar.* (the GAN
# stage's last two evaluated EMAs, exported), each split into ≤15 MiB parts, and logs.tar.
# The distilled student is written before the GAN stage starts, so a run cut short keeps it.
set -uo pipefail
distill_minutes=${1:?distill minutes}; gan_minutes=${2:?gan minutes}
cd "$(dirname "${BASH_SOURCE[0]}")/.."     # Training/: the scripts run as modules from here
export PYTHONUNBUFFERED=1
data=../.device-data runs=../.device-run
mkdir -p "$runs/exports"
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader 2>/dev/null
# A dry run on a CPU: DEVICE=cpu EXTRA="--batch 2 --fresh 2 --buffer 8 --workers 1 --tile 16 --eval-tile 16 --eval-count 2"
common=(--teacher-weights "$data/x4plus.safetensors" --data "$data" --device "${DEVICE:-cuda}" --threads 8 --workers 12
        --config gigagan-8x-s-v3 --hint-weight 0.01 --freq-weight 0.1 --ckpt-minutes 1 --eval-minutes 1)

ship() {    # ship NAME FILES...: one tar of FILES in ≤15 MiB parts under $OUT, plus the logs so far
    local name=$1; shift
    tar cf - "$@" | split -b 15M - "$OUT/$name.tar."
    tar cf "$OUT/logs.tar" "$runs"/*/*.csv "$runs"/*.log 2>/dev/null
}

python3 -m train.distill_online --run "$runs/distill" "${common[@]}" --init ../Models/gigagan-8x-s.safetensors \
    --batch 64 --fresh 16 --buffer 16384 --ema 0.998 --minutes "$distill_minutes" ${EXTRA:-} 2>&1 | tee "$runs/distill.log"
python3 -m train.export_trained "$runs/distill" "$runs/exports/distill-best.safetensors" --from best
ship distill "$runs/exports/distill-best.safetensors"

python3 -m train.distill_online --run "$runs/gan" "${common[@]}" --init "$runs/distill/best.pt" --stage 2 \
    --batch 32 --fresh 16 --buffer 8192 --ema 0.995 --lr 2e-4 --d-warmup 150 --adv-ramp 200 \
    --adv-weight 0.01 --r1-gamma 2 --d-exits 6 --eval-minutes 0.6 --minutes "$gan_minutes" ${EXTRA:-} 2>&1 | tee "$runs/gan.log"
snapshots=$(ls "$runs"/gan/ema-step*.pt 2>/dev/null | tail -n 2)
for s in $snapshots; do
    python3 -m train.export_trained "$s" "$runs/exports/gan-$(basename "$s" .pt).safetensors"
done
ship gan "$runs"/exports/gan-*.safetensors
ls -l "$OUT"
