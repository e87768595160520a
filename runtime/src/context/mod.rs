//! Bindings that follow the logical call across bridges (asgiref's `Local`,
//! Python's contextvars): the [`ContextLocal`](crate::ContextLocal) values
//! visible on this thread and, with the `tracing` feature, the current
//! `tracing::Span`.
//!
//! This module owns the thread's *current bindings* and how they are captured
//! on one side of a bridge ([`capture`]) and entered on the other
//! ([`Captured::run`]). It knows nothing about threads or executors: where
//! thread-sensitive work of the call runs is `thread_sensitive`'s business
//! (its *placement*), and the public [`CallContext`](crate::CallContext), which
//! carries both, lives in `call_context`. Dependencies go one way only:
//! `call_context` → `thread_sensitive` → `context`.

mod local;

use std::cell::RefCell;
use std::sync::Arc;

use local::Binding;
pub use local::{ContextLocal, LocalScope};

thread_local! {
    /// The innermost [`ContextLocal`] binding visible on this thread right
    /// now; older ones hang off it.
    static LOCALS: RefCell<Option<Arc<Binding>>> = const { RefCell::new(None) };
}

/// The bindings of a logical call, captured on one thread to be entered on
/// another. Immutable and cheap to clone (one `Arc` clone, and the span's).
#[derive(Clone, Default)]
pub(crate) struct Captured {
    /// Innermost binding at capture.
    locals: Option<Arc<Binding>>,
    /// The span that was current at capture.
    #[cfg(feature = "tracing")]
    span: Option<tracing::Span>,
}

/// Captures the bindings visible on this thread now.
pub(crate) fn capture() -> Captured {
    Captured {
        locals: LOCALS.with(|l| l.borrow().clone()),
        #[cfg(feature = "tracing")]
        span: Some(tracing::Span::current()),
    }
}

impl Captured {
    /// Runs `f` with these bindings current (and, with `tracing`, the span
    /// entered), then restores what was current before (also on panic).
    pub(crate) fn run<R>(&self, f: impl FnOnce() -> R) -> R {
        let _entered = enter_locals(self.locals.clone());
        #[cfg(feature = "tracing")]
        let _span = self.span.as_ref().map(tracing::Span::enter);
        f()
    }
}

/// Runs `f` with a reference to this thread's innermost binding.
fn with_locals<R>(f: impl FnOnce(Option<&Arc<Binding>>) -> R) -> R {
    LOCALS.with(|l| f(l.borrow().as_ref()))
}

/// A clone of this thread's innermost binding.
fn current_locals() -> Option<Arc<Binding>> {
    LOCALS.with(|l| l.borrow().clone())
}

/// Makes `locals` the current bindings until the guard drops (also on panic).
fn enter_locals(locals: Option<Arc<Binding>>) -> EnteredLocals {
    EnteredLocals { previous: LOCALS.with(|l| l.replace(locals)) }
}

/// Restores the previous bindings when dropped.
struct EnteredLocals {
    /// The bindings that were current before.
    previous: Option<Arc<Binding>>,
}

impl Drop for EnteredLocals {
    fn drop(&mut self) {
        let previous = self.previous.take();
        // `try_with`: during thread teardown the slot may be gone already.
        let _ = LOCALS.try_with(|l| *l.borrow_mut() = previous);
    }
}
