#!/usr/bin/env bash
# Trains the built-in demo for a short run in a real window under Xvfb and saves the window as PNG
# (the falling loss curve, progress, tokens/s, ETA). Usage: packaging/screenshot.sh [OUT.png] [STEPS] [LANG]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-build/screenshots/main-window.png}"
steps="${2:-60}"
lang="${3:-en}"
app="${FT_BUILD_DIR:-build}/app/ftstudio"
[ -x "$app" ] || { echo "build the app first: packaging/dev.sh build" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
demo="$(mktemp -d)"
trap 'rm -rf "$demo"' EXIT
# Fresh settings so a saved window layout does not change the picture.
export XDG_CONFIG_HOME="$demo/config"
xvfb-run -a -s "-screen 0 1280x900x24" \
    "$app" --demo-dir "$demo/demo" --train --max-steps "$steps" --lang "$lang" --screenshot "$(realpath -m "$out")"
[ -s "$out" ] || { echo "no screenshot was written" >&2; exit 1; }
echo "screenshot: $out"
