//! Streams across the bridge: `unblock_iter` (an iterator on the pool as a
//! `Stream`) and `block_on_stream` (a `Stream` as a blocking iterator) give
//! the items of what they wrap, end the same way, stop the pool work when
//! dropped, and refuse — loudly, never by hanging — to block inside async
//! code.

mod deadline;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;

use deadline::{catching, panic_message, with_deadline};
use futures::StreamExt;
use twoworlds::{UnblockIter, block_on, block_on_stream, unblock, unblock_iter};

/// Items with an error in the middle, as a fallible paginator yields them.
fn with_error() -> Vec<Result<u32, String>> {
    vec![Ok(1), Ok(2), Err("page 3 failed".to_owned()), Ok(4)]
}

#[test]
fn unblock_iter_yields_the_iterators_items_in_order_and_ends() {
    let items: Vec<u64> = (0..10_000).collect();
    let expected = items.clone();
    let got = with_deadline("unblock-iter-all", move || {
        block_on(unblock_iter(items).collect::<Vec<_>>())
    });
    assert_eq!(got, expected);
}

#[test]
fn both_directions_give_the_same_items_including_an_error_mid_stream() {
    let got = with_deadline("errors-mid-stream", || {
        // Iterator → Stream → Iterator: every item, the error in place.
        let round_trip: Vec<_> = block_on_stream(unblock_iter(with_error())).collect();
        // A `Stream` consumed with `?`-style collect ends at the error in
        // both worlds.
        let sync_end: Result<Vec<u32>, String> =
            block_on_stream(unblock_iter(with_error())).collect();
        let async_end: Result<Vec<u32>, String> = block_on(async {
            let mut stream = unblock_iter(with_error());
            let mut out = Vec::new();
            while let Some(item) = stream.next().await {
                out.push(item?);
            }
            Ok(out)
        });
        (round_trip, sync_end, async_end)
    });
    assert_eq!(got.0, with_error());
    assert_eq!(got.1, Err("page 3 failed".to_owned()));
    assert_eq!(got.1, got.2);
}

#[test]
fn an_async_stream_as_a_blocking_iterator_gives_its_items_and_end() {
    // A stream that awaits between items (unfold), and a plain one.
    let stream =
        futures::stream::unfold(0_u32, |n| async move { (n < 5).then(|| (n * 10, n + 1)) });
    let mut iter = block_on_stream(stream);
    assert_eq!(iter.by_ref().collect::<Vec<_>>(), [0, 10, 20, 30, 40]);
    assert_eq!(iter.next(), None, "fused after the end");
    let plain = block_on_stream(futures::stream::iter(with_error()));
    assert_eq!(plain.collect::<Vec<_>>(), with_error());
}

#[test]
fn early_break_gives_the_same_prefix_in_both_worlds() {
    let got = with_deadline("early-break", || {
        let mut sync = Vec::new();
        for n in block_on_stream(unblock_iter(0..1_000_000_u64)) {
            if n == 3 {
                break;
            }
            sync.push(n);
        }
        let asynchronous = block_on(async {
            let mut out = Vec::new();
            let mut stream = unblock_iter(0..1_000_000_u64);
            while let Some(n) = stream.next().await {
                if n == 3 {
                    break;
                }
                out.push(n);
            }
            out
        });
        (sync, asynchronous)
    });
    assert_eq!(got.0, [0, 1, 2]);
    assert_eq!(got.0, got.1);
}

/// Counts up forever; counts the items made and reports its drop (and on
/// which thread) on `dropped`.
struct Endless {
    next: u64,
    made: Arc<AtomicUsize>,
    dropped: mpsc::Sender<String>,
}

impl Iterator for Endless {
    type Item = u64;
    fn next(&mut self) -> Option<u64> {
        self.made.fetch_add(1, Ordering::SeqCst);
        self.next += 1;
        Some(self.next - 1)
    }
}

impl Drop for Endless {
    fn drop(&mut self) {
        let name = thread::current().name().unwrap_or("<unnamed>").to_owned();
        let _ = self.dropped.send(name);
    }
}

