#!/usr/bin/env python3
"""Turns the figures of one `benches/run.sh` run into PERFORMANCE.md.

Reads criterion's medians (<criterion home>/<group>/<function>[/<value>]/
<baseline>/estimates.json, one baseline per build: `notokio`, `tokio`), the
thread reports of the unblock bench (threads-<baseline>.json), the quiet and
loaded rounds of benches/loaded.rs (loaded-<baseline>.json) and the
build-time TSV, and prints Markdown: the DESIGN targets first, then every
table, each figure beside the peer's and the ratio, all from the same run.

Usage: report.py <criterion home> <report dir>   (metadata from the env:
BENCH_DATE, BENCH_MACHINE, BENCH_RUSTC, BENCH_COMMIT, BENCH_LOAD,
BENCH_COMMAND, BENCH_NOTE)
       report.py --loaded-into PERFORMANCE.md <report dir>   (`run.sh --loaded`:
rewrites only the quiet-and-loaded part, from loaded-*.json; BENCH_LOAD_END too)

       report.py --build-rows <report dir> PERFORMANCE.md
           replaces only the build-time rows and section of an existing
           report with <report dir>/build_time.tsv (a `benches/build_time.sh`
           run with BUILD_TIME_TSV), noting the run's BENCH_DATE, BENCH_LOAD,
           BENCH_COMMIT and BENCH_COMMAND above the report's own metadata.
"""

import json
import os
import sys
from pathlib import Path

RUNS = ("notokio", "tokio")
RUN_TITLE = {"notokio": "built without `tokio`", "tokio": "built with `--features tokio`"}
OURS = {"notokio": "twoworlds", "tokio": "twoworlds_tokio"}
BOTH = "maybe_async, both modes (sum of the two builds)"
# Polls per iteration of benches/watchdog.rs.
WATCHDOG_POLLS = 100
# The rows of benches/loaded.rs: (row, title, tokio peer, quiet wall target).
LOADED_ROWS = (
    ("block_on_tokio_task", "`block_on` of a tokio task's oneshot", "tokio_handle", 0.5),
    ("unblock_roundtrip_mt_worker", "`unblock` round trip from a tokio worker",
     "tokio_spawn_blocking", 0.5),
    ("unblock_roundtrip_current_thread", "`unblock` round trip from a current-thread rt",
     "tokio_spawn_blocking", 0.5),
    ("threads_64", "64 threads calling a blocking twin (per call)", "tokio_handle", None),
    ("unblock_10k_1ms", "10 000 × 1 ms `unblock` (per burst)", "tokio_spawn_blocking", None),
)
MODES = ("quiet", "loaded")
# Targets of the loaded mode and of CPU time (DESIGN.md, "What is measured").
LOADED_LIMIT = 1.0
CPU_LIMIT = 1.5


def load(home):
    """{(run, group, function, value): (median ns, lower, upper, elements)}."""
    figures = {}
    for bench in Path(home).glob("**/benchmark.json"):
        run = bench.parent.name
        if run not in RUNS:
            continue
        meta = json.loads(bench.read_text())
        est = json.loads((bench.parent / "estimates.json").read_text())["median"]
        ci = est["confidence_interval"]
        elements = (meta.get("throughput") or {}).get("Elements")
        key = (run, meta["group_id"], meta["function_id"], meta.get("value_str") or "")
        figures[key] = (est["point_estimate"], ci["lower_bound"], ci["upper_bound"], elements)
    return figures


def fmt_time(ns):
    """3.4 ns, 12.4 µs, 1.07 ms, 2.1 s."""
    if ns is None:
        return "—"
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def fmt_ratio(a, b):
    if a is None or b is None or b == 0:
        return "—"
    return f"{a / b:.2f}×"


