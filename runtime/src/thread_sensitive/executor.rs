//! Executors: queues of thread-sensitive jobs, each served by one thread.
//!
//! Three kinds (asgiref's three placements): a `block_on` *frame* served by
//! the thread blocked in `block_on` while it waits (asgiref's
//! `CurrentThreadExecutor`), a *scope* thread, and the process-wide
//! *dedicated* thread. Frames stack per thread and chain across threads
//! through `parent`: work for a frame that has finished goes to the next live
//! one up the chain.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::thread::{self, Thread};

use super::ThreadSensitiveError;
use super::placement::{self, Placement};

/// A queued thread-sensitive call. Dropping it without running it reports a
/// "no executor" error to the caller, so a lost job can never hang anyone.
pub(crate) trait Job: Send {
    /// Runs the call on `on`, the executor that picked it.
    fn run(self: Box<Self>, on: &Executor);
}

/// The queue of one executor and whether it still accepts work.
struct State {
    /// Jobs waiting to run, oldest first.
    jobs: VecDeque<Box<dyn Job>>,
    /// False once the frame returned / the scope ended.
    live: bool,
}

/// A queue of thread-sensitive jobs served by one thread.
pub(crate) struct Executor {
    /// Identity for the deadlock marker (never reused, unlike addresses);
    /// renewed when a spare frame is reused.
    id: AtomicU64,
    /// The thread that serves the queue; unparked when work arrives.
    thread: Thread,
    /// The queue.
    state: Mutex<State>,
    /// Where work goes once this executor is no longer live.
    parent: Option<Arc<Executor>>,
    /// Mirrors `!state.live` for the owning thread, so reusing a frame that
    /// was never closed takes no lock.
    closed: AtomicBool,
}

/// Source of [`Executor::id`]s.
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

impl Executor {
    /// A live executor served by `thread`.
    pub(crate) fn new(thread: Thread, parent: Option<Arc<Executor>>) -> Arc<Self> {
        Arc::new(Executor {
            id: AtomicU64::new(NEXT_ID.fetch_add(1, Ordering::Relaxed)),
            thread,
            state: Mutex::new(State { jobs: VecDeque::new(), live: true }),
            parent,
            closed: AtomicBool::new(false),
        })
    }

    /// Locks the queue, tolerating poison (jobs run outside the lock).
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// This executor's current identity.
    fn id(&self) -> u64 {
        self.id.load(Ordering::Relaxed)
    }

    /// Makes an unshared spare frame live again, so a `block_on` can reuse it
    /// instead of allocating. A frame that was closed gets a new identity (a
    /// frame nobody captured was never closed and needs nothing).
    pub(crate) fn reopen(&self) {
        if self.closed.load(Ordering::Relaxed) {
            self.id.store(NEXT_ID.fetch_add(1, Ordering::Relaxed), Ordering::Relaxed);
            self.lock().live = true;
            self.closed.store(false, Ordering::Relaxed);
        }
    }

    /// Where work goes once this executor is no longer live.
    pub(crate) fn parent(&self) -> Option<&Arc<Executor>> {
        self.parent.as_ref()
    }

    /// The serving thread's id.
    pub(crate) fn thread_id(&self) -> thread::ThreadId {
        self.thread.id()
    }

    /// The serving thread, for messages: its name, or its id.
    pub(crate) fn thread_name(&self) -> String {
        describe(&self.thread)
    }

    /// Whether this executor accepts work.
    pub(crate) fn is_live(&self) -> bool {
        self.lock().live
    }

    /// Stops accepting work and returns what was still queued.
    pub(crate) fn close(&self) -> VecDeque<Box<dyn Job>> {
        self.closed.store(true, Ordering::Relaxed);
        let mut state = self.lock();
        state.live = false;
        std::mem::take(&mut state.jobs)
    }

    /// Takes the oldest queued job.
    pub(crate) fn pop(&self) -> Option<Box<dyn Job>> {
        self.lock().jobs.pop_front()
    }
}

/// `name` or `ThreadId(n)` of a thread, quoted for messages.
pub(crate) fn describe(thread: &Thread) -> String {
    match thread.name() {
        Some(name) => format!("`{name}`"),
        None => format!("{:?}", thread.id()),
    }
}

/// Marks a thread-sensitive job while it runs, so that a call that needs the
/// job's own thread while the job waits for it is refused (deadlock
/// detection). Cleared when the job ends, also on panic.
pub(crate) struct JobMarker {
    /// The executor running the job.
    executor: u64,
    /// The job's function, for the message.
    function: &'static str,
    /// Whether the job is still running.
    active: AtomicBool,
}

