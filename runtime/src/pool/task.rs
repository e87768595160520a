//! One `unblock` call: the closure waiting in the queue, then its result
//! waiting for the awaiting task. A single `Arc<Task>` is both the queue entry
//! and the result slot, so a call allocates once.
//!
//! A short job handed to the pool's standby thread comes back within a few
//! µs when that thread spins for it: where the round trip's duel says
//! spinning pays (see `workers`), the awaiting task then spins for the result
//! in its first poll rather than return `Pending`, whose wake-up of a parked
//! tokio worker costs 10–30 µs on an idle VM (also when the standby thread
//! was still parked: see [`Handoff::spins`]). Such a spin holds the task's
//! thread for at most `crate::spin::SPIN_FOR`.

use std::future::Future;
use std::mem;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, PoisonError};
use std::task::{Context, Poll, Waker};
use std::thread;
use std::time::{Duration, Instant};

use crate::CallContext;
use crate::spin::{Arm, Sample, spin_until};
use crate::sync::{Mutex, MutexGuard};

/// A queued job as the pool sees it, whatever its closure and result types.
pub(crate) trait Job: Send + Sync {
    /// Runs the closure on this (pool) thread, unless the job was cancelled;
    /// calls `rejoin` once, after the closure returned (or at once if it was
    /// cancelled) and before its result is visible to the awaiting task.
    fn run(&self, rejoin: &mut dyn FnMut());
    /// Fails the job without running it: its awaiting task panics with
    /// `message`. Used when no pool thread can be started.
    fn abandon(&self, message: String);
}

/// Where a job is in its life.
enum Stage<F, T> {
    /// In the queue; the closure has not started.
    Queued(Queued<F>),
    /// A pool thread is running the closure.
    Running,
    /// The closure returned (or panicked); the result waits for the task.
    Done(thread::Result<T>),
    /// The result was taken, or the future was dropped (cancelling a queued
    /// job, discarding a running job's result).
    Finished,
}

/// What a queued job needs to run.
struct Queued<F> {
    /// The closure.
    f: F,
    /// The caller's context, entered around `f`.
    context: CallContext,
    /// The caller's tokio runtime, entered around `f` (feature `tokio`).
    #[cfg(feature = "tokio")]
    tokio: Option<tokio::runtime::Handle>,
}

/// The state shared by the queue entry and the future.
struct State<F, T> {
    /// Where the job is.
    stage: Stage<F, T>,
    /// The task awaiting the result.
    waker: Option<Waker>,
}

/// One `unblock` call.
pub(crate) struct Task<F, T> {
    /// Shared between the pool thread and the awaiting future.
    state: Mutex<State<F, T>>,
    /// Raised once the result is stored, for an awaiting task spinning for
    /// it to watch without the lock (a hint: the result is taken under the
    /// lock; `std`'s atomic in model tests too, where nothing spins).
    done: AtomicBool,
}

impl<F, T> Task<F, T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    /// A job for `f`, capturing the caller's context (and tokio runtime).
    pub(crate) fn new(f: F) -> Arc<Self> {
        let queued = Queued {
            f,
            context: CallContext::current(),
            #[cfg(feature = "tokio")]
            tokio: tokio::runtime::Handle::try_current().ok(),
        };
        Arc::new(Task {
            state: Mutex::new(State { stage: Stage::Queued(queued), waker: None }),
            done: AtomicBool::new(false),
        })
    }
}

impl<F, T> Task<F, T> {
    /// The shared state, whoever panicked while holding it.
    fn lock(&self) -> MutexGuard<'_, State<F, T>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Moves a queued job to `Running` and hands out what it needs to run;
    /// `None` when it was cancelled while queued (the closure is gone).
    fn start(&self) -> Option<Queued<F>> {
        let mut state = self.lock();
        match mem::replace(&mut state.stage, Stage::Running) {
            Stage::Queued(queued) => Some(queued),
            other => {
                state.stage = other;
                None
            }
        }
    }

