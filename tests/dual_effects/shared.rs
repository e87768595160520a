//! tokio's channels and sync primitives in both twins: a send whose result
//! is ignored still sends (it once built the future and dropped it), and
//! one `tokio::sync` object is used from both worlds. In the blocking twin,
//! their futures are bridged through `block_on` (they are no `#[dual]`
//! futures); tokio documents them as runtime-independent.

use crate::{Log, agree};
use std::sync::Arc;
use tokio::sync::{Mutex, RwLock, mpsc, oneshot};
use twoworlds::dual;

/// Sends 1..=3 on a bounded and an unbounded channel, ignoring the send
/// results, and counts what arrives.
#[dual]
async fn pump(log: &Log) -> usize {
    let (tx, mut rx) = mpsc::unbounded_channel::<u32>();
    let (btx, mut brx) = mpsc::channel::<u32>(8);
    for i in 1..=3 {
        let _ = btx.send(i).await;
        let _ = tx.send(i);
        log.push(format!("sent {i}"));
    }
    drop((tx, btx));
    let mut got = 0;
    while let Some(n) = brx.recv().await {
        log.push(format!("bounded got {n}"));
        got += 1;
    }
    while let Some(n) = rx.recv().await {
        log.push(format!("unbounded got {n}"));
        got += 10;
    }
    got
}

#[test]
fn channel_sends_whose_result_is_ignored_still_send() {
    let effects = agree(blocking_pump, |log| async move { pump(&log).await });
    assert_eq!(effects.len(), 9, "{effects:?}");
    assert_eq!(blocking_pump(&Log::default()), 33);
}

/// State both worlds share: one object, used from each.
#[derive(Default)]
struct Shared {
    /// Appended to under the async mutex.
    items: Mutex<Vec<u32>>,
    /// Read and written under the async rwlock.
    total: RwLock<u32>,
}

/// Adds `n` to the shared state and answers through a oneshot.
#[dual]
async fn record(shared: &Shared, log: &Log, n: u32) -> u32 {
    shared.items.lock().await.push(n);
    *shared.total.write().await += n;
    let (tx, rx) = oneshot::channel();
    let _ = tx.send(*shared.total.read().await);
    let seen = rx.await.unwrap_or_default();
    log.push(format!("recorded {n}, total {seen}"));
    seen
}

#[test]
fn tokio_sync_primitives_mean_the_same_in_both_twins() {
    let effects = agree(
        |log| {
            let shared = Shared::default();
            blocking_record(&shared, log, 1) + blocking_record(&shared, log, 2)
        },
        |log| async move {
            let shared = Shared::default();
            record(&shared, &log, 1).await + record(&shared, &log, 2).await
        },
    );
    assert_eq!(effects, ["recorded 1, total 1", "recorded 2, total 3"]);
}

#[test]
fn one_tokio_sync_object_is_used_from_both_worlds() {
    let (shared, log) = (Arc::new(Shared::default()), Log::default());
    assert_eq!(blocking_record(&shared, &log, 1), 1);
    let from_async = {
        let (shared, log) = (Arc::clone(&shared), log.clone());
        let runtime = tokio::runtime::Builder::new_multi_thread().build().unwrap();
        runtime.block_on(async move {
            tokio::spawn(async move { record(&shared, &log, 2).await }).await
        })
    };
    assert_eq!(from_async.unwrap(), 3);
    assert_eq!(blocking_record(&shared, &log, 3), 6);
    assert_eq!(log.take(), ["recorded 1, total 1", "recorded 2, total 3", "recorded 3, total 6"]);
    let items = twoworlds::block_on(async { shared.items.lock().await.clone() });
    assert_eq!(items, [1, 2, 3]);
}
