#!/bin/bash
# A Slurm array job: every task enlarges its own share of a folder, with no coordinator.
#
#   sbatch --array=0-7 Samples/slurm-array.sh /data/scans /data/scans-x8
#
# 'gigascale --shard auto' reads SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN and
# SLURM_ARRAY_TASK_COUNT, hashes every file's path inside the input folder, and keeps the files
# that fall to this task: the 8 tasks together do every file exactly once. Outputs that exist
# are skipped, so a resubmitted array finishes what a failed or pre-empted task left.
# (An indexed Kubernetes Job works the same way: set GIGASCALE_SHARD_COUNT to the Job's
# completions; JOB_COMPLETION_INDEX is set by Kubernetes.)
#SBATCH --job-name=gigascale
#SBATCH --cpus-per-task=8
#SBATCH --mem=4G
#SBATCH --time=12:00:00
#SBATCH --output=gigascale-%A_%a.log
set -euo pipefail
if [ $# -lt 2 ]; then
    echo "usage: sbatch --array=0-N $0 INPUT_FOLDER OUTPUT_FOLDER [gigascale options...]" >&2
    exit 2
fi
input=$1
output=$2
shift 2
exec gigascale "$input" -r -o "$output" --shard auto --threads "${SLURM_CPUS_PER_TASK:-$(nproc)}" \
    --json="$output/.gigascale-${SLURM_ARRAY_TASK_ID:-0}.jsonl" "$@"
