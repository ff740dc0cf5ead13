#!/usr/bin/env bash
# The whole test suite: install the dev tools, fetch the external programs tests use, lint, test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh dev
scripts/install-test-tools.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy hardener
exec .venv/bin/python -m pytest "$@"
