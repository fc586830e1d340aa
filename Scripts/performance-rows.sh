#!/usr/bin/env bash
# Measures, on the machine it runs on, every row of README.md's "Against the performance issue's
# targets" and prints them as one Markdown report headed by the CPU's model, for a machine kind
# the tables lack. Run it on an idle machine (pause training jobs first); about 8 minutes on 2
# cores, the AuraSR file included.
#
#   Scripts/performance-rows.sh | tee performance-$(date +%F).md
#
# What it runs, each a `gigascale-bench` subcommand described in README.md's Performance section:
#   end-to-end   512² → 4096², the default (no flag) beside forced fp32 and bf16
#   layers       one tile by layer: glue share and convolutions against oneDNN's peak row
#   torch        against the PyTorch twin, NCHW and channels-last      (needs Training/.venv)
#   aurasr       one AuraSR tile against fal's aura-sr                 (needs Training/.venv; writes
#                a 2.5 GB random-init file to $AURASR_DIR, default /tmp/aurasr-random, once)
#   oneDNN 3     layers and end-to-end again, built by Scripts/onednn3.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bench=.build/release/gigascale-bench
venv=Training/.venv/bin/python
aurasr_dir=${AURASR_DIR:-/tmp/aurasr-random}

section() { printf '\n### %s\n\n' "$1"; }
quoted() { printf '```\n'; "$@"; printf '```\n'; }      # progress lines stay on stderr

swift build -c release >&2

echo "## $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(date -u +%F)"
echo
echo "Commit $(git rev-parse --short HEAD); CPU flags: $(grep -o -w -E 'avx512_bf16|avx512_fp16|amx_bf16|avx512f' /proc/cpuinfo | sort -u | tr '\n' ' ')"

section "end to end (gigascale-bench end-to-end --sizes 512 --repeat 5 --precisions auto,fp32,bf16)"
quoted "$bench" end-to-end --sizes 512 --repeat 5 --precisions auto,fp32,bf16

section "one tile (gigascale-bench layers --cpu-time --bf16-direct --top 5)"
quoted "$bench" layers --cpu-time --bf16-direct --top 5

if [ -x "$venv" ]; then
    section "against PyTorch (gigascale-bench torch --crop 512 --rounds 3, then --torch-channels-last)"
    quoted "$bench" torch --crop 512 --rounds 3
    quoted "$bench" torch --crop 512 --rounds 2 --torch-channels-last

    section "AuraSR (gigascale-bench aurasr --rounds 3)"
    if [ ! -e "$aurasr_dir/model.safetensors" ]; then
        (cd Training && .venv/bin/python -m eval.check_aurasr "$aurasr_dir" --random) >&2
    fi
    quoted "$bench" aurasr --model "$aurasr_dir/model.safetensors" --rounds 3
else
    section "against PyTorch and AuraSR"
    echo "Not measured: Training/.venv is missing (Training/setup-venv.sh makes it)."
fi

section "oneDNN 3.2 (Scripts/onednn3.sh), the same tile and run"
Scripts/onednn3.sh build -c release >&2
quoted .build-onednn3/build/release/gigascale-bench layers --cpu-time --bf16-direct --top 5
quoted "$bench" end-to-end --sizes 512 --repeat 3 --precisions auto,fp32,bf16 \
    --gigascale .build-onednn3/build/release/gigascale
