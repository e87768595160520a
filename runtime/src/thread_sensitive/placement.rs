//! The *placement* of a logical call: which `block_on` frame, scope or job it
//! is inside, i.e. where its thread-sensitive work goes. Each thread has a
//! current placement, captured and entered by the bridges along with the
//! call's bindings (see `crate::context`).
//!
//! Every function here registers the thread's pending `block_on` frames before
//! it reads or replaces the placement (see `frame::LazyFrame`): a frame
//! registered late then sees the placement it would have seen at the start.

use std::cell::RefCell;
use std::sync::Arc;

use super::executor::{Executor, JobMarker};
use super::frame::{materialize_frame, register_pending_frames};
use super::scope::Scope;

/// Where the thread-sensitive work of a logical call goes, as seen on one
/// thread. Immutable: every change makes a new value, so a capture is a
/// handful of `Arc` clones.
#[derive(Clone, Default)]
pub(crate) struct Placement {
    /// The `block_on` frame that serves thread-sensitive work of this call.
    pub(crate) executor: Option<Arc<Executor>>,
    /// Instead of `executor`: the frame at this depth of the current thread,
    /// made into an `Arc` only when the placement is captured (so a `block_on`
    /// that nobody captures costs no allocation and no atomic operation).
    pub(crate) local_frame: Option<usize>,
    /// The thread-sensitive scope the call is inside, if any.
    pub(crate) scope: Option<Arc<Scope>>,
    /// The thread-sensitive job this call is running inside, if any.
    pub(crate) job: Option<Arc<JobMarker>>,
}

thread_local! {
    /// The placement of whatever runs on this thread right now.
    static CURRENT: RefCell<Placement> = const {
        RefCell::new(Placement { executor: None, local_frame: None, scope: None, job: None })
    };
}

/// This thread's current placement, fit to be captured (a frame of this
/// thread becomes an `Arc` that other threads can queue work on).
pub(crate) fn capture() -> Placement {
    register_pending_frames();
    let mut placement = CURRENT.with(|c| c.borrow().clone());
    if let Some(depth) = placement.local_frame.take() {
        placement.executor = materialize_frame(depth);
    }
    placement
}

/// This thread's current placement, for re-entering on this same thread while
/// the current one is still in force (no capture).
pub(crate) fn current_here() -> Placement {
    register_pending_frames();
    CURRENT.with(|c| c.borrow().clone())
}

/// Runs `f` with a reference to this thread's current placement.
pub(crate) fn with_current<R>(f: impl FnOnce(&Placement) -> R) -> R {
    register_pending_frames();
    CURRENT.with(|c| f(&c.borrow()))
}

/// The executor fields of a placement: `(executor, local_frame)`.
pub(crate) type ExecutorFields = (Option<Arc<Executor>>, Option<usize>);

/// Replaces the executor fields of this thread's placement, returning the
/// previous ones (for `block_on` frames, which only change those). Called by
/// the frame registration itself, so it registers nothing.
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

/// Makes `placement` the current one until the returned guard drops (also on
/// panic), then restores the previous one.
pub(crate) fn enter(placement: Placement) -> Entered {
    register_pending_frames();
    let previous = CURRENT.with(|c| c.replace(placement));
    Entered { previous: Some(previous) }
}

/// Restores the previous placement when dropped.
pub(crate) struct Entered {
    /// The placement that was current before [`enter`].
    previous: Option<Placement>,
}

impl Drop for Entered {
    fn drop(&mut self) {
        if let Some(previous) = self.previous.take() {
            // `try_with`: during thread teardown the slot may be gone already.
            let _ = CURRENT.try_with(|c| *c.borrow_mut() = previous);
        }
    }
}

/// Everything of a logical call that a bridge carries from one thread to
/// another: its bindings (`crate::context`) and its placement.
#[derive(Clone)]
pub(crate) struct Snapshot {
    /// The [`ContextLocal`](crate::ContextLocal) bindings (and span).
    pub(crate) bindings: crate::context::Captured,
    /// Where its thread-sensitive work goes.
    pub(crate) placement: Placement,
}

impl Snapshot {
    /// Captures the logical call running on this thread.
    pub(crate) fn capture() -> Self {
        Snapshot { placement: capture(), bindings: crate::context::capture() }
    }

    /// Runs `f` inside the captured call, then restores what was current.
    pub(crate) fn run<R>(&self, f: impl FnOnce() -> R) -> R {
        let _entered = enter(self.placement.clone());
        self.bindings.run(f)
    }

    /// Like [`Snapshot::run`], with `job` as the thread-sensitive job that the
    /// call is inside (for deadlock detection).
    pub(crate) fn run_as_job<R>(&self, job: Arc<JobMarker>, f: impl FnOnce() -> R) -> R {
        let mut placement = self.placement.clone();
        placement.job = Some(job);
        let _entered = enter(placement);
        self.bindings.run(f)
    }
}
