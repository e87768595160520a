//! I/O in both worlds: a blocking [`Read`](std::io::Read) or
//! [`Write`](std::io::Write) run on the pool and exposed as an async reader
//! or writer ([`unblock_read`], [`unblock_write`]), and an async reader or
//! writer exposed as a blocking `Read`/`Write` for sync code
//! ([`block_on_io`] for tokio's traits, [`block_on_futures_io`] for
//! futures-io's).
//!
//! The async traits come from tokio (feature `tokio`) and futures-io
//! (feature `futures-io`); the pool-backed types implement those of every
//! enabled feature.

//!
//! Without either feature there is no async I/O trait to implement, and the
//! pool-backed reader and writer are not built.
#![cfg(any(feature = "tokio", feature = "futures-io"))]

mod block_on;
mod drain;
mod read;
mod write;

/// The default capacity of the pool-backed reader (bytes read ahead) and
/// writer (bytes accepted before the writer makes the caller wait).
///
/// ```
/// assert_eq!(twoworlds_runtime::DEFAULT_IO_CAPACITY, 1024 * 1024);
/// ```
#[cfg_attr(docsrs, doc(cfg(any(feature = "tokio", feature = "futures-io"))))]
pub const DEFAULT_IO_CAPACITY: usize = 1024 * 1024;

/// The most bytes one read or write on the pool handles at once.
const CHUNK: usize = 64 * 1024;

#[cfg(feature = "futures-io")]
pub use block_on::{BlockOnFuturesIo, block_on_futures_io};
#[cfg(feature = "tokio")]
pub use block_on::{BlockOnIo, block_on_io};
pub use read::{UnblockRead, unblock_read};
pub use write::{UnblockWrite, unblock_write};
