//! `unblock` (sync → async) against tokio's `spawn_blocking` and the
//! `blocking` crate, side by side in one run:
//!
//! - the round trip of a no-op job awaited from a tokio multi-thread worker
//!   and from a current-thread runtime;
//! - 10 000 concurrent 1 ms jobs: the wall time of the burst (criterion), and
//!   the peak thread count of the process, each peer in a fresh child process
//!   (`/proc/self/status`, sampled every 100 µs) when
//!   `TWOWORLDS_BENCH_THREADS_OUT` names the JSON file to write.

mod common;

use std::future::Future;
use std::hint::black_box;
use std::io::Write as _;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use common::{OURS, SHARED};
use criterion::{BenchmarkGroup, Criterion, SamplingMode, criterion_group, measurement::WallTime};

/// Set in a child process to the peer whose thread count it measures.
const CHILD: &str = "TWOWORLDS_BENCH_THREADS_CHILD";
/// The JSON file the parent writes the peak thread counts to.
const OUT: &str = "TWOWORLDS_BENCH_THREADS_OUT";
/// Jobs in a burst.
const BURST: usize = 10_000;

/// The contenders: each runs a job on its pool and awaits the result.
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
    /// Every contender, in report order.
    const ALL: [Pool; 3] = [Pool::Ours, Pool::Tokio, Pool::Blocking];

    /// The contender's name in reports.
    fn name(self) -> &'static str {
        match self {
            Pool::Ours => OURS,
            Pool::Tokio => "tokio_spawn_blocking",
            Pool::Blocking => "blocking_unblock",
        }
    }

    /// Runs `job` on this pool. The job starts when this is called (all
    /// three start eagerly), so a burst created at once runs concurrently.
    fn run<T: Send + 'static>(
        self,
        job: fn() -> T,
    ) -> std::pin::Pin<Box<dyn Future<Output = T> + Send>> {
        match self {
            Pool::Ours => Box::pin(twoworlds::unblock(job)),
            Pool::Tokio => {
                let handle = tokio::task::spawn_blocking(job);
                Box::pin(async move { handle.await.expect("spawn_blocking job panicked") })
            }
            Pool::Blocking => Box::pin(blocking::unblock(job)),
        }
    }
}

/// The no-op job of the round trip.
fn noop() -> u64 {
    black_box(1)
}

/// The 1 ms job of the burst.
fn sleep_1ms() {
    thread::sleep(Duration::from_millis(1));
}

/// `iters` sequential round trips of a no-op; returns their total time.
async fn round_trips(pool: Pool, iters: u64) -> Duration {
    let start = Instant::now();
    for _ in 0..iters {
        black_box(pool.run(noop).await);
    }
    start.elapsed()
}

/// Starts [`BURST`] sleeping jobs at once and waits for all of them.
async fn burst(pool: Pool) {
    let jobs: Vec<_> = (0..BURST).map(|_| pool.run(sleep_1ms)).collect();
    futures::future::join_all(jobs).await;
}

/// Round trip of a no-op awaited from a worker of the shared multi-thread
/// runtime, and from a current-thread runtime.
fn round_trip(c: &mut Criterion) {
    let mut group = c.benchmark_group("unblock_roundtrip_mt_worker");
    for pool in Pool::ALL {
        group.bench_function(pool.name(), |b| {
            b.iter_custom(|iters| {
                SHARED.block_on(SHARED.spawn(round_trips(pool, iters))).expect("worker task")
            });
        });
    }
    group.finish();
    let mut group = c.benchmark_group("unblock_roundtrip_current_thread");
    let runtime = common::fresh_runtime();
    for pool in Pool::ALL {
        group.bench_function(pool.name(), |b| {
            b.iter_custom(|iters| runtime.block_on(round_trips(pool, iters)));
        });
    }
    group.finish();
}

/// Wall time of 10 000 concurrent 1 ms jobs started from a tokio worker.
fn burst_wall_time(c: &mut Criterion) {
    let mut group: BenchmarkGroup<'_, WallTime> = c.benchmark_group("unblock_10k_1ms");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    for pool in Pool::ALL {
        group.bench_function(pool.name(), |b| {
            b.iter(|| SHARED.block_on(SHARED.spawn(burst(pool))).expect("worker task"));
        });
    }
    group.finish();
}

/// The process's current thread count, from `/proc/self/status`.
fn threads_now() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("Threads:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

/// In a fresh child process: three bursts on `pool`, sampling the thread
/// count; prints one JSON object.
fn child(pool: Pool) {
    SHARED.block_on(async {});
    let baseline = threads_now();
    let done = Arc::new(AtomicBool::new(false));
    let peak = Arc::new(AtomicUsize::new(baseline));
    let sampler = {
        let (done, peak) = (Arc::clone(&done), Arc::clone(&peak));
        thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                // The sampler itself is one thread: not the pool's.
                peak.fetch_max(threads_now().saturating_sub(1), Ordering::Relaxed);
                thread::sleep(Duration::from_micros(100));
            }
        })
    };
    let mut walls = Vec::new();
    for _ in 0..3 {
        let start = Instant::now();
        SHARED.block_on(SHARED.spawn(burst(pool))).expect("worker task");
        walls.push(start.elapsed().as_secs_f64() * 1e3);
    }
    done.store(true, Ordering::Relaxed);
    sampler.join().expect("sampler thread");
    // Ours also counts its pool threads itself: the most alive at once.
    let pool_peak = match pool {
        Pool::Ours => twoworlds::pool_stats().peak_threads().to_string(),
        Pool::Tokio | Pool::Blocking => "null".to_owned(),
    };
    println!(
        "{{\"peer\":\"{}\",\"baseline_threads\":{baseline},\"peak_threads\":{},\
         \"pool_peak_threads\":{pool_peak},\"burst_ms\":[{:.1},{:.1},{:.1}]}}",
        pool.name(),
        peak.load(Ordering::Relaxed),
        walls[0],
        walls[1],
        walls[2],
    );
}

/// Runs [`child`] for every peer in its own process and writes the JSON
/// array of their reports to `out`.
fn measure_threads(out: &std::ffi::OsStr) {
    let exe = std::env::current_exe().expect("path of this benchmark binary");
    let mut reports = Vec::new();
    for pool in Pool::ALL {
        let output = Command::new(&exe).env(CHILD, pool.name()).output().expect("child run");
        let report = String::from_utf8_lossy(&output.stdout).trim().to_owned();
        println!("threads: {report}");
        reports.push(report);
    }
    let mut file = std::fs::File::create(out).expect("creating the thread report");
    writeln!(file, "[{}]", reports.join(",\n")).expect("writing the thread report");
}

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = round_trip, burst_wall_time
}

fn main() {
    if let Ok(name) = std::env::var(CHILD) {
        let pool = Pool::ALL.into_iter().find(|p| p.name() == name).expect("known peer");
        child(pool);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
    if let Some(out) = std::env::var_os(OUT) {
        measure_threads(&out);
    }
}
