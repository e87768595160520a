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
//! spinning makes the wait clearly shorter (by its [`Rule`]: to 70 % for
//! `block_on`, to two thirds for an `unblock` round trip, where one decision
//! covers both sides: the standby pool thread and the awaiting task). The
//! other way is tried again now and then, less often the longer it keeps
//! losing (a losing spin at least every 64 waits, a losing park every 1 024),
//! so a change of load is seen within a few ms. A spin also ends as soon as
//! it finds itself descheduled (a gap in its looks at the clock): the cores
//! are wanted.

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
pub(crate) const CAP: Duration = Duration::from_micros(100);

/// The fewest waits between two tries of the losing arm.
const EXPLORE_MIN: u16 = 4;

/// The most waits between two tries of parking while spinning wins: each
/// try costs a quiet machine a slow wait, and a load that comes shows in the
/// spins' own waits.
const EXPLORE_MAX: u16 = 1024;

/// The most waits between two tries of spinning while parking wins. Parked
/// waits take 15–60 µs, so on a machine whose load has gone spinning wins
/// back within a few ms, where 1 024 waits left a 30 ms benchmark batch
/// parked from end to end (`benches/loaded.rs`); under load a try costs one
/// spin in 64 waits (four for a round trip, see [`ROUND_TRIP`]), cut short
/// as soon as the spinner finds itself descheduled.
const SPIN_EXPLORE_MAX: u16 = 64;

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
    /// How many waits in a row a try of the losing arm lasts: more than one
    /// where a wait's arm also decides how the next one starts (see
    /// [`ROUND_TRIP`]).
    tries: u16,
}

/// `block_on`'s rule: spinning must cut the wait to 70 %, a spin lasts at
/// most a park's wait, and none is tried while a park takes 12 µs or less.
/// Waiting for a tokio task on an idle VM, a spinner's wait is the tokio
/// worker's wake-up (15–25 µs), a parked waiter's that and its own (30–35
/// µs): a rule asking for half, with spins cut at half a park, mostly parked
/// there (0.9–1.0× tokio's latency, against 0.7–0.9× with this rule, in
/// interleaved runs of `benches/loaded.rs`). With the benchmark's other rows
/// interleaved, though, the spins themselves took 34–47 µs, as long as a
/// park (5–8 µs with the row alone): the worker that the waiter's own spawn
/// woke seems to sit on the spinner's core until the spin ends. A
/// `yield_now` after 8 µs of spinning let it run (0.69/0.74× tokio quiet, at
/// the busy-poll floor) but handed the core to a competitor for a time slice
/// under load (0.79/1.10× loaded, against 0.64/0.80×); with a back-off
/// after a long yield, 0.92/0.74× quiet and 0.38/0.90× loaded, against
/// 0.95/0.98× and 0.25/0.48×. So a spin never yields. A park of 12 µs or
/// less (a busy machine, whose cores do not halt, wakes a thread in 2–8 µs) leaves a
/// spin too little to win for the risk it takes there (a spinner the
/// scheduler deschedules waits for a time slice, hundreds of µs, where a
/// parked thread would have been woken at once).
pub(crate) const BLOCK_ON: Rule =
    Rule { wins_at_pct: 70, window_pct: 100, dear_park: Duration::from_micros(12), tries: 1 };

/// The rule of an `unblock` round trip through the pool's standby thread
/// (see `pool::workers`): one arm for both sides of it. Spinning, the
/// standby thread spins for the next job after its last one, and the task
/// awaiting a job handed to the spinning standby spins for the result in its
/// first poll; parking, both park at once. The two sides decide together
/// because each side's spin pays only while the other spins: a spinning
/// standby thread waits for the awaiting task's next submit, which a parked
/// task makes only after its wake-up (10–30 µs on an idle VM), and a task
/// spinning for the result of a job handed to a parked standby thread waits
/// for that thread's wake-up. Decided apart, by each side's own waits, both
/// settled on parking after any loaded spell and stayed there (a round trip
/// from a tokio worker of 25–45 µs, where both spinning took 1–7 µs).
///
/// The wait measured is the round trip, from the submit to the moment the
/// awaiting task has the result. Spinning must cut it to two thirds, a spin
/// lasts up to a park's round trip (and at most [`SPIN_FOR`]), it is tried
/// however quick a park is, and a try lasts four round trips: its first one
/// still finds the standby thread parked.
pub(crate) const ROUND_TRIP: Rule =
    Rule { wins_at_pct: 67, window_pct: 100, dear_park: Duration::ZERO, tries: 4 };

