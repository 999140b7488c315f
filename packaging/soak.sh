#!/usr/bin/env bash
# Endurance: trains the built-in demo (LoRA, CPU) for about HOURS, twice: once straight through, once killed with
# SIGKILL at random moments (also while a checkpoint or the final adapter is being written) and resumed each time,
# once with the disk "full" (every write past a size limit fails: RLIMIT_FSIZE with SIGXFSZ ignored, which fails
# write() with EFBIG as a full disk fails it with ENOSPC, even as root), and with exports killed mid-write beside it.
# Checks that the killed run's loss curve, trained weights and adapter are bit-identical to the straight run's, that
# every checkpoint on disk is complete and no more are kept than keep_checkpoints, that a killed export leaves nothing
# or a whole export; reports the straight run's RSS and open file descriptors over time (their slope) and the disk
# use. Exits 1 on any difference. Report: <work>/soak-report.json.
#   packaging/soak.sh HOURS [WORK_DIR]      (HOURS may be a fraction: CI runs 0.015, about 90 s)
set -euo pipefail
HOURS="${1:?usage: packaging/soak.sh HOURS [WORK_DIR]}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${FT_BUILD_DIR:-$ROOT/build}"
CLI="$BUILD/app/ftstudio-cli"
WORK="${2:-$BUILD/soak/$(date +%Y%m%d-%H%M%S)}"
[ -x "$CLI" ] || bash "$ROOT/packaging/dev.sh" build
if [ -d "$WORK" ] && [ -n "$(ls -A "$WORK")" ]; then
    echo "soak: $WORK is not empty; give an empty or new folder" >&2
    exit 2
fi
mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"
LOG="$WORK/soak.log"
: >"$LOG"
say() { echo "[soak] $*" | tee -a "$LOG"; }
RANDOM_SEED="${FT_SOAK_SEED:-$$}"
RANDOM=$RANDOM_SEED

"$CLI" make-demo "$WORK/demo" >/dev/null 2>&1
# The demo as a long LoRA run on the CPU: a checkpoint every 100 steps, 2 kept, validation every 500.
project() {  # project STEPS FILE
    python3 - "$WORK/demo/project.json" "$1" "$2" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
t = p["training"]
t.update(max_steps=int(sys.argv[2]), device="cpu", checkpoint_every=100, keep_checkpoints=2, eval_every=500,
         warmup_steps=10, learning_rate=1e-3)
json.dump(p, open(sys.argv[3], "w"), indent=1)
PY
}

# How fast this machine trains the demo decides how many steps fit: about 45 % of the time for each run.
project 200 "$WORK/demo/calibrate.json"
start=$(date +%s.%N)
"$CLI" train "$WORK/demo/calibrate.json" --out "$WORK/calibrate" >/dev/null 2>&1
rate=$(python3 -c "import sys; print(200 / (float(sys.argv[2]) - float(sys.argv[1])))" "$start" "$(date +%s.%N)")
STEPS=$(python3 -c "import sys; print(max(300, int(float(sys.argv[1]) * 3600 * 0.45 * float(sys.argv[2]) / 100) * 100))" \
        "$HOURS" "$rate")
project "$STEPS" "$WORK/demo/soak.json"
P="$WORK/demo/soak.json"
say "seed $RANDOM_SEED; the demo trains at $(printf %.1f "$rate") steps/s here: $STEPS steps per run"

# 1. Straight through, sampling its resident memory and open descriptors every second.
"$CLI" train "$P" --out "$WORK/straight" >"$WORK/straight.out" 2>&1 &
pid=$!
echo "seconds,rss_kb,fds" >"$WORK/straight-resources.csv"
t0=$SECONDS
while kill -0 "$pid" 2>/dev/null; do
    rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
    fds=$(ls "/proc/$pid/fd" 2>/dev/null | wc -l || true)
    [ -n "$rss" ] && echo "$((SECONDS - t0)),$rss,$fds" >>"$WORK/straight-resources.csv"
    sleep 1
done
wait "$pid" || { cat "$WORK/straight.out"; say "the straight run failed"; exit 1; }
say "straight run: $STEPS steps in $((SECONDS - t0)) s"

