#!/bin/sh
# Enlarge every photo under a folder into a mirrored folder tree, resumably.
#
#   Samples/folder-job.sh ~/Pictures/trip ~/Pictures/trip-x8 [more gigascale options]
#
# Subfolders are mirrored (-r); outputs that already exist are skipped, so running the script
# again after an interruption (Ctrl-C exits 130 and leaves no partial file) carries on where it
# stopped. Sidecar prompts (photo.txt or photo.caption beside photo.jpg) are used when present.
# A per-file JSON log is kept beside the outputs. The exit status is gigascale's: 0 all done,
# 1 some files failed (listed in the summary and the log), 2 usage error, 130 interrupted.
set -eu
if [ $# -lt 2 ]; then
    echo "usage: $0 INPUT_FOLDER OUTPUT_FOLDER [gigascale options...]" >&2
    exit 2
fi
input=$1
output=$2
shift 2
mkdir -p "$output"
exec gigascale "$input" -r -o "$output" --json="$output/gigascale-log.jsonl" "$@"
