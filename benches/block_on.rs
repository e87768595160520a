//! `block_on` (async → sync) against its peers, side by side in one run:
//! futures-lite, `futures::executor`, pollster, tokio's `Handle::block_on` on
//! a shared multi-thread runtime, a fresh current-thread runtime per call, and
//! the reqwest-style background-thread runtime.
//!
//! Four futures: one that is ready at once, one that yields once, one
//! completed by a task of the shared tokio runtime (through a oneshot), and a
//! 1 ms tokio timer. Our contender is `twoworlds` or `twoworlds_tokio` after
//! the features the binary was built with (`benches/run.sh` runs both).
//!
//! Floors, measured in the same run so the report can say what bounds a
//! ratio: `busy_poll_floor` (a loop that polls without ever sleeping: no
//! `block_on` returns sooner), `futures_lite_entering_tokio` (entering a tokio
//! context around the cheapest poll loop) and `wake_floor` (two threads
//! handing a token back and forth with park/unpark: the cost of waking a
//! sleeping thread, twice).

mod common;

use std::future::Future;
use std::hint::black_box;
use std::time::Duration;

use common::{BACKGROUND, OURS, SHARED, fresh_runtime};
use criterion::{
    BenchmarkGroup, Criterion, criterion_group, criterion_main, measurement::WallTime,
};

/// A future that is ready at its first poll.
fn ready() -> impl Future<Output = u64> + Send + 'static {
    std::future::ready(black_box(1))
}

/// A future that wakes itself and returns `Pending` once.
async fn yield_once() -> u64 {
    futures_lite::future::yield_now().await;
    black_box(1)
}

/// A future completed by a task spawned on the shared tokio runtime.
async fn tokio_task() -> u64 {
    let (tx, rx) = tokio::sync::oneshot::channel();
    SHARED.spawn(async move {
        let _ = tx.send(black_box(1));
    });
    rx.await.expect("the feeding task dropped its sender")
}

/// A 1 ms tokio timer: needs a tokio runtime context.
async fn tokio_timer() -> u64 {
    tokio::time::sleep(Duration::from_millis(1)).await;
    black_box(1)
}

/// Benchmarks every executor that runs `make()` without a tokio context.
fn contenders<F, Fut>(group: &mut BenchmarkGroup<'_, WallTime>, make: F)
where
    F: Fn() -> Fut + Copy,
    Fut: Future<Output = u64> + Send + 'static,
{
    group.bench_function(OURS, |b| b.iter(|| twoworlds::block_on(make())));
    group.bench_function("futures_lite", |b| b.iter(|| futures_lite::future::block_on(make())));
    group.bench_function("futures_executor", |b| b.iter(|| futures::executor::block_on(make())));
    group.bench_function("pollster", |b| b.iter(|| pollster::block_on(make())));
    group.bench_function("busy_poll_floor", |b| b.iter(|| busy_poll(make())));
    tokio_contenders(group, make);
}

/// The floor of any `block_on`: polls in a loop with a no-op waker and never
/// sleeps, so it returns the moment the future can complete (burning its core
/// meanwhile: not an executor anyone should use).
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

/// Benchmarks the tokio-based peers (they all provide a tokio context).
fn tokio_contenders<F, Fut>(group: &mut BenchmarkGroup<'_, WallTime>, make: F)
where
    F: Fn() -> Fut + Copy,
    Fut: Future<Output = u64> + Send + 'static,
{
    let handle = SHARED.handle().clone();
    group.bench_function("tokio_handle", |b| b.iter(|| handle.block_on(make())));
    // The floor of any `block_on` that runs the future in a tokio context, as
    // ours does with feature `tokio`: enter the context, then the cheapest
    // poll loop there is.
    group.bench_function("futures_lite_entering_tokio", |b| {
        b.iter(|| {
            let _context = handle.enter();
            futures_lite::future::block_on(make())
        });
    });
    group.bench_function("tokio_fresh_runtime", |b| b.iter(|| fresh_runtime().block_on(make())));
    group.bench_function("background_thread", |b| b.iter(|| BACKGROUND.block_on(make())));
}

/// `block_on` of a ready future, of a future that yields once, and of a
/// future completed by another tokio task.
fn block_on(c: &mut Criterion) {
    contenders(&mut c.benchmark_group("block_on_ready"), ready);
    contenders(&mut c.benchmark_group("block_on_yield_once"), yield_once);
    contenders(&mut c.benchmark_group("block_on_tokio_task"), tokio_task);
}

/// `block_on` of a tokio timer. Ours runs it only with feature `tokio`; the
/// executors without a reactor run it inside the shared runtime's context
/// (`Handle::enter`), whose workers drive the timer.
fn block_on_timer(c: &mut Criterion) {
    let mut group = c.benchmark_group("block_on_tokio_timer");
    #[cfg(feature = "tokio")]
    group.bench_function(OURS, |b| b.iter(|| twoworlds::block_on(tokio_timer())));
    group.bench_function("futures_lite_in_context", |b| {
        let _context = SHARED.enter();
        b.iter(|| futures_lite::future::block_on(tokio_timer()));
    });
    tokio_contenders(&mut group, tokio_timer);
}

/// The machine's floor for a cross-thread hand-off between sleeping threads:
/// this thread unparks a helper and parks until the helper unparks it back
/// (two wake-ups, like an `unblock` round trip, or a `block_on` woken by a
/// task that another sleeping thread must run first). Nothing that lets the
/// waiting thread sleep can beat it; only spinning can.
fn wake_floor(c: &mut Criterion) {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::thread;

    let request = Arc::new(AtomicBool::new(false));
    let answer = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let caller = thread::current();
    let helper = {
        let (request, answer, stop) =
            (Arc::clone(&request), Arc::clone(&answer), Arc::clone(&stop));
        thread::spawn(move || {
            loop {
                // Sleep until pinged (or told to stop), then answer.
                while !request.swap(false, Ordering::AcqRel) {
                    if stop.load(Ordering::Acquire) {
                        return;
                    }
                    thread::park();
                }
                answer.store(true, Ordering::Release);
                caller.unpark();
            }
        })
    };
    let mut group = c.benchmark_group("wake_floor");
    group.bench_function("park_unpark_round_trip", |b| {
        b.iter(|| {
            request.store(true, Ordering::Release);
            helper.thread().unpark();
            while !answer.swap(false, Ordering::AcqRel) {
                thread::park();
            }
        });
    });
    group.finish();
    stop.store(true, Ordering::Release);
    helper.thread().unpark();
    helper.join().expect("the helper thread panicked");
}

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = block_on, block_on_timer, wake_floor
}
criterion_main!(benches);
