//! Stress: 64 sync threads and 256 async tasks bridge both ways at random
//! (`block_on`, `unblock`, `unblock` → `block_on` → `unblock` chains,
//! thread-sensitive calls, the `#[bridge]` twins, and the context scopes:
//! single-thread scopes, thread-sensitive scopes, calls run in a given
//! `CallContext`), with ~1% of jobs panicking and ~5% of futures dropped
//! mid-flight. Every call that was not cancelled returns its value exactly
//! once, no job runs twice, every panic surfaces in its caller with its
//! payload, a call run in a given context sees that context, the pool shrinks
//! back to its idle level, the dedicated thread-sensitive threads of the
//! scopes all end, and a deadline turns a hang into a failure. Prints the
//! number of calls and of dedicated threads.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use futures::FutureExt as _;
use twoworlds::{CallContext, ContextLocal};

/// The call a job belongs to, as its caller's context says; a call run in a
/// given context checks that it sees that context's value.
static CALL_ID: ContextLocal<usize> = ContextLocal::new();

/// Sync caller threads.
const SYNC_THREADS: usize = 64;
/// Calls made by each sync thread.
const SYNC_CALLS: usize = 200;
/// Async caller tasks.
const ASYNC_TASKS: usize = 256;
/// Calls made by each async task.
const ASYNC_CALLS: usize = 100;
/// Total calls; each has an id in `0..CALLS`.
const CALLS: usize = SYNC_THREADS * SYNC_CALLS + ASYNC_TASKS * ASYNC_CALLS;
/// Only a hang comes near it.
const DEADLINE: Duration = Duration::from_mins(3);
/// The pool's idle timeout in this test, so it shrinks back quickly.
const IDLE: Duration = Duration::from_millis(20);

/// What happened to each call, by id.
struct Ledger {
    /// Times the job of the call ran (must be ≤ 1).
    ran: Vec<AtomicU8>,
    /// Times the caller received the call's value (must be 1 unless the call
    /// panicked or was cancelled, then 0).
    delivered: Vec<AtomicU8>,
    /// Times the caller caught the call's planned panic (1 for those).
    caught: Vec<AtomicU8>,
    /// Whether the call was cancelled (its future dropped before it was ready).
    cancelled: Vec<AtomicU8>,
    /// Whether the call was planned to panic.
    panics: Vec<AtomicU8>,
}

impl Ledger {
    /// An empty ledger for [`CALLS`] calls.
    fn new() -> Self {
        let column = || (0..CALLS).map(|_| AtomicU8::new(0)).collect();
        Self {
            ran: column(),
            delivered: column(),
            caught: column(),
            cancelled: column(),
            panics: column(),
        }
    }
}

/// The value call `id` returns.
fn value_of(id: usize) -> usize {
    id * 3 + 1
}

/// A fixed-seed xorshift (no `rand` dependency for a test): the same plan
/// every run, so a failure reproduces.
struct Rng(u64);

