#!/usr/bin/env bash
# The main job: set-up if missing, then the full node graph on a demo bag built from real media,
# answering spoken and typed questions with the real default models. Arguments go to `omnilive demo`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${OMNILIVE_VENV:-$ROOT/.venv}"
bash "$ROOT/scripts/setup.sh"
export ROS_AUTOMATIC_DISCOVERY_RANGE="${ROS_AUTOMATIC_DISCOVERY_RANGE:-LOCALHOST}" HF_HUB_OFFLINE=1
cd "$ROOT"
exec "$VENV/bin/omnilive" demo "$@"
