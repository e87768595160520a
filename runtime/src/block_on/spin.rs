//! Spin-then-park, per thread: a `block_on` about to park first watches its
//! wake-up flag for a bounded while (see `crate::spin`), so a wake-up that
//! comes soon — a tokio task finishing on another core, a pool job returning
//! — costs a store and a load instead of waking a sleeping thread.
//!
//! Kept honest about CPU:
//! - never on a single-core machine, and at most `crate::spin::SPIN_FOR` per
//!   wait;
//! - adaptive per thread: after [`MISSES_BEFORE_BACKOFF`] spins in a row that
//!   ended in a park anyway (the thread waits on timers, I/O, slow work), it
//!   parks at once for the next [`BACKOFF_WAITS`] waits, then tries again.
//!
//! A thread-sensitive job queued for a spinning thread is run once the spin
//! ends (the job's unpark makes the following park return at once): at most
//! one spin later.

use std::cell::Cell;
use std::sync::atomic::Ordering;

use crate::spin::{multi_core, spin_until};
use crate::sync::AtomicBool;

/// Spins in a row that may end in a park before the thread stops spinning.
const MISSES_BEFORE_BACKOFF: u8 = 8;

/// Waits that park without spinning once a thread has stopped spinning.
const BACKOFF_WAITS: u8 = 16;

/// A thread's spinning policy: plain cells in a thread-local.
pub(super) struct Spin {
    /// Spins in a row that ended in a park.
    misses: Cell<u8>,
    /// Waits left that park without spinning.
    skip: Cell<u8>,
}

impl Spin {
    /// No spin has missed yet.
    pub(super) const fn new() -> Self {
        Spin { misses: Cell::new(0), skip: Cell::new(0) }
    }

    /// Spins until `flag` is raised (`true`) or the spin is over (`false`:
    /// park). Returns `false` at once when this thread should not spin.
    pub(super) fn wait_for(&self, flag: &AtomicBool) -> bool {
        if !multi_core() {
            return false;
        }
        if self.skip.get() > 0 {
            self.skip.set(self.skip.get() - 1);
            return false;
        }
        if spin_until(|| flag.load(Ordering::Acquire)) {
            self.misses.set(0);
            return true;
        }
        // Missed: after a few misses in a row, stop spinning for a while.
        let misses = self.misses.get() + 1;
        if misses >= MISSES_BEFORE_BACKOFF {
            self.misses.set(0);
            self.skip.set(BACKOFF_WAITS);
        } else {
            self.misses.set(misses);
        }
        false
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    #[test]
    fn a_raised_flag_ends_the_spin_and_clears_the_misses() {
        let spin = Spin::new();
        spin.misses.set(2);
        assert!(spin.wait_for(&AtomicBool::new(true)) || !multi_core());
        if multi_core() {
            assert_eq!(spin.misses.get(), 0);
        }
    }

    #[test]
    fn repeated_misses_stop_the_spinning_for_a_while() {
        if !multi_core() {
            return;
        }
        let spin = Spin::new();
        let never = AtomicBool::new(false);
        for _ in 0..MISSES_BEFORE_BACKOFF {
            assert!(!spin.wait_for(&never));
        }
        assert_eq!(spin.skip.get(), BACKOFF_WAITS);
        // The next waits park at once, even if the flag is up.
        assert!(!spin.wait_for(&AtomicBool::new(true)));
        assert_eq!(spin.skip.get(), BACKOFF_WAITS - 1);
    }
}
