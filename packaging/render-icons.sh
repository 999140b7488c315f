#!/usr/bin/env bash
# Renders the app icon (resources/icons/ftstudio.svg) into the hicolor PNG sizes the .deb installs, under
# resources/icons/hicolor/<size>x<size>/apps/. The PNGs are committed, so the build never needs a renderer:
# run this only after changing the SVG (needs rsvg-convert: `sudo apt install librsvg2-bin`).
set -euo pipefail
cd "$(dirname "$0")/.."

APP_ID=io.github.finetunestudio.FinetuneStudio
SIZES=(16 22 24 32 48 64 128 256)
SVG=resources/icons/ftstudio.svg

command -v rsvg-convert >/dev/null || { echo "rsvg-convert not found: sudo apt install librsvg2-bin" >&2; exit 1; }
for size in "${SIZES[@]}"; do
    dir="resources/icons/hicolor/${size}x${size}/apps"
    mkdir -p "$dir"
    rsvg-convert --width "$size" --height "$size" --keep-aspect-ratio --format png --output "$dir/$APP_ID.png" "$SVG"
    echo "$dir/$APP_ID.png"
done
