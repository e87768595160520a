//! A `#[dual]` blocking twin called from async code — inside a `block_on`
//! poll, on a tokio worker, inside tokio's `Runtime::block_on` — panics with
//! the same clear message as a `#[bridge]` twin, naming the twin and the
//! fix, whatever its form (free fn, method, trait method, mod item). The
//! check is on in debug builds (and with feature `twin-checks`); called from
//! sync code, on the pool or from a tokio `spawn_blocking`, a twin runs.
#![cfg(feature = "tokio")]
#![allow(clippy::unused_async, reason = "the bodies are trivial on purpose")]

#[path = "deadline/mod.rs"]
mod deadline;

use deadline::{catching, panic_message, tokio_runtime};

#[twoworlds::dual]
async fn free() -> u32 {
    1
}

struct Thing;

#[twoworlds::dual]
impl Thing {
    async fn method(&self) -> u32 {
        2
    }
}

#[twoworlds::dual]
trait Store {
    async fn get(&self) -> u32;
    async fn twice(&self) -> u32 {
        self.get().await * 2
    }
}

#[twoworlds::dual]
impl Store for Thing {
    async fn get(&self) -> u32 {
        3
    }
}

#[twoworlds::dual]
mod api {
    pub(crate) async fn item() -> u32 {
        4
    }
}

/// A twin's name in its misuse message, and a call of it.
type Twin = (&'static str, fn() -> u32);

/// Every twin, by name, with the name its misuse message must give.
fn twins() -> Vec<Twin> {
    vec![
        ("blocking_free", || blocking_free()),
        ("Thing::blocking_method", || Thing.blocking_method()),
        ("BlockingStore::get", || BlockingStore::get(&Thing)),
        ("BlockingStore::twice", || BlockingStore::twice(&Thing)),
        ("blocking::item", || api::blocking::item()),
    ]
}

/// Asserts that `ended` is the misuse panic naming `twin`.
fn assert_misuse(ended: std::thread::Result<u32>, twin: &str, place: &str) {
    let payload = ended.expect_err(&format!("`{twin}` {place} did not panic"));
    let message = panic_message(&*payload);
    assert!(message.contains(twin), "{place}: {message}");
    assert!(message.contains("is a blocking call and was made from async code"), "{message}");
}

#[test]
fn twins_called_inside_a_block_on_poll_panic_naming_the_twin() {
    for (twin, call) in twins() {
        let ended = catching(twin, move || twoworlds::block_on(async move { call() }));
        assert_misuse(ended, twin, "inside block_on");
    }
}

#[test]
fn twins_called_on_a_tokio_worker_panic_naming_the_twin() {
    let runtime = tokio_runtime();
    for (twin, call) in twins() {
        let handle = runtime.handle().clone();
        let ended = catching(twin, move || {
            handle
                .block_on(async move { tokio::spawn(async move { call() }).await })
                .map_err(|join| std::panic::resume_unwind(join.into_panic()))
        });
        assert_misuse(ended.map(Result::unwrap), twin, "on a tokio worker");
    }
}

#[test]
fn twins_called_inside_runtime_block_on_panic_naming_the_twin() {
    for (twin, call) in twins() {
        let ended = catching(twin, move || tokio_runtime().block_on(async move { call() }));
        assert_misuse(ended, twin, "inside Runtime::block_on");
    }
}

#[test]
fn twins_called_from_sync_code_the_pool_or_spawn_blocking_run() {
    let runtime = tokio_runtime();
    for (_, call) in twins() {
        let direct = call();
        let on_pool = twoworlds::block_on(twoworlds::unblock(call));
        let on_tokio = runtime.block_on(async move { tokio::task::spawn_blocking(call).await });
        let on_tokio = on_tokio.unwrap();
        assert_eq!((on_pool, on_tokio), (direct, direct));
    }
}
