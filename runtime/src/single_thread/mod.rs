//! Single-thread event loops (asgiref's `AsyncSingleThreadContext`): a scope
//! inside which successive blocking calls of async code share one event-loop
//! thread, so that whatever that async code leaves on its thread
//! (thread-locals, a `!Send` client made on first use, tasks it spawned with
//! `spawn_local`-style executors) is there for the next call.
//!
//! This module owns the scope ([`async_single_thread_scope`]), its handle
//! ([`AsyncSingleThread`]) and the loop thread (`event_loop`). The scope is
//! found through the logical call's context, so a nested scope — on this
//! thread or across bridges — shares the outer one's thread.

mod event_loop;

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::pin::Pin;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::task::{Context, Poll, Waker};
use std::thread::{self, ThreadId};

use crate::{CallContext, ContextLocal};

/// The name misuse messages show for [`AsyncSingleThread::block_on`].
const BLOCK_ON: &str = "twoworlds::AsyncSingleThread::block_on";

/// The scope the logical call is inside, if any.
static CURRENT: ContextLocal<Loop> = ContextLocal::new();

/// One scope's loop: its thread starts with the first call and stops once the
/// scope, and every context captured inside it, is gone.
struct Loop {
    /// The loop thread, once started.
    shared: OnceLock<Arc<event_loop::Shared>>,
}

impl Loop {
    /// The loop thread, started on first use.
    fn start(&self) -> std::io::Result<&Arc<event_loop::Shared>> {
        if let Some(shared) = self.shared.get() {
            return Ok(shared);
        }
        let fresh = event_loop::start("twoworlds-async-single-thread")?;
        if let Err(fresh) = self.shared.set(fresh) {
            // Another thread started one first: stop ours, use theirs.
            fresh.close();
        }
        Ok(self.shared.get().expect("set above"))
    }
}

impl Drop for Loop {
    fn drop(&mut self) {
        if let Some(shared) = self.shared.get() {
            shared.close();
        }
    }
}

/// Runs `f` inside a single-thread scope (asgiref's `AsyncSingleThreadContext`)
/// and returns what it returns. Every [`AsyncSingleThread::block_on`] made
/// through the handle inside it runs its future on one event-loop thread of
/// the scope's own: successive calls share that thread and what their async
/// code leaves on it. Nested scopes — directly, or in code reached through
/// `block_on` / `unblock` from inside this one — share the outer scope's
/// thread. The thread starts with the first call (a scope without one starts
/// nothing) and ends once the scope and all work it started are done; leaving
/// the scope never waits for it.
///
/// Plain [`block_on`](crate::block_on) needs no scope for this: it runs every
/// future on its caller's thread, so successive calls from one thread already
/// share it. The scope is for futures that must run *elsewhere* than the
/// calling thread, on a thread that stays the same from call to call.
///
/// While a future runs on the loop thread, its caller waits in a `block_on`
/// of its own: the future sees the caller's context
/// ([`ContextLocal`](crate::ContextLocal) values, with feature `tokio` the
/// caller's tokio runtime), and its thread-sensitive calls run on the caller's
/// thread, as they would with a plain `block_on`. The loop interleaves the
/// futures it is given (one waiting on another's result is fine); one that
/// blocks its thread stalls them all, like any event loop.
///
/// ```
/// use std::cell::Cell;
/// use twoworlds_runtime::async_single_thread_scope;
///
/// thread_local!(static CALLS: Cell<u32> = const { Cell::new(0) });
///
/// let (first, second) = async_single_thread_scope(|lp| {
///     let count = || async { CALLS.with(|c| { c.set(c.get() + 1); (std::thread::current().id(), c.get()) }) };
///     (lp.block_on(count()), lp.block_on(count()))
/// });
/// assert_eq!(first.0, second.0); // one thread for the scope ...
/// assert_ne!(first.0, std::thread::current().id()); // ... of its own
/// assert_eq!((first.1, second.1), (1, 2)); // its thread-locals persist
/// ```
pub fn async_single_thread_scope<R>(f: impl FnOnce(&AsyncSingleThread) -> R) -> R {
    if let Some(outer) = CURRENT.get() {
        return f(&AsyncSingleThread { scope: outer });
    }
    CURRENT.sync_scope(Loop { shared: OnceLock::new() }, || {
        let scope = CURRENT.get().expect("bound just above");
        f(&AsyncSingleThread { scope })
    })
}

/// The handle of a single-thread scope: runs futures on the scope's
/// event-loop thread. Made by [`async_single_thread_scope`].
///
/// ```
/// let n = twoworlds_runtime::async_single_thread_scope(|lp| lp.block_on(async { 6 * 7 }));
/// assert_eq!(n, 42);
/// ```
pub struct AsyncSingleThread {
    /// The scope's loop.
    scope: Arc<Loop>,
}

