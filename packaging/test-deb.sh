#!/usr/bin/env bash
# The .deb end to end, without root: packs BUILD_DIR with CPack, checks the package's fields and contents, validates the
# desktop entry and AppStream metadata, unpacks it into a temporary root and runs the installed launchers from there:
# the GUI trains the demo for 5 steps under Xvfb and saves a screenshot; the CLI writes a demo and reads its model.
# It also checks the launchers' messages when torch is missing or the wrong version. Nothing outside a temporary
# folder is touched (HOME and the XDG folders point into it). CTest runs it as `package_install` (ctest -L package).
#   usage: packaging/test-deb.sh BUILD_DIR      exit 0 passed, 1 failed, 77 skipped (a tool is missing)
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: packaging/test-deb.sh BUILD_DIR" >&2; exit 2; }
build=$(realpath "$1")
src=$(cd "$(dirname "$0")/.." && pwd)
app_id=io.github.finetunestudio.FinetuneStudio

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { printf '\n== %s (%ds)\n' "$*" "$SECONDS"; }

for tool in cpack dpkg-deb xvfb-run; do
    command -v "$tool" >/dev/null || skip "$tool not found (cpack: cmake; dpkg-deb: dpkg; xvfb-run: xvfb)"
done
[ -f "$build/CPackConfig.cmake" ] || fail "$build has no CPackConfig.cmake: configure it with cmake first"
for bin in app/ftstudio app/ftstudio-cli; do
    [ -x "$build/$bin" ] || fail "$build/$bin is not built: cmake --build $build --target ftstudio ftstudio-cli"
done
cache_value() { sed -n "s/^$1:[A-Z]*=//p" "$build/CMakeCache.txt"; }
version=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build/CPackConfig.cmake")
torch_lib=$(dirname "$(cache_value TORCH_LIBRARY)")
[ -f "$torch_lib/libtorch.so" ] || fail "no libtorch.so beside TORCH_LIBRARY in $build/CMakeCache.txt"
venv=""  # the venv around torch_lib (…/venv/lib/python3.X/site-packages/torch/lib), when it is one
case "$torch_lib" in */lib/python3*/site-packages/torch/lib) venv=${torch_lib%/lib/python3*/site-packages/torch/lib} ;; esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ft-test-deb.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

