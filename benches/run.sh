#!/usr/bin/env bash
# Runs every benchmark and writes PERFORMANCE.md at the repository root.
#
#   bash benches/run.sh            # full run (a few minutes on 2 cores, plus builds)
#   BENCH_NOTE="..." bash benches/run.sh   # a note printed at the top of the report
#   bash benches/run.sh --loaded   # benches/loaded.rs alone, both builds (≈ 4 min,
#                                  # plus builds): rewrites only PERFORMANCE.md's
#                                  # quiet-and-loaded part
#
# The criterion suite runs twice: built without feature `tokio` (baseline
# `notokio`) and with it (`tokio`). Peers are measured again in each run, so
# every ratio in the report divides two figures of the same run. Each build
# also runs benches/loaded.rs: the cross-thread rows quiet and with one busy
# competitor thread per core, with CPU time per operation, in interleaved
# rounds (TWOWORLDS_BENCH_ROUNDS, default 12; ≈ 1 min per build). Then the
# zero-cost twins' machine code is compared (benches/compare_code.py),
# benches/build_time.sh --cold runs, and benches/report.py writes the report.
# To judge a change of the runtime's waits, compare revisions with
# benches/ab.sh (benches/loaded.rs, builds alternated) rather than full runs.
# Uses $CARGO_TARGET_DIR (default: target/); criterion's files go to
# $CARGO_TARGET_DIR/criterion, the other figures to $CARGO_TARGET_DIR/bench-report.
set -euo pipefail
cd "$(dirname "$0")/.."
only_loaded=false
[[ ${1:-} == --loaded ]] && only_loaded=true

target=${CARGO_TARGET_DIR:-$PWD/target}
export CRITERION_HOME="$target/criterion"
report="$target/bench-report"
$only_loaded || rm -rf "$CRITERION_HOME"
rm -rf "$report"
mkdir -p "$report"

BENCH_DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
BENCH_LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
export BENCH_DATE BENCH_LOAD

benches=(--bench block_on --bench unblock --bench throughput --bench zero_cost --bench watchdog --bench stream --bench loaded)
$only_loaded && benches=(--bench loaded)
for run in notokio tokio; do
    # `futures-io` only adds trait impls (benches/stream.rs reads through them).
    features=(--features futures-io)
    [[ $run == tokio ]] && features=(--features "tokio futures-io")
    echo "== criterion suite, baseline $run ${features[*]}" >&2
    TWOWORLDS_BENCH_THREADS_OUT="$report/threads-$run.json" \
        TWOWORLDS_BENCH_LOADED_OUT="$report/loaded-$run.json" \
        cargo bench "${features[@]}" "${benches[@]}" -- --save-baseline "$run" --noplot
    # The zero-cost promise is the plain twin's: with feature `tokio` a
    # twin's body also enters the tokio context (one call at its start).
    if [[ $run == notokio ]]; then
        zero_cost_bin=$(ls -t "$target"/release/deps/zero_cost-* | grep -v '\.d$' | head -1)
    fi
done

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
export BENCH_MACHINE="$(nproc) cores, $cpu, $(free -g | awk '/Mem:/ {print $2}') GiB"
export BENCH_RUSTC=$(rustc -V)
BENCH_COMMIT=${BENCH_COMMIT:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo "+dirty")}
export BENCH_COMMIT

if $only_loaded; then
    BENCH_LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
    export BENCH_LOAD_END
    python3 benches/report.py --loaded-into PERFORMANCE.md "$report"
    echo "rewrote the quiet-and-loaded part of PERFORMANCE.md" >&2
    exit 0
fi

echo "== machine code of the zero-cost twins" >&2
python3 benches/compare_code.py "$zero_cost_bin" zero_cost::hand zero_cost::work::blocking \
    checksum round_trip | tee "$report/zero_cost_code.txt"
# The same loop as separately annotated fns: the twin reaches `mix`'s twin
# through its `#[dual]` future (settled by type), not by a rename.
python3 benches/compare_code.py "$zero_cost_bin" zero_cost::hand zero_cost::separate \
    checksum=blocking_checksum | sed 's/^checksum=blocking_checksum/checksum (separate #[dual] fns)/' \
    | tee -a "$report/zero_cost_code.txt"

echo "== build time" >&2
BUILD_TIME_TSV="$report/build_time.tsv" bash benches/build_time.sh --cold | tee "$report/build_time.txt"

export BENCH_COMMAND="bash benches/run.sh"
python3 benches/report.py "$CRITERION_HOME" "$report" >PERFORMANCE.md
echo "wrote PERFORMANCE.md" >&2
