//! asgiref's `tests/test_sync_contextvars.py` scenarios, ported one test each
//! under the original name. Python's `ContextVar` is `ContextLocal` here; a
//! value written on the far side of a bridge reaches the caller through the
//! shared value (a `Mutex`), as bindings never leak up.

mod deadline;

use std::sync::Mutex;
use std::thread::{self, ThreadId};

use deadline::{tokio_runtime, with_deadline};
use twoworlds::{
    ContextLocal, block_on, thread_sensitive_scope, unblock, unblock_thread_sensitive,
};

/// asgiref's module-level `foo` context variable.
static FOO: ContextLocal<Mutex<&'static str>> = ContextLocal::new();

/// The value behind [`FOO`].
fn foo() -> Option<&'static str> {
    FOO.get().map(|v| *v.lock().unwrap())
}

/// Replaces the value behind [`FOO`].
fn set_foo(value: &'static str) {
    *FOO.get().expect("foo is bound").lock().unwrap() = value;
}

#[test]
fn thread_sensitive_with_context_different() {
    with_deadline("thread_sensitive_with_context_different", || {
        async fn store_thread() -> ThreadId {
            thread_sensitive_scope(unblock_thread_sensitive(|| thread::current().id())).await
        }
        let (r1, r2) = tokio_runtime().block_on(async {
            // Run it (in true parallel!)
            let t1 = tokio::spawn(store_thread());
            let t2 = tokio::spawn(store_thread());
            (t1.await.unwrap(), t2.await.unwrap())
        });
        // Not the outer thread, and a different thread per scope.
        assert_ne!(r1, thread::current().id());
        assert_ne!(r1, r2);
    });
}

#[test]
fn sync_to_async_contextvars() {
    with_deadline("sync_to_async_contextvars", || {
        let out = tokio_runtime().block_on(FOO.scope(Mutex::new("bar"), async {
            let out = unblock(|| {
                assert_eq!(foo(), Some("bar"));
                set_foo("baz");
                42
            })
            .await;
            assert_eq!(foo(), Some("baz"));
            out
        }));
        assert_eq!(out, 42);
    });
}

#[test]
fn async_to_sync_contextvars() {
    with_deadline("async_to_sync_contextvars", || {
        FOO.sync_scope(Mutex::new("bar"), || {
            let out = block_on(async {
                unblock(|| thread::sleep(std::time::Duration::from_millis(10))).await;
                assert_eq!(foo(), Some("bar"));
                set_foo("baz");
                42
            });
            assert_eq!(out, 42);
            assert_eq!(foo(), Some("baz"));
        });
    });
}
