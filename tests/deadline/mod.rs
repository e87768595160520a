//! Runs a test body on its own thread under a deadline, so a regression that
//! deadlocks fails the suite instead of hanging it.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// Generous: only a deadlock comes near it.
const DEADLINE: Duration = Duration::from_secs(30);

/// Runs `body` on a new thread named `name` and returns its result; panics
/// (failing the test) if it has not finished within [`DEADLINE`], and
/// re-raises its panic if it panicked.
#[allow(dead_code, reason = "not every test file uses it")]
pub(crate) fn with_deadline<T: Send + 'static>(
    name: &str,
    body: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (tx, rx) = mpsc::channel();
    let worker = thread::Builder::new()
        .name(name.to_owned())
        .spawn(move || {
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(body));
            let _ = tx.send(result);
        })
        .expect("spawn test thread");
    match rx.recv_timeout(DEADLINE) {
        Ok(Ok(value)) => {
            let _ = worker.join();
            value
        }
        Ok(Err(payload)) => std::panic::resume_unwind(payload),
        Err(err) => panic!("`{name}` did not finish within {DEADLINE:?} ({err}): deadlock"),
    }
}

/// Runs `body` under [`with_deadline`] and returns how it ended: its value,
/// or its panic's payload (for tests that expect a panic).
#[allow(dead_code, reason = "not every test file uses it")]
pub(crate) fn catching<T: Send + 'static>(
    name: &str,
    body: impl FnOnce() -> T + Send + 'static,
) -> thread::Result<T> {
    with_deadline(name, move || std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)))
}

/// The text of a panic payload (`panic!` with or without format arguments).
#[allow(dead_code, reason = "not every test file uses it")]
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .expect("a panic with a message")
}

/// A multi-thread tokio runtime: the "outermost code is async" setting of
/// asgiref's tests (pytest-asyncio).
#[allow(dead_code, reason = "not every test file uses it")]
pub(crate) fn tokio_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("build tokio runtime")
}
