//! Spin-then-park: a `block_on` about to park first watches its wake-up flag
//! for a bounded while ([`SPIN_FOR`]), so a wake-up that comes soon — a tokio
//! task finishing on another core, a pool job returning — costs a store and a
//! load instead of waking a sleeping thread (on the benchmark VM, waking a
//! thread whose core went idle costs 10–60 µs). Measured on the benchmark VM
//! (`block_on_tokio_task` against tokio's `Handle::block_on`): spinning ≈ 10 µs
//! gained nothing, ≈ 20 µs halved the median, ≈ 50 µs quartered it.
//!
//! Kept honest about CPU:
//! - never on a single-core machine, where the spinner would hold the only
//!   core its waker needs;
//! - bounded: at most [`SPIN_FOR`] per wait, by the clock (a `spin_loop`
//!   pause takes 10–150 cycles depending on the CPU);
//! - adaptive per thread: after [`MISSES_BEFORE_BACKOFF`] spins in a row that
//!   ended in a park anyway (the thread waits on timers, I/O, slow work), it
//!   parks at once for the next [`BACKOFF_WAITS`] waits, then tries again.
//!
//! A thread-sensitive job queued for a spinning thread is run once the spin
//! ends (the job's unpark makes the following park return at once): at most
//! one spin later.

use std::cell::Cell;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use crate::sync::AtomicBool;

/// How long a wait spins before it parks.
const SPIN_FOR: Duration = Duration::from_micros(50);

/// Pauses between two looks at the clock (≈ 1 µs at the ~26 ns per pause
/// measured on the benchmark machine).
const PAUSES_PER_CLOCK_READ: u32 = 32;

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
        let start = Instant::now();
        loop {
            for _ in 0..PAUSES_PER_CLOCK_READ {
                if flag.load(Ordering::Acquire) {
                    self.misses.set(0);
                    return true;
                }
                std::hint::spin_loop();
            }
            if start.elapsed() >= SPIN_FOR {
                break;
            }
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

/// Whether this machine has more than one core (asked once).
#[cfg(not(loom))]
fn multi_core() -> bool {
    static MULTI_CORE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *MULTI_CORE.get_or_init(|| std::thread::available_parallelism().is_ok_and(|n| n.get() > 1))
}

/// Model tests: never spin (loom explores the park/unpark interleavings).
#[cfg(loom)]
fn multi_core() -> bool {
    false
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