/// A sample counts at most twice the average plus this (see [`Duel`]).
const SLACK: Duration = Duration::from_micros(1);

/// Which of spinning and parking has served a waiter's recent waits better,
/// by their measured latency (from the moment the waiter found nothing to do
/// until its event came), and which to use next.
///
/// Spinning wins only where it makes the wait clearly shorter (by its
/// [`Rule`]): a spin costs the CPU time it lasts,
/// a park almost none, so a small gain is not worth it. Ties (waits longer
/// than [`CAP`] either way) go to parking. The losing arm is tried every
/// `interval` waits, to follow a change of load; each try that confirms it
/// doubles the interval (up to [`SPIN_EXPLORE_MAX`] for spinning,
/// [`EXPLORE_MAX`] for parking), one that makes it win
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
    /// Waits left in the current try of the losing arm (after this one).
    trying: u16,
    /// The arm being tried.
    tried: Arm,
    /// What spinning must do to win, and how long a spin lasts.
    rule: Rule,
}

impl Duel {
    /// Nothing measured: spin first, and try parking soon.
    pub(crate) const fn new(rule: Rule) -> Self {
        Duel {
            spin: u32::MAX,
            park: u32::MAX,
            countdown: 2,
            interval: EXPLORE_MIN,
            trying: 0,
            tried: Arm::Park,
            rule,
        }
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
            self.trying = 0;
            return Arm::Park;
        }
        if self.trying > 0 {
            // The next wait of a try that lasts several.
            self.trying -= 1;
            return self.tried;
        }
        self.countdown = self.countdown.saturating_sub(1);
        if self.countdown > 0 {
            return winner;
        }
        self.countdown = self.interval;
        self.tried = match winner {
            Arm::Spin => Arm::Park,
            Arm::Park => Arm::Spin,
        };
        self.trying = self.rule.tries.saturating_sub(1);
        self.tried
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
            // A try of the losing arm: it won, or this wait alone would have
            // won (keep watching closely: the load changed, its average
            // follows within a few tries), or it lost again by the try's
            // last wait (try it less often).
            if self.winner() != before || self.would_win(arm, sample) {
                self.interval = EXPLORE_MIN;
                self.countdown = self.interval;
            } else if self.trying == 0 {
                let most = match arm {
                    Arm::Spin => SPIN_EXPLORE_MAX,
                    Arm::Park => EXPLORE_MAX,
                };
                self.interval = (self.interval * 2).min(most);
                self.countdown = self.interval;
            }
        }
    }
}

/// `duration` in nanoseconds (durations here stay far below the 4 s that
/// fit).
fn duration_nanos(duration: Duration) -> u32 {
    u32::try_from(duration.as_nanos()).unwrap_or(u32::MAX)
}

/// The latest wait one thread measured for a [`Duel`] that another keeps
/// behind a lock (the pool's): a single slot, overwritten, since a duel
/// samples waits and need not see every one; its keeper takes it the next
/// time it holds the lock. Lock-free, so the measuring thread takes no lock
/// for it (`std`'s atomic in model tests too: nothing is timed there).
#[derive(Debug, Default)]
pub(crate) struct Sample(std::sync::atomic::AtomicU64);

/// In a [`Sample`]: the slot holds a wait.
const SAMPLE_HELD: u64 = 1 << 33;

/// In a [`Sample`]: the wait spun first.
const SAMPLE_SPUN: u64 = 1 << 32;

impl Sample {
    /// An empty slot.
    pub(crate) const fn new() -> Self {
        Sample(std::sync::atomic::AtomicU64::new(0))
    }