impl Rng {
    /// The next number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// The sync job of call `id`: records that it ran, may sleep a little, and
/// panics with `"planned panic {id}"` when planned to.
fn job(ledger: &Ledger, id: usize, sleep_us: u64) -> usize {
    assert_eq!(ledger.ran[id].fetch_add(1, Ordering::SeqCst), 0, "job {id} ran twice");
    if sleep_us > 0 {
        std::thread::sleep(Duration::from_micros(sleep_us));
    }
    assert!(ledger.panics[id].load(Ordering::SeqCst) == 0, "planned panic {id}");
    value_of(id)
}

/// A sync fn with a `#[bridge]` async twin `tripled_async`.
#[twoworlds::bridge]
fn tripled(ledger: &Arc<Ledger>, id: usize) -> usize {
    job(ledger, id, 0)
}

/// An async fn with a `#[bridge]` blocking twin `blocking_doubled`.
#[twoworlds::bridge]
async fn doubled(ledger: Arc<Ledger>, id: usize) -> usize {
    let ledger2 = Arc::clone(&ledger);
    twoworlds::unblock(move || job(&ledger2, id, 0)).await
}

/// Records the outcome of call `id` as seen by its caller.
fn settle(ledger: &Ledger, id: usize, outcome: std::thread::Result<Option<usize>>) {
    match outcome {
        Ok(Some(value)) => {
            assert_eq!(value, value_of(id), "call {id} returned another call's value");
            ledger.delivered[id].fetch_add(1, Ordering::SeqCst);
        }
        Ok(None) => {
            ledger.cancelled[id].store(1, Ordering::SeqCst);
        }
        Err(payload) => {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            assert!(
                message.contains(&format!("planned panic {id}")),
                "call {id} panicked with a foreign payload: {message:?}"
            );
            ledger.caught[id].fetch_add(1, Ordering::SeqCst);
        }
    }
}

/// A context in which [`CALL_ID`] is `id` (asgiref's `context=`).
fn context_of(id: usize) -> CallContext {
    CALL_ID.sync_scope(id, CallContext::current)
}

/// [`job`], checking first that it runs in the context made for call `id`.
fn job_in_context(ledger: &Ledger, id: usize) -> usize {
    assert_eq!(CALL_ID.get().as_deref(), Some(&id), "call {id} ran in another context");
    job(ledger, id, 0)
}

/// One call from a sync thread, in one of eight ways (one of them cancels).
fn sync_call(ledger: &Arc<Ledger>, id: usize, way: u64) {
    let l = Arc::clone(ledger);
    let outcome = catch_unwind(AssertUnwindSafe(|| match way {
        0 => Some(twoworlds::block_on(twoworlds::unblock(move || job(&l, id, 0)))),
        1 => Some(blocking_doubled(l, id)),
        2 => Some(twoworlds::block_on(tripled_async(&l, id))),
        // sync → async → sync → async → sync
        3 => Some(twoworlds::block_on(twoworlds::unblock(move || {
            twoworlds::block_on(twoworlds::unblock(move || job(&l, id, 0)))
        }))),
        // Thread-sensitive: runs on this (blocked) thread.
        4 => Some(twoworlds::block_on(twoworlds::unblock_thread_sensitive(move || job(&l, id, 0)))),
        // A single-thread scope: its loop thread runs the future.
        5 => Some(twoworlds::async_single_thread_scope(|lp| {
            lp.block_on(twoworlds::unblock(move || job(&l, id, 0)))
        })),
        // In a given context, not the caller's (another value of the local).
        6 => CALL_ID.sync_scope(usize::MAX, || {
            Some(twoworlds::block_on(context_of(id).unblock(move || job_in_context(&l, id))))
        }),
        // Dropped mid-flight: polled once, then dropped (queued or running).
        _ => twoworlds::unblock(move || job(&l, id, 200)).now_or_never(),
    }));
    settle(ledger, id, outcome);
}

/// One call from an async task, in one of seven ways (one of them cancels
/// through a timeout shorter than the job).
async fn async_call(ledger: &Arc<Ledger>, id: usize, way: u64) {
    let l = Arc::clone(ledger);
    let call = async move {
        match way {
            0 => Some(twoworlds::unblock(move || job(&l, id, 0)).await),
            1 => Some(tripled_async(&l, id).await),
            2 => Some(twoworlds::unblock(move || blocking_doubled(l, id)).await),
            // Thread-sensitive: runs on the one dedicated thread.
            3 => Some(twoworlds::unblock_thread_sensitive(move || job(&l, id, 0)).await),
            // In a thread-sensitive scope: a dedicated thread of its own.
            4 => {
                let call = twoworlds::unblock_thread_sensitive(move || job(&l, id, 0));
                Some(twoworlds::thread_sensitive_scope(call).await)
            }
            // Thread-sensitive, in a given context.
            5 => {
                Some(context_of(id).unblock_thread_sensitive(move || job_in_context(&l, id)).await)
            }
            _ => {
                let slow = twoworlds::unblock(move || job(&l, id, 2_000));
                tokio::time::timeout(Duration::from_micros(500), slow).await.ok()
            }
        }
    };
    settle(ledger, id, AssertUnwindSafe(call).catch_unwind().await);
}

/// The way of each call: cancelling ways ~5% of the time.
fn pick(rng: &mut Rng, ways: u64) -> u64 {
    if rng.below(100) < 5 { ways - 1 } else { rng.below(ways - 1) }
}

/// Runs the whole load; returns the ledger.
fn run_load() -> Arc<Ledger> {
    let ledger = Arc::new(Ledger::new());
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let plans: Vec<u64> = (0..CALLS).map(|_| rng.below(1_000)).collect();
    for (id, plan) in plans.iter().enumerate() {
        ledger.panics[id].store(u8::from(*plan < 10), Ordering::SeqCst);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .expect("build the tokio runtime");
    let tasks: Vec<_> = (0..ASYNC_TASKS)
        .map(|task| {
            let ledger = Arc::clone(&ledger);
            runtime.spawn(async move {
                let mut rng = Rng(0xA5A5_0000 + task as u64);
                for call in 0..ASYNC_CALLS {
                    let id = SYNC_THREADS * SYNC_CALLS + task * ASYNC_CALLS + call;
                    async_call(&ledger, id, pick(&mut rng, 7)).await;
                }
            })
        })
        .collect();
    let threads: Vec<_> = (0..SYNC_THREADS)
        .map(|thread| {
            let ledger = Arc::clone(&ledger);
            std::thread::spawn(move || {
                let mut rng = Rng(0x5A5A_0000 + thread as u64);
                for call in 0..SYNC_CALLS {
                    sync_call(&ledger, thread * SYNC_CALLS + call, pick(&mut rng, 8));
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().expect("a sync caller thread failed");
    }
    runtime.block_on(async {
        for task in tasks {
            task.await.expect("an async caller task failed");
        }
    });
    drop(runtime);
    ledger
}

/// Checks the ledger; returns (delivered, panicked, cancelled) counts.
fn audit(ledger: &Ledger) -> (usize, usize, usize) {
    let (mut delivered, mut caught, mut cancelled) = (0, 0, 0);
    for id in 0..CALLS {
        let get = |column: &[AtomicU8]| column[id].load(Ordering::SeqCst);
        let (ran, got, panicked) = (get(&ledger.ran), get(&ledger.delivered), get(&ledger.caught));
        assert!(ran <= 1, "job {id} ran {ran} times");
        if get(&ledger.cancelled) == 1 {
            assert_eq!((got, panicked), (0, 0), "cancelled call {id} also returned");
            cancelled += 1;
        } else if get(&ledger.panics) == 1 {
            assert_eq!((ran, got, panicked), (1, 0, 1), "panicking call {id}: ran, got, caught");
            caught += 1;
        } else {
            assert_eq!((ran, got), (1, 1), "call {id}: ran, returned");
            delivered += 1;
        }
    }
    (delivered, caught, cancelled)
}

/// Waits (bounded) until the pool is back at `idle_level` live threads.
fn wait_for_idle(idle_level: usize) {
    let start = Instant::now();
    loop {
        let stats = twoworlds::pool_stats();
        if stats.live_threads() <= idle_level && stats.queued_jobs() == 0 {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the pool did not shrink back to {idle_level} threads: {stats:?}"
        );
        std::thread::sleep(IDLE);
    }
}

/// Waits (bounded) until every dedicated thread-sensitive thread of a scope
/// has ended: at most the process-wide one is left. Returns how many were
/// started in all.
fn wait_for_scope_threads() -> usize {
    let start = Instant::now();
    loop {
        let stats = twoworlds::thread_sensitive_stats();
        if stats.live_threads() <= 1 {
            return stats.started_threads();
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the scopes' thread-sensitive threads did not end: {stats:?}"
        );
        std::thread::sleep(IDLE);
    }
}

#[test]
fn bridging_both_ways_under_load_loses_and_duplicates_nothing() {
    twoworlds::set_idle_timeout(IDLE);
    let idle_level = twoworlds::pool_stats().live_threads();
    // Planned panics are expected: keep them out of the test output.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !info.to_string().contains("planned panic") {
            previous(info);
        }
    }));
    let (done, finished) = mpsc::channel();
    std::thread::spawn(move || {
        let result = catch_unwind(|| {
            let ledger = run_load();
            let counts = audit(&ledger);
            let peak = twoworlds::pool_stats().peak_threads();
            wait_for_idle(idle_level);
            (counts, peak, wait_for_scope_threads())
        });
        let _ = done.send(result);
    });
    let ((delivered, caught, cancelled), peak, dedicated) = match finished.recv_timeout(DEADLINE) {
        Ok(Ok(result)) => result,
        Ok(Err(payload)) => std::panic::resume_unwind(payload),
        Err(mpsc::RecvTimeoutError::Timeout | mpsc::RecvTimeoutError::Disconnected) => {
            panic!("the stress load hung: not done within {DEADLINE:?}")
        }
    };
    eprintln!(
        "stress: {CALLS} calls ({SYNC_THREADS} sync threads x {SYNC_CALLS}, {ASYNC_TASKS} async \
         tasks x {ASYNC_CALLS}): {delivered} returned exactly once, {caught} panics caught \
         by their caller, {cancelled} cancelled mid-flight; pool peak {peak} threads, back \
         to {idle_level}; {dedicated} dedicated thread-sensitive threads started (one per \
         thread-sensitive scope, and the process-wide one), all of the scopes' ended"
    );
    assert!(caught > 0 && cancelled > 0, "the load exercised no panic or no cancellation");
    assert!(dedicated > 1, "the load opened no thread-sensitive scope");
    assert_eq!(delivered + caught + cancelled, CALLS);
}
