//! `#[bridge]` on inherent impls and traits: every method's twin, called
//! from the other world, plus `skip`, per-method renames and the runtime's
//! misuse message naming the twin.
#![allow(clippy::unused_async, reason = "async fns without `.await` keep the tests small")]

mod deadline;

use twoworlds::bridge;

/// A client whose methods come in both worlds.
#[derive(Clone, Debug, PartialEq)]
struct Client {
    /// Added to every answer.
    base: u32,
}

#[bridge]
impl Client {
    /// Associated async fn without receiver.
    async fn connect(base: u32) -> Client {
        Client { base }
    }

    /// Async with `&self` and a borrowed argument.
    async fn fetch(&self, key: &str) -> u32 {
        self.base + u32::try_from(key.len()).unwrap_or(u32::MAX)
    }

    /// Async with `&mut self`: fine for a blocking twin.
    async fn bump(&mut self) -> u32 {
        self.base += 1;
        self.base
    }

    /// Async taking `self` by value, renamed.
    #[bridge(blocking = finish_now)]
    async fn finish(self) -> u32 {
        self.base
    }

    /// Sync with `&self`: the async twin clones `self`.
    fn sum(&self, extra: &[u32]) -> u32 {
        self.base + extra.iter().sum::<u32>()
    }

    /// Sync associated fn without receiver, renamed.
    #[bridge(async_name = make_later)]
    fn make(base: u32) -> Client {
        Client { base }
    }

    /// Sync taking `self`.
    fn into_base(self) -> u32 {
        self.base
    }

    /// Sync with `&mut self`: left alone.
    #[bridge(skip)]
    fn set(&mut self, base: u32) {
        self.base = base;
    }
}

#[test]
fn inherent_blocking_twins_work_from_sync_code() {
    deadline::with_deadline("bridge test", || {
        let mut client = Client::blocking_connect(10);
        assert_eq!(client.blocking_fetch("abc"), 13);
        assert_eq!(client.blocking_bump(), 11);
        client.set(20);
        assert_eq!(client.clone().finish_now(), 20);
    });
}

#[test]
fn inherent_async_twins_work_from_async_code() {
    deadline::with_deadline("bridge test", || {
        deadline::tokio_runtime().block_on(async {
            let client = Client::make_later(5).await;
            assert_eq!(client, Client { base: 5 });
            let extra = vec![1, 2, 3];
            let future = client.sum_async(&extra);
            drop(extra);
            assert_eq!(tokio::spawn(future).await.expect("task"), 11);
            assert_eq!(client.into_base_async().await, 5);
        });
    });
}

/// A store with one async and one sync required method and a provided one.
#[bridge]
trait Store: Clone + Send + Sync + 'static {
    /// Async required method: gets a provided `blocking_get`.
    async fn get(&self, key: &str) -> Option<String>;

    /// Sync required method: gets a provided `len_async`.
    fn len(&self) -> usize;

    /// Sync provided method with a renamed twin.
    #[bridge(async_name = is_empty_later)]
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// An in-memory [`Store`].
#[derive(Clone)]
struct Memory(Vec<(String, String)>);

impl Store for Memory {
    async fn get(&self, key: &str) -> Option<String> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    }

    fn len(&self) -> usize {
        self.0.len()
    }
}

#[test]
fn trait_twins_are_provided_methods() {
    deadline::with_deadline("bridge test", || {
        let store = Memory(vec![("a".into(), "1".into())]);
        assert_eq!(store.blocking_get("a"), Some("1".to_owned()));
        assert_eq!(store.blocking_get("b"), None);
        deadline::tokio_runtime().block_on(async {
            assert_eq!(store.len_async().await, 1);
            assert!(!store.is_empty_later().await);
        });
    });
}

/// Sync work that must stay on one thread.
#[bridge(thread_sensitive)]
fn on_one_thread(n: u32) -> u32 {
    n + 1
}

#[test]
fn thread_sensitive_twin_runs_the_function() {
    deadline::with_deadline("bridge test", || {
        let out = deadline::tokio_runtime().block_on(async { on_one_thread_async(1).await });
        assert_eq!(out, 2);
    });
}

#[test]
fn blocking_twin_inside_block_on_panics_naming_the_twin() {
    deadline::with_deadline("bridge test", || {
        let outcome = std::panic::catch_unwind(|| {
            twoworlds::block_on(async { Client { base: 1 }.blocking_fetch("x") })
        });
        let payload = outcome.expect_err("the blocking twin must refuse to block inside block_on");
        let message = deadline::panic_message(&*payload);
        assert!(message.contains("Client::blocking_fetch"), "message: {message}");
    });
}

#[cfg(feature = "tokio")]
#[test]
fn blocking_twin_on_a_tokio_worker_panics_naming_the_twin() {
    deadline::with_deadline("bridge test", || {
        let outcome = deadline::tokio_runtime().block_on(async {
            tokio::spawn(async { Client { base: 1 }.blocking_fetch("x") }).await
        });
        let payload =
            outcome.expect_err("the blocking twin must refuse to block a worker").into_panic();
        let message = deadline::panic_message(&*payload);
        assert!(message.contains("Client::blocking_fetch"), "message: {message}");
    });
}
