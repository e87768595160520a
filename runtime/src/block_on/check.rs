//! Where a blocking call may run: the check every `block_on` makes before it
//! runs anything, the misuse panic, and the same check for the blocking twins
//! of `#[dual]` ([`check_blocking_twin`]), which block without a `block_on`.
//!
//! A thread is *inside async code* when it is polling a future for a
//! `block_on` of ours (always detected) or driving tokio tasks (feature
//! `tokio`; see `crate::tokio_context`). Blocking there stalls, or deadlocks,
//! every future that thread drives.

use std::panic::Location;

use super::{BlockOnError, BlockOnErrorKind, FLAGS};

/// The tokio runtime to enter around the future, if any (feature `tokio`).
#[cfg(feature = "tokio")]
pub(super) type Place = Option<std::borrow::Cow<'static, tokio::runtime::Handle>>;
/// Nothing to enter without feature `tokio`.
#[cfg(not(feature = "tokio"))]
pub(super) type Place = ();

/// Whether a `block_on` may run here, and in which tokio runtime. Small
/// result, so the fast path moves no error value around.
#[inline]
pub(super) fn check() -> Result<Place, BlockOnErrorKind> {
    if FLAGS.with(|flags| flags.polling.get()) {
        return Err(BlockOnErrorKind::InsideBlockOn);
    }
    #[cfg(feature = "tokio")]
    return crate::tokio_context::check_and_pick();
    #[cfg(not(feature = "tokio"))]
    Ok(())
}

/// Panics with the misuse message, pointing at the caller (out of line: the
/// fast path stays small).
#[cold]
#[inline(never)]
#[track_caller]
pub(super) fn misuse(twin: &'static str, kind: BlockOnErrorKind) -> ! {
    panic!("{}", BlockOnError::new(twin, kind, Location::caller()))
}

/// Whether generated `#[dual]` blocking twins check where they are called
/// ([`check_blocking_twin`]): in debug builds, and in release builds with the
/// cargo feature `twin-checks`. Generated code tests it first, so that
/// without checks the call is compiled out and the twin's machine code is
/// that of the hand-written sync fn:
///
/// ```
/// # const NAME: &str = "my_crate::blocking_fetch";
/// if twoworlds_runtime::__private::TWIN_CHECKS {
///     twoworlds_runtime::__private::check_blocking_twin(NAME)
/// }
/// assert!(twoworlds_runtime::__private::TWIN_CHECKS || !cfg!(debug_assertions));
/// ```
pub const TWIN_CHECKS: bool = cfg!(any(debug_assertions, feature = "twin-checks"));

