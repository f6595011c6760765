#!/usr/bin/env bash
# Set up, lint (ruff: errors, import order and layering, formatting), then run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/ruff check --no-cache .
.venv/bin/ruff format --no-cache --check .
exec .venv/bin/python -m pytest "$@"
