//! asgiref's `tests/test_sync.py` thread-sensitive and nesting scenarios,
//! ported one test each under the original name.
//!
//! asgiref's `sync_to_async` (thread-sensitive by default) is
//! `unblock_thread_sensitive` here, `sync_to_async(thread_sensitive=False)` is
//! `unblock`, `async_to_sync` is `block_on`, `asyncio.create_task` is a task
//! spawned on a tokio runtime with the caller's `CallContext` (Python copies
//! the context into a new task implicitly), and pytest-asyncio's "outermost
//! code is async" is a tokio runtime's `block_on`.

#![allow(
    clippy::async_yields_async,
    reason = "the nested_task scenarios return un-awaited futures (asgiref's tasks) on purpose"
)]

mod deadline;

use std::thread::{self, ThreadId};

use deadline::{tokio_runtime, with_deadline};
use twoworlds::{CallContext, block_on, thread_sensitive_scope, unblock, unblock_thread_sensitive};

/// The id of the thread running the caller.
fn here() -> ThreadId {
    thread::current().id()
}

/// A thread-sensitive call that reports the thread it ran on.
async fn ts_thread() -> ThreadId {
    unblock_thread_sensitive(here).await
}

#[test]
fn thread_sensitive_outside_sync() {
    with_deadline("thread_sensitive_outside_sync", || {
        let rt = tokio_runtime();
        let (inner, inner_task) = block_on(async {
            let inner = ts_thread().await;
            // A task polled by a tokio worker still belongs to this call.
            let task = rt.spawn(CallContext::current().scope(ts_thread()));
            (inner, task.await.expect("task"))
        });
        assert_eq!(inner, here());
        assert_eq!(inner_task, here());
    });
}

#[test]
fn thread_sensitive_outside_async() {
    with_deadline("thread_sensitive_outside_async", || {
        let rt = tokio_runtime();
        let (r1, r2) = rt.block_on(async {
            // outer (thread-sensitive) → middle (block_on) → inner (thread-sensitive)
            let outer = unblock_thread_sensitive(|| block_on(ts_thread()));
            let t1 = tokio::spawn(outer);
            let t2 = tokio::spawn(ts_thread());
            (t1.await.expect("outer"), t2.await.expect("inner"))
        });
        // Not the outer thread, but one shared thread.
        assert_ne!(r1, here());
        assert_eq!(r1, r2);
    });
}

#[test]
fn thread_sensitive_double_nested_sync() {
    with_deadline("thread_sensitive_double_nested_sync", || {
        // level1 (block_on) → level2 (ts) → level3 (block_on) → level4 (ts)
        let level4 = block_on(async {
            unblock_thread_sensitive(|| block_on(async { ts_thread().await })).await
        });
        assert_eq!(level4, here());
    });
}

#[test]
fn thread_sensitive_double_nested_async() {
    with_deadline("thread_sensitive_double_nested_async", || {
        let rt = tokio_runtime();
        // level1 (ts) → level2 (block_on) → level3 (ts) → level4 (block_on).
        // asgiref runs level4 on the outer event loop's thread; `block_on`
        // runs a future on its caller, so here every level shares level1's
        // thread — the property the scenario protects.
        let (level1, level3, level4) = rt.block_on(unblock_thread_sensitive(|| {
            let level1 = here();
            let (level3, level4) =
                block_on(unblock_thread_sensitive(|| (here(), block_on(async { here() }))));
            (level1, level3, level4)
        }));
        assert_ne!(level1, here());
        assert_eq!(level3, level1);
        assert_eq!(level4, level1);
    });
}

#[test]
fn thread_sensitive_disabled() {
    with_deadline("thread_sensitive_disabled", || {
        let inner = block_on(unblock(here));
        assert_ne!(inner, here());
    });
}

