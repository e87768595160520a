//! Shutdown: a program that exits with `unblock` jobs running and queued
//! exits promptly, and one that drops the installed tokio runtime while sync
//! threads are blocked on it gives those callers a clear panic instead of
//! hanging, then exits. Each program is this test binary re-run as a child
//! process with `TWOWORLDS_SHUTDOWN_SCENARIO` naming the scenario; the parent
//! kills it and fails if it has not exited by a deadline.

#[path = "support/child.rs"]
mod child;

use std::time::Duration;

/// The environment variable that makes a test run its scenario as a child.
const SCENARIO: &str = "TWOWORLDS_SHUTDOWN_SCENARIO";
/// Only a hang comes near it (the scenarios take well under a second).
const DEADLINE: Duration = Duration::from_mins(1);

/// The scenario this process was started to run, if it is a child.
fn scenario() -> Option<String> {
    std::env::var(SCENARIO).ok()
}

/// Re-runs this binary to execute only `test` with `SCENARIO=test`; returns
/// its exit success and output, or panics if it is still running at the
/// deadline (after killing it).
fn run_child(test: &str) -> (bool, String) {
    child::run_child(test, SCENARIO, DEADLINE)
}

/// Child: two jobs run (sleeping for an hour) on a pool of two threads,
/// fifty more wait in its queue, and a sync thread is parked in `block_on`
/// on a future that never completes, when the test returns and the test
/// harness ends the process.
fn exit_with_jobs_queued_and_running() {
    twoworlds::set_max_threads(std::num::NonZeroUsize::new(2).expect("2 > 0"));
    let (started, running) = std::sync::mpsc::channel();
    let jobs: Vec<_> = (0..52)
        .map(|_| {
            let started = started.clone();
            twoworlds::unblock(move || {
                let _ = started.send(());
                std::thread::sleep(Duration::from_hours(1));
            })
        })
        .collect();
    for _ in 0..2 {
        running.recv().expect("a pool thread started a job");
    }
    std::thread::spawn(|| twoworlds::block_on(std::future::pending::<()>()));
    let stats = twoworlds::pool_stats();
    println!("exiting with {} queued jobs and 2 running", stats.queued_jobs());
    // Kept alive (not cancelled) until the process ends.
    std::mem::forget(jobs);
}

#[test]
fn a_program_exits_promptly_with_jobs_queued_and_running() {
    if scenario().is_some() {
        return exit_with_jobs_queued_and_running();
    }
    let (success, output) = run_child("a_program_exits_promptly_with_jobs_queued_and_running");
    assert!(success, "the child failed:\n{output}");
    assert!(output.contains("exiting with 50 queued jobs and 2 running"), "{output}");
}

/// Child: four sync threads are blocked in `block_on` on tokio timers of the
/// installed runtime, which is then dropped, and a fifth calls `block_on`
/// after the drop. Prints what each caller got.
#[cfg(feature = "tokio")]
fn drop_the_installed_runtime_under_blocked_callers() {
    use std::panic::{AssertUnwindSafe, catch_unwind};

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("build the tokio runtime");
    twoworlds::set_tokio_handle(runtime.handle().clone());
    let (entered, blocked) = std::sync::mpsc::channel();
    let callers: Vec<_> = (0..4)
        .map(|i| {
            let entered = entered.clone();
            std::thread::spawn(move || {
                let outcome = catch_unwind(AssertUnwindSafe(|| {
                    twoworlds::block_on(async {
                        let sleep = tokio::time::sleep(Duration::from_hours(1));
                        let _ = entered.send(());
                        sleep.await;
                    });
                }));
                describe(i, outcome)
            })
        })
        .collect();
    for _ in 0..4 {
        blocked.recv().expect("a caller entered block_on");
    }
    // The callers registered their timers and are about to park (or parked).
    std::thread::sleep(Duration::from_millis(100));
    drop(runtime);
    for caller in callers {
        println!("{}", caller.join().expect("the caller thread itself panicked"));
    }
    let late = catch_unwind(|| {
        twoworlds::block_on(async { tokio::time::sleep(Duration::from_millis(1)).await });
    });
    println!("{}", describe(4, late));
}

/// One line saying how caller `i`'s `block_on` ended.
#[cfg(feature = "tokio")]
fn describe(i: usize, outcome: std::thread::Result<()>) -> String {
    match outcome {
        Ok(()) => format!("caller {i}: returned"),
        Err(payload) => {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "<non-string payload>".to_owned());
            format!("caller {i}: panicked: {message}")
        }
    }
}

#[cfg(feature = "tokio")]
#[test]
fn dropping_the_installed_runtime_fails_blocked_callers_instead_of_hanging() {
    if scenario().is_some() {
        return drop_the_installed_runtime_under_blocked_callers();
    }
    let (success, output) =
        run_child("dropping_the_installed_runtime_fails_blocked_callers_instead_of_hanging");
    assert!(success, "the child failed:\n{output}");
    for i in 0..5 {
        let line = output
            .lines()
            .find(|line| line.contains(&format!("caller {i}: ")))
            .unwrap_or_else(|| panic!("no outcome of caller {i}:\n{output}"));
        // The blocked callers get tokio's shutdown panic from their timer; a
        // call after the drop (caller 4) gets ours, naming the fix.
        let expected = if i < 4 { "being shutdown" } else { "that runtime has shut down" };
        assert!(line.contains("panicked: ") && line.contains(expected), "{line}\n{output}");
    }
}
