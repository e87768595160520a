//! Thread-sensitive execution (asgiref's `thread_sensitive=True`).
//!
//! STUB: the hook `block_on` calls before it parks; the thread-sensitive issue
//! fills it in.

/// Runs the thread-sensitive jobs queued for this thread, if this thread is a
/// `block_on` that serves as their executor. `block_on` calls this each time
/// before it parks; a job is queued and then this thread is unparked.
pub(crate) fn run_pending_on_this_thread() {}
