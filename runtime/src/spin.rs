//! Spin or park: how `block_on`'s wait (see `block_on::spin`) and the pool's
//! idle workers wait for their next event, decided by measurement.
//!
//! Spinning (watching a flag for a short while instead of sleeping) pays
//! where waking a sleeping thread is dear: on an idle VM, whose idle cores
//! halt, a wake-up costs 10–60 µs, and a `block_on` that spins returns in a
//! quarter of the time of one that parks. It loses where the cores are busy:
//! the spinner holds a core that the thread it waits for needs (a woken thread
//! that finds every core taken waits for a time slice to end), the scheduler
//! time-slices the spinner away (a thread that never sleeps loses the
//! priority of a woken sleeper), and the wake-up it hoped to save is cheap
//! anyway (no halted core to bring back). The same code on the same machine
//! measured 0.4× tokio's latency when the machine was idle and 4× under load.
//!
//! So each waiter keeps a [`Duel`]: the recent latency of its waits when it
//! spun first and when it parked at once, measured, and spins only while
//! spinning makes the wait clearly shorter (by its [`Rule`]: half for
//! `block_on`, two thirds for the pool's standby thread). The other way is
//! tried again now and then, less often the longer it keeps losing, so a
//! change of load is seen within a few hundred waits. A spin also ends as soon as it finds itself
//! descheduled (a gap in its looks at the clock): the cores are wanted.

use std::time::{Duration, Instant};

/// How long a spin lasts at most: on the benchmark VM, ≈ 10 µs gained
/// nothing, ≈ 20 µs halved a cross-thread `block_on`'s median and 50 µs
/// quartered it (`benches/block_on.rs`, group `block_on_tokio_task`).
pub(crate) const SPIN_FOR: Duration = Duration::from_micros(50);

/// Pauses between two looks at the clock (≈ 1 µs at the ~26 ns per
/// `spin_loop` pause measured on the benchmark machine; a pause takes 10–150
/// cycles depending on the CPU, hence the clock).
const PAUSES_PER_CLOCK_READ: u32 = 32;

/// A gap this long between two looks at the clock means the spinner was
/// descheduled: longer than an interrupt (a few µs), shorter than a time
/// slice the scheduler gives a competing thread.
const PREEMPTED: Duration = Duration::from_micros(20);

/// Spins until `done()`, `window` has passed or the spinner finds it was
/// descheduled; returns whether `done()` became true. Never spins on a
/// single-core machine, where the spinner would hold the only core its waker
/// needs.
pub(crate) fn spin_until(window: Duration, done: impl Fn() -> bool) -> bool {
    if !multi_core() {
        return false;
    }
    let start = Instant::now();
    let mut last = start;
    loop {
        for _ in 0..PAUSES_PER_CLOCK_READ {
            if done() {
                return true;
            }
            std::hint::spin_loop();
        }
        let now = Instant::now();
        if now.duration_since(last) >= PREEMPTED || now.duration_since(start) >= window {
            // Over, or descheduled: the cores are wanted by other threads.
            return done();
        }
        last = now;
    }
}

/// The two ways to wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Arm {
    /// Spin first (up to [`SPIN_FOR`]), then park.
    Spin,
    /// Park at once.
    Park,
}

/// Waits longer than this count as this long: beyond a spin, spinning and
/// parking wait alike (the spin has given up), and rare long waits (timers,
/// I/O) must not drown the short ones that decide.
const CAP: Duration = Duration::from_micros(100);

/// The fewest waits between two tries of the losing arm.
const EXPLORE_MIN: u16 = 4;

/// The most waits between two tries of the losing arm.
const EXPLORE_MAX: u16 = 1024;

/// What a waiter's [`Duel`] asks of spinning before it spins: how much
/// sooner than parking its waits must end, how long one spin may last, and
/// how slow parking must be for a spin to be tried at all.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rule {
    /// Spinning wins while its typical wait is at most this many hundredths
    /// of parking's.
    wins_at_pct: u32,
    /// A spin lasts at most this many hundredths of parking's typical wait
    /// (and at most [`SPIN_FOR`]).
    window_pct: u32,
    /// Spinning is tried only while parking's typical wait is longer.
    dear_park: Duration,
}

