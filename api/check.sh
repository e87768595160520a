#!/usr/bin/env bash
# The public API of the three crates users may name, against the snapshots
# beside this script (README "Stability"). Run: bash api/check.sh [--bless]
#
# Lists each crate's public items with every feature on, from nightly
# rustdoc JSON, with cargo-public-api (pinned: each release reads one rustdoc
# JSON format; 0.52.0 reads format 57, which the nightly of this machine
# writes). `#[doc(hidden)]` items (`__private`) are not listed: they are not
# part of the promise. Blanket impls (`impl<T> From<T> for T`, ..) are left
# out (`-s`); the stable auto traits (`Send`, `Sync`, `Unpin`, `UnwindSafe`,
# `RefUnwindSafe`) stay, as they are part of the contract; the unstable ones
# (`Freeze`, `UnsafeUnpin`) go, as they come and go with the nightly.
#
# rustdoc JSON describes only the items a crate defines, so api/twoworlds.txt
# lists the facade's re-exports (the glob of the runtime among them) and the
# items themselves are in api/twoworlds-runtime.txt and
# api/twoworlds-macros.txt.
#
# The installed nightly must write the JSON format the pinned release reads
# (cargo-public-api says so when it does not): when CI's nightly moves, move
# `version` to the release for its format and bless.
#
# Exits 1 on a difference, printing it; `--bless` rewrites the snapshots
# (then read `git diff api/`: every line is a change of the contract).
set -euo pipefail
cd "$(dirname "$0")/.."

version=0.52.0
bless=false
case "${1-}" in
  --bless) bless=true ;;
  "") ;;
  *) echo "usage: bash api/check.sh [--bless]" >&2; exit 2 ;;
esac

if ! command -v cargo-public-api >/dev/null \
  || ! cargo public-api --version | grep -qF " $version"; then
  cargo install cargo-public-api --locked --version "$version"
fi

out=target/api
mkdir -p "$out"
status=0
for crate in twoworlds twoworlds-runtime twoworlds-macros; do
  CARGO_TARGET_DIR=target/nightly cargo public-api \
    -p "$crate" --all-features -s >"$out/$crate.raw.txt"
  grep -vE '^impl(<.*>)? !?core::marker::(Freeze|UnsafeUnpin) for ' \
    "$out/$crate.raw.txt" >"$out/$crate.txt" || true
  if $bless; then
    cp "$out/$crate.txt" "api/$crate.txt"
    echo "api/$crate.txt: $(wc -l <"api/$crate.txt") lines"
  elif diff -u "api/$crate.txt" "$out/$crate.txt"; then
    echo "api/$crate.txt: unchanged ($(wc -l <"api/$crate.txt") lines)"
  else
    echo "api/$crate.txt: the public API of $crate changed (above: - snapshot, + code)." \
      "If it is meant, run \`bash api/check.sh --bless\` and commit the snapshot." >&2
    status=1
  fi
done
exit $status
