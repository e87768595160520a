//! The debug watchdog: slow and stuck polls of watched futures are reported
//! with the future's name, the duration and the thread; nothing is reported
//! below the threshold or while the watchdog is off.
//!
//! The watchdog is process-wide, so every test takes [`SERIAL`] and installs
//! its own capturing reporter. Waits are bounded by deadlines; no assertion is
//! about speed.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::Duration;
use twoworlds::watchdog::{self, Config, SlowPoll};

/// Serializes the tests of this file (they share the global watchdog).
static SERIAL: Mutex<()> = Mutex::new(());

/// How long a test waits for a report that should come before failing.
const DEADLINE: Duration = Duration::from_secs(20);

/// Takes the file's lock, enables the watchdog with `config` and sends every
/// report to the returned channel.
fn capture(config: Option<Config>) -> (MutexGuard<'static, ()>, Receiver<SlowPoll>) {
    let serial = SERIAL.lock().unwrap_or_else(PoisonError::into_inner);
    let (tx, rx) = mpsc::channel();
    let tx = Mutex::new(tx);
    watchdog::set_reporter(move |report: &SlowPoll| {
        let _ = tx.lock().unwrap_or_else(PoisonError::into_inner).send(report.clone());
    });
    match config {
        Some(config) => watchdog::enable(config),
        None => watchdog::disable(),
    }
    (serial, rx)
}

/// A future that blocks its thread for `duration` in its first poll.
#[allow(clippy::unused_async, reason = "the point: a future that blocks its thread when polled")]
async fn sleepy(duration: Duration) -> u32 {
    thread::sleep(duration);
    7
}

#[test]
fn a_slow_poll_is_reported_with_name_duration_and_thread() {
    let config = Config::new().slow_poll(Duration::from_millis(50)).stuck_after(DEADLINE * 10);
    let (_serial, reports) = capture(Some(config));
    let out = futures_lite::future::block_on(twoworlds::watch(
        "tests::sleepy",
        sleepy(Duration::from_millis(150)),
    ));
    assert_eq!(out, 7);
    let report = reports.recv_timeout(DEADLINE).expect("the slow poll was reported");
    assert_eq!(report.name(), "tests::sleepy");
    assert!(report.duration() >= Duration::from_millis(150), "{report}");
    assert_eq!(report.threshold(), Duration::from_millis(50));
    assert_eq!(report.thread_id(), thread::current().id());
    assert!(!report.is_still_running());
    let message = report.to_string();
    assert!(message.contains("`tests::sleepy` blocked thread"), "{message}");
    assert!(message.contains("twoworlds::unblock"), "{message}");
    assert!(reports.try_recv().is_err(), "one slow poll, one report");
    watchdog::disable();
}

#[test]
fn a_stuck_poll_is_reported_while_it_is_stuck() {
    let config =
        Config::new().slow_poll(Duration::from_millis(10)).stuck_after(Duration::from_millis(30));
    let (_serial, reports) = capture(Some(config));
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let stuck = thread::Builder::new()
        .name("stuck-worker".into())
        .spawn(move || {
            futures_lite::future::block_on(twoworlds::watch("tests::stuck", async move {
                // Blocks until the test has seen the report (or gives up).
                let _ = release_rx.recv_timeout(DEADLINE);
            }));
        })
        .expect("spawn");
    // The poll cannot return before we release it, so this report was made
    // while it was still stuck.
    let report = reports.recv_timeout(DEADLINE).expect("the stuck poll was reported");
    assert_eq!(report.name(), "tests::stuck");
    assert!(report.is_still_running());
    assert!(report.duration() >= Duration::from_millis(30), "{report}");
    assert_eq!(report.thread_name(), Some("stuck-worker"));
    let message = report.to_string();
    assert!(
        message.contains("`tests::stuck` has been blocking thread `stuck-worker`"),
        "{message}"
    );
    assert!(message.contains("and counting"), "{message}");
    release_tx.send(()).expect("the poll is still waiting");
    stuck.join().expect("the worker finished");
    // When it returns, it is reported once more, with the full duration.
    let last = reports.recv_timeout(DEADLINE).expect("the end of the stuck poll was reported");
    assert_eq!(last.name(), "tests::stuck");
    assert!(!last.is_still_running());
    assert!(last.duration() >= report.duration());
    watchdog::disable();
}

