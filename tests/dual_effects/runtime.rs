//! tokio futures that need the runtime when they are *made* (`tokio::spawn`,
//! `tokio::time::timeout`, `interval`), in the blocking twin: with feature
//! `tokio` its body runs in the runtime `block_on` would pick, so each call
//! means what it means in the async fn — the twin waits where the async fn
//! awaits. Without that context they panicked with "there is no reactor
//! running" before any `block_on` ran.

use std::time::Duration;

use crate::{Log, agree};
use twoworlds::dual;

/// The name of the thread this runs on.
fn thread_name() -> String {
    std::thread::current().name().unwrap_or("unnamed").to_owned()
}

/// Spawns a task that logs the thread it ran on and doubles `x`.
#[dual]
async fn spawned(log: &Log, x: u32) -> u32 {
    let task_log = log.clone();
    let task = tokio::spawn(async move {
        task_log.push(format!("task ran on {}", thread_name()));
        x * 2
    });
    task.await.unwrap_or(0)
}

#[test]
fn spawn_runs_the_task_on_the_runtime_and_the_twin_waits_for_it() {
    let log = Log::default();
    let got = std::thread::spawn(move || (blocking_spawned(&log, 21), log.take())).join().unwrap();
    assert_eq!(got.0, 42);
    assert_eq!(got.1, ["task ran on twoworlds-tokio"], "the shared runtime, as `block_on` picks");
    let async_out = tokio::runtime::Runtime::new().unwrap().block_on(spawned(&Log::default(), 21));
    assert_eq!(async_out, 42);
}

#[test]
fn a_thread_with_its_own_context_keeps_it() {
    let own = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("own-runtime")
        .enable_all()
        .build()
        .unwrap();
    let log = Log::default();
    let _entered = own.enter();
    assert_eq!(blocking_spawned(&log, 1), 2);
    assert_eq!(log.take(), ["task ran on own-runtime"]);
}

/// A timeout around work that takes `work_ms`: `Err` when it elapses.
#[dual]
async fn timed(log: &Log, work_ms: u64, limit_ms: u64) -> Result<u64, String> {
    let work = async move {
        tokio::time::sleep(Duration::from_millis(work_ms)).await;
        work_ms
    };
    let out = tokio::time::timeout(Duration::from_millis(limit_ms), work).await;
    log.push(format!("timed out: {}", out.is_err()));
    out.map_err(|elapsed| elapsed.to_string())
}

#[test]
fn timeout_keeps_its_meaning_both_ways() {
    let effects = agree(
        |log| blocking_timed(log, 0, 60_000),
        |log| async move { timed(&log, 0, 60_000).await },
    );
    assert_eq!(effects, ["timed out: false"]);
    let effects = agree(
        |log| blocking_timed(log, 60_000, 1),
        |log| async move { timed(&log, 60_000, 1).await },
    );
    assert_eq!(effects, ["timed out: true"], "the limit cut the hour-long work short");
}

/// Counts `n` ticks of an interval.
#[dual]
async fn ticks(log: &Log, n: u32) -> u32 {
    let mut interval = tokio::time::interval(Duration::from_millis(1));
    let mut count = 0;
    while count < n {
        interval.tick().await;
        count += 1;
        log.push(format!("tick {count}"));
    }
    count
}

#[test]
fn an_interval_ticks_in_both_twins() {
    let effects = agree(|log| blocking_ticks(log, 3), |log| async move { ticks(&log, 3).await });
    assert_eq!(effects, ["tick 1", "tick 2", "tick 3"]);
}

#[test]
fn the_context_ends_with_the_twin() {
    std::thread::spawn(|| {
        assert_eq!(blocking_ticks(&Log::default(), 1), 1);
        assert!(tokio::runtime::Handle::try_current().is_err(), "no context left behind");
    })
    .join()
    .unwrap();
}
