//! The cross-thread rows on a quiet machine and on a loaded one, with the CPU
//! time each operation costs, ours and the peers' side by side in one run:
//!
//! - `block_on_tokio_task`: `block_on` of a future completed by a task of the
//!   shared tokio runtime (ours, tokio's `Handle::block_on`, the reqwest-style
//!   background thread, futures-lite, and the busy-poll floor);
//! - `unblock_roundtrip_mt_worker`, `unblock_roundtrip_current_thread`: the
//!   round trip of a no-op `unblock` awaited from a worker of the shared
//!   runtime, and from a current-thread runtime (ours, tokio's
//!   `spawn_blocking`, `blocking::unblock`);
//! - `threads_64`: 64 sync threads calling a blocking twin at once (ours: the
//!   `#[bridge]` twin; tokio: `Handle::block_on`), one operation per call;
//! - `unblock_10k_1ms`: 10 000 concurrent 1 ms jobs started from a tokio
//!   worker, one operation per burst;
//! - `wake_floor`: two threads handing a token back and forth with
//!   park/unpark (what two wake-ups of sleeping threads cost here).
//!
//! *Loaded* is the same with one busy competitor thread per core, running in
//! a child process (so its CPU time is not counted as ours). Rounds are
//! interleaved: each round measures every contender quiet, then starts the
//! competitor and measures every contender loaded, in an order that rotates
//! from round to round, so a drifting load on the machine touches every
//! contender alike. A figure is the median over the rounds of one batch's
//! (≈ [`BATCH`]) mean per operation. CPU time is the process's user + system
//! time (`CLOCK_PROCESS_CPUTIME_ID`: every thread of the process, the tokio
//! workers and the pools included, exited threads too, as `getrusage` adds
//! up) over the batch.
//!
//! On a shared machine *quiet* is only as quiet as the other processes let
//! it be: a quiet pass waits (at most `TWOWORLDS_BENCH_QUIET_WAIT` seconds,
//! default 30) until they have left the cores idle, a quiet batch during
//! which they kept more than half a core busy is redone once they idle again
//! (up to 3 times, waiting at most as long again in the pass), and what they
//! did is recorded with each pass (see `loaded/quiet.rs`).
//!
//! Environment: `TWOWORLDS_BENCH_LOADED_OUT` names the JSON file to write;
//! `TWOWORLDS_BENCH_ROUNDS` (default 12), `TWOWORLDS_BENCH_ROWS` (a
//! comma-separated list of rows) and `TWOWORLDS_BENCH_MODES` (`quiet`,
//! `loaded`) narrow a run. Command-line arguments (criterion's, from
//! `benches/run.sh`) are ignored. A table is printed on stdout.

mod common;
#[path = "loaded/competitor.rs"]
mod competitor;
#[path = "loaded/quiet.rs"]
mod quiet;
#[path = "loaded/report.rs"]
mod report;

use std::future::Future;
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use common::{BACKGROUND, OURS, SHARED};
use competitor::{Competitor, competitor_main};
use quiet::{NOISY, Others, Seen, wait_until_idle};
use report::{MODES, QuietPass, load_now, print_table, write_json};

/// Set in the child process that runs the competitor threads.
const COMPETITOR: &str = "TWOWORLDS_BENCH_COMPETITOR";
/// How long one batch of a contender runs (at least one operation).
const BATCH: Duration = Duration::from_millis(30);
/// Threads of the `threads_64` row.
const THREADS: usize = 64;
/// Jobs in a burst of the `unblock_10k_1ms` row.
const BURST: usize = 10_000;
/// How many times a quiet batch is redone at most when other processes
/// were busy during it.
const REDO: usize = 3;
/// How long a redo waits at most for the machine to idle.
const REDO_WAIT: Duration = Duration::from_secs(5);

/// Wall-clock and CPU time spent on some operations.
#[derive(Clone, Copy, Default)]
struct Spent {
    /// Wall-clock time.
    wall: Duration,
    /// User + system time of the whole process.
    cpu: Duration,
}

impl std::ops::AddAssign for Spent {
    fn add_assign(&mut self, other: Spent) {
        self.wall += other.wall;
        self.cpu += other.cpu;
    }
}

/// The process's CPU time so far (user + system, every thread).
#[cfg(target_os = "linux")]
fn cpu_now() -> Duration {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ProcessCPUTime);
    Duration::new(t.tv_sec.unsigned_abs(), u32::try_from(t.tv_nsec).unwrap_or(0))
}

