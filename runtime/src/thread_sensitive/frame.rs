//! `block_on` frames: a thread blocked in `block_on` serves the
//! thread-sensitive work of its logical call while it waits (asgiref's
//! `CurrentThreadExecutor`). Frames stack per thread.
//!
//! `block_on` registers one on every call, so the common case — no
//! thread-sensitive work at all — must cost next to nothing: a frame nobody
//! captured is kept as a spare and reused by the next `block_on` at the same
//! depth instead of allocating.

use std::cell::{Cell, RefCell};
use std::marker::PhantomData;
use std::sync::Arc;
use std::thread;

use super::executor::{Executor, submit_chain};
use super::placement;

/// This thread's frames.
struct Frames {
    /// Frames by depth; `stack[..live]` are running, the rest are spares. A
    /// running frame is `None` until its context is first captured.
    stack: Vec<Option<Arc<Executor>>>,
    /// How many frames are running.
    live: usize,
}

thread_local! {
    /// The `block_on` frames of this thread, innermost last.
    static FRAMES: RefCell<Frames> = const { RefCell::new(Frames { stack: Vec::new(), live: 0 }) };
}

impl Frames {
    /// Pushes a running frame, keeping the spare at this depth if nobody else
    /// holds it; returns its depth.
    fn push(&mut self) -> usize {
        let depth = self.live;
        self.live += 1;
        if depth == self.stack.len() {
            self.stack.push(None);
        } else if let Some(spare) = &self.stack[depth] {
            if Arc::strong_count(spare) == 1 && spare.parent().is_none() {
                spare.reopen();
            } else {
                self.stack[depth] = None;
            }
        }
        depth
    }
}

/// The frame at `depth` of this thread as an `Arc`, made on first use (when a
/// context that refers to it is captured).
pub(crate) fn materialize_frame(depth: usize) -> Option<Arc<Executor>> {
    FRAMES.with(|frames| {
        let mut frames = frames.borrow_mut();
        let slot = frames.stack.get_mut(depth)?;
        Some(Arc::clone(slot.get_or_insert_with(|| Executor::new(thread::current(), None))))
    })
}

thread_local! {
    /// `block_on`s entered on this thread whose frames are not registered
    /// yet: always the innermost ones, registered (outermost first) as soon
    /// as anything reads or replaces the thread's context.
    static PENDING: Cell<usize> = const { Cell::new(0) };
    /// Frames registered late, innermost last.
    static REGISTERED: RefCell<Vec<ExecutorFrame>> = const { RefCell::new(Vec::new()) };
}

/// What `block_on` holds: its [`ExecutorFrame`], registered only if anything
/// looks at the context while the `block_on` runs — a future that completes
/// without capturing or entering a context (the common case) costs two
/// updates of a thread-local counter. Registering later gives the frame
/// `ExecutorFrame::enter` would have given at the start: the thread's context
/// cannot have changed meanwhile, since changing it registers first.
pub(crate) struct LazyFrame {
    /// Tied to the thread whose counter it moved.
    _thread: PhantomData<*const ()>,
}

impl LazyFrame {
    /// Announces a `block_on` frame on this thread.
    #[inline]
    pub(crate) fn enter() -> Self {
        PENDING.with(|pending| pending.set(pending.get() + 1));
        LazyFrame { _thread: PhantomData }
    }
}

impl Drop for LazyFrame {
    #[inline]
    fn drop(&mut self) {
        let pending = PENDING.with(Cell::get);
        if pending > 0 {
            PENDING.with(|p| p.set(pending - 1));
        } else {
            // Registered: the innermost registered frame is this one.
            let frame = REGISTERED.try_with(|r| r.borrow_mut().pop()).ok().flatten();
            drop(frame);
        }
    }
}

/// Registers the frames of this thread's pending `block_on`s (see
/// [`LazyFrame`]); the context functions call it before they read or replace
/// the current context.
#[inline]
pub(crate) fn register_pending_frames() {
    let pending = PENDING.with(Cell::get);
    if pending > 0 {
        register(pending);
    }
}

/// The slow path of [`register_pending_frames`].
#[cold]
fn register(pending: usize) {
    PENDING.with(|p| p.set(0));
    for _ in 0..pending {
        let frame = ExecutorFrame::enter();
        // During thread teardown the frame unregisters at once.
        let _ = REGISTERED.try_with(|r| r.borrow_mut().push(frame));
    }
}