# 2. The same run, killed and resumed until it finishes. Random kills come within three checkpoints' time of a start,
# or within a fifteenth of the run where that is longer: a long run gets some 40 to 60 starts rather than hundreds
# (each start reloads the model and redoes the steps since the last checkpoint; at three checkpoints a 28,700-step
# run took three times as long killed as straight).
RUN="$WORK/killed"
KILL_WINDOW=$(( STEPS / 15 > 300 ? STEPS / 15 : 300 ))
kills_random=0 kills_checkpoint=0 kills_adapter=0 exports_killed=0 exports_whole=0 starts=0 max_du=0 disk_full=""
checkpoint_bytes=0
finished() { grep -q '"state": *"finished"' "$RUN/run.json" 2>/dev/null; }
step_now() { tail -n 1 "$RUN/metrics.jsonl" 2>/dev/null | grep -o '"step": *[0-9]*' | grep -o '[0-9]*$' || echo 0; }
# Every checkpoint folder is complete; at most keep_checkpoints of them, and at most one unfinished write (a
# ".tmp-" folder a kill left, which the next start clears).
check_folder() {
    local n=0 tmp=0 c du
    for c in "$RUN"/checkpoints/*; do
        [ -e "$c" ] || continue
        case "$(basename "$c")" in
        *.tmp-* | *.old-*) tmp=$((tmp + 1)) ;;
        step-*)
            n=$((n + 1))
            for f in trainable.safetensors optimizer.pt rng.safetensors trainer_state.json; do
                [ -s "$c/$f" ] || { say "FAIL: $c has no $f"; exit 1; }
            done
            python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$c/trainer_state.json" ||
                { say "FAIL: $c/trainer_state.json is not whole"; exit 1; }
            [ "$checkpoint_bytes" -gt 0 ] || checkpoint_bytes=$(du -sb "$c" | cut -f1)
            ;;
        esac
    done
    [ "$n" -le 2 ] || { say "FAIL: $n checkpoints kept (keep_checkpoints 2)"; exit 1; }
    [ "$tmp" -le 1 ] || { say "FAIL: $tmp unfinished checkpoint writes left"; exit 1; }
    du=$(du -sb "$RUN" | cut -f1)
    [ "$du" -le "$max_du" ] || max_du=$du
}
# Waits until `pattern` exists under the run (polled every 2 ms) or the process ends; true when it appeared.
wait_for() {
    local pid=$1 pattern=$2
    while kill -0 "$pid" 2>/dev/null; do
        compgen -G "$pattern" >/dev/null && return 0
        sleep 0.002
    done
    return 1
}
# An export of the newest checkpoint killed at a random moment: the destination is then absent or whole, and the
# next export over it succeeds.
killed_export() {
    local out="$WORK/exports/merged" format=merged pid
    [ $((RANDOM % 2)) = 0 ] && { out="$WORK/exports/peft"; format=peft; }
    [ -d "$RUN/checkpoints" ] && ls "$RUN"/checkpoints | grep -q '^step-[0-9]*$' || return 0
    mkdir -p "$WORK/exports"
    "$CLI" export --checkpoint "$RUN" --format "$format" --out "$out" >/dev/null 2>&1 &
    pid=$!
    sleep "0.0$((RANDOM % 10))$((RANDOM % 10))"
    kill -9 "$pid" 2>/dev/null && exports_killed=$((exports_killed + 1))
    wait "$pid" 2>/dev/null || true
    if [ -e "$out" ]; then
        local want=adapter_model.safetensors
        [ "$format" = merged ] && want=model.safetensors
        [ -s "$out/$want" ] && [ -s "$out/$( [ "$format" = merged ] && echo config.json || echo adapter_config.json)" ] ||
            { say "FAIL: a killed $format export left a partial $out"; ls -la "$out" | tee -a "$LOG"; exit 1; }
        exports_whole=$((exports_whole + 1))
    fi
    "$CLI" export --checkpoint "$RUN" --format "$format" --out "$out" >/dev/null 2>&1 ||
        { say "FAIL: exporting over a killed export failed"; exit 1; }
}

while ! finished; do
    starts=$((starts + 1))
    args=(train "$P" --out "$RUN")
    [ -f "$RUN/run.json" ] && args+=(--resume)
    before=$(step_now)
    if [ -z "$disk_full" ] && [ "$before" -ge $((STEPS * 2 / 5)) ]; then
        # Once: the disk fills up. The run must stop with an error that names the file, keeping its checkpoints.
        limit_kb=$(( $(du -k "$RUN"/checkpoints/step-*/optimizer.pt | sort -n | tail -1 | cut -f1) / 2 ))
        set +e
        ( trap '' XFSZ; ulimit -f "$limit_kb"; exec "$CLI" "${args[@]}" ) >"$WORK/disk-full.out" 2>&1
        rc=$?
        set -e
        disk_full=$(grep -m1 -i 'error' "$WORK/disk-full.out" || true)
        say "disk full (files limited to $limit_kb KiB) at step $(step_now): exit $rc: $disk_full"
        [ "$rc" != 0 ] && [ -n "$disk_full" ] || { say "FAIL: the run went on with a full disk"; exit 1; }
        check_folder
        continue
    fi
    : >"$WORK/start.out"
    "$CLI" "${args[@]}" >"$WORK/start.out" 2>&1 &
    pid=$!
    kind=""
    if [ $((STEPS - before)) -le 300 ] && [ $((RANDOM % 2)) = 0 ]; then
        # near the end, one start in two: while the final adapter is being written (or not at all, if missed)
        wait_for "$pid" "$RUN/adapter.tmp-*" && kind=adapter
    elif [ $((RANDOM % 3)) = 0 ]; then
        wait_for "$pid" "$RUN/checkpoints/*.tmp-*" && kind=checkpoint  # while a checkpoint is being written
    elif [ $((RANDOM % 8)) = 0 ]; then
        kind=anywhere  # while it starts: loading, resuming, tokenizing
        sleep "0.$((RANDOM % 10))"
    else
        # within KILL_WINDOW steps' time once it trains (timed from its first step, so that a busy machine's slower
        # start does not leave it killed before it ever gets to a checkpoint)
        kind=anywhere
        while kill -0 "$pid" 2>/dev/null && ! grep -q '^step ' "$WORK/start.out"; do sleep 0.05; done
        sleep "$(python3 -c "import random; random.seed($RANDOM); print(round(random.uniform(0, $KILL_WINDOW / $rate), 3))")"
    fi
    if [ -n "$kind" ] && kill -9 "$pid" 2>/dev/null; then
        case $kind in
        anywhere) kills_random=$((kills_random + 1)) ;;
        checkpoint) kills_checkpoint=$((kills_checkpoint + 1)) ;;
        adapter) kills_adapter=$((kills_adapter + 1)) ;;
        esac
        wait "$pid" 2>/dev/null || true
    elif ! wait "$pid"; then  # it ended by itself: only a finished run may
        tail -n 5 "$WORK/start.out" | tee -a "$LOG"
        say "FAIL: a start of the run failed by itself"
        exit 1
    fi
    cat "$WORK/start.out" >>"$WORK/killed.out"
    check_folder
    [ $((starts % 5)) = 0 ] && killed_export
    if [ "$starts" -gt $((STEPS / 10 + 50)) ]; then say "FAIL: no end after $starts starts"; exit 1; fi
