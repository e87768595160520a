//! A blocking twin is `#[track_caller]`: its misuse panic points at the line
//! that called the twin, not into generated code. (Own test binary: it
//! swaps the process-wide panic hook.)
#![allow(clippy::unused_async, reason = "async fns without `.await` keep the tests small")]

use std::sync::{Arc, Mutex, PoisonError};

/// Fetches asynchronously.
#[twoworlds::bridge]
async fn fetch() -> u8 {
    1
}

#[test]
fn misuse_panic_points_at_the_callers_line() {
    let seen = Arc::new(Mutex::new(None));
    let hook_seen = Arc::clone(&seen);
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let place = info.location().map(|l| (l.file().to_owned(), l.line()));
        *hook_seen.lock().unwrap_or_else(PoisonError::into_inner) = place;
    }));
    let expected_line = line!() + 1;
    let outcome = std::panic::catch_unwind(|| twoworlds::block_on(async { blocking_fetch() }));
    std::panic::set_hook(previous);
    assert!(outcome.is_err(), "blocking_fetch inside block_on must panic");
    let place = seen.lock().unwrap_or_else(PoisonError::into_inner).clone();
    assert_eq!(place, Some((file!().to_owned(), expected_line)));
}
