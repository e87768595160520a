//! The pool's settings: its maximum number of threads (from the default,
//! the environment or [`set_max_threads`]) and its idle timeout.

use std::num::NonZeroUsize;
use std::time::Duration;

use super::{POOL, lock};

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

/// The maximum from `TWOWORLDS_MAX_THREADS`, or the default (with a warning on
/// stderr if the variable is set but not a positive integer).
pub(super) fn max_from_env() -> usize {
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
    let wanted = state.queue.len().saturating_sub(state.idle_takers());
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
