//! A RESP client written once with `#[dual]` (work in progress).

fn main() {}
