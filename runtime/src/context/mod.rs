//! Context that follows the logical call across bridges (asgiref's `Local`,
//! Python's contextvars).
//!
//! Each thread has a *current context*: an immutable, cheaply cloned value
//! holding the [`ContextLocal`](crate::ContextLocal) bindings visible here and
//! the thread-sensitive placement of the logical call (which `block_on` frame,
//! scope or job it is inside). A bridge captures it on one side
//! ([`CallContext::current`]) and enters it on the other ([`CallContext::run`]),
//! so the logical call keeps its context whichever thread runs it. With the
//! `tracing` feature the current `tracing::Span` travels along.

mod local;

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::Poll;

pub(crate) use local::Binding;
pub use local::{ContextLocal, LocalScope};

use crate::thread_sensitive::{Executor, JobMarker, Scope};

/// The context of a logical call as seen on one thread. Immutable: every
/// change makes a new value, so a capture is a handful of `Arc` clones.
#[derive(Clone, Default)]
pub(crate) struct Context {
    /// Innermost [`ContextLocal`] binding; older ones hang off it.
    pub(crate) locals: Option<Arc<Binding>>,
    /// The `block_on` frame that serves thread-sensitive work of this call.
    pub(crate) executor: Option<Arc<Executor>>,
    /// Instead of `executor`: the frame at this depth of the current thread,
    /// made into an `Arc` only when the context is captured (so a `block_on`
    /// that nobody captures costs no allocation and no atomic operation).
    pub(crate) local_frame: Option<usize>,
    /// The thread-sensitive scope the call is inside, if any.
    pub(crate) scope: Option<Arc<Scope>>,
    /// The thread-sensitive job this call is running inside, if any.
    pub(crate) job: Option<Arc<JobMarker>>,
}

thread_local! {
    /// The context of whatever runs on this thread right now.
    static CURRENT: RefCell<Context> = const {
        RefCell::new(Context { locals: None, executor: None, local_frame: None, scope: None, job: None })
    };
}

/// Returns a clone of this thread's current context, fit to be captured.
pub(crate) fn current() -> Context {
    crate::thread_sensitive::register_pending_frames();
    let mut ctx = CURRENT.with(|c| c.borrow().clone());
    if let Some(depth) = ctx.local_frame.take() {
        ctx.executor = crate::thread_sensitive::materialize_frame(depth);
    }
    ctx
}

/// Returns a clone of this thread's current context for re-entering on this
/// same thread while the current one is still in force (no capture).
pub(crate) fn current_here() -> Context {
    crate::thread_sensitive::register_pending_frames();
    CURRENT.with(|c| c.borrow().clone())
}

/// Runs `f` with a reference to this thread's current context.
pub(crate) fn with_current<R>(f: impl FnOnce(&Context) -> R) -> R {
    crate::thread_sensitive::register_pending_frames();
    CURRENT.with(|c| f(&c.borrow()))
}

/// The executor fields of a context: `(executor, local_frame)`.
pub(crate) type ExecutorFields = (Option<Arc<Executor>>, Option<usize>);

/// Replaces the executor fields of this thread's current context, returning
/// the previous ones (for `block_on` frames, which only change those).
pub(crate) fn swap_executor(fields: ExecutorFields) -> ExecutorFields {
    CURRENT.with(|c| {
        let mut c = c.borrow_mut();
        (
            std::mem::replace(&mut c.executor, fields.0),
            std::mem::replace(&mut c.local_frame, fields.1),
        )
    })
}

/// [`swap_executor`] that does nothing during thread teardown.
pub(crate) fn try_swap_executor(fields: ExecutorFields) {
    let _ = CURRENT.try_with(|c| {
        let mut c = c.borrow_mut();
        c.executor = fields.0;
        c.local_frame = fields.1;
    });
}

/// Makes `ctx` the current context until the returned guard drops (also on
/// panic), then restores the previous one.
pub(crate) fn enter(ctx: Context) -> Entered {
    crate::thread_sensitive::register_pending_frames();
    let previous = CURRENT.with(|c| c.replace(ctx));
    Entered { previous: Some(previous) }
}

/// Restores the previous current context when dropped.
pub(crate) struct Entered {
    /// The context that was current before [`enter`].
    previous: Option<Context>,
}

impl Drop for Entered {
    fn drop(&mut self) {
        if let Some(previous) = self.previous.take() {
            // `try_with`: during thread teardown the slot may be gone already.
            let _ = CURRENT.try_with(|c| *c.borrow_mut() = previous);
        }
    }
}

/// The context of a logical call, captured at one point so it can be entered
/// somewhere else: on another thread, or around a future spawned as a new task.
///
/// Bridges do this for you (`block_on`, `unblock`, the thread-sensitive
/// executor). Use it yourself to carry [`ContextLocal`] values (and, with the
/// `tracing` feature, the current span) into a thread or a task you spawn —
/// the equivalent of Python's `contextvars.copy_context().run(..)`:
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
#[derive(Clone)]
pub struct CallContext {
    /// The captured context.
    ctx: Context,
    /// The span that was current at capture.
    #[cfg(feature = "tracing")]
    span: tracing::Span,
}

/// What bridges capture on one side and enter on the other.
pub(crate) type Snapshot = CallContext;

impl CallContext {
    /// Captures the context visible on this thread now.
    ///
    /// ```
    /// let ctx = twoworlds_runtime::CallContext::current();
    /// assert_eq!(ctx.run(|| 1 + 1), 2);
    /// ```
    #[must_use]
    pub fn current() -> Self {
        CallContext {
            ctx: current(),
            #[cfg(feature = "tracing")]
            span: tracing::Span::current(),
        }
    }

    /// Same as [`CallContext::current`]; the name the bridges use.
    pub(crate) fn capture() -> Self {
        Self::current()
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
        let _entered = enter(self.ctx.clone());
        #[cfg(feature = "tracing")]
        let _span = self.span.enter();
        f()
    }

    /// The captured context itself.
    pub(crate) fn context(&self) -> &Context {
        &self.ctx
    }

    /// Same as [`CallContext::run`]; the name the bridges use.
    pub(crate) fn enter<R>(&self, f: impl FnOnce() -> R) -> R {
        self.run(f)
    }

    /// Like [`CallContext::run`] with `job` as the thread-sensitive job that
    /// the call is inside.
    pub(crate) fn run_as_job<R>(&self, job: Arc<JobMarker>, f: impl FnOnce() -> R) -> R {
        let mut ctx = self.ctx.clone();
        ctx.job = Some(job);
        let _entered = enter(ctx);
        #[cfg(feature = "tracing")]
        let _span = self.span.enter();
        f()
    }

    /// Wraps `fut` so that every poll runs inside this context: use it on a
    /// future you spawn as a new task so that it inherits the context of the
    /// code that spawned it (Python's `create_task` does this implicitly).
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
