//! Differential tests of `#[dual]` against maybe-async: its
//! `#[maybe_async::must_be_sync]` output (what its `is_sync` mode produces)
//! is the oracle for our blocking twin.
//!
//! Each case is one set of items written once, stamped by [`differential!`]
//! into `ours` (a `#[dual] mod`) and `oracle` (every item under
//! `must_be_sync`). Each set has a `pub async fn check() -> T`; the test
//! asserts that `ours::blocking::check()`, `oracle::check()` and
//! `block_on(ours::check())` are the same value. Types go in `types { .. }`
//! and are stamped into both modules as they are (maybe-async only takes
//! fns, impls and traits).
//!
//! maybe-async cannot remove an `.await` inside a macro call (`format!`,
//! `vec!`, `assert_eq!`): its sync version does not compile. Ours handles
//! those, so they are tested against hand-written expectations (in
//! `differences`) instead of against the oracle.
//!
//! Where we differ from maybe-async on purpose (an `async` block with a
//! `return` or a `?`: maybe-async turns it into a plain block whose `return`
//! leaves the whole fn, we keep the block's own meaning), the cases in
//! `differences` pin both behaviours.
#![allow(clippy::unused_async, clippy::needless_return, clippy::redundant_async_block)]

/// Stamps one case: `name { types { items } items }` (`types` optional).
macro_rules! differential {
    ($name:ident { types { $($types:item)* } $($code:item)* }) => {
        differential!(@case $name [$($types)*] $($code)*);
    };
    ($name:ident { $($code:item)* }) => {
        differential!(@case $name [] $($code)*);
    };
    (@case $name:ident [$($types:item)*] $($code:item)*) => {
        mod $name {
            #![allow(dead_code, unused_imports, unreachable_pub, clippy::all, clippy::pedantic)]

            #[twoworlds::dual]
            pub mod ours {
                $($types)*
                $($code)*
            }

            pub mod oracle {
                $($types)*
                $(#[maybe_async::must_be_sync] $code)*
            }

            /// Each module has its own copy of the types, so values are
            /// compared through their `Debug` text.
            #[test]
            fn blocking_twin_agrees_with_maybe_async() {
                let expected = format!("{:?}", oracle::check());
                assert_eq!(format!("{:?}", ours::blocking::check()), expected, "blocking twin");
                let original = twoworlds::block_on(ours::check());
                assert_eq!(format!("{original:?}"), expected, "async original");
            }
        }
    };
}

mod control_flow;
mod differences;
mod items;
