#!/usr/bin/env bash
# The test command: does whatever set-up is missing (scripts/setup.sh), then runs the whole suite.
# Extra arguments go to pytest (e.g. bash scripts/test.sh tests/memory -x).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${OMNILIVE_VENV:-$ROOT/.venv}"
bash "$ROOT/scripts/setup.sh"
# Tests keep their ROS graphs on this machine; conftest.py picks a domain id per run.
export ROS_AUTOMATIC_DISCOVERY_RANGE=LOCALHOST HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
cd "$ROOT"
exec "$VENV/bin/python" -m pytest "$@"
