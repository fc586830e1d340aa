#!/usr/bin/env bash
# Prints one sha256 per (model, options, input) of what a gigascale binary writes, so that a
# refactor can be checked to leave every output byte-identical: run it with the binary built
# before and the one built after, and diff the two lists.
#
#   Scripts/output-digests.sh BINARY > before.txt     # e.g. .build/release/gigascale
#
# Inputs: Samples/ and, where Training/data/fetch.sh has made them, the evaluation photos
# (split eval and eval-skimage of Training/data/manifest.tsv, as LR images of at most 128 px a
# side so that the GigaGAN runs stay short). Models: every built-in one (lanczos, bicubic, each
# Models/*.safetensors) and the AuraSR and tiny GigaGAN test fixtures; options: the defaults,
# a fractional scale, test-time augmentation and alpha through the model.
set -euo pipefail
binary=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GIGASCALE_MODELS="$root/Models"

inputs=("$root"/Samples/*.png "$root"/Samples/*.jpg)
manifest=$root/Training/data/manifest.tsv
if [ -d "$root/Training/data/hr" ]; then
    while IFS=$'\t' read -r id split _; do
        case $split in eval|eval-skimage) ;; *) continue ;; esac
        hr=$root/Training/data/hr/$id.png
        [ -f "$hr" ] || continue
        "$binary" "$hr" -m lanczos --fit 128x128 -o "$work/eval-$id.png" >/dev/null 2>&1
        inputs+=("$work/eval-$id.png")
    done < <(grep -v '^#' "$manifest" | tail -n +2)
fi

models=(lanczos bicubic "$root"/Models/*.safetensors
        "$root/Tests/Fixtures/models/aurasr/model.safetensors" "$root/Tests/Fixtures/models/gigagan-tiny.safetensors")
run() {  # label, input, gigascale arguments...
    local label=$1 input=$2; shift 2
    local out=$work/out.png
    rm -f "$out"
    if "$binary" "$input" -o "$out" "$@" >/dev/null 2>"$work/err"; then
        echo "$(sha256sum < "$out" | cut -c1-16)  $label  $(basename "$input")"
    else
        echo "failed: $(head -c 200 "$work/err" | tr '\n' ' ')  $label  $(basename "$input")"
    fi
}
for model in "${models[@]}"; do
    name=$(basename "$model" .safetensors)
    [ "$name" = model ] && name=aurasr-fixture
    for input in "${inputs[@]}"; do
        # The AuraSR fixture runs 16-px tiles: on the larger photos that is thousands of tiles.
        if [ "$name" = aurasr-fixture ] && [ "$(basename "$input")" != face-128.png ]; then continue; fi
        run "$name" "$input" -m "$model"
    done
    [ "$name" = aurasr-fixture ] || run "$name --scale 2.5" "$root/Samples/chelsea.png" -m "$model" --scale 2.5
    run "$name --tta" "$root/Samples/face-128.png" -m "$model" --tta
    run "$name --precision fp32" "$root/Samples/face-128.png" -m "$model" --precision fp32
done
