//! Streams in both worlds: an iterator run on the pool and exposed as a
//! [`Stream`](futures_core::Stream) for async code ([`unblock_iter`]), and a
//! stream exposed as a blocking [`Iterator`] for sync code
//! ([`block_on_stream`]).

mod block_on;
mod unblock;

pub use block_on::{BlockOnStream, block_on_stream, block_on_stream_named};
pub use unblock::{DEFAULT_ITER_CAPACITY, Lazy, UnblockIter, unblock_iter, unblock_iter_named};
