#!/usr/bin/env bash
# Builds the libFuzzer targets (swiftc -sanitize=fuzzer,address) and runs each for a fixed time.
#
#   Fuzz/run.sh [SECONDS] [TARGET...]     default: 60 seconds each, all targets
#
# Targets: png, jpeg, tiff (the decoders), sniff (the format sniffer and the whole read path it
# dispatches to), safetensors (SafetensorsFile) and ncnn (the .param parser, the .bin reader and
# the graph builder; GigaEngine whole, with its oneDNN shim and kernels, and GigaModels/NCNN). SwiftPM cannot build fuzzer executables, so the
# modules are compiled here straight from Sources/ (GigaImage whole, GigaEngine's safetensors files
# only) into .build/fuzz, with the C codec shims built by the toolchain's clang. The seed corpus is
# Samples/, the codec fixtures, Tests/Fixtures/broken and Tests/Fixtures/hostile (files up to
# 256 KB). Crashes, hangs (> 10 s on one input) and AddressSanitizer reports are written to
# .build/fuzz/findings/TARGET/; each must become a regression file in Tests/Fixtures/broken with
# a test. The corpus grown by earlier runs (.build/fuzz/corpus/TARGET) is reused.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
[ $# -gt 0 ] && shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(png jpeg tiff sniff safetensors ncnn)
build=$root/.build/fuzz
swiftc=${SWIFTC:-swiftc}
clang=${CLANG:-$(dirname "$(command -v "$swiftc")")/clang}
sanitize=(-sanitize=fuzzer,address)
swift_flags=("${sanitize[@]}" -O -g -parse-as-library -swift-version 6)
# Swift's own crash backtracer would hold the process after a crash; libFuzzer reports instead.
export SWIFT_BACKTRACE=enable=no
mkdir -p "$build/include/CCodecShims" "$build/obj"

# Rebuilds $1 when it is missing or older than any of the other arguments.
stale() { local out=$1; shift; [ ! -e "$out" ] || [ -n "$(find "$@" -newer "$out" 2>/dev/null | head -1)" ]; }

build_image_module() {
    local objects=$build/obj/GigaImage.o
    stale "$objects" "$root/Sources/GigaImage" "$root/Sources/CCodecShims" || return 0
    echo "building GigaImage and the codec shims with fuzzer and address sanitizer instrumentation..."
    printf 'module CCodecShims {\n    header "%s"\n    export *\n}\n' \
        "$root/Sources/CCodecShims/include/CCodecShims.h" > "$build/include/CCodecShims/module.modulemap"
    for c in "$root"/Sources/CCodecShims/*.c; do
        "$clang" -c -O1 -g -fsanitize=fuzzer-no-link,address -I "$root/Sources/CCodecShims/include" \
            $(pkg-config --cflags libpng libjpeg libtiff-4) "$c" -o "$build/obj/shim-$(basename "$c" .c).o"
    done
    "$swiftc" "${swift_flags[@]}" -wmo -enable-testing -module-name GigaImage -c \
        -emit-module -emit-module-path "$build/GigaImage.swiftmodule" \
        -I "$build/include/CCodecShims" -I "$root/Sources/CLibPNG" -I "$root/Sources/CLibJPEG" -I "$root/Sources/CLibTIFF" \
        $(pkg-config --cflags libpng libjpeg libtiff-4 | sed 's/-I/-Xcc -I/g') \
        $(find "$root/Sources/GigaImage" -name '*.swift' | sort) -o "$objects"
}

build_engine_module() {
    local sources=("$root"/Sources/GigaEngine/Safetensors/{SafetensorsFile,SafetensorsError}.swift "$root"/Sources/GigaEngine/Tensor/DType.swift)
    stale "$build/obj/GigaEngine.o" "${sources[@]}" || return 0
    echo "building GigaEngine's safetensors reader with fuzzer and address sanitizer instrumentation..."
    "$swiftc" "${swift_flags[@]}" -wmo -enable-testing -module-name GigaEngine -c \
        -emit-module -emit-module-path "$build/GigaEngine.swiftmodule" "${sources[@]}" -o "$build/obj/GigaEngine.o"
}

build_ncnn_modules() {
    local engine=("$root"/Sources/GigaEngine/*.swift "$root"/Sources/GigaEngine/*/*.swift)
    local models=("$root"/Sources/GigaModels/NCNN/*.swift "$root"/Sources/GigaModels/ModelError.swift)
    stale "$build/obj/ncnn-GigaModels.o" "${engine[@]}" "${models[@]}" "$root/Sources/CDNNLShim" "$root/Sources/CKernels" \
        || return 0
    echo "building GigaEngine, its C modules (oneDNN shim, kernels) and GigaModels/NCNN with fuzzer and address sanitizer instrumentation..."
    local module header
    for module in CDNNLShim CKernels; do
        header=$(ls "$root/Sources/$module/include/"*.h)
        mkdir -p "$build/ncnn/include/$module"
        printf 'module %s {\n    header "%s"\n    export *\n}\n' "$module" "$header" \
            > "$build/ncnn/include/$module/module.modulemap"
        for c in "$root/Sources/$module"/*.c; do
            "$clang" -c -O1 -g -fsanitize=fuzzer-no-link,address -I "$root/Sources/$module/include" "$c" \
                -o "$build/obj/ncnn-shim-$(basename "$c" .c).o"
        done
    done
    "$swiftc" "${swift_flags[@]}" -wmo -enable-testing -module-name GigaEngine -c \
        -emit-module -emit-module-path "$build/ncnn/GigaEngine.swiftmodule" -I "$build/ncnn/include/CDNNLShim" \
        -I "$build/ncnn/include/CKernels" "${engine[@]}" -o "$build/obj/ncnn-GigaEngine.o"
    "$swiftc" "${swift_flags[@]}" -wmo -enable-testing -module-name GigaModels -c -I "$build/ncnn" \
        -I "$build/ncnn/include/CDNNLShim" -I "$build/ncnn/include/CKernels" -emit-module -emit-module-path "$build/ncnn/GigaModels.swiftmodule" \
        "${models[@]}" -o "$build/obj/ncnn-GigaModels.o"
}

build_target() {
    local target=$1 harness
    case $target in
        png) harness=PNGFuzz ;; jpeg) harness=JPEGFuzz ;; tiff) harness=TIFFFuzz ;; sniff) harness=SniffFuzz ;;
        safetensors) harness=SafetensorsFuzz ;; ncnn) harness=NCNNFuzz ;;
        *) echo "unknown target '$target' (png, jpeg, tiff, sniff, safetensors, ncnn)" >&2; exit 2 ;;
    esac
    local binary=$build/fuzz-$target
    if [ "$target" = ncnn ]; then
        build_ncnn_modules
        stale "$binary" "$root/Fuzz/Targets/$harness.swift" "$build/obj/ncnn-GigaModels.o" || return 0
        "$swiftc" "${swift_flags[@]}" -I "$build/ncnn" -I "$build/ncnn/include/CDNNLShim" -I "$build/ncnn/include/CKernels" \
            "$root/Fuzz/Targets/$harness.swift" \
            "$build/obj/ncnn-GigaEngine.o" "$build/obj/ncnn-GigaModels.o" "$build"/obj/ncnn-shim-*.o -ldnnl \
            -o "$binary" 2> >(grep -v "Cannot export local symbol" >&2)
    elif [ "$target" = safetensors ]; then
        build_engine_module
        stale "$binary" "$root/Fuzz/Targets/$harness.swift" "$build/obj/GigaEngine.o" || return 0
        "$swiftc" "${swift_flags[@]}" -I "$build" "$root/Fuzz/Targets/$harness.swift" "$build/obj/GigaEngine.o" -o "$binary" 2> >(grep -v "Cannot export local symbol" >&2)
    else
        build_image_module
        stale "$binary" "$root/Fuzz/Targets/$harness.swift" "$build/obj/GigaImage.o" || return 0
        "$swiftc" "${swift_flags[@]}" -I "$build" -I "$build/include/CCodecShims" \
            -I "$root/Sources/CLibPNG" -I "$root/Sources/CLibJPEG" -I "$root/Sources/CLibTIFF" \
            "$root/Fuzz/Targets/$harness.swift" "$build/obj/GigaImage.o" "$build"/obj/shim-*.o \
            -lpng -ljpeg -ltiff -lz -o "$binary" 2> >(grep -v "Cannot export local symbol" >&2)
    fi
}

# The seed files of a target: its formats from the samples and fixtures, up to 256 KB each.
seeds() {
    local f=$root/Tests/Fixtures
    case $1 in
        png) ls "$root"/Samples/*.png "$f"/png/*.png "$f"/broken/png-* "$f"/broken/empty.png "$f"/hostile/*.png ;;
        jpeg) ls "$root"/Samples/*.jpg "$f"/jpeg/*.jpg "$f"/broken/jpeg-* "$f"/broken/text-file.jpg "$f"/hostile/*.jpg ;;
        tiff) ls "$f"/tiff/*.tif "$f"/broken/*.tif "$f"/hostile/*.tif ;;
        sniff) ls "$f"/broken/* "$f"/hostile/*.png "$f"/hostile/*.jpg "$f"/hostile/*.tif "$f"/png/rgb8.png "$f"/jpeg/exif.jpg "$f"/tiff/rgb8.tif ;;
        safetensors) ls "$f"/hostile/*.safetensors "$f"/engine/*.safetensors "$f"/models/*.safetensors ;;
        ncnn) ls "$build"/ncnn/seeds/* ;;
    esac 2>/dev/null | while read -r file; do [ "$(stat -c %s "$file")" -le 262144 ] && echo "$file"; done || true
}

# ncnn seeds: each committed .param with its .bin (up to 256 KB), in NCNNFuzz's layout: two bytes
# giving the text's length, the text, then the weights.
ncnn_seeds() {
    local dir=$root/Tests/Fixtures/models/ncnn out=$build/ncnn/seeds
    rm -rf "$out"; mkdir -p "$out"
    for param in "$dir"/*.param; do
        local name bin
        name=$(basename "$param" .param)
        bin=$dir/$name.bin
        [ -e "$bin" ] || bin=$dir/realesr-animevideov3-x4.bin
        python3 - "$param" "$bin" "$out/$name" <<'PY'
import sys
text, weights = open(sys.argv[1], "rb").read(), open(sys.argv[2], "rb").read()[:262144 - 70000]
open(sys.argv[3], "wb").write((len(text) + 0).to_bytes(2, "little") + text + weights)
PY
    done
}

summary=()
for target in "${targets[@]}"; do
    build_target "$target"
    seed_dir=$build/seeds/$target corpus=$build/corpus/$target findings=$build/findings/$target
    rm -rf "$seed_dir"; mkdir -p "$seed_dir" "$corpus" "$findings"
    [ "$target" = ncnn ] && ncnn_seeds
    seeds "$target" | while read -r file; do cp "$file" "$seed_dir/"; done
    log=$build/$target.log
    echo "fuzzing $target for $seconds s ($(ls "$seed_dir" | wc -l) seeds, $(ls "$corpus" | wc -l) in the grown corpus)..."
    before=$(ls "$findings" | wc -l)
    set +e
    "$build/fuzz-$target" "$corpus" "$seed_dir" -max_total_time="$seconds" -max_len=262144 -timeout=10 \
        -rss_limit_mb=2048 -detect_leaks=0 -print_final_stats=1 -artifact_prefix="$findings/" > "$log" 2>&1
    status=$?
    set -e
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    found=$(( $(ls "$findings" | wc -l) - before ))
    line="$target: ${execs} executions in ${seconds} s, corpus $(ls "$corpus" | wc -l) files, $found new finding(s) (exit $status)"
    [ "$found" -gt 0 ] && line="$line -> $findings (log: $log)"
    echo "$line"
    summary+=("$line")
done
echo
echo "summary"
printf '  %s\n' "${summary[@]}"
