//! Feature `tokio`: which tokio runtime a [`block_on`](crate::block_on) runs
//! its future in, how the application installs one, and how `block_on` tells a
//! thread that is driving tokio tasks (where blocking is a bug) from one that
//! merely has a tokio context (where blocking is fine).
//!
//! Without the feature none of this exists and the runtime depends on no
//! executor; `block_on` then only detects misuse inside its own polls.
//!
//! An installed runtime is watched (see [`watch`]), so that once it has shut
//! down, `block_on` refuses with its own error instead of running the future
//! into tokio's "being shutdown" panic.

pub(crate) mod twin;
mod watch;

use std::borrow::Cow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{OnceLock, PoisonError, RwLock};
use std::task::{Context, Poll, Waker};

use tokio::runtime::{Builder, Handle, Runtime};

use crate::BlockOnErrorKind;

/// A handle the application installed, and the watch on its runtime.
struct Installed {
    /// The handle.
    handle: Handle,
    /// Tells whether the runtime has shut down.
    watch: watch::Watch,
}

/// The handle the application installed with [`set_tokio_handle`].
static INSTALLED: RwLock<Option<Installed>> = RwLock::new(None);

/// Whether a handle may be installed: lets `block_on` skip the lock when the
/// application never installed one.
static HAS_INSTALLED: AtomicBool = AtomicBool::new(false);

/// The shared multi-thread runtime, built on first need and never shut down.
static SHARED: OnceLock<Result<Runtime, String>> = OnceLock::new();

/// Installs the tokio runtime that [`block_on`](crate::block_on) runs futures
/// in when the calling thread has no tokio context of its own, replacing any
/// handle installed before. Returns the previously installed handle.
///
/// Without an installed handle, `block_on` lazily builds one shared
/// multi-thread runtime (threads named `twoworlds-tokio`) and keeps it for the
/// life of the process.
///
/// If the installed runtime shuts down while still installed, every later
/// `block_on` that would use it refuses — [`block_on`](crate::block_on) and
/// the blocking twins panic, [`try_block_on`](crate::try_block_on) returns
/// [`BlockOnErrorKind::TokioRuntimeStopped`](crate::BlockOnErrorKind) — with a
/// message naming the function and the fix: install a live runtime again, or
/// call [`clear_tokio_handle`]. Calls already running when it shuts down get
/// tokio's own failure from the operation that needed it (a timer panics with
/// "A Tokio 1.x context was found, but it is being shutdown", I/O returns an
/// error): nothing hangs. (To watch the runtime, `set_tokio_handle` spawns one
/// idle task on it, which ends when the handle is replaced or cleared.)
///
/// Install a multi-thread runtime. A current-thread runtime runs its timers,
/// I/O and spawned tasks only while its owner is inside `Runtime::block_on`;
/// a `block_on` of ours on another thread cannot drive it, so between those
/// calls (asgiref's "stopped but not closed" loop) a future that waits for a
/// timer waits until the owner drives the runtime again. Once such a runtime
/// is dropped, the refusal above applies.
///
/// ```
/// let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
/// twoworlds_runtime::set_tokio_handle(rt.handle().clone());
/// let slept = twoworlds_runtime::block_on(async {
///     tokio::time::sleep(std::time::Duration::from_millis(1)).await;
///     tokio::runtime::Handle::current().id() == rt.handle().id()
/// });
/// assert!(slept);
/// # twoworlds_runtime::clear_tokio_handle();
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
pub fn set_tokio_handle(handle: Handle) -> Option<Handle> {
    let watch = watch::Watch::start(&handle);
    let installed = Installed { handle, watch };
    let previous = INSTALLED.write().unwrap_or_else(PoisonError::into_inner).replace(installed);
    HAS_INSTALLED.store(true, Ordering::Release);
    previous.map(Installed::retire)
}

/// Removes the handle installed with [`set_tokio_handle`], so `block_on` falls
/// back to the shared runtime. Returns the handle that was installed.
///
/// ```
/// assert!(twoworlds_runtime::clear_tokio_handle().is_none());
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
pub fn clear_tokio_handle() -> Option<Handle> {
    let previous = INSTALLED.write().unwrap_or_else(PoisonError::into_inner).take();
    previous.map(Installed::retire)
}

