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
const NAP: Duration = Duration::from_millis(250);

/// The slow-poll threshold of the tests that expect a report (high enough
/// that a quick poll preempted on a loaded machine is not reported).
const SLOW: Duration = Duration::from_millis(100);

/// Takes the file's lock, enables the watchdog with the slow-poll threshold
/// `slow_poll` (never "stuck" within a test) and sends every report to the
/// returned channel.
fn capture(slow_poll: Duration) -> (MutexGuard<'static, ()>, Receiver<SlowPoll>) {
    capture_with(Config::new().slow_poll(slow_poll).stuck_after(DEADLINE * 10))
}

/// [`capture`] with the watchdog enabled with `config`.
fn capture_with(config: Config) -> (MutexGuard<'static, ()>, Receiver<SlowPoll>) {
    let serial = SERIAL.lock().unwrap_or_else(PoisonError::into_inner);
    let (tx, rx) = mpsc::channel();
    let tx = Mutex::new(tx);
    watchdog::set_reporter(move |report: &SlowPoll| {
        let _ = tx.lock().unwrap_or_else(PoisonError::into_inner).send(report.clone());
    });
    watchdog::enable(config);
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

/// Blocks its thread for `NAP` (knowingly: the statement is marked), then
/// answers `n * 2`; early returns and `?` still give the fn's value.
#[twoworlds::dual]
async fn dual_nap(n: u64) -> Result<u64, String> {
    if n == 0 {
        return Err("zero".to_owned());
    }
    #[allow_blocking]
    thread::sleep(NAP);
    let parsed: u64 = "2".parse().map_err(|_| "bad".to_owned())?;
    Ok(n * parsed)
}

/// A type with a slow async method, dual.
struct Sleeper {
    /// How many `NAP`s `nap` takes.
    naps: u32,
}

#[twoworlds::dual(allow_blocking)]
impl Sleeper {
    /// Blocks its thread for `NAP`, then answers its argument borrowed back.
    async fn nap<'a>(&self, text: &'a str) -> &'a str {
        thread::sleep(NAP * self.naps);
        text
    }
}

/// Slow fns in a module, dual.
#[twoworlds::dual]
mod naps {
    use std::thread;

    /// Awaits the slow `inner`, fast itself.
    pub(crate) async fn outer() -> u8 {
        inner().await + 1
    }

    /// Blocks its thread for `NAP`.
    #[dual(allow_blocking)]
    pub(crate) async fn inner() -> u8 {
        thread::sleep(super::NAP);
        1
    }
}

#[test]
fn a_slow_dual_async_fn_is_reported_under_its_path_and_keeps_its_value() {
    let (_serial, reports) = capture(SLOW);
    assert_eq!(twoworlds::block_on(dual_nap(21)), Ok(42));
    expect_report(&reports, "watchdog_macros::dual_nap");
    assert_eq!(twoworlds::block_on(dual_nap(0)), Err("zero".to_owned()));
    assert_eq!(finish(&reports), Vec::<String>::new(), "the quick call is not reported");
}

#[test]
fn the_blocking_twin_of_dual_is_not_watched() {
    let (_serial, reports) = capture(SLOW);
    assert_eq!(blocking_dual_nap(21), Ok(42));
    assert_eq!(naps::blocking::outer(), 2);
    assert_eq!(Sleeper { naps: 1 }.blocking_nap("same"), "same");
    assert_eq!(finish(&reports), Vec::<String>::new(), "sync code is never polled");
}

#[test]
fn a_slow_dual_method_is_reported_as_type_and_method() {
    let (_serial, reports) = capture(SLOW);
    let text = String::from("borrowed");
    assert_eq!(twoworlds::block_on(Sleeper { naps: 1 }.nap(&text)), "borrowed");
    expect_report(&reports, "watchdog_macros::Sleeper::nap");
    assert_eq!(finish(&reports), Vec::<String>::new());
}

#[test]
fn a_slow_fn_deep_in_a_dual_mod_is_blamed_once_by_its_own_name() {
    let (_serial, reports) = capture(SLOW);
    assert_eq!(twoworlds::block_on(naps::outer()), 2);
    expect_report(&reports, "watchdog_macros::naps::inner");
    assert_eq!(finish(&reports), Vec::<String>::new(), "`outer` itself was quick");
}

#[test]
fn nothing_is_reported_below_the_threshold() {
    let (_serial, reports) = capture(Duration::from_secs(30));
    assert_eq!(twoworlds::block_on(dual_nap(1)), Ok(2));
    assert_eq!(blocking_bridge_nap(1), 2);
    assert_eq!(twoworlds::block_on(naps::outer()), 2);
    assert_eq!(finish(&reports), Vec::<String>::new());
}

/// Blocks its thread until `release` gets a message (or the deadline
/// passes), then answers 9.
#[twoworlds::dual(allow_blocking)]
async fn wait_for(release: Receiver<()>) -> u8 {
    let _ = release.recv_timeout(DEADLINE);
    9
}

#[test]
fn a_stuck_dual_fn_is_reported_while_it_is_stuck() {
    let config =
        Config::new().slow_poll(Duration::from_millis(10)).stuck_after(Duration::from_millis(30));
    let (_serial, reports) = capture_with(config);
    let (release_tx, release_rx) = mpsc::channel();
    let worker = thread::Builder::new()
        .name("stuck-dual".into())
        .spawn(move || twoworlds::block_on(wait_for(release_rx)))
        .expect("spawn");
    // The poll cannot return before it is released: this report was made
    // while it was stuck.
    let report = reports.recv_timeout(DEADLINE).expect("the stuck poll was reported");
    assert_eq!(report.name(), "watchdog_macros::wait_for", "{report}");
    assert!(report.is_still_running(), "{report}");
    assert_eq!(report.thread_name(), Some("stuck-dual"), "{report}");
    release_tx.send(()).expect("the poll is still waiting");
    assert_eq!(worker.join().expect("the worker finished"), 9);
    let last = reports.recv_timeout(DEADLINE).expect("the end of the stuck poll was reported");
    assert_eq!(last.name(), "watchdog_macros::wait_for");
    assert!(!last.is_still_running() && last.duration() >= report.duration(), "{last}");
    finish(&reports);
    // The twin, released at once, answers the same.
    let (release_tx, release_rx) = mpsc::channel();
    release_tx.send(()).expect("the receiver is here");
    assert_eq!(blocking_wait_for(release_rx), 9);
}
