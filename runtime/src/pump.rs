//! The hand-off behind the pool-backed sources ([`UnblockIter`] and
//! [`UnblockRead`]): a pool job pulls items from a blocking [`Source`] into a
//! bounded queue, and the async side takes them out a whole batch at a time.
//!
//! Written by hand rather than on a channel crate (`blocking::Unblock` runs
//! its iterator on its own thread pool behind an `async-channel`) because:
//!
//! - the job runs on this crate's pool, so the caller's context locals,
//!   `tracing` span and tokio runtime follow it, and it counts against the
//!   same bound as [`unblock`](crate::unblock);
//! - **no thread is held while the consumer is idle**: when the queue is full
//!   the job returns (back-pressure) instead of blocking a pool thread on a
//!   full channel, and the consumer submits a new job when it takes the
//!   batch; a program with more open streams than pool threads cannot starve
//!   the pool;
//! - **batches**: the producer pushes each item under an uncontended lock (so
//!   an item is never held back while the next `next()` blocks), and the
//!   consumer swaps the whole queue out under one lock and wakes at most once
//!   per batch, however many items it holds;
//! - **cancellation and drop**: dropping the consumer stops the job after the
//!   item in progress, and the source (an iterator over a file, a child
//!   process) is always dropped on a pool thread, never on the async thread.
//!
//! [`UnblockIter`]: crate::UnblockIter
//! [`UnblockRead`]: crate::UnblockRead

use std::any::Any;
use std::collections::VecDeque;
use std::mem;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};

use crate::pool::spawn_detached;

/// What a [`Source`] yields each time the pool asks it for more.
pub(crate) enum Step<T> {
    /// One item; keep going.
    Item(T),
    /// One item, then stop until the consumer has taken everything and asks
    /// again (a reader's end of file or error: reading on could block for
    /// good, on a terminal or a pipe).
    #[cfg_attr(not(any(feature = "tokio", feature = "futures-io")), expect(dead_code))]
    Pause(T),
    /// No more items, ever.
    End,
}

/// Something a pool job pulls items from: an iterator, a reader.
pub(crate) trait Source: Send + 'static {
    /// What it yields.
    type Item: Send + 'static;
    /// The next step. Runs on a pool thread, and may block.
    fn step(&mut self) -> Step<Self::Item>;
}

/// How the source ended.
enum End {
    /// It said so ([`Step::End`]).
    Done,
    /// It panicked: resumed in the consumer, after the items before it.
    Panicked(Box<dyn Any + Send>),
    /// No pool thread could be started to run it.
    Lost,
}

/// The state both sides lock.
struct State<T> {
    /// Items produced and not taken yet, oldest first.
    queue: VecDeque<T>,
    /// The job stops once the queue holds this many items.
    capacity: usize,
    /// A job is queued or running.
    running: bool,
    /// The last job stopped at a [`Step::Pause`]: the next starts only when
    /// the consumer runs dry.
    held: bool,
    /// The source ended; taken by the consumer once the queue is empty.
    end: Option<End>,
    /// The consumer is gone.
    closed: bool,
    /// The consumer, waiting for an item.
    waker: Option<Waker>,
}

/// Shared by the consumer and the job.
struct Shared<S: Source> {
    /// The hand-off.
    state: Mutex<State<S::Item>>,
    /// The source, locked by the job while it runs; `None` once dropped.
    source: Mutex<Option<S>>,
    /// The adapter's name, for the panic when no thread can be started.
    name: &'static str,
}

impl<S: Source> Shared<S> {
    /// The hand-off, whoever panicked while holding it.
    fn lock(&self) -> MutexGuard<'_, State<S::Item>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The consumer's end: polled by the async adapters.
pub(crate) struct Receiver<S: Source> {
    /// Shared with the running job, if any.
    shared: Arc<Shared<S>>,
    /// The batch being handed out, taken from the queue at once.
    batch: VecDeque<S::Item>,
    /// The end was reported: `None` from now on.
    finished: bool,
}

impl<S: Source> Receiver<S> {
    /// A receiver for `source`, which runs on the pool from the first poll on
    /// and stops whenever `capacity` (at least 1) items wait.
    pub(crate) fn new(name: &'static str, source: S, capacity: usize) -> Self {
        let state = State {
            queue: VecDeque::new(),
            capacity: capacity.max(1),
            running: false,
            held: false,
            end: None,
            closed: false,
            waker: None,
        };
        let shared = Shared { state: Mutex::new(state), source: Mutex::new(Some(source)), name };
        Receiver { shared: Arc::new(shared), batch: VecDeque::new(), finished: false }
    }

