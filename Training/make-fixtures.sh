#!/usr/bin/env bash
# Regenerates every test fixture: runs each Training/fixtures/*.py (in name order) with the
# venv's python. Each script writes its own file under Tests/Fixtures/; commit the results.
#
#   Training/make-fixtures.sh
#   PYTHON=/elsewhere/.venv/bin/python Training/make-fixtures.sh   # another venv, e.g. from a worktree
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
python="${PYTHON:-$here/.venv/bin/python}"
if [[ ! -x "$python" ]]; then
    echo "error: no python at $python; run Training/setup-venv.sh first (or set PYTHON)" >&2
    exit 1
fi

cd "$here/.."
shopt -s nullglob
scripts=("$here"/fixtures/*.py)
if (( ${#scripts[@]} == 0 )); then
    echo "error: no fixture scripts in $here/fixtures" >&2
    exit 1
fi
for script in "${scripts[@]}"; do
    echo "== ${script#"$PWD/"}"
    "$python" "$script"
done
