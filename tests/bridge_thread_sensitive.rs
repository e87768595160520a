//! `#[bridge(thread_sensitive)]` routes the async twin to the runtime's
//! thread-sensitive executor: entered from sync code through `block_on`, the
//! function runs on that outer thread; a plain twin runs on the pool.

use std::thread::{self, ThreadId};
use std::time::Duration;

use twoworlds::bridge;

/// Runs `f` on a thread and fails if it does not finish in time.
fn with_deadline<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (sender, receiver) = std::sync::mpsc::channel();
    let handle = thread::spawn(move || {
        let out = f();
        let _ = sender.send(());
        out
    });
    // A disconnect means `f` panicked: `join` below passes the panic on.
    if let Err(std::sync::mpsc::RecvTimeoutError::Timeout) =
        receiver.recv_timeout(Duration::from_secs(30))
    {
        panic!("test body did not finish within 30 s");
    }
    match handle.join() {
        Ok(out) => out,
        Err(payload) => std::panic::resume_unwind(payload),
    }
}

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
    with_deadline(|| {
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
