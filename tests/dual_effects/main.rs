//! Differential tests of side effects: each scenario is written once with
//! `#[dual]`, and both twins run on the same inputs; their results *and the
//! order of their side effects* (a [`Log`] every step writes to) must be
//! the same. Where the blocking twin calls another `#[dual]` item, the log
//! also shows which world that item ran in: `blocking` proves that its
//! blocking twin ran, not its async body under a `block_on` bridge.
//!
//! Scenarios: tokio channels and sync primitives shared by both worlds
//! ([`shared`]), calls between separately annotated items of each kind
//! ([`calls`]), closures returning futures ([`closures`]), `tokio::fs` under `tokio_to_std` ([`files`]), `join!` and
//! `try_join!` ([`toolkit`]), tokio futures made in the body: `spawn`,
//! `timeout`, `interval` ([`runtime`]).
#![cfg(feature = "tokio")]
#![allow(clippy::unused_async, reason = "scenarios, not I/O")]

mod calls;
mod closures;
mod files;
mod runtime;
mod shared;
mod toolkit;

use std::sync::{Arc, Mutex, PoisonError};

/// The side effects of one run, in order.
#[derive(Clone, Default)]
pub(crate) struct Log(Arc<Mutex<Vec<String>>>);

impl Log {
    /// Records one effect.
    pub(crate) fn push(&self, effect: impl Into<String>) {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).push(effect.into());
    }

    /// The effects so far, taken out.
    pub(crate) fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// Where a `#[dual]` body runs: its `world` (written in the body as
/// `per_world!(async => "async", blocking => "blocking")`), and whether it
/// runs inside a `block_on` (a bridge: `try_block_on` refuses there), which
/// a blocking twin that runs another item's blocking twin never is. (Every
/// blocking body runs in a tokio context with feature `tokio`, bridged or
/// not, so the context tells nothing.)
pub(crate) fn world(world: &str) -> String {
    if twoworlds::try_block_on(async {}).is_err() {
        format!("{world} in a block_on")
    } else {
        world.to_owned()
    }
}

/// Runs `blocking(&log)` and the async `original(log)` (on a tokio runtime,
/// as an async caller would), each with a fresh [`Log`], and asserts that results
/// and logs agree; returns the blocking twin's log.
pub(crate) fn agree<T: PartialEq + std::fmt::Debug, F: Future<Output = T>>(
    blocking: impl FnOnce(&Log) -> T,
    original: impl FnOnce(Log) -> F,
) -> Vec<String> {
    let log = Log::default();
    let sync_out = blocking(&log);
    let sync_log = log.take();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let async_out = runtime.block_on(original(log.clone()));
    assert_eq!(sync_out, async_out, "the twins' results differ");
    // The async run is on a runtime and in the async world: compared by
    // effect, whatever the world.
    let by_effect = |effects: &[String]| -> Vec<String> {
        effects
            .iter()
            .map(|e| e.replace(" in a block_on", "").replace("async", "blocking"))
            .collect()
    };
    assert_eq!(by_effect(&sync_log), by_effect(&log.take()), "the twins' side effects differ");
    sync_log
}
