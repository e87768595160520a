//! Streams in a `#[dual]` blocking twin: a fn returning `impl Stream<Item = T>`
//! has a blocking twin returning `impl Iterator<Item = T>`.
//!
//! - The twin's tail goes through [`__into_iter!`](crate::__into_iter): an
//!   `Iterator` passes through (the body already built one: [`unfold`],
//!   [`try_unfold`], [`iter`], the sync mirrors of `futures`' constructors,
//!   which the twin calls instead); a `Stream` becomes a
//!   [`BlockOnStream`](crate::BlockOnStream) — each `next` through
//!   `block_on`, which costs one poll when the stream's body only awaits
//!   twins (`stream!` / `try_stream!` bodies, whose `.await`s the twin has
//!   settled, never wait), with the misuse check of `block_on`.
//! - Consuming a stream keeps its meaning over the iterator: `s.next().await`
//!   is `Iterator::next`, `collect`, `for_each`, `fold`, `count` are the
//!   iterator's; [`IterStreamExt`] adds `try_next` and `try_collect`.

use super::settle::Probe;
use crate::stream::{BlockOnStream, block_on_stream_named};
use futures_core::Stream;

/// What the twin's tail becomes (see the module docs): `$twin` names the
/// twin for misuse messages.
#[doc(hidden)]
#[macro_export]
macro_rules! __into_iter {
    ($twin:expr, $tail:expr) => {
        match $tail {
            tail => {
                #[allow(unused_imports)]
                use $crate::__private::stream::{AlreadyIterator as _, StreamToIter as _};
                (&&$crate::__private::settle::Probe::of(&tail)).iter_kind().into_iter(tail, $twin)
            }
        }
    };
}

/// The tail is an iterator.
pub trait AlreadyIterator {
    /// [`IterKind`].
    #[inline]
    fn iter_kind(&self) -> IterKind {
        IterKind
    }
}
impl<I: Iterator> AlreadyIterator for &&Probe<I> {}

/// The tail is a stream.
pub trait StreamToIter {
    /// [`StreamKind`].
    #[inline]
    fn iter_kind(&self) -> StreamKind {
        StreamKind
    }
}
impl<S: Stream> StreamToIter for &Probe<S> {}

/// An iterator tail: passed through.
#[derive(Debug, Clone, Copy)]
pub struct IterKind;

impl IterKind {
    /// `iter` as is.
    #[inline]
    pub fn into_iter<I: Iterator>(self, iter: I, _twin: &'static str) -> I {
        iter
    }
}

/// A stream tail: pulled item by item (see [`TwinStream`]).
#[derive(Debug, Clone, Copy)]
pub struct StreamKind;

impl StreamKind {
    /// `stream` as the blocking twin's iterator, on behalf of `twin`.
    #[inline]
    pub fn into_iter<S: Stream>(self, stream: S, twin: &'static str) -> TwinStream<S> {
        TwinStream { stream: block_on_stream_named(twin, stream), twin }
    }
}

/// The iterator of a blocking twin whose original returns a stream.
///
/// Each `next` is a blocking call, checked as one (the twin's misuse
/// check), and then polls the stream once, directly: a `stream!` body whose
/// `.await`s the twin has settled yields its next item in that one poll,
/// and the blocking twins it calls run as in any twin's body, not inside a
/// `block_on`. Only a stream that is still pending after that poll (a
/// foreign one, or one built with async closures) is waited for with
/// `block_on`.
#[derive(Debug)]
pub struct TwinStream<S> {
    /// The stream, pinned, with `block_on` for what the direct poll leaves.
    stream: BlockOnStream<S>,
    /// The twin's name, for the misuse check.
    twin: &'static str,
}

impl<S: Stream> Iterator for TwinStream<S> {
    type Item = S::Item;

    #[track_caller]
    fn next(&mut self) -> Option<S::Item> {
        if cfg!(debug_assertions) || crate::__private::TWIN_CHECKS {
            crate::__private::check_blocking_twin(self.twin);
        }
        // No tokio context is entered here (measured: the look-up per item
        // tripled the time of a 100 000-item stream): the twins the body
        // awaits enter their own, and `block_on` one for what it polls; a
        // tokio future *made* in a `stream!` body itself needs the caller's.
        match self.stream.poll_once() {
            std::task::Poll::Ready(item) => item,
            std::task::Poll::Pending => self.stream.next(),
        }
    }
}