class Report:
    def __init__(self, figures, report_dir):
        self.f = figures
        self.dir = Path(report_dir)
        self.lines = []
        self.loaded = Loaded(report_dir)

    def median(self, run, group, function, value=""):
        fig = self.f.get((run, group, function, value))
        return fig[0] if fig else None

    def functions(self, run, group):
        seen = []
        for r, g, fn, _ in sorted(self.f):
            if r == run and g == group and fn not in seen:
                seen.append(fn)
        # Ours first, then the peers in alphabetical order.
        return sorted(seen, key=lambda fn: (not fn.startswith("twoworlds"), fn))

    def out(self, line=""):
        self.lines.append(line)

    def group_table(self, group, title, note="", ours_fn=None):
        """One row per contender; per run: its median and ours ÷ it."""
        self.out(f"### {title}")
        self.out()
        if note:
            self.out(note)
            self.out()
        head = "| contender |"
        rule = "|---|"
        for run in RUNS:
            head += f" median, {RUN_TITLE[run]} | ours ÷ it |"
            rule += "---:|---:|"
        self.out(head)
        self.out(rule)
        names = []
        for run in RUNS:
            for fn in self.functions(run, group):
                if fn not in names:
                    names.append(fn)
        for fn in names:
            row = f"| {fn} |"
            for run in RUNS:
                m = self.median(run, group, fn)
                ours = self.median(run, group, ours_fn or OURS[run])
                row += f" {fmt_time(m)} | {fmt_ratio(ours, m)} |"
            self.out(row)
        self.out()

    def threads(self, run):
        path = self.dir / f"threads-{run}.json"
        try:
            return {r["peer"]: r for r in json.loads(path.read_text())}
        except (OSError, ValueError):
            return {}

    def build_times(self):
        """Rows of build_time.tsv, plus maybe-async's two modes added up: a
        library serving both worlds with maybe-async builds it twice."""
        path = self.dir / "build_time.tsv"
        rows = {}
        try:
            for line in path.read_text().splitlines():
                name, cold, clean, incr = line.split("\t")
                rows[name] = {"cold": cold, "clean": clean, "incr": incr}
        except (OSError, ValueError):
            pass
        one, other = rows.get("maybe_async"), rows.get("maybe_async_is_sync")
        if one and other:
            sums = {k: (num(one[k]) or 0) + (num(other[k]) or 0) if num(one[k]) and num(other[k]) else "—"
                    for k in one}
            rows[BOTH] = {k: f"{v:.2f}" if isinstance(v, float) else v for k, v in sums.items()}
        return rows

    def zero_cost_code(self):
        """{fn: "identical (N instructions)" or "differ (..)"} from compare_code.py."""
        path = self.dir / "zero_cost_code.txt"
        try:
            pairs = (line.split(": ", 1) for line in path.read_text().splitlines())
            return {name: verdict for name, verdict in pairs}
        except (OSError, ValueError):
            return {}

    def calls_per_s(self, run, fn, threads):
        fig = self.f.get((run, "throughput_threads", fn, str(threads)))
        if not fig or not fig[3]:
            return None
        return fig[3] / fig[0] * 1e9


def median(values):
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


class Loaded:
    """The rounds of benches/loaded.rs, per build: every contender's wall and
    CPU time per operation in each round, quiet and loaded."""

    def __init__(self, report_dir):
        self.runs = {}
        self.loads = {}
        self.passes = {}
        for run in RUNS:
            try:
                data = json.loads((Path(report_dir) / f"loaded-{run}.json").read_text())
            except (OSError, ValueError):
                continue
            self.runs[run] = {(c["row"], c["name"]): c for c in data["contenders"]}
            self.rounds = data.get("rounds")
            self.loads[run] = [load for load in data.get("quiet_load", []) if load]
            self.passes[run] = data.get("quiet_passes", [])

    def names(self, run, row):
        found = [name for (r, name) in self.runs.get(run, {}) if r == row]
        return sorted(found, key=lambda fn: (not fn.startswith("twoworlds"), fn))

    def series(self, run, row, name, mode, kind):
        c = self.runs.get(run, {}).get((row, name))
        return c[mode][kind] if c and c[mode][kind] else None

    def median(self, run, row, name, mode, kind):
        values = self.series(run, row, name, mode, kind)
        return median(values) if values else None

    def ratio(self, run, row, name, peer, mode, kind):
        """The median over the rounds of name's figure ÷ peer's in the same round."""
        ours = self.series(run, row, name, mode, kind)
        theirs = self.series(run, row, peer, mode, kind)
        if not ours or not theirs:
            return None
        return median(a / b for a, b in zip(ours, theirs) if b)


