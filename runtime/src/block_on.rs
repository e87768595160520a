//! `block_on`: async → sync. Runs a future to completion on the calling
//! thread, parking it between polls.
//!
//! Each thread keeps one cached waker (an `Arc` allocated the first time the
//! thread blocks), so a call allocates nothing: the waker is only cloned
//! (a reference-count bump) by futures that store it. Waking sets a flag and
//! unparks the thread with [`Thread::unpark`]; the wait loop runs the
//! thread-sensitive jobs queued for this thread (which unpark it the same way)
//! before each park.
//!
//! The fast path — a future ready at its first poll — polls with
//! [`Waker::noop`] and touches only plain thread-local cells: the nested-call
//! check, the "polling" mark and the lazily registered thread-sensitive frame
//! (see `thread_sensitive::frame`). A future still pending is polled again at
//! once with the thread's own waker, inside the wait loop, where everything a
//! wait needs (the depth count, the wait hook, the stale-wake-up reset) is
//! set up. Past the misuse check nothing is generic over the future: the
//! first poll goes through its vtable (code shared by the futures of one
//! output type) and the wait loop through a `&mut dyn FnMut`, so each
//! blocking twin adds only `block_on_named`'s few lines to the user's build.
//!
//! The wait spins briefly before it parks where that has paid on this thread
//! (measured and bounded, see [`spin`]): on an idle machine a `block_on` of a
//! future completed by a tokio task on another core then returns in a
//! quarter of the time of tokio's `Handle::block_on` (`benches/block_on.rs`,
//! group `block_on_tokio_task`); on a busy one it parks at once.
//!
//! Misuse — a `block_on` from inside async code — is detected before anything
//! runs (`check`, which also serves the blocking twins of `#[dual]`): inside
//! another `block_on`'s poll on this thread (always), or on a thread that
//! drives tokio tasks (feature `tokio`; see [`crate::tokio_context`]). Without
//! the `tokio` feature, blocking inside some other executor's poll (tokio,
//! smol, async-std) is not detected. The thread's owner hears of each wait
//! through its wait hook (`hook`; the pool installs one on its workers).

mod check;
mod error;
mod hook;
#[cfg(all(test, loom))]
mod loom;
mod spin;

use std::cell::Cell;
use std::future::Future;
use std::panic::Location;
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll, Wake, Waker};

use crate::sync::AtomicBool;
use crate::sync::thread::{self, Thread};
use check::{Place, check, misuse};
pub use check::{TWIN_CHECKS, check_blocking_twin};
pub use error::{BlockOnError, BlockOnErrorKind};
pub(crate) use hook::set_wait_hook;

/// The name misuse messages show for a direct call.
const BLOCK_ON: &str = "twoworlds::block_on";

/// Runs `fut` to completion on this thread, parking the thread while the
/// future waits, and returns its output.
///
/// No thread is spawned and, after the first call on a thread, nothing is
/// allocated. Before it parks, the thread may watch for its wake-up for up to
/// 50 µs, so a future completed soon by another thread costs no wake-up of a
/// sleeping thread: only where that has paid on this thread (it cut the
/// recent waits to 70 % or less: on an idle machine, not on a busy one nor
/// for waits longer than that), never on a single-core machine. With feature `tokio` the future runs inside a tokio runtime
/// context, so tokio timers and I/O work: the thread's current context if it
/// has one (an [`unblock`](crate::unblock) thread entered from tokio code, a
/// `spawn_blocking` thread), else the handle installed with
/// `set_tokio_handle`, else a shared multi-thread runtime built on first use.
/// tokio futures look up their runtime when they are created, so create them
/// inside the future: `block_on(async { sleep(d).await })`, not
/// `block_on(sleep(d))`.
///
/// ```
/// assert_eq!(twoworlds_runtime::block_on(async { 1 + 1 }), 2);
/// ```
///
/// Anything but a future (a value, a sync fn) is a compile error:
///
/// ```compile_fail
/// twoworlds_runtime::block_on(std::thread::current);
/// ```
///
/// # Panics
/// When called from async code — inside the poll of another `block_on`, or
/// (feature `tokio`) on a thread driving tokio tasks — rather than deadlock or
/// silently stall the loop. The message names the function, the thread and
/// what to do instead; the panic points at the caller. [`try_block_on`]
/// returns the same as an error. Panics of the future propagate unchanged.
#[track_caller]
#[inline]
pub fn block_on<F: Future>(fut: F) -> F::Output {
    block_on_named(BLOCK_ON, fut)
}

/// Like [`block_on`], but returns an error instead of panicking when called
/// from async code.
///
/// ```
/// assert_eq!(twoworlds_runtime::try_block_on(async { 3 }).unwrap(), 3);
/// let nested = twoworlds_runtime::block_on(async { twoworlds_runtime::try_block_on(async { 4 }) });
/// assert!(nested.is_err());
/// ```
///
/// # Errors
/// [`BlockOnError`] when called from async code (see [`block_on`]), or with
/// feature `tokio` when no tokio runtime can be had. The future is dropped
/// without being polled.
#[track_caller]
pub fn try_block_on<F: Future>(fut: F) -> Result<F::Output, BlockOnError> {
    try_block_on_named(BLOCK_ON, fut)
}

