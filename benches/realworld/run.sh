#!/usr/bin/env bash
# The real-crate harness of #[dual] (benches/realworld/README.md): puts
# #[twoworlds::dual] on every async item of pinned crates.io crates (downloaded
# by cargo, never vendored), checks them with `cargo check` (the real proc
# macro, through rustc) and prints the figures per crate and in total.
#
#   bash benches/realworld/run.sh            # full form: 5 crates × default, strict, tokio_to_std (70–90 s built, 5–6.5 min cold)
#   bash benches/realworld/run.sh --short    # CI: bb8 + deadpool, default options (5–10 s built, 75–100 s cold)
#   bash benches/realworld/run.sh --crates bb8,mobc --options default,strict
#   bash benches/realworld/run.sh --path some/local/crate
#
# How items are counted: every error is attributed to the annotated item
# whose source range holds its primary span (else one its notes point into,
# else "unattributed"). Because rustc stops early on some errors (type
# collection before bodies, type check before borrow check), the check runs
# in rounds: the items errors were attributed to are marked failing and lose
# their attribute, and the crate is checked again until a round attributes
# no error to a live item. An item compiles only if it is still annotated
# then ("last run clean": rustc finished every phase with all of them). A
# round in which items panicked or gave unparsable output fails only those
# (they vanish, so their callers' errors are not theirs), and the rest is
# judged again.
#
# Exit status: 1 when the macro panicked or its output did not parse on some
# item, 2 when a crate could not be measured (the report says why).
# Copies, the shared check target and per-round error logs go to
# benches/realworld/target/realworld (or --work DIR).
set -euo pipefail
cd "$(dirname "$0")"
export CARGO_TERM_COLOR=never
exec cargo run --quiet --locked -- "$@"
