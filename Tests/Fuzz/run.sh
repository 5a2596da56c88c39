#!/usr/bin/env bash
# Tests/Fuzz/run.sh [SECONDS] [TARGET...] — build the libFuzzer harnesses of Tests/Fuzz/ and run each for
# SECONDS (default 600), one after the other, on ONE core. Targets: gzip tar zip python-literal
# node-inspect parse-python-sdk parse-node-sdk parse-har parse-gateway parse-error-text bundle
# rules (default: all). Env: FUZZ_BUILD_ONLY=1 builds without running; FUZZ_ARGS adds libFuzzer
# flags (e.g. FUZZ_ARGS=-max_len=8192).
#
# How it is built, and why not as SwiftPM targets: a SwiftPM executable built with
# `-sanitize=fuzzer` does not link (libFuzzer brings its own `main`, SwiftPM renames the
# target's). So:
#  1. ZIPFoundation and Yams (+ its C part CYaml) are built by SwiftPM, uninstrumented, in
#     release, in a scratch folder of their own (.build-fuzz); their objects are linked as is.
#  2. The library stages the readers live in — DoctorModel, DoctorIngest, DoctorParse,
#     DoctorRules — are copied into .fuzz-build/src with their `import DoctorX` lines removed
#     and compiled as ONE module `FuzzLib` (a static library, `-enable-testing` so harnesses
#     reach internal types such as TarReader and ZipReader through `@testable import`),
#     instrumented with -sanitize=fuzzer,address. DoctorRules' PackDigest (SHA-256 via
#     swift-crypto, only a pack's display digest) is swapped for a stub so swift-crypto and
#     BoringSSL need not be built.
#  3. Each harness (Tests/Fuzz/<target>.swift + Tests/Fuzz/FuzzSupport.swift) is linked against FuzzLib,
#     the two packages and the system zlib with -sanitize=fuzzer,address.
# The seed corpus of each target is copied from the repo's own captures (Tests/Fixtures,
# samples/, rules/) into .fuzz-build/corpus/<target>; new inputs libFuzzer finds stay there.
# Crashes are written to .fuzz-build/crashes/<target>/.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
SECONDS_EACH=${1:-600}
shift || true
ALL=(parse-har parse-error-text python-literal node-inspect gzip tar zip parse-gateway parse-python-sdk parse-node-sdk bundle rules)
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=("${ALL[@]}")
OUT=.fuzz-build
SPM=.build-fuzz
mkdir -p "$OUT/src" "$OUT/lib" "$OUT/bin" "$OUT/corpus" "$OUT/crashes" "$OUT/logs"

# 1. Packages (one job: the machine is shared).
if [ ! -f "$SPM/release/Modules/Yams.swiftmodule" ] || [ ! -f "$SPM/release/Modules/ZIPFoundation.swiftmodule" ]; then
    swift build -c release --scratch-path "$SPM" -j 1 --target ZIPFoundation
    swift build -c release --scratch-path "$SPM" -j 1 --target Yams
