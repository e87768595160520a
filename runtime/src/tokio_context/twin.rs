//! The tokio context a `#[dual]` blocking twin's body enters (see
//! `crate::twin::context`), and what it tells `block_on` afterwards.
//!
//! Only the outermost twin's body looks: a thread-local mark, set while its
//! body runs, tells the twins it calls that the context is settled, in one
//! thread-local read.
//!
//! A thread that had no tokio context when a twin's body entered one is not
//! driving tokio tasks, so a `block_on` (or a nested twin's misuse check)
//! inside that body may skip the budget probe of `is_driving_tasks`, which
//! takes up to 255 steps (~5 µs measured) on a thread that does not drive
//! tasks: without this, every `.await` bridged in a twin would pay it.
//!
//! Blind spot: a tokio `Runtime::block_on` / `Handle::block_on` called by
//! the twin's body itself drives tasks under the mark, so a `block_on` of
//! ours inside *its* future is not refused (as with `unconstrained`).

use std::borrow::Cow;
use std::cell::Cell;

use tokio::runtime::{EnterGuard, Handle};

/// What the outermost twin's body found, for the twins it calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    /// No twin's body is running on this thread.
    Outside,
    /// A twin's body runs in the context the thread had: it may be driving
    /// tasks (a misuse the checks report), so nothing is skipped.
    InOwnContext,
    /// A twin's body entered a context on a thread that had none: it drives
    /// no tasks.
    InEnteredContext,
}

std::thread_local! {
    /// The mark of the twin body running on this thread, if any.
    static MARK: Cell<Mark> = const { Cell::new(Mark::Outside) };
}

/// What a blocking twin's body is to do about the tokio context.
#[derive(Debug)]
pub(crate) enum Pick {
    /// It runs inside another twin's body: nothing.
    Nested,
    /// The thread has a context: keep it, and mark the body.
    OwnContext,
    /// Enter this runtime (the one `block_on` picks), and mark the body.
    Enter(Cow<'static, Handle>),
    /// No runtime can be had: nothing (the `block_on` that needs one says
    /// why).
    Unavailable,
}

/// What the calling twin's body is to do (see [`Pick`]).
#[inline]
pub(crate) fn pick() -> Pick {
    if MARK.with(Cell::get) == Mark::Outside { pick_outermost() } else { Pick::Nested }
}

/// [`pick`] for the outermost twin's body.
fn pick_outermost() -> Pick {
    if Handle::try_current().is_ok() {
        return Pick::OwnContext;
    }
    match super::pick_without_context() {
        Ok(Some(handle)) => Pick::Enter(handle),
        Ok(None) | Err(_) => Pick::Unavailable,
    }
}

/// The guard of a twin body's context and mark.
#[derive(Debug)]
pub(crate) struct TwinGuard<'a> {
    /// tokio's guard of the entered context, held for its drop.
    _entered: Option<EnterGuard<'a>>,
    /// The mark before this guard's, restored on drop.
    previous: Mark,
}

/// Enters what `pick` chose for a twin's body, until the guard drops.
#[inline]
pub(crate) fn enter(pick: &Pick) -> Option<TwinGuard<'_>> {
    let (entered, mark) = match pick {
        Pick::Nested | Pick::Unavailable => return None,
        Pick::OwnContext => (None, Mark::InOwnContext),
        Pick::Enter(handle) => (Some(handle.enter()), Mark::InEnteredContext),
    };
    let previous = MARK.with(|cell| cell.replace(mark));
    Some(TwinGuard { _entered: entered, previous })
}

impl Drop for TwinGuard<'_> {
    fn drop(&mut self) {
        MARK.with(|cell| cell.set(self.previous));
    }
}

/// Whether this thread's context was entered by a twin's body (so it drives
/// no tasks: see the module docs).
#[inline]
pub(crate) fn entered_by_twin() -> bool {
    MARK.with(Cell::get) == Mark::InEnteredContext
}
