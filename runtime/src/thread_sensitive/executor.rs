//! Executors: queues of thread-sensitive jobs, each served by one thread.
//!
//! Three kinds (asgiref's three placements): a `block_on` *frame* served by
//! the thread blocked in `block_on` while it waits (asgiref's
//! `CurrentThreadExecutor`), a *scope* thread, and the process-wide
//! *dedicated* thread. Frames stack per thread and chain across threads
//! through `parent`: work for a frame that has finished goes to the next live
//! one up the chain.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::thread::{self, Thread};

use super::ThreadSensitiveError;
use crate::context;

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
    /// Identity for the deadlock marker (never reused, unlike addresses).
    id: u64,
    /// The thread that serves the queue; unparked when work arrives.
    thread: Thread,
    /// The queue.
    state: Mutex<State>,
    /// Where work goes once this executor is no longer live.
    parent: Option<Arc<Executor>>,
}

/// Source of [`Executor::id`]s.
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

impl Executor {
    /// A live executor served by `thread`.
    fn new(thread: Thread, parent: Option<Arc<Executor>>) -> Arc<Self> {
        Arc::new(Executor {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            thread,
            state: Mutex::new(State { jobs: VecDeque::new(), live: true }),
            parent,
        })
    }

    /// Locks the queue, tolerating poison (jobs run outside the lock).
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
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
    fn is_live(&self) -> bool {
        self.lock().live
    }

    /// Stops accepting work and returns what was still queued.
    fn close(&self) -> VecDeque<Box<dyn Job>> {
        let mut state = self.lock();
        state.live = false;
        std::mem::take(&mut state.jobs)
    }

    /// Takes the oldest queued job.
    fn pop(&self) -> Option<Box<dyn Job>> {
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
        let marker = JobMarker { executor: on.id, function, active: AtomicBool::new(true) };
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
fn submit_chain(
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
                    .find(|m| m.executor == executor.id && m.active.load(Ordering::Acquire));
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
    call: &context::Context,
) -> Result<(), (Box<dyn Job>, ThreadSensitiveError)> {
    let poll = context::current();
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

thread_local! {
    /// The `block_on` frames of this thread, innermost last.
    static FRAMES: RefCell<Vec<Arc<Executor>>> = const { RefCell::new(Vec::new()) };
}

/// Runs the jobs queued on this thread's `block_on` frames (innermost frame
/// first). The thread is blocked in all of them, so any may run here.
pub(crate) fn run_pending_on_this_thread() {
    loop {
        let job = FRAMES.with(|frames| {
            let frames = frames.borrow();
            frames.iter().rev().find_map(|f| f.pop().map(|job| (job, Arc::clone(f))))
        });
        match job {
            Some((job, frame)) => job.run(&frame),
            None => return,
        }
    }
}

/// A `block_on` call registered as a thread-sensitive executor for as long
/// as it runs. `block_on` holds one: `let _frame = ExecutorFrame::enter();`.
pub(crate) struct ExecutorFrame {
    /// The frame, if this `block_on` serves the logical call's work.
    frame: Option<Arc<Executor>>,
    /// The context's executor before, restored on drop.
    previous: Option<context::Entered>,
}

impl ExecutorFrame {
    /// Registers the calling `block_on`. It becomes the executor of the
    /// logical call unless the call already has a home on another thread:
    /// a live outer `block_on` there (a sync-outermost program keeps all its
    /// thread-sensitive work on its own thread), or — with no such frame — the
    /// thread of the scope the call is in.
    pub(crate) fn enter() -> Self {
        let (outer, scope) = context::with_current(|c| (c.executor.clone(), c.scope.clone()));
        let me = thread::current();
        let live = outer.as_ref().and_then(|outer| {
            let mut e = Some(outer);
            while let Some(executor) = e {
                if executor.is_live() {
                    return Some(Some(executor.thread.id()));
                }
                e = executor.parent.as_ref();
            }
            None
        });
        let home = live.or_else(|| scope.map(|s| s.thread_id()));
        if home.is_some_and(|home| home != Some(me.id())) {
            return ExecutorFrame { frame: None, previous: None };
        }
        let frame = Executor::new(me, outer);
        FRAMES.with(|frames| frames.borrow_mut().push(Arc::clone(&frame)));
        let mut ctx = context::current();
        ctx.executor = Some(Arc::clone(&frame));
        ExecutorFrame { frame: Some(frame), previous: Some(context::enter(ctx)) }
    }
}

impl Drop for ExecutorFrame {
    fn drop(&mut self) {
        drop(self.previous.take());
        let Some(frame) = self.frame.take() else { return };
        let _ = FRAMES.try_with(|frames| {
            let mut frames = frames.borrow_mut();
            if let Some(i) = frames.iter().rposition(|f| Arc::ptr_eq(f, &frame)) {
                frames.remove(i);
            }
        });
        // Work that arrived too late for this frame goes up the chain; with
        // nothing live above, dropping the job reports the error to its caller.
        for job in frame.close() {
            if let Some(parent) = &frame.parent {
                let _ = submit_chain(parent, job, "", &[]);
            }
        }
    }
}
