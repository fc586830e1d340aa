#!/usr/bin/env bash
# Regenerates every test fixture: runs each Training/fixtures/*.py (in name order) as a module from
# Training/ (python -m fixtures.NAME) with the venv's python. Each script writes its own files under
# Tests/Fixtures/; commit the results. The scripts are deterministic, so on the pinned versions
# nothing changes; --check says so or fails, naming what changed (git status of Tests/Fixtures).
#
#   Training/make-fixtures.sh [--check]
#   PYTHON=/elsewhere/.venv/bin/python Training/make-fixtures.sh   # another venv, e.g. from a worktree
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
python="${PYTHON:-$here/.venv/bin/python}"
check=0
case "${1:-}" in
    --check) check=1 ;;
    "") ;;
    *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac
if [[ ! -x "$python" ]]; then
    echo "error: no python at $python; run Training/setup-venv.sh first (or set PYTHON)" >&2
    exit 1
fi
if (( check )) && [[ -n "$(git -C "$here/.." status --porcelain -- Tests/Fixtures)" ]]; then
    echo "error: Tests/Fixtures has uncommitted changes; --check compares against the committed files" >&2
    exit 1
fi

cd "$here"
shopt -s nullglob
scripts=(fixtures/[!_]*.py)
if (( ${#scripts[@]} == 0 )); then
    echo "error: no fixture scripts in $here/fixtures" >&2
    exit 1
fi
for script in "${scripts[@]}"; do
    module="fixtures.$(basename "$script" .py)"
    echo "== $module"
    "$python" -m "$module"
done
if (( check )); then
    changed="$(git -C "$here/.." status --porcelain -- Tests/Fixtures)"
    if [[ -n "$changed" ]]; then
        echo "error: the fixtures differ from the committed ones:" >&2
        echo "$changed" >&2
        exit 1
    fi
    echo "fixtures unchanged"
fi
