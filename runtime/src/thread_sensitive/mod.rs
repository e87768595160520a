//! Thread-sensitive execution (asgiref's `thread_sensitive=True`): sync
//! functions that must always run on the same thread — a `!Send` handle kept
//! in a thread-local, a GUI thread, an FFI library that is not thread-safe.
//!
//! Placement, first match wins:
//! 1. the logical call was entered from sync code through `block_on`: the
//!    outermost such thread runs the work while it waits (so a sync-outermost
//!    program keeps all of it on its own thread, e.g. the main thread);
//! 2. inside a [`thread_sensitive_scope`]: the scope's own thread;
//! 3. otherwise: one process-wide dedicated thread.
//!
//! Each thread runs its thread-sensitive calls one at a time (serialized); a
//! call that blocks in `block_on` lets the calls of that nested logical call
//! run on the same thread meanwhile. Ordinary [`unblock`](crate::unblock),
//! which runs calls in parallel on a pool, is the default; use this only for
//! functions that need it.
//!
//! This module owns the *placement* of a logical call (`placement`: which
//! frame, scope or job it is in, captured with its bindings into a
//! `Snapshot`), the executors and their queues (`executor`), the `block_on`
//! frames (`frame`), the scopes (`scope`) and the count of dedicated threads
//! (`stats`). It depends on `crate::context` for the bindings a call carries,
//! never the other way round.

mod error;
mod executor;
mod frame;
mod placement;
mod scope;
mod stats;
#[cfg(test)]
mod tests;

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};
use std::thread;

pub use error::ThreadSensitiveError;
use executor::{ActiveJob, Executor};
pub(crate) use frame::LazyFrame;
use placement::Placement;
pub(crate) use placement::Snapshot;
pub use scope::{ThreadSensitiveScope, thread_sensitive_scope};
pub use stats::{ThreadSensitiveStats, thread_sensitive_stats};

/// Runs the thread-sensitive jobs queued for this thread's `block_on` frames.
/// `block_on` calls this each time before it parks; a job is queued and then
/// this thread is unparked.
pub(crate) fn run_pending_on_this_thread() {
    frame::run_pending_on_this_thread();
}

/// What the awaiting future reads.
enum Outcome<T> {
    /// Not finished yet.
    Waiting,
    /// `f` returned or panicked.
    Done(thread::Result<T>),
    /// `f` could not run.
    Failed(ThreadSensitiveError),
    /// The result was handed out.
    Taken,
}

/// Shared between the queued job and the awaiting future.
struct Slot<T> {
    /// The outcome so far.
    outcome: Outcome<T>,
    /// The task to wake when it changes.
    waker: Option<Waker>,
    /// Set when the future is dropped: a job that has not started is skipped.
    cancelled: bool,
}

/// Writes `outcome` into `slot` and wakes the awaiting task.
fn finish<T>(slot: &Mutex<Slot<T>>, outcome: Outcome<T>) {
    let mut slot = slot.lock().unwrap_or_else(PoisonError::into_inner);
    slot.outcome = outcome;
    if let Some(waker) = slot.waker.take() {
        waker.wake();
    }
}

/// One thread-sensitive call waiting in an executor's queue.
struct Call<T, F> {
    /// The function that was called, for messages.
    function: &'static str,
    /// The closure; `None` once it ran.
    f: Option<F>,
    /// The caller's context, entered around `f`.
    context: Snapshot,
    /// Where the result goes.
    slot: Arc<Mutex<Slot<T>>>,
}

impl<T: Send, F: FnOnce() -> T + Send> executor::Job for Call<T, F> {
    fn run(mut self: Box<Self>, on: &Executor) {
        let Some(f) = self.f.take() else { return };
        if self.slot.lock().unwrap_or_else(PoisonError::into_inner).cancelled {
            return;
        }
        let result = {
            let active = ActiveJob::start(on, self.function);
            let marker = Arc::clone(&active.0);
            self.context.run_as_job(marker, || catch_unwind(AssertUnwindSafe(f)))
        };
        finish(&self.slot, Outcome::Done(result));
    }
}

impl<T, F> Drop for Call<T, F> {
    fn drop(&mut self) {
        if self.f.is_some() {
            let thread = executor::describe(&thread::current());
            finish(
                &self.slot,
                Outcome::Failed(ThreadSensitiveError::no_executor(self.function, thread)),
            );
        }
    }
}

/// Makes the thread-sensitive call of `function` that runs `f`; it is queued
/// when the returned future is first polled.
fn submit<T, F>(function: &'static str, f: F) -> Pending<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let slot =
        Arc::new(Mutex::new(Slot { outcome: Outcome::Waiting, waker: None, cancelled: false }));
    let context = Snapshot::capture();
    let placement = context.placement.clone();
    let call = Call { function, f: Some(f), context, slot: Arc::clone(&slot) };
    Pending { slot, unplaced: Some((Box::new(call), placement)), function }
}

