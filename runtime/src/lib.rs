//! The runtime behind `twoworlds`: the plumbing that lets sync and async code
//! call each other.
//!
//! - [`block_on`] — async → sync: run a future to completion on this thread.
//! - [`unblock`] — sync → async: run a blocking closure on a bounded pool.
//! - [`watchdog`] — debug mode: report polls that block their thread ([`watch`]).
//!
//! Users depend on the `twoworlds` facade, which re-exports everything here.
#![forbid(unsafe_code)]

mod block_on;
mod context;
mod pool;
mod thread_sensitive;
pub mod watchdog;

pub use block_on::{BlockOnError, block_on, try_block_on};
pub use pool::unblock;
pub use watchdog::watch;

/// Items used by code that `#[dual]` and `#[bridge]` generate. Not public API:
/// names and signatures may change in any release.
#[doc(hidden)]
pub mod __private {
    pub use crate::block_on::block_on_named;
    pub use crate::pool::unblock_named;
    pub use crate::thread_sensitive::unblock_thread_sensitive_named;
    pub use crate::watchdog::watch;
}
