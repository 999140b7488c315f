#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang, build-fuzz/) and fuzzes each one in turn.
#   fuzz.sh [SECONDS_PER_TARGET]      (default 60; what CI runs) each target for that long, its new inputs kept in
#                                     build-fuzz/corpus/<target>/.
#   fuzz.sh --campaign SECONDS        each target until it has run FT_FUZZ_EXECS inputs (default 10000000) or for
#                                     SECONDS, whichever comes first, from the committed corpus and the seeds; then
#                                     minimises the committed corpus and what the run found back into fuzz/corpus/
#                                     <target>/ (libFuzzer's merge, see minimise), and prints executions, exec/s and
#                                     corpus files before→after per target.
# Both print what each target found and exit 1 on any finding (crash, leak, UBSan report, timeout, out-of-memory),
# keeping the input under build-fuzz/findings/<target>/.
# Seeds: fuzz/corpus/<target>/ (committed), tests/data and ../shared/fixtures when present, copied into build-fuzz.
set -euo pipefail
CAMPAIGN=0
if [ "${1:-}" = --campaign ]; then
    CAMPAIGN=1
    SECONDS_PER_TARGET="${2:?usage: fuzz.sh --campaign SECONDS}"
    EXECS="${FT_FUZZ_EXECS:-10000000}"
else
    SECONDS_PER_TARGET="${1:-60}"
fi
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
                    [fuzz_jinja]=16384 [fuzz_dataset]=16384 [fuzz_hub_api]=16384 [fuzz_project]=16384
                    [fuzz_run_folder]=16384 [fuzz_token_cache]=16384)
TARGETS=(fuzz_safetensors_header fuzz_gguf fuzz_model_config fuzz_tokenizer_json fuzz_jinja fuzz_dataset fuzz_hub_api
         fuzz_project fuzz_run_folder fuzz_token_cache)
[ -z "${FT_FUZZ_TARGETS:-}" ] || read -ra TARGETS <<<"$FT_FUZZ_TARGETS"  # a few of them, e.g. to resume a campaign

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
stat_of() { grep -o "stat::$1: *[0-9]*" "$2" | grep -o '[0-9]*$' || echo "?"; }  # stat_of NAME LOG
finding() { grep -m1 -E 'ERROR|runtime error|deadly signal|timeout' "$1" | cut -c1-120; }
count() { find "$1" -maxdepth 1 -type f | wc -l; }
FLAGS=(-timeout=10 -rss_limit_mb=2048 -print_final_stats=1)

# Minimises TARGET's inputs (this campaign's new ones and the committed corpus) into the committed
# fuzz/corpus/<target>/: the fewest inputs that reach every branch they reach (edges only, not hit counts: a seed
# corpus, not a snapshot of the fuzzer's). The seeds made from tests/data and ../shared count as reached already, so
# the committed corpus holds only what they miss. Files that did not change keep their committed names.
minimise() {
    local t="$1" committed="$ROOT/fuzz/corpus/$1" fresh="$BUILD/merged/$1" f h
    rm -rf "$fresh" && mkdir -p "$fresh" "$BUILD/merged/artifacts"
    declare -A known=()
    for f in "$committed"/*; do [ -f "$f" ] && known[$(sha1sum <"$f" | cut -c1-40)]=1; done
    for f in "$BUILD/seeds/$t"/*; do  # the generated seeds: the first folder of a merge counts as covered
        h=$(sha1sum <"$f" | cut -c1-40)
        [ -n "${known[$h]:-}" ] || cp "$f" "$fresh/seed-$h"
    done
    nice "$BUILD/fuzz/$t" -set_cover_merge=1 -use_counters=0 "$fresh" "$BUILD/campaign/$t" "$committed" "${FLAGS[@]}" \
         -max_len="${MAX_LEN[$t]}" -artifact_prefix="$BUILD/merged/artifacts/" >"$BUILD/logs/$t.merge.log" 2>&1 || {
        echo "$t: the merge failed, fuzz/corpus/$t left as it was (see $BUILD/logs/$t.merge.log)" >&2; return; }
    rm -f "$fresh"/seed-*
    for f in "$committed"/*; do  # merged files are named by their SHA-1
        [ -f "$f" ] || continue
        h=$(sha1sum <"$f" | cut -c1-40)
        [ "$(basename "$f")" != "$h" ] && [ -f "$fresh/$h" ] && mv "$fresh/$h" "$fresh/$(basename "$f")"
    done
    rm -rf "$committed" && mkdir -p "$committed" && cp -r "$fresh"/. "$committed"/
}

failed=0
[ "$CAMPAIGN" = 0 ] || printf '%-24s %12s %8s %15s  %s\n' target executions exec/s "corpus files" findings
for t in "${TARGETS[@]}"; do
    findings="$BUILD/findings/$t"
    log="$BUILD/logs/$t.log"
    if [ "$CAMPAIGN" = 1 ]; then  # a fresh folder for what this campaign adds: the merge takes only what counts
        corpus="$BUILD/campaign/$t"; rm -rf "$corpus"
        limits=(-max_total_time="$SECONDS_PER_TARGET" -runs="$EXECS")
    else
        corpus="$BUILD/corpus/$t"
        limits=(-max_total_time="$SECONDS_PER_TARGET")
    fi
    mkdir -p "$corpus" "$findings"
    set +e
    nice "$BUILD/fuzz/$t" "$corpus" "$BUILD/seeds/$t" "${limits[@]}" "${FLAGS[@]}" -max_len="${MAX_LEN[$t]}" \
         -artifact_prefix="$findings/" >"$log" 2>&1
    rc=$?
    set -e
    execs=$(stat_of number_of_executed_units "$log")
    [ "$rc" -eq 0 ] || failed=1
    if [ "$CAMPAIGN" = 1 ]; then
        before=$(count "$ROOT/fuzz/corpus/$t")
        minimise "$t"
        result="none"
        [ "$rc" -eq 0 ] || result="FINDING (exit $rc): $(finding "$log"); input in $findings"
        printf '%-24s %12s %8s %15s  %s\n' "$t" "$execs" "$(stat_of average_exec_per_sec "$log")" \
               "$before → $(count "$ROOT/fuzz/corpus/$t")" "$result"
    elif [ "$rc" -eq 0 ]; then
        printf '%-26s %12s executions  no findings\n' "$t" "$execs"
    else
        printf '%-26s %12s executions  FINDING (exit %d): %s; input in %s\n' "$t" "$execs" "$rc" "$(finding "$log")" \
               "$findings"
    fi
done
exit "$failed"
