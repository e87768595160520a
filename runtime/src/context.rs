//! Context that follows the logical call across bridges (asgiref's `Local`,
//! Python's contextvars).
//!
//! STUB: the hook points `unblock` and `block_on` call; the thread-sensitive /
//! context issue fills them in.

/// The context values visible at one point of a logical call, captured on one
/// side of a bridge and entered on the other.
pub(crate) struct Snapshot;

impl Snapshot {
    /// Captures the context visible on this thread now.
    pub(crate) fn capture() -> Self {
        Snapshot
    }

    /// Runs `f` with this snapshot as the current context.
    pub(crate) fn enter<R>(&self, f: impl FnOnce() -> R) -> R {
        f()
    }
}
