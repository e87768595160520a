//! The async toolkit in the blocking twin: `join!` / `try_join!` (tokio's
//! and futures') run their futures one after the other, with the results
//! and effects of the async original (whose futures here finish at their
//! first poll, so its concurrent order is the same).

use crate::{Log, agree, world};
use twoworlds::dual;

/// A step that logs where it ran and fails on 0.
#[dual]
async fn step(log: &Log, n: u32) -> Result<u32, String> {
    log.push(format!(
        "step {n} ran {}",
        world(per_world!(async => "async", blocking => "blocking"))
    ));
    if n == 0 { Err("zero".to_owned()) } else { Ok(n * 10) }
}

/// Joins with both macros.
#[dual]
async fn joined(log: &Log) -> (u32, u32, u32) {
    let (a, b) = tokio::join!(step(log, 1), step(log, 2));
    let (c,) = futures::join!(async { 3 });
    (a.unwrap_or(0), b.unwrap_or(0), c)
}

#[test]
fn join_runs_each_future_in_turn() {
    let effects = agree(blocking_joined, |log| async move { joined(&log).await });
    assert_eq!(effects, ["step 1 ran blocking", "step 2 ran blocking"]);
}

/// Stops at the first error.
#[dual]
async fn try_joined(log: &Log, first: u32) -> Result<(u32, u32), String> {
    let pair = tokio::try_join!(step(log, first), step(log, 5))?;
    let more = futures::try_join!(step(log, 6), step(log, 7))?;
    Ok((pair.0 + more.0, pair.1 + more.1))
}

#[test]
fn try_join_stops_at_the_first_error() {
    let effects =
        agree(|log| blocking_try_joined(log, 1), |log| async move { try_joined(&log, 1).await });
    assert_eq!(effects.len(), 4, "{effects:?}");
    let log = Log::default();
    assert_eq!(blocking_try_joined(&log, 0), Err("zero".to_owned()));
    assert_eq!(log.take(), ["step 0 ran blocking"], "the second future never ran");
}

/// The first ready branch wins, in both twins (the blocking one runs the
/// whole `select!` as one future).
#[dual]
async fn first_ready(log: &Log) -> u32 {
    let (tx, rx) = tokio::sync::oneshot::channel::<u32>();
    let _ = tx.send(7);
    let pending = std::future::pending::<u32>();
    let got = tokio::select! {
        v = rx => v.unwrap_or(0),
        v = pending => v,
    };
    log.push(format!("selected {got}"));
    got
}

#[test]
fn select_waits_for_the_first_ready_branch() {
    let effects = agree(blocking_first_ready, |log| async move { first_ready(&log).await });
    assert_eq!(effects, ["selected 7"]);
}

/// A braced `select!` statement with no `;`, followed by another statement
/// (the shape the corpus found unparsable in the twin, fixed since).
#[dual]
async fn select_then_more(log: &Log) -> u32 {
    let (tx, rx) = tokio::sync::oneshot::channel::<u32>();
    let _ = tx.send(3);
    tokio::select! {
        v = rx => log.push(format!("got {}", v.unwrap_or(0))),
        () = std::future::pending::<()>() => log.push("pending"),
    }
    log.push("after");
    step(log, 4).await.unwrap_or(0)
}

#[test]
fn a_select_statement_is_followed_by_the_next_statement() {
    let effects =
        agree(blocking_select_then_more, |log| async move { select_then_more(&log).await });
    assert_eq!(effects, ["got 3", "after", "step 4 ran blocking"]);
}
