//! `test_sync.py`: `AsyncSingleThreadContext`, which is
//! [`async_single_thread_scope`] here: successive blocking calls of async code
//! inside it share one event-loop thread of the scope's own.

use std::sync::atomic::{AtomicU32, Ordering};

use crate::deadline::{tokio_runtime, with_deadline};
use crate::support::here;
use twoworlds::{ContextLocal, async_single_thread_scope, unblock};

#[test]
fn async_single_thread_context_matches() {
    with_deadline("async_single_thread_context_matches", || {
        let (r1, r2) = async_single_thread_scope(|lp| {
            (lp.block_on(async { here() }), lp.block_on(async { here() }))
        });
        // Not the calling thread, and one thread for both.
        assert_ne!(r1, here());
        assert_eq!(r1, r2);
    });
}

#[test]
fn async_single_thread_nested_context() {
    with_deadline("async_single_thread_nested_context", || {
        let (r1, r2) = async_single_thread_scope(|lp| {
            let r1 = lp.block_on(async { here() });
            let r2 = async_single_thread_scope(|inner| inner.block_on(async { here() }));
            (r1, r2)
        });
        assert_ne!(r1, here());
        assert_eq!(r1, r2);
    });
}

#[test]
fn async_single_thread_context_without_async_work() {
    with_deadline("async_single_thread_context_without_async_work", || {
        // Nothing to run: no thread is started.
        let started = async_single_thread_scope(twoworlds::AsyncSingleThread::thread_id);
        assert_eq!(started, None);
    });
}

#[test]
fn async_single_thread_context_success_share_context() {
    /// asgiref's `connection` context variable.
    static CONNECTION: ContextLocal<AtomicU32> = ContextLocal::new();
    with_deadline("async_single_thread_context_success_share_context", || {
        CONNECTION.sync_scope(AtomicU32::new(0), || {
            let handler = || async {
                CONNECTION
                    .get()
                    .expect("visible on the loop thread")
                    .fetch_add(1, Ordering::SeqCst);
            };
            async_single_thread_scope(|lp| {
                lp.block_on(handler());
                lp.block_on(handler());
            });
            assert_eq!(CONNECTION.get().unwrap().load(Ordering::SeqCst), 2);
        });
    });
}

#[test]
fn async_single_thread_context_matches_from_async_thread() {
    with_deadline("async_single_thread_context_matches_from_async_thread", || {
        // Sync code reached from async code opens the scope. asgiref runs both
        // calls on the outer event loop's thread; the outer "loop" here is a
        // multi-thread tokio runtime, so both run on the scope's one thread.
        let (r1, r2, sync_thread) = tokio_runtime().block_on(unblock(|| {
            let (r1, r2) = async_single_thread_scope(|lp| {
                (lp.block_on(async { here() }), lp.block_on(async { here() }))
            });
            (r1, r2, here())
        }));
        assert_eq!(r1, r2);
        assert_ne!(r1, sync_thread);
    });
}