    /// The next item; `None` once the source has ended. Resumes the source's
    /// panic after handing out the items produced before it.
    pub(crate) fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<S::Item>> {
        if let Some(item) = self.batch.pop_front() {
            return Poll::Ready(Some(item));
        }
        if self.finished {
            return Poll::Ready(None);
        }
        let mut state = self.shared.lock();
        if state.queue.is_empty() {
            if let Some(end) = state.end.take() {
                drop(state);
                self.finished = true;
                return match end {
                    End::Done => Poll::Ready(None),
                    End::Panicked(payload) => panic::resume_unwind(payload),
                    End::Lost => panic!(
                        "`{}`: no pool thread could be started to run the blocking source",
                        self.shared.name
                    ),
                };
            }
            match &mut state.waker {
                Some(waker) if waker.will_wake(cx.waker()) => {}
                slot => *slot = Some(cx.waker().clone()),
            }
            let start = !state.running;
            state.running = true;
            state.held = false;
            drop(state);
            if start {
                self.start();
            }
            return Poll::Pending;
        }
        mem::swap(&mut self.batch, &mut state.queue);
        // Stopped by back-pressure: refill while this batch is handed out.
        let start = !state.running && !state.held && state.end.is_none();
        state.running |= start;
        drop(state);
        if start {
            self.start();
        }
        Poll::Ready(self.batch.pop_front())
    }

    /// Whether the end was reported and nothing is left to hand out.
    pub(crate) fn is_terminated(&self) -> bool {
        self.finished && self.batch.is_empty()
    }

    /// Items received and not handed out yet.
    pub(crate) fn buffered(&self) -> usize {
        self.batch.len()
    }

