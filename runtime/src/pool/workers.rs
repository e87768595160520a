//! The bounded thread pool behind `unblock`: grows on demand up to a maximum,
//! queues what it cannot start yet, retires threads that stay idle.
//!
//! Idle workers sleep on one condvar; a submit wakes one (`notify_one`) or, if
//! none sleeps, starts a thread while below the maximum. A worker that runs
//! out of jobs first spins for the next one for up to 50 µs (one worker at a
//! time, never on a single core; see [`Pool::spin`]): a submit that finds it
//! spinning hands it the job with a store, no wake-up. That is the affinity of
//! a `loop { unblock(..).await }`: on the benchmark VM, where waking a
//! sleeping thread costs 10–60 µs, it cut the round trip to ~0.4× tokio's
//! `spawn_blocking` (`benches/unblock.rs`). Workers are detached, never
//! joined: process exit does not wait for them or for queued jobs.
//!
//! The maximum bounds the threads that can run jobs. A pool thread parked in
//! `block_on` (a job that waits for async code, which may itself wait for
//! another job) does not count while it waits, so nested sync → async → sync
//! chains deeper than the maximum cannot deadlock the pool; the threads above
//! the maximum retire as soon as the waits end.

use std::cell::Cell;
use std::collections::VecDeque;
use std::num::NonZeroUsize;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, PoisonError};
use std::time::Duration;

use super::task::Job;
use crate::spin::{multi_core, spin_until};
use crate::sync::{Condvar, Mutex, MutexGuard, thread};

/// The maximum number of pool threads unless configured otherwise (like
/// tokio's blocking pool).
///
/// ```
/// assert_eq!(twoworlds_runtime::DEFAULT_MAX_THREADS, 512);
/// ```
pub const DEFAULT_MAX_THREADS: usize = 512;

/// How long a pool thread waits for work before it exits, unless configured
/// with [`set_idle_timeout`].
///
/// ```
/// assert_eq!(twoworlds_runtime::DEFAULT_IDLE_TIMEOUT.as_secs(), 10);
/// ```
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(10);

/// The environment variable read (once, at the pool's first use) for the
/// maximum number of pool threads: a positive integer; anything else is
/// ignored with a warning on stderr.
///
/// ```
/// assert_eq!(twoworlds_runtime::MAX_THREADS_ENV, "TWOWORLDS_MAX_THREADS");
/// ```
pub const MAX_THREADS_ENV: &str = "TWOWORLDS_MAX_THREADS";

/// The pool's bookkeeping, behind one lock.
pub(super) struct State {
    /// Jobs no thread has taken yet, oldest first.
    pub(super) queue: VecDeque<Arc<dyn Job>>,
    /// Threads started and not yet exited.
    pub(super) live: usize,
    /// Live threads parked in `block_on`, not counted against the maximum.
    pub(super) blocked: usize,
    /// Threads waiting on the condvar.
    pub(super) sleeping: usize,
    /// Wake-ups sent to sleeping threads and not yet consumed.
    notified: usize,
    /// Threads spinning for a job before they sleep (see [`Pool::spin`]).
    spinning: usize,
    /// Queued jobs handed to spinning threads (no wake-up sent for them) and
    /// not yet claimed by one.
    spin_claims: usize,
    /// The most threads ever live at once.
    pub(super) peak: usize,
    /// The number of the next thread (`twoworlds-N`).
    next_id: u64,
    /// The maximum number of live threads.
    pub(super) max: usize,
    /// How long an idle thread waits before it exits.
    idle_timeout: Duration,
    /// Model tests: idle threads exit (see [`Pool::close`]).
    #[cfg(loom)]
    closing: bool,
}

/// A pool: the process-wide one, or one per model run of the loom tests.
pub(super) struct Pool {
    /// The bookkeeping.
    state: Mutex<State>,
    /// Idle workers wait here for jobs.
    work: Condvar,
    /// `State::spin_claims`, for the spinning thread to watch without the
    /// lock.
    claims: AtomicUsize,
}

/// The pool, configured from the environment on first use.
static POOL: LazyLock<Pool> = LazyLock::new(|| Pool::new(max_from_env()));

impl Pool {
    /// An empty pool of at most `max` threads.
    pub(super) fn new(max: usize) -> Self {
        Pool {
            state: Mutex::new(State {
                queue: VecDeque::new(),
                live: 0,
                blocked: 0,
                sleeping: 0,
                notified: 0,
                spinning: 0,
                spin_claims: 0,
                peak: 0,
                next_id: 1,
                max,
                idle_timeout: DEFAULT_IDLE_TIMEOUT,
                #[cfg(loom)]
                closing: false,
            }),
            work: Condvar::new(),
            claims: AtomicUsize::new(0),
        }
    }

    /// The pool's state, whoever panicked while holding it.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Model tests: threads started and not yet exited.
    #[cfg(all(test, loom))]
    pub(super) fn live_threads(&self) -> usize {
        self.lock().live
    }

