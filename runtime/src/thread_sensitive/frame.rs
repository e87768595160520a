//! `block_on` frames: a thread blocked in `block_on` serves the
//! thread-sensitive work of its logical call while it waits (asgiref's
//! `CurrentThreadExecutor`). Frames stack per thread.
//!
//! `block_on` registers one on every call, so the common case — no
//! thread-sensitive work at all — must cost next to nothing: a frame nobody
//! captured is kept as a spare and reused by the next `block_on` at the same
//! depth instead of allocating.

use std::cell::RefCell;
use std::sync::Arc;
use std::thread;

use super::executor::{Executor, submit_chain};
use crate::context;

/// This thread's frames.
struct Frames {
    /// Frames by depth; `stack[..live]` are running, the rest are spares.
    stack: Vec<Arc<Executor>>,
    /// How many frames are running.
    live: usize,
}

thread_local! {
    /// The `block_on` frames of this thread, innermost last.
    static FRAMES: RefCell<Frames> = const { RefCell::new(Frames { stack: Vec::new(), live: 0 }) };
}

impl Frames {
    /// Pushes a running frame whose work goes to `parent` once it returns:
    /// the spare at this depth if nobody else holds it, else a new one.
    fn push(&mut self, parent: Option<Arc<Executor>>) -> Arc<Executor> {
        let depth = self.live;
        self.live += 1;
        if parent.is_none()
            && let Some(spare) = self.stack.get(depth)
            && Arc::strong_count(spare) == 1
            && spare.parent().is_none()
        {
            spare.reopen();
            return Arc::clone(spare);
        }
        let frame = Executor::new(thread::current(), parent);
        if depth < self.stack.len() {
            self.stack[depth] = Arc::clone(&frame);
        } else {
            self.stack.push(Arc::clone(&frame));
        }
        frame
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
                .find_map(|f| f.pop().map(|job| (job, Arc::clone(f))))
        });
        match job {
            Some((job, frame)) => job.run(&frame),
            None => return,
        }
    }
}

/// A `block_on` call registered as a thread-sensitive executor for as long
/// as it runs. `block_on` holds one: `let _frame = ExecutorFrame::enter();`.
pub(crate) struct ExecutorFrame {
    /// The frame, if this `block_on` serves the logical call's work.
    frame: Option<Arc<Executor>>,
    /// The context's executor before, restored on drop.
    previous: Option<Arc<Executor>>,
}

impl ExecutorFrame {
    /// Registers the calling `block_on`. It becomes the executor of the
    /// logical call unless the call already has a home on another thread:
    /// a live outer `block_on` there (a sync-outermost program keeps all its
    /// thread-sensitive work on its own thread), or — with no such frame — the
    /// thread of the scope the call is in.
    pub(crate) fn enter() -> Self {
        let (outer, scope) = context::with_current(|c| (c.executor.clone(), c.scope.clone()));
        if outer.is_some() || scope.is_some() {
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
                return ExecutorFrame { frame: None, previous: None };
            }
        }
        let frame = FRAMES.with(|frames| frames.borrow_mut().push(outer));
        let previous = context::swap_executor(Some(Arc::clone(&frame)));
        ExecutorFrame { frame: Some(frame), previous }
    }
}

impl Drop for ExecutorFrame {
    fn drop(&mut self) {
        let Some(frame) = self.frame.take() else { return };
        let _ = context::try_swap_executor(self.previous.take());
        let _ = FRAMES.try_with(|frames| {
            let mut frames = frames.borrow_mut();
            frames.live = frames.live.saturating_sub(1);
        });
        // Only this guard and the frame stack hold it: nobody can have queued
        // work or reach it any more, so it stays open as a spare.
        if Arc::strong_count(&frame) == 2 {
            return;
        }
        // Work that arrived too late for this frame goes up the chain; with
        // nothing live above, dropping the job reports the error to its caller.
        for job in frame.close() {
            if let Some(parent) = frame.parent() {
                let _ = submit_chain(parent, job, "", &[]);
            }
        }
    }
}
