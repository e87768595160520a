//! [`block_on_stream`]: async → sync for streams. Each `next` of the
//! iterator runs one `poll_next` to completion through [`block_on`], with its
//! misuse detection.
//!
//! [`block_on`]: crate::block_on

use std::fmt;
use std::future::poll_fn;
use std::iter::FusedIterator;
use std::pin::Pin;

use futures_core::Stream;

use crate::block_on::{BlockOnError, block_on_named, try_block_on_named};

/// The name misuse messages show for a direct call.
const NEXT: &str = "twoworlds::BlockOnStream::next";

/// Turns `stream` into a blocking [`Iterator`] for sync code: each `next`
/// waits on this thread for the stream's next item, like
/// [`block_on`](crate::block_on) does for a future.
///
/// **The pitfall it avoids**: `futures::executor::block_on_stream` (or a
/// `futures::executor::block_on(stream.next())` loop) called from code that
/// is itself running on an executor parks the executor's only thread, and
/// the stream, which needs that thread to make progress, never yields: the
/// program hangs (libsql-client-rs#48 on a tokio current-thread runtime).
/// Here each `next` is checked like `block_on`: called from async code (inside
/// a `block_on`'s poll, or with feature `tokio` on a thread driving tokio
/// tasks) it panics at once with a message that names the call and the fix —
/// consume the stream with `.next().await` there, or move the loop to a
/// thread that may block with [`unblock`](crate::unblock).
///
/// The iterator is fused: after the stream's end it returns `None` without
/// polling the stream again. The stream is pinned on the heap, so it need not
/// be `Unpin`. With feature `tokio` the stream runs in a tokio context, as
/// under `block_on`.
///
/// ```
/// use twoworlds_runtime::{block_on_stream, unblock_iter};
///
/// // Any `futures_core::Stream`; here, an iterator run on the pool.
/// let squares = block_on_stream(unblock_iter((1..=4).map(|n| n * n)));
/// assert_eq!(squares.collect::<Vec<_>>(), [1, 4, 9, 16]);
///
/// // From async code it refuses to block, instead of hanging.
/// let misuse = std::panic::catch_unwind(|| {
///     twoworlds_runtime::block_on(async { block_on_stream(unblock_iter(0..3)).next() })
/// });
/// assert!(misuse.is_err());
/// ```
pub fn block_on_stream<S: Stream>(stream: S) -> BlockOnStream<S> {
    block_on_stream_named(NEXT, stream)
}

/// [`block_on_stream`] on behalf of a generated blocking twin named `twin`,
/// so a misuse message names the function the user called.
///
/// ```
/// let it = twoworlds_runtime::__private::block_on_stream_named(
///     "blocking_numbers",
///     twoworlds_runtime::unblock_iter([1, 2]),
/// );
/// assert_eq!(it.sum::<i32>(), 3);
/// ```
#[doc(hidden)]
pub fn block_on_stream_named<S: Stream>(twin: &'static str, stream: S) -> BlockOnStream<S> {
    BlockOnStream { stream: Box::pin(stream), name: twin, done: false }
}

/// A stream as a blocking iterator: made by [`block_on_stream`], which says
/// what it does and which hang it avoids.
///
/// ```
/// use twoworlds_runtime::{BlockOnStream, block_on_stream, unblock_iter};
///
/// let mut it: BlockOnStream<_> = block_on_stream(unblock_iter(["a", "b"]));
/// assert_eq!(it.next(), Some("a"));
/// assert_eq!(it.try_next().unwrap(), Some("b"));
/// assert_eq!(it.next(), None);
/// assert_eq!(it.next(), None); // fused
/// ```
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct BlockOnStream<S> {
    /// The stream, pinned so that it need not be `Unpin`.
    stream: Pin<Box<S>>,
    /// The name misuse messages show.
    name: &'static str,
    /// The stream has ended.
    done: bool,
}

impl<S: Stream> BlockOnStream<S> {
    /// Like [`Iterator::next`], but returns an error instead of panicking
    /// when called from async code (see [`try_block_on`](crate::try_block_on)).
    ///
    /// ```
    /// use twoworlds_runtime::{block_on, block_on_stream, unblock_iter};
    ///
    /// let mut it = block_on_stream(unblock_iter(0..2));
    /// let refused = block_on(async { it.try_next() });
    /// assert!(refused.is_err());
    /// assert_eq!(it.try_next().unwrap(), Some(0));
    /// ```
    ///
    /// # Errors
    /// [`BlockOnError`] when called from async code; the stream is not polled.
    #[track_caller]
    pub fn try_next(&mut self) -> Result<Option<S::Item>, BlockOnError> {
        if self.done {
            return Ok(None);
        }
        let mut stream = self.stream.as_mut();
        let item = try_block_on_named(self.name, poll_fn(|cx| stream.as_mut().poll_next(cx)))?;
        self.done = item.is_none();
        Ok(item)
    }

    /// Polls the stream once with a waker that does nothing, outside any
    /// `block_on`: the next item if it is ready. A blocking twin's iterator
    /// ([`TwinStream`](crate::__private::stream::TwinStream)) pulls its
    /// generator this way, and waits with `block_on` only on `Pending`.
    pub(crate) fn poll_once(&mut self) -> std::task::Poll<Option<S::Item>> {
        if self.done {
            return std::task::Poll::Ready(None);
        }
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        let polled = self.stream.as_mut().poll_next(&mut cx);
        if let std::task::Poll::Ready(None) = polled {
            self.done = true;
        }
        polled
    }

    /// The stream, to be consumed asynchronously after all.
    ///
    /// ```
    /// use twoworlds_runtime::{block_on_stream, unblock_iter};
    ///
    /// let mut it = block_on_stream(unblock_iter(0..3));
    /// assert_eq!(it.next(), Some(0));
    /// let rest = block_on_stream(it.into_inner());
    /// assert_eq!(rest.collect::<Vec<_>>(), [1, 2]);
    /// ```
    #[must_use]
    pub fn into_inner(self) -> Pin<Box<S>> {
        self.stream
    }
}

impl<S: Stream> Iterator for BlockOnStream<S> {
    type Item = S::Item;

    /// Waits for the stream's next item on this thread.
    ///
    /// # Panics
    /// When called from async code, with the message of
    /// [`block_on`](crate::block_on) naming this iterator's function.
    #[track_caller]
    fn next(&mut self) -> Option<S::Item> {
        if self.done {
            return None;
        }
        let mut stream = self.stream.as_mut();
        let item = block_on_named(self.name, poll_fn(|cx| stream.as_mut().poll_next(cx)));
        self.done = item.is_none();
        item
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        if self.done { (0, Some(0)) } else { self.stream.size_hint() }
    }
}

impl<S: Stream> FusedIterator for BlockOnStream<S> {}

impl<S> fmt::Debug for BlockOnStream<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlockOnStream")
            .field("name", &self.name)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}
