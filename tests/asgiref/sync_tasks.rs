//! `test_sync.py`: tasks — created inside a nested `async_to_sync` and
//! awaited after it returned, and "shielded" from the cancellation of the
//! request that created them (Django's `http.disconnect`).

#![allow(
    clippy::async_yields_async,
    reason = "the nested_task scenarios return un-awaited futures (asgiref's tasks) on purpose"
)]

use std::sync::{Arc, Mutex};
use std::thread::{self, ThreadId};

use tokio::runtime::Handle;
use tokio::sync::{Barrier, oneshot};

use crate::deadline::{tokio_runtime, with_deadline};
use crate::support::{Event, here};
use twoworlds::{CallContext, block_on, thread_sensitive_scope, unblock, unblock_thread_sensitive};

/// asgiref's `inner`: returns a thread-sensitive "task" made inside a nested
/// `block_on` and not awaited there.
#[allow(clippy::unused_async, reason = "asgiref's `inner` is a coroutine run by `async_to_sync`")]
async fn inner() -> impl Future<Output = &'static str> + Send + 'static {
    unblock_thread_sensitive(|| "inner")
}

#[test]
fn nested_task() {
    with_deadline("nested_task", || {
        let out = block_on(async {
            let task = unblock_thread_sensitive(|| block_on(inner())).await;
            // The frame that queued it has returned: it runs on the next live
            // one up, this thread.
            task.await
        });
        assert_eq!(out, "inner");
    });
}

#[test]
fn nested_task_later() {
    with_deadline("nested_task_later", || {
        let out = block_on(async {
            let later = unblock_thread_sensitive(|| {
                block_on(async {
                    // Like `loop.call_later`: run later in this call's context.
                    let ctx = CallContext::current();
                    async move {
                        unblock(|| thread::sleep(std::time::Duration::from_millis(100))).await;
                        ctx.run(|| unblock_thread_sensitive(|| (here(), "later"))).await
                    }
                })
            })
            .await;
            later.await
        });
        assert_eq!(out, (here(), "later"));
    });
}

#[test]
fn double_nested_task() {
    with_deadline("double_nested_task", || {
        let out = block_on(async {
            let outer = unblock_thread_sensitive(|| {
                block_on(async { unblock_thread_sensitive(|| block_on(inner())) })
            })
            .await;
            let inner_task = outer.await;
            inner_task.await
        });
        assert_eq!(out, "inner");
    });
}

/// Polls `fut` once now — a thread-sensitive call is queued at its first
/// poll, as `asyncio.create_task` schedules a coroutine at once — and returns
/// a future for the rest ("the task").
async fn started<F: Future + Unpin>(mut fut: F) -> impl Future<Output = F::Output> {
    let first = futures::poll!(&mut fut);
    async move {
        match first {
            std::task::Poll::Ready(value) => value,
            std::task::Poll::Pending => fut.await,
        }
    }
}

#[test]
fn two_nested_tasks_with_asyncio_run() {
    // asgiref's tasks each queue a thread-sensitive `event.wait()` and meet
    // `outer` at a barrier; `outer` then sets the event and returns the tasks,
    // still running. Here `outer` is polled by the thread that serves those
    // thread-sensitive calls (`block_on` runs its future on its caller), so a
    // call that waited for `outer` would wait for its own thread: the calls
    // record their thread instead. The structure the regression test guards
    // (asgiref #491/#492) stays: work queued on a nested `block_on` from tasks
    // that outlive it still runs, on that `block_on`'s thread.
    with_deadline("two_nested_tasks_with_asyncio_run", || {
        tokio_runtime().block_on(async {
            let barrier = Arc::new(Barrier::new(3));
            let handle = Handle::current();
            let (outer_thread, tasks) =
                unblock_thread_sensitive(move || block_on(outer(&handle, barrier))).await;
            for task in tasks {
                assert_eq!(task.await.expect("inner task"), outer_thread);
            }
        });
    });
}

/// asgiref's `outer`: two tasks, a barrier, returns the tasks.
async fn outer(
    handle: &Handle,
    barrier: Arc<Barrier>,
) -> (ThreadId, Vec<tokio::task::JoinHandle<ThreadId>>) {
    let tasks = (0..2)
        .map(|_| {
            let barrier = Arc::clone(&barrier);
            handle.spawn(CallContext::current().scope(async move {
                let call = started(Box::pin(unblock_thread_sensitive(here))).await;
                barrier.wait().await;
                call.await
            }))
        })
        .collect();
    barrier.wait().await;
    (here(), tasks)
}

/// The moving parts of the `inner_shield_*` scenarios.
struct Shield {
    /// The request's runtime: tasks are spawned on it from any thread.
    handle: Handle,
    /// `task_started_future`.
    started: Mutex<Option<oneshot::Sender<()>>>,
    /// `task_blocker`.
    blocker: Mutex<Option<oneshot::Receiver<()>>>,
    /// `task_executed`: the shielded subtask ran to its end.
    executed: Event,
    /// `task_complete`: the view ran to its end.
    view_done: Event,
}

