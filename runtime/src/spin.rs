//! Bounded spinning, shared by `block_on`'s wait (see `block_on::spin`) and
//! the pool's idle workers: watch a condition for a short while instead of
//! sleeping at once, because waking a sleeping thread costs far more (10–60
//! µs on the benchmark VM) than a wake-up that finds its waiter still awake.

use std::time::{Duration, Instant};

/// How long a spin lasts at most: on the benchmark VM, ≈ 10 µs gained
/// nothing, ≈ 20 µs halved a cross-thread `block_on`'s median and 50 µs
/// quartered it (`benches/block_on.rs`, group `block_on_tokio_task`).
pub(crate) const SPIN_FOR: Duration = Duration::from_micros(50);

/// Pauses between two looks at the clock (≈ 1 µs at the ~26 ns per
/// `spin_loop` pause measured on the benchmark machine; a pause takes 10–150
/// cycles depending on the CPU, hence the clock).
const PAUSES_PER_CLOCK_READ: u32 = 32;

/// Spins until `done()` or [`SPIN_FOR`] has passed; returns whether `done()`
/// became true. Never spins (returns `false` at once) on a single-core
/// machine, where the spinner would hold the only core its waker needs.
pub(crate) fn spin_until(done: impl Fn() -> bool) -> bool {
    if !multi_core() {
        return false;
    }
    let start = Instant::now();
    loop {
        for _ in 0..PAUSES_PER_CLOCK_READ {
            if done() {
                return true;
            }
            std::hint::spin_loop();
        }
        if start.elapsed() >= SPIN_FOR {
            return false;
        }
    }
}

/// Whether this machine has more than one core (asked once).
#[cfg(not(loom))]
pub(crate) fn multi_core() -> bool {
    static MULTI_CORE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *MULTI_CORE.get_or_init(|| std::thread::available_parallelism().is_ok_and(|n| n.get() > 1))
}

/// Model tests: never spin (the models explore the park/unpark and condvar
/// hand-offs, which spinning only delays).
#[cfg(loom)]
pub(crate) fn multi_core() -> bool {
    false
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn returns_as_soon_as_the_condition_holds() {
        let looks = Cell::new(0);
        let done = spin_until(|| {
            looks.set(looks.get() + 1);
            looks.get() == 3
        });
        assert_eq!((done, looks.get()), if multi_core() { (true, 3) } else { (false, 0) });
    }

    #[test]
    fn gives_up_after_the_bound() {
        let start = Instant::now();
        assert!(!spin_until(|| false));
        if multi_core() {
            assert!(start.elapsed() >= SPIN_FOR);
        }
    }
}
