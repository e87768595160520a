//! Whether the watchdog is on and its thresholds: set through [`enable`] /
//! [`disable`] or, once per process, from the environment.
//!
//! The hot path ([`settings`]) is one relaxed load of [`STATE`] while off. The
//! environment is read lazily by the first check that finds the state still
//! `UNINIT`, so a program that never sets `TWOWORLDS_DEBUG` pays for the read
//! once, and an explicit [`enable`]/[`disable`] always wins over it.

use std::sync::atomic::{AtomicU8, AtomicU64, Ordering, fence};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

/// Nobody has looked at the environment or called [`enable`]/[`disable`] yet.
const UNINIT: u8 = 0;
/// Off: polls are not timed.
const OFF: u8 = 1;
/// On: polls are timed against [`SLOW_POLL_NANOS`] / [`STUCK_AFTER_NANOS`].
const ON: u8 = 2;

/// `UNINIT`, `OFF` or `ON`.
static STATE: AtomicU8 = AtomicU8::new(UNINIT);
/// The slow-poll threshold in nanoseconds; written before `STATE` becomes `ON`.
static SLOW_POLL_NANOS: AtomicU64 = AtomicU64::new(0);
/// When a running poll counts as stuck, in nanoseconds; written like the above.
static STUCK_AFTER_NANOS: AtomicU64 = AtomicU64::new(0);
/// Serializes writers, so the environment read never overwrites an explicit
/// [`enable`] that raced with it.
static WRITER: Mutex<()> = Mutex::new(());

/// How the watchdog judges a poll. Build one with [`Config::new`] and pass it
/// to [`enable`].
///
/// ```
/// use std::time::Duration;
/// use twoworlds_runtime::watchdog::Config;
///
/// let config = Config::new().slow_poll(Duration::from_millis(20));
/// assert_eq!(config.slow_poll_threshold(), Duration::from_millis(20));
/// // Unless set, a poll counts as stuck after five thresholds.
/// assert_eq!(config.stuck_after_threshold(), Duration::from_millis(100));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    /// A poll that holds the thread longer than this is reported when it ends.
    slow_poll: Duration,
    /// A poll still running after this long is reported while it runs; `None`:
    /// [`Config::STUCK_FACTOR`] × `slow_poll`.
    stuck_after: Option<Duration>,
}

impl Default for Config {
    fn default() -> Self {
        Self::new()
    }
}

impl Config {
    /// The default slow-poll threshold, asyncio's `slow_callback_duration`.
    ///
    /// ```
    /// # use twoworlds_runtime::watchdog::Config;
    /// assert_eq!(Config::DEFAULT_SLOW_POLL.as_millis(), 100);
    /// ```
    pub const DEFAULT_SLOW_POLL: Duration = Duration::from_millis(100);
    /// Unless set, a poll is stuck after this many slow-poll thresholds.
    ///
    /// ```
    /// # use twoworlds_runtime::watchdog::Config;
    /// let config = Config::new();
    /// assert_eq!(config.stuck_after_threshold(), config.slow_poll_threshold() * Config::STUCK_FACTOR);
    /// ```
    pub const STUCK_FACTOR: u32 = 5;

    /// The defaults: slow after 100 ms, stuck after 500 ms.
    ///
    /// ```
    /// use twoworlds_runtime::watchdog::Config;
    /// assert_eq!(Config::new().slow_poll_threshold(), Config::DEFAULT_SLOW_POLL);
    /// ```
    #[must_use]
    pub const fn new() -> Self {
        Self { slow_poll: Self::DEFAULT_SLOW_POLL, stuck_after: None }
    }

    /// Report polls that hold their thread longer than `threshold` (zero
    /// reports every poll).
    ///
    /// ```
    /// use std::time::Duration;
    /// use twoworlds_runtime::watchdog::Config;
    /// let config = Config::new().slow_poll(Duration::from_millis(5));
    /// assert_eq!(config.slow_poll_threshold(), Duration::from_millis(5));
    /// ```
    #[must_use]
    pub const fn slow_poll(mut self, threshold: Duration) -> Self {
        self.slow_poll = threshold;
        self
    }

    /// Report a poll as stuck, while it still runs, once it has held its
    /// thread for `after`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use twoworlds_runtime::watchdog::Config;
    /// let config = Config::new().stuck_after(Duration::from_secs(2));
    /// assert_eq!(config.stuck_after_threshold(), Duration::from_secs(2));
    /// ```
    #[must_use]
    pub const fn stuck_after(mut self, after: Duration) -> Self {
        self.stuck_after = Some(after);
        self
    }

