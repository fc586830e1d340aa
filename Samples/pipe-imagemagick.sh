#!/bin/sh
# gigascale in a pipe with ImageMagick: enlarge standard input, then let ImageMagick finish the
# job (here: a 4K-wide JPEG with a caption strip), all without temporary files.
#
#   Samples/pipe-imagemagick.sh < photo.jpg > photo-4k.jpg [gigascale options...]
#
# gigascale writes only image bytes to standard output ('png:-' chooses PNG, lossless between
# the two programs); its messages go to standard error. 'set -o pipefail' is not POSIX, so the
# exit status of gigascale is checked through a status file.
#
# The first `convert` on PATH is not always ImageMagick (some machines put a stand-in there), so
# the script takes the first candidate whose -version says ImageMagick; $IMAGEMAGICK_CONVERT
# names one explicitly.
set -eu

is_imagemagick() {
    "$1" -version 2>/dev/null | head -n 1 | grep -q '^Version: ImageMagick'
}

convert_tool=""
for candidate in ${IMAGEMAGICK_CONVERT:-} convert magick /usr/bin/convert /usr/bin/convert-im6.q16; do
    if command -v "$candidate" >/dev/null 2>&1 && is_imagemagick "$candidate"; then
        convert_tool=$candidate
        break
    fi
done
if [ -z "$convert_tool" ]; then
    echo "$0: ImageMagick not found (no convert or magick whose -version says ImageMagick); install it, e.g. apt-get install imagemagick" >&2
    exit 127
fi

status=$(mktemp)
trap 'rm -f "$status"' EXIT
convert_code=0
{ code=0; gigascale - -o png:- "$@" || code=$?; echo "$code" > "$status"; } \
    | "$convert_tool" png:- -resize '3840x>' -quality 90 jpeg:- || convert_code=$?
code=$(cat "$status")
if [ "$code" -ne 0 ]; then
    echo "$0: gigascale failed with status $code" >&2
    exit "$code"
fi
exit "$convert_code"