/// `block_on`'s rule: spinning must halve the wait, a spin lasts at most
/// half a park's wait (a spin still waiting then cannot halve it any more),
/// and none is tried while a park takes 12 µs or less: a quicker park (a
/// busy machine, whose cores do not halt, wakes a thread in 2–8 µs) leaves a
/// spin too little to win for the risk it takes there (a spinner the
/// scheduler deschedules waits for a time slice, hundreds of µs, where a
/// parked thread would have been woken at once).
pub(crate) const BLOCK_ON: Rule =
    Rule { wins_at_pct: 50, window_pct: 50, dear_park: Duration::from_micros(12) };

/// The pool's standby thread's rule. Its wait spans the awaiting task's
/// whole turn (the result's wake-up of that task, its poll, its next
/// submit), which no spin shortens, so a spin can save a park's wake-up and
/// no more: on the 2-core benchmark VM, with the machine nearly idle, a
/// parked standby's wait took 9–10 µs, the round trip 12.5 µs, against
/// 5.8 µs for a standby that always spun (`benches/unblock.rs`). Under
/// `BLOCK_ON`'s rule it never spun there: parks under 12 µs, and a window of
/// half a park that cut the spins short. So spinning wins at two thirds of
/// parking's wait, a spin lasts up to a whole park's wait, and it is tried
/// however quick a park is: on a busy machine the tries lose (the spinner
/// holds the core the awaiting task needs) and become rare (one in
/// [`EXPLORE_MAX`] waits).
pub(crate) const STANDBY: Rule =
    Rule { wins_at_pct: 67, window_pct: 100, dear_park: Duration::ZERO };

/// A sample counts at most twice the average plus this (see [`Duel`]).
const SLACK: Duration = Duration::from_micros(1);

/// Which of spinning and parking has served a waiter's recent waits better,
/// by their measured latency (from the moment the waiter found nothing to do
/// until its event came), and which to use next.
///
/// Spinning wins only where it makes the wait clearly shorter (by its
/// [`Rule`]: `block_on` asks for half): a spin costs the CPU time it lasts,
/// a park almost none, so a small gain is not worth it. Ties (waits longer
/// than [`CAP`] either way) go to parking. The losing arm is tried every
/// `interval` waits, to follow a change of load; each try that confirms it
/// doubles the interval (up to [`EXPLORE_MAX`]), one that makes it win
/// resets it. Spinning is not tried at all while parks are quicker than the
/// rule's `dear_park`; when they get slow (the machine went idle: the
/// winner's average follows within a few waits) it is tried within a few
/// waits.
///
/// The averages are typical waits rather than means: a sample counts at most
/// twice the average (plus [`SLACK`]), so one stray long wait (a preemption,
/// an interrupt) moves an average by a quarter at most, while a lasting
/// change moves it within a few waits.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Duel {
    /// Moving average of the waits that spun first, in ns (`u32::MAX`: none
    /// yet).
    spin: u32,
    /// Moving average of the waits that parked at once, in ns (`u32::MAX`:
    /// none yet).
    park: u32,
    /// Waits left until the losing arm is tried.
    countdown: u16,
    /// Waits between two tries of the losing arm.
    interval: u16,
    /// What spinning must do to win, and how long a spin lasts.
    rule: Rule,
}

impl Duel {
    /// Nothing measured: spin first, and try parking soon.
    pub(crate) const fn new(rule: Rule) -> Self {
        Duel { spin: u32::MAX, park: u32::MAX, countdown: 2, interval: EXPLORE_MIN, rule }
    }

    /// The arm that has served better so far (spinning, until parking has
    /// been measured).
    fn winner(&self) -> Arm {
        if self.would_win(Arm::Spin, self.spin) { Arm::Spin } else { Arm::Park }
    }

    /// Whether a wait of `sample` ns with `arm` would win against the other
    /// arm's average.
    fn would_win(&self, arm: Arm, sample: u32) -> bool {
        let wins = |spin: u32, park: u32| {
            park == u32::MAX
                || u64::from(spin) * 100 <= u64::from(park) * u64::from(self.rule.wins_at_pct)
        };
        match arm {
            Arm::Spin => wins(sample, self.park),
            Arm::Park => !wins(self.spin, sample),
        }
    }

    /// How long a spin may last: [`SPIN_FOR`], or the rule's share of a
    /// park's latency if shorter.
    pub(crate) fn window(&self) -> Duration {
        let share = u64::from(self.park) * u64::from(self.rule.window_pct) / 100;
        SPIN_FOR.min(Duration::from_nanos(share))
    }

