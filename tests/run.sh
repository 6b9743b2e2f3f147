#!/usr/bin/env bash
# Install everything the tests need, then run the whole suite.
#   bash tests/run.sh            all tests
#   bash tests/run.sh -k layers  extra arguments go to pytest
set -euo pipefail
cd "$(dirname "$0")/.."

python -m pip install --quiet --disable-pip-version-check -r requirements.txt -r tests/requirements.txt

python -m pytest "$@"
