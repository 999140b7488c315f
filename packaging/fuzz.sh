#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang, build-fuzz/) and runs each for SECONDS_PER_TARGET (default 60).
# Prints the executions per target and whether it found anything; exits 1 on any finding (crash, leak, UBSan
# report, timeout, out-of-memory), keeping the input under build-fuzz/findings/<target>/.
# Seeds: fuzz/corpus/<target>/ (committed), tests/data and ../shared/fixtures when present, copied into build-fuzz.
set -euo pipefail
SECONDS_PER_TARGET="${1:-60}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="$ROOT/build-fuzz"
SHARED="$ROOT/../shared/fixtures"
LOCK=/tmp/ftbuild.lock

if [ ! -f "$BUILD/CMakeCache.txt" ]; then
    cmake -S "$ROOT" -B "$BUILD" -G Ninja -DFT_FUZZ=ON -DCMAKE_CXX_COMPILER="${CXX:-clang++}" \
          -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
# The build folder is shared by the machine's builds through one lock; FT_FUZZ_SKIP_BUILD=1 reruns what is built.
[ "${FT_FUZZ_SKIP_BUILD:-0}" = 1 ] || flock "$LOCK" nice cmake --build "$BUILD" -j2

# target → max input length
declare -A MAX_LEN=([fuzz_safetensors_header]=65536 [fuzz_gguf]=65536 [fuzz_model_config]=8192 [fuzz_tokenizer_json]=131072
                    [fuzz_jinja]=16384 [fuzz_dataset]=16384 [fuzz_hub_api]=16384)
TARGETS=(fuzz_safetensors_header fuzz_gguf fuzz_model_config fuzz_tokenizer_json fuzz_jinja fuzz_dataset fuzz_hub_api)

seed() {  # seed TARGET FILE...: copies existing files into the target's seed folder
    local dir="$BUILD/seeds/$1"; shift
    mkdir -p "$dir"
    for f in "$@"; do [ -f "$f" ] && cp "$f" "$dir/$(echo "$f" | md5sum | cut -c1-16)-$(basename "$f")"; done; true
}
rm -rf "$BUILD/seeds"
for t in "${TARGETS[@]}"; do seed "$t" "$ROOT"/fuzz/corpus/"$t"/*; done
seed fuzz_safetensors_header $(find "$ROOT/tests/data" -name '*.safetensors' -size -64k)
seed fuzz_model_config $(find "$ROOT/tests/data" -name '*config*.json')
seed fuzz_tokenizer_json $(find "$ROOT/tests/data" "$SHARED" -name tokenizer.json 2>/dev/null)
seed fuzz_jinja $(find "$SHARED/chat_templates" -name '*.jinja' 2>/dev/null)
if command -v python3 >/dev/null; then  # one seed per template of the Jinja test cases
    python3 - "$ROOT/tests/data/jinja_cases.jsonl" "$BUILD/seeds/fuzz_jinja" <<'PY'
import json, sys, os
for i, line in enumerate(open(sys.argv[1], encoding="utf-8")):
    case = json.loads(line)
    open(os.path.join(sys.argv[2], f"case-{i}"), "w", encoding="utf-8").write(case["template"])
PY
fi
for f in $(find "$ROOT/tests/data" -name '*.jsonl' -size -16k); do  # dataset seeds: type byte 0 = .jsonl
    { printf '\x00'; cat "$f"; } > "$BUILD/seeds/fuzz_dataset/$(basename "$f")"
done

mkdir -p "$BUILD/logs" "$BUILD/findings"
failed=0
for t in "${TARGETS[@]}"; do
    corpus="$BUILD/corpus/$t"; findings="$BUILD/findings/$t"
    mkdir -p "$corpus" "$findings"
    log="$BUILD/logs/$t.log"
    set +e
    nice "$BUILD/fuzz/$t" "$corpus" "$BUILD/seeds/$t" -max_total_time="$SECONDS_PER_TARGET" -timeout=10 \
         -rss_limit_mb=2048 -max_len="${MAX_LEN[$t]}" -print_final_stats=1 -artifact_prefix="$findings/" \
         >"$log" 2>&1
    rc=$?
    set -e
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    if [ "$rc" -eq 0 ]; then
        printf '%-26s %12s executions  no findings\n' "$t" "$execs"
    else
        failed=1
        printf '%-26s %12s executions  FINDING (exit %d): %s; input in %s\n' "$t" "$execs" "$rc" \
               "$(grep -m1 -E 'ERROR|runtime error|deadly signal|timeout' "$log" | cut -c1-120)" "$findings"
    fi
done
exit "$failed"
