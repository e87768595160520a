//! [`CallContext`]: the whole context of a logical call — its
//! [`ContextLocal`](crate::ContextLocal) bindings and span (owned by
//! `context`) and the placement of its thread-sensitive work (owned by
//! `thread_sensitive`) — captured at one point so that it can be entered
//! somewhere else, and [`InCallContext`], a future polled inside one.
//!
//! This module only composes the two: it sits above both, and neither of them
//! imports it.

use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

use crate::thread_sensitive::Snapshot;

/// The context of a logical call, captured at one point so it can be entered
/// somewhere else: on another thread, or around a future spawned as a new task.
///
/// Bridges do this for you (`block_on`, `unblock`, the thread-sensitive
/// executor). Use it yourself to carry [`ContextLocal`](crate::ContextLocal)
/// values, the placement of thread-sensitive work (and, with the `tracing`
/// feature, the current span) into a thread or a task you spawn — the
/// equivalent of Python's `contextvars.copy_context().run(..)` and of the
/// context that `asyncio.create_task` copies implicitly:
///
/// ```
/// use twoworlds_runtime::{CallContext, ContextLocal};
///
/// static USER: ContextLocal<&str> = ContextLocal::new();
///
/// USER.sync_scope("ada", || {
///     let ctx = CallContext::current();
///     let seen = std::thread::spawn(move || ctx.run(|| USER.get().map(|u| *u)))
///         .join()
///         .unwrap();
///     assert_eq!(seen, Some("ada"));
///     // A plain thread sees nothing.
///     assert_eq!(std::thread::spawn(|| USER.is_set()).join().unwrap(), false);
/// });
/// ```
///
/// # Running a bridged call in a given context
///
/// asgiref's `sync_to_async(f, context=ctx)` runs `f` in `ctx` instead of the
/// caller's context: [`CallContext::unblock`] and
/// [`CallContext::unblock_thread_sensitive`] do that here. For an async fn
/// (a `#[bridge]` async twin, whose body starts at its first poll), wrap the
/// future: [`CallContext::scope`]. A blocking call runs in `ctx` with
/// `ctx.run(|| block_on(..))`.
#[derive(Clone)]
pub struct CallContext {
    /// The captured bindings and placement.
    snapshot: Snapshot,
}

impl CallContext {
    /// Captures the context visible on this thread now.
    ///
    /// ```
    /// let ctx = twoworlds_runtime::CallContext::current();
    /// assert_eq!(ctx.run(|| 1 + 1), 2);
    /// ```
    #[must_use]
    pub fn current() -> Self {
        CallContext { snapshot: Snapshot::capture() }
    }

    /// Runs `f` with this context as the current one (and, with the `tracing`
    /// feature, its span entered), then restores what was current before.
    ///
    /// ```
    /// use twoworlds_runtime::{CallContext, ContextLocal};
    /// static N: ContextLocal<u32> = ContextLocal::new();
    /// let ctx = N.sync_scope(7, CallContext::current);
    /// assert_eq!(N.get().as_deref(), None);
    /// assert_eq!(ctx.run(|| N.get().as_deref().copied()), Some(7));
    /// ```
    pub fn run<R>(&self, f: impl FnOnce() -> R) -> R {
        self.snapshot.run(f)
    }

    /// Wraps `fut` so that every poll runs inside this context: use it on a
    /// future you spawn as a new task so that it inherits the context of the
    /// code that spawned it (Python's `create_task` does this implicitly), or
    /// to run an async fn in a context you choose (asgiref's `context=`).
    ///
    /// ```
    /// use twoworlds_runtime::{CallContext, ContextLocal, block_on};
    /// static N: ContextLocal<u32> = ContextLocal::new();
    /// let task = N.sync_scope(5, || CallContext::current().scope(async { N.get().map(|n| *n) }));
    /// assert_eq!(block_on(task), Some(5));
    /// ```
    pub fn scope<F: Future>(self, fut: F) -> InCallContext<F> {
        InCallContext { ctx: self, fut }
    }

    /// [`unblock`](crate::unblock) with this context instead of the caller's:
    /// `f` sees this context's bindings, and its thread-sensitive work goes
    /// where this context's would (asgiref's `sync_to_async(f, context=ctx)`).
    /// The caller's own context is untouched.
    ///
    /// ```
    /// use std::sync::Mutex;
    /// use twoworlds_runtime::{CallContext, ContextLocal, block_on};
    ///
    /// static FOO: ContextLocal<Mutex<&str>> = ContextLocal::new();
    ///
    /// FOO.sync_scope(Mutex::new("bar"), || {
    ///     // A context of its own, with its own value.
    ///     let custom = FOO.sync_scope(Mutex::new("bar"), CallContext::current);
    ///     block_on(custom.unblock(|| *FOO.get().unwrap().lock().unwrap() = "baz"));
    ///     assert_eq!(*FOO.get().unwrap().lock().unwrap(), "bar");
    ///     assert_eq!(custom.run(|| *FOO.get().unwrap().lock().unwrap()), "baz");
    /// });
    /// ```
    pub fn unblock<T, F>(&self, f: F) -> impl Future<Output = T> + Send + 'static
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        self.run(|| crate::unblock(f))
    }

    /// [`unblock_thread_sensitive`](crate::unblock_thread_sensitive) with this
    /// context instead of the caller's (see [`CallContext::unblock`]).
    ///
    /// ```
    /// use twoworlds_runtime::{CallContext, ContextLocal, block_on};
    /// static N: ContextLocal<u8> = ContextLocal::new();
    /// let ctx = N.sync_scope(9, CallContext::current);
    /// let seen = block_on(ctx.unblock_thread_sensitive(|| N.get().map(|n| *n)));
    /// assert_eq!(seen, Some(9));
    /// ```
    pub fn unblock_thread_sensitive<T, F>(&self, f: F) -> impl Future<Output = T> + Send + 'static
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        self.run(|| crate::unblock_thread_sensitive(f))
    }
}

impl std::fmt::Debug for CallContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallContext").finish_non_exhaustive()
    }
}

pin_project_lite::pin_project! {
    /// A future that runs every poll inside a [`CallContext`]; made by
    /// [`CallContext::scope`].
    ///
    /// ```
    /// use twoworlds_runtime::{CallContext, ContextLocal};
    /// static N: ContextLocal<u8> = ContextLocal::new();
    /// let fut: twoworlds_runtime::InCallContext<_> =
    ///     N.sync_scope(1, || CallContext::current().scope(async { N.is_set() }));
    /// assert!(twoworlds_runtime::block_on(fut));
    /// ```
    #[must_use = "futures do nothing unless polled"]
    pub struct InCallContext<F> {
        ctx: CallContext,
        #[pin]
        fut: F,
    }
}

impl<F: Future> Future for InCallContext<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        let fut = this.fut;
        this.ctx.run(|| fut.poll(cx))
    }
}
