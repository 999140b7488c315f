#!/usr/bin/env bash
# One entry point for a new user or CI: set up what is missing, build, then
#   demo  launch the GUI on the built-in demo (headless: train under Xvfb and save a screenshot instead)
#   test  run the whole test suite
#   build only build
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-demo}"
FT_VENV="${FT_VENV:-${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}/.cache/finetune-studio/venv}"
BUILD_DIR="${FT_BUILD_DIR:-build}"
export FT_VENV

bash packaging/setup.sh

jobs="$(nproc)"
mkdir -p "$BUILD_DIR"
# Torch's CMake config is chatty; keep its output in a log and show it only when configuring fails.
cmake -S . -B "$BUILD_DIR" -G Ninja -DFT_PYTHON="$FT_VENV/bin/python" >"$BUILD_DIR/configure.log" 2>&1 ||
    { cat "$BUILD_DIR/configure.log"; exit 1; }
cmake --build "$BUILD_DIR" -j "$jobs"

case "$mode" in
build) ;;
test)
    ctest --test-dir "$BUILD_DIR" --output-on-failure -j 1
    ;;
demo)
    if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
        exec "$BUILD_DIR/app/ftstudio"
    fi
    echo "No display found: training the demo under Xvfb and saving a screenshot instead."
    bash packaging/screenshot.sh "$BUILD_DIR/screenshots/main-window.png"
    ;;
*)
    echo "usage: packaging/dev.sh [demo|test|build]" >&2
    exit 2
    ;;
esac
