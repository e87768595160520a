//! The standby thread (see the parent module's docs): one thread back from a
//! job waits for the next one by itself, spinning first where its duel says
//! that pays, then parked, so a submit hands it the job with a store (and an
//! unpark if it parked) rather than a condvar wake-up.

use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use super::{Pool, State};
use crate::pool::task::Job;
use crate::spin::{Arm, Timing, multi_core, spin_until};
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
    /// there is none (never on a single core, nor in model tests), and the
    /// duel chooses how it waits; one that parks at once is marked parked
    /// already, so it need not take the lock again before it parks, while
    /// the awaiting task submits its next job.
    fn rejoin(&self) -> Option<Standing> {
        let mut state = self.lock();
        state.awake += 1;
        if state.standby.is_some() || !multi_core() {
            return None;
        }
        let mut timing = Timing::default();
        let parked = timing.start(&mut state.duel) == Arm::Park;
        state.standby = Some(Standby { thread: std::thread::current(), parked });
        Some(Standing { timing, idle_timeout: state.idle_timeout })
    }
}

/// What the standby thread needs for its wait (see [`Pool::stand_by`]).
pub(super) struct Standing {
    /// The duel's arm for this wait, and its timing.
    timing: Timing,
    /// How long it stands by at most before it exits.
    idle_timeout: Duration,
}

impl Pool {
    /// The standby thread's wait for its next job (see the module docs):
    /// spins first if its duel chose to, then parks until a submit unparks it
    /// or the idle timeout passes; then gives up the standby slot. Returns
    /// the state, locked, the timing of the wait if it really waited (no job
    /// was claimed when it first looked), and whether the idle timeout passed
    /// with nothing queued (the thread is to exit).
    pub(super) fn stand_by(
        &self,
        standing: Standing,
    ) -> (MutexGuard<'_, State>, Option<Timing>, bool) {
        let Standing { timing, idle_timeout } = standing;
        let claimed = || self.claims.load(Ordering::Acquire) > 0;
        let deadline = std::time::Instant::now() + idle_timeout;
        // A job claimed already (the awaiting task was quick): no wait.
        let waited = !claimed();
        if waited {
            match timing.arm() {
                Some(Arm::Spin) => {
                    spin_until(timing.window(), claimed);
                }
                // Marked parked by `rejoin`: a submit since then unparked it.
                _ => std::thread::park_timeout(idle_timeout),
            }
        }
        let mut state = self.lock();
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
        (state, waited.then_some(timing), timed_out)
    }
}