#[test]
fn dropping_the_stream_mid_way_stops_the_iterator_on_the_pool_and_loses_nothing_else() {
    let made = Arc::new(AtomicUsize::new(0));
    let (dropped, drop_seen) = mpsc::channel();
    let iter = Endless { next: 0, made: Arc::clone(&made), dropped };
    let capacity = 8;
    let (taken, dropped_on) = with_deadline("drop-mid-way", move || {
        let taken = block_on(async {
            let mut stream = UnblockIter::with_capacity(capacity, iter);
            let mut taken = Vec::new();
            for _ in 0..5 {
                taken.push(stream.next().await.expect("an endless stream"));
            }
            taken
        });
        // An endless iterator ends only because the drop stopped it; if it
        // did not, this waits until the deadline fails the test.
        let dropped_on = drop_seen.recv().expect("the iterator is dropped");
        (taken, dropped_on)
    });
    assert_eq!(taken, [0, 1, 2, 3, 4], "nothing lost or reordered before the drop");
    assert!(dropped_on.starts_with("twoworlds-"), "dropped on {dropped_on}, not a pool thread");
    let made = made.load(Ordering::SeqCst);
    assert!(made <= 5 + 2 * capacity + 1, "{made} items made with capacity {capacity}");
    // The pool goes on serving other work.
    assert_eq!(with_deadline("pool-after-drop", || block_on(unblock(|| 7))), 7);
}

#[test]
fn a_panic_in_the_iterator_resumes_in_the_consumer_after_the_items_before_it() {
    let ended = catching("iterator-panics", || {
        let iter = (0..5_u32).map(|n| if n == 3 { panic!("item 3 exploded") } else { n });
        let mut seen = Vec::new();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            for n in block_on_stream(unblock_iter(iter)) {
                seen.push(n);
            }
        }));
        (seen, result.map_err(|payload| panic_message(&*payload)))
    });
    let (seen, result) = ended.expect("the panic is caught inside");
    assert_eq!(seen, [0, 1, 2]);
    assert_eq!(result.unwrap_err(), "item 3 exploded");
}

#[test]
fn into_iter_and_next_run_on_the_pool() {
    let threads = with_deadline("on-the-pool", || {
        block_on(
            unblock_iter((0..3).map(|_| thread::current().name().map(str::to_owned)))
                .collect::<Vec<_>>(),
        )
    });
    for name in threads {
        assert!(name.as_deref().is_some_and(|n| n.starts_with("twoworlds-")), "{name:?}");
    }
}

#[test]
fn a_blocking_iterator_inside_block_on_panics_with_the_misuse_message() {
    let ended = catching("stream-misuse", || {
        block_on(async { block_on_stream(unblock_iter(0..3)).next() });
    });
    let text = panic_message(&*ended.expect_err("refused"));
    for needle in [
        "`twoworlds::BlockOnStream::next` is a blocking call and was made from async code",
        "thread 'stream-misuse'",
        "`.await`",
        "twoworlds::unblock(..)",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in: {text}");
    }
}

#[cfg(feature = "tokio")]
#[test]
fn a_blocking_iterator_on_a_current_thread_runtime_panics_instead_of_hanging() {
    // futures' block_on_stream hangs here: the stream needs the runtime's
    // only thread, which the iterator would park.
    let ended = catching("current-thread-stream", || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let (tx, rx) = tokio::sync::mpsc::channel::<u32>(1);
            tokio::spawn(async move { tx.send(1).await });
            let stream =
                futures::stream::unfold(rx, |mut rx| async { rx.recv().await.map(|n| (n, rx)) });
            block_on_stream(stream).next()
        })
    });
    let text = panic_message(&*ended.expect_err("refused"));
    assert!(text.contains("is driving tokio tasks"), "{text}");
    assert!(text.contains("twoworlds::BlockOnStream::next"), "{text}");
}

#[test]
fn try_next_returns_the_misuse_as_an_error() {
    let mut iter = block_on_stream(unblock_iter(0..2));
    let refused = block_on(async { iter.try_next() }).expect_err("refused inside block_on");
    assert_eq!(refused.function(), "twoworlds::BlockOnStream::next");
    assert_eq!(with_deadline("try-next", move || iter.try_next().unwrap()), Some(0));
}

#[cfg(feature = "tokio")]
#[test]
fn unblock_iter_is_consumed_by_tokio_tasks_without_blocking_them() {
    let runtime = deadline::tokio_runtime();
    let sum = with_deadline("tokio-consumer", move || {
        runtime.block_on(async {
            let task = tokio::spawn(async {
                let slow =
                    (1..=100_u64).inspect(|_| thread::sleep(std::time::Duration::from_micros(50)));
                unblock_iter(slow).fold(0, |sum, n| async move { sum + n }).await
            });
            task.await.unwrap()
        })
    });
    assert_eq!(sum, 5050);
}