impl AsyncSingleThread {
    /// Runs `fut` to completion on the scope's event-loop thread and returns
    /// its output; the calling thread waits in a `block_on` meanwhile (and
    /// runs the thread-sensitive calls the future makes). A panic of the
    /// future resumes here with its payload; the loop thread survives.
    ///
    /// ```
    /// use twoworlds_runtime::async_single_thread_scope;
    /// let (a, b) = async_single_thread_scope(|lp| {
    ///     let a = lp.block_on(async { std::thread::current().id() });
    ///     let b = lp.block_on(async { std::thread::current().id() });
    ///     (a, b)
    /// });
    /// assert_eq!(a, b);
    /// ```
    ///
    /// # Panics
    /// Like [`block_on`](crate::block_on), with a message naming
    /// `twoworlds::AsyncSingleThread::block_on`, when called from async code
    /// (including a future running on the loop thread itself); when the loop
    /// thread cannot be started; and with the future's own panic.
    #[track_caller]
    pub fn block_on<F>(&self, fut: F) -> F::Output
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        crate::__private::block_on_named(BLOCK_ON, async move {
            let shared = match self.scope.start() {
                Ok(shared) => shared,
                Err(err) => panic!("`{BLOCK_ON}` could not start its event-loop thread: {err}"),
            };
            let slot = Arc::new(Mutex::new(Outcome { result: None, waker: None }));
            let call = Call {
                fut: CallContext::current().scope(fut),
                reply: Reply { slot: Arc::clone(&slot), sent: false },
                runtime: runtime::current(),
            };
            shared.submit(Box::pin(call));
            std::future::poll_fn(|cx| take(&slot, cx)).await
        })
    }

    /// The scope's event-loop thread, once the first call started it.
    ///
    /// ```
    /// twoworlds_runtime::async_single_thread_scope(|lp| {
    ///     assert_eq!(lp.thread_id(), None);
    ///     let ran_on = lp.block_on(async { std::thread::current().id() });
    ///     assert_eq!(lp.thread_id(), Some(ran_on));
    /// });
    /// ```
    #[must_use]
    pub fn thread_id(&self) -> Option<ThreadId> {
        self.scope.shared.get().map(|shared| shared.thread_id())
    }
}

impl std::fmt::Debug for AsyncSingleThread {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncSingleThread").field("thread", &self.thread_id()).finish()
    }
}

/// The result of one call, shared by the loop's task and the waiting caller.
struct Outcome<T> {
    /// The future's output, or its panic.
    result: Option<thread::Result<T>>,
    /// The caller to wake.
    waker: Option<Waker>,
}

/// The caller's side: the output once there, resuming a panic.
fn take<T>(slot: &Mutex<Outcome<T>>, cx: &mut Context<'_>) -> Poll<T> {
    let mut outcome = slot.lock().unwrap_or_else(PoisonError::into_inner);
    match outcome.result.take() {
        Some(Ok(value)) => Poll::Ready(value),
        Some(Err(payload)) => {
            drop(outcome);
            resume_unwind(payload)
        }
        None => {
            outcome.waker = Some(cx.waker().clone());
            Poll::Pending
        }
    }
}

pin_project_lite::pin_project! {
    /// The loop's side of one call: polls the future in the caller's context
    /// and runtime, and hands its output or panic to the caller.
    struct Call<F: Future> {
        #[pin]
        fut: F,
        reply: Reply<F::Output>,
        runtime: runtime::Runtime,
    }
}

impl<F: Future> Future for Call<F> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.project();
        let _entered = runtime::enter(this.runtime);
        let fut = this.fut;
        let result = match catch_unwind(AssertUnwindSafe(|| fut.poll(cx))) {
            Ok(Poll::Pending) => return Poll::Pending,
            Ok(Poll::Ready(value)) => Ok(value),
            Err(payload) => Err(payload),
        };
        this.reply.send(result);
        Poll::Ready(())
    }
}

/// Where a call's result goes. Dropped unsent — the loop lost the call, which
/// does not happen short of a bug — it fails the caller instead of leaving it
/// waiting forever.
struct Reply<T> {
    /// Shared with the waiting caller.
    slot: Arc<Mutex<Outcome<T>>>,
    /// Whether the result was sent.
    sent: bool,
}

impl<T> Reply<T> {
    /// Hands `result` to the caller and wakes it.
    fn send(&mut self, result: thread::Result<T>) {
        self.sent = true;
        let mut outcome = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
        outcome.result = Some(result);
        let waker = outcome.waker.take();
        drop(outcome);
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

impl<T> Drop for Reply<T> {
    fn drop(&mut self) {
        if !self.sent {
            let lost = format!("`{BLOCK_ON}`: the event loop dropped the call before it finished");
            self.send(Err(Box::new(lost)));
        }
    }
}

/// The caller's tokio runtime, entered around each poll on the loop thread
/// (feature `tokio`).
#[cfg(feature = "tokio")]
mod runtime {
    /// The runtime the caller's `block_on` runs in.
    pub(super) type Runtime = Option<tokio::runtime::Handle>;

    /// The runtime of the calling thread.
    pub(super) fn current() -> Runtime {
        tokio::runtime::Handle::try_current().ok()
    }

    /// Enters `runtime` until the guard drops.
    pub(super) fn enter(runtime: &Runtime) -> Option<tokio::runtime::EnterGuard<'_>> {
        runtime.as_ref().map(tokio::runtime::Handle::enter)
    }
}

/// Nothing to carry without feature `tokio`.
#[cfg(not(feature = "tokio"))]
mod runtime {
    /// No runtime.
    pub(super) struct Runtime;

    /// Nothing entered.
    pub(super) struct Entered;

    /// No runtime.
    pub(super) fn current() -> Runtime {
        Runtime
    }

    /// Nothing to enter.
    pub(super) fn enter(_: &Runtime) -> Entered {
        Entered
    }
}
