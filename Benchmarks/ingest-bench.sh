#!/usr/bin/env bash
# Ingest benchmark: how close does `modeldoctor exchanges FILE.gz` come to `gzip -dc`?
#
# Generates a ~200 MB synthetic OpenAI-SDK-style debug log (once, cached in $WORK), gzips it,
# then times `gzip -dc > /dev/null` and a release build of `modeldoctor exchanges` on the same
# .gz, and prints the ratio. The goal (reference/perf-baselines.md) is >= 150% of gzip -dc
# throughput on 2 free cores, i.e. modeldoctor's time <= 0.67x gzip's.
#
# Usage: Benchmarks/ingest-bench.sh [MB]     (default 200; not run by the tests)
set -euo pipefail

cd "$(dirname "$0")/.."
MB="${1:-200}"
WORK="${WORK:-${TMPDIR:-/tmp}/modeldoctor-ingest-bench}"
LOG="$WORK/app-${MB}m.log"
GZ="$LOG.gz"
BIN=.build/release/modeldoctor

mkdir -p "$WORK"
if [[ ! -s "$GZ" ]]; then
    echo "generating ${MB} MB synthetic log in $WORK ..." >&2
    python3 - "$LOG" "$MB" <<'PY'
import random, sys
path, mb = sys.argv[1], int(sys.argv[2])
rnd = random.Random(42)
models = ["gpt-4o", "gpt-4o-mini", "claude-3-5-sonnet", "qwen-max", "deepseek-chat"]
words = "alpha beta gamma delta epsilon zeta theta kappa lambda sigma omega request retry stream".split()
limit = mb * 1_000_000
with open(path, "w") as f:
    n = 0; i = 0
    while n < limit:
        m = rnd.choice(models)
        ts = f"2025-03-{i % 28 + 1:02d} 10:{i % 60:02d}:{(i * 7) % 60:02d},{i % 1000:03d}"
        status = rnd.choice([200, 200, 200, 200, 404, 401, 429, 500])
        lines = [
            f"{ts} - openai._base_client - DEBUG - Request options: {{'method': 'post', 'url': '/chat/completions', 'json_data': {{'model': '{m}', 'messages': [{{'role': 'user', 'content': '{' '.join(rnd.choice(words) for _ in range(12))}'}}]}}}}\n",
            f"{ts} - httpx - INFO - HTTP Request: POST https://gateway.example.test/v1/chat/completions \"HTTP/1.1 {status} OK\"\n",
            f"{ts} - openai._base_client - DEBUG - request_id: req_{rnd.getrandbits(64):016x}\n",
        ]
        for l in lines:
            f.write(l); n += len(l)
        i += 1
PY
    gzip -6 -c "$LOG" > "$GZ"
    rm -f "$LOG"
fi

if [[ ! -x "$BIN" || -n "${REBUILD:-}" ]]; then
    echo "building release ..." >&2
    swift build -c release --product modeldoctor >&2
fi

now() { date +%s.%N; }
time_of() {  # prints wall seconds of "$@", best of 3
    local best=""
    for _ in 1 2 3; do
        local t0 t1 d
        t0=$(now); "$@" > /dev/null; t1=$(now)
        d=$(echo "$t1 - $t0" | bc -l)
        if [[ -z "$best" ]] || (( $(echo "$d < $best" | bc -l) )); then best=$d; fi
    done
    printf '%.3f' "$best"
}

RAW=$(gzip -dc "$GZ" | wc -c)
G=$(time_of gzip -dc "$GZ")
M=$(time_of "$BIN" exchanges "$GZ")
A=$(time_of "$BIN" analyze "$GZ")
RSS=""
if [[ -x /usr/bin/time ]]; then
    RSS=$( { /usr/bin/time -f '%M' "$BIN" analyze "$GZ" > /dev/null; } 2>&1 | tail -1 )
fi
printf 'input          %s (%d bytes compressed, %d bytes inflated)\n' "$GZ" "$(stat -c %s "$GZ" 2>/dev/null || stat -f %z "$GZ")" "$RAW"
printf 'gzip -dc       %8.3f s  %7.1f MB/s\n' "$G" "$(echo "$RAW / $G / 1000000" | bc -l)"
printf 'exchanges      %8.3f s  %7.1f MB/s\n' "$M" "$(echo "$RAW / $M / 1000000" | bc -l)"
printf 'analyze        %8.3f s  %7.1f MB/s  ratio %.2f%s\n' "$A" "$(echo "$RAW / $A / 1000000" | bc -l)" "$(echo "$G / $A" | bc -l)" "${RSS:+  peak RSS ${RSS} KiB}"
printf 'ratio          %8.2f  (exchanges throughput / gzip -dc throughput; goal >= 1.5)\n' "$(echo "$G / $M" | bc -l)"
