//! Spin-then-park or park at once, per thread: a `block_on` about to park
//! may first watch its wake-up flag for a bounded while (see `crate::spin`),
//! so a wake-up that comes soon — a tokio task finishing on another core, a
//! pool job returning — costs a store and a load instead of waking a
//! sleeping thread.
//!
//! Whether it spins is measured, per thread: a [`Duel`] of the latency of its
//! recent waits with and without spinning. On an idle machine spinning wins
//! (a wake-up is dear there); on a busy one parking does (a spinner holds the
//! core its waker needs), and the thread then parks at once, as tokio's
//! `block_on` does, trying a spin only now and then. Never on a single-core
//! machine; at most `crate::spin::SPIN_FOR` per wait; and waits longer than a
//! spin (timers, I/O, slow work) tie, which goes to parking.
//!
//! A thread-sensitive job queued for a spinning thread is run once the spin
//! ends (the job's unpark makes the following park return at once): at most
//! one spin later.

use std::cell::Cell;
use std::sync::atomic::Ordering;

use crate::spin::{Arm, BLOCK_ON, Duel, Timing, multi_core, spin_until};
use crate::sync::AtomicBool;

/// A thread's spinning policy: a plain cell in a thread-local.
pub(super) struct Spin {
    /// How this thread's recent waits went, spinning and parking.
    duel: Cell<Duel>,
}

/// One wait of a `block_on`, timed from its first look at the flag that
/// found nothing (a wait that ends at once reads no clock).
#[derive(Default)]
pub(super) struct Waiting {
    /// The wait's arm and start, once it has started.
    timing: Timing,
}

impl Waiting {
    /// A wait not started yet.
    pub(super) fn new() -> Self {
        Waiting::default()
    }
}

impl Spin {
    /// Nothing measured yet.
    pub(super) const fn new() -> Self {
        Spin { duel: Cell::new(Duel::new(BLOCK_ON)) }
    }

    /// Called each time `waiting` found the flag down: on the first call,
    /// spins until `flag` is raised (`true`) or the spin is over (`false`:
    /// park) if the thread's duel says spinning pays. Later calls (after a
    /// park that returned without the flag) return `false`: park again.
    pub(super) fn wait_for(&self, waiting: &mut Waiting, flag: &AtomicBool) -> bool {
        if !multi_core() || waiting.timing.started() {
            return false;
        }
        let mut duel = self.duel.get();
        let arm = waiting.timing.start(&mut duel);
        self.duel.set(duel);
        arm == Arm::Spin && spin_until(waiting.timing.window(), || flag.load(Ordering::Acquire))
    }

    /// The flag of `waiting` was seen: records how long the wait took.
    pub(super) fn done(&self, waiting: Waiting) {
        if waiting.timing.started() {
            let mut duel = self.duel.get();
            waiting.timing.end(&mut duel);
            self.duel.set(duel);
        }
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    #[test]
    fn a_wait_that_never_waited_is_not_timed() {
        let spin = Spin::new();
        let before = format!("{:?}", spin.duel.get());
        spin.done(Waiting::new());
        assert_eq!(format!("{:?}", spin.duel.get()), before);
    }

    #[test]
    fn only_the_first_look_may_spin() {
        let spin = Spin::new();
        let mut waiting = Waiting::new();
        let raised = AtomicBool::new(true);
        // A new thread spins first (parking not measured yet), and sees the
        // raised flag at once.
        assert_eq!(spin.wait_for(&mut waiting, &raised), multi_core());
        // After a park that returned without the flag: park again.
        assert!(!spin.wait_for(&mut waiting, &raised));
        spin.done(waiting);
    }
}
