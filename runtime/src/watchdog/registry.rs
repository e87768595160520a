//! Timing polls while the watchdog is on: a per-thread stack of the watched
//! polls in flight (nested watched futures poll inside each other), and the
//! monitor thread that reports a poll while it is stuck.
//!
//! Each thread registers its stack once, on its first timed poll, in
//! [`THREADS`]; after that a timed poll locks only its own thread's stack
//! (uncontended, except for the monitor's brief scan). Nothing here runs while
//! the watchdog is off, and the monitor thread is started by the first
//! [`super::enable`] (or by `TWOWORLDS_DEBUG=1`), never before.

use super::config::{self, Settings};
use super::report::{self, SlowPoll};
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError, Weak};
use std::task::{Context, Poll};
use std::thread::{self, Thread};
use std::time::{Duration, Instant};

/// One watched poll in flight on a thread.
struct Frame {
    /// The watched future's name.
    name: &'static str,
    /// When the poll started.
    start: Instant,
    /// Time spent so far in watched polls nested in this one (reported under
    /// their own names, so not counted against this one).
    nested: Duration,
    /// Whether the monitor already reported this poll as stuck.
    stuck_reported: bool,
}

impl Frame {
    /// How long this poll has held the thread itself, as of `now`.
    fn own_time(&self, now: Instant) -> Duration {
        now.saturating_duration_since(self.start).saturating_sub(self.nested)
    }
}

/// The watched polls in flight on one thread, innermost last.
struct ThreadPolls {
    /// The thread, for its name and id in reports.
    thread: Thread,
    /// The stack of polls.
    frames: Mutex<Vec<Frame>>,
}

impl ThreadPolls {
    /// The stack, tolerating poison (a reporter that panicked).
    fn frames(&self) -> MutexGuard<'_, Vec<Frame>> {
        self.frames.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Every thread that has had a timed poll; dead threads are pruned by the
/// monitor.
static THREADS: Mutex<Vec<Weak<ThreadPolls>>> = Mutex::new(Vec::new());

thread_local! {
    /// This thread's stack, registered in [`THREADS`] on first use.
    static LOCAL: Arc<ThreadPolls> = {
        let polls = Arc::new(ThreadPolls { thread: thread::current(), frames: Mutex::new(Vec::new()) });
        THREADS.lock().unwrap_or_else(PoisonError::into_inner).push(Arc::downgrade(&polls));
        polls
    };
}

/// Pops its frame when the poll returns (or unwinds) and reports it if slow.
struct FrameGuard<'a> {
    /// The thread's stack.
    polls: &'a ThreadPolls,
    /// The thresholds in force when the poll started.
    settings: Settings,
}

impl Drop for FrameGuard<'_> {
    fn drop(&mut self) {
        let now = Instant::now();
        let mut frames = self.polls.frames();
        let Some(frame) = frames.pop() else { return };
        let total = now.saturating_duration_since(frame.start);
        if let Some(parent) = frames.last_mut() {
            parent.nested += total;
        }
        drop(frames);
        let own = frame.own_time(now);
        // A reporter that panics during an unwind would abort the process.
        if own > self.settings.slow_poll && !thread::panicking() {
            report::emit(&SlowPoll::new(
                frame.name,
                own,
                self.settings.slow_poll,
                &self.polls.thread,
                false,
            ));
        }
    }
}

/// Polls `future`, the watched future `name`, timing the poll. Generic over
/// the output type only (the future is polled through its vtable): the slow
/// path of every watched future, compiled once per output type.
pub(super) fn timed_poll<T>(
    name: &'static str,
    settings: Settings,
    future: Pin<&mut dyn Future<Output = T>>,
    cx: &mut Context<'_>,
) -> Poll<T> {
    // A clone of this thread's stack handle (one atomic increment, only while
    // on); fails only while the thread's locals are destroyed: poll untimed.
    let Ok(polls) = LOCAL.try_with(Arc::clone) else { return future.poll(cx) };
    polls.frames().push(Frame {
        name,
        start: Instant::now(),
        nested: Duration::ZERO,
        stuck_reported: false,
    });
    let _guard = FrameGuard { polls: &polls, settings };
    future.poll(cx)
}

/// The monitor thread, once started.
static MONITOR: OnceLock<Option<Thread>> = OnceLock::new();

/// Starts the monitor thread if it is not running, and wakes it (it sleeps
/// while the watchdog is off).
pub(super) fn start_monitor() {
    let monitor = MONITOR.get_or_init(|| {
        let spawned = thread::Builder::new().name("twoworlds-watchdog".into()).spawn(monitor);
        match spawned {
            Ok(handle) => Some(handle.thread().clone()),
            Err(error) => {
                report::stderr_line(&format!(
                    "twoworlds: the watchdog could not start its monitor thread ({error}), \
                     so stuck polls are reported only when they end; slow polls are \
                     reported as usual"
                ));
                None
            }
        }
    });
    if let Some(thread) = monitor {
        thread.unpark();
    }
}

/// The monitor: while the watchdog is on, scans for stuck polls a few times
/// per stuck threshold; while off, parks until [`start_monitor`] wakes it.
fn monitor() {
    loop {
        let Some(settings) = config::settings() else {
            thread::park();
            continue;
        };
        let tick = (settings.stuck_after / 4).max(Duration::from_millis(1));
        thread::park_timeout(tick);
        for stuck in scan(settings) {
            report::emit(&stuck);
        }
    }
}

/// The innermost poll of each thread that is stuck and not reported yet
/// (marked reported), as reports.
fn scan(settings: Settings) -> Vec<SlowPoll> {
    let threads: Vec<Arc<ThreadPolls>> = {
        let mut threads = THREADS.lock().unwrap_or_else(PoisonError::into_inner);
        threads.retain(|polls| polls.strong_count() > 0);
        threads.iter().filter_map(Weak::upgrade).collect()
    };
    let now = Instant::now();
    let mut stuck = Vec::new();
    for polls in &threads {
        let mut frames = polls.frames();
        if let Some(frame) = frames.last_mut() {
            let own = frame.own_time(now);
            if own >= settings.stuck_after && !frame.stuck_reported {
                frame.stuck_reported = true;
                stuck.push(SlowPoll::new(frame.name, own, settings.slow_poll, &polls.thread, true));
            }
        }
    }
    stuck
}
