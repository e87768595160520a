//! Model checks (loom) of the pool's hand-off, on the real code: a job queued
//! by `Pool::submit`, taken by a worker thread the pool starts, its result put
//! in the task's slot and the awaiting task woken through the real `block_on`
//! parker; and a cancellation (the future dropped) racing the job's start.
//!
//! `RUSTFLAGS="--cfg loom" cargo test -p twoworlds-runtime --release --lib loom`

use std::sync::Arc;

use loom::sync::atomic::{AtomicUsize, Ordering};

use super::task::{Task, Unblocked};
use super::workers::Pool;
use crate::block_on::block_on_model;

/// A pool of one thread for one model run (leaked: its threads borrow it).
fn pool() -> &'static Pool {
    pool_of(1)
}

/// A pool of at most `max` threads for one model run.
fn pool_of(max: usize) -> &'static Pool {
    Box::leak(Box::new(Pool::new(max)))
}

/// Waits until every thread of `pool` has exited (after [`Pool::close`]).
fn wait_exited(pool: &Pool) {
    while pool.live_threads() > 0 {
        loom::thread::yield_now();
    }
}

/// Counts its drops: proves a value is dropped exactly once.
struct Token(Arc<AtomicUsize>);

impl Drop for Token {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// Queued → taken by a worker → result slot → waker → the awaiting
/// `block_on` wakes and returns the value.
#[test]
fn loom_pool_handoff() {
    crate::sync::model("pool_handoff", || {
        let pool = pool();
        let task = Task::new(|| 7);
        let _ = pool.submit(task.clone(), true);
        assert_eq!(block_on_model(Unblocked::new(task, None)), 7);
        pool.close();
        wait_exited(pool);
    });
}

/// Two jobs on a one-thread pool: the second waits in the queue and is taken
/// by the same worker (or by one started meanwhile); both results arrive.
#[test]
fn loom_pool_two_jobs() {
    crate::sync::model("pool_two_jobs", || {
        let pool = pool();
        let (a, b) = (Task::new(|| 1), Task::new(|| 2));
        let _ = pool.submit(a.clone(), true);
        let _ = pool.submit(b.clone(), true);
        let sum =
            block_on_model(async { Unblocked::new(a, None).await + Unblocked::new(b, None).await });
        assert_eq!(sum, 3);
        pool.close();
        wait_exited(pool);
    });
}

/// A job submitted once the previous one's result is in, on a pool that may
/// grow to two threads: the thread that ran the first counts itself ready
/// before delivering its result, so the second is never given a new thread,
/// in any interleaving (the affinity of `loop { unblock(..).await }`).
#[test]
fn loom_pool_sequential_jobs_use_one_thread() {
    crate::sync::model("pool_sequential_jobs_use_one_thread", || {
        let pool = pool_of(2);
        let first = Task::new(|| 1);
        let _ = pool.submit(first.clone(), true);
        assert_eq!(block_on_model(Unblocked::new(first, None)), 1);
        let second = Task::new(|| 2);
        let _ = pool.submit(second.clone(), true);
        assert_eq!(block_on_model(Unblocked::new(second, None)), 2);
        assert_eq!(pool.peak_threads(), 1);
        pool.close();
        wait_exited(pool);
    });
}

/// Dropping the future races the worker starting the job: a job still
/// queued is cancelled and never runs, a job taken runs once, and what the
/// closure owns (here returned as the result) is dropped exactly once — with
/// the cancelled queue entry, or as the discarded result.
#[test]
fn loom_pool_cancel_races_start() {
    crate::sync::model("pool_cancel_races_start", || {
        let pool = pool();
        let (runs, drops) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let token = Token(Arc::clone(&drops));
        let counted = Arc::clone(&runs);
        let task = Task::new(move || {
            counted.fetch_add(1, Ordering::SeqCst);
            token
        });
        let _ = pool.submit(task.clone(), true);
        let unblocked = Unblocked::new(task, None);
        // What dropping the future does, telling whether the job was queued.
        let cancelled = unblocked.detach();
        drop(unblocked);
        pool.close();
        wait_exited(pool);
        assert_eq!(runs.load(Ordering::SeqCst), usize::from(!cancelled));
        assert_eq!(drops.load(Ordering::SeqCst), 1);
    });
}
