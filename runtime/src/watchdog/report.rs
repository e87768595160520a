//! What the watchdog reports ([`SlowPoll`]) and where reports go: the
//! replaceable reporter, by default `tracing` (feature `tracing`) or stderr.

use std::fmt;
use std::io::Write as _;
use std::sync::{Arc, PoisonError, RwLock};
use std::thread::{Thread, ThreadId};
use std::time::Duration;

/// A poll that held its thread longer than the threshold: reported when the
/// poll returned, or, from the monitor thread, while it is still running.
///
/// Its `Display` is the message the default reporter prints.
///
/// ```
/// use std::sync::mpsc;
/// use std::time::Duration;
/// use twoworlds_runtime::watchdog::{self, Config, SlowPoll};
///
/// let (tx, rx) = mpsc::channel();
/// let tx = std::sync::Mutex::new(tx);
/// watchdog::set_reporter(move |report: &SlowPoll| {
///     let _ = tx.lock().unwrap().send(report.to_string());
/// });
/// watchdog::enable(Config::new().slow_poll(Duration::from_millis(10)));
/// twoworlds_runtime::block_on(twoworlds_runtime::watch("nap", async {
///     std::thread::sleep(Duration::from_millis(30));
/// }));
/// let message = rx.recv().unwrap();
/// assert!(message.contains("`nap` blocked thread"), "{message}");
/// # watchdog::disable();
/// ```
#[derive(Clone, Debug)]
pub struct SlowPoll {
    /// The watched future's name.
    name: &'static str,
    /// How long the poll held the thread (so far, if still running).
    duration: Duration,
    /// The slow-poll threshold in force.
    threshold: Duration,
    /// The thread's name, if it has one.
    thread_name: Option<String>,
    /// The thread's id.
    thread_id: ThreadId,
    /// Whether the poll was still running when reported.
    still_running: bool,
}

impl SlowPoll {
    /// A report about the poll of `name` on `thread`.
    pub(super) fn new(
        name: &'static str,
        duration: Duration,
        threshold: Duration,
        thread: &Thread,
        still_running: bool,
    ) -> Self {
        Self {
            name,
            duration,
            threshold,
            thread_name: thread.name().map(str::to_owned),
            thread_id: thread.id(),
            still_running,
        }
    }

    /// The name of the watched future (for generated code, the function).
    /// ```
    /// # use std::time::Duration;
    /// # use twoworlds_runtime::watchdog::{self, Config, SlowPoll};
    /// # let (tx, rx) = std::sync::mpsc::channel::<SlowPoll>();
    /// # let tx = std::sync::Mutex::new(tx);
    /// # watchdog::set_reporter(move |r: &SlowPoll| drop(tx.lock().unwrap().send(r.clone())));
    /// # watchdog::enable(Config::new().slow_poll(Duration::from_millis(5)));
    /// # twoworlds_runtime::block_on(twoworlds_runtime::watch("nap", async {
    /// #     std::thread::sleep(Duration::from_millis(20));
    /// # }));
    /// # let report = rx.recv().unwrap();
    /// assert_eq!(report.name(), "nap");
    /// ```
    #[must_use]
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// How long the poll held the thread; for a poll still running, so far.
    /// Time spent in watched polls nested inside it is not counted (they are
    /// reported under their own names).
    /// ```
    /// # use std::time::Duration;
    /// # use twoworlds_runtime::watchdog::{self, Config, SlowPoll};
    /// # let (tx, rx) = std::sync::mpsc::channel::<SlowPoll>();
    /// # let tx = std::sync::Mutex::new(tx);
    /// # watchdog::set_reporter(move |r: &SlowPoll| drop(tx.lock().unwrap().send(r.clone())));
    /// # watchdog::enable(Config::new().slow_poll(Duration::from_millis(5)));
    /// # twoworlds_runtime::block_on(twoworlds_runtime::watch("nap", async {
    /// #     std::thread::sleep(Duration::from_millis(20));
    /// # }));
    /// # let report = rx.recv().unwrap();
    /// assert!(report.duration() >= Duration::from_millis(20));
    /// ```
    #[must_use]
    pub fn duration(&self) -> Duration {
        self.duration
    }

