#!/usr/bin/env bash
# The real-crate harness of #[dual] (benches/realworld/README.md): puts
# #[twoworlds::dual] on every async item of pinned crates.io crates, checks
# them with `cargo check` (the real proc macro, through rustc) and prints the
# figures per crate and in total.
#
#   bash benches/realworld/run.sh            # full form: 5 crates × default, strict, tokio_to_std
#   bash benches/realworld/run.sh --short    # CI: bb8 + deadpool, default options
#   bash benches/realworld/run.sh --crates bb8,mobc --options default,strict
#
# Exit status: 1 when the macro panicked or its output did not parse on some
# item, 2 when a crate could not be measured (the report says why).
# Copies, the shared check target and per-round error logs go to
# benches/realworld/target/realworld (or --work DIR).
set -euo pipefail
cd "$(dirname "$0")"
export CARGO_TERM_COLOR=never
cargo build --quiet --locked --release
exec target/release/twoworlds-realworld "$@"
