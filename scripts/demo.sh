#!/usr/bin/env bash
# The main job: set up, then for sin(3x) into outputs/: the report and figure, the web page to play with, and the
# explainer video with its .srt and .vtt captions and its .narration.md script beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/univ approx "sin(3x)" --neurons 20
.venv/bin/univ page "sin(3x)" --neurons 20 --out outputs/sin-3x.html
.venv/bin/univ render explainer "sin(3x)" --neurons 20 --quality low
