//! `test_sync.py`: the two bridges themselves — `sync_to_async` and
//! `async_to_sync` as calls, decorators (`#[bridge]` here) and methods,
//! nested in each other, from threads, during unwinding, and refused in
//! async code.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

use crate::deadline::{tokio_runtime, with_deadline};
use crate::support::yield_now;
use twoworlds::{block_on, unblock};

/// `@sync_to_async def test_function(): time.sleep(1); return 43`.
#[twoworlds::bridge]
fn decorated_sync() -> u32 {
    thread::sleep(std::time::Duration::from_millis(10));
    43
}

#[test]
fn sync_to_async_decorator() {
    let result = with_deadline("sync_to_async_decorator", || {
        tokio_runtime().block_on(decorated_sync_async())
    });
    assert_eq!(result, 43);
}

/// `class TestClass` with a `@sync_to_async` method.
#[derive(Clone)]
struct SyncMethods;

#[twoworlds::bridge]
impl SyncMethods {
    /// Returns 44.
    #[allow(clippy::unused_self, reason = "a method, as asgiref's")]
    fn test_method(&self) -> u32 {
        thread::sleep(std::time::Duration::from_millis(10));
        44
    }
}

#[test]
fn sync_to_async_method_decorator() {
    let result = with_deadline("sync_to_async_method_decorator", || {
        tokio_runtime().block_on(SyncMethods.test_method_async())
    });
    assert_eq!(result, 44);
}

/// A class whose bound method is wrapped.
struct Instance;

impl Instance {
    /// Returns 45.
    #[allow(clippy::unused_self, reason = "a method, as asgiref's")]
    fn test_method(&self) -> u32 {
        45
    }
}

#[test]
fn sync_to_async_method_self_attribute() {
    with_deadline("sync_to_async_method_self_attribute", || {
        let instance = Arc::new(Instance);
        // `sync_to_async(instance.test_method)`: the bound method keeps its
        // receiver (asgiref checks `__self__`): it runs on this very instance.
        let bound = Arc::clone(&instance);
        let method = move || {
            let receiver = Arc::clone(&bound);
            unblock(move || {
                let result = receiver.test_method();
                (receiver, result)
            })
        };
        let (receiver, result) = tokio_runtime().block_on(method());
        assert_eq!(result, 45);
        assert!(Arc::ptr_eq(&receiver, &instance));
    });
}

#[cfg(feature = "tokio")]
#[test]
fn async_to_sync_to_async() {
    with_deadline("async_to_sync_to_async", || {
        let worked = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&worked);
        let (outer, (number, inner)) = tokio_runtime().block_on(async move {
            let outer = tokio::runtime::Handle::current().id();
            let inner = unblock(move || {
                block_on(async move {
                    flag.store(true, Ordering::SeqCst);
                    (65, tokio::runtime::Handle::current().id())
                })
            });
            (outer, inner.await)
        });
        assert_eq!(number, 65);
        assert!(worked.load(Ordering::SeqCst));
        // asgiref runs it on the outer loop's thread; `block_on` runs it on
        // its caller, in the outer runtime: no new runtime was made.
        assert_eq!(outer, inner);
    });
}

/// Where `inner_async_function` ran: its runtime (feature `tokio`).
static DECORATED_RUNTIME: Mutex<Option<String>> = Mutex::new(None);

/// `@async_to_sync async def inner_async_function()`.
#[twoworlds::bridge]
async fn inner_async_function() -> u32 {
    yield_now().await;
    #[cfg(feature = "tokio")]
    {
        let id = tokio::runtime::Handle::current().id().to_string();
        *DECORATED_RUNTIME.lock().unwrap() = Some(id);
    }
    #[cfg(not(feature = "tokio"))]
    {
        *DECORATED_RUNTIME.lock().unwrap() = Some("ran".to_owned());
    }
    42
}

/// `@sync_to_async def sync_function(): return inner_async_function()`.
#[twoworlds::bridge]
fn calls_the_blocking_twin() -> u32 {
    blocking_inner_async_function()
}

#[test]
fn async_to_sync_to_async_decorator() {
    with_deadline("async_to_sync_to_async_decorator", || {
        let (number, outer) = tokio_runtime().block_on(async {
            let outer = tokio::runtime::Handle::current().id().to_string();
            (calls_the_blocking_twin_async().await, outer)
        });
        assert_eq!(number, 42);
        let ran = DECORATED_RUNTIME.lock().unwrap().clone().expect("worked");
        // Not a new runtime: the one of the async caller.
        if cfg!(feature = "tokio") {
            assert_eq!(ran, outer);
        }
    });
}

/// `@async_to_sync async def inner_async_function()`, for a thread.
#[twoworlds::bridge]
async fn for_a_thread(worked: Arc<AtomicBool>) -> u32 {
    yield_now().await;
    worked.store(true, Ordering::SeqCst);
    42
}

#[test]
fn async_to_sync_to_thread_decorator() {
    with_deadline("async_to_sync_to_thread_decorator", || {
        let worked = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&worked);
        // `asyncio.to_thread(f)`: tokio's `spawn_blocking`.
        let number = tokio_runtime()
            .block_on(async {
                tokio::task::spawn_blocking(move || blocking_for_a_thread(flag)).await
            })
            .expect("no panic");
        assert_eq!(number, 42);
        assert!(worked.load(Ordering::SeqCst));
    });
}

#[test]
fn async_to_sync() {
    with_deadline("async_to_sync", || {
        let worked = AtomicBool::new(false);
        let number = block_on(async {
            yield_now().await;
            worked.store(true, Ordering::SeqCst);
            84
        });
        assert_eq!(number, 84);
        assert!(worked.load(Ordering::SeqCst));
    });
}