/// [`block_on`] on behalf of a generated blocking twin named `twin`, so a
/// misuse message names the function the user actually called.
///
/// ```
/// assert_eq!(twoworlds_runtime::__private::block_on_named("blocking_two", async { 2 }), 2);
/// ```
#[doc(hidden)]
#[track_caller]
#[inline]
pub fn block_on_named<F: Future>(twin: &'static str, fut: F) -> F::Output {
    match check() {
        Ok(place) => run_in(place, pin!(fut)),
        Err(kind) => misuse(twin, kind),
    }
}

/// [`try_block_on`] on behalf of a generated blocking twin named `twin`.
///
/// ```
/// let err = twoworlds_runtime::block_on(async {
///     twoworlds_runtime::__private::try_block_on_named("blocking_two", async { 2 })
/// });
/// assert_eq!(err.unwrap_err().function(), "blocking_two");
/// ```
///
/// # Errors
/// As [`try_block_on`].
#[doc(hidden)]
#[track_caller]
pub fn try_block_on_named<F: Future>(
    twin: &'static str,
    fut: F,
) -> Result<F::Output, BlockOnError> {
    match check() {
        Ok(place) => Ok(run_in(place, pin!(fut))),
        Err(kind) => Err(BlockOnError::new(twin, kind, Location::caller())),
    }
}

/// Runs `fut` to completion inside `place`'s tokio runtime, if any. The
/// guard of `Handle::enter` stays in this frame (not moved through an
/// `Option`), which measured ~4 ns faster per call.
#[cfg(feature = "tokio")]
#[inline]
fn run_in<T>(place: Place, fut: Erased<'_, T>) -> T {
    match place {
        None => run(fut),
        Some(handle) => {
            let _entered = handle.enter();
            run(fut)
        }
    }
}

/// Runs `fut` to completion (no runtime to enter without feature `tokio`).
#[cfg(not(feature = "tokio"))]
#[inline]
fn run_in<T>((): Place, fut: Erased<'_, T>) -> T {
    run(fut)
}

/// Runs `fut` to completion on this thread with `block_on`'s poll/park loop,
/// but without its misuse check and without entering a tokio runtime: for the
/// runtime's own event-loop threads (see `crate::single_thread`), which enter
/// each task's runtime themselves.
pub(crate) fn run_event_loop<F: Future>(fut: F) -> F::Output {
    run(pin!(fut))
}

/// A pinned future seen only through its output type: what the code past
/// the misuse check polls, so that code is compiled once per output type
/// (`u64`, `Result<String, Error>`), not once per future.
type Erased<'a, T> = Pin<&'a mut dyn Future<Output = T>>;

/// Runs `fut` to completion on this thread.
///
/// Generic over the output type only, not the future: every blocking twin
/// instantiates `block_on_named`, and the build time of a crate of
/// `#[bridge]` fns grows with the code each one adds
/// (`benches/build_time.sh`); the future is polled through its vtable, so
/// twins with the same output share this code (an optimized build inlines
/// it and calls the future's `poll` directly). It polls once with a no-op
/// waker; a future ready at once needs nothing else. Otherwise the wait loop
/// takes over through a `&mut dyn FnMut` (not generic: compiled once), and
/// polls again at once with this thread's real waker, so the waker from the
/// first poll is never the one a wake-up goes to.
#[inline]
fn run<T>(mut fut: Erased<'_, T>) -> T {
    let _frame = crate::thread_sensitive::LazyFrame::enter();
    let polling = Polling::enter();
    let first = fut.as_mut().poll(&mut Context::from_waker(Waker::noop()));
    drop(polling);
    if let Poll::Ready(out) = first {
        return out;
    }
    let mut output = None;
    wait_for(&mut |cx| match fut.as_mut().poll(cx) {
        Poll::Ready(out) => {
            output = Some(out);
            true
        }
        Poll::Pending => false,
    });
    match output {
        Some(out) => out,
        None => unreachable!("the wait loop returns only once the output is stored"),
    }
}

/// Polls the future being blocked on once with the given context; `true`
/// once it is ready (the caller's closure then holds its output).
type PollOnce<'a> = &'a mut dyn FnMut(&mut Context<'_>) -> bool;

/// Wakes the thread blocked in [`block_on`]: sets the flag, then unparks.
struct Signal {
    /// The thread that owns this signal.
    thread: Thread,
    /// Set by a wake, consumed by the wait loop.
    notified: AtomicBool,
}

impl Wake for Signal {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        // Only the wake that raises the flag needs to unpark: until the wait
        // loop consumes the flag it will not park.
        if !self.notified.swap(true, Ordering::AcqRel) {
            self.thread.unpark();
        }
    }
}

/// Per-thread state of `block_on`.
struct Wait {
    /// This thread's signal.
    signal: Arc<Signal>,
    /// A waker for `signal`, cloned by futures that need to store it.
    waker: Waker,
}