    /// Submits a job (the caller has set `running`).
    fn start(&self) {
        let job = Job { shared: Some(Arc::clone(&self.shared)) };
        spawn_detached(move || job.run());
    }
}

// Items are moved in and out of the queues, never pinned.
impl<S: Source> Unpin for Receiver<S> {}

impl<S: Source> Drop for Receiver<S> {
    fn drop(&mut self) {
        let mut state = self.shared.lock();
        state.closed = true;
        state.waker = None;
        let queue = mem::take(&mut state.queue);
        let idle = !state.running;
        drop(state);
        drop(queue);
        if idle {
            // No job holds the source (a running one drops it when it sees
            // `closed`): drop it on the pool, where blocking is fine.
            let source = self.shared.source.lock().unwrap_or_else(PoisonError::into_inner).take();
            if let Some(source) = source {
                spawn_detached(move || drop(source));
            }
        }
    }
}

/// One job: pulls items until the queue is full, the source pauses or ends,
/// or the consumer is gone. Dropped unrun (no pool thread could be started),
/// it ends the source as [`End::Lost`] so the consumer does not wait forever.
struct Job<S: Source> {
    /// Taken by [`Job::run`]; still here when the job is dropped unrun.
    shared: Option<Arc<Shared<S>>>,
}

impl<S: Source> Job<S> {
    /// Runs on a pool thread.
    fn run(mut self) {
        let Some(shared) = self.shared.take() else { return };
        let mut slot = shared.source.lock().unwrap_or_else(PoisonError::into_inner);
        let mut done_with_source = shared.lock().closed;
        while !done_with_source {
            let Some(source) = slot.as_mut() else { break };
            let step = panic::catch_unwind(AssertUnwindSafe(|| source.step()));
            let mut state = shared.lock();
            let (item, pause, end) = match step {
                Ok(Step::Item(item)) => (Some(item), false, None),
                Ok(Step::Pause(item)) => (Some(item), true, None),
                Ok(Step::End) => (None, false, Some(End::Done)),
                Err(payload) => (None, false, Some(End::Panicked(payload))),
            };
            done_with_source = end.is_some() || state.closed;
            state.held = pause;
            state.end = state.end.take().or(end);
            state.queue.extend(item);
            let halt = done_with_source || pause || state.queue.len() >= state.capacity;
            state.running = !halt;
            let waker = state.waker.take();
            drop(state);
            if let Some(waker) = waker {
                waker.wake();
            }
            if halt && !done_with_source {
                return;
            }
        }
        // Ended, or the consumer is gone: drop the source here, on the pool.
        shared.lock().running = false;
        drop(slot.take());
    }
}

impl<S: Source> Drop for Job<S> {
    fn drop(&mut self) {
        let Some(shared) = self.shared.take() else { return };
        let mut state = shared.lock();
        state.running = false;
        state.end.get_or_insert(End::Lost);
        let waker = state.waker.take();
        drop(state);
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;
    use std::task::Waker;

    use super::*;

    /// Counts up from zero, forever; reports each item on `made`.
    struct Counter {
        next: u32,
        made: mpsc::Sender<u32>,
    }

    impl Source for Counter {
        type Item = u32;
        fn step(&mut self) -> Step<u32> {
            let n = self.next;
            self.next += 1;
            let _ = self.made.send(n);
            Step::Item(n)
        }
    }

    /// Polls until an item or the end.
    fn next<S: Source>(receiver: &mut Receiver<S>) -> Option<S::Item> {
        crate::block_on(std::future::poll_fn(|cx| receiver.poll_next(cx)))
    }

    #[test]
    fn back_pressure_stops_the_job_at_the_capacity_and_taking_a_batch_resumes_it() {
        let (made, produced) = mpsc::channel();
        let mut receiver = Receiver::new("test", Counter { next: 0, made }, 4);
        assert_eq!(next(&mut receiver), Some(0));
        // The job stops with 4 items waiting (the first batch may have been
        // taken before it filled): wait until it is no longer running.
        loop {
            let state = receiver.shared.lock();
            if !state.running {
                assert_eq!(state.queue.len(), 4);
                break;
            }
            drop(state);
            std::thread::yield_now();
        }
        let before = produced.try_iter().count();
        assert!(before <= 2 * 4, "{before} items made with capacity 4");
        for expected in 1..20 {
            assert_eq!(next(&mut receiver), Some(expected));
        }
    }

    #[test]
    fn a_poll_with_nothing_queued_registers_the_waker_and_starts_one_job() {
        let (made, _produced) = mpsc::channel();
        let mut receiver = Receiver::new("test", Counter { next: 0, made }, 2);
        let mut cx = Context::from_waker(Waker::noop());
        let first = receiver.poll_next(&mut cx);
        assert!(first.is_pending() || matches!(first, Poll::Ready(Some(0))));
        assert!(receiver.shared.lock().running || !receiver.shared.lock().queue.is_empty());
    }

    #[test]
    fn a_job_dropped_unrun_ends_the_source_with_a_clear_panic_instead_of_a_hang() {
        let (made, _produced) = mpsc::channel();
        let mut receiver = Receiver::new("twoworlds::unblock_iter", Counter { next: 0, made }, 2);
        receiver.shared.lock().running = true;
        // What the pool does with a job when it can't start a thread.
        drop(Job { shared: Some(Arc::clone(&receiver.shared)) });
        let mut cx = Context::from_waker(Waker::noop());
        let ended = panic::catch_unwind(AssertUnwindSafe(|| receiver.poll_next(&mut cx)));
        let payload = ended.expect_err("the consumer is told");
        let text = payload.downcast_ref::<String>().cloned().unwrap_or_default();
        assert!(
            text.contains("`twoworlds::unblock_iter`: no pool thread could be started"),
            "{text}"
        );
        assert!(matches!(receiver.poll_next(&mut cx), Poll::Ready(None)), "ended for good");
    }
}
