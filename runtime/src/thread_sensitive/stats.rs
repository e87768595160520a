//! [`ThreadSensitiveStats`]: how many dedicated thread-sensitive threads (the
//! process-wide one and the scope threads) run now and have been started.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Dedicated threads running now.
static LIVE: AtomicUsize = AtomicUsize::new(0);
/// Dedicated threads started since the process started.
static STARTED: AtomicUsize = AtomicUsize::new(0);

/// Counts a dedicated thread for as long as it lives (made on that thread).
pub(super) struct Counted(());

impl Counted {
    /// Counts the calling thread in.
    pub(super) fn start() -> Self {
        STARTED.fetch_add(1, Ordering::Relaxed);
        LIVE.fetch_add(1, Ordering::AcqRel);
        Counted(())
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        LIVE.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A snapshot of the dedicated thread-sensitive threads: the process-wide one
/// (started on first use, never stopped) and one per
/// [`thread_sensitive_scope`](crate::thread_sensitive_scope) that ran work
/// (stopped once the scope and its work are done). Threads blocked in
/// `block_on` that serve thread-sensitive work are not counted: they are the
/// callers' own.
///
/// ```
/// use twoworlds_runtime::{thread_sensitive_scope, thread_sensitive_stats, unblock_thread_sensitive};
/// # let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
/// rt.block_on(thread_sensitive_scope(unblock_thread_sensitive(|| ())));
/// let stats = thread_sensitive_stats();
/// assert!(stats.started_threads() >= 1);
/// assert!(stats.live_threads() <= stats.started_threads());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThreadSensitiveStats {
    /// Running now.
    live: usize,
    /// Started so far.
    started: usize,
}

impl ThreadSensitiveStats {
    /// Dedicated threads running now (a scope's thread counts until it has
    /// drained its queue and exited).
    ///
    /// ```
    /// let stats = twoworlds_runtime::thread_sensitive_stats();
    /// assert!(stats.live_threads() <= stats.started_threads());
    /// ```
    #[must_use]
    pub fn live_threads(&self) -> usize {
        self.live
    }

    /// Dedicated threads started since the process started.
    ///
    /// ```
    /// use twoworlds_runtime::{thread_sensitive_scope, thread_sensitive_stats, unblock_thread_sensitive};
    /// let before = thread_sensitive_stats().started_threads();
    /// # let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    /// rt.block_on(thread_sensitive_scope(unblock_thread_sensitive(|| ()))); // a scope of its own
    /// assert!(thread_sensitive_stats().started_threads() > before);
    /// ```
    #[must_use]
    pub fn started_threads(&self) -> usize {
        self.started
    }
}

/// The current [`ThreadSensitiveStats`].
///
/// ```
/// let stats = twoworlds_runtime::thread_sensitive_stats();
/// assert!(stats.live_threads() <= stats.started_threads());
/// ```
#[must_use]
pub fn thread_sensitive_stats() -> ThreadSensitiveStats {
    // Read `live` first: a thread counted in `live` was counted in `started`.
    let live = LIVE.load(Ordering::Acquire);
    ThreadSensitiveStats { live, started: STARTED.load(Ordering::Relaxed).max(live) }
}
