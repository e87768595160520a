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
// docs.rs (`--cfg docsrs`, nightly) marks the feature-gated items.
#![cfg_attr(docsrs, feature(doc_cfg))]

#[doc = include_str!("bridge.md")]
pub use twoworlds_macros::bridge;
#[doc = include_str!("dual.md")]
pub use twoworlds_macros::dual;

/// Per-world code: inside a [`macro@dual`] item, keeps the node it marks in
/// the **async** twin only.
///
/// It goes on a statement (`let`, expression, item or macro statement), an
/// item of a module or fn body, a struct field, an enum variant, a match arm,
/// an impl or trait item, or a field of a struct expression or pattern.
/// `#[dual]` strips it (and drops the node from the blocking twin) before
/// rustc sees it, so nothing needs importing. On a fn parameter or a
/// sub-expression, with arguments, or together with [`macro@only_blocking`]
/// on one node, it is a compile error; to choose between two expressions use
/// [`per_world!`].
///
/// ```
/// #[twoworlds::dual]
/// async fn greet(log: &mut Vec<&'static str>) -> u32 {
///     #[only_async]
///     log.push("async");
///     #[only_blocking]
///     log.push("blocking");
///     7
/// }
///
/// let mut log = Vec::new();
/// assert_eq!(blocking_greet(&mut log), 7);
/// assert_eq!(twoworlds::block_on(greet(&mut log)), 7);
/// assert_eq!(log, ["blocking", "async"]);
/// ```
///
/// Outside a `#[dual]` item there is no twin, and it is an error:
///
/// ```compile_fail
/// #[twoworlds::only_async]
/// fn alone() {}
/// ```
#[doc(inline)]
pub use twoworlds_macros::only_async;

/// Per-world code: inside a [`macro@dual`] item, keeps the node it marks in
/// the **blocking** twin only. The counterpart of [`macro@only_async`], with
/// the same places and rules.
///
/// ```
/// #[twoworlds::dual]
/// mod store {
///     pub struct Store {
///         pub hits: u32,
///         #[only_blocking]
///         pub blocking_calls: u32,
///     }
///
///     impl Store {
///         pub async fn hit(&mut self) -> u32 {
///             self.hits += 1;
///             #[only_blocking]
///             {
///                 self.blocking_calls += 1;
///             }
///             self.hits
///         }
///     }
/// }
///
/// let mut sync = store::blocking::Store { hits: 0, blocking_calls: 0 };
/// assert_eq!(sync.hit(), 1);
/// assert_eq!(sync.blocking_calls, 1);
/// let mut not_sync = store::Store { hits: 0 };
/// assert_eq!(twoworlds::block_on(not_sync.hit()), 1);
/// ```
///
/// ```compile_fail
/// #[twoworlds::only_blocking]
/// struct Alone;
/// ```
#[doc(inline)]
pub use twoworlds_macros::only_blocking;

/// Per-world code: inside a [`macro@dual`] item,
/// `per_world!(async => a, blocking => b)` is the expression `a` in the async
/// twin and `b` in the blocking twin.
///
/// Both arms are required, in either order. It works in expression and
/// statement position and inside the arguments of other macros
/// (`println!`, `assert_eq!`, `vec!`); the chosen arm keeps its precedence.
/// `#[dual]` replaces it before rustc sees it, so nothing needs importing. In
/// a type, a pattern or item position, and outside a `#[dual]` item, it is a
/// compile error.
///
/// ```
/// #[twoworlds::dual]
/// async fn world_name() -> &'static str {
///     per_world!(async => "async", blocking => "blocking")
/// }
///
/// assert_eq!(blocking_world_name(), "blocking");
/// assert_eq!(twoworlds::block_on(world_name()), "async");
/// ```
///
/// ```compile_fail
/// let n: u8 = twoworlds::per_world!(async => 1, blocking => 2);
/// ```
pub use twoworlds_macros::per_world;
pub use twoworlds_runtime::*;
// Named again for the docs: rustdoc drops the feature badges of these items
// when it inlines them through the glob above (their cfg equals that of the
// module they are defined in).
#[cfg(any(feature = "tokio", feature = "futures-io"))]
#[cfg_attr(docsrs, doc(cfg(any(feature = "tokio", feature = "futures-io"))))]
pub use twoworlds_runtime::{
    DEFAULT_IO_CAPACITY, UnblockRead, UnblockWrite, unblock_read, unblock_write,
};
#[cfg(feature = "tokio")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
pub use twoworlds_runtime::{clear_tokio_handle, set_tokio_handle};

// Every code block of the README is compiled and run as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// Items used by generated code. Not public API.
#[doc(hidden)]
pub mod __private {
    pub use twoworlds_macros::blocking_twin;
    pub use twoworlds_runtime::__private::*;
}
