//! `test_sync_contextvars.py`. Python's `ContextVar` is [`ContextLocal`]
//! here; a value written on the far side of a bridge reaches the caller
//! through the shared value (a `Mutex`), as bindings never leak up; a copied
//! context (`contextvars.copy_context()`) is a [`CallContext`] with a binding
//! of its own.

use std::sync::Mutex;
use std::thread;

use crate::deadline::{tokio_runtime, with_deadline};
use crate::support::{here, sleep};
use twoworlds::{
    CallContext, ContextLocal, block_on, thread_sensitive_scope, unblock_thread_sensitive,
};

/// asgiref's module-level `foo` context variable.
static FOO: ContextLocal<Mutex<String>> = ContextLocal::new();

/// The value behind [`FOO`].
fn foo() -> Option<String> {
    FOO.get().map(|v| v.lock().unwrap().clone())
}

/// Replaces the value behind [`FOO`] (`foo.set(value)`).
fn set_foo(value: &str) {
    value.clone_into(&mut FOO.get().expect("foo is bound").lock().unwrap());
}

/// Appends to the value behind [`FOO`] (`foo.set(foo.get() + "1")`).
fn append_foo() -> u32 {
    FOO.get().expect("foo is bound").lock().unwrap().push('1');
    1
}

#[test]
fn thread_sensitive_with_context_different() {
    with_deadline("thread_sensitive_with_context_different", || {
        async fn store_thread() -> thread::ThreadId {
            thread_sensitive_scope(unblock_thread_sensitive(here)).await
        }
        let (r1, r2) = tokio_runtime().block_on(async {
            // Run it (in true parallel!)
            let t1 = tokio::spawn(store_thread());
            let t2 = tokio::spawn(store_thread());
            (t1.await.unwrap(), t2.await.unwrap())
        });
        // Not the outer thread, and a different thread per scope.
        assert_ne!(r1, here());
        assert_ne!(r1, r2);
    });
}

#[test]
fn sync_to_async_contextvars() {
    with_deadline("sync_to_async_contextvars", || {
        let out = tokio_runtime().block_on(FOO.scope(Mutex::new("bar".into()), async {
            let out = unblock_thread_sensitive(|| {
                thread::sleep(std::time::Duration::from_millis(10));
                assert_eq!(foo().as_deref(), Some("bar"));
                set_foo("baz");
                42
            })
            .await;
            assert_eq!(foo().as_deref(), Some("baz"));
            out
        }));
        assert_eq!(out, 42);
    });
}

#[test]
fn sync_to_async_contextvars_with_custom_context() {
    with_deadline("sync_to_async_contextvars_with_custom_context", || {
        tokio_runtime().block_on(FOO.scope(Mutex::new("bar".into()), async {
            // `contextvars.copy_context()`: a context with a value of its own.
            let context = FOO.sync_scope(Mutex::new(foo().unwrap()), CallContext::current);
            // `sync_to_async(sync_function, context=context)`.
            let out = context
                .unblock_thread_sensitive(|| {
                    thread::sleep(std::time::Duration::from_millis(10));
                    assert_eq!(foo().as_deref(), Some("bar"));
                    set_foo("baz");
                    42
                })
                .await;
            assert_eq!(out, 42);
            // The current context is unchanged ...
            assert_eq!(foo().as_deref(), Some("bar"));
            // ... and the custom one reflects the change.
            assert_eq!(context.run(foo).as_deref(), Some("baz"));
        }));
    });
}

#[test]
fn sync_to_async_contextvars_with_custom_context_and_parallel_tasks() {
    with_deadline("sync_to_async_contextvars_with_custom_context_and_parallel_tasks", || {
        tokio_runtime().block_on(FOO.scope(Mutex::new(String::new()), async {
            let context = FOO.sync_scope(Mutex::new(String::new()), CallContext::current);
            // Two sync calls and two tasks, all in the custom context, at once.
            let task = || tokio::spawn(context.clone().scope(async { append_foo() }));
            let (a, b, c, d) = tokio::join!(
                context.unblock_thread_sensitive(append_foo),
                context.unblock(append_foo),
                task(),
                task(),
            );
            assert_eq!(a + b + c.unwrap() + d.unwrap(), 4);
            // The current context is unchanged; the custom one saw all four.
            assert_eq!(foo().as_deref(), Some(""));
            assert_eq!(context.run(foo).as_deref(), Some("1111"));
        }));
    });
}

#[test]
fn async_to_sync_contextvars() {
    with_deadline("async_to_sync_contextvars", || {
        FOO.sync_scope(Mutex::new("bar".into()), || {
            let out = block_on(async {
                sleep(std::time::Duration::from_millis(10)).await;
                assert_eq!(foo().as_deref(), Some("bar"));
                set_foo("baz");
                42
            });
            assert_eq!(out, 42);
            assert_eq!(foo().as_deref(), Some("baz"));
        });
    });
}

/// asgiref's `SyncCallable`, whose `context` attribute the wrapper must not
/// take for its own: here a field named `context` on a `#[bridge]` type.
#[derive(Clone)]
struct SyncCallable {
    /// Not the call's context.
    context: Option<u32>,
}

#[twoworlds::bridge]
impl SyncCallable {
    /// `__call__`.
    #[allow(clippy::unused_self, reason = "a method, as asgiref's `__call__`")]
    fn call(&self) -> u32 {
        42
    }
}

#[test]
fn sync_to_async_contextvars_with_callable_with_context_attribute() {
    with_deadline("sync_to_async_contextvars_with_callable_with_context_attribute", || {
        let callable = SyncCallable { context: None };
        assert_eq!(tokio_runtime().block_on(callable.call_async()), 42);
        assert_eq!(callable.context, None);
    });
}
