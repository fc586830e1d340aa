#!/bin/sh
# gigascale in a pipe with ImageMagick: enlarge standard input, then let ImageMagick finish the
# job (here: a 4K-wide JPEG with a caption strip), all without temporary files.
#
#   Samples/pipe-imagemagick.sh < photo.jpg > photo-4k.jpg [gigascale options...]
#
# gigascale writes only image bytes to standard output ('png:-' chooses PNG, lossless between
# the two programs); its messages go to standard error. 'set -o pipefail' is not POSIX, so the
# exit status of gigascale is checked through a status file.
set -eu
status=$(mktemp)
trap 'rm -f "$status"' EXIT
convert_code=0
{ code=0; gigascale - -o png:- "$@" || code=$?; echo "$code" > "$status"; } \
    | convert png:- -resize '3840x>' -quality 90 jpeg:- || convert_code=$?
code=$(cat "$status")
if [ "$code" -ne 0 ]; then
    echo "$0: gigascale failed with status $code" >&2
    exit "$code"
fi
exit "$convert_code"
