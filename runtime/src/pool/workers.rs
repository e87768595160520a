//! The bounded thread pool behind `unblock`: grows on demand up to a maximum,
//! queues what it cannot start yet, retires threads that stay idle.
//!
//! A thread that finishes a job counts itself ready for the next one (awake)
//! *before* the job's result is delivered, so the awaiting task, which may
//! submit its next job the moment it has the result, always finds it: a
//! submit hands a job to an awake thread with a store (a claim), else wakes
//! a sleeping one (`notify_one`), else starts a thread while below the
//! maximum. Delivering first and looking again later let a submit land in
//! between, find no idle thread and start one more — on a loaded machine,
//! where that gap is long, a sequential `loop { unblock(..).await }` grew the
//! pool to dozens of threads (`tests/unblock_affinity.rs`).
//!
//! One thread back from a job stands by for the next (never on a single
//! core; see [`Pool::stand_by`]): it spins for it first, or parks at once,
//! unparked by the submit that claims a job for it. A job handed to it while
//! it spins is spun for by the awaiting task too (see `task`): with both
//! sides spinning a short job's round trip wakes no sleeping thread. Whether
//! both spin is one decision, a [`Duel`] of the recent round trips (submit to
//! result) under the [`ROUND_TRIP`] rule, made at each handoff: the standby
//! thread waits after the job as that job's arm says. On an idle VM, where
//! waking a sleeping thread is dear, spinning wins; on a busy machine the
//! spinners take the cores the other side needs and parking wins. A standby
//! spin that ends without a job (the awaiting task does other things between
//! its jobs) counts against spinning.
//! The other idle threads sleep on one condvar. Workers are detached, never
//! joined: process exit does not wait for them or for queued jobs.
//!
//! The maximum bounds the threads that can run jobs. A pool thread parked in
//! `block_on` (a job that waits for async code, which may itself wait for
//! another job) does not count while it waits, so nested sync → async → sync
//! chains deeper than the maximum cannot deadlock the pool; the threads above
//! the maximum retire as soon as the waits end.

use std::cell::Cell;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, PoisonError};
use std::time::Duration;

use super::task::{Handoff, Job};
use crate::spin::{Arm, Duel, ROUND_TRIP, Sample};
use crate::sync::{Condvar, Mutex, MutexGuard, thread};

mod config;
mod standby;
#[cfg(all(test, not(loom)))]
mod tests;

use config::max_from_env;
pub use config::{
    DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_THREADS, MAX_THREADS_ENV, max_threads, set_idle_timeout,
    set_max_threads,
};
use standby::Standby;

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
    /// Threads that will look at the queue before they sleep on the condvar
    /// and have not taken a job yet: threads starting, threads back from a
    /// job (counted before the job's result is delivered, see [`Pool::run`]),
    /// the standby thread, threads woken from their sleep.
    awake: usize,
    /// The standby thread, if any (see [`Pool::stand_by`]); one of `awake`.
    standby: Option<Standby>,
    /// Queued jobs promised to awake threads (no wake-up sent for them);
    /// never more than the awake threads, nor than the queued jobs.
    claims: usize,
    /// How the recent round trips through the standby thread went, both
    /// sides spinning and both parking at once.
    duel: Duel,
    /// The arm of the latest job handed to the standby thread: how the
    /// standby thread waits for its next one.
    arm: Arm,
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
    /// `State::claims`, for the standby thread to watch without the lock.
    claims: AtomicUsize,
    /// The latest round trip an awaiting task measured, for `State::duel`.
    round_trips: Sample,
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
                awake: 0,
                standby: None,
                claims: 0,
                duel: Duel::new(ROUND_TRIP),
                arm: Arm::Spin,
                peak: 0,
                next_id: 1,
                max,
                idle_timeout: DEFAULT_IDLE_TIMEOUT,
                #[cfg(loom)]
                closing: false,
            }),
            work: Condvar::new(),
            claims: AtomicUsize::new(0),
            round_trips: Sample::new(),
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

    /// Model tests: the most threads ever live at once.
    #[cfg(all(test, loom))]
    pub(super) fn peak_threads(&self) -> usize {
        self.lock().peak
    }

    /// Model tests: makes idle threads exit as if their idle timeout passed
    /// (loom's condvar never times out).
    #[cfg(all(test, loom))]
    pub(super) fn close(&self) {
        self.lock().closing = true;
        self.work.notify_all();
    }
}

/// The process-wide pool's state, whoever panicked while holding it.
pub(super) fn lock() -> MutexGuard<'static, State> {
    POOL.lock()
}

/// Queues `job`, whose result a task awaits, on the process-wide pool; says
/// how it was handed to the standby thread if it was.
pub(crate) fn submit(job: Arc<dyn Job>) -> Option<Handoff> {
    POOL.submit(job, true)
}

/// Queues `job`, whose result nobody awaits, on the process-wide pool: no
/// round trip to spin for or to time, so the round trip's duel is left alone.
pub(crate) fn submit_detached(job: Arc<dyn Job>) {
    POOL.submit(job, false);
}