    /// The slow-poll threshold.
    ///
    /// ```
    /// # use twoworlds_runtime::watchdog::Config;
    /// assert_eq!(Config::default().slow_poll_threshold().as_millis(), 100);
    /// ```
    #[must_use]
    pub const fn slow_poll_threshold(&self) -> Duration {
        self.slow_poll
    }

    /// How long a poll runs before it is reported as stuck.
    ///
    /// ```
    /// # use twoworlds_runtime::watchdog::Config;
    /// assert_eq!(Config::default().stuck_after_threshold().as_millis(), 500);
    /// ```
    #[must_use]
    pub fn stuck_after_threshold(&self) -> Duration {
        self.stuck_after.unwrap_or_else(|| self.slow_poll.saturating_mul(Self::STUCK_FACTOR))
    }
}

/// The thresholds a timed poll is judged by (a [`Config`], read lock-free).
#[derive(Clone, Copy, Debug)]
pub(super) struct Settings {
    /// See [`Config::slow_poll`].
    pub(super) slow_poll: Duration,
    /// See [`Config::stuck_after`].
    pub(super) stuck_after: Duration,
}

/// `None` while off (one relaxed load); the thresholds while on.
#[inline]
pub(super) fn settings() -> Option<Settings> {
    match STATE.load(Ordering::Relaxed) {
        OFF => None,
        ON => {
            // Pairs with the `Release` store in `store`: the thresholds written
            // before the state became `ON` are visible.
            fence(Ordering::Acquire);
            Some(load_settings())
        }
        _ => init_from_env(),
    }
}

/// The thresholds as last stored.
fn load_settings() -> Settings {
    Settings {
        slow_poll: Duration::from_nanos(SLOW_POLL_NANOS.load(Ordering::Relaxed)),
        stuck_after: Duration::from_nanos(STUCK_AFTER_NANOS.load(Ordering::Relaxed)),
    }
}

/// Turns the watchdog on with `config`, replacing any earlier configuration
/// (including one read from `TWOWORLDS_DEBUG`/`TWOWORLDS_SLOW_POLL_MS`).
///
/// ```
/// use twoworlds_runtime::watchdog::{self, Config};
/// watchdog::enable(Config::new());
/// assert!(watchdog::is_enabled());
/// # watchdog::disable();
/// ```
pub fn enable(config: Config) {
    let _writer = WRITER.lock().unwrap_or_else(PoisonError::into_inner);
    store(Some(config));
}

/// Turns the watchdog off: polls are no longer timed, and the monitor thread
/// (if started) sleeps until the next [`enable`].
///
/// ```
/// use twoworlds_runtime::watchdog;
/// watchdog::disable();
/// assert!(!watchdog::is_enabled());
/// ```
pub fn disable() {
    let _writer = WRITER.lock().unwrap_or_else(PoisonError::into_inner);
    store(None);
}

/// Whether polls are being timed (reads the environment on first use).
///
/// ```
/// // Off unless enabled or started with TWOWORLDS_DEBUG=1.
/// let _on: bool = twoworlds_runtime::watchdog::is_enabled();
/// ```
#[must_use]
pub fn is_enabled() -> bool {
    settings().is_some()
}

/// The configuration in force, `None` while off.
///
/// ```
/// use std::time::Duration;
/// use twoworlds_runtime::watchdog::{self, Config};
/// let config = Config::new().slow_poll(Duration::from_millis(7));
/// watchdog::enable(config);
/// assert_eq!(watchdog::config(), Some(config.stuck_after(config.stuck_after_threshold())));
/// watchdog::disable();
/// assert_eq!(watchdog::config(), None);
/// ```
#[must_use]
pub fn config() -> Option<Config> {
    settings().map(|s| Config::new().slow_poll(s.slow_poll).stuck_after(s.stuck_after))
}

/// Publishes `config` (or off); the caller holds [`WRITER`].
fn store(config: Option<Config>) {
    if let Some(config) = config {
        SLOW_POLL_NANOS.store(nanos(config.slow_poll), Ordering::Relaxed);
        STUCK_AFTER_NANOS.store(nanos(config.stuck_after_threshold()), Ordering::Relaxed);
        STATE.store(ON, Ordering::Release);
        super::registry::start_monitor();
    } else {
        STATE.store(OFF, Ordering::Release);
    }
}