/// Runs the jobs queued on this thread's running `block_on` frames
/// (innermost first). The thread is blocked in all of them, so any may run.
pub(crate) fn run_pending_on_this_thread() {
    loop {
        let job = FRAMES.with(|frames| {
            let frames = frames.borrow();
            frames.stack[..frames.live]
                .iter()
                .rev()
                .flatten()
                .find_map(|f| f.pop().map(|job| (job, Arc::clone(f))))
        });
        match job {
            Some((job, frame)) => job.run(&frame),
            None => return,
        }
    }
}

/// A `block_on` call registered as a thread-sensitive executor for as long
/// as it runs. `block_on` holds a [`LazyFrame`], which makes one on demand.
pub(crate) struct ExecutorFrame {
    /// The frame's depth on this thread, if this `block_on` serves the
    /// logical call's work.
    depth: Option<usize>,
    /// The context's executor fields before, restored on drop.
    previous: placement::ExecutorFields,
}

impl ExecutorFrame {
    /// Registers the calling `block_on`. It becomes the executor of the
    /// logical call unless the call already has a home on another thread:
    /// a live outer `block_on` there (a sync-outermost program keeps all its
    /// thread-sensitive work on its own thread), or — with no such frame — the
    /// thread of the scope the call is in.
    pub(crate) fn enter() -> Self {
        let (outer, local, scope) =
            placement::with_current(|c| (c.executor.clone(), c.local_frame, c.scope.clone()));
        if outer.is_none() && local.is_none() && scope.is_none() {
            // The common case: nothing thread-sensitive around; no allocation.
            let depth = FRAMES.with(|frames| frames.borrow_mut().push());
            let previous = placement::swap_executor((None, Some(depth)));
            return ExecutorFrame { depth: Some(depth), previous };
        }
        let outer = outer.or_else(|| local.and_then(materialize_frame));
        let me = thread::current().id();
        let live = outer.as_ref().and_then(|outer| {
            let mut e = Some(outer);
            while let Some(executor) = e {
                if executor.is_live() {
                    return Some(Some(executor.thread_id()));
                }
                e = executor.parent();
            }
            None
        });
        let home = live.or_else(|| scope.map(|s| s.thread_id()));
        if home.is_some_and(|home| home != Some(me)) {
            return ExecutorFrame { depth: None, previous: (None, None) };
        }
        let frame = Executor::new(thread::current(), outer);
        let depth = FRAMES.with(|frames| {
            let mut frames = frames.borrow_mut();
            let depth = frames.push();
            frames.stack[depth] = Some(Arc::clone(&frame));
            depth
        });
        let previous = placement::swap_executor((Some(frame), None));
        ExecutorFrame { depth: Some(depth), previous }
    }
}

impl Drop for ExecutorFrame {
    fn drop(&mut self) {
        let Some(depth) = self.depth else { return };
        placement::try_swap_executor(std::mem::take(&mut self.previous));
        // A frame nobody captured was never made: nothing can be queued on
        // it. A captured one is closed (even if only the frame stack holds it
        // now: a job may have been queued by someone who let go since); it
        // stays in the stack as a spare, reopened by the next `block_on`.
        let frame = FRAMES.try_with(|frames| {
            let mut frames = frames.borrow_mut();
            frames.live = frames.live.saturating_sub(1);
            frames.stack.get(depth).cloned().flatten()
        });
        let Ok(Some(frame)) = frame else { return };
        let leftover = frame.close();
        if !thread::panicking() {
            // Work this frame accepted but had not run yet (queued after its
            // last look at the queue) runs here and now, on the thread it was
            // queued for, as asgiref runs a finished executor's remaining
            // work. Work that comes later goes up the chain (`submit_chain`).
            for job in leftover {
                job.run(&frame);
            }
            return;
        }
        // Unwinding: run no user code. The work goes up the chain; with
        // nothing live above, dropping the job reports the error to its caller.
        for job in leftover {
            if let Some(parent) = frame.parent() {
                let _ = submit_chain(parent, job, "", &[]);
            }
        }
    }
}
