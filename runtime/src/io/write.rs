//! [`unblock_write`]: sync → async for writers. The async side copies what
//! it is given into chunks (up to a capacity) and returns at once; a pool job
//! writes the chunks out, flushes and closes when asked, and stops whenever
//! there is nothing left to do, so no thread is held while the writer idles.
//!
//! Written by hand for the reasons `crate::pump` gives for the reading side
//! (this crate's pool and context, no thread blocked on an idle pipe), and
//! because what was accepted must still be written after the handle is
//! dropped: the job is never cancelled.

use std::any::Any;
use std::collections::VecDeque;
use std::fmt;
use std::io::{self, Write};
use std::mem;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker, ready};

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
pub struct UnblockWrite<W: Write + Send + 'static> {
    /// Shared with the job.
    shared: Arc<Shared<W>>,
    /// The flush this handle is waiting for, if any.
    flush: Option<u64>,
}

/// Why the writer failed, reported once by the next call.
enum Failure {
    /// A write or flush returned an error.
    Io(io::Error),
    /// The writer panicked (it was dropped).
    Panic(Box<dyn Any + Send>),
    /// No pool thread could be started.
    Lost,
}

/// Where the writer is in its life.
#[derive(PartialEq, Eq)]
enum Close {
    /// Open.
    Open,
    /// To be dropped once everything is written and flushed.
    Asked,
    /// Dropped.
    Done,
}

/// The state both sides lock.
struct State {
    /// Bytes accepted and not taken by the job yet; the last chunk fills up.
    chunks: VecDeque<Vec<u8>>,
    /// Bytes accepted and not yet written.
    queued: usize,
    /// Written chunks, emptied, for reuse.
    spare: Vec<Vec<u8>>,
    /// A job is queued or running.
    running: bool,
    /// Flushes asked for (a count).
    flush_asked: u64,
    /// The last flush asked for that is done.
    flush_done: u64,
    /// Whether the writer is to be, or was, dropped.
    close: Close,
    /// Reported by the next call.
    failure: Option<Failure>,
    /// The handle, waiting for room, a flush or the close.
    waker: Option<Waker>,
}

/// Shared by the handle and the job.
struct Shared<W> {
    /// The hand-off.
    state: Mutex<State>,
    /// The writer, locked by the job while it runs; `None` once dropped.
    writer: Mutex<Option<W>>,
    /// The most bytes accepted and not yet written.
    capacity: usize,
    /// The size of a chunk.
    chunk: usize,
}

impl<W> Shared<W> {
    /// The hand-off, whoever panicked while holding it.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
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
fn closed() -> io::Error {
    io::Error::new(io::ErrorKind::BrokenPipe, "`twoworlds::unblock_write`: the writer is closed")
}

/// What a job does next.
enum Work {
    /// Write these chunks, in order.
    Write(VecDeque<Vec<u8>>),
    /// Flush, completing the flushes asked for up to this one.
    Flush(u64),
    /// Drop the writer.
    Close,
}

/// One job: writes, flushes and closes until there is nothing left to do.
/// Dropped unrun (no pool thread could be started), it reports
/// [`Failure::Lost`].
struct Job<W: Write + Send + 'static> {
    /// Taken by [`Job::run`]; still here when the job is dropped unrun.
    shared: Option<Arc<Shared<W>>>,
}

impl<W: Write + Send + 'static> Job<W> {
    /// Runs on a pool thread.
    fn run(mut self) {
        let Some(shared) = self.shared.take() else { return };
        let mut writer = shared.writer.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            let mut state = shared.lock();
            let work = if !state.chunks.is_empty() {
                Work::Write(mem::take(&mut state.chunks))
            } else if state.flush_done < state.flush_asked {
                Work::Flush(state.flush_asked)
            } else if state.close == Close::Asked {
                Work::Close
            } else {
                state.running = false;
                let waker = state.waker.take();
                drop(state);
                if let Some(waker) = waker {
                    waker.wake();
                }
                return;
            };
            drop(state);
            let outcome = panic::catch_unwind(AssertUnwindSafe(|| perform(&mut writer, &work)));
            let mut state = shared.lock();
            match work {
                Work::Write(chunks) => {
                    state.queued -= chunks.iter().map(Vec::len).sum::<usize>();
                    let keep = shared.capacity.div_ceil(shared.chunk) + 1;
                    for mut chunk in chunks {
                        if state.spare.len() < keep {
                            chunk.clear();
                            state.spare.push(chunk);
                        }
                    }
                }
                Work::Flush(target) => state.flush_done = target,
                Work::Close => state.close = Close::Done,
            }
            let failure = match outcome {
                Ok(Ok(())) => None,
                Ok(Err(error)) => Some(Failure::Io(error)),
                Err(payload) => {
                    drop(writer.take());
                    Some(Failure::Panic(payload))
                }
            };
            if let Some(failure) = failure {
                // What was accepted after the failed write is dropped.
                state.queued = 0;
                state.chunks.clear();
                state.failure.get_or_insert(failure);
            }
            let waker = state.waker.take();
            drop(state);
            if let Some(waker) = waker {
                waker.wake();
            }
        }
    }
}

impl<W: Write + Send + 'static> Drop for Job<W> {
    fn drop(&mut self) {
        let Some(shared) = self.shared.take() else { return };
        let mut state = shared.lock();
        state.running = false;
        state.failure.get_or_insert(Failure::Lost);
        // Nothing will run: complete every wait, with the failure.
        state.flush_done = state.flush_asked;
        let waker = state.waker.take();
        drop(state);
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

/// Does `work` with the writer (`None` once it was dropped).
fn perform<W: Write>(writer: &mut Option<W>, work: &Work) -> io::Result<()> {
    match (work, writer.as_mut()) {
        (Work::Write(chunks), Some(writer)) => {
            chunks.iter().try_for_each(|chunk| writer.write_all(chunk))
        }
        (Work::Flush(_), Some(writer)) => writer.flush(),
        (Work::Close, _) => {
            drop(writer.take());
            Ok(())
        }
        (Work::Flush(_), None) => Ok(()),
        (Work::Write(_), None) => Err(closed()),
    }
}
