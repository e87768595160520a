//! The pool side of [`UnblockWrite`](crate::UnblockWrite): the state the
//! handle and the job share, and the job that writes the accepted chunks
//! out, flushes and closes, and stops when there is nothing left to do.

use std::any::Any;
use std::collections::VecDeque;
use std::io::{self, Write};
use std::mem;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::Waker;

use super::write::closed;

/// Why the writer failed, reported once by the next call.
pub(super) enum Failure {
    /// A write or flush returned an error.
    Io(io::Error),
    /// The writer panicked (it was dropped).
    Panic(Box<dyn Any + Send>),
    /// No pool thread could be started.
    Lost,
}

/// Where the writer is in its life.
#[derive(PartialEq, Eq)]
pub(super) enum Close {
    /// Open.
    Open,
    /// To be dropped once everything is written and flushed.
    Asked,
    /// Dropped.
    Done,
}

/// The state both sides lock.
pub(super) struct State {
    /// Bytes accepted and not taken by the job yet; the last chunk fills up.
    pub(super) chunks: VecDeque<Vec<u8>>,
    /// Bytes accepted and not yet written.
    pub(super) queued: usize,
    /// Written chunks, emptied, for reuse.
    pub(super) spare: Vec<Vec<u8>>,
    /// A job is queued or running.
    pub(super) running: bool,
    /// Flushes asked for (a count).
    pub(super) flush_asked: u64,
    /// The last flush asked for that is done.
    pub(super) flush_done: u64,
    /// Whether the writer is to be, or was, dropped.
    pub(super) close: Close,
    /// Reported by the next call.
    pub(super) failure: Option<Failure>,
    /// The handle, waiting for room, a flush or the close.
    pub(super) waker: Option<Waker>,
}

/// Shared by the handle and the job.
pub(super) struct Shared<W> {
    /// The hand-off.
    pub(super) state: Mutex<State>,
    /// The writer, locked by the job while it runs; `None` once dropped.
    pub(super) writer: Mutex<Option<W>>,
    /// The most bytes accepted and not yet written.
    pub(super) capacity: usize,
    /// The size of a chunk.
    pub(super) chunk: usize,
}

impl<W> Shared<W> {
    /// The hand-off, whoever panicked while holding it.
    pub(super) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
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
pub(super) struct Job<W: Write + Send + 'static> {
    /// Taken by [`Job::run`]; still here when the job is dropped unrun.
    pub(super) shared: Option<Arc<Shared<W>>>,
}

impl<W: Write + Send + 'static> Job<W> {
    /// Runs on a pool thread.
    pub(super) fn run(mut self) {
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