impl Shield {
    /// `async_task`: the subtask that must not be cancelled with its parent.
    async fn async_task(self: Arc<Self>) {
        let started = self.started.lock().unwrap().take().expect("started once");
        let _ = started.send(());
        let blocker = self.blocker.lock().unwrap().take().expect("blocked once");
        blocker.await.expect("unblocked");
        self.executed.set();
    }

    /// `async_view`: spawns the subtask — directly, or (`sync_task`) as a
    /// thread-sensitive call that runs it through `block_on` — and awaits it.
    /// A spawned task is "shielded": dropping its awaiter does not cancel it.
    async fn async_view(self: Arc<Self>, sync_task: bool) {
        let me = Arc::clone(&self);
        let task = if sync_task {
            let parent = unblock_thread_sensitive(move || block_on(me.async_task()));
            self.handle.spawn(CallContext::current().scope(parent))
        } else {
            self.handle.spawn(me.async_task())
        };
        task.await.expect("the subtask");
        self.view_done.set();
    }

    /// `sync → async` middleware `depth` times over, then the view:
    /// `sync_middleware_1 → async_middleware_2 → … → async_view`.
    fn sync_middleware(self: Arc<Self>, depth: u32, sync_task: bool) {
        block_on(async move {
            if depth > 1 {
                let next = move || self.sync_middleware(depth - 1, sync_task);
                unblock_thread_sensitive(next).await;
            } else {
                self.async_view(sync_task).await;
            }
        });
    }
}

/// Runs a request on `rt` inside a thread-sensitive scope, cancels it (aborts
/// its task) once the subtask started, then lets the subtask finish. Returns
/// the shield and whether the request ended cancelled.
fn cancel_request(
    rt: &tokio::runtime::Runtime,
    request: impl FnOnce(Arc<Shield>) -> std::pin::Pin<Box<dyn Future<Output = ()> + Send>>,
) -> (Arc<Shield>, bool) {
    rt.block_on(thread_sensitive_scope(async move {
        let (started, task_started) = oneshot::channel();
        let (unblock_task, blocker) = oneshot::channel();
        let shield = Arc::new(Shield {
            handle: Handle::current(),
            started: Mutex::new(Some(started)),
            blocker: Mutex::new(Some(blocker)),
            executed: Event::default(),
            view_done: Event::default(),
        });
        let task = tokio::spawn(CallContext::current().scope(request(Arc::clone(&shield))));
        task_started.await.expect("the subtask started");
        task.abort();
        let cancelled = task.await.is_err_and(|err| err.is_cancelled());
        unblock_task.send(()).expect("the subtask waits");
        (shield, cancelled)
    }))
}

/// What every `inner_shield_*` port checks: the request was cancelled, the
/// shielded subtask ran to its end anyway, and the view did (`view_done`:
/// it runs in sync code, which cancellation cannot interrupt) or did not
/// (async code is cancelled by being dropped).
///
/// asgiref delivers the cancellation *into* the view as an exception, which
/// the view catches, so there the request ends normally; Rust has no
/// cancellation to catch: the request's task reports it, and code on the far
/// side of a `sync → async` bridge runs on.
fn assert_shielded(name: &'static str, depth: u32, sync_task: bool, view_done: bool) {
    with_deadline(name, move || {
        // Kept until the end: the subtask runs on it after the request ended.
        let rt = tokio_runtime();
        let (shield, cancelled) = cancel_request(&rt, |shield| {
            if depth == 0 {
                Box::pin(shield.async_view(sync_task))
            } else {
                Box::pin(unblock_thread_sensitive(move || shield.sync_middleware(depth, sync_task)))
            }
        });
        assert!(cancelled, "the request task was cancelled");
        assert!(shield.executed.wait(), "the shielded subtask ran to its end");
        if view_done {
            assert!(shield.view_done.wait(), "the view, in sync middleware, ran to its end");
        } else {
            assert!(!shield.view_done.wait_timeout(std::time::Duration::ZERO));
        }
    });
}

#[test]
fn inner_shield_sync_middleware() {
    assert_shielded("inner_shield_sync_middleware", 1, false, true);
}

#[test]
fn inner_shield_async_middleware() {
    // `async_middleware` awaits the view directly: all async, all dropped.
    assert_shielded("inner_shield_async_middleware", 0, false, false);
}

#[test]
fn inner_shield_sync_and_async_middleware() {
    assert_shielded("inner_shield_sync_and_async_middleware", 3, false, true);
}

#[test]
fn inner_shield_sync_and_async_middleware_sync_task() {
    assert_shielded("inner_shield_sync_and_async_middleware_sync_task", 3, true, true);
}