    /// Puts a wait with `arm` that lasted `waited` in the slot.
    pub(crate) fn put(&self, arm: Arm, waited: Duration) {
        let spun = if arm == Arm::Spin { SAMPLE_SPUN } else { 0 };
        let nanos = u64::from(duration_nanos(waited));
        self.0.store(SAMPLE_HELD | spun | nanos, std::sync::atomic::Ordering::Relaxed);
    }

    /// Takes the wait in the slot, if any: its arm and how long it lasted.
    pub(crate) fn take(&self) -> Option<(Arm, Duration)> {
        let held = self.0.swap(0, std::sync::atomic::Ordering::Relaxed);
        (held & SAMPLE_HELD != 0).then(|| {
            let arm = if held & SAMPLE_SPUN != 0 { Arm::Spin } else { Arm::Park };
            (arm, Duration::from_nanos(held & u64::from(u32::MAX)))
        })
    }
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
    fn spins_where_spinning_cuts_the_wait_and_tries_parking_rarely() {
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
    fn round_trips_spin_where_both_sides_spinning_beat_a_park_by_a_third() {
        if !multi_core() {
            return;
        }
        // An idle VM: 3 µs with both sides spinning, 30 µs with both parked
        // (two wake-ups).
        let mut duel = Duel::new(ROUND_TRIP);
        waits(&mut duel, 100, 3, 30);
        assert_eq!(duel.winner(), Arm::Spin);
        // Parking is tried four waits at a time, ever more rarely.
        let spun = waits(&mut duel, 1000, 3, 30);
        assert!(spun >= 980, "{spun} of 1000 waits spun");
        // A gain of a quarter is not enough.
        let mut duel = Duel::new(ROUND_TRIP);
        waits(&mut duel, 100, 9, 12);
        assert_eq!(duel.winner(), Arm::Park);
    }

    #[test]
    fn round_trips_park_under_load_and_try_spinning_four_at_a_time() {
        if !multi_core() {
            return;
        }
        // A busy machine: each spinner holds a core the other side needs,
        // and a park is quick.
        let mut duel = Duel::new(ROUND_TRIP);
        waits(&mut duel, 100, 40, 20);
        assert_eq!(duel.winner(), Arm::Park);
        let arms: Vec<Arm> = (0..10_000)
            .map(|_| {
                let arm = duel.choose();
                duel.record(arm, Duration::from_micros(if arm == Arm::Spin { 40 } else { 20 }));
                arm
            })
            .collect();
        let spun = arms.iter().filter(|&&arm| arm == Arm::Spin).count();
        assert!((4..=4 * 10_000 / 64 + 4).contains(&spun), "{spun} of 10000 waits spun");
        // Every spin is part of a try of four in a row.
        for run in arms.split(|&arm| arm == Arm::Park).filter(|run| !run.is_empty()) {
            assert_eq!(run.len(), 4);
        }
        // Quiet again: spinning wins back at its next try (at most 64 waits
        // away).
        waits(&mut duel, 64 + 8, 3, 30);
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
        assert!(spun <= 10_000 / 64 + 2, "{spun} of 10000 waits spun");
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
        assert!(spun <= 1000 / 64 + 2, "{spun} of 1000 waits spun");
    }

    #[test]
    fn a_sample_is_taken_once() {
        let sample = Sample::new();
        assert_eq!(sample.take(), None);
        sample.put(Arm::Spin, Duration::from_micros(3));
        sample.put(Arm::Park, Duration::from_micros(30));
        // The latest wait only.
        assert_eq!(sample.take(), Some((Arm::Park, Duration::from_micros(30))));
        assert_eq!(sample.take(), None);
        // A wait beyond 4 s counts as 4 s.
        sample.put(Arm::Spin, Duration::from_secs(5));
        assert_eq!(sample.take(), Some((Arm::Spin, Duration::from_nanos(u64::from(u32::MAX)))));
    }

    #[test]
    fn a_wait_that_never_started_records_nothing() {
        let mut duel = Duel::new(BLOCK_ON);
        Timing::default().end(&mut duel);
        assert_eq!((duel.spin, duel.park), (u32::MAX, u32::MAX));
    }
}