/// No CPU clock outside Linux: CPU figures read 0.
#[cfg(not(target_os = "linux"))]
fn cpu_now() -> Duration {
    Duration::ZERO
}

/// A running measurement of [`Spent`].
struct Stopwatch {
    /// Wall clock at the start.
    wall: Instant,
    /// CPU clock at the start.
    cpu: Duration,
}

impl Stopwatch {
    /// Starts both clocks.
    fn start() -> Self {
        Stopwatch { wall: Instant::now(), cpu: cpu_now() }
    }

    /// What was spent since the start.
    fn stop(&self) -> Spent {
        let cpu = cpu_now();
        Spent { wall: self.wall.elapsed(), cpu: cpu.saturating_sub(self.cpu) }
    }
}

/// Runs `n` operations and says what they cost.
type Run = Box<dyn Fn(u64) -> Spent>;

/// One contender of one row.
struct Contender {
    /// The row (a group name of the criterion suite where there is one).
    row: &'static str,
    /// The contender's name in reports.
    name: &'static str,
    /// Runs `n` operations.
    run: Run,
    /// Operations per call of `run`, grown until a call is long enough
    /// that its set-up is negligible.
    chunk: u64,
    /// Whether one call of `run` with `n = 1` is a batch (a 10 000-job
    /// burst).
    single: bool,
    /// Operations per unit of `n` (one per thread in `threads_64`).
    per_unit: u64,
    /// Per mode (quiet, loaded): each round's wall and CPU time per operation, in ns.
    samples: [Vec<(f64, f64)>; 2],
}

impl Contender {
    /// A contender whose batches run for about [`BATCH`].
    fn new(row: &'static str, name: &'static str, run: impl Fn(u64) -> Spent + 'static) -> Self {
        Contender {
            row,
            name,
            run: Box::new(run),
            chunk: 1,
            single: false,
            per_unit: 1,
            samples: [vec![], vec![]],
        }
    }

    /// Runs one batch and records its figures under `mode`. A quiet batch
    /// during which other processes kept more than [`NOISY`] of a core busy
    /// is redone, up to [`REDO`] times, once the machine has idled again
    /// (waiting at most [`REDO_WAIT`], and at most `budget` in all: the
    /// budget is the quiet pass's). Returns what other processes did during
    /// the batch recorded, and how many were redone.
    fn measure(&mut self, mode: usize, budget: &mut Duration) -> (Seen, usize) {
        let mut redone = 0;
        loop {
            let others = Others::start();
            let sample = self.batch();
            let seen = others.stop();
            if mode != 0 || seen.cores() <= NOISY || redone == REDO || budget.is_zero() {
                self.samples[mode].push(sample);
                return (seen, redone);
            }
            // Redo it once the machine is idle again (if it idles soon).
            let (waited, cores) = wait_until_idle(REDO_WAIT.min(*budget));
            *budget = budget.saturating_sub(waited);
            if cores > quiet::IDLE {
                self.samples[mode].push(sample);
                return (seen, redone);
            }
            redone += 1;
        }
    }

    /// Runs one batch: its wall and CPU time per operation, in ns.
    fn batch(&mut self) -> (f64, f64) {
        let mut spent = Spent::default();
        let mut ops = 0;
        loop {
            // Grow the chunk while one call of it is short (quiet or not: a
            // longer chunk never hurts).
            let took = (self.run)(self.chunk);
            spent += took;
            ops += self.chunk * self.per_unit;
            if self.single || spent.wall >= BATCH {
                break;
            }
            if took.wall < BATCH / 8 {
                self.chunk *= 2;
            }
        }
        #[allow(clippy::cast_precision_loss)] // Counts far below 2^52.
        let per_op = |d: Duration| d.as_nanos() as f64 / ops as f64;
        (per_op(spent.wall), per_op(spent.cpu))
    }
}

/// A future completed by a task spawned on the shared tokio runtime.
async fn tokio_task() -> u64 {
    let (tx, rx) = tokio::sync::oneshot::channel();
    SHARED.spawn(async move {
        let _ = tx.send(black_box(1));
    });
    rx.await.expect("the feeding task dropped its sender")
}

/// Polls `fut` in a loop with a no-op waker, never sleeping: no `block_on`
/// returns sooner.
fn busy_poll<F: Future>(fut: F) -> F::Output {
    let mut fut = std::pin::pin!(fut);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    loop {
        if let std::task::Poll::Ready(out) = fut.as_mut().poll(&mut cx) {
            return out;
        }
        std::hint::spin_loop();
    }
}

