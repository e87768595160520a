//! Write a function once, ship it to both sync and async callers.
//!
//! Code lives in two worlds, with four ways to call across them:
//!
//! | caller \ callee | sync fn | async fn |
//! |---|---|---|
//! | **sync**  | a plain call | [`block_on`] (or a `#[bridge]`/`#[dual]` blocking twin) |
//! | **async** | [`unblock`] (or a `#[bridge]` async twin) | `.await` |
//!
//! ```
//! // async → sync: run a future to completion on this thread.
//! let n = twoworlds::block_on(async { 20 + 1 });
//! // sync → async: run a blocking closure on the pool without stalling the loop.
//! let m = twoworlds::block_on(twoworlds::unblock(move || n * 2));
//! assert_eq!(m, 42);
//! ```
#![forbid(unsafe_code)]

pub use twoworlds_macros::{bridge, dual};
pub use twoworlds_runtime::*;

// Every code block of the README is compiled and run as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// Items used by generated code. Not public API.
#[doc(hidden)]
pub mod __private {
    pub use twoworlds_runtime::__private::*;
}
