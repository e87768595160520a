//! Thread-sensitive execution (asgiref's `thread_sensitive=True`).
//!
//! STUB: the hook `block_on` calls before it parks; the thread-sensitive issue
//! fills it in.

/// Runs the thread-sensitive jobs queued for this thread, if this thread is a
/// `block_on` that serves as their executor. `block_on` calls this each time
/// before it parks; a job is queued and then this thread is unparked.
pub(crate) fn run_pending_on_this_thread() {}

/// `unblock` for a sync fn that must always run on the same thread, on behalf
/// of a generated async twin named `twin`.
///
/// STUB: runs on the ordinary pool; the thread-sensitive issue replaces it.
#[doc(hidden)]
pub fn unblock_thread_sensitive_named<T, F>(
    twin: &'static str,
    f: F,
) -> impl std::future::Future<Output = T> + Send + 'static
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    crate::pool::unblock_named(twin, f)
}