impl Installed {
    /// Stops watching the runtime; returns the handle.
    fn retire(self) -> Handle {
        self.watch.retire();
        self.handle
    }
}

/// Decides how a `block_on` on this thread runs its future under tokio, with
/// one look-up of the thread's tokio context:
/// - the thread drives tokio tasks → `Err(InsideTokio)`;
/// - it has a context that may block (an `unblock` pool thread entered from
///   an async caller, a `spawn_blocking` thread, a user's `Handle::enter`) →
///   `Ok(None)`: run in that context as it is;
/// - no context → `Ok(Some(handle))` to enter: the installed handle
///   (`Err(TokioRuntimeStopped)` once its runtime has shut down), else the
///   shared runtime (`Err(NoTokioRuntime)` if it could not be built).
pub(crate) fn check_and_pick() -> Result<Option<Cow<'static, Handle>>, BlockOnErrorKind> {
    if Handle::try_current().is_ok() {
        return if !twin::entered_by_twin() && is_driving_tasks() {
            Err(BlockOnErrorKind::InsideTokio)
        } else {
            Ok(None)
        };
    }
    pick_without_context()
}

/// [`check_and_pick`] on a thread without a tokio context: the installed
/// handle, else the shared runtime's.
fn pick_without_context() -> Result<Option<Cow<'static, Handle>>, BlockOnErrorKind> {
    if HAS_INSTALLED.load(Ordering::Acquire) {
        let installed = INSTALLED.read().unwrap_or_else(PoisonError::into_inner);
        if let Some(installed) = installed.as_ref() {
            if installed.watch.stopped() {
                return Err(BlockOnErrorKind::TokioRuntimeStopped);
            }
            return Ok(Some(Cow::Owned(installed.handle.clone())));
        }
    }
    match shared() {
        Ok(handle) => Ok(Some(Cow::Borrowed(handle))),
        Err(reason) => Err(BlockOnErrorKind::NoTokioRuntime(reason)),
    }
}

/// Whether this thread is driving tokio tasks right now (see
/// [`is_driving_tasks`]), for the misuse check of blocking twins. Cheap where
/// it matters: a thread without a tokio context answers after one
/// thread-local read.
pub(crate) fn drives_tasks() -> bool {
    Handle::try_current().is_ok() && !twin::entered_by_twin() && is_driving_tasks()
}

/// The shared runtime's handle, building the runtime on first use.
fn shared() -> Result<&'static Handle, String> {
    let built = SHARED.get_or_init(|| {
        Builder::new_multi_thread()
            .enable_all()
            .thread_name("twoworlds-tokio")
            .build()
            .map_err(|err| format!("could not build the shared tokio runtime: {err}"))
    });
    match built {
        Ok(runtime) => Ok(runtime.handle()),
        Err(message) => Err(message.clone()),
    }
}

/// Whether this thread, which has a tokio context, is driving tokio tasks
/// right now: a worker polling a
/// task, `Runtime::block_on`, `Handle::block_on`, a `LocalSet`. Blocking such a
/// thread stalls every task it drives (or deadlocks).
///
/// Found out experimentally (see `tests/tokio_integration.rs`): tokio's public
/// API shows no difference between a worker thread and a `spawn_blocking`
/// thread (both have `Handle::try_current()` and `task::try_id()`), nor between
/// `Runtime::block_on` and a plain thread that called `Handle::enter`. What
/// differs is the cooperative-scheduling budget: tokio sets a finite budget
/// around every poll it drives and makes it unconstrained on `spawn_blocking`
/// and `block_in_place` threads and outside the runtime. The budget is not
/// readable, so this spends it: a constrained budget runs out within
/// `u8::MAX` steps, an unconstrained one never does. The first step's guard is
/// dropped last, which restores the budget to exactly what it was.
///
/// Blind spot: a future wrapped in `tokio::task::unconstrained` runs without a
/// budget, so a `block_on` inside it is not detected.
fn is_driving_tasks() -> bool {
    let mut cx = Context::from_waker(Waker::noop());
    let Poll::Ready(first) = tokio::task::coop::poll_proceed(&mut cx) else {
        return true;
    };
    for _ in 0..u8::MAX {
        match tokio::task::coop::poll_proceed(&mut cx) {
            Poll::Ready(step) => step.made_progress(),
            Poll::Pending => return true,
        }
    }
    drop(first);
    false
}