#[test]
fn nothing_is_reported_below_the_threshold() {
    let config = Config::new().slow_poll(Duration::from_secs(30));
    let (_serial, reports) = capture(Some(config));
    let out = futures_lite::future::block_on(twoworlds::watch("tests::quick", async {
        thread::sleep(Duration::from_millis(20));
        futures_lite::future::yield_now().await;
        1
    }));
    assert_eq!(out, 1);
    watchdog::disable();
    assert_eq!(reports.try_recv().map(|r| r.to_string()), Err(mpsc::TryRecvError::Empty));
}

#[test]
fn nothing_is_reported_while_off() {
    let (_serial, reports) = capture(None);
    assert!(!watchdog::is_enabled());
    let out = futures_lite::future::block_on(twoworlds::watch(
        "tests::off",
        sleepy(Duration::from_millis(30)),
    ));
    assert_eq!(out, 7);
    assert_eq!(
        reports.recv_timeout(Duration::from_millis(100)).map(|r| r.to_string()),
        Err(RecvTimeoutError::Timeout)
    );
}

#[test]
fn nested_watched_polls_are_each_blamed_for_their_own_time() {
    let config = Config::new().slow_poll(Duration::from_millis(40)).stuck_after(DEADLINE * 10);
    let (_serial, reports) = capture(Some(config));
    futures_lite::future::block_on(twoworlds::watch("tests::outer", async {
        twoworlds::watch("tests::inner", sleepy(Duration::from_millis(120))).await;
    }));
    watchdog::disable();
    let report = reports.recv_timeout(DEADLINE).expect("the inner poll was reported");
    assert_eq!(report.name(), "tests::inner");
    // The outer poll itself did not block: its time inside `inner` is not its own.
    assert_eq!(reports.try_recv().map(|r| r.to_string()), Err(mpsc::TryRecvError::Empty));
}

/// The child process half of the next test: only does something when run by
/// it, with the watchdog configured through the environment.
#[test]
fn env_child() {
    if std::env::var_os("TWOWORLDS_WATCHDOG_TEST_CHILD").is_none() {
        return;
    }
    // With `tracing`, the default reporter is a tracing event (no subscriber
    // here): print reports to stderr as the default would without it.
    #[cfg(feature = "tracing")]
    watchdog::set_reporter(|report: &SlowPoll| eprintln!("{report}"));
    assert!(watchdog::is_enabled(), "TWOWORLDS_DEBUG=1 turns the watchdog on");
    assert_eq!(
        watchdog::config().map(|c| c.slow_poll_threshold()),
        Some(Duration::from_millis(20))
    );
    futures_lite::future::block_on(twoworlds::watch(
        "tests::from_env",
        sleepy(Duration::from_millis(60)),
    ));
}

#[test]
fn the_environment_turns_it_on_and_reports_go_to_stderr() {
    let exe = std::env::current_exe().expect("the test binary");
    let output = std::process::Command::new(exe)
        .args(["env_child", "--exact", "--nocapture", "--test-threads=1"])
        .env("TWOWORLDS_WATCHDOG_TEST_CHILD", "1")
        .env("TWOWORLDS_DEBUG", "1")
        .env("TWOWORLDS_SLOW_POLL_MS", "20")
        .output()
        .expect("run the child");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "child failed: {stderr}");
    assert!(stderr.contains("twoworlds watchdog: `tests::from_env` blocked thread"), "{stderr}");
    assert!(stderr.contains("(slow-poll threshold 20 ms)"), "{stderr}");
}
