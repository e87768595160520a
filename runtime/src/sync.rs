//! The synchronization primitives of the runtime's hand-offs — the pool's
//! queue and result slots, the `block_on` parker — from `std`, or from
//! [loom](https://docs.rs/loom) when built with `--cfg loom`, so that the model
//! tests (`#[cfg(loom)]` modules named `loom`) explore every interleaving of
//! the real code:
//!
//! ```text
//! RUSTFLAGS="--cfg loom" cargo test -p twoworlds-runtime --release --lib loom
//! ```
//!
//! `Arc` stays `std`'s: the queue holds `Arc<dyn Job>`, which loom's `Arc`
//! cannot coerce to; reference counts are not what the models check.

#[cfg(loom)]
pub(crate) use loom::sync::atomic::AtomicBool;
#[cfg(loom)]
pub(crate) use loom::sync::{Condvar, Mutex, MutexGuard};
#[cfg(not(loom))]
pub(crate) use std::sync::atomic::AtomicBool;
#[cfg(not(loom))]
pub(crate) use std::sync::{Condvar, Mutex, MutexGuard};

/// Threads: `std::thread` or loom's model threads.
pub(crate) mod thread {
    #[cfg(loom)]
    pub(crate) use loom::thread::{Builder, Thread, current, park};
    #[cfg(not(loom))]
    pub(crate) use std::thread::{Builder, Thread, current, park};
}

/// Model tests: runs `f` under [`loom::model`] (every interleaving, within
/// `LOOM_MAX_PREEMPTIONS`) and prints how many executions it explored, for
/// CI's record.
#[cfg(all(test, loom))]
pub(crate) fn model(name: &str, f: impl Fn() + Sync + Send + 'static) {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    let runs = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&runs);
    loom::model(move || {
        counter.fetch_add(1, Ordering::Relaxed);
        f();
    });
    println!("loom model {name}: {} executions", runs.load(Ordering::Relaxed));
}
