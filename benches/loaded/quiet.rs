//! Whether the machine is quiet: how many cores other processes kept busy
//! while this one measured, from the machine's busy time in `/proc/stat`
//! (user, nice, system, irq, softirq and steal: another VM running on our
//! virtual cores counts as load too) minus this process's own CPU time.
//!
//! `/proc/stat` counts in ticks of 10 ms per core, so a 30 ms batch's figure
//! is coarse (± a third of a core on 2 cores); a quiet pass's (the sum of its
//! batches) is not. A quiet pass starts only once other processes have left
//! the cores idle for a while ([`wait_until_idle`], bounded), and a batch
//! during which others kept more than [`NOISY`] of a core busy is measured
//! again ([`super::Contender::measure`]).

use std::time::{Duration, Instant};

use super::cpu_now;

/// Others keeping at most this many cores busy (on average over a
/// [`PROBE`]) is an idle machine: a quiet pass may start.
pub(super) const IDLE: f64 = 0.1;

/// A batch during which others kept more cores busy than this is redone.
pub(super) const NOISY: f64 = 0.5;

/// How long a look at the machine's load lasts while waiting for it to idle.
const PROBE: Duration = Duration::from_millis(500);

/// `/proc/stat`'s unit: ticks per second (`USER_HZ`, 100 on Linux).
const TICKS_PER_SECOND: f64 = 100.0;

/// The machine's busy time so far, summed over its cores (0 where
/// `/proc/stat` cannot be read: every figure then reads idle).
fn machine_busy() -> Duration {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let Some(line) = stat.lines().next().filter(|line| line.starts_with("cpu ")) else {
        return Duration::ZERO;
    };
    // cpu user nice system idle iowait irq softirq steal guest guest_nice:
    // everything but idle and iowait (guest time is inside user already).
    let ticks: Vec<u64> = line.split_whitespace().skip(1).map(|f| f.parse().unwrap_or(0)).collect();
    let busy: u64 = [0, 1, 2, 5, 6, 7].iter().filter_map(|&i| ticks.get(i)).sum();
    #[allow(clippy::cast_precision_loss)] // Ticks far below 2^52.
    Duration::from_secs_f64(busy as f64 / TICKS_PER_SECOND)
}

/// A running measurement of the cores other processes keep busy.
#[derive(Clone, Copy)]
pub(super) struct Others {
    /// Wall clock at the start.
    wall: Instant,
    /// The machine's busy time at the start.
    machine: Duration,
    /// This process's CPU time at the start.
    ours: Duration,
}

/// Busy time of other processes and wall time, summed over some spans.
#[derive(Clone, Copy, Default)]
pub(super) struct Seen {
    /// Others' CPU time (may read below zero over a short span: ticks).
    pub(super) busy: f64,
    /// Wall-clock time, in seconds.
    pub(super) wall: f64,
}

impl Seen {
    /// The cores others kept busy on average (0 over no time).
    pub(super) fn cores(self) -> f64 {
        if self.wall > 0.0 { (self.busy / self.wall).max(0.0) } else { 0.0 }
    }
}

impl std::ops::AddAssign for Seen {
    fn add_assign(&mut self, other: Seen) {
        self.busy += other.busy;
        self.wall += other.wall;
    }
}

impl Others {
    /// Starts watching.
    pub(super) fn start() -> Self {
        Others { wall: Instant::now(), machine: machine_busy(), ours: cpu_now() }
    }

    /// What others did since the start.
    pub(super) fn stop(&self) -> Seen {
        let (ours, machine) = (cpu_now(), machine_busy());
        let busy = machine.as_secs_f64()
            - self.machine.as_secs_f64()
            - (ours.as_secs_f64() - self.ours.as_secs_f64());
        Seen { busy, wall: self.wall.elapsed().as_secs_f64() }
    }
}

/// Waits until other processes kept at most [`IDLE`] of a core busy over a
/// [`PROBE`], or `limit` has passed; returns how long it waited and the
/// cores others kept busy during the last probe.
pub(super) fn wait_until_idle(limit: Duration) -> (Duration, f64) {
    let start = Instant::now();
    loop {
        let others = Others::start();
        std::thread::sleep(PROBE);
        let cores = others.stop().cores();
        if cores <= IDLE || start.elapsed() >= limit {
            return (start.elapsed(), cores);
        }
    }
}