    /// Model tests: makes idle threads exit as if their idle timeout passed
    /// (loom's condvar never times out).
    #[cfg(all(test, loom))]
    pub(super) fn close(&self) {
        self.lock().closing = true;
        self.work.notify_all();
    }
}

/// The maximum from `TWOWORLDS_MAX_THREADS`, or the default (with a warning on
/// stderr if the variable is set but not a positive integer).
fn max_from_env() -> usize {
    let Ok(value) = std::env::var(MAX_THREADS_ENV) else {
        return DEFAULT_MAX_THREADS;
    };
    if let Ok(max) = value.trim().parse::<NonZeroUsize>() {
        return max.get();
    }
    eprintln!(
        "twoworlds: ignoring {MAX_THREADS_ENV}={value:?}: expected a positive integer such as \
         64; using the default of {DEFAULT_MAX_THREADS} threads"
    );
    DEFAULT_MAX_THREADS
}

/// The process-wide pool's state, whoever panicked while holding it.
pub(super) fn lock() -> MutexGuard<'static, State> {
    POOL.lock()
}

/// Queues `job` on the process-wide pool.
pub(crate) fn submit(job: Arc<dyn Job>) {
    POOL.submit(job);
}

impl Pool {
    /// Queues `job`, waking or starting a thread for it if one may be had.
    pub(super) fn submit(&'static self, job: Arc<dyn Job>) {
        let mut state = self.lock();
        state.queue.push_back(job);
        if state.spinning > state.spin_claims {
            // A thread that just finished a job is spinning for the next:
            // it takes this one, no wake-up needed.
            state.spin_claims += 1;
            self.claims.store(state.spin_claims, Ordering::Release);
        } else if state.sleeping > state.notified {
            state.notified += 1;
            drop(state);
            self.work.notify_one();
        } else if state.has_room() {
            self.start_worker(state);
        }
    }
}

impl State {
    /// Live threads that count against the maximum.
    fn running(&self) -> usize {
        self.live.saturating_sub(self.blocked)
    }

    /// Threads that will take a queued job without being started: sleeping
    /// ones not yet woken, and spinning ones not yet handed a job.
    fn idle_takers(&self) -> usize {
        (self.sleeping - self.notified) + (self.spinning - self.spin_claims)
    }

    /// Whether one more thread may start.
    fn has_room(&self) -> bool {
        self.running() < self.max
    }

    /// Whether idle threads exit now: only in model tests (see
    /// [`Pool::close`]); otherwise when their idle timeout passes.
    #[cfg(loom)]
    fn closing(&self) -> bool {
        self.closing
    }

    /// Whether idle threads exit now: never outside model tests.
    #[cfg(not(loom))]
    #[allow(clippy::unused_self)] // Mirrors the model-test version.
    fn closing(&self) -> bool {
        false
    }
}

#[cfg(not(loom))]
std::thread_local! {
    /// How many `block_on`s are parked on this pool thread (they nest when a
    /// parked one runs a thread-sensitive job that blocks again); the thread
    /// counts as blocked once, while this is above zero.
    static PARKED: Cell<usize> = const { Cell::new(0) };
}

// The same per model thread (loom's macro takes no `const` initializers).
#[cfg(loom)]
loom::thread_local! {
    /// How many `block_on`s are parked on this pool thread.
    static PARKED: Cell<usize> = Cell::new(0);
}

/// The wait hook of pool threads (see `crate::block_on::set_wait_hook`): a
/// pool thread parked in `block_on` does not count against the maximum while
/// it waits (see the module docs). When its wait begins and the freed slot
/// allows one, a thread is started for queued jobs that no idle thread will
/// take.
fn on_block_on_wait(begins: bool) {
    let parked = PARKED.with(|parked| {
        let now = if begins { parked.get() + 1 } else { parked.get() - 1 };
        parked.set(now);
        now
    });
    match (begins, parked) {
        (true, 1) => {
            let mut state = lock();
            state.blocked += 1;
            if state.queue.len() > state.idle_takers() && state.has_room() {
                POOL.start_worker(state);
            }
        }
        (false, 0) => lock().blocked -= 1,
        _ => {}
    }
}

impl Pool {
    /// Starts one more worker; `state` must have room below the maximum.
    fn start_worker(&'static self, mut state: MutexGuard<'static, State>) {
        state.live += 1;
        state.peak = state.peak.max(state.running());
        let id = state.next_id;
        state.next_id += 1;
        drop(state);
        let spawned = thread::Builder::new().name(format!("twoworlds-{id}")).spawn(|| self.work());
        if let Err(err) = spawned {
            let mut state = self.lock();
            state.live -= 1;
            if state.live == 0 {
                // No thread will ever take the queued jobs: fail them rather than
                // leave their tasks waiting forever.
                let orphans: Vec<_> = state.queue.drain(..).collect();
                drop(state);
                for job in orphans {
                    job.abandon(format!("twoworlds::unblock could not start a pool thread: {err}"));
                }
            }
        }
    }