done
check_folder
say "killed run: $starts starts; kills: $kills_random anywhere, $kills_checkpoint in a checkpoint write, $kills_adapter in the adapter's write; $exports_killed exports killed ($exports_whole had finished)"

# 3. The two runs must be the same, bit for bit.
python3 - "$WORK" "$STEPS" "$checkpoint_bytes" "$max_du" "$RANDOM_SEED" "$kills_random" "$kills_checkpoint" \
          "$kills_adapter" "$exports_killed" "$starts" "$disk_full" <<'PY' | tee -a "$LOG"
import csv, hashlib, json, os, sys
work, steps, ckpt, max_du, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
kills = dict(anywhere=int(sys.argv[6]), checkpoint_write=int(sys.argv[7]), adapter_write=int(sys.argv[8]))
exports_killed, starts, disk_full = int(sys.argv[9]), int(sys.argv[10]), sys.argv[11]

def curve(run):
    out = {}
    for line in open(os.path.join(work, run, "metrics.jsonl")):
        m = json.loads(line)
        # Exact: the numbers as written (JSON keeps a float's shortest exact text).
        out[(m["step"], "eval_loss" in m)] = (m.get("loss"), m.get("eval_loss"))
    return out

def digest(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()

a, b = curve("straight"), curve("killed")
train_steps = sorted(k[0] for k in a if not k[1])
same_curve = a == b
diff = [k for k in a if a.get(k) != b.get(k)][:5]
files = ["adapter/adapter_model.safetensors", f"checkpoints/step-{steps:06d}/trainable.safetensors"]
same_files = {f: digest(os.path.join(work, "straight", f)) == digest(os.path.join(work, "killed", f)) for f in files}

def slope(xs, ys):  # least squares, per hour
    n = len(xs)
    if n < 3: return 0.0
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx * 3600 if sxx else 0.0

rows = list(csv.DictReader(open(os.path.join(work, "straight-resources.csv"))))
# The steady part: after loading, tokenization and the first allocations, before the final export.
half = rows[len(rows) // 10: len(rows) - len(rows) // 10]
t = [int(r["seconds"]) for r in half]
report = {
    "seed": seed, "steps": steps, "starts": starts, "kills": kills, "exports_killed": exports_killed,
    "disk_full_error": disk_full,
    "curve_points": len(a), "curves_bit_identical": same_curve, "files_bit_identical": same_files,
    "checkpoint_bytes": ckpt, "max_run_folder_bytes": max_du,
    "rss_kb": {"first": int(rows[0]["rss_kb"]), "max": max(int(r["rss_kb"]) for r in rows),
               "last": int(rows[-1]["rss_kb"]),
               "slope_kb_per_hour": round(slope(t, [int(r["rss_kb"]) for r in half]), 1)},
    "fds": {"max": max(int(r["fds"]) for r in rows), "last": int(rows[-1]["fds"]),
            "slope_per_hour": round(slope(t, [int(r["fds"]) for r in half]), 2)},
    "samples": len(rows),
}
json.dump(report, open(os.path.join(work, "soak-report.json"), "w"), indent=1)
print(json.dumps(report, indent=1))
if not same_curve:
    print("FAIL: the curves differ at", diff, [(a.get(k), b.get(k)) for k in diff])
if not all(same_files.values()):
    print("FAIL: files differ:", [f for f, same in same_files.items() if not same])
sys.exit(0 if same_curve and all(same_files.values()) else 1)
PY
say "passed: $WORK/soak-report.json"
