#!/usr/bin/env bash
# Renders every tool tab of the main window and every wizard page, filled in on the built-in demo, in English and
# Korean, under Xvfb (ftstudio --screenshots). Builds nothing. Usage: packaging/screenshots.sh [OUTDIR]
# (default docs/screenshots; the pictures go to OUTDIR/en and OUTDIR/ko).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-docs/screenshots}"
app="${FT_BUILD_DIR:-build}/app/ftstudio"
[ -x "$app" ] || { echo "build the app first: packaging/dev.sh build" >&2; exit 1; }
command -v xvfb-run >/dev/null || { echo "xvfb-run is missing (Debian: xvfb; Korean glyphs: fonts-nanum)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The Model page lists the models on the machine: show a known set, not the renderer's own. An empty Hugging Face
# cache and LM Studio, and an Ollama store holding the tests' SmolLM2 file when setup fetched it.
smol="${FT_MODELS:-${HOME:-/nonexistent}/.cache/finetune-studio/models}/SmolLM2-135M-Instruct.Q4_1.gguf"
export HF_HUB_CACHE="$work/hub" OLLAMA_MODELS="$work/ollama" HOME="$work/home"
mkdir -p "$HF_HUB_CACHE" "$HOME" "$OLLAMA_MODELS/blobs" "$OLLAMA_MODELS/manifests/registry.ollama.ai/library/smollm2"
if [ -f "$smol" ]; then
    sha="$(sha256sum "$smol" | cut -d' ' -f1)"
    ln -s "$smol" "$OLLAMA_MODELS/blobs/sha256-$sha"
    printf '{"schemaVersion":2,"layers":[{"mediaType":"application/vnd.ollama.image.model","digest":"sha256:%s","size":%s}]}' \
        "$sha" "$(stat -c %s "$smol")" > "$OLLAMA_MODELS/manifests/registry.ollama.ai/library/smollm2/135m"
fi
for lang in en ko; do
    dir="$(realpath -m "$out/$lang")"
    mkdir -p "$dir"
    rm -f "$dir"/*.png
    # Fresh settings and a fresh demo per language, so a saved layout or an earlier run does not change the pictures.
    export XDG_CONFIG_HOME="$work/$lang/config"
    xvfb-run -a -s "-screen 0 1400x1000x24" "$app" --lang "$lang" --demo-dir "$work/$lang/demo" --screenshots "$dir"
    count=0
    for png in "$dir"/*.png; do
        [ -s "$png" ] || { echo "empty or missing picture: $png" >&2; exit 1; }
        count=$((count + 1))
    done
    [ "$count" -ge 12 ] || { echo "only $count pictures in $dir" >&2; exit 1; }
    echo "screenshots ($lang): $count in $dir"
done
