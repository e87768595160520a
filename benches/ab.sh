#!/usr/bin/env bash
# Interleaved A/B of benches/loaded.rs between git revisions: the way a
# change to the runtime's waits is judged (one full run is too noisy on a
# shared machine; alternating builds touches each with the same drift).
#
#   bash benches/ab.sh <rev>... [-- <alternations>]
#   bash benches/ab.sh a5dc2d3 HEAD -- 4
#
# Each revision is checked out in a temporary worktree and benches/loaded.rs
# built without and with feature `tokio` (one shared target directory, so
# only what differs is rebuilt). Then, <alternations> times (default 3), each
# build runs in turn: `TWOWORLDS_BENCH_ROUNDS` rounds (default here 2) of the
# rows in `TWOWORLDS_BENCH_ROWS` (default: the three cross-thread rows) in the
# modes of `TWOWORLDS_BENCH_MODES` (default: quiet and loaded). Last, per
# row, mode and build: the median over every round of ours ÷ tokio (time and
# CPU per operation), with the medians of ours and tokio's time.
# Output goes to $CARGO_TARGET_DIR/ab/<time> (default target/ab/<time>).
# Revisions are committed states (a worktree does not see uncommitted
# edits); the worktrees stay in target/ab/trees for the next run (after
# deleting them, `git worktree prune`).
set -euo pipefail
cd "$(dirname "$0")/.."

revs=()
alternations=3
while [[ $# -gt 0 ]]; do
    if [[ $1 == -- ]]; then
        alternations=${2:?"expected a count after --"}
        break
    fi
    revs+=("$1")
    shift
done
[[ ${#revs[@]} -ge 1 ]] || { echo "usage: bash benches/ab.sh <rev>... [-- <alternations>]" >&2; exit 2; }

target=${CARGO_TARGET_DIR:-$PWD/target}
out="$target/ab/$(date +%Y%m%d-%H%M%S)"
trees="$target/ab/trees"
mkdir -p "$out" "$trees"
export TWOWORLDS_BENCH_ROUNDS=${TWOWORLDS_BENCH_ROUNDS:-2}
export TWOWORLDS_BENCH_ROWS=${TWOWORLDS_BENCH_ROWS:-block_on_tokio_task,unblock_roundtrip_mt_worker,unblock_roundtrip_current_thread}

# 1. One worktree and two binaries per revision.
labels=()
for rev in "${revs[@]}"; do
    label=$(git rev-parse --short "$rev")
    tree="$trees/$label"
    [[ -d $tree ]] || git worktree add --detach "$tree" "$rev" >/dev/null
    for build in notokio tokio; do
        features=(--features futures-io)
        [[ $build == tokio ]] && features=(--features "tokio futures-io")
        echo "== building $label ($build)" >&2
        binary=$(cd "$tree" && CARGO_TARGET_DIR="$target/ab/target" cargo bench --no-run \
            "${features[@]}" --bench loaded --message-format=json 2>/dev/null |
            python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("executable") and m["target"]["name"] == "loaded":
        print(m["executable"])')
        cp "$binary" "$out/loaded-$label-$build"
        labels+=("$label-$build")
    done
done

# 2. The builds in turn, each alternation.
for alternation in $(seq "$alternations"); do
    for label in "${labels[@]}"; do
        echo "== alternation $alternation: $label" >&2
        TWOWORLDS_BENCH_LOADED_OUT="$out/$alternation-$label.json" "$out/loaded-$label" >/dev/null 2>&1
    done
done

# 3. The medians.
python3 - "$out" <<'EOF'
import glob, json, os, statistics, sys
from collections import defaultdict

def peer(row):
    return "tokio_spawn_blocking" if row.startswith("unblock") else "tokio_handle"

cells = defaultdict(lambda: ([], [], [], []))
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.json"))):
    label = os.path.basename(path).split("-", 1)[1][: -len(".json")]
    contenders = {(c["row"], c["name"]): c for c in json.load(open(path))["contenders"]}
    for (row, name), ours in contenders.items():
        theirs = contenders.get((row, peer(row)))
        if not name.startswith("twoworlds") or theirs is None:
            continue
        for mode in ("quiet", "loaded"):
            if mode not in ours:
                continue
            a, b = ours[mode], theirs[mode]
            cell = cells[(row, mode, label)]
            for wall, cpu, peer_wall, peer_cpu in zip(a["wall_ns"], a["cpu_ns"], b["wall_ns"], b["cpu_ns"]):
                cell[0].append(wall / peer_wall)
                cell[1].append(cpu / peer_cpu)
                cell[2].append(wall)
                cell[3].append(peer_wall)
print(f"{'row':34} {'mode':6} {'build':16} {'n':>3}  ours÷tokio  CPU    ours      tokio")
for (row, mode, label), (wall, cpu, ours, theirs) in sorted(cells.items()):
    if not wall:
        continue  # a mode this run left out
    median = statistics.median
    print(f"{row:34} {mode:6} {label:16} {len(wall):3}  {median(wall):9.2f}× {median(cpu):5.2f}×"
          f" {median(ours) / 1000:7.2f} µs {median(theirs) / 1000:7.2f} µs")
print(f"(JSON and binaries in {sys.argv[1]})")
EOF
