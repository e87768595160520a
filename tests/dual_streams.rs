//! `#[dual]` streams: a fn returning `impl Stream<Item = T>` has a blocking
//! twin returning `impl Iterator<Item = T>`. Every body form (`stream!`,
//! `try_stream!`, `futures::stream::unfold` / `try_unfold` / `iter`) and
//! every way of consuming a stream (`next().await`, `try_next().await?`,
//! `collect().await`, `for_each`) gives the same items and ends the same way
//! in both twins — errors mid-stream and early `break` included — and a
//! paginator written once sends the same requests in both.
#![allow(clippy::unused_async, reason = "the fake server answers at once")]

use async_stream::{stream, try_stream};
use futures::stream::{self, Stream, StreamExt as _, TryStreamExt as _};
use std::cell::Cell;

/// A fake server of pages, counting the requests it gets.
struct Server {
    /// Items, served `page` at a time.
    items: Vec<u32>,
    /// Page size.
    page: usize,
    /// Requests so far.
    requests: Cell<u32>,
    /// A request (by number) that fails, if any.
    fails_at: Option<u32>,
}

impl Server {
    fn new(items: u32, page: usize, fails_at: Option<u32>) -> Self {
        Self { items: (1..=items).collect(), page, requests: Cell::new(0), fails_at }
    }
}

#[twoworlds::dual]
impl Server {
    /// One page from `offset`, or the error of a failing request.
    async fn fetch(&self, offset: usize) -> Result<Vec<u32>, String> {
        let n = self.requests.get() + 1;
        self.requests.set(n);
        if self.fails_at == Some(n) {
            return Err(format!("request {n} failed"));
        }
        Ok(self.items.iter().skip(offset).take(self.page).copied().collect())
    }

    /// Every item, page after page: a paginator written once.
    fn items(&self) -> impl Stream<Item = Result<u32, String>> + '_ {
        try_stream! {
            let mut offset = 0;
            loop {
                let page = self.fetch(offset).await?;
                if page.is_empty() {
                    break;
                }
                offset += page.len();
                for item in page {
                    yield item;
                }
            }
        }
    }

    /// The items as plain values, with `stream!`.
    fn values(&self) -> impl Stream<Item = u32> + '_ {
        stream! {
            let mut offset = 0;
            while let Ok(page) = self.fetch(offset).await {
                if page.is_empty() {
                    break;
                }
                offset += page.len();
                for item in page {
                    yield item * 10;
                }
            }
        }
    }
}

/// `unfold`: a countdown.
#[twoworlds::dual]
fn countdown(from: u32) -> impl Stream<Item = u32> {
    stream::unfold(from, |n| async move { if n > 0 { Some((n, n - 1)) } else { None } })
}

/// `try_unfold`: fails at `bad`.
#[twoworlds::dual]
fn counted(to: u32, bad: u32) -> impl Stream<Item = Result<u32, String>> {
    stream::try_unfold(1, move |n| async move {
        if n == bad { Err(format!("bad {n}")) } else { Ok((n <= to).then_some((n, n + 1))) }
    })
}

/// `iter`.
#[twoworlds::dual]
fn listed() -> impl Stream<Item = &'static str> {
    stream::iter(["a", "b"])
}

/// Consumes a paginator every way, written once.
#[twoworlds::dual]
async fn consume(server: &Server) -> (Vec<u32>, Result<Vec<u32>, String>, u32, Vec<u32>) {
    let mut first_three = Vec::new();
    let mut values = std::pin::pin!(server.values());
    while let Some(v) = values.next().await {
        first_three.push(v);
        if first_three.len() == 3 {
            break;
        }
    }
    let all: Result<Vec<u32>, String> = server.items().try_collect().await;
    let mut sum = 0;
    let mut items = std::pin::pin!(server.items());
    while let Ok(Some(item)) = items.try_next().await {
        sum += item;
    }
    let counted: Vec<u32> = countdown(3).collect().await;
    (first_three, all, sum, counted)
}

#[test]
fn a_paginator_gives_the_same_pages_and_requests_in_both_twins() {
    let (sync_server, async_server) = (Server::new(7, 3, None), Server::new(7, 3, None));
    let sync_items: Vec<_> = sync_server.blocking_items().collect();
    let async_items: Vec<_> = twoworlds::block_on(async_server.items().collect::<Vec<_>>());
    assert_eq!(sync_items, async_items);
    assert_eq!(sync_items, (1..=7).map(Ok).collect::<Vec<_>>());
    assert_eq!(sync_server.requests.get(), 4, "3 pages and the empty one");
    assert_eq!(sync_server.requests.get(), async_server.requests.get());
}

#[test]
fn an_error_mid_stream_ends_both_the_same_way() {
    let (sync_server, async_server) = (Server::new(9, 2, Some(3)), Server::new(9, 2, Some(3)));
    let sync_items: Vec<_> = sync_server.blocking_items().collect();
    let async_items: Vec<_> = twoworlds::block_on(async_server.items().collect::<Vec<_>>());
    assert_eq!(sync_items, async_items);
    assert_eq!(sync_items.last(), Some(&Err("request 3 failed".to_owned())));
    assert_eq!(sync_items.len(), 5);
}

#[test]
fn every_way_of_consuming_agrees_and_early_break_stops_requests() {
    let (sync_server, async_server) = (Server::new(7, 3, None), Server::new(7, 3, None));
    let sync_out = blocking_consume(&sync_server);
    let async_out = twoworlds::block_on(consume(&async_server));
    assert_eq!(sync_out, async_out);
    assert_eq!(sync_out.0, [10, 20, 30], "break after three: one request");
    assert_eq!(sync_out.2, 28);
    assert_eq!(sync_out.3, [3, 2, 1]);
    assert_eq!(sync_server.requests.get(), async_server.requests.get(), "1 + 4 + 4");
}

#[test]
fn unfold_try_unfold_and_iter_have_sync_twins() {
    assert_eq!(blocking_countdown(3).collect::<Vec<_>>(), [3, 2, 1]);
    assert_eq!(twoworlds::block_on(countdown(3).collect::<Vec<_>>()), [3, 2, 1]);
    let sync_items: Vec<_> = blocking_counted(3, 9).collect();
    let async_items: Vec<_> = twoworlds::block_on(counted(3, 9).collect::<Vec<_>>());
    assert_eq!(sync_items, async_items);
    let sync_failing: Vec<_> = blocking_counted(5, 2).collect();
    let async_failing: Vec<_> = twoworlds::block_on(counted(5, 2).collect::<Vec<_>>());
    assert_eq!(sync_failing, [Ok(1), Err("bad 2".to_owned())]);
    assert_eq!(sync_failing, async_failing);
    assert_eq!(blocking_listed().collect::<Vec<_>>(), ["a", "b"]);
    assert_eq!(twoworlds::block_on(listed().collect::<Vec<_>>()), ["a", "b"]);
}

#[test]
fn a_stream_twin_used_inside_async_code_fails_with_the_misuse_message() {
    let server = Server::new(3, 3, None);
    let ended = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        twoworlds::block_on(async { server.blocking_values().next() })
    }));
    let payload = ended.expect_err("a blocking iterator inside a poll must be refused");
    let message = payload.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(message.contains("blocking_values"), "{message}");
}
