//! Context across bridges beyond asgiref's scenarios: sibling isolation,
//! scopes that end on panic, context in thread-sensitive jobs and pool
//! threads, futures polled on many threads.

mod deadline;

use deadline::{tokio_runtime, with_deadline};
use futures_lite::future::{yield_now, zip};
use twoworlds::{CallContext, ContextLocal, block_on, unblock, unblock_thread_sensitive};

/// Reads a copyable local.
fn get(local: &ContextLocal<u32>) -> Option<u32> {
    local.get().map(|v| *v)
}

#[test]
fn sibling_tasks_do_not_see_each_others_bindings() {
    static N: ContextLocal<u32> = ContextLocal::new();
    with_deadline("siblings", || {
        let sibling = |n| {
            N.scope(n, async move {
                let mut seen = Vec::new();
                for _ in 0..3 {
                    yield_now().await;
                    seen.push(get(&N));
                    seen.push(unblock(|| get(&N)).await);
                }
                seen
            })
        };
        let (a, b) = block_on(zip(sibling(1), sibling(2)));
        assert_eq!(a, [Some(1); 6]);
        assert_eq!(b, [Some(2); 6]);
        assert_eq!(get(&N), None);
    });
}

#[test]
fn binding_ends_with_its_scope_even_on_panic() {
    static N: ContextLocal<u32> = ContextLocal::new();
    with_deadline("panic_restores", || {
        let caught = std::panic::catch_unwind(|| N.sync_scope(1, || panic!("inside")));
        assert!(caught.is_err());
        assert_eq!(get(&N), None);
        let caught = std::panic::catch_unwind(|| {
            block_on(N.scope(2, async { panic!("inside the future") }))
        });
        assert!(caught.is_err());
        assert_eq!(get(&N), None);
    });
}

#[test]
fn thread_sensitive_jobs_see_the_callers_context() {
    static N: ContextLocal<u32> = ContextLocal::new();
    with_deadline("ts_context", || {
        // Sync outermost: the job runs on this thread, inside its block_on.
        let here = N.sync_scope(5, || block_on(unblock_thread_sensitive(|| get(&N))));
        assert_eq!(here, Some(5));
        // Async outermost: the job runs on the dedicated thread.
        let rt = tokio_runtime();
        // (The context is captured where the call is made, as for `unblock`.)
        let there = rt.block_on(N.scope(6, async { unblock_thread_sensitive(|| get(&N)).await }));
        assert_eq!(there, Some(6));
        // And the dedicated thread does not keep it afterwards.
        assert_eq!(rt.block_on(unblock_thread_sensitive(|| get(&N))), None);
    });
}

#[test]
fn pool_threads_do_not_keep_a_callers_context() {
    static N: ContextLocal<u32> = ContextLocal::new();
    with_deadline("pool_context", || {
        for i in 0..4 {
            assert_eq!(N.sync_scope(i, || block_on(unblock(|| get(&N)))), Some(i));
            assert_eq!(block_on(unblock(|| get(&N))), None);
        }
    });
}

#[test]
fn inner_rebinding_is_seen_below_and_not_above() {
    static N: ContextLocal<u32> = ContextLocal::new();
    with_deadline("rebinding", || {
        let seen = N.sync_scope(1, || {
            block_on(async {
                let below = unblock(|| N.sync_scope(2, || block_on(async { get(&N) }))).await;
                (below, get(&N))
            })
        });
        assert_eq!(seen, (Some(2), Some(1)));
    });
}

#[test]
fn scoped_future_keeps_its_binding_on_every_worker() {
    static N: ContextLocal<u32> = ContextLocal::new();
    with_deadline("every_worker", || {
        let rt = tokio_runtime();
        let seen = rt.block_on(async {
            let tasks: Vec<_> = (0..4_u32)
                .map(|i| {
                    tokio::spawn(N.scope(i, async move {
                        for _ in 0..20 {
                            tokio::task::yield_now().await;
                            assert_eq!(get(&N), Some(i));
                        }
                        get(&N)
                    }))
                })
                .collect();
            let mut seen = Vec::new();
            for task in tasks {
                seen.push(task.await.unwrap());
            }
            seen
        });
        assert_eq!(seen, [Some(0), Some(1), Some(2), Some(3)]);
    });
}

#[test]
fn call_context_carries_bindings_into_a_plain_thread() {
    static N: ContextLocal<u32> = ContextLocal::new();
    with_deadline("plain_thread", || {
        let (carried, plain) = N.sync_scope(9, || {
            let ctx = CallContext::current();
            let carried = std::thread::spawn(move || ctx.run(|| get(&N))).join().unwrap();
            let plain = std::thread::spawn(|| get(&N)).join().unwrap();
            (carried, plain)
        });
        assert_eq!((carried, plain), (Some(9), None));
    });
}