/// `@async_to_sync async def test_function()`.
#[twoworlds::bridge]
async fn decorated_async(worked: &AtomicBool) -> u32 {
    yield_now().await;
    worked.store(true, Ordering::SeqCst);
    85
}

#[test]
fn async_to_sync_decorator() {
    with_deadline("async_to_sync_decorator", || {
        let worked = AtomicBool::new(false);
        assert_eq!(blocking_decorated_async(&worked), 85);
        assert!(worked.load(Ordering::SeqCst));
    });
}

/// `class TestClass` with an `@async_to_sync` method.
struct AsyncMethods {
    /// `result["worked"]`.
    worked: AtomicBool,
}

#[twoworlds::bridge]
impl AsyncMethods {
    /// Returns 86.
    async fn test_function(&self) -> u32 {
        yield_now().await;
        self.worked.store(true, Ordering::SeqCst);
        86
    }
}

#[test]
fn async_to_sync_method_decorator() {
    with_deadline("async_to_sync_method_decorator", || {
        let instance = AsyncMethods { worked: AtomicBool::new(false) };
        assert_eq!(instance.blocking_test_function(), 86);
        assert!(instance.worked.load(Ordering::SeqCst));
    });
}

#[test]
fn async_to_sync_in_async() {
    with_deadline("async_to_sync_in_async", || {
        // asgiref raises RuntimeError; here the error value (and the panic of
        // `block_on`) says what was called, why it is wrong and what to do.
        let err = block_on(async { twoworlds::try_block_on(async { 84 }) }).expect_err("refused");
        let message = err.to_string();
        assert!(message.contains("twoworlds::block_on"), "{message}");
        assert!(message.contains("made from async code"), "{message}");
        assert!(message.contains(".await"), "{message}");
    });
}

#[test]
fn async_to_sync_in_thread() {
    with_deadline("async_to_sync_in_thread", || {
        let worked = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&worked);
        thread::spawn(move || blocking_for_a_thread(flag)).join().expect("no panic");
        assert!(worked.load(Ordering::SeqCst));
    });
}

#[test]
fn async_to_sync_in_except() {
    /// Calls a blocking twin from its destructor, which runs while a panic
    /// unwinds: Rust's "inside an except block".
    struct CleanUp(Arc<Mutex<Option<u32>>>);
    impl Drop for CleanUp {
        fn drop(&mut self) {
            assert!(thread::panicking());
            *self.0.lock().unwrap() = Some(block_on(async { 42 }));
        }
    }
    let result = Arc::new(Mutex::new(None));
    let seen = Arc::clone(&result);
    let boom = crate::deadline::catching("async_to_sync_in_except", move || {
        let _clean_up = CleanUp(seen);
        panic!("Boom");
    });
    // The call returned normally, and the original panic went on unchanged.
    assert_eq!(*result.lock().unwrap(), Some(42));
    let payload = boom.expect_err("the panic went on");
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"Boom"));
}

#[test]
fn async_to_sync_partial() {
    with_deadline("async_to_sync_partial", || {
        async fn inner_async_function(args: Vec<u32>) -> Vec<u32> {
            yield_now().await;
            args
        }
        // `functools.partial(inner_async_function, 42)`: a closure.
        let partial = |more: u32| inner_async_function(vec![42, more]);
        assert_eq!(block_on(partial(84)), [42, 84]);
    });
}

/// `class CallableClass` with `async def __call__(self, value)`.
struct CallableClass {
    /// `result["worked"]`.
    worked: AtomicBool,
}

#[twoworlds::bridge]
impl CallableClass {
    /// The call operator.
    async fn call(&self, value: u32) -> u32 {
        yield_now().await;
        self.worked.store(true, Ordering::SeqCst);
        value
    }
}

#[test]
fn async_to_sync_on_callable_object() {
    with_deadline("async_to_sync_on_callable_object", || {
        let callable = CallableClass { worked: AtomicBool::new(false) };
        assert_eq!(callable.blocking_call(42), 42);
        assert!(callable.worked.load(Ordering::SeqCst));
    });
}

#[test]
fn async_to_sync_method_self_attribute() {
    with_deadline("async_to_sync_method_self_attribute", || {
        let instance = Arc::new(Instance);
        // `async_to_sync(instance.test_function)`: bound to this instance.
        let bound = Arc::clone(&instance);
        let sync_function = move || {
            block_on(async {
                yield_now().await;
                (Arc::as_ptr(&bound), 45)
            })
        };
        let (receiver, number) = sync_function();
        assert_eq!(number, 45);
        assert_eq!(receiver, Arc::as_ptr(&instance));
    });
}

/// `async def test_function(**kwargs)` called with names that asgiref's
/// wrapper uses itself; here: names a `#[bridge]` expansion might use.
#[twoworlds::bridge]
#[allow(clippy::similar_names, reason = "the names are the point")]
async fn overlapping_async(context: u32, task_context: u32, awaitable: u32, fut: u32) -> u32 {
    yield_now().await;
    context + task_context + awaitable + fut
}

#[test]
fn async_to_sync_overlapping_kwargs() {
    with_deadline("async_to_sync_overlapping_kwargs", || {
        assert_eq!(blocking_overlapping_async(1, 2, 3, 4), 10);
    });
}

/// `def test_function(**kwargs)` for `sync_to_async`, likewise.
#[twoworlds::bridge]
#[allow(clippy::similar_names, reason = "the names are the point")]
fn overlapping_sync(context: u32, task_context: u32, f: u32, executor: u32) -> u32 {
    context + task_context + f + executor
}

#[test]
fn sync_to_async_overlapping_kwargs() {
    let sum = with_deadline("sync_to_async_overlapping_kwargs", || {
        tokio_runtime().block_on(overlapping_sync_async(1, 2, 3, 4))
    });
    assert_eq!(sum, 10);
}
