//! Thread-sensitive execution beyond asgiref's scenarios: deadlock detection,
//! work that outlives its `block_on`, panics, cancellation, serialization and
//! `#[bridge(thread_sensitive)]`.

#![allow(
    clippy::async_yields_async,
    reason = "some tests return un-awaited futures from block_on on purpose"
)]

mod deadline;

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::{self, ThreadId};
use std::time::Duration;

use deadline::{tokio_runtime, with_deadline};
use futures_lite::future::poll_once;
use twoworlds::{
    CallContext, block_on, try_unblock_thread_sensitive, unblock, unblock_thread_sensitive,
};

/// The id of the thread running the caller.
fn here() -> ThreadId {
    thread::current().id()
}

#[test]
fn waiting_on_own_thread_without_block_on_is_a_deadlock_error() {
    with_deadline("deadlock", || {
        let rt = tokio_runtime();
        let err = rt.block_on(unblock_thread_sensitive(|| {
            // Another executor's block_on does not serve thread-sensitive work:
            // the inner call would wait for this very thread.
            futures_lite::future::block_on(try_unblock_thread_sensitive(|| 1))
        }));
        let err = err.expect_err("refused");
        assert!(err.is_deadlock());
        let message = err.to_string();
        assert!(message.contains("would deadlock"), "{message}");
        assert!(message.contains("`twoworlds::try_unblock_thread_sensitive`"), "{message}");
        assert!(message.contains("busy running the thread-sensitive call"), "{message}");
        assert!(message.contains("twoworlds::block_on"), "{message}");
        // The marker is cleared once the outer call returned.
        assert_eq!(rt.block_on(unblock_thread_sensitive(|| 2)), 2);
    });
}

#[test]
fn deadlock_panics_in_the_awaiting_task_with_the_twin_name() {
    with_deadline("deadlock_panic", || {
        let rt = tokio_runtime();
        let payload = rt
            .block_on(rt.spawn(unblock_thread_sensitive(|| {
                futures_lite::future::block_on(unblock_thread_sensitive(|| 1))
            })))
            .expect_err("panics")
            .into_panic();
        let message = payload.downcast_ref::<String>().expect("a message");
        assert!(
            message.contains("`twoworlds::unblock_thread_sensitive` would deadlock"),
            "{message}"
        );
    });
}

#[test]
fn deadlock_marker_is_cleared_on_panic() {
    with_deadline("marker_cleared_on_panic", || {
        let rt = tokio_runtime();
        let stash = Arc::new(std::sync::Mutex::new(None));
        let keep = Arc::clone(&stash);
        let job = rt.spawn(unblock_thread_sensitive(move || {
            *keep.lock().unwrap() = Some(CallContext::current());
            panic!("boom");
        }));
        let payload = rt.block_on(job).expect_err("panics").into_panic();
        assert_eq!(payload.downcast_ref::<&str>(), Some(&"boom"));
        // A call made in the panicked job's context is not refused later.
        let ctx = stash.lock().unwrap().take().expect("stashed");
        let late = ctx.run(|| try_unblock_thread_sensitive(|| 3));
        assert_eq!(rt.block_on(late).expect("runs"), 3);
    });
}

#[test]
fn work_after_every_block_on_returned_is_an_error_not_a_hang() {
    with_deadline("no_executor", || {
        let rt = tokio_runtime();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = block_on(async {
            let work = async move {
                rx.await.unwrap();
                try_unblock_thread_sensitive(|| 1).await
            };
            rt.spawn(CallContext::current().scope(work))
        });
        tx.send(()).unwrap();
        let err = rt.block_on(task).unwrap().expect_err("no thread left");
        assert!(!err.is_deadlock());
        assert_eq!(err.function(), "twoworlds::try_unblock_thread_sensitive");
        assert!(err.to_string().contains("has already returned"), "{err}");
    });
}

#[test]
fn work_after_inner_block_on_returned_goes_to_the_next_live_one() {
    with_deadline("next_live_frame", || {
        let rt = tokio_runtime();
        let ran_on = block_on(async {
            let (tx, rx) = tokio::sync::oneshot::channel::<()>();
            let handle = rt.handle().clone();
            let task = unblock_thread_sensitive(move || {
                block_on(async move {
                    let work = async move {
                        rx.await.unwrap();
                        unblock_thread_sensitive(here).await
                    };
                    handle.spawn(CallContext::current().scope(work))
                })
            })
            .await;
            // The inner block_on has returned; the outer one is still live.
            tx.send(()).unwrap();
            task.await.unwrap()
        });
        assert_eq!(ran_on, here());
    });
}

#[test]
fn job_queued_on_a_returning_block_on_moves_to_the_next_live_one() {
    with_deadline("leftover_job", || {
        let ran_on = block_on(async {
            let queued = unblock_thread_sensitive(|| {
                block_on(async {
                    let mut job = Box::pin(unblock_thread_sensitive(here));
                    // Queued on this inner block_on, which returns right away.
                    assert!(poll_once(&mut job).await.is_none());
                    job
                })
            })
            .await;
            queued.await
        });
        assert_eq!(ran_on, here());
    });
}

#[test]
fn panic_resumes_in_the_awaiting_task_with_its_payload() {
    with_deadline("panic_payload", || {
        let payload = std::panic::catch_unwind(|| {
            block_on(unblock_thread_sensitive(|| -> u8 { std::panic::panic_any(7_u32) }))
        })
        .expect_err("panics");
        assert_eq!(payload.downcast_ref::<u32>(), Some(&7));
        // The executor survives.
        assert_eq!(block_on(unblock_thread_sensitive(here)), here());
    });
}

