#!/usr/bin/env bash
# Performance benchmark (not a unit test): modeldoctor against cat, gzip -dc and grep -F -f on
# the same inputs, in the same run, so the figures are ratios on this machine as it is now.
#
# Inputs are generated deterministically by Benchmarks/perf-gen.py (fixed seed) and cached in
# $WORK: a LiteLLM-shaped gateway log (long DEBUG lines, few lines that matter), a dense
# openai-python debug log, each MB megabytes, plain and .gz, and a HAR of HAR_MB megabytes.
# Every modeldoctor run is `analyze FILE --format json` with the shipped packs, then again with
# the packs doubled (`--rules` with a copy of every rule pack under new ids). Peak RSS comes from
# /usr/bin/time. The half-size logs show whether memory grows with the input.
#
# Usage: Benchmarks/perf-bench.sh [MB] [HAR_MB]    (defaults 1024 and 256; REBUILD=1 rebuilds;
#        RUNS=n takes the best of n runs, default 1; BIN=path uses another binary)
set -euo pipefail
for tool in /usr/bin/time bc; do command -v "$tool" >/dev/null || { echo "perf-bench needs $tool (apt-get install -y time bc)" >&2; exit 2; }; done
cd "$(dirname "$0")/.."
MB="${1:-1024}"
HAR_MB="${2:-256}"
RUNS="${RUNS:-1}"
WORK="${WORK:-${TMPDIR:-/tmp}/modeldoctor-perf-bench}"
BIN="${BIN:-.build/release/modeldoctor}"
mkdir -p "$WORK"
export LC_ALL=C

gen() {  # gen KIND FILE MB
    if [[ ! -s "$2" ]]; then
        echo "generating $2 ($3 MB) ..." >&2
        python3 Benchmarks/perf-gen.py "$1" "$2" "$3"
    fi
    if [[ ! -s "$2.gz" ]]; then gzip -6 -k -c "$2" > "$2.gz"; fi
}
half() {  # the first half of a log, cut at a line end
    if [[ ! -s "$2" ]]; then
        local n; n=$(( $(stat -c %s "$1") / 2 ))
        head -c "$n" "$1" | sed '$d' > "$2"
    fi
}
gen gateway "$WORK/gateway-${MB}m.log" "$MB"
gen python "$WORK/python-${MB}m.log" "$MB"
gen har "$WORK/big-${HAR_MB}m.har" "$HAR_MB"
half "$WORK/gateway-${MB}m.log" "$WORK/gateway-${MB}m-half.log"
half "$WORK/python-${MB}m.log" "$WORK/python-${MB}m-half.log"
python3 Benchmarks/perf-gen.py literals "$WORK/literals.txt" 2>/dev/null
rm -rf "$WORK/doubled"; python3 Benchmarks/perf-gen.py doubled "$WORK/doubled"

if [[ ! -x "$BIN" || -n "${REBUILD:-}" ]]; then
    echo "building release ..." >&2
    swift build -c release --product modeldoctor >&2
fi

# measure CMD...: best wall seconds and the peak RSS (MiB) of that run, "SECONDS RSS".
measure() {
    local best="" rss="" out t="$WORK/time.out"
    for _ in $(seq "$RUNS"); do
        # -o: time's figures go to a file, so the command's own stderr can be discarded.
        /usr/bin/time -f '%e %M' -o "$t" "$@" > /dev/null 2>/dev/null || true
        out=$(tail -1 "$t")
        local s=${out% *} k=${out#* }
        if [[ -z "$best" ]] || (( $(echo "$s < $best" | bc -l) )); then best=$s; rss=$((k / 1024)); fi
    done
    echo "$best $rss"
}
measure_once() { local t="$WORK/time1.out"; /usr/bin/time -f '%e %M' -o "$t" "$@" > /dev/null 2>/dev/null || true; tail -1 "$t"; }
mbs() { echo "scale=1; $1 / ($2 + 0.001)" | bc -l; }
ratio() { echo "scale=2; $1 / ($2 + 0.001)" | bc -l; }
plain_mb() { local f=${1%.gz}; echo "scale=1; $(stat -c %s "$f") / 1000000" | bc -l; }

# A pack given with --rules has its examples run once per binary and pack set (the acceptance
# cache): measure that one-time cost on an empty input, then every 2×packs run below is warm.
export MODELDOCTOR_CACHE="$WORK/cache"
rm -rf "$MODELDOCTOR_CACHE"
printf 'x\n' > "$WORK/empty.txt"
read -r accept_cold _ < <(measure_once "$BIN" analyze "$WORK/empty.txt" --format json --rules "$WORK/doubled")
read -r accept_warm _ < <(measure_once "$BIN" analyze "$WORK/empty.txt" --format json --rules "$WORK/doubled")

printf '%s\n' "modeldoctor $("$BIN" --version 2>/dev/null || echo '?') · $(date -u +%FT%TZ) · $(nproc) cores · load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-28s %8s %9s %8s %8s %8s %9s %9s %9s %8s %8s\n' input MB "md s" "MB/s" "cat s" "gzip s" "grep s" "×gzip-dc" "×grep-F" "RSS MiB" "2×packs"
for f in "$WORK/gateway-${MB}m.log.gz" "$WORK/gateway-${MB}m.log" "$WORK/gateway-${MB}m-half.log" \
         "$WORK/python-${MB}m.log.gz" "$WORK/python-${MB}m.log" "$WORK/python-${MB}m-half.log" \
         "$WORK/big-${HAR_MB}m.har.gz" "$WORK/big-${HAR_MB}m.har"; do
    size=$(plain_mb "$f")
    read -r md rss < <(measure "$BIN" analyze "$f" --format json)
    read -r md2 _ < <(measure "$BIN" analyze "$f" --format json --rules "$WORK/doubled")
    plain=${f%.gz}
    read -r c _ < <(measure cat "$plain")
    if [[ $f == *.gz ]]; then
        read -r g _ < <(measure gzip -dc "$f")
        # grep's output goes to a pipe: GNU grep stops at the first match when stdout is /dev/null.
        read -r gr _ < <(measure sh -c "gzip -dc '$f' | grep -c -F -f '$WORK/literals.txt' | cat")
        vs_gzip=$(ratio "$g" "$md")
    else
        g="-"; vs_gzip="-"
        read -r gr _ < <(measure sh -c "grep -c -F -f '$WORK/literals.txt' '$plain' | cat")
    fi
    vs_grep=$(ratio "$gr" "$md")
    cost=$(echo "scale=0; 100 * ($md2 - $md) / ($md + 0.001)" | bc -l)
    printf '%-28s %8s %9s %8s %8s %8s %9s %9s %9s %8s %7s%%\n' "$(basename "$f")" "$size" "$md" "$(mbs "$size" "$md")" "$c" "$g" "$gr" "$vs_gzip" "$vs_grep" "$rss" "$cost"
done
echo "×gzip-dc and ×grep-F are the reference's time over modeldoctor's (1.0 = as fast as the reference)."
echo "2×packs: extra time with every rule pack loaded twice (warm: the copies' examples already accepted). literals for grep -F -f: $(wc -l < "$WORK/literals.txt")."
echo "accepting the doubled packs (running their examples, once per binary and pack set): ${accept_cold} s; later runs on an empty input: ${accept_warm} s."
