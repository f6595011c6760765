#!/usr/bin/env bash
# The main job: set up, then the report, figure and explainer video for sin(3x) into outputs/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/univ approx "sin(3x)" --neurons 20
.venv/bin/univ render explainer --function "sin(3x)" --neurons 20 --quality low