fi
PKG_OBJS=$(ls "$SPM"/release/ZIPFoundation.build/*.o "$SPM"/release/Yams.build/*.o "$SPM"/release/CYaml.build/src/*.o)
CYAML_MAP=$(ls "$SPM"/checkouts/Yams/Sources/CYaml/include/module.modulemap 2>/dev/null || true)
INC=(-I Sources/CZlibShim -I "$SPM/release/Modules")
[ -n "$CYAML_MAP" ] && INC+=(-Xcc "-fmodule-map-file=$CYAML_MAP")
ZLIB_MAP=$(ls "$SPM"/checkouts/ZIPFoundation/Sources/CZLib/module.modulemap 2>/dev/null || true)
[ -n "$ZLIB_MAP" ] && INC+=(-Xcc "-fmodule-map-file=$ZLIB_MAP")

# 2. FuzzLib, rebuilt when a source changed.
LIB="$OUT/lib/libFuzzLib.a"
STAGES=(DoctorModel DoctorIngest DoctorParse DoctorRules)
STAGE_SOURCES=$(for stage in "${STAGES[@]}"; do find "Sources/$stage" -name '*.swift' | LC_ALL=C sort; done)
STAMP=$(cat $STAGE_SOURCES | cksum | cut -d' ' -f1)
if [ ! -f "$LIB" ] || [ "$(cat "$OUT/lib/stamp" 2>/dev/null)" != "$STAMP" ]; then
    rm -rf "$OUT/src"; mkdir -p "$OUT/src"
    # Every source of the stages, subfolders included (a file's folder path becomes part of its copy's name).
    for f in $STAGE_SOURCES; do
        [ "$(basename "$f")" = PackDigest.swift ] && continue
        rel=${f#Sources/}
        sed -E '/^(@testable |internal |public )?import (DoctorModel|DoctorIngest|DoctorParse|DoctorRules|Crypto)$/d' "$f" > "$OUT/src/${rel//\//-}"
    done
    cat > "$OUT/src/PackDigest-stub.swift" <<'SWIFT'
// Fuzz build only: stands in for Sources/DoctorRules/PackDigest.swift (SHA-256 via swift-crypto).
enum PackDigest {
    static func hex(_ text: String) -> String { String(text.utf8.count, radix: 16) }
}
SWIFT
    echo "building FuzzLib…"
    swiftc -parse-as-library -O -enable-testing -sanitize=fuzzer,address -enable-upcoming-feature ExistentialAny \
        -module-name FuzzLib -package-name modeldoctor -emit-module -emit-module-path "$OUT/lib/FuzzLib.swiftmodule" \
        -emit-library -static -o "$LIB" -j 1 "${INC[@]}" "$OUT"/src/*.swift
    echo "$STAMP" > "$OUT/lib/stamp"
fi

# 3. Harnesses.
for t in "${TARGETS[@]}"; do
    [ -f "Tests/Fuzz/$t.swift" ] || { echo "no harness Tests/Fuzz/$t.swift" >&2; exit 2; }
    bin="$OUT/bin/$t"
    if [ ! -x "$bin" ] || [ "Tests/Fuzz/$t.swift" -nt "$bin" ] || [ Tests/Fuzz/FuzzSupport.swift -nt "$bin" ] || [ "$LIB" -nt "$bin" ]; then
        echo "linking $t…"
        swiftc -parse-as-library -O -sanitize=fuzzer,address -module-name "Fuzz_${t//-/_}" -package-name modeldoctor \
            -I "$OUT/lib" "${INC[@]}" Tests/Fuzz/FuzzSupport.swift "Tests/Fuzz/$t.swift" "$LIB" $PKG_OBJS -lz -o "$bin"
    fi
done
[ "${FUZZ_BUILD_ONLY:-0}" = 1 ] && exit 0

# Seeds per target, from the repo's captures.
seeds() {
    case "$1" in
        gzip) ls Tests/Fixtures/ingest/*.gz samples/archives/*.gz Tests/PipelineTests/archives/*.gz 2>/dev/null ;;
        tar) for f in Tests/Fixtures/ingest/*.tar.gz samples/archives/*.tar.gz; do echo "gunzip:$f"; done ;;
        zip) ls Tests/Fixtures/ingest/*.zip samples/archives/*.zip Tests/PipelineTests/archives/*.zip 2>/dev/null ;;
        parse-har) ls Tests/Fixtures/har/* Tests/Fixtures/merge/*.har ;;
        parse-error-text) ls Tests/Fixtures/error-text/* ;;
        parse-gateway) ls Tests/Fixtures/gateway/* Tests/Fixtures/merge/gateway.log ;;
        parse-python-sdk) ls Tests/Fixtures/python-sdk/* Tests/Fixtures/merge/sdk-debug.log ;;
        parse-node-sdk) ls Tests/Fixtures/node-sdk/* ;;
        python-literal) grep -rhoE "\{'[^\n]{0,3000}" Tests/Fixtures/python-sdk | head -200 | split -l 1 - "$2/pylit-" ;;
        node-inspect) for f in Tests/Fixtures/node-sdk/*; do csplit -s -z -f "$2/$(basename "$f")-" "$f" '/^[^ }\]]/' '{*}' 2>/dev/null || cp "$f" "$2/"; done ;;
        bundle) ls Tests/Fixtures/merge/* Tests/Fixtures/error-text/* Tests/Fixtures/gateway/* Tests/Fixtures/node-sdk/* | head -40 ;;
        rules) ls rules/*.yaml ;;
    esac
}

printf '%-18s %8s %10s %8s %7s %7s %s\n' target seconds runs exec/s cov ft crashes
for t in "${TARGETS[@]}"; do
    corpus="$OUT/corpus/$t"; crashes="$OUT/crashes/$t"
    mkdir -p "$corpus" "$crashes"
    if [ -z "$(ls -A "$corpus")" ]; then
        for f in $(seeds "$t" "$corpus"); do
            case "$f" in gunzip:*) gunzip -c "${f#gunzip:}" > "$corpus/$(basename "${f#gunzip:}" .gz)" ;; *) cp "$f" "$corpus/" ;; esac
        done
    fi
    log="$OUT/logs/$t.log"
    set +e
    # -fork/-jobs are not used: one process, one core.
    # Swift's own backtracer would catch the trap first (and trip ASan reading memory); off, so
    # libFuzzer's deadly-signal handler records the crash input.
    SWIFT_BACKTRACE=enable=no LSAN_OPTIONS="suppressions=$ROOT/Tests/Fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}" \
    "$OUT/bin/$t" -max_total_time="$SECONDS_EACH" -timeout=25 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$crashes/" ${FUZZ_ARGS:-} "$corpus" > "$log" 2>&1
    set -e
    runs=$( (grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$') || true)
    eps=$( (grep -oE 'stat::average_exec_per_sec: *[0-9]+' "$log" | grep -oE '[0-9]+$') || true)
    last=$( (grep -E '#[0-9]+.*cov:' "$log" | tail -1) || true)
    cov=$( (echo "$last" | grep -oE 'cov: [0-9]+' | grep -oE '[0-9]+') || true)
    ft=$( (echo "$last" | grep -oE 'ft: [0-9]+' | grep -oE '[0-9]+') || true)
    ncrash=$( (ls "$crashes" | grep -cE '^(crash|leak|timeout|oom|slow-unit)-') || true)
    printf '%-18s %8s %10s %8s %7s %7s %s\n' "$t" "$SECONDS_EACH" "${runs:-?}" "${eps:-?}" "${cov:-?}" "${ft:-?}" "$ncrash (log: $log)"
done
