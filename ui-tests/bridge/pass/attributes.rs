//! Twins carry cfg and lint attributes; other attributes stay on the
//! original only; `#[bridge]` works above or below them.
#![deny(warnings)]

use twoworlds::bridge;

#[inline]
#[bridge]
#[cfg(all())]
#[allow(clippy::unused_async)]
async fn above_and_below(n: u8) -> u8 {
    n
}

#[cfg(any())]
#[bridge]
async fn compiled_out() -> u8 {
    0
}

#[bridge]
#[deprecated = "use something else"]
fn old() -> u8 {
    1
}

#[bridge]
#[cfg_attr(all(), must_use)]
async fn kept() -> u8 {
    2
}

/// The twins of a compiled-out fn are compiled out too.
fn main() {
    assert_eq!(blocking_above_and_below(3), 3);
    #[allow(deprecated)]
    let old = twoworlds::block_on(old_async());
    assert_eq!(old, 1);
    assert_eq!(blocking_kept(), 2);
}
