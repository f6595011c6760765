#!/usr/bin/env bash
# Idempotent set-up on a fresh Debian machine (root, Python 3.11): system packages, .venv, univ with extras.
set -euo pipefail
cd "$(dirname "$0")/.."

# chromium: the headless browser the page tests drive with Playwright (its own browser download is not used);
# nodejs: `node --check` of the page's JavaScript; espeak-ng and sox: the offline narrating voice and its checks
APT_PACKAGES=(libpango1.0-dev pkg-config libcairo2-dev ffmpeg texlive-latex-base texlive-latex-extra dvisvgm chromium
    nodejs espeak-ng sox)

missing=()
for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "setup: installing system packages: ${missing[*]}" >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    echo "setup: creating .venv" >&2
    "$PY" -m venv .venv
fi
stamp=.venv/.univ-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "setup: installing univ and its extras into .venv" >&2
    .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
    .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[video,notebook,cluster,dev]"
    .venv/bin/python -m ipykernel install --sys-prefix --name python3 >/dev/null 2>&1 || true
    touch "$stamp"
fi

# axe-core: the accessibility engine the page tests inject into the page (npm, into the ignored .cache/npm)
AXE=.cache/npm/node_modules/axe-core/axe.min.js
[ -f "$AXE" ] || npm install -q --prefix .cache/npm --no-save --no-audit --no-fund axe-core@4 >/dev/null