    /// Stores `result` (unless the future is gone) and wakes the task.
    fn finish(&self, result: thread::Result<T>) {
        let mut state = self.lock();
        let discarded = if matches!(state.stage, Stage::Running | Stage::Queued(_)) {
            state.stage = Stage::Done(result);
            None
        } else {
            Some(result)
        };
        // A task spinning for the result may take it now.
        self.done.store(true, Ordering::Release);
        let waker = state.waker.take();
        drop(state);
        // Dropped outside the lock: a result's destructor may do anything.
        drop(discarded);
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

impl<F, T> Job for Task<F, T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    fn run(&self, rejoin: &mut dyn FnMut()) {
        let Some(queued) = self.start() else {
            rejoin();
            return;
        };
        let Queued {
            f,
            context,
            #[cfg(feature = "tokio")]
            tokio,
        } = queued;
        let result = panic::catch_unwind(AssertUnwindSafe(|| {
            #[cfg(feature = "tokio")]
            let _entered = tokio.as_ref().map(tokio::runtime::Handle::enter);
            context.run(f)
        }));
        rejoin();
        self.finish(result);
    }

    fn abandon(&self, message: String) {
        let Some(queued) = self.start() else { return };
        drop(queued);
        self.finish(Err(Box::new(message)));
    }
}

/// How a submit handed a job to the pool's standby thread (see
/// `workers::Pool::submit`): the round trip's arm, chosen by the pool's duel
/// for both sides, and what the awaiting task does with it.
#[derive(Debug)]
pub(crate) struct Handoff {
    /// The round trip's arm.
    pub(crate) arm: Arm,
    /// Whether the standby thread was spinning for a job when it got this
    /// one (else it was parked).
    pub(crate) standby_spun: bool,
    /// How long the awaiting task's first poll spins for the result at most.
    pub(crate) window: Duration,
    /// When the job was handed over.
    pub(crate) at: Instant,
    /// Where the round trip's latency goes, for the pool's duel.
    pub(crate) report: &'static Sample,
}

impl Handoff {
    /// Whether the awaiting task spins for the result: spinning is the arm.
    /// Also when the standby thread was parked (the first round trip of a
    /// try of spinning): a task that parked instead would be woken by the
    /// pool thread, often onto that thread's own core, where it would wait
    /// for the pool thread's spin for the next job to end.
    fn spins(&self) -> bool {
        self.arm == Arm::Spin
    }

    /// Whether the round trip shows its arm: both sides waited as the arm
    /// says. The first round trip after a change of arm does not: the
    /// standby thread's wait was chosen by the previous one.
    fn shows_its_arm(&self) -> bool {
        (self.arm == Arm::Spin) == self.standby_spun
    }
}

/// The future `unblock` returns: resolves to the closure's result, resumes
/// its panic, and cancels the job when dropped before it starts.
pub(crate) struct Unblocked<F, T> {
    /// Shared with the queue entry.
    task: Arc<Task<F, T>>,
    /// How the job was handed to the standby thread, if it was, until the
    /// result is taken (see the module docs).
    handoff: Option<Handoff>,
    /// Whether the future was polled before.
    polled: bool,
}

impl<F, T> Unblocked<F, T> {
    /// The future for `task`, handed to the standby thread as `handoff`
    /// says if it was.
    pub(crate) fn new(task: Arc<Task<F, T>>, handoff: Option<Handoff>) -> Self {
        Unblocked { task, handoff, polled: false }
    }

    /// The first poll: spins for the result if the handoff says so.
    fn spin_for_result(&self) {
        if let Some(handoff) = self.handoff.as_ref().filter(|handoff| handoff.spins()) {
            spin_until(handoff.window, || self.task.done.load(Ordering::Acquire));
        }
    }

    /// The result was taken: reports the round trip to the pool's duel if
    /// it shows its arm.
    fn report(&mut self) {
        if let Some(handoff) = self.handoff.take().filter(Handoff::shows_its_arm) {
            handoff.report.put(handoff.arm, handoff.at.elapsed());
        }
    }
}

impl<F, T> Future for Unblocked<F, T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let this = self.get_mut();
        if !this.polled {
            this.polled = true;
            this.spin_for_result();
        }
        let mut state = this.task.lock();
        match mem::replace(&mut state.stage, Stage::Finished) {
            Stage::Done(result) => {
                drop(state);
                this.report();
                match result {
                    Ok(value) => Poll::Ready(value),
                    Err(payload) => panic::resume_unwind(payload),
                }
            }
            Stage::Finished => {
                panic!("the future of `twoworlds::unblock` was polled after it completed")
            }
            other => {
                state.stage = other;
                match &mut state.waker {
                    Some(waker) if waker.will_wake(cx.waker()) => {}
                    slot => *slot = Some(cx.waker().clone()),
                }
                Poll::Pending
            }
        }
    }
}

impl<F, T> Unblocked<F, T> {
    /// Lets go of the job: a queued one is cancelled (returns true), a
    /// running one finishes and its result is dropped. Idempotent.
    pub(crate) fn detach(&self) -> bool {
        let mut shared = self.task.lock();
        let stage = mem::replace(&mut shared.stage, Stage::Finished);
        let waker = shared.waker.take();
        drop(shared);
        let cancelled = matches!(stage, Stage::Queued(_));
        // A queued closure is dropped here and never runs; a running one
        // finishes and its result is dropped by the pool thread.
        drop((stage, waker));
        cancelled
    }
}

impl<F, T> Drop for Unblocked<F, T> {
    fn drop(&mut self) {
        self.detach();
    }
}
