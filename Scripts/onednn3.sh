#!/usr/bin/env bash
# Runs `swift` against oneDNN 3 instead of Debian's oneDNN 2.6.3: the second build configuration.
#
#   Scripts/onednn3.sh test                                   # build and run every test (CI runs this)
#   Scripts/onednn3.sh build -c release                       # any `swift` subcommand and arguments
#   Scripts/onednn3.sh run -c release gigascale-bench engine  # the benchmarks, linked to oneDNN 3
#
# oneDNN 3 comes from PyPI: `onednn-cpu-gomp` 2023.2.0 (oneDNN 3.2, built with GNU OpenMP, so it
# needs nothing but libgomp, which Debian's libdnnl-dev pulls in too) and `onednn-devel-cpu-gomp`
# (its headers). Later PyPI releases (`onednn` 2024.x and on) run their CPU engine on SYCL and
# need some 600 MB of Intel runtimes, so 3.2 is the newest a fresh machine can build against.
# The wheels are checked against the hashes below and unpacked once into .build-onednn3/onednn
# (git-ignored); the build itself goes to .build-onednn3/build, beside the default .build.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
prefix="$root/.build-onednn3/onednn"

if [ ! -e "$prefix/lib/libdnnl3.so" ]; then
    if ! python3 -m pip --version >/dev/null 2>&1; then
        echo "Scripts/onednn3.sh: fetching oneDNN 3 needs python3 with pip (apt-get install python3-pip)" >&2
        exit 1
    fi
    download=$(mktemp -d)
    trap 'rm -rf "$download"' EXIT
    cat > "$download/requirements.txt" <<'EOF'
onednn-cpu-gomp==2023.2.0 --hash=sha256:2f22a54d6a890ed14bfa185d42a4be65d8b5b1df85dc1f0f3a9abe31620416fb
onednn-devel-cpu-gomp==2023.2.0 --hash=sha256:9763c69e8c907e119056bd52ad918ca84ac9ba939d130a99dfa95ccca3e5e284
EOF
    python3 -m pip download --quiet --no-deps --only-binary :all: --require-hashes \
        --requirement "$download/requirements.txt" --dest "$download"
    for wheel in "$download"/*.whl; do python3 -m zipfile -e "$wheel" "$download/unpacked"; done
    rm -rf "$prefix"
    mkdir -p "$prefix/lib"
    mv "$download"/unpacked/onednn_devel_cpu_gomp-*.data/data/include "$prefix/include"
    mv "$download"/unpacked/onednn_cpu_gomp-*.data/data/lib/libdnnl.so.3.2 "$prefix/lib/"
    mv "$download"/unpacked/onednn_cpu_gomp-*.data/data/share/doc/onednn/LICENSE "$prefix/LICENSE"
    ln -s libdnnl.so.3.2 "$prefix/lib/libdnnl.so.3"   # the library's soname, found through the rpath
    ln -s libdnnl.so.3 "$prefix/lib/libdnnl3.so"      # the name Package.swift links by
    rm -rf "$download"
    trap - EXIT
fi

cd "$root"
subcommand=${1:?usage: Scripts/onednn3.sh SWIFT-SUBCOMMAND [ARGUMENTS...]}
shift
GIGASCALE_ONEDNN3="$prefix" exec swift "$subcommand" --build-path .build-onednn3/build "$@"