/// The misuse check of a generated `#[dual]` blocking twin named `twin` (the
/// twin's path, e.g. `my_crate::db::blocking_fetch`): when the calling thread
/// is inside async code — polling a future for a `block_on` of ours, or (with
/// feature `tokio`) driving tokio tasks: a worker, `Runtime::block_on`,
/// `Handle::block_on`, a `LocalSet` — it panics with the message a blocking
/// call made from async code gets ([`BlockOnError`]: the twin, the thread,
/// the fix), pointing at the caller of the twin. Anywhere else (plain sync
/// code, an `unblock` pool thread, a thread-sensitive thread, a
/// `spawn_blocking` thread) it returns.
///
/// The check reads a thread-local flag or two and allocates nothing unless
/// it panics. On a thread that has a tokio context but does not drive tasks
/// (a pool thread entered from async code) it takes up to 255 steps of
/// tokio's cooperative budget to tell (see `tokio_context`), still without
/// allocating.
///
/// ```
/// use twoworlds_runtime::__private::check_blocking_twin;
///
/// check_blocking_twin("my_crate::blocking_fetch"); // sync code: fine
/// let misuse = std::panic::catch_unwind(|| {
///     twoworlds_runtime::block_on(async { check_blocking_twin("my_crate::blocking_fetch") })
/// });
/// assert!(misuse.is_err());
/// ```
///
/// # Panics
/// When called from async code, as described.
#[track_caller]
#[inline]
pub fn check_blocking_twin(twin: &'static str) {
    if FLAGS.with(|flags| flags.polling.get()) {
        misuse(twin, BlockOnErrorKind::InsideBlockOn);
    }
    #[cfg(feature = "tokio")]
    if crate::tokio_context::drives_tasks() {
        misuse(twin, BlockOnErrorKind::InsideTokio);
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use std::panic::{AssertUnwindSafe, catch_unwind};

    use super::check_blocking_twin;

    /// The twin name the tests pass.
    const TWIN: &str = "my_crate::store::blocking_fetch";

    /// The panic message of `f`, or `None` if it returned.
    fn misuse_of(f: impl FnOnce()) -> Option<String> {
        let payload = catch_unwind(AssertUnwindSafe(f)).err()?;
        let text = payload.downcast_ref::<String>().cloned();
        Some(text.unwrap_or_else(|| "<not a String>".to_owned()))
    }

    /// Asserts that `message` is the misuse message for [`TWIN`], with the
    /// fix, pointing at a line of this file.
    fn assert_misuse(message: Option<String>, why: &str) {
        let message = message.unwrap_or_else(|| panic!("no panic {why}"));
        assert!(message.contains(&format!("`{TWIN}` is a blocking call")), "{message}");
        assert!(message.contains("made from async code"), "{message}");
        assert!(message.contains(why), "{message}");
        assert!(message.contains("twoworlds::unblock(..)"), "{message}");
        assert!(message.contains(&format!("{:?}", std::thread::current().id())), "{message}");
    }

    #[test]
    fn panics_inside_a_block_on_poll_and_names_the_twin_and_the_fix() {
        let message = misuse_of(|| crate::block_on(async { check_blocking_twin(TWIN) }));
        assert_misuse(message, "polling a future for `twoworlds::block_on`");
    }

    #[test]
    fn is_quiet_in_plain_sync_code_and_around_a_block_on() {
        check_blocking_twin(TWIN);
        crate::block_on(async {});
        check_blocking_twin(TWIN);
    }

    #[test]
    fn is_quiet_on_pool_threads_and_on_the_thread_sensitive_thread() {
        let (pool, sensitive) = crate::block_on(async {
            let pool = crate::unblock(|| misuse_of(|| check_blocking_twin(TWIN))).await;
            let sensitive =
                crate::unblock_thread_sensitive(|| misuse_of(|| check_blocking_twin(TWIN))).await;
            (pool, sensitive)
        });
        assert_eq!(pool, None);
        assert_eq!(sensitive, None);
        // The process-wide thread-sensitive thread (no `block_on` around).
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let dedicated = rt.block_on(crate::unblock_thread_sensitive(|| {
            (
                std::thread::current().name().map(str::to_owned),
                misuse_of(|| check_blocking_twin(TWIN)),
            )
        }));
        assert_eq!(dedicated, (Some("twoworlds-thread-sensitive".to_owned()), None));
    }

    #[cfg(feature = "tokio")]
    #[test]
    fn panics_on_a_tokio_worker_and_inside_runtime_block_on() {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).build().unwrap();
        let on_worker = rt
            .block_on(async {
                tokio::spawn(async { misuse_of(|| check_blocking_twin(TWIN)) }).await
            })
            .unwrap();
        let in_block_on = rt.block_on(async { misuse_of(|| check_blocking_twin(TWIN)) });
        let current = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let in_current = current.block_on(async { misuse_of(|| check_blocking_twin(TWIN)) });
        for message in [on_worker, in_block_on, in_current] {
            let message = message.expect("a misuse panic");
            assert!(message.contains(&format!("`{TWIN}` is a blocking call")), "{message}");
            assert!(message.contains("is driving tokio tasks"), "{message}");
        }
    }

    #[cfg(feature = "tokio")]
    #[test]
    fn is_quiet_where_tokio_code_may_block() {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).build().unwrap();
        let (pool, spawn_blocking) = rt.block_on(async {
            // A pool thread entered in the caller's runtime, a spawn_blocking thread.
            let pool = crate::unblock(|| misuse_of(|| check_blocking_twin(TWIN))).await;
            let blocking =
                tokio::task::spawn_blocking(|| misuse_of(|| check_blocking_twin(TWIN))).await;
            (pool, blocking.unwrap())
        });
        assert_eq!((pool, spawn_blocking), (None, None));
        let _entered = rt.enter();
        check_blocking_twin(TWIN);
    }
}
