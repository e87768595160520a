//! The wait hook: what the owner of a thread wants to know about the
//! `block_on` waits on it. `block_on` knows nothing about who owns a thread;
//! an owner that cares — the `unblock` pool, whose threads stop counting
//! against its maximum while they wait — installs a hook on each of its
//! threads with [`set_wait_hook`], and every `block_on` that is about to wait
//! on that thread calls it when the wait begins and when it ends.

use std::cell::Cell;

/// A wait hook: called with `true` when a `block_on` on this thread begins to
/// wait (nested waits call it again) and with `false` when that wait ends.
pub(crate) type WaitHook = fn(bool);

#[cfg(not(loom))]
std::thread_local! {
    /// The hook of this thread, if its owner installed one.
    static HOOK: Cell<Option<WaitHook>> = const { Cell::new(None) };
}

// The same per model thread (loom's macro takes no `const` initializers).
#[cfg(loom)]
loom::thread_local! {
    /// The hook of this thread, if its owner installed one.
    static HOOK: Cell<Option<WaitHook>> = Cell::new(None);
}

/// Installs `hook` for the `block_on` waits of the calling thread, for the
/// rest of its life.
pub(crate) fn set_wait_hook(hook: WaitHook) {
    HOOK.with(|h| h.set(Some(hook)));
}

/// Calls this thread's hook with `true` now and with `false` when dropped
/// (also on panic); does nothing on a thread without a hook.
pub(super) struct Announced(Option<WaitHook>);

impl Announced {
    /// Announces the beginning of a wait.
    pub(super) fn begin() -> Self {
        let hook = HOOK.try_with(Cell::get).ok().flatten();
        if let Some(hook) = hook {
            hook(true);
        }
        Announced(hook)
    }
}

impl Drop for Announced {
    fn drop(&mut self) {
        if let Some(hook) = self.0 {
            hook(false);
        }
    }
}