/// The outcome of a thread-sensitive call, awaited.
struct Pending<T> {
    /// Shared with the queued call.
    slot: Arc<Mutex<Slot<T>>>,
    /// The call and the placement it was made in, until the first poll
    /// queues it.
    unplaced: Option<(Box<dyn executor::Job>, Placement)>,
    /// The function that was called, for messages.
    function: &'static str,
}

impl<T> Future for Pending<T> {
    type Output = Result<T, ThreadSensitiveError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if let Some((job, call)) = self.unplaced.take()
            && let Err((job, err)) = executor::place(job, self.function, &call)
        {
            // Dropping the job reports a generic error; the specific one wins.
            drop(job);
            finish(&self.slot, Outcome::Failed(err));
        }
        let mut slot = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
        match std::mem::replace(&mut slot.outcome, Outcome::Taken) {
            Outcome::Done(Ok(value)) => Poll::Ready(Ok(value)),
            Outcome::Done(Err(payload)) => {
                drop(slot);
                std::panic::resume_unwind(payload)
            }
            Outcome::Failed(err) => Poll::Ready(Err(err)),
            Outcome::Waiting => {
                slot.outcome = Outcome::Waiting;
                slot.waker = Some(cx.waker().clone());
                Poll::Pending
            }
            Outcome::Taken => {
                panic!("a thread-sensitive call's future was polled after it completed")
            }
        }
    }
}

impl<T> Drop for Pending<T> {
    fn drop(&mut self) {
        self.slot.lock().unwrap_or_else(PoisonError::into_inner).cancelled = true;
    }
}

/// Runs `f` on the thread-sensitive executor (see [Thread-sensitive
/// execution](crate#thread-sensitive-execution)) and resolves to its return
/// value.
///
/// `f` runs in the context of the call ([`ContextLocal`](crate::ContextLocal)
/// bindings and, with the `tracing` feature, the span), captured when
/// `unblock_thread_sensitive` is called — like `unblock`. Where it runs is
/// decided when the future is first polled: by the `block_on` or scope that
/// polls it, else by the context of the call. A panic in `f` resumes in the
/// awaiting task with its original payload. Dropping the future before `f`
/// starts cancels it.
///
/// Sync code that plain [`unblock`](crate::unblock) runs on a pool thread is
/// not thread-sensitive: when it calls async code through `block_on`, that
/// nested call's thread-sensitive work goes to the call's home if it has one
/// (a `block_on` already running when `unblock` was called, or a scope
/// thread) and otherwise runs on that pool
/// thread, which is blocked anyway (as in asgiref). Make such sync code
/// thread-sensitive too if its nested work must share one thread.
///
/// # Panics
/// In the awaiting task, with a message naming the function and the fix, when
/// the call cannot run: it would deadlock, or every `block_on` that could run
/// it has returned. [`try_unblock_thread_sensitive`] returns those as errors.
///
/// ```
/// use std::cell::RefCell;
/// use twoworlds_runtime::{block_on, unblock_thread_sensitive};
///
/// thread_local!(static HANDLE: RefCell<Vec<&'static str>> = RefCell::new(Vec::new()));
///
/// // Sync outermost: thread-sensitive work runs on this very thread.
/// block_on(async {
///     unblock_thread_sensitive(|| HANDLE.with(|h| h.borrow_mut().push("from async"))).await;
/// });
/// assert_eq!(HANDLE.with(|h| h.borrow().clone()), ["from async"]);
/// ```
pub fn unblock_thread_sensitive<T, F>(f: F) -> impl Future<Output = T> + Send + 'static
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    unblock_thread_sensitive_named("twoworlds::unblock_thread_sensitive", f)
}

/// Like [`unblock_thread_sensitive`], but a call that cannot run resolves to
/// an error instead of panicking.
///
/// # Errors
/// [`ThreadSensitiveError`] when the call would deadlock or no thread is left
/// to run it.
///
/// ```
/// use twoworlds_runtime::{block_on, try_unblock_thread_sensitive};
/// let here = std::thread::current().id();
/// let there = block_on(try_unblock_thread_sensitive(|| std::thread::current().id()));
/// assert_eq!(there.unwrap(), here);
/// ```
pub fn try_unblock_thread_sensitive<T, F>(
    f: F,
) -> impl Future<Output = Result<T, ThreadSensitiveError>> + Send + 'static
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    submit("twoworlds::try_unblock_thread_sensitive", f)
}

/// [`unblock_thread_sensitive`] on behalf of a generated async twin named
/// `twin`, so a failure names the function the user actually called.
#[doc(hidden)]
pub fn unblock_thread_sensitive_named<T, F>(
    twin: &'static str,
    f: F,
) -> impl Future<Output = T> + Send + 'static
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let pending = submit(twin, f);
    async move {
        match pending.await {
            Ok(value) => value,
            Err(err) => panic!("{err}"),
        }
    }
}