/// The sync mirror of `futures::stream::unfold`: `f(state)` gives the next
/// item and state, `None` ends it.
///
/// ```
/// let evens: Vec<u32> = twoworlds_runtime::__private::stream::unfold(0, |n| {
///     (n < 6).then_some((n, n + 2))
/// })
/// .collect();
/// assert_eq!(evens, [0, 2, 4]);
/// ```
pub fn unfold<S, T, F>(init: S, mut f: F) -> impl Iterator<Item = T>
where
    F: FnMut(S) -> Option<(T, S)>,
{
    let mut state = Some(init);
    std::iter::from_fn(move || {
        let (item, next) = f(state.take()?)?;
        state = Some(next);
        Some(item)
    })
}

/// The sync mirror of `futures::stream::try_unfold`: `Ok(None)` ends it, an
/// `Err` is the last item.
///
/// ```
/// let items: Vec<Result<u32, String>> = twoworlds_runtime::__private::stream::try_unfold(1, |n| {
///     if n == 3 { Err("three".to_owned()) } else { Ok(Some((n, n + 1))) }
/// })
/// .collect();
/// assert_eq!(items, [Ok(1), Ok(2), Err("three".to_owned())]);
/// ```
pub fn try_unfold<S, T, E, F>(init: S, mut f: F) -> impl Iterator<Item = Result<T, E>>
where
    F: FnMut(S) -> Result<Option<(T, S)>, E>,
{
    let mut state = Some(init);
    std::iter::from_fn(move || match f(state.take()?) {
        Ok(Some((item, next))) => {
            state = Some(next);
            Some(Ok(item))
        }
        Ok(None) => None,
        Err(error) => Some(Err(error)),
    })
}

/// The sync mirror of `futures::stream::iter`: the iterator itself.
#[inline]
pub fn iter<I: IntoIterator>(items: I) -> I::IntoIter {
    items.into_iter()
}

/// The `TryStreamExt` methods a blocking twin calls on an iterator of
/// `Result`s, with their sync meaning.
///
/// ```
/// use twoworlds_runtime::__private::IterStreamExt as _;
///
/// let mut items = [Ok(1), Err("two")].into_iter();
/// assert_eq!(items.try_next(), Ok(Some(1)));
/// assert_eq!(items.try_next(), Err("two"));
/// let all: Result<Vec<u8>, &str> = [Ok(1), Ok(2)].into_iter().try_collect();
/// assert_eq!(all, Ok(vec![1, 2]));
/// ```
pub trait IterStreamExt<T, E>: Iterator<Item = Result<T, E>> {
    /// The next `Ok` item, `Ok(None)` at the end, or the error.
    ///
    /// # Errors
    /// The next item's error.
    #[inline]
    fn try_next(&mut self) -> Result<Option<T>, E> {
        self.next().transpose()
    }

    /// Every item, or the first error.
    ///
    /// # Errors
    /// The first item's error.
    #[inline]
    fn try_collect<C: Default + Extend<T>>(self) -> Result<C, E>
    where
        Self: Sized,
    {
        let mut out = C::default();
        for item in self {
            out.extend(Some(item?));
        }
        Ok(out)
    }
}

impl<I: Iterator<Item = Result<T, E>>, T, E> IterStreamExt<T, E> for I {}

#[cfg(test)]
mod tests {
    use futures_core::Stream;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    /// Counts down from 3, as a stream.
    struct Countdown(u8);

    impl Stream for Countdown {
        type Item = u8;
        fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<u8>> {
            let n = self.0;
            self.0 = n.saturating_sub(1);
            Poll::Ready((n > 0).then_some(n))
        }
    }

    #[test]
    fn iterators_pass_and_streams_become_iterators() {
        let from_iter: Vec<u8> = crate::__into_iter!("twin", [1_u8, 2].into_iter()).collect();
        assert_eq!(from_iter, [1, 2]);
        let from_stream: Vec<u8> = crate::__into_iter!("twin", Countdown(3)).collect();
        assert_eq!(from_stream, [3, 2, 1]);
    }
}
