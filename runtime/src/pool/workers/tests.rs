//! The handoff of a job to the standby thread and the round trip it reports,
//! without threads: a pool's state set up by hand, and a future polled by
//! hand.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::Instant;

use super::{Pool, Standby};
use crate::pool::task::{Handoff, Job, Task, Unblocked};
use crate::spin::{Arm, multi_core};

/// A pool for one test (leaked: a handoff reports to a `'static` pool).
fn pool() -> &'static Pool {
    Box::leak(Box::new(Pool::new(4)))
}

/// A job returning 1.
fn job() -> Arc<Task<fn() -> u64, u64>> {
    Task::new(|| 1)
}

/// Hands a job to `pool` with `queued` jobs in its queue (this one
/// included) and a standby thread that `spins` if there is one.
fn hand_off(pool: &'static Pool, queued: usize, standby: Option<bool>) -> Option<Handoff> {
    let mut state = pool.lock();
    for _ in 0..queued {
        state.queue.push_back(job());
    }
    state.standby = standby.map(|spins| Standby { thread: std::thread::current(), parked: !spins });
    pool.hand_off(&mut state)
}

#[test]
fn a_lone_job_goes_to_the_standby_thread_with_the_duels_arm() {
    let pool = pool();
    let handoff = hand_off(pool, 1, Some(true)).expect("handed off");
    assert!(handoff.standby_spun);
    // Nothing measured yet: spin first (never on a single core).
    let expected = if multi_core() { Arm::Spin } else { Arm::Park };
    assert_eq!(handoff.arm, expected);
    // The standby thread follows it after the job.
    assert_eq!(pool.lock().arm, expected);
    // A parked standby thread is said to be parked.
    assert!(!hand_off(pool, 0, Some(false)).expect("handed off").standby_spun);
}

#[test]
fn a_job_behind_others_or_with_no_standby_thread_is_no_round_trip() {
    assert!(hand_off(pool(), 2, Some(true)).is_none());
    assert!(hand_off(pool(), 1, None).is_none());
}

#[test]
fn the_round_trip_is_reported_when_the_result_is_taken() {
    let pool = pool();
    for (arm, standby_spun, reported) in
        [(Arm::Spin, true, true), (Arm::Park, false, true), (Arm::Spin, false, false)]
    {
        let task = job();
        let handoff = Handoff {
            arm,
            standby_spun,
            window: std::time::Duration::from_micros(50),
            at: Instant::now(),
            report: &pool.round_trips,
        };
        let mut unblocked = pin!(Unblocked::new(Arc::clone(&task), Some(handoff)));
        // The pool thread's part, done before the first poll.
        Job::run(&*task, &mut || {});
        let mut cx = Context::from_waker(Waker::noop());
        assert_eq!(unblocked.as_mut().poll(&mut cx), Poll::Ready(1));
        // Only a round trip whose two sides waited as its arm says shows the
        // arm (the first of a try of spinning found the standby parked).
        let sample = pool.round_trips.take();
        assert_eq!(sample.map(|(arm, _)| arm), reported.then_some(arm), "{arm:?} {standby_spun}");
    }
}

#[test]
fn a_job_nobody_awaits_leaves_the_round_trip_alone() {
    let pool = pool();
    {
        // A standby thread awake and unclaimed (this thread stands in).
        let mut state = pool.lock();
        state.awake = 1;
        state.standby = Some(Standby { thread: std::thread::current(), parked: false });
        state.arm = Arm::Park;
    }
    assert!(pool.submit(job(), false).is_none());
    // The arm the standby thread follows is untouched.
    assert_eq!(pool.lock().arm, Arm::Park);
    // One that a task awaits is a round trip (it is the only one queued
    // once the first is taken).
    pool.lock().queue.clear();
    pool.lock().awake = 2;
    assert!(pool.submit(job(), true).is_some());
}
