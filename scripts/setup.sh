#!/usr/bin/env bash
# Installs everything unionhall needs on a fresh Debian machine; starts nothing.
# Usage: scripts/setup.sh [run|test]   (test also installs what the test suite needs)
set -euo pipefail
cd "$(dirname "$0")/.."
purpose="${1:-run}"

# WeasyPrint (PDF) needs Pango; libharfbuzz-subset0 makes its font subsetting faster.
debian_packages=(gettext fonts-noto-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
if [ "$purpose" = test ]; then
  debian_packages+=(chromium poppler-utils postgresql-15)
fi
missing=()
for p in "${debian_packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages: ${missing[*]}; run as root or install them first." >&2
    exit 1
  fi
  echo "Installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || { echo "apt-get install failed" >&2; exit 1; }
fi

# Django 6 needs Python >= 3.12; the machine's default python3 may be older.
find_python() {
  local c
  for c in python3.14 python3.13 python3.12 python3; do
    if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
      command -v "$c"; return 0
    fi
  done
  local root
  root="$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")"
  for c in "$root"/versions/3.1[2-9]*/bin/python3; do
    if [ -x "$c" ] && "$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
      echo "$c"; return 0
    fi
  done
  return 1
}

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
  PY="$(find_python)" || { echo "No Python >= 3.12 found (tried python3.1x on PATH and pyenv)." >&2; exit 1; }
  echo "Creating .venv with $PY"
  rm -rf .venv
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q uv
.venv/bin/uv pip sync -q --python .venv/bin/python requirements.lock
.venv/bin/uv pip install -q --python .venv/bin/python --no-deps -e .

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi
.venv/bin/python scripts/vendor_assets.py node_modules static/vendor
.venv/bin/unionhall compilemessages --ignore=.venv --ignore=node_modules -v 0
