#!/usr/bin/env bash
# Install everything the tests need, then run the whole suite.
#   bash tests/run.sh            all tests
#   bash tests/run.sh -k layers  extra arguments go to pytest
set -euo pipefail
cd "$(dirname "$0")/.."

python -m pip install --quiet --disable-pip-version-check -r requirements.txt -r tests/requirements.txt

# The browser tests drive Debian's Chromium (never a browser downloaded by Playwright).
if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi

python -m pytest "$@"
