//! `#[bridge]` on fns returning streams and iterators: the blocking twin of a
//! stream fn is an iterator, the async twin of an iterator fn is a stream
//! produced on the pool; both give the items of the original, end the same
//! way (errors mid-stream, early `break`), and the blocking iterator refuses
//! — loudly, never by hanging — to run inside async code.

mod deadline;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};

use deadline::{catching, panic_message, with_deadline};
use futures::{Stream, StreamExt, TryStreamExt};
use twoworlds::{block_on, bridge};

/// A fake paginated server: `page(n)` answers page `n` of `items` two at a
/// time, fails on `fail_at`, and counts requests.
#[derive(Clone)]
struct Client {
    items: Vec<u32>,
    fail_at: Option<usize>,
    requests: Arc<AtomicUsize>,
}

#[bridge]
impl Client {
    /// One page.
    async fn page(&self, n: usize) -> Result<Vec<u32>, String> {
        self.requests.fetch_add(1, Ordering::SeqCst);
        if self.fail_at == Some(n) {
            return Err(format!("page {n} failed"));
        }
        Ok(self.items.iter().skip(2 * n).take(2).copied().collect())
    }

    /// Every page until an empty one, lazily (`try_stream!`).
    fn pages(&self) -> impl Stream<Item = Result<Vec<u32>, String>> + '_ {
        async_stream::try_stream! {
            let mut n = 0;
            loop {
                let page = self.page(n).await?;
                if page.is_empty() {
                    break;
                }
                n += 1;
                yield page;
            }
        }
    }

    /// Every item, as an async fn returning a stream (`unfold`).
    async fn items(&self, from: u32) -> impl Stream<Item = u32> + Send + 'static {
        let items = self.items.clone();
        futures::stream::unfold(0, move |i| {
            let next = items.get(i).map(|&item| (item + from, i + 1));
            async move { next }
        })
    }
}

/// A client of `n` items.
fn client(n: u32, fail_at: Option<usize>) -> Client {
    Client { items: (0..n).collect(), fail_at, requests: Arc::new(AtomicUsize::new(0)) }
}

#[test]
fn the_blocking_twin_of_a_stream_gives_the_same_pages_requests_and_end() {
    let (sync, asynchronous) = with_deadline("pages", || {
        let sync_client = client(5, None);
        let sync: Vec<_> = sync_client.blocking_pages().collect();
        let async_client = client(5, None);
        let asynchronous: Vec<_> = block_on(async_client.pages().collect());
        (
            (sync, sync_client.requests.load(Ordering::SeqCst)),
            (asynchronous, async_client.requests.load(Ordering::SeqCst)),
        )
    });
    assert_eq!(sync.0, [Ok(vec![0, 1]), Ok(vec![2, 3]), Ok(vec![4])]);
    assert_eq!(sync.1, 4, "three pages and the empty one that ends the stream");
    assert_eq!(sync, asynchronous);
}

#[test]
fn an_error_mid_stream_ends_both_twins_the_same_way() {
    let (sync, asynchronous) = with_deadline("pages-error", || {
        let sync: Result<Vec<_>, _> = client(9, Some(2)).blocking_pages().collect();
        let asynchronous: Result<Vec<_>, _> = block_on(client(9, Some(2)).pages().try_collect());
        (sync, asynchronous)
    });
    assert_eq!(sync, Err("page 2 failed".to_owned()));
    assert_eq!(sync, asynchronous);
}

#[test]
fn an_early_break_sends_the_same_requests_in_both_twins() {
    let (sync, asynchronous) = with_deadline("pages-break", || {
        let sync_client = client(100, None);
        let first = sync_client.blocking_pages().next();
        let async_client = client(100, None);
        let first_async = block_on(async { std::pin::pin!(async_client.pages()).next().await });
        (
            (first, sync_client.requests.load(Ordering::SeqCst)),
            (first_async, async_client.requests.load(Ordering::SeqCst)),
        )
    });
    assert_eq!(sync, (Some(Ok(vec![0, 1])), 1));
    assert_eq!(sync, asynchronous);
}

#[test]
fn the_blocking_twin_of_an_async_fn_returning_a_stream() {
    let got = with_deadline("items", || {
        let c = client(4, None);
        let sync: Vec<u32> = c.blocking_items(10).collect();
        let asynchronous: Vec<u32> = block_on(async { c.items(10).await.collect().await });
        (sync, asynchronous)
    });
    assert_eq!(got.0, [10, 11, 12, 13]);
    assert_eq!(got.0, got.1);
}