/// `n` calls of `block_on` on this thread.
fn block_on_n(n: u64, block_on: impl Fn() -> u64) -> Spent {
    let watch = Stopwatch::start();
    for _ in 0..n {
        black_box(block_on());
    }
    watch.stop()
}

/// The `block_on_tokio_task` row.
fn block_on_row() -> Vec<Contender> {
    let row = "block_on_tokio_task";
    let handle = SHARED.handle().clone();
    vec![
        Contender::new(row, OURS, |n| block_on_n(n, || twoworlds::block_on(tokio_task()))),
        Contender::new(row, "tokio_handle", move |n| {
            block_on_n(n, || handle.block_on(tokio_task()))
        }),
        Contender::new(row, "background_thread", |n| {
            block_on_n(n, || BACKGROUND.block_on(tokio_task()))
        }),
        Contender::new(row, "futures_lite", |n| {
            block_on_n(n, || futures_lite::future::block_on(tokio_task()))
        }),
        Contender::new(row, "busy_poll_floor", |n| block_on_n(n, || busy_poll(tokio_task()))),
    ]
}

/// The pools of the `unblock` rows.
#[derive(Clone, Copy)]
enum Pool {
    /// `twoworlds::unblock`.
    Ours,
    /// `tokio::task::spawn_blocking`.
    Tokio,
    /// `blocking::unblock`.
    Blocking,
}

impl Pool {
    /// Every pool, with its name in reports.
    const ALL: [(Pool, &'static str); 3] = [
        (Pool::Ours, OURS),
        (Pool::Tokio, "tokio_spawn_blocking"),
        (Pool::Blocking, "blocking_unblock"),
    ];

    /// Runs `job` on this pool and awaits it.
    async fn run<T: Send + 'static>(self, job: fn() -> T) -> T {
        match self {
            Pool::Ours => twoworlds::unblock(job).await,
            Pool::Tokio => tokio::task::spawn_blocking(job).await.expect("spawn_blocking job"),
            Pool::Blocking => blocking::unblock(job).await,
        }
    }
}

/// The no-op job of a round trip.
fn noop() -> u64 {
    black_box(1)
}

/// The 1 ms job of a burst.
fn sleep_1ms() {
    thread::sleep(Duration::from_millis(1));
}

/// `n` sequential round trips of a no-op on `pool`.
async fn round_trips(pool: Pool, n: u64) -> Spent {
    let watch = Stopwatch::start();
    for _ in 0..n {
        black_box(pool.run(noop).await);
    }
    watch.stop()
}

/// `n` bursts of [`BURST`] concurrent 1 ms jobs on `pool`.
async fn bursts(pool: Pool, n: u64) -> Spent {
    let watch = Stopwatch::start();
    for _ in 0..n {
        let jobs: Vec<_> = (0..BURST).map(|_| Box::pin(pool.run(sleep_1ms))).collect();
        futures::future::join_all(jobs).await;
    }
    watch.stop()
}

/// The `unblock` rows: round trips from a multi-thread worker and from a
/// current-thread runtime, and the 10 000-job burst.
fn unblock_rows() -> Vec<Contender> {
    let current = Arc::new(common::fresh_runtime());
    let mut rows = Vec::new();
    for (pool, name) in Pool::ALL {
        rows.push(Contender::new("unblock_roundtrip_mt_worker", name, move |n| {
            SHARED.block_on(SHARED.spawn(round_trips(pool, n))).expect("worker task")
        }));
        let current = Arc::clone(&current);
        rows.push(Contender::new("unblock_roundtrip_current_thread", name, move |n| {
            current.block_on(round_trips(pool, n))
        }));
        let mut burst = Contender::new("unblock_10k_1ms", name, move |n| {
            SHARED.block_on(SHARED.spawn(bursts(pool, n))).expect("worker task")
        });
        burst.single = true;
        rows.push(burst);
    }
    rows
}

/// The async function whose blocking twin the `threads_64` row calls.
#[twoworlds::bridge]
async fn work(x: u64) -> u64 {
    futures_lite::future::yield_now().await;
    x.wrapping_add(1)
}

/// `Handle::block_on` of [`work`] on the shared runtime.
fn tokio_work(x: u64) -> u64 {
    SHARED.handle().block_on(work(x))
}