    /// The slow-poll threshold the poll exceeded.
    /// ```
    /// # use std::time::Duration;
    /// # use twoworlds_runtime::watchdog::{self, Config, SlowPoll};
    /// # let (tx, rx) = std::sync::mpsc::channel::<SlowPoll>();
    /// # let tx = std::sync::Mutex::new(tx);
    /// # watchdog::set_reporter(move |r: &SlowPoll| drop(tx.lock().unwrap().send(r.clone())));
    /// # watchdog::enable(Config::new().slow_poll(Duration::from_millis(5)));
    /// # twoworlds_runtime::block_on(twoworlds_runtime::watch("nap", async {
    /// #     std::thread::sleep(Duration::from_millis(20));
    /// # }));
    /// # let report = rx.recv().unwrap();
    /// assert_eq!(report.threshold(), Duration::from_millis(5));
    /// ```
    #[must_use]
    pub fn threshold(&self) -> Duration {
        self.threshold
    }

    /// The name of the thread the poll ran on, if it has one.
    /// ```
    /// # use std::time::Duration;
    /// # use twoworlds_runtime::watchdog::{self, Config, SlowPoll};
    /// # let (tx, rx) = std::sync::mpsc::channel::<SlowPoll>();
    /// # let tx = std::sync::Mutex::new(tx);
    /// # watchdog::set_reporter(move |r: &SlowPoll| drop(tx.lock().unwrap().send(r.clone())));
    /// # watchdog::enable(Config::new().slow_poll(Duration::from_millis(5)));
    /// # twoworlds_runtime::block_on(twoworlds_runtime::watch("nap", async {
    /// #     std::thread::sleep(Duration::from_millis(20));
    /// # }));
    /// # let report = rx.recv().unwrap();
    /// assert_eq!(report.thread_name(), std::thread::current().name());
    /// ```
    #[must_use]
    pub fn thread_name(&self) -> Option<&str> {
        self.thread_name.as_deref()
    }

    /// The id of the thread the poll ran on.
    /// ```
    /// # use std::time::Duration;
    /// # use twoworlds_runtime::watchdog::{self, Config, SlowPoll};
    /// # let (tx, rx) = std::sync::mpsc::channel::<SlowPoll>();
    /// # let tx = std::sync::Mutex::new(tx);
    /// # watchdog::set_reporter(move |r: &SlowPoll| drop(tx.lock().unwrap().send(r.clone())));
    /// # watchdog::enable(Config::new().slow_poll(Duration::from_millis(5)));
    /// # twoworlds_runtime::block_on(twoworlds_runtime::watch("nap", async {
    /// #     std::thread::sleep(Duration::from_millis(20));
    /// # }));
    /// # let report = rx.recv().unwrap();
    /// assert_eq!(report.thread_id(), std::thread::current().id());
    /// ```
    #[must_use]
    pub fn thread_id(&self) -> ThreadId {
        self.thread_id
    }

    /// Whether the poll was still running (stuck) when reported; such a poll
    /// is reported again, with its full duration, when it returns.
    /// ```
    /// # use std::time::Duration;
    /// # use twoworlds_runtime::watchdog::{self, Config, SlowPoll};
    /// # let (tx, rx) = std::sync::mpsc::channel::<SlowPoll>();
    /// # let tx = std::sync::Mutex::new(tx);
    /// # watchdog::set_reporter(move |r: &SlowPoll| drop(tx.lock().unwrap().send(r.clone())));
    /// # watchdog::enable(Config::new().slow_poll(Duration::from_millis(5)));
    /// # twoworlds_runtime::block_on(twoworlds_runtime::watch("nap", async {
    /// #     std::thread::sleep(Duration::from_millis(20));
    /// # }));
    /// # let report = rx.recv().unwrap();
    /// assert!(!report.is_still_running(), "reported when the poll returned");
    /// ```
    #[must_use]
    pub fn is_still_running(&self) -> bool {
        self.still_running
    }
}

impl fmt::Display for SlowPoll {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let thread = self.thread_name.as_deref().unwrap_or("<unnamed>");
        let (name, id, ms) = (self.name, self.thread_id, self.duration.as_millis());
        if self.still_running {
            write!(
                f,
                "twoworlds watchdog: `{name}` has been blocking thread `{thread}` ({id:?}) for {ms} ms and counting"
            )?;
        } else {
            write!(
                f,
                "twoworlds watchdog: `{name}` blocked thread `{thread}` ({id:?}) for {ms} ms in one poll"
            )?;
        }
        write!(
            f,
            " (slow-poll threshold {} ms); async code must not block its thread: \
             await an async API instead, or move the blocking work into \
             `twoworlds::unblock(..)`",
            self.threshold.as_millis()
        )
    }
}

