#!/usr/bin/env bash
# Installs what Finetune Studio needs to build, test and run. Safe to run again: it only installs what is missing.
#   - Debian packages: compiler and build tools, Qt 6, QCustomPlot (Qt 6), SentencePiece, nlohmann-json, Xvfb, ccache
#   - LibTorch from the pinned PyPI torch wheel, in a virtual environment outside the source tree
#     ($FT_VENV, default ~/.cache/finetune-studio/venv), reused when it already holds that version.
#   - huggingface_hub in the same venv: tst_hub checks our Hub cache against its snapshot_download.
set -euo pipefail

TORCH_VERSION=2.11.0   # PyPI's build is for CUDA 13.0: the toolkit here and the PyTorch on the GPU machines
HUB_VERSION=2.4.0      # huggingface_hub, the reference for `ftstudio-cli pull`'s cache layout
FT_VENV="${FT_VENV:-${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}/.cache/finetune-studio/venv}"

DEB_PACKAGES=(
    build-essential cmake ninja-build pkg-config ccache git
    python3 python3-venv
    qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n libgl-dev
    libqcustomplot-dev libqcustomplot2.1-qt6
    libsentencepiece-dev nlohmann-json3-dev
    libcurl4-openssl-dev   # Hub downloads (core/hub); brings libssl-dev, whose libcrypto checks the sha256
    xvfb xauth fonts-nanum
    desktop-file-utils appstream
    clang libclang-rt-14-dev   # the libFuzzer targets (packaging/fuzz.sh) and their sanitizer runtimes
)

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
for pkg in "${DEB_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done
if [ ${#missing[@]} -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
    log "Debian packages present"
fi

# python3 on PATH may be another interpreter than Debian's (pyenv); any 3.10+ with venv works.
PYTHON="${FT_SYSTEM_PYTHON:-python3}"
torch_ok() {
    [ -x "$FT_VENV/bin/python" ] &&
        "$FT_VENV/bin/python" - "$TORCH_VERSION" >/dev/null 2>&1 <<'PY'
import sys, torch, torch.utils
assert torch.__version__.split("+")[0] == sys.argv[1]
PY
}
if torch_ok; then
    log "torch $TORCH_VERSION present in $FT_VENV"
else
    log "installing torch==$TORCH_VERSION into $FT_VENV (LibTorch comes from this wheel)"
    mkdir -p "$(dirname "$FT_VENV")"
    [ -x "$FT_VENV/bin/python" ] || "$PYTHON" -m venv "$FT_VENV"
    "$FT_VENV/bin/python" -m pip install --quiet --upgrade pip
    "$FT_VENV/bin/python" -m pip install --quiet "torch==$TORCH_VERSION"
    torch_ok || { echo "torch $TORCH_VERSION did not install into $FT_VENV" >&2; exit 1; }
fi
hub_ok() {
    "$FT_VENV/bin/python" - "$HUB_VERSION" >/dev/null 2>&1 <<'PY'
import sys, huggingface_hub
assert huggingface_hub.__version__ == sys.argv[1]
PY
}
if hub_ok; then
    log "huggingface_hub $HUB_VERSION present in $FT_VENV"
else
    log "installing huggingface_hub==$HUB_VERSION into $FT_VENV (the reference for Hub downloads)"
    "$FT_VENV/bin/python" -m pip install --quiet "huggingface_hub==$HUB_VERSION"
    hub_ok || { echo "huggingface_hub $HUB_VERSION did not install into $FT_VENV" >&2; exit 1; }
fi
log "ready"
