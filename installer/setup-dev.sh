#!/usr/bin/env bash
# Sets up AI Site Planner from a source checkout on Debian or Ubuntu: the system
# libraries Qt needs, a virtual environment in .venv, and the package with its
# compiled kernels (AISITE_REQUIRE_EXT=1 makes a failed compile an error, not a
# silent slow fallback). Safe to run again; it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

debian_packages=(
  python3 python3-venv python3-dev gcc
  # Qt offscreen and xcb platforms (PySide6 wheels), fonts for charts and reports
  libegl1 libgl1 libopengl0 libfontconfig1 libfreetype6 libglib2.0-0 libxkbcommon0 libdbus-1-3
  libx11-6 libx11-xcb1 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
  libxcb-image0 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1 fonts-dejavu-core
  # PDF reports are checked page by page as images
  poppler-utils
)

if command -v dpkg-query >/dev/null 2>&1; then
  # One dpkg-query for all of them; a package it does not know prints nothing.
  installed=$(dpkg-query -W -f='${Package} ${Status}\n' "${debian_packages[@]}" 2>/dev/null \
    | awk '$NF == "installed" {print $1}' || true)
  missing=()
  for package in "${debian_packages[@]}"; do
    grep -qx "$package" <<<"$installed" || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing Debian packages: ${missing[*]}"
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
fi

# What the install depends on: the package list, the build script and the kernels' sources.
# When none changed since the last successful install and the compiled kernels load, the
# install is skipped (a second run takes seconds); any change reinstalls and recompiles.
stamp=.venv/.aisite-setup-stamp
fingerprint=$( { .venv/bin/python -c 'import sys; print(sys.version)'; \
  sha256sum pyproject.toml setup.py $(find core -name '*.pyx' -o -name '*.pxd' | sort); } \
  | sha256sum | cut -d' ' -f1)
check='from aisite.core.kernels import BACKEND; print("aisite installed; kernel backend:", BACKEND)'
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$fingerprint" ] && [ -x .venv/bin/aisite ] \
   && AISITE_REQUIRE_EXT=1 .venv/bin/python -c "$check" 2>/dev/null; then
  exit 0
fi
rm -f "$stamp"
# Editable install: data/ stays beside the code, and the kernels compile in place.
AISITE_REQUIRE_EXT=1 .venv/bin/python -m pip install --quiet -e ".[test]"
AISITE_REQUIRE_EXT=1 .venv/bin/python -c "$check"
echo "$fingerprint" > "$stamp"
