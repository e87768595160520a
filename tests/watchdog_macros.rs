//! The watchdog sees the async fns the macros emit: a slow poll of the async
//! original kept by `#[dual]` or `#[bridge]` (free fn, method, module item) is
//! reported under the function's path, the originals still return the right
//! values, and blocking twins (plain sync code, never polled) are not watched.
//!
//! The watchdog is process-wide, so every test takes [`SERIAL`] and installs
//! its own capturing reporter. Waits are bounded by deadlines; no assertion is
//! about speed (a sleep of `NAP` lasts at least `NAP`, which is all that is
//! checked of a duration).

use std::sync::mpsc::{self, Receiver};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::Duration;
use twoworlds::watchdog::{self, Config, SlowPoll};

/// Serializes the tests of this file (they share the global watchdog).
static SERIAL: Mutex<()> = Mutex::new(());

/// How long a test waits for a report that should come before failing.
const DEADLINE: Duration = Duration::from_secs(20);

/// How long the slow functions block their thread: above [`SLOW`].
const NAP: Duration = Duration::from_millis(120);

/// The slow-poll threshold of the tests that expect a report.
const SLOW: Duration = Duration::from_millis(40);

/// Takes the file's lock, enables the watchdog with the slow-poll threshold
/// `slow_poll` (never "stuck" within a test) and sends every report to the
/// returned channel.
fn capture(slow_poll: Duration) -> (MutexGuard<'static, ()>, Receiver<SlowPoll>) {
    let serial = SERIAL.lock().unwrap_or_else(PoisonError::into_inner);
    let (tx, rx) = mpsc::channel();
    let tx = Mutex::new(tx);
    watchdog::set_reporter(move |report: &SlowPoll| {
        let _ = tx.lock().unwrap_or_else(PoisonError::into_inner).send(report.clone());
    });
    watchdog::enable(Config::new().slow_poll(slow_poll).stuck_after(DEADLINE * 10));
    (serial, rx)
}

/// Turns the watchdog off and returns every report still queued.
fn finish(reports: &Receiver<SlowPoll>) -> Vec<String> {
    watchdog::disable();
    reports.try_iter().map(|report| report.to_string()).collect()
}

/// Waits for the next report and checks it names `name` and a poll of at
/// least [`NAP`] on this thread.
fn expect_report(reports: &Receiver<SlowPoll>, name: &str) {
    let report = reports.recv_timeout(DEADLINE).expect("the slow poll was reported");
    assert_eq!(report.name(), name, "{report}");
    assert!(report.duration() >= NAP, "{report}");
    assert_eq!(report.thread_id(), thread::current().id(), "{report}");
    assert!(!report.is_still_running(), "{report}");
    let message = report.to_string();
    assert!(message.contains(&format!("`{name}` blocked thread")), "{message}");
}

/// Blocks its thread for `NAP` (knowingly: the lint is allowed for the fn),
/// then answers `n + 1`.
#[twoworlds::bridge(allow_blocking)]
async fn bridge_nap(n: u64) -> u64 {
    thread::sleep(NAP);
    n + 1
}

/// A type with a slow async method, bridged.
#[derive(Clone)]
struct Napper {
    /// What `nap` adds.
    step: u64,
}

#[twoworlds::bridge]
impl Napper {
    /// Blocks its thread for `NAP` on the first call with `sleep`, then
    /// answers `n + step`.
    async fn nap(&self, n: u64, sleep: bool) -> u64 {
        if sleep {
            #[allow_blocking]
            thread::sleep(NAP);
        }
        std::future::ready(()).await;
        n + self.step
    }
}

#[test]
fn a_slow_bridge_async_fn_is_reported_under_its_path() {
    let (_serial, reports) = capture(SLOW);
    assert_eq!(blocking_bridge_nap(41), 42);
    expect_report(&reports, "watchdog_macros::bridge_nap");
    // The original, awaited directly, is the same watched future.
    assert_eq!(twoworlds::block_on(bridge_nap(1)), 2);
    expect_report(&reports, "watchdog_macros::bridge_nap");
    assert_eq!(finish(&reports), Vec::<String>::new(), "one report per slow poll");
}

#[test]
fn a_slow_bridge_method_is_reported_as_type_and_method() {
    let (_serial, reports) = capture(SLOW);
    let napper = Napper { step: 10 };
    assert_eq!(napper.blocking_nap(1, true), 11);
    expect_report(&reports, "watchdog_macros::Napper::nap");
    assert_eq!(twoworlds::block_on(napper.nap(2, false)), 12);
    assert_eq!(finish(&reports), Vec::<String>::new(), "the quick call is not reported");
}
