//! A watch on an installed tokio runtime: has it shut down?
//!
//! tokio's public API cannot tell whether the runtime behind a `Handle` is
//! still alive. What it does guarantee is that a runtime that shuts down drops
//! every task it still owns (and drops a task spawned after shutdown at once).
//! So the watch spawns one idle task — a *sentinel* that waits for nothing but
//! its retirement — and the sentinel's destructor raises the `stopped` flag if
//! it is dropped before it was retired. `block_on` then reads one atomic flag.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};

use tokio::runtime::Handle;

/// What the sentinel and the watch share.
#[derive(Default)]
struct Shared {
    /// Set when the sentinel was dropped by its runtime (shut down).
    stopped: AtomicBool,
    /// Set when the handle was replaced or cleared: the sentinel ends.
    retired: AtomicBool,
    /// The sentinel's waker, to end it on retirement.
    waker: Mutex<Option<Waker>>,
}

/// The watch kept beside an installed handle.
pub(super) struct Watch(Arc<Shared>);

impl Watch {
    /// Starts watching `handle`'s runtime (spawns the sentinel on it).
    pub(super) fn start(handle: &Handle) -> Self {
        let shared = Arc::new(Shared::default());
        drop(handle.spawn(Sentinel { shared: Arc::clone(&shared), retired: false }));
        Watch(shared)
    }

    /// Whether the runtime has shut down.
    pub(super) fn stopped(&self) -> bool {
        self.0.stopped.load(Ordering::Acquire)
    }

    /// Stops watching: the sentinel returns at its next poll.
    pub(super) fn retire(&self) {
        self.0.retired.store(true, Ordering::Release);
        let waker = self.0.waker.lock().unwrap_or_else(PoisonError::into_inner).take();
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

/// The idle task on the watched runtime.
struct Sentinel {
    /// Shared with the [`Watch`].
    shared: Arc<Shared>,
    /// Whether it ended because it was retired (not dropped by a shutdown).
    retired: bool,
}

impl Future for Sentinel {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut waker = self.shared.waker.lock().unwrap_or_else(PoisonError::into_inner);
        // Checked under the lock that `retire` takes after setting the flag,
        // so a retirement is never missed.
        if self.shared.retired.load(Ordering::Acquire) {
            drop(waker);
            self.retired = true;
            return Poll::Ready(());
        }
        *waker = Some(cx.waker().clone());
        Poll::Pending
    }
}

impl Drop for Sentinel {
    fn drop(&mut self) {
        if !self.retired {
            self.shared.stopped.store(true, Ordering::Release);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_runtime_that_shuts_down_is_seen_stopped() {
        let runtime = tokio::runtime::Builder::new_multi_thread().build().unwrap();
        let watch = Watch::start(runtime.handle());
        assert!(!watch.stopped());
        // Dropping a multi-thread runtime waits for its workers, which drop
        // every task they still own.
        drop(runtime);
        assert!(watch.stopped());
    }

    #[test]
    fn a_retired_sentinel_ends_and_leaves_no_task_behind() {
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let watch = Watch::start(runtime.handle());
        assert_eq!(runtime.metrics().num_alive_tasks(), 1);
        watch.retire();
        // Driving the runtime polls the woken sentinel, which returns (a
        // bounded number of turns: a regression fails instead of hanging).
        let alive = runtime.block_on(async {
            let metrics = Handle::current().metrics();
            for _ in 0..1_000 {
                if metrics.num_alive_tasks() == 0 {
                    break;
                }
                tokio::task::yield_now().await;
            }
            metrics.num_alive_tasks()
        });
        assert_eq!(alive, 0);
        drop(runtime);
        assert!(!watch.stopped());
    }

    #[test]
    fn a_watch_started_after_the_shutdown_is_stopped_at_once() {
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let handle = runtime.handle().clone();
        drop(runtime);
        assert!(Watch::start(&handle).stopped());
    }
}
