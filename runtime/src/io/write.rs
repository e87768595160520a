//! [`unblock_write`]: sync → async for writers. The async side copies what
//! it is given into chunks (up to a capacity) and returns at once; a pool job
//! writes the chunks out, flushes and closes when asked, and stops whenever
//! there is nothing left to do, so no thread is held while the writer idles.
//!
//! Written by hand for the reasons `crate::pump` gives for the reading side
//! (this crate's pool and context, no thread blocked on an idle pipe), and
//! because what was accepted must still be written after the handle is
//! dropped: the job is never cancelled.

use std::collections::VecDeque;
use std::fmt;
use std::io::{self, Write};
use std::panic;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, ready};

use super::drain::{Close, Failure, Job, Shared, State};
use super::{CHUNK, DEFAULT_IO_CAPACITY};
use crate::pool::spawn_detached;

/// Runs the blocking writer `writer` on the pool and exposes it as an async
/// writer: tokio's `AsyncWrite` (feature `tokio`) and futures-io's (feature
/// `futures-io`).
///
/// **The pitfall it avoids**: a `std::io::Write` (a file, a child's stdin, a
/// sync compressor) written inside async code blocks the executor's thread
/// for every write. Here a write copies the bytes into a buffer and returns
/// at once; a pool thread writes them out, in order:
///
/// - **back-pressure**: once [`DEFAULT_IO_CAPACITY`] bytes (see
///   [`UnblockWrite::with_capacity`]) wait to be written, a write waits
///   until the pool has caught up;
/// - **flush** (`flush().await`) waits until everything accepted is written,
///   then flushes the writer; **shutdown/close** also drops the writer (so a
///   child process reading the other end of a pipe sees its end);
/// - **errors**: a failed write or flush is returned by the next write,
///   flush or close, and the bytes accepted but not yet written when it
///   failed are dropped; a panic in the writer resumes in the caller;
/// - **drop**: what was accepted is still written and flushed, and the
///   writer is dropped, on a pool thread (nothing is lost, nothing blocks
///   the async thread; errors then go unreported, as with a dropped
///   `BufWriter`).
///
/// ```
/// # #[cfg(feature = "tokio")]
/// # twoworlds_runtime::block_on(async {
/// use std::sync::{Arc, Mutex};
/// use tokio::io::AsyncWriteExt;
///
/// #[derive(Clone, Default)]
/// struct Log(Arc<Mutex<Vec<u8>>>); // a stand-in for a std::fs::File
/// impl std::io::Write for Log {
///     fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
///         self.0.lock().unwrap().extend_from_slice(buf);
///         Ok(buf.len())
///     }
///     fn flush(&mut self) -> std::io::Result<()> {
///         Ok(())
///     }
/// }
///
/// let log = Log::default();
/// let mut writer = twoworlds_runtime::unblock_write(log.clone());
/// writer.write_all(b"hello").await.unwrap();
/// writer.flush().await.unwrap();
/// assert_eq!(*log.0.lock().unwrap(), b"hello");
/// # });
/// ```
#[cfg_attr(docsrs, doc(cfg(any(feature = "tokio", feature = "futures-io"))))]
pub fn unblock_write<W: Write + Send + 'static>(writer: W) -> UnblockWrite<W> {
    UnblockWrite::with_capacity(DEFAULT_IO_CAPACITY, writer)
}

/// A blocking writer run on the pool, as an async writer: made by
/// [`unblock_write`], which says how it runs and which stall it avoids.
///
/// ```
/// # #[cfg(feature = "tokio")]
/// # twoworlds_runtime::block_on(async {
/// use tokio::io::AsyncWriteExt;
///
/// let mut writer = twoworlds_runtime::UnblockWrite::with_capacity(4, std::io::sink());
/// writer.write_all(b"more than four bytes").await.unwrap();
/// writer.shutdown().await.unwrap();
/// assert!(writer.write(b"late").await.is_err());
/// # });
/// ```
#[cfg_attr(docsrs, doc(cfg(any(feature = "tokio", feature = "futures-io"))))]
pub struct UnblockWrite<W: Write + Send + 'static> {
    /// Shared with the job.
    shared: Arc<Shared<W>>,
    /// The flush this handle is waiting for, if any.
    flush: Option<u64>,
}

