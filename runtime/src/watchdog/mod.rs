//! The debug watchdog: reports polls of async code that hold their thread too
//! long (Python's asyncio debug mode, `slow_callback_duration`), and polls
//! that are *still* stuck, while they are stuck, from a monitor thread.
//!
//! Off by default. Turn it on with [`enable`] or by starting the program with
//! `TWOWORLDS_DEBUG=1` (threshold: `TWOWORLDS_SLOW_POLL_MS`, default 100 ms).
//! Off, a [`Watched`] future costs one relaxed atomic load per poll.
//!
//! ```
//! use std::time::Duration;
//! use twoworlds_runtime::watchdog::{self, Config};
//!
//! watchdog::enable(Config::new().slow_poll(Duration::from_millis(50)));
//! // Every poll of a watched future that takes longer than 50 ms is reported
//! // (to stderr, or through `tracing` with the `tracing` feature).
//! let out = twoworlds_runtime::block_on(twoworlds_runtime::watch("answer", async { 42 }));
//! assert_eq!(out, 42);
//! watchdog::disable();
//! ```
//!
//! What is measured is the time one `poll` of the wrapped future takes, minus
//! the time spent in polls of watched futures nested inside it (those are
//! reported under their own name), so a slow `#[dual]` fn deep in a call chain
//! is blamed once, by its own name, not once per caller.

mod config;
mod registry;
mod report;

use std::pin::Pin;
use std::task::{Context, Poll};

pub use config::{Config, config, disable, enable, is_enabled};
pub use report::{SlowPoll, reset_reporter, set_reporter};

// Pin projection without `unsafe` (the crate forbids it): `pin-project-lite`
// is the small, dependency-free macro tokio uses for exactly this. The
// alternatives cost on the hot path: boxing the future (an allocation per
// `watch`) or an `async` block wrapper (no nameable type to return).
pin_project_lite::pin_project! {
    /// A future that reports its slow polls to the watchdog; made by [`watch`].
    ///
    /// ```
    /// let watched: twoworlds_runtime::watchdog::Watched<_> =
    ///     twoworlds_runtime::watch("ready", async { 1 });
    /// assert_eq!(twoworlds_runtime::block_on(watched), 1);
    /// ```
    #[must_use = "futures do nothing unless you `.await` or poll them"]
    #[derive(Debug)]
    pub struct Watched<F> {
        // (pin-project-lite takes no field attributes but `#[pin]`, hence `//`.)
        // The name reports give the future, e.g. the function it is the body of.
        name: &'static str,
        // The wrapped future.
        #[pin]
        future: F,
    }
}

impl<F> Watched<F> {
    /// The name this future is reported under.
    ///
    /// ```
    /// assert_eq!(twoworlds_runtime::watch("load", async {}).name(), "load");
    /// ```
    #[must_use]
    pub fn name(&self) -> &'static str {
        self.name
    }
}

impl<F: Future> Future for Watched<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        // Off: one relaxed load, then the plain poll. On: the timed poll,
        // through the future's vtable (not compiled once per future).
        match config::settings() {
            None => this.future.poll(cx),
            Some(settings) => registry::timed_poll(this.name, settings, this.future, cx),
        }
    }
}

/// Wraps `future` so that, while the watchdog is on, each of its polls that
/// blocks the thread longer than the threshold is reported under `name`.
///
/// `#[dual]` and `#[bridge]` wrap the async fns they emit with this; use it
/// for your own futures (a task's body, a handler) the same way.
///
/// ```
/// # twoworlds_runtime::block_on(async {
/// let n = twoworlds_runtime::watch("handler", async { 40 + 2 }).await;
/// assert_eq!(n, 42);
/// # });
/// ```
pub fn watch<F: Future>(name: &'static str, future: F) -> Watched<F> {
    Watched { name, future }
}
