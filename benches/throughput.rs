//! Throughput of many sync threads (1, 2, 8, 64) calling a blocking twin at
//! once, against the same threads calling tokio's `Handle::block_on` on a
//! shared multi-thread runtime. Criterion reports elements (calls) per
//! second: one iteration is one call on every thread.
//!
//! The async function yields once, so each call parks and is woken: the
//! path a real twin takes when its future is not ready at the first poll.
//!
//! Ours calls the `#[bridge]` blocking twin `blocking_work`.

mod common;

use std::hint::black_box;
use std::sync::Barrier;
use std::thread;
use std::time::{Duration, Instant};

use common::{OURS, SHARED};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

/// The async function whose blocking twin `blocking_work` the threads call.
#[twoworlds::bridge]
async fn work(x: u64) -> u64 {
    futures_lite::future::yield_now().await;
    x.wrapping_add(1)
}

/// Runs `call` `iters` times on each of `threads` threads started together;
/// returns the time from the start signal until the last thread is done.
fn run_threads(threads: usize, iters: u64, call: fn(u64) -> u64) -> Duration {
    let barrier = Barrier::new(threads + 1);
    thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                barrier.wait();
                for i in 0..iters {
                    black_box(call(black_box(i)));
                }
            });
        }
        barrier.wait();
        let start = Instant::now();
        // Leaving the scope joins every thread.
        start
    })
    .elapsed()
}

/// `Handle::block_on` of [`work`] on the shared runtime.
fn tokio_work(x: u64) -> u64 {
    SHARED.handle().block_on(work(x))
}

/// 1, 2, 8 and 64 threads calling at once.
fn throughput(c: &mut Criterion) {
    let mut group = c.benchmark_group("throughput_threads");
    for threads in [1_usize, 2, 8, 64] {
        group.throughput(Throughput::Elements(threads as u64));
        group.bench_with_input(BenchmarkId::new(OURS, threads), &threads, |b, &n| {
            b.iter_custom(|iters| run_threads(n, iters, blocking_work));
        });
        group.bench_with_input(BenchmarkId::new("tokio_handle", threads), &threads, |b, &n| {
            b.iter_custom(|iters| run_threads(n, iters, tokio_work));
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = throughput
}
criterion_main!(benches);
