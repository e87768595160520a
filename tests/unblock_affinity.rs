//! The pool's hand-off to the thread that ran the last job (see
//! `runtime/src/pool/workers.rs`): a `loop { unblock(..).await }` is served by
//! that one thread, whatever the timing, so sequential round trips never grow
//! the pool; and jobs submitted while a thread spins or stands by are never
//! stranded. Its own test binary, so no other test's jobs touch the pool's
//! counts.

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
        // One thread: the thread that ran a job counts itself ready for the
        // next before the job's result is delivered, so the waiter's next
        // submit always finds it (awake, spinning or parked as the standby
        // thread) and never starts or wakes another, however late the
        // scheduler runs it. (Before that, a submit that came while the thread
        // was between delivering and looking at the queue again started a new
        // thread: 2–5 on a quiet machine, 11–42 on a loaded one.)
        let peak = twoworlds::pool_stats().peak_threads();
        assert_eq!(peak, 1, "2000 sequential round trips grew the pool to {peak} threads");

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
