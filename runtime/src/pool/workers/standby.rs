//! The standby thread (see the parent module's docs): one thread back from a
//! job waits for the next one by itself, spinning first where the round
//! trip's duel says that pays, then parked, so a submit hands it the job with a store (and an
//! unpark if it parked) rather than a condvar wake-up.

use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use super::{Pool, State};
use crate::pool::task::Job;
use crate::spin::{Arm, CAP, multi_core, spin_until};
use crate::sync::MutexGuard;

/// The thread that waits for the next job by itself after its last one,
/// rather than on the condvar: a submit hands it the job directly.
pub(super) struct Standby {
    /// The thread, to unpark.
    pub(super) thread: std::thread::Thread,
    /// Whether it is parked (or about to park): a submit must unpark it.
    pub(super) parked: bool,
}

impl Pool {
    /// Runs `job`, and counts this thread awake again (see [`Pool::rejoin`])
    /// after its closure returns and before its result is delivered: the
    /// awaiting task may submit its next job as soon as it has the result,
    /// and must find this thread ready to take it rather than start or wake
    /// another (the affinity of a `loop { unblock(..).await }`). Returns the
    /// standby wait if this thread is to stand by.
    pub(super) fn run(&self, job: Arc<dyn Job>) -> Option<Standing> {
        let mut rejoined = None;
        // `run` catches the closure's panic; this catches one from a
        // result's destructor or a waker, so the thread survives either.
        let _ = panic::catch_unwind(AssertUnwindSafe(|| {
            job.run(&mut || rejoined = Some(self.rejoin()));
        }));
        drop(job);
        // A panic before the hook ran: count the thread awake now.
        rejoined.unwrap_or_else(|| self.rejoin())
    }

    /// Counts this thread awake after a job. It becomes the standby thread if
    /// there is none and no job is queued (never on a single core, nor in
    /// model tests: a thread with queued jobs takes the next at once, where
    /// a standby thread would spin before it looked), and waits as the
    /// latest handoff's arm says; one that parks at once is marked
    /// parked already, so it need not take the lock again before it parks, while
    /// the awaiting task submits its next job.
    fn rejoin(&self) -> Option<Standing> {
        let mut state = self.lock();
        state.awake += 1;
        if state.standby.is_some() || !state.queue.is_empty() || !multi_core() {
            return None;
        }
        let spin = (state.arm == Arm::Spin).then(|| state.duel.window());
        state.standby = Some(Standby { thread: std::thread::current(), parked: spin.is_none() });
        Some(Standing { spin, idle_timeout: state.idle_timeout })
    }
}

/// What the standby thread needs for its wait (see [`Pool::stand_by`]).
#[derive(Clone, Copy)]
pub(super) struct Standing {
    /// How long it spins before it parks, if it spins.
    spin: Option<Duration>,
    /// How long it stands by at most before it exits.
    idle_timeout: Duration,
}

impl Pool {
    /// The standby thread's wait for its next job (see the module docs):
    /// spins first if the latest handoff's arm says so, then parks until a
    /// submit unparks it or the idle timeout passes; then gives up the
    /// standby slot. A spin that ends without a job counts against spinning
    /// in the round trip's duel. Returns the state, locked, and whether the
    /// idle timeout passed with nothing queued (the thread is to exit).
    pub(super) fn stand_by(&self, standing: Standing) -> (MutexGuard<'_, State>, bool) {
        let Standing { spin, idle_timeout } = standing;
        let claimed = || self.claims.load(Ordering::Acquire) > 0;
        let deadline = std::time::Instant::now() + idle_timeout;
        // A job claimed already (the awaiting task was quick): no wait.
        let missed = match spin {
            _ if claimed() => false,
            Some(window) => !spin_until(window, claimed),
            // Marked parked by `rejoin`: a submit since then unparked it.
            None => {
                std::thread::park_timeout(idle_timeout);
                false
            }
        };
        let mut state = self.lock();
        if missed {
            // No job came while it spun: the wait is at least as long as
            // a park's (the duel caps a sample at twice its average), and
            // the next standby waits park until a handoff chooses again
            // (jobs nobody awaits never do: a spin that keeps missing
            // between them would burn a window's CPU time per job).
            state.duel.record(Arm::Spin, CAP);
            state.arm = Arm::Park;
        }
        let mut timed_out = false;
        while state.queue.is_empty() && state.running() <= state.max && !state.closing() {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                timed_out = true;
                break;
            }
            if let Some(standby) = state.standby.as_mut() {
                standby.parked = true;
            }
            drop(state);
            std::thread::park_timeout(left);
            state = self.lock();
        }
        state.standby = None;
        (state, timed_out)
    }
}
