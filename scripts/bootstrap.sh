#!/usr/bin/env bash
# Create .venv (Python 3.11+) and install hardener into it, pinned by constraints.txt.
# Usage: scripts/bootstrap.sh [dev]    -- "dev" adds the test tools.
# Re-running is cheap: it reinstalls only when pyproject.toml or constraints.txt changed.
set -euo pipefail
cd "$(dirname "$0")/.."

extra="${1:-}"
python="${PYTHON:-python3}"
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "hardener needs Python 3.11 or newer; '$python' is $("$python" --version 2>&1 || echo missing)." >&2
    echo "Set PYTHON=/path/to/python3.11+ and run again." >&2
    exit 2
fi

if [ ! -x .venv/bin/python ]; then
    echo "creating .venv with $("$python" --version)" >&2
    "$python" -m venv .venv
fi

target="."
stamp=".venv/.hardener-installed"
if [ "$extra" = "dev" ]; then
    target=".[dev]"
    stamp=".venv/.hardener-installed-dev"
fi
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ constraints.txt -nt "$stamp" ]; then
    echo "installing hardener${extra:+ with $extra tools} into .venv" >&2
    # (the filter hides a harmless warning some machines' pip configuration prints per package)
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e "$target" \
        2> >(grep -v "^WARNING: Location 'file:" >&2)
    touch "$stamp"
fi
