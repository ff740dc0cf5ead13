#!/usr/bin/env bash
# One command for a first look: install into .venv, then run `hardener demo` on a virtual phone.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
exec .venv/bin/hardener demo "$@"
