//! Markers and `per_world!` outside a `#[dual]` item have no twin to pick.
use twoworlds::{only_async, only_blocking, per_world};

#[only_async]
fn alone() {}

#[only_blocking]
struct Alone;

fn main() {
    let n: u8 = per_world!(async => 1, blocking => 2);
    let _ = n;
}
