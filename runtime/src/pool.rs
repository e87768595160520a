//! `unblock`: sync → async. Runs a blocking closure on a bounded thread pool
//! and lets async code await its result.
//!
//! This module owns the pool (`workers`: its threads, queue and bounds), one
//! call's job and result slot (`task`), and the pool's counters (`stats`). A
//! job carries its caller's [`CallContext`](crate::CallContext). The pool
//! learns that one of its threads waits in `block_on` through the wait hook
//! it installs on each of them (`crate::block_on::set_wait_hook`).

#[cfg(all(test, loom))]
mod loom;
mod stats;
mod task;
mod workers;

use std::future::Future;

pub use stats::{PoolStats, pool_stats};
pub use workers::{
    DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_THREADS, MAX_THREADS_ENV, max_threads, set_idle_timeout,
    set_max_threads,
};

/// Runs the blocking closure `f` on the pool and resolves to its return value,
/// so async code can call sync code without stalling its event loop.
///
/// - **The pool** grows on demand up to [`max_threads`] threads (default
///   [`DEFAULT_MAX_THREADS`]; env var `TWOWORLDS_MAX_THREADS`;
///   [`set_max_threads`]), named `twoworlds-N`. More jobs than threads wait in
///   a queue, oldest first. A thread idle for [`DEFAULT_IDLE_TIMEOUT`] (see
///   [`set_idle_timeout`]) exits.
/// - **Panics**: a panic in `f` is caught on the pool thread, which survives
///   and serves the next job; awaiting the future resumes the panic with the
///   original payload.
/// - **Cancellation**: dropping the future before `f` starts removes the job:
///   `f` is dropped and never runs. Once `f` has started it runs to the end
///   (a thread cannot be interrupted) and its result is dropped.
/// - **Context**: the caller's context (see the crate docs) is visible inside
///   `f`; with feature `tokio`, so is the caller's tokio runtime, so a
///   [`block_on`](crate::block_on) inside `f` runs in it.
/// - **Short jobs**: on an idle multi-core machine, where waking a sleeping
///   thread costs tens of µs, a pool thread back from a job spins for the
///   next one for a few µs, and the future's first poll spins for the result
///   of a job handed to such a thread (at most 50 µs, holding the task's
///   thread meanwhile), so a short job's round trip wakes no sleeping thread.
///   Both happen only while they have made recent round trips at least a
///   third shorter, measured as the program runs: on a busy machine they
///   park at once, as tokio's blocking pool does.
/// - **Process exit** never waits for the pool: its threads are not joined,
///   and jobs still queued or running when `main` returns are abandoned.
///
/// ```
/// # twoworlds_runtime::block_on(async {
/// let n = twoworlds_runtime::unblock(|| 40 + 2).await;
/// assert_eq!(n, 42);
/// # });
/// ```
///
/// Anything but a closure or fn is a compile error:
///
/// ```compile_fail
/// let not_a_function = twoworlds_runtime::unblock(1);
/// ```
pub fn unblock<T, F>(f: F) -> impl Future<Output = T> + Send + 'static
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    unblock_named("twoworlds::unblock", f)
}

/// [`unblock`] on behalf of a generated async twin named `twin`.
///
/// ```
/// let n = twoworlds_runtime::block_on(twoworlds_runtime::__private::unblock_named("two_async", || 2));
/// assert_eq!(n, 2);
/// ```
#[doc(hidden)]
pub fn unblock_named<T, F>(twin: &'static str, f: F) -> impl Future<Output = T> + Send + 'static
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    // The name is not needed yet: pool errors name `twoworlds::unblock`.
    let _ = twin;
    let task = task::Task::new(f);
    let handoff = workers::submit(task.clone());
    task::Unblocked::new(task, handoff)
}

/// Runs `f` on the pool with nobody awaiting it: unlike [`unblock`], the job
/// is never cancelled, and its result (or panic) is dropped on the pool
/// thread. The stream and I/O adapters use it for work that must happen even
/// after their handle is gone (writing what a writer accepted, dropping an
/// iterator or file off the async thread). `f` is dropped unrun only when no
/// pool thread can be started.
pub(crate) fn spawn_detached<F>(f: F)
where
    F: FnOnce() + Send + 'static,
{
    workers::submit_detached(task::Task::new(f));
}
