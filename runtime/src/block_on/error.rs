//! [`BlockOnError`]: why `try_block_on` refused to run a future, with the
//! message that the panicking `block_on` shows.

use std::fmt;
use std::panic::Location;
use std::thread::{self, ThreadId};

/// What was wrong about the place `block_on` was called from.
///
/// ```
/// use twoworlds_runtime::{BlockOnErrorKind, block_on, try_block_on};
/// let err = block_on(async { try_block_on(async {}) }).unwrap_err();
/// assert!(matches!(err.kind(), BlockOnErrorKind::InsideBlockOn));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BlockOnErrorKind {
    /// Called while this thread was polling a future for another `block_on`:
    /// from inside async code that a `block_on` is running.
    InsideBlockOn,
    /// Called on a thread that is driving tokio tasks: a tokio worker polling
    /// a task, `Runtime::block_on`, `Handle::block_on` or a `LocalSet`
    /// (feature `tokio`).
    InsideTokio,
    /// Feature `tokio`: the thread had no tokio context, none was installed,
    /// and the shared runtime could not be built. Carries tokio's reason.
    NoTokioRuntime(String),
    /// Feature `tokio`: the thread had no tokio context, and the runtime
    /// installed with `set_tokio_handle` has shut down.
    TokioRuntimeStopped,
}

/// Why [`try_block_on`](crate::try_block_on) refused to run a future (and
/// what [`block_on`](crate::block_on) panics with).
///
/// ```
/// let err = twoworlds_runtime::block_on(async {
///     twoworlds_runtime::try_block_on(async { 1 }).unwrap_err()
/// });
/// assert_eq!(err.function(), "twoworlds::block_on");
/// assert_eq!(*err.kind(), twoworlds_runtime::BlockOnErrorKind::InsideBlockOn);
/// assert_eq!(err.thread_id(), std::thread::current().id());
/// assert_eq!(err.thread_name(), std::thread::current().name());
/// assert_eq!(err.location().line(), line!() - 6);
/// assert!(err.to_string().contains("blocking call"));
/// ```
#[derive(Debug, Clone)]
pub struct BlockOnError {
    /// The function that asked to block (a twin's name or `twoworlds::block_on`).
    function: &'static str,
    /// What was wrong.
    kind: BlockOnErrorKind,
    /// The thread's name, if it has one.
    thread_name: Option<String>,
    /// The thread's id.
    thread_id: ThreadId,
    /// Where the blocking function was called.
    location: &'static Location<'static>,
}

impl BlockOnError {
    /// An error of `kind` for `function`, called at `location` on this thread.
    pub(crate) fn new(
        function: &'static str,
        kind: BlockOnErrorKind,
        location: &'static Location<'static>,
    ) -> Self {
        let current = thread::current();
        BlockOnError {
            function,
            kind,
            thread_name: current.name().map(str::to_owned),
            thread_id: current.id(),
            location,
        }
    }

    /// The blocking function that was called: a generated twin's name, or
    /// `twoworlds::block_on`.
    #[must_use]
    pub fn function(&self) -> &'static str {
        self.function
    }

    /// What was wrong about the calling context.
    #[must_use]
    pub fn kind(&self) -> &BlockOnErrorKind {
        &self.kind
    }

    /// The name of the thread the call was made on, if it has one.
    #[must_use]
    pub fn thread_name(&self) -> Option<&str> {
        self.thread_name.as_deref()
    }

    /// The id of the thread the call was made on.
    #[must_use]
    pub fn thread_id(&self) -> ThreadId {
        self.thread_id
    }

    /// The source location of the call.
    #[must_use]
    pub fn location(&self) -> &'static Location<'static> {
        self.location
    }
}

impl fmt::Display for BlockOnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let function = self.function;
        let thread = self.thread_name.as_deref().unwrap_or("<unnamed>");
        let id = self.thread_id;
        match &self.kind {
            BlockOnErrorKind::NoTokioRuntime(reason) => {
                return write!(
                    f,
                    "`{function}` needs a tokio runtime on thread '{thread}' ({id:?}) and none \
                     is available: {reason}. Install one with `twoworlds::set_tokio_handle`."
                );
            }
            BlockOnErrorKind::TokioRuntimeStopped => {
                return write!(
                    f,
                    "`{function}` would run its future in the tokio runtime installed with \
                     `twoworlds::set_tokio_handle` (thread '{thread}' ({id:?}) has no tokio \
                     context of its own), but that runtime has shut down. Install a live \
                     runtime with `twoworlds::set_tokio_handle(..)`, or call \
                     `twoworlds::clear_tokio_handle()` to use the shared one."
                );
            }
            BlockOnErrorKind::InsideBlockOn => write!(
                f,
                "`{function}` is a blocking call and was made from async code: thread \
                 '{thread}' ({id:?}) is polling a future for `twoworlds::block_on`, and \
                 blocking it from inside that poll would stall (or deadlock) the outer future."
            )?,
            BlockOnErrorKind::InsideTokio => write!(
                f,
                "`{function}` is a blocking call and was made from async code: thread \
                 '{thread}' ({id:?}) is driving tokio tasks, and blocking it would stall every \
                 task on it (or deadlock)."
            )?,
        }
        write!(
            f,
            " Instead, `.await` the async version of `{function}` from async code, or move the \
             blocking call onto a thread that may block with `twoworlds::unblock(..)` or \
             `tokio::task::spawn_blocking(..)`."
        )
    }
}

impl std::error::Error for BlockOnError {}
