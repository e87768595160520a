//! Helpers shared by the ported tests: thread ids, Python's
//! `threading.Event` and `asyncio.sleep(0)`, and child processes.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Condvar, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::thread::{self, ThreadId};
use std::time::Duration;

/// The id of the thread running the caller.
pub(crate) fn here() -> ThreadId {
    thread::current().id()
}

/// A thread-sensitive call that reports the thread it ran on.
pub(crate) async fn ts_thread() -> ThreadId {
    twoworlds::unblock_thread_sensitive(here).await
}

/// Python's `threading.Event`.
#[derive(Default)]
pub(crate) struct Event {
    /// Whether it is set.
    set: Mutex<bool>,
    /// Waiters wait here.
    changed: Condvar,
}

impl Event {
    /// Sets the event, waking every waiter.
    pub(crate) fn set(&self) {
        *self.set.lock().unwrap_or_else(PoisonError::into_inner) = true;
        self.changed.notify_all();
    }

    /// Waits until the event is set, or `timeout` passed; returns whether it
    /// is set.
    pub(crate) fn wait_timeout(&self, timeout: Duration) -> bool {
        let set = self.set.lock().unwrap_or_else(PoisonError::into_inner);
        let (set, _) = self
            .changed
            .wait_timeout_while(set, timeout, |set| !*set)
            .unwrap_or_else(PoisonError::into_inner);
        *set
    }

    /// Waits until the event is set (bounded: a minute, then `false`).
    pub(crate) fn wait(&self) -> bool {
        self.wait_timeout(Duration::from_mins(1))
    }
}

/// `asyncio.sleep(0)`: gives control back once, without any executor's timer.
pub(crate) fn yield_now() -> impl Future<Output = ()> {
    /// Pending once, then ready.
    struct YieldNow(bool);
    impl Future for YieldNow {
        type Output = ();
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            if self.0 {
                return Poll::Ready(());
            }
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
    YieldNow(false)
}

/// An executor-agnostic async sleep: a pool thread sleeps.
pub(crate) async fn sleep(duration: Duration) {
    twoworlds::unblock(move || thread::sleep(duration)).await;
}

/// The environment variable that makes a test run its scenario as a child.
const CHILD: &str = "TWOWORLDS_ASGIREF_CHILD";
/// Only a hang comes near it.
const CHILD_DEADLINE: Duration = Duration::from_mins(1);

/// Whether this process is the child started to run `test`'s scenario.
pub(crate) fn is_child(test: &str) -> bool {
    std::env::var(CHILD).is_ok_and(|running| running == test)
}

/// Re-runs this binary to execute only `test` (its path, e.g.
/// `sync_processes::multiprocessing`) with the child variable set; returns
/// its exit success and output. Kills it and panics if it has not exited by
/// the deadline.
pub(crate) fn run_child(test: &str) -> (bool, String) {
    crate::child::run_child(test, CHILD, CHILD_DEADLINE)
}

/// Runs `test`'s scenario in a child process and returns its output; panics
/// (failing the test) if the child failed.
pub(crate) fn child_succeeds(test: &str) -> String {
    let (success, output) = run_child(test);
    assert!(success, "the child process of `{test}` failed:\n{output}");
    output
}