/// `n` calls of `call` on each of [`THREADS`] threads started together.
fn threads_n(n: u64, call: fn(u64) -> u64) -> Spent {
    let barrier = Barrier::new(THREADS + 1);
    let watch = thread::scope(|scope| {
        for _ in 0..THREADS {
            scope.spawn(|| {
                barrier.wait();
                for i in 0..n {
                    black_box(call(black_box(i)));
                }
            });
        }
        barrier.wait();
        // Leaving the scope joins every thread.
        Stopwatch::start()
    });
    watch.stop()
}

/// The `threads_64` row: one operation is one call on one thread.
fn threads_row() -> Vec<Contender> {
    let mut ours = Contender::new("threads_64", OURS, |n| threads_n(n, blocking_work));
    let mut tokio = Contender::new("threads_64", "tokio_handle", |n| threads_n(n, tokio_work));
    ours.per_unit = THREADS as u64;
    tokio.per_unit = THREADS as u64;
    vec![ours, tokio]
}

/// The `wake_floor` row: this thread unparks a helper and parks until the
/// helper unparks it back.
fn wake_floor_row() -> Vec<Contender> {
    let request = Arc::new(AtomicBool::new(false));
    let answer = Arc::new(AtomicBool::new(false));
    let caller = thread::current();
    let helper = {
        let (request, answer) = (Arc::clone(&request), Arc::clone(&answer));
        // Detached: it sleeps until the process exits.
        thread::spawn(move || {
            loop {
                while !request.swap(false, Ordering::AcqRel) {
                    thread::park();
                }
                answer.store(true, Ordering::Release);
                caller.unpark();
            }
        })
    };
    let helper = helper.thread().clone();
    vec![Contender::new("wake_floor", "park_unpark_round_trip", move |n| {
        let watch = Stopwatch::start();
        for _ in 0..n {
            request.store(true, Ordering::Release);
            helper.unpark();
            while !answer.swap(false, Ordering::AcqRel) {
                thread::park();
            }
        }
        watch.stop()
    })]
}

/// A count from the environment, or `default`.
fn env_count(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn main() {
    if std::env::var_os(COMPETITOR).is_some() {
        competitor_main();
    }
    // 1. The contenders, narrowed to the rows asked for.
    let rows = std::env::var("TWOWORLDS_BENCH_ROWS").ok();
    let wanted = |c: &Contender| rows.as_deref().is_none_or(|r| r.split(',').any(|r| r == c.row));
    let mut contenders: Vec<Contender> =
        [block_on_row(), unblock_rows(), threads_row(), wake_floor_row()]
            .into_iter()
            .flatten()
            .filter(wanted)
            .collect();
    let modes = std::env::var("TWOWORLDS_BENCH_MODES").unwrap_or_else(|_| "quiet,loaded".into());
    let modes: Vec<usize> =
        (0..MODES.len()).filter(|&m| modes.split(',').any(|name| name == MODES[m])).collect();
    let rounds = env_count("TWOWORLDS_BENCH_ROUNDS", 12);
    let quiet_wait =
        Duration::from_secs(env_count("TWOWORLDS_BENCH_QUIET_WAIT", 30).try_into().unwrap_or(30));
    // 2. A warm-up batch each (also sizes the chunks), not recorded.
    for c in &mut contenders {
        c.batch();
    }
    // 3. The rounds: every contender quiet, then every contender loaded, in
    //    an order rotating from round to round. A quiet pass starts once
    //    other processes leave the cores idle (a bounded wait), and what
    //    they did during it is recorded.
    let count = contenders.len();
    let mut loads = Vec::new();
    let mut passes = Vec::new();
    for round in 0..rounds {
        for &mode in &modes {
            let mut pass = QuietPass::default();
            let mut budget = quiet_wait;
            if mode == 0 {
                (pass.waited, pass.before) = wait_until_idle(quiet_wait);
                loads.push(load_now());
            }
            let competitor = (mode == 1).then(Competitor::start);
            for i in 0..count {
                let (seen, redone) = contenders[(i + round) % count].measure(mode, &mut budget);
                pass.during += seen;
                pass.redone += redone;
            }
            drop(competitor);
            if mode == 0 {
                passes.push(pass);
            }
        }
        eprintln!("loaded bench: round {} of {rounds} done", round + 1);
    }
    // 4. The report.
    print_table(&contenders, &passes);
    if let Some(out) = std::env::var_os("TWOWORLDS_BENCH_LOADED_OUT") {
        write_json(&out, rounds, &loads, &passes, &contenders);
    }
}
