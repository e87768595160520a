//! [`unblock_iter`]: sync → async for iterators. The iterator runs on the
//! pool (see `crate::pump` for how) and its items come out as a
//! [`Stream`].

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_core::stream::FusedStream;

use crate::pump::{Receiver, Source, Step};

/// How many items [`unblock_iter`] lets wait before it pauses the iterator.
///
/// ```
/// assert_eq!(twoworlds_runtime::DEFAULT_ITER_CAPACITY, 1024);
/// ```
pub const DEFAULT_ITER_CAPACITY: usize = 1024;

/// The name misuse messages show for a direct call.
const UNBLOCK_ITER: &str = "twoworlds::unblock_iter";

/// Runs the blocking iterator `iter` on the pool and yields its items as a
/// [`Stream`], so async code can consume it without stalling its event loop.
///
/// **The pitfall it avoids**: iterating a blocking iterator (lines of a
/// file, rows of a sync database driver, pages of a sync HTTP client) inside
/// async code blocks the executor's thread for every item, and every other
/// task on that thread waits. Here `into_iter` and every `next` run on a
/// thread of the [`unblock`](crate::unblock) pool, which carries the
/// caller's context (and, with feature `tokio`, its tokio runtime):
///
/// - **lazy**: nothing runs until the stream is first polled;
/// - **batched**: the consumer takes all waiting items under one lock and is
///   woken at most once per batch; an item is never held back while the
///   next one is being produced;
/// - **back-pressure**: once [`DEFAULT_ITER_CAPACITY`] items wait (see
///   [`UnblockIter::with_capacity`]) the iterator pauses and its pool thread
///   is released, until the consumer takes them; at most twice the capacity
///   is buffered;
/// - **cancellation**: dropping the stream stops the iterator after the item
///   in progress (a `next` that is running can't be interrupted), and the
///   iterator is dropped on a pool thread, never on the async one;
/// - **panics** in the iterator resume in the consumer, after the items
///   produced before them.
///
/// ```
/// use std::future::poll_fn;
/// use std::pin::pin;
/// use futures_core::Stream;
///
/// # twoworlds_runtime::block_on(async {
/// let lines = ["a", "b", "c"].into_iter().map(str::to_uppercase);
/// let mut stream = pin!(twoworlds_runtime::unblock_iter(lines));
/// let mut seen = Vec::new();
/// while let Some(line) = poll_fn(|cx| stream.as_mut().poll_next(cx)).await {
///     seen.push(line);
/// }
/// assert_eq!(seen, ["A", "B", "C"]);
/// # });
/// ```
pub fn unblock_iter<I>(iter: I) -> UnblockIter<I>
where
    I: IntoIterator + Send + 'static,
    I::IntoIter: Send + 'static,
    I::Item: Send + 'static,
{
    UnblockIter::with_capacity(DEFAULT_ITER_CAPACITY, iter)
}

/// [`unblock_iter`] on behalf of a generated async twin named `twin`: `make`
/// (the call of the sync original) runs on the pool too, when the stream is
/// first polled.
///
/// ```
/// use twoworlds_runtime::{__private::unblock_iter_named, block_on_stream};
///
/// let stream = unblock_iter_named("numbers_async", || 0..3);
/// assert_eq!(block_on_stream(stream).count(), 3);
/// ```
#[doc(hidden)]
pub fn unblock_iter_named<F, I>(twin: &'static str, make: F) -> UnblockIter<Lazy<F>>
where
    F: FnOnce() -> I + Send + 'static,
    I: IntoIterator,
    I::IntoIter: Send + 'static,
    I::Item: Send + 'static,
{
    UnblockIter::start(twin, Lazy(make), DEFAULT_ITER_CAPACITY)
}

/// An iterator made by a closure when it is first needed: what
/// [`unblock_iter_named`] runs. Not public API.
#[doc(hidden)]
pub struct Lazy<F>(F);

impl<F, I> IntoIterator for Lazy<F>
where
    F: FnOnce() -> I,
    I: IntoIterator,
{
    type Item = I::Item;
    type IntoIter = I::IntoIter;

    fn into_iter(self) -> I::IntoIter {
        (self.0)().into_iter()
    }
}

/// A blocking iterator run on the pool, as a [`Stream`]: made by
/// [`unblock_iter`], which says how it runs and which stall it avoids.
///
/// ```
/// use twoworlds_runtime::{UnblockIter, block_on_stream};
///
/// let stream: UnblockIter<_> = UnblockIter::with_capacity(2, 0..10);
/// assert_eq!(block_on_stream(stream).sum::<i32>(), 45);
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct UnblockIter<I>
where
    I: IntoIterator + Send + 'static,
    I::IntoIter: Send + 'static,
    I::Item: Send + 'static,
{
    /// The consumer's end of the hand-off.
    receiver: Receiver<IterSource<I>>,
}

impl<I> UnblockIter<I>
where
    I: IntoIterator + Send + 'static,
    I::IntoIter: Send + 'static,
    I::Item: Send + 'static,
{
    /// Like [`unblock_iter`], pausing the iterator once `capacity` items
    /// (at least 1) wait instead of [`DEFAULT_ITER_CAPACITY`].
    ///
    /// ```
    /// let stream = twoworlds_runtime::UnblockIter::with_capacity(1, vec![1, 2, 3]);
    /// assert_eq!(twoworlds_runtime::block_on_stream(stream).collect::<Vec<_>>(), [1, 2, 3]);
    /// ```
    pub fn with_capacity(capacity: usize, iter: I) -> Self {
        Self::start(UNBLOCK_ITER, iter, capacity)
    }

    /// The stream for `iter`, named `name` in messages.
    fn start(name: &'static str, iter: I, capacity: usize) -> Self {
        let source = IterSource { start: Some(iter), iter: None };
        UnblockIter { receiver: Receiver::new(name, source, capacity) }
    }
}

impl<I> Stream for UnblockIter<I>
where
    I: IntoIterator + Send + 'static,
    I::IntoIter: Send + 'static,
    I::Item: Send + 'static,
{
    type Item = I::Item;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<I::Item>> {
        self.get_mut().receiver.poll_next(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        if self.receiver.is_terminated() { (0, Some(0)) } else { (self.receiver.buffered(), None) }
    }
}

impl<I> FusedStream for UnblockIter<I>
where
    I: IntoIterator + Send + 'static,
    I::IntoIter: Send + 'static,
    I::Item: Send + 'static,
{
    fn is_terminated(&self) -> bool {
        self.receiver.is_terminated()
    }
}

impl<I> fmt::Debug for UnblockIter<I>
where
    I: IntoIterator + Send + 'static,
    I::IntoIter: Send + 'static,
    I::Item: Send + 'static,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnblockIter").finish_non_exhaustive()
    }
}

/// The iterator as the pool job sees it: `into_iter` runs on the pool too.
struct IterSource<I: IntoIterator> {
    /// Before the first step.
    start: Option<I>,
    /// From the first step on.
    iter: Option<I::IntoIter>,
}

impl<I> Source for IterSource<I>
where
    I: IntoIterator + Send + 'static,
    I::IntoIter: Send + 'static,
    I::Item: Send + 'static,
{
    type Item = I::Item;

    fn step(&mut self) -> Step<I::Item> {
        if let Some(start) = self.start.take() {
            self.iter = Some(start.into_iter());
        }
        match self.iter.as_mut().and_then(Iterator::next) {
            Some(item) => Step::Item(item),
            None => Step::End,
        }
    }
}