/// Per-thread flags of `block_on`: plain cells without a destructor, so the
/// fast path (a future ready at its first poll) reads them almost for free.
struct Flags {
    /// Whether this thread is inside a `block_on`'s poll right now.
    polling: Cell<bool>,
    /// How many `block_on`s are waiting on this thread (nested ones are
    /// reached through thread-sensitive jobs run while waiting).
    depth: Cell<usize>,
    /// Whether and how long to spin before parking.
    spin: spin::Spin,
}

impl Wait {
    /// The state for the current thread.
    fn new() -> Self {
        let signal =
            Arc::new(Signal { thread: thread::current(), notified: AtomicBool::new(false) });
        let waker = Waker::from(Arc::clone(&signal));
        Wait { signal, waker }
    }

    /// Waits until the waker fires — spinning briefly, then parked (see
    /// [`spin`]) — running this thread's pending thread-sensitive jobs first
    /// and whenever the thread is unparked.
    fn wait(&self, spin: &spin::Spin) {
        let mut waiting = spin::Waiting::new();
        loop {
            crate::thread_sensitive::run_pending_on_this_thread();
            if self.signal.notified.swap(false, Ordering::AcqRel) {
                spin.done(waiting);
                return;
            }
            if !spin.wait_for(&mut waiting, &self.signal.notified) {
                thread::park();
            }
        }
    }
}

thread_local! {
    /// This thread's `block_on` state, created the first time it blocks.
    static WAIT: Wait = Wait::new();
    /// This thread's flags.
    static FLAGS: Flags = const {
        Flags { polling: Cell::new(false), depth: Cell::new(0), spin: spin::Spin::new() }
    };
}

/// The slow path of `run_in`: polls with this thread's waker until
/// `poll_once` reports the future done, parking between polls.
fn wait_for(poll_once: PollOnce<'_>) {
    match WAIT.try_with(|wait| wait_until_ready(wait, &mut *poll_once)) {
        Ok(()) => {}
        // Called from a thread-local destructor after `WAIT` was destroyed:
        // use a one-off state.
        Err(_) => wait_until_ready(&Wait::new(), poll_once),
    }
}

/// Model tests: [`block_on`]'s poll/park loop with a parker made for the
/// calling model thread (the cached one lives in a `std` thread-local, which
/// loom's threads share).
#[cfg(all(test, loom))]
pub(crate) fn block_on_model<F: Future>(fut: F) -> F::Output {
    let mut fut = pin!(fut);
    let mut output = None;
    wait_until_ready(&Wait::new(), &mut |cx| match fut.as_mut().poll(cx) {
        Poll::Ready(out) => {
            output = Some(out);
            true
        }
        Poll::Pending => false,
    });
    output.expect("the model's future completed")
}

/// Polls with `wait`'s waker until the future is done, parking until woken
/// between polls.
fn wait_until_ready(wait: &Wait, poll_once: PollOnce<'_>) {
    FLAGS.with(|flags| {
        let _depth = Depth::enter(flags, wait);
        // The thread's owner hears of the wait (a pool thread about to park
        // stops counting against the pool's maximum until this `block_on`
        // returns, so nested chains cannot exhaust the pool).
        let _announced = hook::Announced::begin();
        let mut cx = Context::from_waker(&wait.waker);
        loop {
            let polling = Polling::enter();
            let ready = poll_once(&mut cx);
            drop(polling);
            if ready {
                if flags.depth.get() == 1 {
                    // A wake-up that comes after the last poll is stale: the
                    // next `block_on` on this thread need not re-poll for it.
                    wait.signal.notified.store(false, Ordering::Release);
                }
                return;
            }
            wait.wait(&flags.spin);
        }
    });
}

/// Counts a `block_on` that waits on this thread for as long as it lives
/// (one that returns at its first poll never consumes a wake-up).
struct Depth<'a> {
    /// The thread's flags.
    flags: &'a Flags,
    /// The thread's signal.
    wait: &'a Wait,
}

impl<'a> Depth<'a> {
    /// Counts one more `block_on`.
    fn enter(flags: &'a Flags, wait: &'a Wait) -> Self {
        flags.depth.set(flags.depth.get() + 1);
        Depth { flags, wait }
    }
}

impl Drop for Depth<'_> {
    fn drop(&mut self) {
        let depth = self.flags.depth.get() - 1;
        self.flags.depth.set(depth);
        if depth > 0 {
            // A nested `block_on` shares the thread's signal and may have
            // consumed a wake meant for the outer one: make the outer re-poll.
            self.wait.signal.notified.store(true, Ordering::Release);
        }
    }
}

/// Marks this thread as inside a `block_on` poll, restoring the previous mark
/// when dropped (also on panic).
struct Polling {
    /// The mark's value before.
    previous: bool,
}

impl Polling {
    /// Sets the mark.
    #[inline]
    fn enter() -> Self {
        Polling { previous: FLAGS.with(|flags| flags.polling.replace(true)) }
    }
}

impl Drop for Polling {
    #[inline]
    fn drop(&mut self) {
        FLAGS.with(|flags| flags.polling.set(self.previous));
    }
}
