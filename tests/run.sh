#!/usr/bin/env bash
# Install everything the tests need, then run the whole suite.
#   bash tests/run.sh            all tests
#   bash tests/run.sh -k layers  extra arguments go to pytest
set -euo pipefail
cd "$(dirname "$0")/.."

python -m pip install --quiet --disable-pip-version-check -r requirements.txt -r tests/requirements.txt

# The accessibility tests inject axe-core (npm, pinned in tests/package-lock.json) into the pages they
# check; installed once into tests/node_modules, read from disk after that (no network at test time).
if [ ! -f tests/node_modules/axe-core/axe.min.js ]; then
    if ! command -v npm >/dev/null 2>&1; then
        if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq npm >/dev/null
    fi
    npm ci --prefix tests --no-audit --no-fund --silent
fi

# The browser tests drive Debian's Chromium (never a browser downloaded by Playwright); grading runs
# submissions in bubblewrap's sandbox, as users of their own (newuidmap, from uidmap).
if ! command -v chromium >/dev/null 2>&1 || ! command -v bwrap >/dev/null 2>&1 || ! command -v newuidmap >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium bubblewrap uidmap >/dev/null
fi

# PyTorch is optional: lesson 10 compares its gradients with PyTorch's where it is installed,
# and its tests check whichever path the environment has (plus the path without PyTorch,
# always). Install it only when a torch 2.13.0 wheel is already on this machine (pip's
# find-links), never from the network: other builds are multi-GB downloads.
wheels="$(mktemp -d)"
if python -m pip download --quiet --disable-pip-version-check --no-index --no-deps \
        --dest "$wheels" "torch==2.13.0" >/dev/null 2>&1; then
    python -m pip install --quiet --disable-pip-version-check "$wheels"/torch-*.whl
fi
rm -rf "$wheels"

python -m pytest "$@"
