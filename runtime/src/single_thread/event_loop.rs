//! The event loop of an [`AsyncSingleThread`](super::AsyncSingleThread): one
//! thread that polls every future submitted to it, interleaving them like an
//! asyncio loop (a future that waits lets the others run), until it is closed
//! and has nothing left.
//!
//! The loop runs inside `block_on`'s poll/park loop (`run_event_loop`), so a
//! blocking call made by one of its futures is caught like any blocking call
//! made from async code. Each task is polled inside its caller's
//! [`CallContext`](crate::CallContext) (and, with feature `tokio`, the
//! caller's tokio runtime); a panic in a task is caught and handed to its
//! caller, and the loop goes on.

use std::collections::VecDeque;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, ThreadId};

/// A submitted future, type-erased: its output goes to its caller's slot.
type BoxedTask = Pin<Box<dyn Future<Output = ()> + Send>>;

/// The loop's queue, behind one lock.
#[derive(Default)]
struct State {
    /// Tasks woken (or new) and not yet polled, oldest first.
    ready: VecDeque<Arc<Task>>,
    /// Tasks submitted and not finished.
    tasks: usize,
    /// No more tasks will come: exit once `tasks` is zero.
    closed: bool,
    /// The loop's own waker, when it waits for a task to be woken.
    waker: Option<Waker>,
}

/// What the loop thread and its submitters share.
pub(super) struct Shared {
    /// The queue.
    state: Mutex<State>,
    /// The loop's thread.
    thread: ThreadId,
}

impl Shared {
    /// Locks the queue, tolerating poison (tasks run outside the lock).
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The loop's thread.
    pub(super) fn thread_id(&self) -> ThreadId {
        self.thread
    }

    /// Queues `task` as ready and wakes the loop.
    fn schedule(&self, task: Arc<Task>) {
        let waker = {
            let mut state = self.lock();
            state.ready.push_back(task);
            state.waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    /// Submits a new task running `fut`.
    pub(super) fn submit(self: &Arc<Self>, fut: BoxedTask) {
        self.lock().tasks += 1;
        let task = Task {
            fut: Mutex::new(Some(fut)),
            shared: Arc::clone(self),
            queued: AtomicBool::new(true),
        };
        self.schedule(Arc::new(task));
    }

    /// No more tasks will come: the loop exits once the running ones end.
    pub(super) fn close(&self) {
        let waker = {
            let mut state = self.lock();
            state.closed = true;
            state.waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

/// One submitted future.
struct Task {
    /// The future; `None` once it finished.
    fut: Mutex<Option<BoxedTask>>,
    /// The loop it belongs to.
    shared: Arc<Shared>,
    /// Whether it is in the ready queue (a wake then does nothing more).
    queued: AtomicBool,
}

impl Wake for Task {
    fn wake(self: Arc<Self>) {
        if !self.queued.swap(true, Ordering::AcqRel) {
            let shared = Arc::clone(&self.shared);
            shared.schedule(self);
        }
    }

    fn wake_by_ref(self: &Arc<Self>) {
        Arc::clone(self).wake();
    }
}

impl Task {
    /// Polls the task once (on the loop thread); counts it out when it ends.
    fn run(self: Arc<Self>) {
        self.queued.store(false, Ordering::Release);
        let waker = Waker::from(Arc::clone(&self));
        let mut slot = self.fut.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(fut) = slot.as_mut() else { return };
        // The submitted future catches its own panics (see `super::Call`);
        // this only guards the loop against one escaping anyway.
        let done = catch_unwind(AssertUnwindSafe(|| {
            fut.as_mut().poll(&mut Context::from_waker(&waker)).is_ready()
        }))
        .unwrap_or(true);
        if done {
            let finished = slot.take();
            drop(slot);
            drop(finished);
            self.shared.lock().tasks -= 1;
        }
    }
}

/// Starts a loop thread named `name`; returns what its submitters share.
pub(super) fn start(name: &str) -> std::io::Result<Arc<Shared>> {
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    thread::Builder::new().name(name.to_owned()).spawn(move || {
        let shared = Arc::new(Shared {
            state: Mutex::new(State::default()),
            thread: thread::current().id(),
        });
        let _ = tx.send(Arc::clone(&shared));
        crate::block_on::run_event_loop(std::future::poll_fn(|cx| drive(&shared, cx)));
    })?;
    rx.recv().map_err(|_| std::io::Error::other("the event-loop thread exited at start"))
}

/// One turn of the loop: polls every ready task; `Ready` once closed and
/// empty, else `Pending` with the loop's waker stored.
fn drive(shared: &Shared, cx: &mut Context<'_>) -> Poll<()> {
    loop {
        let next = {
            let mut state = shared.lock();
            match state.ready.pop_front() {
                Some(task) => task,
                None if state.closed && state.tasks == 0 => return Poll::Ready(()),
                None => {
                    state.waker = Some(cx.waker().clone());
                    return Poll::Pending;
                }
            }
        };
        next.run();
    }
}