impl Pool {
    /// Queues `job`, waking or starting a thread for it if one may be had.
    /// A job that a task `awaits`, claimed while a standby thread waits, is
    /// handed to it: the round trip's arm is chosen then (see the module
    /// docs).
    pub(super) fn submit(&'static self, job: Arc<dyn Job>, awaited: bool) -> Option<Handoff> {
        let mut state = self.lock();
        state.queue.push_back(job);
        if state.awake > state.claims {
            // A thread will look at the queue before it sleeps (one back from
            // a job, one starting, the standby thread): it takes this job, no
            // condvar wake-up needed. A parked standby thread is unparked (it
            // may find the job taken by another awake thread: then it parks
            // again).
            state.claims += 1;
            self.claims.store(state.claims, Ordering::Release);
            let handoff = if awaited { self.hand_off(&mut state) } else { None };
            let standby = state.standby.as_mut().filter(|standby| standby.parked);
            let unpark = standby.map(|standby| {
                standby.parked = false;
                standby.thread.clone()
            });
            drop(state);
            if let Some(thread) = unpark {
                thread.unpark();
            }
            return handoff;
        }
        if state.sleeping > state.notified {
            state.notified += 1;
            drop(state);
            self.work.notify_one();
        } else if state.has_room() {
            self.start_worker(state);
        }
        None
    }

    /// A job was claimed for an awake thread: if it is the only job queued
    /// and a thread is standing by, takes the latest round trip's latency
    /// into the duel and chooses this round trip's arm, which the standby
    /// thread follows after the job. A job queued behind others is no round
    /// trip (it waits for them: a burst of jobs, where spinning for one
    /// result would hold the submitting task back from the next submits).
    fn hand_off(&'static self, state: &mut State) -> Option<Handoff> {
        if state.queue.len() > 1 {
            return None;
        }
        let standby_spun = !state.standby.as_ref()?.parked;
        if let Some((arm, waited)) = self.round_trips.take() {
            state.duel.record(arm, waited);
        }
        let arm = state.duel.choose();
        state.arm = arm;
        Some(Handoff {
            arm,
            standby_spun,
            window: state.duel.window(),
            at: std::time::Instant::now(),
            report: &self.round_trips,
        })
    }
}

impl State {
    /// Live threads that count against the maximum.
    fn running(&self) -> usize {
        self.live.saturating_sub(self.blocked)
    }

    /// Threads waiting for work: sleeping, or standing by.
    pub(super) fn idle(&self) -> usize {
        self.sleeping + usize::from(self.standby.is_some())
    }

    /// Threads that will take a queued job without being started: sleeping
    /// ones not yet woken, and awake ones not yet promised a job.
    fn idle_takers(&self) -> usize {
        (self.sleeping - self.notified) + (self.awake - self.claims)
    }

    /// Keeps the claims within the awake threads and the queued jobs, after
    /// a thread took a job or stopped being awake, and updates `mirror`.
    fn settle_claims(&mut self, mirror: &AtomicUsize) {
        let claims = self.claims.min(self.awake).min(self.queue.len());
        if claims != self.claims {
            self.claims = claims;
            mirror.store(claims, Ordering::Release);
        }
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
        // It will look at the queue first thing: awake, with a queued job
        // promised, so the next submit does not count on it too.
        state.awake += 1;
        state.claims = (state.claims + 1).min(state.queue.len());
        self.claims.store(state.claims, Ordering::Release);
        state.peak = state.peak.max(state.running());
        let id = state.next_id;
        state.next_id += 1;
        drop(state);
        let spawned = thread::Builder::new().name(format!("twoworlds-{id}")).spawn(|| self.work());
        if let Err(err) = spawned {
            let mut state = self.lock();
            state.live -= 1;
            state.awake -= 1;
            state.settle_claims(&self.claims);
            if state.live == 0 {
                // No thread will ever take the queued jobs: fail them rather than
                // leave their tasks waiting forever.
                let orphans: Vec<_> = state.queue.drain(..).collect();
                state.settle_claims(&self.claims);
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
        // Counted as awake by `start_worker`.
        let mut state = self.lock();
        loop {
            // Here the thread is awake: it looks at the queue before it sleeps.
            if state.running() > state.max {
                self.retire(state);
                return;
            }
            if let Some(job) = state.queue.pop_front() {
                state.awake -= 1;
                state.settle_claims(&self.claims);
                drop(state);
                let Some(standby) = self.run(job) else {
                    state = self.lock();
                    continue;
                };
                let timed_out;
                (state, timed_out) = self.stand_by(standby);
                if timed_out {
                    state.awake -= 1;
                    state.live -= 1;
                    return;
                }
                continue;
            }
            if state.closing() {
                state.awake -= 1;
                state.live -= 1;
                return;
            }
            match self.sleep(state) {
                Some(woken) => state = woken,
                None => return,
            }
        }
    }

    /// Sleeps on the condvar until woken or the idle timeout, with nothing
    /// queued (so nothing claimed). Returns the state, locked, or `None` when
    /// the thread is to exit (timed out; no longer counted).
    fn sleep<'a>(&'a self, mut state: MutexGuard<'a, State>) -> Option<MutexGuard<'a, State>> {
        state.awake -= 1;
        state.sleeping += 1;
        let timeout = state.idle_timeout;
        let (mut state, slept) =
            self.work.wait_timeout(state, timeout).unwrap_or_else(PoisonError::into_inner);
        state.sleeping -= 1;
        if state.notified > 0 {
            state.notified -= 1;
        } else if slept.timed_out() && state.queue.is_empty() {
            state.live -= 1;
            return None;
        }
        state.awake += 1;
        Some(state)
    }

    /// Ends a thread that is one too many: the maximum was lowered, or
    /// threads parked in `block_on` woke up. It may have been woken or
    /// promised a queued job: pass a wake-up on so the job is not stranded.
    fn retire(&self, mut state: MutexGuard<'_, State>) {
        state.live -= 1;
        state.awake -= 1;
        state.settle_claims(&self.claims);
        let pass_on = !state.queue.is_empty() && state.sleeping > state.notified;
        if pass_on {
            state.notified += 1;
        }
        drop(state);
        if pass_on {
            self.work.notify_one();
        }
    }
}
