#!/usr/bin/env bash
# Rebuilds the training and evaluation photos (Training/data/hr/<id>.png) on Debian 12, as root.
#
# Downloads the packages named in manifest.tsv with `apt-get download` (nothing is installed),
# unpacks each with `dpkg-deb -x` into cache/pkg/<package>/, then runs prepare.py, which checks
# every source file's sha256 and writes the PNGs. Re-runs reuse the cached .debs, the unpacked
# trees and the finished PNGs, so they take seconds.
#
# Usage: bash Training/data/fetch.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
debs="$here/cache/debs"
unpacked="$here/cache/pkg"
mkdir -p "$debs" "$unpacked"

for tool in apt-get dpkg-deb; do
    command -v "$tool" >/dev/null || { echo "fetch.sh: $tool not found (needs Debian 12)" >&2; exit 1; }
done

# The .deb in the cache for a package at a version, or nothing.
cached_deb() {
    local package="$1" version="$2" deb
    for deb in "$debs/${package}_"*.deb; do
        [ -e "$deb" ] || continue
        if [ "$(dpkg-deb -f "$deb" Version)" = "$version" ]; then echo "$deb"; return; fi
    done
}

# Downloads package=version; falls back to the current candidate if the archive no longer has
# that version (prepare.py's sha256 check then tells whether the photos changed).
download() {
    local package="$1" version="$2"
    (
        cd "$debs"
        apt-get download -q "$package=$version" >/dev/null 2>&1 && exit 0
        apt-get update -q >/dev/null 2>&1 || true
        apt-get download -q "$package=$version" >/dev/null 2>&1 && exit 0
        echo "fetch.sh: $package $version is not in the archive; downloading the current version" >&2
        apt-get download -q "$package" >/dev/null
    ) || { echo "fetch.sh: apt-get download $package failed" >&2; exit 1; }
}

# package<TAB>version for every package the manifest uses (columns 3 and 4).
tail -n +2 "$here/manifest.tsv" | cut -f3,4 | sort -u | while IFS=$'\t' read -r package version; do
    deb="$(cached_deb "$package" "$version")"
    if [ -z "$deb" ]; then
        echo "downloading $package $version"
        download "$package" "$version"
        deb="$(cached_deb "$package" "$version")"
        [ -n "$deb" ] || deb="$(ls -t "$debs/${package}_"*.deb | head -n 1)"
    fi
    stamp="$unpacked/$package/.unpacked-from"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$(basename "$deb")" ]; then
        echo "unpacking $(basename "$deb")"
        rm -rf "$unpacked/$package"
        mkdir -p "$unpacked/$package"
        dpkg-deb -x "$deb" "$unpacked/$package"
        basename "$deb" > "$stamp"
    fi
done

# Any Python 3 with Pillow will do: the training venv's or Debian's (python3-pil).
python=""
for candidate in "$here/../.venv/bin/python" /usr/bin/python3 python3; do
    if command -v "$candidate" >/dev/null && "$candidate" -c "import PIL" 2>/dev/null; then
        python="$candidate"; break
    fi
done
[ -n "$python" ] || { echo "fetch.sh: no Python 3 with Pillow found (apt-get install python3-pil)" >&2; exit 1; }

exec "$python" "$here/prepare.py"