    /// A worker's life: take jobs until idle for the timeout.
    fn work(&self) {
        crate::block_on::set_wait_hook(on_block_on_wait);
        let mut state = self.lock();
        loop {
            if state.running() > state.max {
                // The maximum was lowered, or threads parked in `block_on` woke
                // up: this thread is one too many. It may have been woken for a
                // queued job: pass the wake-up on so the job is not stranded.
                state.live -= 1;
                let pass_on = !state.queue.is_empty() && state.sleeping > state.notified;
                if pass_on {
                    state.notified += 1;
                }
                drop(state);
                if pass_on {
                    self.work.notify_one();
                }
                return;
            }
            if let Some(job) = state.queue.pop_front() {
                drop(state);
                // `run` catches the closure's panic; this catches one from a
                // result's destructor or a waker, so the thread survives either.
                let _ = panic::catch_unwind(AssertUnwindSafe(|| job.run()));
                drop(job);
                state = self.lock();
                continue;
            }
            if state.closing() {
                state.live -= 1;
                return;
            }
            if state.spinning < max_spinners() {
                state = self.spin(state);
                if !state.queue.is_empty() {
                    continue;
                }
                // No job came (or another thread took it): sleep.
            }
            state.sleeping += 1;
            let timeout = state.idle_timeout;
            let (woken, waited) =
                self.work.wait_timeout(state, timeout).unwrap_or_else(PoisonError::into_inner);
            state = woken;
            state.sleeping -= 1;
            if state.notified > 0 {
                state.notified -= 1;
            } else if waited.timed_out() && state.queue.is_empty() {
                state.live -= 1;
                return;
            }
        }
    }
}

impl Pool {
    /// Spins for up to `crate::spin::SPIN_FOR` for a job handed to spinning threads
    /// (the affinity of a `loop { unblock(..).await }`: the thread that ran
    /// the last job is still awake for the next, which then costs no wake-up
    /// of a sleeping thread). Returns the state, locked, with a claimed job
    /// queued if this thread took one.
    fn spin<'a>(&'a self, mut state: MutexGuard<'a, State>) -> MutexGuard<'a, State> {
        state.spinning += 1;
        drop(state);
        let seen = spin_until(|| self.claims.load(Ordering::Acquire) > 0);
        let mut state = self.lock();
        state.spinning -= 1;
        // Take a claim if this thread saw one, or if there are now more
        // claims than spinning threads left to take them.
        if state.spin_claims > 0 && (seen || state.spin_claims > state.spinning) {
            state.spin_claims -= 1;
            self.claims.store(state.spin_claims, Ordering::Release);
        }
        state
    }
}

/// How many workers may spin at once: one on a machine with more than one
/// core (so a burst's end does not turn every idle worker into a spinner),
/// none on one core (the spinner would hold the core the submitter needs).
fn max_spinners() -> usize {
    usize::from(multi_core())
}

/// Sets the maximum number of pool threads, overriding the default and
/// `TWOWORLDS_MAX_THREADS`. Raising it starts threads for queued jobs at once;
/// lowering it retires threads as they finish their current job. Returns the
/// previous maximum.
///
/// ```
/// use std::num::NonZeroUsize;
/// let before = twoworlds_runtime::set_max_threads(NonZeroUsize::new(64).unwrap());
/// assert_eq!(twoworlds_runtime::max_threads(), 64);
/// # twoworlds_runtime::set_max_threads(NonZeroUsize::new(before).unwrap());
/// ```
#[allow(clippy::must_use_candidate)] // Callers set and usually ignore the old value.
pub fn set_max_threads(max: NonZeroUsize) -> usize {
    let mut state = lock();
    let previous = std::mem::replace(&mut state.max, max.get());
    let waking = state.sleeping - state.notified;
    let wanted = state.queue.len().saturating_sub(waking);
    let room = state.max.saturating_sub(state.running());
    for _ in 0..wanted.min(room) {
        POOL.start_worker(state);
        state = lock();
    }
    previous
}

/// The maximum number of pool threads: [`set_max_threads`] if called, else
/// `TWOWORLDS_MAX_THREADS` if set to a positive integer, else
/// [`DEFAULT_MAX_THREADS`] (512, like tokio's blocking pool).
///
/// ```
/// assert!(twoworlds_runtime::max_threads() >= 1);
/// ```
#[must_use]
pub fn max_threads() -> usize {
    lock().max
}

/// Sets how long a pool thread waits for a job before it exits (default
/// [`DEFAULT_IDLE_TIMEOUT`], 10 s). Applies from each thread's next wait.
///
/// ```
/// twoworlds_runtime::set_idle_timeout(std::time::Duration::from_secs(5));
/// ```
pub fn set_idle_timeout(timeout: Duration) {
    lock().idle_timeout = timeout;
}
