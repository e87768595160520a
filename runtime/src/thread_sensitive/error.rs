//! [`ThreadSensitiveError`]: why a thread-sensitive call could not run.

use std::fmt;

/// What went wrong.
#[derive(Debug, Clone)]
enum Kind {
    /// The target thread is running `outer`, which waits for this call.
    Deadlock {
        /// The thread-sensitive function the target thread is running.
        outer: &'static str,
    },
    /// Every `block_on` that could serve the call has returned.
    NoExecutor,
    /// The dedicated thread could not be started.
    Spawn {
        /// The operating system's reason.
        reason: String,
    },
}

/// Why a thread-sensitive call (`unblock_thread_sensitive`, a
/// `#[bridge(thread_sensitive)]` async twin) could not run. Returned by
/// [`try_unblock_thread_sensitive`](crate::try_unblock_thread_sensitive); the
/// other entry points panic with the same message in the awaiting task.
///
/// ```
/// use twoworlds_runtime::{block_on, try_unblock_thread_sensitive};
/// // A future made inside `block_on` but awaited after it returned, by an
/// // executor that does not serve thread-sensitive work, has no thread left
/// // to run on: a clear error, not a hang.
/// let late = block_on(async { try_unblock_thread_sensitive(|| 1) });
/// let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
/// let err = rt.block_on(late).unwrap_err();
/// assert!(err.to_string().contains("has already returned"), "{err}");
/// ```
#[derive(Debug, Clone)]
pub struct ThreadSensitiveError {
    /// The thread-sensitive function that was called.
    function: &'static str,
    /// The thread it would have run on, as `name` or `ThreadId(..)`.
    thread: String,
    /// What went wrong.
    kind: Kind,
}

impl ThreadSensitiveError {
    /// The target thread is already inside `outer`, which waits for this call.
    pub(crate) fn deadlock(function: &'static str, thread: String, outer: &'static str) -> Self {
        ThreadSensitiveError { function, thread, kind: Kind::Deadlock { outer } }
    }

    /// No live executor is left for the call.
    pub(crate) fn no_executor(function: &'static str, thread: String) -> Self {
        ThreadSensitiveError { function, thread, kind: Kind::NoExecutor }
    }

    /// The dedicated thread could not be spawned.
    pub(crate) fn spawn(function: &'static str, reason: &std::io::Error) -> Self {
        let kind = Kind::Spawn { reason: reason.to_string() };
        ThreadSensitiveError { function, thread: "<not started>".to_owned(), kind }
    }

    /// The thread-sensitive function that could not run.
    ///
    /// ```
    /// # let late = twoworlds_runtime::block_on(async {
    /// #     twoworlds_runtime::try_unblock_thread_sensitive(|| ())
    /// # });
    /// # let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    /// let err = rt.block_on(late).unwrap_err();
    /// assert_eq!(err.function(), "twoworlds::try_unblock_thread_sensitive");
    /// ```
    #[must_use]
    pub fn function(&self) -> &'static str {
        self.function
    }

    /// Whether the call was refused because it would have deadlocked.
    ///
    /// ```
    /// # let late = twoworlds_runtime::block_on(async {
    /// #     twoworlds_runtime::try_unblock_thread_sensitive(|| ())
    /// # });
    /// # let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    /// let err = rt.block_on(late).unwrap_err();
    /// assert!(!err.is_deadlock());
    /// ```
    #[must_use]
    pub fn is_deadlock(&self) -> bool {
        matches!(self.kind, Kind::Deadlock { .. })
    }
}

impl fmt::Display for ThreadSensitiveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (function, thread) = (self.function, &self.thread);
        match &self.kind {
            Kind::Deadlock { outer } => write!(
                f,
                "thread-sensitive call `{function}` would deadlock: it must run on thread \
                 {thread}, but that thread is busy running the thread-sensitive call \
                 `{outer}`, which is (directly or through other threads) waiting for \
                 `{function}` to finish. Inside `{outer}`, reach async code only through \
                 `twoworlds::block_on` (or a blocking twin), which keeps serving \
                 thread-sensitive work while it waits, instead of another executor's \
                 `block_on`; or, if `{function}` does not need that thread, make it a \
                 plain `unblock` / `#[bridge]` call"
            ),
            Kind::NoExecutor => write!(
                f,
                "thread-sensitive call `{function}` has no thread left to run on: it \
                 belongs to the `block_on` on thread {thread}, which (with every \
                 `block_on` around it) has already returned. A future that calls it was \
                 created inside that `block_on` and awaited after it returned; await it \
                 before the `block_on` returns, or create it where it is awaited"
            ),
            Kind::Spawn { reason } => write!(
                f,
                "thread-sensitive call `{function}` could not start the thread it runs \
                 on: {reason}. The system is out of threads; free some and retry"
            ),
        }
    }
}

impl std::error::Error for ThreadSensitiveError {}