#[test]
fn thread_sensitive_with_context_matches() {
    with_deadline("thread_sensitive_with_context_matches", || {
        let rt = tokio_runtime();
        let (r1, r2, name) = rt.block_on(thread_sensitive_scope(async {
            let t1 = tokio::spawn(CallContext::current().scope(ts_thread()));
            let t2 = tokio::spawn(CallContext::current().scope(ts_thread()));
            let name = unblock_thread_sensitive(|| thread::current().name().map(str::to_owned));
            (t1.await.expect("t1"), t2.await.expect("t2"), name.await)
        }));
        assert_ne!(r1, here());
        assert_eq!(r1, r2);
        assert_eq!(name.as_deref(), Some("twoworlds-thread-sensitive-scope"));
    });
}

#[test]
fn thread_sensitive_nested_context() {
    with_deadline("thread_sensitive_nested_context", || {
        let rt = tokio_runtime();
        let (r1, r2) = rt.block_on(thread_sensitive_scope(async {
            let r1 = ts_thread().await;
            let r2 = thread_sensitive_scope(ts_thread()).await;
            (r1, r2)
        }));
        assert_ne!(r1, here());
        assert_eq!(r1, r2);
    });
}

#[test]
fn sync_to_async_deadlock_ignored_with_exception() {
    with_deadline("sync_to_async_deadlock_ignored_with_exception", || {
        let rt = tokio_runtime();
        rt.block_on(async {
            for _ in 0..2 {
                // `view` raises; the awaiting task gets that panic, and the
                // second call is not refused as a deadlock.
                let view =
                    tokio::spawn(unblock_thread_sensitive(|| -> () { panic!("ValueError") }));
                let payload = view.await.expect_err("view panics").into_panic();
                assert_eq!(payload.downcast_ref::<&str>(), Some(&"ValueError"));
            }
        });
    });
}

#[test]
fn async_to_sync_in_async() {
    with_deadline("async_to_sync_in_async", || {
        let err = block_on(async { twoworlds::try_block_on(async { 84 }) }).expect_err("refused");
        let message = err.to_string();
        assert!(message.contains("twoworlds::block_on"), "{message}");
        assert!(message.contains("made from async code"), "{message}");
        assert!(message.contains(".await"), "{message}");
    });
}

#[cfg(feature = "tokio")]
#[test]
fn async_to_sync_to_async() {
    with_deadline("async_to_sync_to_async", || {
        let rt = tokio_runtime();
        let (outer, inner) = rt.block_on(async {
            let outer = tokio::runtime::Handle::current().id();
            let inner = unblock(|| block_on(async { tokio::runtime::Handle::current().id() }));
            (outer, inner.await)
        });
        // It didn't needlessly make a new runtime.
        assert_eq!(outer, inner);
    });
}

/// asgiref's `inner`: returns a thread-sensitive "task" made inside a nested
/// `block_on` and not awaited there.
#[allow(clippy::unused_async, reason = "asgiref's `inner` is a coroutine run by `async_to_sync`")]
async fn inner() -> impl Future<Output = &'static str> + Send + 'static {
    unblock_thread_sensitive(|| "inner")
}

#[test]
fn nested_task() {
    with_deadline("nested_task", || {
        let out = block_on(async {
            let task = unblock_thread_sensitive(|| block_on(inner())).await;
            // The frame that queued it has returned: it runs on the next live
            // one up, this thread.
            task.await
        });
        assert_eq!(out, "inner");
    });
}

#[test]
fn nested_task_later() {
    with_deadline("nested_task_later", || {
        let out = block_on(async {
            let later = unblock_thread_sensitive(|| {
                block_on(async {
                    // Like `loop.call_later`: run later in this call's context.
                    let ctx = CallContext::current();
                    async move {
                        unblock(|| thread::sleep(std::time::Duration::from_millis(100))).await;
                        ctx.run(|| unblock_thread_sensitive(|| (here(), "later"))).await
                    }
                })
            })
            .await;
            later.await
        });
        assert_eq!(out, (here(), "later"));
    });
}

#[test]
fn double_nested_task() {
    with_deadline("double_nested_task", || {
        let out = block_on(async {
            let outer = unblock_thread_sensitive(|| {
                block_on(async { unblock_thread_sensitive(|| block_on(inner())) })
            })
            .await;
            let inner_task = outer.await;
            inner_task.await
        });
        assert_eq!(out, "inner");
    });
}