#[test]
fn the_blocking_iterator_inside_async_code_panics_naming_the_twin() {
    let ended = catching("twin-misuse", || {
        block_on(async { client(3, None).blocking_pages().next() });
    });
    let text = panic_message(&*ended.expect_err("refused"));
    assert!(text.contains("`Client::blocking_pages` is a blocking call"), "{text}");
    assert!(text.contains("`.await`"), "{text}");
    let ended = catching("twin-misuse-async-fn", || {
        block_on(async { client(3, None).blocking_items(0).count() });
    });
    let text = panic_message(&*ended.expect_err("refused"));
    assert!(text.contains("`Client::blocking_items` is a blocking call"), "{text}");
}

#[cfg(feature = "tokio")]
#[test]
fn the_blocking_iterator_on_a_current_thread_runtime_panics_instead_of_hanging() {
    let ended = catching("twin-current-thread", || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async { client(3, None).blocking_pages().count() })
    });
    let text = panic_message(&*ended.expect_err("refused"));
    assert!(
        text.contains("`Client::blocking_pages`") && text.contains("driving tokio tasks"),
        "{text}"
    );
}

/// Numbered lines with an error at `fail_at`, like a sync log reader.
#[bridge]
fn numbered(
    count: u32,
    fail_at: Option<u32>,
) -> impl Iterator<Item = Result<String, String>> + Send {
    (0..count).map(move |n| {
        if Some(n) == fail_at {
            Err(format!("line {n} unreadable"))
        } else {
            Ok(format!("line {n}"))
        }
    })
}

#[test]
fn the_async_twin_of_an_iterator_gives_the_same_items_and_end() {
    let got = with_deadline("numbered", || {
        let all: Vec<_> = block_on(numbered_async(3, Some(1)).collect());
        let until_error: Result<Vec<_>, _> = block_on(numbered_async(3, Some(1)).try_collect());
        let mut first_two = Vec::new();
        block_on(async {
            let mut stream = numbered_async(1000, None);
            while let Some(line) = stream.next().await {
                if first_two.len() == 2 {
                    break;
                }
                first_two.push(line);
            }
        });
        (all, until_error, first_two)
    });
    assert_eq!(got.0, numbered(3, Some(1)).collect::<Vec<_>>());
    assert_eq!(got.1, numbered(3, Some(1)).collect::<Result<Vec<_>, _>>());
    assert_eq!(got.2, numbered(1000, None).take(2).collect::<Vec<_>>());
}

/// An endless iterator that reports its drop.
struct Ticks(u64, mpsc::Sender<u64>);

impl Iterator for Ticks {
    type Item = u64;
    fn next(&mut self) -> Option<u64> {
        self.0 += 1;
        Some(self.0)
    }
}

impl Drop for Ticks {
    fn drop(&mut self) {
        let _ = self.1.send(self.0);
    }
}

/// Ticks forever.
#[bridge]
fn ticks(dropped: mpsc::Sender<u64>) -> impl Iterator<Item = u64> + Send {
    Ticks(0, dropped)
}

#[test]
fn dropping_the_async_twins_stream_stops_the_iterator() {
    let (dropped, seen) = mpsc::channel();
    let (first, made) = with_deadline("ticks", move || {
        let first: Vec<u64> = block_on(ticks_async(dropped).take(3).collect());
        // Endless: it ends only because dropping the stream stopped it.
        (first, seen.recv().expect("the iterator is dropped"))
    });
    assert_eq!(first, [1, 2, 3]);
    assert!(made <= 3 + 2 * twoworlds::DEFAULT_ITER_CAPACITY as u64 + 1, "{made} made");
}

/// The facade re-exported under another path, as a re-exporting crate does.
mod reexport {
    pub(crate) use twoworlds::*;
}

/// Streams under `crate = path`.
#[bridge(crate = crate::reexport)]
fn evens(n: u32) -> impl Iterator<Item = u32> + Send {
    (0..n).map(|i| 2 * i)
}

/// See [`evens`].
#[bridge(crate = crate::reexport)]
fn odds(n: u32) -> impl Stream<Item = u32> {
    futures::stream::iter((0..n).map(|i| 2 * i + 1))
}

#[test]
fn crate_path_reaches_the_stream_adapters() {
    let evens: Vec<u32> = with_deadline("crate-path", || block_on(evens_async(3).collect()));
    assert_eq!(evens, [0, 2, 4]);
    assert_eq!(blocking_odds(3).collect::<Vec<_>>(), [1, 3, 5]);
}