/// `duration` in nanoseconds, saturating (u64 nanoseconds last 584 years).
fn nanos(duration: Duration) -> u64 {
    u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX)
}

/// The first check: reads the environment once and publishes the result,
/// unless [`enable`]/[`disable`] got there first.
#[cold]
#[inline(never)]
fn init_from_env() -> Option<Settings> {
    {
        let _writer = WRITER.lock().unwrap_or_else(PoisonError::into_inner);
        if STATE.load(Ordering::Relaxed) == UNINIT {
            let debug = std::env::var("TWOWORLDS_DEBUG").ok();
            let slow_ms = std::env::var("TWOWORLDS_SLOW_POLL_MS").ok();
            let (config, problems) = from_env(debug.as_deref(), slow_ms.as_deref());
            for problem in problems {
                super::report::stderr_line(&problem);
            }
            store(config);
        }
    }
    settings()
}

/// The configuration `TWOWORLDS_DEBUG` and `TWOWORLDS_SLOW_POLL_MS` ask for
/// (`None`: off), and a message for each value that could not be understood
/// (which then falls back to the default).
fn from_env(debug: Option<&str>, slow_ms: Option<&str>) -> (Option<Config>, Vec<String>) {
    let mut problems = Vec::new();
    let on = match debug.map(str::trim) {
        None | Some("" | "0") => false,
        Some(value) if ["false", "no", "off"].iter().any(|v| v.eq_ignore_ascii_case(value)) => {
            false
        }
        Some(value) if ["1", "true", "yes", "on"].iter().any(|v| v.eq_ignore_ascii_case(value)) => {
            true
        }
        Some(value) => {
            problems.push(format!(
                "twoworlds: TWOWORLDS_DEBUG={value:?} is not understood, so the watchdog \
                 stays off; set it to 1 to turn the watchdog on, or 0 to keep it off"
            ));
            false
        }
    };
    let mut config = Config::new();
    if let Some(ms) = slow_ms.map(str::trim) {
        match ms.parse::<u64>() {
            Ok(ms) => config = config.slow_poll(Duration::from_millis(ms)),
            Err(_) => problems.push(format!(
                "twoworlds: TWOWORLDS_SLOW_POLL_MS={ms:?} is not a whole number of \
                 milliseconds, so the default of {} ms is used; set it like \
                 TWOWORLDS_SLOW_POLL_MS=50",
                Config::DEFAULT_SLOW_POLL.as_millis()
            )),
        }
    }
    (on.then_some(config), problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_environment_turns_it_on_with_a_threshold() {
        let ms = |n| Some(Config::new().slow_poll(Duration::from_millis(n)));
        assert_eq!(from_env(Some("1"), None), (Some(Config::new()), vec![]));
        assert_eq!(from_env(Some("TRUE"), Some("25")), (ms(25), vec![]));
        assert_eq!(from_env(Some(" on "), Some(" 0 ")), (ms(0), vec![]));
    }

    #[test]
    fn the_environment_keeps_it_off_unless_asked() {
        assert_eq!(from_env(None, Some("25")), (None, vec![]));
        assert_eq!(from_env(Some("0"), None), (None, vec![]));
        assert_eq!(from_env(Some("off"), None), (None, vec![]));
        assert_eq!(from_env(Some(""), None), (None, vec![]));
    }

    #[test]
    fn bad_values_are_explained_and_fall_back() {
        let (config, problems) = from_env(Some("yes please"), None);
        assert_eq!(config, None);
        assert!(problems[0].contains("TWOWORLDS_DEBUG=\"yes please\""), "{problems:?}");
        assert!(problems[0].contains("set it to 1"), "{problems:?}");
        let (config, problems) = from_env(Some("1"), Some("fast"));
        assert_eq!(config, Some(Config::new()));
        assert!(problems[0].contains("TWOWORLDS_SLOW_POLL_MS=\"fast\""), "{problems:?}");
        assert!(problems[0].contains("default of 100 ms"), "{problems:?}");
    }

    #[test]
    fn stuck_defaults_to_five_thresholds_and_saturates() {
        let config = Config::new().slow_poll(Duration::MAX);
        assert_eq!(config.stuck_after_threshold(), Duration::MAX);
        assert_eq!(nanos(Duration::MAX), u64::MAX);
    }
}
