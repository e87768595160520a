//! The debug watchdog's cost per poll: a future polled to completion bare,
//! wrapped in `twoworlds::watch` with the watchdog off (the default: one
//! relaxed atomic load per poll), and with it on (each poll timed; the
//! threshold is never reached, so nothing is reported).
//!
//! The future returns `Pending` (waking itself) `POLLS - 1` times, then
//! `Ready`: each iteration is `POLLS` polls with a no-op waker and no
//! executor in the way, so the difference between the rows is the wrapper.

mod common;

use std::future::Future;
use std::hint::black_box;
use std::pin::{Pin, pin};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use twoworlds::watchdog::{self, Config};

/// Polls per iteration.
const POLLS: u32 = 100;

/// A future that is `Pending` until it has been polled `left` more times.
struct Countdown {
    /// Polls still to answer `Pending`.
    left: u32,
}

impl Future for Countdown {
    type Output = u32;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        if self.left == 0 {
            return Poll::Ready(black_box(7));
        }
        self.left -= 1;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// Polls `future` until it is ready, with a no-op waker.
fn poll_to_end<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    // An opaque waker, as an executor's is: with the no-op waker known, the
    // compiler drops the bare future's `wake_by_ref` call, while a watched
    // poll, whose slow path takes the context out of line, keeps it; the
    // rows would differ by that call, not by the wrapper.
    let mut cx = Context::from_waker(black_box(Waker::noop()));
    loop {
        // `black_box`: the compiler must not fold the polls of the bare
        // future into a constant (the watched one's atomic load prevents it).
        if let Poll::Ready(out) = black_box(future.as_mut()).poll(&mut cx) {
            return out;
        }
    }
}

/// A fresh countdown of `POLLS` polls.
fn countdown() -> Countdown {
    Countdown { left: black_box(POLLS - 1) }
}

/// The three rows of group `watchdog_poll`.
fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("watchdog_poll");
    group.throughput(Throughput::Elements(u64::from(POLLS)));
    group.bench_function("plain", |b| b.iter(|| poll_to_end(countdown())));
    watchdog::disable();
    group.bench_function("watch_off", |b| {
        b.iter(|| poll_to_end(twoworlds::watch("bench", countdown())));
    });
    watchdog::enable(Config::new().slow_poll(Duration::from_secs(1000)));
    group.bench_function("watch_on", |b| {
        b.iter(|| poll_to_end(twoworlds::watch("bench", countdown())));
    });
    watchdog::disable();
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = bench
}
criterion_main!(benches);