step "cpack -G DEB (install, strip, compress)"
# Into the temporary folder, so the build folder gets no package from the test. CPack packs what is built: with Ninja it
# builds nothing itself (Ninja has no `preinstall` target; with Makefiles it would build `all` first).
(cd "$build" && cpack -G DEB -B "$tmp/pkg" >"$tmp/cpack.log" 2>&1) || { cat "$tmp/cpack.log"; fail "cpack failed"; }
debs=("$tmp"/pkg/*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || fail "expected one .deb in $tmp/pkg, found: ${debs[*]}"
deb=${debs[0]}
echo "$(basename "$deb"): $(du -h "$deb" | cut -f1)"
[ "$(basename "$deb")" = "finetune-studio_${version}_$(dpkg --print-architecture).deb" ] || fail "unexpected file name"

step "control fields"
dpkg-deb -f "$deb"
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = finetune-studio ] || fail "Package is not finetune-studio"
[ "$(field Version)" = "$version" ] || fail "Version $(field Version) is not the project's $version"
for key in Maintainer Section Homepage Description; do [ -n "$(field "$key")" ] || fail "no $key field"; done
depends=", $(field Depends),"
for pkg in libc6 libstdc++6 libqt6core6 libqt6gui6 libqt6widgets6 libqt6printsupport6 libqt6concurrent6 \
           qt6-qpa-plugins libqcustomplot2.1-qt6 libsentencepiece0 python3 python3-venv; do
    [[ $depends == *", $pkg "* || $depends == *", $pkg,"* ]] || fail "Depends lacks $pkg: $depends"
done
[[ ", $(field Recommends)," == *", qt6-translations-l10n"[,\ ]* ]] || fail "Recommends lacks qt6-translations-l10n"

step "contents"
dpkg-deb -c "$deb" | awk '{print $1, $6}' | sed 's| \./| /|' >"$tmp/contents"
has() { grep -q " $1\$" "$tmp/contents" || fail "the package lacks $1"; }
executable() { grep -q "^-rwxr-xr-x $1\$" "$tmp/contents" || fail "$1 is not installed executable (rwxr-xr-x)"; }
for f in bin/ftstudio bin/ftstudio-cli bin/finetune-studio-setup-torch lib/finetune-studio/ftstudio \
         lib/finetune-studio/ftstudio-cli; do
    executable "/usr/$f"
done
ft_libs=(libftcommon.so libftjinja.so libfthub.so libftcore.so libftcore_cuda.so libftui.so)
for lib in "${ft_libs[@]}"; do
    grep -q "^-rw-r--r-- /usr/lib/finetune-studio/$lib\$" "$tmp/contents" ||
        fail "/usr/lib/finetune-studio/$lib is not installed as rw-r--r--"
done
has "/usr/share/applications/$app_id.desktop"
has "/usr/share/metainfo/$app_id.metainfo.xml"
for size in 16 22 24 32 48 64 128 256; do has "/usr/share/icons/hicolor/${size}x${size}/apps/$app_id.png"; done
has "/usr/share/icons/hicolor/scalable/apps/$app_id.svg"
has /usr/share/doc/finetune-studio/README.md
has /usr/share/doc/finetune-studio/copyright
(cd "$src" && find docs -name '*.md' -o -name '*.png') | while read -r doc; do
    has "/usr/share/doc/finetune-studio/$doc"
done
grep -v -E ' /(usr(/.*)?)?$' "$tmp/contents" && fail "files outside /usr"
grep -E '/(libtorch|libc10|libcudart)[^/]*\.so' "$tmp/contents" && fail "LibTorch or CUDA libraries are bundled"
echo "$(wc -l <"$tmp/contents") entries"

if command -v desktop-file-validate >/dev/null; then
    step "desktop-file-validate"
    dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/share/applications/$app_id.desktop" >"$tmp/$app_id.desktop"
    desktop-file-validate "$tmp/$app_id.desktop" || fail "the desktop entry is invalid"
else
    echo "(desktop-file-validate not installed: desktop entry not validated)"
fi
if command -v appstreamcli >/dev/null; then
    step "appstreamcli validate --no-net"
    dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/share/metainfo/$app_id.metainfo.xml" >"$tmp/$app_id.metainfo.xml"
    appstreamcli validate --no-net "$tmp/$app_id.metainfo.xml" || fail "the AppStream metadata is invalid"
else
    echo "(appstreamcli not installed: AppStream metadata not validated)"
fi

step "unpack into a clean root"
root="$tmp/root"
dpkg-deb -x "$deb" "$root"
for bin in ftstudio ftstudio-cli "${ft_libs[@]}"; do
    real="$root/usr/lib/finetune-studio/$bin"
    runpath=$(readelf -d "$real" | grep -E 'RPATH|RUNPATH' || true)
    if [ "$(grep -c . <<<"$runpath")" != 1 ] || [[ $runpath != *"Library runpath: [\$ORIGIN]"* ]]; then
        fail "$bin's RUNPATH is not exactly \$ORIGIN (build tree or venv paths?): $runpath"
    fi
    if readelf -S -W "$real" | grep -q '\.debug_info'; then fail "$bin is not stripped"; fi
done
echo "binaries and libraries stripped, RUNPATH \$ORIGIN only"

# A fresh user: no settings, caches or demo of the person running the test are read or written.
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" XDG_DATA_HOME="$tmp/home/.local/share" \
       XDG_CACHE_HOME="$tmp/home/.cache" XDG_STATE_HOME="$tmp/home/.local/state" XDG_RUNTIME_DIR="$tmp/run"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
# ftstudio restarts itself with OMP_WAIT_POLICY set (core/common/openmp_wait.cpp): let it, through the launcher.
unset FT_VENV FT_TORCH_LIB OMP_WAIT_POLICY QT_QPA_PLATFORM DISPLAY WAYLAND_DISPLAY

step "ftstudio: train the demo 5 steps under Xvfb (torch from FT_TORCH_LIB)"
rc=0
FT_TORCH_LIB="$torch_lib" timeout 240 xvfb-run -a -s "-screen 0 1280x900x24" \
    "$root/usr/bin/ftstudio" --lang en --demo-dir "$tmp/demo" --train --max-steps 5 --screenshot "$tmp/shot.png" \
    >"$tmp/gui.log" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || { cat "$tmp/gui.log"; fail "ftstudio exited with $rc"; }
[ -f "$tmp/shot.png" ] || { cat "$tmp/gui.log"; fail "no screenshot was written"; }
read -r w1 w2 w3 w4 h1 h2 h3 h4 < <(od -An -tu1 -j16 -N8 "$tmp/shot.png")
width=$(( (w1 << 24) | (w2 << 16) | (w3 << 8) | w4 )) height=$(( (h1 << 24) | (h2 << 16) | (h3 << 8) | h4 ))
bytes=$(stat -c %s "$tmp/shot.png")
echo "screenshot ${width}x${height}, $bytes bytes"
[ "$width" -ge 640 ] && [ "$height" -ge 400 ] && [ "$bytes" -ge 20000 ] || fail "the screenshot looks empty"

step "ftstudio-cli make-demo, info (torch from ${venv:+FT_VENV and }~/.cache/finetune-studio/venv)"
if [ -n "$venv" ]; then
    FT_VENV="$venv" "$root/usr/bin/ftstudio-cli" make-demo "$tmp/d2" || fail "ftstudio-cli make-demo failed"
    mkdir -p "$HOME/.cache/finetune-studio" && ln -s "$venv" "$HOME/.cache/finetune-studio/venv"
else
    FT_TORCH_LIB="$torch_lib" "$root/usr/bin/ftstudio-cli" make-demo "$tmp/d2" || fail "ftstudio-cli make-demo failed"
    export FT_TORCH_LIB="$torch_lib"
fi
"$root/usr/bin/ftstudio-cli" info "$tmp/d2/model" | tee "$tmp/info.json"
grep -q '"architecture"' "$tmp/info.json" || fail "ftstudio-cli info printed no architecture"
rm -f "$HOME/.cache/finetune-studio/venv"
unset FT_TORCH_LIB

step "launcher messages: torch missing, wrong version"
# A python3 that finds no torch, so the last place the launcher looks comes up empty too.
mkdir -p "$tmp/nopython" && printf '#!/bin/sh\nexit 1\n' >"$tmp/nopython/python3" && chmod +x "$tmp/nopython/python3"
rc=0
PATH="$tmp/nopython:/usr/bin:/bin" "$root/usr/bin/ftstudio-cli" info "$tmp/d2/model" 2>"$tmp/missing.log" || rc=$?
cat "$tmp/missing.log"
[ "$rc" -eq 127 ] && grep -q finetune-studio-setup-torch "$tmp/missing.log" || fail "no clear message without torch"
mkdir -p "$tmp/old/torch/lib" && touch "$tmp/old/torch/lib/libtorch.so"
echo "__version__ = '2.0.1+cu118'" >"$tmp/old/torch/version.py"
rc=0
FT_TORCH_LIB="$tmp/old/torch/lib" "$root/usr/bin/ftstudio-cli" info "$tmp/d2/model" 2>"$tmp/old.log" || rc=$?
cat "$tmp/old.log"
[ "$rc" -eq 127 ] && grep -q "2.0.1+cu118" "$tmp/old.log" || fail "no clear message for a torch of the wrong version"

step "passed"