    /// The arm for the next wait: the winner, or now and then the loser.
    /// Parks on a single-core machine.
    pub(crate) fn choose(&mut self) -> Arm {
        if !multi_core() {
            return Arm::Park;
        }
        let winner = self.winner();
        if winner == Arm::Park && self.park < duration_nanos(self.rule.dear_park) {
            // Parking is quick: no spin to try; try one soon once it is not.
            self.interval = EXPLORE_MIN;
            self.countdown = EXPLORE_MIN;
            return Arm::Park;
        }
        self.countdown = self.countdown.saturating_sub(1);
        if self.countdown > 0 {
            return winner;
        }
        self.countdown = self.interval;
        match winner {
            Arm::Spin => Arm::Park,
            Arm::Park => Arm::Spin,
        }
    }

    /// Records that a wait with `arm` lasted `waited`.
    pub(crate) fn record(&mut self, arm: Arm, waited: Duration) {
        let before = self.winner();
        let exploring = arm != before;
        let average = match arm {
            Arm::Spin => &mut self.spin,
            Arm::Park => &mut self.park,
        };
        let sample = duration_nanos(waited.min(CAP));
        // A moving average weighting the last wait 1/4, a rare try of the
        // losing arm 1/2, the first one fully; a sample counts at most twice
        // the average (plus the slack).
        let weight = if exploring { 2 } else { 4 };
        *average = if *average == u32::MAX {
            sample
        } else {
            let sample =
                sample.min(average.saturating_mul(2).saturating_add(duration_nanos(SLACK)));
            let old = i64::from(*average);
            u32::try_from(old + (i64::from(sample) - old) / weight).unwrap_or(u32::MAX)
        };
        if exploring {
            // A try of the losing arm: it lost again (try it less often), or
            // it won, or this wait alone would have won (keep watching
            // closely: the load changed, its average follows within a few
            // tries).
            self.interval = if self.winner() == before && !self.would_win(arm, sample) {
                (self.interval * 2).min(EXPLORE_MAX)
            } else {
                EXPLORE_MIN
            };
            self.countdown = self.interval;
        }
    }
}

/// `duration` in nanoseconds (durations here stay far below the 4 s that
/// fit).
fn duration_nanos(duration: Duration) -> u32 {
    u32::try_from(duration.as_nanos()).unwrap_or(u32::MAX)
}

/// A wait being timed for a [`Duel`]: started when the waiter first finds
/// nothing to do (so a wait that ends at once costs no clock read).
#[derive(Debug, Default)]
pub(crate) struct Timing {
    /// The arm chosen and when the wait started, once it has.
    started: Option<(Arm, Instant)>,
    /// How long a spin of this wait may last (see [`Duel::window`]).
    window: Duration,
}

impl Timing {
    /// Starts timing a wait with the arm `duel` chooses; returns the arm.
    /// After the first call, returns the arm chosen then.
    pub(crate) fn start(&mut self, duel: &mut Duel) -> Arm {
        if let Some((arm, _)) = self.started {
            return arm;
        }
        let arm = duel.choose();
        self.window = duel.window();
        self.started = Some((arm, Instant::now()));
        arm
    }

    /// How long a spin of this wait may last, as the duel said at its start.
    pub(crate) fn window(&self) -> Duration {
        self.window
    }

    /// The arm chosen, once the wait has started.
    pub(crate) fn arm(&self) -> Option<Arm> {
        self.started.map(|(arm, _)| arm)
    }

    /// Whether the wait has started.
    pub(crate) fn started(&self) -> bool {
        self.started.is_some()
    }

