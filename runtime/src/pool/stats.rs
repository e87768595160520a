//! [`PoolStats`]: a snapshot of the `unblock` pool's counters.

/// A snapshot of the `unblock` pool, for tests and diagnostics.
///
/// ```
/// let n = twoworlds_runtime::block_on(twoworlds_runtime::unblock(|| 1));
/// let stats = twoworlds_runtime::pool_stats();
/// assert!(stats.peak_threads() >= 1);
/// assert!(stats.live_threads() - stats.blocked_threads() <= stats.max_threads());
/// assert!(stats.idle_threads() <= stats.live_threads());
/// assert_eq!(stats.queued_jobs(), 0);
/// # assert_eq!(n, 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolStats {
    /// Threads started and not yet exited.
    live: usize,
    /// Live threads parked in `block_on`.
    blocked: usize,
    /// Threads waiting for work.
    idle: usize,
    /// The most threads running jobs at once since the process started.
    peak: usize,
    /// Jobs waiting for a thread.
    queued: usize,
    /// The configured maximum.
    max: usize,
}

impl PoolStats {
    /// Threads started and not yet exited (counted from the moment the pool
    /// decides to start one until just before it exits).
    #[must_use]
    pub fn live_threads(&self) -> usize {
        self.live
    }

    /// Live threads parked in `block_on` inside a job; they do not count
    /// against the maximum while they wait.
    #[must_use]
    pub fn blocked_threads(&self) -> usize {
        self.blocked
    }

    /// Threads waiting for work.
    #[must_use]
    pub fn idle_threads(&self) -> usize {
        self.idle
    }

    /// The most threads counted against the maximum (live and not parked in
    /// `block_on`) at once since the process started: never above the
    /// maximum in force when they started.
    #[must_use]
    pub fn peak_threads(&self) -> usize {
        self.peak
    }

    /// Jobs waiting for a thread.
    #[must_use]
    pub fn queued_jobs(&self) -> usize {
        self.queued
    }

    /// The maximum number of threads (see [`max_threads`](crate::max_threads)).
    #[must_use]
    pub fn max_threads(&self) -> usize {
        self.max
    }
}

/// The pool's current [`PoolStats`].
///
/// ```
/// let stats = twoworlds_runtime::pool_stats();
/// assert!(stats.idle_threads() <= stats.live_threads());
/// ```
#[must_use]
pub fn pool_stats() -> PoolStats {
    let state = super::workers::lock();
    PoolStats {
        live: state.live,
        blocked: state.blocked,
        idle: state.idle(),
        peak: state.peak,
        queued: state.queue.len(),
        max: state.max,
    }
}
