//! Model checks (loom) of the `block_on` parker on the real code — the
//! per-thread signal, its waker and the poll/park loop — against a wake-up
//! that comes before the park, during the poll, or spuriously; and of the
//! protocol by which a thread blocked in `block_on` serves the
//! thread-sensitive jobs queued for it (`thread_sensitive/executor.rs`:
//! queue under a lock while the frame is live, then unpark; the blocked
//! thread drains the queue before each park; closing the frame hands what is
//! left up the chain).
//!
//! `RUSTFLAGS="--cfg loom" cargo test -p twoworlds-runtime --release --lib loom`

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use loom::sync::Mutex;
use loom::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use loom::thread::{self, Thread};

use super::block_on_model;

/// A one-value channel: the future side of a model's hand-off.
#[derive(Default)]
struct Slot {
    /// The value and the waker of the task waiting for it.
    state: Mutex<(Option<u32>, Option<Waker>)>,
}

impl Slot {
    /// Stores `value` and wakes the waiting task (outside the lock).
    fn send(&self, value: u32) {
        let waker = {
            let mut state = self.state.lock().unwrap();
            state.0 = Some(value);
            state.1.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    /// Wakes the waiting task without a value: a spurious wake-up.
    fn poke(&self) {
        let waker = self.state.lock().unwrap().1.clone();
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

/// Awaits the value of a [`Slot`], counting its polls.
struct Recv<'a>(&'a Slot, &'a AtomicUsize);

impl Future for Recv<'_> {
    type Output = u32;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        self.1.fetch_add(1, Ordering::Relaxed);
        let mut state = self.0.state.lock().unwrap();
        if let Some(value) = state.0 {
            Poll::Ready(value)
        } else {
            state.1 = Some(cx.waker().clone());
            Poll::Pending
        }
    }
}

/// The value sent from another thread arrives whether the wake-up comes
/// before the first poll, during it, or while the thread is parked.
#[test]
fn loom_block_on_wake_any_time() {
    crate::sync::model("block_on_wake_any_time", || {
        let slot = Arc::new(Slot::default());
        let sender = Arc::clone(&slot);
        thread::spawn(move || sender.send(5));
        let polls = AtomicUsize::new(0);
        assert_eq!(block_on_model(Recv(&slot, &polls)), 5);
        assert!(polls.load(Ordering::Relaxed) <= 2);
    });
}

/// Spurious wake-ups (no value yet) and a doubled wake only cause re-polls:
/// the value still arrives, and the thread is not left parked.
///
/// The models do not join the other thread: a wake-up that lands after
/// `block_on` returned leaves an unpark token, which loom 0.7 mistakes for
/// the end of a later `join` (an assertion inside loom).
#[test]
fn loom_block_on_spurious_wakes() {
    crate::sync::model("block_on_spurious_wakes", || {
        let slot = Arc::new(Slot::default());
        let sender = Arc::clone(&slot);
        thread::spawn(move || {
            sender.poke();
            sender.send(9);
            sender.poke();
        });
        let polls = AtomicUsize::new(0);
        assert_eq!(block_on_model(Recv(&slot, &polls)), 9);
    });
}

/// A wake-up by the future itself during its poll (a yield) is not lost:
/// the loop re-polls without parking.
#[test]
fn loom_block_on_self_wake() {
    crate::sync::model("block_on_self_wake", || {
        let yielded = AtomicBool::new(false);
        let out = block_on_model(std::future::poll_fn(|cx| {
            if yielded.swap(true, Ordering::Relaxed) {
                Poll::Ready(3)
            } else {
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        }));
        assert_eq!(out, 3);
    });
}

/// A thread-sensitive job in the model: counts the times it ran.
type Job = Arc<AtomicUsize>;

/// The model of a `block_on` frame (`thread_sensitive::Executor`): a queue
/// served by one thread, live until closed.
struct Frame {
    /// The serving thread, unparked when work arrives.
    thread: Thread,
    /// The queue and whether it still accepts work.
    state: Mutex<(VecDeque<Job>, bool)>,
}

impl Frame {
    /// `submit_chain` for a chain of one: queues `job` and unparks the
    /// serving thread while live, else hands the job back (it would go up the
    /// chain, or fail with "no executor").
    fn submit(&self, job: Job) -> Result<(), Job> {
        let mut state = self.state.lock().unwrap();
        if !state.1 {
            return Err(job);
        }
        state.0.push_back(job);
        drop(state);
        self.thread.unpark();
        Ok(())
    }

    /// `run_pending_on_this_thread`: runs every queued job.
    fn run_pending(&self) {
        loop {
            let job = self.state.lock().unwrap().0.pop_front();
            match job {
                Some(job) => {
                    job.fetch_add(1, Ordering::SeqCst);
                }
                None => return,
            }
        }
    }

    /// `ExecutorFrame`'s drop: stops accepting work, returns what is left.
    fn close(&self) -> VecDeque<Job> {
        let mut state = self.state.lock().unwrap();
        state.1 = false;
        std::mem::take(&mut state.0)
    }
}

/// A job submitted from another thread while the frame's thread waits (and
/// while it stops waiting and closes the frame) runs exactly once: on the
/// waiting thread, or — when it arrived too late — it is handed back at
/// submission or by `close`. Never lost, never run twice, and the waiting
/// thread never sleeps through its wake-up.
#[test]
fn loom_thread_sensitive_queue_handoff() {
    crate::sync::model("thread_sensitive_queue_handoff", || {
        let frame = Arc::new(Frame {
            thread: thread::current(),
            state: Mutex::new((VecDeque::new(), true)),
        });
        let done = Arc::new(AtomicBool::new(false));
        let job: Job = Arc::new(AtomicUsize::new(0));
        let handed_back = Arc::new(AtomicUsize::new(0));
        {
            let (frame, done, job) = (Arc::clone(&frame), Arc::clone(&done), Arc::clone(&job));
            let handed_back = Arc::clone(&handed_back);
            thread::spawn(move || {
                if frame.submit(Arc::clone(&job)).is_err() {
                    handed_back.store(1, Ordering::SeqCst);
                }
                // The future the thread waits for completes (its waker is
                // the same unpark).
                done.store(true, Ordering::Release);
                frame.thread.unpark();
            });
        }
        // `Wait::wait`: serve queued jobs before each park, until woken.
        loop {
            frame.run_pending();
            if done.load(Ordering::Acquire) {
                break;
            }
            thread::park();
        }
        // `done` is set after the submission: its outcome is known here.
        let late = frame.close();
        let ran = job.load(Ordering::SeqCst);
        assert_eq!(ran + late.len() + handed_back.load(Ordering::SeqCst), 1);
    });
}
