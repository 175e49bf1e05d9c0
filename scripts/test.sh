#!/usr/bin/env bash
# Install everything the tests need and run them:
#   - Debian's chromium (for the browser tests; installed with apt-get when run as root),
#   - a virtual environment in .venv with kb and its test extras,
# then pytest (arguments are passed on, e.g. `bash scripts/test.sh -k readers`).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's chromium for the browser tests" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
  else
    echo "warning: chromium is not installed (sudo apt-get install chromium); browser tests will be skipped" >&2
  fi
fi

PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
. .venv/bin/activate
python -m pip install -q --upgrade pip
python -m pip install -q -e '.[test]'
python -m pytest "$@"