/// A function reports are sent to.
type Reporter = Arc<dyn Fn(&SlowPoll) + Send + Sync>;

/// The reporter set with [`set_reporter`]; `None`: the default.
static REPORTER: RwLock<Option<Reporter>> = RwLock::new(None);

/// Sends every report to `reporter` instead of `tracing`/stderr. It runs on
/// the thread whose poll was slow, or on the monitor thread for a poll still
/// running, so it must be quick and must not block.
///
/// ```
/// use twoworlds_runtime::watchdog::{self, SlowPoll};
/// watchdog::set_reporter(|report: &SlowPoll| eprintln!("[my app] {report}"));
/// # watchdog::reset_reporter();
/// ```
pub fn set_reporter(reporter: impl Fn(&SlowPoll) + Send + Sync + 'static) {
    *REPORTER.write().unwrap_or_else(PoisonError::into_inner) = Some(Arc::new(reporter));
}

/// Sends reports to the default again: a `tracing` warning (target
/// `twoworlds::watchdog`) with the `tracing` feature, else a line on stderr.
///
/// ```
/// twoworlds_runtime::watchdog::reset_reporter();
/// ```
pub fn reset_reporter() {
    *REPORTER.write().unwrap_or_else(PoisonError::into_inner) = None;
}

/// Sends `report` to the reporter in force (called without any lock held but
/// the reporter's own, briefly, to clone it).
pub(super) fn emit(report: &SlowPoll) {
    let reporter = REPORTER.read().unwrap_or_else(PoisonError::into_inner).clone();
    match reporter {
        Some(reporter) => reporter(report),
        None => default_reporter(report),
    }
}

/// The default: a `tracing` warning.
#[cfg(feature = "tracing")]
fn default_reporter(report: &SlowPoll) {
    tracing::warn!(
        target: "twoworlds::watchdog",
        function = report.name,
        duration_ms = u64::try_from(report.duration.as_millis()).unwrap_or(u64::MAX),
        thread = report.thread_name.as_deref().unwrap_or("<unnamed>"),
        still_running = report.still_running,
        "{report}"
    );
}

/// The default: a line on stderr.
#[cfg(not(feature = "tracing"))]
fn default_reporter(report: &SlowPoll) {
    stderr_line(&report.to_string());
}

/// Writes `line` to stderr, ignoring failure (`eprintln!` would panic, inside
/// someone else's poll).
pub(super) fn stderr_line(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

#[cfg(all(test, feature = "tracing"))]
mod tests {
    use super::*;
    use std::sync::Mutex;
    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Metadata, Subscriber};

    /// Records the target and fields of every event.
    #[derive(Default)]
    struct Capture(Mutex<Vec<String>>);

    impl Visit for &Capture {
        fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
            let mut lines = self.0.lock().unwrap_or_else(PoisonError::into_inner);
            lines.push(format!("{}={value:?}", field.name()));
        }
    }

    impl Subscriber for &'static Capture {
        fn enabled(&self, _: &Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, _: &Attributes<'_>) -> Id {
            Id::from_u64(1)
        }
        fn record(&self, _: &Id, _: &Record<'_>) {}
        fn record_follows_from(&self, _: &Id, _: &Id) {}
        fn event(&self, event: &Event<'_>) {
            let target = format!("target={}", event.metadata().target());
            self.0.lock().unwrap_or_else(PoisonError::into_inner).push(target);
            event.record(&mut &**self);
        }
        fn enter(&self, _: &Id) {}
        fn exit(&self, _: &Id) {}
    }

    #[test]
    fn the_default_reporter_is_a_tracing_warning_with_fields() {
        let capture: &'static Capture = Box::leak(Box::default());
        let thread = std::thread::current();
        let report = SlowPoll::new(
            "app::load",
            Duration::from_millis(150),
            Duration::from_millis(100),
            &thread,
            true,
        );
        tracing::subscriber::with_default(capture, || default_reporter(&report));
        let lines = capture.0.lock().unwrap_or_else(PoisonError::into_inner).join("\n");
        assert!(lines.contains("target=twoworlds::watchdog"), "{lines}");
        assert!(lines.contains("function=\"app::load\""), "{lines}");
        assert!(lines.contains("duration_ms=150"), "{lines}");
        assert!(lines.contains("still_running=true"), "{lines}");
        assert!(lines.contains("`app::load` has been blocking thread"), "{lines}");
    }
}