    /// Ends the wait: records its latency in `duel` if it started.
    pub(crate) fn end(self, duel: &mut Duel) {
        if let Some((arm, start)) = self.started {
            duel.record(arm, start.elapsed());
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
        let done = spin_until(SPIN_FOR, || {
            looks.set(looks.get() + 1);
            looks.get() == 3
        });
        // A descheduled spin may end before the third look.
        assert!(!done || looks.get() == 3);
        assert!(done || !multi_core() || looks.get() < 3);
    }

    /// `n` waits of `duel`, each lasting `spinning` µs when it spins and
    /// `parking` µs when it parks (a spin cut short by its window waits the
    /// window, then parks); returns how many spun.
    fn waits(duel: &mut Duel, n: usize, spinning: u64, parking: u64) -> usize {
        let mut spun = 0;
        for _ in 0..n {
            let window = duel.window();
            let arm = duel.choose();
            let spin_wait = Duration::from_micros(spinning);
            let lasted = match arm {
                Arm::Spin if spin_wait > window => window + Duration::from_micros(parking),
                Arm::Spin => spin_wait,
                Arm::Park => Duration::from_micros(parking),
            };
            spun += usize::from(arm == Arm::Spin);
            duel.record(arm, lasted);
        }
        spun
    }

    #[test]
    fn spins_where_spinning_halves_the_wait_and_tries_parking_rarely() {
        if !multi_core() {
            return;
        }
        let mut duel = Duel::new(BLOCK_ON);
        // An idle VM: a spin waits 7 µs, a park 48 µs.
        waits(&mut duel, 100, 7, 48);
        assert_eq!(duel.winner(), Arm::Spin);
        let spun = waits(&mut duel, 1000, 7, 48);
        assert!(spun >= 990, "{spun} of 1000 waits spun");
    }

    #[test]
    fn parks_under_load_and_spins_again_when_the_load_goes() {
        if !multi_core() {
            return;
        }
        let mut duel = Duel::new(BLOCK_ON);
        waits(&mut duel, 100, 7, 48);
        // Load: spinning takes the core the waker needs, and a park is
        // quick: after a few waits, no spin at all.
        waits(&mut duel, 50, 30, 6);
        assert_eq!(duel.winner(), Arm::Park);
        assert_eq!(waits(&mut duel, 1000, 30, 6), 0);
        // Quiet again: spinning wins back within a few dozen waits.
        waits(&mut duel, 60, 7, 48);
        assert_eq!(duel.winner(), Arm::Spin);
    }

    #[test]
    fn the_standby_spins_where_a_spin_saves_a_third_of_a_short_park() {
        if !multi_core() {
            return;
        }
        // The standby thread's wait on an idle VM: the awaiting task's turn
        // (6 µs) either way, plus a wake-up (4 µs) when it parked.
        let mut duel = Duel::new(STANDBY);
        waits(&mut duel, 100, 6, 10);
        assert_eq!(duel.winner(), Arm::Spin);
        let spun = waits(&mut duel, 1000, 6, 10);
        assert!(spun >= 990, "{spun} of 1000 waits spun");
        // `block_on`'s rule cuts every spin short at half a park (5 µs), and
        // then tries none while a park takes under 12 µs.
        let mut duel = Duel::new(BLOCK_ON);
        waits(&mut duel, 100, 6, 10);
        assert_eq!(waits(&mut duel, 1000, 6, 10), 0);
    }

    #[test]
    fn the_standby_parks_under_load_and_tries_a_spin_rarely() {
        if !multi_core() {
            return;
        }
        // A busy machine: the spinner holds the core the awaiting task
        // needs, and a park is quick.
        let mut duel = Duel::new(STANDBY);
        waits(&mut duel, 100, 18, 9);
        assert_eq!(duel.winner(), Arm::Park);
        let spun = waits(&mut duel, 10_000, 18, 9);
        assert!(spun <= 12, "{spun} of 10000 waits spun");
        // Quiet again: spinning wins back within a few dozen waits of its
        // next try (at most `EXPLORE_MAX` waits away): a try that wins on
        // its own brings the next ones closer.
        waits(&mut duel, usize::from(EXPLORE_MAX) + 60, 6, 10);
        assert_eq!(duel.winner(), Arm::Spin);
    }

    #[test]
    fn a_spin_that_keeps_losing_is_tried_rarely() {
        if !multi_core() {
            return;
        }
        let mut duel = Duel::new(BLOCK_ON);
        // Slow parks, and spins that lose anyway (descheduled spinners).
        waits(&mut duel, 100, 100, 20);
        let spun = waits(&mut duel, 10_000, 100, 20);
        assert!(spun <= 12, "{spun} of 10000 waits spun");
    }

    #[test]
    fn long_waits_park() {
        if !multi_core() {
            return;
        }
        let mut duel = Duel::new(BLOCK_ON);
        // 1 ms timers: both arms wait as long; spinning would only burn CPU.
        waits(&mut duel, 100, 1000, 1000);
        assert_eq!(duel.winner(), Arm::Park);
        let spun = waits(&mut duel, 1000, 1000, 1000);
        assert!(spun <= 10, "{spun} of 1000 waits spun");
    }

    #[test]
    fn a_wait_that_never_started_records_nothing() {
        let mut duel = Duel::new(BLOCK_ON);
        Timing::default().end(&mut duel);
        assert_eq!((duel.spin, duel.park), (u32::MAX, u32::MAX));
    }
}