def num(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def verdict(ok):
    return "—" if ok is None else ("yes" if ok else "**no**")


def table_row(case, ours, peer, ratio, target, ok):
    """A row of the DESIGN table."""
    return f"| {case} | {ours} | {peer} | {ratio} | {target} | {verdict(ok)} |"


def targets(rep):
    """The DESIGN table, one row per target: ours, the peer, the ratio."""
    rows = []

    def row(case, ours, peer, ratio, target, ok):
        rows.append(table_row(case, ours, peer, ratio, target, ok))

    def ratio_row(case, run, group, peer, limit, ours_fn=None, value="", peer_label=None):
        ours = rep.median(run, group, ours_fn or OURS[run], value)
        theirs = rep.median(run, group, peer, value)
        ok = None if ours is None or theirs is None else ours / theirs <= limit
        row(case, fmt_time(ours), f"{fmt_time(theirs)} ({peer_label or peer})",
            fmt_ratio(ours, theirs), f"≤ {limit:g}×", ok)

    ratio_row("`block_on` ready, without `tokio`", "notokio", "block_on_ready", "futures_lite", 1.5)
    ratio_row("`block_on` ready, with `tokio`", "tokio", "block_on_ready", "tokio_handle", 1.0)
    for run in RUNS:
        suffix = "with `tokio`" if run == "tokio" else "without `tokio`"
        ratio_row(f"`block_on` of a tokio task's oneshot, {suffix}", run,
                  "block_on_tokio_task", "tokio_handle", 0.5)
        ratio_row(f"`block_on` of a tokio task's oneshot, {suffix}", run,
                  "block_on_tokio_task", "background_thread", 0.05)
    for run in RUNS:
        c2 = rep.calls_per_s(run, OURS[run], 2)
        c64 = rep.calls_per_s(run, OURS[run], 64)
        t64 = rep.calls_per_s("notokio" if run == "notokio" else run, "tokio_handle", 64)
        ok = None if c2 is None or c64 is None else c64 >= 0.5 * c2
        row(f"64 threads calling a `#[bridge]` twin ({RUN_TITLE[run]})",
            f"{c64 / 1e3:.0f} k calls/s (2 threads: {c2 / 1e3:.0f} k)" if c64 and c2 else "—",
            f"{t64 / 1e3:.0f} k calls/s (tokio_handle)" if t64 else "—",
            f"{fmt_ratio(c64, c2)} of our 2-thread rate; {fmt_ratio(c64, t64)} of tokio's",
            "no collapse: 64 threads ≥ 0.5× the rate of 2", ok)
    for group, where in (("unblock_roundtrip_mt_worker", "from a tokio worker"),
                         ("unblock_roundtrip_current_thread", "from a current-thread rt")):
        ratio_row(f"`unblock` round trip {where}", "notokio", group, "tokio_spawn_blocking", 0.5)
        ratio_row(f"`unblock` round trip {where}", "notokio", group, "blocking_unblock", 0.5)
    for peer in ("tokio_spawn_blocking", "blocking_unblock"):
        ratio_row("10 000 × 1 ms `unblock`, wall", "notokio", "unblock_10k_1ms", peer, 1.0)
    threads = rep.threads("notokio")
    ours_t = threads.get("twoworlds", {}).get("peak_threads")
    peer_t = {p: threads.get(p, {}).get("peak_threads") for p in ("tokio_spawn_blocking", "blocking_unblock")}
    known = [t for t in peer_t.values() if t is not None]
    row("10 000 × 1 ms `unblock`, peak threads", str(ours_t if ours_t is not None else "—"),
        ", ".join(f"{t} ({p})" for p, t in peer_t.items() if t is not None) or "—", "—",
        "bounded: ≤ the peers' peak", None if ours_t is None or not known else ours_t <= max(known))
    code = rep.zero_cost_code()
    for case, fn in (("loop", "checksum"), ("io", "round_trip")):
        group = f"zero_cost_{case}"
        ours = rep.median("notokio", group, "dual_blocking_twin")
        hand = rep.median("notokio", group, "handwritten_sync")
        same = code.get(fn, "").startswith("identical")
        ok = None if ours is None or hand is None else same or abs(ours / hand - 1) <= 0.03
        row(f"`#[dual]` blocking twin vs hand-written sync ({case} body)", fmt_time(ours),
            f"{fmt_time(hand)} (hand-written)",
            fmt_ratio(ours, hand) + f"; machine code {code.get(fn, 'not compared')}",
            "1.00× (± 3 %, or identical code)", ok)
    for group, what in (("stream_iter_items", "pool-backed stream, 100 000 items"),
                        ("stream_read_bytes", "pool-backed reader, 16 MiB")):
        for run in RUNS:
            ratio_row(f"{what} ({RUN_TITLE[run]})", run, group, "blocking_unblock", 1.0)
    twin = rep.median("notokio", "dual_stream_twin", "dual_blocking_twin")
    hand = rep.median("notokio", "dual_stream_twin", "handwritten_iterator")
    floor = rep.median("notokio", "dual_stream_twin", "async_original_one_block_on")
    # What bounds it: the `stream!` generator the twin keeps, measured as
    # the async original polled to its end in one `block_on`.
    bound = ("" if floor is None or hand is None else
             f"; the async original in one `block_on` (the generator's own cost): "
             f"{fmt_time(floor)}, {fmt_ratio(floor, hand)}")
    row("`#[dual]` stream's blocking twin (a `stream!` paginator) vs the same loop as a hand-written iterator, 100 000 items",
        fmt_time(twin), f"{fmt_time(hand)} (hand-written)", fmt_ratio(twin, hand) + bound, "≤ 1.1×",
        None if twin is None or hand is None else twin / hand <= 1.1)
    plain = rep.median("notokio", "watchdog_poll", "plain")
    off = rep.median("notokio", "watchdog_poll", "watch_off")
    extra = None if plain is None or off is None else (off - plain) / WATCHDOG_POLLS
    row("debug watchdog off: a poll through `watch` vs a bare poll",
        f"{fmt_time(off / WATCHDOG_POLLS)} per poll" if off else "—",
        f"{fmt_time(plain / WATCHDOG_POLLS)} per poll (bare)" if plain else "—",
        fmt_ratio(off, plain) + ("" if extra is None else f"; {extra:+.2f} ns per poll"),
        "one relaxed atomic load per poll (≤ +1 ns)", None if extra is None else extra <= 1.0)
    rows.extend(build_rows(rep))
    rep.out("| case | ours | peer | ratio | target | met |")
    rep.out("|---|---:|---:|---:|---|---|")
    for line in rows:
        rep.out(line)
    rep.out()
    bounds(rep)


def fmt_x(ratio):
    return "—" if ratio is None else f"{ratio:.2f}×"


def loaded_targets(rep):
    """Quiet and loaded, latency and CPU time, ours ÷ tokio (benches/loaded.rs)."""
    loaded = rep.loaded
    if not loaded.runs:
        return
    rep.out("### Targets")
    rep.out()
    rep.out(f"`benches/loaded.rs`, {loaded.rounds} rounds: each round measures every contender "
            "on the machine left idle by other processes (*quiet*, see below), then with one busy competitor thread per core "
            "in a child process (*loaded*). A ratio is the median over the rounds of ours ÷ "
            "tokio's figure in the same round (time per operation; CPU: the process's user + "
            "system time per operation, every thread counted). Targets: quiet ≤ 0.5× on the "
            f"`block_on` and round-trip rows; loaded ≤ {LOADED_LIMIT:g}× on every row; CPU "
            f"≤ {CPU_LIMIT:g}× on every row, quiet and loaded.")
    rep.out()
    if any(loaded.passes.values()):
        rep.out("The machine is shared: a quiet pass starts only once the other processes have "
                "kept at most 0.1 of a core busy over half a second (a wait of at most "
                "`TWOWORLDS_BENCH_QUIET_WAIT`, 30 s), and a quiet batch during which they kept "
                "more than half a core busy is redone once they idle again (at most 3 times, and waiting at most as long again in the pass); what they did is "
                "measured from `/proc/stat` (busy and steal time) minus the bench's own CPU time.")
        rep.out()
    for run, loads in loaded.loads.items():
        passes = loaded.passes.get(run) or []
        if passes:
            waited = [p["waited_s"] for p in passes]
            before = [p["others_before"] for p in passes]
            during = sorted(p["others_during"] for p in passes)
            redone = sum(p["redone"] for p in passes)
            idle = sum(1 for b in before if b <= 0.1)
            rep.out(f"- {run}: {idle} of {len(passes)} quiet passes started on an idle machine "
                    f"(waits {min(waited):g}–{max(waited):g} s; others' cores at the start "
                    f"{min(before):.2f}–{max(before):.2f}); during the passes others kept "
                    f"{median(during):.2f} cores busy (median; {min(during):.2f}–{max(during):.2f}); "
                    f"{redone} quiet batches were redone.")
        elif loads:
            averages = [load[0] for load in loads]
            running = [load[1] for load in loads]
            rep.out(f"- {run}: at the start of the quiet passes, the load average was "
                    f"{min(averages):g}–{max(averages):g} and {min(running)}–{max(running)} "
                    "threads were runnable (this one included): *quiet* is only as quiet as that.")
    rep.out()
    rep.out("| case | run | quiet | loaded | CPU, quiet | CPU, loaded | peer | met |")
    rep.out("|---|---|---:|---:|---:|---:|---|---|")
    for row, title, peer, quiet_limit in LOADED_ROWS:
        for run in RUNS:
            ours = OURS[run]
            ratios = {(mode, kind): loaded.ratio(run, row, ours, peer, mode, kind)
                      for mode in MODES for kind in ("wall_ns", "cpu_ns")}
            if all(r is None for r in ratios.values()):
                continue
            limits = {("loaded", "wall_ns"): LOADED_LIMIT, ("quiet", "cpu_ns"): CPU_LIMIT,
                      ("loaded", "cpu_ns"): CPU_LIMIT}
            if quiet_limit is not None:
                limits[("quiet", "wall_ns")] = quiet_limit
            missed = [f"{mode} {'CPU' if kind == 'cpu_ns' else 'latency'} > {limit:g}×"
                      for (mode, kind), limit in limits.items()
                      if ratios[(mode, kind)] is not None and ratios[(mode, kind)] > limit]
            known = all(ratios[key] is not None for key in limits)
            met = "—" if not known and not missed else ("yes" if not missed else "**no**: " + ", ".join(missed))
            cells = " | ".join(fmt_x(ratios[(mode, kind)]) for kind in ("wall_ns", "cpu_ns") for mode in MODES)
            rep.out(f"| {title} | {run} | {cells} | {peer} | {met} |")
    rep.out()

def build_rows(rep):
    """The build-time rows of the DESIGN table: each `#[dual]` form against
    maybe-async (both worlds, and each world alone), `#[bridge]` against the
    hand-written bridges."""
    rows = []
    builds = rep.build_times()
    for variant, peer, label, target in (
            ("dual", BOTH, "maybe-async, both worlds: its two builds", 1.0),
            ("dual_async_only", "maybe_async", "maybe-async's async world", 1.0),
            ("dual_blocking_only", "maybe_async_is_sync", "maybe-async's `is_sync` world", 1.0),
            ("bridge", "handwritten_block_on", "hand-written bridges: async fn + futures-lite `block_on` twin", 1.3)):
        for kind, kind_label in (("clean", "clean"), ("incr", "incremental"), ("cold", "cold, with deps")):
            limit = target
            ours = num(builds.get(variant, {}).get(kind))
            theirs = num(builds.get(peer, {}).get(kind))
            one = num(builds.get("maybe_async", {}).get(kind))
            hand = num(builds.get("handwritten", {}).get(kind))
            # A cold build of `#[bridge]` compiles syn and the macro crates,
            # the hand-written bridges only futures-lite: reported, no target.
            limit = None if (variant, kind) == ("bridge", "cold") else limit
            ok = None if ours is None or theirs is None or limit is None else ours <= limit * theirs
            shown = {"dual": "`#[dual]`",
                     "dual_async_only": "`#[dual(blocking_cfg(..))]`, async world only,",
                     "dual_blocking_only": "`#[dual(async_cfg(..))]`, blocking world only,",
                     "bridge": "`#[bridge]`"}
            rows.append(table_row(
                f"build, 200 {shown[variant]} fns, {kind_label}",
                f"{ours:.2f} s" if ours else builds.get(variant, {}).get(kind, "—"),
                f"{theirs:.2f} s ({label})" if theirs else "—",
                f"{fmt_ratio(ours, theirs)}; {fmt_ratio(ours, one)} of maybe-async's one world, "
                f"{fmt_ratio(ours, hand)} of hand-written pairs",
                f"≤ {limit:g}×" if limit else "— (reported)", ok))
    return rows

def bounds(rep):
    """What bounds the cross-thread rows, from floors measured in the same run."""
    rep.out("### What bounds the cross-thread rows")
    rep.out()
    rep.out("Two floors from the same run. `busy_poll_floor` polls in a loop and never "
            "sleeps: no `block_on` can return sooner. For a future completed by a tokio task "
            "it is the time for a tokio worker to wake up, run the task and send; ours "
            "spins (for at most 50 µs) before it parks where spinning has cut its recent "
            "waits to 70 % or less, so on an idle machine it is close to it. `wake_floor` "
            "hands a token between two threads that both sleep with park/unpark: what two "
            "wake-ups of sleeping threads cost on this machine, the price ours avoids by "
            "spinning and a runtime that parks at once pays.")
    rep.out()
    rep.out("| case | run | ours | busy-poll floor | wake floor | target needs |")
    rep.out("|---|---|---:|---:|---:|---:|")
    for run in RUNS:
        ours = rep.median(run, "block_on_tokio_task", OURS[run])
        busy = rep.median(run, "block_on_tokio_task", "busy_poll_floor")
        wake = rep.median(run, "wake_floor", "park_unpark_round_trip")
        for peer, limit in (("tokio_handle", 0.5), ("background_thread", 0.05)):
            theirs = rep.median(run, "block_on_tokio_task", peer)
            if None in (ours, busy, theirs):
                continue
            rep.out(f"| `block_on` of a tokio task's oneshot | {run} | {fmt_time(ours)} | "
                    f"{fmt_time(busy)} | {fmt_time(wake)} | ≤ {fmt_time(limit * theirs)} "
                    f"({limit:g}× {peer}){' — below the busy-poll floor' if limit * theirs < busy else ''} |")
    for group, where in (("unblock_roundtrip_mt_worker", "from a tokio worker"),
                         ("unblock_roundtrip_current_thread", "from a current-thread rt")):
        ours = rep.median("notokio", group, OURS["notokio"])
        wake = rep.median("notokio", "wake_floor", "park_unpark_round_trip")
        for peer in ("tokio_spawn_blocking", "blocking_unblock"):
            theirs = rep.median("notokio", group, peer)
            if None in (ours, theirs):
                continue
            rep.out(f"| `unblock` round trip {where} | notokio | {fmt_time(ours)} | — | "
                    f"{fmt_time(wake)} | ≤ {fmt_time(0.5 * theirs)} (0.5× {peer}) |")
    rep.out()
    ours = rep.median("tokio", "block_on_ready", "twoworlds_tokio")
    floor = rep.median("tokio", "block_on_ready", "futures_lite_entering_tokio")
    tokio = rep.median("tokio", "block_on_ready", "tokio_handle")
    if None not in (ours, floor, tokio):
        rep.out(f"With feature `tokio`, a `block_on` runs its future inside a tokio context: "
                f"`futures_lite_entering_tokio` (tokio's `Handle::enter` around futures-lite's "
                f"`block_on`) is that floor, {fmt_time(floor)} on a ready future; ours takes "
                f"{fmt_time(ours)} ({fmt_ratio(ours, floor)} of the floor), tokio's "
                f"`Handle::block_on` {fmt_time(tokio)}.")
        rep.out()


def loaded_bounds(rep):
    """What bounds the rows of benches/loaded.rs, from floors in the same rounds."""
    loaded = rep.loaded
    if not loaded.runs:
        return
    rep.out("### What bounds them")
    rep.out()
    rep.out("The floors of the full run's *What bounds the cross-thread rows*, measured in the same "
            "rounds, and `futures_lite`, which "
            "parks at once (what a waiter that never spins gets). Ours spins before it parks "
            "only where its own recent waits show spinning cuts the wait to 70 % or less and a "
            "park takes over 12 µs; an `unblock` round trip spins on both sides (the pool "
            "thread standing by for the next job, the awaiting task for the result) only where "
            "recent round trips show that cuts them to two thirds "
            "(`runtime/src/spin.rs`): where cores are idle and a wake-up is dear; on a loaded "
            "machine it parks at once, as tokio does, and no wait strategy returns sooner than "
            "a park there.")
    rep.out()
    rep.out("| case | run | mode | ours | tokio | parks at once | busy-poll floor | wake floor | ours ÷ tokio | parks at once ÷ tokio |")
    rep.out("|---|---|---|---:|---:|---:|---:|---:|---:|---:|")
    row = "block_on_tokio_task"
    for run in RUNS:
        for mode in MODES:
            figure = {name: loaded.median(run, row, name, mode, "wall_ns")
                      for name in (OURS[run], "tokio_handle", "futures_lite", "busy_poll_floor")}
            wake = loaded.median(run, "wake_floor", "park_unpark_round_trip", mode, "wall_ns")
            if figure[OURS[run]] is None:
                continue
            ratio = loaded.ratio(run, row, OURS[run], "tokio_handle", mode, "wall_ns")
            parking = loaded.ratio(run, row, "futures_lite", "tokio_handle", mode, "wall_ns")
            rep.out(f"| `block_on` of a tokio task's oneshot | {run} | {mode} | "
                    + " | ".join(fmt_time(figure[name]) for name in
                                 (OURS[run], "tokio_handle", "futures_lite", "busy_poll_floor"))
                    + f" | {fmt_time(wake)} | {fmt_x(ratio)} | {fmt_x(parking)} |")
    rep.out()


def loaded_details(rep):
    """Every contender of benches/loaded.rs, quiet and loaded, time and CPU."""
    loaded = rep.loaded
    if not loaded.runs:
        return
    rep.out("### Every contender")
    rep.out()
    rep.out("`benches/loaded.rs` (see the targets above for the method): medians over the "
            "rounds of each round's time and CPU time per operation, and ours ÷ each "
            "contender (the median of the rounds' ratios). `busy_poll_floor` polls without "
            "ever sleeping (no `block_on` returns sooner while a core is free for it); "
            "`futures_lite` parks at once; `wake_floor` hands a token between two threads "
            "that sleep with park/unpark (two wake-ups of sleeping threads).")
    rep.out()
    for row, title, _, _ in LOADED_ROWS + (("wake_floor", "The wake floor", None, None),):
        if not any(loaded.names(run, row) for run in RUNS):
            continue
        rep.out(f"#### {title}")
        rep.out()
        rep.out("| contender | run | quiet | CPU | loaded | CPU | ours ÷ it, quiet | CPU | loaded | CPU |")
        rep.out("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for run in RUNS:
            for name in loaded.names(run, row):
                figures = [fmt_time(loaded.median(run, row, name, mode, kind))
                           for mode in MODES for kind in ("wall_ns", "cpu_ns")]
                ratios = [fmt_x(loaded.ratio(run, row, OURS[run], name, mode, kind))
                          for mode in MODES for kind in ("wall_ns", "cpu_ns")]
                rep.out(f"| {name} | {run} | " + " | ".join(figures + ratios) + " |")
        rep.out()


def details(rep):
    loaded_part(rep)
    rep.out("## `block_on`")
    rep.out()
    rep.group_table("block_on_ready", "A ready future")
    rep.group_table("block_on_yield_once", "A future that yields once")
    rep.group_table("block_on_tokio_task", "A future completed by a task of the shared tokio runtime (oneshot)")
    rep.group_table("block_on_tokio_timer", "A 1 ms tokio timer",
                    "Ours runs it only when built with `tokio`; `futures_lite_in_context` is "
                    "futures-lite's `block_on` inside the shared runtime's `Handle::enter`.")
    rep.out("## `unblock`")
    rep.out()
    rep.group_table("unblock_roundtrip_mt_worker", "Round trip of a no-op, awaited from a tokio multi-thread worker")
    rep.group_table("unblock_roundtrip_current_thread", "Round trip of a no-op, awaited from a current-thread runtime")
    rep.group_table("unblock_10k_1ms", "10 000 concurrent 1 ms jobs, started from a tokio worker: wall time")
    rep.out("Peak thread count of the process (a fresh process per peer, 3 bursts, "
            "`/proc/self/status` sampled every 100 µs; the baseline is the process "
            "with its 2-worker tokio runtime before the first burst), and each burst's wall time:")
    rep.out()
    rep.out("| peer | run | baseline threads | peak threads | pool's own peak | burst 1 / 2 / 3 |")
    rep.out("|---|---|---:|---:|---:|---|")
    for run in RUNS:
        for peer, r in rep.threads(run).items():
            bursts = " / ".join(f"{ms:.0f} ms" for ms in r.get("burst_ms", []))
            own = r.get("pool_peak_threads")
            rep.out(f"| {peer} | {run} | {r.get('baseline_threads')} | {r.get('peak_threads')} "
                    f"| {'—' if own is None else own} | {bursts} |")
    rep.out()
    rep.out("## Streams and readers on the pool")
    rep.out()
    rep.out("`benches/stream.rs`: an iterator (`unblock_iter`) or reader (`unblock_read`) run "
            "on the pool and consumed by a task of the shared tokio runtime, against "
            "`blocking::Unblock` on the same input, in the same run.")
    rep.out()
    rep.group_table("stream_iter_items", "100 000 items of `0..n` as a `Stream`, summed")
    rep.group_table("stream_read_bytes", "16 MiB of a blocking reader through futures-io's `AsyncRead`, 64 KiB reads")
    rep.group_table("dual_stream_twin", "a `#[dual]` `stream!` paginator's blocking twin vs a hand-written iterator, 100 000 items")
    for run in RUNS:
        for group, unit in (("stream_iter_items", "items"), ("stream_read_bytes", "MiB")):
            for fn in (OURS[run], "blocking_unblock"):
                fig = rep.f.get((run, group, fn, ""))
                if fig:
                    count = 100_000 if unit == "items" else 16
                    rep.out(f"- {run}, {group}, {fn}: {count / fig[0] * 1e9:,.0f} {unit}/s")
    rep.out()
    rep.out("## Many sync threads calling a blocking twin at once")
    rep.out()
    rep.out("Each thread calls the `#[bridge]` blocking twin of an async fn that yields once "
            "(ours), or `Handle::block_on` of the same fn on the shared runtime (tokio).")
    rep.out()
    rep.out("| threads | run | ours, calls/s | tokio_handle, calls/s | ours ÷ tokio |")
    rep.out("|---:|---|---:|---:|---:|")
    for run in RUNS:
        for n in (1, 2, 8, 64):
            ours = rep.calls_per_s(run, OURS[run], n)
            tok = rep.calls_per_s(run, "tokio_handle", n)
            rep.out(f"| {n} | {run} | {ours or 0:,.0f} | {tok or 0:,.0f} | {fmt_ratio(ours, tok)} |")
    rep.out()
    rep.out("## Zero cost: `#[dual]` blocking twin vs hand-written sync")
    rep.out()
    rep.out("The machine code of each twin against its hand-written twin "
            "(`benches/compare_code.py`, addresses ignored): "
            + "; ".join(f"`{k}`: {v}" for k, v in rep.zero_cost_code().items()) + ".")
    rep.out()
    rep.group_table("zero_cost_loop", "A loop-heavy body", ours_fn="dual_blocking_twin")
    rep.group_table("zero_cost_io", "An I/O body on a temp file", ours_fn="dual_blocking_twin")
    rep.out("## The debug watchdog's cost per poll")
    rep.out()
    rep.out(f"`benches/watchdog.rs`: {WATCHDOG_POLLS} polls of a self-waking future with a "
            "no-op waker, bare (`plain`), wrapped in `twoworlds::watch` with the watchdog off "
            "(`watch_off`, the default: one relaxed atomic load per poll) and on (`watch_on`: "
            "every poll timed, none reported). *ours* is `watch_off`.")
    rep.out()
    rep.group_table("watchdog_poll", f"{WATCHDOG_POLLS} polls", ours_fn="watch_off")
    build_section(rep)


def build_section(rep):
    """The section of every build_time.sh figure."""
    rep.out("## Build time of a crate with 200 annotated fns")
    rep.out()
    rep.out("`benches/build_time.sh --cold`: dev profile; *cold* builds from an empty target dir "
            "(dependencies included), *clean* rebuilds only the crate, *incremental* "
            "rebuilds after one fn body changed: medians of the rounds (3 unless "
            "`BUILD_TIME_ROUNDS`), each round building every crate once, so a load that "
            "comes and goes weighs on all of them alike. Ratios are to "
            "maybe-async in its default async mode, which builds one world; `#[dual]`, "
            "`#[bridge]` and the hand-written pairs build both, like maybe-async's two "
            "modes added up. `handwritten` is each fn written twice by hand (async and "
            "sync): the floor for a crate that offers both worlds. `handwritten_block_on` "
            "is what `#[bridge]` writes for you, by hand: an async fn and a sync twin "
            "running it with futures-lite's `block_on`; its cold build compiles only "
            "futures-lite, `#[bridge]`'s also syn and the macro crates, so the 1.3× target "
            "of `#[bridge]` is on the clean and incremental builds. Cold builds are the "
            "noisiest figure here: one build each.")
    rep.out()
    rep.out("| crate | cold | ratio | clean | ratio | incremental | ratio |")
    rep.out("|---|---:|---:|---:|---:|---:|---:|")
    builds = rep.build_times()
    base = builds.get("maybe_async", {})
    for name, r in builds.items():
        cells = []
        for kind in ("cold", "clean", "incr"):
            v = num(r[kind])
            cells.append(f"{v:.2f} s" if v is not None else r[kind])
            cells.append(fmt_ratio(v, num(base.get(kind))))
        rep.out(f"| {name} | " + " | ".join(cells) + " |")
    rep.out()


# Around the quiet-and-loaded part of PERFORMANCE.md, which `run.sh --loaded`
# replaces alone.
LOADED_BEGIN = "<!-- benches/loaded.rs: begin -->"
LOADED_END = "<!-- benches/loaded.rs: end -->"


def loaded_part(rep, separate=False):
    """The quiet-and-loaded part, between its markers: the targets, what
    bounds them, every contender; with its own metadata if `separate` (a run
    of `run.sh --loaded`)."""
    if not rep.loaded.runs:
        return
    env = os.environ.get
    rep.out(LOADED_BEGIN)
    rep.out("## Quiet and loaded: latency and CPU time per operation")
    rep.out()
    if separate:
        rep.out("From a run of `benches/loaded.rs` alone (`bash benches/run.sh --loaded`), "
                "later than the full run the other sections come from:")
        rep.out()
        if env("BENCH_NOTE"):
            rep.out(f"> {env('BENCH_NOTE')}")
            rep.out()
        rep.out(f"- date: {env('BENCH_DATE', '?')}; commit: {env('BENCH_COMMIT', '?')}")
        rep.out(f"- machine: {env('BENCH_MACHINE', '?')}; load average at start: "
                f"{env('BENCH_LOAD', '?')}, at the end: {env('BENCH_LOAD_END', '?')}")
        rep.out()
    loaded_targets(rep)
    loaded_bounds(rep)
    loaded_details(rep)
    rep.out(LOADED_END)
    rep.out()


def loaded_into(performance, report_dir):
    """`run.sh --loaded`: rewrites only the quiet-and-loaded part of
    `performance` (between the markers; inserted before the `block_on` tables
    if absent) from this run's loaded-*.json, with this run's metadata."""
    rep = Report({}, report_dir)
    # 1. The part, with this run's metadata.
    loaded_part(rep, separate=True)
    # 2. Spliced in place of the old part, or before the `block_on` tables.
    text = Path(performance).read_text()
    part = "\n".join(rep.lines)
    if LOADED_BEGIN in text and LOADED_END in text:
        head, rest = text.split(LOADED_BEGIN, 1)
        tail = rest.split(LOADED_END, 1)[1]
        text = head + part + tail
    else:
        anchor = "## `block_on`\n"
        head, tail = text.split(anchor, 1) if anchor in text else (text + "\n", "")
        text = head + part + "\n\n" + (anchor + tail if tail else "")
    Path(performance).write_text(text)


def splice_build_rows(report_dir, path):
    """Replaces the build-time rows of the DESIGN table and the build-time
    section of an existing report (`path`) with those of a separate
    `build_time.sh` run, noting that run's date, load and commit (BENCH_*)."""
    env = os.environ.get
    rep = Report({}, report_dir)
    lines = Path(path).read_text().splitlines()
    rows = build_rows(rep)
    at = [i for i, line in enumerate(lines) if line.startswith("| build, 200 ")]
    if at:
        lines[at[0]:at[-1] + 1] = rows
    else:
        head = lines.index("| case | ours | peer | ratio | target | met |")
        end = next(i for i in range(head, len(lines)) if not lines[i].startswith("|"))
        lines[end:end] = rows
    load = (env("BENCH_LOAD") or "").split()
    noisy = bool(load) and float(load[0]) > (os.cpu_count() or 1)
    note = (f"> Build-time rows and section: a separate run of `{env('BENCH_COMMAND', '?')}` "
            f"({env('BENCH_DATE', '?')}, load average at start {env('BENCH_LOAD', '?')}"
            f"{', above the core count: a noisy run, trust the ratios of the interleaved rounds more than the seconds' if noisy else ''}"
            f"; commit {env('BENCH_COMMIT', '?')}), spliced in with `benches/report.py --build-rows`.")
    lines = [line for line in lines if not line.startswith("> Build-time rows and section:")]
    lines.insert(next(i for i, line in enumerate(lines) if line.startswith("- date:")), note)
    lines.insert(lines.index(note) + 1, "")
    build_section(rep)
    title = rep.lines[0]
    if title in lines:
        start = lines.index(title)
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        lines[start:end] = rep.lines
    else:
        lines += [""] + rep.lines
    Path(path).write_text("\n".join(lines).rstrip("\n") + "\n")


def main():
    if sys.argv[1] == "--loaded-into":
        loaded_into(sys.argv[2], sys.argv[3])
        return
    if sys.argv[1] == "--build-rows":
        splice_build_rows(sys.argv[2], sys.argv[3])
        return
    home, report_dir = sys.argv[1], sys.argv[2]
    rep = Report(load(home), report_dir)
    env = os.environ.get
    rep.out("# Performance")
    rep.out()
    rep.out("Generated by `benches/run.sh` (do not edit by hand: re-run it when the runtime changes).")
    rep.out()
    loadavg = (env("BENCH_LOAD") or "").split()
    if loadavg and float(loadavg[0]) > (os.cpu_count() or 1):
        rep.out(f"> **Noisy run:** the load average at start ({loadavg[0]}) was above the core "
                f"count ({os.cpu_count()}): other processes competed for the CPU, and the "
                "cross-thread figures (wake-ups, round trips) swing by 2–5× between runs. "
                "Trust the ratios only from a run on an idle machine.")
        rep.out()
    if env("BENCH_NOTE"):
        rep.out(f"> {env('BENCH_NOTE')}")
        rep.out()
    rep.out(f"- date: {env('BENCH_DATE', '?')}")
    rep.out(f"- machine: {env('BENCH_MACHINE', '?')}; load average at start: {env('BENCH_LOAD', '?')}")
    rep.out(f"- toolchain: {env('BENCH_RUSTC', '?')}; commit: {env('BENCH_COMMIT', '?')}")
    rep.out(f"- command: `{env('BENCH_COMMAND', 'bash benches/run.sh')}`")
    rep.out()
    rep.out("Figures are criterion medians. The suite runs twice, built without and with "
            "feature `tokio` (criterion baselines `notokio` and `tokio`); the peers are "
            "measured again in each run, and every ratio divides two figures of the same "
            "run. *ours ÷ it* below 1 means ours is faster.")
    rep.out()
    rep.out("## Targets (DESIGN.md, \"What is measured\")")
    rep.out()
    targets(rep)
    details(rep)
    print("\n".join(rep.lines))


if __name__ == "__main__":
    main()
