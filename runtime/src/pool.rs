//! `unblock`: sync → async. Runs a blocking closure on a bounded thread pool
//! and lets async code await its result.
//!
//! STUB: one thread per call, so the macros can be built and tested; the
//! foundation issue replaces it with the bounded pool.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};
use std::thread;

/// The slot a job writes its result into and the awaiting task reads from.
struct Slot<T> {
    /// The job's result (or panic payload) once it has finished.
    result: Option<thread::Result<T>>,
    /// The task to wake when the result arrives.
    waker: Option<Waker>,
}

/// Runs `f` on the blocking pool and resolves to its return value.
///
/// ```
/// # twoworlds_runtime::block_on(async {
/// let n = twoworlds_runtime::unblock(|| 40 + 2).await;
/// assert_eq!(n, 42);
/// # });
/// ```
pub fn unblock<T, F>(f: F) -> impl Future<Output = T> + Send + 'static
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    unblock_named("twoworlds::unblock", f)
}

/// [`unblock`] on behalf of a generated async twin named `twin`.
#[doc(hidden)]
pub fn unblock_named<T, F>(twin: &'static str, f: F) -> impl Future<Output = T> + Send + 'static
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let _ = twin;
    let slot = Arc::new(Mutex::new(Slot { result: None, waker: None }));
    let context = crate::context::Snapshot::capture();
    let job_slot = Arc::clone(&slot);
    thread::spawn(move || {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| context.enter(f)));
        let mut slot = job_slot.lock().unwrap_or_else(PoisonError::into_inner);
        slot.result = Some(result);
        if let Some(waker) = slot.waker.take() {
            waker.wake();
        }
    });
    Unblocked { slot }
}

/// The future returned by [`unblock`].
struct Unblocked<T> {
    /// Shared with the job.
    slot: Arc<Mutex<Slot<T>>>,
}

impl<T> Future for Unblocked<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let mut slot = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
        match slot.result.take() {
            Some(Ok(value)) => Poll::Ready(value),
            Some(Err(payload)) => std::panic::resume_unwind(payload),
            None => {
                slot.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}