/// Clears a [`JobMarker`] when dropped (the job returned or panicked).
pub(crate) struct ActiveJob(pub(crate) Arc<JobMarker>);

impl ActiveJob {
    /// Marks `function` as running on `on`.
    pub(crate) fn start(on: &Executor, function: &'static str) -> Self {
        let marker = JobMarker { executor: on.id(), function, active: AtomicBool::new(true) };
        ActiveJob(Arc::new(marker))
    }
}

impl Drop for ActiveJob {
    fn drop(&mut self) {
        self.0.active.store(false, Ordering::Release);
    }
}

/// Queues `job` on the first live executor of the chain starting at `start`.
/// Refuses with a deadlock error when that executor is busy running the job
/// the caller is inside (`marker`).
pub(crate) fn submit_chain(
    start: &Arc<Executor>,
    job: Box<dyn Job>,
    function: &'static str,
    markers: &[Option<&JobMarker>],
) -> Result<(), (Box<dyn Job>, ThreadSensitiveError)> {
    let mut executor = start;
    loop {
        {
            let mut state = executor.lock();
            if state.live {
                let busy = markers
                    .iter()
                    .flatten()
                    .find(|m| m.executor == executor.id() && m.active.load(Ordering::Acquire));
                if let Some(m) = busy {
                    {
                        let err = ThreadSensitiveError::deadlock(
                            function,
                            executor.thread_name(),
                            m.function,
                        );
                        return Err((job, err));
                    }
                }
                state.jobs.push_back(job);
                drop(state);
                executor.thread.unpark();
                return Ok(());
            }
        }
        let Some(parent) = &executor.parent else {
            let err = ThreadSensitiveError::no_executor(function, start.thread_name());
            return Err((job, err));
        };
        executor = parent;
    }
}

/// Queues `job` where thread-sensitive work of this call goes: the `block_on`
/// frame of the logical call, else its scope's thread, else the process-wide
/// dedicated thread. Decided when the call's future is first polled: from the
/// context of that poll if it has a frame or a scope (so
/// `block_on(unblock_thread_sensitive(f))` is served by that `block_on`), else
/// from `call`, the context the call was made in (so a task spawned on another
/// executor stays with its logical call).
pub(crate) fn place(
    job: Box<dyn Job>,
    function: &'static str,
    call: &Placement,
) -> Result<(), (Box<dyn Job>, ThreadSensitiveError)> {
    let poll = placement::capture();
    let from = if poll.executor.is_some() || (call.executor.is_none() && poll.scope.is_some()) {
        &poll
    } else {
        call
    };
    let target = match (&from.executor, &from.scope) {
        (Some(frame), _) => Arc::clone(frame),
        (None, Some(scope)) => match scope.executor() {
            Ok(executor) => executor,
            Err(err) => return Err((job, ThreadSensitiveError::spawn(function, &err))),
        },
        (None, None) => match dedicated() {
            Ok(executor) => Arc::clone(executor),
            Err(err) => return Err((job, ThreadSensitiveError::spawn(function, err))),
        },
    };
    let markers = [poll.job.as_deref(), call.job.as_deref()];
    submit_chain(&target, job, function, &markers)
}

/// Starts a thread named `name` that serves a new executor until it is closed
/// and drained.
pub(crate) fn spawn_dedicated(name: &str) -> std::io::Result<Arc<Executor>> {
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    thread::Builder::new().name(name.to_owned()).spawn(move || {
        let _counted = super::stats::Counted::start();
        let executor = Executor::new(thread::current(), None);
        let _ = tx.send(Arc::clone(&executor));
        serve(&executor);
    })?;
    rx.recv().map_err(|_| std::io::Error::other("the thread-sensitive thread exited at start"))
}

/// Runs `executor`'s jobs until it is closed and its queue is empty.
fn serve(executor: &Executor) {
    loop {
        let job = {
            let mut state = executor.lock();
            match state.jobs.pop_front() {
                Some(job) => job,
                None if !state.live => return,
                None => {
                    drop(state);
                    thread::park();
                    continue;
                }
            }
        };
        job.run(executor);
    }
}

/// Closes a dedicated executor: its thread drains the queue and exits.
pub(crate) fn shut_down(executor: &Executor) {
    let mut state = executor.lock();
    state.live = false;
    drop(state);
    executor.thread.unpark();
}

/// The process-wide dedicated thread (placement 3), started on first use.
fn dedicated() -> Result<&'static Arc<Executor>, &'static std::io::Error> {
    static DEDICATED: OnceLock<std::io::Result<Arc<Executor>>> = OnceLock::new();
    DEDICATED.get_or_init(|| spawn_dedicated("twoworlds-thread-sensitive")).as_ref()
}
