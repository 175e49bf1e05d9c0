#!/usr/bin/env bash
# Install everything the tests need and run them:
#   - Debian's chromium and libreoffice-calc-nogui (browser and spreadsheet tests;
#     installed with apt-get when run as root),
#   - a virtual environment in .venv with kb and its test extras,
# then pytest (arguments are passed on, e.g. `bash scripts/test.sh -k readers`).
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests drive: chromium (browser tests) and LibreOffice Calc without
# a GUI (opens CSV exports as a spreadsheet user would, to check no cell is a formula).
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium fonts-dejavu-core)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-calc-nogui)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's ${missing[*]} for the browser and spreadsheet tests" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "warning: not installed: ${missing[*]} (sudo apt-get install ${missing[*]}); the tests that need them will be skipped" >&2
  fi
fi

PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
. .venv/bin/activate
python -m pip install -q --upgrade pip
python -m pip install -q -e '.[test]'
python -m pytest "$@"
