//! The pool's hand-off to a spinning thread (see `runtime/src/pool/workers.rs`):
//! a `loop { unblock(..).await }` is served by the thread that ran the last
//! job, so sequential round trips never grow the pool; and jobs submitted
//! while a thread spins are never stranded, whatever the timing. Its own test
//! binary, so no other test's jobs touch the pool's counts.

mod deadline;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use deadline::with_deadline;

#[test]
fn sequential_round_trips_keep_the_pool_small_and_never_strand_a_job() {
    with_deadline("affinity", || {
        // 1. Sequential round trips, back to back and with gaps of every
        //    length around the spin window: each is served.
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let served = runtime.block_on(async {
            let mut served = 0_usize;
            for round in 0..2_000_u64 {
                served += twoworlds::unblock(move || usize::from(round % 2 == 0) + 1).await;
                if round % 50 == 0 {
                    // Let the spinning thread time out and sleep now and then.
                    tokio::time::sleep(Duration::from_micros(round % 200)).await;
                }
            }
            served
        });
        assert_eq!(served, 3_000);
        // A few threads, not one per round trip: a job's waiter may submit
        // the next job before the thread that ran it is idle again (then one
        // more thread starts), but a spinning or sleeping thread takes every
        // other one. (2–5 measured, before and after the spinning hand-off.)
        let peak = twoworlds::pool_stats().peak_threads();
        assert!(peak <= 8, "2000 sequential round trips grew the pool to {peak} threads");

        // 2. Bursts that land while a thread spins: every job runs once.
        let ran = Arc::new(AtomicUsize::new(0));
        runtime.block_on(async {
            for _ in 0..200 {
                let jobs = (0..8).map(|_| {
                    let ran = Arc::clone(&ran);
                    twoworlds::unblock(move || ran.fetch_add(1, Ordering::Relaxed))
                });
                futures::future::join_all(jobs).await;
            }
        });
        assert_eq!(ran.load(Ordering::Relaxed), 1_600);
    });
}
