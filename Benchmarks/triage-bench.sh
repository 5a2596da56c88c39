#!/usr/bin/env bash
# Triage benchmark: tickets per second of `modeldoctor triage` with --jobs 1 and --jobs 2, and
# the speed-up. The goal is >= 1.7x on 2 free cores.
#
# Generates a backlog of N tickets (default 1000) once, deterministically, in $WORK: copies of
# samples/tickets/* and samples/archives/*, the folder tickets with their dates varied per copy (so
# the per-day roll-up spreads), plus pasted-error loose files with varied model names.
# Then times a release build of `triage --format jsonl` on the backlog with --jobs 1 and 2
# (best of $RUNS, default 2), checks both outputs are byte-identical, and prints the figures.
# On a machine shared with other builds the figures are lower bounds: note the load.
#
# Usage: Benchmarks/triage-bench.sh [N]   (SCRATCH=.build-NAME for another build folder;
#        REBUILD=1 to rebuild; not run by the tests)
set -euo pipefail

cd "$(dirname "$0")/.."
N="${1:-1000}"
RUNS="${RUNS:-2}"
WORK="${WORK:-${TMPDIR:-/tmp}/modeldoctor-triage-bench}"
BACKLOG="$WORK/backlog-$N"
SCRATCH="${SCRATCH:-.build}"
BIN="$SCRATCH/release/modeldoctor"

if [[ ! -d "$BACKLOG" ]]; then
    echo "generating $N tickets in $BACKLOG ..." >&2
    python3 - "$BACKLOG" "$N" <<'PY'
import os, shutil, sys
out, n = sys.argv[1], int(sys.argv[2])
tmp = out + ".partial"
shutil.rmtree(tmp, ignore_errors=True)
os.makedirs(tmp)
samples = sorted([("samples/tickets", d) for d in os.listdir("samples/tickets")] +
                 [("samples/archives", f) for f in os.listdir("samples/archives")])
models = ["gpt-4o", "gpt-4o-mini", "gpt-4x", "GPT-4O", "claude-3-5-sonnet", "qwen-max", "deepseek-chat"]
def variant(text, i):
    # Same shape, another day: deterministic in i.
    day = f"2026-11-{i % 28 + 1:02d}"
    return text.replace("2026-11-29", day)
for i in range(n):
    kind = i % (len(samples) + 1)
    if kind == len(samples):  # a loose pasted error
        m = models[i % len(models)]
        with open(os.path.join(tmp, f"t{i:05d}-pasted.txt"), "w") as f:
            f.write(f"openai.NotFoundError: Error code: 404 - {{'error': {{'message': 'The model `{m}` does not exist', "
                    f"'type': 'invalid_request_error', 'param': None, 'code': 'model_not_found'}}}}\n")
        continue
    base, name = samples[kind]
    src = os.path.join(base, name)
    dst = os.path.join(tmp, f"t{i:05d}-{name}")
    if os.path.isdir(src):
        os.makedirs(dst)
        for f in sorted(os.listdir(src)):
            data = open(os.path.join(src, f), "rb").read()
            if not f.endswith(".gz"):
                data = variant(data.decode("utf-8"), i).encode("utf-8")
            open(os.path.join(dst, f), "wb").write(data)
    else:
        shutil.copyfile(src, dst)
os.rename(tmp, out)
PY
fi

if [[ ! -x "$BIN" || -n "${REBUILD:-}" ]]; then
    echo "building release in $SCRATCH ..." >&2
    swift build -c release --scratch-path "$SCRATCH" --product modeldoctor >&2
fi

best_of() {  # "wall cpu" seconds of the fastest of $RUNS runs of "$@" (cpu = user + sys);
            # output of the last run in $WORK/out-$JOBS.jsonl
    local best="" best_cpu=""
    for _ in $(seq "$RUNS"); do
        local t wall cpu
        t=$( { TIMEFORMAT='%R %U %S'; time "$@" > "$WORK/out-$JOBS.jsonl"; } 2>&1 )
        wall=$(echo "$t" | tail -1 | cut -d' ' -f1)
        cpu=$(echo "$t" | tail -1 | awk '{print $2 + $3}')
        if [[ -z "$best" ]] || (( $(echo "$wall < $best" | bc -l) )); then best=$wall; best_cpu=$cpu; fi
    done
    echo "$best $best_cpu"
}

tickets=$(find "$BACKLOG" -mindepth 1 -maxdepth 1 | wc -l)
echo "backlog: $tickets tickets ($(du -sh "$BACKLOG" | cut -f1)), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
JOBS=1; read -r t1 c1 < <(best_of "$BIN" triage "$BACKLOG" --jobs 1 --format jsonl)
JOBS=2; read -r t2 c2 < <(best_of "$BIN" triage "$BACKLOG" --jobs 2 --format jsonl)
if cmp -s "$WORK/out-1.jsonl" "$WORK/out-2.jsonl"; then same=identical; else same=DIFFERENT; fi
printf 'jobs 1: %6.2f s wall  %6.2f s cpu  %7.1f tickets/s\n' "$t1" "$c1" "$(echo "$tickets / $t1" | bc -l)"
printf 'jobs 2: %6.2f s wall  %6.2f s cpu  %7.1f tickets/s\n' "$t2" "$c2" "$(echo "$tickets / $t2" | bc -l)"
printf 'speed-up: %.2fx measured (goal >= 1.70x on 2 free cores); outputs %s; load after %s\n' \
    "$(echo "$t1 / $t2" | bc -l)" "$same" "$(cut -d' ' -f1-3 /proc/loadavg)"
# On a busy machine the wall-clock ratio says more about the other processes than about
# triage: cores used (cpu / wall) shows how much of the machine each run got. jobs 2 near 2.0
# with the speed-up short of the goal would point at triage; jobs 2 near 1.0 at the machine.
printf 'cores used: jobs 1 %.2f, jobs 2 %.2f of %s\n' "$(echo "$c1 / $t1" | bc -l)" "$(echo "$c2 / $t2" | bc -l)" "$(nproc)"