impl<W: Write + Send + 'static> UnblockWrite<W> {
    /// Like [`unblock_write`], accepting at most `capacity` bytes (at least
    /// 1) ahead of the writer instead of [`DEFAULT_IO_CAPACITY`].
    ///
    /// ```
    /// let writer = twoworlds_runtime::UnblockWrite::with_capacity(16, std::io::sink());
    /// # drop(writer);
    /// ```
    pub fn with_capacity(capacity: usize, writer: W) -> Self {
        let capacity = capacity.max(1);
        let state = State {
            chunks: VecDeque::new(),
            queued: 0,
            spare: Vec::new(),
            running: false,
            flush_asked: 0,
            flush_done: 0,
            close: Close::Open,
            failure: None,
            waker: None,
        };
        let shared = Shared {
            state: Mutex::new(state),
            writer: Mutex::new(Some(writer)),
            capacity,
            chunk: capacity.min(CHUNK),
        };
        UnblockWrite { shared: Arc::new(shared), flush: None }
    }

    /// Accepts as much of `buf` as there is room for.
    fn poll_write_inner(&mut self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        if buf.is_empty() {
            return Poll::Ready(Ok(0));
        }
        let mut state = self.shared.lock();
        if let Some(failure) = state.failure.take() {
            return Poll::Ready(Err(failed(failure)));
        }
        if state.close != Close::Open {
            return Poll::Ready(Err(closed()));
        }
        let room = self.shared.capacity.saturating_sub(state.queued);
        if room == 0 {
            return self.wait(state, cx);
        }
        let n = room.min(buf.len());
        append(&mut state, &buf[..n], self.shared.chunk);
        self.start_unless_running(state);
        Poll::Ready(Ok(n))
    }

    /// Waits until everything accepted so far is written and flushed.
    fn poll_flush_inner(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let mut state = self.shared.lock();
        if let Some(failure) = state.failure.take() {
            self.flush = None;
            return Poll::Ready(Err(failed(failure)));
        }
        let target = if let Some(target) = self.flush {
            target
        } else {
            state.flush_asked += 1;
            self.flush = Some(state.flush_asked);
            state.flush_asked
        };
        if state.flush_done >= target {
            self.flush = None;
            return Poll::Ready(Ok(()));
        }
        self.wait(state, cx)
    }

    /// Flushes, then drops the writer on the pool.
    fn poll_close_inner(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_flush_inner(cx))?;
        let mut state = self.shared.lock();
        if let Some(failure) = state.failure.take() {
            return Poll::Ready(Err(failed(failure)));
        }
        match state.close {
            Close::Done => Poll::Ready(Ok(())),
            Close::Open | Close::Asked => {
                state.close = Close::Asked;
                self.wait(state, cx)
            }
        }
    }

    /// Registers the waker and makes sure a job will wake it.
    fn wait<T>(
        &self,
        mut state: MutexGuard<'_, State>,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<T>> {
        match &mut state.waker {
            Some(waker) if waker.will_wake(cx.waker()) => {}
            slot => *slot = Some(cx.waker().clone()),
        }
        self.start_unless_running(state);
        Poll::Pending
    }

    /// Starts a job unless one is queued or running, then unlocks.
    fn start_unless_running(&self, mut state: MutexGuard<'_, State>) {
        let start = !state.running;
        state.running = true;
        drop(state);
        if start {
            let job = Job { shared: Some(Arc::clone(&self.shared)) };
            spawn_detached(move || job.run());
        }
    }
}

impl<W: Write + Send + 'static> Drop for UnblockWrite<W> {
    fn drop(&mut self) {
        let mut state = self.shared.lock();
        state.waker = None;
        if state.close == Close::Done {
            return;
        }
        // What was accepted is still written, then flushed and the writer
        // dropped, on the pool.
        state.flush_asked += 1;
        state.close = Close::Asked;
        self.start_unless_running(state);
    }
}

impl<W: Write + Send + 'static> fmt::Debug for UnblockWrite<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnblockWrite").finish_non_exhaustive()
    }
}

#[cfg(feature = "tokio")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
impl<W: Write + Send + 'static> tokio::io::AsyncWrite for UnblockWrite<W> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.get_mut().poll_write_inner(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().poll_flush_inner(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().poll_close_inner(cx)
    }
}

#[cfg(feature = "futures-io")]
#[cfg_attr(docsrs, doc(cfg(feature = "futures-io")))]
impl<W: Write + Send + 'static> futures_io::AsyncWrite for UnblockWrite<W> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.get_mut().poll_write_inner(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().poll_flush_inner(cx)
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().poll_close_inner(cx)
    }
}

/// Copies `data` into the chunks of `state`, filling the last one first.
fn append(state: &mut State, mut data: &[u8], chunk: usize) {
    state.queued += data.len();
    while !data.is_empty() {
        if state.chunks.back().is_none_or(|last| last.len() >= chunk) {
            let fresh = state.spare.pop().unwrap_or_else(|| Vec::with_capacity(chunk));
            state.chunks.push_back(fresh);
        }
        let Some(last) = state.chunks.back_mut() else { return };
        let n = (chunk - last.len()).min(data.len());
        last.extend_from_slice(&data[..n]);
        data = &data[n..];
    }
}

/// The error a failure is reported as; a panic resumes instead.
fn failed(failure: Failure) -> io::Error {
    match failure {
        Failure::Io(error) => error,
        Failure::Panic(payload) => panic::resume_unwind(payload),
        Failure::Lost => io::Error::other(
            "`twoworlds::unblock_write`: no pool thread could be started to run the writer",
        ),
    }
}

/// The error of a write after the writer was closed (or panicked).
pub(super) fn closed() -> io::Error {
    io::Error::new(io::ErrorKind::BrokenPipe, "`twoworlds::unblock_write`: the writer is closed")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn append_fills_the_last_chunk_then_starts_new_ones_of_the_chunk_size() {
        let writer = UnblockWrite::with_capacity(10, io::sink());
        let mut state = writer.shared.lock();
        append(&mut state, b"abcd", 3);
        append(&mut state, b"ef", 3);
        let chunks: Vec<&[u8]> = state.chunks.iter().map(Vec::as_slice).collect();
        assert_eq!(chunks, [&b"abc"[..], b"def"]);
        assert_eq!(state.queued, 6);
    }
}
