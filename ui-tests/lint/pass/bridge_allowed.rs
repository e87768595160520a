//! `#[bridge(allow_blocking)]` silences the lint for the fn; the generated
//! code stays clean under pedantic clippy and works with the watchdog on.
#![deny(warnings, clippy::all, clippy::pedantic)]

/// Reads a file the blocking way, knowingly.
#[twoworlds::bridge(allow_blocking)]
pub async fn size(path: &str) -> usize {
    ::std::fs::read(path).map_or(0, |bytes| bytes.len())
}

fn main() {
    twoworlds::watchdog::enable(twoworlds::watchdog::Config::new());
    assert_eq!(blocking_size("/definitely/not/here"), 0);
}