#[test]
fn dropping_the_future_before_it_starts_cancels_the_call() {
    with_deadline("cancel", || {
        let ran = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&ran);
        block_on(async move {
            let mut first =
                Box::pin(unblock_thread_sensitive(move || flag.store(true, Ordering::SeqCst)));
            assert!(poll_once(&mut first).await.is_none());
            drop(first);
            // Queued after the first: by the time it ran, the first was skipped.
            unblock_thread_sensitive(|| ()).await;
        });
        assert!(!ran.load(Ordering::SeqCst));
    });
}

#[test]
fn calls_are_serialized() {
    with_deadline("serialized", || {
        static RUNNING: AtomicUsize = AtomicUsize::new(0);
        static MAX: AtomicUsize = AtomicUsize::new(0);
        let rt = tokio_runtime();
        rt.block_on(async {
            let calls: Vec<_> = (0..8)
                .map(|_| {
                    tokio::spawn(unblock_thread_sensitive(|| {
                        let now = RUNNING.fetch_add(1, Ordering::SeqCst) + 1;
                        MAX.fetch_max(now, Ordering::SeqCst);
                        thread::sleep(Duration::from_millis(5));
                        RUNNING.fetch_sub(1, Ordering::SeqCst);
                    }))
                })
                .collect();
            for call in calls {
                call.await.unwrap();
            }
        });
        assert_eq!(MAX.load(Ordering::SeqCst), 1);
    });
}

thread_local! {
    /// A `!Send` resource that only exists on the thread that created it.
    static LOG: Rc<RefCell<Vec<u32>>> = Rc::new(RefCell::new(Vec::new()));
}

/// Appends to this thread's log and reports the thread and the log length.
#[twoworlds::bridge(thread_sensitive)]
fn log_push(value: u32) -> (ThreadId, usize) {
    LOG.with(|log| {
        log.borrow_mut().push(value);
        (here(), log.borrow().len())
    })
}

#[test]
fn bridge_thread_sensitive_twin_runs_on_the_outer_thread() {
    with_deadline("bridge_twin", || {
        let results = block_on(async {
            let a = log_push_async(1).await;
            // Through a pool thread and back: still the outer thread.
            let b = unblock(|| block_on(log_push_async(2))).await;
            (a, b)
        });
        assert_eq!(results, ((here(), 1), (here(), 2)));
        assert_eq!(LOG.with(|log| log.borrow().clone()), [1, 2]);
    });
}

#[test]
fn scope_keeps_work_on_its_thread_through_pool_and_block_on() {
    with_deadline("scope_through_pool", || {
        let rt = tokio_runtime();
        let (direct, through_pool, nested) =
            rt.block_on(twoworlds::thread_sensitive_scope(async {
                let direct = unblock_thread_sensitive(here).await;
                // async → sync (pool) → async → thread-sensitive: still the scope's thread.
                let through_pool = unblock(|| block_on(unblock_thread_sensitive(here))).await;
                // async → thread-sensitive → async → thread-sensitive: served by the
                // scope thread's own block_on while it waits.
                let nested =
                    unblock_thread_sensitive(|| block_on(unblock_thread_sensitive(here))).await;
                (direct, through_pool, nested)
            }));
        assert_ne!(direct, here());
        assert_eq!(through_pool, direct);
        assert_eq!(nested, direct);
    });
}

/// sync → async → thread-sensitive sync → … `depth` times; returns the
/// threads every thread-sensitive level ran on.
fn nest(depth: u32) -> Vec<ThreadId> {
    if depth == 0 {
        return Vec::new();
    }
    block_on(unblock_thread_sensitive(move || {
        let mut threads = vec![here()];
        threads.extend(nest(depth - 1));
        threads
    }))
}

#[test]
fn deep_nesting_stays_on_one_thread_and_completes() {
    with_deadline("deep_nesting", || {
        assert_eq!(nest(12), vec![here(); 12]);
        // Async outermost: every level on the one dedicated thread.
        let threads = tokio_runtime().block_on(unblock_thread_sensitive(|| nest(12)));
        assert_eq!(threads.len(), 12);
        assert!(threads.iter().all(|t| *t == threads[0] && *t != here()));
    });
}

#[test]
fn many_concurrent_nested_requests_complete() {
    with_deadline("concurrent_requests", || {
        let rt = tokio_runtime();
        let results = rt.block_on(async {
            let requests: Vec<_> = (0..32_u32)
                .map(|i| {
                    let request = async move {
                        let home = unblock_thread_sensitive(here).await;
                        let via_pool =
                            unblock(move || block_on(unblock_thread_sensitive(here))).await;
                        let nested = unblock_thread_sensitive(|| nest(3)).await;
                        (home, via_pool, nested)
                    };
                    if i % 2 == 0 {
                        tokio::spawn(twoworlds::thread_sensitive_scope(request))
                    } else {
                        tokio::spawn(request)
                    }
                })
                .collect();
            let mut results = Vec::new();
            for request in requests {
                results.push(request.await.unwrap());
            }
            results
        });
        for (i, (home, via_pool, nested)) in results.into_iter().enumerate() {
            assert_eq!(nested, vec![home; 3], "request {i}");
            if i % 2 == 0 {
                // In a scope, the pool thread's block_on defers to the scope thread.
                assert_eq!(via_pool, home, "request {i}");
            }
        }
    });
}
