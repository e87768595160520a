//! `#[bridge(thread_sensitive)]` routes the async twin to the runtime's
//! thread-sensitive executor: entered from sync code through `block_on`, the
//! function runs on that outer thread; a plain twin runs on the pool.

mod deadline;

use std::thread::{self, ThreadId};

use twoworlds::bridge;

/// The thread this runs on, on the thread-sensitive executor.
#[bridge(thread_sensitive)]
fn sensitive_thread(tag: &str) -> (String, ThreadId) {
    (tag.to_owned(), thread::current().id())
}

/// The thread this runs on, on the pool.
#[bridge]
fn pool_thread() -> ThreadId {
    thread::current().id()
}

#[test]
fn thread_sensitive_twin_runs_on_the_outer_block_on_thread() {
    deadline::with_deadline("bridge test", || {
        let outer = thread::current().id();
        let (tag, first) = twoworlds::block_on(async { sensitive_thread_async("a").await });
        let (_, second) = twoworlds::block_on(async { sensitive_thread_async("b").await });
        assert_eq!(tag, "a");
        assert_eq!(first, outer);
        assert_eq!(second, outer);
        let pooled = twoworlds::block_on(pool_thread_async());
        assert_ne!(pooled, outer);
    });
}
