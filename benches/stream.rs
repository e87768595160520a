//! The pool-backed stream and reader against `blocking::Unblock`, side by
//! side in one run:
//!
//! - `stream_iter_items`: a 100 000-item iterator run on the pool and
//!   consumed as a `Stream` by a task of the shared tokio runtime
//!   (`twoworlds::unblock_iter` vs `blocking::Unblock`); criterion reports
//!   items per second;
//! - `stream_read_bytes`: 16 MiB from a blocking reader run on the pool and
//!   read through futures-io's `AsyncRead` with a 64 KiB buffer
//!   (`twoworlds::unblock_read` vs `blocking::Unblock`); bytes per second.
//!
//! - `dual_stream_twin`: a paginator written once with `#[dual]`
//!   (`async_stream::stream!` over pages fetched by an async method), its
//!   blocking twin's iterator against the same loop written by hand as an
//!   iterator, and the async original polled to its end in one `block_on`
//!   (the generator's own cost, a floor for the twin); items per second.
//!
//! Needs feature `futures-io` (`benches/run.sh` passes it).

mod common;

use std::hint::black_box;
use std::io::{self, Read};

use common::{OURS, SHARED};
use criterion::{Criterion, Throughput, criterion_group};
use futures::{AsyncReadExt, StreamExt};

/// Items per stream.
const ITEMS: u64 = 100_000;
/// Bytes per reader.
const BYTES: u64 = 16 * 1024 * 1024;

/// Sums a stream's items on the shared runtime.
fn sum(stream: impl futures::Stream<Item = u64> + Unpin) -> u64 {
    SHARED.block_on(stream.fold(0_u64, |sum, n| async move { sum.wrapping_add(n) }))
}

/// Reads a reader to its end on the shared runtime, in 64 KiB reads.
fn drain(mut reader: impl futures::AsyncRead + Unpin) -> u64 {
    SHARED.block_on(async move {
        let mut buf = vec![0; 64 * 1024];
        let mut total = 0;
        loop {
            let n = reader.read(&mut buf).await.expect("an in-memory reader");
            if n == 0 {
                return total;
            }
            total += n as u64;
        }
    })
}

/// A blocking reader of `BYTES` bytes.
fn source() -> impl Read + Send + 'static {
    io::repeat(7).take(BYTES)
}

/// Pages of items, served by an async method: the paginator under test.
#[twoworlds::dual]
mod pages {
    /// The pages.
    pub(crate) struct Source {
        /// Each page's items.
        pub(crate) pages: Vec<Vec<u64>>,
    }

    impl Source {
        /// Page `i`, if there is one.
        #[allow(clippy::unused_async)]
        pub(crate) async fn page(&self, i: usize) -> Option<&[u64]> {
            self.pages.get(i).map(Vec::as_slice)
        }

        /// Every item, page after page, each turned into its label.
        pub(crate) fn items(&self) -> impl futures::Stream<Item = String> + '_ {
            async_stream::stream! {
                let mut i = 0;
                while let Some(page) = self.page(i).await {
                    for item in page {
                        yield format!("item-{item}");
                    }
                    i += 1;
                }
            }
        }
    }
}

/// The same paginator, written by hand as an iterator.
fn by_hand(pages: &[Vec<u64>]) -> impl Iterator<Item = String> + '_ {
    pages.iter().flat_map(|page| page.iter().map(|item| format!("item-{item}")))
}

fn dual_twin(c: &mut Criterion) {
    let pages: Vec<Vec<u64>> =
        (0..ITEMS / 100).map(|p| (p * 100..p * 100 + 100).collect()).collect();
    let source = pages::blocking::Source { pages: pages.clone() };
    assert!(source.items().eq(by_hand(&pages)), "the twin disagrees with the hand-written loop");
    let original = pages::Source { pages: pages.clone() };
    let from_async: Vec<String> = twoworlds::block_on(original.items().collect());
    assert!(from_async.into_iter().eq(by_hand(&pages)), "the original disagrees");
    let mut group = c.benchmark_group("dual_stream_twin");
    group.throughput(Throughput::Elements(ITEMS));
    group.bench_function("dual_blocking_twin", |b| {
        b.iter(|| black_box(source.items().map(|s| s.len()).sum::<usize>()));
    });
    group.bench_function("handwritten_iterator", |b| {
        b.iter(|| black_box(by_hand(&pages).map(|s| s.len()).sum::<usize>()));
    });
    // The floor of any twin that keeps the `stream!` body: the async
    // original itself, polled to its end in one `block_on` (no per-item
    // bridge): what `async_stream`'s generator costs per item.
    group.bench_function("async_original_one_block_on", |b| {
        b.iter(|| {
            let lengths = original.items().map(|s| s.len());
            black_box(twoworlds::block_on(lengths.fold(0, |sum, n| async move { sum + n })))
        });
    });
    group.finish();
}

fn items(c: &mut Criterion) {
    let mut group = c.benchmark_group("stream_iter_items");
    group.throughput(Throughput::Elements(ITEMS));
    group.bench_function(OURS, |b| b.iter(|| black_box(sum(twoworlds::unblock_iter(0..ITEMS)))));
    group.bench_function("blocking_unblock", |b| {
        b.iter(|| black_box(sum(blocking::Unblock::new(0..ITEMS))));
    });
    group.finish();
}

fn bytes(c: &mut Criterion) {
    let mut group = c.benchmark_group("stream_read_bytes");
    group.throughput(Throughput::Bytes(BYTES));
    group.bench_function(OURS, |b| b.iter(|| black_box(drain(twoworlds::unblock_read(source())))));
    group.bench_function("blocking_unblock", |b| {
        b.iter(|| black_box(drain(blocking::Unblock::new(source()))));
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = items, bytes, dual_twin
}

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
