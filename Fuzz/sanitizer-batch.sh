#!/usr/bin/env bash
# Builds gigascale with AddressSanitizer and ThreadSanitizer and runs batches through each build.
#
#   Fuzz/sanitizer-batch.sh [asan|tsan]...     default: both
#
# Each sanitizer gets its own build folder (.build/asan, .build/tsan), so the normal build is left
# alone. Per build: the load test (`gigascale-bench load`: 500 small images, 14 of them broken,
# Lanczos, 2 threads, 2 tile workers, 12-pixel tiles so each image has several) and, when the
# trained default is in Models/, four small images through it with 2 tile workers (the
# concurrent code: one generator per worker). Work folders stay in .build/SANITIZER-load/ with
# gigascale's standard error (stderr.log), where every sanitizer report would be. A report
# changes gigascale's exit status (ASan aborts, LeakSanitizer exits 23, TSan 66), which the load
# test checks, so any report fails the run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
sanitizers=("$@")
[ ${#sanitizers[@]} -gt 0 ] || sanitizers=(asan tsan)
swift build --product gigascale-bench
bench=$(swift build --show-bin-path)/gigascale-bench

summary=()
status=0
run() {  # run NAME WORKDIR BENCH-ARGS...
    local name=$1 work=$2; shift 2
    rm -rf "$work"
    echo "== $name"
    local result=pass
    GIGASCALE_BIN=$binary "$bench" load --directory "$work" "$@" || { result=FAIL; status=1; }
    local reports
    reports=$(grep -c -E "ERROR: AddressSanitizer|ERROR: LeakSanitizer|WARNING: ThreadSanitizer" "$work/stderr.log" || true)
    summary+=("$name: $result, $reports sanitizer report(s) (log: $work/stderr.log)")
}

for sanitizer in "${sanitizers[@]}"; do
    case $sanitizer in
        asan) flag=address ;; tsan) flag=thread ;;
        *) echo "unknown sanitizer '$sanitizer' (asan, tsan)" >&2; exit 2 ;;
    esac
    swift build --sanitize="$flag" --build-path ".build/$sanitizer" --product gigascale
    binary=$root/.build/$sanitizer/debug/gigascale
    run "$sanitizer, 500 images, lanczos" ".build/$sanitizer-load/lanczos"
    if [ -f Models/gigagan-8x-s-psnr.safetensors ]; then
        run "$sanitizer, 4 images, gigagan-8x-s-psnr" ".build/$sanitizer-load/gigagan" --count 4 --sample-at 1 --tail 1 \
            --model gigagan-8x-s-psnr --tile 16 --overlap 4 --min-side 24 --max-side 40
    fi
done
echo
echo "summary"
printf '  %s\n' "${summary[@]}"
exit $status
